package account_test

import (
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// TestSessionHistory: the user's own data page lists ended sessions with
// when they ended, as long as Purge keeps them, and never another user's
// (law L10); RoleOf names an administrator by role only.
func TestSessionHistory(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		e.register(t, "other@mail.kz")
		e.login(t, "other@mail.kz", goodPassword)
		_, ended, tok := e.login(t, "teacher@mail.kz", goodPassword)
		e.clk.Add(time.Minute)
		_, open, _ := e.login(t, "teacher@mail.kz", goodPassword)
		if err := e.s.Logout(e.ctx, tok); err != nil {
			t.Fatal(err)
		}
		hist, err := e.s.SessionHistory(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].ID != open.ID || !hist[0].EndedAt.IsZero() || hist[1].ID != ended.ID || hist[1].EndedAt.IsZero() {
			t.Fatalf("history: %d sessions, or not newest first with the ended one marked", len(hist))
		}
		if hist[1].IP.IsZero() {
			t.Error("the ended session's address is not opened for its owner")
		}
		e.clk.Add(account.SessionRetention + time.Hour)
		if _, err := e.s.Purge(e.ctx); err != nil {
			t.Fatal(err)
		}
		// The signed-out one is gone; the other, expired later, is kept
		// until its own retention ends.
		if hist, _ := e.s.SessionHistory(e.ctx, u.ID); len(hist) != 1 || hist[0].ID != open.ID {
			t.Fatalf("%d sessions listed after the retention period, want the later one only", len(hist))
		}
		// The purge is in the register of destructions, with its rule.
		var n int64
		var rule string
		if err := e.d.QueryRow(e.ctx, `SELECT count, rule FROM destructions WHERE table_name = 'sessions'`).Scan(&n, &rule); err != nil {
			t.Fatalf("no destruction record of the sessions purged: %v", err)
		}
		if n != 1 || rule != "sessions.delete.days.365d.revoked_at,expires_at" {
			t.Errorf("destruction record: %d sessions by %q, want 1 by the 365-day rule", n, rule)
		}
		if r, err := e.s.RoleOf(e.ctx, u.ID); err != nil || r != account.RoleUser {
			t.Fatalf("RoleOf = %q, %v", r, err)
		}
		if r, err := e.s.RoleOf(e.ctx, 987654321); err != nil || r != "" {
			t.Fatalf("RoleOf(missing) = %q, %v", r, err)
		}
	})
}
