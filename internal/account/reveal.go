package account

import (
	"context"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Reveal returns a user's decrypted data to an administrator who stated
// purpose (clause 1.3): the view is committed to the audit log first, so
// no value leaves this method without its entry.
func (s *Service) Reveal(ctx context.Context, userID int64, purpose string, m Meta) (*User, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := loadUserRow(ctx, tx, userID, false); err != nil {
			return err
		}
		_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: m.ActorID, ActorSessionID: m.SessionID,
			Action: audit.ActionReveal, TargetUserID: userID, Purpose: purpose})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: reveal: %w", err)
	}
	return s.Get(ctx, userID)
}
