package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/retention"
)

type closeArgs struct{}

func (closeArgs) Kind() string { return "telemetry.close" }

type retainArgs struct{}

func (retainArgs) Kind() string { return "telemetry.retain" }

// Every is how often the close and retention jobs run (across all nodes).
const Every = 15 * time.Minute

// Register schedules, on the shared job queue, the closing of ended days
// and the deletion of personalised records older than keep: each runs
// once per period on one node of the site. w (may be nil) forgets the
// closed days' salts on this node at once.
func Register(q *jobs.Queue, d *db.DB, w *Writer, keep time.Duration, log *slog.Logger) error {
	if keep <= 0 {
		keep = DefaultRetention
	}
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 10 * time.Minute}, func(ctx context.Context, _ closeArgs) error {
		days, err := CloseDays(ctx, d, time.Now())
		if err != nil {
			return err
		}
		for _, day := range days {
			if w != nil {
				w.forget(day)
			}
			log.Info("telemetry: day closed, its salt deleted", "day", day)
		}
		return nil
	})
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 10 * time.Minute}, func(ctx context.Context, _ retainArgs) error {
		n, err := Retain(ctx, d, time.Now(), keep)
		if err == nil && n > 0 {
			log.Info("telemetry: old personalised records deleted", "rows", n)
			// The site's destruction register lists this purge too.
			err = retention.Log(ctx, d, retention.Record{Table: "telemetry_records", Categories: "preferences,technical",
				Rule: fmt.Sprintf("telemetry_records.delete.days.%dd.at", int(keep/(24*time.Hour))), Count: n})
		}
		return err
	})
	if err := q.Every(Every, closeArgs{}); err != nil {
		return err
	}
	return q.Every(Every, retainArgs{})
}
