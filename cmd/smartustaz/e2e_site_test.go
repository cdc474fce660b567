package main

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// TestE2ESecurityHeaders checks the headers every page carries: a
// content security policy without inline code that also forbids framing,
// no MIME sniffing, no referrer to other sites; and that pages with a
// user's data are not cached.
func TestE2ESecurityHeaders(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		c := newClient(t, srv)
		r := c.get("/")
		wantStatus(t, "/", r, http.StatusOK)
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
			t.Errorf("CSP %q allows inline code, eval or any origin", csp)
		}
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("HSTS sent over plain http")
		}
		// The page has no inline script or style for the CSP to block.
		if strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "<style") || strings.Contains(r.Body, " style=") {
			t.Errorf("the home page has inline script or style")
		}
		p := newPerson("headers")
		u := signup(t, srv, p)
		r = u.get("/account")
		if got := r.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("/account Cache-Control = %q, want no-store", got)
		}
		if r.Header.Get("Content-Security-Policy") != csp {
			t.Errorf("a signed-in page has another CSP")
		}
	})
}

// TestE2ECrossSiteAndLimits: a form posted from another site is refused
// (Go's CrossOriginProtection) and changes nothing, same-origin posts
// pass; a body over 1 MiB is refused and stores nothing; /healthz answers.
func TestE2ECrossSiteAndLimits(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		d := openDB(t, srv)
		users := func() int { return count(t, d, "SELECT COUNT(*) FROM users") }

		h := newClient(t, srv).get("/healthz")
		if h.Status != http.StatusOK || strings.TrimSpace(h.Body) != "ok" {
			t.Errorf("/healthz: status %d body %q", h.Status, h.Body)
		}

		p := newPerson("csrf")
		victim := signup(t, srv, p)
		before := users()
		c := newClient(t, srv)
		c.Lang = "en"
		for _, hdr := range [][]string{
			{"Sec-Fetch-Site", "cross-site"},
			{"Origin", "http://evil.example"},
			{"Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"},
		} {
			r := c.post("/login", url.Values{"email": {p.Email}, "password": {p.Password}}, hdr...)
			wantStatus(t, "cross-site login "+strings.Join(hdr, " "), r, http.StatusForbidden)
			wantText(t, "cross-site login", r, i18n.T(i18n.EN, "web.error.csrf"))
			if c.cookie("sid") != nil {
				t.Errorf("a cross-site login set a session cookie")
			}
		}
		r := c.post("/register", newPerson("csrf-reg").form(), "Sec-Fetch-Site", "cross-site")
		wantStatus(t, "cross-site register", r, http.StatusForbidden)
		r = victim.post("/account/delete", url.Values{"password": {p.Password}}, "Sec-Fetch-Site", "cross-site")
		wantStatus(t, "cross-site delete", r, http.StatusForbidden)
		r = victim.post("/logout", nil, "Sec-Fetch-Site", "cross-site")
		wantStatus(t, "cross-site logout", r, http.StatusForbidden)
		if !signedIn(t, victim) {
			t.Errorf("a cross-site post ended the user's session or account")
		}
		if users() != before {
			t.Errorf("a cross-site post created a user")
		}
		// A browser's same-origin form passes.
		r = c.post("/login", url.Values{"email": {p.Email}, "password": {p.Password}}, "Sec-Fetch-Site", "same-origin", "Origin", srv.URL)
		wantStatus(t, "same-origin login", r, http.StatusSeeOther)

		// Over 1 MiB.
		big := newPerson("big")
		f := big.form()
		f.Set("organization", strings.Repeat("a", 1100<<10))
		cl := newClient(t, srv)
		r = cl.post("/register", f)
		if r.Status != http.StatusRequestEntityTooLarge && r.Status != http.StatusBadRequest {
			t.Errorf("register with a 1.1 MiB body: status %d, want 413 or 400", r.Status)
		}
		wantText(t, "big register", r, i18n.T(i18n.KK, "web.error.badform"))
		r = cl.post("/login", url.Values{"email": {p.Email}, "password": {p.Password}, "x": {strings.Repeat("a", 1<<20)}})
		if r.Status != http.StatusRequestEntityTooLarge && r.Status != http.StatusBadRequest {
			t.Errorf("login with a 1 MiB+ body: status %d, want 413 or 400", r.Status)
		}
		if cl.cookie("sid") != nil {
			t.Errorf("an oversized login signed in")
		}
		if users() != before {
			t.Errorf("an oversized registration wrote a user")
		}
		if n := len(mailsTo(t, srv, big.Email)); n != 0 {
			t.Errorf("an oversized registration sent mail")
		}
		// Just under the limit is an ordinary form (refused for length).
		f.Set("organization", strings.Repeat("a", 1000<<10))
		r = cl.post("/register", f)
		wantStatus(t, "register with a 1000 KiB body", r, http.StatusUnprocessableEntity)
		if got, want := fieldErrors(r)["organization"], i18n.T(i18n.KK, "account.field.too_long", 200); got != want {
			t.Errorf("1000 KiB organization: error %q, want %q", got, want)
		}
	})
}

