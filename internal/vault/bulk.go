package vault

import (
	"context"
	"fmt"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
)

// NewUserKeys makes a data key for each of owners, exactly as NewUserKey
// does (a random 256-bit key wrapped by the active master key, read from
// the database inside tx), but stores them with one multi-row INSERT.
// A bulk import creates thousands of users a second; one statement per
// key would make the database round trips, not the encryption, the limit.
// The keys are not put into the cache: an import's users are not about to
// be read, and they would push out the keys of users who are.
func (v *Vault) NewUserKeys(ctx context.Context, tx db.Querier, owners []int64) ([]*UserKey, error) {
	if len(owners) == 0 {
		return nil, nil
	}
	for _, o := range owners {
		if v.Tombstoned(o) {
			return nil, fmt.Errorf("vault: user %d was deleted: no new data key", o)
		}
	}
	kekID, kek, err := v.activeForNew(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("vault: new data keys: %w", err)
	}
	now := db.Now()
	keys := make([]*UserKey, len(owners))
	args := make([]any, 0, 4*len(owners))
	var q strings.Builder
	q.WriteString(`INSERT INTO user_keys (user_id, kek_id, wrapped_key, created_at) VALUES `)
	for i, o := range owners {
		dek := random(32)
		keys[i] = &UserKey{owner: o, aead: newAEAD(dek)}
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?, ?, ?, ?)")
		args = append(args, o, kekID, wrap(kek, kekID, o, dek), now)
	}
	if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
		return nil, fmt.Errorf("vault: store data keys: %w", err)
	}
	return keys, nil
}
