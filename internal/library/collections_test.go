package library_test

import (
	"context"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// The owner of a collection renames it, switches it public or private,
// removes a material and deletes it (issue 13 §3); nobody else can do
// any of these, and to others a private collection does not exist.
func TestCollectionOwnerEdits(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author, owner, stranger := e.user("user"), e.user("user"), e.user("user")
		m := e.published(author, "Тарих: Абылай хан")
		other := e.published(author, "Әдебиет: Абай өлеңдері")
		id, err := e.lib.CreateCollection(ctx, owner, "Сабаққа дайындық", true)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []int64{m.ID, other.ID} {
			if err := e.lib.CollectionItem(ctx, owner, id, x, false); err != nil {
				t.Fatal(err)
			}
		}

		// Others: each edit is "not found", and nothing changes.
		for what, err := range map[string]error{
			"rename":      e.lib.UpdateCollection(ctx, stranger, id, "Бөтен атау", false),
			"rename (0)":  e.lib.UpdateCollection(ctx, 0, id, "Бөтен атау", false),
			"remove item": e.lib.CollectionItem(ctx, stranger, id, m.ID, true),
			"delete":      e.lib.DeleteCollection(ctx, stranger, id),
			"delete (0)":  e.lib.DeleteCollection(ctx, 0, id),
		} {
			if codeOf(err) != apperr.NotFound {
				t.Errorf("a stranger's %s: %v, want not found", what, err)
			}
		}
		if c, err := e.lib.GetCollection(ctx, id, stranger); err != nil || c.Title != "Сабаққа дайындық" || !c.Public || len(c.Items) != 2 {
			t.Fatalf("after a stranger's attempts the collection changed: %v", err)
		}

		// A bad name is refused with the field named, nothing written.
		if err := e.lib.UpdateCollection(ctx, owner, id, "   ", false); !isField(err, "title") {
			t.Errorf("an empty name: %v, want a field error on title", err)
		}
		if c, _ := e.lib.GetCollection(ctx, id, stranger); c == nil || !c.Public {
			t.Errorf("a refused edit made the collection private")
		}

		// The owner renames it and makes it private: others get 404.
		if err := e.lib.UpdateCollection(ctx, owner, id, "  7-сынып   тарихы ", false); err != nil {
			t.Fatal(err)
		}
		c, err := e.lib.GetCollection(ctx, id, owner)
		if err != nil || c.Title != "7-сынып тарихы" || c.Public {
			t.Fatalf("after renaming: %v", err)
		}
		for _, viewer := range []int64{stranger, author, 0} {
			if _, err := e.lib.GetCollection(ctx, id, viewer); codeOf(err) != apperr.NotFound {
				t.Errorf("a private collection is seen by someone else: %v", err)
			}
		}
		if a, err := e.lib.Author(ctx, owner); err == nil && len(a.Collections) != 0 {
			t.Errorf("a private collection is listed on the owner's public page")
		}
		// And public again.
		if err := e.lib.UpdateCollection(ctx, owner, id, "7-сынып тарихы", true); err != nil {
			t.Fatal(err)
		}
		if _, err := e.lib.GetCollection(ctx, id, stranger); err != nil {
			t.Errorf("made public again, still hidden: %v", err)
		}

		// The owner removes a material.
		if err := e.lib.CollectionItem(ctx, owner, id, m.ID, true); err != nil {
			t.Fatal(err)
		}
		if c, _ := e.lib.GetCollection(ctx, id, owner); len(c.Items) != 1 || c.Items[0].ID != other.ID {
			t.Errorf("after removing a material the collection has %d", len(c.Items))
		}

		// The owner deletes it: gone for everyone, the materials stay.
		if err := e.lib.DeleteCollection(ctx, owner, id); err != nil {
			t.Fatal(err)
		}
		for _, viewer := range []int64{owner, stranger} {
			if _, err := e.lib.GetCollection(ctx, id, viewer); codeOf(err) != apperr.NotFound {
				t.Errorf("a deleted collection is still found: %v", err)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM collection_items WHERE collection_id = ?`, id); n != 0 {
			t.Errorf("the deleted collection keeps %d items", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM materials WHERE id IN (?, ?)`, m.ID, other.ID); n != 2 {
			t.Errorf("deleting a collection deleted materials: %d left", n)
		}
		if err := e.lib.DeleteCollection(ctx, owner, id); codeOf(err) != apperr.NotFound {
			t.Errorf("deleting twice: %v", err)
		}
	})
}

// isField reports whether err is a form error on field.
func isField(err error, field string) bool {
	ae, ok := apperr.As(err)
	return ok && ae.Field == field
}
