package preview_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/preview"
)

// listCatalog is a library whose published files are a fixed list; it
// answers RecentFiles by keyset, as the library does, and remembers the
// largest page asked for.
type listCatalog struct {
	mu       sync.Mutex
	files    []preview.File // newest (largest id) first
	calls    int
	maxLimit int
}

func newListCatalog(files ...preview.File) *listCatalog {
	c := &listCatalog{files: slices.Clone(files)}
	slices.SortFunc(c.files, func(a, b preview.File) int { return int(b.ID - a.ID) })
	return c
}

func (c *listCatalog) PublishedFiles(context.Context, int64) ([]preview.File, error) { return nil, nil }

func (c *listCatalog) RecentFiles(_ context.Context, before int64, limit int) ([]preview.File, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	c.maxLimit = max(c.maxLimit, limit)
	var out []preview.File
	for _, f := range c.files {
		if (before <= 0 || f.ID < before) && len(out) < limit {
			out = append(out, f)
		}
	}
	return out, nil
}

func (c *listCatalog) ExistingFiles(_ context.Context, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true // nothing is pruned
	}
	return out, nil
}

func (c *listCatalog) ReleaseBlob(context.Context, string) error        { return nil }
func (c *listCatalog) HoldBlob(context.Context, string) (func(), error) { return func() {}, nil }

func (c *listCatalog) paging() (calls, maxLimit int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.maxLimit
}

// start runs the worker, with a job queue, over c until the test ends.
func (e *env) start(c preview.Catalog) {
	q := queue(e.t, e.d, e.svc)
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Start(ctx); err != nil {
		e.t.Fatal(err)
	}
	e.svc.Start(ctx, c)
	e.t.Cleanup(func() { e.svc.Stop(); q.Stop(10 * time.Second); cancel() })
}

// outcome is a file's recorded outcome ("" when it has none).
func (e *env) outcome(f preview.File) (status, note string) {
	e.t.Helper()
	rows, err := e.d.Query(context.Background(), `SELECT status, note FROM material_previews WHERE file_id = ? AND page = 0`, f.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&status, &note); err != nil {
			e.t.Fatal(err)
		}
	}
	return status, note
}

// failedBefore records a failure as an earlier run of the worker left it
// (a tool that failed then, or a generator whose files drew blank).
func (e *env) failedBefore(f preview.File, note string) {
	e.t.Helper()
	if _, err := e.d.Exec(context.Background(), `INSERT INTO material_previews (file_id, page, source_sha256, status, note, created_at)
		VALUES (?, 0, ?, 'failed', ?, ?)`, f.ID, f.SHA256, note, e.clock.UnixMilli()); err != nil {
		e.t.Fatal(err)
	}
}

// eventually polls cond until it holds (no fixed sleep).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 3 minutes", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRetryFailed, on both engines: failed outcomes are kept across
// starts; RetryFailed clears them all, and the running worker draws the
// published ones again — a file that fails again is recorded again, one
// no longer published keeps no outcome.
func TestRetryFailed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, preview.Options{LookPath: noTools})
		ctx := context.Background()
		blank := e.put("png", pngOf(t, 640, 480))
		e.failedBefore(blank, "blank")
		gone := e.put("png", pngOf(t, 320, 240))
		e.failedBefore(gone, "timeout")
		bad := e.put("jpg", []byte("\xff\xd8\xff\xe0 not really a jpeg"))
		if err := e.svc.Make(ctx, bad); err != nil {
			t.Fatal(err)
		}
		e.start(newListCatalog(blank, bad)) // gone is not published

		// The start's catch-up passes over files that have an outcome.
		if st := e.status(); st.Failed != 3 || st.Done != 0 {
			t.Fatalf("status at start %+v, want 3 failed", st)
		}
		n, err := e.svc.RetryFailed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Fatalf("RetryFailed cleared %d outcomes, want 3", n)
		}
		eventually(t, "the blank file drawn again", func() bool { return len(e.pages(blank)) == 1 })
		if p := e.pages(blank)[0]; p.Width != 640 || p.Height != 480 {
			t.Errorf("page of the retried file: %+v", p)
		}
		eventually(t, "the damaged file tried again", func() bool { st, _ := e.outcome(bad); return st != "" })
		if st, note := e.outcome(bad); st != "failed" || note != "image" {
			t.Errorf("the damaged file's new outcome: %s %s, want failed image", st, note)
		}
		if st, _ := e.outcome(gone); st != "" {
			t.Errorf("a file no longer published was drawn again: %s", st)
		}
		if st := e.status(); st.Done != 1 || st.Failed != 1 {
			t.Errorf("status after the retry %+v, want 1 done and 1 failed", st)
		}

		// Another retry clears only what failed since: the damaged file,
		// which is tried once more; the drawn file keeps its page.
		if n, err := e.svc.RetryFailed(ctx); err != nil || n != 1 {
			t.Errorf("the second retry cleared %d (%v), want the one failed file", n, err)
		}
		eventually(t, "the damaged file tried once more", func() bool { st, _ := e.outcome(bad); return st != "" })
		if len(e.pages(blank)) != 1 {
			t.Errorf("the second retry lost the drawn file's page")
		}
	})
}

