package mailq_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mail/mailtest"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The test recipient; never printed.
const rcpt = "мұғалім.тест@example.kz"

// kazakhSubject has every letter of the Kazakh alphabet beyond Russian's.
const kazakhSubject = "Әңгіме: ғылым, құқық, өнер, ұстаз, үміт, һ, і"

// TestMain runs the child node of TestKilledInTheMiddleOfABatch when
// asked to: a serve process's mail queue, killed by the test.
func TestMain(m *testing.M) {
	if os.Getenv("MAILQ_TEST_CHILD") != "" {
		if err := runChild(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// openVault opens a vault with its key file in dir.
func openVault(t testing.TB, d *db.DB, dir string) *vault.Vault {
	t.Helper()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// jobOptions are quick: polls every 20 ms, retries after 50 ms.
func jobOptions(node string) jobs.Options {
	return jobs.Options{Poll: 20 * time.Millisecond, Lease: 5 * time.Second, Timeout: 10 * time.Second,
		Node: node, Workers: 2, Backoff: func(int) time.Duration { return 50 * time.Millisecond }}
}

// newQueue makes a node's mail queue over d delivering through out; with
// start, its job queue runs until the test ends.
func newQueue(t testing.TB, d *db.DB, v *vault.Vault, out mail.Sender, o mailq.Options, jo jobs.Options, start bool) *mailq.Queue {
	t.Helper()
	jq, err := jobs.New(d, jo)
	if err != nil {
		t.Fatal(err)
	}
	mq := mailq.New(d, v, jq, out, o)
	if err := mq.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	if start {
		ctx, cancel := context.WithCancel(context.Background())
		if err := jq.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { jq.Stop(5 * time.Second); cancel() })
	}
	return mq
}

// smtpSender delivers to srv as user:pass, trusting its certificate.
func smtpSender(t testing.TB, srv *mailtest.Server, scheme, user, pass, query string) *mail.SMTP {
	t.Helper()
	u, err := url.Parse(scheme + "://" + url.UserPassword(user, pass).String() + "@" + srv.Addr + query)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mail.NewSMTP(u, "")
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	s.TLSConfig = srv.ClientTLS
	return s
}

// eventually polls cond for at most a minute.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func counts(t testing.TB, q *mailq.Queue) mailq.Counts {
	t.Helper()
	c, err := q.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// parsed is a received message, decoded.
type parsed struct {
	Subject, MessageID, Text, HTML, ListUnsubscribe string
}

func parse(t testing.TB, raw []byte) parsed {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("received message does not parse: %v", err)
	}
	var p parsed
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	p.MessageID = strings.Trim(m.Header.Get("Message-Id"), "<>")
	p.ListUnsubscribe = m.Header.Get("List-Unsubscribe")
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("part: %v", err)
		}
		var r io.Reader = part
		switch part.Header.Get("Content-Transfer-Encoding") {
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, part)
		case "quoted-printable":
			r = quotedprintable.NewReader(part)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("part body: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Text = string(b)
		case "text/html":
			p.HTML = string(b)
		}
	}
	return p
}

// messageIDs returns the Message-IDs the queue gave its messages.
func messageIDs(t testing.TB, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT message_id FROM mail_queue ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// receivedOnce checks that srv received exactly the queue's messages,
// each once (by Message-ID).
func receivedOnce(t testing.TB, d *db.DB, srv *mailtest.Server) {
	t.Helper()
	want := messageIDs(t, d)
	var got []string
	for _, r := range srv.Received() {
		got = append(got, parse(t, r.Data).MessageID)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the server received %d messages (%d distinct), the queue holds %d: each must arrive exactly once",
			len(got), len(slices.Compact(slices.Clone(got))), len(want))
	}
}

