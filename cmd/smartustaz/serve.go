package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/cluster"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/config"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/incident"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/logging"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/retention"
	"github.com/smartustaz/smartustaz/internal/search"
	"github.com/smartustaz/smartustaz/internal/search/index"
	"github.com/smartustaz/smartustaz/internal/web"
)

// auditCheckpointEvery is how often a serving node looks whether the audit
// log has grown and, if so, signs a new checkpoint: entries appended in the
// last few seconds are the only ones not yet anchored outside the database.
const auditCheckpointEvery = 5 * time.Second

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	// --demo is serve's alone (SMARTUSTAZ_DEMO too): the other commands
	// never fill anything, and `smartustaz demo` has its own counts.
	var demo bool
	var tel telemetryFlags
	var smtpListen, replyDomain string
	c, _, err := parse("serve", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&smtpListen, "smtp-listen", getenv("SMARTUSTAZ_SMTP_LISTEN"), "receive replies to the administration's answers and bounces by SMTP on this address, e.g. 127.0.0.1:2525; empty = off [SMARTUSTAZ_SMTP_LISTEN]")
		fs.StringVar(&replyDomain, "reply-domain", getenv("SMARTUSTAZ_REPLY_DOMAIN"), "domain of the reply+TOKEN addresses of answers (its MX must lead to --smtp-listen); empty = the domain of --mail-from [SMARTUSTAZ_REPLY_DOMAIN]")
		config.BoolVar(fs, &demo, "demo", "SMARTUSTAZ_DEMO", false, getenv, fmt.Sprintf("on start, fill an empty catalog with %d demo teachers and %d demo materials, as the demo command does; never on a site with real users [SMARTUSTAZ_DEMO]", demoServeUsers, demoServeMaterials))
		tel.define(fs, getenv)
	})
	if err != nil {
		return err
	}
	log := logging.New(stderr, slog.LevelInfo)
	a, err := open(ctx, c, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	a.db.SetLogger(log)
	a.accounts.SetLogger(log)
	// Work beside the requests is stopped before the database closes,
	// within the shutdown deadline (an early return gives it a deadline
	// of its own).
	bg := &stopper{log: log}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
		defer cancel()
		bg.stop(sctx)
	}()

	// transport is where mail goes (the SMTP server, or the outbox
	// folder); only the mail queue below hands it messages.
	transport, err := mail.Open(c.SMTP, c.DataDir, c.MailFrom)
	if err != nil {
		return err
	}
	// The correspondence (clause 1.2 (a)).
	corr := correspondence.New(a.db, a.vault, a.audit)
	corr.OwnerOf = func(ctx context.Context, email string) int64 {
		if u, err := a.accounts.FindByEmail(ctx, email); err == nil {
			return u.ID
		}
		return 0
	}
	if replyDomain == "" {
		replyDomain = mailDomain(c.MailFrom)
	}
	store := a.store
	// The audit chain is anchored outside the database (open: the data
	// folder, and the bucket on S3) at start, a few seconds after entries
	// are appended, and at shutdown (audit.KeepCheckpoints).
	defer a.audit.KeepCheckpoints(ctx, auditCheckpointEvery, log)()
	// Page images are made in the background (previews.go), stopped
	// before the database closes.
	// A material page kept for readers who are not signed in is forgotten
	// when its images are drawn; the site is made after the worker, hence
	// the pointer.
	var site atomic.Pointer[web.Server]
	pv := newPreviews(a.db, store, log, stdout, c.PageImages, func(id int64) {
		if s := site.Load(); s != nil {
			s.MaterialChanged(ctx, id)
		}
	})
	// Background work is in one durable queue in the database, shared by
	// every node (internal/jobs); started below, stopped before the
	// database closes.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	queue, err := newQueue(a.db, log, pv, c.PageImages, c.DataDir)
	if err != nil {
		return err
	}
	// Every message the site sends is stored (sealed) in the database
	// and delivered by the job queue from there (internal/mailq): a crash
	// or a mail server that is down loses none. The queue is the
	// mail.Sender everything else is given.
	mq := mailq.New(a.db, a.vault, queue, transport, mailq.Options{Rate: c.MailRate, From: c.MailFrom, Log: log})
	if err := mq.Register(ctx); err != nil {
		return err
	}
	// Every mail of the site goes through the correspondence's Suppress
	// first, so an address that bounced is not mailed until it is
	// confirmed again. It wraps the queue, not the transport: the choice
	// is made when a message is queued, where the request that may send
	// the confirmation link anyway is still known.
	sender := corr.Suppress(mq)
	// Nothing is mailed to a blocked account but the answers to its
	// requests (issue 12 §2; privacy.Hold), decided when it is queued.
	sender = privacy.Hold(sender, a.accounts.AddressBlocked, log)
	lib := library.New(a.db, a.vault, store, library.Options{
		MaxFileSize: int64(c.MaxFileMB) << 20, PublishImmediately: c.PublishImmediately,
		Mail: sender, Contacts: contacts(a.accounts), BaseURL: c.BaseURL, Log: log,
		Searcher: index.New(a.db), Published: pv.EnqueueTx,
	})
	if err := lib.SeedTaxonomy(ctx); err != nil {
		return err
	}
	// The janitor (janitor.go): what every node shares is purged once an
	// hour across all of them, by the queue; what is this node's own, here.
	if err := registerJanitor(queue, a.accounts, blobJanitor{lib}, log); err != nil {
		return err
	}
	// The declared retention periods (internal/datamap), enforced once a
	// day across all nodes, each purge in the destruction register.
	purger, err := retention.New(a.db, nil)
	if err != nil {
		return err
	}
	if err := retention.Register(queue, purger, log); err != nil {
		return err
	}
	// The digest of followed authors' new materials (digest.go).
	if err := registerDigest(queue, lib, log); err != nil {
		return err
	}
	// The register of complaints, disputes and official requests (clause
	// 3.2): answers go out through the mail queue in the answer's own
	// transaction; overdue items are escalated hourly (complaints.go).
	complaintsReg := complaints.New(a.db, a.vault, a.audit, privacy.NewHolidays(a.db, a.audit), mq)
	complaintsReg.Recipient = complaints.Recipient(contacts(a.accounts))
	registerLink := func() string {
		if s := site.Load(); s != nil {
			return s.BaseURL + "/admin/complaints"
		}
		return c.BaseURL + "/admin/complaints"
	}
	if err := registerEscalation(queue, complaintsReg, lib, a.accounts, registerLink, log); err != nil {
		return err
	}
	bg.add("the janitor", janitor{p: nodeJanitor{accounts: a.accounts, lib: lib, outbox: outboxOf(transport), d: a.db}, log: log, first: janitorFirst, every: janitorEvery, what: nodeJanitorWhat}.start(ctx))
	// A new version of a document is announced to every user by the queue
	// (announce.go), enqueued in the publication's transaction.
	an := &announcer{q: queue, db: a.db, accounts: a.accounts, mail: mq, undeliverable: corr.Undeliverable, log: log}
	an.register(a.consent)
	// The consent's term (control.go): reminders, then a block.
	ctl := privacy.NewControl(a.db, a.vault, a.audit, a.accounts, a.consent)
	ctl.Log = log
	termBlocked := func(ctx context.Context) {
		if s := site.Load(); s != nil {
			s.PagesChanged(ctx)
		}
	}
	if err := registerConsentTerm(queue, ctl, mq, &an.base, termBlocked, log); err != nil {
		return err
	}
	// Imports uploaded at /admin/import and their invitations (issue 11).
	a.imports.UseJobs(importJobs(queue, mq, corr.Undeliverable, log, an))
	// Personal-data incidents (issue 12 §4): the notice to the users is a
	// bulk send of the mail queue, written a page a job.
	holidays := privacy.NewHolidays(a.db, a.audit)
	incidents := incident.New(a.db, a.vault, a.audit, a.accounts, holidays, privacy.NewContacts(a.db, a.audit))
	incidents.UseJobs(incident.Jobs{Queue: queue, Mail: mq, Undeliverable: corr.Undeliverable, Log: log,
		Base: importJobs(queue, mq, nil, log, an).Base})
	// Search terms made by another version of the analysis still serve,
	// but queries analysed by this one miss some of them.
	if stored, due, err := lib.AnalysisState(ctx); err == nil && due {
		log.Warn("search terms are from another version of the analysis: run smartustaz reindex", "stored", stored, "current", search.AnalysisVersion)
	}
	// The demo fill comes after the check above has recorded an empty
	// library's analysis as current (the demo's terms are this version's);
	// before the page-image worker starts, because the bulk fill announces
	// no material and only the catch-up the worker asks for at start finds
	// the demo files; and before listening, so the first visitor sees the
	// whole catalog.
	if demo {
		if err := fillEmptyDemo(ctx, a, lib, stdout, stderr); err != nil {
			return err
		}
	}
	// A large account's data ZIP is built by the queue (internal/privacy
	// exports.go) with the site's own build and mail; the site is made
	// after the queue starts, hence the pointer (a job taken before it
	// exists fails and is tried again).
	exports := privacy.NewExports(a.db, a.vault)
	if err := exports.Register(queue, func(ctx context.Context, uid int64, lang string, progress func(int)) ([]byte, error) {
		s := site.Load()
		if s == nil {
			return nil, errors.New("data zip: the site is not started yet")
		}
		return s.BuildDataZip(ctx, uid, lang, progress)
	}, func(ctx context.Context, tx *db.Tx, uid int64, lang string) error {
		s := site.Load()
		if s == nil {
			return errors.New("data zip: the site is not started yet")
		}
		return s.MailDataZipReady(ctx, tx, uid, lang)
	}); err != nil {
		return err
	}
	// Page views are recorded in batches (telemetry.go); the closing of
	// days and the retention of records are jobs of the shared queue.
	rec, err := startTelemetry(tel, a, lib, queue, reg, log)
	if err != nil {
		return err
	}
	if rec != nil {
		bg.add("the page-view recorder (the last second's views)", rec.stop)
	}
	if err := queue.Start(ctx); err != nil {
		return err
	}
	// Jobs still running at shutdown are cancelled, and any node takes
	// them again (their lease): nothing is lost, within the same deadline.
	bg.add("the job queue", func() { queue.Stop(c.ShutdownTimeout) })
	// Turned off, this node draws nothing and asks for no catch-up (other
	// nodes may draw).
	if c.PageImages {
		pv.Start(ctx, lib)
		bg.add("the page image worker", pv.Stop)
	}
	// Page views are written once a second (library/views.go); the last
	// second's are written at shutdown.
	bg.add("the view counter (the last second's views)", lib.StartViewCounter(ctx, time.Second))
	// Changes made on another serve process of the site empty this one's
	// caches at once (internal/cluster; PostgreSQL LISTEN/NOTIFY).
	bus := cluster.New(a.db, log)
	bus.On(cluster.TopicPages, func(string) { lib.ForgetCaches() })
	bus.OnResync(lib.ForgetCaches)
	// A deletion on one node goes on every node's deletion list at once,
	// and their cached data key of that user is dropped (the entry is
	// authenticated: a forged notification is refused).
	// A teacher who chose to withdraw their materials as they delete the
	// account: withdrawn in the deletion's transaction, their stored files
	// deleted after it where nothing else holds them.
	a.accounts.Withdraw = func(ctx context.Context, tx *db.Tx, id int64) (func(context.Context), error) {
		shas, err := lib.WithdrawAuthorTx(ctx, tx, id)
		return func(ctx context.Context) { lib.ReleaseFiles(ctx, shas) }, err
	}
	a.accounts.OnDeleted = func(ctx context.Context, id int64) {
		bus.Publish(ctx, cluster.TopicUserKey, a.vault.TombstoneEntry(id))
	}
	bus.On(cluster.TopicUserKey, func(entry string) {
		if _, err := a.vault.AcceptTombstone(entry); err != nil {
			log.Warn("cluster: a deletion from another node was refused", "err", err)
		}
	})
	// This node reports the master keys it holds, so `keys rotate` can
	// refuse a key that a live node lacks; it re-reads its key file when
	// the file changes (internal/vault nodes.go).
	stopNode, err := a.vault.StartNode(ctx, log)
	if err != nil {
		return err
	}
	defer stopNode()
	srv, err := web.NewServer(web.Deps{
		DB: a.db, Vault: a.vault, Accounts: a.accounts, Consent: a.consent, Audit: a.audit,
		Library: lib, Previews: pv, Queue: queue, Mail: sender, MailQueue: mq, Import: a.imports, Log: log, BaseURL: c.BaseURL, TrustProxy: c.TrustProxy,
		Registry: reg, MetricsOnSite: c.MetricsAddr == "",
		PageCacheBytes: int64(c.PageCacheMB) << 20, PageCacheTTL: c.PageCacheTTL, Bus: bus,
		Telemetry: rec.recorder(), TelemetryRetention: rec.retention(),
		Corr: corr, ReplyDomain: replyDomain, Complaints: complaintsReg,
		Processors:  privacy.ProcessorsFromConfig(c.DB, c.Storage, c.SMTP),
		Incidents:   incidents,
		DataExports: exports, DataZipBackground: c.DataZipBackground,
	})
	if err != nil {
		return err
	}
	site.Store(srv)
	busCtx, stopBus := context.WithCancel(ctx)
	busDone := make(chan struct{})
	go func() { bus.Run(busCtx); close(busDone) }()
	defer func() { stopBus(); <-busDone }()

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	base := c.BaseURL
	if c.BaseURLDerived {
		// Port 0 or a wildcard address: the links must carry the real port.
		base = "http://" + displayAddr(ln.Addr())
		srv.BaseURL = base
		lib.SetBaseURL(base)
	}
	an.base.Store(&base)
	fmt.Fprintf(stdout, "smartustaz: listening on %s (data in %s, database %s)\n", base, c.DataDir, a.db.Engine())
	if c.SMTP == "" {
		fmt.Fprintf(stdout, "smartustaz: no --smtp given: email is written as .eml files into %s/outbox\n", c.DataDir)
	}

	// A fresh install has no administrator: print a one-time link. Every
	// node adds its own, and each works until an administrator exists.
	if token, err := a.accounts.NewSetupLink(ctx); err != nil {
		return err
	} else if token != "" {
		fmt.Fprintf(stdout, "smartustaz: no administrator yet. Create the first one here (works once): %s/setup?token=%s\n", base, token)
	}

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 3)
	go func() { errc <- hs.Serve(ln) }()

	// Replies to answers and bounces come in by SMTP (internal/
	// correspondence inbound.go), only when asked for.
	if smtpListen != "" {
		sl, err := net.Listen("tcp", smtpListen)
		if err != nil {
			return fmt.Errorf("serve: smtp listen: %w", err)
		}
		ss := corr.NewListener(correspondence.ListenerOptions{Domain: replyDomain, Log: log,
			Limiter: a.accounts.Limiter("smtp", 10),
			CheckFile: func(ctx context.Context, name string, data []byte) (string, string, error) {
				return library.CheckAttachment(ctx, "file", name, data, correspondence.MaxAttachment)
			}})
		go func() {
			if err := ss.Serve(sl); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
				errc <- fmt.Errorf("smtp listener: %w", err)
			}
		}()
		defer ss.Close()
		fmt.Fprintf(stdout, "smartustaz: receiving replies by SMTP on %s for reply+TOKEN@%s\n", sl.Addr(), replyDomain)
	}

	var ms *http.Server
	if c.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.Metrics())
		// Only when asked (--pprof), the operator's private listener also
		// profiles the running server (go tool pprof
		// http://ADDR/debug/pprof/profile). It has no authentication, so
		// it is off by default; the site's own address never serves it.
		if c.Pprof {
			mux.HandleFunc("GET /debug/pprof/", pprof.Index)
			mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
		}
		ms = &http.Server{Addr: c.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- ms.ListenAndServe() }()
		fmt.Fprintf(stdout, "smartustaz: metrics on http://%s/metrics\n", c.MetricsAddr)
		if c.Pprof {
			fmt.Fprintf(stdout, "smartustaz: profiler on http://%s/debug/pprof/ (no authentication: keep the address private)\n", c.MetricsAddr)
		}
	}

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	case <-ctx.Done():
	}
	// Graceful shutdown: stop accepting, let in-flight requests finish,
	// then stop background work (the queue's jobs, the workers above),
	// all within one deadline: what is still running then is cancelled
	// and named in the log.
	fmt.Fprintln(stdout, "smartustaz: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
	defer cancel()
	err = hs.Shutdown(sctx)
	if ms != nil {
		ms.Shutdown(sctx)
	}
	bg.stop(sctx)
	if err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	fmt.Fprintln(stdout, "smartustaz: stopped")
	return nil
}

