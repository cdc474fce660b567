package library_test

import (
	"context"
	"errors"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/preview"
)

// TestPublishedHookInTheTransaction, on both engines: the library tells
// Options.Published a material's files inside the transaction that puts
// it in the catalog — at approval, not at a submission that waits — and
// a failing hook (the page images' jobs could not be enqueued) leaves the
// material as it was, so no published material is without its drawings.
func TestPublishedHookInTheTransaction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var told [][]preview.File
		refuse := false
		hook := func(ctx context.Context, tx *db.Tx, files []preview.File) error {
			if refuse {
				return errors.New("the queue is unreachable")
			}
			// The hook sees the transaction's own writes.
			var status string
			if err := tx.QueryRow(ctx, `SELECT status FROM materials WHERE id = ?`, files[0].MaterialID).Scan(&status); err != nil {
				return err
			}
			if status != string(library.StatusPublished) {
				return errors.New("told before the material is published: " + status)
			}
			told = append(told, files)
			return nil
		}
		e := newEnv(t, d, library.Options{Published: hook})
		author, mod := e.user("user"), e.user("moderator")
		m, err := e.publish(author, validInput(), upload{"жоспар.docx", docx(t, "Теңдеулер")})
		if err != nil {
			t.Fatal(err)
		}
		if len(told) != 0 {
			t.Fatalf("told of a material waiting for moderation: %v", told)
		}
		refuse = true
		if err := e.lib.Approve(ctx, mod, m.ID); err == nil {
			t.Fatal("approved although the hook failed")
		}
		if got, err := e.lib.Get(ctx, m.ID, library.Viewer{Staff: true}); err != nil || got.Status != library.StatusPending {
			t.Fatalf("after a failed approval the material is %v (%v), want pending", got.Status, err)
		}
		refuse = false
		if err := e.lib.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		if len(told) != 1 || len(told[0]) != 1 || told[0][0].ID != m.Files[0].ID || told[0][0].SHA256 != m.Files[0].SHA256 || told[0][0].Kind != "docx" {
			t.Fatalf("told %+v, want the material's one docx file %+v", told, m.Files[0])
		}

		// Publishing at once: a failing hook leaves nothing behind.
		now := newEnv(t, dbtest.Open(t, d.Engine()), library.Options{Published: hook, PublishImmediately: true})
		teacher := now.user("user")
		if _, err := now.publish(teacher, validInput(), upload{"жоспар.docx", docx(t, "Бөлшектер")}); err != nil {
			t.Fatal(err)
		}
		if len(told) != 2 {
			t.Fatalf("told of %d materials, want 2", len(told))
		}
		refuse = true
		if _, err := now.publish(teacher, validInput(), upload{"кесте.docx", docx(t, "Пропорция")}); err == nil {
			t.Fatal("published although the hook failed")
		}
		if n := now.rows("materials"); n != 1 {
			t.Fatalf("%d materials after a failed publication, want 1", n)
		}
	})
}
