package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// `smartustaz demo --users N` adds N teachers who accepted the documents in
// force, says how to sign in as one of them, says that no administrator
// exists yet, and continues the numbering on a second run. The output names
// no teacher.
func TestDemoCommand(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			env := map[string]string{"SMARTUSTAZ_DATA": t.TempDir(), "SMARTUSTAZ_DB": dbtest.DSN(t, e)}
			demo := func(args ...string) (string, string) {
				t.Helper()
				var stdout, stderr strings.Builder
				err := run(context.Background(), append([]string{"smartustaz", "demo"}, args...),
					func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
				if err != nil {
					t.Fatalf("demo %v: %v\n%s", args, err, stderr.String())
				}
				return stdout.String(), stderr.String()
			}

			out, progress := demo("--users", "30")
			for _, want := range []string{
				"added 30 demo teachers",
				"addresses: demo-1@demo.smartustaz.kz … demo-30@demo.smartustaz.kz",
				"password:  " + defaultDemoPassword,
				"no administrator yet",
				"smartustaz admin create",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if !strings.Contains(progress, "\rdemo teachers: 30 of 30 (100.0%)") {
				t.Errorf("no final progress line on stderr:\n%q", progress)
			}

			out2, _ := demo("--users", "5", "--password", "another-demo-pass")
			if !strings.Contains(out2, "addresses: demo-31@demo.smartustaz.kz … demo-35@demo.smartustaz.kz") ||
				!strings.Contains(out2, "password:  another-demo-pass") {
				t.Errorf("second run does not continue the numbering or show its password:\n%s", out2)
			}

			d, err := db.Open(context.Background(), env["SMARTUSTAZ_DB"], env["SMARTUSTAZ_DATA"])
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if n := count(t, d, `SELECT COUNT(*) FROM users WHERE role = 'user' AND status = 'active' AND email_verified_at > 0`); n != 35 {
				t.Errorf("%d active verified users, want 35", n)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM users WHERE role = 'admin'`); n != 0 {
				t.Errorf("demo made %d administrators", n)
			}
			// Agreement and privacy policy, accepted once each per teacher.
			if n := count(t, d, `SELECT COUNT(*) FROM acceptances`); n != 70 {
				t.Errorf("%d acceptances, want 70 (two documents × 35 teachers)", n)
			}
			for i := 1; i <= 35; i++ {
				tc := account.DemoTeacher(i)
				if strings.Contains(out+out2+progress, tc.Profile.FullName) || strings.Contains(out+out2+progress, tc.Profile.Phone) {
					t.Fatal("the output of demo shows a teacher's personal data")
				}
			}
		})
	}
}

// A demo teacher signs in with the printed password and sees their own
// account page at once (no acceptance page: the documents are accepted).
func TestDemoTeacherSignsIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		if out, err := srv.runCmd(t, "", "demo", "--users", "3"); err != nil {
			t.Fatalf("demo: %v\n%s", err, out)
		}
		c := newClient(t, srv)
		c.mustLogin(account.DemoEmail(2), defaultDemoPassword)
		r := c.get("/account")
		wantStatus(t, "account page of a demo teacher", r, http.StatusOK)
		if !strings.Contains(r.Text(), account.DemoTeacher(2).Profile.FullName) {
			t.Fatal("the account page does not greet the demo teacher by name")
		}
	})
}