// TestCatchUpWalksEveryFile, on both engines: the start-up catch-up
// reaches files older than the newest 2,000 (which it used to stop at),
// asking the library for one bounded page at a time.
func TestCatchUpWalksEveryFile(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, preview.Options{LookPath: noTools})
		ctx := context.Background()
		const oldest, newest = 60, 2100
		var files []preview.File
		for i := range oldest {
			files = append(files, e.put("png", pngOf(t, 100+i, 50)))
		}
		// The newest files were drawn before (their outcomes are recorded).
		drawn := e.put("png", pngOf(t, 10, 10))
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for range newest {
				f := drawn
				f.ID = db.NewID()
				files = append(files, f)
				if _, err := tx.Exec(ctx, `INSERT INTO material_previews (file_id, page, source_sha256, status, note, created_at)
					VALUES (?, 0, ?, 'done', '', ?)`, f.ID, f.SHA256, e.clock.UnixMilli()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := newListCatalog(files...)
		e.start(c)
		for i, f := range files[:oldest] {
			eventually(t, "an old file drawn by the catch-up", func() bool { return len(e.pages(f)) == 1 })
			if p := e.pages(f)[0]; p.Width != 100+i {
				t.Errorf("old file %d: page %+v", i, p)
			}
		}
		calls, maxLimit := c.paging()
		if maxLimit > 1000 || calls < (oldest+newest)/max(1, maxLimit) {
			t.Errorf("the catch-up asked %d times for pages of up to %d files: not a bounded keyset walk", calls, maxLimit)
		}
		if st := e.status(); st.Done != oldest+newest || st.Failed != 0 {
			t.Errorf("status %+v, want %d done", st, oldest+newest)
		}
	})
}

// TestRetryAfterTimeout: a document whose conversion ran out of time is
// recorded as failed; after the time limit is raised (a restart with
// other settings), an administrator's retry draws it.
func TestRetryAfterTimeout(t *testing.T) {
	needTools(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite), preview.Options{Timeout: 300 * time.Millisecond})
	ctx := context.Background()
	f := e.put("docx", testdata(t, "extract/testdata/sample.docx"))
	if err := e.svc.Make(ctx, f); err != nil {
		t.Fatal(err)
	}
	if st, note := e.outcome(f); st != "failed" || note != "timeout" {
		t.Fatalf("outcome %s %s, want failed timeout", st, note)
	}
	e.svc = preview.New(e.d, e.store, preview.Options{TempDir: e.tmp})
	e.start(newListCatalog(f))
	if n, err := e.svc.RetryFailed(ctx); err != nil || n != 1 {
		t.Fatalf("RetryFailed = %d, %v", n, err)
	}
	eventually(t, "the document drawn after the retry", func() bool { return len(e.pages(f)) > 0 })
	if n := inked(e.readPNG(e.pages(f)[0])); n < 200 {
		t.Errorf("the retried page has %d dark pixels", n)
	}
}
