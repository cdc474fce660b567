package preview_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// site is the library and the preview worker wired as serve wires them.
type site struct {
	t     *testing.T
	d     *db.DB
	v     *vault.Vault
	store blob.Store
	lib   *library.Service
	svc   *preview.Service
	stop  func()
}

func newSite(t *testing.T, d *db.DB, o preview.Options) *site {
	t.Helper()
	dir := t.TempDir()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	store, err := blob.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, d: d, v: v, store: store}
	s.start(o)
	return s
}

// start (re)starts the worker, as a new serve process would.
func (s *site) start(o preview.Options) {
	if s.stop != nil {
		s.stop()
	}
	o.TempDir = s.t.TempDir()
	s.svc = preview.New(s.d, s.store, o)
	q := queue(s.t, s.d, s.svc)
	s.lib = library.New(s.d, s.v, s.store, library.Options{PublishImmediately: true, Published: s.svc.EnqueueTx})
	if err := s.lib.SeedTaxonomy(context.Background()); err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := q.Start(ctx); err != nil {
		s.t.Fatal(err)
	}
	s.svc.Start(ctx, s.lib)
	s.stop = func() { s.svc.Stop(); q.Stop(10 * time.Second); cancel() }
	s.t.Cleanup(s.stop)
}

// queue is a node's job queue with svc's work on it, polled often so
// tests wait little.
func queue(t *testing.T, d *db.DB, svc *preview.Service) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(d, jobs.Options{Poll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Register(q); err != nil {
		t.Fatal(err)
	}
	if err := q.Work(preview.Queue, svc.Workers()); err != nil {
		t.Fatal(err)
	}
	return q
}

// teacher inserts an active user with a confirmed address and a data key,
// as registration leaves one.
func (s *site) teacher() int64 {
	s.t.Helper()
	ctx := context.Background()
	id := db.NewID()
	err := s.d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, role, status, password_hash, locale, email_verified_at, created_at, updated_at)
			VALUES (?, 'user', 'active', '', 'kk', ?, ?, ?)`, id, db.Now(), db.Now(), db.Now()); err != nil {
			return err
		}
		_, err := s.v.NewUserKey(ctx, tx, id)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

func input() library.Input {
	return library.Input{Title: "Алгебра: сабақ жоспары", Subject: "algebra", Grade: "7", Type: "short-term-plan",
		Language: "kk", AuthorDeclaration: true}
}

func (s *site) upload(name string, body []byte) *library.Upload {
	s.t.Helper()
	up := s.lib.NewUpload()
	if err := up.Add(context.Background(), name, bytes.NewReader(body)); err != nil {
		s.t.Fatal(err)
	}
	return up
}

// waitPages polls until the file has page images (no fixed sleep: it
// returns as soon as they are there).
func (s *site) waitPages(f library.File) []preview.Page {
	s.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		m, err := s.svc.Pages(context.Background(), []int64{f.ID})
		if err != nil {
			s.t.Fatal(err)
		}
		if len(m[f.ID]) > 0 {
			return m[f.ID]
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no page images of file %d (%s) after 3 minutes", f.ID, f.Kind)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPublishedMaterialsGetPages, on both engines: a material published
// while the worker runs gets its images from the job the library's hook
// enqueued; one published by a library without the hook (a bulk load)
// gets them from the catch-up at start; an edit's new file gets them too,
// and after a restart the old file's rows are pruned. Images need no external tool, so this runs everywhere.
func TestPublishedMaterialsGetPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d, preview.Options{LookPath: noTools})
		ctx := context.Background()
		author := s.teacher()

		m, err := s.lib.Publish(ctx, author, input(), s.upload("сурет.png", pngOf(t, 640, 480)), library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if p := s.waitPages(m.Files[0]); len(p) != 1 || p[0].Width != 640 || p[0].Height != 480 {
			t.Fatalf("pages of the published png: %+v", p)
		}

		// Published by a library without the hook (a bulk load): the
		// next start catches up.
		deaf := library.New(d, s.v, s.store, library.Options{PublishImmediately: true})
		up := deaf.NewUpload()
		if err := up.Add(ctx, "кесте.png", bytes.NewReader(pngOf(t, 300, 200))); err != nil {
			t.Fatal(err)
		}
		late, err := deaf.Publish(ctx, author, input(), up, library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		s.start(preview.Options{LookPath: noTools})
		if p := s.waitPages(late.Files[0]); len(p) != 1 || p[0].Width != 300 {
			t.Fatalf("pages after catch-up: %+v", p)
		}

		// An edit replaces the file: the new one gets its page; after a
		// restart the old file's rows are gone.
		old := m.Files[0]
		m2, err := s.lib.Edit(ctx, author, m.ID, input(), s.upload("жаңа.png", pngOf(t, 500, 500)), library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		s.waitPages(m2.Files[0])
		s.start(preview.Options{LookPath: noTools})
		deadline := time.Now().Add(time.Minute)
		for {
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM material_previews WHERE file_id = ?`, old.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the replaced file's %d preview rows were not pruned", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		st, err := s.svc.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Done != 2 || st.Failed != 0 || st.Queued != 0 {
			t.Fatalf("status %+v, want 2 done", st)
		}
	})
}

// TestPrunedPagesLeaveTheStore: the page images of a PDF an edit
// replaced are deleted from the blob store at the next start.
func TestPrunedPagesLeaveTheStore(t *testing.T) {
	needTools(t)
	s := newSite(t, dbtest.Open(t, db.SQLite), preview.Options{})
	ctx := context.Background()
	author := s.teacher()
	m, err := s.lib.Publish(ctx, author, input(), s.upload("жұмыс-парағы.pdf", testdata(t, "library/demodata/worksheet-kk.pdf")), library.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	pages := s.waitPages(m.Files[0])
	if ok, err := s.store.Exists(ctx, pages[0].SHA256); err != nil || !ok {
		t.Fatalf("page image not in the store: %v %v", ok, err)
	}
	if _, err := s.lib.Edit(ctx, author, m.ID, input(), s.upload("сурет.png", pngOf(t, 10, 10)), library.Meta{}); err != nil {
		t.Fatal(err)
	}
	s.start(preview.Options{})
	deadline := time.Now().Add(3 * time.Minute)
	for {
		ok, err := s.store.Exists(ctx, pages[0].SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the replaced PDF's page image is still stored")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
