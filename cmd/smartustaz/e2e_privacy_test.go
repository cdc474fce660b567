package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

var receiptLinkRe = regexp.MustCompile(`href="(/account/consent/receipts/\d+)"`)

// TestE2EConsentReceipts: a teacher downloads the signed receipt of each
// acceptance; anyone verifies it on /consent/verify by pasting or
// uploading it; a changed or foreign receipt is refused with a clear
// sentence (issue 12 §5; clause 2.3; law L1, L2).
func TestE2EConsentReceipts(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		wantStatus(t, "operator details", admin.post("/admin/privacy/contacts", url.Values{"operator_name": {"ТОО «Смарт Ұстаз»"},
			"operator_bin": {"123456789012"}, "contact_email": {"privacy@mektep.test"}}), http.StatusSeeOther)
		p := newPerson("receipts")
		uc := signup(t, srv, p)

		r := uc.get("/account/consent/receipts")
		wantStatus(t, "receipts page", r, http.StatusOK)
		wantText(t, "receipts page", r, i18n.T(i18n.KK, "privacy.receipts.kind.agreement"))
		links := receiptLinkRe.FindAllStringSubmatch(r.Body, -1)
		if len(links) != 2 {
			t.Fatalf("%d receipts listed, want 2 (agreement and policy)", len(links))
		}
		dl := uc.get(links[0][1])
		wantStatus(t, "download", dl, http.StatusOK)
		if !strings.HasPrefix(dl.Header.Get("Content-Type"), "application/jose") || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download headers %q / %q", dl.Header.Get("Content-Type"), dl.Header.Get("Content-Disposition"))
		}
		jws := strings.TrimSpace(dl.Body)
		if again := uc.get(links[0][1]); strings.TrimSpace(again.Body) != jws {
			t.Errorf("the second download differs from the first")
		}
		payload, err := base64.RawURLEncoding.DecodeString(strings.Split(jws, ".")[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range personalValues(p) {
			if v != "" && strings.Contains(string(payload), v) {
				t.Errorf("the receipt carries one of the user's personal values")
			}
		}
		// Another teacher cannot download it.
		other := signup(t, srv, newPerson("receipts-other"))
		wantStatus(t, "another user's receipt", other.get(links[0][1]), http.StatusNotFound)

		anon := newClient(t, srv)
		key := anon.get("/consent/public-key")
		wantStatus(t, "public key", key, http.StatusOK)
		var set struct {
			Keys []struct{ Kty, Crv, Kid, X string }
		}
		if err := json.Unmarshal([]byte(key.Body), &set); err != nil || len(set.Keys) != 1 || set.Keys[0].Kty != "OKP" || set.Keys[0].Crv != "Ed25519" {
			t.Errorf("public key set %q, %v", key.Body, err)
		}
		wantStatus(t, "verify form", anon.get("/consent/verify"), http.StatusOK)

		ok := anon.post("/consent/verify", url.Values{"receipt": {"\n" + jws + "\n"}})
		wantStatus(t, "verify pasted", ok, http.StatusOK)
		wantText(t, "verify pasted", ok, i18n.T(i18n.KK, "privacy.verify.ok"))
		wantText(t, "verify pasted", ok, "ТОО «Смарт Ұстаз»")
		var claims struct {
			PIIPrincipalID string `json:"piiPrincipalId"`
			Documents      []struct{ Sha256 string }
		}
		_ = json.Unmarshal(payload, &claims)
		if len(claims.Documents) != 1 {
			t.Fatalf("receipt names %d documents", len(claims.Documents))
		}
		wantText(t, "verify pasted", ok, claims.Documents[0].Sha256)
		wantText(t, "verify pasted", ok, claims.PIIPrincipalID)

		up := anon.postFile("/consent/verify", nil, "consent-receipt.jws", []byte(jws+"\n"))
		wantStatus(t, "verify uploaded", up, http.StatusOK)
		wantText(t, "verify uploaded", up, i18n.T(i18n.KK, "privacy.verify.ok"))

		parts := strings.Split(jws, ".")
		changed := strings.Replace(string(payload), `"jurisdiction":"KZ"`, `"jurisdiction":"RU"`, 1)
		tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(changed)) + "." + parts[2]
		bad := anon.post("/consent/verify", url.Values{"receipt": {tampered}})
		wantStatus(t, "verify tampered", bad, http.StatusUnprocessableEntity)
		wantText(t, "verify tampered", bad, i18n.T(i18n.KK, "privacy.verify.tampered"))
		if strings.Contains(bad.Text(), i18n.T(i18n.KK, "privacy.verify.ok")) {
			t.Errorf("a tampered receipt is shown as genuine")
		}
		anon.Lang = "ru"
		bad = anon.post("/consent/verify", url.Values{"receipt": {"просто текст"}})
		wantStatus(t, "verify garbage", bad, http.StatusUnprocessableEntity)
		wantText(t, "verify garbage", bad, i18n.T(i18n.RU, "privacy.verify.malformed"))
	})
}

