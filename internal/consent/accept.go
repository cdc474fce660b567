package consent

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

// Methods of acceptance, stored with each acceptance (law L1: how the
// consent was given).
const (
	MethodRegistration = "registration" // the ticked box on the registration form
	MethodReacceptance = "reacceptance" // accepting a new version after it was published
	// MethodImportFirstLogin: a user brought over from another site's
	// database (clause 1.2 (b)) accepting at their first sign-in here.
	MethodImportFirstLogin = "import-first-login"
	// MethodRenewal: accepting again the versions already accepted, to
	// renew a consent whose term is ending (law L3).
	MethodRenewal = "renewal"
	// MethodWithdrawal is not an acceptance: the row records that the
	// user withdrew their consent to the document (law L4). The latest
	// row of a document decides whether it is accepted.
	MethodWithdrawal = "withdrawal"
)

// Meta is where an acceptance came from. IP and UserAgent are personal
// data (clause 1.2 c) and are stored sealed with the user's key.
type Meta struct {
	IP, UserAgent string
	SessionID     int64
}

// Acceptance is one recorded acceptance of one document version.
type Acceptance struct {
	ID           int64
	DocumentID   int64
	Kind         Kind
	Version      int
	DocumentHash string // the hash of the text accepted, stored with the acceptance
	At           time.Time
	Method       string
	SessionID    int64
	IP           vault.Secret
	UserAgent    vault.Secret
}

// ErrWrongKey means RecordAcceptance was given another user's data key.
var ErrWrongKey = errors.New("consent: data key belongs to another user")

// RecordAcceptance stores, through q (the registration transaction), one
// acceptance per document: which document and the hash of its text, when,
// how, from which session, address and browser (clause 3.1; law L1). The
// address and browser are sealed with key, the user's own data key. Each
// document must exist with the hash it carries, so a receipt can never name
// a text that was not published.
func (s *Service) RecordAcceptance(ctx context.Context, q db.Querier, key *vault.UserKey, userID int64, docs []*Document, method string, m Meta) error {
	if key == nil || key.Owner() != userID {
		return ErrWrongKey
	}
	if len(docs) == 0 || method == "" {
		return fmt.Errorf("consent: record acceptance: no documents or no method")
	}
	for _, d := range docs {
		var hash string
		err := q.QueryRow(ctx, `SELECT hash FROM documents WHERE id = ?`, d.ID).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(db.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("consent: record acceptance: %w", err)
		}
		if hash != d.Hash {
			return fmt.Errorf("consent: record acceptance: document %d does not have the hash given", d.ID)
		}
		if err := insertAcceptance(ctx, q, key, userID, d.ID, hash, method, m); err != nil {
			return fmt.Errorf("consent: record acceptance: %w", err)
		}
	}
	return nil
}

func insertAcceptance(ctx context.Context, q db.Querier, key *vault.UserKey, userID, docID int64, hash, method string, m Meta) error {
	return insertAcceptanceID(ctx, q, key, db.NewID(), userID, docID, hash, method, m)
}

