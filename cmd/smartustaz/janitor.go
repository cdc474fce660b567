package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// The janitor deletes what the site no longer needs (LAW.md L8: personal
// data is kept no longer than its purpose): account.Purge removes expired
// single-use links, sessions ended or expired more than
// account.SessionRetention ago, and throttle counters idle for a day.
// Every serving node runs one; the deletes are idempotent, so two nodes
// purging at once only find less to delete.
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
		j.log.Info("janitor: purged expired tokens, old sessions and idle throttle counters", "rows", n)
	default:
		j.log.Debug("janitor: nothing to purge")
	}
}
