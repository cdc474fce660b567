package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// The page cache (internal/web/pagecache.go) as readers meet it: public
// pages come back with an ETag a browser can revalidate, gzipped when
// asked; every reader served from it still counts as a view; a signed-in
// reader never gets an anonymous copy nor leaves theirs for others; the
// language is kept apart; and a moderator's take-down is gone from the
// public pages at once, although they were kept a moment before.
func TestE2EPageCache(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		teacher := newClientSignedIn(t, srv)
		r := teacher.postMultipart("/materials/new", materialForm("Кэш: Абай жолы сабағы"), upload{"абай.pdf", sample(t, "sample.pdf")})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		m := materialPathRe.FindStringSubmatch(r.Location())
		if m == nil {
			t.Fatalf("publish redirects to %q", r.Location())
		}
		id, path := m[1], "/materials/"+m[1]+"-"+m[2]
		wantStatus(t, "approve", admin.post("/admin/moderation/"+id+"/approve", nil), http.StatusSeeOther)
		d := openDB(t, srv)

		// Revalidation: the second answer is the kept one, and a browser
		// holding it is told 304 with no body.
		visitor := newClient(t, srv)
		first := visitor.get(path)
		wantStatus(t, "material page", first, http.StatusOK)
		second := visitor.get(path)
		etag := second.Header.Get("ETag")
		if etag == "" || second.Body != first.Body {
			t.Fatalf("a second visit: ETag %q, same page %v", etag, second.Body == first.Body)
		}
		if cc := second.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("public page Cache-Control %q, want no-cache (revalidate)", cc)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("If-None-Match", etag)
		nm := visitor.do(req)
		if nm.Status != http.StatusNotModified || nm.Body != "" {
			t.Errorf("If-None-Match with the page's ETag: status %d, %d bytes; want 304, none", nm.Status, len(nm.Body))
		}

		// Gzip on the wire, the same page inside.
		raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
		req, _ = http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		zipped, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Accept-Encoding gzip: Content-Encoding %q (status %d, headers %v)", resp.Header.Get("Content-Encoding"), resp.StatusCode, resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			t.Fatalf("the gzipped page does not open: %v", err)
		}
		plain, _ := io.ReadAll(zr)
		if string(plain) != first.Body || len(zipped)*3 > len(plain)*2 {
			t.Errorf("gzipped page: same=%v, %d bytes for %d", string(plain) == first.Body, len(zipped), len(plain))
		}

		// Every visit counted: two pages, the 304 and the gzipped one, all
		// but the first from the cache.
		wantViews := 4
		deadline := time.Now().Add(10 * time.Second)
		for {
			n := count(t, d, `SELECT views FROM materials WHERE id = ?`, mustInt(t, id))
			if n == wantViews {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("views = %d after %d visits", n, wantViews)
			}
			time.Sleep(50 * time.Millisecond)
		}

		// Signed-in and anonymous copies stay apart, both ways.
		const u = "/materials?sort=popular"
		logout := `action="/logout"`
		if a := visitor.get(u); strings.Contains(a.Body, logout) || !strings.Contains(a.Text(), "Кэш: Абай жолы сабағы") {
			t.Fatalf("anonymous catalog: sign-out form %v, lists the material %v", strings.Contains(a.Body, logout), strings.Contains(a.Text(), "Кэш: Абай"))
		}
		s := teacher.get(u)
		if !strings.Contains(s.Body, logout) || s.Header.Get("ETag") != "" || s.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("signed-in catalog after an anonymous visit: sign-out form %v, ETag %q, Cache-Control %q",
				strings.Contains(s.Body, logout), s.Header.Get("ETag"), s.Header.Get("Cache-Control"))
		}
		if a := newClient(t, srv).get(u); strings.Contains(a.Body, logout) {
			t.Errorf("an anonymous reader got a signed-in reader's page")
		}

		// Each language its own copy.
		for _, l := range []i18n.Lang{i18n.RU, i18n.KK, i18n.EN, i18n.RU} {
			c := newClient(t, srv)
			c.Lang = string(l)
			if got := c.get(u); !strings.Contains(got.Text(), "<title>"+i18n.T(l, "library.page.catalog")) {
				t.Errorf("Accept-Language %s: the catalog is not in %s", l, l)
			}
		}

		// A profile made private is gone from the kept author page at once.
		author := regexp.MustCompile(`href="(/authors/\d+)"`).FindStringSubmatch(first.Body)
		if author == nil {
			t.Fatalf("the material page does not link its author")
		}
		const shown = "Кэш Мұғалімі"
		wantStatus(t, "make the name public", teacher.post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {shown}}), http.StatusSeeOther)
		for i := range 2 {
			if a := visitor.get(author[1]); !strings.Contains(a.Text(), shown) || (i == 1 && a.Header.Get("ETag") == "") {
				t.Fatalf("visit %d of the author page: name shown %v, ETag %q", i+1, strings.Contains(a.Text(), shown), a.Header.Get("ETag"))
			}
		}
		wantStatus(t, "hide the profile", teacher.post("/account/public", url.Values{"hide_all": {"yes"}}), http.StatusSeeOther)
		if a := visitor.get(author[1]); strings.Contains(a.Text(), shown) {
			t.Errorf("the author page still shows a name its author made private")
		}

		// A take-down empties the kept pages: gone at once.
		wantStatus(t, "take down", admin.post("/admin/moderation/"+id+"/takedown", url.Values{"reason": {"not_own_work"}}), http.StatusSeeOther)
		wantStatus(t, "material page after take-down", visitor.get(path), http.StatusNotFound)
		if strings.Contains(visitor.get(u).Text(), "Кэш: Абай жолы сабағы") {
			t.Errorf("the catalog still lists a material taken down")
		}
	})
}

// TestE2EPageCacheOff: --page-cache-mb 0 serves every page fresh, with
// no ETag.
func TestE2EPageCacheOff(t *testing.T) {
	srv := startServer(t, db.SQLite, "SMARTUSTAZ_PAGE_CACHE_MB=0")
	c := newClient(t, srv)
	for i := 0; i < 2; i++ {
		r := c.get("/materials")
		wantStatus(t, "catalog", r, http.StatusOK)
		if e := r.Header.Get("ETag"); e != "" {
			t.Fatalf("visit %d: ETag %q with the page cache off", i+1, e)
		}
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
