package index_test

// BenchmarkSearch measures the full-text search of the catalog among
// SMARTUSTAZ_BENCH_MATERIALS materials (default 20,000) on both engines:
//
//	go test ./internal/search/index -run '^$' -bench Search -benchtime 400x
//	SMARTUSTAZ_BENCH_MATERIALS=1000000 SMARTUSTAZ_BENCH_DIR=/var/tmp/smartustaz-search-bench \
//	  go test ./internal/search/index -run '^$' -bench Search -benchtime 2000x -timeout 3h
//
// SMARTUSTAZ_BENCH_MATERIALS  materials in the database (default 20000)
// SMARTUSTAZ_BENCH_DIR        keep the filled databases and reuse them (the
//                             SQLite file in the folder, the PostgreSQL
//                             database "smartustaz_search_bench"); without
//                             it each run fills temporary ones
// SMARTUSTAZ_BENCH_ENGINES    "sqlite", "postgres" or both (the default)
//
// Each iteration is one catalog search as a reader makes it: a query of
// realistic words (queries below), sometimes narrowed by a filter, in one
// of the three orders, first page or the next; p50 and p95 over all
// iterations are reported as p50-ms and p95-ms. See docs/benchmarks.md.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search"
	"github.com/smartustaz/smartustaz/internal/search/index"
)

// benchQueries are what teachers type: very common words (сабақ жоспары
// is in most Kazakh materials), topic words, abbreviations, Russian
// phrases with stop words, a rare name and a word no material holds.
var benchQueries = []string{
	"сабақ жоспары",
	"сабақтың жоспарлары",
	"ҚМЖ 5 сынып",
	"презентации",
	"бөлшектер",
	"фотосинтез",
	"квадрат теңдеулер",
	"Абай өлеңдері",
	"тәрбие сағаты",
	"Қазақстан тарихы",
	"контрольная работа по алгебре",
	"закон Ома",
	"жасуша",
	"Мақатаев",
	"китап",
	"БЖБ химия",
	"present simple",
	tailWord(40),
	tailWord(700),
	tailWord(20000),
	"ғарышкер",
}

var benchFilters = []library.Filter{
	{},
	{},
	{Language: "kk"},
	{Subject: "mathematics"},
	{Grade: "5"},
	{Subject: "history-of-kazakhstan", Grade: "9"},
	{Type: "short-term-plan", Language: "ru"},
}

var benchSorts = []library.Sort{library.SortNew, library.SortNew, library.SortPopular, library.SortDownloads}

func benchMaterials(b *testing.B) int {
	n := 20000
	if v := os.Getenv("SMARTUSTAZ_BENCH_MATERIALS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("SMARTUSTAZ_BENCH_MATERIALS=%q is not a positive number", v)
		}
	}
	return n
}

func benchEngines() []db.Engine {
	switch os.Getenv("SMARTUSTAZ_BENCH_ENGINES") {
	case "sqlite":
		return []db.Engine{db.SQLite}
	case "postgres":
		return []db.Engine{db.Postgres}
	}
	return []db.Engine{db.SQLite, db.Postgres}
}

// benchCase is one search of the benchmark, its groups analysed before
// the timer as the library does before it calls the Searcher.
type benchCase struct {
	q      string
	groups [][]string
	f      library.Filter
	second bool // the next page, after the first one's cursor
}

