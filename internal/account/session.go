package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// lastSeenEvery is how often Authenticate writes last_seen_at (and slides
// the expiry): at most once a minute, so reading pages does not turn
// every request into a database write.
const lastSeenEvery = time.Minute

// maxUserAgent bounds the stored browser string.
const maxUserAgent = 512

func sessionField(column string, id int64) vault.Field {
	return vault.Field{Table: "sessions", Column: column, Row: id}
}

// errSessionInvalid is the answer to a missing, ended or expired session.
func errSessionInvalid() error { return apperr.New(apperr.Unauthorized, "account.session.invalid") }

// Login checks an address and password and opens a new session, returning
// its token (to be set as a cookie; only its hash is stored). Every
// failure — wrong password, unknown address, deleted account — is the
// same apperr Unauthorized "account.login.failed" after the same argon2
// work, so a login reveals nothing about which addresses are registered.
// Unverified users may sign in (the web shows a banner). Failures count
// per device cookie from a browser that has signed in to the account
// before (m.Device, see TrustDevice), otherwise per account and per
// client IP; a throttled attempt is apperr TooMany and does not even run
// the hash.
func (s *Service) Login(ctx context.Context, email, password string, m Meta) (*User, *Session, string, error) {
	norm := vault.NormalizeEmail(email)
	var id int64
	var stored, status string
	err := s.db.QueryRow(ctx, `SELECT id, password_hash, status FROM users WHERE email_bidx = ?`,
		s.v.BlindIndex("email", norm)).Scan(&id, &stored, &status)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, "", fmt.Errorf("account: login: %w", err)
	}
	found := err == nil && status == StatusActive
	if !found {
		id, stored = 0, s.dummy
	}
	keys := s.loginKeys(id, norm, m)
	if err := s.thr.check(ctx, keys...); err != nil {
		return nil, nil, "", err
	}
	ok, rehash, err := s.pw.verify(ctx, password, stored)
	if errors.Is(err, errBadHash) {
		// An unusable stored hash is a failed login, after the same work.
		// An empty one is a user imported without a password (they set
		// one through the reset link); anything else is a hash the
		// importer should not have let in, worth the operator's eye. The
		// line names the user by id only, never the hash.
		if found && stored != "" {
			s.log.Load().Warn("account: login refused: the stored password hash is of no accepted format; the user can set a new password through the reset link",
				"user_id", id)
		}
		_, _, err = s.pw.verify(ctx, password, s.dummy)
		ok = false
	}
	if err != nil {
		return nil, nil, "", fmt.Errorf("account: login: %w", err)
	}
	if !found || !ok {
		if err := s.thr.fail(ctx, keys...); err != nil {
			return nil, nil, "", err
		}
		return nil, nil, "", errLoginFailed()
	}
	newHash := ""
	if rehash {
		// The parameters were raised since this hash was made, or it is
		// an imported user's hash of another system (clause 1.2 (b)):
		// replace it with argon2id now that the password is known to be
		// right, in the transaction that opens the session.
		if newHash, err = s.pw.hash(ctx, password); err != nil {
			return nil, nil, "", fmt.Errorf("account: login: %w", err)
		}
	}
	var u *User
	var sess *Session
	var tok string
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var k *vault.UserKey
		var err error
		u, k, err = s.loadUser(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if u.Status != StatusActive { // deleted between the check and now
			return errLoginFailed()
		}
		if newHash != "" {
			if err := s.upgradeHash(ctx, tx, id, password, stored, newHash); err != nil {
				return err
			}
		}
		// A success clears the account's counter and the device's, not
		// the IP's: otherwise an attacker could reset their IP counter
		// with an account of their own.
		if err := s.thr.clear(ctx, tx, s.thr.key(scopeLoginAccount, norm)); err != nil {
			return err
		}
		if err := s.thr.clear(ctx, tx, s.thr.key(scopeLoginDevice, s.deviceNonce(id, m.Device))); err != nil {
			return err
		}
		sess, tok, err = s.openSession(ctx, tx, k, id, m)
		return err
	})
	if err != nil {
		return nil, nil, "", fmt.Errorf("account: login: %w", err)
	}
	return u, sess, tok, nil
}

