package vault

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/db"
)

var errNoRows = sql.ErrNoRows

// RotateResult tells what a rotation did.
type RotateResult struct {
	NewKeyID  string
	Rewrapped int
	Retired   []string
}

// Rotate makes a new master key active and re-wraps every data key under
// it, in small batches so the site keeps serving meanwhile (a serving
// process re-reads the key file when it changes). Master keys older than
// the previous one are removed from the key file once no data key is
// wrapped by them; the previous one stays until the next rotation, since
// a serving process may wrap a new user's key with it in the moment
// before it notices the rotation, and that key must stay readable.
func (v *Vault) Rotate(ctx context.Context, progress func(done int)) (RotateResult, error) {
	previous := v.ActiveKeyID()
	id, err := v.kr.addMasterKey()
	if err != nil {
		return RotateResult{}, err
	}
	res := RotateResult{NewKeyID: id}
	kek, _ := v.kr.masterKey(id)
	for {
		n, err := v.rewrapBatch(ctx, id, kek, 500)
		if err != nil {
			return res, err
		}
		res.Rewrapped += n
		if progress != nil {
			progress(res.Rewrapped)
		}
		if n == 0 {
			break
		}
	}
	keep := map[string]bool{previous: true}
	rows, err := v.db.Query(ctx, `SELECT DISTINCT kek_id FROM user_keys`)
	if err != nil {
		return res, fmt.Errorf("vault: rotate: %w", err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return res, fmt.Errorf("vault: rotate: %w", err)
		}
		keep[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("vault: rotate: %w", err)
	}
	if res.Retired, err = v.kr.retireMasterKeys(keep); err != nil {
		return res, err
	}
	return res, nil
}

func (v *Vault) rewrapBatch(ctx context.Context, newID string, newKEK []byte, limit int) (int, error) {
	n := 0
	err := v.db.InTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT user_id, kek_id, wrapped_key FROM user_keys WHERE kek_id <> ? LIMIT ?`, newID, limit)
		if err != nil {
			return err
		}
		type rec struct {
			owner   int64
			kekID   string
			wrapped []byte
		}
		var recs []rec
		for rows.Next() {
			var r rec
			if err := rows.Scan(&r.owner, &r.kekID, &r.wrapped); err != nil {
				rows.Close()
				return err
			}
			recs = append(recs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range recs {
			old, err := v.kr.masterKey(r.kekID)
			if err != nil {
				return err
			}
			dek, err := unwrap(old, r.kekID, r.owner, r.wrapped)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE user_keys SET kek_id = ?, wrapped_key = ?, rotated_at = ? WHERE user_id = ? AND kek_id = ?`,
				newID, wrap(newKEK, newID, r.owner, dek), db.Now(), r.owner, r.kekID); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("vault: rotate: %w", err)
	}
	return n, nil
}

// MasterKeyIDs lists the master key ids in the keyring (for `keys status`).
func (v *Vault) MasterKeyIDs() string { return v.kr.ids() }

// ActiveKeyID is the id of the master key that wraps new data keys.
func (v *Vault) ActiveKeyID() string { id, _ := v.kr.activeKey(); return id }
