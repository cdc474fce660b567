// Package audit keeps the tamper-evident log of what administrators do,
// above all every time they view a user's confidential data (clause 1.3:
// such data is viewable only by the administration, and each view is
// recorded; law L14).
//
// Entries are numbered 1, 2, 3… without gaps and chained: each entry's
// hash is a keyed MAC (vault.AuditMAC) over the previous entry's hash and
// every field of the entry, seq and time included. The head row holds the
// last seq and hash under a MAC of its own, so removing entries from the
// end is detected as well as altering, removing or reordering any entry in
// the middle. Without the audit key nobody — a database administrator
// included — can rewrite the chain to hide a change.
package audit

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Actions recorded by the portal. The translated name of an action is the
// message ActionKey(action).
const (
	ActionReveal          = "reveal"           // an administrator viewed a user's decrypted data
	ActionRoleChange      = "role_change"      // a user's role was changed
	ActionPublishDocument = "publish_document" // a new version of the agreement or policy
	ActionUserDelete      = "user_delete"      // an account was deleted, by its owner or an administrator
	ActionAdminCreate     = "admin_create"     // an administrator account was created
	ActionUserBlock       = "user_block"       // processing of a user's data was blocked
	ActionUserUnblock     = "user_unblock"     // the block was lifted
	ActionDataExport      = "data_export"      // a user's data was exported for them
	ActionImport          = "import"           // users were imported from another database
	ActionKeyRotation     = "keys_rotate"      // the master key was rotated
	ActionKeyAdd          = "keys_add"         // a master key was added, not active yet
	ActionReanchor        = "audit_reanchor"   // the checkpoints were replaced after a restore (Reanchor)
	ActionSettingsChange  = "settings_change"  // an administrator changed a site setting (contacts, processors, holidays)
	ActionPrivacyRequest  = "privacy_request"  // a user filed a data-subject request (access, correction, …)
	ActionPrivacyAnswer   = "privacy_answer"   // an administrator answered and closed such a request
	ActionComplaint       = "complaint"        // a complaint, dispute or official request: received, moved, answered, escalated
	ActionIncident        = "incident"         // a personal-data incident was recorded, reported or notified (law L15)
)

// Actions lists every action above, for filters and for the test that
// each one has a translated name.
var Actions = []string{ActionReveal, ActionRoleChange, ActionPublishDocument, ActionUserDelete,
	ActionAdminCreate, ActionUserBlock, ActionUserUnblock, ActionDataExport, ActionImport, ActionKeyRotation, ActionKeyAdd, ActionReanchor,
	ActionSettingsChange, ActionPrivacyRequest, ActionPrivacyAnswer, ActionComplaint, ActionIncident}

// ActionKey is the i18n message key naming action.
func ActionKey(action string) string { return "audit.action." + action }

// Entry is one audit record.
//
// Purpose and Detail are free text written by code or typed by an
// administrator (the purpose of a reveal, a field name, a document
// version). They are stored in plaintext and kept after the user is gone,
// so they must never hold a personal value: name a field ("email"), never
// its content; refer to people by TargetUserID only.
type Entry struct {
	Seq            int64     // 1, 2, 3…; set by Append
	At             time.Time // set by Append, from the server clock
	ActorID        int64     // the user who acted; 0 for the system
	ActorSessionID int64     // the session they acted from (clause 2.2)
	Action         string    // one of the Action… constants
	TargetUserID   int64     // the user whose data was concerned; 0 for none
	Purpose        string    // why (for a reveal: the reason given); no personal values
	Detail         string    // what, e.g. "fields=email,phone"; no personal values
}

// Log is the audit log.
type Log struct {
	db      *db.DB
	v       *vault.Vault
	anchors []Anchor // where checkpoints are kept (checkpoint.go)
}

// New returns the log over d, chained with v's audit key.
func New(d *db.DB, v *vault.Vault) *Log { return &Log{db: d, v: v} }

// MaxText is the most bytes of Purpose or Detail kept; a reason is a sentence.
const MaxText = 2000

var zeroHash = make([]byte, 32)

func be(n int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	return b[:]
}

// entryHash chains e to prev. Every field is a separate length-prefixed
// part (AuditMAC prefixes lengths), so no field can bleed into another.
func (l *Log) entryHash(prev []byte, e Entry) []byte {
	return l.v.AuditMAC(prev, []byte("smartustaz/audit/v1"),
		be(e.Seq), be(e.At.UnixMilli()), be(e.ActorID), be(e.ActorSessionID),
		[]byte(e.Action), be(e.TargetUserID), []byte(e.Purpose), []byte(e.Detail))
}

func (l *Log) headMAC(seq int64, hash []byte) []byte {
	return l.v.AuditMAC([]byte("head"), be(seq), hash)
}

// Append adds e to the log in a transaction of its own and returns its seq.
func (l *Log) Append(ctx context.Context, e Entry) (int64, error) {
	var seq int64
	err := l.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		seq, err = l.AppendTx(ctx, tx, e)
		return err
	})
	if err != nil {
		return 0, err
	}
	return seq, nil
}

