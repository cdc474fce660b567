package vault

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

var errNoRows = sql.ErrNoRows

// RotateOptions tunes Rotate.
type RotateOptions struct {
	// Wait is how long to wait for every live node to report the new key
	// (a node re-reads a copied key file within seconds) before refusing.
	Wait time.Duration
	// Waiting, when set, is told which live nodes still lack the key
	// while Rotate waits for them.
	Waiting func(keyID string, lacking []Node)
	// Progress, when set, is told how many data keys were re-wrapped.
	Progress func(done int)
}

// RotateResult tells what a rotation did.
type RotateResult struct {
	NewKeyID string
	// Added: no key was waiting (from AddMasterKey), so this rotation
	// made one.
	Added     bool
	Nodes     int // live serving nodes, every one holding the new key
	Rewrapped int
	Retired   []string
}

// NodesLackKeyError is Rotate's refusal: a live node does not hold the
// key it would make active, and could then read no re-wrapped data key.
type NodesLackKeyError struct {
	KeyID   string
	KeyFile string
	Added   bool // the key was made by this refused rotation
	Live    int
	Lacking []Node
}

func (e *NodesLackKeyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "vault: rotate refused: %d of %d live nodes do not hold master key %s:", len(e.Lacking), e.Live, e.KeyID)
	for i, n := range e.Lacking {
		sep := ","
		if i == 0 {
			sep = ""
		}
		held := strings.Join(n.KeyIDs(), ",")
		if _, same := n.Keys[e.KeyID]; same {
			held += fmt.Sprintf(" (its key %s is another key, made by another key file)", e.KeyID)
		}
		fmt.Fprintf(&b, "%s %s holds %s", sep, n, held)
	}
	fmt.Fprintf(&b, ". Copy %s to every node's data folder (a node given %s: put the file's content into the secret and restart it), check with `smartustaz keys status`, then run `smartustaz keys rotate` again. ", e.KeyFile, KeyringEnv)
	if e.Added {
		fmt.Fprintf(&b, "Master key %s was added to the key file, not active. ", e.KeyID)
	}
	fmt.Fprintf(&b, "A node stopped without notice counts as live until %v after its last report (docs/operations.md, \"Rotating the master key\")", NodeGoneAfter)
	return b.String()
}

// AddMasterKey adds a new master key to the key file, not active, and
// returns its id; added is false when one was already waiting (added
// before and not yet made active by Rotate), which is returned instead.
func (v *Vault) AddMasterKey(ctx context.Context) (id string, added bool, err error) {
	current, err := v.currentHeld(ctx)
	if err != nil {
		return "", false, err
	}
	if id, ok := v.kr.pendingAfter(current); ok {
		return id, false, nil
	}
	if id, err = v.kr.addMasterKey(); err != nil {
		return "", false, err
	}
	return id, true, v.reportChange(ctx)
}

// currentHeld re-reads the key file and returns the active master key id,
// refusing a key file that lacks the key the database makes active (one
// copied before the last rotation): a key added to it would take an id
// that already names another key.
func (v *Vault) currentHeld(ctx context.Context) (string, error) {
	if v.kr.path == "" {
		return "", fmt.Errorf("vault: the keyring comes from %s: add and rotate keys with a key file (docs/operations.md, \"Rotating the master key\")", KeyringEnv)
	}
	if err := v.kr.reload(); err != nil {
		return "", err
	}
	id, fp, ok, err := readActive(ctx, v.db, false)
	if err != nil {
		return "", err
	}
	if !ok {
		return v.ActiveKeyID(), nil
	}
	if _, err := v.kr.heldKey(id, fp); err != nil {
		return "", fmt.Errorf("vault: %s is not the current key file: %w", v.kr.path, err)
	}
	return id, nil
}

// Rotate makes a new master key active on every node and re-wraps every
// data key under it, in small batches so the site keeps serving. The key
// is the one AddMasterKey added (or a new one, for a single node). It
// refuses (*NodesLackKeyError), changing nothing else, while a live
// serving node does not hold that key. Master keys older than the
// previous one are removed from the key file once no data key is wrapped
// by them; the previous one stays until the next rotation, since a node
// may wrap a new user's key with it in the moment before it notices the
// rotation, and that key must stay readable.
func (v *Vault) Rotate(ctx context.Context, o RotateOptions) (RotateResult, error) {
	previous, err := v.currentHeld(ctx)
	if err != nil {
		return RotateResult{}, err
	}
	fileActive := v.ActiveKeyID()
	var res RotateResult
	id, ok := v.kr.pendingAfter(previous)
	if !ok {
		if id, err = v.kr.addMasterKey(); err != nil {
			return res, err
		}
		res.Added = true
		if err := v.reportChange(ctx); err != nil {
			return res, err
		}
	}
	res.NewKeyID = id
	kek, _ := v.kr.key(id)
	fp := fingerprint(kek)
	deadline := time.Now().Add(o.Wait)
	for {
		nodes, err := v.LiveNodes(ctx)
		if err != nil {
			return res, err
		}
		var lacking []Node
		for _, n := range nodes {
			if !n.Holds(id, fp) {
				lacking = append(lacking, n)
			}
		}
		if len(lacking) == 0 {
			res.Nodes = len(nodes)
			break
		}
		if !time.Now().Before(deadline) {
			return res, &NodesLackKeyError{KeyID: id, KeyFile: v.kr.path, Added: res.Added, Live: len(nodes), Lacking: lacking}
		}
		if o.Waiting != nil {
			o.Waiting(id, lacking)
		}
		select {
		case <-ctx.Done():
			return res, fmt.Errorf("vault: rotate: %w", ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
	// The file first: if the database's change then fails, the next
	// run finds the database's key still current and this one waiting.
	if err := v.kr.activate(id); err != nil {
		return res, err
	}
	if err := v.setActive(ctx, id); err != nil {
		return res, err
	}
	for {
		n, err := v.rewrapBatch(ctx, id, kek, 500)
		if err != nil {
			return res, err
		}
		res.Rewrapped += n
		if o.Progress != nil {
			o.Progress(res.Rewrapped)
		}
		if n == 0 {
			break
		}
	}
	keep := map[string]bool{previous: true, fileActive: true}
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

// ActiveKeyID is the key file's (or SMARTUSTAZ_KEYRING's) active master
// key id; ActiveMaster tells which key the database makes active.
func (v *Vault) ActiveKeyID() string { id, _ := v.kr.activeKey(); return id }
