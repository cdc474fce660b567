package library

import (
	"context"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/preview"
)

// EraseUser empties, inside an account deletion's transaction (it is an
// account.Eraser), what the library keeps about the user: their public
// profile goes (clause 1.4); the sealed name on their certificates, the
// sealed address and browser of their uploads and downloads, and the
// sealed text of reports they filed are emptied. The rows themselves
// stay: a certificate's number still answers (as revoked: its author is
// deleted), the counts and the register of complaints (clause 3.2) keep
// their dates and decisions. Publication consents keep only field names
// and dates, and stay. Published materials stay published without the
// name (the public work, not personal data) unless the author chose to
// withdraw them (WithdrawAuthorTx). Ratings, comments, favourites,
// collections, follows (both ways), the digest choice and the inbox go
// (issue 13); the materials' averages lose the user's stars.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	for _, q := range []string{
		`DELETE FROM public_profiles WHERE user_id = ?`,
		`UPDATE certificates SET name_enc = NULL, show_name = 0 WHERE author_id = ?`,
		`UPDATE file_events SET ip_enc = NULL, ua_enc = NULL WHERE user_id = ?`,
		`UPDATE reports SET text_enc = NULL WHERE reporter_id = ?`,
		// Issue 13: what the user saved, followed, wrote and was told.
		// Their ratings leave the materials' averages first.
		`UPDATE materials SET rating_sum = rating_sum - (SELECT r.stars FROM ratings r WHERE r.material_id = materials.id AND r.user_id = ?),
			rating_count = rating_count - 1,
			rating_score = CASE WHEN rating_count <= 1 THEN 0
				ELSE (rating_sum - (SELECT r.stars FROM ratings r WHERE r.material_id = materials.id AND r.user_id = ?) + 6) * 1000 / (rating_count + 1) END
			WHERE id IN (SELECT material_id FROM ratings WHERE user_id = ?)`,
		`DELETE FROM ratings WHERE user_id = ?`,
		`UPDATE reports SET comment_id = 0 WHERE comment_id IN (SELECT id FROM comments WHERE user_id = ?)`,
		`DELETE FROM comments WHERE user_id = ?`,
		`DELETE FROM favourites WHERE user_id = ?`,
		`DELETE FROM collections WHERE owner_id = ?`,
		`DELETE FROM follows WHERE follower_id = ? OR author_id = ?`,
		`DELETE FROM digest_prefs WHERE user_id = ?`,
		`DELETE FROM notifications WHERE user_id = ?`,
	} {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = userID
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return wrap("erase user", err)
		}
	}
	return nil
}

// WithdrawAuthorTx withdraws every material of userID inside an account
// deletion's transaction, when the author chose so on the delete page:
// the materials leave the catalog (status withdrawn, as an author's own
// withdrawal), their file rows, page image rows and search entries go,
// and their certificates are revoked. The materials' rows keep their
// title for the certificate register and the report register, which
// still name what they were about. It returns the stored files to
// delete after the commit (ReleaseFiles).
func (s *Service) WithdrawAuthorTx(ctx context.Context, tx *db.Tx, userID int64) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT f.id, f.sha256 FROM material_files f JOIN materials m ON m.id = f.material_id WHERE m.author_id = ?`, userID)
	if err != nil {
		return nil, wrap("withdraw author", err)
	}
	var ids []int64
	var shas []string
	for rows.Next() {
		var id int64
		var sha string
		if err := rows.Scan(&id, &sha); err != nil {
			rows.Close()
			return nil, wrap("withdraw author", err)
		}
		ids, shas = append(ids, id), append(shas, sha)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("withdraw author", err)
	}
	pages, err := preview.DropFilesTx(ctx, tx, ids)
	if err != nil {
		return nil, wrap("withdraw author", err)
	}
	now := s.nowMS()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM material_files WHERE material_id IN (SELECT id FROM materials WHERE author_id = ?)`, []any{userID}},
		{`DELETE FROM material_search WHERE material_id IN (SELECT id FROM materials WHERE author_id = ?)`, []any{userID}},
		{`UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE author_id = ? AND revoked_at = 0`, []any{now, RevokedAuthorDeleted, userID}},
		// A taken-down material stays taken down: the moderator's decision is the record.
		{`UPDATE materials SET status = ?, updated_at = ? WHERE author_id = ? AND status <> ?`, []any{string(StatusWithdrawn), now, userID, string(StatusTakenDown)}},
	} {
		if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
			return nil, wrap("withdraw author", err)
		}
	}
	return append(shas, pages...), nil
}

// ReleaseFiles deletes, once the withdrawal has committed, each stored
// file of shas that no other material, page image or upload in progress
// refers to (the same check as any replaced file; what fails here the
// janitor collects later).
func (s *Service) ReleaseFiles(ctx context.Context, shas []string) {
	s.release(ctx, shas...)
}
