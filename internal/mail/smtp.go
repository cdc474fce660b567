package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP is a Sender that delivers through an SMTP server (a relay or the
// provider's submission service), one connection per message.
type SMTP struct {
	host     string
	port     int
	implicit bool // smtps://: TLS from the first byte
	policy   gomail.TLSPolicy
	user     string
	pass     string
	from     *netmail.Address
	timeout  time.Duration

	// TLSConfig, when set, replaces the default TLS settings (system roots,
	// ServerName = host), e.g. to trust a private CA. Set it before the
	// first Send.
	TLSConfig *tls.Config
}

// NewSMTP configures delivery through the server named by u:
// smtp://[user:pass@]host[:port] (default port 587; STARTTLS required, or
// when the server offers it for a relay on this machine) or smtps://…
// (implicit TLS, default port 465). The query
// "starttls=required|opportunistic|none" sets the STARTTLS policy of
// smtp://; the last two only for a loopback host. With a user, the client authenticates with the strongest
// mechanism both sides know; go-mail refuses to send a PLAIN or LOGIN
// password over an unencrypted connection except to localhost. An empty
// from means DefaultFrom.
func NewSMTP(u *url.URL, from string) (*SMTP, error) {
	f, err := parseFrom(from)
	if err != nil {
		return nil, err
	}
	s := &SMTP{from: f, timeout: 30 * time.Second, policy: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		s.port = gomail.DefaultPortTLS
	case "smtps":
		s.implicit, s.port = true, gomail.DefaultPortSSL
	default:
		return nil, fmt.Errorf("mail: smtp: scheme %q is not smtp or smtps", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, errors.New("mail: smtp: the address has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("mail: smtp: bad port %q", p)
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "starttls" {
			return nil, fmt.Errorf("mail: smtp: unknown parameter %q", k)
		}
	}
	// Mail carries addresses and links that sign people in: it crosses a
	// network only encrypted. A server elsewhere must offer STARTTLS (an
	// opportunistic client would fall back to plain text for whoever strips
	// the offer); plain SMTP is for a relay on this machine.
	local := isLoopback(s.host)
	if !local {
		s.policy = gomail.TLSMandatory
	}
	if v := q.Get("starttls"); v != "" {
		if s.implicit {
			return nil, errors.New("mail: smtp: starttls does not apply to smtps://, which is TLS from the start")
		}
		switch v {
		case "required":
			s.policy = gomail.TLSMandatory
		case "opportunistic", "none":
			if !local {
				return nil, fmt.Errorf("mail: smtp: starttls=%s only for a relay on this machine (localhost, 127.0.0.1, ::1): mail to %s must be encrypted", v, s.host)
			}
			s.policy = gomail.TLSOpportunistic
			if v == "none" {
				s.policy = gomail.NoTLS
			}
		default:
			return nil, fmt.Errorf("mail: smtp: starttls=%q is not required, opportunistic or none", v)
		}
	}
	return s, nil
}

// isLoopback reports whether host names this machine: "localhost" or a
// loopback address, written as such (a name is not resolved: what it
// resolves to may change).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authMechanisms lists what we offer to authenticate with, best first.
// PLAIN and LOGIN come last and, without the -NOENC variants, go-mail
// sends them only over TLS or to localhost.
var authMechanisms = []gomail.SMTPAuthType{
	gomail.SMTPAuthSCRAMSHA256PLUS, gomail.SMTPAuthSCRAMSHA256,
	gomail.SMTPAuthSCRAMSHA1PLUS, gomail.SMTPAuthSCRAMSHA1,
	gomail.SMTPAuthCramMD5, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin,
}

// client makes a fresh go-mail client: its auth negotiation writes to the
// client, so one client per send keeps concurrent sends apart.
func (s *SMTP) client(ctx context.Context) (*gomail.Client, error) {
	tc := &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	if s.TLSConfig != nil {
		tc = s.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.host
		}
	}
	// go-mail uses ctx for the dial only and its timeout for every later
	// command: a caller's shorter deadline must bound both.
	timeout := s.timeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = max(min(timeout, time.Until(dl)), time.Millisecond)
	}
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSPolicy(s.policy),
		gomail.WithTLSConfig(tc),
	}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	}
	if s.user != "" {
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(authMechanisms...),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: smtp: %w", err)
	}
	return c, nil
}

