package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// The owner edits a collection on its page (issue 13 §3): renames it,
// makes it private, removes a material, deletes it after ticking the
// box; a bad name or a missing tick is said in the user's language and
// changes nothing; another teacher sees no edit form and gets 404 for
// every edit, and for the page once it is private.
func TestCollectionEditPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		srv, lib := newSite(t, d)
		author := newUser(t, srv, "author@mail.kz")
		newUser(t, srv, "owner@mail.kz")
		newUser(t, srv, "other@mail.kz")
		mid := publishMaterial(t, lib, author.ID, author.ID)
		owner := signIn(t, srv, "owner@mail.kz", "198.51.100.7")
		other := signIn(t, srv, "other@mail.kz", "198.51.100.8")
		en := func(key string, args ...any) string { return i18n.T(i18n.EN, key, args...) }
		sees := func(p *page, what, s string) {
			t.Helper()
			if !strings.Contains(p.Text(), s) {
				t.Errorf("%s: the page (status %d) does not say %q", what, p.Status, s)
			}
		}
		status := func(p *page, what string, want int) {
			t.Helper()
			if p.Status != want {
				t.Errorf("%s: status %d, want %d", what, p.Status, want)
			}
		}

		r := owner.post("/collections", url.Values{"title": {"Алгебра сабақтары"}, "public": {"yes"}})
		cm := collectionPathRe.FindStringSubmatch(r.Header.Get("Location"))
		if cm == nil {
			t.Fatalf("create collection: status %d", r.Status)
		}
		path := "/collections/" + cm[1]
		status(owner.post("/materials/"+itoa(mid)+"/collect", url.Values{"collection": {cm[1]}}), "collect", http.StatusSeeOther)

		sees(owner.get(path), "owner's page", en("social.collection.edit"))
		if p := other.get(path); p.Status != http.StatusOK || strings.Contains(p.Text(), en("social.collection.edit")) {
			t.Errorf("another teacher on a public collection: status %d, edit form shown: %t", p.Status, strings.Contains(p.Text(), en("social.collection.edit")))
		}

		// Others: every edit is not found, and nothing changed.
		status(other.post(path, url.Values{"title": {"Бөтен"}}), "another's rename", http.StatusNotFound)
		status(other.post(path+"/delete", url.Values{"confirm": {"yes"}}), "another's delete", http.StatusNotFound)
		status(other.post(path+"/delete", url.Values{}), "another's delete without the tick", http.StatusNotFound)
		status(other.post("/materials/"+itoa(mid)+"/collect", url.Values{"collection": {cm[1]}, "remove": {"yes"}}), "another's removal", http.StatusNotFound)
		sees(other.get(path), "after another's attempts", "Алгебра сабақтары")

		// A bad name: the message, nothing written.
		p := owner.post(path, url.Values{"title": {"   "}})
		status(p, "empty name", http.StatusUnprocessableEntity)
		sees(p, "empty name", en("social.collection.title.empty"))
		sees(other.get(path), "after a refused rename", "Алгебра сабақтары")

		// Rename and make private.
		p = owner.post(path, url.Values{"title": {"Геометрия сабақтары"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != path+"?done=collection_updated" {
			t.Fatalf("rename: status %d to %q", p.Status, p.Header.Get("Location"))
		}
		p = owner.get(path + "?done=collection_updated")
		sees(p, "after renaming", en("social.done.collection_updated"))
		sees(p, "after renaming", "Геометрия сабақтары")
		sees(p, "after renaming", en("social.collection.private"))
		status(other.get(path), "another teacher on the now private collection", http.StatusNotFound)
		status(newBrowser(t, srv, "198.51.100.9").get(path), "a visitor on the now private collection", http.StatusNotFound)

		// Remove the material.
		status(owner.post("/materials/"+itoa(mid)+"/collect", url.Values{"collection": {cm[1]}, "remove": {"yes"}}), "remove", http.StatusSeeOther)
		sees(owner.get(path), "after removing", en("social.collection.empty"))

		// Delete: the tick first.
		p = owner.post(path+"/delete", url.Values{})
		status(p, "delete without the tick", http.StatusUnprocessableEntity)
		sees(p, "delete without the tick", en("social.collection.delete.confirm_required"))
		status(owner.get(path), "after a refused delete", http.StatusOK)
		p = owner.post(path+"/delete", url.Values{"confirm": {"yes"}})
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/account/saved?done=collection_deleted" {
			t.Fatalf("delete: status %d to %q", p.Status, p.Header.Get("Location"))
		}
		p = owner.get("/account/saved?done=collection_deleted")
		sees(p, "after deleting", en("social.done.collection_deleted"))
		if strings.Contains(p.Text(), "Геометрия сабақтары") {
			t.Errorf("the deleted collection is still listed")
		}
		status(owner.get(path), "the deleted collection", http.StatusNotFound)
	})
}