// TestE2EMetrics: /metrics on the site is for administrators only.
func TestE2EMetrics(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		anon := newClient(t, srv)
		// A token in a URL must not reach the metrics' labels.
		anon.get("/verify?token=MetricsProbeToken42")
		r := anon.get("/metrics")
		if r.Status != http.StatusSeeOther && r.Status != http.StatusForbidden {
			t.Errorf("anonymous /metrics: status %d", r.Status)
		}
		if strings.Contains(r.Body, "smartustaz_http") {
			t.Errorf("anonymous /metrics shows metrics")
		}
		u := signup(t, srv, newPerson("metrics"))
		wantStatus(t, "user /metrics", u.get("/metrics"), http.StatusForbidden)
		admin, _ := setupAdmin(t, srv)
		r = admin.get("/metrics")
		wantStatus(t, "admin /metrics", r, http.StatusOK)
		if !strings.Contains(r.Body, "smartustaz_http_requests_total") {
			t.Errorf("admin /metrics lacks smartustaz_http_requests_total")
		}
		if !strings.Contains(r.Body, `route="GET /verify"`) {
			t.Errorf("requests are not labelled by route pattern")
		}
		if strings.Contains(r.Body, "MetricsProbeToken42") {
			t.Errorf("a URL token reached the metrics")
		}
	})
}

var htmlLangRe = regexp.MustCompile(`<html lang="([a-z]+)">`)

// TestE2ELanguage: Accept-Language picks the language, /lang/{l} sets a
// cookie that wins afterwards, and <html lang> says which.
func TestE2ELanguage(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		for _, tc := range []struct {
			accept string
			want   i18n.Lang
		}{
			{"", i18n.KK},
			{"ru", i18n.RU},
			{"ru-RU,ru;q=0.9,en;q=0.8", i18n.RU},
			{"en-US,en;q=0.9,ru;q=0.5", i18n.EN},
			{"kk-KZ", i18n.KK},
			{"de-DE,de;q=0.9", i18n.KK},
			{"de;q=1, en;q=0.3, ru;q=0.6", i18n.RU},
		} {
			c := newClient(t, srv)
			c.Lang = tc.accept
			r := c.get("/")
			if m := htmlLangRe.FindStringSubmatch(r.Body); m == nil || m[1] != string(tc.want) {
				t.Errorf("Accept-Language %q: <html lang> = %v, want %s", tc.accept, m, tc.want)
			}
			wantText(t, "Accept-Language "+tc.accept, r, i18n.T(tc.want, "web.home.h1"))
		}

		c := newClient(t, srv)
		c.Lang = "ru"
		wantText(t, "ru", c.get("/login"), i18n.T(i18n.RU, "web.login.title"))
		r := c.get("/lang/en?next=/login")
		wantStatus(t, "/lang/en", r, http.StatusSeeOther)
		if r.Location() != "/login" {
			t.Errorf("/lang/en sent to %q, want /login", r.Location())
		}
		if ck := c.cookie("lang"); ck == nil || ck.Value != "en" {
			t.Fatalf("/lang/en did not set the lang cookie")
		}
		r = c.get("/login")
		if m := htmlLangRe.FindStringSubmatch(r.Body); m == nil || m[1] != "en" {
			t.Errorf("after /lang/en with Accept-Language ru: <html lang> = %v", m)
		}
		wantText(t, "after /lang/en", r, i18n.T(i18n.EN, "web.login.title"))
		if strings.Contains(r.Text(), i18n.T(i18n.RU, "web.login.submit")) {
			t.Errorf("Russian text remains after choosing English")
		}
		wantStatus(t, "/lang/fr", c.get("/lang/fr"), http.StatusNotFound)
		if l := c.get("/lang/en?next=//evil.example/").Header.Get("Location"); !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") {
			t.Errorf("/lang next= sends to another site: %q", l)
		}

		// A signed-in user's choice is kept on the account: it decides the
		// language of a new browser and of email.
		p := newPerson("lang")
		u := signup(t, srv, p)
		u.get("/lang/ru")
		fresh := newClient(t, srv)
		fresh.mustLogin(p.Email, p.Password)
		if m := htmlLangRe.FindStringSubmatch(fresh.get("/account").Body); m == nil || m[1] != "ru" {
			t.Errorf("a new browser of a user who chose Russian shows <html lang> %v", m)
		}
		if x := u.export(); x.Profile.Language != "ru" {
			t.Errorf("the account's language is %q after choosing ru", x.Profile.Language)
		}
	})
}