// Send delivers m. The error says at which step delivery failed and the
// server's status codes, never the recipient's address (servers often
// quote it in their replies, and go-mail repeats it in its errors).
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := build(m, s.from, time.Now())
	if err != nil {
		return err
	}
	c, err := s.client(ctx)
	if err != nil {
		return err
	}
	// Before MAIL FROM the client has not seen the recipient, so errors
	// from here cannot hold it; server replies are still reduced to codes.
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return &Error{Op: connectOp(err), Code: replyCode(err), Enhanced: enhancedCode(err),
			Temporary: isTemporary(err), cause: connectCause(err)}
	}
	sendErr := c.SendWithSMTPClient(conn, msg)
	closeErr := c.CloseWithSMTPClient(conn)
	if sendErr != nil {
		return sanitizeSendError(sendErr)
	}
	if closeErr != nil && !msg.IsDelivered() {
		return &Error{Op: "quit", Code: replyCode(closeErr), Enhanced: enhancedCode(closeErr)}
	}
	return nil // a failed QUIT after an accepted DATA still means delivered
}

// Error is a failed SMTP delivery, with the recipient's address left out.
type Error struct {
	Op        string // connect, mail from, rcpt to, data, quit, …
	Code      int    // SMTP reply code, 0 when the server did not answer
	Enhanced  string // RFC 3463 status such as "5.1.1", when the server gave one
	Temporary bool   // a 4xx reply or a network timeout: worth retrying later
	cause     error  // only causes known to hold no address
}

func (e *Error) Error() string {
	s := "mail: smtp: " + e.Op + " failed"
	if e.Code != 0 {
		s += ": server replied " + strconv.Itoa(e.Code)
		if e.Enhanced != "" {
			s += " " + e.Enhanced
		}
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap gives the network or context error behind a failed connection,
// never a server reply.
func (e *Error) Unwrap() error { return e.cause }

// sendErrorOps names go-mail's delivery steps.
var sendErrorOps = map[gomail.SendErrReason]string{
	gomail.ErrGetSender:     "sender address",
	gomail.ErrGetRcpts:      "recipient address",
	gomail.ErrSMTPMailFrom:  "MAIL FROM",
	gomail.ErrSMTPRcptTo:    "RCPT TO",
	gomail.ErrSMTPData:      "DATA",
	gomail.ErrSMTPDataClose: "end of DATA",
	gomail.ErrSMTPReset:     "RSET",
	gomail.ErrWriteContent:  "writing the message",
	gomail.ErrConnCheck:     "connection check",
	gomail.ErrNoUnencoded:   "8BITMIME",
}

// sanitizeSendError keeps the step and the status codes of go-mail's
// SendError, whose text lists the affected recipients.
func sanitizeSendError(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &Error{Op: "send"}
	}
	op, ok := sendErrorOps[se.Reason]
	if !ok {
		op = "send"
	}
	return &Error{Op: op, Code: se.ErrorCode(), Enhanced: se.EnhancedStatusCode(), Temporary: se.IsTemp()}
}

// connectCause keeps the errors of the dial, TLS and auth steps that
// carry no server text: network, context and certificate errors and
// go-mail's own fixed messages (no STARTTLS, no common auth mechanism,
// unencrypted connection). A server's reply text could quote anything,
// so it is reduced to its codes.
func connectCause(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return nil
	}
	return err
}

// connectOp names the step of a failed connection: the reply codes of
// RFC 4954 mean the credentials, anything else the connection itself.
func connectOp(err error) string {
	switch replyCode(err) {
	case 530, 534, 535, 538:
		return "authentication"
	}
	return "connect"
}

// replyCode is the SMTP reply code inside err, or 0.
func replyCode(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	return 0
}

var enhancedRe = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}\b`)

// enhancedCode is the RFC 3463 status at the start of a server reply, or "".
func enhancedCode(err error) string {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return enhancedRe.FindString(tp.Msg)
	}
	return ""
}

// isTemporary reports a 4xx reply or a network timeout.
func isTemporary(err error) bool {
	if c := replyCode(err); c != 0 {
		return c >= 400 && c < 500
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
