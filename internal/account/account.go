// Package account keeps the portal's users: registration, passwords,
// sessions, emailed single-use links, throttling, profile edits with their
// history, roles and deletion.
//
// Clause 2.2: a user reaches their data by login and password, and any
// change made with those credentials is attributed to them — so every
// change of a user's data is written to profile_changes with the acting
// user and session. Clauses 1.3 and 2.1: every personal field (email,
// name, organisation, position, region, phone, session IP and browser,
// emailed payloads, old and new values in the history) is sealed by the
// vault under the user's own data key; the address is found through a
// keyed blind index, never through plaintext; passwords are argon2id.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Role is what a user may do on the portal.
type Role string

const (
	// RoleUser is every registered teacher.
	RoleUser Role = "user"
	// RoleModerator reviews public materials.
	RoleModerator Role = "moderator"
	// RoleAdmin administers the site and is the only role that may view
	// confidential data (clause 1.3).
	RoleAdmin Role = "admin"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleUser || r == RoleModerator || r == RoleAdmin }

// Account statuses.
const (
	// StatusActive is a usable account.
	StatusActive = "active"
	// StatusDeleted is an account whose personal data was crypto-shredded;
	// only its id, role and dates remain.
	StatusDeleted = "deleted"
)

// User is one account with its personal fields decrypted (as Secrets, so
// they cannot be printed by accident).
type User struct {
	ID     int64
	Role   Role
	Status string // StatusActive or StatusDeleted
	// Blocked is why processing of the account's data is blocked (one of
	// the Block* reasons), "" when it is not; BlockedAt is since when.
	Blocked       string
	BlockedAt     time.Time
	Locale        string
	EmailVerified bool
	CreatedAt     time.Time
	UpdatedAt     time.Time

	Email, FullName, Organization, Position, Region, Phone vault.Secret
}

// Profile is the part of a user's data they edit themselves.
type Profile struct{ FullName, Organization, Position, Region, Phone string }

// RegisterInput is the registration form.
type RegisterInput struct {
	Email, Password, FullName, Organization, Position, Region, Phone, Locale string
	// Accept is the explicit tick that accepts the agreement and the
	// privacy policy (clause P.3); registration is refused without it.
	Accept bool
}

// Meta says who acts and from where, for attribution (clause 2.2) and for
// session records. ActorID 0 means the user themself acting through an
// emailed link (or, for CreateAdmin, the operator at the console).
type Meta struct {
	IP, UserAgent      string
	ActorID, SessionID int64
	// Device is the browser's device cookie (TrustDevice), if it sent one.
	Device string
}

// Session is one signed-in browser.
type Session struct {
	ID, UserID                       int64
	CreatedAt, LastSeenAt, ExpiresAt time.Time
	// EndedAt is when the session was signed out or ended; zero while
	// open (an expired one has ExpiresAt in the past).
	EndedAt       time.Time
	IP, UserAgent vault.Secret
}

// Change is one entry of a user's change history. Old and New are empty
// for the password (its values are never kept) and after deletion.
type Change struct {
	ID             int64
	At             time.Time
	ActorID        int64
	ActorSessionID int64
	Field          string
	Old, New       vault.Secret
}

// Summary is a user without personal data, for administrative lists.
type Summary struct {
	ID            int64
	Role          Role
	Status        string
	Blocked       string // why processing is blocked; "" when it is not
	EmailVerified bool
	CreatedAt     time.Time
}

// Options tune the service; zero values take the defaults.
type Options struct {
	Memory              uint32 // argon2id memory in KiB, default and minimum 19456
	Time                uint32 // argon2id passes, default and minimum 2
	Threads             uint8  // argon2id lanes, default 1
	MaxConcurrentHashes int    // default max(2, NumCPU)
	SessionTTL          time.Duration
	VerifyTTL           time.Duration
	ResetTTL            time.Duration
	EmailChangeTTL      time.Duration
	// Now is the clock; tests move it instead of sleeping.
	Now func() time.Time
	// Erasers empty the other domains' tables in a deletion (Delete).
	Erasers []Eraser
}

// Default lifetimes.
const (
	DefaultSessionTTL     = 30 * 24 * time.Hour
	DefaultVerifyTTL      = 48 * time.Hour
	DefaultResetTTL       = time.Hour
	DefaultEmailChangeTTL = 48 * time.Hour
)

