package account_test

import (
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// CreateAdmin makes a verified administrator, or promotes an existing
// user and sets their password; the site always keeps one administrator.
func TestCreateAdminAndRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		_, err := e.s.CreateAdmin(e.ctx, "admin@", "admin password 1", "Әкімші")
		wantErr(t, err, apperr.Invalid, "email", "account.email.invalid")

		a, err := e.s.CreateAdmin(e.ctx, "Admin@Mail.kz", "admin password 1", "Бас әкімші")
		if err != nil {
			t.Fatal(err)
		}
		if a.Role != account.RoleAdmin || !a.EmailVerified {
			t.Fatal("new administrator not admin or not verified")
		}
		e.login(t, "admin@mail.kz", "admin password 1")

		u, _ := e.register(t, "teacher@mail.kz")
		p, err := e.s.CreateAdmin(e.ctx, "TEACHER@mail.kz", "promoted password", "ignored name")
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != u.ID || p.Role != account.RoleAdmin || !p.EmailVerified || p.FullName.Reveal() != u.FullName.Reveal() {
			t.Fatal("existing user not promoted in place")
		}
		e.login(t, "teacher@mail.kz", "promoted password")
		if n, err := e.s.CountAdmins(e.ctx); err != nil || n != 2 {
			t.Fatalf("admins: %d %v", n, err)
		}
		ch, _ := e.s.Changes(e.ctx, u.ID)
		seen := map[string]bool{}
		for _, c := range ch {
			if c.ActorID != 0 {
				t.Fatalf("console change of %s attributed to user %d", c.Field, c.ActorID)
			}
			seen[c.Field] = true
		}
		if !seen["role"] || !seen["password"] || !seen["email_verified"] {
			t.Fatalf("promotion not fully recorded: %v", seen)
		}

		m := account.Meta{ActorID: a.ID, SessionID: 5}
		wantErr(t, e.s.SetRole(e.ctx, u.ID, "owner", m), apperr.Invalid, "role", "account.role.invalid")
		if err := e.s.SetRole(e.ctx, u.ID, account.RoleModerator, m); err != nil {
			t.Fatal(err)
		}
		ch, _ = e.s.Changes(e.ctx, u.ID)
		if ch[0].Field != "role" || ch[0].Old.Reveal() != "admin" || ch[0].New.Reveal() != "moderator" || ch[0].ActorID != a.ID {
			t.Fatal("role change not recorded with the acting administrator")
		}
		// a is now the only administrator.
		wantErr(t, e.s.SetRole(e.ctx, a.ID, account.RoleUser, account.Meta{ActorID: a.ID}), apperr.Conflict, "", "account.role.last_admin")
		wantErr(t, e.s.Delete(e.ctx, a.ID, account.Meta{ActorID: a.ID}), apperr.Conflict, "", "account.role.last_admin")
		if got, _ := e.s.Get(e.ctx, a.ID); got.Role != account.RoleAdmin || got.Status != account.StatusActive {
			t.Fatal("the last administrator was demoted or deleted")
		}
	})
}

// List pages through users by id without personal data.
func TestListPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		want := map[int64]bool{}
		for _, em := range []string{"a@mail.kz", "b@mail.kz", "c@mail.kz", "d@mail.kz", "e@mail.kz"} {
			u, _ := e.register(t, em)
			want[u.ID] = true
		}
		var after int64
		seen := 0
		for pages := 0; ; pages++ {
			page, err := e.s.List(e.ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				if pages != 3 {
					t.Fatalf("%d pages of 2 for 5 users", pages)
				}
				break
			}
			for _, sm := range page {
				if sm.ID <= after || !want[sm.ID] || sm.Role != account.RoleUser || sm.Status != account.StatusActive {
					t.Fatalf("unexpected or out-of-order summary %d", sm.ID)
				}
				after = sm.ID
				seen++
			}
		}
		if seen != 5 {
			t.Fatalf("listed %d of 5", seen)
		}
	})
}

// The interface language is one of kk, ru, en.
func TestSetLocale(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		wantErr(t, e.s.SetLocale(e.ctx, u.ID, "de"), apperr.Invalid, "locale", "account.locale.invalid")
		if err := e.s.SetLocale(e.ctx, u.ID, "RU"); err != nil {
			t.Fatal(err)
		}
		if got, _ := e.s.Get(e.ctx, u.ID); got.Locale != "ru" {
			t.Fatalf("locale %s", got.Locale)
		}
	})
}

// Purge removes expired links, long-ended sessions and idle throttle
// counters, and keeps what is still in use.
func TestPurge(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz") // leaves a verification link and a throttle row
		_, _, ended := e.login(t, "teacher@mail.kz", goodPassword)
		if err := e.s.Logout(e.ctx, ended); err != nil {
			t.Fatal(err)
		}
		if n, err := e.s.Purge(e.ctx); err != nil || n != 0 {
			t.Fatalf("purge removed %d fresh rows: %v", n, err)
		}
		e.clk.Add(account.SessionRetention + time.Hour)
		_, _, live := e.login(t, "teacher@mail.kz", goodPassword)
		if _, err := e.s.Purge(e.ctx); err != nil {
			t.Fatal(err)
		}
		for table, want := range map[string]int{"tokens": 0, "sessions": 1, "throttle": 0} {
			if n := e.count(t, "SELECT COUNT(*) FROM "+table); n != want {
				t.Errorf("%s: %d rows after purge, want %d", table, n, want)
			}
		}
		if _, _, err := e.s.Authenticate(e.ctx, live); err != nil {
			t.Fatalf("purge ended a live session: %v", err)
		}
	})
}
