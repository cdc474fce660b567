// Package dbtest gives each test a fresh, migrated database of either
// engine. PostgreSQL is found at SMARTUSTAZ_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres); each test gets its own
// database, dropped when the test ends. Without a reachable PostgreSQL the
// PostgreSQL half is skipped with a clear message — unless CI=true, where
// a skip would hide a failure, so it fails instead.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
)

// Engines runs fn once per engine, as subtests named "sqlite" and "postgres".
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// PostgresURL is the server tests create their databases on.
func PostgresURL() string {
	if u := os.Getenv("SMARTUSTAZ_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Open returns a fresh migrated database of engine e, closed (and for
// PostgreSQL dropped) when the test ends.
func Open(t testing.TB, e db.Engine) *db.DB {
	t.Helper()
	dsn := DSN(t, e)
	d, err := db.Open(context.Background(), dsn, t.TempDir())
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return d
}

// DSN returns the address of a new empty database of engine e (for tests
// that hand it to the binary). PostgreSQL databases are dropped at cleanup.
func DSN(t testing.TB, e db.Engine) string {
	t.Helper()
	if e == db.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(context.Background())
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required in CI but not reachable at %s: %v", redact(base), err)
		}
		t.Skipf("PostgreSQL not reachable at %s (%v): skipping the PostgreSQL half; set SMARTUSTAZ_TEST_POSTGRES or start PostgreSQL to run it", redact(base), err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "smartustaz_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable address)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxx")
		}
	}
	return strings.TrimSpace(u.String())
}
