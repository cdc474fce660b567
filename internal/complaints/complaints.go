// Package complaints is the register of complaints, disputes and
// official requests (clause 3.2; issue 12 §3): what arrived (by the
// public form, or a letter an administrator enters), from whom, about
// what, with which documents, by when it must be answered (working days
// of Kazakhstan, privacy.Rules), where it stands, and the answer, which
// goes to the person through the mail queue. Every step is in the audit
// log; every personal value is sealed by the vault.
package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Kinds of entries, in the order the forms offer them; each has a
// deadline rule in privacy.Rules.
var Kinds = []privacy.RequestType{privacy.RequestComplaint, privacy.RequestDispute, privacy.RequestOfficial}

// Channels an entry arrives by.
const (
	ChannelForm   = "form"   // the public form, signed in or not
	ChannelLetter = "letter" // a letter an administrator entered
)

// Statuses of an entry.
const (
	StatusReceived   = "received"
	StatusInProgress = "in_progress"
	StatusAnswered   = "answered"
	StatusClosed     = "closed"
)

// Limits of what is written.
const (
	MaxLine  = 200   // sender, contact, subject
	MaxText  = 20000 // the text, the parties, the answer
	MaxFiles = 5
	// MaxFile bounds one document: it is sealed whole into the database.
	MaxFile = 5 << 20
)

// File is one attached document, already checked by the library's file
// rules (library.CheckAttachment, in the web layer).
type File struct {
	ID   int64
	Name string
	Kind string
	Data []byte
}

// Input is what the form or the administrator's letter form gives.
type Input struct {
	Kind    privacy.RequestType
	Sender  string // a name, an organisation, a state body
	Contact string // an email address for the answer
	Parties string // the other parties of a dispute
	Subject string
	Text    string
	Lang    i18n.Lang
	// LetterDate is the date of a letter (administrators only), YYYY-MM-DD.
	LetterDate string
	// DueDate, when a letter sets its own date of answer, replaces the
	// rule's deadline (administrators only), YYYY-MM-DD.
	DueDate string
	Files   []File
}

// Complaint is one entry. The sealed fields are filled only for their
// owner, for the export, and after an administrator's audited reveal.
type Complaint struct {
	ID         int64
	Kind       privacy.RequestType
	Channel    string
	UserID     int64
	Lang       i18n.Lang
	Status     string
	LetterDate string
	ReceivedAt time.Time
	Due        time.Time
	EnteredBy  int64
	AnsweredAt time.Time
	AnsweredBy int64
	ClosedAt   time.Time
	Files      []File // names only until revealed (Data nil)

	Sender, Contact, Parties, Subject, Text, Answer vault.Secret
}

// Open reports whether the entry still waits for its answer.
func (c *Complaint) Open() bool { return c.Status == StatusReceived || c.Status == StatusInProgress }

// Overdue reports whether the entry is open past its deadline at now.
func (c *Complaint) Overdue(now time.Time) bool { return c.Open() && now.After(c.Due) }

// DueDay is the deadline's day in Kazakhstan.
func (c *Complaint) DueDay() string { return c.Due.In(privacy.Almaty).Format(privacy.DayLayout) }

// Recipient names an account's address and language (0 or "" when the
// account cannot be written to).
type Recipient func(ctx context.Context, userID int64) (string, i18n.Lang, error)

// TxMailer enqueues a message inside the caller's transaction
// (mailq.Queue).
type TxMailer interface {
	SendTx(ctx context.Context, tx *db.Tx, m mail.Message, opts ...mailq.Option) error
}

// Service is the register.
type Service struct {
	db       *db.DB
	v        *vault.Vault
	audit    *audit.Log
	holidays *privacy.Holidays
	mail     TxMailer
	// Recipient opens a signed-in complainant's address for the answer.
	Recipient Recipient
	now       func() time.Time
}

// New returns the register over d; answers go out through m.
func New(d *db.DB, v *vault.Vault, a *audit.Log, h *privacy.Holidays, m TxMailer) *Service {
	return &Service{db: d, v: v, audit: a, holidays: h, mail: m, now: time.Now}
}

