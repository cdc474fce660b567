package library_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// env is one test's library over a fresh database of one engine.
type env struct {
	t     testing.TB
	d     *db.DB
	v     *vault.Vault
	lib   *library.Service
	files string // the local blob folder, to count what is stored
	clock *clock
}

// clock is the fake clock tests move instead of sleeping.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newEnv(t testing.TB, d *db.DB, o library.Options) *env {
	t.Helper()
	dir := t.TempDir()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, d: d, v: v, clock: &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, library.Kazakhstan)}}
	store, files := openStore(t, dir)
	e.files = files
	if o.Now == nil {
		o.Now = e.clock.Now
	}
	e.lib = library.New(d, v, store, o)
	if err := e.lib.SeedTaxonomy(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

// user inserts an active user with a confirmed address and a data key,
// as account registration leaves one.
func (e *env) user(role string) int64 {
	e.t.Helper()
	ctx := context.Background()
	id := db.NewID()
	err := e.d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, role, status, password_hash, locale, email_verified_at, created_at, updated_at)
			VALUES (?, ?, 'active', '', 'kk', ?, ?, ?)`, id, role, db.Now(), db.Now(), db.Now()); err != nil {
			return err
		}
		_, err := e.v.NewUserKey(ctx, tx, id)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// blobs counts the files in the local store.
func (e *env) blobs() int {
	e.t.Helper()
	n := 0
	filepath.WalkDir(e.files, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// rows counts the rows of a table.
func (e *env) rows(table string) int {
	e.t.Helper()
	var n int
	if err := e.d.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}
