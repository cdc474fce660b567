package incident

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// notifyPage is how many users one notification job writes to.
const notifyPage = 200

// notifyArgs is one page of an incident's notice to its users: those
// with ids above After not notified yet. Run tells one press of the
// button from the next (the job kind is unique by arguments among jobs
// waiting or running).
type notifyArgs struct {
	IncidentID int64 `json:"incident_id,string"`
	After      int64 `json:"after,string"`
	Run        int64 `json:"run,string,omitempty"`
}

func (notifyArgs) Kind() string { return "incident.notify" }

// Jobs are what the notice to users needs in the background.
type Jobs struct {
	Queue *jobs.Queue
	Mail  mailq.BulkSender // the paced bulk send, shown with its progress on /admin/mail
	// Undeliverable, when set, reports an address that bounced: it is
	// skipped (the notice stays on the user's data page).
	Undeliverable func(ctx context.Context, email string) (bool, error)
	// Base is the site's public address, for the link in the letter.
	Base func() string
	Log  *slog.Logger
}

// UseJobs registers the notification job with j.Queue; call it before
// the queue starts. Without it NotifyUsers refuses.
func (s *Service) UseJobs(j Jobs) {
	if j.Log == nil {
		j.Log = slog.New(slog.DiscardHandler)
	}
	if j.Base == nil {
		j.Base = func() string { return "" }
	}
	s.jobs, s.log = &j, j.Log
	jobs.Register(j.Queue, jobs.Kind{Unique: true, Timeout: 10 * time.Minute}, s.notifyPage)
}

// Bulk names the bulk send of incident id's notice in the mail queue
// (/admin/mail shows its progress).
func Bulk(id int64) string { return fmt.Sprintf("incident/%d/notify", id) }

// mailKey is the idempotency key of one user's notice of one incident:
// the mail queue takes a second message with the same key as the same
// message, so a user is written to once whatever happens.
func mailKey(id, userID int64) string { return fmt.Sprintf("incident/%d/user/%d", id, userID) }

// NotifyUsers starts (or, pressed again, resumes) the notice to the
// users of incident id, as done by administrator by; audited. Users
// already notified are not written to again.
func (s *Service) NotifyUsers(ctx context.Context, id, by, session int64) error {
	if s.jobs == nil {
		return apperr.New(apperr.Conflict, "incident.notify_unavailable")
	}
	now := s.now().UnixMilli()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var started int64
		err := tx.QueryRow(ctx, `SELECT users_notify_at FROM incidents WHERE id = ?`+db.ForUpdate(s.db.Engine()), id).Scan(&started)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return err
		}
		what := "started"
		if started == 0 {
			if _, err := tx.Exec(ctx, `UPDATE incidents SET users_notify_at = ?, users_notify_by = ? WHERE id = ?`, now, by, id); err != nil {
				return err
			}
		} else {
			what = "resumed"
		}
		if err := s.jobs.Queue.EnqueueTx(ctx, tx, notifyArgs{IncidentID: id, Run: now}); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionIncident,
			Detail: fmt.Sprintf("incident %d: notice to users %s", id, what)})
		return err
	})
	if _, ok := apperr.As(err); ok {
		return err
	}
	if err != nil {
		return fmt.Errorf("incident: notify users: %w", err)
	}
	return nil
}

// letter is one user's notice.
type letter struct {
	user int64
	m    mail.Message
}

