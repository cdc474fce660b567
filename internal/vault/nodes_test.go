package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// copyKeyFile copies the key file of one data folder into another, as an
// operator copies it to another node.
func copyKeyFile(t *testing.T, from, to string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(from, vault.KeyringFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(to, vault.KeyringFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

// envVault opens a vault whose keyring comes from SMARTUSTAZ_KEYRING.
func envVault(t *testing.T, d *db.DB, keyring []byte) *vault.Vault {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(k string) string {
		if k == vault.KeyringEnv {
			return string(keyring)
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func report(t *testing.T, vs ...*vault.Vault) {
	t.Helper()
	for _, v := range vs {
		if err := v.Report(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func wantErrContains(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("%s: the error does not say %q:\n%v", what, p, err)
		}
	}
}

func kekOf(t *testing.T, d *db.DB, owner int64) string {
	t.Helper()
	var kek string
	if err := d.QueryRow(context.Background(), `SELECT kek_id FROM user_keys WHERE user_id = ?`, owner).Scan(&kek); err != nil {
		t.Fatal(err)
	}
	return kek
}

// TestRotateAcrossNodes (issue 14 §2): two nodes on one database, each
// with its own copy of the key file. A key added on A cannot be made
// active while B lacks it (nothing changes, both keep registering);
// once the file is copied, B re-reads it because its modification time
// changed, the rotation goes through, B wraps new data keys under the new
// key and reads every re-wrapped one. A node still on the old keyring
// says which key it lacks and what to do, as a distinct error.
func TestRotateAcrossNodes(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dirA, dirB := t.TempDir(), t.TempDir()
		a := open(t, d, dirA)
		oldKeyring := copyKeyFile(t, dirA, dirB)
		b := open(t, d, dirB)
		report(t, a, b)

		type sealed struct {
			owner int64
			ct    []byte
			want  string
		}
		var data []sealed
		field := func(u int64) vault.Field { return vault.Field{Table: "users", Column: "email", Row: u} }
		register := func(v *vault.Vault, tag string) int64 {
			t.Helper()
			u := db.NewID()
			k, err := v.NewUserKey(ctx, d, u)
			if err != nil {
				t.Fatalf("register on %s: %v", tag, err)
			}
			want := fmt.Sprintf("%s-%d@мектеп.kz", tag, len(data))
			data = append(data, sealed{u, k.Seal(field(u), want), want})
			return u
		}
		for range 30 {
			register(a, "a")
			register(b, "b")
		}

		// keys add on A: a new key, not active; asked again, the same one.
		id, added, err := a.AddMasterKey(ctx)
		if err != nil || !added || id != "2" {
			t.Fatalf("keys add: id %q added %v err %v, want 2 added", id, added, err)
		}
		if again, added, err := a.AddMasterKey(ctx); err != nil || added || again != id {
			t.Fatalf("keys add again: id %q added %v err %v, want %s waiting, none added", again, added, err, id)
		}
		if got, inDB, _ := a.ActiveMaster(ctx); got != "1" || inDB {
			t.Fatalf("after keys add the active key is %s (database %v), want 1 still", got, inDB)
		}

		// The wrong order: rotate before B holds the key.
		_, err = a.Rotate(ctx, vault.RotateOptions{})
		wantErrContains(t, "rotate while B lacks the key", err,
			"rotate refused: 1 of 2 live nodes do not hold master key 2",
			"key file "+filepath.Join(dirB, vault.KeyringFile)+") holds 1",
			"Copy "+a.KeyFile()+" to every node")
		if n := count(t, d, `SELECT COUNT(*) FROM user_keys WHERE kek_id <> '1'`); n != 0 {
			t.Fatalf("a refused rotation re-wrapped %d data keys", n)
		}
		if got, inDB, _ := a.ActiveMaster(ctx); got != "1" || inDB {
			t.Fatalf("a refused rotation made key %s active (database %v)", got, inDB)
		}
		for _, u := range []int64{register(a, "a"), register(b, "b")} {
			if kek := kekOf(t, d, u); kek != "1" {
				t.Fatalf("after a refused rotation a new data key is wrapped by master key %s, want 1", kek)
			}
		}

		// The file reaches B: B notices by its modification time.
		if changed, err := b.Refresh(ctx); err != nil || changed {
			t.Fatalf("control: B re-read an unchanged key file (%v, %v)", changed, err)
		}
		copyKeyFile(t, dirA, dirB)
		if changed, err := b.Refresh(ctx); err != nil || !changed {
			t.Fatalf("B did not re-read the copied key file (%v, %v)", changed, err)
		}
		res, err := a.Rotate(ctx, vault.RotateOptions{})
		if err != nil {
			t.Fatalf("rotate once every node holds the key: %v", err)
		}
		if res.NewKeyID != "2" || res.Added || res.Nodes != 2 || res.Rewrapped != len(data) {
			t.Fatalf("rotate: %+v, want key 2 (not added), 2 nodes, %d re-wrapped", res, len(data))
		}
		if got, inDB, _ := b.ActiveMaster(ctx); got != "2" || !inDB {
			t.Fatalf("B sees active key %s (database %v), want 2 from the database", got, inDB)
		}

		// B's key file still says 1 is active: the database decides.
		if b.ActiveKeyID() != "1" {
			t.Fatalf("control: B's key file names %s active, want 1 (a copy from before the rotation)", b.ActiveKeyID())
		}
		if kek := kekOf(t, d, register(b, "b")); kek != "2" {
			t.Fatalf("B wrapped a new data key with master key %s after the rotation to 2", kek)
		}
		for _, v := range []*vault.Vault{b, open(t, d, dirB)} { // B, and B restarted (nothing cached)
			for _, s := range data {
				k, err := v.UserKey(ctx, d, s.owner)
				if err != nil {
					t.Fatalf("B after the rotation: %v", err)
				}
				if got, err := k.Open(field(s.owner), s.ct); err != nil || got.Reveal() != s.want {
					t.Fatalf("B after the rotation opens %q (%v)", got.Reveal(), err)
				}
			}
		}

		// Nodes still on the old keyring: a secret and a stale file.
		env := envVault(t, d, oldKeyring)
		_, err = env.UserKey(ctx, d, data[0].owner)
		if !errors.Is(err, vault.ErrUnknownMasterKey) {
			t.Fatalf("the old env keyring: %v, want ErrUnknownMasterKey", err)
		}
		wantErrContains(t, "old env keyring reads", err, `master key "2" is not in this node's keyring`, vault.KeyringEnv, "restart", "docs/operations.md")
		_, err = env.NewUserKey(ctx, d, db.NewID())
		if !errors.Is(err, vault.ErrUnknownMasterKey) {
			t.Fatalf("the old env keyring registers: %v, want ErrUnknownMasterKey", err)
		}
		wantErrContains(t, "old env keyring registers", err, `the database makes master key "2" active`)
		stale := t.TempDir()
		if err := os.WriteFile(filepath.Join(stale, vault.KeyringFile), oldKeyring, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err = open(t, d, stale).UserKey(ctx, d, data[1].owner)
		if !errors.Is(err, vault.ErrUnknownMasterKey) {
			t.Fatalf("the old key file: %v, want ErrUnknownMasterKey", err)
		}
		wantErrContains(t, "old key file reads", err, `master key "2"`, "copy the current key file to this node")
		// The stale file cannot start a rotation of its own.
		_, err = open(t, d, stale).Rotate(ctx, vault.RotateOptions{})
		wantErrContains(t, "rotate with the old key file", err, "is not the current key file")
	})
}

// A node given SMARTUSTAZ_KEYRING never re-reads it: rotation names it and
// says to restart it; a node gone (not seen for two minutes) or stopped
// (its row removed) does not hold rotation up.
func TestRotateWaitsForEveryLiveNode(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		a := open(t, d, dir)
		kr, _ := os.ReadFile(filepath.Join(dir, vault.KeyringFile))
		env := envVault(t, d, kr)
		report(t, a, env)
		if _, _, err := a.AddMasterKey(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, err := env.AddMasterKey(ctx); err == nil {
			t.Fatal("keys add on a keyring from the environment succeeded")
		}
		_, err := a.Rotate(ctx, vault.RotateOptions{})
		wantErrContains(t, "rotate with an env node", err, "1 of 2 live nodes", "("+vault.KeyringEnv+") holds 1", "restart it")
		// Killed (no row removed): counts as live until two minutes pass.
		if _, err := d.Exec(ctx, `UPDATE vault_nodes SET seen_at = ? WHERE key_source = ?`,
			db.Now()-(vault.NodeGoneAfter+time.Second).Milliseconds(), vault.KeyringEnv); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Rotate(ctx, vault.RotateOptions{}); err != nil {
			t.Fatalf("rotate with the env node gone: %v", err)
		}
		// It comes back still on the old keyring: the next rotation is
		// refused until it is stopped.
		report(t, env)
		_, err = a.Rotate(ctx, vault.RotateOptions{})
		wantErrContains(t, "rotate with the env node back", err, "do not hold master key 3")
		if err := env.Unreport(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Rotate(ctx, vault.RotateOptions{}); err != nil {
			t.Fatalf("rotate with the env node stopped: %v", err)
		}
	})
}

// Two key files that each added their own key 2 are told apart by the
// keys' fingerprints: rotation does not take B's key 2 for A's.
func TestRotateTellsSameIDApart(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	ctx := context.Background()
	dirA, dirB := t.TempDir(), t.TempDir()
	a := open(t, d, dirA)
	copyKeyFile(t, dirA, dirB)
	b := open(t, d, dirB)
	for _, v := range []*vault.Vault{a, b} {
		if id, _, err := v.AddMasterKey(ctx); err != nil || id != "2" {
			t.Fatalf("keys add: %q %v", id, err)
		}
	}
	if _, err := b.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	report(t, a, b)
	_, err := a.Rotate(ctx, vault.RotateOptions{})
	wantErrContains(t, "rotate with another key 2 on B", err, "1 of 2 live nodes", "its key 2 is another key")
}

// On a single node `keys rotate` stays one command: the serving process
// re-reads the key file the rotation wrote within seconds and reports
// it, and the rotation, which waits for that, goes through.
func TestRotateWaitsForServingNode(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		serving := open(t, d, dir)
		stop, err := serving.StartNode(ctx, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		res, err := open(t, d, dir).Rotate(ctx, vault.RotateOptions{Wait: 15 * time.Second})
		if err != nil {
			t.Fatalf("rotate on a single serving node: %v", err)
		}
		if !res.Added || res.Nodes != 1 {
			t.Fatalf("rotate: %+v, want a key added and 1 node", res)
		}
		stop()
		if n := count(t, d, `SELECT COUNT(*) FROM vault_nodes`); n != 0 {
			t.Fatalf("a stopped node left %d rows", n)
		}
	})
}

// A data key made while a rotation starts is re-wrapped by it, not left
// under the old master key: the registration's read of the active key
// holds the rotation's change of it until the registration commits.
func TestRotateCatchesKeyMadeDuringIt(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		v := open(t, d, dir)
		if _, err := v.Rotate(ctx, vault.RotateOptions{}); err != nil { // the database names the key from now on
			t.Fatal(err)
		}
		u := db.NewID()
		var res vault.RotateResult
		rotated := make(chan error, 1)
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := v.NewUserKey(ctx, tx, u); err != nil {
				return err
			}
			go func() {
				var err error
				res, err = open(t, d, dir).Rotate(ctx, vault.RotateOptions{})
				rotated <- err
			}()
			select {
			case err := <-rotated:
				rotated <- err
			case <-time.After(500 * time.Millisecond):
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-rotated; err != nil {
			t.Fatal(err)
		}
		if kek := kekOf(t, d, u); kek != res.NewKeyID {
			t.Fatalf("a data key made while the rotation to %s started is left under master key %s", res.NewKeyID, kek)
		}
	})
}
