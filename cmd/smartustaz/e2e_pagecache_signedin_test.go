package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// TestE2EPageCacheSignedIn (issue 13 §6): two signed-in teachers, the
// author and a visitor read one material page and the catalog, kept in the
// page cache. That the shared part comes from the cache shows in a title
// changed behind the site's back, which none of them sees; yet each
// teacher sees only their own collection, stars and saved state, the
// author their own controls, the visitor the sign-in link; signed-in
// pages are never stored by the browser; every reader but the author
// counts as a view; and a teacher's new rating shows in the average the
// other reads at once.
func TestE2EPageCacheSignedIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		author := newClientSignedIn(t, srv)
		const title = "Ортақ бет: Абай жолы"
		r := author.postMultipart("/materials/new", materialForm(title), upload{"абай.pdf", sample(t, "sample.pdf")})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		m := materialPathRe.FindStringSubmatch(r.Location())
		if m == nil {
			t.Fatalf("publish redirects to %q", r.Location())
		}
		id, path := m[1], "/materials/"+m[1]+"-"+m[2]
		wantStatus(t, "approve", admin.post("/admin/moderation/"+id+"/approve", nil), http.StatusSeeOther)

		a, b := newClientSignedIn(t, srv), newClientSignedIn(t, srv)
		visitor := newClient(t, srv)
		wantStatus(t, "A saves", a.post("/materials/"+id+"/save", nil), http.StatusSeeOther)
		wantStatus(t, "A rates", a.post("/materials/"+id+"/rate", url.Values{"stars": {"5"}}), http.StatusSeeOther)
		wantStatus(t, "A's collection", a.post("/collections", url.Values{"title": {"Айгүлдің жинағы"}}), http.StatusSeeOther)
		wantStatus(t, "B rates", b.post("/materials/"+id+"/rate", url.Values{"stars": {"2"}}), http.StatusSeeOther)
		wantStatus(t, "B's collection", b.post("/collections", url.Values{"title": {"Болаттың жинағы"}}), http.StatusSeeOther)

		// Everyone reads once (the pages are kept), then the title is
		// changed in the database behind the site's back.
		d := openDB(t, srv)
		for _, c := range []*client{a, b, author, visitor} {
			wantStatus(t, "material page", c.get(path), http.StatusOK)
			wantStatus(t, "catalog", c.get("/materials"), http.StatusOK)
		}
		if _, err := d.Exec(t.Context(), `UPDATE materials SET title = ? WHERE id = ?`, "Артта өзгерген атау", mustInt(t, id)); err != nil {
			t.Fatal(err)
		}
		checked := func(stars string) string {
			return `id="f-stars-` + stars + `" name="stars" value="` + stars + `" required checked`
		}
		pa, pb, pau, pv := a.get(path), b.get(path), author.get(path), visitor.get(path)
		for who, p := range map[string]*response{"A": pa, "B": pb, "author": pau, "visitor": pv} {
			if p.Status != http.StatusOK || !strings.Contains(p.Text(), title) || strings.Contains(p.Text(), "Артта өзгерген") {
				t.Fatalf("%s's material page: status %d, kept title %v (not from the cache?)", who, p.Status, strings.Contains(p.Text(), title))
			}
		}
		if !strings.Contains(pa.Text(), "Айгүлдің жинағы") || strings.Contains(pa.Text(), "Болаттың жинағы") || !strings.Contains(pa.Body, checked("5")) ||
			!strings.Contains(pa.Body, `btn btn-ghost" type="submit" id="b-save"`) {
			t.Errorf("A's page: own collection %v, B's %v, own 5 stars %v, saved %v", strings.Contains(pa.Text(), "Айгүлдің жинағы"),
				strings.Contains(pa.Text(), "Болаттың жинағы"), strings.Contains(pa.Body, checked("5")), strings.Contains(pa.Body, `btn btn-ghost" type="submit" id="b-save"`))
		}
		if !strings.Contains(pb.Text(), "Болаттың жинағы") || strings.Contains(pb.Text(), "Айгүлдің жинағы") || !strings.Contains(pb.Body, checked("2")) ||
			strings.Contains(pb.Body, checked("5")) || !strings.Contains(pb.Body, `class="btn" type="submit" id="b-save"`) {
			t.Errorf("B's page: own collection %v, A's %v, own 2 stars %v, A's 5 %v, not saved %v", strings.Contains(pb.Text(), "Болаттың жинағы"),
				strings.Contains(pb.Text(), "Айгүлдің жинағы"), strings.Contains(pb.Body, checked("2")), strings.Contains(pb.Body, checked("5")),
				strings.Contains(pb.Body, `class="btn" type="submit" id="b-save"`))
		}
		if strings.Contains(pau.Body, `id="b-save"`) || !strings.Contains(pau.Body, "/materials/"+id+"/certificate") || strings.Contains(pau.Text(), "жинағы") {
			t.Errorf("the author's page: save button %v, own controls %v, a reader's collection %v", strings.Contains(pau.Body, `id="b-save"`),
				strings.Contains(pau.Body, "/certificate"), strings.Contains(pau.Text(), "жинағы"))
		}
		if strings.Contains(pa.Body, "/certificate") || strings.Contains(pb.Body, "/certificate") {
			t.Errorf("a reader sees the author's controls")
		}
		if strings.Contains(pv.Text(), "жинағы") || strings.Contains(pv.Body, `id="b-save"`) || strings.Contains(pv.Body, `action="/logout"`) ||
			!strings.Contains(pv.Body, "/login?next=") {
			t.Errorf("the visitor's page carries a reader's part, or misses the sign-in link")
		}
		for who, p := range map[string]*response{"A": pa, "B": pb, "author": pau} {
			if !strings.Contains(p.Body, `action="/logout"`) || p.Header.Get("Cache-Control") != "no-store" || p.Header.Get("ETag") != "" ||
				p.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s's page: signed in %v, Cache-Control %q, ETag %q, CSP set %v", who, strings.Contains(p.Body, `action="/logout"`),
					p.Header.Get("Cache-Control"), p.Header.Get("ETag"), p.Header.Get("Content-Security-Policy") != "")
			}
		}
		for who, c := range map[string]*client{"A": a, "B": b} {
			if p := c.get("/materials"); !strings.Contains(p.Text(), title) || !strings.Contains(p.Body, `href="/materials/new"`) {
				t.Errorf("%s's catalog: kept title %v, publish link %v", who, strings.Contains(p.Text(), title), strings.Contains(p.Body, `href="/materials/new"`))
			}
		}

		// Views: the visitor, A and B twice each; the author's readings
		// are not views.
		deadline := time.Now().Add(10 * time.Second)
		for {
			n := count(t, d, `SELECT views FROM materials WHERE id = ?`, mustInt(t, id))
			if n == 6 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("views = %d, want 6 (three readers twice, the author not counted)", n)
			}
			time.Sleep(50 * time.Millisecond)
		}

		// B rates again: A's next page shows the new average (5 and 4) at
		// once, and the title written behind the site's back, since any
		// form a signed-in teacher sends empties the kept pages.
		if p := a.get(path); !strings.Contains(p.Text(), "3,5") && !strings.Contains(p.Text(), "3.5") {
			t.Fatalf("A's page: the average of 5 and 2 is not shown")
		}
		wantStatus(t, "B rates again", b.post("/materials/"+id+"/rate", url.Values{"stars": {"4"}}), http.StatusSeeOther)
		p := a.get(path)
		if !strings.Contains(p.Text(), "4,5") && !strings.Contains(p.Text(), "4.5") || !strings.Contains(p.Text(), "Артта өзгерген") || !strings.Contains(p.Body, checked("5")) {
			t.Errorf("A's page after B's new rating: average 4.5 %v, fresh title %v, A's own 5 stars %v",
				strings.Contains(p.Text(), "4,5") || strings.Contains(p.Text(), "4.5"), strings.Contains(p.Text(), "Артта өзгерген"), strings.Contains(p.Body, checked("5")))
		}

		// A moderator's pages are not shared: the staff controls are theirs.
		if p := admin.get(path); !strings.Contains(p.Body, "/takedown") {
			t.Errorf("the administrator's material page lacks the take-down form")
		}
		if strings.Contains(a.get(path).Body, "/takedown") {
			t.Errorf("a teacher got the administrator's take-down form")
		}
	})
}

