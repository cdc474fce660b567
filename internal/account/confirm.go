package account

import (
	"context"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/apperr"
)

// VerifyPassword asks a signed-in user for their password again before a
// step that cannot be undone (deleting the account), so a session left
// open on a shared school computer is not enough. It is throttled like a
// login.
func (s *Service) VerifyPassword(ctx context.Context, userID int64, pw string, m Meta) error {
	u, err := s.activeUser(ctx, userID)
	if err != nil {
		return fmt.Errorf("account: verify password: %w", err)
	}
	if pw == "" {
		return apperr.Fields{apperr.Field(FieldPassword, "account.field.required")}
	}
	if err := s.confirmPassword(ctx, u, pw, FieldPassword, m); err != nil {
		return fmt.Errorf("account: verify password: %w", err)
	}
	return nil
}
