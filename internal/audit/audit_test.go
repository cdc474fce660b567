package audit_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

func newLog(t *testing.T, d *db.DB) *audit.Log {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return audit.New(d, v)
}

// entry n of a test log: its fields depend on n, so a swap or a change shows.
func entry(n int) audit.Entry {
	return audit.Entry{
		ActorID:        1000 + int64(n),
		ActorSessionID: 2000 + int64(n),
		Action:         audit.Actions[n%len(audit.Actions)],
		TargetUserID:   int64(n % 3),
		Purpose:        fmt.Sprintf("purpose %d", n),
		Detail:         fmt.Sprintf("fields=email n=%d", n),
	}
}

func fill(t testing.TB, l *audit.Log, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		seq, err := l.Append(context.Background(), entry(i))
		if err != nil {
			t.Fatal(err)
		}
		if seq != int64(i) {
			t.Fatalf("append %d got seq %d", i, seq)
		}
	}
}

func seqs(es []audit.Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestAppendAndList(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := newLog(t, d)
		fill(t, l, 7)

		all, err := l.List(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(all); !slices.Equal(got, []int64{7, 6, 5, 4, 3, 2, 1}) {
			t.Fatalf("List: seqs %v, want newest first", got)
		}
		for i, e := range all {
			want := entry(int(e.Seq))
			want.Seq, want.At = e.Seq, e.At
			if e != want {
				t.Errorf("entry %d read back as %+v, want %+v", e.Seq, e, want)
			}
			if e.At.IsZero() {
				t.Errorf("entry %d has no time", e.Seq)
			}
			if i > 0 && e.At.After(all[i-1].At) {
				t.Errorf("entry %d is later than entry %d", e.Seq, all[i-1].Seq)
			}
		}

		page, err := l.List(ctx, 5, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(page); !slices.Equal(got, []int64{4, 3, 2}) {
			t.Fatalf("List before 5, 3 entries: %v", got)
		}
		page, err = l.List(ctx, 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(page); !slices.Equal(got, []int64{1}) {
			t.Fatalf("last page: %v", got)
		}

		// Targets are n%3: entries 2 and 5 are about user 2, and entry 5 comes first.
		about, err := l.ForTarget(ctx, 2, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(about); !slices.Equal(got, []int64{5, 2}) {
			t.Fatalf("ForTarget(2): %v", got)
		}
		about, err = l.ForTarget(ctx, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(about); !slices.Equal(got, []int64{5}) {
			t.Fatalf("ForTarget(2) limit 1: %v", got)
		}
	})
}

// An entry written with AppendTx exists exactly when the change it records
// is committed; a rolled-back one leaves no gap in the chain.
func TestAppendTxFollowsTransaction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := newLog(t, d)
		fill(t, l, 2)
		boom := errors.New("the audited change failed")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := l.AppendTx(ctx, tx, entry(3)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error {
			seq, err := l.AppendTx(ctx, tx, entry(3))
			if err == nil && seq != 3 {
				t.Errorf("after a rollback the next seq is %d, want 3", seq)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := l.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || r.Entries != 3 {
			t.Fatalf("report %+v, want 3 entries OK", r)
		}
	})
}

func TestAppendRefusesNoAction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		l := newLog(t, d)
		if _, err := l.Append(context.Background(), audit.Entry{ActorID: 1}); err == nil {
			t.Fatal("an entry without action was accepted")
		}
		if r, err := l.Verify(context.Background()); err != nil || !r.OK || r.Entries != 0 {
			t.Fatalf("after a refused append: %+v %v", r, err)
		}
	})
}

// Appends from many goroutines at once keep one gapless, valid chain.
func TestConcurrentAppends(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := newLog(t, d)
		const workers, each = 8, 15
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if _, err := l.Append(ctx, entry(w*each+i)); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		r, err := l.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || r.Entries != workers*each {
			t.Fatalf("report %+v, want %d entries OK", r, workers*each)
		}
		all, err := l.List(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range all {
			if want := int64(workers*each - i); e.Seq != want {
				t.Fatalf("position %d holds seq %d, want %d (a gap or a duplicate)", i, e.Seq, want)
			}
		}
	})
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	res, err := d.Exec(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("tampering changed nothing: %s", q)
	}
}

// swap exchanges everything but seq between two entries, as someone
// reordering the log in SQL would.
func swap(t *testing.T, d *db.DB, a, b int64) {
	t.Helper()
	ctx := context.Background()
	const cols = `at, actor_user_id, actor_session_id, action, target_user_id, purpose, detail, prev_hash, hash`
	read := func(seq int64) []any {
		var at, actor, sess, target int64
		var action, purpose, detail string
		var prev, hash []byte
		if err := d.QueryRow(ctx, `SELECT `+cols+` FROM audit_log WHERE seq = ?`, seq).Scan(&at, &actor, &sess, &action, &target, &purpose, &detail, &prev, &hash); err != nil {
			t.Fatal(err)
		}
		return []any{at, actor, sess, action, target, purpose, detail, prev, hash}
	}
	ra, rb := read(a), read(b)
	set := `UPDATE audit_log SET at = ?, actor_user_id = ?, actor_session_id = ?, action = ?, target_user_id = ?, purpose = ?, detail = ?, prev_hash = ?, hash = ? WHERE seq = ?`
	exec(t, d, set, append(rb, a)...)
	exec(t, d, set, append(ra, b)...)
}

