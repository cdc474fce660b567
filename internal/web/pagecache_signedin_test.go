package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// signUp registers a teacher who accepts the documents, confirms the
// address when verified, and signs in: their id and session token.
func (c *cachedSite) signUp(t testing.TB, email, name string, verified bool) (int64, string) {
	t.Helper()
	ctx := context.Background()
	const password = "Оқырманның-құпия-сөзі-2026"
	u, token, err := c.accounts.Register(ctx, account.RegisterInput{Email: email, Password: password, FullName: name,
		Organization: "№2 мектеп", Position: "Мұғалім", Region: "Абай облысы", Phone: "+7 701 000 00 02", Locale: "kk", Accept: true},
		account.Meta{IP: "192.0.2.2"}, func(ctx context.Context, tx *db.Tx, u *account.User, key *vault.UserKey) error {
			a, p, err := c.cs.Current(ctx)
			if err != nil {
				return err
			}
			return c.cs.RecordAcceptance(ctx, tx, key, u.ID, []*consent.Document{a, p}, "registration", consent.Meta{IP: "192.0.2.2"})
		})
	if err != nil {
		t.Fatal(err)
	}
	if verified {
		if _, err := c.accounts.VerifyEmail(ctx, token); err != nil {
			t.Fatal(err)
		}
	}
	_, _, session, err := c.accounts.Login(ctx, email, password, account.Meta{IP: "192.0.2.2"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID, session
}

// readAs is what the reader with session gets at path ("" = not signed
// in), the body unzipped when gzip is asked for.
func (c *cachedSite) readAs(t testing.TB, session, path string, gz bool) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Language", "kk")
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "sid", Value: session})
	}
	w := httptest.NewRecorder()
	c.srv.ServeHTTP(w, req)
	res := w.Result()
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: not gzip: %v", path, err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res, html.UnescapeString(string(b))
}

