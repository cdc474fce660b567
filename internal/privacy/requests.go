package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The register of data subjects' requests (issue 12 §2; law L10–L13):
// each request is registered with its legal deadline from Rules, counted
// on the holiday calendar; administrators answer them from a queue sorted
// by deadline, and the answer closes the request. Filing and answering
// are written to the audit log with the request, so its history is there.

// FileTypes are the requests a user files from /account/requests, in
// display order.
var FileTypes = []RequestType{RequestAccess, RequestCorrect, RequestBlock, RequestUnblock, RequestWithdraw, RequestDelete}

// Request statuses.
const (
	StatusOpen     = "open"
	StatusAnswered = "answered"
)

// MaxRequestText bounds the user's words and the answer, in characters.
const MaxRequestText = 4000

// Request is one registered request.
type Request struct {
	ID         int64
	UserID     int64
	Type       RequestType
	Status     string
	Detail     vault.Secret // the user's words; empty unless opened
	ReceivedAt time.Time
	Due        time.Time
	AnsweredAt time.Time
	AnsweredBy int64
	Answer     vault.Secret
}

// DueDay is the last day of the deadline in Kazakhstan, YYYY-MM-DD (the
// deadline is 23:59:59 of that day, Astana time).
func (r *Request) DueDay() string { return r.Due.In(Almaty).Format(DayLayout) }

// Overdue reports whether the request is open past its deadline at now.
func (r *Request) Overdue(now time.Time) bool { return r.Status == StatusOpen && now.After(r.Due) }

// Requests is the register.
type Requests struct {
	db       *db.DB
	v        *vault.Vault
	audit    *audit.Log
	holidays *Holidays
	now      func() time.Time
	// Control, when set, lets an answer block or unblock the account
	// (AnswerWith).
	Control *Control
}

// What an answer does to the account besides closing the request.
const (
	ActNone    = ""
	ActBlock   = "block"   // a block request: block; a withdrawal: record it and block
	ActUnblock = "unblock" // an unblock request: lift the block
)

// ActsFor lists the actions an answer to a request of type t may take.
func ActsFor(t RequestType) []string {
	switch t {
	case RequestBlock, RequestWithdraw:
		return []string{ActBlock}
	case RequestUnblock:
		return []string{ActUnblock}
	}
	return nil
}

// NewRequests returns the register over d.
func NewRequests(d *db.DB, v *vault.Vault, a *audit.Log, h *Holidays) *Requests {
	return &Requests{db: d, v: v, audit: a, holidays: h, now: time.Now}
}

func detailField(id int64) vault.Field {
	return vault.Field{Table: "privacy_requests", Column: "detail", Row: id}
}
func answerField(id int64) vault.Field {
	return vault.Field{Table: "privacy_requests", Column: "answer", Row: id}
}

func fileable(t RequestType) bool {
	for _, x := range FileTypes {
		if x == t {
			return true
		}
	}
	return false
}

// cleanText normalises a multi-line text from a form.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(s)
}