// TestQueueDeliversKazakhOverTLS, on both engines, over STARTTLS and
// implicit TLS with authentication: a message enqueued in Kazakh arrives
// with its subject and both parts intact, its Message-ID is the one the
// queue gave it, and it is marked sent with its personal fields wiped.
func TestQueueDeliversKazakhOverTLS(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		v := openVault(t, d, t.TempDir())
		for _, tc := range []struct {
			name   string
			mode   mailtest.Mode
			scheme string
		}{{"starttls", mailtest.StartTLS, "smtp"}, {"smtps", mailtest.Implicit, "smtps"}} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := d.Exec(context.Background(), `DELETE FROM mail_queue`); err != nil {
					t.Fatal(err)
				}
				srv := (&mailtest.Server{User: "portal", Pass: "s3cret"}).Start(t, tc.mode)
				q := newQueue(t, d, v, smtpSender(t, srv, tc.scheme, "portal", "s3cret", ""), mailq.Options{}, jobOptions("n1"), true)

				m := mail.VerifyEmail(i18n.KK, rcpt, "https://smartustaz.example.kz/verify?token=ә")
				m.Subject = kazakhSubject
				m.Text = "Құрметті ұстаз! Өтінішіңіз қабылданды: ғ, қ, ң, ө, ұ, ү, һ, і, ә.\n"
				if err := q.Send(context.Background(), m); err != nil {
					t.Fatal(err)
				}
				eventually(t, "the message sent", func() bool { return counts(t, q).Sent == 1 })
				got := srv.Received()
				if len(got) != 1 {
					t.Fatalf("server received %d messages, want 1", len(got))
				}
				if !got[0].TLS || got[0].User != "portal" {
					t.Errorf("TLS %v, authenticated as %q: want TLS and portal", got[0].TLS, got[0].User)
				}
				if len(got[0].To) != 1 || got[0].To[0] != rcpt {
					t.Error("RCPT TO is not the recipient")
				}
				p := parse(t, got[0].Data)
				if p.Subject != kazakhSubject {
					t.Errorf("subject = %q, want %q", p.Subject, kazakhSubject)
				}
				if p.Text != strings.ReplaceAll(m.Text, "\n", "\r\n") {
					t.Errorf("text part = %q", p.Text)
				}
				if !strings.Contains(p.HTML, "lang=\"kk\"") {
					t.Error("no Kazakh HTML part")
				}
				if ids := messageIDs(t, d); len(ids) != 1 || ids[0] != p.MessageID {
					t.Errorf("Message-ID %q is not the queue's %v", p.MessageID, ids)
				}
				var rc, body []byte
				if err := d.QueryRow(context.Background(), `SELECT rcpt, body_text FROM mail_queue`).Scan(&rc, &body); err != nil {
					t.Fatal(err)
				}
				if rc != nil || body != nil {
					t.Error("a sent message keeps its sealed recipient or body")
				}
			})
		}
	})
}

// TestQueueAuthenticationFailure, on both engines: a server that refuses
// the credentials (535) fails the message at once, with the server's
// answer as its reason and no address in it.
func TestQueueAuthenticationFailure(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv := (&mailtest.Server{User: "portal", Pass: "s3cret"}).Start(t, mailtest.StartTLS)
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, smtpSender(t, srv, "smtp", "portal", "wrong", ""), mailq.Options{}, jobOptions("n1"), true)
		if err := q.Send(context.Background(), mail.PasswordChanged(i18n.RU, rcpt)); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the message failed", func() bool { return counts(t, q).Failed == 1 })
		list, err := q.Recent(context.Background(), mailq.StatusFailed, 10)
		if err != nil {
			t.Fatal(err)
		}
		e := list[0]
		if e.Attempts != 1 || !strings.Contains(e.Reason, "authentication") || !strings.Contains(e.Reason, "535") {
			t.Errorf("failed after %d attempts with reason %q; want 1 attempt, authentication, 535", e.Attempts, e.Reason)
		}
		if strings.Contains(e.Reason, "@") || strings.Contains(e.Reason, "wrong") {
			t.Error("the reason shows an address or the password")
		}
		if e.Kind != "password_changed" || e.Lang != "ru" {
			t.Errorf("kind %q lang %q", e.Kind, e.Lang)
		}
		if srv.Count() != 0 {
			t.Error("the server accepted a message without authentication")
		}
	})
}

