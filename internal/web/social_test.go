package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

var (
	collectionPathRe = regexp.MustCompile(`^/collections/(\d+)\?done=created$`)
	adminCommentRe   = regexp.MustCompile(`/admin/comments/(\d+)/approve`)
)

// The habits of the big portals through the site's pages (issue 13 §3):
// a teacher saves a material, rates and comments it, follows its author,
// collects it; a moderator publishes the comment; the card shows the
// rating and the catalog sorts by it; the author's inbox has the comment;
// the reader's download history lists the file; a private collection is
// hidden from visitors; the digest's link unsubscribes without signing in
// and a forged one does not.
func TestSocialPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv, lib := newSite(t, d)
		author := newUser(t, srv, "author@mail.kz")
		newUser(t, srv, "reader@mail.kz")
		admin := newAdmin(t, srv, "admin@mail.kz")
		mid := publishMaterial(t, lib, author.ID, author.ID)
		m, err := lib.Get(ctx, mid, library.Viewer{Staff: true})
		if err != nil {
			t.Fatal(err)
		}
		reader := signIn(t, srv, "reader@mail.kz", "198.51.100.7")
		en := func(key string, args ...any) string { return i18n.T(i18n.EN, key, args...) }
		wantSee := func(p *page, what, sentence string) {
			t.Helper()
			if !strings.Contains(p.Text(), sentence) {
				t.Errorf("%s: the page (status %d) does not say %q", what, p.Status, sentence)
			}
		}
		wantRedirect := func(p *page, what, prefix string) {
			t.Helper()
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), prefix) {
				t.Fatalf("%s: status %d to %q, want 303 to %s…", what, p.Status, p.Header.Get("Location"), prefix)
			}
		}

		// A visitor is asked to sign in; a teacher sees the buttons.
		wantSee(newBrowser(t, srv, "198.51.100.9").get(m.Path()), "anonymous material page", en("social.signin"))
		page1 := reader.get(m.Path())
		wantSee(page1, "material page", en("social.save"))
		wantSee(page1, "material page", en("social.follow"))

		base := fmt.Sprintf("/materials/%d", mid)
		wantRedirect(reader.post(base+"/save", url.Values{}), "save", m.Path()+"?done=saved")
		wantSee(reader.get(m.Path()), "after saving", en("social.saved"))
		wantRedirect(reader.post(base+"/rate", url.Values{"stars": {"4"}, "comment": {"Рахмет, сабаққа керек болды!"}}), "rate",
			m.Path()+"?done=comment_pending")
		wantSee(reader.get(m.Path()+"?done=comment_pending"), "after rating", en("social.done.comment_pending"))
		if r := reader.post(base+"/rate", url.Values{"stars": {"9"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("9 stars: status %d", r.Status)
		} else {
			wantSee(r, "9 stars", en("social.rate.stars"))
		}
		wantRedirect(reader.post(fmt.Sprintf("/authors/%d/follow", author.ID), url.Values{"material": {strconv.FormatInt(mid, 10)}}),
			"follow", m.Path()+"?done=followed")
		wantSee(reader.get(m.Path()), "after following", en("social.unfollow"))

		// A private collection with the material.
		r := reader.post("/collections", url.Values{"title": {"Алгебра сабақтары"}})
		wantRedirect(r, "create collection", "/collections/")
		cm := collectionPathRe.FindStringSubmatch(r.Header.Get("Location"))
		if cm == nil {
			t.Fatalf("create collection: went to %q", r.Header.Get("Location"))
		}
		wantRedirect(reader.post(base+"/collect", url.Values{"collection": {cm[1]}}), "collect", m.Path()+"?done=collected")
		wantSee(reader.get("/collections/"+cm[1]), "own private collection", m.Title)
		if r := newBrowser(t, srv, "198.51.100.9").get("/collections/" + cm[1]); r.Status != http.StatusNotFound {
			t.Errorf("a visitor opened a private collection: status %d", r.Status)
		}
		if r := reader.post("/collections", url.Values{"title": {"  "}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a nameless collection: status %d", r.Status)
		} else {
			wantSee(r, "nameless collection", en("social.collection.title.empty"))
		}
		saved := reader.get("/account/saved")
		wantSee(saved, "saved page", m.Title)
		wantSee(saved, "saved page", "Алгебра сабақтары")

		// The moderator publishes the comment.
		q := admin.get("/admin/moderation")
		wantSee(q, "moderation queue", "Рахмет, сабаққа керек болды!")
		cid := adminCommentRe.FindStringSubmatch(q.Body)
		if cid == nil {
			t.Fatalf("the moderation page has no approve button for the comment")
		}
		wantRedirect(admin.post("/admin/comments/"+cid[1]+"/approve", url.Values{}), "approve comment", "/admin/moderation?done=comment_approve")
		shown := newBrowser(t, srv, "198.51.100.9").get(m.Path())
		wantSee(shown, "material page after moderation", "Рахмет, сабаққа керек болды!")
		wantSee(shown, "material page after moderation", en("social.comment.anonymous"))
		wantSee(shown, "material page after moderation", en("social.rating.short", "4.0", 1))
		wantSee(newBrowser(t, srv, "198.51.100.9").get("/materials?sort=rating"), "catalog by rating", en("social.rating.short", "4.0", 1))

		// The author's inbox.
		ab := signIn(t, srv, "author@mail.kz", "198.51.100.8")
		wantSee(ab.get("/account"), "account page", en("social.inbox.unread", 2))
		inbox := ab.get("/account/notifications")
		wantSee(inbox, "author's inbox", en("social.inbox.kind.comment"))
		wantSee(inbox, "author's inbox", en("social.inbox.kind.approved"))

		// Download history from the recorded file events.
		dl := reader.get(fmt.Sprintf("%s/files/%d", base, m.Files[0].ID))
		if dl.Status != http.StatusOK {
			t.Fatalf("download: status %d", dl.Status)
		}
		wantSee(reader.get("/account/downloads"), "download history", m.Files[0].Name)

		// The digest: the reader's choice, and the one-click link.
		wantRedirect(reader.post("/account/digest", url.Values{"frequency": {"weekly"}}), "digest choice", "/account/notifications?done=digest")
		u, _ := srv.Accounts.FindByEmail(ctx, "reader@mail.kz")
		if f, _ := lib.DigestFrequency(ctx, u.ID); f != library.DigestWeekly {
			t.Errorf("digest after choosing weekly: %q", f)
		}
		visitor := newBrowser(t, srv, "198.51.100.10")
		link := fmt.Sprintf("/digest/unsubscribe?u=%d&t=%s", u.ID, lib.DigestToken(u.ID))
		wantSee(visitor.get(link), "unsubscribe page", en("social.unsubscribe.submit"))
		if f, _ := lib.DigestFrequency(ctx, u.ID); f != library.DigestWeekly {
			t.Errorf("opening the link (a mail scanner) turned the digest off")
		}
		if r := visitor.post("/digest/unsubscribe", url.Values{"u": {strconv.FormatInt(u.ID, 10)}, "t": {lib.DigestToken(author.ID)}}); r.Status != http.StatusGone {
			t.Errorf("a forged token: status %d", r.Status)
		}
		// The one-click POST of mail programs: the link's query, no body.
		r = visitor.post(link, url.Values{})
		wantSee(r, "one-click unsubscribe", en("social.unsubscribe.done"))
		if f, _ := lib.DigestFrequency(ctx, u.ID); f != library.DigestOff {
			t.Errorf("after unsubscribing the digest is %q", f)
		}

		// Unsave again.
		wantRedirect(reader.post(base+"/save", url.Values{}), "unsave", m.Path()+"?done=unsaved")
		if ok, _ := lib.IsFavourite(ctx, u.ID, mid); ok {
			t.Errorf("still saved after the second press")
		}
	})
}
