package account_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/logging"
	"golang.org/x/text/unicode/norm"
)

// importedHashes are one hash per imported format (published vectors,
// see internal/passhash) with the password each was made from.
var importedHashes = []struct{ format, password, hash string }{
	{"bcrypt", "rasmuslerdorf", "$2y$07$usesomesillystringfore2uDLvp1Ii2e./U9C8sBjqp8I90dH6hi"},
	{"argon2i", "password", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8"},
	{"pbkdf2-sha256", "lètmein", "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="},
	{"pbkdf2-sha1", "lètmein", "pbkdf2_sha1$10000$seasalt$oAfF6vgs95ncksAhGXOWf4Okq7o="},
	{"phpass", "test12345", "$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0"},
	{"md5-crypt", "rasmuslerdorf", "$1$rasmusle$rISCgZzpwk3UhDidwXvin0"},
	{"sha256-crypt", "rasmuslerdorf", "$5$rounds=5000$usesomesillystri$KqJWpanXZHKq2BOB43TSaYhEWsQ1Lr5QNyPCDH/Tp.6"},
	{"sha512-crypt", "rasmuslerdorf", "$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21"},
	{"md5", "password", "5f4dcc3b5aa765d61d8327deb882cf99"},
	{"sha1", "password", "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"},
	{"salted md5", "Сәлем әлем", "md5:ps:Xq7:salt:66f90c7971426762e91ad930a9f72ac0"},
	{"salted sha1", "Сәлем әлем", "b0ce7e724350a30268369db9975d03a1ac3b84dd:Xq7:salt"},
}

// setHash writes a stored hash as the importer does: straight into
// users.password_hash.
func (e *env) setHash(t *testing.T, id int64, h string) {
	t.Helper()
	if _, err := e.d.Exec(e.ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, h, id); err != nil {
		t.Fatal(err)
	}
}

func (e *env) storedHash(t *testing.T, id int64) string {
	t.Helper()
	var h string
	if err := e.d.QueryRow(e.ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// Clause 1.2 (b): a user brought over from another site logs in with
// their old password, whatever the old site's hash; the first login
// replaces the hash with argon2id at once, and the password keeps working.
// A wrong password against an imported hash is answered exactly as any
// wrong password: the same message, after the same argon2 work.
func TestLoginImportedHash(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// The answer to a wrong password for an ordinary account, to
		// compare with.
		e.register(t, "ordinary@mail.kz")
		_, _, _, ordinary := e.s.Login(e.ctx, "ordinary@mail.kz", "not the password", account.Meta{IP: freshIP()})
		wantErr(t, ordinary, apperr.Unauthorized, "", "account.login.failed")
		// A password with a decomposed letter, hashed by the old site as
		// NFC: the user's browser now sends it decomposed.
		typed := "и\u0306 жаңа құпия сөз" // и + combining breve
		sum := md5.Sum([]byte(norm.NFC.String(typed)))
		cases := append(importedHashes, struct{ format, password, hash string }{"md5 of the NFC form", typed, hex.EncodeToString(sum[:])})
		for i, c := range cases {
			email := fmt.Sprintf("imported%d@mail.kz", i)
			u, _ := e.register(t, email)
			e.setHash(t, u.ID, c.hash)

			before := account.HashCount(e.s)
			_, _, _, err := e.s.Login(e.ctx, email, c.password+"x", account.Meta{IP: freshIP()})
			wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
			if err.Error() != ordinary.Error() {
				t.Fatalf("%s: a wrong password is answered %q, not as for an ordinary account", c.format, err)
			}
			if n := account.HashCount(e.s) - before; n != 1 {
				t.Fatalf("%s: a wrong password cost %d argon2 computations, want 1 as for an ordinary account", c.format, n)
			}
			if e.storedHash(t, u.ID) != c.hash {
				t.Fatalf("%s: a failed login changed the stored hash", c.format)
			}

			got, sess, tok, err := e.s.Login(e.ctx, email, c.password, account.Meta{IP: freshIP()})
			if err != nil || got.ID != u.ID || sess == nil || tok == "" {
				t.Fatalf("%s: the old password does not log in: %v", c.format, err)
			}
			if h := e.storedHash(t, u.ID); !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
				t.Fatalf("%s: after the first login the stored hash is not argon2id (%.10s…)", c.format, h)
			}
			e.login(t, email, c.password) // the new hash works
			_, _, _, err = e.s.Login(e.ctx, email, c.password+"x", account.Meta{IP: freshIP()})
			wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
		}
	})
}