var (
	staticRefRe = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	tagRe       = regexp.MustCompile(`(?s)<[^>]*>`)
	// rawKeyRe finds a message key printed instead of its translation.
	rawKeyRe = regexp.MustCompile(`\b(?:web|account|audit|consent|mail|apperr)\.[a-z0-9_-]+(?:\.[a-z0-9_-]+)*`)
	getRe    = regexp.MustCompile(`"GET (/[^"]*)"`)
)

// TestE2EEveryPage walks every GET route of internal/web/routes.go as an
// anonymous visitor, a user and an administrator, in each language, and
// checks the status a visitor would get, that the page is in the chosen
// language, and that nothing escaped wrongly (html/template's ZgotmplZ)
// or untranslated (a raw message key) reaches the page.
func TestE2EEveryPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("walk")
		user := signup(t, srv, p)
		uid := strconv.FormatInt(user.export().Profile.ID, 10)
		if r := publish(t, admin, "agreement", "Жаңа тармақ"); r.Status != http.StatusOK {
			t.Fatalf("publish: status %d", r.Status)
		}
		acceptPending(t, admin)
		acceptPending(t, user)
		css := staticRefRe.FindStringSubmatch(newClient(t, srv).get("/").Body)
		if css == nil {
			t.Fatalf("the home page links no static file")
		}

		const anon, usr, adm = 0, 1, 2
		pages := sitePages(css[1], uid)

		// Every GET route is walked: a new route without a page here fails.
		src, err := os.ReadFile("../../internal/web/routes.go")
		if err != nil {
			t.Fatal(err)
		}
		walked := map[string]bool{}
		for _, pg := range pages {
			walked[pg.route] = true
		}
		for _, m := range getRe.FindAllStringSubmatch(string(src), -1) {
			if !walked[m[1]] {
				t.Errorf("route GET %s is not walked by this test", m[1])
			}
		}

		for _, lang := range i18n.Langs {
			visitors := [3]*client{newClient(t, srv), user, admin}
			visitors[anon].get("/lang/" + string(lang))
			visitors[usr].get("/lang/" + string(lang))
			visitors[adm].get("/lang/" + string(lang))
			for who, c := range visitors {
				for _, pg := range pages {
					r := c.get(pg.path)
					what := []string{"anonymous", "user", "admin"}[who] + " " + string(lang) + " GET " + pg.path
					wantStatus(t, what, r, pg.status[who])
					if strings.Contains(r.Body, "ZgotmplZ") {
						t.Errorf("%s: the page contains ZgotmplZ", what)
					}
					if !pg.html || r.Status == http.StatusSeeOther {
						continue
					}
					if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
						t.Errorf("%s: Content-Type %q", what, r.Header.Get("Content-Type"))
						continue
					}
					if m := htmlLangRe.FindStringSubmatch(r.Body); m == nil || m[1] != string(lang) {
						t.Errorf("%s: <html lang> = %v", what, m)
					}
					text := tagRe.ReplaceAllString(r.Body, " ")
					if k := rawKeyRe.FindString(text); k != "" {
						t.Errorf("%s: untranslated message key %q in the page", what, k)
					}
					for _, attr := range regexp.MustCompile(`(?:aria-label|title|alt|placeholder)="([^"]*)"`).FindAllStringSubmatch(r.Body, -1) {
						if k := rawKeyRe.FindString(attr[1]); k != "" {
							t.Errorf("%s: untranslated message key %q in an attribute", what, k)
						}
					}
				}
			}
		}

		// Pages only reached by a form: the reveal and a refused form.
		r := admin.post("/admin/users/"+uid+"/reveal", url.Values{"purpose": {"Барлық беттерді тексеру мақсатында"}})
		wantStatus(t, "reveal", r, http.StatusOK)
		if strings.Contains(r.Body, "ZgotmplZ") || rawKeyRe.MatchString(tagRe.ReplaceAllString(r.Body, " ")) {
			t.Errorf("the reveal page has ZgotmplZ or a raw key")
		}
		r = admin.get("/admin/audit")
		if k := rawKeyRe.FindString(tagRe.ReplaceAllString(r.Body, " ")); k != "" {
			t.Errorf("the audit page shows the raw key %q", k)
		}
	})
}