// stopper stops serve's background work, all of it at once, and waits
// for it no longer than the shutdown deadline: a stop cancels at once,
// and what has not finished when the deadline passes is named in the log
// and left behind (the process is exiting).
type stopper struct {
	log   *slog.Logger
	names []string
	stops []func()
}

func (s *stopper) add(name string, stop func()) {
	s.names = append(s.names, name)
	s.stops = append(s.stops, stop)
}

func (s *stopper) stop(ctx context.Context) {
	done := make([]chan struct{}, len(s.stops))
	for i, stop := range s.stops {
		done[i] = make(chan struct{})
		go func() {
			defer close(done[i])
			stop()
		}()
	}
	for i := range done {
		select {
		case <-done[i]:
		case <-ctx.Done():
			select {
			case <-done[i]:
			default:
				s.log.Warn("shutdown: deadline reached; left unfinished", "left", s.names[i])
			}
		}
	}
	s.names, s.stops = nil, nil
}

// contacts lets the library write to an author (a moderation decision)
// without knowing about accounts: the address is opened for one message.
func contacts(accounts *account.Service) library.Contacts {
	return func(ctx context.Context, userID int64) (string, i18n.Lang, error) {
		u, err := accounts.Get(ctx, userID)
		if err != nil {
			return "", "", err
		}
		if u.Status != account.StatusActive || u.Blocked != "" {
			return "", "", nil // deleted, or blocked: nothing is mailed to it
		}
		l, ok := i18n.Parse(u.Locale)
		if !ok {
			l = i18n.Default
		}
		return u.Email.Reveal(), l, nil
	}
}

// mailDomain is the domain of a From address ("name <a@b>" → "b").
func mailDomain(from string) string {
	if from == "" {
		from = mail.DefaultFrom
	}
	if a, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok {
			return d
		}
	}
	return "localhost"
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// outboxOf is the outbox when mail is written to files, else nil.
func outboxOf(s mail.Sender) *mail.Outbox {
	o, _ := s.(*mail.Outbox)
	return o
}
