package library

import (
	"context"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// leftover is a value kept in plain text before its column was sealed
// (migrations 0029 and 0030).
type leftover struct {
	owner int64
	field vault.Field
	plain string
	// update seals it: the ciphertext, then where (the row's key and its
	// plain value, so a row changed meanwhile is left to the next start).
	update string
	where  []any
}

// openLeftover is a stored value of owner's at f: sealed, or, in a row
// written before its column was sealed and not yet sealed at a start, the
// plain value. A deleted owner's value reads as "".
func (s *Service) openLeftover(ctx context.Context, owner int64, f vault.Field, plain string, sealed []byte) (string, error) {
	if sealed == nil {
		return plain, nil
	}
	key, err := s.v.ReadKey(ctx, s.db, owner)
	if err != nil {
		return "", err
	}
	v, err := key.Open(f, sealed)
	return v.Reveal(), err
}

// SealLeftovers seals the values still kept in plain text from before
// their columns were sealed — public profile fields (0029) and collection
// names (0030) — each in its own transaction, and empties their plain
// column; it returns how many it sealed. Run at every start: after the
// first it finds none, and two nodes starting together do not seal a row
// twice (the update names the plain value it replaces). A value whose
// owner has no key any more (deleted) is emptied, not sealed.
func SealLeftovers(ctx context.Context, d *db.DB, v *vault.Vault) (int, error) {
	var todo []leftover
	read := func(q string, row func(scan func(...any) error) (leftover, error)) error {
		rows, err := d.Query(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, err := row(rows.Scan)
			if err != nil {
				return err
			}
			todo = append(todo, l)
		}
		return rows.Err()
	}
	err := read(`SELECT user_id, field, value FROM public_profiles WHERE value <> ''`, func(scan func(...any) error) (leftover, error) {
		var l leftover
		var field string
		err := scan(&l.owner, &field, &l.plain)
		l.field = profileField(l.owner, field)
		l.update = `UPDATE public_profiles SET value = '', value_enc = ? WHERE user_id = ? AND field = ? AND value = ?`
		l.where = []any{l.owner, field, l.plain}
		return l, err
	})
	if err == nil {
		err = read(`SELECT id, owner_id, title FROM collections WHERE title <> ''`, func(scan func(...any) error) (leftover, error) {
			var l leftover
			var id int64
			err := scan(&id, &l.owner, &l.plain)
			l.field = collectionField(id)
			l.update = `UPDATE collections SET title = '', title_enc = ? WHERE id = ? AND title = ?`
			l.where = []any{id, l.plain}
			return l, err
		})
	}
	if err != nil {
		return 0, wrap("seal leftovers", err)
	}
	for _, l := range todo {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			key, err := v.ReadKey(ctx, tx, l.owner)
			if err != nil {
				return err
			}
			var sealed []byte
			if key != nil {
				sealed = key.Seal(l.field, l.plain)
			}
			_, err = tx.Exec(ctx, l.update, append([]any{sealed}, l.where...)...)
			return err
		})
		if err != nil {
			return 0, wrap("seal leftovers", err)
		}
	}
	return len(todo), nil
}
