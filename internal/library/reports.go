package library

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Report reasons (each has the key library.report.reason.<code>).
const (
	ReasonCopyright    = "copyright"
	ReasonWrongContent = "wrong_content"
	ReasonPersonalData = "personal_data"
	ReasonOther        = "other"
)

// ReportReasons lists the reasons in the order the form offers them.
var ReportReasons = []string{ReasonPersonalData, ReasonCopyright, ReasonWrongContent, ReasonOther}

// Report decisions.
const (
	DecisionTakenDown = "taken_down"
	DecisionDismissed = "dismissed"
)

// MaxReportText bounds a reporter's text.
const MaxReportText = 2000

// ReportInput is the report form. Text is kept only from a signed-in
// reporter (sealed with their key); a visitor's report carries its reason.
type ReportInput struct {
	Reason, Text string
	ReporterID   int64
}

// ReportEntry is one line of the report register (clause 3.2).
type ReportEntry struct {
	ID, MaterialID, ReporterID  int64
	MaterialTitle, MaterialSlug string
	MaterialStatus              Status
	Reason                      string
	// Text is the reporter's words, opened only for administrators.
	Text      vault.Secret
	HasText   bool
	CreatedAt time.Time
	Deadline  time.Time
	Rule      DeadlineRule
	Decision  string
	DecidedBy int64
	DecidedAt time.Time
	Overdue   bool
}

// Report files a complaint about a published material. It returns the
// deadline by which it must be decided.
func (s *Service) Report(ctx context.Context, materialID int64, in ReportInput) (time.Time, error) {
	rule, ok := ReportDeadlines[in.Reason]
	var errs apperr.Fields
	if !ok {
		errs = append(errs, apperr.Field("reason", "library.report.reason.invalid"))
	}
	txt := strings.TrimSpace(text(in.Text))
	if utf8.RuneCountInString(txt) > MaxReportText {
		errs = append(errs, apperr.Field("text", "library.report.text.length", MaxReportText))
	}
	if err := errs.Err(); err != nil {
		return time.Time{}, err
	}
	if in.ReporterID == 0 {
		txt = ""
	}
	now := s.now()
	deadline := Deadline(now, rule.WorkingDays)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM materials WHERE id = ?`, materialID).Scan(&status); err != nil {
			return err
		}
		if Status(status) != StatusPublished {
			return errNotFound()
		}
		id := db.NewID()
		var sealed []byte
		if txt != "" {
			key, err := s.v.UserKey(ctx, tx, in.ReporterID)
			if err != nil {
				return err
			}
			sealed = key.Seal(vault.Field{Table: "reports", Column: "text_enc", Row: id}, txt)
		}
		_, err := tx.Exec(ctx, `INSERT INTO reports (id, material_id, reporter_id, reason, text_enc, created_at, deadline_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, materialID, in.ReporterID, in.Reason, sealed, now.UnixMilli(), deadline.UnixMilli())
		return err
	})
	if err != nil {
		return time.Time{}, wrap("report", err)
	}
	return deadline, nil
}

// Reports lists the register: open reports first by deadline, then
// decided ones, newest first. With reveal the reporters' texts are opened
// (administrators only: clause 1.3).
func (s *Service) Reports(ctx context.Context, open bool, reveal bool, limit int) ([]ReportEntry, error) {
	q := `SELECT r.id, r.material_id, r.reporter_id, r.reason, r.text_enc, r.created_at, r.deadline_at, r.decision, r.decided_by, r.decided_at,
		m.title, m.slug, m.status FROM reports r JOIN materials m ON m.id = r.material_id `
	if open {
		q += `WHERE r.decided_at = 0 ORDER BY r.deadline_at, r.id LIMIT ?`
	} else {
		q += `WHERE r.decided_at <> 0 ORDER BY r.decided_at DESC, r.id DESC LIMIT ?`
	}
	rows, err := s.db.Query(ctx, q, clampLimit(limit))
	if err != nil {
		return nil, wrap("reports", err)
	}
	defer rows.Close()
	now := s.now()
	var out []ReportEntry
	for rows.Next() {
		var e ReportEntry
		var enc []byte
		var created, deadline, decided int64
		var status string
		if err := rows.Scan(&e.ID, &e.MaterialID, &e.ReporterID, &e.Reason, &enc, &created, &deadline, &e.Decision, &e.DecidedBy, &decided,
			&e.MaterialTitle, &e.MaterialSlug, &status); err != nil {
			return nil, wrap("reports", err)
		}
		e.MaterialStatus = Status(status)
		e.CreatedAt, e.Deadline, e.DecidedAt = db.Time(created), db.Time(deadline), db.Time(decided)
		e.Rule = ReportDeadlines[e.Reason]
		e.Overdue = decided == 0 && now.After(e.Deadline) || decided != 0 && decided > deadline
		e.HasText = len(enc) > 0
		if reveal && e.HasText && e.ReporterID != 0 {
			if key, err := s.v.UserKey(ctx, s.db, e.ReporterID); err == nil {
				e.Text, _ = key.Open(vault.Field{Table: "reports", Column: "text_enc", Row: e.ID}, enc)
			}
		}
		out = append(out, e)
	}
	return out, wrap("reports", rows.Err())
}

// Dismiss decides an open report without taking the material down.
func (s *Service) Dismiss(ctx context.Context, moderatorID, reportID int64) error {
	res, err := s.db.Exec(ctx, `UPDATE reports SET decision = ?, decided_by = ?, decided_at = ? WHERE id = ? AND decided_at = 0`,
		DecisionDismissed, moderatorID, s.nowMS(), reportID)
	if err != nil {
		return wrap("dismiss", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound()
	}
	return nil
}
