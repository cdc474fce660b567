package account

import (
	"context"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The upgrade of an imported hash replaces only the hash the password was
// checked against. If a second login upgraded it first, this login goes
// on (the password matches the new hash); if a reset changed it, the old
// password opens no session and the new hash stays.
func TestUpgradeHashRace(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		s := New(d, v, Options{})
		u, _, err := s.Register(ctx, RegisterInput{Email: "race@mail.kz", Password: "first password 1", FullName: "Айгүл", Accept: true}, Meta{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		const legacy = "5f4dcc3b5aa765d61d8327deb882cf99" // md5("password")
		stored := func() string {
			var h string
			d.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&h)
			return h
		}
		set := func(h string) {
			if _, err := d.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, h, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		upgrade := func(newHash string) error {
			return s.db.InTx(ctx, func(tx *db.Tx) error { return s.upgradeHash(ctx, tx, u.ID, "password", legacy, newHash) })
		}
		mine, _ := s.pw.hash(ctx, "password")
		// Nobody changed it: replaced.
		set(legacy)
		if err := upgrade(mine); err != nil || stored() != mine {
			t.Fatalf("plain upgrade: %v", err)
		}
		// Another login upgraded it first (to its own argon2id hash of the
		// same password): this one goes on and leaves that hash.
		other, _ := s.pw.hash(ctx, "password")
		set(other)
		if err := upgrade(mine); err != nil || stored() != other {
			t.Fatalf("concurrent upgrade: %v", err)
		}
		// A reset set another password meanwhile: refused, kept.
		reset, _ := s.pw.hash(ctx, "the new password 2")
		set(reset)
		err = upgrade(mine)
		if e, ok := apperr.As(err); !ok || e.Key != "account.login.failed" || stored() != reset {
			t.Fatalf("upgrade over a reset: %v", err)
		}
		if !strings.HasPrefix(stored(), "$argon2id$") {
			t.Fatal("stored hash is not argon2id")
		}
	})
}