// TestQueueRefusedRecipientFailsAtOnce, on both engines: a 550 for the
// address is permanent; the server quotes the address, the reason does not.
func TestQueueRefusedRecipientFailsAtOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv := (&mailtest.Server{RefuseRcpt: true}).Start(t, mailtest.Plain)
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, smtpSender(t, srv, "smtp", "", "", "?starttls=none"), mailq.Options{}, jobOptions("n1"), true)
		if err := q.Send(context.Background(), mail.PasswordChanged(i18n.EN, rcpt)); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the message failed", func() bool { return counts(t, q).Failed == 1 })
		list, _ := q.Recent(context.Background(), "", 10)
		if list[0].Attempts != 1 || !strings.Contains(list[0].Reason, "550") || strings.Contains(list[0].Reason, "@") {
			t.Errorf("attempts %d, reason %q: want one attempt, 550, no address", list[0].Attempts, list[0].Reason)
		}
	})
}

// TestQueueServerDownThenBack, on both engines: messages enqueued while
// the mail server is down are retried with backoff, and once it is back
// every one arrives exactly once.
func TestQueueServerDownThenBack(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv := (&mailtest.Server{}).Start(t, mailtest.Plain)
		srv.Stop()
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, smtpSender(t, srv, "smtp", "", "", "?starttls=none"), mailq.Options{}, jobOptions("n1"), true)
		const n = 20
		for i := range n {
			if err := q.Send(context.Background(), mail.VerifyEmail(i18n.KK, rcpt, fmt.Sprintf("https://x.kz/v?%d", i))); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "retries while the server is down", func() bool {
			list, _ := q.Recent(context.Background(), "", n)
			for _, e := range list {
				if e.Attempts < 2 || !strings.Contains(e.Reason, "connect") {
					return false
				}
			}
			return len(list) == n
		})
		if c := counts(t, q); c.Pending != n {
			t.Fatalf("while the server is down: %+v, want all %d pending", c, n)
		}
		srv.Restart()
		eventually(t, "every message sent", func() bool { return counts(t, q).Sent == n })
		receivedOnce(t, d, srv)
	})
}

// TestQueueRetryWindowThenAdministratorRetry, on both engines: a message
// still not delivered when its retry window ends is marked failed with
// the last reason; the administrator's retry sends it once the server is
// back.
func TestQueueRetryWindowThenAdministratorRetry(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv := (&mailtest.Server{}).Start(t, mailtest.Plain)
		srv.Stop()
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, smtpSender(t, srv, "smtp", "", "", "?starttls=none"),
			mailq.Options{RetryFor: 300 * time.Millisecond}, jobOptions("n1"), true)
		if err := q.Send(context.Background(), mail.PasswordChanged(i18n.KK, rcpt)); err != nil {
			t.Fatal(err)
		}
		eventually(t, "failed after the retry window", func() bool { return counts(t, q).Failed == 1 })
		list, _ := q.Recent(context.Background(), mailq.StatusFailed, 1)
		if list[0].Attempts < 2 || !strings.Contains(list[0].Reason, "connect") {
			t.Errorf("attempts %d reason %q: want retries, then the connection's failure", list[0].Attempts, list[0].Reason)
		}
		srv.Restart()
		if n, err := q.Retry(context.Background(), 0); err != nil || n != 1 {
			t.Fatalf("retry: %d, %v", n, err)
		}

		eventually(t, "sent after the retry", func() bool { return counts(t, q).Sent == 1 })
		receivedOnce(t, d, srv)
	})
}

