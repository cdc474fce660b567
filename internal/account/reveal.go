package account

import (
	"context"
	"database/sql"
	"errors"
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

// RoleOf returns a user's role only, nothing personal: the data page names
// the administrator who viewed a user's data by role and number (law L10).
// A user gone since is "", nil.
func (s *Service) RoleOf(ctx context.Context, userID int64) (Role, error) {
	var r string
	err := s.db.QueryRow(ctx, `SELECT role FROM users WHERE id = ?`, userID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("account: role of: %w", err)
	}
	return Role(r), nil
}
