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
	"github.com/smartustaz/smartustaz/internal/config"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// app is the set of opened dependencies that most commands share.
type app struct {
	cfg      config.Config
	db       *db.DB
	vault    *vault.Vault
	accounts *account.Service
	consent  *consent.Service
	audit    *audit.Log
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
// (creating the key file on first start, with a loud warning) and seeds
// the documents.
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
	a := &app{cfg: c, db: d, vault: v,
		accounts: account.New(d, v, account.Options{}),
		consent:  consent.New(d, v),
		audit:    audit.New(d, v),
	}
	// The audit chain's checkpoints: in the data folder always, in the
	// bucket too with S3 storage (anchorStorage).
	a.audit.AnchorTo(audit.FileAnchor(filepath.Join(c.DataDir, audit.CheckpointFileName)))
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

// openAnchors is anchorStorage for a command that does not otherwise use
// the file storage: it opens it only when it is S3.
func (a *app) openAnchors() error {
	if !strings.HasPrefix(a.cfg.Storage, "s3://") {
		return nil
	}
	store, err := blob.Open(a.cfg.Storage, a.cfg.DataDir)
	if err != nil {
		return err
	}
	a.anchorStorage(store)
	return nil
}