// TestQueueIdempotency, on both engines: a message with a key already
// enqueued is not enqueued again, and a message marked sent is never
// handed to the server again, whoever runs its job.
func TestQueueIdempotency(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := (&mailtest.Server{}).Start(t, mailtest.Plain)
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, smtpSender(t, srv, "smtp", "", "", "?starttls=none"), mailq.Options{}, jobOptions("n1"), true)
		m := mail.AgreementChanged(i18n.KK, rcpt, "https://x.kz/agreement/agreement/2")
		m.Key = "announce/agreement/2/user/42"
		for range 3 {
			if err := q.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "sent", func() bool { return counts(t, q).Sent == 1 })
		if err := q.Send(ctx, m); err != nil { // after it was sent, too
			t.Fatal(err)
		}
		var id int64
		if err := d.QueryRow(ctx, `SELECT id FROM mail_queue`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if err := q.Deliver(ctx, id); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if c := counts(t, q); c.Sent != 1 || c.Pending != 0 || srv.Count() != 1 {
			t.Fatalf("%+v, server received %d: want one message sent once", c, srv.Count())
		}
		// A different key is another message.
		m.Key = "announce/agreement/2/user/43"
		if err := q.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the second sent", func() bool { return counts(t, q).Sent == 2 })
		receivedOnce(t, d, srv)
	})
}

// TestQueueRefusesBadAddress: an address that is not one is refused when
// enqueued, nothing written.
func TestQueueRefusesBadAddress(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, mail.NewOutbox(t.TempDir(), ""), mailq.Options{}, jobOptions("n1"), false)
		if err := q.Send(context.Background(), mail.PasswordChanged(i18n.KK, "not an address")); err != mail.ErrRecipient {
			t.Fatalf("err = %v, want mail.ErrRecipient", err)
		}
		if c := counts(t, q); c != (mailq.Counts{}) {
			t.Fatalf("%+v written", c)
		}
	})
}

// TestQueueStoresNoPlaintext, on both engines: the database holds neither
// the recipient nor the subject nor the body of a queued message — not in
// the queue's table, not in the jobs' arguments, not (SQLite) anywhere in
// the database file.
func TestQueueStoresNoPlaintext(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		v := openVault(t, d, dir)
		q := newQueue(t, d, v, mail.NewOutbox(t.TempDir(), ""), mailq.Options{}, jobOptions("n1"), false)
		const addr, subject, body = "plaintext.canary@example.kz", "CanarySubjectҚ", "CanaryBodyӘ"
		m := mail.Message{To: addr, Subject: subject, Text: body, HTML: "<p>" + body + "</p>", Lang: i18n.KK, Kind: "test"}
		if err := q.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		canaries := []string{addr, "plaintext.canary", subject, body}
		for _, table := range []string{"mail_queue", "river_job"} {
			rows, err := d.Query(ctx, `SELECT * FROM `+table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			n := 0
			for rows.Next() {
				n++
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, val := range vals {
					s := fmt.Sprint(val)
					if b, ok := val.([]byte); ok {
						s = string(b)
					}
					for _, c := range canaries {
						if strings.Contains(s, c) {
							t.Errorf("%s.%s holds a personal value in plaintext", table, cols[i])
						}
					}
				}
			}
			rows.Close()
			if n == 0 {
				t.Fatalf("%s is empty: the message was not queued", table)
			}
		}
		if d.Engine() == db.SQLite {
			if err := d.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob(filepath.Join(filepath.Dir(sqlitePath(t, d)), "*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					continue
				}
				for _, c := range canaries {
					if bytes.Contains(b, []byte(c)) {
						t.Errorf("the database file %s holds a personal value in plaintext", filepath.Base(f))
					}
				}
			}
		}
	})
}

