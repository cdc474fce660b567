package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// ChangeEmail is the history name of an address change.
const ChangeEmail = FieldEmail

// errWrongPassword is the answer when the current password, asked again
// before a sensitive change, is wrong.
func errWrongPassword(field string) error {
	return apperr.Fields{apperr.Field(field, "account.password.wrong")}
}

// activeUser loads a user that must not be deleted.
func (s *Service) activeUser(ctx context.Context, userID int64) (*User, error) {
	u, err := s.Get(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Status != StatusActive {
		return nil, apperr.New(apperr.Gone, "account.deleted")
	}
	return u, nil
}

// confirmPassword re-checks a signed-in user's current password before a
// sensitive change. It shares the login throttle of the account and the
// IP, so a stolen session cannot be used to guess the password faster
// than the login form allows.
func (s *Service) confirmPassword(ctx context.Context, u *User, pw, field string, m Meta) error {
	acctKey := s.thr.key(scopeLoginAccount, vault.NormalizeEmail(u.Email.Reveal()))
	ipKey := s.thr.key(scopeLoginIP, m.IP)
	if err := s.thr.check(ctx, acctKey, ipKey); err != nil {
		return err
	}
	var stored string
	if err := s.db.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&stored); err != nil {
		return err
	}
	ok, _, err := s.pw.verify(ctx, pw, stored)
	if err != nil && !errors.Is(err, errBadHash) {
		return err
	}
	if !ok {
		if err := s.thr.fail(ctx, acctKey, ipKey); err != nil {
			return err
		}
		return errWrongPassword(field)
	}
	return nil
}

// ChangePassword replaces a signed-in user's password after checking the
// current one, and ends every other session of theirs (m.SessionID is
// kept), so a session opened with the old password stops working. The
// history records that the password changed, never its values.
func (s *Service) ChangePassword(ctx context.Context, userID int64, oldPw, newPw string, m Meta) error {
	u, err := s.activeUser(ctx, userID)
	if err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	var errs apperr.Fields
	if oldPw == "" {
		errs = append(errs, apperr.Field(FieldOldPassword, "account.field.required"))
	}
	checkPassword(&errs, FieldPassword, newPw, vault.NormalizeEmail(u.Email.Reveal()))
	if err := errs.Err(); err != nil {
		return err
	}
	if err := s.confirmPassword(ctx, u, oldPw, FieldOldPassword, m); err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	hash, err := s.pw.hash(ctx, newPw)
	if err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, now, userID); err != nil {
			return err
		}
		by, sess := actor(m, userID)
		if err := s.recordChange(ctx, tx, nil, userID, by, sess, ChangePassword, "", ""); err != nil {
			return err
		}
		return endSessions(ctx, tx, userID, m.SessionID, now)
	})
	if err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	return nil
}

// RequestPasswordReset issues a password-reset token for the account of
// email, superseding earlier unused ones, and returns the user (to mail
// the link to) and the token. An unknown address gives (nil, "", nil):
// the caller shows the same message either way, so the form reveals
// nothing. Requests count per client IP and per address.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, m Meta) (*User, string, error) {
	email = cleanText(email)
	var errs apperr.Fields
	checkEmail(&errs, FieldEmail, email)
	if err := errs.Err(); err != nil {
		return nil, "", err
	}
	ipKey := s.thr.key(scopeResetIP, m.IP)
	acctKey := s.thr.key(scopeResetAccount, vault.NormalizeEmail(email))
	if err := s.thr.check(ctx, ipKey, acctKey); err != nil {
		return nil, "", err
	}
	// Every request counts, found or not: each one may send a message.
	if err := s.thr.fail(ctx, ipKey, acctKey); err != nil {
		return nil, "", err
	}
	id, err := s.idByEmail(ctx, s.db, email)
	if errors.Is(err, db.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("account: request password reset: %w", err)
	}
	var u *User
	var tok string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var k *vault.UserKey
		var err error
		u, k, err = s.loadUser(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			u = nil // deleted: no link, as for an unknown address
			return nil
		}
		if err := dropUnusedTokens(ctx, tx, id, PurposeResetPassword); err != nil {
			return err
		}
		tok, err = s.issueToken(ctx, tx, k, id, PurposeResetPassword, s.o.ResetTTL, "")
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("account: request password reset: %w", err)
	}
	return u, tok, nil
}

