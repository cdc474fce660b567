package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/web"
)

// A node keeps what a session cookie resolved to for at most a second
// (sessioncache.go), and only for the reading pages: a session ended
// behind the site's back (here in the database, as a command-line change
// or another node without a bus would) still reads the catalog signed in
// within that second and is signed out after it, while the account page
// refuses it at once; signing out through the site ends it at once
// everywhere, and another reader's session keeps working.
func TestSessionCacheBoundedAndEmptied(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCachedSite(t, d)
		_, sess := c.signUp(t, "cache-reader@mektep.test", "Сессия Оқырманы", true)
		_, other := c.signUp(t, "cache-other@mektep.test", "Басқа Оқырман", true)
		status := func(session, path string) int {
			res, _ := c.readAs(t, session, path, false)
			return res.StatusCode
		}
		signedIn := func(session string) bool {
			res, body := c.readAs(t, session, "/materials", false)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("the catalog answered %d", res.StatusCode)
			}
			return strings.Contains(body, `action="/logout"`)
		}
		if s := status(sess, "/account"); s != http.StatusOK {
			t.Fatalf("the signed-in account page answered %d", s)
		}
		if !signedIn(sess) {
			t.Fatal("the catalog does not show the reader signed in")
		}
		// Ended in the database only.
		if err := c.accounts.Logout(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if s := status(sess, "/account"); s != http.StatusSeeOther {
			t.Fatalf("the account page answered %d right after the session ended, want 303 to the login: it must not use the cache", s)
		}
		if signedIn(sess) {
			t.Fatal("after the account page found the session ended, the catalog still shows the reader signed in")
		}
		// The cache must answer within its second; a machine that stalls
		// longer between the two reads proves nothing either way, so
		// that case is tried again with a new reader.
		for try := 1; ; try++ {
			_, sess = c.signUp(t, fmt.Sprintf("cache-reader-b%d@mektep.test", try), "Сессия Оқырманы Б", true)
			start := time.Now()
			if !signedIn(sess) {
				t.Fatal("the catalog does not show the second reader signed in")
			}
			if err := c.accounts.Logout(ctx, sess); err != nil {
				t.Fatal(err)
			}
			if signedIn(sess) {
				break
			}
			if time.Since(start) < web.SessionTTL || try == 3 {
				t.Fatal("right after the database ended the session the catalog shows the reader signed out: the node did not use its cache")
			}
		}
		time.Sleep(web.SessionTTL + 100*time.Millisecond)
		if signedIn(sess) {
			t.Fatal("a second after the session ended the catalog still shows the reader signed in")
		}

		// Signed out through the site: refused at once.
		_, sess2 := c.signUp(t, "cache-reader-2@mektep.test", "Екінші Оқырман", true)
		if !signedIn(sess2) || !signedIn(other) {
			t.Fatal("the readers are not signed in on the catalog")
		}
		req := httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "sid", Value: sess2})
		w := httptest.NewRecorder()
		c.srv.ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("signing out answered %d", w.Code)
		}
		if signedIn(sess2) {
			t.Fatal("right after signing out through the site the catalog still shows the reader signed in")
		}
		if !signedIn(other) {
			t.Fatal("another reader's session stopped working after someone signed out")
		}
	})
}
