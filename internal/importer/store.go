package importer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// MethodImportFirstLogin is how an imported user's acceptance of the
// documents is recorded: at their first sign-in here (law L1: how the
// consent was given). consent.MethodImportFirstLogin has the same value.
const MethodImportFirstLogin = "import-first-login"

// Batch is one import as the administrator sees it afterwards.
type Batch struct {
	ID                                int64
	Source, Format, Encoding          string
	OnConflict, Status                string
	ActorID                           int64
	DryRun                            bool
	StartedAt, FinishedAt             time.Time
	Done, Total, Read                 int64
	Created, Updated, Skipped, Failed int64
	Failures                          []Failure
	InviteStatus                      string
	InviteTotal, InviteSent           int64
	// SeenAt is when the import last committed rows; Stale, that it is
	// "running" with no sign of life for StaleAfter: killed.
	SeenAt time.Time
	Stale  bool
}

// StaleAfter is how long a running import may go without committing
// before it is taken for killed. A transaction of DefaultBatch rows takes
// well under a second; ten minutes leave room for a slow source.
const StaleAfter = 10 * time.Minute

// markStale sets Stale as of now.
func (b *Batch) markStale(now time.Time) {
	b.Stale = b.Status == StatusRunning && !b.SeenAt.IsZero() && now.Sub(b.SeenAt) > StaleAfter
}

// State is the status to show: a stale running import is interrupted
// (StatusCancelled), the rest as stored.
func (b *Batch) State() string {
	if b.Stale {
		return StatusCancelled
	}
	return b.Status
}

// Invitable reports whether the batch's users may be invited: it created
// some and ended, done or not (the users of an interrupted import are
// skipped by the run that finishes the job, so only this batch has them).
func (b *Batch) Invitable() bool {
	if b.Created == 0 || b.DryRun {
		return false
	}
	switch b.State() {
	case StatusDone, StatusCancelled, StatusFailed:
		return true
	}
	return false
}

// Summary is the report's last line.
func (b *Batch) Summary() string {
	r := Report{Created: b.Created, Updated: b.Updated, Skipped: b.Skipped, Failed: b.Failed}
	return r.Summary()
}

// Unlisted is how many bad rows the report counts but does not list.
func (b *Batch) Unlisted() int64 { return b.Failed - int64(len(b.Failures)) }

// Running reports whether the batch's import is waiting or under way.
func (b *Batch) Running() bool {
	return (b.Status == StatusPending || b.Status == StatusRunning) && !b.Stale
}

// Finished reports whether the import ended (done, failed or interrupted).
func (b *Batch) Finished() bool { return !b.Running() && b.Status != StatusUploaded }

// Inviting reports whether its invitation is under way.
func (b *Batch) Inviting() bool {
	return b.InviteStatus == StatusPending || b.InviteStatus == StatusRunning
}

// Percent is how far the import is, 0–100 (0 when the total is unknown).
func (b *Batch) Percent() int {
	if b.Total <= 0 {
		if b.Status == StatusDone {
			return 100
		}
		return 0
	}
	return int(min(100, b.Done*100/b.Total))
}

// InvitePercent is how far the invitation is, 0–100.
func (b *Batch) InvitePercent() int {
	if b.InviteTotal <= 0 {
		return 0
	}
	return int(min(100, b.InviteSent*100/b.InviteTotal))
}

