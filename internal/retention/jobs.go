package retention

import (
	"context"
	"log/slog"
	"time"

	"github.com/smartustaz/smartustaz/internal/jobs"
)

type purgeArgs struct{}

func (purgeArgs) Kind() string { return "retention.purge" }

// Every is how often the retention job runs, once across all nodes.
// Periods are counted in days, so a day late costs nothing.
const Every = jobs.MaxPeriod

// Register schedules p on the shared queue: one node of the site runs it
// once per period, and soon after the first start of a period.
func Register(q *jobs.Queue, p *Purger, log *slog.Logger) error {
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 30 * time.Minute}, func(ctx context.Context, _ purgeArgs) error {
		recs, err := p.Run(ctx)
		for _, r := range recs {
			// The count and the rule, never whose data.
			log.Info("retention: purged", "rule", r.Rule, "rows", r.Count)
		}
		return err
	})
	return q.Every(Every, purgeArgs{})
}
