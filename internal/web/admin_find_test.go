package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// urlAttrRe finds every address a page links, posts or points to.
var urlAttrRe = regexp.MustCompile(`(?:href|action|src)="([^"]*)"`)

// The administrator's find-by-address form is a POST, so the address
// never lands in a URL (proxy logs, browser history, Referer): found, the
// answer redirects to the account's page by id; not found, the list is
// shown with the address only in the form field. An address in the query
// of GET /admin/users finds nothing.
func TestAdminFindByEmailIsPost(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, _ := newSite(t, d)
		u := newUser(t, srv, "teacher@mail.kz")
		admin := newAdmin(t, srv, "admin@mail.kz")
		admin.lang = "kk"

		list := admin.get("/admin/users")
		if !strings.Contains(list.Body, `<form method="post" action="/admin/users/find"`) {
			t.Errorf("the find form does not post to /admin/users/find")
		}
		noAddressInURLs := func(what string, p *page, addr string) {
			t.Helper()
			for _, v := range []string{addr, url.QueryEscape(addr), strings.ToUpper(addr)} {
				if strings.Contains(p.Header.Get("Location"), v) {
					t.Errorf("%s: the address is in the Location", what)
				}
				for _, m := range urlAttrRe.FindAllStringSubmatch(p.Body, -1) {
					if strings.Contains(strings.ToLower(m[1]), strings.ToLower(v)) {
						t.Errorf("%s: the address is in the page's URL %q", what, m[1])
					}
				}
			}
		}

		r := admin.post("/admin/users/find", url.Values{"email": {"TEACHER@mail.kz"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/admin/users/"+strconv.FormatInt(u.ID, 10) {
			t.Errorf("find: status %d, Location %q", r.Status, r.Header.Get("Location"))
		}
		noAddressInURLs("found", r, "teacher@mail.kz")

		r = admin.post("/admin/users/find", url.Values{"email": {"nobody@mail.kz"}})
		if r.Status != http.StatusOK || !strings.Contains(r.Text(), i18n.T(i18n.KK, "web.admin.users.none")) {
			t.Errorf("find unknown: status %d, no 'nobody has this address'", r.Status)
		}
		if !strings.Contains(r.Body, `value="nobody@mail.kz"`) {
			t.Errorf("find unknown: the address typed is not kept in the field")
		}
		noAddressInURLs("not found", r, "nobody@mail.kz")

		if r := admin.get("/admin/users?email=teacher%40mail.kz"); r.Status != http.StatusOK || r.Header.Get("Location") != "" {
			t.Errorf("GET /admin/users?email= still searches: status %d, Location %q", r.Status, r.Header.Get("Location"))
		}
		// Staff who are not administrators cannot search.
		if r := newBrowser(t, srv, "198.51.100.9").post("/admin/users/find", url.Values{"email": {"teacher@mail.kz"}}); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("anonymous find: status %d, Location %q", r.Status, r.Header.Get("Location"))
		}
	})
}
