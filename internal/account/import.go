package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/passhash"
)

// ImportRecord is one user brought over from another site's database
// (clause 1.2 (b)). Only Email is required.
type ImportRecord struct {
	Email   string
	Profile Profile
	// PasswordHash is the other site's hash, stored as it is and checked
	// at login; "" means the user sets a password through a reset link.
	PasswordHash string
}

// ImportOutcome is what happened to one ImportRecord.
type ImportOutcome uint8

// Outcomes of ImportUsersTx.
const (
	ImportCreated ImportOutcome = iota + 1
	ImportUpdated
	ImportSkipped // the address is registered already (or twice in one batch)
)

// ImportResult is the outcome of one record, with the user it concerns.
type ImportResult struct {
	UserID  int64
	Outcome ImportOutcome
}

// CheckImport cleans rec in place (trimmed, NFC, exactly as registration
// cleans its form) and validates it as registration would, except that
// only the address is required: the other site may not have asked for a
// name. Failures are apperr.Fields naming the field, never the value.
func CheckImport(rec *ImportRecord) error {
	rec.Email = cleanText(rec.Email)
	rec.Profile = rec.Profile.clean()
	rec.PasswordHash = strings.TrimSpace(rec.PasswordHash)
	var errs apperr.Fields
	checkEmail(&errs, FieldEmail, rec.Email)
	p := rec.Profile
	checkText(&errs, FieldFullName, p.FullName, false, maxName)
	checkText(&errs, FieldOrganization, p.Organization, false, maxName)
	checkText(&errs, FieldPosition, p.Position, false, maxShort)
	checkText(&errs, FieldRegion, p.Region, false, maxShort)
	checkPhone(&errs, p.Phone)
	if rec.PasswordHash != "" && !ImportableHash(rec.PasswordHash) {
		errs = append(errs, apperr.Field(FieldPassword, "import.reason.hash_unknown"))
	}
	return errs.Err()
}

// ImportableHash reports whether h is a password hash this site can
// verify at login for an imported user (internal/passhash: bcrypt,
// argon2, Django PBKDF2, phpass, crypt(3) MD5/SHA, hex digests); a hash
// in any other format, or with costs over passhash's caps, is a bad row.
func ImportableHash(h string) bool { return passhash.Known(h) }

// ImportUsersTx writes checked records (see CheckImport) inside tx: each
// new address becomes an active user of role user, with their own data
// key and every personal field sealed exactly as Register seals it
// (insertUser's columns and associated data; clause 1.3), found by the
// same blind index of the normalised address. An address already
// registered, in any letter case or Unicode form, is skipped, or with
// update its profile fields that the record fills are replaced (and
// recorded in the profile history as the operator's change), and its
// password hash is set only if it has none: a password chosen on this
// site is never overwritten by an old one. A second record of the same
// address in recs is skipped. The writes of a batch are multi-row
// statements, so a million users do not cost millions of round trips.
func (s *Service) ImportUsersTx(ctx context.Context, tx *db.Tx, recs []ImportRecord, update bool) ([]ImportResult, error) {
	out := make([]ImportResult, len(recs))
	if len(recs) == 0 {
		return out, nil
	}
	bidx := make([][]byte, len(recs))
	for i := range recs {
		bidx[i] = s.emailIndex(recs[i].Email)
	}
	existing, err := s.idsByIndex(ctx, tx, bidx)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(recs))
	var fresh []int
	for i := range recs {
		k := string(bidx[i])
		if id, ok := existing[k]; ok {
			if update && !seen[k] {
				if err := s.importUpdate(ctx, tx, id, recs[i]); err != nil {
					return nil, err
				}
				out[i] = ImportResult{UserID: id, Outcome: ImportUpdated}
			} else {
				out[i] = ImportResult{UserID: id, Outcome: ImportSkipped}
			}
			seen[k] = true
			continue
		}
		if seen[k] {
			out[i] = ImportResult{Outcome: ImportSkipped}
			continue
		}
		seen[k] = true
		fresh = append(fresh, i)
	}
	if len(fresh) == 0 {
		return out, nil
	}
	ids := make([]int64, len(fresh))
	for j := range fresh {
		ids[j] = db.NewID()
	}
	keys, err := s.v.NewUserKeys(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	now := s.nowMS()
	var q strings.Builder
	q.WriteString(`INSERT INTO users (id, role, status, email_bidx, email_enc, full_name_enc, organization_enc,
		position_enc, region_enc, phone_enc, password_hash, locale, email_verified_at, created_at, updated_at) VALUES `)
	args := make([]any, 0, 15*len(fresh))
	for j, i := range fresh {
		r := recs[i]
		id, k := ids[j], keys[j]
		vals := [6]string{r.Email, r.Profile.FullName, r.Profile.Organization, r.Profile.Position, r.Profile.Region, r.Profile.Phone}
		if j > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, id, string(RoleUser), StatusActive, bidx[i])
		for c, col := range profileColumns {
			args = append(args, k.Seal(userField(col, id), vals[c]))
		}
		// The address is not verified here: the other site's say-so is
		// not proof that the person still reads that mailbox.
		args = append(args, r.PasswordHash, string(i18n.Default), int64(0), now, now)
		out[i] = ImportResult{UserID: id, Outcome: ImportCreated}
	}
	if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errEmailTaken()
		}
		return nil, fmt.Errorf("account: import users: %w", err)
	}
	return out, nil
}

