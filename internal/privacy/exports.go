package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The ZIP of all of a user's data, built in the background for a large
// account (issue 12 §1, law L10): the job of any node builds it, keeps it
// sealed under the user's data key in the database (not in blob storage,
// whose janitor removes what no row references), and the user downloads
// it from /account/data for ExportLifetime.

// Export states.
const (
	ExportPending = "pending"
	ExportRunning = "running"
	ExportReady   = "ready"
	ExportFailed  = "failed"
)

// ExportLifetime is how long a built ZIP is kept.
const ExportLifetime = 7 * 24 * time.Hour

// exportChunk is the size of one sealed part: rows stay well below
// PostgreSQL's and SQLite's limits and a ZIP is never sealed in one piece.
const exportChunk = 1 << 20

// Export is one background build of a user's ZIP.
type Export struct {
	ID        int64
	UserID    int64
	Lang      string
	State     string
	Progress  int // percent
	Size      int64
	CreatedAt time.Time
	ReadyAt   time.Time
	ExpiresAt time.Time
}

// Active reports whether the build is still to finish.
func (x *Export) Active() bool { return x.State == ExportPending || x.State == ExportRunning }

// BuildFunc builds the ZIP of userID's data in lang, reporting progress in
// percent as it goes.
type BuildFunc func(ctx context.Context, userID int64, lang string, progress func(percent int)) ([]byte, error)

// NotifyFunc tells the user, inside the transaction that marks the ZIP
// ready, that it is (an email with a link to their data page).
type NotifyFunc func(ctx context.Context, tx *db.Tx, userID int64, lang string) error

// Exports is the store and the jobs of background ZIPs.
type Exports struct {
	db     *db.DB
	v      *vault.Vault
	q      *jobs.Queue
	build  BuildFunc
	notify NotifyFunc
	now    func() time.Time
}

// NewExports returns the store over d; Register gives it its jobs.
func NewExports(d *db.DB, v *vault.Vault) *Exports {
	return &Exports{db: d, v: v, now: time.Now}
}

// buildArgs is the job that builds one export.
type buildArgs struct {
	ExportID int64 `json:"export_id,string"`
}

func (buildArgs) Kind() string { return "privacy.export_build" }

// expireArgs is the periodic deletion of expired exports.
type expireArgs struct{}

func (expireArgs) Kind() string { return "privacy.export_expire" }

// ExpireEvery is how often expired exports are deleted.
const ExpireEvery = time.Hour

// Register gives the store its jobs on q: the build (build makes the ZIP,
// notify tells the user) and the hourly deletion of expired ones. Call it
// before q starts.
func (e *Exports) Register(q *jobs.Queue, build BuildFunc, notify NotifyFunc) error {
	e.q, e.build, e.notify = q, build, notify
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 30 * time.Minute, MaxAttempts: 5}, e.run)
	jobs.Register(q, jobs.Kind{Unique: true}, func(ctx context.Context, _ expireArgs) error {
		_, err := e.Expire(ctx)
		return err
	})
	return q.Every(ExpireEvery, expireArgs{})
}

// Start asks for a build of userID's ZIP in lang, unless one is already
// under way (that one is returned).
func (e *Exports) Start(ctx context.Context, userID int64, lang string) (*Export, error) {
	if e.q == nil {
		return nil, errors.New("privacy: export: no job queue")
	}
	if x, err := e.Latest(ctx, userID); err == nil && x.Active() {
		return x, nil
	} else if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return nil, err
	}
	now := time.UnixMilli(e.now().UnixMilli())
	x := &Export{ID: db.NewID(), UserID: userID, Lang: lang, State: ExportPending, CreatedAt: now, ExpiresAt: now.Add(ExportLifetime)}
	err := e.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO data_exports (id, user_id, lang, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			x.ID, userID, lang, ExportPending, now.UnixMilli(), x.ExpiresAt.UnixMilli()); err != nil {
			return err
		}
		return e.q.EnqueueTx(ctx, tx, buildArgs{ExportID: x.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("privacy: export: start: %w", err)
	}
	return x, nil
}

const exportColumns = `id, user_id, lang, state, progress, size, created_at, ready_at, expires_at`

func scanExport(s interface{ Scan(...any) error }) (*Export, error) {
	var x Export
	var created, ready, expires int64
	if err := s.Scan(&x.ID, &x.UserID, &x.Lang, &x.State, &x.Progress, &x.Size, &created, &ready, &expires); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, apperr.New(apperr.NotFound, "zipjob.notfound")
		}
		return nil, fmt.Errorf("privacy: export: %w", err)
	}
	x.CreatedAt, x.ExpiresAt = time.UnixMilli(created), time.UnixMilli(expires)
	if ready != 0 {
		x.ReadyAt = time.UnixMilli(ready)
	}
	return &x, nil
}

// Latest returns userID's newest export that has not expired (apperr
// NotFound: none).
func (e *Exports) Latest(ctx context.Context, userID int64) (*Export, error) {
	return scanExport(e.db.QueryRow(ctx, `SELECT `+exportColumns+` FROM data_exports
		WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT 1`, userID, e.now().UnixMilli()))
}

