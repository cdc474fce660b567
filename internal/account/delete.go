package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/retention"
)

// SessionRetention is how long an ended session is kept: long enough to
// attribute a change to the session that made it (clause 2.2), then
// deleted with its sealed IP and browser (LAW.md L8).
const SessionRetention = 365 * 24 * time.Hour

// Eraser empties, inside the deletion's transaction, what one domain
// package keeps about a user in its own tables (the library's public
// profile, certificates, file events and reports; consent's
// acceptances). Each package owns its SQL; Options.Erasers lists them, so
// one deletion covers every table that holds a user's data.
type Eraser func(ctx context.Context, tx *db.Tx, userID int64) error

// Withdrawer withdraws, inside the deletion's transaction, every
// material the user published, and returns what to do once it has
// committed (delete the stored files nothing else holds). The library
// provides it (serve sets Service.Withdraw).
type Withdrawer func(ctx context.Context, tx *db.Tx, userID int64) (after func(context.Context), err error)

// DeleteChoice is what a deletion does beyond erasing the account.
type DeleteChoice struct {
	// WithdrawMaterials takes the user's published materials out of the
	// catalog with their files and certificates; otherwise they stay
	// public without the author's name (the delete page asks).
	WithdrawMaterials bool
	// Before runs inside the deletion's transaction, with the user's data
	// still readable, before the data key is destroyed: an administrator's
	// deletion enqueues its answer to the user's address there.
	Before func(ctx context.Context, tx *db.Tx, u *User) error
	// Purpose is an administrator's stated reason, for the audit log.
	Purpose string
}

// Delete deletes a user's account and leaves their materials public
// without their name (DeleteWith).
func (s *Service) Delete(ctx context.Context, userID int64, m Meta) error {
	return s.DeleteWith(ctx, userID, m, DeleteChoice{})
}

// DeleteWith deletes a user's account (clause P.4): the user goes on the
// vault's deletion list and their data key is destroyed, so nothing
// sealed under it opens again, here or in a restored backup (the list is
// re-applied at every start); every sealed column and the address index
// are emptied, sessions and tokens are removed, every Eraser empties its
// tables, c's choice about the materials is applied, and the account
// keeps only its id, role, status "deleted" and dates. The history keeps
// who changed which field and when, without values. Deleting a deleted
// account does nothing; the last active administrator cannot be deleted.
func (s *Service) DeleteWith(ctx context.Context, userID int64, m Meta, c DeleteChoice) error {
	if c.WithdrawMaterials && s.Withdraw == nil {
		return fmt.Errorf("account: delete: no way to withdraw materials is set")
	}
	var after func(context.Context)
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
		if c.Before != nil {
			u, _, err := s.loadUser(ctx, tx, userID, false)
			if err != nil {
				return err
			}
			if err := c.Before(ctx, tx, u); err != nil {
				return err
			}
		}
		by, sess := actor(m, userID)
		// The audit entry first: it is the step a tampered log refuses, and
		// erase puts the user on the deletion list, which no rollback undoes.
		if err := s.auditDelete(ctx, tx, userID, m, c); err != nil {
			return err
		}
		if c.WithdrawMaterials {
			if after, err = s.Withdraw(ctx, tx, userID); err != nil {
				return err
			}
		}
		return s.erase(ctx, tx, userID, by, sess)
	})
	if err != nil {
		return fmt.Errorf("account: delete: %w", err)
	}
	s.afterErase(ctx)
	if after != nil {
		after(context.WithoutCancel(ctx))
	}
	if s.OnDeleted != nil {
		s.OnDeleted(ctx, userID)
	}
	return nil
}

