package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/vault"
)

type env struct {
	d        *db.DB
	v        *vault.Vault
	accounts *account.Service
	consent  *consent.Service
	audit    *audit.Log
	imp      *importer.Service
	ctx      context.Context
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	return newEnvIn(t, d, t.TempDir())
}

// newEnvIn is newEnv with the vault's key file in dir.
func newEnvIn(t *testing.T, d *db.DB, dir string) *env {
	t.Helper()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	e := &env{d: d, v: v, ctx: context.Background()}
	e.accounts = account.New(d, v, account.Options{})
	e.audit = audit.New(d, v)
	e.consent = consent.New(d, v)
	e.imp = importer.New(d, v, e.accounts, e.audit)
	e.consent.MethodFor = e.imp.AcceptMethod
	if err := e.consent.Seed(e.ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

// A cheap argon2id hash of "old-portal-password" (m=8 KiB, t=1): what an
// old site may have stored. Login upgrades it to the current parameters.
const oldHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0$nJ8w1ZbZc0o7g9xg1VbO3Q"

// users is a CSV of n synthetic teachers, "n" ranging from first.
func usersCSV(first, n int, sep string) string {
	var b strings.Builder
	b.WriteString(strings.Join([]string{"email", "full_name", "phone", "organization", "position", "region", "registered_at"}, sep) + "\n")
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
			fmt.Sprintf("teacher%d@old-portal.kz", i), sep, fmt.Sprintf("Мұратова Айгүл %d", i), sep, "+7 701 123 45 67", sep,
			"№12 мектеп-гимназия", sep, "математика пәнінің мұғалімі", sep, "Алматы облысы", sep, "2019-05-01 10:00:00")
	}
	return b.String()
}

func runCSV(t *testing.T, e *env, data string, o importer.Options) *importer.Report {
	t.Helper()
	src, err := importer.NewCSV(strings.NewReader(data), importer.CSVOptions{Size: int64(len(data))})
	if err != nil {
		t.Fatalf("open csv: %v", err)
	}
	if o.Source == "" {
		o.Source = "test"
	}
	rep, err := e.imp.Run(e.ctx, src, o)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("count: %v", err)
	}
	return n
}

func TestImportCSVFormats(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		// Windows-1251 has no Kazakh letters: a Russian-language export.
		ru := strings.NewReplacer("Мұратова Айгүл", "Иванова Анна", "№12 мектеп-гимназия", "Школа-гимназия №12",
			"математика пәнінің мұғалімі", "учитель математики", "Алматы облысы", "Алматинская область").Replace(usersCSV(300, 3, ";"))
		cp1251, err := charmap.Windows1251.NewEncoder().String(ru)
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, data string
			first      int
		}{
			{"utf-8 comma", usersCSV(100, 3, ","), 100},
			{"utf-8 with BOM, semicolon", "\ufeff" + usersCSV(200, 3, ";"), 200},
			{"windows-1251 semicolon", cp1251, 300},
			{"tab", usersCSV(400, 3, "\t"), 400},
		}
		for _, c := range cases {
			rep := runCSV(t, e, c.data, importer.Options{})
			if rep.Summary() != "created 3, updated 0, skipped 0, failed 0" {
				t.Fatalf("%s: %s, failures %v", c.name, rep.Summary(), rep.Failures)
			}
			u, err := e.accounts.FindByEmail(e.ctx, fmt.Sprintf("TEACHER%d@old-portal.kz", c.first+1))
			if err != nil {
				t.Fatalf("%s: imported user not found by the address in capitals: %v", c.name, err)
			}
			want := fmt.Sprintf("Мұратова Айгүл %d", c.first+1)
			if c.first == 300 {
				want = fmt.Sprintf("Иванова Анна %d", c.first+1)
			}
			region := "Алматы облысы"
			if c.first == 300 {
				region = "Алматинская область"
			}
			if u.FullName.Reveal() != want || u.Region.Reveal() != region {
				t.Fatalf("%s: the name or region did not survive the trip (encoding?)", c.name)
			}
			imp, err := e.imp.Imported(e.ctx, u.ID)
			if err != nil || imp.Consent != "none" || imp.Source != "test" || imp.RegisteredAt.Year() != 2019 || imp.BatchID != rep.BatchID {
				t.Fatalf("%s: import record %+v, %v", c.name, imp, err)
			}
		}
	})
}

