package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
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
