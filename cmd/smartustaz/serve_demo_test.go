package main

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// `serve --demo`, the README's first command, on an empty data folder opens
// a catalog a visitor pages through, searches in Kazakh and Russian and
// downloads from; the output says how to sign in as a demo teacher and
// names no teacher. Started again with the flag (here through
// SMARTUSTAZ_DEMO) on the same folder, it adds nothing and says why.
func TestServeDemo(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			dataDir, dsn := t.TempDir(), dbtest.DSN(t, e)
			// No page images: the worker would convert every demo file
			// in the background, which is not what is tested here.
			const noImages = "SMARTUSTAZ_PAGE_IMAGES=false"
			t.Run("first start", func(t *testing.T) {
				srv := startServerOn(t, e, dataDir, dsn, []string{"--demo"}, noImages)
				out := srv.Output()
				for _, want := range []string{
					fmt.Sprintf("demo teachers: %d of %d (100.0%%)\n", demoServeUsers, demoServeUsers),
					fmt.Sprintf("demo materials: %d of %d (100.0%%)\n", demoServeMaterials, demoServeMaterials),
					fmt.Sprintf("--demo: added %d demo materials by %d demo teachers (demo accounts", demoServeMaterials, demoServeUsers),
					"password " + defaultDemoPassword,
				} {
					if !strings.Contains(out, want) {
						t.Errorf("serve --demo did not print %q:\n%q", want, out)
					}
				}
				for i := 1; i <= demoServeUsers; i++ {
					if p := account.DemoTeacher(i).Profile; strings.Contains(out, p.FullName) || strings.Contains(out, p.Phone) {
						t.Fatal("serve --demo printed a teacher's personal data")
					}
				}
				demoCatalogServes(t, srv)
				wantDemoCounts(t, srv)
			})
			t.Run("second start", func(t *testing.T) {
				srv := startServerOn(t, e, dataDir, dsn, nil, noImages, "SMARTUSTAZ_DEMO=true")
				out := srv.Output()
				if !strings.Contains(out, "--demo: the catalog is not empty, so no demo data was added") {
					t.Errorf("the second start does not say it skipped the demo fill:\n%q", out)
				}
				if strings.Contains(out, "demo materials:") || strings.Contains(out, "--demo: added") {
					t.Errorf("the second start filled again:\n%q", out)
				}
				wantDemoCounts(t, srv)
			})
		})
	}
}

// demoCatalogServes checks the catalog a visitor finds after serve --demo.
func demoCatalogServes(t *testing.T, srv *testServer) {
	t.Helper()
	visitor := newClient(t, srv)
	r := visitor.get("/materials")
	wantStatus(t, "catalog", r, http.StatusOK)
	if n := strings.Count(r.Body, `class="mat-card"`); n != 20 {
		t.Fatalf("the demo catalog's first page lists %d materials, want 20", n)
	}
	for _, key := range []string{"library.catalog.empty", "library.catalog.none"} {
		if strings.Contains(r.Text(), i18n.T(i18n.KK, key)) {
			t.Errorf("the filled catalog says %q", i18n.T(i18n.KK, key))
		}
	}
	if regexp.MustCompile(`rel="next"`).FindString(r.Body) == "" {
		t.Error("the demo catalog has no next page")
	}

	// A Kazakh word form (genitive) of a demo topic, and a Russian topic
	// word, each list materials on that topic.
	found := map[string]bool{}
	for i := 1; i <= demoServeMaterials && len(found) < 2; i++ {
		sp := library.DemoMaterial(i)
		w := longestCyrillicWord(sp.Topic)
		if found[sp.Language] || len([]rune(w)) < 5 {
			continue
		}
		var q string
		switch {
		case sp.Language == "kk" && strings.ContainsAny(w, "әғқңөұүһі"):
			q = kazakhGenitive(w)
		case sp.Language == "ru":
			q = strings.ToLower(w)
		default:
			continue
		}
		r := visitor.get("/materials?q=" + url.QueryEscape(q))
		wantStatus(t, "search", r, http.StatusOK)
		titles := regexp.MustCompile(`class="mat-title" href="[^"]+">([^<]+)<`).FindAllStringSubmatch(r.Body, -1)
		if len(titles) == 0 {
			t.Fatalf("searching %q (from material %d's topic, in %s) lists nothing", q, i, sp.Language)
		}
		onTopic := false
		for _, m := range titles {
			onTopic = onTopic || strings.Contains(strings.ToLower(html.UnescapeString(m[1])), strings.ToLower(w))
		}
		if !onTopic {
			t.Errorf("searching %q lists no title with %q", q, w)
		}
		found[sp.Language] = true
	}
	if !found["kk"] || !found["ru"] {
		t.Fatalf("no demo material to search for in Kazakh and in Russian: %v", found)
	}

	// The newest material downloads.
	link := regexp.MustCompile(`class="mat-title" href="([^"]+)"`).FindStringSubmatch(r.Body)
	page := visitor.get(link[1])
	wantStatus(t, "demo material page", page, http.StatusOK)
	file := regexp.MustCompile(`href="(/materials/\d+/files/\d+)"`).FindStringSubmatch(page.Body)
	if file == nil {
		t.Fatal("the demo material page links no file")
	}
	dl := visitor.get(file[1])
	wantStatus(t, "demo file download", dl, http.StatusOK)
	if len(dl.Body) == 0 {
		t.Error("the demo file downloads empty")
	}
}

// wantDemoCounts checks that the library holds serve --demo's materials
// and teachers, no more.
func wantDemoCounts(t *testing.T, srv *testServer) {
	t.Helper()
	d := openDB(t, srv)
	if n := count(t, d, `SELECT COUNT(*) FROM materials`); n != demoServeMaterials {
		t.Errorf("%d materials, want %d", n, demoServeMaterials)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM users WHERE role = 'user' AND status = 'active'`); n != demoServeUsers {
		t.Errorf("%d active teachers, want %d", n, demoServeUsers)
	}
}
