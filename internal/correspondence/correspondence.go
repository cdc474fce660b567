// Package correspondence keeps the correspondence between the
// administration and users (clause 1.2 (a)): a user writes from
// /account/messages, a visitor from the contact form, administrators
// answer by email, and replies to that email come back over SMTP
// (inbound.go) into the same thread.
//
// Every subject, body and attachment is sealed by the vault: a user's
// thread under the user's data key (deleting the account shreds it with
// the rest of their data); a visitor's thread, whose writer has no
// account, under a data key of its own, stored like a user's in user_keys
// under the owner number -thread_id (column key_owner), so master key
// rotation re-wraps it and crypto-shredding works the same way.
//
// A thread's email carries a reply address reply+TOKEN@domain. Each
// answer makes a new random token for its thread; only SHA-256 of tokens
// is stored, so a database reader cannot forge a reply address, and an
// unknown token matches nothing.
//
// Addresses that bounced (a delivery-status notification received by the
// listener) are kept as blind indexes only (mail_undeliverable), and the
// Suppress decorator stops mailing them until the address is confirmed
// again.
package correspondence

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Who wrote a message.
const (
	AuthorUser     = "user"     // the thread's user (or visitor)
	AuthorAdmin    = "admin"    // an administrator
	ViaWeb         = "web"      // written on the site
	ViaEmail       = "email"    // received by the SMTP listener
	StatusOpen     = "open"     // waiting for the administration
	StatusAnswered = "answered" // the administration answered last
)

// Limits of what is written.
const (
	MaxSubjectRunes = 200
	MaxBodyRunes    = 20000
	// MaxAttachment bounds one attachment: it is sealed whole into the
	// database, so it stays small (the web form's body limit follows it).
	MaxAttachment = 5 << 20
)

// Service is the correspondence store.
type Service struct {
	db    *db.DB
	v     *vault.Vault
	audit *audit.Log
	now   func() time.Time
	// OwnerOf, when set, names the account an address belongs to (0 for
	// none), so that a bounce of a user's address is erased with the
	// account. serve sets it from the account service, which owns users.
	OwnerOf func(ctx context.Context, email string) int64
}

// New returns the service over d, sealing with v and recording reveals in a.
func New(d *db.DB, v *vault.Vault, a *audit.Log) *Service {
	return &Service{db: d, v: v, audit: a, now: time.Now}
}

// Attachment is one attached file, checked by the library's rules
// (CheckAttachment in the web layer, library.CheckAttachment).
type Attachment struct {
	Name, Kind string
	Data       []byte
}

// Message is one message of a thread, opened.
type Message struct {
	ID       int64
	ThreadID int64
	Author   string // AuthorUser or AuthorAdmin
	Via      string // ViaWeb or ViaEmail
	AuthorID int64
	At       time.Time
	Body     vault.Secret
	// AttName is the attachment's name; empty when there is none.
	AttName vault.Secret
	AttKind string
}

// Thread is one conversation. Subject, Email and Messages are filled only
// for its owner, for the export, and after an administrator's reveal.
type Thread struct {
	ID        int64
	UserID    int64 // 0 for a visitor's thread
	Lang      string
	Status    string
	Count     int
	CreatedAt time.Time
	UpdatedAt time.Time
	Subject   vault.Secret
	Email     vault.Secret // a visitor's address
	Messages  []Message
}

// Visitor reports whether the thread came from the contact form.
func (t *Thread) Visitor() bool { return t.UserID == 0 }

func threadField(col string, id int64) vault.Field {
	return vault.Field{Table: "corr_threads", Column: col, Row: id}
}

func messageField(col string, id int64) vault.Field {
	return vault.Field{Table: "corr_messages", Column: col, Row: id}
}