// upgradeHash replaces the stored hash the password was checked against
// (old) with newHash, only if it is still the stored one: a password reset
// or change that committed since the check must not be undone by it, nor
// let the old password open a session. If the hash changed, the login
// goes on only when the password matches the hash as it now stands (a
// second login of the same user upgraded it first, say).
func (s *Service) upgradeHash(ctx context.Context, tx *db.Tx, id int64, password, old, newHash string) error {
	res, err := tx.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, newHash, id, old)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var now string
	if err := tx.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&now); err != nil {
		return err
	}
	ok, _, err := s.pw.verify(ctx, password, now)
	if err != nil && !errors.Is(err, errBadHash) {
		return err
	}
	if !ok {
		return errLoginFailed()
	}
	return nil
}

// openSession stores a new session with a fresh token (a new one at every
// login, so a token seen before login is worthless after it) and the
// client's IP and browser sealed (clause 1.2 c, 1.3).
func (s *Service) openSession(ctx context.Context, tx db.Querier, k *vault.UserKey, userID int64, m Meta) (*Session, string, error) {
	tok := randomToken()
	id := db.NewID()
	now := s.now()
	ip := strings.TrimSpace(strings.ToValidUTF8(m.IP, ""))
	ua := strings.ToValidUTF8(m.UserAgent, "")
	if len(ua) > maxUserAgent {
		ua = strings.ToValidUTF8(ua[:maxUserAgent], "")
	}
	exp := now.Add(s.o.SessionTTL)
	_, err := tx.Exec(ctx, `INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at, revoked_at, ip_enc, ua_enc)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`, id, userID, vault.TokenHash(tok), now.UnixMilli(), now.UnixMilli(), exp.UnixMilli(),
		k.Seal(sessionField("ip_enc", id), ip), k.Seal(sessionField("ua_enc", id), ua))
	if err != nil {
		return nil, "", fmt.Errorf("open session: %w", err)
	}
	t := db.Time(now.UnixMilli())
	return &Session{ID: id, UserID: userID, CreatedAt: t, LastSeenAt: t, ExpiresAt: db.Time(exp.UnixMilli()),
		IP: vault.NewSecret(ip), UserAgent: vault.NewSecret(ua)}, tok, nil
}

// sessionRow is a stored session.
type sessionRow struct {
	id, userID, created, lastSeen, expires, revoked int64
	ipEnc, uaEnc                                    []byte
}

const sessionColumns = `id, user_id, created_at, last_seen_at, expires_at, revoked_at, ip_enc, ua_enc`

func scanSession(sc interface{ Scan(...any) error }) (*sessionRow, error) {
	var r sessionRow
	if err := sc.Scan(&r.id, &r.userID, &r.created, &r.lastSeen, &r.expires, &r.revoked, &r.ipEnc, &r.uaEnc); err != nil {
		return nil, err
	}
	return &r, nil
}

func (r *sessionRow) decrypt(k *vault.UserKey) (*Session, error) {
	ip, err := k.Open(sessionField("ip_enc", r.id), r.ipEnc)
	if err != nil {
		return nil, err
	}
	ua, err := k.Open(sessionField("ua_enc", r.id), r.uaEnc)
	if err != nil {
		return nil, err
	}
	return &Session{ID: r.id, UserID: r.userID, CreatedAt: db.Time(r.created), LastSeenAt: db.Time(r.lastSeen),
		ExpiresAt: db.Time(r.expires), EndedAt: endedAt(r.revoked), IP: ip, UserAgent: ua}, nil
}

func endedAt(revoked int64) time.Time {
	if revoked == 0 {
		return time.Time{}
	}
	return db.Time(revoked)
}

// Authenticate resolves a session token, for every request. A missing,
// ended or expired session is apperr Unauthorized "account.session.invalid";
// any other error means the session could not be looked up (the database
// failed), and says nothing about whether it is still good.
// Use slides the expiry; last_seen_at is written at most once a minute.
func (s *Service) Authenticate(ctx context.Context, sessionToken string) (*User, *Session, error) {
	if sessionToken == "" {
		return nil, nil, errSessionInvalid()
	}
	r, err := scanSession(s.db.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = ?`, vault.TokenHash(sessionToken)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSessionInvalid()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("account: authenticate: %w", err)
	}
	now := s.now()
	if r.revoked != 0 || r.expires <= now.UnixMilli() {
		return nil, nil, errSessionInvalid()
	}
	u, k, err := s.loadUser(ctx, s.db, r.userID, false)
	if errors.Is(err, db.ErrNotFound) || errors.Is(err, vault.ErrNoKey) {
		// The user is gone, or their key was shredded (deleted a moment
		// ago): the session is over, not failing.
		return nil, nil, errSessionInvalid()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("account: authenticate: %w", err)
	}
	if u.Status != StatusActive {
		return nil, nil, errSessionInvalid()
	}
	if now.Sub(db.Time(r.lastSeen)) >= lastSeenEvery {
		r.lastSeen, r.expires = now.UnixMilli(), now.Add(s.o.SessionTTL).UnixMilli()
		if _, err := s.db.Exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ? AND revoked_at = 0`,
			r.lastSeen, r.expires, r.id); err != nil {
			return nil, nil, fmt.Errorf("account: authenticate: %w", err)
		}
	}
	sess, err := r.decrypt(k)
	if err != nil {
		return nil, nil, fmt.Errorf("account: authenticate: %w", err)
	}
	return u, sess, nil
}

