package db_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// nodes opens n handles on one fresh database of engine e, each migrated
// (and so holding a node number) as a process of its own would be.
func nodes(t *testing.T, e db.Engine, n int) []*db.DB {
	t.Helper()
	ctx := context.Background()
	dsn := dbtest.DSN(t, e)
	dir := t.TempDir()
	var out []*db.DB
	for range n {
		d, err := db.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// makeIDs has each lease make perLease ids from several goroutines at
// once, and fails on an id made twice, not positive, or not carrying its
// lease's number.
func makeIDs(t *testing.T, perLease int, ls ...*db.NodeLease) map[int64]int {
	t.Helper()
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for i, l := range ls {
		for range 4 {
			wg.Go(func() {
				ids := make([]int64, perLease/4)
				for j := range ids {
					ids[j] = l.NewID()
				}
				mu.Lock()
				defer mu.Unlock()
				for _, id := range ids {
					if prev, dup := seen[id]; dup {
						t.Errorf("id %d made by node %d and node %d", id, prev, i)
						return
					}
					if id <= 0 || db.IDNode(id) != l.Number() {
						t.Errorf("id %d: node %d in its bits, lease holds %d", id, db.IDNode(id), l.Number())
						return
					}
					seen[id] = i
				}
			})
		}
	}
	wg.Wait()
	return seen
}

// Processes on one database hold different node numbers, taken at once
// or one by one, and the ids they make never collide.
func TestNodesHoldDifferentNumbers(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { testNodesHoldDifferentNumbers(t, e) })
	}
}

func testNodesHoldDifferentNumbers(t *testing.T, e db.Engine) {
	{
		ctx := context.Background()
		ds := nodes(t, e, 2)
		n0, err0 := ds[0].Node()
		n1, err1 := ds[1].Node()
		if err0 != nil || err1 != nil || n0 == n1 || n0 < 1 || n1 < 1 {
			t.Fatalf("two processes hold node numbers %d (%v) and %d (%v), want two different ones from 1", n0, err0, n1, err1)
		}

		// Eight more claim at the same moment.
		leases := make([]*db.NodeLease, 8)
		var wg sync.WaitGroup
		for i := range leases {
			wg.Go(func() {
				l, err := ds[i%2].LeaseNode(ctx, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				t.Cleanup(func() { l.Close(ctx) })
				leases[i] = l
			})
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		numbers := []int{n0, n1}
		for _, l := range leases {
			numbers = append(numbers, l.Number())
		}
		slices.Sort(numbers)
		if len(slices.Compact(slices.Clone(numbers))) != len(numbers) {
			t.Fatalf("node numbers taken at once: %v, want all different", numbers)
		}
		if got := len(makeIDs(t, 200000, leases[0], leases[1], leases[2])); got != 600000 {
			t.Fatalf("%d distinct ids, want 600000", got)
		}
	}
}

// A node that stops renewing (hung, cut off from the database) loses its
// number when its lease runs out: another process takes it and makes ids
// above every id made under it, and the first node, renewing again, takes
// another number instead of going on with the one it lost.
func TestLapsedLeaseLosesItsNumber(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, err := d.LeaseNode(ctx, 300*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close(ctx)
		lost := a.Number()
		before := makeIDs(t, 40000, a)
		db.PauseRenewal(a, true)
		var b *db.NodeLease
		for range 100 { // until the lease has run out in the database
			time.Sleep(50 * time.Millisecond)
			if b, err = d.LeaseNode(ctx, time.Minute); err != nil {
				t.Fatal(err)
			}
			if b.Number() == lost {
				break
			}
			b.Close(ctx)
		}
		defer b.Close(ctx)
		if b.Number() != lost {
			t.Fatalf("the lapsed number %d was not taken over (got %d)", lost, b.Number())
		}
		firstOfB := b.NewID()
		for id := range before {
			if id >= firstOfB {
				t.Fatalf("node %d's new holder made id %d, not above id %d made under the lapsed lease", lost, firstOfB, id)
			}
		}

		// Still hung: the node does not go on with the number it lost.
		if id := a.NewID(); db.IDNode(id) == lost {
			t.Fatalf("a node whose lease ran out made id %d with its lost number %d", id, lost)
		}

		// Renewing again (its next id asks for it), it takes another number.
		db.PauseRenewal(a, false)
		a.NewID()
		for i := 0; i < 200 && a.Number() == lost; i++ {
			time.Sleep(10 * time.Millisecond)
		}
		if id := a.NewID(); db.IDNode(id) == lost || db.IDNode(id) == 0 || a.Number() == lost {
			t.Fatalf("after its lease ran out the node makes ids with number %d (holds %d); want a new number", db.IDNode(id), a.Number())
		}
		after := makeIDs(t, 40000, a, b)
		for id := range before {
			if _, again := after[id]; again {
				t.Fatalf("id %d made again", id)
			}
		}
	})
}

// A number given back at Close is taken by the next process, whose ids
// are above every id made under it, even when the previous holder's clock
// was ahead of the new one's (its id floor in the future here).
func TestReleasedNumberReusedAboveItsIDs(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, err := d.LeaseNode(ctx, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		ids := makeIDs(t, 40000, a)
		if err := a.Close(ctx); err != nil {
			t.Fatal(err)
		}
		// The node that held it ran 5 s ahead of this machine.
		ahead := time.Now().Add(5 * time.Second).UnixMilli()
		if _, err := d.Exec(ctx, `UPDATE nodes SET id_floor = ? WHERE number = ?`, ahead, a.Number()); err != nil {
			t.Fatal(err)
		}
		b, err := d.LeaseNode(ctx, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close(ctx)
		if b.Number() != a.Number() {
			t.Fatalf("the number given back (%d) was not reused (got %d)", a.Number(), b.Number())
		}
		next := b.NewID()
		for id := range ids {
			if id >= next {
				t.Fatalf("id %d of the new holder is not above %d of the previous one", next, id)
			}
		}
		if got := db.IDTime(next).UnixMilli(); got <= ahead {
			t.Fatalf("the new holder's first id is of %d ms, not above the floor %d left by the previous one", got, ahead)
		}
	})
}

// The milliseconds stay in the bits they had before node numbers, so
// every new id is above the ids already stored: an id of the earlier
// layout made a moment ago (with the largest 22-bit sequence) is below
// the next one.
func TestNewIDAboveEarlierLayout(t *testing.T) {
	const epoch = 1735689600000
	old := (time.Now().UnixMilli()-epoch)<<22 | (1<<22 - 1)
	time.Sleep(2 * time.Millisecond)
	if id := db.NewID(); id <= old {
		t.Fatalf("new id %d is not above %d of the earlier layout", id, old)
	}
	if got := db.IDTime(db.NewID()); time.Since(got) > time.Minute || time.Since(got) < -time.Minute {
		t.Fatalf("IDTime of a new id = %v, want about now", got)
	}
}
