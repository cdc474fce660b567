package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Names of history entries that are not profile fields.
const (
	ChangePassword      = "password"       // no values are kept
	ChangeEmailVerified = "email_verified" // old/new "false"/"true"
	ChangeRole          = "role"
	ChangeDeleted       = "deleted" // no values are kept
)

func changeField(column string, id int64) vault.Field {
	return vault.Field{Table: "profile_changes", Column: column, Row: id}
}

// recordChange writes one history entry (clause 2.2: who changed what,
// from which session). old and new are sealed with k; both are empty for
// the password and when k is nil.
func (s *Service) recordChange(ctx context.Context, tx db.Querier, k *vault.UserKey, userID, actorID, sessionID int64, field, oldV, newV string) error {
	id := db.NewID()
	var oldEnc, newEnc []byte
	if k != nil {
		oldEnc = k.Seal(changeField("old_enc", id), oldV)
		newEnc = k.Seal(changeField("new_enc", id), newV)
	}
	_, err := tx.Exec(ctx, `INSERT INTO profile_changes (id, user_id, at, actor_user_id, actor_session_id, field, old_enc, new_enc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, userID, s.nowMS(), actorID, sessionID, field, oldEnc, newEnc)
	if err != nil {
		return fmt.Errorf("record change: %w", err)
	}
	return nil
}

// UpdateProfile validates p and stores the fields that changed, writing
// one history entry per changed field with its old and new value sealed,
// attributed to m's actor and session (clause 2.2, 2.3).
func (s *Service) UpdateProfile(ctx context.Context, userID int64, p Profile, m Meta) error {
	p = p.clean()
	var errs apperr.Fields
	p.check(&errs)
	if err := errs.Err(); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, k, err := s.loadUser(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return apperr.New(apperr.Gone, "account.deleted")
		}
		cur := [5]vault.Secret{u.FullName, u.Organization, u.Position, u.Region, u.Phone}
		next := p.values()
		by, sess := actor(m, userID)
		changed := false
		for i := range next {
			if cur[i].Reveal() == next[i] {
				continue
			}
			changed = true
			col := profileColumns[i+1]
			if _, err := tx.Exec(ctx, `UPDATE users SET `+col+` = ? WHERE id = ?`, k.Seal(userField(col, userID), next[i]), userID); err != nil {
				return fmt.Errorf("update %s: %w", col, err)
			}
			if err := s.recordChange(ctx, tx, k, userID, by, sess, profileFields[i], cur[i].Reveal(), next[i]); err != nil {
				return err
			}
		}
		if changed {
			if _, err := tx.Exec(ctx, `UPDATE users SET updated_at = ? WHERE id = ?`, s.nowMS(), userID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("account: update profile: %w", err)
	}
	return nil
}

// Changes returns a user's change history, newest first, with old and new
// values decrypted (empty after deletion, when the key is gone).
func (s *Service) Changes(ctx context.Context, userID int64) ([]Change, error) {
	r, err := loadUserRow(ctx, s.db, userID, false)
	if err != nil {
		return nil, fmt.Errorf("account: changes: %w", err)
	}
	k, err := s.userKey(ctx, s.db, r)
	if err != nil {
		return nil, fmt.Errorf("account: changes: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT id, at, actor_user_id, actor_session_id, field, old_enc, new_enc
		FROM profile_changes WHERE user_id = ? ORDER BY at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("account: changes: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at int64
		var oldEnc, newEnc []byte
		if err := rows.Scan(&c.ID, &at, &c.ActorID, &c.ActorSessionID, &c.Field, &oldEnc, &newEnc); err != nil {
			return nil, fmt.Errorf("account: changes: %w", err)
		}
		c.At = db.Time(at)
		if k != nil {
			if c.Old, err = k.Open(changeField("old_enc", c.ID), oldEnc); err != nil {
				return nil, fmt.Errorf("account: changes: %w", err)
			}
			if c.New, err = k.Open(changeField("new_enc", c.ID), newEnc); err != nil {
				return nil, fmt.Errorf("account: changes: %w", err)
			}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account: changes: %w", err)
	}
	return out, nil
}

// SetRole gives a user role r, recorded as a change by m's actor and in
// the audit log, in one transaction. The last active administrator cannot
// be demoted, so the site always has one.
func (s *Service) SetRole(ctx context.Context, userID int64, r Role, m Meta) error {
	if !r.Valid() {
		return apperr.Field(FieldRole, "account.role.invalid")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, k, err := s.loadUser(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return apperr.New(apperr.Gone, "account.deleted")
		}
		if u.Role == r {
			return nil
		}
		if u.Role == RoleAdmin {
			if err := lastAdminGuard(ctx, tx); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = ?, updated_at = ? WHERE id = ?`, string(r), s.nowMS(), userID); err != nil {
			return err
		}
		by, sess := actor(m, userID)
		if err := s.recordChange(ctx, tx, k, userID, by, sess, ChangeRole, string(u.Role), string(r)); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: m.ActorID, ActorSessionID: m.SessionID,
			Action: audit.ActionRoleChange, TargetUserID: userID, Detail: "role=" + string(r)})
		return err
	})
	if err != nil {
		return fmt.Errorf("account: set role: %w", err)
	}
	return nil
}

// lastAdminGuard refuses to remove the only active administrator. On
// PostgreSQL the admin rows are locked so two concurrent demotions cannot
// both see "two admins".
func lastAdminGuard(ctx context.Context, tx *db.Tx) error {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = ? AND status = ?`+db.ForUpdate(tx.Engine()), string(RoleAdmin), StatusActive)
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if n <= 1 {
		return apperr.New(apperr.Conflict, "account.role.last_admin")
	}
	return nil
}

// SetLocale stores the user's interface language (kk, ru or en). It is a
// preference, not personal data, and is not kept in the history.
func (s *Service) SetLocale(ctx context.Context, userID int64, locale string) error {
	l, ok := i18n.Parse(locale)
	if !ok {
		return apperr.Field(FieldLocale, "account.locale.invalid")
	}
	res, err := s.db.Exec(ctx, `UPDATE users SET locale = ?, updated_at = ? WHERE id = ? AND status = ?`, string(l), s.nowMS(), userID, StatusActive)
	if err != nil {
		return fmt.Errorf("account: set locale: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("account: set locale: %w", errors.Join(db.ErrNotFound, err))
	}
	return nil
}