// clean checks a subject and a body: present, within bounds, valid UTF-8.
func clean(subject, body string, withSubject bool) (string, string, error) {
	var errs apperr.Fields
	subject = strings.TrimSpace(subject)
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if withSubject {
		switch {
		case subject == "" || !utf8.ValidString(subject):
			errs = append(errs, apperr.Field("subject", "corr.subject.required"))
		case utf8.RuneCountInString(subject) > MaxSubjectRunes || strings.ContainsAny(subject, "\r\n"):
			errs = append(errs, apperr.Field("subject", "corr.subject.long", MaxSubjectRunes))
		}
	}
	switch {
	case body == "" || !utf8.ValidString(body):
		errs = append(errs, apperr.Field("body", "corr.body.required"))
	case utf8.RuneCountInString(body) > MaxBodyRunes:
		errs = append(errs, apperr.Field("body", "corr.body.long", MaxBodyRunes))
	}
	return subject, body, errs.Err()
}

// newToken is a reply token: 160 random bits in lower-case base32, since
// mail systems may change the case of an address's local part.
func newToken() string {
	b := make([]byte, 20)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// tokenHash is how a token is stored and looked up.
func tokenHash(tok string) []byte { return vault.TokenHash("corr-reply|" + strings.ToLower(tok)) }

// Start opens a thread of a signed-in user with its first message.
func (s *Service) Start(ctx context.Context, userID int64, lang, subject, body string, att *Attachment) (int64, error) {
	subject, body, err := clean(subject, body, true)
	if err != nil {
		return 0, err
	}
	id := db.NewID()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		k, err := s.v.UserKey(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := s.insertThread(ctx, tx, k, id, userID, lang, subject, ""); err != nil {
			return err
		}
		return s.insertMessage(ctx, tx, k, id, AuthorUser, ViaWeb, userID, body, att)
	})
	if err != nil {
		return 0, fmt.Errorf("correspondence: start: %w", err)
	}
	return id, nil
}

// StartVisitor opens a thread from the contact form, under a data key of
// the thread's own.
func (s *Service) StartVisitor(ctx context.Context, email, lang, subject, body string) (int64, error) {
	subject, body, err := clean(subject, body, true)
	email = strings.TrimSpace(email)
	if e := validEmail(email); e != nil {
		var fs apperr.Fields
		errors.As(err, &fs)
		err = append(fs, e).Err()
	}
	if err != nil {
		return 0, err
	}
	id := db.NewID()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		k, err := s.v.NewUserKey(ctx, tx, -id)
		if err != nil {
			return err
		}
		if err := s.insertThread(ctx, tx, k, id, 0, lang, subject, email); err != nil {
			return err
		}
		return s.insertMessage(ctx, tx, k, id, AuthorUser, ViaWeb, 0, body, nil)
	})
	if err != nil {
		return 0, fmt.Errorf("correspondence: start (visitor): %w", err)
	}
	return id, nil
}

func validEmail(e string) *apperr.Error {
	at := strings.LastIndexByte(e, '@')
	if len(e) > 254 || at < 1 || at == len(e)-1 || strings.ContainsAny(e, " \t\r\n<>,;\"") || !strings.Contains(e[at:], ".") {
		return apperr.Field("email", "account.email.invalid")
	}
	return nil
}

func (s *Service) insertThread(ctx context.Context, tx *db.Tx, k *vault.UserKey, id, userID int64, lang, subject, email string) error {
	now := s.now().UnixMilli()
	_, err := tx.Exec(ctx, `INSERT INTO corr_threads (id, user_id, key_owner, subject_enc, email_enc, lang, status, messages, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`, id, userID, k.Owner(), k.Seal(threadField("subject", id), subject),
		k.Seal(threadField("email", id), email), lang, StatusOpen, now, now)
	return err
}