// SetClock replaces the clock (tests of deadlines and escalation).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func field(col string, id int64) vault.Field {
	return vault.Field{Table: "complaints", Column: col, Row: id}
}

func fileField(col string, id int64) vault.Field {
	return vault.Field{Table: "complaint_files", Column: col, Row: id}
}

func validKind(k privacy.RequestType) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// line cleans a one-line field.
func line(s string) string { return strings.TrimSpace(s) }

// text cleans a multi-line field.
func text(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// ValidEmail reports whether e is one plain address (what the answer is
// mailed to).
func ValidEmail(e string) bool {
	if e == "" || len(e) > 254 || strings.ContainsAny(e, " \t\r\n<>,;\"") {
		return false
	}
	a, err := netmail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndexByte(e, '@'):], ".")
}

// Validate checks in as it comes from a form and cleans it in place;
// letter asks for what an administrator's entry needs (sender, the
// letter's date). All problems are returned together.
func (in *Input) Validate(letter, visitor bool, today string) error {
	var errs apperr.Fields
	in.Sender, in.Contact, in.Subject = line(in.Sender), line(in.Contact), line(in.Subject)
	in.Parties, in.Text = text(in.Parties), text(in.Text)
	in.LetterDate, in.DueDate = line(in.LetterDate), line(in.DueDate)
	if !validKind(in.Kind) {
		errs = append(errs, apperr.Field("kind", "complaints.kind.invalid"))
	}
	for name, v := range map[string]string{"sender": in.Sender, "contact": in.Contact, "subject": in.Subject} {
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > MaxLine || strings.ContainsAny(v, "\r\n") {
			errs = append(errs, apperr.Field(name, "complaints.line.long", MaxLine))
		}
	}
	for name, v := range map[string]string{"parties": in.Parties, "text": in.Text} {
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > MaxText {
			errs = append(errs, apperr.Field(name, "complaints.text.long", MaxText))
		}
	}
	if in.Subject == "" {
		errs = append(errs, apperr.Field("subject", "complaints.subject.required"))
	}
	if in.Text == "" {
		errs = append(errs, apperr.Field("text", "complaints.text.required"))
	}
	if (visitor || in.Contact != "") && !ValidEmail(in.Contact) {
		errs = append(errs, apperr.Field("contact", "complaints.contact.invalid"))
	}
	if letter {
		if in.Sender == "" {
			errs = append(errs, apperr.Field("sender", "complaints.sender.required"))
		}
		if d, err := time.Parse(privacy.DayLayout, in.LetterDate); err != nil || in.LetterDate > today || d.Year() < 2000 {
			errs = append(errs, apperr.Field("letter_date", "complaints.date.invalid"))
		}
		if in.DueDate != "" {
			if _, err := time.Parse(privacy.DayLayout, in.DueDate); err != nil || in.DueDate < today {
				errs = append(errs, apperr.Field("due_date", "complaints.date.invalid"))
			}
		}
	} else {
		in.LetterDate, in.DueDate = "", ""
	}
	if len(in.Files) > MaxFiles {
		errs = append(errs, apperr.Field("file", "complaints.files.many", MaxFiles))
	}
	return errs.Err()
}

// Submit registers an entry from the public form: userID is the
// signed-in complainant, 0 for a visitor (who must leave an address).
func (s *Service) Submit(ctx context.Context, userID int64, in Input) (*Complaint, error) {
	return s.create(ctx, userID, 0, 0, ChannelForm, in)
}

// Enter registers an entry an administrator copies from a letter,
// audited as theirs.
func (s *Service) Enter(ctx context.Context, by, session int64, in Input) (*Complaint, error) {
	return s.create(ctx, 0, by, session, ChannelLetter, in)
}

