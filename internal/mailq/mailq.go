// Package mailq is the site's one outgoing mail queue (issue 10 §1,
// clause 1.2 (a)): every message the site sends — account mail, moderation
// decisions, the announcement of a new agreement version, and whatever
// later code sends through a mail.Sender — is first a row of mail_queue,
// written in a transaction (the caller's own, with SendTx), and then
// handed to the configured mail.Sender (SMTP or the .eml outbox) by a job
// of internal/jobs. A crash, a restart or a mail server that is down for
// hours loses nothing: the row and its job are in the database, any node
// takes the job, and a failed attempt is retried with exponential backoff
// for RetryFor (24 hours by default) before the message is marked failed
// with the server's reason. A 5xx answer fails it at once.
//
// A Queue is itself a mail.Sender (Send enqueues), so code written against
// mail.Sender goes through the queue without knowing it.
//
// Personal data stays sealed: the recipient, subject, bodies and the
// reply and unsubscribe addresses are encrypted by internal/vault with the
// queue's data key (KeyOwner) and wiped once the message is sent; the
// jobs' arguments hold only the row id; the reason kept for a failure is
// the server's status codes without any address.
//
// Delivery is at least once: a message is marked sent right after the
// server accepted it, and a message marked sent is never handed over
// again. A node killed between the server's acceptance and that mark
// sends the message again when the job is taken again — with the same
// Message-ID, so the receiving side can tell it is the same message.
package mailq

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// KeyOwner is the owner of the queue's data key in the vault: no user has
// a negative id, so the key is the site's own. It is wrapped by the master
// key like every user's and rotated with them (keys rotate).
const KeyOwner int64 = -1

// Bulk mail waits in a River queue of its own, worked by one worker per
// node, so an announcement to every user paces itself without holding up
// a verification link.
const BulkQueue = "mail_bulk"

// Defaults of Options.
const (
	DefaultRate     = 5.0 // bulk messages a second, all nodes together
	DefaultRetryFor = 24 * time.Hour
	DefaultKeep     = 30 * 24 * time.Hour
)

// Statuses of a message.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
)

// Options configure a Queue; zero values take the defaults.
type Options struct {
	// Rate is how many bulk messages a second the site hands to the mail
	// server, all nodes together (--mail-rate; default 5). Other mail is
	// not paced: a verification link must not wait behind an announcement.
	Rate float64
	// RetryFor is how long a message that fails with a temporary error
	// (a 4xx answer, a server that does not answer) is tried again before
	// it is marked failed (default 24 hours). The job queue's backoff
	// decides when (10 s doubling up to an hour).
	RetryFor time.Duration
	// Keep is how long a sent or failed message's row (kind, language,
	// status, reason; no personal data once sent) stays for the
	// administrator's page (default 30 days).
	Keep time.Duration
	// From is the configured From address: it names the domain of the
	// Message-IDs.
	From string
	// Log receives failures, without addresses; nil discards them.
	Log *slog.Logger
}

// Queue is the outgoing mail queue over a database, sealing with a vault
// and delivering through out from the jobs of jq.
type Queue struct {
	d   *db.DB
	v   *vault.Vault
	jq  *jobs.Queue
	out mail.Sender
	o   Options
}

