package consent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The term of a consent (law L3: a consent lasts no longer than its
// purpose needs). The operator sets it in days on /admin/privacy; it is a
// settings row, so every node counts with the same number. 0 means no
// end: the documents' purposes last as long as the account, which is
// what the site was before the setting existed.

// termKey is the settings row of the term, in days.
const termKey = "consent.term_days"

// MaxTermDays bounds the setting: ten years.
const MaxTermDays = 3650

// Day is the unit of the term.
const Day = 24 * time.Hour

// Term returns the consent's term in days (0: no end).
func (s *Service) Term(ctx context.Context) (int, error) {
	var v string
	err := s.db.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, termKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("consent: term: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("consent: term: stored value %q is not a number of days", v)
	}
	return n, nil
}

// ParseTerm reads the term typed on /admin/privacy: a whole number of
// days from 0 (no end) to MaxTermDays; an empty field is 0.
func ParseTerm(text string) (int, error) {
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 0 || n > MaxTermDays {
		return 0, apperr.Field("term", "control.term.bad", MaxTermDays)
	}
	return n, nil
}

// SetTerm stores the term (days, 0 = no end), audited as a settings
// change of administrator by in the same transaction.
func (s *Service) SetTerm(ctx context.Context, days int, by, session int64) error {
	if days < 0 || days > MaxTermDays {
		return apperr.Field("term", "control.term.bad", MaxTermDays)
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			termKey, strconv.Itoa(days)); err != nil {
			return err
		}
		_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionSettingsChange,
			Detail: "consent term " + strconv.Itoa(days) + " days"})
		return err
	})
	if err != nil {
		return fmt.Errorf("consent: set term: %w", err)
	}
	return nil
}

// Consented is when a user's consent to the documents in force was last
// given: the earlier of the latest acceptances of the two documents.
type Consented struct {
	UserID int64
	At     time.Time
}

// ConsentedAt returns when userID last consented to both documents in
// force; ok is false when one of them is not accepted now (never, or
// withdrawn).
func (s *Service) ConsentedAt(ctx context.Context, userID int64) (at time.Time, ok bool, err error) {
	agreement, privacy, err := s.Current(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	list, err := s.consented(ctx, agreement.ID, privacy.ID, `AND user_id = ?`, userID)
	if err != nil || len(list) == 0 {
		return time.Time{}, false, err
	}
	return list[0].At, true, nil
}

// ConsentedBefore lists, by user id after afterID, up to limit users
// whose consent to both documents in force was given at or before cutoff (the
// consent-term job: those whose term is ending or ended).
func (s *Service) ConsentedBefore(ctx context.Context, cutoff time.Time, afterID int64, limit int) ([]Consented, error) {
	agreement, privacy, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	return s.consented(ctx, agreement.ID, privacy.ID, `AND user_id > ?`, afterID, cutoff.UnixMilli(), limit)
}

// consented groups the acceptance rows of the two documents per user:
// a document counts when its latest acceptance is later than its latest
// withdrawal; both must count. args: the filter's argument, then (with
// ConsentedBefore) the cutoff and the limit.
func (s *Service) consented(ctx context.Context, agreementID, privacyID int64, filter string, args ...any) ([]Consented, error) {
	q := `SELECT user_id, MIN(acc) FROM (
			SELECT user_id, document_id,
				MAX(CASE WHEN method <> ? THEN at ELSE 0 END) AS acc,
				MAX(CASE WHEN method = ? THEN at ELSE 0 END) AS wd
			FROM acceptances WHERE document_id IN (?, ?) ` + filter + `
			GROUP BY user_id, document_id) x
		WHERE acc > wd GROUP BY user_id HAVING COUNT(*) = 2`
	all := []any{MethodWithdrawal, MethodWithdrawal, agreementID, privacyID, args[0]}
	if len(args) == 3 {
		q += ` AND MIN(acc) <= ? ORDER BY user_id LIMIT ?`
		all = append(all, args[1], args[2])
	}
	rows, err := s.db.Query(ctx, q, all...)
	if err != nil {
		return nil, fmt.Errorf("consent: consented: %w", err)
	}
	defer rows.Close()
	var out []Consented
	for rows.Next() {
		var c Consented
		var at int64
		if err := rows.Scan(&c.UserID, &at); err != nil {
			return nil, fmt.Errorf("consent: consented: %w", err)
		}
		c.At = db.Time(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// WithdrawTx records, inside tx, that userID withdraws their consent to
// both documents in force: one row per document with MethodWithdrawal
// (sealed address and browser, as an acceptance), so the history stays
// whole and a receipt can be issued for it (law L4). It returns the rows'
// ids. key is the user's data key.
func (s *Service) WithdrawTx(ctx context.Context, tx *db.Tx, key *vault.UserKey, userID int64, m Meta) ([]int64, error) {
	if key == nil || key.Owner() != userID {
		return nil, ErrWrongKey
	}
	var ids []int64
	for _, kind := range Kinds {
		d, err := current(ctx, tx, kind)
		if err != nil {
			return nil, fmt.Errorf("consent: withdraw: %w", err)
		}
		last, err := lastMethod(ctx, tx, userID, d.ID)
		if err != nil {
			return nil, fmt.Errorf("consent: withdraw: %w", err)
		}
		if last == "" || last == MethodWithdrawal {
			continue // nothing in force to withdraw
		}
		id := db.NewID()
		if err := insertAcceptanceID(ctx, tx, key, id, userID, d.ID, d.Hash, MethodWithdrawal, m); err != nil {
			return nil, fmt.Errorf("consent: withdraw: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
