package web

// The background jobs (internal/jobs) on the administrator's status page.

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/smartustaz/smartustaz/internal/jobs"
)

// jobCount is one kind's jobs as the status page shows them.
type jobCount struct {
	Kind string
	jobs.Counts
}

// jobStatus fills the status page's background jobs: what waits, runs
// and failed, by kind, on every node (the queue is in the database).
func (s *Server) jobStatus(ctx context.Context, d *statusData) error {
	if s.Queue == nil {
		return nil
	}
	counts, err := s.Queue.Counts(ctx)
	if err != nil {
		return err
	}
	for kind, c := range counts {
		d.Jobs = append(d.Jobs, jobCount{Kind: kind, Counts: c})
	}
	slices.SortFunc(d.Jobs, func(a, b jobCount) int { return strings.Compare(a.Kind, b.Kind) })
	d.JobFailures, err = s.Queue.Failures(ctx, 10)
	return err
}

// adminJobsRetry runs again every job that failed for good, once its
// cause is mended (a mail server back, a tool installed).
func (s *Server) adminJobsRetry(w http.ResponseWriter, r *http.Request) {
	if s.Queue == nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	n, err := s.Queue.RetryFailed(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Log.Info("jobs: failed jobs sent to run again", "jobs", n)
	http.Redirect(w, r, "/admin/status?jobs_retried="+strconv.Itoa(n), http.StatusSeeOther)
}
