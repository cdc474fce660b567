package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/jobs"
)

// quick are a test's queue settings: short polls, leases and backoffs,
// so no test waits long.
func quick() jobs.Options {
	return jobs.Quick(jobs.Options{Poll: 20 * time.Millisecond, Lease: 400 * time.Millisecond,
		Timeout: 300 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
}

// node starts a queue on d as one serve process would, with register
// called first; it is stopped when the test ends.
func node(t *testing.T, d *db.DB, o jobs.Options, register func(q *jobs.Queue)) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(d, o)
	if err != nil {
		t.Fatal(err)
	}
	register(q)
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		q.Stop(5 * time.Second)
		cancel()
	})
	return q
}

// eventually polls cond until it holds, for at most a minute.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// states counts River's rows by state.
func states(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

type countArgs struct {
	N int `json:"n,string"`
}

func (countArgs) Kind() string { return "test.count" }

// tally records which node did which job.
type tally struct {
	mu   sync.Mutex
	done map[int][]string
}

func (l *tally) add(n int, node string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done == nil {
		l.done = map[int][]string{}
	}
	l.done[n] = append(l.done[n], node)
}

func (l *tally) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.done)
}

// TestTwoNodesDoEachJobOnce, on both engines: two nodes on one database
// share jobs enqueued in transactions; each job is done exactly once.
func TestTwoNodesDoEachJobOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var l tally
		for _, name := range []string{"a", "b"} {
			o := quick()
			o.Node, o.Workers = name, 3
			node(t, d, o, func(q *jobs.Queue) {
				jobs.Register(q, jobs.Kind{}, func(ctx context.Context, a countArgs) error {
					time.Sleep(2 * time.Millisecond) // long enough for the other node to take some
					l.add(a.N, name)
					return nil
				})
			})
		}
		q, err := jobs.New(d, quick()) // a node that only enqueues (a request)
		if err != nil {
			t.Fatal(err)
		}
		jobs.Register(q, jobs.Kind{}, func(context.Context, countArgs) error { return errors.New("never run") })
		const n = 60
		err = d.InTx(ctx, func(tx *db.Tx) error {
			for i := range n / 2 {
				if err := q.EnqueueTx(ctx, tx, countArgs{N: i}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := n / 2; i < n; i++ {
			if err := q.Enqueue(ctx, countArgs{N: i}); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "every job done", func() bool { return states(t, d)["completed"] == n })
		if l.len() != n {
			t.Fatalf("%d distinct jobs done, want %d", l.len(), n)
		}
		by := map[string]int{}
		for i, nodes := range l.done {
			if len(nodes) != 1 {
				t.Errorf("job %d done %d times (by %v)", i, len(nodes), nodes)
			}
			by[nodes[0]]++
		}
		t.Logf("jobs by node: %v", by)
		if c, err := q.Counts(ctx); err != nil || len(c) != 0 {
			t.Errorf("counts after the work: %v %v, want none", c, err)
		}
	})
}

type stuckArgs struct {
	ID int `json:"id,string"`
}

func (stuckArgs) Kind() string { return "test.stuck" }

// dyingNode starts a node (o) that works the "slow" queue, takes the job
// stuckArgs{id} of kind and hangs in it, ignoring its context as a process
// stopped by kill -9 would; then it stops the node without waiting, so
// the job stays running under o.Node.
func dyingNode(t *testing.T, d *db.DB, o jobs.Options, kind jobs.Kind, id int) {
	t.Helper()
	ctx := context.Background()
	taken := make(chan struct{}, 1)
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	q, err := jobs.New(d, o)
	if err != nil {
		t.Fatal(err)
	}
	jobs.Register(q, kind, func(ctx context.Context, s stuckArgs) error {
		taken <- struct{}{}
		<-hang
		return nil
	})
	if err := q.Work("slow", 1); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := q.Enqueue(ctx, stuckArgs{ID: id}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-taken:
	case <-time.After(time.Minute):
		t.Fatalf("node %s never took the job", o.Node)
	}
	q.Stop(50 * time.Millisecond) // gives up waiting: the job stays running
	if st := states(t, d); st["running"] != 1 {
		t.Fatalf("after node %s died: %v, want the job running", o.Node, st)
	}
}

// TestKilledNodesJobIsTakenAgain, on both engines: a node that dies in
// the middle of a job (its worker never returns, its process is gone)
// leaves the job running; once the lease is over the leader gives it to
// another node, which does it.
func TestKilledNodesJobIsTakenAgain(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		var doneBy sync.Map
		kind := jobs.Kind{Queue: "slow", Timeout: 300 * time.Millisecond}
		oa := jobs.Follower(quick())
		oa.Node = "a"
		dyingNode(t, d, oa, kind, 7)
		// The lease runs out before node B starts (its leader looks for
		// lost jobs as it starts, then every 30 seconds).
		time.Sleep(oa.Lease)

		// Node B starts, leads, and after the lease takes the job.
		ob := quick()
		ob.Node = "b"
		node(t, d, ob, func(q *jobs.Queue) {
			jobs.Register(q, kind, func(ctx context.Context, s stuckArgs) error {
				doneBy.Store(s.ID, "b")
				return nil
			})
			if err := q.Work("slow", 1); err != nil {
				t.Fatal(err)
			}
		})
		eventually(t, "the lost job done by node b", func() bool {
			_, ok := doneBy.Load(7)
			return ok && states(t, d)["completed"] == 1
		})
	})
}