// ResetPassword sets a new password with an emailed reset token and ends
// every session of the user. The link proves control of the mailbox, so
// an unverified address becomes verified. A form mistake does not use up
// the token; the token works once.
func (s *Service) ResetPassword(ctx context.Context, token, newPw string, m Meta) (*User, error) {
	t, err := s.findToken(ctx, s.db, token, PurposeResetPassword, false)
	if err != nil {
		return nil, fmt.Errorf("account: reset password: %w", err)
	}
	u, err := s.Get(ctx, t.userID)
	if err != nil {
		return nil, fmt.Errorf("account: reset password: %w", err)
	}
	if u.Status != StatusActive {
		return nil, errTokenInvalid()
	}
	var errs apperr.Fields
	checkPassword(&errs, FieldPassword, newPw, vault.NormalizeEmail(u.Email.Reveal()))
	if err := errs.Err(); err != nil {
		return nil, err
	}
	hash, err := s.pw.hash(ctx, newPw)
	if err != nil {
		return nil, fmt.Errorf("account: reset password: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		used, err := s.useToken(ctx, tx, token, PurposeResetPassword)
		if err != nil {
			return err
		}
		var k *vault.UserKey
		u, k, err = s.loadUser(ctx, tx, used.userID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return errTokenInvalid()
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ?,
			email_verified_at = CASE WHEN email_verified_at = 0 THEN ? ELSE email_verified_at END WHERE id = ?`,
			hash, now, now, u.ID); err != nil {
			return err
		}
		by, sess := actor(m, u.ID)
		if !u.EmailVerified {
			if err := s.recordChange(ctx, tx, k, u.ID, by, sess, ChangeEmailVerified, "false", "true"); err != nil {
				return err
			}
			u.EmailVerified = true
		}
		if err := s.recordChange(ctx, tx, nil, u.ID, by, sess, ChangePassword, "", ""); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, u.ID, 0, now); err != nil {
			return err
		}
		// The owner proved control of the mailbox: let them sign in now.
		return s.thr.clear(ctx, tx, s.thr.key(scopeLoginAccount, vault.NormalizeEmail(u.Email.Reveal())))
	})
	if err != nil {
		return nil, fmt.Errorf("account: reset password: %w", err)
	}
	return u, nil
}

// RequestEmailChange checks the user's password and the new address and
// returns a token to be mailed to the NEW address; the address changes
// only when that link is followed (ConfirmEmailChange). The new address
// waits sealed in tokens.payload_enc.
func (s *Service) RequestEmailChange(ctx context.Context, userID int64, newEmail, password string, m Meta) (string, error) {
	u, err := s.activeUser(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("account: request email change: %w", err)
	}
	newEmail = cleanText(newEmail)
	var errs apperr.Fields
	checkEmail(&errs, FieldEmail, newEmail)
	if len(errs) == 0 && vault.NormalizeEmail(newEmail) == vault.NormalizeEmail(u.Email.Reveal()) {
		errs = append(errs, apperr.Field(FieldEmail, "account.email.same"))
	}
	if password == "" {
		errs = append(errs, apperr.Field(FieldPassword, "account.field.required"))
	}
	if err := errs.Err(); err != nil {
		return "", err
	}
	if err := s.confirmPassword(ctx, u, password, FieldPassword, m); err != nil {
		return "", fmt.Errorf("account: request email change: %w", err)
	}
	if err := s.emailFree(ctx, s.db, newEmail); err != nil {
		return "", fmt.Errorf("account: request email change: %w", err)
	}
	var tok string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		k, err := s.v.UserKey(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := dropUnusedTokens(ctx, tx, userID, PurposeChangeEmail); err != nil {
			return err
		}
		tok, err = s.issueToken(ctx, tx, k, userID, PurposeChangeEmail, s.o.EmailChangeTTL, newEmail)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("account: request email change: %w", err)
	}
	return tok, nil
}

// ConfirmEmailChange uses an email-change token: the new address replaces
// the old one and counts as verified (the link reached it). The history
// keeps both addresses, sealed, attributed to m's actor or the user. It
// also returns the old address, so the owner can be told there, whoever's
// browser opened the link.
func (s *Service) ConfirmEmailChange(ctx context.Context, token string, m Meta) (*User, vault.Secret, error) {
	var u *User
	var old vault.Secret
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		t, err := s.useToken(ctx, tx, token, PurposeChangeEmail)
		if err != nil {
			return err
		}
		var k *vault.UserKey
		u, k, err = s.loadUser(ctx, tx, t.userID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return errTokenInvalid()
		}
		next, err := k.Open(tokenField(t.id), t.payload)
		if err != nil {
			return err
		}
		newEmail := next.Reveal()
		// Someone may have registered the address since the request.
		if err := s.emailFree(ctx, tx, newEmail); err != nil {
			return err
		}
		now := s.nowMS()
		_, err = tx.Exec(ctx, `UPDATE users SET email_bidx = ?, email_enc = ?, email_verified_at = ?, updated_at = ? WHERE id = ?`,
			s.emailIndex(newEmail), k.Seal(userField("email_enc", u.ID), newEmail), now, now, u.ID)
		if db.IsUniqueViolation(err) {
			return errEmailTaken()
		}
		if err != nil {
			return err
		}
		by, sess := actor(m, u.ID)
		if err := s.recordChange(ctx, tx, k, u.ID, by, sess, ChangeEmail, u.Email.Reveal(), newEmail); err != nil {
			return err
		}
		if !u.EmailVerified {
			if err := s.recordChange(ctx, tx, k, u.ID, by, sess, ChangeEmailVerified, "false", "true"); err != nil {
				return err
			}
		}
		// Links mailed to the old address are of no use any more.
		if err := dropUnusedTokens(ctx, tx, u.ID, PurposeVerifyEmail); err != nil {
			return err
		}
		old = u.Email
		u.Email, u.EmailVerified, u.UpdatedAt = vault.NewSecret(newEmail), true, db.Time(now)
		return nil
	})
	if err != nil {
		return nil, vault.Secret{}, fmt.Errorf("account: confirm email change: %w", err)
	}
	return u, old, nil
}
