package db

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps prepared statements of the SQLite reader pool. The pure-Go
// SQLite parses and plans every statement it is given anew, which was a
// fifth of a material page's CPU; database/sql's *sql.Stmt prepares once per
// connection and reuses it. PostgreSQL needs none: pgx caches prepared
// statements on each connection itself.
//
// The catalog builds some statements with a varying number of placeholders,
// so the cache is bounded: past stmtCacheMax distinct texts, a statement is
// run unprepared, as before.
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const stmtCacheMax = 512

func newStmtCache(d *sql.DB) *stmtCache { return &stmtCache{db: d, m: map[string]*sql.Stmt{}} }

// get returns the prepared statement of q, nil when the cache is full.
func (c *stmtCache) get(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.RLock()
	st := c.m[q]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[q]; st != nil {
		return st, nil
	}
	if len(c.m) >= stmtCacheMax {
		return nil, nil
	}
	// Prepared on the pool, not on the request's context: the statement
	// outlives the request that first needed it.
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil, err
	}
	c.m[q] = st
	return st, nil
}

func (c *stmtCache) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := c.get(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.db.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := c.get(ctx, q)
	if err != nil || st == nil {
		// A statement that does not prepare fails the same way unprepared,
		// and *sql.Row can carry only an error it made itself.
		return c.db.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.m {
		err = errors.Join(err, st.Close())
	}
	c.m = map[string]*sql.Stmt{}
	return err
}
