package correspondence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Limiter slows down a client that keeps sending refused mail; the
// account package's throttle (in the database, shared by every node)
// fits: account.Service.Limiter("smtp", n).
type Limiter interface {
	Check(ctx context.Context, value string) error
	Fail(ctx context.Context, value string) error
}

// ListenerOptions configure the inbound SMTP listener.
type ListenerOptions struct {
	// Domain is the part after @ of the reply addresses.
	Domain string
	// MaxBytes bounds one message (default 10 MiB); larger ones get 552.
	MaxBytes int64
	// PerThreadHour bounds the replies one thread takes by email in an
	// hour (default 30).
	PerThreadHour int
	// Limiter, when set, blocks a client address after repeated refused
	// messages (forged tokens, malformed mail).
	Limiter Limiter
	// CheckFile, when set, applies the library's file rules to a reply's
	// attached file (library.CheckAttachment): a file that passes is kept
	// with the reply, one that does not is dropped (the text is kept).
	// Without it attached files are dropped.
	CheckFile func(ctx context.Context, name string, data []byte) (cleanName, kind string, err error)
	Log       *slog.Logger
}

// DefaultMaxBytes is the default size limit of one received message.
const DefaultMaxBytes = 10 << 20

// NewListener returns the SMTP server that receives replies and bounces.
// The caller serves it on a listener (Serve) and closes it at shutdown.
func (s *Service) NewListener(o ListenerOptions) *smtp.Server {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.PerThreadHour <= 0 {
		o.PerThreadHour = 30
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	srv := smtp.NewServer(&backend{s: s, o: o})
	srv.Domain = o.Domain
	srv.MaxMessageBytes = o.MaxBytes
	srv.MaxRecipients = 1
	srv.ReadTimeout = 2 * time.Minute
	srv.WriteTimeout = time.Minute
	srv.ErrorLog = quietLog{o.Log}
	return srv
}

// quietLog takes go-smtp's error log without the client addresses it
// prints (an address is personal data, clause 1.2 (c)): only that an
// error happened, and the kind of event.
type quietLog struct{ l *slog.Logger }

func (q quietLog) Printf(format string, _ ...any) {
	what, _, _ := strings.Cut(format, " %")
	q.l.Warn("smtp listener: " + strings.TrimSpace(what))
}

func (q quietLog) Println(...any) { q.l.Warn("smtp listener: an error") }

type backend struct {
	s *Service
	o ListenerOptions
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	ip := ""
	if a, ok := c.Conn().RemoteAddr().(*net.TCPAddr); ok {
		ip = a.IP.String()
	}
	return &session{b: b, ip: ip}, nil
}

// session is one SMTP transaction: one recipient, a reply address or,
// from the null sender, a bounce.
type session struct {
	b        *backend
	ip       string
	null     bool  // MAIL FROM:<> — a delivery-status notification
	threadID int64 // the reply address's thread
	bounce   bool  // a null-sender message to another address of ours
}

func smtpErr(code int, enh smtp.EnhancedCode, msg string) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: msg}
}

var (
	errBlocked   = smtpErr(450, smtp.EnhancedCode{4, 7, 1}, "Too many refused messages from your address; try again later")
	errRelay     = smtpErr(550, smtp.EnhancedCode{5, 7, 1}, "Relay not permitted: this server accepts only replies to its own reply addresses")
	errNoMailbox = smtpErr(550, smtp.EnhancedCode{5, 1, 1}, "No such mailbox: this server accepts only replies to reply+TOKEN addresses from its emails")
	errToken     = smtpErr(550, smtp.EnhancedCode{5, 1, 1}, "Unknown or forged reply token: this address belongs to no conversation")
	errBusy      = smtpErr(450, smtp.EnhancedCode{4, 7, 1}, "Too many replies to this conversation in the last hour; try again later")
	errNotDSN    = smtpErr(550, smtp.EnhancedCode{5, 7, 1}, "Only delivery-status notifications are accepted from the null sender here")
	errTooLong   = smtpErr(552, smtp.EnhancedCode{5, 3, 4}, "The reply's text is too long")
	errTemporary = smtpErr(451, smtp.EnhancedCode{4, 3, 0}, "Temporary failure; try again later")
)