// Download returns the ZIP of export id if userID owns it, it is ready and
// it has not expired; otherwise apperr NotFound, whoever asks.
func (e *Exports) Download(ctx context.Context, userID, id int64) ([]byte, error) {
	x, err := scanExport(e.db.QueryRow(ctx, `SELECT `+exportColumns+` FROM data_exports
		WHERE id = ? AND user_id = ? AND state = ? AND expires_at > ?`, id, userID, ExportReady, e.now().UnixMilli()))
	if err != nil {
		return nil, err
	}
	key, err := e.v.ReadKey(ctx, e.db, userID)
	if err != nil {
		return nil, fmt.Errorf("privacy: export: download: %w", err)
	}
	rows, err := e.db.Query(ctx, `SELECT id, data_enc FROM data_export_parts WHERE export_id = ? ORDER BY seq`, x.ID)
	if err != nil {
		return nil, fmt.Errorf("privacy: export: download: %w", err)
	}
	defer rows.Close()
	out := make([]byte, 0, x.Size)
	for rows.Next() {
		var pid int64
		var enc []byte
		if err := rows.Scan(&pid, &enc); err != nil {
			return nil, fmt.Errorf("privacy: export: download: %w", err)
		}
		s, err := key.Open(partField(pid), enc)
		if err != nil {
			return nil, fmt.Errorf("privacy: export: download: %w", err)
		}
		out = append(out, s.Reveal()...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy: export: download: %w", err)
	}
	if int64(len(out)) != x.Size {
		return nil, fmt.Errorf("privacy: export: download: %d bytes of %d", len(out), x.Size)
	}
	return out, nil
}

func partField(id int64) vault.Field {
	return vault.Field{Table: "data_export_parts", Column: "data", Row: id}
}

// run is the build job: it builds the ZIP, seals and stores it, and tells
// the user in the same transaction. An export deleted meanwhile (expired,
// or its account deleted) is nothing to do.
func (e *Exports) run(ctx context.Context, a buildArgs) error {
	x, err := scanExport(e.db.QueryRow(ctx, `SELECT `+exportColumns+` FROM data_exports WHERE id = ?`, a.ExportID))
	if apperr.CodeOf(err) == apperr.NotFound || (err == nil && x.State == ExportReady) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := e.setState(ctx, x.ID, ExportRunning, 0); err != nil {
		return err
	}
	b, err := e.build(ctx, x.UserID, x.Lang, func(p int) {
		// Progress is advisory: a failed write does not stop the build.
		_ = e.setState(ctx, x.ID, ExportRunning, min(max(p, 0), 99))
	})
	if err != nil {
		bg := context.WithoutCancel(ctx)
		if ctx.Err() != nil {
			// Stopped with its node (or past its time): any node tries
			// again, and the page shows it waiting meanwhile.
			_ = e.setState(bg, x.ID, ExportPending, 0)
			return fmt.Errorf("privacy: export: build: %w", err)
		}
		// A build that fails on its own would fail again: the page says
		// so at once and the user may start another.
		_ = e.setState(bg, x.ID, ExportFailed, 0)
		return jobs.Permanent(fmt.Errorf("privacy: export: build: %w", err))
	}
	now := e.now()
	err = e.db.InTx(ctx, func(tx *db.Tx) error {
		// The row may have gone with its account while the ZIP was built.
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM data_exports WHERE id = ?`, x.ID).Scan(&n); err != nil || n == 0 {
			return err
		}
		key, err := e.v.UserKey(ctx, tx, x.UserID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM data_export_parts WHERE export_id = ?`, x.ID); err != nil {
			return err
		}
		for seq, off := 0, 0; off < len(b) || seq == 0; seq, off = seq+1, off+exportChunk {
			part := b[off:min(off+exportChunk, len(b))]
			pid := db.NewID()
			if _, err := tx.Exec(ctx, `INSERT INTO data_export_parts (id, export_id, seq, data_enc) VALUES (?, ?, ?, ?)`,
				pid, x.ID, seq, key.Seal(partField(pid), string(part))); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE data_exports SET state = ?, progress = 100, size = ?, ready_at = ?, expires_at = ? WHERE id = ?`,
			ExportReady, len(b), now.UnixMilli(), now.Add(ExportLifetime).UnixMilli(), x.ID); err != nil {
			return err
		}
		if e.notify == nil {
			return nil
		}
		return e.notify(ctx, tx, x.UserID, x.Lang)
	})
	if err != nil {
		return fmt.Errorf("privacy: export: store: %w", err)
	}
	return nil
}

func (e *Exports) setState(ctx context.Context, id int64, state string, progress int) error {
	if _, err := e.db.Exec(ctx, `UPDATE data_exports SET state = ?, progress = ? WHERE id = ? AND state <> ?`, state, progress, id, ExportReady); err != nil {
		return fmt.Errorf("privacy: export: %w", err)
	}
	return nil
}

// Expire deletes the exports whose time is up, with their ZIPs, and says
// how many.
func (e *Exports) Expire(ctx context.Context) (int, error) {
	var n int64
	err := e.db.InTx(ctx, func(tx *db.Tx) error {
		now := e.now().UnixMilli()
		if _, err := tx.Exec(ctx, `DELETE FROM data_export_parts WHERE export_id IN (SELECT id FROM data_exports WHERE expires_at <= ?)`, now); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM data_exports WHERE expires_at <= ?`, now)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("privacy: export: expire: %w", err)
	}
	return int(n), nil
}

// eraseExports deletes every export of userID (EraseUser).
func eraseExports(ctx context.Context, tx *db.Tx, userID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM data_export_parts WHERE export_id IN (SELECT id FROM data_exports WHERE user_id = ?)`, userID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM data_exports WHERE user_id = ?`, userID)
	return err
}

// SetClock replaces the clock (tests of expiry).
func (e *Exports) SetClock(now func() time.Time) { e.now = now }
