package library

import (
	"context"

	"github.com/smartustaz/smartustaz/internal/db"
)

// EraseUser empties, inside an account deletion's transaction (it is an
// account.Eraser), what the library keeps about the user: their public
// profile goes (clause 1.4); the sealed name on their certificates, the
// sealed address and browser of their uploads and downloads, and the
// sealed text of reports they filed are emptied. The rows themselves
// stay: a certificate's number still answers (as revoked: its author is
// deleted), the counts and the register of complaints (clause 3.2) keep
// their dates and decisions. Publication consents keep only field names
// and dates, and stay. Published materials stay published: they are the
// public work, not personal data.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	for _, q := range []string{
		`DELETE FROM public_profiles WHERE user_id = ?`,
		`UPDATE certificates SET name_enc = NULL, show_name = 0 WHERE author_id = ?`,
		`UPDATE file_events SET ip_enc = NULL, ua_enc = NULL WHERE user_id = ?`,
		`UPDATE reports SET text_enc = NULL WHERE reporter_id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return wrap("erase user", err)
		}
	}
	return nil
}
