package correspondence_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Fixtures, not real people; never printed.
const (
	userEmail    = "Corr.Distinct4412@Example.kz"
	visitorEmail = "visitor.distinct4412@example.kz"
	subject      = "Сертификат-4412 туралы сұрақ"
	body         = "Сәлеметсіз бе! Менің сертификатым-4412 ашылмайды."
	visitorBody  = "Қонақ-4412 хаты: сайтқа қалай тіркелемін?"
	attData      = "Тіркеме-4412 мәтіні\n"
	answer       = "Жауап-4412: сертификат қайта жасалды."
	replyText    = "Рахмет-4412, енді ашылды!"
	domain       = "smartustaz.test"
)

type env struct {
	d   *db.DB
	v   *vault.Vault
	acc *account.Service
	c   *correspondence.Service
	ctx context.Context
	uid int64
}

var ipN atomic.Int64

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	e := &env{d: d, v: v, ctx: context.Background()}
	e.acc = account.New(d, v, account.Options{Erasers: []account.Eraser{correspondence.EraseUser}})
	e.c = correspondence.New(d, v, audit.New(d, v))
	u, _, err := e.acc.Register(e.ctx, account.RegisterInput{Email: userEmail, Password: "Ұзын-құпия-сөз-4412", FullName: "Корр Пайдаланушы",
		Accept: true}, account.Meta{IP: fmt.Sprintf("192.0.2.%d", ipN.Add(1))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.uid = u.ID
	return e
}

func (e *env) recipient(ctx context.Context, id int64) (string, i18n.Lang, error) {
	u, err := e.acc.Get(ctx, id)
	if err != nil {
		return "", "", err
	}
	return u.Email.Reveal(), i18n.KK, nil
}

// TestCorrespondenceSealed: a user's thread with an attachment, a
// visitor's thread and an administrator's answer are readable by their
// owner only, and no subject, body, attachment or address is anywhere in
// the tables in plaintext (clause 1.3).
func TestCorrespondenceSealed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		id, err := e.c.Start(e.ctx, e.uid, "kk", subject, body, &correspondence.Attachment{Name: "хат-4412.txt", Kind: "txt", Data: []byte(attData)})
		if err != nil {
			t.Fatal(err)
		}
		vid, err := e.c.StartVisitor(e.ctx, visitorEmail, "ru", subject+" (қонақ)", visitorBody)
		if err != nil {
			t.Fatal(err)
		}
		m, err := e.c.Answer(e.ctx, id, 1, answer, e.recipient, domain, "http://site.test")
		if err != nil {
			t.Fatal(err)
		}
		if m.To != userEmail || !strings.HasPrefix(m.ReplyTo, "reply+") || !strings.HasSuffix(m.ReplyTo, "@"+domain) || !strings.Contains(m.Text, answer) {
			t.Errorf("the answer's email is not addressed to the user with a reply address and the answer's text")
		}
		vm, err := e.c.Answer(e.ctx, vid, 1, answer, e.recipient, domain, "http://site.test")
		if err != nil {
			t.Fatal(err)
		}
		if vm.To != visitorEmail {
			t.Errorf("the answer to the visitor is not addressed to the address they gave")
		}

		th, err := e.c.Thread(e.ctx, e.uid, id)
		if err != nil {
			t.Fatal(err)
		}
		if th.Subject.Reveal() != subject || len(th.Messages) != 2 || th.Messages[0].Body.Reveal() != body ||
			th.Messages[1].Body.Reveal() != answer || th.Messages[1].Author != correspondence.AuthorAdmin {
			t.Errorf("the owner does not read back the thread as written (%d messages)", len(th.Messages))
		}
		att, err := e.c.Attachment(e.ctx, e.uid, id, th.Messages[0].ID)
		if err != nil || string(att.Data) != attData || att.Name != "хат-4412.txt" {
			t.Errorf("the attachment does not open for its owner: %v", err)
		}
		// Another user, and a visitor's thread through a user's page: not found.
		if _, err := e.c.Thread(e.ctx, e.uid+1, id); !isNotFound(err) {
			t.Errorf("another user opens the thread: %v", err)
		}
		if _, err := e.c.Thread(e.ctx, 0, vid); !isNotFound(err) {
			t.Errorf("a visitor's thread opens through the user pages: %v", err)
		}
		// The administrators' list carries no content; a reveal does, audited.
		if l, err := e.c.List(e.ctx, 10); err != nil || len(l) != 2 || !l[0].Subject.IsZero() {
			t.Errorf("the list is not two threads without subjects: %v", err)
		}
		rv, err := e.c.Reveal(e.ctx, vid, "Қонақтың сұрағына жауап беру", 1, 0)
		if err != nil || rv.Email.Reveal() != visitorEmail || rv.Messages[0].Body.Reveal() != visitorBody {
			t.Errorf("the reveal does not open the visitor's thread: %v", err)
		}
		var n int
		if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND detail LIKE ?`, audit.ActionReveal, "correspondence thread=%").Scan(&n); err != nil || n != 1 {
			t.Errorf("the reveal is not in the audit log once (%d, %v)", n, err)
		}

		secrets := []string{subject, body, visitorBody, attData, answer, "4412", userEmail, strings.ToLower(userEmail), visitorEmail, "хат-4412"}
		scanTables(t, d, secrets, "corr_threads", "corr_messages", "corr_tokens", "mail_undeliverable")
	})
}

func isNotFound(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.NotFound
}

// scanTables fails when a text or binary cell of tables holds a secret.
func scanTables(t *testing.T, d *db.DB, secrets []string, tables ...string) {
	t.Helper()
	seen := 0
	for _, table := range tables {
		rows, err := d.Query(context.Background(), "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			seen++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var cell []byte
				switch x := v.(type) {
				case []byte:
					cell = x
				case string:
					cell = []byte(x)
				default:
					continue
				}
				for j, s := range secrets {
					if bytes.Contains(bytes.ToLower(cell), bytes.ToLower([]byte(s))) {
						t.Errorf("%s.%s holds secret #%d in plaintext", table, cols[i], j)
					}
				}
			}
		}
		rows.Close()
	}
	if seen < 5 {
		t.Fatalf("only %d rows scanned: the scan proves nothing", seen)
	}
}

// listen serves the inbound listener on a free loopback port.
func listen(t *testing.T, e *env, o correspondence.ListenerOptions) string {
	t.Helper()
	o.Domain = domain
	srv := e.c.NewListener(o)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// sendSMTP sends raw from a real net/smtp client and returns the SMTP
// code of the first refusal (0 when accepted) and at which step.
func sendSMTP(t *testing.T, addr, from, to, raw string) (int, string) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	code := func(err error) int {
		var te *textproto.Error
		if errors.As(err, &te) {
			return te.Code
		}
		t.Fatalf("not an SMTP reply: %v", err)
		return 0
	}
	if err := c.Mail(from); err != nil {
		return code(err), "MAIL"
	}
	if err := c.Rcpt(to); err != nil {
		return code(err), "RCPT"
	}
	w, err := c.Data()
	if err != nil {
		return code(err), "DATA"
	}
	if _, err := w.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		return code(err), "DATA"
	}
	c.Quit()
	return 0, ""
}

func replyMail(to, text string) string {
	return "From: someone@example.kz\r\nTo: " + to + "\r\nSubject: Re: сұрақ\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + text + "\r\n"
}

func replyWithFile(to, text, name string, data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return "From: someone@example.kz\r\nTo: " + to + "\r\nSubject: Re\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n" +
		"--M\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n" +
		"--M\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"" + mime.BEncoding.Encode("utf-8", name) + "\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + b.String() + "--M--\r\n"
}

func dsnMail(failed string) string {
	return "From: MAILER-DAEMON@mx.example.kz\r\nTo: no-reply@" + domain + "\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain\r\n\r\nThe message could not be delivered.\r\n" +
		"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.kz\r\n\r\n" +
		"Final-Recipient: rfc822; " + failed + "\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n" +
		"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: x\r\n\r\n--B--\r\n"
}

// TestInboundSMTP: a reply by email to the answer's Reply-To address
// joins its thread, quoted history cut; an unknown or forged token, an
// oversized and a malformed message are refused with 550, 552 and 554;
// a delivery-status notification marks the address undeliverable and
// the site's mail to it stops until it is confirmed again.
func TestInboundSMTP(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		addr := listen(t, e, correspondence.ListenerOptions{MaxBytes: 256 << 10,
			CheckFile: func(ctx context.Context, name string, data []byte) (string, string, error) {
				return library.CheckAttachment(ctx, "file", name, data, correspondence.MaxAttachment)
			}})
		id, err := e.c.Start(e.ctx, e.uid, "kk", subject, body, nil)
		if err != nil {
			t.Fatal(err)
		}
		m, err := e.c.Answer(e.ctx, id, 1, answer, e.recipient, domain, "http://site.test")
		if err != nil {
			t.Fatal(err)
		}
		quoted := replyText + "\r\n\r\nOn Mon, 1 Dec 2026, smartustaz wrote:\r\n> " + answer
		// The token's case may be changed on the way: it still matches.
		if code, step := sendSMTP(t, addr, "someone@example.kz", strings.ToUpper(m.ReplyTo[:6])+m.ReplyTo[6:], replyMail(m.ReplyTo, quoted)); code != 0 {
			t.Fatalf("a valid reply was refused at %s with %d", step, code)
		}
		th, err := e.c.Thread(e.ctx, e.uid, id)
		if err != nil {
			t.Fatal(err)
		}
		last := th.Messages[len(th.Messages)-1]
		if len(th.Messages) != 3 || last.Via != correspondence.ViaEmail || last.Body.Reveal() != replyText {
			t.Errorf("the reply did not join the thread as its own text without the quote (%d messages)", len(th.Messages))
		}

		// A reply with a file the library accepts keeps it; one it refuses
		// (a program) is dropped, the text kept.
		pdf, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "sample.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name string
			data []byte
			kept bool
		}{{"жоспар.pdf", pdf, true}, {"бағдарлама.exe", []byte("MZ\x90\x00\x03\x00\x00\x00program"), false}} {
			if code, step := sendSMTP(t, addr, "someone@example.kz", m.ReplyTo, replyWithFile(m.ReplyTo, "Файл жіберемін", f.name, f.data)); code != 0 {
				t.Fatalf("a reply with %s was refused at %s with %d", f.name, step, code)
			}
			th, err := e.c.Thread(e.ctx, e.uid, id)
			if err != nil {
				t.Fatal(err)
			}
			last := th.Messages[len(th.Messages)-1]
			if last.Body.Reveal() != "Файл жіберемін" {
				t.Errorf("the text of the reply with %s is not kept", f.name)
			}
			if got := last.AttName.Reveal(); (got == f.name) != f.kept || (!f.kept && got != "") {
				t.Errorf("the reply's file %s: kept as %q, want kept=%v", f.name, got, f.kept)
			}
			if f.kept {
				if a, err := e.c.Attachment(e.ctx, e.uid, id, last.ID); err != nil || !bytes.Equal(a.Data, pdf) || a.Kind != "pdf" {
					t.Errorf("the reply's PDF does not open as sent: %v", err)
				}
			}
		}

		forged := "reply+" + strings.Repeat("a", 32) + "@" + domain
		for _, c := range []struct {
			what, to, raw string
			code          int
			step          string
		}{
			{"an unknown token", forged, replyMail(forged, replyText), 550, "RCPT"},
			{"a forged token with the right length", "reply+" + strings.Repeat("q", len(m.ReplyTo)-len("reply+@"+domain)) + "@" + domain, replyMail(forged, replyText), 550, "RCPT"},
			{"another domain", "reply+x@elsewhere.test", replyMail(forged, replyText), 550, "RCPT"},
			{"an address that is not a reply address", "info@" + domain, replyMail(forged, replyText), 550, "RCPT"},
			{"an oversized message", m.ReplyTo, replyMail(m.ReplyTo, strings.Repeat("ұзын хаттың жолы\r\n", 20000)), 552, "DATA"},
			{"a text longer than a message may be", m.ReplyTo, replyMail(m.ReplyTo, strings.Repeat("сөз\r\n", correspondence.MaxBodyRunes/4+10)), 552, "DATA"},
			{"malformed MIME", m.ReplyTo, "Subject: x\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n", 554, "DATA"},
			{"a bad base64 body", m.ReplyTo, "Subject: x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n", 554, "DATA"},
		} {
			if code, step := sendSMTP(t, addr, "someone@example.kz", c.to, c.raw); code != c.code || step != c.step {
				t.Errorf("%s: got %d at %s, want %d at %s", c.what, code, step, c.code, c.step)
			}
		}
		if th, _ := e.c.Thread(e.ctx, e.uid, id); len(th.Messages) != 5 {
			t.Errorf("a refused message was stored (%d messages)", len(th.Messages))
		}

		// A bounce of the user's address, from the null sender.
		var sent []string
		sender := e.c.Suppress(senderFunc(func(_ context.Context, m mail.Message) error { sent = append(sent, m.To); return nil }))
		if code, step := sendSMTP(t, addr, "", "no-reply@"+domain, dsnMail(userEmail)); code != 0 {
			t.Fatalf("a delivery-status notification was refused at %s with %d", step, code)
		}
		if bad, err := e.c.Undeliverable(e.ctx, strings.ToLower(userEmail)); err != nil || !bad {
			t.Fatalf("the bounced address is not marked undeliverable (%v)", err)
		}
		if err := sender.Send(e.ctx, m); !errors.Is(err, correspondence.ErrUndeliverable) {
			t.Errorf("mail to a bounced address was not stopped: %v", err)
		}
		if err := sender.Send(correspondence.ForConfirmation(e.ctx), m); err != nil {
			t.Errorf("the confirmation link to a bounced address was stopped: %v", err)
		}
		if err := e.c.ClearUndeliverable(e.ctx, userEmail); err != nil {
			t.Fatal(err)
		}
		if err := sender.Send(e.ctx, m); err != nil || len(sent) != 2 {
			t.Errorf("mail to a confirmed address is still stopped: %v (%d sent)", err, len(sent))
		}
		// A message from the null sender that is not a report is refused.
		if code, _ := sendSMTP(t, addr, "", "no-reply@"+domain, replyMail("no-reply@"+domain, replyText)); code != 550 {
			t.Errorf("a null-sender message that is no report: got %d, want 550", code)
		}
		scanTables(t, d, []string{userEmail, strings.ToLower(userEmail), replyText, subject}, "corr_threads", "corr_messages", "corr_tokens", "mail_undeliverable")
	})
}

// TestInboundRateLimit: a client that keeps sending forged tokens is
// told to come back later (450), through the shared throttle.
func TestInboundRateLimit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		addr := listen(t, e, correspondence.ListenerOptions{Limiter: e.acc.Limiter("smtp", 3)})
		forged := "reply+" + strings.Repeat("b", 32) + "@" + domain
		var codes []int
		for range 5 {
			code, _ := sendSMTP(t, addr, "x@example.kz", forged, replyMail(forged, "x"))
			codes = append(codes, code)
		}
		if codes[0] != 550 || codes[4] != 450 {
			t.Errorf("forged tokens got %v, want 550 first and 450 once blocked", codes)
		}
	})
}

type senderFunc func(context.Context, mail.Message) error

func (f senderFunc) Send(ctx context.Context, m mail.Message) error { return f(ctx, m) }
