package vault_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

func open(t *testing.T, d *db.DB, dir string) *vault.Vault {
	t.Helper()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestKeyFileCreatedPrivate(t *testing.T) {
	dir := t.TempDir()
	d := dbtest.Open(t, db.SQLite)
	_, created, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil || !created {
		t.Fatalf("created=%v err=%v", created, err)
	}
	fi, err := os.Stat(filepath.Join(dir, vault.KeyringFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %o, want 600", fi.Mode().Perm())
	}
	_, created, err = vault.Open(d, dir, func(string) string { return "" })
	if err != nil || created {
		t.Fatalf("second open: created=%v err=%v", created, err)
	}
	os.Chmod(filepath.Join(dir, vault.KeyringFile), 0o644)
	if _, _, err := vault.Open(d, dir, func(string) string { return "" }); err == nil {
		t.Fatal("a key file readable by others must be refused")
	}
}

func TestKeyringFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	d := dbtest.Open(t, db.SQLite)
	open(t, d, dir)
	b, _ := os.ReadFile(filepath.Join(dir, vault.KeyringFile))
	other := t.TempDir()
	v, created, err := vault.Open(d, other, func(k string) string {
		if k == vault.KeyringEnv {
			return string(b)
		}
		return ""
	})
	if err != nil || created || v.KeyFile() != "" {
		t.Fatalf("env keyring: created=%v err=%v file=%q", created, err, v.KeyFile())
	}
	if _, err := os.Stat(filepath.Join(other, vault.KeyringFile)); !os.IsNotExist(err) {
		t.Fatal("a key file was written although the keyring came from the environment")
	}
}

func TestSealOpenBinding(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := open(t, d, t.TempDir())
		alice, bob := db.NewID(), db.NewID()
		ka, err := v.NewUserKey(ctx, d, alice)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := v.NewUserKey(ctx, d, bob)
		if err != nil {
			t.Fatal(err)
		}
		f := vault.Field{Table: "users", Column: "email", Row: alice}
		ct := ka.Seal(f, "әлия@мектеп.kz")
		if bytes.Contains(ct, []byte("әлия")) {
			t.Fatal("ciphertext contains plaintext")
		}
		got, err := ka.Open(f, ct)
		if err != nil || got.Reveal() != "әлия@мектеп.kz" {
			t.Fatalf("open: %q %v", got.Reveal(), err)
		}
		moved := []vault.Field{
			{Table: "users", Column: "phone", Row: alice},
			{Table: "sessions", Column: "email", Row: alice},
			{Table: "users", Column: "email", Row: bob},
		}
		for _, m := range moved {
			if _, err := ka.Open(m, ct); !errors.Is(err, vault.ErrDecrypt) {
				t.Errorf("ciphertext moved to %+v opened: %v", m, err)
			}
		}
		if _, err := kb.Open(f, ct); !errors.Is(err, vault.ErrDecrypt) {
			t.Errorf("another user's key opened the ciphertext: %v", err)
		}
		tampered := append([]byte(nil), ct...)
		tampered[len(tampered)-1] ^= 1
		if _, err := ka.Open(f, tampered); !errors.Is(err, vault.ErrDecrypt) {
			t.Errorf("tampered ciphertext opened: %v", err)
		}
		// A fresh vault (another node) unwraps the stored key.
		v2 := open(t, d, filepath.Dir(v.KeyFile()))
		k2, err := v2.UserKey(ctx, d, alice)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := k2.Open(f, ct); err != nil || got.Reveal() != "әлия@мектеп.kz" {
			t.Fatalf("other node: %v", err)
		}
	})
}

