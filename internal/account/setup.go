package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// A fresh install has no administrator, so `serve` prints a link that
// creates the first one. Every node that starts before an administrator
// exists adds a link of its own, and each works until an administrator is
// created (by any link or by `admin create`), which removes them all.
// The hashes of the links live in one settings row, space-separated: one
// row to lock makes the check, the creation and the removal one
// transaction that a concurrent use of any link waits for.

// setupLinksKey is the settings row holding the links' hashes.
const setupLinksKey = "setup_token_hash"

// maxSetupLinks bounds the row: the oldest links stop working beyond it.
const maxSetupLinks = 32

// ErrSetupLink means a first-administrator link is unknown, used, or no
// longer needed because an administrator exists.
var ErrSetupLink = errors.New("account: first-administrator link not valid")

// NewSetupLink returns a new first-administrator link token while the site
// has no administrator, and "" once it has one. Earlier links keep working.
func (s *Service) NewSetupLink(ctx context.Context) (string, error) {
	var b [32]byte
	rand.Read(b[:])
	token := base64.RawURLEncoding.EncodeToString(b[:])
	h := hex.EncodeToString(vault.TokenHash(token))
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := countAdmins(ctx, tx)
		if err != nil {
			return err
		}
		if n > 0 {
			token = ""
			return dropSetupLinks(ctx, tx)
		}
		// One statement, so nodes starting at once each add theirs.
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = settings.value || ' ' || excluded.value`, setupLinksKey, h); err != nil {
			return err
		}
		hashes, _, err := setupLinks(ctx, tx, false)
		if err != nil || len(hashes) <= maxSetupLinks {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE settings SET value = ? WHERE key = ?`,
			strings.Join(hashes[len(hashes)-maxSetupLinks:], " "), setupLinksKey)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("account: new setup link: %w", err)
	}
	return token, nil
}

// setupLinks reads the links' hashes, locking the row when lock is set.
func setupLinks(ctx context.Context, q db.Querier, lock bool) ([]string, bool, error) {
	var v string
	suffix := ""
	if lock {
		suffix = db.ForUpdate(q.Engine())
	}
	err := q.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`+suffix, setupLinksKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return strings.Fields(v), true, nil
}

func dropSetupLinks(ctx context.Context, tx *db.Tx) error {
	_, err := tx.Exec(ctx, `DELETE FROM settings WHERE key = ?`, setupLinksKey)
	return err
}

// setupLinkIn reports whether token is one of the links.
func setupLinkIn(hashes []string, token string) bool {
	if token == "" {
		return false
	}
	got := []byte(hex.EncodeToString(vault.TokenHash(token)))
	found := 0
	for _, h := range hashes {
		found |= subtle.ConstantTimeCompare([]byte(h), got)
	}
	return found == 1
}

// SetupLinkValid reports whether token is a first-administrator link that
// still works, to show the form; CreateFirstAdmin checks again.
func (s *Service) SetupLinkValid(ctx context.Context, token string) (bool, error) {
	hashes, _, err := setupLinks(ctx, s.db, false)
	if err != nil {
		return false, fmt.Errorf("account: setup link: %w", err)
	}
	return setupLinkIn(hashes, token), nil
}

// CreateFirstAdmin creates the first administrator through a link from
// NewSetupLink. The link's check, the account, the removal of every link
// and the audit entry are one transaction, which locks the links' row: of
// two requests at once, with the same link or two, one creates the
// administrator and the other gets ErrSetupLink.
func (s *Service) CreateFirstAdmin(ctx context.Context, token, email, password, fullName string) (*User, error) {
	// A cheap look first, so an unknown link costs no argon2 hash.
	if ok, err := s.SetupLinkValid(ctx, token); err != nil || !ok {
		if err == nil {
			err = ErrSetupLink
		}
		return nil, err
	}
	in, err := s.adminInput(ctx, email, password, fullName)
	if err != nil {
		return nil, err
	}
	var u *User
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		hashes, _, err := setupLinks(ctx, tx, true)
		if err != nil {
			return err
		}
		if !setupLinkIn(hashes, token) {
			return ErrSetupLink
		}
		// An administrator made some other way (a role change on an older
		// install) also ends the links.
		if n, err := countAdmins(ctx, tx); err != nil || n > 0 {
			if err == nil {
				err = ErrSetupLink
			}
			return err
		}
		if u, err = s.createAdminTx(ctx, tx, in); err != nil {
			return err
		}
		if err := dropSetupLinks(ctx, tx); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: u.ID, Action: audit.ActionAdminCreate,
			TargetUserID: u.ID, Detail: "first administrator, setup link"})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("account: create first admin: %w", err)
	}
	return u, nil
}