func (s *Service) newBatch(ctx context.Context, o Options, status string) (int64, error) {
	id := db.NewID()
	dry := 0
	if o.DryRun {
		dry = 1
	}
	_, err := s.db.Exec(ctx, `INSERT INTO import_batches (id, source, format, encoding, actor_user_id, on_conflict, dry_run, status, started_at, seen_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, o.Source, o.Format, o.Encoding, o.ActorID, o.OnConflict, dry, status, s.now().UnixMilli(), s.now().UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("importer: new batch: %w", err)
	}
	return id, nil
}

// setStatus marks a batch; with rep, its final counts and report too.
func (s *Service) setStatus(ctx context.Context, id int64, status string, rep *Report) error {
	var err error
	if rep == nil {
		_, err = s.db.Exec(ctx, `UPDATE import_batches SET status = ?, seen_at = ? WHERE id = ?`, status, s.now().UnixMilli(), id)
	} else {
		_, err = s.db.Exec(ctx, `UPDATE import_batches SET status = ?, finished_at = ?, seen_at = ?, created = ?, updated = ?, skipped = ?, failed = ?, report = ? WHERE id = ?`,
			status, s.now().UnixMilli(), s.now().UnixMilli(), rep.Created, rep.Updated, rep.Skipped, rep.Failed, reportJSON(rep), id)
	}
	if err != nil {
		return fmt.Errorf("importer: batch status: %w", err)
	}
	return nil
}

const batchColumns = `id, source, format, encoding, on_conflict, status, actor_user_id, dry_run, started_at, finished_at,
	done, total, rows_read, created, updated, skipped, failed, report, invite_status, invite_total, invite_sent, seen_at`

func scanBatch(sc interface{ Scan(...any) error }) (*Batch, error) {
	var b Batch
	var dry int
	var started, finished, seen int64
	var report string
	err := sc.Scan(&b.ID, &b.Source, &b.Format, &b.Encoding, &b.OnConflict, &b.Status, &b.ActorID, &dry, &started, &finished,
		&b.Done, &b.Total, &b.Read, &b.Created, &b.Updated, &b.Skipped, &b.Failed, &report, &b.InviteStatus, &b.InviteTotal, &b.InviteSent, &seen)
	if err != nil {
		return nil, err
	}
	if seen > 0 {
		b.SeenAt = db.Time(seen)
	}
	b.DryRun = dry != 0
	b.StartedAt = db.Time(started)
	if finished > 0 {
		b.FinishedAt = db.Time(finished)
	}
	if report != "" {
		if err := json.Unmarshal([]byte(report), &b.Failures); err != nil {
			return nil, fmt.Errorf("importer: stored report: %w", err)
		}
	}
	return &b, nil
}

// Batch returns one import batch with its report.
func (s *Service) Batch(ctx context.Context, id int64) (*Batch, error) {
	b, err := scanBatch(s.db.QueryRow(ctx, `SELECT `+batchColumns+` FROM import_batches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("importer: batch %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("importer: batch: %w", err)
	}
	b.markStale(s.now())
	return b, nil
}

// Batches lists the latest imports, newest first.
func (s *Service) Batches(ctx context.Context, limit int) ([]*Batch, error) {
	rows, err := s.db.Query(ctx, `SELECT `+batchColumns+` FROM import_batches ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("importer: batches: %w", err)
	}
	defer rows.Close()
	var out []*Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("importer: batches: %w", err)
		}
		b.markStale(s.now())
		out = append(out, b)
	}
	return out, rows.Err()
}

// AcceptMethod is consent's hook for the method of an acceptance given
// through q: an imported user who has accepted nothing here yet is marked
// as having accepted now, and the acceptance is recorded with
// MethodImportFirstLogin; anyone else gets "" (consent's own method).
func (s *Service) AcceptMethod(ctx context.Context, q db.Querier, userID int64) (string, error) {
	res, err := q.Exec(ctx, `UPDATE import_users SET consent = 'accepted', consent_at = ? WHERE user_id = ? AND consent = 'none'`,
		s.now().UnixMilli(), userID)
	if err != nil {
		return "", fmt.Errorf("importer: consent status: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return MethodImportFirstLogin, nil
	}
	return "", nil
}

// ImportedUser is where one imported user came from.
type ImportedUser struct {
	BatchID      int64
	Source       string
	ImportedAt   time.Time
	RegisteredAt time.Time // zero: unknown
	Consent      string    // "none" or "accepted"
	ConsentAt    time.Time // when they accepted here; zero: not yet
	InvitedAt    time.Time // when the invitation was queued; zero: never
}

// Imported returns where userID came from, or db.ErrNotFound for a user
// who registered here.
func (s *Service) Imported(ctx context.Context, userID int64) (*ImportedUser, error) {
	var u ImportedUser
	var at, reg, consentAt, invitedAt int64
	err := s.db.QueryRow(ctx, `SELECT batch_id, source, imported_at, registered_at, consent, consent_at, invited_at FROM import_users WHERE user_id = ?`, userID).
		Scan(&u.BatchID, &u.Source, &at, &reg, &u.Consent, &consentAt, &invitedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("importer: imported user: %w", err)
	}
	u.ImportedAt = db.Time(at)
	if reg > 0 {
		u.RegisteredAt = db.Time(reg)
	}
	if consentAt > 0 {
		u.ConsentAt = db.Time(consentAt)
	}
	if invitedAt > 0 {
		u.InvitedAt = db.Time(invitedAt)
	}
	return &u, nil
}

// EraseUser, inside an account deletion's transaction (an
// account.Eraser), removes where the user was imported from and any file
// they uploaded for an import that has not run (sealed under their key,
// which the deletion destroys).
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM import_users WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("importer: erase user: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM import_chunks WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("importer: erase user: %w", err)
	}
	return nil
}
