package preview_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/preview"
)

// holdSpy is the library as the worker sees it, watching the holds the
// worker takes on page images.
type holdSpy struct {
	preview.Catalog
	t     *testing.T
	d     *db.DB
	store interface {
		Exists(context.Context, string) (bool, error)
	}
	mu      sync.Mutex
	held    int
	settled int // released with the image's row written
}

func (h *holdSpy) HoldBlob(ctx context.Context, sha string) (func(), error) {
	if ok, _ := h.store.Exists(ctx, sha); ok {
		h.t.Errorf("page image %s… was stored before it was held", sha[:8])
	}
	release, err := h.Catalog.HoldBlob(ctx, sha)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.held++
	h.mu.Unlock()
	return func() {
		var n int
		h.d.QueryRow(ctx, `SELECT COUNT(*) FROM material_previews WHERE sha256 = ?`, sha).Scan(&n)
		h.mu.Lock()
		if n > 0 {
			h.settled++
		}
		h.mu.Unlock()
		release()
	}, nil
}

// TestPageImagesHeldUntilRecorded: each page image drawn is held (so no
// node prunes the same image meanwhile) from before it is stored until
// its row is written.
func TestPageImagesHeldUntilRecorded(t *testing.T) {
	needTools(t)
	s := newSite(t, dbtest.Open(t, db.SQLite), preview.Options{})
	// The worker again, over the spy.
	s.stop()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.svc = preview.New(s.d, s.store, preview.Options{TempDir: t.TempDir()})
	q := queue(t, s.d, s.svc)
	s.lib = library.New(s.d, s.v, s.store, library.Options{PublishImmediately: true, Published: s.svc.EnqueueTx})
	spy := &holdSpy{Catalog: s.lib, t: t, d: s.d, store: s.store}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(10 * time.Second)
	s.svc.Start(ctx, spy)
	defer s.svc.Stop()
	m, err := s.lib.Publish(ctx, s.teacher(), input(), s.upload("жұмыс-парағы.pdf", testdata(t, "library/demodata/worksheet-kk.pdf")), library.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	pages := s.waitPages(m.Files[0])
	spy.mu.Lock()
	defer spy.mu.Unlock()
	if spy.held != len(pages) || spy.settled != len(pages) {
		t.Fatalf("%d pages drawn, %d held, %d released after their rows were written", len(pages), spy.held, spy.settled)
	}
	var holds int
	if err := s.d.QueryRow(ctx, `SELECT COUNT(*) FROM blob_holds`).Scan(&holds); err != nil || holds != 0 {
		t.Fatalf("%d holds left (%v)", holds, err)
	}
}
