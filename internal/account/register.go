package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// errEmailTaken is the answer when an address (in any letter case) is
// already registered.
func errEmailTaken() error {
	return &apperr.Error{Code: apperr.Conflict, Field: FieldEmail, Key: "account.email.taken"}
}

// IsEmailTaken reports whether err says that the address is already
// registered (Register, email changes).
func IsEmailTaken(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.Conflict && e.Key == "account.email.taken"
}

// newUser is what insertUser stores.
type newUser struct {
	email      string
	profile    Profile
	hash       string
	role       Role
	locale     string
	verifiedAt int64
}

// insertUser creates the user row and their data key inside tx, sealing
// every personal field under that key (clause 1.3).
func (s *Service) insertUser(ctx context.Context, tx db.Querier, n newUser) (*User, *vault.UserKey, error) {
	id := db.NewID()
	k, err := s.v.NewUserKey(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	vals := [6]string{n.email, n.profile.FullName, n.profile.Organization, n.profile.Position, n.profile.Region, n.profile.Phone}
	var enc [6][]byte
	for i, col := range profileColumns {
		enc[i] = k.Seal(userField(col, id), vals[i])
	}
	now := s.nowMS()
	_, err = tx.Exec(ctx, `INSERT INTO users (id, role, status, email_bidx, email_enc, full_name_enc, organization_enc,
		position_enc, region_enc, phone_enc, password_hash, locale, email_verified_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, string(n.role), StatusActive, s.emailIndex(n.email), enc[0], enc[1], enc[2], enc[3], enc[4], enc[5],
		n.hash, n.locale, n.verifiedAt, now, now)
	if db.IsUniqueViolation(err) {
		return nil, nil, errEmailTaken()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("insert user: %w", err)
	}
	u := &User{
		ID: id, Role: n.role, Status: StatusActive, Locale: n.locale, EmailVerified: n.verifiedAt != 0,
		CreatedAt: db.Time(now), UpdatedAt: db.Time(now),
		Email: vault.NewSecret(n.email), FullName: vault.NewSecret(n.profile.FullName),
		Organization: vault.NewSecret(n.profile.Organization), Position: vault.NewSecret(n.profile.Position),
		Region: vault.NewSecret(n.profile.Region), Phone: vault.NewSecret(n.profile.Phone),
	}
	return u, k, nil
}

// emailFree returns errEmailTaken when the address is registered.
func (s *Service) emailFree(ctx context.Context, q db.Querier, email string) error {
	_, err := s.idByEmail(ctx, q, email)
	switch {
	case err == nil:
		return errEmailTaken()
	case errors.Is(err, db.ErrNotFound):
		return nil
	default:
		return err
	}
}

// Register validates in and creates a user (role user, address not yet
// verified) with their own data key. onCreate, when not nil, runs inside
// the same transaction (the consent package records the acceptance there,
// clause P.3), so either both are stored or neither. It returns the
// email-verification token to be mailed as a link.
//
// Validation failures come back as apperr.Fields and write nothing; an
// address already registered in any letter case is apperr Conflict on
// field "email" (IsEmailTaken), after the same hashing work as a new
// account, so that the time taken does not tell the two apart. Attempts
// that pass validation count against the client IP's registration
// throttle.
func (s *Service) Register(ctx context.Context, in RegisterInput, m Meta, onCreate func(ctx context.Context, tx *db.Tx, u *User, key *vault.UserKey) error) (*User, string, error) {
	ipKey := s.thr.key(scopeRegisterIP, m.IP)
	if err := s.thr.check(ctx, ipKey); err != nil {
		return nil, "", err
	}
	email := cleanText(in.Email)
	p := Profile{FullName: in.FullName, Organization: in.Organization, Position: in.Position, Region: in.Region, Phone: in.Phone}.clean()
	var errs apperr.Fields
	checkEmail(&errs, FieldEmail, email)
	checkPassword(&errs, FieldPassword, in.Password, vault.NormalizeEmail(email))
	p.check(&errs)
	if !in.Accept {
		errs = append(errs, apperr.Field(FieldAccept, "account.accept.required"))
	}
	if err := errs.Err(); err != nil {
		return nil, "", err
	}
	locale := i18n.Default
	if l, ok := i18n.Parse(in.Locale); ok {
		locale = l
	}
	// From here the attempt either creates an account or probes whether an
	// address is registered: both are what a bot does in bulk.
	if err := s.thr.failFree(ctx, registerFreePerIP, ipKey); err != nil {
		return nil, "", err
	}
	// Hashed before the address is looked up: a taken address costs the
	// same argon2 work as a new one.
	hash, err := s.pw.hash(ctx, in.Password)
	if err != nil {
		return nil, "", fmt.Errorf("account: register: %w", err)
	}
	if err := s.emailFree(ctx, s.db, email); err != nil {
		return nil, "", fmt.Errorf("account: register: %w", err)
	}
	var u *User
	var tok string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var k *vault.UserKey
		var err error
		u, k, err = s.insertUser(ctx, tx, newUser{email: email, profile: p, hash: hash, role: RoleUser, locale: string(locale)})
		if err != nil {
			return err
		}
		tok, err = s.issueToken(ctx, tx, k, u.ID, PurposeVerifyEmail, s.o.VerifyTTL, email)
		if err != nil {
			return err
		}
		if onCreate != nil {
			return onCreate(ctx, tx, u, k)
		}
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("account: register: %w", err)
	}
	return u, tok, nil
}

// VerifyEmail uses an emailed verification token and marks the address
// verified. The token is bound to the address it was mailed to: after an
// address change an old link no longer verifies the new address.
func (s *Service) VerifyEmail(ctx context.Context, token string) (*User, error) {
	var u *User
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		t, err := s.useToken(ctx, tx, token, PurposeVerifyEmail)
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
		sentTo, err := k.Open(tokenField(t.id), t.payload)
		if err != nil {
			return err
		}
		if vault.NormalizeEmail(sentTo.Reveal()) != vault.NormalizeEmail(u.Email.Reveal()) {
			return errTokenInvalid()
		}
		if u.EmailVerified {
			return nil
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `UPDATE users SET email_verified_at = ?, updated_at = ? WHERE id = ?`, now, now, u.ID); err != nil {
			return err
		}
		u.EmailVerified, u.UpdatedAt = true, db.Time(now)
		// The link proves control of the mailbox, which is the user's own
		// credential (clause 2.2): the change is theirs.
		return s.recordChange(ctx, tx, k, u.ID, u.ID, 0, ChangeEmailVerified, "false", "true")
	})
	if err != nil {
		return nil, fmt.Errorf("account: verify email: %w", err)
	}
	return u, nil
}

// NewVerification issues a fresh verification token for a user whose
// address is not verified yet; earlier unused ones stop working.
func (s *Service) NewVerification(ctx context.Context, userID int64) (string, error) {
	// Registration signs the teacher in, so the resend button is one
	// click away for whoever typed any address: each press counts, the
	// first few free, so it cannot be used to flood someone's inbox.
	key := s.thr.key(scopeVerifyResend, strconv.FormatInt(userID, 10))
	if err := s.thr.check(ctx, key); err != nil {
		return "", err
	}
	if err := s.thr.fail(ctx, key); err != nil {
		return "", err
	}
	var tok string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, k, err := s.loadUser(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return apperr.New(apperr.Gone, "account.deleted")
		}
		if u.EmailVerified {
			return apperr.New(apperr.Conflict, "account.email.already_verified")
		}
		if err := dropUnusedTokens(ctx, tx, userID, PurposeVerifyEmail); err != nil {
			return err
		}
		tok, err = s.issueToken(ctx, tx, k, userID, PurposeVerifyEmail, s.o.VerifyTTL, u.Email.Reveal())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("account: new verification: %w", err)
	}
	return tok, nil
}

// CreateAdmin makes a verified administrator, for the operator's console.
// If the address is registered, that user is promoted to administrator
// and given the password instead. The history records these changes with
// actor 0 (the operator, not a signed-in user); the audit log records the
// administrator in the same transaction, and every first-administrator
// link stops working.
func (s *Service) CreateAdmin(ctx context.Context, email, password, fullName string) (*User, error) {
	in, err := s.adminInput(ctx, email, password, fullName)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if u, err = s.createAdminTx(ctx, tx, in); err != nil {
			return err
		}
		if err := dropSetupLinks(ctx, tx); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{Action: audit.ActionAdminCreate, TargetUserID: u.ID, Detail: "command line"})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: create admin: %w", err)
	}
	return u, nil
}

// adminInput is an administrator's details, checked, with the password hashed.
type adminInput struct {
	email string
	p     Profile
	hash  string
}

// adminInput checks the details and hashes the password, before any
// transaction: argon2 takes long, and a transaction holds locks.
func (s *Service) adminInput(ctx context.Context, email, password, fullName string) (adminInput, error) {
	email = cleanText(email)
	p := Profile{FullName: fullName}.clean()
	var errs apperr.Fields
	checkEmail(&errs, FieldEmail, email)
	checkPassword(&errs, FieldPassword, password, vault.NormalizeEmail(email))
	checkText(&errs, FieldFullName, p.FullName, true, maxName)
	if err := errs.Err(); err != nil {
		return adminInput{}, err
	}
	hash, err := s.pw.hash(ctx, password)
	if err != nil {
		return adminInput{}, fmt.Errorf("account: create admin: %w", err)
	}
	return adminInput{email: email, p: p, hash: hash}, nil
}

// createAdminTx makes in's administrator inside tx, or promotes the user
// who has the address.
func (s *Service) createAdminTx(ctx context.Context, tx *db.Tx, in adminInput) (*User, error) {
	id, err := s.idByEmail(ctx, tx, in.email)
	if errors.Is(err, db.ErrNotFound) {
		u, _, err := s.insertUser(ctx, tx, newUser{email: in.email, profile: in.p, hash: in.hash, role: RoleAdmin,
			locale: string(i18n.Default), verifiedAt: s.nowMS()})
		return u, err
	}
	if err != nil {
		return nil, err
	}
	u, k, err := s.loadUser(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	now := s.nowMS()
	if _, err := tx.Exec(ctx, `UPDATE users SET role = ?, password_hash = ?, updated_at = ?,
		email_verified_at = CASE WHEN email_verified_at = 0 THEN ? ELSE email_verified_at END WHERE id = ?`,
		string(RoleAdmin), in.hash, now, now, id); err != nil {
		return nil, err
	}
	if u.Role != RoleAdmin {
		if err := s.recordChange(ctx, tx, k, id, 0, 0, ChangeRole, string(u.Role), string(RoleAdmin)); err != nil {
			return nil, err
		}
	}
	if !u.EmailVerified {
		if err := s.recordChange(ctx, tx, k, id, 0, 0, ChangeEmailVerified, "false", "true"); err != nil {
			return nil, err
		}
	}
	u.Role, u.EmailVerified, u.UpdatedAt = RoleAdmin, true, db.Time(now)
	return u, s.recordChange(ctx, tx, nil, id, 0, 0, ChangePassword, "", "")
}
