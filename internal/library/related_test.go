package library_test

import (
	"context"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// A material's related list holds the other published materials of its
// subject and grade, newest first, never the material itself, whichever
// of them asks first (the list is shared for a while).
func TestRelated(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		var ms []*library.Material
		for _, title := range []string{"Бірінші", "Екінші", "Үшінші"} {
			ms = append(ms, e.published(author, title))
			e.clock.now = e.clock.now.Add(60e9)
		}
		for _, m := range ms {
			got, err := e.lib.Related(ctx, m, 6)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, c := range got {
				if c.ID == m.ID {
					t.Fatalf("%s is related to itself", m.Title)
				}
				titles = append(titles, c.Title)
			}
			if len(titles) != 2 {
				t.Fatalf("related of %s: %v, want the other two", m.Title, titles)
			}
		}
		got, _ := e.lib.Related(ctx, ms[0], 6)
		if got[0].Title != "Үшінші" || got[1].Title != "Екінші" {
			t.Fatalf("related of the first: %s, %s; want newest first", got[0].Title, got[1].Title)
		}
		if got, _ := e.lib.Related(ctx, ms[0], 1); len(got) != 1 || got[0].Title != "Үшінші" {
			t.Fatalf("related with limit 1: %v", got)
		}
	})
}