type flakyArgs struct{ Permanent bool }

func (flakyArgs) Kind() string { return "test.flaky" }

// TestFailingJobRetriesThenFails, on both engines: a job whose every
// attempt fails is tried MaxAttempts times, each after the backoff for
// its attempt, and then kept as failed with its last error, which the
// administrator sees; a permanent error fails it at once. Retrying
// failed jobs runs them again.
func TestFailingJobRetriesThenFails(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		var attempts []time.Time
		var backoffs []int
		heal := false
		o := quick()
		o.Backoff = func(attempt int) time.Duration {
			mu.Lock()
			defer mu.Unlock()
			backoffs = append(backoffs, attempt)
			return time.Duration(attempt) * 50 * time.Millisecond
		}
		q := node(t, d, o, func(q *jobs.Queue) {
			jobs.Register(q, jobs.Kind{MaxAttempts: 3}, func(ctx context.Context, a flakyArgs) error {
				mu.Lock()
				defer mu.Unlock()
				if a.Permanent {
					return jobs.Permanent(errors.New("smtp: 550 no such mailbox"))
				}
				attempts = append(attempts, time.Now())
				if heal {
					return nil
				}
				return errors.New("smtp: 451 try again later")
			})
		})
		if err := q.Enqueue(ctx, flakyArgs{}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the job failed for good", func() bool { c, _ := q.Counts(ctx); return c["test.flaky"].Failed == 1 })
		mu.Lock()
		if len(attempts) != 3 {
			t.Errorf("%d attempts, want 3", len(attempts))
		}
		for i := 1; i < len(attempts); i++ {
			if gap, want := attempts[i].Sub(attempts[i-1]), time.Duration(i)*50*time.Millisecond; gap < want {
				t.Errorf("attempt %d came %s after the one before, before its backoff of %s", i+1, gap, want)
			}
		}
		if len(backoffs) != 2 || backoffs[0] != 1 || backoffs[1] != 2 {
			t.Errorf("backoff asked for attempts %v, want [1 2]", backoffs)
		}
		mu.Unlock()
		fs, err := q.Failures(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Kind != "test.flaky" || fs[0].Attempts != 3 || !strings.Contains(fs[0].Error, "451 try again later") {
			t.Fatalf("failures %+v, want the job with its last error after 3 attempts", fs)
		}

		if err := q.Enqueue(ctx, flakyArgs{Permanent: true}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the permanent failure", func() bool { c, _ := q.Counts(ctx); return c["test.flaky"].Failed == 2 })
		if fs, _ := q.Failures(ctx, 1); len(fs) != 1 || fs[0].Attempts != 1 || !strings.Contains(fs[0].Error, "550") {
			t.Errorf("the permanent failure: %+v, want one attempt and its reason", fs)
		}

		// The cause is mended; the administrator retries.
		mu.Lock()
		heal = true
		mu.Unlock()
		if n, err := q.RetryFailed(ctx); err != nil || n != 2 {
			t.Fatalf("RetryFailed = %d, %v; want 2", n, err)
		}
		eventually(t, "the retried job done", func() bool { return states(t, d)["completed"] == 1 })
	})
}

type onceArgs struct{ Who string }

func (onceArgs) Kind() string { return "test.once" }

// TestScheduleRunsOncePerPeriod, on both engines: a schedule that every
// node declares runs once in its period however many nodes start and
// stop (a rolling restart: each new leader would run it at start), and
// again in the next period.
func TestScheduleRunsOncePerPeriod(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		var mu sync.Mutex
		runs := map[string]int{}
		declare := func(period time.Duration, who string) func(q *jobs.Queue) {
			return func(q *jobs.Queue) {
				jobs.Register(q, jobs.Kind{}, func(ctx context.Context, a onceArgs) error {
					mu.Lock()
					defer mu.Unlock()
					runs[a.Who]++
					return nil
				})
				if err := q.Every(period, onceArgs{Who: "janitor"}); err != nil {
					t.Fatal(err)
				}
				// Each node's own schedule shows when its leader's start
				// enqueued (the same batch as the janitor's).
				if err := q.Every(period, onceArgs{Who: who}); err != nil {
					t.Fatal(err)
				}
			}
		}
		count := func(who string) int {
			mu.Lock()
			defer mu.Unlock()
			return runs[who]
		}
		const day = jobs.MaxPeriod
		period := time.Now().Truncate(day)
		// Three nodes, one after the other, each the leader in turn.
		for _, who := range []string{"a", "b", "c"} {
			o := quick()
			o.Node = who
			q := node(t, d, o, declare(day, who))
			eventually(t, "node "+who+" leads and enqueues", func() bool { return count(who) == 1 })
			q.Stop(5 * time.Second)
		}
		want := 1
		if time.Now().Truncate(day) != period {
			want = 2 // midnight UTC passed during the test
		}
		if n := count("janitor"); n != want {
			t.Fatalf("the daily schedule ran %d times over three starts, want %d", n, want)
		}

		// A short period, two nodes: it runs at each boundary, once.
		const short = jobs.MinPeriod
		start := time.Now()
		mu.Lock()
		clear(runs)
		mu.Unlock()
		for _, who := range []string{"x", "y"} {
			o := quick()
			o.Node = who
			node(t, d, o, func(q *jobs.Queue) {
				jobs.Register(q, jobs.Kind{}, func(ctx context.Context, a onceArgs) error {
					mu.Lock()
					defer mu.Unlock()
					runs[a.Who]++
					return nil
				})
				if err := q.Every(short, onceArgs{Who: "tick"}); err != nil {
					t.Fatal(err)
				}
			})
		}
		eventually(t, "the short schedule ran in two periods", func() bool { return count("tick") >= 2 })
		time.Sleep(short)
		// At most one run per period begun since the start.
		if n, most := count("tick"), int(time.Since(start)/short)+2; n > most {
			t.Errorf("the %s schedule ran %d times in %s with two nodes, want at most %d", short, n, time.Since(start).Round(time.Millisecond), most)
		}
	})
}

