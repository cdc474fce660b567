package library

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
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

// ReportInput is the report form. A signed-in reporter's text is sealed
// with their key; a visitor's text and address under a key of the
// report's own.
type ReportInput struct {
	Reason, Text string
	// Contact is a visitor's address for the decision (optional; a
	// signed-in reporter's decision goes to their account's address).
	Contact string
	// Lang is the reporter's language, for the decision's email.
	Lang       i18n.Lang
	ReporterID int64
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
	Text    vault.Secret
	HasText bool
	// Contact is a visitor's address for the decision, opened with Text.
	Contact    vault.Secret
	HasContact bool
	// keyOwner is the vault owner whose key seals Text and Contact: the
	// reporter, or -ID for a visitor's report.
	keyOwner  int64
	lang      string
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
	contact := strings.TrimSpace(in.Contact)
	if in.ReporterID != 0 {
		contact = ""
	}
	if contact != "" && !complaints.ValidEmail(contact) {
		return time.Time{}, apperr.Field("contact", "complaints.contact.invalid")
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
		var sealed, sealedContact []byte
		owner := in.ReporterID
		if txt != "" || contact != "" {
			var key *vault.UserKey
			var err error
			if in.ReporterID != 0 {
				key, err = s.v.UserKey(ctx, tx, in.ReporterID)
			} else {
				// A visitor's words and address under a key of the
				// report's own, so it can be shredded on its own.
				owner = -id
				key, err = s.v.NewUserKey(ctx, tx, owner)
			}
			if err != nil {
				return err
			}
			sealed = key.Seal(vault.Field{Table: "reports", Column: "text_enc", Row: id}, txt)
			sealedContact = key.Seal(vault.Field{Table: "reports", Column: "contact_enc", Row: id}, contact)
		}
		_, err := tx.Exec(ctx, `INSERT INTO reports (id, material_id, reporter_id, reason, text_enc, created_at, deadline_at, comment_id, contact_enc, key_owner, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, materialID, in.ReporterID, in.Reason, sealed, now.UnixMilli(), deadline.UnixMilli(), in.CommentID,
			sealedContact, owner, string(in.Lang))
		return err
	})
	if err != nil {
		return time.Time{}, wrap("report", err)
	}
	return deadline, nil
}

// reportColumns is what scanReport reads.
const reportColumns = `r.id, r.material_id, r.reporter_id, r.reason, r.text_enc, r.created_at, r.deadline_at, r.decision, r.decided_by, r.decided_at,
	m.title, m.slug, m.status, r.comment_id, COALESCE(c.body, ''), r.key_owner, r.contact_enc, r.lang FROM reports r JOIN materials m ON m.id = r.material_id
	LEFT JOIN comments c ON c.id = r.comment_id `

// scanReport reads one line of the register, the reporter's text still
// sealed.
func (s *Service) scanReport(sc interface{ Scan(...any) error }) (ReportEntry, sealedReport, error) {
	var e ReportEntry
	var enc, contact []byte
	var created, deadline, decided int64
	var status string
	if err := sc.Scan(&e.ID, &e.MaterialID, &e.ReporterID, &e.Reason, &enc, &created, &deadline, &e.Decision, &e.DecidedBy, &decided,
		&e.MaterialTitle, &e.MaterialSlug, &status, &e.CommentID, &e.CommentBody, &e.keyOwner, &contact, &e.lang); err != nil {
		return e, sealedReport{}, err
	}
	e.HasContact = len(contact) > 0
	e.MaterialStatus = Status(status)
	e.CreatedAt, e.Deadline, e.DecidedAt = db.Time(created), db.Time(deadline), db.Time(decided)
	e.Rule = ReportDeadlines[e.Reason]
	e.Overdue = decided == 0 && s.now().After(e.Deadline) || decided != 0 && decided > deadline
	e.HasText = len(enc) > 0
	return e, sealedReport{text: enc, contact: contact}, nil
}

// sealedReport is a report's sealed words and address, as read.
type sealedReport struct{ text, contact []byte }

// openReport opens e's words and address with the key that sealed them;
// a shredded key (the reporter deleted their account) leaves them empty.
func (s *Service) openReport(ctx context.Context, e *ReportEntry, sealed sealedReport) error {
	if !e.HasText && !e.HasContact {
		return nil
	}
	owner := e.keyOwner
	if owner == 0 {
		owner = e.ReporterID
	}
	key, err := s.v.ReadKey(ctx, s.db, owner)
	if err != nil {
		return err
	}
	if e.Text, err = key.Open(vault.Field{Table: "reports", Column: "text_enc", Row: e.ID}, sealed.text); err != nil {
		return err
	}
	e.Contact, err = key.Open(vault.Field{Table: "reports", Column: "contact_enc", Row: e.ID}, sealed.contact)
	return err
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
	if openText {
		if err := s.openReport(ctx, &e, enc); err != nil {
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
	s.tellReporters(ctx, []int64{reportID})
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
	var encs []sealedReport
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
	for i := range out {
		if err := s.openReport(ctx, &out[i], encs[i]); err != nil {
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

// tellReporters mails each decided report's reporter the decision: a
// visitor at the address they left, a signed-in reporter at their
// account's. Like the author's notice, a failure is logged without the
// address and does not undo the decision.
func (s *Service) tellReporters(ctx context.Context, ids []int64) {
	if s.o.Mail == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for _, id := range ids {
		e, err := s.ReportByID(ctx, id, true)
		if err != nil {
			s.o.Log.Warn("library: report decision not mailed", "report", id, "err", err)
			continue
		}
		to, lang := e.Contact.Reveal(), i18n.Lang(e.lang)
		if to == "" && e.ReporterID != 0 && s.o.Contacts != nil {
			if to, lang, err = s.o.Contacts(ctx, e.ReporterID); err != nil {
				s.o.Log.Warn("library: report decision not mailed", "report", id, "err", err)
				continue
			}
		}
		if to == "" {
			continue
		}
		if _, ok := i18n.Parse(string(lang)); !ok {
			lang = i18n.Default
		}
		lines := []string{i18n.T(lang, "library.mail.hello"), "", i18n.T(lang, "library.mail.report_"+e.Decision+".text", e.MaterialTitle),
			"", i18n.T(lang, "library.mail.signature")}
		m := mail.Message{To: to, Subject: i18n.T(lang, "library.mail.report_decided.subject"), Text: strings.Join(lines, "\n"), Lang: lang,
			Kind: "library.report_decided", Key: "library/report/" + strconv.FormatInt(id, 10) + "/decision"}
		if err := s.o.Mail.Send(ctx, m); err != nil {
			s.o.Log.Warn("library: report decision not mailed", "report", id, "err", err)
		}
	}
}
