package retention_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/retention"
)

const day = 24 * time.Hour

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// seed writes, for each rule the review named, one row just past its
// period and one just inside it, as of now.
func seed(t *testing.T, d *db.DB, now time.Time) {
	ms := func(ago time.Duration) int64 { return now.Add(-ago).UnixMilli() }
	blob := []byte("sealed")
	exec(t, d, `INSERT INTO users (id, created_at, updated_at) VALUES (1, 1, 1)`)
	exec(t, d, `INSERT INTO users (id, status, created_at, updated_at, deleted_at) VALUES (2, 'deleted', 1, 1, ?)`, ms(1096*day))
	exec(t, d, `INSERT INTO users (id, status, created_at, updated_at, deleted_at) VALUES (3, 'deleted', 1, 1, ?)`, ms(1094*day))
	// File events: sealed address and browser emptied after a year, the
	// row deleted after three.
	exec(t, d, `INSERT INTO file_events (id, user_id, material_id, file_id, action, at, ip_enc, ua_enc) VALUES (10, 1, 1, 1, 'download', ?, ?, ?)`, ms(366*day), blob, blob)
	exec(t, d, `INSERT INTO file_events (id, user_id, material_id, file_id, action, at, ip_enc, ua_enc) VALUES (11, 1, 1, 1, 'download', ?, ?, ?)`, ms(364*day), blob, blob)
	exec(t, d, `INSERT INTO file_events (id, user_id, material_id, file_id, action, at, ip_enc, ua_enc) VALUES (12, 1, 1, 1, 'upload', ?, NULL, NULL)`, ms(1096*day))
	// Profile changes: old and new values emptied after three years.
	exec(t, d, `INSERT INTO profile_changes (id, user_id, at, actor_user_id, field, old_enc, new_enc) VALUES (20, 1, ?, 1, 'phone', ?, ?)`, ms(1096*day), blob, blob)
	exec(t, d, `INSERT INTO profile_changes (id, user_id, at, actor_user_id, field, old_enc, new_enc) VALUES (21, 1, ?, 1, 'phone', ?, ?)`, ms(1094*day), blob, blob)
	// Acceptances: kept while the account lives and three years after.
	exec(t, d, `INSERT INTO documents (id, kind, version, hash, title_kk, title_ru, title_en, body_kk, body_ru, body_en, published_at) VALUES (5, 'test', 1, 'h', 't', 't', 't', 'b', 'b', 'b', 1)`)
	for i, u := range []int{1, 2, 3} {
		exec(t, d, `INSERT INTO acceptances (id, user_id, document_id, document_hash, at, method) VALUES (?, ?, 5, 'h', ?, 'register')`, 30+i, u, ms(2000*day))
	}
	// Reports: the text emptied a year after the decision, never before one.
	exec(t, d, `INSERT INTO materials (id, author_id, title, subject, grade, type, language, status, created_at, updated_at) VALUES (1, 1, 't', 's', 'g', 'x', 'kk', 'published', 1, 1)`)
	exec(t, d, `INSERT INTO reports (id, material_id, reason, text_enc, created_at, deadline_at, decided_at) VALUES (40, 1, 'spam', ?, 1, 1, ?)`, blob, ms(366*day))
	exec(t, d, `INSERT INTO reports (id, material_id, reason, text_enc, created_at, deadline_at, decided_at) VALUES (41, 1, 'spam', ?, 1, 1, ?)`, blob, ms(364*day))
	exec(t, d, `INSERT INTO reports (id, material_id, reason, text_enc, created_at, deadline_at, decided_at) VALUES (42, 1, 'spam', ?, 1, 1, 0)`, blob)
}