type uniqueArgs struct {
	FileID int64 `json:"file_id,string"`
}

func (uniqueArgs) Kind() string { return "test.unique" }

// TestEnqueueCommitsWithTheTransaction, on both engines: a job enqueued in
// a transaction that rolls back does not exist; one enqueued in a
// transaction that commits does. A unique kind is enqueued once while it
// waits.
func TestEnqueueCommitsWithTheTransaction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q, err := jobs.New(d, quick())
		if err != nil {
			t.Fatal(err)
		}
		jobs.Register(q, jobs.Kind{Unique: true}, func(context.Context, uniqueArgs) error { return nil })
		refused := errors.New("the material was refused")
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if err := q.EnqueueTx(ctx, tx, uniqueArgs{FileID: 1}); err != nil {
				return err
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatal(err)
		}
		if st := states(t, d); len(st) != 0 {
			t.Fatalf("jobs after a rolled-back transaction: %v, want none", st)
		}
		for range 3 {
			if err := d.InTx(ctx, func(tx *db.Tx) error { return q.EnqueueTx(ctx, tx, uniqueArgs{FileID: 2}) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.Enqueue(ctx, uniqueArgs{FileID: 3}); err != nil {
			t.Fatal(err)
		}
		c, err := q.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c["test.unique"].Waiting != 2 {
			t.Fatalf("counts %+v, want 2 waiting (file 2 once, file 3)", c)
		}
		// Once done, the same job may be enqueued again.
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(5 * time.Second)
		eventually(t, "both done", func() bool { return states(t, d)["completed"] == 2 })
		if err := q.Enqueue(ctx, uniqueArgs{FileID: 2}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the second run done", func() bool { return states(t, d)["completed"] == 3 })
	})
}

type idArgs struct {
	ID int64 `json:"id,string"`
}

func (idArgs) Kind() string { return "test.id" }

type rawIDArgs struct{ ID int64 }

func (rawIDArgs) Kind() string { return "test.rawid" }

// TestRowIDsComeBackWhole, on both engines: a row id (beyond 2^53, as
// db.NewID makes them) reaches the worker exactly; an argument that would
// carry one as a JSON number is refused when its kind is registered,
// since PostgreSQL's driver reads it back as a float.
func TestRowIDsComeBackWhole(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		got := make(chan int64, 1)
		q := node(t, d, quick(), func(q *jobs.Queue) {
			jobs.Register(q, jobs.Kind{}, func(_ context.Context, a idArgs) error { got <- a.ID; return nil })
		})
		id := db.NewID()
		if err := q.Enqueue(ctx, idArgs{ID: id}); err != nil {
			t.Fatal(err)
		}
		select {
		case g := <-got:
			if g != id {
				t.Fatalf("the worker got id %d, enqueued %d", g, id)
			}
		case <-time.After(time.Minute):
			t.Fatal("the job never ran")
		}
		defer func() {
			if recover() == nil {
				t.Error("a kind whose id is a JSON number was registered")
			}
		}()
		jobs.Register(q, jobs.Kind{}, func(context.Context, rawIDArgs) error { return nil })
	})
}