// New returns the queue. Call Register before the job queue starts.
func New(d *db.DB, v *vault.Vault, jq *jobs.Queue, out mail.Sender, o Options) *Queue {
	if o.Rate <= 0 {
		o.Rate = DefaultRate
	}
	if o.RetryFor <= 0 {
		o.RetryFor = DefaultRetryFor
	}
	if o.Keep <= 0 {
		o.Keep = DefaultKeep
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Queue{d: d, v: v, jq: jq, out: out, o: o}
}

// sendArgs and bulkArgs are a message's job: only its row id, and Try,
// which the administrator's retry sets (the time of it), so the retry's
// job is not taken for a duplicate of the one that just failed and may
// not have been recorded as done yet.
type sendArgs struct {
	ID  int64 `json:"id,string"`
	Try int64 `json:"try,string,omitempty"`
}

func (sendArgs) Kind() string { return "mail.send" }

type bulkArgs struct {
	ID  int64 `json:"id,string"`
	Try int64 `json:"try,string,omitempty"`
}

func (bulkArgs) Kind() string { return "mail.bulk" }

// pruneArgs is the daily removal of old rows.
type pruneArgs struct{}

func (pruneArgs) Kind() string { return "mail.prune" }

// maxAttempts is far more than RetryFor needs with the queue's backoff
// (an hour at most between attempts): the message's age, not this
// count, ends its retries.
const maxAttempts = 200

// Register makes the queue's data key if the site has none yet, and tells
// the job queue how to deliver. Call it before the job queue starts.
func (q *Queue) Register(ctx context.Context) error {
	if err := q.ensureKey(ctx); err != nil {
		return err
	}
	jobs.Register(q.jq, jobs.Kind{Unique: true, MaxAttempts: maxAttempts}, func(ctx context.Context, a sendArgs) error {
		return q.deliver(ctx, a.ID, false)
	})
	jobs.Register(q.jq, jobs.Kind{Queue: BulkQueue, Unique: true, MaxAttempts: maxAttempts,
		Timeout: 2*time.Minute + q.interval()}, func(ctx context.Context, a bulkArgs) error {
		return q.deliver(ctx, a.ID, true)
	})
	jobs.Register(q.jq, jobs.Kind{}, func(ctx context.Context, _ pruneArgs) error {
		_, err := q.Prune(ctx)
		return err
	})
	if err := q.jq.Work(BulkQueue, 1); err != nil {
		return err
	}
	return q.jq.Every(24*time.Hour, pruneArgs{})
}

// ensureKey makes the queue's data key once for the whole site. The row
// of mail_rate is locked first, so two nodes starting together do not
// both make one.
func (q *Queue) ensureKey(ctx context.Context) error {
	if _, err := q.d.Exec(ctx, `INSERT INTO mail_rate (name, next_at) VALUES ('bulk', 0) ON CONFLICT (name) DO NOTHING`); err != nil {
		return fmt.Errorf("mailq: %w", err)
	}
	err := q.d.InTx(ctx, func(tx *db.Tx) error {
		var next int64
		if err := tx.QueryRow(ctx, `SELECT next_at FROM mail_rate WHERE name = 'bulk'`+db.ForUpdate(tx.Engine())).Scan(&next); err != nil {
			return err
		}
		_, err := q.v.UserKey(ctx, tx, KeyOwner)
		if errors.Is(err, vault.ErrNoKey) {
			_, err = q.v.NewUserKey(ctx, tx, KeyOwner)
		}
		return err
	})
	if errors.Is(err, vault.ErrUnknownMasterKey) {
		// The key exists, wrapped by a master key this node lacks (a
		// rotation it has not caught up with): the node still starts, as
		// for every other sealed value, and its mail waits for a node
		// that holds the key (or for the key file to reach this one).
		q.o.Log.Warn("mailq: this node cannot open the mail queue's data key yet", "err", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("mailq: the queue's data key: %w", err)
	}
	return nil
}

// Option changes how one message is enqueued.
type Option func(*enqueue)

type enqueue struct{ bulk string }

// Bulk puts the message in the bulk send named name (see BeginBulk): it
// is paced by Options.Rate and counted in the send's progress.
func Bulk(name string) Option { return func(e *enqueue) { e.bulk = name } }

// Send enqueues m in a transaction of its own: mail.Sender for every
// caller that has no transaction. It returns once the message is stored;
// delivery happens in the background.
func (q *Queue) Send(ctx context.Context, m mail.Message) error {
	return q.d.InTx(ctx, func(tx *db.Tx) error { return q.SendTx(ctx, tx, m) })
}

// BulkSender is what a package needs of the queue to send a paced bulk
// send (import invitations, an incident's letters): the send opened, each
// message enqueued in the caller's transaction, the send closed. *Queue
// is one; tests may give their own.
type BulkSender interface {
	BeginBulk(ctx context.Context, tx *db.Tx, name, kind string) error
	EndBulk(ctx context.Context, tx *db.Tx, name string) error
	SendTx(ctx context.Context, tx *db.Tx, m mail.Message, opts ...Option) error
}

// SendTx enqueues m inside the caller's transaction: the message exists
// (and will be sent) only if the transaction commits. A message whose Key
// was enqueued before is the same message: nothing is added. An invalid
// recipient is refused at once (mail.ErrRecipient), nothing written.
func (q *Queue) SendTx(ctx context.Context, tx *db.Tx, m mail.Message, opts ...Option) error {
	var e enqueue
	for _, f := range opts {
		f(&e)
	}
	if a, err := netmail.ParseAddress(m.To); err != nil || a.Address == "" {
		return mail.ErrRecipient
	}
	k, err := q.v.UserKey(ctx, tx, KeyOwner)
	if err != nil {
		return fmt.Errorf("mailq: enqueue: %w", err)
	}
	var keyHash []byte
	if m.Key != "" {
		keyHash = q.v.BlindIndex("mailq.key", m.Key)
	} else {
		keyHash = make([]byte, 32)
		_, _ = rand.Read(keyHash) // crypto/rand.Read never fails (Go 1.24+)
	}
	msgID := m.MessageID
	if msgID == "" {
		msgID = mail.NewMessageID(q.o.From)
	}
	kind := m.Kind
	if kind == "" {
		kind = "other"
	}
	lang, ok := i18n.Parse(string(m.Lang))
	if !ok {
		lang = i18n.Default
	}
	id := db.NewID()
	f := func(col string) vault.Field { return vault.Field{Table: "mail_queue", Column: col, Row: id} }
	now := db.Now()
	res, err := tx.Exec(ctx, `INSERT INTO mail_queue (id, key_hash, message_id, kind, lang, bulk, status,
		rcpt, subject, body_text, body_html, reply_to, unsubscribe, created_at, retry_from, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING`,
		id, keyHash, msgID, kind, string(lang), e.bulk,
		k.Seal(f("rcpt"), m.To), k.Seal(f("subject"), m.Subject), k.Seal(f("body_text"), m.Text),
		k.Seal(f("body_html"), m.HTML), k.Seal(f("reply_to"), m.ReplyTo), k.Seal(f("unsubscribe"), m.ListUnsubscribe),
		now, now, now)
	if err != nil {
		return fmt.Errorf("mailq: enqueue: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // the same key: already queued (or sent)
	}
	return q.enqueueJob(ctx, tx, id, 0, e.bulk != "")
}

func (q *Queue) enqueueJob(ctx context.Context, tx *db.Tx, id, try int64, bulk bool) error {
	var a jobs.Args = sendArgs{ID: id, Try: try}
	if bulk {
		a = bulkArgs{ID: id, Try: try}
	}
	if err := q.jq.EnqueueTx(ctx, tx, a); err != nil {
		return fmt.Errorf("mailq: enqueue: %w", err)
	}
	return nil
}

// stored is a row as deliver reads it.
type stored struct {
	status, kind, lang, msgID, bulk string
	retryFrom                       int64
	rcpt, subject, text, html       []byte
	replyTo, unsubscribe            []byte
}

// deliver hands message id to the mail server: the job of both kinds.
func (q *Queue) deliver(ctx context.Context, id int64, bulk bool) error {
	var s stored
	err := q.d.QueryRow(ctx, `SELECT status, kind, lang, message_id, bulk, retry_from,
		rcpt, subject, body_text, body_html, reply_to, unsubscribe FROM mail_queue WHERE id = ?`, id).
		Scan(&s.status, &s.kind, &s.lang, &s.msgID, &s.bulk, &s.retryFrom,
			&s.rcpt, &s.subject, &s.text, &s.html, &s.replyTo, &s.unsubscribe)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // pruned
	}
	if err != nil {
		return fmt.Errorf("mailq: message %d: %w", id, err)
	}
	// Sent is final (idempotency); failed waits for the administrator.
	if s.status != StatusPending {
		return nil
	}
	m, err := q.open(ctx, id, s)
	if err != nil {
		return err
	}
	if bulk {
		if err := q.pace(ctx); err != nil {
			return err
		}
	}
	// The attempt is counted before it is made: a node killed in the
	// middle of it still shows it.
	if _, err := q.d.Exec(ctx, `UPDATE mail_queue SET attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'`,
		db.Now(), id); err != nil {
		return fmt.Errorf("mailq: message %d: %w", id, err)
	}
	sendErr := q.out.Send(ctx, m)
	if sendErr == nil {
		// The personal fields are no longer needed: wiped with the mark.
		if _, err := q.d.Exec(ctx, `UPDATE mail_queue SET status = 'sent', reason = '', sent_at = ?, updated_at = ?,
			rcpt = NULL, subject = NULL, body_text = NULL, body_html = NULL, reply_to = NULL, unsubscribe = NULL
			WHERE id = ?`, db.Now(), db.Now(), id); err != nil {
			// Delivered but not marked: the retry sends it again, with the
			// same Message-ID (at least once).
			return fmt.Errorf("mailq: message %d delivered, not marked sent: %w", id, err)
		}
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down or out of time: tried again
	}
	reason := Reason(sendErr, m.To)
	final := permanent(sendErr) || time.Since(db.Time(s.retryFrom)) >= q.o.RetryFor
	status := StatusPending
	if final {
		status = StatusFailed
	}
	if _, err := q.d.Exec(ctx, `UPDATE mail_queue SET status = ?, reason = ?, updated_at = ? WHERE id = ? AND status = 'pending'`,
		status, reason, db.Now(), id); err != nil {
		return fmt.Errorf("mailq: message %d: %w", id, err)
	}
	if final {
		q.o.Log.Warn("mailq: message failed", "message", id, "kind", s.kind, "reason", reason)
		return nil // the row says failed; the job is done
	}
	return fmt.Errorf("mailq: message %d not delivered yet: %s", id, reason)
}

// open unseals a stored message.
func (q *Queue) open(ctx context.Context, id int64, s stored) (mail.Message, error) {
	k, err := q.v.UserKey(ctx, q.d, KeyOwner)
	if err != nil {
		return mail.Message{}, fmt.Errorf("mailq: message %d: %w", id, err)
	}
	var firstErr error
	get := func(col string, ct []byte) string {
		sec, err := k.Open(vault.Field{Table: "mail_queue", Column: col, Row: id}, ct)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return sec.Reveal()
	}
	m := mail.Message{
		To: get("rcpt", s.rcpt), Subject: get("subject", s.subject),
		Text: get("body_text", s.text), HTML: get("body_html", s.html),
		ReplyTo: get("reply_to", s.replyTo), ListUnsubscribe: get("unsubscribe", s.unsubscribe),
		Lang: i18n.Lang(s.lang), Kind: s.kind, MessageID: s.msgID,
	}
	if firstErr != nil {
		return mail.Message{}, jobs.Permanent(fmt.Errorf("mailq: message %d: %w", id, firstErr))
	}
	return m, nil
}

// permanent reports an error no retry mends: a 5xx answer (the address
// refused, authentication refused) or an address that is not one.
func permanent(err error) bool {
	var me *mail.Error
	if errors.As(err, &me) {
		return me.Code >= 500 && me.Code < 600
	}
	return errors.Is(err, mail.ErrRecipient)
}

var addrRe = regexp.MustCompile(`[^\s<>"'(),;:]+@[^\s<>"'(),;:]+`)

// Reason is err as the administrator sees it: without the recipient or
// anything that looks like an address (mail.SMTP leaves addresses out
// already; another Sender may not), at most 300 bytes.
func Reason(err error, to string) string {
	s := err.Error()
	// An address that is not valid UTF-8 is not one (the queue refuses
	// it), and replacing it could split a letter of the message.
	if to != "" && utf8.ValidString(to) {
		s = strings.ReplaceAll(s, to, "[address]")
	}
	s = addrRe.ReplaceAllString(s, "[address]")
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "")
	}
	return s
}

