package complaints_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Made-up personal values; the tests look for them in the database's
// bytes and never print them.
const (
	secretName    = "Әбілқасымова Гүлнұр"
	secretEmail   = "gulnur.visitor@example.kz"
	secretText    = "Менің материалымды рұқсатсыз көшірді"
	secretFile    = "шарт-көшірмесі.pdf"
	secretAnswer  = "Материал жабылды, кешірім сұраймыз"
	secretParties = "ЖШС «Мысал»"
)

type env struct {
	d      *db.DB
	v      *vault.Vault
	a      *audit.Log
	s      *complaints.Service
	outbox string
}

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, privacy.Almaty)
	if err != nil {
		panic(err)
	}
	return t
}

func dayOf(t time.Time) string { return t.In(privacy.Almaty).Format(privacy.DayLayout) }

// setup opens the register over d with a running mail queue whose
// transport writes .eml files into an outbox directory.
func setup(t *testing.T, d *db.DB) env {
	t.Helper()
	ctx := context.Background()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a := audit.New(d, v)
	outbox := t.TempDir()
	jq, err := jobs.New(d, jobs.Options{Poll: 20 * time.Millisecond, Lease: 5 * time.Second, Timeout: 10 * time.Second, Node: "t", Workers: 2,
		Backoff: func(int) time.Duration { return 50 * time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	mq := mailq.New(d, v, jq, mail.NewOutbox(outbox, ""), mailq.Options{})
	if err := mq.Register(ctx); err != nil {
		t.Fatal(err)
	}
	qctx, cancel := context.WithCancel(ctx)
	if err := jq.Start(qctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { jq.Stop(5 * time.Second); cancel() })
	s := complaints.New(d, v, a, privacy.NewHolidays(d, a), mq)
	return env{d: d, v: v, a: a, s: s, outbox: outbox}
}

// user makes an account row with a data key.
func (e env) user(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	id := db.NewID()
	err := e.d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, id, db.Now(), db.Now()); err != nil {
			return err
		}
		_, err := e.v.NewUserKey(ctx, tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// plaintextIn reports whether any sealed column of the register holds one
// of the secrets as bytes.
func plaintextIn(t *testing.T, d *db.DB, secrets ...string) bool {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`SELECT COALESCE(sender_enc, ''), COALESCE(contact_enc, ''), COALESCE(parties_enc, ''), subject_enc, body_enc, COALESCE(answer_enc, '') FROM complaints`,
		`SELECT name_enc, data_enc, kind, kind, kind, kind FROM complaint_files`,
	} {
		rows, err := d.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var cols [6][]byte
			if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]); err != nil {
				t.Fatal(err)
			}
			for _, c := range cols {
				for _, s := range secrets {
					if bytes.Contains(c, []byte(s)) {
						rows.Close()
						return true
					}
				}
			}
		}
		rows.Close()
	}
	return false
}

func auditCount(t *testing.T, a *audit.Log, action, detail string) int {
	t.Helper()
	es, err := a.List(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Action == action && strings.Contains(e.Detail, detail) {
			n++
		}
	}
	return n
}