func TestImportJSONL(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		data := `{"email":"a1@old-portal.kz","full_name":"Сәуле Омарова","password_hash":"` + strings.ReplaceAll(oldHash, `$`, `$`) + `"}
{"email":"a2@old-portal.kz","phone":null,"registered_at":1558000000}

{"email":"a3@old-portal.kz","full_name":"Ерлан","position":"мұғалім","extra":{"x":1}}
`
		rep, err := e.imp.Run(e.ctx, importer.NewJSONL(strings.NewReader(data), nil, 0), importer.Options{Source: "jsonl"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Summary() != "created 3, updated 0, skipped 0, failed 0" {
			t.Fatalf("%s %v", rep.Summary(), rep.Failures)
		}
		u, err := e.accounts.FindByEmail(e.ctx, "a1@old-portal.kz")
		if err != nil || u.FullName.Reveal() != "Сәуле Омарова" {
			t.Fatalf("user a1 not imported as written: %v", err)
		}
	})
}

// TestImportBadRows is the catalogue of rows refused: each is reported by
// its line with a reason, never by a value, and the others are imported.
func TestImportBadRows(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		long := strings.Repeat("ә", importer.MaxRowBytes)
		data := "email,full_name,password_hash\n" +
			"good1@old-portal.kz,Айгүл,\n" + // line 2
			",Нет Адреса,\n" + // line 3: no email
			"not-an-address,Айгүл,\n" + // line 4
			"bad-hash@old-portal.kz,Айгүл,plaintext-password\n" + // line 5
			"bad-utf8@old-portal.kz,\xff\xfe,\n" + // line 6
			"long@old-portal.kz," + long + ",\n" + // line 7
			"good2@old-portal.kz,Ерлан,\"" + oldHash + "\"\n" // line 8
		src, err := importer.NewCSV(strings.NewReader(data), importer.CSVOptions{Encoding: importer.EncodingUTF8})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := e.imp.Run(e.ctx, src, importer.Options{Source: "bad rows"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Summary() != "created 2, updated 0, skipped 0, failed 5" {
			t.Fatalf("summary %q %v", rep.Summary(), rep.Failures)
		}
		want := []importer.Failure{
			{Where: "line 3", Field: "email", Reason: importer.ReasonNoEmail},
			{Where: "line 4", Field: "email", Reason: importer.ReasonEmailInvalid},
			{Where: "line 5", Field: "password_hash", Reason: importer.ReasonHashUnknown},
			{Where: "line 6", Reason: importer.ReasonCharset},
			{Where: "line 7", Reason: importer.ReasonTooLong},
		}
		if fmt.Sprint(rep.Failures) != fmt.Sprint(want) {
			t.Fatalf("failures\n got %v\nwant %v", rep.Failures, want)
		}
		// The saved report is the same, for the administrator.
		b, err := e.imp.Batch(e.ctx, rep.BatchID)
		if err != nil || b.Status != importer.StatusDone || fmt.Sprint(b.Failures) != fmt.Sprint(want) || b.Summary() != rep.Summary() {
			t.Fatalf("saved batch %+v, %v", b, err)
		}
		// Audited: who, from where, the counts.
		all, err := e.audit.List(e.ctx, 0, 10)
		var entries []audit.Entry
		for _, a := range all {
			if a.Action == audit.ActionImport {
				entries = append(entries, a)
			}
		}
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, rep.Summary()) || !strings.Contains(entries[0].Detail, `"bad rows"`) {
			t.Fatalf("audit entries %+v, %v", entries, err)
		}
	})
}

