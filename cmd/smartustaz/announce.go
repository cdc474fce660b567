package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
)

// announcePage is how many users one announcement job writes to.
const announcePage = 200

// announceArgs is one page of the announcement of a new document version
// (clause 3.4): the active users with ids above After, by id. The first
// page is enqueued in the transaction that publishes the version, and each
// page enqueues the next when it is done, so the announcement survives a
// crash, a restart or a node killed with SIGKILL: an interrupted page is
// taken again by any node (those of its users already written to may get
// the notice twice; issue 10's outbox makes each message once). A page of
// which no mail went out (the mail server down) is retried with backoff;
// an address refused alone is logged and skipped, as one bad address must
// not send the notice again to the rest of its page.
type announceArgs struct {
	DocKind string `json:"kind"`
	Version int    `json:"version,string"`
	After   int64  `json:"after,string"`
}

// Kind names the job.
func (announceArgs) Kind() string { return "consent.announce" }

// announcer writes the announcement, a page a job.
type announcer struct {
	q        *jobs.Queue
	accounts *account.Service
	mail     mail.Sender
	log      *slog.Logger
	// base is the site's public address, known once serve listens.
	base atomic.Pointer[string]
}

// register tells the queue about the announcement and has consent
// enqueue its first page inside every publication's transaction.
func (an *announcer) register(c *consent.Service) {
	jobs.Register(an.q, jobs.Kind{Unique: true}, an.page)
	c.OnPublished = func(ctx context.Context, tx *db.Tx, doc *consent.Document) error {
		return an.q.EnqueueTx(ctx, tx, announceArgs{DocKind: string(doc.Kind), Version: doc.Version})
	}
}

func (an *announcer) page(ctx context.Context, a announceArgs) error {
	list, err := an.accounts.List(ctx, a.After, announcePage)
	if err != nil {
		return fmt.Errorf("announce: list users: %w", err)
	}
	base := ""
	if b := an.base.Load(); b != nil {
		base = *b
	}
	link := fmt.Sprintf("%s/agreement/%s/%d", base, a.DocKind, a.Version)
	sent, failed := 0, 0
	var lastErr error
	for _, sum := range list {
		if sum.Status != account.StatusActive {
			continue
		}
		u, err := an.accounts.Get(ctx, sum.ID)
		if err != nil {
			continue // deleted since the list was read
		}
		l, ok := i18n.Parse(u.Locale)
		if !ok {
			l = i18n.Default
		}
		if err := an.mail.Send(ctx, mail.AgreementChanged(l, u.Email.Reveal(), link)); err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // shutting down: the page is taken again
			}
			// One address refused is that user's; the page goes on.
			an.log.Error("announce: mail not sent", "user_id", sum.ID, "err", err)
			failed, lastErr = failed+1, err
			continue
		}
		sent++
	}
	if sent == 0 && failed > 0 {
		// Nothing went out: the mail server is down, not an address. The
		// page is tried again later (with backoff), and nobody gets the
		// notice twice.
		return fmt.Errorf("announce: no mail of the page sent (%d failed): %w", failed, lastErr)
	}
	if len(list) == announcePage {
		next := a
		next.After = list[len(list)-1].ID
		if err := an.q.Enqueue(ctx, next); err != nil {
			return fmt.Errorf("announce: next page: %w", err)
		}
	}
	an.log.Info("announced new document version", "kind", a.DocKind, "version", a.Version, "after_user_id", a.After, "emails", sent)
	return nil
}
