package cluster_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/cluster"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// recorder collects what a bus hands to its handlers.
type recorder struct {
	mu     sync.Mutex
	got    []string
	resync int
	ch     chan struct{}
}

func newRecorder(b *cluster.Bus, topic string) *recorder {
	r := &recorder{ch: make(chan struct{}, 100)}
	b.On(topic, func(p string) {
		r.mu.Lock()
		r.got = append(r.got, p)
		r.mu.Unlock()
		r.ch <- struct{}{}
	})
	b.OnResync(func() {
		r.mu.Lock()
		r.resync++
		r.mu.Unlock()
		r.ch <- struct{}{}
	})
	return r
}

func (r *recorder) snapshot() ([]string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...), r.resync
}

// waitFor waits until cond holds, for at most 5 s (a notification takes
// milliseconds; the bound only keeps a broken bus from hanging the test).
func (r *recorder) waitFor(t *testing.T, what string, cond func(got []string, resync int) bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if cond(r.snapshot()) {
			return
		}
		select {
		case <-r.ch:
		case <-deadline:
			got, resync := r.snapshot()
			t.Fatalf("%s: got %q, %d resyncs", what, got, resync)
		}
	}
}

func run(t *testing.T, b *cluster.Bus) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-b.Listening():
	case <-time.After(10 * time.Second):
		t.Fatal("the bus did not start listening")
	}
}

// Two processes on one PostgreSQL database: a change published by one
// reaches the other's handlers, and the publisher's own handlers exactly
// once (at once, not again when its own notification comes back).
func TestBusBetweenNodes(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.Postgres)
	log := slog.New(slog.DiscardHandler)
	a, b := cluster.New(d, log), cluster.New(d, log)
	ra, rb := newRecorder(a, cluster.TopicMaterial), newRecorder(b, cluster.TopicMaterial)
	run(t, a)
	run(t, b)

	a.Publish(ctx, cluster.TopicMaterial, "42")
	rb.waitFor(t, "node B after node A published", func(got []string, _ int) bool { return len(got) == 1 && got[0] == "42" })
	b.Publish(ctx, cluster.TopicMaterial, "43")
	ra.waitFor(t, "node A after node B published", func(got []string, _ int) bool { return len(got) == 2 && got[1] == "43" })
	// By the time A has B's change it has had its own notification back
	// too (one connection delivers in order): still counted once.
	if got, _ := ra.snapshot(); got[0] != "42" || len(got) != 2 {
		t.Errorf("node A's handlers saw %q, want [42 43]", got)
	}
	if got, _ := rb.snapshot(); len(got) != 2 || got[1] != "43" {
		t.Errorf("node B's handlers saw %q, want [42 43]", got)
	}
}

// A node whose listening connection is cut (a PostgreSQL restart, a
// network blip) may have missed changes meanwhile: when it listens again
// it drops everything it keeps, and then hears changes again.
func TestBusResyncAfterLostConnection(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.Postgres)
	log := slog.New(slog.DiscardHandler)
	a, b := cluster.New(d, log), cluster.New(d, log)
	b.ReconnectDelay = 50 * time.Millisecond
	rb := newRecorder(b, cluster.TopicPages)
	run(t, a)
	run(t, b)
	_, before := rb.snapshot()

	// Cut every listening connection but ours.
	if _, err := d.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'listen%'`); err != nil {
		t.Fatal(err)
	}
	rb.waitFor(t, "node B after its connection was cut", func(_ []string, resync int) bool { return resync > before })
	a.Publish(ctx, cluster.TopicPages, "")
	rb.waitFor(t, "node B after reconnecting", func(got []string, _ int) bool { return len(got) == 1 })
}

// SQLite is one process: Publish applies the change here and sends nothing.
func TestBusSQLite(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	b := cluster.New(d, slog.New(slog.DiscardHandler))
	r := newRecorder(b, cluster.TopicPages)
	run(t, b)
	b.Publish(context.Background(), cluster.TopicPages, "")
	if got, resync := r.snapshot(); len(got) != 1 || resync != 0 {
		t.Errorf("after one change: handlers saw %q, %d resyncs; want one change, no resync", got, resync)
	}
}
