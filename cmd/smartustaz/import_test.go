package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/config"
	"github.com/smartustaz/smartustaz/internal/importer"
)

// TestCLIImportUsers runs `smartustaz import users` against a serving
// site, as an operator would: a dry run writes nothing, the import
// prints each bad row by its line and ends with the counts, a second run
// creates nobody twice, and nothing printed holds an address or a name.
func TestCLIImportUsers(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		file := filepath.Join(t.TempDir(), "users.csv")
		csv := "email;full_name;region\nbakyt.old@example.kz;Бақыт Омаров;Жетісу облысы\n;Адресі жоқ;\nsaule.old@example.kz;Сәуле Ахметова;\n"
		if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
			t.Fatal(err)
		}
		lastLine := func(out string) string {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			return lines[len(lines)-1]
		}
		clean := func(name, out string) {
			for _, v := range []string{"bakyt.old", "saule.old", "Бақыт", "Сәуле", "Жетісу"} {
				if strings.Contains(out, v) {
					t.Errorf("%s printed a personal value", name)
				}
			}
		}
		out, err := srv.runCmd(t, "", "import", "users", file, "--dry-run", "--source", "ескі портал")
		if err != nil || lastLine(out) != "created 2, updated 0, skipped 0, failed 1" || !strings.Contains(out, "line 3: email: no email address") {
			t.Fatalf("dry run: err %v, last line %q", err, lastLine(out))
		}
		clean("dry run", out)
		if u := newClient(t, srv); u != nil {
			if r := u.login("bakyt.old@example.kz", "anything-at-all-1"); r.Status == 303 && strings.HasPrefix(r.Location(), "/account") {
				t.Fatal("the dry run created a user")
			}
		}
		out, err = srv.runCmd(t, "", "import", "users", "--source", "ескі портал", file)
		if err != nil || lastLine(out) != "created 2, updated 0, skipped 0, failed 1" {
			t.Fatalf("import: err %v, last line %q", err, lastLine(out))
		}
		clean("import", out)
		out, err = srv.runCmd(t, "", "import", "users", file, "--on-conflict", "skip")
		if err != nil || lastLine(out) != "created 0, updated 0, skipped 2, failed 1" {
			t.Fatalf("second import: err %v, last line %q", err, lastLine(out))
		}
		if out, err := srv.runCmd(t, "", "audit", "verify"); err != nil {
			t.Fatalf("audit verify after imports: %v %q", err, out)
		}
		if _, err := srv.runCmd(t, "", "import", "users", file, "--on-conflict", "merge"); err == nil {
			t.Error("--on-conflict merge was accepted")
		}
		if _, err := srv.runCmd(t, "", "import", "users", "--dsn", "sqlite:"+file); err == nil || !strings.Contains(err.Error(), "--mapping") {
			t.Errorf("--dsn without --mapping: %v", err)
		}
	})
}

// TestImportCommandHelpers: the recorded name of a database source has
// no password; a FILE may come before or after the flags; the progress
// bar draws nothing when the output is not a terminal.
func TestImportCommandHelpers(t *testing.T) {
	for dsn, want := range map[string]string{
		"mysql://root:s3cret@db.internal:3306/wordpress?tls=true": "mysql://db.internal:3306/wordpress",
		"postgres://reader@old/portal":                            "postgres://old/portal",
		"sqlite:/backup/old.db":                                   "sqlite:/backup/old.db",
	} {
		if got := dsnName(dsn); got != want || strings.Contains(got, "s3cret") {
			t.Errorf("dsnName(%q) = %q, want %q", dsn, got, want)
		}
	}
	var f importFlags
	var c config.Config
	fs := config.FlagSet("import users", &c, func(string) string { return "" }, io.Discard)
	f.register(fs)
	flags, pos := splitPositional([]string{"users.csv", "--dry-run", "--source", "old portal", "--on-conflict=update"}, fs)
	if strings.Join(pos, "|") != "users.csv" || strings.Join(flags, "|") != "--dry-run|--source|old portal|--on-conflict=update" {
		t.Errorf("split: flags %q, positional %q", flags, pos)
	}
	// In a log: plain lines, the first state and the last, no frames.
	var out strings.Builder
	bar := newProgressBar(&out)
	bar.update(importer.Progress{Read: 5, Done: 2, Total: 10})
	bar.update(importer.Progress{Read: 7, Done: 3, Total: 10})
	bar.update(importer.Progress{Read: 10, Done: 10, Total: 10})
	bar.finish()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if strings.Contains(out.String(), "\r") || len(lines) != 2 || !strings.Contains(lines[0], " 5 rows") || !strings.Contains(lines[1], " 10 rows") {
		t.Errorf("the progress in a log: %q, want the first and the last state as two lines", out.String())
	}
	if line := progressLine(importer.Progress{Read: 500, Created: 490, Failed: 10, Done: 50, Total: 100}, 2*time.Second); !strings.Contains(line, "250 rows/s") || !strings.Contains(line, "ETA 2s") {
		t.Errorf("progress line %q", line)
	}
}
