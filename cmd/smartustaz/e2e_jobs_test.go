package main

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
)

type e2eFailArgs struct {
	ID int64 `json:"id,string"`
}

func (e2eFailArgs) Kind() string { return "e2e.notice" }

// A background job fails for good on another node (its mail server
// refused it) → the administrator's /admin/status, served by this node,
// counts it under its kind with the reason and offers a retry, which
// moderators and teachers may not use → after the retry the job runs
// again and the page shows nothing failed.
func TestE2EJobsOnStatusPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		moderator := signup(t, srv, newPerson("jobsmod"))
		teacher := signup(t, srv, newPerson("jobsteacher"))
		mid := moderator.export().Profile.ID
		wantStatus(t, "make moderator", admin.post("/admin/users/"+strconv.FormatInt(mid, 10)+"/role", map[string][]string{"role": {"moderator"}}), http.StatusSeeOther)

		// The other node: it alone knows the kind, so this site's node
		// leaves its jobs alone.
		d := openDB(t, srv)
		q, err := jobs.New(d, jobs.Options{Poll: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		var healed atomic.Bool
		jobs.Register(q, jobs.Kind{}, func(context.Context, e2eFailArgs) error {
			if healed.Load() {
				return nil
			}
			return jobs.Permanent(errors.New("smtp: 550 mailbox unavailable"))
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(5 * time.Second)
		if err := q.Enqueue(ctx, e2eFailArgs{ID: 1}); err != nil {
			t.Fatal(err)
		}
		var st *response
		deadline := time.Now().Add(time.Minute)
		for {
			st = admin.get("/admin/status")
			if strings.Contains(st.Body, `<tr data-kind="e2e.notice"><td><code>e2e.notice</code></td><td>0</td><td>0</td><td>0</td><td>1</td></tr>`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the status page does not count the failed job:\n%s", st.Body)
			}
			time.Sleep(20 * time.Millisecond)
		}
		wantText(t, "the failures' heading", st, i18n.T(i18n.KK, "jobs.status.failures"))
		if !strings.Contains(st.Body, "smtp: 550 mailbox unavailable") {
			t.Errorf("the status page does not say why the job failed")
		}
		if !strings.Contains(st.Body, `id="jobs-retry">`+i18n.T(i18n.KK, "jobs.status.retry")+`<`) {
			t.Fatalf("the administrator is not offered the retry button")
		}
		if ms := moderator.get("/admin/status"); ms.Status != http.StatusOK || strings.Contains(ms.Body, "/admin/status/jobs/retry") {
			t.Errorf("moderator's status page: status %d, retry shown: %v", ms.Status, strings.Contains(ms.Body, "/admin/status/jobs/retry"))
		}
		wantStatus(t, "a moderator retries", moderator.post("/admin/status/jobs/retry", nil), http.StatusForbidden)
		wantStatus(t, "a teacher retries", teacher.post("/admin/status/jobs/retry", nil), http.StatusForbidden)

		healed.Store(true)
		r := admin.post("/admin/status/jobs/retry", nil)
		if r.Status != http.StatusSeeOther || r.Location() != "/admin/status?jobs_retried=1" {
			t.Fatalf("retry: status %d to %q, want 303 to /admin/status?jobs_retried=1", r.Status, r.Location())
		}
		wantText(t, "the notice after the retry", admin.get(r.Location()), i18n.T(i18n.KK, "jobs.status.retried", 1))
		deadline = time.Now().Add(time.Minute)
		for strings.Contains(admin.get("/admin/status").Body, `data-kind="e2e.notice"`) {
			if time.Now().After(deadline) {
				t.Fatal("the retried job is still on the status page")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
