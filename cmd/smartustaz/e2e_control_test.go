package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// newestRequest opens the admin queue and returns the id of its newest
// open request of userID.
func newestRequest(t *testing.T, srv *testServer, userID string) string {
	t.Helper()
	d := openDB(t, srv)
	var id string
	if err := d.QueryRow(context.Background(), `SELECT CAST(id AS TEXT) FROM privacy_requests WHERE user_id = ? AND status = 'open' ORDER BY received_at DESC, id DESC LIMIT 1`,
		userID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// Issue 12 §2 (law L4, L12), over HTTP on both engines: a teacher
// withdraws consent and is blocked — only their data, requests, the
// documents, consent, sign-out and deletion open; every other page sends
// them to the blocked page, forms are refused; no public name; the
// answer to their request is the one mail they get; consenting again
// unblocks. Then a block request answered with "block" blocks, the
// administrator sees it, and an unblock request answered with "unblock"
// lifts it; each change is in the audit log.
func TestE2EBlockedAccount(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("blocked")
		c := signup(t, srv, p)
		d := openDB(t, srv)
		var uid string
		if err := d.QueryRow(context.Background(), `SELECT CAST(user_id AS TEXT) FROM acceptances ORDER BY at DESC, id DESC LIMIT 1`).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		if r := c.post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {"Әсел Бұғатқызы"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("public profile: %d", r.Status)
		}
		if r := newClient(t, srv).get("/authors/" + uid); r.Status != http.StatusOK || !strings.Contains(r.Text(), "Әсел Бұғатқызы") {
			t.Fatalf("the public profile before blocking: %d", r.Status)
		}
		home := c.get("/account")
		wantText(t, "account page", home, i18n.T(i18n.KK, "control.withdraw.p1"))

		// Withdrawal.
		// A view is dated when it was asked for, so the view of /account
		// above falls before the window of the blocked period (the pause
		// only puts them in different milliseconds).
		time.Sleep(2 * time.Millisecond)
		blockedFrom := time.Now().UnixMilli()
		if r := c.post("/account/consent/withdraw", nil); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("an unconfirmed withdrawal: %d", r.Status)
		}
		r := c.post("/account/consent/withdraw", url.Values{"confirm": {"yes"}})
		if r.Status != http.StatusSeeOther || r.Location() != "/account/blocked" {
			t.Fatalf("withdraw: %d %s", r.Status, r.Location())
		}
		page := c.get("/account/blocked")
		wantStatus(t, "blocked page", page, http.StatusOK)
		wantText(t, "blocked page", page, i18n.T(i18n.KK, "control.reason.withdrawn"))
		wantText(t, "blocked page", page, i18n.T(i18n.KK, "control.blocked.how.consent"))
		for _, open := range []string{"/account/data", "/account/export.json", "/account/requests", "/account/consent", "/account/consent/receipts", "/agreement", "/account/delete"} {
			if r := c.get(open); r.Status != http.StatusOK {
				t.Errorf("blocked: GET %s: %d, want 200", open, r.Status)
			}
		}
		for _, shut := range []string{"/account", "/account/profile", "/materials", "/", "/materials/new", "/account/messages", "/account/public", "/account/notifications"} {
			if r := c.get(shut); r.Status != http.StatusSeeOther || r.Location() != "/account/blocked" {
				t.Errorf("blocked: GET %s: %d → %q, want 303 /account/blocked", shut, r.Status, r.Location())
			}
		}
		if r := c.post("/account/profile", url.Values{"full_name": {"Басқа"}}); r.Status != http.StatusForbidden {
			t.Errorf("blocked: POST /account/profile: %d, want 403", r.Status)
		}
		if r := c.post("/account/verify/resend", nil); r.Status != http.StatusForbidden {
			t.Errorf("blocked: POST /account/verify/resend: %d, want 403", r.Status)
		}
		if r := newClient(t, srv).get("/authors/" + uid); strings.Contains(r.Text(), "Әсел Бұғатқызы") {
			t.Errorf("a blocked account's name is public")
		}
		receipts := c.get("/account/consent/receipts")
		wantText(t, "receipts", receipts, i18n.T(i18n.KK, "privacy.receipts.method.withdrawal"))
		if n := count(t, d, `SELECT COUNT(*) FROM consent_receipts WHERE user_id = ?`, uid); n < 2 {
			t.Errorf("%d receipts issued, want the withdrawal's two", n)
		}

		// A request while blocked: its answer is the one mail that comes.
		mailsBefore := len(mailsTo(t, srv, p.Email))
		if r := c.post("/account/requests", url.Values{"type": {"access"}, "detail": {"көшірме"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("file while blocked: %d", r.Status)
		}
		req := newestRequest(t, srv, uid)
		if r := admin.post("/admin/requests/"+req+"/answer", url.Values{"answer": {"Көшірме дайын"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("answer: %d", r.Status)
		}
		answer := waitMailTo(t, srv, p.Email, mailsBefore+1)
		if !strings.Contains(answer.Text, "Көшірме дайын") {
			t.Errorf("the answer mail does not carry the answer")
		}

		// Consent again: unblocked, everything back.
		blockedUntil := time.Now().UnixMilli()
		if n := acceptPending(t, c); n != 2 {
			t.Fatalf("consenting again offered %d documents", n)
		}
		if r := c.get("/account"); r.Status != http.StatusOK {
			t.Fatalf("after consenting again: /account %d", r.Status)
		}
		if r := newClient(t, srv).get("/authors/" + uid); !strings.Contains(r.Text(), "Әсел Бұғатқызы") {
			t.Errorf("the public name did not come back after unblocking")
		}
		// Page views: none recorded as the user's while blocked (the
		// pages above were counted as a visitor's); recorded again after.
		c.get("/materials?subject=math")
		waitFor(t, "a view recorded after unblocking", func() bool {
			return count(t, d, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = ? AND at > ?`, uid, blockedUntil) > 0
		})
		if n := count(t, d, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = ? AND at BETWEEN ? AND ?`, uid, blockedFrom, blockedUntil); n != 0 {
			t.Errorf("%d technical records of the user written while blocked", n)
		}

		// Blocking on request, seen by the administrator, then unblocking.
		if r := c.post("/account/requests", url.Values{"type": {"block"}, "detail": {"тоқтатыңыз"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("file block: %d", r.Status)
		}
		req = newestRequest(t, srv, uid)
		open := admin.get("/admin/requests/" + req)
		wantText(t, "request page", open, i18n.T(i18n.KK, "control.act.block"))
		if r := admin.post("/admin/requests/"+req+"/answer", url.Values{"answer": {"Бұғатталды"}, "act": {"block"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("answer and block: %d", r.Status)
		}
		if r := c.get("/account"); r.Location() != "/account/blocked" {
			t.Fatalf("after the block request: /account → %d %q", r.Status, r.Location())
		}
		wantText(t, "blocked page", c.get("/account/blocked"), i18n.T(i18n.KK, "control.reason.request"))
		wantText(t, "admin user view", admin.get("/admin/users/"+uid), i18n.T(i18n.KK, "control.reason.request"))
		if r := c.post("/account/requests", url.Values{"type": {"unblock"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("file unblock: %d", r.Status)
		}
		wantText(t, "blocked page", c.get("/account/blocked"), i18n.T(i18n.KK, "control.blocked.how.waiting"))
		req = newestRequest(t, srv, uid)
		if r := admin.post("/admin/requests/"+req+"/answer", url.Values{"answer": {"Бұғаттан шығарылды"}, "act": {"unblock"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("answer and unblock: %d", r.Status)
		}
		if r := c.get("/account"); r.Status != http.StatusOK {
			t.Fatalf("after the unblock request: /account %d", r.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND target_user_id = ?`, audit.ActionUserBlock, uid); n != 2 {
			t.Errorf("%d block entries in the audit log, want 2", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND target_user_id = ?`, audit.ActionUserUnblock, uid); n != 2 {
			t.Errorf("%d unblock entries in the audit log, want 2", n)
		}
	})
}

// Law L3 over HTTP: the administrator sets the consent's term on
// /admin/privacy (a bad value is refused in the user's language, nothing
// saved); a teacher whose consent ends within 30 days sees the banner
// with the renew button on their account page, and renewing records a
// new acceptance that starts the term again.
func TestE2EConsentTermBanner(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("term")
		c := signup(t, srv, p)
		if r := c.get("/account"); strings.Contains(r.Body, `id="consent-term"`) {
			t.Fatalf("a banner with no term set")
		}
		r := admin.post("/admin/privacy/term", url.Values{"term": {"-5"}})
		wantStatus(t, "bad term", r, http.StatusUnprocessableEntity)
		wantText(t, "bad term", r, i18n.T(i18n.KK, "control.term.bad", 3650))
		if r := admin.post("/admin/privacy/term", url.Values{"term": {"20"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("set term: %d", r.Status)
		}
		if !strings.Contains(admin.get("/admin/privacy").Body, `value="20"`) {
			t.Errorf("the term is not shown on /admin/privacy")
		}
		home := c.get("/account")
		if !strings.Contains(home.Body, `id="consent-term"`) || !strings.Contains(home.Body, `href="/account/consent?renew=1"`) {
			t.Fatalf("no renewal banner with 20 days left")
		}
		renew := c.get("/account/consent?renew=1")
		wantText(t, "renew page", renew, i18n.T(i18n.KK, "control.renew.intro"))
		var docs []string
		for _, m := range documentInputRe.FindAllStringSubmatch(renew.Body, -1) {
			docs = append(docs, m[1])
		}
		if r := c.post("/account/consent", url.Values{"document": docs, "accept": {"yes"}, "next": {"/account"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("renew: %d", r.Status)
		}
		d := openDB(t, srv)
		if n := count(t, d, `SELECT COUNT(*) FROM acceptances WHERE method = 'renewal'`); n != 2 {
			t.Errorf("%d renewals recorded, want 2", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND detail = ?`, audit.ActionSettingsChange, "consent term 20 days"); n != 1 {
			t.Errorf("the term's setting is not audited")
		}
	})
}
