package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// newSite is the portal over a fresh database of one engine, built as
// serve builds it, without mail, page images or a page cache.
func newSite(t *testing.T, d *db.DB) (*web.Server, *library.Service) {
	t.Helper()
	return newSiteWith(t, d, account.Options{})
}

// newSiteWith is newSite with the accounts' options (a clock to move).
func newSiteWith(t *testing.T, d *db.DB, ao account.Options) (*web.Server, *library.Service) {
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
	srv, err := web.NewServer(web.Deps{DB: d, Vault: v, Accounts: account.New(d, v, ao), Consent: cs,
		Audit: audit.New(d, v), Library: lib, BaseURL: "http://smartustaz.test"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, lib
}

// readKazakh fetches path as a reader whose browser asks for Kazakh and
// returns the page's text with entities decoded, as it reads.
func readKazakh(t *testing.T, srv http.Handler, path string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", "kk-KZ,kk;q=0.9")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, w.Code)
	}
	b, _ := io.ReadAll(w.Result().Body)
	return html.UnescapeString(string(b))
}

// A new site's catalog says it has no materials yet and invites the
// reader to publish the first one (sorting changes nothing: it narrows
// nothing). A search or a filter that finds nothing in it still says that
// nothing matches, without the invitation.
func TestCatalogEmptyStates(t *testing.T) {
	const (
		none    = "Каталогта әзірге материал жоқ."
		publish = `<a href="/materials/new">Алғашқы материалды жариялаңыз</a>`
		noMatch = "Бұл сүзгілерге сай материал табылмады. Сүзгілерді өзгертіп көріңіз."
	)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, lib := newSite(t, d)
		tax, err := lib.Taxonomy(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/materials", "/materials?sort=popular"} {
			page := readKazakh(t, srv, path)
			if !strings.Contains(page, none) || !strings.Contains(page, publish) {
				t.Errorf("%s on a new site does not say the catalog has no materials yet with a link to publish one", path)
			}
			if strings.Contains(page, noMatch) {
				t.Errorf("%s on a new site says no material matches filters nobody set", path)
			}
		}
		for _, path := range []string{
			"/materials?q=" + url.QueryEscape("сабақ жоспары"),
			"/materials?subject=" + url.QueryEscape(tax.Subjects[0].Code),
			"/materials?language=kk&sort=downloads",
		} {
			page := readKazakh(t, srv, path)
			if !strings.Contains(page, noMatch) {
				t.Errorf("%s finds nothing but does not say that nothing matches", path)
			}
			if strings.Contains(page, none) || strings.Contains(page, publish) {
				t.Errorf("%s, a narrowed list, says the whole catalog is empty", path)
			}
		}
	})
}
