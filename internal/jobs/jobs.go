// Package jobs is the site's one durable queue of background work, kept in
// the database so that any node may run a job and exactly one does, a job
// enqueued inside a domain's transaction exists only if that transaction
// commits, and a node killed mid-job leaves the job to another node once
// its lease runs out (docs/architecture.md, "Background work").
//
// It is River (github.com/riverqueue/river) on both engines — the
// riversqlite driver over the SQLite writer connection, riverdatabasesql
// over the PostgreSQL pool — behind a small API, so domain packages never
// import River. River's tables come from internal/db's numbered migrations
// (0012_jobs, 0013_jobs_2: River's own SQL, checked against River by
// TestMigrationsAreRivers).
//
// A domain package registers each kind of job it owns, then enqueues:
//
//	jobs.Register(q, jobs.Kind{Queue: "previews", Unique: true}, func(ctx context.Context, a drawArgs) error { … })
//	err := d.InTx(ctx, func(tx *db.Tx) error { …; return q.EnqueueTx(ctx, tx, drawArgs{FileID: id}) })
//
// Arguments are stored as JSON in the database: ids and names, never a
// personal value; nor may a worker's error carry one, since the last
// errors are kept for the administrator.
//
// A schedule runs once per period across all nodes (the elected leader
// enqueues it, and a unique key per period stops a second leader's
// duplicate). The janitor, for example, becomes:
//
//	type purgeArgs struct{}
//	func (purgeArgs) Kind() string { return "janitor.purge" }
//
//	jobs.Register(q, jobs.Kind{}, func(ctx context.Context, _ purgeArgs) error {
//		_, err := accounts.Purge(ctx)
//		return err
//	})
//	q.Every(time.Hour, purgeArgs{})
//	q.Start(ctx)
//	defer q.Stop()
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartustaz/smartustaz/internal/db"
)

// DefaultQueue is the queue of kinds that name none.
const DefaultQueue = river.QueueDefault

// Defaults of Options.
const (
	DefaultLease       = 15 * time.Minute
	DefaultTimeout     = time.Minute
	DefaultPoll        = time.Second
	DefaultMaxAttempts = 25
	DefaultWorkers     = 2
	// Backoff: the first retry after 10 s, doubling up to an hour.
	DefaultBackoffBase = 10 * time.Second
	DefaultBackoffMax  = time.Hour
)

// Options configure a Queue; zero values take the defaults. Tests make
// the durations short instead of sleeping.
type Options struct {
	// Lease is how long a job may be running before it is taken to be
	// lost with its node and is given to another one (default 15
	// minutes). A kind whose Timeout is longer gets that instead.
	Lease time.Duration
	// Timeout bounds one attempt of a kind that names none (default a
	// minute): its context is cancelled then.
	Timeout time.Duration
	// Poll is how often this node looks for jobs (default a second).
	Poll time.Duration
	// MaxAttempts of a kind that names none (default 25).
	MaxAttempts int
	// Backoff is the wait after a failed attempt (attempt counts from 1);
	// default DefaultBackoffBase doubling up to DefaultBackoffMax, each
	// with ±10% jitter so that jobs failed together do not return together.
	Backoff func(attempt int) time.Duration
	// Workers is how many jobs of the default queue this node runs at
	// once (default 2).
	Workers int
	// Node names this node in the jobs it takes (default host name and
	// process id). Give a node the same name at every start (serve derives
	// it from the host and the data folder): Start then takes back at once
	// the jobs its previous run left running when it was killed, instead
	// of leaving them to the lease.
	Node string
	// Log receives the queue's own failures; nil discards them.
	Log *slog.Logger

	// follower: this node never leads (tests choose the leader).
	follower bool
	// quick: the leader's services start at once instead of within a
	// random second (tests).
	quick bool
}

// Queue is this node's handle on the shared queue: it enqueues, and once
// started it takes jobs from the queues it was told to Work.
type Queue struct {
	d       *db.DB
	o       Options
	client  *river.Client[*sql.Tx]
	workers *river.Workers

	mu    sync.Mutex
	kinds map[string]Kind
	// started: Start ran; stopped: Stop ran (Start is once per Queue).
	started, stopped bool
}