// TestPageCacheSignedIn: two signed-in teachers, one with an unconfirmed
// address, the author and a reader who is not signed in open the same
// material page and the catalog. The pages come from the cache (the hit
// counter moves for the teachers too), yet each sees only their own
// collections, their own stars and saved state, the author sees their
// own controls and no "save", the unconfirmed teacher the banner, the
// visitor the sign-in link; gzip and plain carry the same page, signed-in
// pages are never kept by a browser, and a rating sent by one teacher
// shows at once in the average the other reads.
func TestPageCacheSignedIn(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCachedSite(t, d)
		m := publishForCache(t, c, "Бөлісілген бет: Абай")
		aID, aSess := c.signUp(t, "aigul@mektep.test", "Айгүл Оқырман", true)
		bID, bSess := c.signUp(t, "bolat@mektep.test", "Болат Оқырман", false)
		if _, err := c.lib.ToggleFavourite(ctx, aID, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.lib.Rate(ctx, aID, m.ID, 5, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := c.lib.CreateCollection(ctx, aID, "Айгүлдің жинағы", false); err != nil {
			t.Fatal(err)
		}
		if _, err := c.lib.Rate(ctx, bID, m.ID, 2, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := c.lib.CreateCollection(ctx, bID, "Болаттың жинағы", false); err != nil {
			t.Fatal(err)
		}
		page := m.Path()
		const banner = "Электрондық пошта мекенжайыңыз әлі расталмаған"
		checked := func(stars string) string {
			return `id="f-stars-` + stars + `" name="stars" value="` + stars + `" required checked`
		}

		// Each reader twice, in turn, so that the second reading of each
		// class is answered by the cache.
		for round := range 2 {
			before := c.hits(t)
			_, a := c.readAs(t, aSess, page, round == 1)
			_, b := c.readAs(t, bSess, page, round == 0)
			_, au := c.readAs(t, c.session, page, true)
			_, anon := c.readAs(t, "", page, false)
			if round == 1 && c.hits(t)-before != 4 {
				t.Errorf("second round: %v of 4 pages from the cache", c.hits(t)-before)
			}
			for who, body := range map[string]string{"A": a, "B": b, "author": au, "visitor": anon} {
				if !strings.Contains(body, "Бөлісілген бет: Абай") {
					t.Fatalf("round %d: %s does not see the material", round, who)
				}
			}
			if !strings.Contains(a, "Айгүлдің жинағы") || strings.Contains(a, "Болаттың жинағы") || !strings.Contains(a, checked("5")) ||
				!strings.Contains(a, "Сақталды (алып тастау)") || strings.Contains(a, banner) {
				t.Errorf("round %d: A's page: own collection %v, B's %v, own 5 stars %v, saved %v, banner %v", round,
					strings.Contains(a, "Айгүлдің жинағы"), strings.Contains(a, "Болаттың жинағы"), strings.Contains(a, checked("5")),
					strings.Contains(a, "Сақталды (алып тастау)"), strings.Contains(a, banner))
			}
			if !strings.Contains(b, "Болаттың жинағы") || strings.Contains(b, "Айгүлдің жинағы") || !strings.Contains(b, checked("2")) ||
				strings.Contains(b, checked("5")) || strings.Contains(b, "Сақталды (алып тастау)") || !strings.Contains(b, banner) {
				t.Errorf("round %d: B's page: own collection %v, A's %v, own 2 stars %v, A's 5 %v, A's saved %v, banner %v", round,
					strings.Contains(b, "Болаттың жинағы"), strings.Contains(b, "Айгүлдің жинағы"), strings.Contains(b, checked("2")),
					strings.Contains(b, checked("5")), strings.Contains(b, "Сақталды (алып тастау)"), strings.Contains(b, banner))
			}
			if strings.Contains(au, `id="b-save"`) || !strings.Contains(au, "/materials/"+itoa(m.ID)+"/certificate") ||
				strings.Contains(au, "жинағы") {
				t.Errorf("round %d: the author's page: save button %v, own controls %v, someone's collection %v", round,
					strings.Contains(au, `id="b-save"`), strings.Contains(au, "/certificate"), strings.Contains(au, "жинағы"))
			}
			if strings.Contains(a, "/materials/"+itoa(m.ID)+"/certificate") || strings.Contains(b, "/certificate") {
				t.Errorf("round %d: a reader sees the author's controls", round)
			}
			if strings.Contains(anon, "жинағы") || strings.Contains(anon, `id="b-save"`) || !strings.Contains(anon, "/login?next=") ||
				strings.Contains(anon, "/logout") || strings.Contains(anon, "hole-") {
				t.Errorf("round %d: the visitor's page carries a reader's part or misses the sign-in link", round)
			}
			for who, body := range map[string]string{"A": a, "B": b, "author": au} {
				if strings.Contains(body, "hole-") || !strings.Contains(body, "/logout") {
					t.Errorf("round %d: %s's page: a hole left %v, signed in %v", round, who, strings.Contains(body, "hole-"), strings.Contains(body, "/logout"))
				}
			}
		}

		// The catalog: one kept page for each class, the banner only for B.
		before := c.hits(t)
		for range 2 {
			for _, sess := range []string{aSess, bSess} {
				res, body := c.readAs(t, sess, "/materials", true)
				if !strings.Contains(body, "Бөлісілген бет: Абай") || !strings.Contains(body, `href="/materials/new"`) ||
					strings.Contains(body, banner) != (sess == bSess) {
					t.Errorf("catalog for %s: material %v, publish link %v, banner %v", map[bool]string{true: "A", false: "B"}[sess == aSess],
						strings.Contains(body, "Бөлісілген бет: Абай"), strings.Contains(body, `href="/materials/new"`), strings.Contains(body, banner))
				}
				if cc := res.Header.Get("Cache-Control"); cc != "no-store" || res.Header.Get("ETag") != "" {
					t.Errorf("a signed-in catalog page: Cache-Control %q, ETag %q; want no-store and none", cc, res.Header.Get("ETag"))
				}
				if res.Header.Get("Content-Security-Policy") == "" {
					t.Errorf("a signed-in page from the cache lacks the security headers")
				}
			}
		}
		if got := c.hits(t) - before; got < 2 {
			t.Errorf("the signed-in catalog: %v answers from the cache, want at least 2", got)
		}

		// B rates again through the site: A's next page shows the new
		// average at once (the cache was emptied), A's own stars unchanged.
		_, a := c.readAs(t, aSess, page, false)
		if !strings.Contains(a, "3,5") && !strings.Contains(a, "3.5") {
			t.Fatalf("A's page before: the average of 5 and 2 is not shown")
		}
		req := httptest.NewRequest(http.MethodPost, "/materials/"+itoa(m.ID)+"/rate", strings.NewReader("stars=4"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(&http.Cookie{Name: "sid", Value: bSess})
		w := httptest.NewRecorder()
		c.srv.ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("B rates: status %d", w.Code)
		}
		_, a = c.readAs(t, aSess, page, true)
		if !strings.Contains(a, "4,5") && !strings.Contains(a, "4.5") || !strings.Contains(a, checked("5")) {
			t.Errorf("A's page after B's new rating: average 4.5 %v, A's own 5 stars %v", strings.Contains(a, "4,5") || strings.Contains(a, "4.5"), strings.Contains(a, checked("5")))
		}
	})
}

// publishForCache publishes a material by the site's author.
func publishForCache(t testing.TB, c *cachedSite, title string) *library.Material {
	t.Helper()
	ctx := context.Background()
	tax, err := c.lib.Taxonomy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	up := c.lib.NewUpload()
	if err := up.Add(ctx, "жоспар.txt", strings.NewReader("Сабақ жоспары.\n")); err != nil {
		t.Fatal(err)
	}
	m, err := c.lib.Publish(ctx, c.author, library.Input{Title: title, Description: "Сабақ жоспары.", Subject: tax.Subjects[0].Code,
		Grade: tax.Grades[0].Code, Type: tax.Types[0].Code, Language: "kk", AuthorDeclaration: true}, up, library.Meta{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// BenchmarkPageCacheSignedIn is a signed-in teacher's catalog and material
// page from the page cache (session check, agreement gate, the personal
// parts), beside the same pages for a visitor, on both engines.
func BenchmarkPageCacheSignedIn(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) { benchSignedIn(b, dbtest.Open(b, e)) })
	}
}

func benchSignedIn(b *testing.B, d *db.DB) {
	{
		c := newCachedSite(b, d)
		// Views are gathered and written in batches, as serve does.
		b.Cleanup(c.lib.StartViewCounter(context.Background(), time.Second))
		m := publishForCache(b, c, "Өнімділік")
		_, sess := c.signUp(b, "bench@mektep.test", "Бенч Оқырман", true)
		for _, bc := range []struct{ name, session, path string }{
			{"anonymous/catalog", "", "/materials"},
			{"signedin/catalog", sess, "/materials"},
			{"anonymous/material", "", m.Path()},
			{"signedin/material", sess, m.Path()},
		} {
			b.Run(bc.name, func(b *testing.B) {
				c.readAs(b, bc.session, bc.path, false)
				var buf bytes.Buffer
				for b.Loop() {
					req := httptest.NewRequest(http.MethodGet, bc.path, nil)
					if bc.session != "" {
						req.AddCookie(&http.Cookie{Name: "sid", Value: bc.session})
					}
					w := httptest.NewRecorder()
					w.Body = &buf
					buf.Reset()
					c.srv.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		}
	}
}
