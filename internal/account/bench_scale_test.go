package account_test

// Benchmarks at the scale the portal is built for (a million teachers).
//
//	go test ./internal/account -run '^$' -bench AtScale -benchmem           # 10,000 users, SQLite
//	SMARTUSTAZ_BENCH_USERS=1000000 SMARTUSTAZ_BENCH_PG=1 \
//	SMARTUSTAZ_BENCH_DIR=/var/tmp/smartustaz-bench \
//	go test ./internal/account -run '^$' -bench AtScale -benchmem -timeout 3h
//
// SMARTUSTAZ_BENCH_USERS  users in the database (default 10000)
// SMARTUSTAZ_BENCH_PG=1   also run on PostgreSQL (the dbtest server)
// SMARTUSTAZ_BENCH_DIR    keep the filled databases there and reuse them on
//                         the next run (SQLite file and key files in the
//                         folder, PostgreSQL database "smartustaz_bench");
//                         without it each benchmark fills a temporary one.
//
// See docs/benchmarks.md for the figures measured.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// scaleFixture is a database holding the demo users 1…users.
type scaleFixture struct {
	d      *db.DB
	v      *vault.Vault
	s      *account.Service
	keyDir string // where the vault's key file is
	users  int
}

func benchUsers(b *testing.B) int {
	n := 10000
	if v := os.Getenv("SMARTUSTAZ_BENCH_USERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("SMARTUSTAZ_BENCH_USERS=%q is not a positive number", v)
		}
	}
	return n
}

// scaleEngines runs fn on SQLite, and on PostgreSQL when SMARTUSTAZ_BENCH_PG=1
// (one after the other, in the same process, so the figures compare).
func scaleEngines(b *testing.B, fn func(b *testing.B, f *scaleFixture)) {
	engines := []db.Engine{db.SQLite}
	if os.Getenv("SMARTUSTAZ_BENCH_PG") == "1" {
		engines = append(engines, db.Postgres)
	}
	users := benchUsers(b)
	for _, eng := range engines {
		b.Run(fmt.Sprintf("%s/users=%d", eng, users), func(b *testing.B) {
			fn(b, openScaleFixture(b, eng, users))
		})
	}
}