var processorWarning = `class="tag warn processor-warning"`

// TestE2EContactsProcessorsHolidays: the operator's details on the public
// /contacts page in every language; the register of processors warns on
// /admin/status until each has its country; the holiday calendar is
// edited by an administrator, audited (issue 12 §2, §3a; law L7, L16, L18).
func TestE2EContactsProcessorsHolidays(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		anon := newClient(t, srv)
		r := anon.get("/contacts")
		wantStatus(t, "contacts before", r, http.StatusOK)
		wantText(t, "contacts before", r, i18n.T(i18n.KK, "privacy.contacts.unset"))

		bad := admin.post("/admin/privacy/contacts", url.Values{"operator_bin": {"12345"}, "contact_email": {"nope"}})
		wantStatus(t, "bad contacts", bad, http.StatusUnprocessableEntity)
		wantText(t, "bad contacts", bad, i18n.T(i18n.KK, "privacy.contacts.bin_bad"))
		wantText(t, "bad contacts", bad, i18n.T(i18n.KK, "privacy.contacts.email_bad"))
		wantStatus(t, "contacts", admin.post("/admin/privacy/contacts", url.Values{"operator_name": {"ТОО «Смарт Ұстаз»"},
			"operator_bin": {"123456789012"}, "operator_address": {"Астана қ., Мәңгілік Ел 1"},
			"responsible_name": {"Дербес деректер жөніндегі жауапты"}, "contact_email": {"privacy@mektep.test"}}), http.StatusSeeOther)
		for _, l := range i18n.Langs {
			anon.Lang = string(l)
			r := anon.get("/contacts")
			wantText(t, "contacts "+string(l), r, i18n.T(l, "privacy.contacts.title"))
			wantText(t, "contacts "+string(l), r, i18n.T(l, "privacy.contacts.responsible"))
			for _, v := range []string{"ТОО «Смарт Ұстаз»", "123456789012", "Мәңгілік Ел 1", "privacy@mektep.test"} {
				wantText(t, "contacts "+string(l), r, v)
			}
		}
		wantText(t, "agreement links contacts", anon.get("/agreement"), `href="/contacts"`)

		st := admin.get("/admin/status")
		wantStatus(t, "status", st, http.StatusOK)
		if !strings.Contains(st.Body, processorWarning) {
			t.Errorf("no warning while the server's country is unknown")
		}
		wantText(t, "status", st, i18n.T(i18n.KK, "privacy.processors.warning"))
		bad = admin.post("/admin/privacy/processors/server", url.Values{"country": {"Kazakhstan"}})
		wantStatus(t, "bad country", bad, http.StatusUnprocessableEntity)
		wantText(t, "bad country", bad, i18n.T(i18n.KK, "privacy.processors.country_bad"))
		wantStatus(t, "country", admin.post("/admin/privacy/processors/server", url.Values{"country": {"kz"}}), http.StatusSeeOther)
		st = admin.get("/admin/status")
		if strings.Contains(st.Body, processorWarning) {
			t.Errorf("warning shown with every processor in Kazakhstan")
		}

		h := admin.get("/admin/holidays")
		wantStatus(t, "holidays", h, http.StatusOK)
		wantText(t, "holidays", h, "2026-03-21")
		wantText(t, "holidays", h, "Law 94-V, Art. 24, 25")
		bad = admin.post("/admin/holidays", url.Values{"day": {"31.12.2026"}, "off": {"1"}, "name": {"Жаңа жыл қарсаңы"}})
		wantStatus(t, "bad day", bad, http.StatusUnprocessableEntity)
		wantText(t, "bad day", bad, i18n.T(i18n.KK, "privacy.holidays.day_bad"))
		wantStatus(t, "add day", admin.post("/admin/holidays", url.Values{"day": {"2026-12-31"}, "off": {"1"}, "name": {"Жаңа жыл қарсаңы"}}), http.StatusSeeOther)
		wantText(t, "day added", admin.get("/admin/holidays"), `id="day-2026-12-31"`)
		wantStatus(t, "remove day", admin.post("/admin/holidays/2026-12-31/delete", nil), http.StatusSeeOther)
		if strings.Contains(admin.get("/admin/holidays").Body, `id="day-2026-12-31"`) {
			t.Errorf("removed day still listed")
		}
		d := openDB(t, srv)
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'settings_change'`); n != 4 {
			t.Errorf("%d settings changes audited, want 4 (contacts, country, day added, day removed)", n)
		}
	})
}

var requestRowRe = regexp.MustCompile(`href="/admin/requests/(\d+)"`)

// TestE2EPrivacyRequests: a teacher files requests and sees each one's
// deadline; the administrator's queue shows them by deadline, opening
// one is audited, answering closes it and emails the teacher in their
// language; a second answer is refused (issue 12 §2; law L10–L13).
func TestE2EPrivacyRequests(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("requests")
		uc := signup(t, srv, p)
		wantStatus(t, "choose Russian", uc.get("/lang/ru?next=/account"), http.StatusSeeOther) // the page and the email in Russian

		bad := uc.post("/account/requests", url.Values{"type": {"correct"}, "detail": {"  "}})
		wantStatus(t, "correction without words", bad, http.StatusUnprocessableEntity)
		wantText(t, "correction without words", bad, i18n.T(i18n.RU, "privacy.requests.detail_required"))
		bad = uc.post("/account/requests", url.Values{"type": {"breach"}})
		wantStatus(t, "unknown type", bad, http.StatusUnprocessableEntity)
		wantText(t, "unknown type", bad, i18n.T(i18n.RU, "privacy.requests.type_bad"))

		r := uc.post("/account/requests", url.Values{"type": {"correct"}, "detail": {"Мекемем ауысты: №12 мектеп-гимназия"}})
		wantStatus(t, "file correction", r, http.StatusSeeOther)
		wantStatus(t, "file access", uc.post("/account/requests", url.Values{"type": {"access"}}), http.StatusSeeOther)
		page := uc.get("/account/requests?filed=1")
		wantText(t, "my requests", page, i18n.T(i18n.RU, "privacy.requests.filed"))
		wantText(t, "my requests", page, i18n.T(i18n.RU, "privacy.request.correct"))
		wantText(t, "my requests", page, "Мекемем ауысты")
		wantText(t, "my requests", page, i18n.T(i18n.RU, "privacy.requests.status.open"))

		q := admin.get("/admin/requests")
		wantStatus(t, "queue", q, http.StatusOK)
		if strings.Contains(q.Text(), "Мекемем ауысты") {
			t.Errorf("the queue shows the user's words without an audited opening")
		}
		ids := requestRowRe.FindAllStringSubmatch(q.Body, -1)
		if len(ids) != 2 {
			t.Fatalf("%d requests in the queue, want 2", len(ids))
		}
		// The correction (1 working day) is due before the access request (3).
		first := admin.get("/admin/requests/" + ids[0][1])
		wantText(t, "first in queue", first, "Мекемем ауысты")
		d := openDB(t, srv)
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'reveal' AND detail = ?`, "request "+ids[0][1]); n != 1 {
			t.Errorf("opening a request audited %d times, want 1", n)
		}

		empty := admin.post("/admin/requests/"+ids[0][1]+"/answer", url.Values{"answer": {" "}})
		wantStatus(t, "empty answer", empty, http.StatusUnprocessableEntity)
		wantText(t, "empty answer", empty, i18n.T(i18n.KK, "privacy.requests.answer_required"))
		before := len(mailsTo(t, srv, p.Email)) // the sign-up's own mail
		r = admin.post("/admin/requests/"+ids[0][1]+"/answer", url.Values{"answer": {"Мекеме атауы түзетілді."}})
		wantStatus(t, "answer", r, http.StatusSeeOther)
		m := waitMailTo(t, srv, p.Email, before+1)
		if !strings.Contains(m.Subject, i18n.T(i18n.RU, "privacy.request.correct")) || !strings.Contains(m.Text, "Мекеме атауы түзетілді.") {
			t.Errorf("answer email: subject or text missing the answer")
		}
		wantStatus(t, "second answer", admin.post("/admin/requests/"+ids[0][1]+"/answer", url.Values{"answer": {"Тағы"}}), http.StatusConflict)
		page = uc.get("/account/requests")
		wantText(t, "answered", page, "Мекеме атауы түзетілді.")
		wantText(t, "answered", page, i18n.T(i18n.RU, "privacy.requests.status.answered"))
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'privacy_answer'`); n != 1 {
			t.Errorf("%d answers audited, want 1", n)
		}
		q = admin.get("/admin/requests")
		if ids := requestRowRe.FindAllStringSubmatch(q.Body, -1); len(ids) != 1 {
			t.Errorf("%d open requests after the answer, want 1", len(ids))
		}
		// Overdue: move the open request's deadline into the past.
		if _, err := d.Exec(context.Background(), `UPDATE privacy_requests SET due_at = ? WHERE status = 'open'`, int64(1)); err != nil {
			t.Fatal(err)
		}
		q = admin.get("/admin/requests")
		if !strings.Contains(q.Body, `class="overdue"`) {
			t.Errorf("an overdue request is not marked")
		}
		wantText(t, "overdue", q, i18n.T(i18n.KK, "privacy.requests.overdue"))
	})
}
