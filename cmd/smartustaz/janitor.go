package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/retention"
)

// The janitor deletes what the site no longer needs (LAW.md L8: personal
// data is kept no longer than its purpose). What is shared by every node
// is done once an hour across all of them, as scheduled jobs of the
// durable queue (registerJanitor): account.Purge removes expired
// single-use links, sessions ended or expired more than
// account.SessionRetention ago, and throttle counters idle for a day;
// library.CollectBlobs collects stored files (blobJanitor). What is each
// node's own runs on every node (nodeJanitor): its deletion list and
// SQLite checkpoint, and its temporary files of dead uploads.
const (
	// janitorFirst is the wait before the first purge: long enough that a
	// start or a restart is not slowed by it, short enough that a node
	// restarted often still purges.
	janitorFirst = time.Minute
	// janitorEvery is the wait between purges. The rows it removes are
	// already unusable (expired, ended), so an hour late costs nothing.
	janitorEvery = time.Hour
)

// purger is what the janitor runs: account.Service.Purge.
type purger interface {
	Purge(ctx context.Context) (int64, error)
}

// janitor runs a purger in the background, first after first and then
// every every, until stopped.
type janitor struct {
	p            purger
	log          *slog.Logger
	first, every time.Duration
	// what the log says was purged (default: the accounts' rows).
	what string
}

// start runs the janitor until ctx ends or the returned stop is called;
// stop waits for a purge in progress, so the database can be closed
// right after.
func (j janitor) start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		j.run(ctx)
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

func (j janitor) run(ctx context.Context) {
	t := time.NewTimer(j.first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		j.once(ctx)
		t.Reset(j.every)
	}
}

// once purges and logs how many rows went: a count, never what they held.
func (j janitor) once(ctx context.Context) {
	n, err := j.p.Purge(ctx)
	switch {
	case ctx.Err() != nil:
		// Shutting down: an interrupted purge is finished by the next start.
	case err != nil:
		j.log.Warn("janitor: purge failed", "err", err, "rows", n)
	case n > 0:
		what := j.what
		if what == "" {
			what = "expired tokens, old sessions and idle throttle counters"
		}
		j.log.Info("janitor: purged "+what, "rows", n)
	default:
		j.log.Debug("janitor: nothing to purge")
	}
}

// purgeArgs and collectArgs are the janitor's hourly jobs, run once an
// hour across every node (jobs.Every: one leader enqueues, one node runs).
type purgeArgs struct{}

func (purgeArgs) Kind() string { return "janitor.purge" }

type collectArgs struct{}

func (collectArgs) Kind() string { return "janitor.files" }

// registerJanitor schedules the shared half of the janitor on q. A failed
// run is retried by the queue; the log says what went, never whose.
func registerJanitor(q *jobs.Queue, p purger, files purger, log *slog.Logger) error {
	run := func(what string, p purger) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			n, err := p.Purge(ctx)
			if err != nil {
				return err
			}
			if n > 0 {
				log.Info("janitor: purged "+what, "rows", n)
			}
			return nil
		}
	}
	purge, collect := run("expired tokens, old sessions and idle throttle counters", p), run(blobJanitorWhat, files)
	jobs.Register(q, jobs.Kind{Unique: true}, func(ctx context.Context, _ purgeArgs) error { return purge(ctx) })
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 30 * time.Minute}, func(ctx context.Context, _ collectArgs) error { return collect(ctx) })
	if err := q.Every(janitorEvery, purgeArgs{}); err != nil {
		return err
	}
	return q.Every(janitorEvery, collectArgs{})
}

// nodeJanitor is the half of the janitor each node runs for itself.
type nodeJanitor struct {
	accounts *account.Service
	lib      *library.Service
	// outbox is this node's folder of .eml files when no SMTP server is
	// configured (nil otherwise); its purges go to the destruction
	// register of d.
	outbox *mail.Outbox
	d      *db.DB
}

func (n nodeJanitor) Purge(ctx context.Context) (int64, error) {
	erased, err := n.accounts.KeepDeletions(ctx)
	if err != nil {
		return erased, err
	}
	swept, err := n.lib.SweepTemp(ctx)
	if err != nil || n.outbox == nil {
		return erased + int64(swept), err
	}
	mails, err := n.outbox.Purge(time.Now().Add(-mail.OutboxRetention))
	if mails > 0 {
		err = errors.Join(err, retention.Log(ctx, n.d, retention.Record{Table: "outbox (.eml)", Categories: "contact,content",
			Rule: fmt.Sprintf("outbox.delete.days.%dd.name", int(mail.OutboxRetention/(24*time.Hour))), Count: int64(mails)}))
	}
	return erased + int64(swept) + int64(mails), err
}

// nodeJanitorWhat is what the log says a nodeJanitor purged.
const nodeJanitorWhat = "accounts a restored backup brought back, this node's dead uploads' temporary files and old outbox messages"

// blobJanitor is the janitor's work on stored files
// (library.CollectBlobs): expired holds of uploads whose node died, the
// temporary files of dead uploads, and files older than an hour that
// nothing refers to.
type blobJanitor struct{ lib *library.Service }

func (b blobJanitor) Purge(ctx context.Context) (int64, error) {
	c, err := b.lib.CollectBlobs(ctx)
	return c.Holds + c.Deletions + int64(c.Temp) + int64(c.Orphans), err
}

// blobJanitorWhat is what the log says a blobJanitor purged.
const blobJanitorWhat = "dead uploads' temporary files and holds, and stored files nothing refers to"
