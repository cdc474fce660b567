package main

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// consentTermArgs is the consent term's hourly job (law L3; issue 12 §2):
// once an hour across every node (jobs.Every), it emails the users whose
// consent ends within 30 or 7 days (each reminder once: a row of
// consent_reminders is inserted in the transaction that queues it) and
// blocks the accounts whose consent ended (privacy.Control.RunTerm).
type consentTermArgs struct{}

func (consentTermArgs) Kind() string { return "privacy.consent_term" }

// consentTermEvery is how often the job runs: a consent that ends is
// blocked within the hour.
const consentTermEvery = time.Hour

// registerConsentTerm registers the job; ctl's mail goes into mq in the
// job's transactions, with links to base. blocked runs after a run that
// blocked accounts: a blocked author's name leaves the public pages
// (kept in every node's page cache) at once, as a block by a form does.
func registerConsentTerm(q *jobs.Queue, ctl *privacy.Control, mq *mailq.Queue, base *atomic.Pointer[string], blocked func(context.Context), log *slog.Logger) error {
	ctl.SendTx = func(ctx context.Context, tx *db.Tx, m mail.Message) error { return mq.SendTx(ctx, tx, m) }
	ctl.BaseURL = func() string {
		if b := base.Load(); b != nil {
			return *b
		}
		return ""
	}
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 30 * time.Minute}, func(ctx context.Context, _ consentTermArgs) error {
		res, err := ctl.RunTerm(ctx, time.Now())
		if res.Reminded > 0 || res.Blocked > 0 {
			log.Info("consent term: done", "reminded", res.Reminded, "blocked", res.Blocked)
		}
		if res.Blocked > 0 && blocked != nil {
			blocked(ctx)
		}
		return err
	})
	return q.Every(consentTermEvery, consentTermArgs{})
}