func (s *Service) create(ctx context.Context, userID, by, session int64, channel string, in Input) (*Complaint, error) {
	now := s.now()
	today := now.In(privacy.Almaty).Format(privacy.DayLayout)
	if err := in.Validate(channel == ChannelLetter, channel == ChannelForm && userID == 0, today); err != nil {
		return nil, err
	}
	if _, ok := i18n.Parse(string(in.Lang)); !ok {
		in.Lang = i18n.Default
	}
	cal, err := s.holidays.Calendar(ctx)
	if err != nil {
		return nil, fmt.Errorf("complaints: create: %w", err)
	}
	due, err := cal.Deadline(in.Kind, now)
	if err != nil {
		return nil, fmt.Errorf("complaints: create: %w", err)
	}
	if in.DueDate != "" {
		d, _ := time.ParseInLocation(privacy.DayLayout, in.DueDate, privacy.Almaty)
		due = d.AddDate(0, 0, 1).Add(-time.Second)
	}
	c := &Complaint{ID: db.NewID(), Kind: in.Kind, Channel: channel, UserID: userID, Lang: in.Lang, Status: StatusReceived,
		LetterDate: in.LetterDate, ReceivedAt: time.UnixMilli(now.UnixMilli()), Due: due, EnteredBy: by}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var k *vault.UserKey
		var err error
		if userID != 0 {
			k, err = s.v.UserKey(ctx, tx, userID)
		} else {
			k, err = s.v.NewUserKey(ctx, tx, -c.ID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO complaints (id, kind, channel, user_id, key_owner, lang, sender_enc, contact_enc, parties_enc,
			subject_enc, body_enc, letter_date, status, received_at, due_at, entered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, string(c.Kind), channel, userID, k.Owner(), string(c.Lang), k.Seal(field("sender", c.ID), in.Sender),
			k.Seal(field("contact", c.ID), in.Contact), k.Seal(field("parties", c.ID), in.Parties), k.Seal(field("subject", c.ID), in.Subject),
			k.Seal(field("body", c.ID), in.Text), in.LetterDate, StatusReceived, now.UnixMilli(), due.UnixMilli(), by); err != nil {
			return err
		}
		for _, f := range in.Files {
			fid := db.NewID()
			if _, err := tx.Exec(ctx, `INSERT INTO complaint_files (id, complaint_id, name_enc, kind, data_enc, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				fid, c.ID, k.Seal(fileField("name", fid), f.Name), f.Kind, k.Seal(fileField("data", fid), string(f.Data)), now.UnixMilli()); err != nil {
				return err
			}
			c.Files = append(c.Files, File{ID: fid, Kind: f.Kind})
		}
		actor := userID
		if by != 0 {
			actor = by
		}
		return s.appendAudit(ctx, tx, actor, session, userID, "", fmt.Sprintf("complaint %d %s received by %s, %d file(s), due %s", c.ID, c.Kind, channel, len(in.Files), c.DueDay()))
	})
	if err != nil {
		return nil, fmt.Errorf("complaints: create: %w", err)
	}
	return c, nil
}

func (s *Service) appendAudit(ctx context.Context, tx *db.Tx, actor, session, target int64, purpose, detail string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: actor, ActorSessionID: session, Action: audit.ActionComplaint,
		TargetUserID: target, Purpose: purpose, Detail: detail})
	return err
}

const columns = `id, kind, channel, user_id, key_owner, lang, status, letter_date, received_at, due_at, entered_by, answered_at, answered_by, closed_at,
	sender_enc, contact_enc, parties_enc, subject_enc, body_enc, answer_enc`

// row is a complaint as read, its sealed fields still sealed.
type row struct {
	c                                            Complaint
	keyOwner                                     int64
	sender, contact, parties, subject, body, ans []byte
}

func scan(sc interface{ Scan(...any) error }) (*row, error) {
	var r row
	var kind, lang string
	var rec, due, ans, closed int64
	if err := sc.Scan(&r.c.ID, &kind, &r.c.Channel, &r.c.UserID, &r.keyOwner, &lang, &r.c.Status, &r.c.LetterDate, &rec, &due,
		&r.c.EnteredBy, &ans, &r.c.AnsweredBy, &closed, &r.sender, &r.contact, &r.parties, &r.subject, &r.body, &r.ans); err != nil {
		return nil, err
	}
	r.c.Kind, r.c.Lang = privacy.RequestType(kind), i18n.Lang(lang)
	r.c.ReceivedAt, r.c.Due = time.UnixMilli(rec), time.UnixMilli(due)
	if ans != 0 {
		r.c.AnsweredAt = time.UnixMilli(ans)
	}
	if closed != 0 {
		r.c.ClosedAt = time.UnixMilli(closed)
	}
	return &r, nil
}

// open unseals r's fields with its key (a shredded key reads as empty).
func (s *Service) open(ctx context.Context, q db.Querier, r *row) (*Complaint, error) {
	k, err := s.v.ReadKey(ctx, q, r.keyOwner)
	if err != nil {
		return nil, err
	}
	c := r.c
	id := c.ID
	for _, f := range []struct {
		dst *vault.Secret
		col string
		enc []byte
	}{{&c.Sender, "sender", r.sender}, {&c.Contact, "contact", r.contact}, {&c.Parties, "parties", r.parties},
		{&c.Subject, "subject", r.subject}, {&c.Text, "body", r.body}, {&c.Answer, "answer", r.ans}} {
		if *f.dst, err = k.Open(field(f.col, id), f.enc); err != nil {
			return nil, err
		}
	}
	rows, err := q.Query(ctx, `SELECT id, name_enc, kind FROM complaint_files WHERE complaint_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	c.Files = nil
	for rows.Next() {
		var f File
		var name []byte
		if err := rows.Scan(&f.ID, &name, &f.Kind); err != nil {
			return nil, err
		}
		n, err := k.Open(fileField("name", f.ID), name)
		if err != nil {
			return nil, err
		}
		f.Name = n.Reveal()
		c.Files = append(c.Files, f)
	}
	return &c, rows.Err()
}

func (s *Service) get(ctx context.Context, q db.Querier, id int64, lock bool) (*row, error) {
	query := `SELECT ` + columns + ` FROM complaints WHERE id = ?`
	if lock {
		query += db.ForUpdate(s.db.Engine())
	}
	r, err := scan(q.QueryRow(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "complaints.not_found")
	}
	return r, err
}

// List returns the open entries, the nearest deadline first, then the
// 100 most recently answered or closed, without their content: an
// administrator opens one at a time (Reveal, audited).
func (s *Service) List(ctx context.Context) (open, done []Complaint, err error) {
	read := func(where string) ([]Complaint, error) {
		rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM complaints `+where)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []Complaint
		for rows.Next() {
			r, err := scan(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, r.c)
		}
		return out, rows.Err()
	}
	if open, err = read(`WHERE status IN ('received', 'in_progress') ORDER BY due_at, id`); err != nil {
		return nil, nil, fmt.Errorf("complaints: list: %w", err)
	}
	if done, err = read(`WHERE status IN ('answered', 'closed') ORDER BY received_at DESC, id DESC LIMIT 100`); err != nil {
		return nil, nil, fmt.Errorf("complaints: list: %w", err)
	}
	return open, done, nil
}

// Summary returns one entry without its content.
func (s *Service) Summary(ctx context.Context, id int64) (*Complaint, error) {
	r, err := s.get(ctx, s.db, id, false)
	if err != nil {
		return nil, wrap("summary", err)
	}
	c := r.c
	rows, err := s.db.Query(ctx, `SELECT id, kind FROM complaint_files WHERE complaint_id = ? ORDER BY created_at, id`, id)
	if err != nil {
		return nil, wrap("summary", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.Kind); err != nil {
			return nil, wrap("summary", err)
		}
		c.Files = append(c.Files, f)
	}
	return &c, wrap("summary", rows.Err())
}

// Reveal opens one entry to administrator by, who states the purpose;
// the view is in the audit log before anything is returned (clause 1.3).
func (s *Service) Reveal(ctx context.Context, id int64, purpose string, by, session int64) (*Complaint, error) {
	r, err := s.get(ctx, s.db, id, false)
	if err != nil {
		return nil, wrap("reveal", err)
	}
	if _, err := s.audit.Append(ctx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionReveal, TargetUserID: r.c.UserID,
		Purpose: purpose, Detail: "complaint " + strconv.FormatInt(id, 10)}); err != nil {
		return nil, wrap("reveal", err)
	}
	c, err := s.open(ctx, s.db, r)
	return c, wrap("reveal", err)
}

// RevealFile returns one attached document to administrator by, audited.
func (s *Service) RevealFile(ctx context.Context, id, fileID, by, session int64) (*File, error) {
	r, err := s.get(ctx, s.db, id, false)
	if err != nil {
		return nil, wrap("file", err)
	}
	f, err := s.file(ctx, r, fileID)
	if err != nil {
		return nil, wrap("file", err)
	}
	if _, err := s.audit.Append(ctx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionReveal, TargetUserID: r.c.UserID,
		Purpose: "read a document of the complaint", Detail: fmt.Sprintf("complaint %d file %d", id, fileID)}); err != nil {
		return nil, wrap("file", err)
	}
	return f, nil
}

// OwnFile returns a document of one of userID's own entries.
func (s *Service) OwnFile(ctx context.Context, userID, id, fileID int64) (*File, error) {
	r, err := s.get(ctx, s.db, id, false)
	if err == nil && (userID == 0 || r.c.UserID != userID) {
		err = apperr.New(apperr.NotFound, "complaints.not_found")
	}
	if err != nil {
		return nil, wrap("file", err)
	}
	f, err := s.file(ctx, r, fileID)
	return f, wrap("file", err)
}

func (s *Service) file(ctx context.Context, r *row, fileID int64) (*File, error) {
	var name, data []byte
	f := File{ID: fileID}
	err := s.db.QueryRow(ctx, `SELECT name_enc, kind, data_enc FROM complaint_files WHERE id = ? AND complaint_id = ?`, fileID, r.c.ID).
		Scan(&name, &f.Kind, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "complaints.not_found")
	}
	if err != nil {
		return nil, err
	}
	k, err := s.v.UserKey(ctx, s.db, r.keyOwner)
	if errors.Is(err, vault.ErrNoKey) {
		return nil, apperr.New(apperr.NotFound, "complaints.not_found")
	}
	if err != nil {
		return nil, err
	}
	n, err := k.Open(fileField("name", fileID), name)
	if err != nil {
		return nil, err
	}
	d, err := k.Open(fileField("data", fileID), data)
	if err != nil {
		return nil, err
	}
	f.Name, f.Data = n.Reveal(), []byte(d.Reveal())
	return &f, nil
}

// SetStatus moves an entry to in_progress or closes it, audited. An
// answered entry can only be closed; a closed one stays closed.
func (s *Service) SetStatus(ctx context.Context, id int64, status string, by, session int64) error {
	if status != StatusInProgress && status != StatusClosed {
		return apperr.Field("status", "complaints.status.invalid")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.get(ctx, tx, id, true)
		if err != nil {
			return err
		}
		from := r.c.Status
		if from == StatusClosed || from == status || status == StatusInProgress && from != StatusReceived {
			return apperr.New(apperr.Conflict, "complaints.status.conflict")
		}
		closed := int64(0)
		if status == StatusClosed {
			closed = s.now().UnixMilli()
		}
		if _, err := tx.Exec(ctx, `UPDATE complaints SET status = ?, closed_at = ? WHERE id = ?`, status, closed, id); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, by, session, r.c.UserID, "", fmt.Sprintf("complaint %d %s → %s", id, from, status))
	})
	return wrap("status", err)
}

// Answer stores the answer (sealed), marks the entry answered and
// enqueues the answer to the person's address in the same transaction,
// audited: the answer exists only if its email will be sent. An entry
// with no address (a letter without one, an account deleted since) is
// answered on paper; the register says so (the error complaints.
// answer.no_contact is not raised: the answer is kept either way).
func (s *Service) Answer(ctx context.Context, id int64, answer string, by, session int64) (mailed bool, err error) {
	answer = text(answer)
	switch {
	case answer == "":
		return false, apperr.Field("answer", "complaints.answer.required")
	case !utf8.ValidString(answer) || utf8.RuneCountInString(answer) > MaxText:
		return false, apperr.Field("answer", "complaints.text.long", MaxText)
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.get(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !r.c.Open() {
			return apperr.New(apperr.Conflict, "complaints.answer.done")
		}
		k, err := s.v.UserKey(ctx, tx, r.keyOwner)
		if err != nil {
			return err
		}
		c, err := s.open(ctx, tx, r)
		if err != nil {
			return err
		}
		to, lang := c.Contact.Reveal(), c.Lang
		if to == "" && c.UserID != 0 && s.Recipient != nil {
			if to, lang, err = s.Recipient(ctx, c.UserID); err != nil {
				return err
			}
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE complaints SET status = ?, answered_at = ?, answered_by = ?, answer_enc = ? WHERE id = ?`,
			StatusAnswered, now.UnixMilli(), by, k.Seal(field("answer", id), answer), id); err != nil {
			return err
		}
		if to != "" {
			if s.mail == nil {
				return errors.New("no mail queue")
			}
			m := answerMessage(lang, to, c, answer)
			m.Key = "complaints/answer/" + strconv.FormatInt(id, 10)
			if err := s.mail.SendTx(ctx, tx, m); err != nil {
				return err
			}
			mailed = true
		}
		late := ""
		if now.After(r.c.Due) {
			late = ", late"
		}
		return s.appendAudit(ctx, tx, by, session, r.c.UserID, "", fmt.Sprintf("complaint %d answered%s, mailed %t", id, late, mailed))
	})
	return mailed, wrap("answer", err)
}

// answerMessage is the email of an answer, in the complainant's language.
func answerMessage(l i18n.Lang, to string, c *Complaint, answer string) mail.Message {
	subject := i18n.T(l, "complaints.mail.subject", strconv.FormatInt(c.ID, 10))
	body := i18n.T(l, "mail.greeting") + "\n\n" + i18n.T(l, "complaints.mail.body", c.Subject.Reveal()) + "\n\n" + answer + "\n\n-- \n" + i18n.T(l, "mail.footer") + "\n"
	return mail.Message{To: to, Subject: subject, Text: body, Lang: l, Kind: "complaints.answer"}
}

// ForUser returns userID's own entries, newest first, opened.
func (s *Service) ForUser(ctx context.Context, userID int64) ([]Complaint, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM complaints WHERE user_id = ? AND user_id <> 0 ORDER BY received_at DESC, id DESC`, userID)
	if err != nil {
		return nil, wrap("for user", err)
	}
	var raw []*row
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("for user", err)
		}
		raw = append(raw, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("for user", err)
	}
	// Opened after the rows are closed: SQLite's single reader would
	// otherwise wait on itself.
	out := make([]Complaint, 0, len(raw))
	for _, r := range raw {
		c, err := s.open(ctx, s.db, r)
		if err != nil {
			return nil, wrap("for user", err)
		}
		out = append(out, *c)
	}
	return out, nil
}

// EraseUser empties, inside an account deletion's transaction (an
// account.Eraser), the user's entries: their words, documents and the
// answers go (the user's key is shredded as well); the rows stay — kind,
// dates, deadline, status — as the record that the site answered in time.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM complaint_files WHERE complaint_id IN (SELECT id FROM complaints WHERE user_id = ? AND user_id <> 0)`, userID); err != nil {
		return fmt.Errorf("complaints: erase user: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE complaints SET sender_enc = NULL, contact_enc = NULL, parties_enc = NULL, subject_enc = ?, body_enc = ?, answer_enc = NULL
		WHERE user_id = ? AND user_id <> 0`, []byte{}, []byte{}, userID); err != nil {
		return fmt.Errorf("complaints: erase user: %w", err)
	}
	return nil
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	var fs apperr.Fields
	if errors.As(err, &fs) {
		return err
	}
	return fmt.Errorf("complaints: %s: %w", op, err)
}
