package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Purposes of emailed single-use tokens.
const (
	PurposeVerifyEmail   = "verify_email"
	PurposeResetPassword = "reset_password"
	PurposeChangeEmail   = "change_email"
)

// randomToken is 32 random bytes, base64url without padding: 256 bits,
// so the token cannot be guessed and its plain SHA-256 is safe to store.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenField(id int64) vault.Field {
	return vault.Field{Table: "tokens", Column: "payload_enc", Row: id}
}

// errTokenInvalid is the answer to an unknown, used or superseded link.
func errTokenInvalid() error { return apperr.New(apperr.Gone, "account.token.invalid") }

// errTokenExpired is the answer to a link past its lifetime.
func errTokenExpired() error { return apperr.New(apperr.Gone, "account.token.expired") }

// issueToken stores a new token for userID inside tx and returns the
// token to be mailed. payload, when not empty, is sealed with k.
func (s *Service) issueToken(ctx context.Context, tx db.Querier, k *vault.UserKey, userID int64, purpose string, ttl time.Duration, payload string) (string, error) {
	tok := randomToken()
	id := db.NewID()
	now := s.now()
	var enc []byte
	if payload != "" {
		enc = k.Seal(tokenField(id), payload)
	}
	_, err := tx.Exec(ctx, `INSERT INTO tokens (id, user_id, purpose, token_hash, created_at, expires_at, used_at, payload_enc)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?)`, id, userID, purpose, vault.TokenHash(tok), now.UnixMilli(), now.Add(ttl).UnixMilli(), enc)
	if err != nil {
		return "", fmt.Errorf("store token: %w", err)
	}
	return tok, nil
}

// dropUnusedTokens removes a user's unused tokens of one purpose, so that
// a newly mailed link supersedes every earlier one.
func dropUnusedTokens(ctx context.Context, tx db.Querier, userID int64, purpose string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM tokens WHERE user_id = ? AND purpose = ? AND used_at = 0`, userID, purpose); err != nil {
		return fmt.Errorf("drop old tokens: %w", err)
	}
	return nil
}

// tokenRow is a stored token.
type tokenRow struct {
	id, userID int64
	payload    []byte
}

// findToken looks a token up and checks that it is usable, without using
// it (so that a form with a mistake can be sent again with the same link).
func (s *Service) findToken(ctx context.Context, q db.Querier, tok, purpose string, lock bool) (*tokenRow, error) {
	if tok == "" {
		return nil, errTokenInvalid()
	}
	query := `SELECT id, user_id, expires_at, used_at, payload_enc FROM tokens WHERE token_hash = ? AND purpose = ?`
	if lock {
		query += db.ForUpdate(q.Engine())
	}
	var r tokenRow
	var expires, used int64
	err := q.QueryRow(ctx, query, vault.TokenHash(tok), purpose).Scan(&r.id, &r.userID, &expires, &used, &r.payload)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, errTokenInvalid()
	case err != nil:
		return nil, fmt.Errorf("find token: %w", err)
	case used != 0:
		return nil, errTokenInvalid()
	case expires <= s.nowMS():
		return nil, errTokenExpired()
	}
	return &r, nil
}

// useToken finds a usable token and marks it used inside tx, so it works
// once: a second use (or a concurrent one) meets used_at already set.
func (s *Service) useToken(ctx context.Context, tx db.Querier, tok, purpose string) (*tokenRow, error) {
	r, err := s.findToken(ctx, tx, tok, purpose, true)
	if err != nil {
		return nil, err
	}
	res, err := tx.Exec(ctx, `UPDATE tokens SET used_at = ? WHERE id = ? AND used_at = 0`, s.nowMS(), r.id)
	if err != nil {
		return nil, fmt.Errorf("use token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, errTokenInvalid()
	}
	return r, nil
}
