package account

import (
	"context"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
)

// SessionRetention is how long an ended session is kept: long enough to
// attribute a change to the session that made it (clause 2.2), then
// deleted with its sealed IP and browser (LAW.md L8).
const SessionRetention = 365 * 24 * time.Hour

// Delete deletes a user's account (clause P.4): their data key is
// destroyed (crypto-shredding, so every ciphertext of theirs is unreadable
// here and in every backup), every sealed column and the address index are
// emptied, sessions and tokens are removed, and the account keeps only its
// id, role, status "deleted" and dates. The history keeps who changed which
// field and when, without values. Deleting a deleted account does nothing;
// the last active administrator cannot be deleted.
func (s *Service) Delete(ctx context.Context, userID int64, m Meta) error {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := loadUserRow(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		if r.status == StatusDeleted {
			return nil
		}
		if Role(r.role) == RoleAdmin {
			if err := lastAdminGuard(ctx, tx); err != nil {
				return err
			}
		}
		if err := s.v.Shred(ctx, tx, userID); err != nil {
			return err
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `UPDATE users SET email_bidx = NULL, email_enc = NULL, full_name_enc = NULL,
			organization_enc = NULL, position_enc = NULL, region_enc = NULL, phone_enc = NULL, password_hash = '',
			status = ?, deleted_at = ?, updated_at = ? WHERE id = ?`, StatusDeleted, now, now, userID); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM sessions WHERE user_id = ?`,
			`DELETE FROM tokens WHERE user_id = ?`,
			`UPDATE profile_changes SET old_enc = NULL, new_enc = NULL WHERE user_id = ?`,
		} {
			if _, err := tx.Exec(ctx, q, userID); err != nil {
				return err
			}
		}
		by, sess := actor(m, userID)
		if err := s.recordChange(ctx, tx, nil, userID, by, sess, ChangeDeleted, "", ""); err != nil {
			return err
		}
		return s.auditDelete(ctx, tx, userID, m)
	})
	if err != nil {
		return fmt.Errorf("account: delete: %w", err)
	}
	return nil
}

// auditDelete records the deletion in the audit log inside its transaction:
// who deleted the account, never what it held.
func (s *Service) auditDelete(ctx context.Context, tx *db.Tx, userID int64, m Meta) error {
	by, sess := actor(m, userID)
	detail := "by the user"
	if by != userID {
		detail = "by an administrator"
	}
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: sess,
		Action: audit.ActionUserDelete, TargetUserID: userID, Detail: detail})
	return err
}

// Purge deletes what is no longer needed (LAW.md L8): expired tokens,
// sessions ended or expired longer than SessionRetention ago, and idle
// throttle counters. It returns how many rows went; run it periodically.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	old := now.Add(-SessionRetention).UnixMilli()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM tokens WHERE expires_at < ?`, []any{now.UnixMilli()}},
		{`DELETE FROM sessions WHERE (revoked_at <> 0 AND revoked_at < ?) OR expires_at < ?`, []any{old, old}},
	} {
		res, err := s.db.Exec(ctx, q.sql, q.args...)
		if err != nil {
			return total, fmt.Errorf("account: purge: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	n, err := s.thr.purge(ctx)
	return total + n, err
}