// File registers a request of userID from session, with its deadline.
// A correction must say what to correct; other requests may be empty.
func (r *Requests) File(ctx context.Context, userID int64, typ RequestType, detail string, session int64) (*Request, error) {
	if !fileable(typ) {
		return nil, apperr.Field("type", "privacy.requests.type_bad")
	}
	detail = cleanText(detail)
	switch {
	case typ == RequestCorrect && detail == "":
		return nil, apperr.Field("detail", "privacy.requests.detail_required")
	case utf8.RuneCountInString(detail) > MaxRequestText:
		return nil, apperr.Field("detail", "privacy.contacts.too_long", MaxRequestText)
	}
	cal, err := r.holidays.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := r.now()
	due, err := cal.Deadline(typ, now)
	if err != nil {
		return nil, err
	}
	req := &Request{ID: db.NewID(), UserID: userID, Type: typ, Status: StatusOpen, ReceivedAt: time.UnixMilli(now.UnixMilli()), Due: due,
		Detail: vault.NewSecret(detail)}
	err = r.db.InTx(ctx, func(tx *db.Tx) error {
		key, err := r.v.UserKey(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO privacy_requests (id, user_id, type, status, detail_enc, received_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			req.ID, userID, string(typ), StatusOpen, key.Seal(detailField(req.ID), detail), now.UnixMilli(), due.UnixMilli()); err != nil {
			return err
		}
		_, err = r.audit.AppendTx(ctx, tx, audit.Entry{ActorID: userID, ActorSessionID: session, Action: audit.ActionPrivacyRequest,
			TargetUserID: userID, Detail: fmt.Sprintf("request %d %s due %s", req.ID, typ, due.In(Almaty).Format(DayLayout))})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("privacy: file request: %w", err)
	}
	return req, nil
}

const requestColumns = `id, user_id, type, status, detail_enc, received_at, due_at, answered_at, answered_by, answer_enc`

// scanRequest reads a row; with open, the texts are opened with the
// owner's key (a deleted owner's read as empty).
func (r *Requests) scanRequest(ctx context.Context, s interface{ Scan(...any) error }, open bool) (*Request, error) {
	var x Request
	var typ string
	var detail, answer []byte
	var rec, due, ans int64
	if err := s.Scan(&x.ID, &x.UserID, &typ, &x.Status, &detail, &rec, &due, &ans, &x.AnsweredBy, &answer); err != nil {
		return nil, err
	}
	x.Type = RequestType(typ)
	x.ReceivedAt, x.Due = time.UnixMilli(rec), time.UnixMilli(due)
	if ans != 0 {
		x.AnsweredAt = time.UnixMilli(ans)
	}
	if open {
		key, err := r.v.ReadKey(ctx, r.db, x.UserID)
		if err != nil {
			return nil, err
		}
		if x.Detail, err = key.Open(detailField(x.ID), detail); err != nil {
			return nil, err
		}
		if x.Answer, err = key.Open(answerField(x.ID), answer); err != nil {
			return nil, err
		}
	}
	return &x, nil
}

func (r *Requests) list(ctx context.Context, open bool, where string, args ...any) ([]Request, error) {
	rows, err := r.db.Query(ctx, `SELECT `+requestColumns+` FROM privacy_requests `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	var raw []*Request
	for rows.Next() {
		x, err := r.scanRequest(ctx, rows, false)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("privacy: requests: %w", err)
		}
		raw = append(raw, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	out := make([]Request, 0, len(raw))
	for _, x := range raw {
		out = append(out, *x)
	}
	if open {
		// Texts are opened after the rows are closed: SQLite's single
		// reader would otherwise wait on itself for the key.
		for i := range out {
			x, err := r.Get(ctx, out[i].ID)
			if err != nil {
				return nil, err
			}
			out[i] = *x
		}
	}
	return out, nil
}

// ForUser returns userID's requests, newest first, with their texts.
func (r *Requests) ForUser(ctx context.Context, userID int64) ([]Request, error) {
	return r.list(ctx, true, `WHERE user_id = ? ORDER BY received_at DESC, id DESC`, userID)
}

// Queue returns the open requests, the nearest deadline first, then the
// 50 most recently answered. Texts stay sealed: an administrator opens
// one request at a time (Get, audited by the caller).
func (r *Requests) Queue(ctx context.Context) (open, answered []Request, err error) {
	if open, err = r.list(ctx, false, `WHERE status = ? ORDER BY due_at, id`, StatusOpen); err != nil {
		return nil, nil, err
	}
	answered, err = r.list(ctx, false, `WHERE status = ? ORDER BY answered_at DESC, id DESC LIMIT 50`, StatusAnswered)
	return open, answered, err
}

// Get returns one request with its texts opened.
func (r *Requests) Get(ctx context.Context, id int64) (*Request, error) {
	x, err := r.scanRequest(ctx, r.db.QueryRow(ctx, `SELECT `+requestColumns+` FROM privacy_requests WHERE id = ?`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "privacy.requests.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: request: %w", err)
	}
	return x, nil
}

// Open returns one request for administrator by to answer it, writing
// the view to the audit log first (clause 1.3: personal data is shown to
// the administration only with a stated purpose, every view audited).
func (r *Requests) Open(ctx context.Context, id, by, session int64) (*Request, error) {
	x, err := r.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := r.audit.Append(ctx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionReveal, TargetUserID: x.UserID,
		Purpose: "answer the data subject's request", Detail: "request " + strconv.FormatInt(id, 10)}); err != nil {
		return nil, fmt.Errorf("privacy: open request: %w", err)
	}
	return x, nil
}

// Answer closes request id with text, as done by administrator by from
// session, audited in the same transaction. An answered request cannot
// be answered again (apperr Conflict).
func (r *Requests) Answer(ctx context.Context, id int64, text string, by, session int64) (*Request, error) {
	return r.AnswerWith(ctx, id, text, ActNone, by, session)
}

// AnswerWith answers request id as Answer does and, in the same
// transaction, takes act on the account (one of ActsFor the request's
// type; apperr Invalid otherwise): block it, record a withdrawal of
// consent and block it, or lift its block, each audited.
func (r *Requests) AnswerWith(ctx context.Context, id int64, text, act string, by, session int64) (*Request, error) {
	var x *Request
	err := r.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		x, err = r.answerTx(ctx, tx, id, "", text, act, by, session)
		return err
	})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("privacy: answer request: %w", err)
	}
	return x, nil
}

