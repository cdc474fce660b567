package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/web"
)

// deviceSetCookie is the device cookie a response sets, or nil.
func deviceSetCookie(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Locking a teacher out through the login form: eight wrong passwords
// sent from eight addresses block the account for new browsers (429 with
// the throttle's sentence), but the teacher's own browser, which signed
// in before and holds a device cookie, signs in at once; the teacher on a
// new browser waits out the block, never for good. The device cookie is
// HttpOnly, Secure with the __Host- prefix over TLS, long-lived, and
// names neither the address nor the account; a cookie of another account
// or a forged one gets round nothing.
func TestLoginLockoutDeviceCookie(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		clk := newClock()
		srv, _ := newSiteWith(t, d, account.Options{Now: clk.Now})
		u := newUser(t, srv, "teacher@mail.kz")
		newUser(t, srv, "attacker@mail.kz")
		right := url.Values{"email": {"teacher@mail.kz"}, "password": {testPassword}}
		wrong := url.Values{"email": {"teacher@mail.kz"}, "password": {"guess-" + strconv.Itoa(1)}}

		owner := newBrowser(t, srv, "198.51.100.10")
		r := owner.post("/login", right)
		if r.Status != http.StatusSeeOther {
			t.Fatalf("the owner's first login: status %d", r.Status)
		}
		c := deviceSetCookie(r.Header, "__Host-device")
		if c == nil {
			t.Fatal("no device cookie after signing in")
		}
		if !c.HttpOnly || !c.Secure || c.Path != "/" || c.Domain != "" || c.MaxAge < 300*24*3600 || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("device cookie: HttpOnly %v Secure %v Path %q Domain %q MaxAge %d SameSite %v", c.HttpOnly, c.Secure, c.Path, c.Domain, c.MaxAge, c.SameSite)
		}
		for _, v := range []string{"teacher", "mail.kz", strconv.FormatInt(u.ID, 10)} {
			if strings.Contains(c.Value, v) {
				t.Errorf("the device cookie carries %q", v)
			}
		}
		owner.post("/logout", url.Values{})

		// Without TLS the cookie has no prefix and no Secure flag.
		req := httptest.NewRequest(http.MethodPost, "http://site.example/login", strings.NewReader(right.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "198.51.100.11:4000"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if c := deviceSetCookie(w.Header(), "device"); c == nil || c.Secure || !c.HttpOnly {
			t.Errorf("device cookie over plain HTTP: %+v", c)
		}

		// The attacker: an account of their own (so a genuine device
		// cookie), then wrong passwords from eight addresses.
		attacker := newBrowser(t, srv, "203.0.113.1")
		if r := attacker.post("/login", url.Values{"email": {"attacker@mail.kz"}, "password": {testPassword}}); r.Status != http.StatusSeeOther {
			t.Fatalf("the attacker's own login: status %d", r.Status)
		}
		for i := 2; i <= 9; i++ {
			newBrowser(t, srv, "203.0.113."+strconv.Itoa(i)).post("/login", wrong)
		}
		stranger := newBrowser(t, srv, "198.51.100.12")
		r = stranger.post("/login", right)
		if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Text(), i18n.T(i18n.EN, "account.throttled")) {
			t.Fatalf("a new browser with the right password during the attack: status %d", r.Status)
		}
		// The attacker's genuine cookie (of their own account) and a forged
		// one count as new browsers for the teacher's account.
		if r := attacker.post("/login", right); r.Status != http.StatusTooManyRequests {
			t.Errorf("with another account's device cookie: status %d, want 429", r.Status)
		}
		forger := newBrowser(t, srv, "203.0.113.20")
		forger.jar.SetCookies(mustURL(web.SiteOrigin+"/"), []*http.Cookie{{Name: "__Host-device", Value: strings.Repeat("A", 22) + "." + strings.Repeat("B", 43), Path: "/"}})
		if r := forger.post("/login", right); r.Status != http.StatusTooManyRequests {
			t.Errorf("with a forged device cookie: status %d, want 429", r.Status)
		}

		// The owner's browser signs in at once.
		if r := owner.post("/login", right); r.Status != http.StatusSeeOther {
			t.Fatalf("the owner's own browser during the attack: status %d, want 303", r.Status)
		}
		// A new browser of the owner's is slowed, but not for good.
		clk.Add(15 * time.Minute)
		if r := stranger.post("/login", right); r.Status != http.StatusSeeOther {
			t.Errorf("a new browser after the longest block: status %d", r.Status)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
