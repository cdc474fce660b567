package web_test

import (
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/web"
)

// browser is one reader of the site through its real routes and
// middleware, over TLS at web.SiteOrigin: its own cookies and client
// address, redirects not followed.
type browser struct {
	t    *testing.T
	srv  http.Handler
	jar  *cookiejar.Jar
	ip   string
	lang string
}

func newBrowser(t *testing.T, srv http.Handler, ip string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, srv: srv, jar: jar, ip: ip, lang: "en"}
}

// page is an answer as the browser got it.
type page struct {
	Status int
	Header http.Header
	Body   string
}

// Text is the body with entities decoded, as a reader sees it.
func (p *page) Text() string { return html.UnescapeString(p.Body) }

func (b *browser) do(method, path string, form url.Values) *page {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, web.SiteOrigin+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, web.SiteOrigin+path, nil)
	}
	req.RemoteAddr = b.ip + ":40000"
	req.Header.Set("Accept-Language", b.lang)
	for _, c := range b.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.srv.ServeHTTP(w, req)
	res := w.Result()
	b.jar.SetCookies(req.URL, res.Cookies())
	return &page{Status: w.Code, Header: w.Header(), Body: w.Body.String()}
}

func (b *browser) get(path string) *page { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) *page {
	return b.do(http.MethodPost, path, form)
}

// cookie is the browser's cookie called name, or nil.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(web.SiteOrigin + "/")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}
