package vault_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// masterKeys reads the key file as an operator (or a thief of it) would,
// without the vault: master key id → key.
func masterKeys(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, vault.KeyringFile))
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Master map[string]string `json:"master"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for id, s := range j.Master {
		k, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		out[id] = k
	}
	return out
}

// unwrapDirect opens a stored wrapped data key with AES-256-GCM alone,
// using the layout docs/architecture.md gives (version byte, 12-byte
// nonce, ciphertext and tag; associated data smartustaz/dek/v1|owner|kek).
func unwrapDirect(kek []byte, kekID string, owner int64, wrapped []byte) ([]byte, error) {
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(wrapped) < 13 {
		return nil, errors.New("short")
	}
	return g.Open(nil, wrapped[1:13], wrapped[13:], []byte("smartustaz/dek/v1|"+strconv.FormatInt(owner, 10)+"|"+kekID))
}

// openDirect opens a sealed field with a data key, with AES-256-GCM alone.
func openDirect(dek []byte, f vault.Field, owner int64, ct []byte) ([]byte, error) {
	block, err := aes.NewCipher(dek)
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	aad := "smartustaz/v1|" + f.Table + "|" + f.Column + "|" + strconv.FormatInt(f.Row, 10) + "|" + strconv.FormatInt(owner, 10)
	return g.Open(nil, ct[1:13], ct[13:], []byte(aad))
}

// A shredded user's ciphertext does not open: not through the vault, not
// through a vault on a database where a backup put the wrapped key back
// (the row is copied back, as restoring a backup taken before the
// deletion does), in this process or a fresh one, from the key file or
// from SMARTUSTAZ_KEYRING. Directly with AES-GCM, the key file's master
// key still opens the backup's wrapped key until `keys rotate` has run
// twice; after that no master key in the key file opens it.
func TestShredMakesDataUnreadable(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		v := open(t, d, dir)
		u := db.NewID()
		k, err := v.NewUserKey(ctx, d, u)
		if err != nil {
			t.Fatal(err)
		}
		f := vault.Field{Table: "users", Column: "full_name", Row: u}
		ct := k.Seal(f, "Айгүл Серікқызы")
		var kekID string
		var wrapped []byte
		if err := d.QueryRow(ctx, `SELECT kek_id, wrapped_key FROM user_keys WHERE user_id = ?`, u).Scan(&kekID, &wrapped); err != nil {
			t.Fatal(err)
		}
		// The control: before the deletion the saved copy opens directly.
		dek, err := unwrapDirect(masterKeys(t, dir)[kekID], kekID, u, wrapped)
		if err != nil {
			t.Fatalf("control: the wrapped key does not open with the master key: %v", err)
		}
		if pt, err := openDirect(dek, f, u, ct); err != nil || string(pt) != "Айгүл Серікқызы" {
			t.Fatalf("control: the ciphertext does not open directly: %v", err)
		}

		if err := d.InTx(ctx, func(tx *db.Tx) error { return v.Shred(ctx, tx, u) }); err != nil {
			t.Fatal(err)
		}
		keyring, _ := os.ReadFile(filepath.Join(dir, vault.KeyringFile))
		envVault, _, err := vault.Open(d, dir, func(k string) string {
			if k == vault.KeyringEnv {
				return string(keyring)
			}
			return ""
		})
		if err != nil {
			t.Fatal(err)
		}
		wantNothing := func(when string) {
			t.Helper()
			for i, vv := range []*vault.Vault{v, open(t, d, dir), envVault} {
				if _, err := vv.UserKey(ctx, d, u); !errors.Is(err, vault.ErrNoKey) {
					t.Fatalf("%s: vault %d gives the key: %v", when, i, err)
				}
				rk, err := vv.ReadKey(ctx, d, u)
				if err != nil {
					t.Fatalf("%s: ReadKey: %v", when, err)
				}
				if got, err := rk.Open(f, ct); err != nil || !got.IsZero() {
					t.Fatalf("%s: vault %d opened the ciphertext to something (err %v)", when, i, err)
				}
			}
		}
		wantNothing("after shred")

		// A backup taken before the deletion is restored: the wrapped key
		// is in user_keys again.
		if _, err := d.Exec(ctx, `INSERT INTO user_keys (user_id, kek_id, wrapped_key, created_at) VALUES (?, ?, ?, ?)`,
			u, kekID, wrapped, db.Now()); err != nil {
			t.Fatal(err)
		}
		wantNothing("restored backup")
		if _, err := v.NewUserKey(ctx, d, db.NewID()); err != nil {
			t.Fatal(err) // other users are not affected
		}

		// The restored row is shredded again (as every start does), and
		// two rotations retire the master key that wrapped it.
		if err := d.InTx(ctx, func(tx *db.Tx) error { return v.Shred(ctx, tx, u) }); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if _, err := v.Rotate(ctx, vault.RotateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		keys := masterKeys(t, dir)
		if _, ok := keys[kekID]; ok {
			t.Fatalf("master key %s is still in the key file after two rotations", kekID)
		}
		for id, kek := range keys {
			for _, asID := range []string{id, kekID} {
				if _, err := unwrapDirect(kek, asID, u, wrapped); err == nil {
					t.Fatalf("master key %s of the current key file opens the backup's wrapped key", id)
				}
			}
		}
	})
}

// A reader that loads the wrapped key while the deletion's transaction
// is open (it still sees the row) does not get the key, and leaves
// nothing in the cache that a later reader would get.
func TestShredRaceLeavesNoCachedKey(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v := open(t, d, t.TempDir())
		u := db.NewID()
		if _, err := v.NewUserKey(ctx, d, u); err != nil {
			t.Fatal(err)
		}
		fresh := open(t, d, filepath.Dir(v.KeyFile())) // nothing cached yet
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := fresh.Shred(ctx, tx, u); err != nil {
				return err
			}
			// Outside the transaction the row is still there.
			if n := count(t, d, `SELECT COUNT(*) FROM user_keys WHERE user_id = ?`, u); n != 1 {
				t.Fatalf("the reader does not see the row before commit (%d): the test proves nothing", n)
			}
			if _, err := fresh.UserKey(ctx, d, u); !errors.Is(err, vault.ErrNoKey) {
				t.Errorf("a reader during the deletion got the key: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fresh.UserKey(ctx, d, u); !errors.Is(err, vault.ErrNoKey) {
			t.Fatalf("after the deletion the cache still gives the key: %v", err)
		}

		// Many readers at once while another user is deleted.
		w := db.NewID()
		if _, err := fresh.NewUserKey(ctx, d, w); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					fresh.UserKey(ctx, d, w)
				}
			}()
		}
		err = d.InTx(ctx, func(tx *db.Tx) error { return fresh.Shred(ctx, tx, w) })
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fresh.UserKey(ctx, d, w); !errors.Is(err, vault.ErrNoKey) {
			t.Fatalf("after a deletion under concurrent reads the cache gives the key: %v", err)
		}
	})
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The deletion list is a private file of user ids, each authenticated
// with the keyring: an entry nobody with the keyring wrote stops the
// start (skipping it could bring a user back, honouring it would let a
// writer of the folder delete accounts), and a line cut short by a crash
// is dropped.
func TestTombstoneFile(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	ctx := context.Background()
	dir := t.TempDir()
	v := open(t, d, dir)
	a, b := db.NewID(), db.NewID()
	for _, id := range []int64{a, b, a} {
		if err := v.Tombstone(id); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, vault.TombstoneFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("tombstone file mode %o, want 600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], strconv.FormatInt(a, 10)+" ") || !strings.HasPrefix(lines[1], strconv.FormatInt(b, 10)+" ") {
		t.Fatalf("tombstone file holds %d lines, want one per user, each the user id and a MAC", len(lines))
	}
	if got := open(t, d, dir).Tombstones(); len(got) != 2 {
		t.Fatalf("a fresh vault reads %d tombstones, want 2", len(got))
	}

	// A crash in the middle of an append: the partial line goes.
	if err := os.WriteFile(path, append(raw, "12345 ab"...), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := open(t, d, dir).Tombstones(); len(got) != 2 {
		t.Fatalf("after a cut line: %d tombstones", len(got))
	}
	if after, _ := os.ReadFile(path); string(after) != string(raw) {
		t.Fatal("the cut line was not removed from the file")
	}

	// Forged entries: a made-up MAC, and a genuine entry of another keyring.
	other := t.TempDir()
	ov := open(t, d, other)
	if err := ov.Tombstone(12345); err != nil {
		t.Fatal(err)
	}
	foreign, _ := os.ReadFile(filepath.Join(other, vault.TombstoneFile))
	for _, forged := range []string{"777 " + strings.Repeat("0", 64) + "\n", string(foreign)} {
		if err := os.WriteFile(path, append(append([]byte(nil), raw...), forged...), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := vault.Open(d, dir, func(string) string { return "" }); err == nil {
			t.Errorf("a forged tombstone was accepted")
		}
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	// Another process appends (a command beside the server): the
	// serving vault learns it at its next sync and drops the cached key.
	serving := open(t, d, dir)
	c := db.NewID()
	if _, err := serving.NewUserKey(ctx, d, c); err != nil {
		t.Fatal(err)
	}
	if err := open(t, d, dir).Tombstone(c); err != nil {
		t.Fatal(err)
	}
	fresh, err := serving.SyncTombstones(ctx)
	if err != nil || len(fresh) != 1 || fresh[0] != c {
		t.Fatalf("sync found %v (%v), want [%d]", fresh, err, c)
	}
	if _, err := serving.UserKey(ctx, d, c); !errors.Is(err, vault.ErrNoKey) {
		t.Fatalf("the serving vault still gives a key deleted by another process: %v", err)
	}

	// An older copy of the file restored over the current one loses
	// nothing: the entries the process knew are written back.
	if err := os.WriteFile(path, []byte(lines[0]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := serving.SyncTombstones(ctx); err != nil {
		t.Fatal(err)
	}
	if got := open(t, d, dir).Tombstones(); len(got) != 3 {
		t.Fatalf("after an older file was restored over it and synced: %d tombstones, want 3", len(got))
	}
}
