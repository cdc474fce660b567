package library

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
)

// The owner's edits of a collection (issue 13 §3): rename it, make it
// public or private, delete it. Removing a material is CollectionItem.
// Someone else's collection is "not found" to every one of them, so a
// private collection's existence is not revealed by an edit either.

// collectionTitle cleans a collection's name and checks its length.
func collectionTitle(title string) (string, error) {
	title = strings.Join(strings.Fields(text(title)), " ")
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		return "", apperr.Field("title", "social.collection.title.empty")
	case n > MaxCollectionTitle:
		return "", apperr.Field("title", "social.collection.title.length", MaxCollectionTitle)
	}
	return title, nil
}

// ownCollection fails with "not found" unless collectionID is ownerID's.
func ownCollection(ctx context.Context, tx *db.Tx, ownerID, collectionID int64) error {
	var owner int64
	if err := tx.QueryRow(ctx, `SELECT owner_id FROM collections WHERE id = ?`, collectionID).Scan(&owner); err != nil {
		return err
	}
	if owner != ownerID {
		return errNotFound()
	}
	return nil
}

// UpdateCollection renames ownerID's collection and sets whether it is
// public. A bad name changes nothing.
func (s *Service) UpdateCollection(ctx context.Context, ownerID, collectionID int64, title string, public bool) error {
	title, err := collectionTitle(title)
	if err != nil {
		return err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := ownCollection(ctx, tx, ownerID, collectionID); err != nil {
			return err
		}
		key, err := s.v.UserKey(ctx, tx, ownerID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE collections SET title = '', title_enc = ?, public = ?, updated_at = ? WHERE id = ?`,
			key.Seal(collectionField(collectionID), title), boolInt(public), s.nowMS(), collectionID)
		return err
	})
	return wrap("update collection", err)
}

// DeleteCollection deletes ownerID's collection with its list of
// materials (the materials themselves stay).
func (s *Service) DeleteCollection(ctx context.Context, ownerID, collectionID int64) error {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := ownCollection(ctx, tx, ownerID, collectionID); err != nil {
			return err
		}
		// Explicitly, not only by the foreign key's cascade: the same on
		// both engines whatever their foreign-key settings.
		if _, err := tx.Exec(ctx, `DELETE FROM collection_items WHERE collection_id = ?`, collectionID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM collections WHERE id = ?`, collectionID)
		return err
	})
	return wrap("delete collection", err)
}
