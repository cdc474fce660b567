package main

import (
	"bytes"
	"context"
	"net/http"
	netmail "net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail/mailtest"
)

// drainMail waits (up to 20 seconds) until the mail queue holds no
// pending message: mail is delivered in the background (internal/mailq),
// so a test that counts the outbox after a request first lets the queue
// catch up. A message that stays pending is left to the test's own
// assertions.
func (s *testServer) drainMail(t *testing.T) {
	t.Helper()
	if s.mailDB == nil {
		return
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := s.mailDB.QueryRow(context.Background(), `SELECT COUNT(*) FROM mail_queue WHERE status = 'pending'`).Scan(&n); err != nil || n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestE2EVerificationMailThroughTheQueue, on both engines (issue 10 §1):
// registration while the mail server is down answers at once, its
// verification mail waits in the mail queue (pending, the server's
// failure as its reason, nothing in plaintext), and arrives once the
// server is back, once, with the Message-ID the queue gave it.
func TestE2EVerificationMailThroughTheQueue(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			smtpSrv := (&mailtest.Server{}).Start(t, mailtest.Plain)
			smtpSrv.Stop()
			srv := startServer(t, e, "SMARTUSTAZ_SMTP=smtp://"+smtpSrv.Addr+"?starttls=none")
			d := openDB(t, srv)
			p := newPerson("queue")
			c := newClient(t, srv)
			c.Lang = "kk"
			start := time.Now()
			r := c.register(p)
			wantStatus(t, "register", r, http.StatusCreated)
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("registration took %v with the mail server down", el)
			}
			// The first attempt fails: the message waits with the reason.
			deadline := time.Now().Add(20 * time.Second)
			var status, kind, reason string
			var attempts int
			for {
				err := d.QueryRow(context.Background(), `SELECT status, kind, attempts, reason FROM mail_queue`).Scan(&status, &kind, &attempts, &reason)
				if err == nil && attempts >= 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the verification mail was not tried: %v", err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if status != "pending" || kind != "verify" || !strings.Contains(reason, "connect") {
				t.Fatalf("queued message: status %s, kind %s, reason %q; want pending verify with the connection's failure", status, kind, reason)
			}
			var sealed []byte
			if err := d.QueryRow(context.Background(), `SELECT rcpt FROM mail_queue`).Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if len(sealed) == 0 || strings.Contains(string(sealed), p.Email) {
				t.Fatal("the queued recipient is not sealed")
			}

			smtpSrv.Restart()
			deadline = time.Now().Add(time.Minute)
			for smtpSrv.Count() == 0 {
				if time.Now().After(deadline) {
					t.Fatal("the verification mail never arrived after the mail server came back")
				}
				time.Sleep(50 * time.Millisecond)
			}
			srv.drainMail(t)
			time.Sleep(200 * time.Millisecond)
			got := smtpSrv.Received()
			if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != p.Email {
				t.Fatalf("the mail server received %d messages, want the one verification mail to the new user", len(got))
			}
			m := parseMail(t, got[0].Data)
			if m.Subject != i18n.T(i18n.KK, "mail.verify.subject") || !strings.HasPrefix(m.Link, srv.URL+"/verify?token=") {
				t.Errorf("the message is not the Kazakh verification mail")
			}
			msg, err := netmail.ReadMessage(bytes.NewReader(got[0].Data))
			if err != nil {
				t.Fatal(err)
			}
			var id string
			if err := d.QueryRow(context.Background(), `SELECT message_id FROM mail_queue WHERE status = 'sent'`).Scan(&id); err != nil {
				t.Fatalf("the message is not marked sent: %v", err)
			}
			if strings.Trim(msg.Header.Get("Message-Id"), "<>") != id {
				t.Error("the delivered Message-ID is not the queue's")
			}
			// The link works: the mail is the real one.
			if r := c.get(strings.TrimPrefix(m.Link, srv.URL)); r.Status >= 400 {
				t.Errorf("the verification link answers %d", r.Status)
			}
		})
	}
}

