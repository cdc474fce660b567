package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Counts are the jobs of one kind by what is happening to them.
type Counts struct {
	// Waiting to be taken (including those scheduled for later).
	Waiting int
	// Retrying: an attempt failed; the next waits for its backoff.
	Retrying int
	// Running on some node now.
	Running int
	// Failed for good (attempts used up, or a permanent error).
	Failed int
}

// Counts returns the jobs that are not done, by kind (a kind with none is
// absent). The administrator's status page shows them.
func (q *Queue) Counts(ctx context.Context) (map[string]Counts, error) {
	// River's table; done jobs (most rows, until River's cleaner removes
	// them after a day) are left out, so the fetch index answers this.
	rows, err := q.d.Query(ctx, `SELECT kind, state, COUNT(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'pending', 'retryable', 'running', 'discarded', 'cancelled')
		GROUP BY kind, state`)
	if err != nil {
		return nil, fmt.Errorf("jobs: counts: %w", err)
	}
	defer rows.Close()
	out := map[string]Counts{}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, fmt.Errorf("jobs: counts: %w", err)
		}
		c := out[kind]
		switch rivertype.JobState(state) {
		case rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStatePending:
			c.Waiting += n
		case rivertype.JobStateRetryable:
			c.Retrying += n
		case rivertype.JobStateRunning:
			c.Running += n
		case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
			c.Failed += n
		}
		out[kind] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("jobs: counts: %w", err)
	}
	return out, nil
}

// Failure is a job that failed for good.
type Failure struct {
	ID       int64
	Kind     string
	Attempts int
	At       time.Time
	// Error is the last attempt's error.
	Error string
}

// Failures returns up to limit jobs that failed for good, newest first.
func (q *Queue) Failures(ctx context.Context, limit int) ([]Failure, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().
		States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(max(1, min(limit, 10000))))
	if err != nil {
		return nil, fmt.Errorf("jobs: failures: %w", err)
	}
	var out []Failure
	for _, j := range res.Jobs {
		f := Failure{ID: j.ID, Kind: j.Kind, Attempts: j.Attempt}
		if j.FinalizedAt != nil {
			f.At = *j.FinalizedAt
		}
		if n := len(j.Errors); n > 0 {
			f.Error = j.Errors[n-1].Error
		}
		out = append(out, f)
	}
	return out, nil
}

// RetryFailed makes every job that failed for good wait to be run again
// (after the cause was mended) and returns how many.
func (q *Queue) RetryFailed(ctx context.Context) (int, error) {
	n := 0
	for {
		fs, err := q.Failures(ctx, 500)
		if err != nil {
			return n, err
		}
		if len(fs) == 0 {
			return n, nil
		}
		for _, f := range fs {
			if _, err := q.client.JobRetry(ctx, f.ID); err != nil {
				return n, fmt.Errorf("jobs: retry %d: %w", f.ID, err)
			}
			n++
		}
	}
}
