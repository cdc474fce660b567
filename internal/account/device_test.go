package account_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// loginFrom signs in to email from a browser holding device cookie dev
// (may be "") at a fresh address, and returns the error.
func (e *env) loginFrom(email, pw, dev string) error {
	_, _, _, err := e.s.Login(e.ctx, email, pw, account.Meta{IP: freshIP(), Device: dev})
	return err
}

// trusted signs in from a new browser and returns the device cookie the
// site would give it.
func (e *env) trusted(t *testing.T, email string) string {
	t.Helper()
	u, _, _ := e.login(t, email, goodPassword)
	return e.s.TrustDevice(u.ID, "")
}

// Locking a teacher out (OWASP, device cookies): wrong passwords sent by
// anyone, from as many addresses as they like, slow new browsers down
// for that account but never the owner's own browser, which has signed
// in before; the owner on a new browser waits at most the longest block
// (15 minutes), never for good.
func TestLoginDeviceCookieKeepsOwnerIn(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		dev := e.trusted(t, "teacher@mail.kz")
		for i := 1; i <= 30; i++ { // 30 wrong passwords from 30 addresses
			err := e.loginFrom("teacher@mail.kz", "wrong password", "")
			if apperr.CodeOf(err) != apperr.Unauthorized && apperr.CodeOf(err) != apperr.TooMany {
				t.Fatalf("attack %d: %v", i, err)
			}
		}
		// A new browser is slowed, even with the right password.
		wantErr(t, e.loginFrom("teacher@mail.kz", goodPassword, ""), apperr.TooMany, "", "account.throttled")
		// The owner's browser gets in at once.
		if err := e.loginFrom("teacher@mail.kz", goodPassword, dev); err != nil {
			t.Fatalf("the owner's own browser, with the right password: %v", err)
		}
		// The attack goes on; the owner is not slowed the next time either,
		// nor when confirming the password for a change.
		for range 10 {
			e.loginFrom("teacher@mail.kz", "wrong password", "")
		}
		if err := e.loginFrom("teacher@mail.kz", goodPassword, dev); err != nil {
			t.Fatalf("the owner's browser during the attack: %v", err)
		}
		u, _ := e.s.FindByEmail(e.ctx, "teacher@mail.kz")
		if err := e.s.VerifyPassword(e.ctx, u.ID, goodPassword, account.Meta{ActorID: u.ID, IP: freshIP(), Device: dev}); err != nil {
			t.Fatalf("the owner's browser confirming the password during the attack: %v", err)
		}
		// A new browser of the owner's waits, but not for good.
		e.clk.Add(15 * time.Minute)
		if err := e.loginFrom("teacher@mail.kz", goodPassword, ""); err != nil {
			t.Fatalf("a new browser after the longest block: %v", err)
		}
	})
}

// A device cookie's own failures are counted for it alone: the owner's
// browser that keeps typing a wrong password is slowed, while another
// browser of theirs and new browsers are not; nothing in the cookie
// names the account.
func TestLoginDeviceFailuresCountedPerDevice(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "teacher@mail.kz")
		home, school := e.trusted(t, "teacher@mail.kz"), e.trusted(t, "teacher@mail.kz")
		for _, v := range []string{"teacher", "mail.kz", "@"} {
			if strings.Contains(strings.ToLower(home), v) {
				t.Errorf("the device cookie carries %q", v)
			}
		}
		if strings.Contains(home, strconv.FormatInt(u.ID, 10)) {
			t.Errorf("the device cookie carries the account id")
		}
		for i := 1; i <= 6; i++ { // five free failures, the sixth starts a block
			wantErr(t, e.loginFrom("teacher@mail.kz", "wrong password", home), apperr.Unauthorized, "", "account.login.failed")
		}
		wantErr(t, e.loginFrom("teacher@mail.kz", goodPassword, home), apperr.TooMany, "", "account.throttled")
		if err := e.loginFrom("teacher@mail.kz", goodPassword, school); err != nil {
			t.Errorf("another trusted browser of the owner: %v", err)
		}
		if err := e.loginFrom("teacher@mail.kz", goodPassword, ""); err != nil {
			t.Errorf("a new browser (the device's failures are not the account's): %v", err)
		}
		e.clk.Add(2 * time.Second)
		if err := e.loginFrom("teacher@mail.kz", goodPassword, home); err != nil {
			t.Errorf("the slowed browser after its block: %v", err)
		}
	})
}

// A stolen or forged device cookie gives no way around the account's
// counter: a genuine cookie of another account, a cookie with its tag
// changed, a made-up one, or one with the entries of many accounts are
// all a new browser for this account.
func TestLoginDeviceCookieOfAnotherAccount(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.register(t, "teacher@mail.kz")
		e.register(t, "attacker@mail.kz")
		own := e.trusted(t, "teacher@mail.kz")
		theirs := e.trusted(t, "attacker@mail.kz")
		for range 10 {
			e.loginFrom("teacher@mail.kz", "wrong password", "")
		}
		tampered := own[:len(own)-2] + map[bool]string{true: "AA", false: "AB"}[strings.HasSuffix(own, "AB")]
		forged := strings.Repeat("A", 22) + "." + strings.Repeat("B", 43)
		many := theirs
		for range 8 {
			many = e.s.TrustDevice(1, many)
		}
		for name, dev := range map[string]string{"another account's": theirs, "tampered": tampered, "forged": forged,
			"many accounts'": many, "garbage": "~~..~", "huge": strings.Repeat(theirs+"~", 200)} {
			if err := e.loginFrom("teacher@mail.kz", goodPassword, dev); apperr.CodeOf(err) != apperr.TooMany {
				t.Errorf("%s cookie gets round the account's block: %v", name, err)
			}
		}
		if err := e.loginFrom("teacher@mail.kz", goodPassword, own); err != nil {
			t.Fatalf("the owner's own cookie: %v", err)
		}
		// The attacker's cookie still signs them in to their own account.
		if err := e.loginFrom("attacker@mail.kz", goodPassword, theirs); err != nil {
			t.Fatalf("the attacker's own account: %v", err)
		}
	})
}

// One browser is remembered for a few accounts (a shared computer): a
// sign-in adds its entry first and keeps the others, up to five.
func TestTrustDeviceKeepsOtherAccounts(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var emails []string
		dev := ""
		for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
			email := name + "@mail.kz"
			u, _ := e.register(t, email)
			emails = append(emails, email)
			dev = e.s.TrustDevice(u.ID, dev)
			dev = e.s.TrustDevice(u.ID, dev) // twice: one entry per account
		}
		if n := strings.Count(dev, "~") + 1; n != 5 {
			t.Fatalf("%d entries, want 5", n)
		}
		for range 10 {
			for _, email := range emails {
				e.loginFrom(email, "wrong password", "")
			}
		}
		for i, email := range emails {
			err := e.loginFrom(email, goodPassword, dev)
			if i == 0 {
				wantErr(t, err, apperr.TooMany, "", "account.throttled") // the oldest was dropped
			} else if err != nil {
				t.Errorf("%s from the shared browser: %v", email, err)
			}
		}
	})
}
