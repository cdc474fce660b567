// Package mailtest runs a real SMTP server (emersion/go-smtp) on the
// loopback address for tests: plain, STARTTLS or implicit TLS with a
// self-signed certificate, AUTH PLAIN, and the faults a test needs (a
// refused recipient, a server that stops and comes back on the same
// address, a message held in the middle of DATA). It records what it
// received. Its own log is discarded: it could carry addresses.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mode says how the server offers TLS.
type Mode int

const (
	Plain    Mode = iota // no TLS at all
	StartTLS             // STARTTLS offered
	Implicit             // TLS from the first byte (smtps)
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
	User string // who authenticated ("" for nobody)
	TLS  bool   // whether the connection was encrypted when DATA came
}

// Server is the test SMTP server. Set the fields before Start.
type Server struct {
	// User and Pass, when User is set, are the only credentials AUTH PLAIN
	// accepts, and MAIL FROM needs them.
	User, Pass string
	// RefuseRcpt answers every RCPT TO with 550 5.1.1, quoting the address
	// as real servers do. SetRefuseRcpt changes it while the server runs.
	RefuseRcpt bool
	// BeforeData, when set, is called when a message's DATA begins, with
	// how many messages were accepted before it; a test blocks in it to
	// hold a message in the middle of its delivery. An error refuses the
	// message.
	BeforeData func(accepted int) error

	// Addr is host:port once started.
	Addr string
	// ClientTLS trusts the server's certificate (nil for Plain).
	ClientTLS *tls.Config

	t        testing.TB
	mode     Mode
	tlsConf  *tls.Config
	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	received []Received
	froms    []string // MAIL FROM commands accepted
}

// Start runs s on 127.0.0.1 (a free port) until the test ends.
func (s *Server) Start(t testing.TB, mode Mode) *Server {
	t.Helper()
	s.t, s.mode = t, mode
	if mode != Plain {
		var pool *x509.CertPool
		s.tlsConf, pool = SelfSigned(t)
		s.ClientTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	}
	s.listen(t, "127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) listen(t testing.TB, addr string) {
	t.Helper()
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true // loopback only
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ { // a restarted server's port may linger a moment
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	switch s.mode {
	case StartTLS:
		srv.TLSConfig = s.tlsConf
	case Implicit:
		l = tls.NewListener(l, s.tlsConf)
	}
	s.mu.Lock()
	s.srv, s.ln, s.Addr = srv, l, l.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Stop closes the server and every connection: the mail server is down.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// The listener too: Serve may not have taken it yet.
		_ = ln.Close()
		_ = srv.Close()
	}
}

// Restart runs the server again on the same address after Stop.
func (s *Server) Restart() {
	s.t.Helper()
	s.listen(s.t, s.Addr)
}

// SetRefuseRcpt makes the server refuse recipients, or accept them again.
func (s *Server) SetRefuseRcpt(refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.RefuseRcpt = refuse
}

// Received returns a copy of what the server accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// MailFroms returns the senders of the MAIL FROM commands the server
// accepted, including those of messages that went no further.
func (s *Server) MailFroms() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.froms...)
}

// Count is how many messages the server accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	auth bool
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.s.User || pass != ss.s.Pass {
			return smtp.ErrAuthFailed
		}
		ss.auth, ss.user = true, user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.User != "" && !ss.auth {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	ss.s.mu.Lock()
	ss.s.froms = append(ss.s.froms, from)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	refuse := ss.s.RefuseRcpt
	ss.s.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "<" + to + ">: Recipient address rejected: User unknown"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	if f := ss.s.BeforeData; f != nil {
		if err := f(ss.s.Count()); err != nil {
			return err
		}
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err // the client went away in the middle: nothing accepted
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.received = append(ss.s.received, Received{From: ss.from, To: append([]string(nil), ss.to...),
		Data: b, User: ss.user, TLS: isTLS})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// SelfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func SelfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
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