// AppendTx adds e inside tx, so the entry exists exactly when the change it
// records is committed. It locks the head row until tx ends: keep such
// transactions short, since every audited action waits for it.
func (l *Log) AppendTx(ctx context.Context, tx *db.Tx, e Entry) (int64, error) {
	if e.Action == "" {
		return 0, fmt.Errorf("audit: append: no action")
	}
	if len(e.Purpose) > MaxText || len(e.Detail) > MaxText {
		return 0, fmt.Errorf("audit: append: purpose or detail longer than %d bytes", MaxText)
	}
	seq, prev, err := l.lockHead(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("audit: append: %w", err)
	}
	e.Seq = seq + 1
	// Taken after the lock, so times never go backwards along the chain.
	e.At = db.Time(db.Now())
	h := l.entryHash(prev, e)
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (seq, at, actor_user_id, actor_session_id, action, target_user_id, purpose, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UnixMilli(), e.ActorID, e.ActorSessionID, e.Action, e.TargetUserID, e.Purpose, e.Detail, prev, h)
	if err != nil {
		return 0, fmt.Errorf("audit: append: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1`, e.Seq, h, l.headMAC(e.Seq, h))
	if err != nil {
		return 0, fmt.Errorf("audit: append: head: %w", err)
	}
	return e.Seq, nil
}

// lockHead returns the last seq and hash, holding the head row's lock
// (PostgreSQL; SQLite's single writer already serialises), creating the
// head on the very first append.
func (l *Log) lockHead(ctx context.Context, tx *db.Tx) (int64, []byte, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var seq int64
		var hash, mac []byte
		err := tx.QueryRow(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`+db.ForUpdate(tx.Engine())).Scan(&seq, &hash, &mac)
		if errors.Is(err, sql.ErrNoRows) {
			// ON CONFLICT: a concurrent first append may create it first;
			// PostgreSQL then waits for it, and the next SELECT sees it.
			_, err = tx.Exec(ctx, `INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, 0, ?, ?) ON CONFLICT (id) DO NOTHING`,
				zeroHash, l.headMAC(0, zeroHash))
			if err != nil {
				return 0, nil, err
			}
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		// Chaining onto a forged head would bury the forgery under
		// valid-looking entries; refuse and leave it for Verify to report.
		if !bytes.Equal(mac, l.headMAC(seq, hash)) {
			return 0, nil, ErrHeadTampered
		}
		return seq, hash, nil
	}
	return 0, nil, fmt.Errorf("audit head row missing after creating it")
}

// ErrHeadTampered means the head row's MAC does not match: someone changed
// it outside this package. Appends stop until an operator investigates.
var ErrHeadTampered = errors.New("audit: head row altered")

const entryColumns = `seq, at, actor_user_id, actor_session_id, action, target_user_id, purpose, detail`

func scanEntry(rows *sql.Rows, extra ...any) (Entry, error) {
	var e Entry
	var at int64
	dest := append([]any{&e.Seq, &at, &e.ActorID, &e.ActorSessionID, &e.Action, &e.TargetUserID, &e.Purpose, &e.Detail}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return Entry{}, err
	}
	e.At = db.Time(at)
	return e, nil
}

func normLimit(limit int) int {
	if limit <= 0 {
		return 50
	}
	return min(limit, 1000)
}

func (l *Log) list(ctx context.Context, op, q string, args ...any) ([]Entry, error) {
	rows, err := l.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: %s: %w", op, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("audit: %s: %w", op, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: %s: %w", op, err)
	}
	return out, nil
}

// List returns up to limit entries, newest first, older than beforeSeq
// (0: from the newest). Pass the last Seq returned to get the next page.
func (l *Log) List(ctx context.Context, beforeSeq int64, limit int) ([]Entry, error) {
	if beforeSeq <= 0 {
		return l.list(ctx, "list", `SELECT `+entryColumns+` FROM audit_log ORDER BY seq DESC LIMIT ?`, normLimit(limit))
	}
	return l.list(ctx, "list", `SELECT `+entryColumns+` FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?`, beforeSeq, normLimit(limit))
}

// ForTarget returns up to limit entries about userID, newest first — what
// the administration did with that user's data.
func (l *Log) ForTarget(ctx context.Context, userID int64, limit int) ([]Entry, error) {
	return l.list(ctx, "for target", `SELECT `+entryColumns+` FROM audit_log WHERE target_user_id = ? ORDER BY seq DESC LIMIT ?`, userID, normLimit(limit))
}

// RevealsOf returns every time an administrator viewed userID's decrypted
// data (ActionReveal), newest first, for the user's own page and export
// (law L10: the subject learns who accessed their data and why).
func (l *Log) RevealsOf(ctx context.Context, userID int64) ([]Entry, error) {
	return l.list(ctx, "reveals of", `SELECT `+entryColumns+` FROM audit_log WHERE target_user_id = ? AND action = ? ORDER BY seq DESC LIMIT 1000`,
		userID, ActionReveal)
}
