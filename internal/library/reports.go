package library

import (
	"context"
	"database/sql"
	"errors"
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
	// CommentID names a published comment of the material when the
	// report is about it (issue 13), 0 for the material itself.
	CommentID int64
}

// ReportEntry is one line of the report register (clause 3.2).
type ReportEntry struct {
	ID, MaterialID, ReporterID int64
	// CommentID is the reported comment (0: the material), with its text.
	CommentID                   int64
	CommentBody                 string
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
	cal, err := s.calendar(ctx)
	if err != nil {
		return time.Time{}, wrap("report", err)
	}
	deadline := Deadline(cal, now, rule.WorkingDays)
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM materials WHERE id = ?`, materialID).Scan(&status); err != nil {
			return err
		}
		if Status(status) != StatusPublished {
			return errNotFound()
		}
		if in.CommentID != 0 {
			var cs string
			if err := tx.QueryRow(ctx, `SELECT status FROM comments WHERE id = ? AND material_id = ?`, in.CommentID, materialID).Scan(&cs); err != nil {
				return err
			}
			if cs != CommentPublished {
				return errNotFound()
			}
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
		_, err := tx.Exec(ctx, `INSERT INTO reports (id, material_id, reporter_id, reason, text_enc, created_at, deadline_at, comment_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, materialID, in.ReporterID, in.Reason, sealed, now.UnixMilli(), deadline.UnixMilli(), in.CommentID)
		return err
	})
	if err != nil {
		return time.Time{}, wrap("report", err)
	}
	return deadline, nil
}

// reportColumns is what scanReport reads.
const reportColumns = `r.id, r.material_id, r.reporter_id, r.reason, r.text_enc, r.created_at, r.deadline_at, r.decision, r.decided_by, r.decided_at,
	m.title, m.slug, m.status, r.comment_id, COALESCE(c.body, '') FROM reports r JOIN materials m ON m.id = r.material_id
	LEFT JOIN comments c ON c.id = r.comment_id `

// scanReport reads one line of the register, the reporter's text still
// sealed.
func (s *Service) scanReport(sc interface{ Scan(...any) error }) (ReportEntry, []byte, error) {
	var e ReportEntry
	var enc []byte
	var created, deadline, decided int64
	var status string
	if err := sc.Scan(&e.ID, &e.MaterialID, &e.ReporterID, &e.Reason, &enc, &created, &deadline, &e.Decision, &e.DecidedBy, &decided,
		&e.MaterialTitle, &e.MaterialSlug, &status, &e.CommentID, &e.CommentBody); err != nil {
		return e, nil, err
	}
	e.MaterialStatus = Status(status)
	e.CreatedAt, e.Deadline, e.DecidedAt = db.Time(created), db.Time(deadline), db.Time(decided)
	e.Rule = ReportDeadlines[e.Reason]
	e.Overdue = decided == 0 && s.now().After(e.Deadline) || decided != 0 && decided > deadline
	e.HasText = len(enc) > 0
	return e, enc, nil
}

// Reports lists the register: open reports first by deadline, then
// decided ones, newest first. The reporters' texts stay sealed: they are
// personal data of the reporter, opened one at a time by ReportByID after
// an audited request (clause 1.3).
func (s *Service) Reports(ctx context.Context, open bool, limit int) ([]ReportEntry, error) {
	q := `SELECT ` + reportColumns
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
	var out []ReportEntry
	for rows.Next() {
		e, _, err := s.scanReport(rows)
		if err != nil {
			return nil, wrap("reports", err)
		}
		out = append(out, e)
	}
	return out, wrap("reports", rows.Err())
}

// ReportByID returns one line of the register; with openText, the
// reporter's words opened, which the caller shows only to an
// administrator whose view it has written to the audit log. A missing
// report is apperr NotFound.
func (s *Service) ReportByID(ctx context.Context, id int64, openText bool) (*ReportEntry, error) {
	e, enc, err := s.scanReport(s.db.QueryRow(ctx, `SELECT `+reportColumns+`WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, wrap("report by id", err)
	}
	if openText && e.HasText && e.ReporterID != 0 {
		key, err := s.v.UserKey(ctx, s.db, e.ReporterID)
		if errors.Is(err, vault.ErrNoKey) {
			return &e, nil // the reporter deleted their account: the words went with it
		}
		if err != nil {
			return nil, wrap("report by id", err)
		}
		if e.Text, err = key.Open(vault.Field{Table: "reports", Column: "text_enc", Row: e.ID}, enc); err != nil {
			return nil, wrap("report by id", err)
		}
	}
	return &e, nil
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

// ReportsBy lists the reports reporterID filed, newest first, their own
// words opened with their key: the reporter sees what they sent and what
// was decided (law L10).
func (s *Service) ReportsBy(ctx context.Context, reporterID int64) ([]ReportEntry, error) {
	rows, err := s.db.Query(ctx, `SELECT `+reportColumns+`WHERE r.reporter_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT 1000`, reporterID)
	if err != nil {
		return nil, wrap("reports by", err)
	}
	var out []ReportEntry
	var encs [][]byte
	for rows.Next() {
		e, enc, err := s.scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("reports by", err)
		}
		out, encs = append(out, e), append(encs, enc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("reports by", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	key, err := s.v.UserKey(ctx, s.db, reporterID)
	if errors.Is(err, vault.ErrNoKey) {
		return out, nil
	}
	if err != nil {
		return nil, wrap("reports by", err)
	}
	for i := range out {
		if !out[i].HasText {
			continue
		}
		if out[i].Text, err = key.Open(vault.Field{Table: "reports", Column: "text_enc", Row: out[i].ID}, encs[i]); err != nil {
			return nil, wrap("reports by", err)
		}
	}
	return out, nil
}

// OverdueReports lists the reports undecided past their deadline at now,
// the earliest deadline first (the register's escalation; no personal
// content).
func (s *Service) OverdueReports(ctx context.Context, now time.Time) ([]ReportEntry, error) {
	rows, err := s.db.Query(ctx, `SELECT `+reportColumns+`WHERE r.decided_at = 0 AND r.deadline_at < ? ORDER BY r.deadline_at, r.id LIMIT 1000`, now.UnixMilli())
	if err != nil {
		return nil, wrap("overdue reports", err)
	}
	defer rows.Close()
	var out []ReportEntry
	for rows.Next() {
		e, _, err := s.scanReport(rows)
		if err != nil {
			return nil, wrap("overdue reports", err)
		}
		out = append(out, e)
	}
	return out, wrap("overdue reports", rows.Err())
}
