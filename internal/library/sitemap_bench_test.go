package library_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
)

// BenchmarkSitemap measures what /sitemap.xml costs at a large catalog:
// finding where each file of 50,000 starts (SitemapStarts) and reading
// the last file (SitemapPage), by keyset over materials_sitemap.
// SMARTUSTAZ_BENCH_MATERIALS sets the size (default 100,000); the
// materials are written by one INSERT … SELECT (ids in order).
//
//	SMARTUSTAZ_BENCH_MATERIALS=1000000 go test -run '^$' -bench BenchmarkSitemap -benchtime 5x ./internal/library/
func BenchmarkSitemap(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("SMARTUSTAZ_BENCH_MATERIALS")); err == nil && v > 0 {
		n = v
	}
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			ctx := context.Background()
			lib := library.New(d, nil, nil, library.Options{})
			if _, err := d.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (1, 1, 1)`); err != nil {
				b.Fatal(err)
			}
			series := `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c`
			if e == db.Postgres {
				series = `SELECT x FROM generate_series(1, ?::bigint) AS x`
			}
			if _, err := d.Exec(ctx, `INSERT INTO materials (id, author_id, title, subject, grade, type, language, status, slug,
				created_at, updated_at, published_at)
				SELECT 1000000 + x, 1, 'Сабақ', 'mathematics', '5', 'short-term-plan', 'kk', 'published', 'sabaq', 1, 1, 1
				FROM (`+series+`) AS s`, n); err != nil {
				b.Fatal(err)
			}
			if e == db.Postgres {
				d.Exec(ctx, `ANALYZE materials`)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				starts, err := lib.SitemapStarts(ctx, 50_000)
				if err != nil {
					b.Fatal(err)
				}
				es, err := lib.SitemapPage(ctx, starts[len(starts)-1], 50_000)
				if err != nil || len(es) == 0 {
					b.Fatalf("last file: %d entries, %v", len(es), err)
				}
			}
		})
	}
}
