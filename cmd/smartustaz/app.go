package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/config"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/telemetry"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// app is the set of opened dependencies that most commands share.
type app struct {
	cfg      config.Config
	db       *db.DB
	vault    *vault.Vault
	store    blob.Store
	accounts *account.Service
	consent  *consent.Service
	audit    *audit.Log
	imports  *importer.Service
}

func (a *app) Close() { a.db.Close() }

// parse reads the common flags (plus any a command adds via extra).
func parse(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(fs *flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	var c config.Config
	fs := config.FlagSet(name, &c, getenv, stderr)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, fs, err
	}
	return c, fs, c.Finish()
}

// open connects the database, applies migrations, opens the vault
// (creating the key file on first start, with a loud warning) and the
// file storage, re-applies the deletion list (so an account deleted
// after the database's backup was taken is erased again before any
// command or request reads it) and seeds the documents.
func open(ctx context.Context, c config.Config, getenv func(string) string, stderr io.Writer) (*app, error) {
	d, err := db.Open(ctx, c.DB, c.DataDir)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	v, created, err := vault.Open(d, c.DataDir, getenv)
	if err != nil {
		d.Close()
		return nil, err
	}
	if created {
		fmt.Fprintf(stderr, `
################################################################################
#  A NEW MASTER KEY FILE WAS CREATED: %s
#  Back it up NOW, somewhere other than the database backups.
#  Without it, every personal field in the database is unreadable for good;
#  with the database, it is everything. See docs/operations.md.
################################################################################

`, v.KeyFile())
	}
	store, err := blob.Open(c.Storage, c.DataDir)
	if err != nil {
		d.Close()
		return nil, err
	}
	// On S3 the deletion list is also kept in the bucket, where every
	// node and a node rebuilt on a new disk find it (a local store is in
	// the data folder already).
	if m, ok := store.(blob.Named); ok && strings.HasPrefix(c.Storage, "s3://") {
		v.UseMirror(m)
	}
	a := &app{cfg: c, db: d, vault: v, store: store,
		// A deletion empties every domain's tables in one transaction.
		accounts: account.New(d, v, account.Options{Erasers: []account.Eraser{consent.EraseUser, library.EraseUser, correspondence.EraseUser, importer.EraseUser, privacy.EraseUser, telemetry.EraseUser, complaints.EraseUser}}),
		consent:  consent.New(d, v),
		audit:    audit.New(d, v),
	}
	a.imports = importer.New(d, v, a.accounts, a.audit)
	// An imported user's first acceptance is recorded as such (issue 11).
	a.consent.MethodFor = a.imports.AcceptMethod
	n, err := a.accounts.ApplyTombstones(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	if n > 0 {
		fmt.Fprintf(stderr, "smartustaz: %d deleted account(s) were back in the database (a backup from before their deletion?) and were erased again\n", n)
	}
	// Public profile values and collection names kept in plain text
	// before migrations 0029 and 0030 are sealed once; later starts find
	// none.
	if n, err := library.SealLeftovers(ctx, d, v); err != nil {
		d.Close()
		return nil, err
	} else if n > 0 {
		fmt.Fprintf(stderr, "smartustaz: sealed %d public profile value(s) and collection name(s) kept in plain text before this version\n", n)
	}
	// The audit chain's checkpoints: in the data folder always, in the
	// bucket too with S3 storage (anchorStorage).
	a.audit.AnchorTo(audit.FileAnchor(filepath.Join(c.DataDir, audit.CheckpointFileName)))
	a.anchorStorage(store)
	if err := a.consent.Seed(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// anchorStorage keeps the audit log's checkpoints in store as well when it
// is S3: a copy on another machine, which whoever can alter this machine's
// database and data folder cannot reach as easily. A local store is in or
// beside the data folder already, so it adds nothing.
func (a *app) anchorStorage(store blob.Store) {
	if n, ok := store.(blob.Named); ok && strings.HasPrefix(a.cfg.Storage, "s3://") {
		a.audit.AnchorTo(audit.ObjectAnchor(n, fmt.Sprint(store)))
	}
}
