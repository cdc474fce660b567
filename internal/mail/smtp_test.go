package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"html"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail/mailtest"
)

// newSMTP configures a sender for rawURL, trusting clientTLS when given.
func newSMTP(t *testing.T, rawURL string, clientTLS *tls.Config) *SMTP {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSMTP(u, "")
	if err != nil {
		t.Fatalf("NewSMTP: %v", redact(err))
	}
	s.TLSConfig = clientTLS
	return s
}

// assertNoAddress fails when err shows the recipient or the password.
func assertNoAddress(t *testing.T, err error) {
	t.Helper()
	if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(recipient)) {
		t.Error("the error contains the recipient address")
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Error("the error contains the SMTP password")
	}
}

func TestSMTPDelivers(t *testing.T) {
	cases := []struct {
		name    string
		mode    mailtest.Mode
		scheme  string
		query   string
		wantTLS bool
	}{
		{"plain loopback, opportunistic", mailtest.Plain, "smtp", "", false},
		{"plain loopback, starttls=none", mailtest.Plain, "smtp", "?starttls=none", false},
		{"STARTTLS offered, opportunistic", mailtest.StartTLS, "smtp", "", true},
		{"STARTTLS required", mailtest.StartTLS, "smtp", "?starttls=required", true},
		{"implicit TLS", mailtest.Implicit, "smtps", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := (&mailtest.Server{User: "portal", Pass: "s3cret"}).Start(t, tc.mode)
			s := newSMTP(t, tc.scheme+"://portal:s3cret@"+srv.Addr+tc.query, srv.ClientTLS)

			m := VerifyEmail(i18n.KK, recipient, testLink)
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", redact(err))
			}

			got := srv.Received()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			if got[0].User != "portal" {
				t.Errorf("server saw AUTH as %q, want portal", got[0].User)
			}
			if froms := srv.MailFroms(); len(froms) != 1 || froms[0] != "no-reply@smartustaz.local" {
				t.Errorf("MAIL FROM = %v, want [no-reply@smartustaz.local]", froms)
			}
			if len(got[0].To) != 1 || got[0].To[0] != recipient {
				t.Errorf("RCPT TO: %d recipients, or not the given address", len(got[0].To))
			}
			if got[0].TLS != tc.wantTLS {
				t.Errorf("message travelled over TLS: %v, want %v", got[0].TLS, tc.wantTLS)
			}
			p := parseEML(t, got[0].Data)
			if p.Subject != "Электрондық поштаңызды растаңыз" {
				t.Errorf("decoded Subject = %q", p.Subject)
			}
			checkEML(t, p, m, DefaultFrom)
			if !strings.Contains(p.Parts["text/plain"].Body, testLink) ||
				!strings.Contains(html.UnescapeString(p.Parts["text/html"].Body), testLink) {
				t.Error("the link is missing from a part")
			}
		})
	}
}

func TestSMTPConcurrentSends(t *testing.T) {
	srv := (&mailtest.Server{User: "portal", Pass: "s3cret"}).Start(t, mailtest.Plain)
	s := newSMTP(t, "smtp://portal:s3cret@"+srv.Addr, nil)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.Send(context.Background(), PasswordChanged(i18n.RU, recipient))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Send: %v", redact(err))
		}
	}
	if got := srv.Count(); got != n {
		t.Errorf("server received %d messages, want %d", got, n)
	}
}

func TestSMTPFailures(t *testing.T) {
	cases := []struct {
		name       string
		mode       mailtest.Mode
		url        func(addr string) string
		refuseRcpt bool
		wantOp     string
		wantCode   int
		wantEnh    string
		wantMail   bool // whether MAIL FROM got through
	}{
		{
			name:     "wrong password",
			url:      func(a string) string { return "smtp://portal:wrong@" + a },
			wantOp:   "authentication",
			wantCode: 535,
			wantEnh:  "5.7.8",
		},
		{
			name:     "no credentials where the server wants them",
			url:      func(a string) string { return "smtp://" + a },
			wantOp:   "MAIL FROM",
			wantCode: 502,
			wantEnh:  "5.7.0",
		},
		{
			name:       "recipient refused",
			url:        func(a string) string { return "smtp://portal:s3cret@" + a },
			refuseRcpt: true,
			wantOp:     "RCPT TO",
			wantCode:   550,
			wantEnh:    "5.1.1",
			wantMail:   true,
		},
		{
			name:   "STARTTLS required but not offered",
			url:    func(a string) string { return "smtp://portal:s3cret@" + a + "?starttls=required" },
			wantOp: "connect",
		},
		{
			name:   "smtps to a server that does not speak TLS",
			url:    func(a string) string { return "smtps://portal:s3cret@" + a },
			wantOp: "connect",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := (&mailtest.Server{User: "portal", Pass: "s3cret", RefuseRcpt: tc.refuseRcpt}).Start(t, tc.mode)
			s := newSMTP(t, tc.url(srv.Addr), nil)
			s.timeout = 5 * time.Second
			err := s.Send(context.Background(), VerifyEmail(i18n.KK, recipient, testLink))
			if err == nil {
				t.Fatal("Send succeeded")
			}
			assertNoAddress(t, err)
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("err is %T, want *mail.Error", err)
			}
			if se.Op != tc.wantOp || se.Code != tc.wantCode || se.Enhanced != tc.wantEnh {
				t.Errorf("got op %q code %d enhanced %q, want %q %d %q",
					se.Op, se.Code, se.Enhanced, tc.wantOp, tc.wantCode, tc.wantEnh)
			}
			if se.Temporary {
				t.Error("a permanent failure is marked temporary")
			}
			if got := len(srv.MailFroms()) > 0; got != tc.wantMail {
				t.Errorf("MAIL FROM accepted: %v, want %v", got, tc.wantMail)
			}
			if srv.Count() != 0 {
				t.Error("the server received a message")
			}
		})
	}
}

func TestSMTPServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now
	s := newSMTP(t, "smtp://portal:s3cret@"+addr, nil)
	err = s.Send(context.Background(), VerifyEmail(i18n.KK, recipient, testLink))
	if err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	assertNoAddress(t, err)
	var se *Error
	if !errors.As(err, &se) || se.Op != "connect" {
		t.Fatalf("err = %v, want a connect *mail.Error", redact(err))
	}
	var ne *net.OpError
	if !errors.As(err, &ne) {
		t.Errorf("the network cause is not reachable with errors.As: %v", redact(err))
	}
}

func TestSMTPCancelledContext(t *testing.T) {
	srv := (&mailtest.Server{User: "portal", Pass: "s3cret"}).Start(t, mailtest.Plain)
	s := newSMTP(t, "smtp://portal:s3cret@"+srv.Addr, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Send(ctx, VerifyEmail(i18n.KK, recipient, testLink))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", redact(err))
	}
	if srv.Count() != 0 {
		t.Error("a message went out after cancel")
	}
}

func TestSMTPRefusesBadRecipientBeforeConnecting(t *testing.T) {
	srv := (&mailtest.Server{User: "portal", Pass: "s3cret"}).Start(t, mailtest.Plain)
	s := newSMTP(t, "smtp://portal:s3cret@"+srv.Addr, nil)
	err := s.Send(context.Background(), VerifyEmail(i18n.KK, recipient+">\r\nRCPT TO:<x@example.com", testLink))
	if !errors.Is(err, ErrRecipient) {
		t.Fatalf("err = %v, want ErrRecipient", redact(err))
	}
	assertNoAddress(t, err)
	if len(srv.MailFroms()) != 0 {
		t.Error("the sender talked to the server about a bad address")
	}
}

// Mail crosses a network only encrypted (issue 10 §1): a server elsewhere
// must offer STARTTLS, and plain or opportunistic SMTP is refused unless
// the relay is on this machine.
func TestSMTPPlainOnlyToLoopback(t *testing.T) {
	for _, c := range []struct {
		addr   string
		policy gomail.TLSPolicy
		err    bool
	}{
		{"smtp://mail.example.kz", gomail.TLSMandatory, false},
		{"smtp://u:p@10.0.0.5:587", gomail.TLSMandatory, false},
		{"smtp://mail.example.kz?starttls=required", gomail.TLSMandatory, false},
		{"smtp://mail.example.kz?starttls=opportunistic", 0, true},
		{"smtp://mail.example.kz?starttls=none", 0, true},
		{"smtp://10.0.0.5:25?starttls=none", 0, true},
		{"smtp://127.0.0.2:25?starttls=none", gomail.NoTLS, false},
		{"smtp://localhost:25?starttls=none", gomail.NoTLS, false},
		{"smtp://[::1]:25?starttls=none", gomail.NoTLS, false},
		{"smtp://127.0.0.1:25", gomail.TLSOpportunistic, false},
		{"smtp://LOCALHOST:2525?starttls=opportunistic", gomail.TLSOpportunistic, false},
	} {
		u, err := url.Parse(c.addr)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSMTP(u, "")
		if c.err {
			if err == nil || !strings.Contains(err.Error(), "must be encrypted") {
				t.Errorf("%s: %v, want a refusal saying mail must be encrypted", c.addr, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.addr, err)
			continue
		}
		if s.policy != c.policy {
			t.Errorf("%s: TLS policy %v, want %v", c.addr, s.policy, c.policy)
		}
	}
}
