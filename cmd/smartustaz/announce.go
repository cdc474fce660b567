package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
)

// announcePage is how many users one announcement job writes to.
const announcePage = 200

// announceArgs is one page of the announcement of a new document version
// (clause 3.4): the active users with ids above After, by id. The first
// page is enqueued in the transaction that publishes the version, and each
// page enqueues its messages into the mail queue (internal/mailq) and the
// next page in one transaction, so the announcement survives a crash, a
// restart or a node killed with SIGKILL: an interrupted page is taken
// again by any node and enqueues nothing twice (each message has the
// idempotency key of its version and user). The mail queue hands the
// messages to the mail server at --mail-rate, retries them for a day, and
// shows the bulk send's progress on /admin/mail.
//
// The notice carries no List-Unsubscribe: it is the notice of a change to
// the agreement that clause 3.4 requires the site to give every user, not
// a list one may leave (RFC 2369 and RFC 8058 are for such lists). A
// user who does not want it may delete their account, as the notice
// says.
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
	db       *db.DB
	accounts *account.Service
	mail     *mailq.Queue
	// undeliverable tells an address that bounced (the correspondence's
	// bounce register): the notice is queued in the announcement's own
	// transaction, past the Suppress that guards every other mail, so
	// the page asks it itself. nil: no address is skipped.
	undeliverable func(ctx context.Context, email string) (bool, error)
	log           *slog.Logger
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
	bulk := fmt.Sprintf("agreement/%s/%d", a.DocKind, a.Version)
	type notice struct {
		user int64
		m    mail.Message
	}
	var notices []notice
	for _, sum := range list {
		if sum.Status != account.StatusActive || sum.Blocked != "" {
			continue // deleted, or blocked: no mail (it is asked at its next consent)
		}
		u, err := an.accounts.Get(ctx, sum.ID)
		if err != nil {
			continue // deleted since the list was read
		}
		l, ok := i18n.Parse(u.Locale)
		if !ok {
			l = i18n.Default
		}
		if an.undeliverable != nil {
			if bad, err := an.undeliverable(ctx, u.Email.Reveal()); err != nil {
				return fmt.Errorf("announce: bounce register: %w", err)
			} else if bad {
				continue // told on /account; mailed again once confirmed
			}
		}
		m := mail.AgreementChanged(l, u.Email.Reveal(), link)
		m.Key = fmt.Sprintf("announce/%s/%d/user/%d", a.DocKind, a.Version, sum.ID)
		notices = append(notices, notice{sum.ID, m})
	}
	queued := 0
	err = an.db.InTx(ctx, func(tx *db.Tx) error {
		queued = 0
		if a.After == 0 {
			if err := an.mail.BeginBulk(ctx, tx, bulk, "agreement"); err != nil {
				return err
			}
		}
		for _, n := range notices {
			err := an.mail.SendTx(ctx, tx, n.m, mailq.Bulk(bulk))
			if errors.Is(err, mail.ErrRecipient) {
				// One unusable address is that user's; the page goes on.
				an.log.Error("announce: address refused", "user_id", n.user)
				continue
			}
			if err != nil {
				return err
			}
			queued++
		}
		if len(list) == announcePage {
			next := a
			next.After = list[len(list)-1].ID
			return an.q.EnqueueTx(ctx, tx, next)
		}
		return an.mail.EndBulk(ctx, tx, bulk)
	})
	if err != nil {
		return fmt.Errorf("announce: page after user %d: %w", a.After, err)
	}
	an.log.Info("announced new document version", "kind", a.DocKind, "version", a.Version, "after_user_id", a.After, "emails_queued", queued)
	return nil
}
