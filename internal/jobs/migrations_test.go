package jobs_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

var update = flag.Bool("update", false, "rewrite the jobs migrations in internal/db/migrations from River's")

// riverParts are our migrations that hold River's, by the name after
// their number, and the River versions each holds. PostgreSQL cannot use
// an enum value in the transaction that added it (River's 004 adds
// 'pending', 006 uses it), and each of our files is one transaction.
var riverParts = []struct {
	name     string
	from, to int
}{{"jobs", 1, 4}, {"jobs_2", 5, 8}}

// riverSQL is what our file holding River's versions from..to says.
func riverSQL(t *testing.T, e db.Engine, from, to int) string {
	t.Helper()
	var drv interface{ GetMigrationFS(string) fs.FS }
	pkg := "riversqlite"
	if e == db.SQLite {
		drv = riversqlite.New(nil)
	} else {
		drv = riverdatabasesql.New(nil)
		pkg = "riverdatabasesql"
	}
	fsys := drv.GetMigrationFS(riverdriver.MigrationLineMain)
	var b strings.Builder
	fmt.Fprintf(&b, "-- The durable job queue (internal/jobs): River's tables, in River's own SQL\n"+
		"-- (github.com/riverqueue/river/riverdriver/%s, migrations %03d to %03d),\n"+
		"-- recorded in river_migration as River's migrator would. Written by\n"+
		"-- go test ./internal/jobs -run TestMigrationsAreRivers -update\n", pkg, from, to)
	var versions []string
	for v := from; v <= to; v++ {
		m, err := fs.Glob(fsys, fmt.Sprintf("migration/main/%03d_*.up.sql", v))
		if err != nil || len(m) != 1 {
			t.Fatalf("River's migration %03d: %v %v", v, m, err)
		}
		body, err := fs.ReadFile(fsys, m[0])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "\n-- River %s\n%s\n", strings.TrimSuffix(filepath.Base(m[0]), ".up.sql"),
			strings.TrimSpace(strings.ReplaceAll(string(body), "/* TEMPLATE: schema */", "")))
		if v >= 5 { // 005 adds the migration line
			versions = append(versions, fmt.Sprintf("('main', %d)", v))
		} else {
			versions = append(versions, fmt.Sprintf("(%d)", v))
		}
	}
	cols := "version"
	if from >= 5 {
		cols = "line, version"
	}
	fmt.Fprintf(&b, "\nINSERT INTO river_migration (%s) VALUES %s;\n", cols, strings.Join(versions, ", "))
	return b.String()
}

// migrationFile finds our migration named name after its number (the
// number changes when migrations of other branches come first).
func migrationFile(t *testing.T, e db.Engine, name string) string {
	t.Helper()
	dir := filepath.Join("..", "db", "migrations", string(e))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^[0-9]+_` + regexp.QuoteMeta(name) + `\.sql$`)
	for _, en := range entries {
		if re.MatchString(en.Name()) {
			return filepath.Join(dir, en.Name())
		}
	}
	t.Fatalf("no migration *_%s.sql in %s", name, dir)
	return ""
}

// TestMigrationsAreRivers: our migrations that make River's tables hold
// exactly River's SQL for its versions, and after them River's migrator
// finds nothing left to do — so upgrading River with a new migration
// fails here until a file with it is added.
func TestMigrationsAreRivers(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		for _, p := range riverParts {
			want := riverSQL(t, e, p.from, p.to)
			path := migrationFile(t, e, p.name)
			if *update {
				if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Errorf("%s is not River's SQL of versions %d to %d: run go test ./internal/jobs -run TestMigrationsAreRivers -update", path, p.from, p.to)
			}
		}
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		var drv riverdriver.Driver[*sql.Tx]
		if d.Engine() == db.SQLite {
			drv = riversqlite.New(d.WriterPool())
		} else {
			drv = riverdatabasesql.New(d.WriterPool())
		}
		m, err := rivermigrate.New(drv, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := m.Validate(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK {
			t.Fatalf("River's migrator finds work left after our migrations: %v (add a migration with River's new versions to riverParts)", res.Messages)
		}
		if last := m.AllVersions()[len(m.AllVersions())-1].Version; last != riverParts[len(riverParts)-1].to {
			t.Fatalf("River's last migration is %d; our files stop at %d", last, riverParts[len(riverParts)-1].to)
		}
	})
}
