package library_test

import (
	"context"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Views gathered in memory reach the material's counter at the next flush
// and at stop; a material that is not published gains none; after stop a
// view counts at once again.
func TestViewCounter(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		m := e.published(author, "Жоспар")
		views := func() int64 {
			t.Helper()
			got, err := e.lib.Get(ctx, m.ID, library.Viewer{})
			if err != nil {
				t.Fatal(err)
			}
			return got.Views
		}
		stop := e.lib.StartViewCounter(ctx, time.Hour) // flushed by hand below
		for range 5 {
			e.lib.View(ctx, m.ID)
		}
		if v := views(); v != 0 {
			t.Fatalf("views before the flush = %d, want 0 (they are gathered)", v)
		}
		if err := e.lib.FlushViews(ctx); err != nil {
			t.Fatal(err)
		}
		if v := views(); v != 5 {
			t.Fatalf("views after the flush = %d, want 5", v)
		}
		for range 3 {
			e.lib.View(ctx, m.ID)
		}
		stop()
		if v := views(); v != 8 {
			t.Fatalf("views after stop = %d, want 8", v)
		}
		e.lib.View(ctx, m.ID)
		if v := views(); v != 9 {
			t.Fatalf("a view after stop = %d, want 9 (counted at once)", v)
		}
		// The ticker flushes by itself.
		stop = e.lib.StartViewCounter(ctx, 10*time.Millisecond)
		defer stop()
		e.lib.View(ctx, m.ID)
		deadline := time.Now().Add(10 * time.Second)
		for views() != 10 {
			if time.Now().After(deadline) {
				t.Fatalf("views = %d after 10 s, want 10", views())
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