// Failures against an imported hash count towards the same throttle: the
// sixth wrong password blocks the account, a blocked attempt runs no hash
// and does not upgrade it, and the right password works once the block
// lifts.
func TestLoginImportedHashThrottled(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		u, _ := e.register(t, "imported@mail.kz")
		const md5Hash = "5f4dcc3b5aa765d61d8327deb882cf99" // md5("password")
		e.setHash(t, u.ID, md5Hash)
		for range 6 {
			_, _, _, err := e.s.Login(e.ctx, "imported@mail.kz", "guess", account.Meta{IP: freshIP()})
			wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
		}
		before := account.HashCount(e.s)
		_, _, _, err := e.s.Login(e.ctx, "imported@mail.kz", "password", account.Meta{IP: freshIP()})
		wantErr(t, err, apperr.TooMany, "", "account.throttled")
		if account.HashCount(e.s) != before || e.storedHash(t, u.ID) != md5Hash {
			t.Fatal("a throttled attempt ran the hash or upgraded it")
		}
		e.clk.Add(2 * time.Second)
		e.login(t, "imported@mail.kz", "password")
		if !strings.HasPrefix(e.storedHash(t, u.ID), "$argon2id$") {
			t.Fatal("not upgraded")
		}
	})
}

// A stored hash of no accepted format refuses every password with the
// generic answer, after the same work, and the operator is told which
// user (by id) without the address or the hash.
func TestLoginUnknownHashFormat(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var logs bytes.Buffer
		e.s.SetLogger(logging.New(&logs, slog.LevelInfo))
		u, _ := e.register(t, "des@mail.kz")
		const des = "rl.3StKT.4T8M" // DES crypt: not accepted
		e.setHash(t, u.ID, des)
		for _, pw := range []string{"password", goodPassword, ""} {
			before := account.HashCount(e.s)
			_, _, _, err := e.s.Login(e.ctx, "des@mail.kz", pw, account.Meta{IP: freshIP()})
			wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
			if n := account.HashCount(e.s) - before; n != 1 {
				t.Fatalf("%d argon2 computations, want 1", n)
			}
		}
		out := logs.String()
		if !strings.Contains(out, "no accepted format") || !strings.Contains(out, fmt.Sprintf(`"user_id":%d`, u.ID)) {
			t.Fatal("the refusal was not logged with the user's id")
		}
		if strings.Contains(out, "des@mail.kz") || strings.Contains(out, des) || strings.Contains(out, goodPassword) {
			t.Fatal("the log line quotes the address, the hash or the password")
		}
		if e.storedHash(t, u.ID) != des {
			t.Fatal("the stored hash changed")
		}
	})
}

// A user imported without a password cannot log in with any password
// (not even an empty one), and nothing is logged about it: it is an
// expected state. They set a password through the reset link, and then
// log in with it.
func TestImportedWithoutPassword(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var logs bytes.Buffer
		e.s.SetLogger(logging.New(&logs, slog.LevelInfo))
		u, _ := e.register(t, "nopass@mail.kz")
		e.setHash(t, u.ID, "")
		for _, pw := range []string{"", goodPassword, " "} {
			before := account.HashCount(e.s)
			_, _, _, err := e.s.Login(e.ctx, "nopass@mail.kz", pw, account.Meta{IP: freshIP()})
			wantErr(t, err, apperr.Unauthorized, "", "account.login.failed")
			if n := account.HashCount(e.s) - before; n != 1 {
				t.Fatalf("%d argon2 computations, want 1", n)
			}
		}
		if logs.Len() != 0 {
			t.Fatal("a user without a password was logged as a fault")
		}
		got, tok, err := e.s.RequestPasswordReset(e.ctx, "nopass@mail.kz", account.Meta{IP: freshIP()})
		if err != nil || got == nil || tok == "" {
			t.Fatalf("no reset link for a user without a password: %v", err)
		}
		if _, err := e.s.ResetPassword(e.ctx, tok, "Менің жаңа құпия сөзім 7", account.Meta{IP: freshIP()}); err != nil {
			t.Fatalf("reset: %v", err)
		}
		if !strings.HasPrefix(e.storedHash(t, u.ID), "$argon2id$") {
			t.Fatal("the reset did not store an argon2id hash")
		}
		e.login(t, "nopass@mail.kz", "Менің жаңа құпия сөзім 7")
	})
}
