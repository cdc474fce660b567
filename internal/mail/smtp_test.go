package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"html"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// smtpServer is a real SMTP server (emersion/go-smtp) on loopback that
// records what it received.
type smtpServer struct {
	addr string

	user, pass string // required AUTH PLAIN credentials
	refuseRcpt bool   // answer RCPT TO with 550 5.1.1, quoting the address

	mu       sync.Mutex
	authed   []string
	mailFrom []string
	rcptTo   []string
	data     [][]byte
	tlsAtRcv []bool // whether the connection was TLS when DATA came
}

type smtpSession struct {
	srv  *smtpServer
	conn *smtp.Conn
	auth bool
}

func (s *smtpServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{srv: s, conn: c}, nil
}

func (ss *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.srv.user || pass != ss.srv.pass {
			return smtp.ErrAuthFailed
		}
		ss.auth = true
		ss.srv.mu.Lock()
		ss.srv.authed = append(ss.srv.authed, user)
		ss.srv.mu.Unlock()
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.auth {
		return smtp.ErrAuthRequired
	}
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	ss.srv.mailFrom = append(ss.srv.mailFrom, from)
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.srv.refuseRcpt {
		// Real servers quote the address; the client must not repeat it.
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "<" + to + ">: Recipient address rejected: User unknown"}
	}
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	ss.srv.rcptTo = append(ss.srv.rcptTo, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	ss.srv.data = append(ss.srv.data, b)
	ss.srv.tlsAtRcv = append(ss.srv.tlsAtRcv, isTLS)
	return nil
}

func (ss *smtpSession) Reset()        {}
func (ss *smtpSession) Logout() error { return nil }

// tlsMode says how the test server offers TLS.
type tlsMode int

const (
	plainOnly   tlsMode = iota // no TLS at all
	startTLS                   // STARTTLS offered
	implicitTLS                // TLS from the first byte (smtps)
)

// startSMTP starts srv on 127.0.0.1:0 and returns the client TLS settings
// that trust its certificate.
func startSMTP(t *testing.T, srv *smtpServer, mode tlsMode) *tls.Config {
	t.Helper()
	s := smtp.NewServer(srv)
	s.Domain = "localhost"
	s.AllowInsecureAuth = true // loopback only
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0) // its log could carry addresses
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var clientTLS *tls.Config
	if mode != plainOnly {
		serverTLS, pool := selfSigned(t)
		clientTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
		if mode == startTLS {
			s.TLSConfig = serverTLS
		} else {
			l = tls.NewListener(l, serverTLS)
		}
	}
	srv.addr = l.Addr().String()
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return clientTLS
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smartustaz test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

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
		mode    tlsMode
		scheme  string
		query   string
		wantTLS bool
	}{
		{"plain loopback, opportunistic", plainOnly, "smtp", "", false},
		{"plain loopback, starttls=none", plainOnly, "smtp", "?starttls=none", false},
		{"STARTTLS offered, opportunistic", startTLS, "smtp", "", true},
		{"STARTTLS required", startTLS, "smtp", "?starttls=required", true},
		{"implicit TLS", implicitTLS, "smtps", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := &smtpServer{user: "portal", pass: "s3cret"}
			clientTLS := startSMTP(t, srv, tc.mode)
			s := newSMTP(t, tc.scheme+"://portal:s3cret@"+srv.addr+tc.query, clientTLS)

			m := VerifyEmail(i18n.KK, recipient, testLink)
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", redact(err))
			}

			srv.mu.Lock()
			defer srv.mu.Unlock()
			if len(srv.authed) != 1 || srv.authed[0] != "portal" {
				t.Errorf("server saw AUTH as %v, want [portal]", srv.authed)
			}
			if len(srv.mailFrom) != 1 || srv.mailFrom[0] != "no-reply@smartustaz.local" {
				t.Errorf("MAIL FROM = %v, want [no-reply@smartustaz.local]", srv.mailFrom)
			}
			if len(srv.rcptTo) != 1 || srv.rcptTo[0] != recipient {
				t.Errorf("RCPT TO: %d recipients, or not the given address", len(srv.rcptTo))
			}
			if len(srv.data) != 1 {
				t.Fatalf("server received %d messages, want 1", len(srv.data))
			}
			if srv.tlsAtRcv[0] != tc.wantTLS {
				t.Errorf("message travelled over TLS: %v, want %v", srv.tlsAtRcv[0], tc.wantTLS)
			}
			p := parseEML(t, srv.data[0])
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
	srv := &smtpServer{user: "portal", pass: "s3cret"}
	startSMTP(t, srv, plainOnly)
	s := newSMTP(t, "smtp://portal:s3cret@"+srv.addr, nil)
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
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.data) != n {
		t.Errorf("server received %d messages, want %d", len(srv.data), n)
	}
}

func TestSMTPFailures(t *testing.T) {
	cases := []struct {
		name       string
		mode       tlsMode
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
			srv := &smtpServer{user: "portal", pass: "s3cret", refuseRcpt: tc.refuseRcpt}
			startSMTP(t, srv, tc.mode)
			s := newSMTP(t, tc.url(srv.addr), nil)
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
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if got := len(srv.mailFrom) > 0; got != tc.wantMail {
				t.Errorf("MAIL FROM accepted: %v, want %v", got, tc.wantMail)
			}
			if len(srv.data) != 0 {
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
	srv := &smtpServer{user: "portal", pass: "s3cret"}
	startSMTP(t, srv, plainOnly)
	s := newSMTP(t, "smtp://portal:s3cret@"+srv.addr, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Send(ctx, VerifyEmail(i18n.KK, recipient, testLink))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", redact(err))
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.data) != 0 {
		t.Error("a message went out after cancel")
	}
}

func TestSMTPRefusesBadRecipientBeforeConnecting(t *testing.T) {
	srv := &smtpServer{user: "portal", pass: "s3cret"}
	startSMTP(t, srv, plainOnly)
	s := newSMTP(t, "smtp://portal:s3cret@"+srv.addr, nil)
	err := s.Send(context.Background(), VerifyEmail(i18n.KK, recipient+">\r\nRCPT TO:<x@example.com", testLink))
	if !errors.Is(err, ErrRecipient) {
		t.Fatalf("err = %v, want ErrRecipient", redact(err))
	}
	assertNoAddress(t, err)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.mailFrom) != 0 {
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