// Logout ends the session of sessionToken. Ending an unknown or already
// ended session is not an error: the browser is signed out either way.
func (s *Service) Logout(ctx context.Context, sessionToken string) error {
	if sessionToken == "" {
		return nil
	}
	if _, err := s.db.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at = 0`,
		s.nowMS(), vault.TokenHash(sessionToken)); err != nil {
		return fmt.Errorf("account: logout: %w", err)
	}
	return nil
}

// Sessions lists a user's open sessions, most recently used first, so
// they can see where they are signed in and end any of them (clause 2.2).
func (s *Service) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	return s.sessions(ctx, userID, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? AND revoked_at = 0 AND expires_at > ? ORDER BY last_seen_at DESC, id DESC`, userID, s.nowMS())
}

// SessionHistory lists every session the database still keeps for the
// user, open and ended, newest first: ended and expired sessions stay for
// SessionRetention (Purge), and the user may see them (law L10).
func (s *Service) SessionHistory(ctx context.Context, userID int64) ([]Session, error) {
	return s.sessions(ctx, userID, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1000`, userID)
}

func (s *Service) sessions(ctx context.Context, userID int64, q string, args ...any) ([]Session, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("account: sessions: %w", err)
	}
	var found []*sessionRow
	for rows.Next() {
		r, err := scanSession(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("account: sessions: %w", err)
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account: sessions: %w", err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	k, err := s.v.ReadKey(ctx, s.db, userID) // nil for a deleted user: the rows read as empty
	if err != nil {
		return nil, fmt.Errorf("account: sessions: %w", err)
	}
	out := make([]Session, 0, len(found))
	for _, r := range found {
		sess, err := r.decrypt(k)
		if err != nil {
			return nil, fmt.Errorf("account: sessions: %w", err)
		}
		out = append(out, *sess)
	}
	return out, nil
}

// EndSession ends one of the user's own sessions; a session that is not
// theirs, or already ended, is apperr NotFound.
func (s *Service) EndSession(ctx context.Context, userID, sessionID int64) error {
	res, err := s.db.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0`,
		s.nowMS(), sessionID, userID)
	if err != nil {
		return fmt.Errorf("account: end session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.NotFound, "account.session.not_found")
	}
	return nil
}

// EndOtherSessions ends every session of the user except keepSessionID
// (0 ends them all).
func (s *Service) EndOtherSessions(ctx context.Context, userID, keepSessionID int64) error {
	if err := endSessions(ctx, s.db, userID, keepSessionID, s.nowMS()); err != nil {
		return fmt.Errorf("account: end other sessions: %w", err)
	}
	return nil
}

func endSessions(ctx context.Context, q db.Querier, userID, keep, now int64) error {
	_, err := q.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at = 0`, now, userID, keep)
	return err
}

// SignInNew opens a session for an account just registered, so the
// teacher is signed in (unverified, with the banner) without typing the
// password again (issue 13 §4). Only the registration handler calls it,
// with the id Register returned.
func (s *Service) SignInNew(ctx context.Context, userID int64, m Meta) (*Session, string, error) {
	var sess *Session
	var tok string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		u, k, err := s.loadUser(ctx, tx, userID, false)
		if err != nil {
			return err
		}
		if u.Status != StatusActive {
			return errLoginFailed()
		}
		sess, tok, err = s.openSession(ctx, tx, k, userID, m)
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("account: sign in new account: %w", err)
	}
	return sess, tok, nil
}

// DecoyToken is a session token of the real shape that opens nothing:
// the registration answer for an address that already has an account
// sets it, so that answer carries the same cookie as a new account's.
func (s *Service) DecoyToken() (string, time.Time) {
	return randomToken(), s.now().Add(s.o.SessionTTL)
}