// TestImportIdempotent: the same file twice creates nobody twice; the
// addresses are matched in any letter case and Unicode form; update
// replaces the profile but never a password the user has here.
func TestImportIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		data := usersCSV(1, 20, ",")
		if got := runCSV(t, e, data, importer.Options{}).Summary(); got != "created 20, updated 0, skipped 0, failed 0" {
			t.Fatal(got)
		}
		if got := runCSV(t, e, data, importer.Options{}).Summary(); got != "created 0, updated 0, skipped 20, failed 0" {
			t.Fatal(got)
		}
		upper := strings.ReplaceAll(data, "teacher", "TEACHER")
		upper = strings.ReplaceAll(upper, "Алматы облысы", "Астана қаласы")
		if got := runCSV(t, e, upper, importer.Options{OnConflict: importer.OnConflictUpdate}).Summary(); got != "created 0, updated 20, skipped 0, failed 0" {
			t.Fatal(got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM users`); n != 20 {
			t.Fatalf("%d users after three runs, want 20", n)
		}
		u, err := e.accounts.FindByEmail(e.ctx, "teacher5@old-portal.kz")
		if err != nil || u.Region.Reveal() != "Астана қаласы" {
			t.Fatalf("update did not replace the region: %v", err)
		}
		// Twice in one file: the second is skipped.
		dup := "email\nsame@old-portal.kz\nSAME@old-portal.kz\n"
		if got := runCSV(t, e, dup, importer.Options{}).Summary(); got != "created 1, updated 0, skipped 1, failed 0" {
			t.Fatal(got)
		}
		// A dry run writes nothing, and counts what would happen.
		before := count(t, d, `SELECT COUNT(*) FROM import_batches`)
		if got := runCSV(t, e, usersCSV(15, 10, ","), importer.Options{DryRun: true}).Summary(); got != "created 4, updated 0, skipped 6, failed 0" {
			t.Fatal(got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_batches`); n != before {
			t.Fatal("dry run wrote a batch")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM users`); n != 21 {
			t.Fatalf("dry run wrote users: %d", n)
		}
	})
}

// cancelAfter is a source that cancels the import's context after n rows,
// as a killed process would stop.
type cancelAfter struct {
	importer.Source
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Next() (importer.Row, error) {
	c.n--
	if c.n == 0 {
		c.cancel()
	}
	return c.Source.Next()
}

// TestImportKillAndResume: an import stopped in the middle keeps whole
// batches, and running it again finishes it without duplicates.
func TestImportKillAndResume(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		data := usersCSV(1, 1000, ",")
		src, err := importer.NewCSV(strings.NewReader(data), importer.CSVOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(e.ctx)
		defer cancel()
		rep, err := e.imp.Run(ctx, &cancelAfter{Source: src, n: 450, cancel: cancel}, importer.Options{Source: "killed", BatchSize: 100})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("run: %v", err)
		}
		got := count(t, d, `SELECT COUNT(*) FROM users`)
		if got == 0 || got >= 1000 || got%100 != 0 {
			t.Fatalf("%d users after the interruption: want whole batches, not all", got)
		}
		if b, _ := e.imp.Batch(e.ctx, rep.BatchID); b.Status != importer.StatusCancelled {
			t.Fatalf("interrupted batch is %q", b.Status)
		}
		rep2 := runCSV(t, e, data, importer.Options{Source: "killed"})
		if rep2.Created != int64(1000-got) || rep2.Skipped != int64(got) {
			t.Fatalf("re-run: %s", rep2.Summary())
		}
		if n := count(t, d, `SELECT COUNT(*) FROM users`); n != 1000 {
			t.Fatalf("%d users after the re-run", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_users`); n != 1000 {
			t.Fatalf("%d import records after the re-run", n)
		}
	})
}

// TestImportNoPlaintext: after an import, no personal value is anywhere in
// the database in plaintext (the import tables included).
func TestImportNoPlaintext(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		runCSV(t, e, usersCSV(1, 5, ","), importer.Options{})
		for _, table := range []string{"users", "import_users", "import_batches", "audit_log", "user_keys", "profile_changes"} {
			rows, err := d.Query(e.ctx, `SELECT * FROM `+table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var b []byte
					switch x := v.(type) {
					case []byte:
						b = x
					case string:
						b = []byte(x)
					}
					for _, needle := range []string{"teacher3@old-portal.kz", "old-portal", "Мұратова", "мектеп-гимназия", "701 123"} {
						if bytes.Contains(b, []byte(needle)) {
							t.Errorf("table %s column %s holds a personal value in plaintext", table, cols[i])
						}
					}
				}
			}
			rows.Close()
		}
	})
}

// TestImportedUserDeleted: deleting an imported account removes where it
// came from (importer.EraseUser runs in the deletion's transaction).
func TestImportedUserDeleted(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.accounts = account.New(d, e.v, account.Options{Erasers: []account.Eraser{consent.EraseUser, importer.EraseUser}})
		e.imp = importer.New(d, e.v, e.accounts, e.audit)
		runCSV(t, e, usersCSV(1, 2, ","), importer.Options{})
		u, err := e.accounts.FindByEmail(e.ctx, "teacher1@old-portal.kz")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.accounts.Delete(e.ctx, u.ID, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_users WHERE user_id = ?`, u.ID); n != 0 {
			t.Error("the deleted user's import record stays")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_users`); n != 1 {
			t.Errorf("%d import records left, want the other user's", n)
		}
	})
}
