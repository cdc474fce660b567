package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// publicExport is the part of /account/export.json about publication.
type publicExport struct {
	PublicProfile       map[string]string `json:"public_profile"`
	PublicationConsents []struct {
		Fields    []string `json:"fields"`
		SessionID int64    `json:"session_id"`
	} `json:"publication_consents"`
}

// Public author profiles (clause 1.4): nothing about a teacher is public
// until they choose it — not on their author page, the material page or
// the catalog; choosing a name and a school shows them everywhere;
// withdrawing the school removes it at once; every choice is a consent
// record of its own, listed in the export; a user with nothing public has
// no page at all.
func TestE2EPublicProfile(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("profile")
		teacher := signup(t, srv, p)
		uid := strconv.FormatInt(teacher.export().Profile.ID, 10)
		visitor := newClient(t, srv)
		d := openDB(t, srv)
		title := "Математика: бөлшектер тақырыбы"
		id := publishApproved(t, admin, teacher, title)
		kk := func(key string, args ...any) string { return i18n.T(i18n.KK, key, args...) }

		// Nothing public by default.
		author := visitor.get("/authors/" + uid)
		wantStatus(t, "author page", author, http.StatusOK)
		wantText(t, "author page", author, title)
		wantText(t, "author page", author, kk("profiles.author.hidden"))
		pages := map[string]string{"/authors/" + uid: "author page", "/materials/" + id: "material page", "/materials": "catalog"}
		for path, what := range pages {
			r := follow(visitor, path)
			for _, personal := range []string{p.FullName, p.Organization} {
				if strings.Contains(r.Text(), personal) {
					t.Errorf("%s shows the teacher's data before they chose to publish it", what)
				}
			}
		}
		form := teacher.get("/account/public")
		wantStatus(t, "choice form", form, http.StatusOK)
		if regexp.MustCompile(`name="show_[a-z_]+" value="yes" checked`).MatchString(form.Body) {
			t.Errorf("a field is ticked by default")
		}
		if !strings.Contains(form.Text(), `value="`+p.FullName+`"`) {
			t.Errorf("the form is not prefilled from the account")
		}
		if !strings.Contains(teacher.get("/account").Body, `href="/account/public"`) {
			t.Errorf("/account does not link the choice form")
		}

		// Choose a name and a school.
		r := teacher.post("/account/public", url.Values{
			"show_display_name": {"yes"}, "display_name": {p.FullName},
			"show_school": {"yes"}, "school": {p.Organization},
			"region": {p.Region}, // typed but not ticked: stays private
		})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: status %d (%s)", r.Status, pageErrors(r))
		}
		author = visitor.get("/authors/" + uid)
		wantText(t, "author page", author, p.FullName)
		wantText(t, "author page", author, p.Organization)
		if strings.Contains(author.Text(), p.Region) {
			t.Errorf("an unticked field is public")
		}
		if !strings.Contains(visitor.get("/materials").Body, `href="/authors/`+uid+`">`+p.FullName+`</a>`) {
			t.Errorf("the catalog card does not link the chosen name")
		}
		mp := follow(visitor, "/materials/"+id)
		if !strings.Contains(mp.Body, `href="/authors/`+uid+`">`+p.FullName+`</a>`) || strings.Contains(mp.Text(), kk("library.author", teacher.export().Profile.ID)) {
			t.Errorf("the material page does not show the chosen name instead of the number")
		}

		// Withdraw the school: gone at once.
		wantStatus(t, "withdraw school", teacher.post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {p.FullName}, "school": {p.Organization}}), http.StatusSeeOther)
		if strings.Contains(visitor.get("/authors/"+uid).Text(), p.Organization) {
			t.Errorf("the withdrawn school is still public")
		}

		// A ticked empty field is refused and changes nothing.
		bad := teacher.post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {"  "}})
		wantStatus(t, "empty name", bad, http.StatusUnprocessableEntity)
		if fieldErrors(bad)["display_name"] != kk("library.profile.empty") {
			t.Errorf("empty name: field says %q", fieldErrors(bad)["display_name"])
		}
		wantText(t, "author page after a refusal", visitor.get("/authors/"+uid), p.FullName)

		var x publicExport
		if err := json.Unmarshal([]byte(teacher.get("/account/export.json").Body), &x); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(x.PublicProfile, map[string]string{"display_name": p.FullName}) {
			t.Errorf("export: public profile has %d fields, want the display name only", len(x.PublicProfile))
		}
		var got [][]string
		for _, c := range x.PublicationConsents {
			got = append(got, c.Fields)
			if c.SessionID == 0 {
				t.Errorf("a consent does not name the session it was given from")
			}
		}
		if want := [][]string{{"display_name", "school"}, {"display_name"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("export: consents %v, want %v", got, want)
		}

		// Hide everything: the name is gone; the records stay, appended.
		wantStatus(t, "hide all", teacher.post("/account/public", url.Values{"hide_all": {"yes"}, "show_display_name": {"yes"}, "display_name": {p.FullName}}), http.StatusSeeOther)
		if strings.Contains(visitor.get("/authors/"+uid).Text(), p.FullName) {
			t.Errorf("hiding everything left the name public")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM publication_consents WHERE user_id = ?`, uid); n != 3 {
			t.Errorf("%d consent records, want 3", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM public_profiles WHERE user_id = ?`, uid); n != 0 {
			t.Errorf("hiding everything left %d stored values", n)
		}

		// A user with nothing public has no page.
		fresh := newClientSignedIn(t, srv)
		wantStatus(t, "author page of a user with nothing public", visitor.get("/authors/"+strconv.FormatInt(fresh.export().Profile.ID, 10)), http.StatusNotFound)
	})
}
