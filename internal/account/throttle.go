package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Throttle policy (clause 2.1, rate limits): the first freeFailures
// failures cost nothing; each further one blocks the key for
// 2^(n-freeFailures) seconds, at most maxBlock, so guessing is slowed to a
// crawl but a teacher is never locked out for good. A counter idle for
// resetAfter starts again from zero.
const (
	freeFailures = 5
	// registerFreePerIP is higher: a whole staff room registering at a
	// training session shares one school address behind NAT, and must
	// not be slowed; a bot registering thousands still is.
	registerFreePerIP = 40
	maxBlock          = 15 * time.Minute
	resetAfter        = 24 * time.Hour
)

// Throttle scopes. Each key is the blind index of scope|value, so the
// table holds neither addresses nor IP addresses.
const (
	scopeLoginAccount = "login_account" // normalised address
	scopeLoginIP      = "login_ip"
	scopeLoginDevice  = "login_device" // the nonce of a device cookie (device.go)
	scopeRegisterIP   = "register_ip"
	scopeResetIP      = "reset_ip"
	scopeResetAccount = "reset_account" // normalised address: no mail bombing one inbox from many IPs
	scopeVerifyResend = "verify_resend" // user id: the resend button cannot flood an inbox
)

// throttle counts failures per key in the throttle table.
type throttle struct {
	db  *db.DB
	v   *vault.Vault
	now func() time.Time
}

// key is the stored form of scope|value; an empty value (no client IP
// known) has no key and is not throttled.
func (t *throttle) key(scope, value string) []byte {
	if value == "" {
		return nil
	}
	return t.v.BlindIndex("throttle", scope+"|"+value)
}

// check returns TooMany when any of keys is blocked now.
func (t *throttle) check(ctx context.Context, keys ...[]byte) error {
	now := t.now().UnixMilli()
	for _, k := range keys {
		if k == nil {
			continue
		}
		var until int64
		err := t.db.QueryRow(ctx, `SELECT blocked_until FROM throttle WHERE key = ?`, k).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("account: throttle: %w", err)
		}
		if until > now {
			return apperr.New(apperr.TooMany, "account.throttled")
		}
	}
	return nil
}

// blockFor is how long the n-th failure blocks when the first free cost nothing.
func blockFor(n, free int) time.Duration {
	if n <= free {
		return 0
	}
	exp := n - free
	if exp >= 10 { // 2^10 s already exceeds the cap; avoid shifting far
		return maxBlock
	}
	return min(time.Duration(1<<exp)*time.Second, maxBlock)
}

// fail records one failure on each key.
func (t *throttle) fail(ctx context.Context, keys ...[]byte) error {
	return t.failFree(ctx, freeFailures, keys...)
}

// failFree records one failure on each key, the first free of them costing nothing.
func (t *throttle) failFree(ctx context.Context, free int, keys ...[]byte) error {
	now := t.now()
	nowMS := now.UnixMilli()
	stale := now.Add(-resetAfter).UnixMilli()
	return t.db.InTx(ctx, func(tx *db.Tx) error {
		for _, k := range keys {
			if k == nil {
				continue
			}
			// Insert-if-missing first, so concurrent first failures on
			// PostgreSQL meet on one row that the SELECT … FOR UPDATE locks.
			if _, err := tx.Exec(ctx, `INSERT INTO throttle (key, failures, last_failure, blocked_until)
				VALUES (?, 0, 0, 0) ON CONFLICT (key) DO NOTHING`, k); err != nil {
				return fmt.Errorf("account: throttle: %w", err)
			}
			var n int
			var last int64
			if err := tx.QueryRow(ctx, `SELECT failures, last_failure FROM throttle WHERE key = ?`+db.ForUpdate(tx.Engine()), k).Scan(&n, &last); err != nil {
				return fmt.Errorf("account: throttle: %w", err)
			}
			if last < stale {
				n = 0
			}
			n++
			until := int64(0)
			if d := blockFor(n, free); d > 0 {
				until = now.Add(d).UnixMilli()
			}
			if _, err := tx.Exec(ctx, `UPDATE throttle SET failures = ?, last_failure = ?, blocked_until = ? WHERE key = ?`,
				n, nowMS, until, k); err != nil {
				return fmt.Errorf("account: throttle: %w", err)
			}
		}
		return nil
	})
}

// clear forgets a key's failures (after a successful login).
func (t *throttle) clear(ctx context.Context, q db.Querier, key []byte) error {
	if key == nil {
		return nil
	}
	if _, err := q.Exec(ctx, `DELETE FROM throttle WHERE key = ?`, key); err != nil {
		return fmt.Errorf("account: throttle: %w", err)
	}
	return nil
}

// purge deletes counters idle for longer than resetAfter: they would
// restart from zero anyway.
func (t *throttle) purge(ctx context.Context) (int64, error) {
	res, err := t.db.Exec(ctx, `DELETE FROM throttle WHERE last_failure < ? AND blocked_until < ?`,
		t.now().Add(-resetAfter).UnixMilli(), t.now().UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("account: purge throttle: %w", err)
	}
	return res.RowsAffected()
}
