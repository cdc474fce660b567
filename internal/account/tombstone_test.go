package account_test

import (
	"path/filepath"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// A deletion puts the user on the vault's deletion list; ApplyTombstones
// (every start, migrate and Purge) erases again an account that a
// restored backup brought back, once, and lists accounts deleted before
// the list existed, so they too stay deleted in an older backup. Until it
// runs, the account already reads as deleted, with no fields.
func TestApplyTombstones(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		gone, _ := e.register(t, "gone@mail.kz")
		old, _ := e.register(t, "old@mail.kz")
		if err := e.s.Delete(e.ctx, gone.ID, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if !e.v.Tombstoned(gone.ID) {
			t.Fatal("a deletion did not put the user on the deletion list")
		}

		// A deletion made before the list existed: the row says deleted,
		// the list does not know it.
		if _, err := d.Exec(e.ctx, `UPDATE users SET status = 'deleted', email_bidx = NULL WHERE id = ?`, old.ID); err != nil {
			t.Fatal(err)
		}
		if e.v.Tombstoned(old.ID) {
			t.Fatal("control: the old deletion is already listed")
		}
		n, err := e.s.ApplyTombstones(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !e.v.Tombstoned(old.ID) {
			t.Fatal("an account deleted before the list existed was not listed")
		}
		if n != 1 || e.count(t, `SELECT COUNT(*) FROM user_keys WHERE user_id = ?`, old.ID) != 0 {
			t.Fatalf("erased %d accounts again; the old deletion's key must go (its row still had one)", n)
		}

		// A backup from before the deletion is restored (here: its rows
		// put back), with the current data folder.
		if _, err := d.Exec(e.ctx, `UPDATE users SET status = 'active', email_enc = ?, password_hash = 'x' WHERE id = ?`, []byte{1, 2, 3}, gone.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(e.ctx, `INSERT INTO user_keys (user_id, kek_id, wrapped_key, created_at) VALUES (?, '1', ?, 0)`, gone.ID, make([]byte, 60)); err != nil {
			t.Fatal(err)
		}
		u, err := e.s.Get(e.ctx, gone.ID)
		if err != nil || u.Status != account.StatusDeleted || !u.Email.IsZero() {
			t.Fatalf("before re-erasing, the restored account reads as %+v (%v)", u, err)
		}
		if n, err := e.s.ApplyTombstones(e.ctx); err != nil || n != 1 {
			t.Fatalf("re-erased %d (%v), want 1", n, err)
		}
		if e.count(t, `SELECT COUNT(*) FROM users WHERE id = ? AND status = 'deleted' AND email_enc IS NULL AND password_hash = ''`, gone.ID) != 1 ||
			e.count(t, `SELECT COUNT(*) FROM user_keys WHERE user_id = ?`, gone.ID) != 0 {
			t.Fatal("the restored account was not erased again")
		}
		if n, err := e.s.ApplyTombstones(e.ctx); err != nil || n != 0 {
			t.Fatalf("a second pass erased %d (%v), want 0", n, err)
		}
		// The list is in the data folder: a vault opened afresh knows both.
		fresh, _, err := vault.Open(d, dirOf(e.v), func(string) string { return "" })
		if err != nil || !fresh.Tombstoned(gone.ID) || !fresh.Tombstoned(old.ID) {
			t.Fatalf("a fresh vault does not know the deletions (%v)", err)
		}
	})
}

// dirOf is the data folder of a vault opened from a key file.
func dirOf(v *vault.Vault) string { return filepath.Dir(v.KeyFile()) }
