package db_test

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

type logBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// killReader ends, from another connection, the PostgreSQL backend of
// the one pooled connection the next statement will use, and waits until
// it is gone.
func killReader(t *testing.T, d *db.DB, admin *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var pid int
	if err := d.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	var ok bool
	if err := admin.QueryRowContext(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("terminate backend %d: %v %v", pid, ok, err)
	}
	for range 500 {
		var n int
		if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("backend %d still there", pid)
}

// A read whose pooled connection was killed (a PostgreSQL restart, a
// failover, an administrator's pg_terminate_backend) answers from a new
// connection instead of failing the request, and the log says so; a
// write on a killed connection is not sent again, since it may have been
// carried out.
func TestLostConnectionRetriesReadsNotWrites(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.Postgres)
	var logs logBuf
	d.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	db.SetReadConns(d, 1)
	admin, err := sql.Open("pgx", dbtest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := d.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('k', 'v')`); err != nil {
		t.Fatal(err)
	}
	reads := []struct {
		name string
		read func() (string, error)
	}{
		{"QueryRow", func() (string, error) {
			var v string
			err := d.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, "k").Scan(&v)
			return v, err
		}},
		{"Query", func() (string, error) {
			return firstValue(d.Query(ctx, `SELECT value FROM settings WHERE key = ?`, "k"))
		}},
		{"QueryPlanned", func() (string, error) {
			return firstValue(d.QueryPlanned(ctx, `SELECT value FROM settings WHERE key = ?`, "k"))
		}},
	}
	for i, r := range reads {
		killReader(t, d, admin)
		v, err := r.read()
		if err != nil || v != "v" {
			t.Fatalf("%s after the connection was killed: %q, %v; want the row", r.name, v, err)
		}
		if n := strings.Count(logs.String(), "read retried"); n != i+1 {
			t.Fatalf("%s: %d log lines about a retried read, want %d:\n%s", r.name, n, i+1, logs.String())
		}
	}

	killReader(t, d, admin)
	before := logs.String()
	if _, err := d.Exec(ctx, `UPDATE settings SET value = 'w' WHERE key = 'k'`); err == nil {
		t.Fatal("a write on a killed connection succeeded: was it sent again?")
	}
	if l := strings.TrimPrefix(logs.String(), before); strings.Contains(l, "read retried") || strings.Contains(l, "begun again") || !strings.Contains(l, "not retried") {
		t.Fatalf("a write on a lost connection: log %q, want it said not retried", l)
	}
	var v string
	if err := d.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'k'`).Scan(&v); err != nil || v != "v" {
		t.Fatalf("after the failed write: %q, %v; want the row unchanged", v, err)
	}
}

// When the server drops every connection at once (a restart, a
// failover), the one retry still answers: the connections that were idle
// when the loss was seen are checked before they are used again.
func TestEveryConnectionLostRetriesOnce(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.Postgres)
	var logs logBuf
	d.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	const conns = 6
	db.SetReadConns(d, conns)
	admin, err := sql.Open("pgx", dbtest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var name string
	if err := d.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		// Every connection of the pool used a moment ago, twice (pgx
		// checks a connection on its first reuse).
		for range 2 {
			var open []*sql.Rows
			for i := range conns {
				rows, err := d.Query(ctx, `SELECT ?::int`, i)
				if err != nil {
					t.Fatal(err)
				}
				open = append(open, rows)
			}
			for _, r := range open {
				r.Close()
			}
		}
		var killed int
		if err := admin.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = $1 AND pid <> pg_backend_pid()) t`, name).Scan(&killed); err != nil || killed < conns {
			t.Fatalf("terminated %d backends (%v), want %d", killed, err, conns)
		}
		for range 500 {
			var n int
			admin.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name).Scan(&n)
			if n == 0 {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		var got int
		if err := d.QueryRow(ctx, `SELECT ?::int + 1`, round).Scan(&got); err != nil || got != round+1 {
			t.Fatalf("round %d: read after every connection was killed: %d, %v", round, got, err)
		}
	}
	if n := strings.Count(logs.String(), "read retried"); n != 3 {
		t.Fatalf("%d log lines about a retried read, want one a round (3):\n%s", n, logs.String())
	}
}

// A transaction whose BEGIN meets a killed connection is begun again on
// another: nothing of it had run.
func TestLostConnectionBeginsAgain(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.Postgres)
	var logs logBuf
	d.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	db.SetReadConns(d, 1)
	admin, err := sql.Open("pgx", dbtest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	killReader(t, d, admin)
	err = d.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('t', 'x')`)
		return err
	})
	if err != nil {
		t.Fatalf("transaction after its connection was killed: %v", err)
	}
	if !strings.Contains(logs.String(), "begun again") {
		t.Fatalf("no log line about the transaction begun again:\n%s", logs.String())
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT count(*) FROM settings WHERE key = 't'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows written: %d, %v; want 1", n, err)
	}
}

func firstValue(rows *sql.Rows, err error) (string, error) {
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var v string
	if rows.Next() {
		if err := rows.Scan(&v); err != nil {
			return "", err
		}
	}
	return v, rows.Err()
}
