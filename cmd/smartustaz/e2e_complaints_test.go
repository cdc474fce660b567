package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

var (
	complaintFileRe = regexp.MustCompile(`/account/complaints/(\d+)/files/(\d+)`)
	complaintRowRe  = regexp.MustCompile(`/admin/complaints/(\d+)"`)
)

// complaint has the author file a complaint with a document through the
// public form and returns its number and the document's.
func (m *matrix) complaint(role) vars {
	m.t.Helper()
	// The author's session from an address of its own: the form is
	// limited per client address, and every role's row makes one.
	c := newClient(m.t, m.srv)
	c.hc.Jar = m.main[user].hc.Jar
	r := c.postFile("/complaint", url.Values{"kind": {"complaint"}, "subject": {"Матрица шағымы {n}"}, "text": {"Матрицаның шағымы"}},
		"шарт.jpg", m.jpg)
	if r.Status != http.StatusSeeOther {
		m.t.Fatalf("file a complaint: status %d %s", r.Status, pageErrors(r))
	}
	f := complaintFileRe.FindStringSubmatch(m.main[user].get("/account/complaints").Body)
	if f == nil {
		m.t.Fatalf("/account/complaints links no document")
	}
	return vars{"complaint": f[1], "cfile": f[2]}
}

// Issue 12 §3 (clause 3.2), end to end on both engines: a visitor files
// a complaint by the form (bad input refused in the visitor's language,
// nothing written), an administrator enters an official request from a
// letter, the register lists both by deadline without their content,
// the administrator opens one through the audited reveal and answers it,
// and the visitor receives the answer by email; a signed-in user sees
// theirs on /account/data, /account/complaints and in the export.
func TestE2EComplaints(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		d := openDB(t, srv)
		adminC, _ := setupAdmin(t, srv)
		count := func() int {
			var n int
			if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM complaints`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Bad input, in each language: a clear message, nothing written.
		for _, l := range i18n.Langs {
			v := newClient(t, srv)
			v.Lang = string(l)
			r := v.post("/complaint", url.Values{"kind": {"complaint"}, "contact": {"not an address"}, "subject": {"Тақырып"}, "text": {"Мәтін"}})
			wantStatus(t, "bad contact "+string(l), r, http.StatusUnprocessableEntity)
			wantText(t, "bad contact "+string(l), r, i18n.T(l, "complaints.contact.invalid"))
		}
		if n := count(); n != 0 {
			t.Fatalf("%d complaints written from refused forms", n)
		}
		visitorEmail := "complaint-visitor@mektep.test"
		secret := "Менің суретімді рұқсатсыз жариялады"
		v := newClient(t, srv)
		r := v.postFile("/complaint", url.Values{"kind": {"complaint"}, "sender": {"Айгүл Сәрсенова"}, "contact": {visitorEmail},
			"subject": {"Рұқсатсыз жарияланған сурет"}, "text": {secret}}, "дәлел.jpg", sample(t, "sample.jpg"))
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/complaint?due=") {
			t.Fatalf("visitor's complaint: status %d %s", r.Status, pageErrors(r))
		}
		wantText(t, "registered", v.get(r.Location()), i18n.T(i18n.KK, "complaints.form.sent", strings.TrimPrefix(r.Location(), "/complaint?due=")))
		// An official request from a letter, due by the letter's date.
		r = adminC.post("/admin/complaints", url.Values{"kind": {"official"}, "sender": {"Мемлекеттік орган"}, "subject": {"Ресми сұрау"},
			"text": {"Мәліметтер беріңіз"}, "letter_date": {"2026-01-05"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("enter a letter: status %d %s", r.Status, pageErrors(r))
		}
		list := adminC.get("/admin/complaints")
		wantStatus(t, "register", list, http.StatusOK)
		if strings.Contains(list.Text(), secret) || strings.Contains(list.Text(), visitorEmail) {
			t.Errorf("the register shows personal content without a reveal")
		}
		ids := complaintRowRe.FindAllStringSubmatch(list.Body, -1)
		if len(ids) != 2 {
			t.Fatalf("the register lists %d entries, want 2", len(ids))
		}
		var visitorID string
		for _, m := range ids {
			var kind string
			if err := d.QueryRow(context.Background(), `SELECT kind FROM complaints WHERE id = ?`, m[1]).Scan(&kind); err != nil {
				t.Fatal(err)
			}
			if kind == "complaint" {
				visitorID = m[1]
			}
		}
		// Nothing personal in plaintext in the database.
		rows, err := d.Query(context.Background(), `SELECT subject_enc, body_enc, COALESCE(contact_enc, '') FROM complaints`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b, c []byte
			if err := rows.Scan(&a, &b, &c); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(secret)) || bytes.Contains(c, []byte(visitorEmail)) {
				t.Errorf("a complaint is stored in plaintext")
			}
		}
		rows.Close()
		// The reveal needs a purpose and is audited; then the text shows.
		r = adminC.post("/admin/complaints/"+visitorID+"/reveal", url.Values{"purpose": {"Шағымға жауап дайындау"}})
		wantText(t, "revealed", r, secret)
		audit := adminC.get("/admin/audit")
		wantText(t, "audit", audit, "Шағымға жауап дайындау")
		// The answer goes to the visitor by email through the mail queue.
		answer := "Сурет алынып тасталды. Әкімшілік."
		r = adminC.post("/admin/complaints/"+visitorID+"/answer", url.Values{"answer": {answer}})
		if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location(), "done=answered") {
			t.Fatalf("answer: status %d %s", r.Status, r.Location())
		}
		m := waitMailTo(t, srv, visitorEmail, 1)
		if !strings.Contains(m.Text, answer) || !strings.Contains(m.Subject, visitorID) {
			t.Errorf("the answer's email does not carry the answer and the number")
		}
		// A signed-in user's complaint: on their pages and in the export.
		p := newPerson("complainant")
		u := signup(t, srv, p)
		r = u.post("/complaint", url.Values{"kind": {"dispute"}, "parties": {"Басқа автор"}, "subject": {"Авторлық дау"}, "text": {"Материал менікі"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("user's dispute: status %d %s", r.Status, pageErrors(r))
		}
		wantText(t, "account data", u.get("/account/data"), "Авторлық дау")
		wantText(t, "my complaints", u.get("/account/complaints"), "Материал менікі")
		ex := u.get("/account/export.json")
		var x struct {
			Complaints []struct {
				Subject, Kind, Parties string
			} `json:"complaints"`
		}
		if err := json.Unmarshal([]byte(ex.Body), &x); err != nil || len(x.Complaints) != 1 || x.Complaints[0].Parties != "Басқа автор" {
			t.Errorf("the export has no complaints section with the dispute (%v)", err)
		}
	})
}
