package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/logging"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// fakeClock is the accounts' clock, moved by the test instead of waiting.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// countingPurger counts the purges the janitor ran.
type countingPurger struct {
	purger
	runs atomic.Int64
}

func (c *countingPurger) Purge(ctx context.Context) (int64, error) {
	n, err := c.purger.Purge(ctx)
	c.runs.Add(1)
	return n, err
}

// lockedBuffer is a log destination the janitor's goroutine writes to
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The janitor purges on its own: rows still in use survive its runs;
// once the clock passes their expiry, the expired verification link, the
// long-ended session and the idle throttle counter disappear at its next
// run, the live session stays, and the log says how many rows went —
// nothing about whose.
func TestJanitorPurgesExpiredRows(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		accounts := account.New(d, v, account.Options{Now: clk.Now})
		const email, password, ip = "janitor-teacher@mail.kz", "Alma-Ata 1854 spring", "203.0.113.44"
		meta := account.Meta{IP: ip, UserAgent: "janitor-test"}
		_, _, err = accounts.Register(ctx, account.RegisterInput{Email: email, Password: password, FullName: "Айгүл Мұратова",
			Locale: "kk", Accept: true}, meta, nil) // a verification link and a throttle counter
		if err != nil {
			t.Fatal(err)
		}
		_, _, ended, err := accounts.Login(ctx, email, password, meta)
		if err != nil {
			t.Fatal(err)
		}
		if err := accounts.Logout(ctx, ended); err != nil {
			t.Fatal(err)
		}
		count := func(table string) int {
			t.Helper()
			var n int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		fresh := map[string]int{"tokens": count("tokens"), "sessions": count("sessions"), "throttle": count("throttle")}
		if fresh["tokens"] != 1 || fresh["sessions"] != 1 || fresh["throttle"] == 0 {
			t.Fatalf("fixture rows: %v", fresh)
		}

		var logs lockedBuffer
		p := &countingPurger{purger: accounts}
		stop := janitor{p: p, log: logging.New(&logs, slog.LevelDebug), first: time.Millisecond, every: 5 * time.Millisecond}.start(ctx)
		defer stop()
		waitFor := func(what string, done func() bool) {
			t.Helper()
			for deadline := time.Now().Add(20 * time.Second); !done(); time.Sleep(5 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("%s: not within 20 s (%d purges run)", what, p.runs.Load())
				}
			}
		}

		// Runs with nothing expired delete nothing.
		waitFor("two purges", func() bool { return p.runs.Load() >= 2 })
		for table, want := range fresh {
			if n := count(table); n != want {
				t.Errorf("%s: %d rows after purges of fresh data, want %d", table, n, want)
			}
		}

		// A year later: a new session is live, the rest has expired.
		clk.Add(account.SessionRetention + time.Hour)
		_, _, live, err := accounts.Login(ctx, email, password, account.Meta{IP: "203.0.113.45"})
		if err != nil {
			t.Fatal(err)
		}
		waitFor("expired rows gone", func() bool {
			return count("tokens") == 0 && count("sessions") == 1 && count("throttle") == 0
		})
		if _, _, err := accounts.Authenticate(ctx, live); err != nil {
			t.Errorf("the janitor ended a live session: %v", err)
		}
		waitFor("the count logged", func() bool { return strings.Contains(logs.String(), `"rows":`) })
		stop()
		out := logs.String()
		for _, personal := range []string{email, ip, "203.0.113.45", "janitor-test", "Айгүл", "Мұратова"} {
			if strings.Contains(out, personal) {
				t.Errorf("the janitor's log shows a personal value")
			}
		}
		if !strings.Contains(out, "janitor: purged") {
			t.Errorf("the janitor's log does not say it purged:\n%s", out)
		}
	})
}

// The blob janitor, as serve runs it: a file stored by a node that then
// crashed before writing its row, and the temporary file of an upload
// cut off mid-way, are gone after its runs; a material's file stays. The
// log says how many went.
func TestJanitorCollectsBlobs(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		v, _, err := vault.Open(d, dir, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		store, err := blob.Open("", dir)
		if err != nil {
			t.Fatal(err)
		}
		// Two hours ahead, so that files stored now count as old.
		lib := library.New(d, v, store, library.Options{Now: func() time.Time { return time.Now().Add(2 * time.Hour) }})
		kept, err := store.Put(ctx, strings.NewReader("a material's file"), -1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO users (id, role, status, password_hash, locale, created_at, updated_at) VALUES (1, 'user', 'active', '', 'kk', 0, 0)`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO materials (id, author_id, title, description, subject, grade, type, language, tags, status, slug, created_at, updated_at)
			VALUES (2, 1, 't', '', 's', 'g', 'y', 'kk', '', 'published', 't', 0, 0)`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO material_files (id, material_id, sha256, size, kind, name, position, created_at) VALUES (3, 2, ?, 1, 'txt', 'a.txt', 0, 0)`, kept.SHA256); err != nil {
			t.Fatal(err)
		}
		orphan, err := store.Put(ctx, strings.NewReader("stored, then the node crashed"), -1)
		if err != nil {
			t.Fatal(err)
		}
		temp := filepath.Join(dir, "files", "tmp", "put-cut-off")
		if err := os.WriteFile(temp, []byte("half an upload"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-10 * time.Minute)
		if err := os.Chtimes(temp, old, old); err != nil {
			t.Fatal(err)
		}

		var logs lockedBuffer
		stop := janitor{p: blobJanitor{lib}, log: logging.New(&logs, slog.LevelDebug), first: time.Millisecond, every: 5 * time.Millisecond, what: blobJanitorWhat}.start(ctx)
		defer stop()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			gone, _ := store.Exists(ctx, orphan.SHA256)
			_, statErr := os.Stat(temp)
			if !gone && statErr != nil && strings.Contains(logs.String(), `"rows":2`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("not collected within 20 s: orphan stored %v, temporary file %v; log:\n%s", gone, statErr, logs.String())
			}
		}
		stop()
		if ok, err := store.Exists(ctx, kept.SHA256); err != nil || !ok {
			t.Fatalf("the material's file was collected: %v %v", ok, err)
		}
		if !strings.Contains(logs.String(), "janitor: purged dead uploads") {
			t.Errorf("the log does not say what was collected:\n%s", logs.String())
		}
	})
}
