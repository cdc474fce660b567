package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/incident"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// TestE2EIncident: an administrator records a leak that concerns two
// teachers (by address), sees the deadline to notify the authorised
// body, prints the notification in Kazakh and Russian with the operator,
// the categories, the number of subjects, the measures and the contact
// person, writes to the teachers once (pressed twice), and each teacher
// finds the notice in their letter, on /account/data and in the export
// (issue 12 §4; law L15).
func TestE2EIncident(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		wantStatus(t, "operator details", admin.post("/admin/privacy/contacts", url.Values{"operator_name": {"ТОО «Смарт Ұстаз»"},
			"operator_bin": {"123456789012"}, "operator_address": {"Астана, Мәңгілік Ел 8"}, "responsible_name": {"Сәрсенова Гүлнар"},
			"contact_email": {"privacy@mektep.test"}}), http.StatusSeeOther)
		p1, p2 := newPerson("incident-a"), newPerson("incident-b")
		u1 := signup(t, srv, p1)
		signup(t, srv, p2)

		detected := time.Now().In(privacy.Almaty).Add(-2 * time.Hour)
		form := url.Values{"kind": {"leak"}, "categories": {"contact", "identity"}, "detected_at": {detected.Format(incident.TimeLayout)},
			"select": {"emails"}, "users": {strings.ToUpper(p1.Email) + "\n" + p2.Email}, "description": {"Кесте қате жіберілді"},
			"measures": {"Барлық сеанстар жабылды"}}
		bad := admin.post("/admin/incidents", url.Values{"kind": {"leak"}, "select": {"emails"}, "users": {"nobody@mektep.test"}})
		wantStatus(t, "bad incident", bad, http.StatusUnprocessableEntity)
		if fieldErrors(bad)["categories"] == "" || fieldErrors(bad)["description"] == "" {
			t.Errorf("bad incident: errors %s", pageErrors(bad))
		}
		r := admin.post("/admin/incidents", form)
		wantStatus(t, "record", r, http.StatusSeeOther)
		page, _, _ := strings.Cut(r.Location(), "?")
		show := admin.get(page)
		wantStatus(t, "incident page", show, http.StatusOK)
		wantText(t, "incident page", show, i18n.T(i18n.KK, "incident.kind.leak"))
		if !strings.Contains(show.Text(), "Барлық сеанстар жабылды") || strings.Contains(show.Text(), p1.Email) {
			t.Errorf("the incident page: measures missing or an address shown before the reveal")
		}
		list := admin.get("/admin/incidents")
		wantStatus(t, "list", list, http.StatusOK)
		if !strings.Contains(list.Body, `href="`+page+`"`) {
			t.Errorf("the list does not link the incident")
		}
		for _, l := range []i18n.Lang{i18n.KK, i18n.RU} {
			doc := admin.get(page + "/notice/" + string(l))
			wantStatus(t, "document "+string(l), doc, http.StatusOK)
			for _, want := range []string{i18n.T(l, "incident.doc.title"), "ТОО «Смарт Ұстаз»", "123456789012", "Астана, Мәңгілік Ел 8",
				"Сәрсенова Гүлнар", "privacy@mektep.test", i18n.T(l, "incident.kind.leak"), "Кесте қате жіберілді", "Барлық сеанстар жабылды",
				i18n.T(l, "incident.doc.subjects")} {
				if !strings.Contains(doc.Text(), want) {
					t.Errorf("document %s lacks %q", l, want)
				}
			}
			if !strings.Contains(doc.Text(), "<dd>2</dd>") && !strings.Contains(doc.Body, "<dd>2</dd>") {
				t.Errorf("document %s: the number of subjects is not 2", l)
			}
		}
		rev := admin.post(page+"/reveal", url.Values{"purpose": {"Уәкілетті органға хабарлама"}, "after": {"0"}})
		wantStatus(t, "reveal", rev, http.StatusOK)
		if !strings.Contains(rev.Text(), p1.Email) || !strings.Contains(rev.Text(), p2.FullName) {
			t.Errorf("the reveal does not show the subjects' contacts")
		}
		wantStatus(t, "notify", admin.post(page+"/notify", url.Values{}), http.StatusSeeOther)
		wantStatus(t, "notify again", admin.post(page+"/notify", url.Values{}), http.StatusSeeOther)
		subject := i18n.T(i18n.KK, "incident.mail.subject")
		letters := func(p person) (n int, text string) {
			for _, x := range mailsTo(t, srv, p.Email) {
				if x.Subject == subject {
					n, text = n+1, x.Text
				}
			}
			return n, text
		}
		deadline := time.Now().Add(time.Minute)
		for {
			n1, _ := letters(p1)
			n2, _ := letters(p2)
			if n1 > 0 && n2 > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the letters did not arrive within a minute")
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(time.Second) // time for a second letter, if one were coming
		for _, p := range []person{p1, p2} {
			n, text := letters(p)
			if n != 1 || !strings.Contains(text, "Барлық сеанстар жабылды") {
				t.Errorf("a teacher got %d letters about the incident (measures in it: %t)", n, strings.Contains(text, "Барлық сеанстар жабылды"))
			}
		}
		data := u1.get("/account/data")
		wantStatus(t, "data page", data, http.StatusOK)
		wantText(t, "data page", data, i18n.T(i18n.KK, "incident.mine.title"))
		if !strings.Contains(data.Text(), "Барлық сеанстар жабылды") || strings.Contains(data.Text(), "Кесте қате жіберілді") {
			t.Errorf("the data page: the measures missing, or the description shown to the user")
		}
		raw := u1.get("/account/export.json")
		var x struct {
			Incidents []struct {
				Kind       string   `json:"kind"`
				Categories []string `json:"categories"`
				Measures   string   `json:"measures"`
			} `json:"incidents"`
		}
		if err := json.Unmarshal([]byte(raw.Body), &x); err != nil {
			t.Fatal(err)
		}
		if len(x.Incidents) != 1 || x.Incidents[0].Kind != "leak" || x.Incidents[0].Measures != "Барлық сеанстар жабылды" {
			t.Errorf("the export's incidents: %+v", x.Incidents)
		}
		wantStatus(t, "body notified", admin.post(page+"/notified", url.Values{"notified_at": {""}}), http.StatusSeeOther)
		if after := admin.get(page); strings.Contains(after.Body, `class="tag bad"`) {
			t.Errorf("notified within the deadline, yet marked overdue or late")
		}
	})
}
