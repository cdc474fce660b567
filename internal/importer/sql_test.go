package importer_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/importer"
)

// plainTable fills a "members" table of a typical PHP portal, in the
// columns examples/import/plain-table.json names.
func plainTable(t *testing.T, src *sql.DB, placeholders func(n int) string) {
	t.Helper()
	if _, err := src.Exec(`CREATE TABLE members (id INTEGER PRIMARY KEY, mail TEXT, fio TEXT, tel TEXT, school TEXT, post TEXT, oblast TEXT, pass_hash TEXT, created TEXT)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		mail := fmt.Sprintf("member%d@old-portal.kz", i)
		if i == 5 {
			mail = "" // a member without an address
		}
		_, err := src.Exec(`INSERT INTO members VALUES (`+placeholders(9)+`)`, i, mail, fmt.Sprintf("Қасымов Ерлан %d", i),
			"+7 (705) 111-22-33", "№3 мектеп", "тарих пәнінің мұғалімі", "Қостанай облысы", oldHash, "2018-09-01")
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mapping(t *testing.T, name string) *importer.Mapping {
	t.Helper()
	m, err := importer.ReadMapping(filepath.Join("..", "..", "examples", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func runSQL(t *testing.T, e *env, dsn string, m *importer.Mapping) *importer.Report {
	t.Helper()
	d, err := importer.OpenSourceDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	src, err := importer.NewSQL(e.ctx, d, m)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	rep, err := e.imp.Run(e.ctx, src, importer.Options{Source: m.Source, Format: "sql"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func checkPlainTable(t *testing.T, e *env, rep *importer.Report) {
	t.Helper()
	if rep.Summary() != "created 4, updated 0, skipped 0, failed 1" || len(rep.Failures) != 1 || rep.Failures[0].Where != "key 5" {
		t.Fatalf("%s %v", rep.Summary(), rep.Failures)
	}
	u, err := e.accounts.FindByEmail(e.ctx, "member2@old-portal.kz")
	if err != nil || u.FullName.Reveal() != "Қасымов Ерлан 2" || u.Position.Reveal() != "тарих пәнінің мұғалімі" {
		t.Fatalf("member 2 not imported as stored: %v", err)
	}
}

func TestImportFromSQLite(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		path := filepath.Join(t.TempDir(), "old.db")
		src, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		plainTable(t, src, func(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") })
		src.Close()
		checkPlainTable(t, e, runSQL(t, e, "sqlite:"+path, mapping(t, "plain-table.json")))
	})
}

func TestImportFromPostgres(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		dsn := dbtest.DSN(t, db.Postgres)
		src, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		plainTable(t, src, func(n int) string {
			var p []string
			for i := 1; i <= n; i++ {
				p = append(p, fmt.Sprintf("$%d", i))
			}
			return strings.Join(p, ",")
		})
		checkPlainTable(t, e, runSQL(t, e, dsn, mapping(t, "plain-table.json")))
	})
}

// mariaDB returns the address of a fresh database on the MariaDB at
// 127.0.0.1:3306 (user root, no password), dropped when the test ends.
func mariaDB(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SMARTUSTAZ_TEST_MARIADB")
	if base == "" {
		base = "mysql://root@127.0.0.1:3306/"
	}
	admin, err := importer.OpenSourceDB(base)
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MariaDB is required in CI but not reachable: %v", err)
		}
		t.Skipf("MariaDB not reachable (%v): set SMARTUSTAZ_TEST_MARIADB or start MariaDB", err)
	}
	name := fmt.Sprintf("smartustaz_wp_%d", os.Getpid())
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name); admin.Close() })
	return strings.TrimSuffix(base, "/") + "/" + name
}

// TestImportFromWordPress reads a WordPress-style schema (wp_users with
// names in wp_usermeta, phpass hashes) on MariaDB with the shipped
// example mapping.
func TestImportFromWordPress(t *testing.T) {
	dsn := mariaDB(t)
	wp, err := importer.OpenSourceDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer wp.Close()
	for _, q := range []string{
		`CREATE TABLE wp_users (ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, user_login VARCHAR(60) NOT NULL,
			user_pass VARCHAR(255) NOT NULL, user_email VARCHAR(100) NOT NULL, user_registered DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
			display_name VARCHAR(250) NOT NULL DEFAULT '') DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE wp_usermeta (umeta_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id BIGINT UNSIGNED NOT NULL,
			meta_key VARCHAR(255), meta_value LONGTEXT) DEFAULT CHARSET=utf8mb4`,
		`INSERT INTO wp_users (user_login, user_pass, user_email, user_registered, display_name) VALUES
			('aigul', '$P$BZlPX7NIx8MYpXokBW2AGsN7i.aUOt0', 'aigul@wp-portal.kz', '2017-03-04 05:06:07', 'aigul'),
			('erlan', '$P$B12345678901234567890123456789a', 'Erlan@WP-portal.kz', '2018-01-01 00:00:00', 'Ерлан Серікұлы'),
			('broken', 'x', 'not-an-email', '2018-01-01 00:00:00', 'broken')`,
		`INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES
			(1, 'first_name', 'Айгүл'), (1, 'last_name', 'Мұратова'), (1, 'nickname', 'aigul')`,
	} {
		if _, err := wp.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rep := runSQL(t, e, dsn, mapping(t, "wordpress.json"))
		if rep.Summary() != "created 2, updated 0, skipped 0, failed 1" || rep.Failures[0].Where != "key 3" {
			t.Fatalf("%s %v", rep.Summary(), rep.Failures)
		}
		u, err := e.accounts.FindByEmail(e.ctx, "aigul@wp-portal.kz")
		if err != nil || u.FullName.Reveal() != "Айгүл Мұратова" {
			t.Fatalf("first and last name from wp_usermeta not joined: %v", err)
		}
		u, err = e.accounts.FindByEmail(e.ctx, "erlan@wp-portal.kz")
		if err != nil || u.FullName.Reveal() != "Ерлан Серікұлы" {
			t.Fatalf("display name not taken when wp_usermeta has no names: %v", err)
		}
		var hash string
		if err := d.QueryRow(context.Background(), `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil || !strings.HasPrefix(hash, "$P$") {
			t.Fatal("the phpass hash was not kept as it was")
		}
		imp, err := e.imp.Imported(e.ctx, u.ID)
		if err != nil || imp.Source != "wordpress" || imp.RegisteredAt.Year() != 2018 {
			t.Fatalf("import record %+v %v", imp, err)
		}
		// Again: nobody twice.
		if got := runSQL(t, e, dsn, mapping(t, "wordpress.json")).Summary(); got != "created 0, updated 0, skipped 2, failed 1" {
			t.Fatal(got)
		}
	})
}