// erase is the deletion itself, inside tx; Delete and ApplyTombstones
// share it.
func (s *Service) erase(ctx context.Context, tx *db.Tx, userID, by, sess int64) error {
	if err := s.v.Shred(ctx, tx, userID); err != nil {
		return err
	}
	now := s.nowMS()
	res, err := tx.Exec(ctx, `UPDATE users SET email_bidx = NULL, email_enc = NULL, full_name_enc = NULL,
		organization_enc = NULL, position_enc = NULL, region_enc = NULL, phone_enc = NULL, password_hash = '',
		status = ?, deleted_at = ?, updated_at = ? WHERE id = ?`, StatusDeleted, now, now, userID)
	if err != nil {
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
	for _, e := range s.o.Erasers {
		if err := e(ctx, tx, userID); err != nil {
			return err
		}
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // no account row (only a stray key): no history to write
	}
	return s.recordChange(ctx, tx, nil, userID, by, sess, ChangeDeleted, "", "")
}

// afterErase, once the deletion has committed, copies the deletion list
// to the S3 bucket (a network call, kept out of the transaction) and
// empties SQLite's write-ahead log of the page versions that held the
// deleted values. What fails here (the bucket unreachable, readers
// keeping the WAL) is done again by the next Purge, which logs a failure.
func (s *Service) afterErase(ctx context.Context) {
	s.v.SyncTombstones(ctx)
	s.checkpointDue.Store(true)
	if s.db.Checkpoint(ctx) == nil {
		s.checkpointDue.Store(false)
	}
}

// ApplyTombstones makes the database agree with the vault's deletion
// list, before anything is served from it: it first reads the list
// (SyncTombstones: other processes' entries and, with S3 storage, the
// bucket's), puts on it every account the database says is deleted (so
// deletions made before the list existed are final too), and erases
// again every account on the list that still has a data key or is not
// marked deleted — what restoring a backup taken before a deletion
// brings back. It returns how many accounts it erased. Every start,
// `migrate` and Purge run it.
func (s *Service) ApplyTombstones(ctx context.Context) (int, error) {
	if _, err := s.v.SyncTombstones(ctx); err != nil {
		return 0, fmt.Errorf("account: apply deletions: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM users WHERE status = ?`, StatusDeleted)
	if err != nil {
		return 0, fmt.Errorf("account: apply deletions: %w", err)
	}
	var unlisted []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("account: apply deletions: %w", err)
		}
		if !s.v.Tombstoned(id) {
			unlisted = append(unlisted, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("account: apply deletions: %w", err)
	}
	for _, id := range unlisted {
		if err := s.v.Tombstone(id); err != nil {
			return 0, fmt.Errorf("account: apply deletions: %w", err)
		}
	}
	if len(unlisted) > 0 {
		// Deleted rows may still hold a key (a deletion made before the list existed).
		if _, err := s.v.SyncTombstones(ctx); err != nil {
			return 0, fmt.Errorf("account: apply deletions: %w", err)
		}
	}
	back, err := s.resurrected(ctx, s.v.Tombstones())
	if err != nil {
		return 0, fmt.Errorf("account: apply deletions: %w", err)
	}
	for _, id := range back {
		if err := s.db.InTx(ctx, func(tx *db.Tx) error { return s.erase(ctx, tx, id, 0, 0) }); err != nil {
			return 0, fmt.Errorf("account: apply deletions: %w", err)
		}
	}
	if len(back) > 0 {
		s.afterErase(ctx)
	}
	return len(back), nil
}

// resurrected returns the ids among dead that the database still holds a
// data key for, or does not mark deleted.
func (s *Service) resurrected(ctx context.Context, dead []int64) ([]int64, error) {
	var out []int64
	const batch = 500
	for len(dead) > 0 {
		n := min(batch, len(dead))
		chunk := dead[:n]
		dead = dead[n:]
		marks := strings.TrimSuffix(strings.Repeat("?,", n), ",")
		args := make([]any, 0, 2*n+1)
		for _, id := range chunk {
			args = append(args, id)
		}
		args = append(args, StatusDeleted)
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := s.db.Query(ctx, `SELECT id FROM users WHERE id IN (`+marks+`) AND status <> ?
			UNION SELECT user_id FROM user_keys WHERE user_id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// auditDelete records the deletion in the audit log inside its transaction:
// who deleted the account, never what it held.
func (s *Service) auditDelete(ctx context.Context, tx *db.Tx, userID int64, m Meta, c DeleteChoice) error {
	by, sess := actor(m, userID)
	detail := "by the user"
	if by != userID {
		detail = "by an administrator"
	}
	if c.WithdrawMaterials {
		detail += "; materials withdrawn"
	} else {
		detail += "; materials left public without the name"
	}
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: sess,
		Action: audit.ActionUserDelete, TargetUserID: userID, Purpose: c.Purpose, Detail: detail})
	return err
}

// Purge deletes what is no longer needed (LAW.md L8): expired tokens,
// sessions ended or expired longer than SessionRetention ago, and idle
// throttle counters. It returns how many rows went; run it periodically.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	old := now.Add(-SessionRetention).UnixMilli()
	// Each deletion and its record in the register of destructions
	// (internal/retention) commit together, as the declared rules' do.
	for _, q := range []struct {
		sql  string
		args []any
		rec  retention.Record
	}{
		{`DELETE FROM tokens WHERE expires_at < ?`, []any{now.UnixMilli()},
			retention.Record{Table: "tokens", Categories: "contact,security,operational", Rule: "tokens.delete.expired.expires_at"}},
		{`DELETE FROM sessions WHERE (revoked_at <> 0 AND revoked_at < ?) OR expires_at < ?`, []any{old, old},
			retention.Record{Table: "sessions", Categories: "technical,security,operational",
				Rule: fmt.Sprintf("sessions.delete.days.%dd.revoked_at,expires_at", int(SessionRetention/(24*time.Hour)))}},
	} {
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			res, err := tx.Exec(ctx, q.sql, q.args...)
			if err != nil {
				return err
			}
			q.rec.Count, _ = res.RowsAffected()
			q.rec.At = now
			return retention.Log(ctx, tx, q.rec)
		})
		if err != nil {
			return total, fmt.Errorf("account: purge: %w", err)
		}
		total += q.rec.Count
	}
	n, err := s.thr.purge(ctx)
	total += n
	if err != nil {
		return total, err
	}
	n, err = s.KeepDeletions(ctx)
	return total + n, err
}

// KeepDeletions is each node's own periodic pass over deletions: the
// deletion list read again (deletions by another node this one missed;
// its file in this node's data folder) and applied to the database, and
// a WAL checkpoint a reader delayed. It returns how many accounts it
// erased again. Unlike Purge, every node runs it, since the list and the
// SQLite file are its own.
func (s *Service) KeepDeletions(ctx context.Context) (int64, error) {
	erased, err := s.ApplyTombstones(ctx)
	if err != nil {
		return int64(erased), err
	}
	if s.checkpointDue.Load() {
		if err := s.db.Checkpoint(ctx); err != nil && !errors.Is(err, db.ErrCheckpointBusy) {
			return int64(erased), fmt.Errorf("account: purge: %w", err)
		} else if err == nil {
			s.checkpointDue.Store(false)
		}
	}
	return int64(erased), nil
}
