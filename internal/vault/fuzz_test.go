package vault_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// FuzzOpen: bytes from the database are outside data to the vault (a
// damaged backup, a tampered row). Opening anything that is not the
// exact sealed value fails with ErrDecrypt and never panics; the sealed
// value round-trips.
func FuzzOpen(f *testing.F) {
	d := dbtest.Open(f, db.SQLite)
	v, _, err := vault.Open(d, f.TempDir(), func(string) string { return "" })
	if err != nil {
		f.Fatal(err)
	}
	id := db.NewID()
	k, err := v.NewUserKey(context.Background(), d, id)
	if err != nil {
		f.Fatal(err)
	}
	field := vault.Field{Table: "users", Column: "full_name", Row: id}
	good := k.Seal(field, "Әсел Құрманғазықызы")
	f.Add([]byte{}, "x")
	f.Add(good, "Әсел Құрманғазықызы")
	f.Add(good[:10], "")
	f.Add(append([]byte{0x02}, good[1:]...), "")
	f.Fuzz(func(t *testing.T, ct []byte, plain string) {
		got, err := k.Open(field, ct)
		switch {
		case len(ct) == 0:
			if err != nil || !got.IsZero() {
				t.Fatalf("empty ciphertext: %v", err)
			}
		case bytes.Equal(ct, good):
			if err != nil || got.Reveal() != "Әсел Құрманғазықызы" {
				t.Fatalf("the sealed value did not open: %v", err)
			}
		default:
			if !errors.Is(err, vault.ErrDecrypt) {
				t.Fatalf("forged ciphertext opened (err %v)", err)
			}
		}
		if plain != "" {
			back, err := k.Open(field, k.Seal(field, plain))
			if err != nil || back.Reveal() != plain {
				t.Fatalf("round trip failed: %v", err)
			}
		}
	})
}

// FuzzKeyringEnv: the keyring may come from an environment variable set
// by an operator; a damaged one is refused with an error, never a panic
// and never a half-usable vault.
func FuzzKeyringEnv(f *testing.F) {
	d := dbtest.Open(f, db.SQLite)
	f.Add(`{}`)
	f.Add(`{"version":1,"active":"1","master":{"1":"AAAA"}}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, s string) {
		v, _, err := vault.Open(d, t.TempDir(), func(k string) string {
			if k == vault.KeyringEnv {
				return s
			}
			return ""
		})
		if s == "" {
			return // empty means "use the key file": a new one is made
		}
		if err == nil && v.ActiveKeyID() == "" {
			t.Fatal("a keyring without an active key was accepted")
		}
	})
}
