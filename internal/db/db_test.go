package db_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// engineOnly are the tables one engine has and the other must not: the
// storage of an engine's own full-text index. SQLite's FTS5 table
// material_fts (0003_search.sql) appears as the virtual table and the
// shadow tables FTS5 keeps its index in; PostgreSQL indexes the same rows
// with a GIN index, which is no table. Each listed table must exist on its
// engine, so the list cannot outlive the index it excuses.
var engineOnly = map[db.Engine][]string{
	db.SQLite: {"material_fts", "material_fts_config", "material_fts_data", "material_fts_docsize", "material_fts_idx", "material_fts_vocab"},
}

// Both engines must end with the same tables and columns, so a feature
// written against one behaves the same on the other.
func TestSchemasMatch(t *testing.T) {
	schemas := map[db.Engine]map[string][]string{}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		cols := columns(t, d)
		for _, tbl := range engineOnly[d.Engine()] {
			if _, ok := cols[tbl]; !ok {
				t.Errorf("engine-only table %s is missing on %s", tbl, d.Engine())
			}
			delete(cols, tbl)
		}
		schemas[d.Engine()] = cols
	})
	if len(schemas) != 2 {
		t.Skip("need both engines to compare")
	}
	if !reflect.DeepEqual(schemas[db.SQLite], schemas[db.Postgres]) {
		t.Fatalf("schemas differ:\nsqlite:   %v\npostgres: %v", schemas[db.SQLite], schemas[db.Postgres])
	}
}

func columns(t *testing.T, d *db.DB) map[string][]string {
	ctx := context.Background()
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if d.Engine() == db.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		out[tbl] = append(out[tbl], col)
	}
	for _, c := range out {
		sort.Strings(c)
	}
	return out
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		applied, err := d.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v", applied)
		}
	})
}

func TestRebindAndTx(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, "a", "б")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var v string
		if err := d.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, "a").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != "б" {
			t.Fatalf("got %q", v)
		}
		_, err = d.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`, "a", "c")
		if !db.IsUniqueViolation(err) {
			t.Fatalf("want unique violation, got %v", err)
		}
	})
}

func TestNewIDUnique(t *testing.T) {
	seen := map[int64]bool{}
	for i := 0; i < 1000000; i++ {
		id := db.NewID()
		if id <= 0 || seen[id] {
			t.Fatalf("bad or repeated id %d", id)
		}
		seen[id] = true
	}
}

// PostgreSQL connections run with JIT off and 16 MB of work_mem unless
// the address asks otherwise (internal/db openPostgres says why).
func TestPostgresSessionDefaults(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t, db.Postgres)
	for _, c := range []struct{ dsn, setting, want string }{
		{dsn, "jit", "off"}, {dsn + "&jit=on", "jit", "on"},
		{dsn, "work_mem", "16MB"}, {dsn + "&work_mem=8MB", "work_mem", "8MB"},
	} {
		if !strings.Contains(c.dsn, "?") {
			c.dsn = strings.Replace(c.dsn, "&", "?", 1)
		}
		d, err := db.Open(ctx, c.dsn, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = d.QueryRow(ctx, `SHOW `+c.setting).Scan(&got)
		d.Close()
		if err != nil || got != c.want {
			t.Errorf("%s = %q (%v), want %q", c.setting, got, err, c.want)
		}
	}
}

// QueryPlanned gives the same rows as Query on both engines: on
// PostgreSQL it only changes how the statement is sent.
func TestQueryPlanned(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			d := dbtest.Open(t, e)
			ctx := context.Background()
			q := `SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3) t WHERE x >= ? ORDER BY x`
			for i := range 7 { // past PostgreSQL's five custom plans of a prepared statement
				rows, err := d.QueryPlanned(ctx, q, 2)
				if err != nil {
					t.Fatal(err)
				}
				var got []int
				for rows.Next() {
					var x int
					if err := rows.Scan(&x); err != nil {
						t.Fatal(err)
					}
					got = append(got, x)
				}
				rows.Close()
				if len(got) != 2 || got[0] != 2 || got[1] != 3 {
					t.Fatalf("run %d: got %v, want [2 3]", i, got)
				}
			}
		})
	}
}

// Reads answer from prepared statements on SQLite (stmtcache.go): a
// statement run again sees what was written since, a statement that is not
// valid SQL fails as it would unprepared, and more distinct statements than
// the cache holds still run.
func TestQueriesSeeWritesAndOutgrowTheCache(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			var n int
			if err := d.QueryRow(ctx, `SELECT count(*) FROM t WHERE v = ?`, "x").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i := range 3 {
			if got := count(); got != i {
				t.Fatalf("count = %d, want %d", got, i)
			}
			if _, err := d.Exec(ctx, `INSERT INTO t (id, v) VALUES (?, ?)`, i+1, "x"); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.QueryRow(ctx, `SELEC nothing`).Scan(new(int)); err == nil {
			t.Fatal("a malformed statement answered")
		}
		for i := range 600 {
			rows, err := d.Query(ctx, fmt.Sprintf(`SELECT id FROM t WHERE id > ? AND %d = %d`, i, i), 1)
			if err != nil {
				t.Fatalf("statement %d: %v", i, err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != 2 {
				t.Fatalf("statement %d: %d rows, want 2", i, n)
			}
		}
	})
}

// Connections used at once stay open for the next queries: a pool that
// closed its idle connections beyond two made every busy moment reopen
// them (on SQLite with their page cache and prepared statements, on
// PostgreSQL a new server process each).
func TestReadersStayOpen(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		n := 8 // every SQLite reader; on PostgreSQL more than the 16 once kept
		if d.Engine() == db.Postgres {
			n = 20
		}
		for round := range 3 {
			var open []interface{ Close() error }
			for i := range n {
				rows, err := d.Query(ctx, fmt.Sprintf(`SELECT %d`, i))
				if err != nil {
					t.Fatal(err)
				}
				open = append(open, rows) // held: the next query needs another connection
			}
			for _, r := range open {
				r.Close()
			}
			st := d.ReadStats()
			if st.Idle < n || st.MaxIdleClosed != 0 {
				t.Fatalf("round %d: %d idle after %d used at once, %d closed for being idle; want all kept", round, st.Idle, n, st.MaxIdleClosed)
			}
		}
	})
}
