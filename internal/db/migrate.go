package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// Migration is one numbered schema step, present under the same name for
// both engines.
type Migration struct {
	Name string
	SQL  string
}

// Migrations lists the embedded migrations for an engine, in order.
func Migrations(e Engine) ([]Migration, error) {
	dir := path.Join("migrations", string(e))
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("db: read migrations: %w", err)
	}
	var ms []Migration
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, en.Name()))
		if err != nil {
			return nil, fmt.Errorf("db: read migration %s: %w", en.Name(), err)
		}
		ms = append(ms, Migration{Name: strings.TrimSuffix(en.Name(), ".sql"), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	return ms, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns the names it applied; then it leases the node
// number of this process's ids (nodes.go), given back by Close. It is safe to run from
// several nodes at once on PostgreSQL: every step, creating
// schema_migrations included, runs under one advisory lock taken first
// (two nodes creating the table at once would otherwise collide on
// PostgreSQL's catalog); SQLite's single writer already serialises them.
func (d *DB) Migrate(ctx context.Context) ([]string, error) {
	ms, err := Migrations(d.engine)
	if err != nil {
		return nil, err
	}
	err = d.migrationTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	var applied []string
	for _, m := range ms {
		err := d.migrationTx(ctx, func(tx *Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, m.Name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, m.Name, Now()); err != nil {
				return err
			}
			applied = append(applied, m.Name)
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("db: migrate: %w", err)
		}
	}
	// The database is ready: lease the node number this process's ids
	// carry (ids.go), once per handle.
	if d.lease == nil {
		l, err := d.LeaseNode(ctx, DefaultLease)
		if err != nil {
			return applied, fmt.Errorf("db: migrate: %w", err)
		}
		d.lease = l
		register(l)
	}
	return applied, nil
}

// migrationLock is the advisory lock key that serialises migrations on
// PostgreSQL.
const migrationLock = 7011

// migrationTx runs fn in a write transaction that, on PostgreSQL, first
// takes the migration lock (released when the transaction ends, so a
// node that dies cannot leave it held).
func (d *DB) migrationTx(ctx context.Context, fn func(tx *Tx) error) error {
	return d.InTx(ctx, func(tx *Tx) error {
		if d.engine == Postgres {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLock); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}
