package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// A node keeps what a session cookie resolved to for at most a second
// (sessioncache.go): a session ended behind the site's back (here the
// database, as a password reset by its emailed link or another node
// without a bus would) is refused within that second, and signing out
// through the site is refused at once, while another reader's session
// keeps working.
func TestSessionCacheBoundedAndEmptied(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCachedSite(t, d)
		_, sess := c.signUp(t, "cache-reader@mektep.test", "Сессия Оқырманы", true)
		_, other := c.signUp(t, "cache-other@mektep.test", "Басқа Оқырман", true)
		status := func(session string) int {
			res, _ := c.readAs(t, session, "/account", false)
			return res.StatusCode
		}
		if s := status(sess); s != http.StatusOK {
			t.Fatalf("the signed-in account page answered %d", s)
		}
		// Ended in the database only: still trusted for the cached second
		// (the cache is what answers), then refused.
		if err := c.accounts.Logout(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if s := status(sess); s != http.StatusOK {
			t.Fatalf("right after the database ended the session the page answered %d: the node did not use its cache", s)
		}
		time.Sleep(1100 * time.Millisecond)
		if s := status(sess); s != http.StatusSeeOther {
			t.Fatalf("a second after the session ended the page answered %d, want 303 to the login", s)
		}

		// Signed out through the site: refused at once.
		_, sess2 := c.signUp(t, "cache-reader-2@mektep.test", "Екінші Оқырман", true)
		if s := status(sess2); s != http.StatusOK {
			t.Fatalf("the second reader's account page answered %d", s)
		}
		if s := status(other); s != http.StatusOK {
			t.Fatalf("the other reader's account page answered %d", s)
		}
		req := httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "sid", Value: sess2})
		w := httptest.NewRecorder()
		c.srv.ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("signing out answered %d", w.Code)
		}
		if s := status(sess2); s != http.StatusSeeOther {
			t.Fatalf("right after signing out through the site the page answered %d, want 303 to the login", s)
		}
		if s := status(other); s != http.StatusOK {
			t.Fatalf("another reader's session stopped working after someone signed out: %d", s)
		}
	})
}
