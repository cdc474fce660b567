package telemetry

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Event is one page view as the request saw it, raw: the strings are the
// request's own (no copy, no parsing in the request). The writer parses.
type Event struct {
	At       int64 // Unix milliseconds
	Download bool  // a file of a material, not a page
	UserID   int64 // 0: not signed in
	Path     string
	Query    string
	Referrer string
	Host     string
	Remote   string // the connection's peer, host:port
	XFF      string // X-Forwarded-For, believed only from a trusted proxy
	UA       string
}

// Options configure a Recorder.
type Options struct {
	// Buffer is how many events wait for the writer at most (default
	// 16,384: most of a second at 20,000 pages a second, while a batch is
	// being written; the buffer holds pointers, which the garbage
	// collector scans, so it is not made larger than that); more are
	// dropped and counted.
	Buffer int
	// Interval is the longest an event waits to be written (default 1 s):
	// what a crash can lose.
	Interval time.Duration
	// Batch is the most events written in one transaction (default 10,000).
	Batch    int
	Registry prometheus.Registerer
	Log      *slog.Logger
}

// Recorder takes events from requests and has them written in batches.
//
// Requests append to a slice under a mutex rather than send on a
// channel: a channel send to a waiting receiver wakes the writer's
// goroutine for every page, and on a busy two-core server those twenty
// thousand wake-ups a second cost more than the writing itself. Here the
// writer sleeps until its interval ticks or a batch is full, then swaps
// the slice for an empty one and writes what it took.
type Recorder struct {
	mu      sync.Mutex
	pending []Event // taken, not yet handed to the writer
	spare   []Event // the slice the writer gives back, to swap in
	limit   int     // len(pending) at most (Options.Buffer)
	full    chan struct{}

	w        *Writer
	interval time.Duration
	batch    int
	log      *slog.Logger
	dropped  prometheus.Counter
	written  prometheus.Counter
	failed   prometheus.Counter

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// NewRecorder starts the writer goroutine; Close stops it after writing
// everything taken.
func NewRecorder(w *Writer, o Options) *Recorder {
	if o.Buffer <= 0 {
		o.Buffer = 1 << 14
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 10000
	}
	if o.Batch > o.Buffer {
		o.Batch = o.Buffer
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{pending: make([]Event, 0, o.Buffer), spare: make([]Event, 0, o.Buffer), limit: o.Buffer,
		full: make(chan struct{}, 1),
		w:    w, interval: o.Interval, batch: o.Batch, log: o.Log, done: make(chan struct{}), stop: make(chan struct{}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "smartustaz_telemetry_dropped_total",
			Help: "Page-view events dropped because the recording buffer was full."}),
		written: prometheus.NewCounter(prometheus.CounterOpts{Name: "smartustaz_telemetry_written_total",
			Help: "Page-view events written to the database."}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{Name: "smartustaz_telemetry_failed_total",
			Help: "Page-view events lost because writing their batch failed."}),
	}
	if o.Registry != nil {
		o.Registry.MustRegister(r.dropped, r.written, r.failed)
	}
	go r.run()
	return r
}

// Add hands an event to the writer without waiting: when the buffer is
// full the event is dropped and counted (smartustaz_telemetry_dropped_total).
func (r *Recorder) Add(e Event) {
	r.mu.Lock()
	n := len(r.pending)
	if n >= r.limit {
		r.mu.Unlock()
		r.dropped.Inc()
		return
	}
	r.pending = append(r.pending, e)
	r.mu.Unlock()
	if n+1 == r.batch {
		// A full batch is written now rather than at the next tick; the
		// writer is told once (a second signal while it writes is dropped,
		// and it looks again when done).
		select {
		case r.full <- struct{}{}:
		default:
		}
	}
}

// Dropped is how many events were dropped for a full buffer.
func (r *Recorder) Dropped() float64 { return counterValue(r.dropped) }

// take swaps the pending events for the empty spare slice.
func (r *Recorder) take() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.pending
	r.pending = r.spare[:0]
	r.spare = nil
	return got
}

// giveBack returns a written slice for the next swap, emptied so the
// strings of old requests are not kept alive.
func (r *Recorder) giveBack(b []Event) {
	clear(b)
	r.mu.Lock()
	r.spare = b[:0]
	r.mu.Unlock()
}

func (r *Recorder) run() {
	defer close(r.done)
	t := time.NewTicker(r.interval)
	defer t.Stop()
	flush := func() {
		got := r.take()
		for rest := got; len(rest) > 0; {
			part := rest[:min(len(rest), r.batch)]
			rest = rest[len(part):]
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err := r.w.Write(ctx, part)
			cancel()
			if err != nil {
				r.failed.Add(float64(len(part)))
				r.log.Error("telemetry: write a batch of page views", "events", len(part), "err", err)
			} else {
				r.written.Add(float64(len(part)))
			}
		}
		r.giveBack(got)
	}
	for {
		select {
		case <-r.full:
			flush()
		case <-t.C:
			flush()
		case <-r.stop:
			// Everything already taken is written; a late Add is not
			// written (and cannot fail).
			flush()
			return
		}
	}
}

// Close writes every event taken and stops the writer, or gives up when
// ctx ends (a graceful stop loses nothing).
func (r *Recorder) Close(ctx context.Context) error {
	r.stopOnce.Do(func() { close(r.stop) })
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
