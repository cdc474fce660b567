// Package db opens the portal's database on either engine — SQLite (the
// embedded default) or PostgreSQL (scale-out) — applies the embedded
// migrations, and offers the few dialect helpers the domain packages need.
//
// Domain packages own their SQL; they write it once with `?` placeholders and
// portable constructs (RETURNING, ON CONFLICT, integer UTC timestamps), and
// this package rebinds placeholders for PostgreSQL.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// Engine names a database engine.
type Engine string

const (
	// SQLite is the embedded default engine.
	SQLite Engine = "sqlite"
	// Postgres is the scale-out engine.
	Postgres Engine = "postgres"
)

// ErrNotFound is returned (wrapped) when a row that was asked for does not exist.
var ErrNotFound = errors.New("not found")

// DB is an open database. For SQLite it holds one writer connection and a
// pool of readers (so writers never fight for the lock and readers never
// wait behind them); for PostgreSQL both are the same pool.
type DB struct {
	engine Engine
	write  *sql.DB
	read   *sql.DB
	// stmts prepares the SQLite readers' statements once (nil on
	// PostgreSQL).
	stmts *stmtCache
	// Path is the SQLite database file, empty for PostgreSQL.
	Path string
	// pg is the PostgreSQL connection's configuration, for ListenConn.
	pg *pgx.ConnConfig
	// log receives what the caller cannot see: a read retried after a
	// lost connection.
	log atomic.Pointer[slog.Logger]
	// lost tells the PostgreSQL pool which connections to check before
	// reuse (lostconn.go); nil on SQLite.
	lost *lostConns
	// lease is the node number Migrate leased for NewID (nodes.go).
	lease *NodeLease
}

// Querier is what both *DB and *Tx offer, so helpers can run inside or
// outside a transaction.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Engine() Engine
}

// DefaultPath is the SQLite file inside the data folder.
func DefaultPath(dataDir string) string { return filepath.Join(dataDir, "smartustaz.db") }

// Open opens the database named by dsn: empty (SQLite in dataDir), a
// "sqlite:" or "file:" path, or a "postgres://" / "postgresql://" URL. It
// does not migrate; call Migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	case dsn == "":
		return openSQLite(ctx, DefaultPath(dataDir))
	case strings.HasPrefix(dsn, "sqlite://"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite://"))
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "file:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "file:"))
	default:
		return nil, fmt.Errorf("db: unsupported database address (want postgres://… or sqlite:PATH)")
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("db: create folder: %w", err)
	}
	// busy_timeout must come before journal_mode so that switching to WAL
	// itself waits for a lock instead of failing (PocketBase learned this).
	//
	// SQLite's own page cache is 2 MB a connection by default, so at a
	// million materials most page reads were pread system calls (a fifth
	// of a material page's CPU). Memory-mapping the file lets readers use
	// the kernel's cache directly, and a larger cache keeps the hot index
	// pages of each connection: 9 connections × 32 MB at most.
	//
	// secure_delete zeroes what a delete or update frees, so a deleted
	// user's ciphertexts and wrapped key do not linger in free space
	// (clause P.4; Checkpoint then clears the WAL).
	params := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
		"&_pragma=cache_size(-32768)&_pragma=mmap_size(8589934592)&_pragma=secure_delete(1)&_time_format=sqlite"
	w, err := sql.Open("sqlite", "file:"+path+params+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	r, err := sql.Open("sqlite", "file:"+path+params+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db: open sqlite readers: %w", err)
	}
	// Every reader stays open: database/sql keeps only 2 idle connections
	// by default, so under load the other six were closed as soon as they
	// were returned and opened again for the next query — with their page
	// cache, memory map and prepared statements lost each time.
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxIdleTime(0)
	os.Chmod(path, 0o600)
	d := &DB{engine: SQLite, write: w, read: r, stmts: newStmtCache(r), Path: path}
	d.log.Store(slog.Default())
	return d, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open postgres: %w", err)
	}
	// Every query here is a short indexed lookup: PostgreSQL's JIT spends
	// 20–90 ms compiling plans it estimates as costly (at a million
	// materials, a search whose result is a few rows) and never pays back.
	// A DSN that names jit keeps its own choice.
	if _, ok := cfg.RuntimeParams["jit"]; !ok {
		cfg.RuntimeParams["jit"] = "off"
	}
	// The search ANDs the GIN index's bitmap of a word with other bitmaps
	// (internal/search/index). At the default 4 MB a bitmap of more than
	// about 80,000 rows turns lossy: whole pages instead of rows, each of
	// whose rows is then read and its terms tested again (a common word at
	// a million materials: 36 ms more). 16 MB keeps a bitmap of every row
	// of material_search exact up to about two million materials. A DSN
	// that names work_mem keeps its own.
	if _, ok := cfg.RuntimeParams["work_mem"]; !ok {
		cfg.RuntimeParams["work_mem"] = "16MB"
	}
	lost := &lostConns{}
	p := stdlib.OpenDB(*cfg, stdlib.OptionShouldPing(lost.shouldPing))
	// As many idle as open: a connection closed because it was the 17th
	// idle one had to be opened again a moment later (a new server
	// process on PostgreSQL's side).
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(32)
	p.SetConnMaxLifetime(30 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.PingContext(pingCtx); err != nil {
		p.Close()
		return nil, fmt.Errorf("db: connect to postgres: %w", err)
	}
	d := &DB{engine: Postgres, write: p, read: p, lost: lost, pg: cfg}
	d.log.Store(slog.Default())
	return d, nil
}