// idsByIndex maps each blind index of bidx that is registered to its user.
func (s *Service) idsByIndex(ctx context.Context, q db.Querier, bidx [][]byte) (map[string]int64, error) {
	var b strings.Builder
	b.WriteString(`SELECT id, email_bidx FROM users WHERE email_bidx IN (`)
	args := make([]any, len(bidx))
	for i, x := range bidx {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		args[i] = x
	}
	b.WriteByte(')')
	rows, err := q.Query(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("account: import lookup: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var x []byte
		if err := rows.Scan(&id, &x); err != nil {
			return nil, fmt.Errorf("account: import lookup: %w", err)
		}
		out[string(x)] = id
	}
	return out, rows.Err()
}

// importUpdate replaces the profile fields r fills for user id, one
// history entry per changed field (actor 0: the operator), and sets the
// password hash only when the account has none.
func (s *Service) importUpdate(ctx context.Context, tx *db.Tx, id int64, r ImportRecord) error {
	u, k, err := s.loadUser(ctx, tx, id, true)
	if err != nil {
		return fmt.Errorf("account: import update: %w", err)
	}
	if u.Status != StatusActive || k == nil {
		return nil // a deleted account stays deleted
	}
	old := [5]string{u.FullName.Reveal(), u.Organization.Reveal(), u.Position.Reveal(), u.Region.Reveal(), u.Phone.Reveal()}
	now := s.nowMS()
	for c, v := range r.Profile.values() {
		if v == "" || v == old[c] {
			continue
		}
		col := profileColumns[c+1]
		if _, err := tx.Exec(ctx, `UPDATE users SET `+col+` = ?, updated_at = ? WHERE id = ?`,
			k.Seal(userField(col, id), v), now, id); err != nil {
			return fmt.Errorf("account: import update: %w", err)
		}
		if err := s.recordChange(ctx, tx, k, id, 0, 0, profileFields[c], old[c], v); err != nil {
			return err
		}
	}
	if r.PasswordHash != "" {
		res, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ''`, r.PasswordHash, now, id)
		if err != nil {
			return fmt.Errorf("account: import update: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return s.recordChange(ctx, tx, nil, id, 0, 0, ChangePassword, "", "")
		}
	}
	return nil
}

// IsImportConflict reports the error ImportUsersTx returns when another
// writer registered one of the batch's addresses (or two new users drew
// the same id) while it ran: the batch was rolled back and can be
// written again, when the lookup finds those addresses taken.
func IsImportConflict(err error) bool {
	return IsEmailTaken(err) || db.IsUniqueViolation(err)
}

// InviteTTL is how long the link in an imported user's invitation works:
// longer than a reset link, as people read such a letter days later.
const InviteTTL = 14 * 24 * time.Hour

// Invitation issues the link that lets imported user id set a password
// (the reset link, with InviteTTL; earlier unused ones stop working) and
// returns the user, whose address it is to be mailed to. A deleted user
// gives apperr Gone.
func (s *Service) Invitation(ctx context.Context, id int64) (*User, string, error) {
	var u *User
	var tok string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		u, tok, err = s.InvitationTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, tok, nil
}

// InvitationTx is Invitation inside the caller's transaction: the import
// writes the link and the letter that carries it (the mail queue's
// SendTx) together, so a page of invitations interrupted leaves neither.
func (s *Service) InvitationTx(ctx context.Context, tx *db.Tx, id int64) (*User, string, error) {
	u, k, err := s.loadUser(ctx, tx, id, true)
	if err != nil {
		return nil, "", fmt.Errorf("account: invitation: %w", err)
	}
	if u.Status != StatusActive {
		return nil, "", fmt.Errorf("account: invitation: %w", apperr.New(apperr.Gone, "account.deleted"))
	}
	if err := dropUnusedTokens(ctx, tx, id, PurposeResetPassword); err != nil {
		return nil, "", fmt.Errorf("account: invitation: %w", err)
	}
	tok, err := s.issueToken(ctx, tx, k, id, PurposeResetPassword, InviteTTL, "")
	if err != nil {
		return nil, "", fmt.Errorf("account: invitation: %w", err)
	}
	return u, tok, nil
}

// Registered reports, for each address of emails, whether it is taken:
// registered already, or earlier in the list (a dry run's count of what
// an import would skip). Nothing is written.
func (s *Service) Registered(ctx context.Context, emails []string) ([]bool, error) {
	bidx := make([][]byte, len(emails))
	for i, e := range emails {
		bidx[i] = s.emailIndex(e)
	}
	existing, err := s.idsByIndex(ctx, s.db, bidx)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(emails))
	seen := make(map[string]bool, len(emails))
	for i, x := range bidx {
		_, taken := existing[string(x)]
		out[i] = taken || seen[string(x)]
		seen[string(x)] = true
	}
	return out, nil
}
