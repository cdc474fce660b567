package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
)

// escalateArgs is the hourly job that tells the administrators of
// overdue complaints and reports of materials (issue 12 §3): once an hour
// across every node (jobs.Every); the register records each item's day,
// so each overdue item is mailed once a day whichever node runs it.
type escalateArgs struct{}

func (escalateArgs) Kind() string { return "complaints.escalate" }

// escalateEvery is how often overdue items are looked for.
const escalateEvery = time.Hour

func registerEscalation(q *jobs.Queue, cs *complaints.Service, lib *library.Service, accounts *account.Service, link func() string, log *slog.Logger) error {
	admin := contacts(accounts)
	esc := complaints.Escalation{
		Reports: func(ctx context.Context, now time.Time) ([]complaints.Item, error) {
			rs, err := lib.OverdueReports(ctx, now)
			out := make([]complaints.Item, 0, len(rs))
			for _, r := range rs {
				out = append(out, complaints.Item{ID: r.ID, Kind: "report", What: r.Reason, Due: r.Deadline})
			}
			return out, err
		},
		Admins: func(ctx context.Context) ([]complaints.Admin, error) {
			ids, err := accounts.AdminIDs(ctx)
			if err != nil {
				return nil, err
			}
			var out []complaints.Admin
			for _, id := range ids {
				to, l, err := admin(ctx, id)
				if err != nil {
					return nil, err
				}
				out = append(out, complaints.Admin{Email: to, Lang: l})
			}
			return out, nil
		},
		Link: link,
	}
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 10 * time.Minute}, func(ctx context.Context, _ escalateArgs) error {
		n, err := cs.Escalate(ctx, esc)
		if n > 0 {
			log.Info("complaints: overdue items escalated to the administrators", "items", n)
		}
		return err
	})
	return q.Every(escalateEvery, escalateArgs{})
}
