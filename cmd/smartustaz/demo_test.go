package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
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
			if !strings.Contains(progress, "demo teachers: 30 of 30 (100.0%)\n") || strings.Contains(progress, "\r") {
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

// `smartustaz demo --users 20 --materials 60` makes a catalog a visitor
// pages through 20 at a time, finds a material in by a Kazakh word form of
// its topic, opens and downloads from.
func TestDemoMaterialsCatalog(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		out, err := srv.runCmd(t, "", "demo", "--users", "20", "--materials", "60")
		if err != nil {
			t.Fatalf("demo: %v\n%s", err, out)
		}
		if !strings.Contains(out, "added 60 demo materials") {
			t.Errorf("the output does not say 60 demo materials were added:\n%s", out)
		}
		visitor := newClient(t, srv)
		next := "/materials"
		var titles []string
		for page := 1; page <= 3; page++ {
			r := visitor.get(next)
			wantStatus(t, fmt.Sprintf("catalog page %d", page), r, http.StatusOK)
			if n := strings.Count(r.Body, `class="mat-card"`); n != 20 {
				t.Fatalf("catalog page %d lists %d materials, want 20", page, n)
			}
			titles = append(titles, regexp.MustCompile(`class="mat-title" href="[^"]+">([^<]+)<`).FindAllString(r.Body, -1)...)
			m := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(r.Body)
			if page < 3 && m == nil {
				t.Fatalf("catalog page %d has no link to the next page", page)
			}
			if m != nil {
				next = html.UnescapeString(m[1])
			}
			if page == 3 && m != nil {
				// The catalog looks one item ahead: a full last page does
				// not link to an empty one.
				t.Errorf("the last catalog page links to a next page")
			}
		}
		if len(titles) != 60 {
			t.Errorf("three pages list %d titles", len(titles))
		}

		// A Kazakh word form of a demo material's topic finds it.
		for i := 1; i <= 60; i++ {
			sp := library.DemoMaterial(i)
			w := longestCyrillicWord(sp.Topic)
			if sp.Language != "kk" || len([]rune(w)) < 5 || !strings.ContainsAny(w, "әғқңөұүһі") {
				continue
			}
			q := kazakhGenitive(w)
			r := visitor.get("/materials?q=" + url.QueryEscape(q))
			wantStatus(t, "search", r, http.StatusOK)
			if !strings.Contains(r.Text(), sp.Title) {
				t.Fatalf("searching %q (a form of %q) does not list %q", q, w, sp.Title)
			}
			link := regexp.MustCompile(`class="mat-title" href="([^"]+)">` + regexp.QuoteMeta(html.EscapeString(sp.Title)) + `<`).FindStringSubmatch(r.Body)
			if link == nil {
				t.Fatalf("no link to %q in the results", sp.Title)
			}
			page := visitor.get(link[1])
			wantStatus(t, "demo material page", page, http.StatusOK)
			file := regexp.MustCompile(`href="(/materials/\d+/files/\d+)"`).FindStringSubmatch(page.Body)
			if file == nil {
				t.Fatal("the demo material page links no file")
			}
			dl := visitor.get(file[1])
			wantStatus(t, "demo file download", dl, http.StatusOK)
			if !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") || len(dl.Body) == 0 {
				t.Errorf("the demo file downloads as %q with %d bytes", dl.Header.Get("Content-Disposition"), len(dl.Body))
			}
			return
		}
		t.Fatal("none of 60 demo materials is in Kazakh on a topic with a Kazakh word")
	})
}

// longestCyrillicWord is the longest all-Cyrillic word of s.
func longestCyrillicWord(s string) string {
	best := ""
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		cyr := true
		for _, r := range w {
			cyr = cyr && unicode.Is(unicode.Cyrillic, r)
		}
		if cyr && len([]rune(w)) > len([]rune(best)) {
			best = w
		}
	}
	return best
}

// kazakhGenitive puts a Kazakh noun into the genitive case (-ның/-нің,
// -дың/-дің, -тың/-тің by vowel harmony and the last sound).
func kazakhGenitive(w string) string {
	r := []rune(strings.ToLower(w))
	back := true
	for i := len(r) - 1; i >= 0; i-- {
		if strings.ContainsRune("аоұыяу", r[i]) {
			break
		}
		if strings.ContainsRune("әөүіеиэ", r[i]) {
			back = false
			break
		}
	}
	c := "т"
	switch last := r[len(r)-1]; {
	case strings.ContainsRune("аәеиоөұүыіэюямнң", last):
		c = "н"
	case strings.ContainsRune("жзлрйу", last):
		c = "д"
	}
	if back {
		return string(r) + c + "ың"
	}
	return string(r) + c + "ің"
}
