package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/vault"
	"github.com/smartustaz/smartustaz/internal/web"
)

// sitemapSite is the portal with sitemap files of per materials.
func sitemapSite(t *testing.T, d *db.DB, per int) *web.Server {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cs := consent.New(d, v)
	if err := cs.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	store, err := blob.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	lib := library.New(d, v, store, library.Options{})
	if err := lib.SeedTaxonomy(ctx); err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(web.Deps{DB: d, Vault: v, Accounts: account.New(d, v, account.Options{}), Consent: cs,
		Audit: audit.New(d, v), Library: lib, BaseURL: "https://smartustaz.test", SitemapURLs: per})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// addMaterials writes n materials of one author straight into the table
// (the sitemap reads only id, slug, status and updated_at), every third
// one waiting for moderation; it returns the published ones' paths.
func addMaterials(t *testing.T, d *db.DB, n int) []string {
	t.Helper()
	ctx := context.Background()
	author := db.NewID()
	if _, err := d.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, 1, 1)`, author); err != nil {
		t.Fatal(err)
	}
	var published []string
	for i := 0; i < n; i++ {
		id := db.NewID()
		status := "published"
		if i%3 == 2 {
			status = "pending"
		}
		slug := fmt.Sprintf("sabaq-%d", i)
		if _, err := d.Exec(ctx, `INSERT INTO materials (id, author_id, title, subject, grade, type, language, status, slug,
			created_at, updated_at, published_at) VALUES (?, ?, ?, 'mathematics', '5', 'short-term-plan', 'kk', ?, ?, 1764720000000, 1764720000000, 1764720000000)`,
			id, author, "Сабақ", status, slug); err != nil {
			t.Fatal(err)
		}
		if status == "published" {
			published = append(published, library.MaterialPath(id, slug))
		}
	}
	return published
}

type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []string `xml:"url>loc"`
	Sitemaps []string `xml:"sitemap>loc"`
}

func getXML(t *testing.T, srv http.Handler, path string) sitemapDoc {
	t.Helper()
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, w.Code)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	b, _ := io.ReadAll(w.Result().Body)
	var doc sitemapDoc
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return doc
}

// Issue 13 §5: /sitemap.xml lists every published material and nothing
// else; past the per-file limit it is an index of files found by keyset,
// each within the limit, together listing each material once, with no
// empty file at the end.
func TestSitemapSplit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		published := addMaterials(t, d, 9) // 6 published, 3 pending
		const base = "https://smartustaz.test"

		one := getXML(t, sitemapSite(t, d, 0), "/sitemap.xml")
		if one.XMLName.Local != "urlset" || len(one.URLs) != 3+len(published) {
			t.Fatalf("one file: <%s> with %d URLs, want a urlset of 3 fixed pages and %d materials", one.XMLName.Local, len(one.URLs), len(published))
		}

		for _, per := range []int{3, 4} {
			srv := sitemapSite(t, d, per)
			idx := getXML(t, srv, "/sitemap.xml")
			wantFiles := 1 + (len(published)+per-1)/per
			if idx.XMLName.Local != "sitemapindex" || len(idx.Sitemaps) != wantFiles {
				t.Fatalf("per %d: <%s> with %d files, want an index of %d", per, idx.XMLName.Local, len(idx.Sitemaps), wantFiles)
			}
			seen := map[string]int{}
			for _, loc := range idx.Sitemaps {
				part := getXML(t, srv, strings.TrimPrefix(loc, base))
				if len(part.URLs) == 0 || len(part.URLs) > per {
					t.Errorf("per %d: %s lists %d URLs", per, loc, len(part.URLs))
				}
				for _, u := range part.URLs {
					seen[strings.TrimPrefix(u, base)]++
				}
			}
			for _, p := range published {
				if seen[p] != 1 {
					t.Errorf("per %d: a published material is listed %d times", per, seen[p])
				}
			}
			if len(seen) != 3+len(published) {
				t.Errorf("per %d: %d addresses listed, want %d (no material waiting for moderation)", per, len(seen), 3+len(published))
			}
		}
	})
}
