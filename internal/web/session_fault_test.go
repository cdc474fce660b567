package web_test

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/mail"
)

type logBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A database that fails while a session is looked up does not sign the
// teacher out: the answer is 503 with the site's error page in their
// language, the session cookie is left alone, the failure is logged, and
// once the database is back the same cookie is signed in again.
func TestSessionLookupFailureKeepsTheSession(t *testing.T) {
	const email = "uzilis@mektep.kz"
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, _ := newSite(t, d)
		var logs logBuf
		srv.Log = slog.New(slog.NewJSONHandler(&logs, nil))
		var err error
		if srv.Mail, err = mail.Open("", t.TempDir(), "noreply@smartustaz.test"); err != nil {
			t.Fatal(err)
		}
		post := func(path string, form url.Values) *http.Response {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			return w.Result()
		}
		if res := post("/register", url.Values{"email": {email}, "password": {"ұзын-құпия-сөз-2026"}, "full_name": {"Мерей Оспанова"},
			"organization": {"№5 мектеп"}, "position": {"мұғалім"}, "region": {"Алматы"}, "accept": {"yes"}}); res.StatusCode != http.StatusCreated {
			t.Fatalf("register: %d", res.StatusCode)
		}
		res := post("/login", url.Values{"email": {email}, "password": {"ұзын-құпия-сөз-2026"}})
		var sid *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "sid" {
				sid = c
			}
		}
		if res.StatusCode != http.StatusSeeOther || sid == nil {
			t.Fatalf("login: %d, cookies %v", res.StatusCode, res.Cookies())
		}
		account := func(lang string) (*http.Response, string) {
			req := httptest.NewRequest(http.MethodGet, "/account", nil)
			req.AddCookie(&http.Cookie{Name: "sid", Value: sid.Value})
			req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			b, _ := io.ReadAll(w.Result().Body)
			return w.Result(), html.UnescapeString(string(b))
		}
		if res, _ := account("kk"); res.StatusCode != http.StatusOK {
			t.Fatalf("signed in: GET /account = %d", res.StatusCode)
		}

		// The sessions table out of reach: every lookup fails in the database.
		if _, err := d.Exec(t.Context(), `ALTER TABLE sessions RENAME TO sessions_away`); err != nil {
			t.Fatal(err)
		}
		for lang, want := range map[string]string{
			"kk": "Сайт уақытша қолжетімсіз",
			"ru": "Сайт временно недоступен",
			"en": "The site is temporarily unavailable",
		} {
			res, body := account(lang)
			if res.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("%s: GET /account with the database failing = %d, want 503", lang, res.StatusCode)
			}
			if sc := res.Header.Values("Set-Cookie"); len(sc) != 0 {
				t.Fatalf("%s: the failure set cookies %q; the session cookie must be kept", lang, sc)
			}
			if !strings.Contains(body, want) || !strings.Contains(body, `<html lang="`+lang+`"`) {
				t.Fatalf("%s: the 503 page does not say %q in the site's layout:\n%s", lang, want, body)
			}
			if res.Header.Get("Retry-After") == "" {
				t.Fatalf("%s: no Retry-After on the 503", lang)
			}
		}
		if l := logs.String(); !strings.Contains(l, "session lookup failed") || strings.Contains(l, email) || strings.Contains(l, sid.Value) {
			t.Fatalf("log of the failure: want the failure, no address and no token:\n%s", l)
		}

		if _, err := d.Exec(t.Context(), `ALTER TABLE sessions_away RENAME TO sessions`); err != nil {
			t.Fatal(err)
		}
		if res, body := account("en"); res.StatusCode != http.StatusOK || !strings.Contains(body, email) {
			t.Fatalf("after the database recovered: GET /account = %d; want the same cookie signed in", res.StatusCode)
		}
	})
}
