package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/web"
)

const testPassword = "Alma-Ata 1854 spring"

// newUser registers a teacher with a verified address directly (no
// acceptance recorded, so the site asks them to accept the documents first).
func newUser(t *testing.T, srv *web.Server, email string) *account.User {
	t.Helper()
	_, tok, err := srv.Accounts.Register(context.Background(), account.RegisterInput{
		Email: email, Password: testPassword, FullName: "Айгүл Мұратова", Accept: true, Locale: "en",
	}, account.Meta{IP: "198.51.100.200"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := srv.Accounts.VerifyEmail(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var (
	nextFieldRe = regexp.MustCompile(`name="next" value="([^"]*)"`)
	documentRe  = regexp.MustCompile(`<input type="hidden" name="document" value="(\d+)">`)
)

// Every route that takes a "next" parameter (the language switch, the
// login form and its answer, the consent page and its answer) sends the
// browser to this site whatever the parameter holds: the known tricks of
// open redirects end on a page of site.example, as a browser reads the
// Location.
func TestRedirectsStayOnSite(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, _ := newSite(t, d)
		newUser(t, srv, "teacher@mail.kz")
		b := newBrowser(t, srv, "198.51.100.7")
		if p := b.post("/login", url.Values{"email": {"teacher@mail.kz"}, "password": {testPassword}}); p.Status != http.StatusSeeOther {
			t.Fatalf("login: status %d", p.Status)
		}
		var docs []string
		for _, m := range documentRe.FindAllStringSubmatch(b.get("/account/consent").Body, -1) {
			docs = append(docs, m[1])
		}
		if len(docs) == 0 {
			t.Fatal("the consent page offers no document")
		}
		if p := b.post("/account/consent", url.Values{"document": docs, "accept": {"yes"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("accepting the documents: status %d", p.Status)
		}
		for _, next := range append(web.RedirectTricks, "/materials?q=x") {
			q := "?next=" + url.QueryEscape(next)
			check := func(route string, p *page) {
				t.Helper()
				loc := p.Header.Get("Location")
				t.Logf("%-22s next=%-28q → Location %q", route, next, loc)
				if p.Status != http.StatusSeeOther {
					t.Errorf("%s with next=%q: status %d, want 303", route, next, p.Status)
				}
				if o := web.BrowserOrigin(loc); o != web.SiteOrigin {
					t.Errorf("%s with next=%q: Location %q takes the browser to %s", route, next, loc, o)
				}
			}
			anon := newBrowser(t, srv, "198.51.100.8")
			check("GET /lang/en", anon.get("/lang/en"+q))
			// The login form carries next in a hidden field, and its
			// answer redirects to it.
			m := nextFieldRe.FindStringSubmatch(anon.get("/login" + q).Body)
			if m == nil {
				t.Fatalf("the login form has no next field")
			}
			if o := web.BrowserOrigin(html.UnescapeString(m[1])); o != web.SiteOrigin {
				t.Errorf("the login form with next=%q offers %q", next, m[1])
			}
			check("POST /login", b.post("/login", url.Values{"email": {"teacher@mail.kz"}, "password": {testPassword}, "next": {next}}))
			// The consent page, with nothing (more) to accept, and its answer.
			check("GET /account/consent", b.get("/account/consent"+q))
			check("POST /account/consent", b.post("/account/consent", url.Values{"document": docs, "accept": {"yes"}, "next": {next}}))
		}
		// A plain local path is kept.
		if loc := b.get("/lang/en?next=" + url.QueryEscape("/materials?q=x")).Header.Get("Location"); loc != "/materials?q=x" {
			t.Errorf("a local next is not kept: %q", loc)
		}
	})
}
