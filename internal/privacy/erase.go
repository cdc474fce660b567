package privacy

import (
	"context"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/db"
)

// EraseUser empties, inside an account deletion's transaction (it is an
// account.Eraser), what this package holds of the user: the words and
// answers of their requests (the rows stay — type, dates, deadline, who
// answered — as the record that the site met its deadlines) and their
// consent receipts (the user kept their copies; the acceptances they
// were made from stay in internal/consent) and the ZIPs of their data
// built in the background.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `UPDATE privacy_requests SET detail_enc = NULL, answer_enc = NULL WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("privacy: erase user: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM consent_reminders WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("privacy: erase user: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM consent_receipts WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("privacy: erase user: %w", err)
	}
	if err := eraseExports(ctx, tx, userID); err != nil {
		return fmt.Errorf("privacy: erase user: %w", err)
	}
	return nil
}