// New returns the queue over d. It enqueues at once; it takes jobs only
// after Start.
func New(d *db.DB, o Options) (*Queue, error) {
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Backoff == nil {
		o.Backoff = ExponentialBackoff(DefaultBackoffBase, DefaultBackoffMax)
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Node == "" {
		host, _ := os.Hostname()
		o.Node = fmt.Sprintf("%s-%d-%04x", host, os.Getpid(), rand.Uint32()&0xffff)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	q := &Queue{d: d, o: o, workers: river.NewWorkers(), kinds: map[string]Kind{}}
	c, err := river.NewClient(driver(d), &river.Config{
		ID:      o.Node,
		Workers: q.workers,
		// Every node works the default queue, so every node can be the
		// leader that rescues lost jobs and enqueues schedules.
		Queues: map[string]river.QueueConfig{DefaultQueue: {MaxWorkers: o.Workers}},
		// No LISTEN/NOTIFY through database/sql, and SQLite's stand-in
		// polls a table every 50 ms on the one writer connection: poll
		// for jobs instead. A job enqueued by this node is looked for at
		// once.
		PollOnly:             true,
		FetchPollInterval:    o.Poll,
		FetchCooldown:        min(o.Poll/2, river.FetchCooldownDefault),
		JobTimeout:           o.Timeout,
		RescueStuckJobsAfter: max(o.Lease, o.Timeout),
		MaxAttempts:          o.MaxAttempts,
		RetryPolicy:          retryPolicy{o.Backoff},
		// River's own chatter (job counts every few seconds) stays out
		// of the site's log; its warnings and errors go in.
		Logger:                 slog.New(atLeast{o.Log.Handler(), slog.LevelWarn}),
		LeaderElectionDisabled: o.follower,
		TestOnly:               o.quick,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	q.client = c
	return q, nil
}

// driver is River's driver for d's engine, over the pool that writes.
func driver(d *db.DB) riverdriver.Driver[*sql.Tx] {
	if d.Engine() == db.SQLite {
		// The one writer connection: River writes whenever it takes a job,
		// and SQLite serialises writers anyway (riversqlite asks for a
		// single connection for the same reason).
		return riversqlite.New(d.WriterPool())
	}
	return riverdatabasesql.New(d.WriterPool())
}

// Work makes this node take jobs from the named queue, at most workers at
// once (page images: --page-images=false means this node never calls it).
// Call it before Start.
func (q *Queue) Work(queue string, workers int) error {
	if queue == DefaultQueue {
		return errors.New("jobs: the default queue is always worked")
	}
	if err := q.client.Queues().Add(queue, river.QueueConfig{MaxWorkers: max(1, workers)}); err != nil {
		return fmt.Errorf("jobs: work %s: %w", queue, err)
	}
	return nil
}

// Start takes jobs until ctx ends or Stop is called.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("jobs: started twice")
	}
	q.started = true
	if err := q.reclaim(ctx); err != nil {
		return err
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// reclaim makes available again the jobs still running under this node's
// name: this process has not taken any yet, so they were left by an
// earlier run of the same node that died (kill -9, a crash, power), and
// waiting for their lease (15 minutes) would only delay them. Their
// attempt counts as made.
func (q *Queue) reclaim(ctx context.Context) error {
	last := `attempted_by[array_length(attempted_by, 1)] = ?`
	if q.d.Engine() == db.SQLite {
		last = `json_extract(attempted_by, '$[#-1]') = ?`
	}
	// scheduled_at stays: it is in the past, so the job is due at once.
	res, err := q.d.Exec(ctx, `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND `+last, q.o.Node)
	if err != nil {
		return fmt.Errorf("jobs: take back this node's jobs: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		q.o.Log.Warn("jobs: taken back the jobs this node was running when it stopped without shutting down", "jobs", n, "node", q.o.Node)
	}
	return nil
}

// Stop stops taking jobs, cancels those running (each is tried again by
// any node, as after a failed attempt) and waits up to timeout for them to
// return. It is safe to call when Start was not.
func (q *Queue) Stop(timeout time.Duration) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.started || q.stopped {
		return nil
	}
	q.stopped = true
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := q.client.StopAndCancel(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Node is the name this node gives itself in the jobs it takes.
func (q *Queue) Node() string { return q.o.Node }

// ExponentialBackoff waits base after the first failed attempt, doubling
// each time up to most, with ±10% jitter.
func ExponentialBackoff(base, most time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < most; i++ {
			d *= 2
		}
		d = min(d, most)
		return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
	}
}

// retryPolicy is River's side of Options.Backoff.
type retryPolicy struct{ backoff func(int) time.Duration }

func (p retryPolicy) NextRetry(j *rivertype.JobRow) time.Time {
	return time.Now().Add(p.backoff(max(1, j.Attempt)))
}

// atLeast passes on the records of h at level min or above.
type atLeast struct {
	slog.Handler
	min slog.Level
}

func (a atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= a.min && a.Handler.Enabled(ctx, l)
}

func (a atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeast{a.Handler.WithAttrs(attrs), a.min}
}

func (a atLeast) WithGroup(name string) slog.Handler {
	return atLeast{a.Handler.WithGroup(name), a.min}
}
