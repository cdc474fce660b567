package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// personalValues are the six confidential fields of p.
func personalValues(p person) []string {
	return []string{p.Email, p.FullName, p.Organization, p.Position, p.Region, p.Phone}
}

// shown counts how many of vals a page shows.
func shown(r *response, vals []string) int {
	n := 0
	for _, v := range vals {
		if strings.Contains(r.Text(), v) {
			n++
		}
	}
	return n
}

// TestE2EAdmin is the administration end to end: the one-time setup
// link, roles, finding a user by address, confidential values hidden
// until an audited reveal with a purpose (clause 1.3), the audit chain
// check from the command line, and publishing a new agreement version
// that every user must accept and is told about (clause 3.4).
func TestE2EAdmin(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		ctx := context.Background()
		anon := newClient(t, srv)
		setupPath := strings.TrimPrefix(srv.SetupURL, srv.URL)
		wantStatus(t, "open setup link", anon.get(setupPath), http.StatusOK)
		admin, _ := setupAdmin(t, srv)
		adminID := admin.export().Profile.ID
		if admin.export().Profile.Role != "admin" {
			t.Fatalf("the setup link did not make an administrator")
		}
		r := anon.get(setupPath)
		wantStatus(t, "setup link again", r, http.StatusGone)
		wantText(t, "setup link again", r, i18n.T(i18n.KK, "web.setup.invalid"))
		second := newPerson("admin2")
		r = anon.post("/setup", url.Values{"token": {tokenOf(t, srv.SetupURL)}, "email": {second.Email},
			"full_name": {second.FullName}, "password": {second.Password}, "password_repeat": {second.Password}})
		wantStatus(t, "setup form again", r, http.StatusGone)
		wantStatus(t, "login of a second setup admin", newClient(t, srv).login(second.Email, second.Password), http.StatusUnauthorized)

		u := newPerson("user")
		uc := signup(t, srv, u)
		uid := uc.export().Profile.ID
		m := newPerson("moderator")
		mc := signup(t, srv, m)
		mid := mc.export().Profile.ID
		userPage := "/admin/users/" + strconv.FormatInt(uid, 10)

		t.Run("anonymous and normal users are kept out", func(t *testing.T) {
			r := anon.get("/admin")
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
				t.Errorf("anonymous /admin: status %d to %q, want 303 to /login", r.Status, r.Location())
			}
			for _, path := range []string{"/admin", "/admin/users", userPage, "/admin/audit", "/admin/agreement"} {
				r := uc.get(path)
				wantStatus(t, "user GET "+path, r, http.StatusForbidden)
				wantText(t, "user GET "+path, r, i18n.T(i18n.KK, "web.error.forbidden"))
			}
			wantStatus(t, "user raises own role", uc.post(userPage+"/role", url.Values{"role": {"admin"}}), http.StatusForbidden)
			wantStatus(t, "user reveals", uc.post(userPage+"/reveal", url.Values{"purpose": {"Өз деректерімді көргім келеді"}}), http.StatusForbidden)
			if uc.export().Profile.Role != "user" {
				t.Errorf("a normal user changed their own role")
			}
		})

		t.Run("find by address in another letter case", func(t *testing.T) {
			r := admin.post("/admin/users/find", url.Values{"email": {strings.ToUpper(m.Email)}})
			wantStatus(t, "find", r, http.StatusSeeOther)
			if want := "/admin/users/" + strconv.FormatInt(mid, 10); r.Location() != want {
				t.Errorf("find led to %q, want %q", r.Location(), want)
			}
			r = admin.post("/admin/users/find", url.Values{"email": {newPerson("nobody").Email}})
			wantStatus(t, "find unknown", r, http.StatusOK)
			wantText(t, "find unknown", r, i18n.T(i18n.KK, "web.admin.users.none"))
			r = admin.get("/admin/users")
			wantStatus(t, "list", r, http.StatusOK)
			if !strings.Contains(r.Body, `href="`+userPage+`"`) {
				t.Errorf("the user list does not link to the user")
			}
			if n := shown(r, personalValues(u)); n != 0 {
				t.Errorf("the user list shows %d confidential values", n)
			}
		})

		t.Run("moderator", func(t *testing.T) {
			r := admin.post("/admin/users/"+strconv.FormatInt(mid, 10)+"/role", url.Values{"role": {"moderator"}})
			wantStatus(t, "make moderator", r, http.StatusSeeOther)
			r = mc.get("/admin")
			wantStatus(t, "moderator /admin", r, http.StatusOK)
			wantText(t, "moderator /admin", r, i18n.T(i18n.KK, "web.admin.moderator"))
			for _, path := range []string{userPage, "/admin/users", "/admin/audit", "/admin/agreement"} {
				wantStatus(t, "moderator GET "+path, mc.get(path), http.StatusForbidden)
			}
			wantStatus(t, "moderator reveals", mc.post(userPage+"/reveal", url.Values{"purpose": {"Модератор ретінде тексеру"}}), http.StatusForbidden)
			r = admin.post("/admin/users/"+strconv.FormatInt(adminID, 10)+"/role", url.Values{"role": {"user"}})
			wantStatus(t, "admin demotes self", r, http.StatusConflict)
			wantStatus(t, "unknown role", admin.post(userPage+"/role", url.Values{"role": {"root"}}), http.StatusUnprocessableEntity)
		})

		purpose := "Мұғалімнің №4521 өтініші бойынша деректерін тексеру"
		t.Run("values hidden until an audited reveal", func(t *testing.T) {
			vals := personalValues(u)
			r := admin.get(userPage)
			wantStatus(t, "user page", r, http.StatusOK)
			if n := shown(r, vals); n != 0 {
				t.Errorf("the user page shows %d of 6 confidential values before any reveal", n)
			}
			r = admin.post(userPage+"/reveal", url.Values{"purpose": {"көру"}})
			wantStatus(t, "short purpose", r, http.StatusUnprocessableEntity)
			if got, want := fieldErrors(r)["purpose"], i18n.T(i18n.KK, "web.admin.reveal.purpose"); got != want {
				t.Errorf("error next to purpose = %q, want %q", got, want)
			}
			if n := shown(r, vals); n != 0 {
				t.Errorf("a refused reveal shows %d confidential values", n)
			}
			d := openDB(t, srv)
			if n := count(t, d, "SELECT COUNT(*) FROM audit_log WHERE action = 'reveal'"); n != 0 {
				t.Errorf("a refused reveal was audited as a view")
			}
			r = admin.post(userPage+"/reveal", url.Values{"purpose": {purpose}})
			wantStatus(t, "reveal", r, http.StatusOK)
			if n := shown(r, vals); n != len(vals) {
				t.Errorf("the reveal shows %d of %d confidential values", n, len(vals))
			}
			if n := shown(admin.get(userPage), vals); n != 0 {
				t.Errorf("the values stay shown on the next plain visit (%d)", n)
			}
			var actor int64
			var got string
			if err := d.QueryRow(ctx, `SELECT actor_user_id, purpose FROM audit_log WHERE action = 'reveal' AND target_user_id = ?`, uid).Scan(&actor, &got); err != nil {
				t.Fatalf("no audit entry for the reveal: %v", err)
			}
			if actor != adminID || got != purpose {
				t.Errorf("audit entry: actor %d purpose %q, want %d %q", actor, got, adminID, purpose)
			}
			r = admin.get("/admin/audit")
			wantStatus(t, "audit page", r, http.StatusOK)
			wantText(t, "audit page", r, purpose)
			wantText(t, "audit page", r, i18n.T(i18n.KK, "audit.action.reveal"))
			if !strings.Contains(r.Body, `href="`+userPage+`"`) {
				t.Errorf("the audit page does not link the reveal to the user")
			}
			out, err := srv.runCmd(t, "", "audit", "verify")
			if err != nil || !strings.Contains(out, "intact") || strings.Contains(out, "NOT intact") {
				t.Errorf("audit verify on an untouched log: err %v, output %q", err, out)
			}
		})

		t.Run("new agreement version", func(t *testing.T) {
			wantStatus(t, "account before", uc.get("/account"), http.StatusOK)
			mails := len(mailsTo(t, srv, u.Email))
			r := publish(t, admin, "agreement", "Жаңа тармақ: деректер тек Қазақстанда сақталады.")
			wantStatus(t, "publish", r, http.StatusOK)
			wantText(t, "publish", r, i18n.T(i18n.KK, "web.admin.agreement.done", 2))

			r = uc.get("/account")
			wantStatus(t, "account after publish", r, http.StatusSeeOther)
			if !strings.HasPrefix(r.Location(), "/account/consent") {
				t.Fatalf("redirected to %q, want /account/consent", r.Location())
			}
			r = uc.post("/account/profile", url.Values{"full_name": {u.FullName}})
			wantStatus(t, "change before accepting", r, http.StatusConflict)
			wantText(t, "change before accepting", r, i18n.T(i18n.KK, "web.consent.required"))
			wantStatus(t, "export stays open", uc.get("/account/export.json"), http.StatusOK)

			r = uc.get("/account/consent?next=/account")
			wantStatus(t, "consent page", r, http.StatusOK)
			var docs []string
			for _, m := range documentInputRe.FindAllStringSubmatch(r.Body, -1) {
				docs = append(docs, m[1])
			}
			if len(docs) == 0 {
				t.Fatalf("the consent page lists no document")
			}
			// What changed is on the page itself (issue 13 §4), the full text behind a link.
			if !strings.Contains(r.Body, `<ins class="d-add">`) || !strings.Contains(r.Body, `href="/agreement/agreement/`) {
				t.Errorf("the consent page does not show what changed with a link to the full text")
			}
			r = uc.post("/account/consent", url.Values{"document": docs, "next": {"/account"}})
			wantStatus(t, "consent without the tick", r, http.StatusUnprocessableEntity)
			if got, want := fieldErrors(r)["accept"], i18n.T(i18n.KK, "web.consent.tick"); got != want {
				t.Errorf("error next to the tick = %q, want %q", got, want)
			}
			r = uc.post("/account/consent", url.Values{"document": docs, "next": {"/account"}, "accept": {"yes"}})
			wantStatus(t, "accept", r, http.StatusSeeOther)
			if r.Location() != "/account?done=consent" {
				t.Errorf("after accepting, sent to %q, want /account with the thank-you notice", r.Location())
			}
			r = uc.get(r.Location())
			wantStatus(t, "account after accepting", r, http.StatusOK)
			wantText(t, "thank-you notice", r, i18n.T(i18n.KK, "web.account.done.consent"))

			versions := map[int]bool{}
			for _, a := range uc.export().Consents {
				if a.Document == "agreement" {
					versions[a.Version] = true
				}
			}
			if len(versions) < 2 || !versions[1] || !versions[2] {
				t.Errorf("agreement acceptances in export: versions %v, want 1 and 2", versions)
			}

			mail := waitMailTo(t, srv, u.Email, mails+1)
			if mail.Subject != i18n.T(i18n.KK, "mail.agreement.subject") {
				t.Errorf("announcement subject %q", mail.Subject)
			}
			if !strings.HasPrefix(mail.Link, srv.URL+"/agreement/agreement/2") {
				t.Errorf("the announcement does not link to version 2")
			}
			r = uc.get(strings.TrimPrefix(mail.Link, srv.URL))
			wantStatus(t, "announced version", r, http.StatusOK)
			wantText(t, "announced version", r, "Жаңа тармақ: деректер тек Қазақстанда сақталады. (kk)")
			// The administrator is a user too: the gate asks them as well.
			if r := admin.get("/admin"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/account/consent") {
				t.Errorf("administrator not asked to accept: status %d to %q", r.Status, r.Location())
			}
			if n := acceptPending(t, admin); n != 1 {
				t.Errorf("administrator was asked to accept %d documents, want 1", n)
			}
		})

		t.Run("tampered audit log is found", func(t *testing.T) {
			d := openDB(t, srv)
			var seq int64
			if err := d.QueryRow(ctx, `SELECT seq FROM audit_log WHERE action = 'reveal'`).Scan(&seq); err != nil {
				t.Fatalf("reveal entry: %v", err)
			}
			if _, err := d.Exec(ctx, `UPDATE audit_log SET purpose = ? WHERE seq = ?`, "Жай қызығушылық", seq); err != nil {
				t.Fatal(err)
			}
			out, err := srv.runCmd(t, "", "audit", "verify")
			if err == nil {
				t.Fatalf("audit verify accepted an altered entry; output %q", out)
			}
			if want := fmt.Sprintf("entry %d", seq); !strings.Contains(err.Error(), want) || !strings.Contains(out, "NOT intact") {
				t.Errorf("audit verify: err %q, output %q; want it to name %s", err, out, want)
			}
		})
	})
}