// TestE2EAdminMailPage, on both engines: the administrator's /admin/mail
// shows, in each language, the queue's counts and messages by kind,
// status, attempts and the server's reason — never an address; a message
// the server refused is sent again by the retry button once the server
// accepts; the notice of a new agreement version shows as a bulk send
// with its progress.
func TestE2EAdminMailPage(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			smtpSrv := (&mailtest.Server{RefuseRcpt: true}).Start(t, mailtest.Plain)
			srv := startServer(t, e, "SMARTUSTAZ_SMTP=smtp://"+smtpSrv.Addr+"?starttls=none")
			d := openDB(t, srv)
			admin, ap := setupAdmin(t, srv)
			p := newPerson("mailpage")
			wantStatus(t, "register", newClient(t, srv).register(p), http.StatusCreated)
			var id string
			eventually(t, "the refused verification mail failed", func() bool {
				return d.QueryRow(context.Background(), `SELECT id FROM mail_queue WHERE status = 'failed' AND kind = 'verify'`).Scan(&id) == nil
			})
			for _, lang := range i18n.Langs {
				admin.Lang = string(lang)
				admin.get("/lang/" + string(lang)) // the choice beats the account's language
				r := admin.get("/admin/mail")
				wantStatus(t, "mail page", r, http.StatusOK)
				wantText(t, "mail page", r, i18n.T(lang, "mailq.title"))
				wantText(t, "mail page", r, i18n.T(lang, "mail.verify.subject"))
				wantText(t, "mail page", r, i18n.T(lang, "mailq.status.failed"))
				if !strings.Contains(r.Body, `data-id="`+id+`" data-status="failed"`) || !strings.Contains(r.Body, "550 5.1.1") {
					t.Errorf("%s: the failed message or its reason is not listed", lang)
				}
				if strings.Contains(r.Body, "@mektep.test") || strings.Contains(r.Body, p.Email) || strings.Contains(r.Body, ap.Email) {
					t.Errorf("%s: the mail page shows an address", lang)
				}
			}
			admin.Lang = "kk"
			admin.get("/lang/kk")
			smtpSrv.SetRefuseRcpt(false)
			r := admin.post("/admin/mail/retry", url.Values{"id": {id}})
			wantStatus(t, "retry", r, http.StatusSeeOther)
			if r.Location() != "/admin/mail?retried=1" {
				t.Fatalf("retry sent to %q", r.Location())
			}
			wantText(t, "after retry", admin.get(r.Location()), i18n.T(i18n.KK, "mailq.retried", 1))
			eventually(t, "the retried message arrived", func() bool { return smtpSrv.Count() == 1 })
			eventually(t, "marked sent", func() bool {
				var st string
				return d.QueryRow(context.Background(), `SELECT status FROM mail_queue WHERE id = ?`, id).Scan(&st) == nil && st == "sent"
			})

			// A new agreement version: a bulk send to both users.
			wantStatus(t, "publish", publish(t, admin, "agreement", "Жаңа тармақ: пошта кезегі."), http.StatusOK)
			acceptPending(t, admin)
			eventually(t, "the notice sent to both users", func() bool {
				var n int
				return d.QueryRow(context.Background(), `SELECT COUNT(*) FROM mail_queue WHERE bulk <> '' AND status = 'sent'`).Scan(&n) == nil && n == 2
			})
			r = admin.get("/admin/mail")
			wantText(t, "bulk progress", r, i18n.T(i18n.KK, "mailq.bulk.kind.agreement"))
			wantText(t, "bulk progress", r, i18n.T(i18n.KK, "mailq.bulk.counts", 2, 2, 0, 0))
			wantText(t, "bulk progress", r, i18n.T(i18n.KK, "mailq.bulk.complete"))
			if !strings.Contains(r.Body, `value="100"`) {
				t.Error("the bulk send is not shown at 100%")
			}
		})
	}
}

// eventually polls cond for at most a minute.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// nodes are the data folders of the servers started on each database:
// the nodes of one site.
var nodes = struct {
	sync.Mutex
	dirs map[string][]string
}{dirs: map[string][]string{}}

func addNodeDir(dsn, dir string) {
	nodes.Lock()
	defer nodes.Unlock()
	if !slices.Contains(nodes.dirs[dsn], dir) {
		nodes.dirs[dsn] = append(nodes.dirs[dsn], dir)
	}
}

// nodeDirs are the data folders of every node on dsn (at least dir).
func nodeDirs(dsn, dir string) []string {
	nodes.Lock()
	defer nodes.Unlock()
	if dsn == "" || len(nodes.dirs[dsn]) == 0 {
		return []string{dir}
	}
	return slices.Clone(nodes.dirs[dsn])
}
