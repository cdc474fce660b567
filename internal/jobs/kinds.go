package jobs

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartustaz/smartustaz/internal/db"
)

// Args are a job's arguments: a struct stored as JSON, whose Kind names
// what to do with it ("preview.draw"; the package that owns the work is
// the prefix). An int64 field (a row id) must be written as a string,
// `json:"file_id,string"`: pgx hands database/sql a jsonb value decoded as
// float64, which rounds ids beyond 2^53 (Register refuses such a field).
type Args interface {
	Kind() string
}

// checkArgs panics on an integer field of t that JSON would carry as a
// number: read back from PostgreSQL it would come back rounded.
func checkArgs(t reflect.Type) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for f := range t.Fields() {
		switch f.Type.Kind() {
		case reflect.Int64, reflect.Uint64, reflect.Int, reflect.Uint:
			if !slices.Contains(strings.Split(f.Tag.Get("json"), ",")[1:], "string") {
				panic(fmt.Sprintf("jobs: %s.%s is an integer without the json \",string\" option: ids beyond 2^53 would come back rounded", t.Name(), f.Name))
			}
		case reflect.Struct, reflect.Pointer:
			checkArgs(f.Type)
		}
	}
}

// Kind says how jobs of one kind are run; zero values take the queue's.
type Kind struct {
	// Queue the jobs wait in ("" = DefaultQueue). A node takes jobs only
	// from the queues it works, so slow work (drawing pages) has a queue
	// of its own that does not hold up the rest.
	Queue string
	// Timeout bounds one attempt: its context is cancelled then. It also
	// bounds the lease, so a job running longer is never given to a
	// second node while the first still runs it.
	Timeout time.Duration
	// MaxAttempts before the job is failed for good.
	MaxAttempts int
	// Unique: a job whose arguments equal those of one waiting or running
	// is not enqueued again (done jobs do not count: enqueuing again after
	// one is done runs it again).
	Unique bool
}

// inFlight are the states in which a unique job blocks its duplicate.
var inFlight = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}

// Register tells the queue how to do jobs of A's kind. Every node
// registers every kind, whether or not it works the kind's queue: the
// node that rescues a lost job must know its kind. Call it before Start.
func Register[A Args](q *Queue, k Kind, work func(ctx context.Context, a A) error) {
	var a A
	checkArgs(reflect.TypeOf(a))
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.kinds[a.Kind()]; ok {
		panic("jobs: kind " + a.Kind() + " registered twice")
	}
	q.kinds[a.Kind()] = k
	river.AddWorker(q.workers, &worker[A]{k: k, work: work})
}

// worker is River's side of a registered kind.
type worker[A Args] struct {
	river.WorkerDefaults[A]
	k    Kind
	work func(ctx context.Context, a A) error
}

func (w *worker[A]) Work(ctx context.Context, j *river.Job[A]) error { return w.work(ctx, j.Args) }

func (w *worker[A]) Timeout(*river.Job[A]) time.Duration { return w.k.Timeout }

// Permanent marks a worker's error as one no retry can mend (a message
// refused for good): the job fails at once, with err as its reason.
func Permanent(err error) error { return river.JobCancel(err) }

// Option changes how one job is enqueued.
type Option func(*river.InsertOpts)

// Later lets jobs enqueued without it go first (a catch-up's files wait
// behind newly published ones).
func Later() Option { return func(o *river.InsertOpts) { o.Priority = 4 } }

// EnqueueTx adds a job inside the caller's transaction: it exists only if
// the transaction commits. A duplicate of a unique kind is skipped.
func (q *Queue) EnqueueTx(ctx context.Context, tx *db.Tx, a Args, opts ...Option) error {
	o, err := q.insertOpts(a, opts)
	if err != nil {
		return err
	}
	if _, err := q.client.InsertTx(ctx, tx.SQLTx(), a, o); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", a.Kind(), err)
	}
	return nil
}

// Enqueue adds a job in a transaction of its own.
func (q *Queue) Enqueue(ctx context.Context, a Args, opts ...Option) error {
	return q.d.InTx(ctx, func(tx *db.Tx) error { return q.EnqueueTx(ctx, tx, a, opts...) })
}

func (q *Queue) insertOpts(a Args, opts []Option) (*river.InsertOpts, error) {
	q.mu.Lock()
	k, ok := q.kinds[a.Kind()]
	q.mu.Unlock()
	if !ok {
		return nil, errors.New("jobs: enqueue: kind " + a.Kind() + " is not registered")
	}
	o := &river.InsertOpts{Queue: k.Queue, MaxAttempts: k.MaxAttempts, Priority: 1}
	if k.Unique {
		o.UniqueOpts = river.UniqueOpts{ByArgs: true, ByState: inFlight}
	}
	for _, f := range opts {
		f(o)
	}
	return o, nil
}