func TestRotateWhileServing(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		serving := open(t, d, dir)
		var owners []int64
		var cts [][]byte
		for i := 0; i < 1200; i++ { // more than one batch
			u := db.NewID()
			k, err := serving.NewUserKey(ctx, d, u)
			if err != nil {
				t.Fatal(err)
			}
			owners = append(owners, u)
			cts = append(cts, k.Seal(vault.Field{Table: "users", Column: "email", Row: u}, fmt.Sprintf("u%d@x.kz", i)))
		}
		before := serving.ActiveKeyID()
		rotator := open(t, d, dir)
		res, err := rotator.Rotate(ctx, vault.RotateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The previous master key stays in the file until the next
		// rotation: a serving node may still wrap with it for a moment.
		if res.Rewrapped != 1200 || res.NewKeyID == before || len(res.Retired) != 0 {
			t.Fatalf("rotate result %+v (old key %s)", res, before)
		}
		// A node started after rotation, and the serving node (which
		// still has only the old key in memory but drops its cache as
		// any restart would), both read every value.
		for _, v := range []*vault.Vault{open(t, d, dir)} {
			for i, u := range owners {
				k, err := v.UserKey(ctx, d, u)
				if err != nil {
					t.Fatal(err)
				}
				got, err := k.Open(vault.Field{Table: "users", Column: "email", Row: u}, cts[i])
				if err != nil || got.Reveal() != fmt.Sprintf("u%d@x.kz", i) {
					t.Fatalf("after rotate: %v", err)
				}
			}
		}
		// The serving node meets a user it has never cached: the data key
		// is wrapped by a master key it did not know at start; it re-reads
		// the key file and opens it.
		u := db.NewID()
		k, _ := rotator.NewUserKey(ctx, d, u)
		ct := k.Seal(vault.Field{Table: "users", Column: "email", Row: u}, "new@x.kz")
		k2, err := serving.UserKey(ctx, d, u)
		if err != nil {
			t.Fatalf("serving node after rotation: %v", err)
		}
		if got, err := k2.Open(vault.Field{Table: "users", Column: "email", Row: u}, ct); err != nil || got.Reveal() != "new@x.kz" {
			t.Fatalf("serving node open: %v", err)
		}
		// The serving node registers a new user after the rotation: it
		// notices the changed key file and wraps with the new master key.
		late := db.NewID()
		if _, err := serving.NewUserKey(ctx, d, late); err != nil {
			t.Fatal(err)
		}
		var kek string
		if err := d.QueryRow(ctx, `SELECT kek_id FROM user_keys WHERE user_id = ?`, late).Scan(&kek); err != nil {
			t.Fatal(err)
		}
		if kek != res.NewKeyID {
			t.Fatalf("a serving node wrapped a new key with master key %s after rotation to %s", kek, res.NewKeyID)
		}
		// A second rotation retires the first key, which nothing uses now,
		// and every key still opens in a process started afterwards.
		res2, err := rotator.Rotate(ctx, vault.RotateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res2.Retired) != 1 || res2.Retired[0] != before {
			t.Fatalf("second rotation retired %v, want [%s]", res2.Retired, before)
		}
		fresh := open(t, d, dir)
		for _, u := range append(owners[:3], late) {
			if _, err := fresh.UserKey(ctx, d, u); err != nil {
				t.Fatalf("after two rotations: %v", err)
			}
		}
	})
}

func TestSecretNeverPrints(t *testing.T) {
	s := vault.NewSecret("+7 701 123 45 67")
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "phone", s, "nested", struct{ P vault.Secret }{s})
	js, _ := json.Marshal(map[string]any{"p": s})
	outs := []string{fmt.Sprint(s), fmt.Sprintf("%v %s %q %x %#v %+v", s, s, s, s, s, s), buf.String(), string(js), fmt.Errorf("wrap: %v", s).Error()}
	for _, o := range outs {
		if bytes.Contains([]byte(o), []byte("701")) {
			t.Errorf("secret leaked: %s", o)
		}
	}
	if s.Reveal() != "+7 701 123 45 67" {
		t.Fatal("Reveal lost the value")
	}
}

func TestBlindIndex(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	v := open(t, d, t.TempDir())
	a := v.BlindIndex("email", vault.NormalizeEmail("  Aigul@Mail.KZ "))
	b := v.BlindIndex("email", vault.NormalizeEmail("aigul@mail.kz"))
	c := v.BlindIndex("phone", vault.NormalizeEmail("aigul@mail.kz"))
	other := open(t, d, t.TempDir()).BlindIndex("email", "aigul@mail.kz")
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(a, other) {
		t.Fatal("blind index must be stable per key and purpose, and differ across keys")
	}
}
