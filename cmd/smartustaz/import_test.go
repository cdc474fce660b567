package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
