// Package cluster tells every serve process of a site what changed, so
// caches kept in one process's memory (public pages, the taxonomy, the
// related-materials lists, users' data keys) are dropped on every node
// the moment one node changes what they hold, not after their TTL (issue
// 14 §5).
//
// On PostgreSQL a change is a NOTIFY on one channel; each process LISTENs
// on a connection of its own (github.com/jackc/pgxlisten keeps it open and
// reconnects). A notification is not stored: one sent while a process was
// not listening is lost to it, so after every (re)connection the process
// drops all it keeps (OnResync), and the TTLs of the caches stay as the
// last fallback. On SQLite there is one process, and Publish only calls
// the local handlers.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"

	"github.com/smartustaz/smartustaz/internal/db"
)

// Channel is the PostgreSQL notification channel every process listens on.
const Channel = "smartustaz_changes"

// Topics of changes. A payload says which thing changed, when a topic has
// one (a material id, a user id).
const (
	// TopicPages: anything a public page shows may have changed.
	TopicPages = "pages"
	// TopicMaterial: the pages of one material changed (payload: its id).
	TopicMaterial = "material"
	// TopicUserKey: a user's data key is gone (payload: the user id).
	TopicUserKey = "userkey"
)

// Bus sends changes to every process and hands those of the others to
// the handlers registered with On. The zero value is not usable; use New.
type Bus struct {
	db   *db.DB
	log  *slog.Logger
	node string // this process, so it skips its own notifications

	mu       sync.RWMutex
	handlers map[string][]func(payload string)
	resync   []func()

	// listening is closed once the first LISTEN is in place (tests wait
	// for it; a change published before that is caught by the resync).
	listening chan struct{}
	once      sync.Once
	// ReconnectDelay is how long Run waits before listening again after
	// losing its connection (default 1 s).
	ReconnectDelay time.Duration
}

// New returns a bus over d. Call Run to receive other processes' changes.
func New(d *db.DB, log *slog.Logger) *Bus {
	var b [8]byte
	rand.Read(b[:])
	return &Bus{db: d, log: log, node: hex.EncodeToString(b[:]),
		handlers: map[string][]func(string){}, listening: make(chan struct{})}
}

// On registers fn for changes of topic, made by this process or another.
// Register before Run.
func (b *Bus) On(topic string, fn func(payload string)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handlers[topic] = append(b.handlers[topic], fn)
}

// OnResync registers fn for when changes may have been missed (the
// listening connection was lost and made again): fn drops everything it
// keeps.
func (b *Bus) OnResync(fn func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.resync = append(b.resync, fn)
}

// Publish applies a change here at once and sends it to every other
// process. Sending is best effort: when it fails (the database is
// unreachable) the other processes see the change within their caches'
// TTL, and the failure is logged.
func (b *Bus) Publish(ctx context.Context, topic, payload string) {
	b.dispatch(topic, payload)
	if b.db.Engine() != db.Postgres {
		return
	}
	msg := b.node + "|" + topic + "|" + payload
	if _, err := b.db.Exec(ctx, `SELECT pg_notify(?, ?)`, Channel, msg); err != nil {
		b.log.Warn("cluster: could not tell the other nodes of a change; they see it within their caches' TTL",
			"topic", topic, "err", err)
	}
}

func (b *Bus) dispatch(topic, payload string) {
	b.mu.RLock()
	hs := b.handlers[topic]
	b.mu.RUnlock()
	for _, h := range hs {
		h(payload)
	}
}

func (b *Bus) dropAll() {
	b.mu.RLock()
	rs := b.resync
	b.mu.RUnlock()
	for _, r := range rs {
		r()
	}
}

// Listening is closed once this process first listens for the others'
// changes (at once on SQLite).
func (b *Bus) Listening() <-chan struct{} {
	if b.db.Engine() != db.Postgres {
		b.once.Do(func() { close(b.listening) })
	}
	return b.listening
}

// Run receives the other processes' changes until ctx ends. On SQLite
// there are none, and it only waits.
func (b *Bus) Run(ctx context.Context) {
	if b.db.Engine() != db.Postgres {
		b.once.Do(func() { close(b.listening) })
		<-ctx.Done()
		return
	}
	delay := b.ReconnectDelay
	if delay == 0 {
		delay = time.Second
	}
	l := &pgxlisten.Listener{
		Connect:        b.db.ListenConn,
		ReconnectDelay: delay,
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				b.log.Warn("cluster: listening for other nodes' changes failed; reconnecting, caches dropped meanwhile rely on their TTL", "err", err)
			}
		},
	}
	l.Handle(Channel, handler{b})
	l.Listen(ctx)
}

// handler is the bus as pgxlisten's handler.
type handler struct{ b *Bus }

// HandleBacklog runs after every LISTEN: whatever changed while this
// process was not listening is unknown, so every cache is dropped.
func (h handler) HandleBacklog(ctx context.Context, channel string, conn *pgx.Conn) error {
	h.b.dropAll()
	h.b.once.Do(func() { close(h.b.listening) })
	return nil
}

func (h handler) HandleNotification(ctx context.Context, n *pgconn.Notification, conn *pgx.Conn) error {
	node, rest, ok := strings.Cut(n.Payload, "|")
	if !ok {
		return fmt.Errorf("cluster: malformed notification")
	}
	if node == h.b.node {
		return nil // applied when it was published
	}
	topic, payload, _ := strings.Cut(rest, "|")
	h.b.dispatch(topic, payload)
	return nil
}