// Clause 1.3: views of confidential data are audited, and the audit cannot
// be edited unnoticed. Each case tampers with a 10-entry log in SQL.
func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name     string
		tamper   func(t *testing.T, d *db.DB)
		firstBad []int64 // acceptable values
		problem  string
	}{
		{"intact", func(*testing.T, *db.DB) {}, []int64{0}, ""},
		{"detail of entry 5 altered", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET detail = 'fields=phone' WHERE seq = 5`)
		}, []int64{5}, audit.ProblemAltered},
		{"purpose of entry 5 altered", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET purpose = '' WHERE seq = 5`)
		}, []int64{5}, audit.ProblemAltered},
		{"time of entry 5 altered", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET at = at - 86400000 WHERE seq = 5`)
		}, []int64{5}, audit.ProblemAltered},
		{"actor of entry 5 altered", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET actor_user_id = 1 WHERE seq = 5`)
		}, []int64{5}, audit.ProblemAltered},
		{"target of entry 5 altered", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET target_user_id = 999 WHERE seq = 5`)
		}, []int64{5}, audit.ProblemAltered},
		{"entry 4 removed", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq = 4`)
		}, []int64{4, 5}, audit.ProblemRemoved},
		{"entries 3 and 7 swapped", func(t *testing.T, d *db.DB) {
			swap(t, d, 3, 7)
		}, []int64{3}, audit.ProblemReordered},
		{"neighbours 6 and 7 swapped", func(t *testing.T, d *db.DB) {
			swap(t, d, 6, 7)
		}, []int64{6}, audit.ProblemReordered},
		{"last entry removed", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq = 10`)
		}, []int64{10}, audit.ProblemHeadMismatch},
		{"last three removed and head rolled back", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq > 7`)
			exec(t, d, `UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_log WHERE seq = 7)`)
		}, []int64{8}, audit.ProblemHeadMismatch},
		{"head removed", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_head`)
		}, []int64{11}, audit.ProblemHeadMismatch},
		{"everything removed", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log`)
		}, []int64{1}, audit.ProblemHeadMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Engines(t, func(t *testing.T, d *db.DB) {
				ctx := context.Background()
				l := newLog(t, d)
				fill(t, l, 10)
				c.tamper(t, d)
				r, err := l.Verify(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if r.Problem != c.problem || !slices.Contains(c.firstBad, r.FirstBad) || r.OK != (c.problem == "") {
					t.Fatalf("report %+v, want problem %q at one of %v", r, c.problem, c.firstBad)
				}
				if !i18n.Has(r.MessageKey()) {
					t.Errorf("report message %q is not translated", r.MessageKey())
				}
			})
		})
	}
}

// Without the audit key nobody can write entries that verify, and an
// altered head stops further appends instead of being built upon.
func TestChainNeedsTheKey(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := newLog(t, d)
		fill(t, l, 3)
		other := newLog(t, d) // same database, a different keyring
		r, err := other.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.FirstBad != 1 || r.Problem != audit.ProblemAltered {
			t.Fatalf("verified under a foreign key: %+v", r)
		}
		if _, err := other.Append(ctx, entry(4)); !errors.Is(err, audit.ErrHeadTampered) {
			t.Fatalf("append under a foreign key: %v, want ErrHeadTampered", err)
		}
		if r, _ := l.Verify(ctx); !r.OK || r.Entries != 3 {
			t.Fatalf("the refused append changed the log: %+v", r)
		}
	})
}

func TestVerifyEmptyLog(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		r, err := newLog(t, d).Verify(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !r.OK || r.Entries != 0 || r.FirstBad != 0 {
			t.Fatalf("empty log: %+v", r)
		}
	})
}

func TestActionsTranslated(t *testing.T) {
	for _, a := range audit.Actions {
		if !i18n.Has(audit.ActionKey(a)) {
			t.Errorf("action %q has no message %q", a, audit.ActionKey(a))
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	v, _, err := vault.Open(d, b.TempDir(), func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	l := audit.New(d, v)
	for i := 0; b.Loop(); i++ {
		if _, err := l.Append(context.Background(), entry(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRevealsOf: a user's page lists only the reveals of their own data,
// newest first, not other actions about them or reveals of others.
func TestRevealsOf(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		l := newLog(t, d)
		ctx := context.Background()
		for _, e := range []audit.Entry{
			{ActorID: 1, Action: audit.ActionReveal, TargetUserID: 7, Purpose: "first look"},
			{ActorID: 1, Action: audit.ActionRoleChange, TargetUserID: 7},
			{ActorID: 2, Action: audit.ActionReveal, TargetUserID: 8, Purpose: "someone else"},
			{ActorID: 2, Action: audit.ActionReveal, TargetUserID: 7, Purpose: "second look"},
		} {
			if _, err := l.Append(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := l.RevealsOf(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Purpose != "second look" || got[0].ActorID != 2 || got[1].Purpose != "first look" {
			t.Fatalf("RevealsOf(7): %+v", got)
		}
	})
}
