package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
)

// digestArgs is the digest's hourly job (issue 13 §3): once an hour
// across every node (jobs.Every), it sends each reader whose day or week
// ended the digest of that period. The library claims each reader's
// period in the database before sending, so neither a second run nor
// another node sends a period twice; hourly runs catch up a run that
// failed or a site that was down at midnight.
type digestArgs struct{}

func (digestArgs) Kind() string { return "library.digest" }

// digestEvery is how often the digest looks for ended periods.
const digestEvery = time.Hour

func registerDigest(q *jobs.Queue, lib *library.Service, log *slog.Logger) error {
	jobs.Register(q, jobs.Kind{Unique: true, Timeout: 30 * time.Minute}, func(ctx context.Context, _ digestArgs) error {
		res, err := lib.SendDigests(ctx, time.Now())
		if res.Sent > 0 {
			log.Info("digest: sent", "emails", res.Sent)
		}
		return err
	})
	return q.Every(digestEvery, digestArgs{})
}

// cmdDigest queues the digests due at --at (default now) at once: for an
// operator who wants them out before the next hourly run, and for tests,
// which move the moment instead of waiting for midnight. Like every mail
// of the site they go into the durable mail queue (internal/mailq), which
// a running serve delivers; what was queued for a period is never queued
// again, by this or by the job.
func cmdDigest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var at string
	c, _, err := parse("digest", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&at, "at", "", "the moment to send for, RFC 3339 (default now): the day or week before it is the period sent")
	})
	if err != nil {
		return err
	}
	now := time.Now()
	if at != "" {
		if now, err = time.Parse(time.RFC3339, at); err != nil {
			return fmt.Errorf("digest: --at: %w", err)
		}
	}
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	transport, err := mail.Open(c.SMTP, c.DataDir, c.MailFrom)
	if err != nil {
		return err
	}
	// A queue that is never started: it only inserts, and serve's
	// workers deliver.
	q, err := jobs.New(a.db, jobs.Options{Node: "digest-command"})
	if err != nil {
		return err
	}
	mq := mailq.New(a.db, a.vault, q, transport, mailq.Options{Rate: c.MailRate, From: c.MailFrom})
	if err := mq.Register(ctx); err != nil {
		return err
	}
	lib := library.New(a.db, a.vault, a.store, library.Options{Mail: mq, Contacts: contacts(a.accounts), BaseURL: c.BaseURL})
	res, err := lib.SendDigests(ctx, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "smartustaz: %d digest(s) queued, %d reader(s) had nothing new\n", res.Sent, res.Empty)
	return nil
}