// TestRetentionPurgesWhatIsPast, on both engines: with the clock set, the
// job empties or deletes exactly the rows past their declared period,
// and writes one destruction record per rule that destroyed something.
func TestRetentionPurgesWhatIsPast(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
		seed(t, d, now)
		p, err := retention.New(d, func() time.Time { return now })
		if err != nil {
			t.Fatal(err)
		}
		recs, err := p.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			what string
			q    string
			want int
		}{
			{"file event past a year keeps its row", `SELECT COUNT(*) FROM file_events WHERE id = 10`, 1},
			{"file event past a year loses address and browser", `SELECT COUNT(*) FROM file_events WHERE id = 10 AND ip_enc IS NULL AND ua_enc IS NULL`, 1},
			{"file event inside a year keeps address and browser", `SELECT COUNT(*) FROM file_events WHERE id = 11 AND ip_enc IS NOT NULL AND ua_enc IS NOT NULL`, 1},
			{"file event past three years deleted", `SELECT COUNT(*) FROM file_events WHERE id = 12`, 0},
			{"old profile change emptied", `SELECT COUNT(*) FROM profile_changes WHERE id = 20 AND old_enc IS NULL AND new_enc IS NULL`, 1},
			{"recent profile change kept", `SELECT COUNT(*) FROM profile_changes WHERE id = 21 AND old_enc IS NOT NULL AND new_enc IS NOT NULL`, 1},
			{"acceptances of a live account kept", `SELECT COUNT(*) FROM acceptances WHERE user_id = 1`, 1},
			{"acceptances three years after deletion removed", `SELECT COUNT(*) FROM acceptances WHERE user_id = 2`, 0},
			{"acceptances of a recent deletion kept", `SELECT COUNT(*) FROM acceptances WHERE user_id = 3`, 1},
			{"report text a year after the decision emptied", `SELECT COUNT(*) FROM reports WHERE id = 40 AND text_enc IS NULL`, 1},
			{"report text inside the year kept", `SELECT COUNT(*) FROM reports WHERE id = 41 AND text_enc IS NOT NULL`, 1},
			{"undecided report text kept", `SELECT COUNT(*) FROM reports WHERE id = 42 AND text_enc IS NOT NULL`, 1},
		}
		for _, c := range checks {
			if n := count(t, d, c.q); n != c.want {
				t.Errorf("%s: %d rows, want %d", c.what, n, c.want)
			}
		}
		got := map[string]int64{}
		for _, r := range recs {
			got[r.Table+" "+r.Categories+" "+strings.SplitN(r.Rule, ".", 3)[1]] += r.Count
		}
		want := map[string]int64{
			"file_events technical empty":                      1,
			"file_events operational,technical delete":         1,
			"profile_changes identity empty":                   1,
			"acceptances consent,operational,technical delete": 1,
			"reports content empty":                            1,
		}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("destruction %q: %d, want %d (all: %v)", k, got[k], n, got)
			}
		}
		if len(got) != len(want) {
			t.Errorf("destructions %v, want %v", got, want)
		}
		listed, err := retention.List(ctx, d, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != len(recs) {
			t.Fatalf("the register holds %d records, the run reported %d", len(listed), len(recs))
		}
		for _, r := range listed {
			if !r.At.Equal(now) || r.Count <= 0 || r.Rule == "" {
				t.Errorf("record %+v: want the run's date, a count and its rule", r)
			}
		}
		// A second run finds nothing more and writes nothing.
		again, err := p.Run(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second run: %v, %v; want nothing", again, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM destructions`); n != len(recs) {
			t.Fatalf("after a second run %d records, want %d", n, len(recs))
		}
	})
}

// TestRetentionBatches, on both engines: more rows than a batch are all
// purged, each batch with its own record.
func TestRetentionBatches(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
		exec(t, d, `INSERT INTO users (id, created_at, updated_at) VALUES (1, 1, 1)`)
		n := retention.Batch + 7
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for i := range n {
				if _, err := tx.Exec(ctx, `INSERT INTO file_events (id, user_id, material_id, file_id, action, at) VALUES (?, 1, 1, 1, 'download', ?)`,
					100+i, now.Add(-1100*day).UnixMilli()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := retention.New(d, func() time.Time { return now })
		recs, err := p.Run(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].Count != int64(n) {
			t.Fatalf("records %+v, want one of %d rows", recs, n)
		}
		if left := count(t, d, `SELECT COUNT(*) FROM file_events`); left != 0 {
			t.Fatalf("%d file events left", left)
		}
		if rows := count(t, d, `SELECT COUNT(*) FROM destructions`); rows != 2 {
			t.Fatalf("%d register rows, want one per batch (2)", rows)
		}
	})
}

// TestRetentionJobOnceAcrossNodes, on both engines: two nodes schedule
// the retention job; it runs once, and the register has one set of
// records.
func TestRetentionJobOnceAcrossNodes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		now := time.Now()
		seed(t, d, now)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var mu sync.Mutex
		var runs int
		for _, who := range []string{"a", "b"} {
			q, err := jobs.New(d, jobs.Options{Node: who, Poll: 20 * time.Millisecond, Lease: 5 * time.Second, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			p, err := retention.New(d, func() time.Time {
				mu.Lock()
				defer mu.Unlock()
				runs++
				return now
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := retention.Register(q, p, log); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				q.Stop(5 * time.Second)
				cancel()
			})
		}
		deadline := time.Now().Add(time.Minute)
		for count(t, d, `SELECT COUNT(*) FROM destructions`) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the retention job did not run within a minute")
			}
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(2 * time.Second) // room for a second run, if there were one
		mu.Lock()
		defer mu.Unlock()
		if runs != 1 {
			t.Fatalf("the job ran %d times on two nodes, want once", runs)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM destructions`); n != 5 {
			t.Fatalf("%d destruction records, want 5", n)
		}
	})
}

// TestRulesFromDeclarations: the rules are the declarations' values; the
// periods the public map shows are those the job enforces.
func TestRulesFromDeclarations(t *testing.T) {
	rules, err := datamap.Rules()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]datamap.Rule{}
	for _, r := range rules {
		byName[r.Name()] = r
	}
	for _, want := range []string{
		"file_events.empty.ip_enc,ua_enc.days.365d.at",
		"file_events.delete.days.1095d.at",
		"profile_changes.empty.old_enc,new_enc.days.1095d.at",
		"acceptances.delete.after.1095d.user_id",
		"reports.empty.text_enc.days.365d.decided_at",
	} {
		if _, ok := byName[want]; !ok {
			t.Errorf("no rule %s in %v", want, byName)
		}
	}
}
