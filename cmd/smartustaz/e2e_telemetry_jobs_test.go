package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// TestE2ETelemetryJobs: the site's own scheduled jobs (internal/jobs,
// run once across nodes, and at start) close a day that has ended — its
// counts become the daily aggregates, its visitor hashes and salt are
// deleted — and delete technical records older than the retention.
func TestE2ETelemetryJobs(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dataDir, dsn := t.TempDir(), dbtest.DSN(t, e)
			env := map[string]string{"SMARTUSTAZ_DATA": dataDir, "SMARTUSTAZ_DB": dsn}
			var out strings.Builder
			if err := run(ctx, []string{"smartustaz", "migrate"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			d, err := db.Open(ctx, dsn, dataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			now := time.Now()
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO telemetry_salts (day, salt) VALUES (?, ?)`, []any{"2026-01-10", []byte("0123456789abcdef0123456789abcdef")}},
				{`INSERT INTO telemetry_live (day, dim, value, views) VALUES (?, 'total', '', 7)`, []any{"2026-01-10"}},
				{`INSERT INTO telemetry_live_visitors (day, dim, value, hash) VALUES (?, 'total', '', ?)`, []any{"2026-01-10", []byte("0123456789abcdef")}},
				{`INSERT INTO telemetry_records (id, user_id, at) VALUES (1, 5, ?)`, []any{now.Add(-100 * 24 * time.Hour).UnixMilli()}},
				{`INSERT INTO telemetry_records (id, user_id, at) VALUES (2, 5, ?)`, []any{now.Add(-24 * time.Hour).UnixMilli()}},
			} {
				if _, err := d.Exec(ctx, q.sql, q.args...); err != nil {
					t.Fatal(err)
				}
			}
			launchServer(t, e, dataDir, dsn, nil, true)
			deadline := time.Now().Add(60 * time.Second)
			for count(t, d, `SELECT COUNT(*) FROM telemetry_salts WHERE day = '2026-01-10'`)+count(t, d, `SELECT COUNT(*) FROM telemetry_records WHERE id = 1`) > 0 {
				if time.Now().After(deadline) {
					t.Fatal("the ended day was not closed, or the old record not deleted, within 60 s of start")
				}
				time.Sleep(200 * time.Millisecond)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM telemetry_live_visitors WHERE day = '2026-01-10'`); n != 0 {
				t.Fatal("the closed day's visitor hashes are left")
			}
			if n := count(t, d, `SELECT views FROM telemetry_daily WHERE dim = 'total' AND day = '2026-01-10'`); n != 7 {
				t.Fatalf("the closed day's total: %d views, want 7", n)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM telemetry_records WHERE id = 2`); n != 1 {
				t.Fatal("a record within the retention was deleted")
			}
		})
	}
}
