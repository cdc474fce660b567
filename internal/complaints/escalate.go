package complaints

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// Overdue items are escalated to the administrators by email once per
// item and day (issue 12 §3): a periodic job of internal/jobs runs
// Escalate on one node; the table complaint_escalations, keyed by item
// and day, is what makes a second run or a second node send nothing.

// Item is one overdue entry of the register, a complaint or a report of
// a material, without any personal content.
type Item struct {
	ID   int64
	Kind string // "complaint" or "report"
	What string // the entry's kind or the report's reason, not personal
	Due  time.Time
}

// Admin is an administrator who receives escalations.
type Admin struct {
	Email string
	Lang  i18n.Lang
}

// Escalation is what Escalate needs from outside the package.
type Escalation struct {
	// Reports lists the reports of materials undecided past their
	// deadline at now (library.OverdueReports).
	Reports func(ctx context.Context, now time.Time) ([]Item, error)
	// Admins lists the administrators to write to.
	Admins func(ctx context.Context) ([]Admin, error)
	// Link is the address of the register, for the email.
	Link func() string
}

// OverdueItems lists the open complaints past their deadline at now.
func (s *Service) OverdueItems(ctx context.Context, now time.Time) ([]Item, error) {
	rows, err := s.db.Query(ctx, `SELECT id, kind, due_at FROM complaints WHERE status IN ('received', 'in_progress') AND due_at < ? ORDER BY due_at, id`, now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("complaints: overdue: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var due int64
		if err := rows.Scan(&it.ID, &it.What, &due); err != nil {
			return nil, fmt.Errorf("complaints: overdue: %w", err)
		}
		it.Kind, it.Due = "complaint", time.UnixMilli(due)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Escalate writes to every administrator about the overdue items not yet
// escalated today (in Kazakhstan), in one transaction with the record
// that they were; it returns how many items it escalated.
func (s *Service) Escalate(ctx context.Context, e Escalation) (int, error) {
	now := s.now()
	items, err := s.OverdueItems(ctx, now)
	if err != nil {
		return 0, err
	}
	if e.Reports != nil {
		reports, err := e.Reports(ctx, now)
		if err != nil {
			return 0, fmt.Errorf("complaints: escalate: %w", err)
		}
		items = append(items, reports...)
	}
	if len(items) == 0 {
		return 0, nil
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Due.Before(items[j].Due) })
	var admins []Admin
	if e.Admins != nil {
		if admins, err = e.Admins(ctx); err != nil {
			return 0, fmt.Errorf("complaints: escalate: %w", err)
		}
	}
	day := now.In(privacy.Almaty).Format(privacy.DayLayout)
	var fresh []Item
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		fresh = fresh[:0]
		for _, it := range items {
			res, err := tx.Exec(ctx, `INSERT INTO complaint_escalations (item_id, day, kind, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
				it.ID, day, it.Kind, now.UnixMilli())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				fresh = append(fresh, it)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		link := ""
		if e.Link != nil {
			link = e.Link()
		}
		for i, a := range admins {
			if a.Email == "" {
				continue
			}
			m := escalationMessage(a.Lang, a.Email, fresh, day, link)
			m.Key = "complaints/escalate/" + day + "/" + strconv.FormatInt(fresh[0].ID, 10) + "/" + strconv.Itoa(i)
			if err := s.mail.SendTx(ctx, tx, m); err != nil {
				return err
			}
		}
		ids := make([]string, len(fresh))
		for i, it := range fresh {
			ids[i] = it.Kind + " " + strconv.FormatInt(it.ID, 10)
		}
		return s.appendAudit(ctx, tx, 0, 0, 0, "", fmt.Sprintf("overdue, escalated to %d administrator(s): %s", len(admins), strings.Join(ids, ", ")))
	})
	if err != nil {
		return 0, fmt.Errorf("complaints: escalate: %w", err)
	}
	return len(fresh), nil
}

func escalationMessage(l i18n.Lang, to string, items []Item, day, link string) mail.Message {
	if _, ok := i18n.Parse(string(l)); !ok {
		l = i18n.Default
	}
	var b strings.Builder
	b.WriteString(i18n.T(l, "mail.greeting") + "\n\n" + i18n.T(l, "complaints.escalate.body", len(items)) + "\n\n")
	for _, it := range items {
		fmt.Fprintf(&b, "- %s %d (%s): %s %s\n", i18n.T(l, "complaints.item."+it.Kind), it.ID, it.What,
			i18n.T(l, "complaints.due"), it.Due.In(privacy.Almaty).Format(privacy.DayLayout))
	}
	if link != "" {
		b.WriteString("\n" + link + "\n")
	}
	b.WriteString("\n-- \n" + i18n.T(l, "mail.footer") + "\n")
	return mail.Message{To: to, Subject: i18n.T(l, "complaints.escalate.subject", day), Text: b.String(), Lang: l, Kind: "complaints.escalate"}
}