// TestRestartedNodeTakesBackItsJobs, on both engines: a node killed in
// the middle of a job and started again under the same name (serve names
// a node after its host and data folder) takes the job back at start,
// without waiting for the lease; another node leaves it to the lease.
func TestRestartedNodeTakesBackItsJobs(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		var doneBy sync.Map
		kind := jobs.Kind{Queue: "slow"}
		long := quick()
		long.Lease, long.Timeout = time.Hour, time.Hour
		oa := jobs.Follower(long)
		oa.Node = "a"
		dyingNode(t, d, oa, kind, 9)

		register := func(name string) func(q *jobs.Queue) {
			return func(q *jobs.Queue) {
				jobs.Register(q, kind, func(ctx context.Context, s stuckArgs) error {
					doneBy.Store(s.ID, name)
					return nil
				})
				if err := q.Work("slow", 1); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Another node does not take it before the lease (an hour here).
		ob := jobs.Follower(long)
		ob.Node = "b"
		node(t, d, ob, register("b"))
		time.Sleep(time.Second) // fifty of its polls
		if st := states(t, d); st["running"] != 1 {
			t.Fatalf("another node took a job whose lease is not over: %v", st)
		}
		// Node a again, same name: the job is taken back at its start.
		oa2 := jobs.Follower(long)
		oa2.Node = "a"
		node(t, d, oa2, register("a again"))
		eventually(t, "the job done by node a after its restart", func() bool {
			by, ok := doneBy.Load(9)
			return ok && states(t, d)["completed"] == 1 && by != nil
		})
	})
}