func BenchmarkSearch(b *testing.B) {
	n := benchMaterials(b)
	for _, eng := range benchEngines() {
		// Filled once, outside the sub-benchmark, which runs more than once.
		d := benchDB(b, eng, n)
		b.Run(fmt.Sprintf("%s/materials=%d", eng, n), func(b *testing.B) {
			x := index.New(d)
			ctx := context.Background()
			r := rand.New(rand.NewPCG(3, 4))
			cases := make([]benchCase, 4096)
			for i := range cases {
				q := benchQueries[r.IntN(len(benchQueries))]
				f := benchFilters[r.IntN(len(benchFilters))]
				f.Sort = benchSorts[r.IntN(len(benchSorts))]
				cases[i] = benchCase{q: q, groups: search.QueryTerms(q), f: f, second: r.IntN(4) == 0}
			}
			lat := make([]time.Duration, 0, b.N)
			perQuery := map[string][]time.Duration{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := cases[i%len(cases)]
				start := time.Now()
				ids, err := x.Search(ctx, c.groups, c.f, library.Cursor{}, 20)
				if err == nil && c.second && len(ids) == 20 {
					var cur library.Cursor
					cur, err = cursorOf(ctx, d, c.f.Sort, ids[len(ids)-1])
					if err == nil {
						_, err = x.Search(ctx, c.groups, c.f, cur, 20)
					}
				}
				el := time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, el)
				perQuery[c.q] = append(perQuery[c.q], el)
			}
			b.StopTimer()
			p50, p95 := percentiles(lat)
			b.ReportMetric(p50, "p50-ms")
			b.ReportMetric(p95, "p95-ms")
			if testing.Verbose() && b.N > 1 {
				for _, q := range benchQueries {
					if l := perQuery[q]; len(l) > 0 {
						a, c := percentiles(l)
						b.Logf("%-32q n=%4d p50 %7.2f ms  p95 %7.2f ms", q, len(l), a, c)
					}
				}
			}
		})
	}
}

// BenchmarkRankedSearch measures a search as the catalog shows it by
// default (library.Service.Search): the bounded count (up to
// library.CountBound matches), the ranking of those matches by field, the
// first page's cards and snippets. Same databases and variables as
// BenchmarkSearch:
//
//	go test ./internal/search/index -run '^$' -bench RankedSearch -benchtime 400x
func BenchmarkRankedSearch(b *testing.B) {
	n := benchMaterials(b)
	for _, eng := range benchEngines() {
		d := benchDB(b, eng, n)
		b.Run(fmt.Sprintf("%s/materials=%d", eng, n), func(b *testing.B) {
			lib := library.New(d, nil, nil, library.Options{Searcher: index.New(d)})
			ctx := context.Background()
			r := rand.New(rand.NewPCG(5, 6))
			lat := make([]time.Duration, 0, b.N)
			perQuery := map[string][]time.Duration{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := benchQueries[r.IntN(len(benchQueries))]
				f := benchFilters[r.IntN(len(benchFilters))]
				f.Q, f.Sort = q, library.SortRelevance
				start := time.Now()
				if _, err := lib.Search(ctx, f, 1, 20); err != nil {
					b.Fatal(err)
				}
				el := time.Since(start)
				lat = append(lat, el)
				perQuery[q] = append(perQuery[q], el)
			}
			b.StopTimer()
			p50, p95 := percentiles(lat)
			b.ReportMetric(p50, "p50-ms")
			b.ReportMetric(p95, "p95-ms")
			if testing.Verbose() && b.N > 1 {
				for _, q := range benchQueries {
					if l := perQuery[q]; len(l) > 0 {
						a, c := percentiles(l)
						b.Logf("%-32q n=%4d p50 %7.2f ms  p95 %7.2f ms", q, len(l), a, c)
					}
				}
			}
		})
	}
}

// cursorOf is the keyset cursor after material id in sort s (read outside
// the searcher, as the library reads the cards of a page).
func cursorOf(ctx context.Context, d *db.DB, s library.Sort, id int64) (library.Cursor, error) {
	var v int64
	err := d.QueryRow(ctx, `SELECT `+library.SortColumn(s)+` FROM materials WHERE id = ?`, id).Scan(&v)
	return library.Cursor{Value: v, ID: id}, err
}

func percentiles(l []time.Duration) (p50, p95 float64) {
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(p float64) float64 {
		return float64(s[int(p*float64(len(s)-1))]) / float64(time.Millisecond)
	}
	return at(0.50), at(0.95)
}

