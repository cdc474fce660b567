package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
)

// TestBrowserDeletionRequest: in a real Chromium, a teacher downloads
// their data ZIP, withdraws their consent (the account is blocked, not
// deleted), asks for the deletion of their account on
// /account/requests, and an administrator deletes it from
// /admin/requests; the teacher's login no longer works and nothing
// personal of theirs is left in the database (issue 12 §8).
func TestBrowserDeletionRequest(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			srv := startServer(t, e)
			_, ap := setupAdmin(t, srv)
			p := newPerson("browser-deletion")
			uc := signup(t, srv, p)
			uid := uc.export().Profile.ID
			d := openDB(t, srv)

			browser := startBrowser(t, chrome)
			teacher := newTab(t, browser, srv.URL, "teacher", phoneView)
			teacher.login(p.Email, p.Password)

			// 1. The data ZIP, downloaded by the page's own link.
			teacher.open("/account/data")
			if n := tabEval[int](teacher, `document.querySelectorAll('a[href="/account/data.zip"]').length`); n == 0 {
				t.Fatal("the data page links no ZIP")
			}
			zip := tabEval[string](teacher, `fetch(document.querySelector('a[href="/account/data.zip"]').href).then(async r => {
				const b = new Uint8Array(await r.arrayBuffer());
				return r.status + " " + r.headers.get("Content-Type") + " " + String.fromCharCode(b[0], b[1]) + " " + b.length;
			})`)
			if f := strings.Fields(zip); len(f) != 4 || f[0] != "200" || f[1] != "application/zip" || f[2] != "PK" {
				t.Fatalf("the ZIP download answered %q", zip)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'data_export' AND actor_user_id = ? AND detail = 'format=zip'`, uid); n != 1 {
				t.Errorf("%d audit entries of the ZIP download, want 1", n)
			}

			// 2. Consent withdrawal without deleting the account.
			browserWithdrawConsent(t, teacher, d, uid)

			// 3. The request for deletion.
			teacher.open("/account/requests")
			teacher.do(chromedp.SetValue(chromedp.ID("f-type"), "delete"))
			teacher.fill([][2]string{{"f-detail", "Аккаунтымды жойыңыз, материалдарым атсыз қалсын"}})
			teacher.submit(`form[action="/account/requests"] button[type=submit]`)
			if got := teacher.text("main .notice"); got != kkMsg("privacy.requests.filed") {
				t.Errorf("filing the request says %q", got)
			}
			before := userRows(t, d, uid)

			// 4. The administrator deletes the account from the request.
			admin := newTab(t, browser, srv.URL, "admin", desktopView)
			admin.login(ap.Email, ap.Password)
			admin.open("/admin/requests")
			admin.do(chromedp.Click(chromedp.CSS(`main a[href^="/admin/requests/"]`)), chromedp.WaitReady(chromedp.CSS("main h1")))
			admin.do(chromedp.WaitVisible(chromedp.ID("f-purpose")))
			admin.fill([][2]string{{"f-purpose", "Пайдаланушының жою туралы өтінішін орындау"}})
			admin.submit(`form[action$="/delete"] button[type=submit]`)
			if got := admin.text("main .notice"); got != kkMsg("deletion.admin.done") {
				t.Errorf("the deletion says %q", got)
			}

			// 5. The login no longer works; nothing of the teacher is left.
			again := newTab(t, browser, srv.URL, "teacher again", phoneView)
			again.login(p.Email, p.Password)
			if path := again.path(); !strings.HasPrefix(path, "/login") {
				t.Errorf("the deleted teacher's login leads to %s", path)
			}
			if tabEval[int](again, `document.querySelectorAll('main .error, main [role=alert]').length`) == 0 {
				t.Errorf("the refused login shows no error")
			}
			erasedEverywhere(t, "after the administrator's deletion", d, uid, before)
		})
	}
}

// browserWithdrawConsent is the scenario's step between the download and
// the deletion request: the teacher withdraws their consent on their own
// page and keeps the account (issue 12 §2). The account is then blocked:
// the blocked page says why, another page leads back there, and the
// withdrawal is recorded for both documents.
func browserWithdrawConsent(t *testing.T, teacher *tab, d *db.DB, uid int64) {
	t.Helper()
	teacher.open("/account")
	teacher.do(chromedp.Click(chromedp.CSS("#consent details summary")))
	teacher.submit(`form[action="/account/consent/withdraw"] button[type=submit]`)
	if p := teacher.path(); p != "/account/blocked" {
		t.Fatalf("after withdrawing consent the teacher is on %s, want /account/blocked", p)
	}
	if got := teacher.text("#blocked strong"); got != kkMsg("control.reason.withdrawn") {
		t.Errorf("the blocked page says %q, want %q", got, kkMsg("control.reason.withdrawn"))
	}
	teacher.open("/materials/new")
	if p := teacher.path(); p != "/account/blocked" {
		t.Errorf("a blocked teacher opening the publish form is on %s, want /account/blocked", p)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM acceptances WHERE user_id = ? AND method = 'withdrawal'`, uid); n != 2 {
		t.Errorf("%d withdrawal rows, want one per document (2)", n)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM users WHERE id = ? AND blocked = 'withdrawn'`, uid); n != 1 {
		t.Error("the account is not blocked as withdrawn")
	}
}