// interval is the time between two bulk messages.
func (q *Queue) interval() time.Duration {
	return time.Duration(float64(time.Second) / q.o.Rate)
}

// pace waits for this node's turn to send a bulk message: the turns are
// in the database (mail_rate), so Rate holds for all nodes together.
// Each node works the bulk queue with one worker, so a node waits at most
// as many intervals as there are nodes.
func (q *Queue) pace(ctx context.Context) error {
	step := q.interval().Microseconds()
	var slot int64
	err := q.d.InTx(ctx, func(tx *db.Tx) error {
		var next int64
		if err := tx.QueryRow(ctx, `SELECT next_at FROM mail_rate WHERE name = 'bulk'`+db.ForUpdate(tx.Engine())).Scan(&next); err != nil {
			return err
		}
		slot = max(next, time.Now().UnixMicro())
		_, err := tx.Exec(ctx, `UPDATE mail_rate SET next_at = ? WHERE name = 'bulk'`, slot+step)
		return err
	})
	if err != nil {
		return fmt.Errorf("mailq: rate: %w", err)
	}
	wait := time.Until(time.UnixMicro(slot))
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WipeFailedAfter is how long a failed message keeps its sealed fields
// for the administrator's retry; then only its kind, status and reason
// stay, so an address that never took mail is not kept for long.
const WipeFailedAfter = 7 * 24 * time.Hour

// Prune wipes the sealed fields of messages failed for WipeFailedAfter
// and removes sent and failed messages older than Keep.
func (q *Queue) Prune(ctx context.Context) (int64, error) {
	if _, err := q.d.Exec(ctx, `UPDATE mail_queue SET rcpt = NULL, subject = NULL, body_text = NULL, body_html = NULL,
		reply_to = NULL, unsubscribe = NULL WHERE status = 'failed' AND updated_at < ? AND rcpt IS NOT NULL`,
		time.Now().Add(-WipeFailedAfter).UnixMilli()); err != nil {
		return 0, fmt.Errorf("mailq: prune: %w", err)
	}
	cut := time.Now().Add(-q.o.Keep).UnixMilli()
	res, err := q.d.Exec(ctx, `DELETE FROM mail_queue WHERE status IN ('sent', 'failed') AND updated_at < ?`, cut)
	if err != nil {
		return 0, fmt.Errorf("mailq: prune: %w", err)
	}
	if _, err := q.d.Exec(ctx, `DELETE FROM mail_bulk WHERE complete = 1 AND created_at < ?
		AND NOT EXISTS (SELECT 1 FROM mail_queue WHERE bulk = mail_bulk.name)`, cut); err != nil {
		return 0, fmt.Errorf("mailq: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