// sqlitePath is the file of a SQLite database.
func sqlitePath(t testing.TB, d *db.DB) string {
	t.Helper()
	var seq int
	var name, file string
	if err := d.QueryRow(context.Background(), `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestBulkIsPacedAcrossNodes, on both engines: two nodes send a bulk
// send of 10 messages at 10 a second together, not each; the progress
// shows it whole.
func TestBulkIsPacedAcrossNodes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := (&mailtest.Server{}).Start(t, mailtest.Plain)
		v := openVault(t, d, t.TempDir())
		out := smtpSender(t, srv, "smtp", "", "", "?starttls=none")
		o := mailq.Options{Rate: 10}
		q := newQueue(t, d, v, out, o, jobOptions("a"), false)
		const n = 10
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := q.BeginBulk(ctx, tx, "agreement/agreement/2", "agreement"); err != nil {
				return err
			}
			for i := range n {
				m := mail.AgreementChanged(i18n.KK, rcpt, "https://x.kz/agreement/agreement/2")
				m.Key = fmt.Sprintf("bulk-test/%d", i)
				if err := q.SendTx(ctx, tx, m, mailq.Bulk("agreement/agreement/2")); err != nil {
					return err
				}
			}
			return q.EndBulk(ctx, tx, "agreement/agreement/2")
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		newQueue(t, d, v, out, o, jobOptions("a"), true)
		newQueue(t, d, v, out, o, jobOptions("b"), true)
		eventually(t, "the bulk send done", func() bool { return counts(t, q).Sent == n })
		if el := time.Since(start); el < 850*time.Millisecond {
			t.Errorf("%d bulk messages at 10/s on two nodes took %v: not paced across nodes", n, el)
		}
		bs, err := q.Bulks(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(bs) != 1 || !bs[0].Complete || bs[0].Sent != n || bs[0].Queued != n || bs[0].Percent() != 100 || bs[0].Kind != "agreement" {
			t.Fatalf("progress %+v", bs)
		}
		receivedOnce(t, d, srv)
	})
}

// childEnv names what the child node needs.
const (
	envChild = "MAILQ_TEST_CHILD"
	envDSN   = "MAILQ_TEST_DSN"
	envDir   = "MAILQ_TEST_DIR"
	envSMTP  = "MAILQ_TEST_SMTP"
)

// runChild is a serve process's mail queue: node "child", one worker,
// delivering to the test's server until it is killed.
func runChild() error {
	ctx := context.Background()
	d, err := db.Open(ctx, os.Getenv(envDSN), os.Getenv(envDir))
	if err != nil {
		return err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	v, _, err := vault.Open(d, os.Getenv(envDir), func(string) string { return "" })
	if err != nil {
		return err
	}
	u, _ := url.Parse("smtp://" + os.Getenv(envSMTP) + "?starttls=none")
	out, err := mail.NewSMTP(u, "")
	if err != nil {
		return err
	}
	jo := jobOptions("child")
	jo.Workers = 1
	jq, err := jobs.New(d, jo)
	if err != nil {
		return err
	}
	if err := mailq.New(d, v, jq, out, mailq.Options{}).Register(ctx); err != nil {
		return err
	}
	if err := jq.Start(ctx); err != nil {
		return err
	}
	select {} // until killed
}

// TestKilledInTheMiddleOfABatch, on both engines: a serve process's mail
// queue (a child process) is killed with SIGKILL while the mail server
// holds the sixth message of twelve in the middle of its DATA; the node
// restarts and every message arrives, none twice. The same for a bulk
// send (the announcement's path: its own River queue, paced), whose
// progress then shows it whole.
func TestKilledInTheMiddleOfABatch(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		for _, bulk := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/bulk=%v", e, bulk), func(t *testing.T) {
				ctx := context.Background()
				dir := t.TempDir()
				dsn := dbtest.DSN(t, e)
				d, err := db.Open(ctx, dsn, dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				if _, err := d.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				v := openVault(t, d, dir)

				held, release := make(chan struct{}), make(chan struct{})
				var once sync.Once
				srv := &mailtest.Server{BeforeData: func(accepted int) error {
					if accepted != 5 {
						return nil
					}
					first := false
					once.Do(func() { first = true })
					if first {
						close(held)
						<-release
						// The client was killed before the server took the
						// message: it is not accepted.
						return errors.New("the client went away in the middle of DATA")
					}
					return nil
				}}
				srv.Start(t, mailtest.Plain)
				var releaseOnce sync.Once
				t.Cleanup(func() { releaseOnce.Do(func() { close(release) }) })
				out := smtpSender(t, srv, "smtp", "", "", "?starttls=none")

				jo := jobOptions("child")
				q := newQueue(t, d, v, out, mailq.Options{}, jo, false)
				const n = 12
				err = d.InTx(ctx, func(tx *db.Tx) error {
					var opts []mailq.Option
					if bulk {
						opts = append(opts, mailq.Bulk("agreement/agreement/9"))
						if err := q.BeginBulk(ctx, tx, "agreement/agreement/9", "agreement"); err != nil {
							return err
						}
					}
					for i := range n {
						if err := q.SendTx(ctx, tx, mail.VerifyEmail(i18n.KK, rcpt, fmt.Sprintf("https://x.kz/v?%d", i)), opts...); err != nil {
							return err
						}
					}
					return q.EndBulk(ctx, tx, "agreement/agreement/9")
				})
				if err != nil {
					t.Fatal(err)
				}

				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), envChild+"=1", envDSN+"="+dsn, envDir+"="+dir, envSMTP+"="+srv.Addr)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				select {
				case <-held:
				case <-time.After(time.Minute):
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("the child never reached the sixth message; its output: %s", stderr.String())
				}
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				cmd.Wait()
				releaseOnce.Do(func() { close(release) })
				c := counts(t, q)
				if c.Sent != 5 || c.Pending != n-5 {
					t.Fatalf("after the kill: %+v, want 5 sent and %d pending", c, n-5)
				}

				// The node starts again under its name and takes back its job.
				newQueue(t, d, v, out, mailq.Options{}, jo, true)
				eventually(t, "every message sent after the restart", func() bool { return counts(t, q).Sent == n })
				receivedOnce(t, d, srv)
				if bulk {
					bs, err := q.Bulks(ctx, 1)
					if err != nil || len(bs) != 1 || bs[0].Sent != n || !bs[0].Complete {
						t.Fatalf("bulk progress %+v, %v; want %d sent, complete", bs, err, n)
					}
				}
			})
		}
	}
}

// TestPrune, on both engines: a message failed for a week loses its
// sealed fields (and can no longer be retried); messages sent or failed
// longer ago than Keep are removed; recent ones stay whole.
func TestPrune(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := openVault(t, d, t.TempDir())
		q := newQueue(t, d, v, mail.NewOutbox(t.TempDir(), ""), mailq.Options{}, jobOptions("n1"), false)
		for range 3 {
			if err := q.Send(ctx, mail.PasswordChanged(i18n.KK, rcpt)); err != nil {
				t.Fatal(err)
			}
		}
		ids := []int64{}
		rows, _ := d.Query(ctx, `SELECT id FROM mail_queue ORDER BY id`)
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		day := int64(24 * time.Hour / time.Millisecond)
		now := time.Now().UnixMilli()
		set := func(id int64, status string, age int64) {
			if _, err := d.Exec(ctx, `UPDATE mail_queue SET status = ?, updated_at = ? WHERE id = ?`, status, now-age, id); err != nil {
				t.Fatal(err)
			}
		}
		set(ids[0], "failed", 8*day) // wiped
		set(ids[1], "sent", 31*day)  // removed
		set(ids[2], "failed", 1*day) // kept whole
		n, err := q.Prune(ctx)
		if err != nil || n != 1 {
			t.Fatalf("pruned %d, %v; want 1", n, err)
		}
		var wiped, whole int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_queue WHERE rcpt IS NULL AND id = ?`, ids[0]).Scan(&wiped)
		d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_queue WHERE rcpt IS NOT NULL AND id = ?`, ids[2]).Scan(&whole)
		if wiped != 1 || whole != 1 {
			t.Fatalf("wiped %d, whole %d; want 1 and 1", wiped, whole)
		}
		if n, err := q.Retry(ctx, 0); err != nil || n != 1 {
			t.Fatalf("retry: %d, %v; want only the message that still has its fields", n, err)
		}
	})
}
