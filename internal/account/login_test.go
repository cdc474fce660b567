package account_test

import (
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// A wrong password, an unknown address and a deleted account all get the
// very same answer, after the same hashing work, so the login form never
// reveals who is registered. Unverified users can sign in.
func TestLoginOutcomes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		gone, _ := e.register(t, "gone@mail.kz")
		if err := e.s.Delete(e.ctx, gone.ID, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		got, sess, tok, err := e.s.Login(e.ctx, "Teacher@Mail.kz ", goodPassword, account.Meta{IP: freshIP()})
		if err != nil {
			t.Fatalf("right password: %v", err)
		}
		if got.ID != u.ID || got.EmailVerified || sess.UserID != u.ID || tok == "" {
			t.Fatalf("login returned the wrong user or session")
		}
		var first error
		for _, c := range []struct{ name, email, pw string }{
			{"wrong password", "teacher@mail.kz", goodPassword + "!"},
			{"empty password", "teacher@mail.kz", ""},
			{"unknown address", "nobody@mail.kz", goodPassword},
			{"deleted account", "gone@mail.kz", goodPassword},
		} {
			before := account.HashCount(e.s)
			u, s, tok, err := e.s.Login(e.ctx, c.email, c.pw, account.Meta{IP: freshIP()})
			wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
			if u != nil || s != nil || tok != "" {
				t.Fatalf("%s: a failed login returned a user, session or token", c.name)
			}
			if n := account.HashCount(e.s) - before; n != 1 {
				t.Fatalf("%s: %d hashes, want exactly 1 (same work in every case)", c.name, n)
			}
			if first == nil {
				first = err
			} else if err.Error() != first.Error() {
				t.Fatalf("%s: error %q differs from %q", c.name, err, first)
			}
		}
	})
}

// Failures per account are throttled after five; a throttled attempt is
// refused before any hashing, and the block lifts when the clock moves.
func TestLoginThrottlePerAccount(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		fail := func() error {
			_, _, _, err := e.s.Login(e.ctx, "teacher@mail.kz", "wrong password", account.Meta{IP: freshIP()})
			return err
		}
		for i := 1; i <= 6; i++ { // five free failures, the sixth starts a 2-second block
			wantErr(t, fail(), apperr.Unauthorized, "", "account.login.failed")
		}
		before := account.HashCount(e.s)
		_, _, _, err := e.s.Login(e.ctx, "TEACHER@mail.kz", goodPassword, account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.TooMany, "", "account.throttled")
		if account.HashCount(e.s) != before {
			t.Fatal("a throttled attempt ran the password hash")
		}
		e.clk.Add(1900 * time.Millisecond)
		_, _, _, err = e.s.Login(e.ctx, "teacher@mail.kz", goodPassword, account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.TooMany, "", "account.throttled")
		e.clk.Add(100 * time.Millisecond)
		e.login(t, "teacher@mail.kz", goodPassword)
		// The success cleared the counter: five failures are free again.
		for i := 1; i <= 5; i++ {
			wantErr(t, fail(), apperr.Unauthorized, "", "account.login.failed")
		}
		e.login(t, "teacher@mail.kz", goodPassword)
	})
}

// Failures from one client IP are throttled across accounts; the block
// grows but never beyond 15 minutes, and an idle counter restarts after
// a day.
func TestLoginThrottlePerIP(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		const ip = "203.0.113.9"
		n := 0
		try := func(email, pw string) error {
			n++
			_, _, _, err := e.s.Login(e.ctx, email, pw, account.Meta{IP: ip})
			return err
		}
		for i := 1; i <= 6; i++ {
			wantErr(t, try("guess"+string(rune('a'+i))+"@mail.kz", "whatever123"), apperr.Unauthorized, "", "account.login.failed")
		}
		// The right password for a real account, from the blocked IP.
		wantErr(t, try("teacher@mail.kz", goodPassword), apperr.TooMany, "", "account.throttled")
		// Another IP is not affected.
		e.login(t, "teacher@mail.kz", goodPassword)

		// Keep failing, waiting out each block: 2, 4, 8 … seconds, then 15 minutes at most.
		wait := 2 * time.Second
		for i := 7; i <= 16; i++ {
			e.clk.Add(wait)
			wantErr(t, try("guess@mail.kz", "whatever123"), apperr.Unauthorized, "", "account.login.failed")
			wait = min(wait*2, 15*time.Minute)
		}
		e.clk.Add(15*time.Minute - time.Second)
		wantErr(t, try("teacher@mail.kz", goodPassword), apperr.TooMany, "", "account.throttled")
		e.clk.Add(time.Second)
		if err := try("teacher@mail.kz", goodPassword); err != nil {
			t.Fatalf("after the longest block, the right password from the same IP: %v", err)
		}
		// A day later the counter starts from zero: a failure blocks nothing.
		e.clk.Add(24*time.Hour + time.Second)
		wantErr(t, try("guess@mail.kz", "whatever123"), apperr.Unauthorized, "", "account.login.failed")
		if err := try("teacher@mail.kz", goodPassword); err != nil {
			t.Fatalf("after a day: %v", err)
		}
	})
}