// Issue 12 §3 (clause 3.2): a visitor's complaint by the form, a user's
// dispute and an official request an administrator enters from a letter
// are registered with their deadlines in working days of Kazakhstan
// (across Nauryz), sealed, in the audit log, and sorted by deadline.
func TestComplaintIntake(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		// Friday 20 March 2026: Nauryz (21–23) and its moved days off (24,
		// 25) follow; 15 working days end on Wednesday 15 April.
		e.s.SetClock(func() time.Time { return at("2026-03-20", "15:00") })
		visitor, err := e.s.Submit(ctx, 0, complaints.Input{Kind: privacy.RequestComplaint, Sender: secretName, Contact: secretEmail,
			Subject: "Көшірме", Text: secretText, Lang: i18n.KK,
			Files: []complaints.File{{Name: secretFile, Kind: "pdf", Data: []byte("%PDF-1.4 " + secretText)}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := dayOf(visitor.Due); got != "2026-04-15" {
			t.Errorf("complaint due %s, want 2026-04-15", got)
		}
		user := e.user(t)
		dispute, err := e.s.Submit(ctx, user, complaints.Input{Kind: privacy.RequestDispute, Parties: secretParties, Subject: "Авторлық", Text: secretText, Lang: i18n.RU})
		if err != nil {
			t.Fatal(err)
		}
		// The body's letter sets its own date of answer: it replaces the rule.
		e.s.SetClock(func() time.Time { return at("2026-03-23", "10:00") })
		official, err := e.s.Enter(ctx, 77, 78, complaints.Input{Kind: privacy.RequestOfficial, Sender: "Цифрлық даму министрлігі",
			Subject: "Сұрау", Text: secretText, LetterDate: "2026-03-19", DueDate: "2026-03-27"})
		if err != nil {
			t.Fatal(err)
		}
		if got := dayOf(official.Due); got != "2026-03-27" {
			t.Errorf("official request due %s, want the letter's 2026-03-27", got)
		}
		if plaintextIn(t, d, secretName, secretEmail, secretText, secretFile, secretParties) {
			t.Errorf("a personal value is stored in plaintext")
		}
		open, _, err := e.s.List(ctx)
		if err != nil || len(open) != 3 {
			t.Fatalf("register: %d entries, %v", len(open), err)
		}
		if open[0].ID != official.ID || !open[0].Subject.IsZero() {
			t.Errorf("the register is not sorted by deadline, or shows content")
		}
		if !open[0].Overdue(at("2026-03-28", "00:01")) || open[0].Overdue(at("2026-03-27", "23:00")) {
			t.Errorf("overdue is wrong around the deadline")
		}
		if n := auditCount(t, e.a, audit.ActionComplaint, "received by"); n != 3 {
			t.Errorf("%d intake entries in the audit log, want 3", n)
		}
		// The administrator opens one: the view is audited first.
		c, err := e.s.Reveal(ctx, visitor.ID, "answer the complaint", 77, 78)
		if err != nil || c.Text.Reveal() != secretText || c.Contact.Reveal() != secretEmail || len(c.Files) != 1 || c.Files[0].Name != secretFile {
			t.Fatalf("reveal: %v", err)
		}
		f, err := e.s.RevealFile(ctx, visitor.ID, c.Files[0].ID, 77, 78)
		if err != nil || !bytes.HasPrefix(f.Data, []byte("%PDF")) {
			t.Fatalf("document: %v", err)
		}
		if n := auditCount(t, e.a, audit.ActionReveal, "complaint "); n != 2 {
			t.Errorf("%d reveals in the audit log, want 2", n)
		}
		// The user sees their own, opened; nobody else's.
		mine, err := e.s.ForUser(ctx, user)
		if err != nil || len(mine) != 1 || mine[0].ID != dispute.ID || mine[0].Parties.Reveal() != secretParties {
			t.Fatalf("user's list: %+v, %v", len(mine), err)
		}
		if _, err := e.s.OwnFile(ctx, user, visitor.ID, c.Files[0].ID); err == nil {
			t.Errorf("a user downloads another's document")
		}
	})
}

// Bad input is refused with a message in kk, ru and en, and nothing is
// written.
func TestComplaintBadInputRefused(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		e.s.SetClock(func() time.Time { return at("2026-03-20", "15:00") })
		cases := []struct {
			name   string
			letter bool
			in     complaints.Input
			field  string
		}{
			{"no contact from a visitor", false, complaints.Input{Kind: privacy.RequestComplaint, Subject: "s", Text: "t"}, "contact"},
			{"bad address", false, complaints.Input{Kind: privacy.RequestComplaint, Contact: "not an address", Subject: "s", Text: "t"}, "contact"},
			{"unknown kind", false, complaints.Input{Kind: "gossip", Contact: secretEmail, Subject: "s", Text: "t"}, "kind"},
			{"empty text", false, complaints.Input{Kind: privacy.RequestComplaint, Contact: secretEmail, Subject: "s", Text: "  "}, "text"},
			{"long subject", false, complaints.Input{Kind: privacy.RequestComplaint, Contact: secretEmail, Subject: strings.Repeat("ә", 201), Text: "t"}, "subject"},
			{"letter without sender", true, complaints.Input{Kind: privacy.RequestOfficial, Subject: "s", Text: "t", LetterDate: "2026-03-19"}, "sender"},
			{"letter from the future", true, complaints.Input{Kind: privacy.RequestOfficial, Sender: "x", Subject: "s", Text: "t", LetterDate: "2026-04-01"}, "letter_date"},
			{"due date in the past", true, complaints.Input{Kind: privacy.RequestOfficial, Sender: "x", Subject: "s", Text: "t", LetterDate: "2026-03-19", DueDate: "2026-03-01"}, "due_date"},
		}
		for _, c := range cases {
			var err error
			if c.letter {
				_, err = e.s.Enter(ctx, 77, 78, c.in)
			} else {
				_, err = e.s.Submit(ctx, 0, c.in)
			}
			var fs apperr.Fields
			if !errors.As(err, &fs) {
				t.Fatalf("%s: %v, want field errors", c.name, err)
			}
			found := false
			for _, f := range fs {
				if f.Field != c.field {
					continue
				}
				found = true
				msgs := map[string]bool{}
				for _, l := range i18n.Langs {
					m := i18n.T(l, f.Key, f.Args...)
					if m == "" || m == f.Key || strings.Contains(m, "%!") {
						t.Errorf("%s: no %s message for %s", c.name, l, f.Key)
					}
					msgs[m] = true
				}
				if len(msgs) != len(i18n.Langs) {
					t.Errorf("%s: the languages share a message", c.name)
				}
			}
			if !found {
				t.Errorf("%s: no error on %s (%v)", c.name, c.field, fs)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM complaints`) + count(t, d, `SELECT COUNT(*) FROM complaint_files`); n != 0 {
			t.Errorf("%d rows written for refused input", n)
		}
	})
}

// readOutbox returns the text of the delivered .eml files, decoded.
func readOutbox(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		var body io.Reader = m.Body
		switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			body = quotedprintable.NewReader(m.Body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, m.Body)
		}
		b, _ := io.ReadAll(body)
		out = append(out, m.Header.Get("To")+"\n"+subject+"\n"+string(b))
	}
	return out
}

// The answer is kept sealed and mailed to the person through the mail
// queue, in the same transaction; a second answer is refused; the
// entry is closed after; every step is audited.
func TestComplaintAnswerByEmail(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		c, err := e.s.Submit(ctx, 0, complaints.Input{Kind: privacy.RequestComplaint, Contact: secretEmail, Subject: "Көшірме", Text: secretText, Lang: i18n.KK})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.s.SetStatus(ctx, c.ID, complaints.StatusInProgress, 77, 78); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Answer(ctx, c.ID, " ", 77, 78); err == nil {
			t.Fatalf("an empty answer is accepted")
		}
		mailed, err := e.s.Answer(ctx, c.ID, secretAnswer, 77, 78)
		if err != nil || !mailed {
			t.Fatalf("answer: mailed %v, %v", mailed, err)
		}
		if _, err := e.s.Answer(ctx, c.ID, "again", 77, 78); err == nil {
			t.Errorf("a second answer is accepted")
		}
		deadline := time.Now().Add(time.Minute)
		var got []string
		for len(got) == 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			got = readOutbox(t, e.outbox)
		}
		if len(got) != 1 || !strings.Contains(got[0], secretEmail) || !strings.Contains(got[0], secretAnswer) || !strings.Contains(got[0], "өтінішіңізге жауап") {
			t.Fatalf("the answer's email was not delivered in Kazakh (%d messages)", len(got))
		}
		if plaintextIn(t, d, secretAnswer, secretEmail) {
			t.Errorf("the answer is stored in plaintext")
		}
		if err := e.s.SetStatus(ctx, c.ID, complaints.StatusClosed, 77, 78); err != nil {
			t.Fatal(err)
		}
		if err := e.s.SetStatus(ctx, c.ID, complaints.StatusInProgress, 77, 78); err == nil {
			t.Errorf("a closed entry reopened")
		}
		for _, want := range []string{"received by form", "received → in_progress", "answered, mailed true", "answered → closed"} {
			if auditCount(t, e.a, audit.ActionComplaint, want) != 1 {
				t.Errorf("no audit entry %q", want)
			}
		}
	})
}

// Overdue complaints and reports are escalated to the administrators by
// email once per item and day, however often the job runs.
func TestOverdueEscalatedOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		e.s.SetClock(func() time.Time { return at("2026-03-02", "10:00") })
		if _, err := e.s.Submit(ctx, 0, complaints.Input{Kind: privacy.RequestComplaint, Contact: secretEmail, Subject: "s", Text: secretText}); err != nil {
			t.Fatal(err)
		}
		report := complaints.Item{ID: 4242, Kind: "report", What: "copyright", Due: at("2026-03-05", "23:59")}
		esc := complaints.Escalation{
			Reports: func(ctx context.Context, now time.Time) ([]complaints.Item, error) {
				if now.After(report.Due) {
					return []complaints.Item{report}, nil
				}
				return nil, nil
			},
			Admins: func(context.Context) ([]complaints.Admin, error) {
				return []complaints.Admin{{Email: "admin.one@example.kz", Lang: i18n.RU}, {Email: "admin.two@example.kz", Lang: i18n.KK}}, nil
			},
			Link: func() string { return "https://smartustaz.example/admin/complaints" },
		}
		mails := func() int { return count(t, d, `SELECT COUNT(*) FROM mail_queue WHERE kind = 'complaints.escalate'`) }
		// 6 March: only the report is overdue (the complaint is due 27 March, after Nauryz).
		e.s.SetClock(func() time.Time { return at("2026-03-06", "09:00") })
		for range 3 {
			if _, err := e.s.Escalate(ctx, esc); err != nil {
				t.Fatal(err)
			}
		}
		if mails() != 2 {
			t.Fatalf("%d escalation emails on the first day, want one per administrator", mails())
		}
		// 31 March: both overdue; the report again (a new day), the
		// complaint for the first time; one email per administrator.
		e.s.SetClock(func() time.Time { return at("2026-03-31", "09:00") })
		n, err := e.s.Escalate(ctx, esc)
		if err != nil || n != 2 {
			t.Fatalf("escalated %d, %v; want 2", n, err)
		}
		if n, _ := e.s.Escalate(ctx, esc); n != 0 || mails() != 4 {
			t.Errorf("a second run the same day escalated %d, %d emails in all", n, mails())
		}
		if auditCount(t, e.a, audit.ActionComplaint, "escalated") != 2 {
			t.Errorf("escalations are not in the audit log")
		}
	})
}

// An account's deletion empties its complaints' content; the rows stay
// as the record of deadlines met.
func TestComplaintsErasedWithAccount(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		user := e.user(t)
		if _, err := e.s.Submit(ctx, user, complaints.Input{Kind: privacy.RequestDispute, Subject: "s", Text: secretText,
			Files: []complaints.File{{Name: secretFile, Kind: "pdf", Data: []byte("%PDF")}}}); err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return complaints.EraseUser(ctx, tx, user) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM complaint_files`); n != 0 {
			t.Errorf("%d documents left", n)
		}
		var body []byte
		if err := d.QueryRow(ctx, `SELECT body_enc FROM complaints WHERE user_id = ?`, user).Scan(&body); err != nil || len(body) != 0 {
			t.Errorf("the text is left (%d bytes, %v)", len(body), err)
		}
	})
}