// openScaleFixture opens (or makes) the database and fills it with demo
// users up to the count asked for.
func openScaleFixture(b *testing.B, eng db.Engine, users int) *scaleFixture {
	b.Helper()
	ctx := context.Background()
	var d *db.DB
	keyDir := b.TempDir()
	if dir := os.Getenv("SMARTUSTAZ_BENCH_DIR"); dir != "" {
		keyDir = filepath.Join(dir, string(eng))
		dsn := "sqlite:" + filepath.Join(keyDir, "bench.db")
		if eng == db.Postgres {
			dsn = persistentPostgres(b)
		}
		var err error
		if d, err = db.Open(ctx, dsn, keyDir); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		if _, err := d.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		d = dbtest.Open(b, eng)
	}
	v, _, err := vault.Open(d, keyDir, func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	f := &scaleFixture{d: d, v: v, s: account.New(d, v, account.Options{}), keyDir: keyDir, users: users}
	var have int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have > users {
		b.Fatalf("%s already holds %d users, more than the %d asked for: use another SMARTUSTAZ_BENCH_DIR", eng, have, users)
	}
	if have < users {
		start := time.Now()
		if _, err := f.s.CreateDemoUsers(ctx, users-have, "demo-password-2026", nil); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.Logf("%s: filled %d demo users in %s (%.0f users/s)", eng, users-have, el.Round(time.Millisecond), float64(users-have)/el.Seconds())
	}
	// Statistics for the planner, as a long-running PostgreSQL has them
	// from autovacuum; SQLite's planner uses the index without them.
	if eng == db.Postgres {
		if _, err := d.Exec(ctx, `ANALYZE users`); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// persistentPostgres returns the address of the database smartustaz_bench
// on the dbtest server, created when missing and kept afterwards.
func persistentPostgres(b *testing.B) string {
	b.Helper()
	admin, err := sql.Open("pgx", dbtest.PostgresURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'smartustaz_bench')`).Scan(&exists); err != nil {
		b.Fatalf("PostgreSQL: %v", err)
	}
	if !exists {
		if _, err := admin.Exec(`CREATE DATABASE smartustaz_bench`); err != nil {
			b.Fatal(err)
		}
	}
	u, err := url.Parse(dbtest.PostgresURL())
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/smartustaz_bench"
	return u.String()
}

// randomPicks is how many random users a benchmark cycles through: enough
// that at a million users the lookups do not keep hitting the same few
// pages the database has already cached.
const randomPicks = 1 << 18

// randomEmails are addresses of existing demo users in random order,
// made before the timer so formatting them is not measured.
func (f *scaleFixture) randomEmails() []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, randomPicks)
	for i := range out {
		out[i] = account.DemoEmail(1 + r.IntN(f.users))
	}
	return out
}

// randomIDs are ids of existing users in random order.
func (f *scaleFixture) randomIDs(b *testing.B, n int) []int64 {
	b.Helper()
	rows, err := f.d.Query(context.Background(), `SELECT id FROM users ORDER BY random() LIMIT ?`, n)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkFindByEmailAtScale looks up random existing users by address
// among SMARTUSTAZ_BENCH_USERS demo users.
//
//   - BlindIndex: only the lookup, as the account package does it — the
//     HMAC of the normalised address and one indexed SELECT of the id.
//   - FindByEmail: the whole public call — lookup, row read, data key
//     (mostly not cached: the vault keeps 50,000 keys, the picks are
//     random among all users) and six fields decrypted.
func BenchmarkFindByEmailAtScale(b *testing.B) {
	scaleEngines(b, func(b *testing.B, f *scaleFixture) {
		ctx := context.Background()
		emails := f.randomEmails()
		b.Run("BlindIndex", func(b *testing.B) {
			i := 0
			for b.Loop() {
				var id int64
				idx := f.v.BlindIndex("email", vault.NormalizeEmail(emails[i%len(emails)]))
				if err := f.d.QueryRow(ctx, `SELECT id FROM users WHERE email_bidx = ?`, idx).Scan(&id); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run("FindByEmail", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := f.s.FindByEmail(ctx, emails[i%len(emails)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
}

// BenchmarkProfileDecryptAtScale is Get (one row read, six fields opened)
// of existing users among SMARTUSTAZ_BENCH_USERS:
//
//   - HotKeys: 1,000 users whose data keys are in the vault's cache, as for
//     the users active right now.
//   - ColdKeys: random users whose data keys are not cached, so each Get
//     also reads and unwraps the key (a fresh vault, with an empty cache,
//     is opened outside the timer every 4,096 reads of distinct users).
func BenchmarkProfileDecryptAtScale(b *testing.B) {
	scaleEngines(b, func(b *testing.B, f *scaleFixture) {
		ctx := context.Background()
		hot := f.randomIDs(b, 1000)
		for _, id := range hot {
			if _, err := f.s.Get(ctx, id); err != nil { // warm the key cache
				b.Fatal(err)
			}
		}
		b.Run("HotKeys", func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := f.s.Get(ctx, hot[i%len(hot)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		cold := f.randomIDs(b, randomPicks)
		b.Run("ColdKeys", func(b *testing.B) {
			var s *account.Service
			i := 0
			for b.Loop() {
				if i%4096 == 0 {
					b.StopTimer()
					v, _, err := vault.Open(f.d, f.keyDir, func(string) string { return "" })
					if err != nil {
						b.Fatal(err)
					}
					s = account.New(f.d, v, account.Options{})
					b.StartTimer()
				}
				if _, err := s.Get(ctx, cold[i%len(cold)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
}