// benchDB opens (or makes) the database and fills it up to n materials.
func benchDB(b *testing.B, eng db.Engine, n int) *db.DB {
	b.Helper()
	ctx := context.Background()
	var d *db.DB
	if dir := os.Getenv("SMARTUSTAZ_BENCH_DIR"); dir != "" {
		dsn := "sqlite:" + filepath.Join(dir, "search.db")
		if eng == db.Postgres {
			dsn = persistentPostgres(b)
		}
		var err error
		if d, err = db.Open(ctx, dsn, dir); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		if _, err := d.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		d = dbtest.Open(b, eng)
	}
	var have int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM materials`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have > n {
		b.Fatalf("%s already holds %d materials, more than the %d asked for: use another SMARTUSTAZ_BENCH_DIR", eng, have, n)
	}
	if have < n {
		start := time.Now()
		if err := fill(ctx, d, have, n); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.Logf("%s: filled %d materials in %s (%.0f/s)", eng, n-have, el.Round(time.Millisecond), float64(n-have)/el.Seconds())
	}
	if eng == db.Postgres {
		// Statistics for the planner, as autovacuum keeps them in a
		// running PostgreSQL (the GIN expression index gets its own).
		if _, err := d.Exec(ctx, `ANALYZE materials; ANALYZE material_search`); err != nil {
			b.Fatal(err)
		}
	}
	return d
}

// fill inserts materials have+1…n straight into materials and
// material_search (the FTS5 triggers index them on SQLite), a few
// hundred rows a statement and some thousands a transaction.
func fill(ctx context.Context, d *db.DB, have, n int) error {
	const author = 1
	if have == 0 {
		if _, err := d.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, author, db.Now(), db.Now()); err != nil {
			return err
		}
	}
	g := newGenerator(newCorpus(), uint64(have)+1)
	start := db.Now() - 3*365*24*3600*1000
	const perStmt, perTx = 200, 10000
	for done := have; done < n; {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for t := 0; t < perTx && done < n; t += perStmt {
				k := min(perStmt, n-done)
				var mRows, sRows []string
				var mArgs, sArgs []any
				for range k {
					m := g.next(start)
					id := db.NewID()
					pub := m.published
					if m.status == "pending" {
						pub = 0
					}
					mRows = append(mRows, "(?,?,?,?,?,?,?,?,?,?,?,?,?)")
					mArgs = append(mArgs, id, author, "материал", m.subject, m.grade, m.typ, m.lang, m.status, m.views, m.downloads, pub, pub, pub)
					// The ranking's fields: the first terms stand for the
					// title, the next for the description.
					ts := strings.Fields(m.terms)
					title, desc := ts[:min(6, len(ts))], ts[min(6, len(ts)):min(26, len(ts))]
					sRows = append(sRows, "(?,?,?,?)")
					// The index holds the title's terms as title tokens too,
					// as the publish path writes them.
					terms := m.terms + " " + strings.Join(library.TitleTokens(title), " ")
					sArgs = append(sArgs, id, terms, strings.Join(title, " "), strings.Join(desc, " "))
				}
				if _, err := tx.Exec(ctx, `INSERT INTO materials (id, author_id, title, subject, grade, type, language, status, views, downloads, published_at, created_at, updated_at) VALUES `+strings.Join(mRows, ","), mArgs...); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO material_search (material_id, terms, title_terms, desc_terms) VALUES `+strings.Join(sRows, ","), sArgs...); err != nil {
					return err
				}
				done += k
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("fill: %w", err)
		}
	}
	return nil
}

// persistentPostgres returns the address of the database
// smartustaz_search_bench on the dbtest server, created when missing and
// kept afterwards.
func persistentPostgres(b *testing.B) string {
	b.Helper()
	admin, err := sql.Open("pgx", dbtest.PostgresURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'smartustaz_search_bench')`).Scan(&exists); err != nil {
		b.Fatalf("PostgreSQL: %v", err)
	}
	if !exists {
		if _, err := admin.Exec(`CREATE DATABASE smartustaz_search_bench`); err != nil {
			b.Fatal(err)
		}
	}
	u, err := url.Parse(dbtest.PostgresURL())
	if err != nil {
		b.Fatal(err)
	}
	u.Path = "/smartustaz_search_bench"
	return u.String()
}