func (x *session) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// refuse counts a refused message of the client and returns e.
func (x *session) refuse(ctx context.Context, e *smtp.SMTPError) error {
	if x.b.o.Limiter != nil {
		if err := x.b.o.Limiter.Fail(ctx, x.ip); err != nil {
			x.b.o.Log.Warn("smtp: count a refusal", "err", err)
		}
	}
	return e
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	ctx, cancel := x.ctx()
	defer cancel()
	if x.b.o.Limiter != nil && x.b.o.Limiter.Check(ctx, x.ip) != nil {
		return errBlocked
	}
	x.null = from == ""
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ctx, cancel := x.ctx()
	defer cancel()
	local, domain, ok := strings.Cut(to, "@")
	if !ok || !strings.EqualFold(domain, x.b.o.Domain) {
		return x.refuse(ctx, errRelay)
	}
	tok, isReply := strings.CutPrefix(strings.ToLower(local), "reply+")
	if !isReply {
		if x.null {
			x.bounce = true
			return nil
		}
		return x.refuse(ctx, errNoMailbox)
	}
	id, err := x.b.s.threadByToken(ctx, tok)
	if errors.Is(err, sql.ErrNoRows) {
		return x.refuse(ctx, errToken)
	}
	if err != nil {
		x.b.o.Log.Error("smtp: look up a reply token", "err", err)
		return errTemporary
	}
	if n, err := x.b.s.emailRepliesSince(ctx, id, time.Hour); err != nil {
		x.b.o.Log.Error("smtp: count replies", "err", err)
		return errTemporary
	} else if n >= x.b.o.PerThreadHour {
		return errBusy
	}
	x.threadID = id
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // go-smtp's 552 for a message over the size limit
	}
	ctx, cancel := x.ctx()
	defer cancel()
	in, err := ParseInbound(raw)
	if err != nil {
		_, why, _ := strings.Cut(err.Error(), "malformed message: ")
		return x.refuse(ctx, smtpErr(554, smtp.EnhancedCode{5, 6, 0}, "Malformed message: "+why))
	}
	if in.DSN {
		for _, b := range in.Bounces {
			if err := x.b.s.MarkUndeliverable(ctx, b.Recipient, b.Status); err != nil {
				x.b.o.Log.Error("smtp: record a bounce", "err", err)
				return errTemporary
			}
		}
		x.b.o.Log.Info("smtp: delivery-status notification received", "failed_recipients", len(in.Bounces))
		return nil
	}
	if x.bounce || x.threadID == 0 {
		return x.refuse(ctx, errNotDSN)
	}
	var att *Attachment
	if in.File != nil && x.b.o.CheckFile != nil && len(in.File.Data) <= MaxAttachment {
		if name, kind, err := x.b.o.CheckFile(ctx, in.File.Name, in.File.Data); err == nil {
			att = &Attachment{Name: name, Kind: kind, Data: in.File.Data}
		} else {
			x.b.o.Log.Info("smtp: a reply's attached file was refused by the file rules and dropped", "thread", x.threadID)
		}
	}
	if err := x.b.s.receive(ctx, x.threadID, in.Text, att); err != nil {
		var fs apperr.Fields
		if errors.As(err, &fs) {
			return errTooLong
		}
		x.b.o.Log.Error("smtp: store a reply", "err", err)
		return errTemporary
	}
	x.b.o.Log.Info("smtp: reply received", "thread", x.threadID)
	return nil
}

func (x *session) Reset()        { x.null, x.threadID, x.bounce = false, 0, false }
func (x *session) Logout() error { return nil }

// threadByToken finds the thread of a reply token (sql.ErrNoRows: none).
func (s *Service) threadByToken(ctx context.Context, tok string) (int64, error) {
	if len(tok) < 16 || len(tok) > 64 {
		return 0, sql.ErrNoRows
	}
	var id int64
	err := s.db.QueryRow(ctx, `SELECT thread_id FROM corr_tokens WHERE token_hash = ?`, tokenHash(tok)).Scan(&id)
	return id, err
}

func (s *Service) emailRepliesSince(ctx context.Context, id int64, d time.Duration) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM corr_messages WHERE thread_id = ? AND via = ? AND created_at > ?`,
		id, ViaEmail, s.now().Add(-d).UnixMilli()).Scan(&n)
	return n, err
}

// receive stores a reply received by email in its thread.
func (s *Service) receive(ctx context.Context, id int64, text string, att *Attachment) error {
	_, body, err := clean("", text, false)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.loadThread(ctx, tx, id)
		if err != nil {
			return err
		}
		k, err := s.v.UserKey(ctx, tx, r.keyOwner)
		if err != nil {
			return err
		}
		return s.insertMessage(ctx, tx, k, id, AuthorUser, ViaEmail, r.t.UserID, body, att)
	})
	if err != nil {
		return fmt.Errorf("correspondence: receive: %w", err)
	}
	return nil
}