func (s *Service) insertMessage(ctx context.Context, tx *db.Tx, k *vault.UserKey, threadID int64, author, via string, authorID int64, body string, att *Attachment) error {
	id := db.NewID()
	now := s.now().UnixMilli()
	var attName, attData []byte
	kind := ""
	if att != nil {
		attName = k.Seal(messageField("att_name", id), att.Name)
		attData = k.Seal(messageField("att", id), string(att.Data))
		kind = att.Kind
	}
	if _, err := tx.Exec(ctx, `INSERT INTO corr_messages (id, thread_id, author, via, author_id, body_enc, att_name_enc, att_kind, att_enc, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, threadID, author, via, authorID,
		k.Seal(messageField("body", id), body), attName, kind, attData, now); err != nil {
		return err
	}
	status := StatusOpen
	if author == AuthorAdmin {
		status = StatusAnswered
	}
	_, err := tx.Exec(ctx, `UPDATE corr_threads SET messages = messages + 1, status = ?, updated_at = ? WHERE id = ?`, status, now, threadID)
	return err
}

// errNotFound is a thread that is not there or not the asker's: the same
// answer, so nobody learns which threads exist.
func errNotFound() error { return apperr.New(apperr.NotFound, "corr.thread.notfound") }

type threadRow struct {
	t        Thread
	keyOwner int64
	subject  []byte
	email    []byte
}

const threadCols = `id, user_id, key_owner, subject_enc, email_enc, lang, status, messages, created_at, updated_at`

func scanThread(sc interface{ Scan(...any) error }) (*threadRow, error) {
	var r threadRow
	var created, updated int64
	if err := sc.Scan(&r.t.ID, &r.t.UserID, &r.keyOwner, &r.subject, &r.email, &r.t.Lang, &r.t.Status, &r.t.Count, &created, &updated); err != nil {
		return nil, err
	}
	r.t.CreatedAt, r.t.UpdatedAt = db.Time(created), db.Time(updated)
	return &r, nil
}

func (s *Service) loadThread(ctx context.Context, q db.Querier, id int64) (*threadRow, error) {
	r, err := scanThread(q.QueryRow(ctx, `SELECT `+threadCols+` FROM corr_threads WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	return r, err
}

// open decrypts a thread's subject, address and messages.
func (s *Service) open(ctx context.Context, q db.Querier, r *threadRow) (*Thread, error) {
	k, err := s.v.ReadKey(ctx, q, r.keyOwner)
	if err != nil {
		return nil, err
	}
	t := r.t
	if t.Subject, err = k.Open(threadField("subject", t.ID), r.subject); err != nil {
		return nil, err
	}
	if t.Email, err = k.Open(threadField("email", t.ID), r.email); err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT id, author, via, author_id, body_enc, att_name_enc, att_kind, created_at FROM corr_messages
		WHERE thread_id = ? ORDER BY created_at, id`, t.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m := Message{ThreadID: t.ID}
		var body, name []byte
		var at int64
		if err := rows.Scan(&m.ID, &m.Author, &m.Via, &m.AuthorID, &body, &name, &m.AttKind, &at); err != nil {
			return nil, err
		}
		m.At = db.Time(at)
		if m.Body, err = k.Open(messageField("body", m.ID), body); err != nil {
			return nil, err
		}
		if m.AttName, err = k.Open(messageField("att_name", m.ID), name); err != nil {
			return nil, err
		}
		t.Messages = append(t.Messages, m)
	}
	return &t, rows.Err()
}

// Threads lists a user's threads with their subjects, newest first.
func (s *Service) Threads(ctx context.Context, userID int64) ([]Thread, error) {
	rows, err := s.db.Query(ctx, `SELECT `+threadCols+` FROM corr_threads WHERE user_id = ? AND user_id <> 0 ORDER BY updated_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("correspondence: threads: %w", err)
	}
	var rs []*threadRow
	for rows.Next() {
		r, err := scanThread(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("correspondence: threads: %w", err)
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("correspondence: threads: %w", err)
	}
	k, err := s.v.ReadKey(ctx, s.db, userID)
	if err != nil {
		return nil, fmt.Errorf("correspondence: threads: %w", err)
	}
	out := make([]Thread, 0, len(rs))
	for _, r := range rs {
		t := r.t
		if t.Subject, err = k.Open(threadField("subject", t.ID), r.subject); err != nil {
			return nil, fmt.Errorf("correspondence: threads: %w", err)
		}
		out = append(out, t)
	}
	return out, nil
}

// Thread is one of the user's threads, whole; NotFound for anyone else's.
func (s *Service) Thread(ctx context.Context, userID, id int64) (*Thread, error) {
	r, err := s.loadThread(ctx, s.db, id)
	if err == nil && (r.t.UserID != userID || userID == 0) {
		err = errNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("correspondence: thread: %w", err)
	}
	t, err := s.open(ctx, s.db, r)
	if err != nil {
		return nil, fmt.Errorf("correspondence: thread: %w", err)
	}
	return t, nil
}

// Export is every thread of the user, whole, for /account/export.json.
func (s *Service) Export(ctx context.Context, userID int64) ([]Thread, error) {
	ts, err := s.Threads(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]Thread, 0, len(ts))
	for _, x := range ts {
		t, err := s.Thread(ctx, userID, x.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, nil
}

// Reply adds a message of the user to their own thread from the site.
func (s *Service) Reply(ctx context.Context, userID, id int64, body string, att *Attachment) error {
	_, body, err := clean("", body, false)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.loadThread(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.t.UserID != userID || userID == 0 {
			return errNotFound()
		}
		k, err := s.v.UserKey(ctx, tx, r.keyOwner)
		if err != nil {
			return err
		}
		return s.insertMessage(ctx, tx, k, id, AuthorUser, ViaWeb, userID, body, att)
	})
	if err != nil {
		return fmt.Errorf("correspondence: reply: %w", err)
	}
	return nil
}

// Attachment opens the attachment of message msgID in the user's thread.
func (s *Service) Attachment(ctx context.Context, userID, threadID, msgID int64) (*Attachment, error) {
	r, err := s.loadThread(ctx, s.db, threadID)
	if err == nil && (r.t.UserID != userID || userID == 0) {
		err = errNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("correspondence: attachment: %w", err)
	}
	return s.attachment(ctx, r, msgID)
}

func (s *Service) attachment(ctx context.Context, r *threadRow, msgID int64) (*Attachment, error) {
	var name, data []byte
	var kind string
	err := s.db.QueryRow(ctx, `SELECT att_name_enc, att_kind, att_enc FROM corr_messages WHERE id = ? AND thread_id = ?`, msgID, r.t.ID).
		Scan(&name, &kind, &data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(data) == 0) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("correspondence: attachment: %w", err)
	}
	k, err := s.v.ReadKey(ctx, s.db, r.keyOwner)
	if err != nil {
		return nil, fmt.Errorf("correspondence: attachment: %w", err)
	}
	n, err := k.Open(messageField("att_name", msgID), name)
	if err != nil {
		return nil, fmt.Errorf("correspondence: attachment: %w", err)
	}
	d, err := k.Open(messageField("att", msgID), data)
	if err != nil {
		return nil, fmt.Errorf("correspondence: attachment: %w", err)
	}
	if d.IsZero() {
		return nil, errNotFound() // its owner was deleted
	}
	return &Attachment{Name: n.Reveal(), Kind: kind, Data: []byte(d.Reveal())}, nil
}

// EraseUser removes a deleted user's threads (account.Eraser); their
// content is unreadable already, as their data key is shredded.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM corr_messages WHERE thread_id IN (SELECT id FROM corr_threads WHERE user_id = ? AND user_id <> 0)`, userID); err != nil {
		return fmt.Errorf("correspondence: erase: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM corr_tokens WHERE thread_id IN (SELECT id FROM corr_threads WHERE user_id = ? AND user_id <> 0)`, userID); err != nil {
		return fmt.Errorf("correspondence: erase: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM mail_undeliverable WHERE user_id = ? AND user_id <> 0`, userID); err != nil {
		return fmt.Errorf("correspondence: erase: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM corr_threads WHERE user_id = ? AND user_id <> 0`, userID); err != nil {
		return fmt.Errorf("correspondence: erase: %w", err)
	}
	return nil
}
