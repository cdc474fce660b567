package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/db"
)

// Why processing of an account's data is blocked (issue 12 §2; law L4,
// L12). A blocked account keeps its data and may sign in to see it, file
// requests, consent again or leave; nothing else processes it.
const (
	BlockRequest   = "request"   // the user asked for a block; an administrator answered it
	BlockWithdrawn = "withdrawn" // the user withdrew their consent
	BlockTerm      = "term"      // the consent's term ended without renewal
	BlockAdmin     = "admin"     // an administrator blocked it
)

// BlockReasons lists the reasons, for display and validation.
var BlockReasons = []string{BlockRequest, BlockWithdrawn, BlockTerm, BlockAdmin}

// SetBlockedTx sets userID's block reason inside tx ("" lifts the block)
// and reports the reason it had before. A deleted account is not
// changed (db.ErrNotFound). The caller writes the audit entry in tx.
func (s *Service) SetBlockedTx(ctx context.Context, tx *db.Tx, userID int64, reason string) (was string, err error) {
	var status string
	err = tx.QueryRow(ctx, `SELECT status, blocked FROM users WHERE id = ?`+db.ForUpdate(tx.Engine()), userID).Scan(&status, &was)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && status != StatusActive) {
		return "", fmt.Errorf("account: block: %w", db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("account: block: %w", err)
	}
	if was == reason {
		return was, nil
	}
	at := int64(0)
	if reason != "" {
		at = s.nowMS()
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET blocked = ?, blocked_at = ? WHERE id = ?`, reason, at, userID); err != nil {
		return "", fmt.Errorf("account: block: %w", err)
	}
	return was, nil
}

// BlockedState returns userID's status and block reason without opening
// any personal field (the consent-term job reads many).
func (s *Service) BlockedState(ctx context.Context, userID int64) (status, blocked string, err error) {
	err = s.db.QueryRow(ctx, `SELECT status, blocked FROM users WHERE id = ?`, userID).Scan(&status, &blocked)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("account: blocked state: %w", db.ErrNotFound)
	}
	if err != nil {
		return "", "", fmt.Errorf("account: blocked state: %w", err)
	}
	return status, blocked, nil
}

// AddressBlocked reports whether email is the address of a blocked
// account (the mail path holds back what would be sent to it). An
// address of no account is not blocked.
func (s *Service) AddressBlocked(ctx context.Context, email string) (bool, error) {
	var blocked string
	err := s.db.QueryRow(ctx, `SELECT blocked FROM users WHERE email_bidx = ? AND status = ?`, s.emailIndex(email), StatusActive).Scan(&blocked)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("account: address blocked: %w", err)
	}
	return blocked != "", nil
}