// notifyPage queues the notices of one page of users not notified yet,
// as part of the incident's bulk send, and the next page. The letters,
// the users' notified_at and the next page are one transaction: a node
// that dies mid-page leaves nothing of it, and the page taken again
// writes it whole; the letters' keys make the queue send each once.
func (s *Service) notifyPage(ctx context.Context, a notifyArgs) error {
	x, err := s.Get(ctx, a.IncidentID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	contacts, err := s.contacts.Get(ctx)
	if err != nil {
		return err
	}
	ids, err := s.pendingUsers(ctx, a.IncidentID, a.After)
	if err != nil {
		return err
	}
	link := s.jobs.Base() + "/account/data#incidents"
	var letters []letter
	for _, uid := range ids {
		u, err := s.accounts.Get(ctx, uid)
		if err != nil || u.Status == account.StatusDeleted || u.Email.IsZero() {
			continue // deleted since: nobody to tell
		}
		if s.jobs.Undeliverable != nil {
			bad, err := s.jobs.Undeliverable(ctx, u.Email.Reveal())
			if err != nil {
				return fmt.Errorf("incident notify: bounce register: %w", err)
			}
			if bad {
				s.log.Info("incident notify: address bounced before, not written to", "incident", x.ID, "user_id", uid)
				continue
			}
		}
		l, ok := i18n.Parse(u.Locale)
		if !ok {
			l = i18n.Default
		}
		m := Letter(l, x, contacts, link)
		m.To, m.Key = u.Email.Reveal(), mailKey(x.ID, uid)
		letters = append(letters, letter{uid, m})
	}
	bulk := Bulk(x.ID)
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := s.jobs.Mail.BeginBulk(ctx, tx, bulk, "incident"); err != nil {
			return err
		}
		now := s.now().UnixMilli()
		for _, lt := range letters {
			if err := s.jobs.Mail.SendTx(ctx, tx, lt.m, mailq.Bulk(bulk)); errors.Is(err, mail.ErrRecipient) {
				s.log.Error("incident notify: address refused", "incident", x.ID, "user_id", lt.user)
				continue
			} else if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE incident_users SET notified_at = ? WHERE incident_id = ? AND user_id = ? AND notified_at = 0`,
				now, x.ID, lt.user); err != nil {
				return err
			}
		}
		if len(ids) == notifyPage {
			return s.jobs.Queue.EnqueueTx(ctx, tx, notifyArgs{IncidentID: a.IncidentID, After: ids[len(ids)-1], Run: a.Run})
		}
		return s.jobs.Mail.EndBulk(ctx, tx, bulk)
	})
	if err != nil {
		return fmt.Errorf("incident notify: incident %d after user %d: %w", a.IncidentID, a.After, err)
	}
	return nil
}

// pendingUsers are the ids of the next page of users not notified yet.
func (s *Service) pendingUsers(ctx context.Context, id, after int64) ([]int64, error) {
	rows, err := s.db.Query(ctx, `SELECT user_id FROM incident_users WHERE incident_id = ? AND user_id > ? AND notified_at = 0
		ORDER BY user_id LIMIT ?`, id, after, notifyPage)
	if err != nil {
		return nil, fmt.Errorf("incident notify: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var uid int64
		if err := rows.Scan(&uid); err != nil {
			return nil, fmt.Errorf("incident notify: %w", err)
		}
		out = append(out, uid)
	}
	return out, rows.Err()
}

// Letter is the notice of x to one user in language l (without its
// recipient): what happened and when, which categories of data, what
// was done, and whom to ask. The description is not in it: it is the
// administration's record and may name other people; the measures are
// written for the users.
func Letter(l i18n.Lang, x *Incident, c privacy.ContactInfo, link string) mail.Message {
	t := func(key string, args ...any) string { return i18n.T(l, key, args...) }
	cats := make([]string, len(x.Categories))
	for i, cat := range x.Categories {
		cats[i] = cat.Name(l)
	}
	var b strings.Builder
	b.WriteString(t("incident.mail.hello") + "\n\n")
	b.WriteString(t("incident.mail.what", t("incident.kind."+string(x.Kind)), i18n.Date(l, x.DetectedAt)) + "\n\n")
	b.WriteString(t("incident.mail.categories") + " " + strings.Join(cats, ", ") + "\n\n")
	if m := x.Measures.Reveal(); m != "" {
		b.WriteString(t("incident.mail.measures") + "\n" + m + "\n\n")
	}
	b.WriteString(t("incident.mail.advice") + "\n\n")
	if c.ResponsibleName != "" || c.ContactEmail != "" {
		b.WriteString(t("incident.mail.contact", c.ResponsibleName, c.ContactEmail) + "\n\n")
	}
	b.WriteString(t("incident.mail.link") + "\n" + link + "\n")
	return mail.Message{Subject: t("incident.mail.subject"), Text: b.String(), Lang: l, Kind: "incident"}
}
