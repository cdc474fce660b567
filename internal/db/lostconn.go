package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// A pooled PostgreSQL connection can die under the site: a server restart
// or failover, an administrator's pg_terminate_backend, a proxy's idle
// timeout. database/sql already replaces a connection the driver knows is
// dead before a statement is sent; one that dies unnoticed fails the
// statement sent on it. A read is then run once more, on a connection
// checked first (a failure often takes every connection of the pool with
// it). A write never is: it may have been carried out before the
// connection went, and a transaction lost its earlier statements anyway.

// lostConns remembers when a lost connection was last seen, so that the
// pool pings every connection idle since before then before reusing it.
type lostConns struct{ at atomic.Int64 } // Unix nanoseconds, 0: never

// seen records a lost connection now.
func (l *lostConns) seen() { l.at.Store(time.Now().UnixNano()) }

// shouldPing is the pool's check before reusing a connection: pgx's
// default (idle more than a second), or idle since a loss was seen, when
// it may have gone with the others.
func (l *lostConns) shouldPing(_ context.Context, p stdlib.ShouldPingParams) bool {
	if p.IdleDuration > time.Second {
		return true
	}
	at := l.at.Load()
	return at != 0 && time.Now().Add(-p.IdleDuration).UnixNano() <= at
}

// retryRead reports whether a read that failed with err should run once
// more, and says so in the log (the cause, never the statement's values).
func (d *DB) retryRead(ctx context.Context, err error) bool {
	if d.lost == nil || ctx.Err() != nil || !lostConnection(err) {
		return false
	}
	d.lost.seen()
	d.log.Load().Warn("db: connection to the database lost; read retried on another connection", "err", err)
	return true
}

// retryBegin reports whether a BEGIN that failed with err should be sent
// once more: nothing of the transaction has run yet.
func (d *DB) retryBegin(ctx context.Context, err error) bool {
	if d.lost == nil || ctx.Err() != nil || !lostConnection(err) {
		return false
	}
	d.lost.seen()
	d.log.Load().Warn("db: connection to the database lost; transaction begun again on another connection", "err", err)
	return true
}

// writeLost records a write whose connection was lost: it is not sent
// again (it may have been carried out), but the other connections are
// checked before their next use.
func (d *DB) writeLost(ctx context.Context, err error) {
	if d.lost == nil || ctx.Err() != nil || !lostConnection(err) {
		return
	}
	d.lost.seen()
	d.log.Load().Warn("db: connection to the database lost during a write; not retried, it may have been carried out", "err", err)
}

// lostConnection reports whether err says the connection went away, as
// opposed to the statement failing on a live one.
func lostConnection(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
			pgErr.Code == "57P02",                          // crash_shutdown
			pgErr.Code == "57P05",                          // idle_session_timeout
			len(pgErr.Code) == 5 && pgErr.Code[:2] == "08": // connection_exception
			return true
		}
		return false
	}
	return errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED)
}
