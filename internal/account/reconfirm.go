package account

import (
	"context"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
)

// NewConfirmation issues a verification token for the user's current
// address even when it was verified before: an address that bounced
// (internal/correspondence) is confirmed again through the same link
// before the site mails it again. Earlier unused links stop working.
func (s *Service) NewConfirmation(ctx context.Context, userID int64) (string, error) {
	var tok string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, k, err := s.loadUser(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return apperr.New(apperr.Gone, "account.deleted")
		}
		if err := dropUnusedTokens(ctx, tx, userID, PurposeVerifyEmail); err != nil {
			return err
		}
		tok, err = s.issueToken(ctx, tx, k, userID, PurposeVerifyEmail, s.o.VerifyTTL, u.Email.Reveal())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("account: new confirmation: %w", err)
	}
	return tok, nil
}