// Every login gets a new token; sessions can be listed, used, ended one by
// one or all at once, and expire unless used.
func TestSessions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		other, _ := e.register(t, "other@mail.kz")
		_, s1, t1, err := e.s.Login(e.ctx, "teacher@mail.kz", goodPassword, account.Meta{IP: "203.0.113.1", UserAgent: "Firefox on Linux"})
		if err != nil {
			t.Fatal(err)
		}
		e.clk.Add(time.Minute)
		_, s2, t2, err := e.s.Login(e.ctx, "teacher@mail.kz", goodPassword, account.Meta{IP: "203.0.113.2", UserAgent: "Safari on iPhone"})
		if err != nil {
			t.Fatal(err)
		}
		if t1 == t2 || s1.ID == s2.ID || len(t1) != 43 {
			t.Fatal("a login did not get a new 256-bit token and session")
		}
		list, err := e.s.Sessions(e.ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != s2.ID || list[0].IP.Reveal() != "203.0.113.2" || list[1].UserAgent.Reveal() != "Firefox on Linux" {
			t.Fatalf("sessions list: %d entries, or not newest first, or IP/browser not kept", len(list))
		}
		au, as, err := e.s.Authenticate(e.ctx, t1)
		if err != nil || au.ID != u.ID || as.ID != s1.ID || au.Email.Reveal() != "teacher@mail.kz" {
			t.Fatalf("authenticate: %v", err)
		}
		// Someone else's session cannot be ended.
		wantErr(t, e.s.EndSession(e.ctx, other.ID, s1.ID), apperr.NotFound, "", "account.session.not_found")
		if err := e.s.EndSession(e.ctx, u.ID, s1.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.s.Authenticate(e.ctx, t1)
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")
		if _, _, err := e.s.Authenticate(e.ctx, t2); err != nil {
			t.Fatalf("the other session was ended too: %v", err)
		}
		if err := e.s.Logout(e.ctx, t2); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.s.Authenticate(e.ctx, t2)
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")
		_, _, err = e.s.Authenticate(e.ctx, "not-a-token")
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")

		// EndOtherSessions keeps the given one; 0 ends all.
		_, k1, tk1 := e.login(t, "teacher@mail.kz", goodPassword)
		_, _, tk2 := e.login(t, "teacher@mail.kz", goodPassword)
		if err := e.s.EndOtherSessions(e.ctx, u.ID, k1.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.s.Authenticate(e.ctx, tk1); err != nil {
			t.Fatalf("kept session ended: %v", err)
		}
		if _, _, err := e.s.Authenticate(e.ctx, tk2); err == nil {
			t.Fatal("other session still works")
		}
		if err := e.s.EndOtherSessions(e.ctx, u.ID, 0); err != nil {
			t.Fatal(err)
		}
		if list, _ := e.s.Sessions(e.ctx, u.ID); len(list) != 0 {
			t.Fatalf("%d sessions left after ending all", len(list))
		}
	})
}

// Sessions last 30 days from their last use; last_seen is written at most
// once a minute.
func TestSessionExpirySlides(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		_, s, tok := e.login(t, "teacher@mail.kz", goodPassword)
		e.clk.Add(30 * time.Second)
		_, s2, err := e.s.Authenticate(e.ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if !s2.LastSeenAt.Equal(s.LastSeenAt) {
			t.Fatal("last seen written twice within a minute")
		}
		e.clk.Add(31 * time.Second)
		if _, s2, err = e.s.Authenticate(e.ctx, tok); err != nil {
			t.Fatal(err)
		}
		if !s2.LastSeenAt.Equal(e.clk.Now().Truncate(time.Millisecond)) {
			t.Fatal("last seen not updated after a minute")
		}
		for range 2 { // 58 days in all, but never 30 days unused
			e.clk.Add(29 * 24 * time.Hour)
			if _, _, err := e.s.Authenticate(e.ctx, tok); err != nil {
				t.Fatalf("a session in use expired: %v", err)
			}
		}
		e.clk.Add(30*24*time.Hour + time.Second)
		_, _, err = e.s.Authenticate(e.ctx, tok)
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")
	})
}

// Only the token's hash is stored: the database alone cannot be used to
// sign in.
func TestSessionTokenStoredHashed(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		_, s, tok := e.login(t, "teacher@mail.kz", goodPassword)
		var stored []byte
		if err := d.QueryRow(e.ctx, `SELECT token_hash FROM sessions WHERE id = ?`, s.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if len(stored) != 32 || string(stored) == tok {
			t.Fatal("session token not stored as its SHA-256")
		}
		if _, _, err := e.s.Authenticate(e.ctx, string(stored)); err == nil {
			t.Fatal("the stored hash works as a token")
		}
	})
}

// A deleted user's sessions stop working.
func TestAuthenticateAfterDelete(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		_, _, tok := e.login(t, "teacher@mail.kz", goodPassword)
		if err := e.s.Delete(e.ctx, u.ID, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		_, _, err := e.s.Authenticate(e.ctx, tok)
		wantErr(t, err, apperr.Unauthorized, "", "account.session.invalid")
		if list, err := e.s.Sessions(e.ctx, u.ID); err != nil || len(list) != 0 {
			t.Fatalf("sessions of a deleted user: %d, %v", len(list), err)
		}
	})
}

// VerifyPassword (asked again before deleting an account) accepts only
// the current password and shares the login throttle.
func TestVerifyPassword(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		m := account.Meta{ActorID: u.ID, IP: "203.0.113.60"}
		wantErr(t, e.s.VerifyPassword(e.ctx, u.ID, "", m), apperr.Invalid, "password", "account.field.required")
		if err := e.s.VerifyPassword(e.ctx, u.ID, goodPassword, m); err != nil {
			t.Fatal(err)
		}
		for range 6 {
			wantErr(t, e.s.VerifyPassword(e.ctx, u.ID, "wrong password", m), apperr.Invalid, "password", "account.password.wrong")
		}
		wantErr(t, e.s.VerifyPassword(e.ctx, u.ID, goodPassword, m), apperr.TooMany, "", "account.throttled")
	})
}
