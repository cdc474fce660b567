// Package mail sends the portal's email: the administration corresponds
// with users by email (clause 1.2 (a)) and tells them about new versions of
// the agreement (clause 3.4). go-mail builds every message (multipart/
// alternative, UTF-8, encoded bodies and headers) and speaks SMTP; this
// package only chooses the words and where the bytes go: an SMTP server,
// or, when none is configured, an outbox directory of .eml files.
//
// A recipient address is personal data: it is never logged and never
// appears in an error from this package.
package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// DefaultFrom is the From address used when none is configured.
const DefaultFrom = "smartustaz <no-reply@smartustaz.local>"

// ErrRecipient means the recipient address is not a single valid address.
// It deliberately does not say which address.
var ErrRecipient = errors.New("mail: invalid recipient address")

// Message is one outgoing email. To is a personal value: never log it.
type Message struct {
	To         string
	Subject    string
	Text, HTML string
	Lang       i18n.Lang
	// ReplyTo, when set, is where the recipient's answer goes (a thread's
	// reply+TOKEN address). Personal only in that it routes to a thread.
	ReplyTo string
	// ListUnsubscribe, when set, is the https link that stops this kind of
	// bulk mail in one click (RFC 2369 and RFC 8058).
	ListUnsubscribe string

	// Kind names the kind of message ("verify", "agreement",
	// "library.approved"): shown to the administrator, never personal.
	Kind string
	// Key, when set, is the message's idempotency key: the queue
	// (internal/mailq) accepts a second message with the same key as the
	// same message and sends it once. It must not hold personal data
	// (ids and names: "announce/agreement/3/user/42"); the queue stores
	// only its keyed hash all the same.
	Key string
	// MessageID, when set, is the Message-ID header (without <>): the
	// queue gives each message one at enqueueing, so every attempt to
	// deliver it carries the same one and a receiver can tell a resend
	// after a crash from a new message. Empty: a random one.
	MessageID string
}

// String hides the recipient so a Message that reaches a log by accident
// shows only what is not personal.
func (m Message) String() string {
	return fmt.Sprintf("mail.Message{To: [redacted], Subject: %q, Lang: %s}", m.Subject, m.Lang)
}

// GoString is String, for %#v.
func (m Message) GoString() string { return m.String() }

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Open returns the SMTP sender when smtpURL is set (smtp://user:pass@host:port,
// smtps://… for implicit TLS; "?starttls=required|opportunistic|none",
// required unless the host is this machine: NewSMTP), else an outbox
// sender writing to
// dataDir/outbox. An empty from means DefaultFrom.
func Open(smtpURL, dataDir, from string) (Sender, error) {
	if _, err := parseFrom(from); err != nil {
		return nil, err
	}
	if smtpURL == "" {
		if dataDir == "" {
			return nil, errors.New("mail: open: neither an SMTP server nor a data directory is configured")
		}
		return NewOutbox(filepath.Join(dataDir, "outbox"), from), nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		// url.Parse quotes the whole URL, password included: say less.
		return nil, errors.New("mail: open: the SMTP address is not a valid URL")
	}
	s, err := NewSMTP(u, from)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// parseFrom parses the configured From address, DefaultFrom when empty.
func parseFrom(from string) (*netmail.Address, error) {
	if from == "" {
		from = DefaultFrom
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: the From address %q is not valid: %w", from, err)
	}
	return a, nil
}

// build turns m into a go-mail message: the one place that decides the
// headers, so the outbox holds exactly what SMTP would have carried.
func build(m Message, from *netmail.Address, now time.Time) (*gomail.Msg, error) {
	to, err := netmail.ParseAddress(m.To)
	if err != nil || to.Address == "" {
		return nil, ErrRecipient
	}
	enc := gomail.EncodingB64 // Cyrillic: base64 is a third shorter than quoted-printable
	if m.Lang == i18n.EN {
		enc = gomail.EncodingQP
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(enc),
		gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	msg.ToMailAddress(&netmail.Address{Address: to.Address})
	msg.Subject(m.Subject)
	msg.SetDateWithValue(now)
	id := m.MessageID
	if id == "" {
		id = NewMessageID(from.Address)
	}
	msg.SetMessageIDWithValue(id)
	// RFC 3834: tells vacation responders and mailing lists not to answer.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	if l, ok := i18n.Parse(string(m.Lang)); ok {
		msg.SetGenHeader(gomail.HeaderContentLang, string(l))
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("mail: the reply address is not valid: %w", err)
		}
	}
	if m.ListUnsubscribe != "" {
		// One-click (RFC 8058) needs an https link; a site served over
		// plain http (a test, a LAN) still advertises the link.
		if err := msg.SetListUnsubscribeOneClick(m.ListUnsubscribe); err != nil {
			msg.SetListUnsubscribe(m.ListUnsubscribe)
		}
	}
	msg.SetBodyString(gomail.TypeTextPlain, crlf(m.Text))
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, crlf(m.HTML))
	}
	return msg, nil
}

// crlf gives text its MIME canonical line breaks (RFC 2049): the
// quoted-printable encoder does this itself, base64 keeps bytes as given.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// NewMessageID is a random Message-ID (without <>) that names the
// sender's domain, not this machine's host name (go-mail's default),
// which is nobody's business. An empty or unparsable fromAddr means the
// domain of DefaultFrom.
func NewMessageID(fromAddr string) string {
	if a, err := parseFrom(fromAddr); err == nil {
		fromAddr = a.Address
	}
	domain := "smartustaz.local"
	if i := strings.LastIndexByte(fromAddr, '@'); i >= 0 && i+1 < len(fromAddr) {
		domain = fromAddr[i+1:]
	}
	return randomHex(16) + "@" + domain
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