// TestE2ETwoNodesPageCacheSignedIn: a rating sent through one node shows
// at once in the page another node keeps for signed-in teachers (the TTL
// is an hour, so only the notification between the nodes can explain it).
func TestE2ETwoNodesPageCacheSignedIn(t *testing.T) {
	const ttl = "SMARTUSTAZ_PAGE_CACHE_TTL=1h"
	nb := startServer(t, db.Postgres, ttl)
	na := startSecondNode(t, nb, ttl)
	admin, _ := setupAdmin(t, na)
	author := newClientSignedIn(t, na)
	r := author.postMultipart("/materials/new", materialForm("Екі түйін: ортақ бет"), upload{"абай.pdf", sample(t, "sample.pdf")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
	}
	m := materialPathRe.FindStringSubmatch(r.Location())
	if m == nil {
		t.Fatalf("publish redirects to %q", r.Location())
	}
	id, path := m[1], "/materials/"+m[1]+"-"+m[2]
	wantStatus(t, "approve", admin.post("/admin/moderation/"+id+"/approve", nil), http.StatusSeeOther)

	// The same teacher on both nodes (one session, as behind a balancer:
	// the browser's cookies are the same for both addresses).
	rater := newClientSignedIn(t, na)
	reader := *rater
	reader.base = nb.URL
	for range 2 {
		if p := reader.get(path); p.Status != http.StatusOK || !strings.Contains(p.Body, `action="/logout"`) {
			t.Fatalf("node B, signed in: status %d, signed in %v", p.Status, strings.Contains(p.Body, `action="/logout"`))
		}
	}
	wantStatus(t, "rate on node A", rater.post("/materials/"+id+"/rate", url.Values{"stars": {"4"}}), http.StatusSeeOther)
	deadline := time.Now().Add(time.Second)
	for {
		p := reader.get(path)
		if strings.Contains(p.Body, `value="4" required checked`) && (strings.Contains(p.Text(), "4,0") || strings.Contains(p.Text(), "4.0")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a second after the rating on node A, node B's page lacks it: own stars %v, average %v",
				strings.Contains(p.Body, `value="4" required checked`), strings.Contains(p.Text(), "4,0") || strings.Contains(p.Text(), "4.0"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
