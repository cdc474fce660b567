package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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

// cachedSite is the portal with its page cache on (a TTL far longer than
// the test) and materials published without moderation, its metrics
// registry, the library and an author signed in (their session token).
type cachedSite struct {
	srv     *web.Server
	lib     *library.Service
	reg     *prometheus.Registry
	d       *db.DB
	author  int64
	session string
	// accounts and cs sign up more readers (pagecache_signedin_test.go).
	accounts *account.Service
	cs       *consent.Service
}

func newCachedSite(t testing.TB, d *db.DB) *cachedSite {
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
	lib := library.New(d, v, store, library.Options{PublishImmediately: true})
	if err := lib.SeedTaxonomy(ctx); err != nil {
		t.Fatal(err)
	}
	accounts := account.New(d, v, account.Options{})
	reg := prometheus.NewRegistry()
	srv, err := web.NewServer(web.Deps{DB: d, Vault: v, Accounts: accounts, Consent: cs, Audit: audit.New(d, v), Library: lib,
		BaseURL: "http://smartustaz.test", Registry: reg, PageCacheBytes: 8 << 20, PageCacheTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// The author registers accepting the current documents, as the
	// registration form records them, confirms the address and signs in.
	const email, password = "cache-author@mektep.test", "Кэш-авторының-құпия-сөзі-1"
	u, token, err := accounts.Register(ctx, account.RegisterInput{Email: email, Password: password, FullName: "Кэш Авторы",
		Organization: "№1 мектеп", Position: "Мұғалім", Region: "Абай облысы", Phone: "+7 701 000 00 01", Locale: "kk", Accept: true},
		account.Meta{IP: "192.0.2.1"}, func(ctx context.Context, tx *db.Tx, u *account.User, key *vault.UserKey) error {
			a, p, err := cs.Current(ctx)
			if err != nil {
				return err
			}
			return cs.RecordAcceptance(ctx, tx, key, u.ID, []*consent.Document{a, p}, "registration", consent.Meta{IP: "192.0.2.1"})
		})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.VerifyEmail(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, _, session, err := accounts.Login(ctx, email, password, account.Meta{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	return &cachedSite{srv: srv, lib: lib, reg: reg, d: d, author: u.ID, session: session, accounts: accounts, cs: cs}
}

// read is what a reader who is not signed in gets at path.
func (c *cachedSite) read(t *testing.T, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", "kk")
	w := httptest.NewRecorder()
	c.srv.ServeHTTP(w, req)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, html.UnescapeString(string(b))
}

// post sends a form of the author's (multipart when it is the edit form).
func (c *cachedSite) post(t *testing.T, path string, fields map[string]string) int {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: "sid", Value: c.session})
	w := httptest.NewRecorder()
	c.srv.ServeHTTP(w, req)
	return w.Code
}

// hits is how many public pages the cache has answered so far.
func (c *cachedSite) hits(t testing.TB) float64 {
	t.Helper()
	mfs, err := c.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "smartustaz_page_cache_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "result" && l.GetValue() == "hit" {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestPageCacheFreshness, as a reader sees it: a material's page and the
// catalog are served from the cache (a change made behind the site's back
// in the database does not show, and the hit counter moves), yet the
// author's edit shows on the next visit, and the author's withdrawal
// makes the page "not found" and takes it off the catalog at once — on
// this server, well within the cache's hour-long TTL.
func TestPageCacheFreshness(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCachedSite(t, d)
		tax, err := c.lib.Taxonomy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		up := c.lib.NewUpload()
		if err := up.Add(ctx, "жоспар.txt", strings.NewReader("Сабақ жоспары: Абай өлеңдері, 5-сынып.\n")); err != nil {
			t.Fatal(err)
		}
		in := library.Input{Title: "Кэш: бірінші атау", Description: "Сабақ жоспары.", Subject: tax.Subjects[0].Code,
			Grade: tax.Grades[0].Code, Type: tax.Types[0].Code, Language: "kk", AuthorDeclaration: true}
		m, err := c.lib.Publish(ctx, c.author, in, up, library.Meta{IP: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != library.StatusPublished {
			t.Fatalf("the material is %s, want published", m.Status)
		}
		page := m.Path()
		const catalog = "/materials"

		// Kept: the second reader of each page is answered by the cache.
		for _, path := range []string{page, catalog} {
			if code, body := c.read(t, path); code != http.StatusOK || !strings.Contains(body, "Кэш: бірінші атау") {
				t.Fatalf("%s: status %d, shows the title %v", path, code, strings.Contains(body, "Кэш: бірінші атау"))
			}
		}
		before := c.hits(t)
		for _, path := range []string{page, catalog} {
			c.read(t, path)
		}
		if got := c.hits(t) - before; got != 2 {
			t.Fatalf("two more visits: %v answered from the cache, want 2", got)
		}
		// A change the site was not told about (another process writing
		// the database) does not show before the TTL: the page a reader
		// gets is the kept one.
		if _, err := d.Exec(ctx, `UPDATE materials SET title = ? WHERE id = ?`, "Кэш: артта өзгерген", m.ID); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{page, catalog} {
			if _, body := c.read(t, path); !strings.Contains(body, "Кэш: бірінші атау") || strings.Contains(body, "Кэш: артта өзгерген") {
				t.Fatalf("%s is not served from the cache: it shows a change made behind the site's back", path)
			}
		}

		// The author renames it through the site: the next reader sees
		// the new title on both pages.
		fields := map[string]string{"title": "Кэш: жаңа атау", "description": in.Description, "subject": in.Subject,
			"grade": in.Grade, "type": in.Type, "language": in.Language, "author_declaration": "yes"}
		if code := c.post(t, "/materials/"+itoa(m.ID)+"/edit", fields); code != http.StatusSeeOther {
			t.Fatalf("edit: status %d", code)
		}
		edited, err := c.lib.Get(ctx, m.ID, library.Viewer{})
		if err != nil {
			t.Fatal(err)
		}
		if edited.Path() != page {
			// The old address (its slug was the old title) now leads to the new one.
			if code, body := c.read(t, page); code != http.StatusMovedPermanently || strings.Contains(body, "Кэш: бірінші атау") {
				t.Errorf("the old address right after the edit: status %d, old title %v; want 301", code, strings.Contains(body, "Кэш: бірінші атау"))
			}
		}
		page = edited.Path()
		for _, path := range []string{page, catalog} {
			code, body := c.read(t, path)
			if code != http.StatusOK || !strings.Contains(body, "Кэш: жаңа атау") || strings.Contains(body, "Кэш: бірінші атау") {
				t.Errorf("%s right after the edit: status %d, new title %v, old title %v", path, code,
					strings.Contains(body, "Кэш: жаңа атау"), strings.Contains(body, "Кэш: бірінші атау"))
			}
		}
		c.read(t, page) // kept again

		// The author withdraws it: gone from both at once.
		if code := c.post(t, "/materials/"+itoa(m.ID)+"/withdraw", nil); code != http.StatusSeeOther {
			t.Fatalf("withdraw: status %d", code)
		}
		if code, body := c.read(t, page); code != http.StatusNotFound || strings.Contains(body, "Кэш: жаңа атау") {
			t.Errorf("the material page right after the withdrawal: status %d, title shown %v; want 404 without it", code, strings.Contains(body, "Кэш: жаңа атау"))
		}
		if _, body := c.read(t, catalog); strings.Contains(body, "Кэш: жаңа атау") || strings.Contains(body, "Кэш: бірінші атау") {
			t.Errorf("the catalog still lists a material its author withdrew")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
