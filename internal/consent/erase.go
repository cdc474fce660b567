package consent

import (
	"context"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/db"
)

// EraseUser empties, inside an account deletion's transaction (it is an
// account.Eraser), the sealed address and browser of the user's
// acceptances. The acceptances stay, with document, hash, time and
// method: the record that the person agreed, which holds nothing of them.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE acceptances SET ip_enc = NULL, ua_enc = NULL WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("consent: erase user: %w", err)
	}
	return nil
}
