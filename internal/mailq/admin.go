package mailq

import (
	"context"
	"fmt"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// Counts are the messages by status.
type Counts struct {
	Pending, Sent, Failed int
}

// Counts returns how many messages are pending, sent (and still kept) and
// failed.
func (q *Queue) Counts(ctx context.Context) (Counts, error) {
	rows, err := q.d.Query(ctx, `SELECT status, COUNT(*) FROM mail_queue GROUP BY status`)
	if err != nil {
		return Counts{}, fmt.Errorf("mailq: counts: %w", err)
	}
	defer rows.Close()
	var c Counts
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return Counts{}, fmt.Errorf("mailq: counts: %w", err)
		}
		switch st {
		case StatusPending:
			c.Pending = n
		case StatusSent:
			c.Sent = n
		case StatusFailed:
			c.Failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return Counts{}, fmt.Errorf("mailq: counts: %w", err)
	}
	return c, nil
}

// Entry is a message as the administrator sees it: never its recipient,
// subject or body.
type Entry struct {
	ID       int64
	Kind     string
	Lang     string
	Status   string
	Bulk     string
	Attempts int
	Reason   string
	Created  time.Time
	Updated  time.Time
}

// Recent returns up to limit messages, newest first; status "" means all.
func (q *Queue) Recent(ctx context.Context, status string, limit int) ([]Entry, error) {
	where, args := "", []any{}
	if status != "" {
		where, args = "WHERE status = ?", append(args, status)
	}
	args = append(args, max(1, min(limit, 1000)))
	rows, err := q.d.Query(ctx, `SELECT id, kind, lang, status, bulk, attempts, reason, created_at, updated_at
		FROM mail_queue `+where+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("mailq: recent: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var created, updated int64
		if err := rows.Scan(&e.ID, &e.Kind, &e.Lang, &e.Status, &e.Bulk, &e.Attempts, &e.Reason, &created, &updated); err != nil {
			return nil, fmt.Errorf("mailq: recent: %w", err)
		}
		e.Created, e.Updated = db.Time(created), db.Time(updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mailq: recent: %w", err)
	}
	return out, nil
}

// Retry makes failed messages pending again, with a new retry window, and
// enqueues their delivery: message id, or every failed one when id is 0.
// It returns how many.
func (q *Queue) Retry(ctx context.Context, id int64) (int, error) {
	n := 0
	err := q.d.InTx(ctx, func(tx *db.Tx) error {
		// A message whose sealed fields were wiped (WipeFailedAfter) has
		// nothing left to send.
		where, args := "status = 'failed' AND rcpt IS NOT NULL", []any{}
		if id != 0 {
			where, args = where+" AND id = ?", append(args, id)
		}
		rows, err := tx.Query(ctx, `SELECT id, bulk FROM mail_queue WHERE `+where+` ORDER BY id LIMIT 5000`, args...)
		if err != nil {
			return err
		}
		type row struct {
			id   int64
			bulk bool
		}
		var list []row
		for rows.Next() {
			var r row
			var bulk string
			if err := rows.Scan(&r.id, &bulk); err != nil {
				rows.Close()
				return err
			}
			r.bulk = bulk != ""
			list = append(list, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := db.Now()
		for _, r := range list {
			if _, err := tx.Exec(ctx, `UPDATE mail_queue SET status = 'pending', retry_from = ?, updated_at = ? WHERE id = ? AND status = 'failed'`,
				now, now, r.id); err != nil {
				return err
			}
			if err := q.enqueueJob(ctx, tx, r.id, now, r.bulk); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("mailq: retry: %w", err)
	}
	return n, nil
}

// BeginBulk records the bulk send name (of the given kind) inside tx, if
// it is not recorded yet: its messages are enqueued with Bulk(name).
func (q *Queue) BeginBulk(ctx context.Context, tx *db.Tx, name, kind string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO mail_bulk (name, kind, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		name, kind, db.Now()); err != nil {
		return fmt.Errorf("mailq: bulk: %w", err)
	}
	return nil
}

// EndBulk records inside tx that every message of the bulk send is
// enqueued.
func (q *Queue) EndBulk(ctx context.Context, tx *db.Tx, name string) error {
	if _, err := tx.Exec(ctx, `UPDATE mail_bulk SET complete = 1 WHERE name = ?`, name); err != nil {
		return fmt.Errorf("mailq: bulk: %w", err)
	}
	return nil
}

// Progress is a bulk send as far as it went.
type Progress struct {
	Name, Kind string
	Started    time.Time
	// Complete: every message is enqueued; until then more are coming.
	Complete                      bool
	Queued, Sent, Pending, Failed int
}

// Percent is how much of what is enqueued is sent or failed for good.
func (p Progress) Percent() int {
	if p.Queued == 0 {
		return 0
	}
	return (p.Sent + p.Failed) * 100 / p.Queued
}

// Bulks returns the latest bulk sends, newest first, with their progress.
func (q *Queue) Bulks(ctx context.Context, limit int) ([]Progress, error) {
	rows, err := q.d.Query(ctx, `SELECT b.name, b.kind, b.created_at, b.complete,
		COALESCE(SUM(CASE WHEN m.status = 'sent' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.status = 'pending' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.status = 'failed' THEN 1 ELSE 0 END), 0)
		FROM mail_bulk b LEFT JOIN mail_queue m ON m.bulk = b.name
		GROUP BY b.name, b.kind, b.created_at, b.complete
		ORDER BY b.created_at DESC LIMIT ?`, max(1, min(limit, 100)))
	if err != nil {
		return nil, fmt.Errorf("mailq: bulks: %w", err)
	}
	defer rows.Close()
	var out []Progress
	for rows.Next() {
		var p Progress
		var created int64
		var complete int
		if err := rows.Scan(&p.Name, &p.Kind, &created, &complete, &p.Sent, &p.Pending, &p.Failed); err != nil {
			return nil, fmt.Errorf("mailq: bulks: %w", err)
		}
		p.Started, p.Complete = db.Time(created), complete != 0
		p.Queued = p.Sent + p.Pending + p.Failed
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mailq: bulks: %w", err)
	}
	return out, nil
}