// ListenConn opens a PostgreSQL connection of its own, outside the pool,
// for LISTEN (internal/cluster): a listening connection must stay with
// its listener, which closes it.
func (d *DB) ListenConn(ctx context.Context) (*pgx.Conn, error) {
	if d.pg == nil {
		return nil, fmt.Errorf("db: listen: not PostgreSQL")
	}
	c, err := pgx.ConnectConfig(ctx, d.pg.Copy())
	if err != nil {
		return nil, fmt.Errorf("db: listen: %w", err)
	}
	return c, nil
}

// Close closes every connection.
func (d *DB) Close() error {
	var err error
	if d.lease != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = d.lease.Close(ctx)
		cancel()
	}
	if d.stmts != nil {
		err = errors.Join(err, d.stmts.close())
	}
	err = errors.Join(err, d.write.Close())
	if d.read != d.write {
		err = errors.Join(err, d.read.Close())
	}
	return err
}

// SetLogger sets where the database layer logs (slog's default until then).
func (d *DB) SetLogger(l *slog.Logger) { d.log.Store(l) }

// Engine reports the engine, so code given a Querier can pick dialect.
func (d *DB) Engine() Engine { return d.engine }

// Ping checks that the database answers (used by /healthz).
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Exec runs a statement on the writer. It is never retried: a statement
// whose connection was lost may have been carried out.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := d.write.ExecContext(ctx, rebind(d.engine, q), args...)
	d.writeLost(ctx, err)
	return res, err
}

// Query runs a read-only query on the reader pool. On PostgreSQL a query
// whose connection turns out to be lost is run once more on another
// (lostconn.go): a read changes nothing, so running it again is safe.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if d.stmts != nil {
		return d.stmts.query(ctx, rebind(d.engine, q), args...)
	}
	q = rebind(d.engine, q)
	rows, err := d.read.QueryContext(ctx, q, args...)
	if d.retryRead(ctx, err) {
		rows, err = d.read.QueryContext(ctx, q, args...)
	}
	return rows, err
}

