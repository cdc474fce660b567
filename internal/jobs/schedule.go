package jobs

import (
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// MaxPeriod is the longest period of a schedule: a done job is kept a day
// (River's retention of completed jobs), and its row is what tells a node
// that starts later in the same period that the period's run happened.
const MaxPeriod = 24 * time.Hour

// MinPeriod is the shortest period of a schedule (River's unique keys
// count whole seconds).
const MinPeriod = time.Second

// Every runs a's job once per period across all nodes: at each multiple of
// period (UTC, so every node agrees on the boundaries), and soon after the
// first node starts if this period's run has not happened yet. Only the
// elected leader enqueues; the job's unique key is its period, so a second
// leader (one taking over at a boundary) enqueues nothing. A rolling
// restart therefore runs nothing again. Call it before Start.
func (q *Queue) Every(period time.Duration, a Args) error {
	if period < MinPeriod || period > MaxPeriod {
		return fmt.Errorf("jobs: every %s: the period must be between %s and %s", period, MinPeriod, MaxPeriod)
	}
	if _, err := q.insertOpts(a, nil); err != nil {
		return err
	}
	if q.client == nil {
		return errors.New("jobs: every: no client")
	}
	q.client.PeriodicJobs().Add(river.NewPeriodicJob(aligned(period), func() (river.JobArgs, *river.InsertOpts) {
		o, _ := q.insertOpts(a, nil)
		// Unique by period and arguments in every state but failed: a
		// done run counts, a failed one may be run again.
		o.UniqueOpts = river.UniqueOpts{ByArgs: true, ByPeriod: period}
		return a, o
	}, &river.PeriodicJobOpts{RunOnStart: true}))
	return nil
}

// aligned is a schedule at the multiples of a period.
type aligned time.Duration

func (p aligned) Next(t time.Time) time.Time {
	d := time.Duration(p)
	return t.Truncate(d).Add(d)
}
