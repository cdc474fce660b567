package library_test

import (
	"context"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// An empty library has no materials; one material, in any status (here
// withdrawn, so the catalog shows nothing), is enough to have some: serve
// --demo must not fill a site whose teachers have begun publishing.
func TestHasMaterials(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{})
		ctx := context.Background()
		has := func() bool {
			t.Helper()
			ok, err := e.lib.HasMaterials(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if has() {
			t.Fatal("an empty library reports materials")
		}
		if n, err := e.lib.CreateDemoMaterials(ctx, 1, library.DemoOptions{Authors: []int64{e.user("user")}}); err != nil || n != 1 {
			t.Fatalf("one demo material: %d made, %v", n, err)
		}
		if _, err := d.Exec(ctx, `UPDATE materials SET status = ?`, string(library.StatusWithdrawn)); err != nil {
			t.Fatal(err)
		}
		if !has() {
			t.Fatal("a library with a withdrawn material reports none")
		}
	})
}