// QueryPlanned runs a query on the reader pool, planned for these
// arguments. pgx prepares and caches every statement, and after a
// statement's fifth run PostgreSQL may keep one plan made for any
// arguments: for a list of keys or a word whose frequency decides the plan
// that generic plan can take seconds where the one made for the values
// takes milliseconds. On PostgreSQL this sends an unnamed statement, which
// is planned with its values each time; SQLite has no such choice, so it
// is Query there.
func (d *DB) QueryPlanned(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if d.engine == Postgres {
		q = rebind(d.engine, q)
		args = append([]any{pgx.QueryExecModeExec}, args...)
		rows, err := d.read.QueryContext(ctx, q, args...)
		if d.retryRead(ctx, err) {
			rows, err = d.read.QueryContext(ctx, q, args...)
		}
		return rows, err
	}
	return d.Query(ctx, q, args...)
}

// QueryRow runs a read-only one-row query on the reader pool, run once
// more like Query's when its connection was lost.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if d.stmts != nil {
		return d.stmts.queryRow(ctx, rebind(d.engine, q), args...)
	}
	q = rebind(d.engine, q)
	row := d.read.QueryRowContext(ctx, q, args...)
	if d.retryRead(ctx, row.Err()) {
		row = d.read.QueryRowContext(ctx, q, args...)
	}
	return row
}

// WriterPool is the pool writes go to (on SQLite its one connection), for
// a library that needs a *sql.DB of its own: internal/jobs' River driver.
func (d *DB) WriterPool() *sql.DB { return d.write }

// Tx is a write transaction.
type Tx struct {
	tx     *sql.Tx
	engine Engine
}

// Engine reports the engine.
func (t *Tx) Engine() Engine { return t.engine }

// SQLTx is the transaction itself, for a library that writes in it
// (internal/jobs enqueues with River inside a domain's transaction).
func (t *Tx) SQLTx() *sql.Tx { return t.tx }

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, rebind(t.engine, q), args...)
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(t.engine, q), args...)
}

// QueryRow runs a one-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(t.engine, q), args...)
}

// InTx runs fn in a write transaction (BEGIN IMMEDIATE on SQLite, so the
// write lock is taken up front and never upgraded mid-way), committing when
// fn returns nil and rolling back otherwise.
func (d *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := d.write.BeginTx(ctx, nil)
	if d.retryBegin(ctx, err) {
		stx, err = d.write.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	if err := fn(&Tx{tx: stx, engine: d.engine}); err != nil {
		stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		d.writeLost(ctx, err)
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// ForUpdate is the row-lock suffix for a SELECT inside a transaction:
// PostgreSQL needs it; SQLite's BEGIN IMMEDIATE already serialises writers.
func ForUpdate(e Engine) string {
	if e == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// rebind turns `?` placeholders into `$1…` for PostgreSQL. Our SQL never
// has a literal question mark, so a plain scan is enough.
func rebind(e Engine, q string) string {
	if e != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Now is the database's notion of time: Unix milliseconds, UTC. Every
// timestamp column holds this, so both engines compare and sort alike.
func Now() int64 { return time.Now().UnixMilli() }

// Time converts a stored timestamp back to a time.Time (zero for 0).
func Time(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// AfterBulkLoad readies the database for reading after many rows were
// written at once (smartustaz demo). On PostgreSQL it vacuums and
// analyses: a fresh table's visibility map is empty, so every index-only
// scan (the catalog's plans) would still read the table's pages, and the
// planner would guess without statistics; autovacuum gets there too, but
// minutes or hours later. SQLite needs nothing: its plans here are fixed
// by the queries (INDEXED BY, the guards in library), not by statistics.
func (d *DB) AfterBulkLoad(ctx context.Context) error {
	if d.engine != Postgres {
		return nil
	}
	if _, err := d.write.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("db: vacuum after bulk load: %w", err)
	}
	return nil
}

// ReadStats are the reading pool's figures (open, idle, waits, closed for
// being idle too long or too many) for metrics and tests.
func (d *DB) ReadStats() sql.DBStats { return d.read.Stats() }
