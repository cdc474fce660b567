package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
)

// ActiveSetting is the settings row that names the master key wrapping
// new data keys on every node ("ID:FINGERPRINT"), written by Rotate. In
// the database rather than in each node's key file, so that nodes whose
// files were copied at different moments still agree (docs/architecture.md).
const ActiveSetting = "vault.active_master"

// readActive reads the database's active master key through q; ok is
// false when no rotation has written it yet.
func readActive(ctx context.Context, q db.Querier, lock bool) (id, fp string, ok bool, err error) {
	query := `SELECT value FROM settings WHERE key = ?`
	if lock && q.Engine() == db.Postgres {
		// A rotation's change of the row waits for this transaction, so
		// its re-wrap, which starts after, sees the key made here.
		query += ` FOR SHARE`
	}
	var v string
	if err := q.QueryRow(ctx, query, ActiveSetting).Scan(&v); err != nil {
		if errors.Is(err, errNoRows) {
			return "", "", false, nil
		}
		return "", "", false, fmt.Errorf("vault: read the active master key: %w", err)
	}
	id, fp, _ = strings.Cut(v, ":")
	return id, fp, true, nil
}

// activeForNew returns the master key that wraps a new data key: the one
// the database names, or without the row (a single node, an install
// never rotated since) the key file's active one.
func (v *Vault) activeForNew(ctx context.Context, q db.Querier) (string, []byte, error) {
	id, fp, ok, err := readActive(ctx, q, true)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		id, k := v.kr.activeKey()
		return id, k, nil
	}
	k, err := v.kr.heldKey(id, fp)
	if err != nil {
		return "", nil, err
	}
	return id, k, nil
}

// heldKey returns the master key id whose fingerprint is fp, re-reading
// the key file once when this node does not hold it (yet).
func (kr *keyring) heldKey(id, fp string) ([]byte, error) {
	match := func() ([]byte, bool, bool) {
		k, ok := kr.key(id)
		return k, ok, ok && (fp == "" || fingerprint(k) == fp)
	}
	k, held, same := match()
	if !same && kr.path != "" && kr.reload() == nil {
		k, held, same = match()
	}
	if !same {
		return nil, &MissingKeyError{ID: id, Env: kr.path == "", Active: true, Differs: held}
	}
	return k, nil
}

// setActive makes id the database's active master key.
func (v *Vault) setActive(ctx context.Context, id string) error {
	k, ok := v.kr.key(id)
	if !ok {
		return fmt.Errorf("vault: activate: %w", &MissingKeyError{ID: id})
	}
	err := v.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			ActiveSetting, id+":"+fingerprint(k))
		return err
	})
	if err != nil {
		return fmt.Errorf("vault: activate master key %s: %w", id, err)
	}
	return nil
}

// ActiveMaster is the id of the master key that wraps new data keys on
// every node, and whether the database decides it (false: no rotation
// has written it, and each node uses its key file's active key).
func (v *Vault) ActiveMaster(ctx context.Context) (id string, inDB bool, err error) {
	id, _, inDB, err = readActive(ctx, v.db, false)
	if err != nil || inDB {
		return id, inDB, err
	}
	return v.ActiveKeyID(), false, nil
}