// sitePage is one address of the site and the status each visitor gets.
type sitePage struct {
	path   string
	route  string // the routes.go pattern it exercises
	status [3]int // anonymous, signed-in teacher, administrator
	html   bool
}

// sitePages is every GET page of the site with what an anonymous visitor,
// a teacher and an administrator get; TestE2EEveryPage walks it and so does
// the accessibility test, so a new page is checked by both. css is the
// address of the stylesheet, uid a teacher's id.
func sitePages(css, uid string) []sitePage {
	all := func(s int) [3]int { return [3]int{s, s, s} }
	signed := [3]int{303, 200, 200}
	adminOnly := [3]int{303, 403, 200}
	return []sitePage{
		{"/", "/{$}", all(200), true},
		{"/healthz", "/healthz", all(200), false},
		{"/metrics", "/metrics", adminOnly, false},
		{css, "/static/", all(200), false},
		{"/lang/xx", "/lang/{lang}", all(404), true},
		{"/robots.txt", "/robots.txt", all(200), false},
		{"/favicon.ico", "/favicon.ico", all(200), false},
		{"/sitemap.xml", "/sitemap.xml", all(200), false},
		{"/sitemaps/pages.xml", "/sitemaps/{file}", all(200), false},
		{"/sitemaps/nonsense.xml", "/sitemaps/{file}", all(404), true},
		{"/feed.atom", "/feed.atom", all(200), false},
		{"/feed.atom?subject=algebra", "/feed.atom", all(200), false},
		{"/agreement", "/agreement", all(200), true},
		{"/privacy/data-map", "/privacy/data-map", all(200), true},
		{"/agreement/agreement/1", "/agreement/{kind}/{version}", all(200), true},
		{"/agreement/agreement/2", "/agreement/{kind}/{version}", all(200), true},
		{"/agreement/privacy/1", "/agreement/{kind}/{version}", all(200), true},
		{"/agreement/agreement/9", "/agreement/{kind}/{version}", all(404), true},
		{"/agreement/other/1", "/agreement/{kind}/{version}", all(404), true},
		{"/agreement/agreement/diff?from=1&to=2", "/agreement/{kind}/diff", all(200), true},
		{"/agreement/agreement/diff?from=1", "/agreement/{kind}/diff", all(404), true},
		{"/agreement/collected", "/agreement/collected", all(200), true},
		{"/register", "/register", all(200), true},
		{"/verify?token=x", "/verify", all(200), true},
		{"/login", "/login", all(200), true},
		{"/login?next=//evil.example", "/login", all(200), true},
		{"/reset", "/reset", all(200), true},
		{"/reset/confirm?token=x", "/reset/confirm", all(200), true},
		{"/account", "/account", signed, true},
		{"/account?done=profile", "/account", signed, true},
		{"/account?done=verify-sent", "/account", signed, true},
		{"/account/profile", "/account/profile", signed, true},
		{"/account/password", "/account/password", signed, true},
		{"/account/email", "/account/email", signed, true},
		{"/account/email/confirm?token=x", "/account/email/confirm", all(200), true},
		{"/account/sessions", "/account/sessions", signed, true},
		{"/account/consent", "/account/consent", all(303), true},
		{"/account/delete", "/account/delete", signed, true},
		{"/account/export.json", "/account/export.json", signed, false},
		{"/account/data.zip", "/account/data.zip", signed, false},
		{"/account/data", "/account/data", signed, true},
		{"/setup?token=x", "/setup", all(410), true},
		{"/admin", "/admin", adminOnly, true},
		{"/admin/status", "/admin/status", adminOnly, true},
		{"/admin/mail", "/admin/mail", adminOnly, true},
		{"/admin/data-map", "/admin/data-map", adminOnly, true},
		{"/admin/users", "/admin/users", adminOnly, true},
		{"/admin/users?after=1", "/admin/users", adminOnly, true},
		{"/admin/users/" + uid, "/admin/users/{id}", adminOnly, true},
		{"/admin/users/12345", "/admin/users/{id}", [3]int{303, 403, 404}, true},
		{"/admin/audit", "/admin/audit", adminOnly, true},
		{"/admin/stats", "/admin/stats", adminOnly, true},
		{"/admin/stats?from=2026-01-01&to=2026-01-31", "/admin/stats", adminOnly, true},
		{"/admin/stats?from=nonsense", "/admin/stats", [3]int{303, 403, 422}, true},
		{"/admin/stats.csv", "/admin/stats.csv", adminOnly, false},
		{"/admin/agreement", "/admin/agreement", adminOnly, true},
		{"/admin/agreement?kind=privacy", "/admin/agreement", adminOnly, true},
		{"/materials", "/materials", all(200), true},
		{"/materials?q=" + url.QueryEscape("сабақ жоспары") + "&subject=algebra&grade=7&type=test&language=kk&sort=popular&after=5.5", "/materials", all(200), true},
		{"/materials/new", "/materials/new", signed, true},
		{"/materials/12345-no-such", "/materials/{ref}", all(404), true},
		{"/materials/x", "/materials/{ref}", all(404), true},
		{"/materials/12345/files/1", "/materials/{id}/files/{file}", all(404), true},
		{"/materials/12345/files/1/pages/1.png", "/materials/{id}/files/{file}/pages/{page}", all(404), true},
		{"/materials/12345/files/1/thumb.png", "/materials/{id}/files/{file}/thumb.png", all(404), true},
		{"/materials/12345/edit", "/materials/{id}/edit", [3]int{303, 404, 404}, true},
		{"/account/materials", "/account/materials", signed, true},
		{"/admin/moderation", "/admin/moderation", adminOnly, true},
		{"/admin/reports", "/admin/reports", adminOnly, true},
		{"/admin/taxonomy", "/admin/taxonomy", adminOnly, true},
		{"/materials/12345/certificate", "/materials/{id}/certificate", [3]int{303, 404, 404}, true},
		{"/materials/12345/certificate.pdf?lang=ru", "/materials/{id}/certificate.pdf", [3]int{303, 404, 404}, true},
		{"/verify/", "/verify/{$}", all(200), true},
		{"/verify/?number=nonsense", "/verify/{$}", all(200), true},
		{"/verify/SU-2026-2222-2222", "/verify/{number}", all(404), true},
		{"/verify/garbage", "/verify/{number}", all(404), true},
		{"/account/public", "/account/public", signed, true},
		{"/authors/12345", "/authors/{id}", all(404), true},
		// Mail, correspondence, import (issues 10, 11).
		{"/admin/import", "/admin/import", adminOnly, true},
		{"/admin/import/12345", "/admin/import/{id}", [3]int{303, 403, 404}, true},
		{"/admin/import/12345/status", "/admin/import/{id}/status", [3]int{303, 403, 404}, false},
		{"/account/messages", "/account/messages", signed, true},
		{"/account/messages/12345", "/account/messages/{id}", [3]int{303, 404, 404}, true},
		{"/account/messages/12345/files/1", "/account/messages/{id}/files/{msg}", [3]int{303, 404, 404}, false},
		{"/contact", "/contact", all(200), true},
		{"/admin/messages", "/admin/messages", adminOnly, true},
		{"/admin/messages/12345", "/admin/messages/{id}", [3]int{303, 403, 404}, true},
		// The habits of the big portals (issue 13 §3).
		{"/collections/12345", "/collections/{id}", all(404), true},
		{"/account/saved", "/account/saved", signed, true},
		{"/account/notifications", "/account/notifications", signed, true},
		{"/account/downloads", "/account/downloads", signed, true},
		{"/digest/unsubscribe?u=1&t=x", "/digest/unsubscribe", all(200), true},
		{"/account/consent/receipts", "/account/consent/receipts", signed, true},
		{"/account/consent/receipts/12345", "/account/consent/receipts/{id}", [3]int{303, 404, 404}, true},
		{"/consent/public-key", "/consent/public-key", all(200), false},
		{"/consent/verify", "/consent/verify", all(200), true},
		{"/contacts", "/contacts", all(200), true},
		{"/admin/privacy", "/admin/privacy", adminOnly, true},
		{"/admin/privacy?saved=1", "/admin/privacy", adminOnly, true},
		{"/admin/holidays", "/admin/holidays", adminOnly, true},
		{"/account/requests", "/account/requests", signed, true},
		{"/account/requests?filed=1", "/account/requests", signed, true},
		{"/admin/requests", "/admin/requests", adminOnly, true},
		{"/admin/requests/12345", "/admin/requests/{id}", [3]int{303, 403, 404}, true},
		{"/no-such-page", "", all(404), true},
		{"/logout", "", all(404), true}, // POST only
		{"/admin/privacy?published=1", "/admin/privacy", adminOnly, true},
		{"/account/blocked", "/account/blocked", [3]int{303, 303, 303}, false},
		{"/complaint", "/complaint", all(200), true},
		{"/complaint?due=2026-04-15", "/complaint", all(200), true},
		{"/account/complaints", "/account/complaints", signed, true},
		{"/account/complaints/12345/files/1", "/account/complaints/{id}/files/{file}", [3]int{303, 404, 404}, false},
		{"/admin/complaints", "/admin/complaints", adminOnly, true},
		{"/admin/complaints?done=entered", "/admin/complaints", adminOnly, true},
		{"/admin/complaints/12345", "/admin/complaints/{id}", [3]int{303, 403, 404}, true},
		{"/admin/incidents", "/admin/incidents", adminOnly, true},
		{"/admin/incidents/new", "/admin/incidents/new", adminOnly, true},
		{"/admin/incidents/12345", "/admin/incidents/{id}", [3]int{303, 403, 404}, true},
		{"/admin/incidents/12345/notice/kk", "/admin/incidents/{id}/notice/{lang}", [3]int{303, 403, 404}, true},
		{"/account/data/exports/status", "/account/data/exports/status", signed, false},
		{"/account/data/exports/1", "/account/data/exports/{id}", [3]int{303, 404, 404}, true},
	}
}

// TestE2EPageWeight: the registration page with everything it loads
// stays under 100 KB, so it opens on a slow village connection.
func TestE2EPageWeight(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		c := newClient(t, srv)
		r := c.get("/register")
		wantStatus(t, "/register", r, http.StatusOK)
		total := len(r.Body)
		refs := staticRefRe.FindAllStringSubmatch(r.Body, -1)
		if len(refs) == 0 {
			t.Fatalf("/register links no stylesheet")
		}
		seen := map[string]bool{}
		for _, m := range refs {
			if seen[m[1]] {
				continue
			}
			seen[m[1]] = true
			a := c.get(m[1])
			wantStatus(t, m[1], a, http.StatusOK)
			total += len(a.Body)
			if strings.HasSuffix(m[1], ".css") && !strings.Contains(a.Header.Get("Cache-Control"), "max-age") {
				t.Errorf("%s is not cacheable", m[1])
			}
		}
		if total >= 100<<10 {
			t.Errorf("/register weighs %d bytes with its assets, want under 100 KB", total)
		}
		t.Logf("/register with assets: %d bytes", total)
	})
}
