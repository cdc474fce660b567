package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/library"
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

// signIn returns a browser signed in as email (the documents accepted,
// so no page is held back for them).
func signIn(t *testing.T, srv *web.Server, email, ip string) *browser {
	t.Helper()
	ctx := context.Background()
	u, err := srv.Accounts.FindByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	a, p, err := srv.Consent.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Consent.Accept(ctx, u.ID, []int64{a.ID, p.ID}, consent.Meta{}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv, ip)
	if r := b.post("/login", url.Values{"email": {email}, "password": {testPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("login: status %d", r.Status)
	}
	return b
}

// newAdmin makes an administrator and returns their signed-in browser.
func newAdmin(t *testing.T, srv *web.Server, email string) *browser {
	t.Helper()
	if _, err := srv.Accounts.CreateAdmin(context.Background(), email, testPassword, "Әкімші"); err != nil {
		t.Fatal(err)
	}
	return signIn(t, srv, email, "198.51.100.250")
}

// publishMaterial publishes a one-file material by author, approved by
// moderator, and returns its id.
func publishMaterial(t *testing.T, lib *library.Service, author, moderator int64) int64 {
	t.Helper()
	ctx := context.Background()
	up := lib.NewUpload()
	if err := up.Add(ctx, "plan.txt", strings.NewReader("Сабақ жоспары: теңдеулерді шешу. Мақсаты — бір белгісізі бар теңдеулер.")); err != nil {
		t.Fatal(err)
	}
	m, err := lib.Publish(ctx, author, library.Input{
		Title: "Алгебра: сабақ жоспары", Description: "Теңдеулер.", Subject: "algebra", Grade: "7",
		Type: "short-term-plan", Language: "kk", AuthorDeclaration: true,
	}, up, library.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Approve(ctx, moderator, m.ID); err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// clock is the fake clock tests move instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