// Service is the account store.
type Service struct {
	db  *db.DB
	v   *vault.Vault
	o   Options
	now func() time.Time
	pw  *hasher
	thr *throttle
	// audit records role changes, administrators made, reveals and
	// deletions in the transaction that makes them (audit.AppendTx).
	audit  *audit.Log
	hashes atomic.Int64 // argon2 computations so far (for tests)
	// checkpointDue is set while a deletion's WAL checkpoint is owed.
	checkpointDue atomic.Bool
	// dummy is a well-formed hash with the current parameters and a
	// random salt and key, which no password matches. Login verifies
	// against it when the address is unknown, so an unknown address costs
	// exactly one argon2 computation, like a wrong password.
	dummy string
	// log is where the service logs (SetLogger).
	log atomic.Pointer[slog.Logger]
	// OnDeleted, when set, is told of each account deleted through Delete
	// after its transaction commits: serve tells the other nodes, which
	// put the user on their own deletion list and forget the cached key.
	// Set it before serving.
	OnDeleted func(ctx context.Context, userID int64)
	// Withdraw withdraws a deleted user's materials when they chose so
	// (DeleteChoice); serve sets it to the library's. Set it before serving.
	Withdraw Withdrawer
}

// New returns the account service over d, sealing with v.
func New(d *db.DB, v *vault.Vault, o Options) *Service {
	if o.Memory < minMemory {
		o.Memory = minMemory
	}
	if o.Time < minTime {
		o.Time = minTime
	}
	if o.Threads < minThreads {
		o.Threads = minThreads
	}
	if o.MaxConcurrentHashes <= 0 {
		o.MaxConcurrentHashes = max(2, runtime.NumCPU())
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	if o.VerifyTTL <= 0 {
		o.VerifyTTL = DefaultVerifyTTL
	}
	if o.ResetTTL <= 0 {
		o.ResetTTL = DefaultResetTTL
	}
	if o.EmailChangeTTL <= 0 {
		o.EmailChangeTTL = DefaultEmailChangeTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{db: d, v: v, o: o, now: o.Now, audit: audit.New(d, v)}
	s.pw = newHasher(hashParams{memory: o.Memory, time: o.Time, threads: o.Threads}, o.MaxConcurrentHashes, func() { s.hashes.Add(1) })
	s.thr = &throttle{db: d, v: v, now: o.Now}
	s.dummy = s.pw.dummy
	s.log.Store(slog.Default())
	return s
}

// SetLogger sets where the service logs (slog's default until then). Its
// lines carry user ids, never personal data.
func (s *Service) SetLogger(l *slog.Logger) { s.log.Store(l) }

// nowMS is the service clock in the database's unit (Unix milliseconds).
func (s *Service) nowMS() int64 { return s.now().UnixMilli() }

// errLoginFailed is the one answer to every failed login (wrong password,
// unknown address, deleted account), so a login never reveals whether an
// address is registered.
func errLoginFailed() error { return apperr.New(apperr.Unauthorized, "account.login.failed") }

// userColumns is the column list that scanUser reads.
const userColumns = `id, role, status, blocked, blocked_at, locale, email_verified_at, created_at, updated_at,
	email_enc, full_name_enc, organization_enc, position_enc, region_enc, phone_enc`

// userRow is a users row as stored (ciphertexts still sealed).
type userRow struct {
	id, verifiedAt, createdAt, updatedAt int64
	blockedAt                            int64
	role, status, blocked, locale        string
	enc                                  [6][]byte // in the order of profileColumns
}

// profileColumns are the sealed personal columns of users, in a fixed order.
var profileColumns = [6]string{"email_enc", "full_name_enc", "organization_enc", "position_enc", "region_enc", "phone_enc"}

func scanUserRow(sc interface{ Scan(...any) error }) (*userRow, error) {
	var r userRow
	err := sc.Scan(&r.id, &r.role, &r.status, &r.blocked, &r.blockedAt, &r.locale, &r.verifiedAt, &r.createdAt, &r.updatedAt,
		&r.enc[0], &r.enc[1], &r.enc[2], &r.enc[3], &r.enc[4], &r.enc[5])
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// loadUserRow reads one user row through q (FOR UPDATE when lock).
func loadUserRow(ctx context.Context, q db.Querier, id int64, lock bool) (*userRow, error) {
	query := `SELECT ` + userColumns + ` FROM users WHERE id = ?`
	if lock {
		query += db.ForUpdate(q.Engine())
	}
	r, err := scanUserRow(q.QueryRow(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user: %w", db.ErrNotFound)
	}
	return r, err
}

func userField(column string, id int64) vault.Field {
	return vault.Field{Table: "users", Column: column, Row: id}
}

// decrypt opens r's personal fields with k (k may be nil for a deleted
// user, whose columns are all empty).
func (r *userRow) decrypt(k *vault.UserKey) (*User, error) {
	u := &User{
		ID: r.id, Role: Role(r.role), Status: r.status, Blocked: r.blocked, Locale: r.locale,
		EmailVerified: r.verifiedAt != 0, CreatedAt: db.Time(r.createdAt), UpdatedAt: db.Time(r.updatedAt),
	}
	if r.blockedAt != 0 {
		u.BlockedAt = db.Time(r.blockedAt)
	}
	if k == nil {
		return u, nil
	}
	dst := [6]*vault.Secret{&u.Email, &u.FullName, &u.Organization, &u.Position, &u.Region, &u.Phone}
	for i, col := range profileColumns {
		v, err := k.Open(userField(col, r.id), r.enc[i])
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", col, err)
		}
		*dst[i] = v
	}
	return u, nil
}

// userKey returns the data key of a user row, or nil for a deleted one
// (marked deleted, or on the vault's deletion list while a restored
// backup still says otherwise).
func (s *Service) userKey(ctx context.Context, q db.Querier, r *userRow) (*vault.UserKey, error) {
	if r.status == StatusDeleted {
		return nil, nil
	}
	k, err := s.v.ReadKey(ctx, q, r.id)
	if k == nil && err == nil {
		// Deleted, though a restored backup says otherwise (the next start
		// erases it again): it is treated as deleted everywhere.
		r.status = StatusDeleted
	}
	return k, err
}

// loadUser reads and decrypts one user through q.
func (s *Service) loadUser(ctx context.Context, q db.Querier, id int64, lock bool) (*User, *vault.UserKey, error) {
	r, err := loadUserRow(ctx, q, id, lock)
	if err != nil {
		return nil, nil, err
	}
	k, err := s.userKey(ctx, q, r)
	if err != nil {
		return nil, nil, err
	}
	u, err := r.decrypt(k)
	if err != nil {
		return nil, nil, err
	}
	return u, k, nil
}

// Get returns a user with their personal fields decrypted. A deleted user
// comes back with status deleted and no personal data; a missing one is
// db.ErrNotFound (wrapped).
func (s *Service) Get(ctx context.Context, id int64) (*User, error) {
	u, _, err := s.loadUser(ctx, s.db, id, false)
	if err != nil {
		return nil, fmt.Errorf("account: get: %w", err)
	}
	return u, nil
}

// emailIndex is the blind index of an address (clause 1.3: the address
// itself is never stored in plaintext, not even for lookup).
func (s *Service) emailIndex(email string) []byte {
	return s.v.BlindIndex("email", vault.NormalizeEmail(email))
}

// idByEmail finds a user id through the blind index.
func (s *Service) idByEmail(ctx context.Context, q db.Querier, email string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM users WHERE email_bidx = ?`, s.emailIndex(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("user by email: %w", db.ErrNotFound)
	}
	return id, err
}

// FindByEmail returns the user registered with email (in any letter case),
// found through the blind index only; db.ErrNotFound (wrapped) when none.
func (s *Service) FindByEmail(ctx context.Context, email string) (*User, error) {
	id, err := s.idByEmail(ctx, s.db, email)
	if err != nil {
		return nil, fmt.Errorf("account: find by email: %w", err)
	}
	return s.Get(ctx, id)
}

// CountAdmins counts active administrators (the web refuses to demote or
// delete the last one; SetRole and Delete refuse too).
func (s *Service) CountAdmins(ctx context.Context) (int, error) {
	n, err := countAdmins(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("account: count admins: %w", err)
	}
	return n, nil
}

func countAdmins(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND status = ?`, string(RoleAdmin), StatusActive).Scan(&n)
	return n, err
}

// List returns up to limit users with id greater than afterID, in id order
// (keyset pagination: pass the last id of a page to get the next one).
func (s *Service) List(ctx context.Context, afterID int64, limit int) ([]Summary, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.db.Query(ctx, `SELECT id, role, status, blocked, email_verified_at, created_at FROM users
		WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("account: list: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		var role string
		var verified, created int64
		if err := rows.Scan(&sm.ID, &role, &sm.Status, &sm.Blocked, &verified, &created); err != nil {
			return nil, fmt.Errorf("account: list: %w", err)
		}
		sm.Role, sm.EmailVerified, sm.CreatedAt = Role(role), verified != 0, db.Time(created)
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account: list: %w", err)
	}
	return out, nil
}

// actor is who a change is attributed to (clause 2.2): the signed-in actor
// from m, or the user themself when they act through an emailed link.
func actor(m Meta, userID int64) (int64, int64) {
	if m.ActorID != 0 {
		return m.ActorID, m.SessionID
	}
	return userID, m.SessionID
}