// AnswerTx is Answer inside the caller's transaction: an administrator's
// deletion of the account closes its request there. With want set, the
// request must be of that type (apperr Conflict otherwise).
func (r *Requests) AnswerTx(ctx context.Context, tx *db.Tx, id int64, want RequestType, text string, by, session int64) (*Request, error) {
	return r.answerTx(ctx, tx, id, want, text, ActNone, by, session)
}

func (r *Requests) answerTx(ctx context.Context, tx *db.Tx, id int64, want RequestType, text, act string, by, session int64) (*Request, error) {
	text = cleanText(text)
	switch {
	case text == "":
		return nil, apperr.Field("answer", "privacy.requests.answer_required")
	case utf8.RuneCountInString(text) > MaxRequestText:
		return nil, apperr.Field("answer", "privacy.contacts.too_long", MaxRequestText)
	}
	x, err := r.scanRequest(ctx, tx.QueryRow(ctx, `SELECT `+requestColumns+` FROM privacy_requests WHERE id = ?`+db.ForUpdate(r.db.Engine()), id), false)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "privacy.requests.not_found")
	}
	if err != nil {
		return nil, err
	}
	if x.Status != StatusOpen {
		return nil, apperr.New(apperr.Conflict, "privacy.requests.already_answered")
	}
	if want != "" && x.Type != want {
		return nil, apperr.New(apperr.Conflict, "deletion.admin.not_delete")
	}
	if act != ActNone {
		if err := r.act(ctx, tx, x, act, by, session); err != nil {
			return nil, err
		}
	}
	key, err := r.v.UserKey(ctx, tx, x.UserID)
	if err != nil {
		return nil, err
	}
	now := r.now()
	if _, err := tx.Exec(ctx, `UPDATE privacy_requests SET status = ?, answered_at = ?, answered_by = ?, answer_enc = ? WHERE id = ? AND status = ?`,
		StatusAnswered, now.UnixMilli(), by, key.Seal(answerField(id), text), id, StatusOpen); err != nil {
		return nil, err
	}
	x.Status, x.AnsweredAt, x.AnsweredBy, x.Answer = StatusAnswered, time.UnixMilli(now.UnixMilli()), by, vault.NewSecret(text)
	late := ""
	if now.After(x.Due) {
		late = " late"
	}
	_, err = r.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionPrivacyAnswer,
		TargetUserID: x.UserID, Detail: fmt.Sprintf("request %d %s answered%s", id, x.Type, late)})
	return x, err
}

// act blocks or unblocks x's account as the answer to x.
func (r *Requests) act(ctx context.Context, tx *db.Tx, x *Request, act string, by, session int64) error {
	ok := false
	for _, a := range ActsFor(x.Type) {
		ok = ok || a == act
	}
	if !ok || r.Control == nil {
		return apperr.Field("act", "control.act.bad")
	}
	why := fmt.Sprintf("request %d %s", x.ID, x.Type)
	c := r.Control
	switch {
	case act == ActUnblock:
		_, err := c.setTx(ctx, tx, x.UserID, "", by, session, why)
		return err
	case x.Type == RequestWithdraw:
		key, err := r.v.UserKey(ctx, tx, x.UserID)
		if err != nil {
			return err
		}
		if _, err := c.consent.WithdrawTx(ctx, tx, key, x.UserID, consent.Meta{SessionID: session}); err != nil {
			return err
		}
		_, err = c.setTx(ctx, tx, x.UserID, account.BlockWithdrawn, by, session, why)
		return err
	default:
		_, err := c.setTx(ctx, tx, x.UserID, account.BlockRequest, by, session, why)
		return err
	}
}

// SetClock replaces the clock (tests of overdue requests).
func (r *Requests) SetClock(now func() time.Time) { r.now = now }