func insertAcceptanceID(ctx context.Context, q db.Querier, key *vault.UserKey, id, userID, docID int64, hash, method string, m Meta) error {
	_, err := q.Exec(ctx, `INSERT INTO acceptances (id, user_id, document_id, document_hash, at, method, session_id, ip_enc, ua_enc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, userID, docID, hash, db.Now(), method, m.SessionID,
		key.Seal(vault.Field{Table: "acceptances", Column: "ip", Row: id}, m.IP),
		key.Seal(vault.Field{Table: "acceptances", Column: "ua", Row: id}, m.UserAgent))
	return err
}

// Pending returns the documents in force that userID has not accepted yet
// (after a new version is published, or for a user imported from another
// site, who never accepted anything). The user must accept them or leave
// (preamble P.4).
func (s *Service) Pending(ctx context.Context, userID int64) ([]*Document, error) {
	agreement, privacy, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Document
	for _, d := range []*Document{agreement, privacy} {
		last, err := lastMethod(ctx, s.db, userID, d.ID)
		if err != nil {
			return nil, fmt.Errorf("consent: pending: %w", err)
		}
		if last == "" || last == MethodWithdrawal {
			out = append(out, d)
		}
	}
	return out, nil
}

// AllAccepted reports whether userID has accepted the versions in force
// of both documents: the agreement gate's question on every signed-in
// request, asked in one query that reads no document text (Pending reads
// them all). Before Seed has run it fails with an error wrapping
// db.ErrNotFound, as Current does. As in Pending, a document whose latest
// row is a withdrawal is not accepted (Pending asks lastMethod).
func (s *Service) AllAccepted(ctx context.Context, userID int64) (bool, error) {
	var kinds, open int
	err := s.db.QueryRow(ctx, `SELECT (SELECT COUNT(DISTINCT kind) FROM documents),
		(SELECT COUNT(*) FROM documents d WHERE d.version = (SELECT MAX(version) FROM documents WHERE kind = d.kind)
			AND NOT EXISTS (SELECT 1 FROM acceptances a WHERE a.user_id = ? AND a.document_id = d.id AND a.method <> ?
				AND NOT EXISTS (SELECT 1 FROM acceptances w WHERE w.user_id = a.user_id AND w.document_id = a.document_id
					AND w.method = ? AND (w.at > a.at OR (w.at = a.at AND w.id > a.id)))))`,
		userID, MethodWithdrawal, MethodWithdrawal).Scan(&kinds, &open)
	if err != nil {
		return false, fmt.Errorf("consent: all accepted: %w", err)
	}
	if kinds < 2 {
		return false, fmt.Errorf("consent: all accepted: %w", db.ErrNotFound)
	}
	return open == 0, nil
}

// lastMethod is the method of userID's latest row for document docID
// ("" when there is none): a withdrawal means the document is not
// accepted now.
func lastMethod(ctx context.Context, q db.Querier, userID, docID int64) (string, error) {
	var m string
	err := q.QueryRow(ctx, `SELECT method FROM acceptances WHERE user_id = ? AND document_id = ? ORDER BY at DESC, id DESC LIMIT 1`, userID, docID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return m, err
}

// Accept records that userID accepts the documents docIDs, which must be
// the versions in force: a version replaced in the meantime is refused
// (apperr Conflict), so the user reads the new one first. Each call adds
// rows; none is ever overwritten, so the history of consents stays whole.
func (s *Service) Accept(ctx context.Context, userID int64, docIDs []int64, m Meta) error {
	if len(docIDs) == 0 {
		return apperr.New(apperr.Invalid, "consent.accept.empty")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		key, err := s.v.UserKey(ctx, tx, userID)
		if err != nil {
			return err
		}
		method := MethodReacceptance
		if s.MethodFor != nil {
			m, err := s.MethodFor(ctx, tx, userID)
			if err != nil {
				return err
			}
			if m != "" {
				method = m
			}
		}
		seen := map[int64]bool{}
		for _, id := range docIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			var kind Kind
			var hash string
			err := tx.QueryRow(ctx, `SELECT kind, hash FROM documents WHERE id = ?`, id).Scan(&kind, &hash)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound(db.ErrNotFound)
			}
			if err != nil {
				return err
			}
			cur, err := current(ctx, tx, kind)
			if err != nil {
				return err
			}
			if cur.ID != id {
				return apperr.New(apperr.Conflict, "consent.accept.not_current")
			}
			how := method
			if last, err := lastMethod(ctx, tx, userID, id); err != nil {
				return err
			} else if last != "" && last != MethodWithdrawal {
				how = MethodRenewal // accepted already: this renews the consent's term
			}
			if err := insertAcceptance(ctx, tx, key, userID, id, hash, how, m); err != nil {
				return err
			}
		}
		if s.OnAccepted != nil {
			return s.OnAccepted(ctx, tx, userID)
		}
		return nil
	})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return err
		}
		return fmt.Errorf("consent: accept: %w", err)
	}
	return nil
}

// Acceptances returns every acceptance of userID, newest first, with the
// address and browser opened for the user's own view (they stay Secrets:
// printing one shows [redacted]).
func (s *Service) Acceptances(ctx context.Context, userID int64) ([]Acceptance, error) {
	key, err := s.v.ReadKey(ctx, s.db, userID) // nil for a deleted user: address and browser read as empty
	if err != nil {
		return nil, fmt.Errorf("consent: acceptances: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT a.id, a.document_id, d.kind, d.version, a.document_hash, a.at, a.method, a.session_id, a.ip_enc, a.ua_enc
		FROM acceptances a JOIN documents d ON d.id = a.document_id
		WHERE a.user_id = ? ORDER BY a.at DESC, a.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("consent: acceptances: %w", err)
	}
	defer rows.Close()
	var out []Acceptance
	for rows.Next() {
		var a Acceptance
		var at int64
		var ip, ua []byte
		if err := rows.Scan(&a.ID, &a.DocumentID, &a.Kind, &a.Version, &a.DocumentHash, &at, &a.Method, &a.SessionID, &ip, &ua); err != nil {
			return nil, fmt.Errorf("consent: acceptances: %w", err)
		}
		a.At = db.Time(at)
		if a.IP, err = key.Open(vault.Field{Table: "acceptances", Column: "ip", Row: a.ID}, ip); err != nil {
			return nil, fmt.Errorf("consent: acceptances: %w", err)
		}
		if a.UserAgent, err = key.Open(vault.Field{Table: "acceptances", Column: "ua", Row: a.ID}, ua); err != nil {
			return nil, fmt.Errorf("consent: acceptances: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: acceptances: %w", err)
	}
	return out, nil
}
