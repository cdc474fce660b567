package main

import (
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
)

// TestBrowserConsentReceipt: in a real Chromium, a visitor pastes a
// teacher's consent receipt into /consent/verify, sees it is genuine and
// what it says; a changed one is refused with the Kazakh sentence next to
// the field, which is marked invalid for screen readers (issue 12 §5).
func TestBrowserConsentReceipt(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			srv := startServer(t, e)
			uc := signup(t, srv, newPerson("browser-receipt"))
			link := receiptLinkRe.FindStringSubmatch(uc.get("/account/consent/receipts").Body)
			if link == nil {
				t.Fatal("no receipt listed")
			}
			jws := strings.TrimSpace(uc.get(link[1]).Body)

			browser := startBrowser(t, chrome)
			visitor := newTab(t, browser, srv.URL, "visitor", phoneView)
			visitor.open("/contacts")
			if got := visitor.text("main h1"); got != kkMsg("privacy.contacts.title") {
				t.Errorf("contacts page title %q", got)
			}
			visitor.open("/consent/verify")
			if n := tabEval[int](visitor, `document.querySelectorAll('label[for=f-receipt], label[for=f-file]').length`); n != 2 {
				t.Errorf("%d labelled fields on the verify form, want 2", n)
			}
			visitor.fill([][2]string{{"f-receipt", jws}})
			visitor.submit(`form.receipt-verify button[type=submit]`)
			if got := visitor.text("main .notice"); got != kkMsg("privacy.verify.ok") {
				t.Errorf("genuine receipt: notice %q", got)
			}
			if got := visitor.text("#receipt-h"); got != kkMsg("privacy.verify.says") {
				t.Errorf("the receipt's content is not shown")
			}
			visitor.glance(string(e) + "-receipt-ok")

			parts := strings.Split(jws, ".")
			tampered := parts[0] + "." + parts[1][:len(parts[1])-2] + "AA." + parts[2]
			visitor.fill([][2]string{{"f-receipt", tampered}})
			visitor.submit(`form.receipt-verify button[type=submit]`)
			if got := visitor.text("#e-receipt"); got != kkMsg("privacy.verify.tampered") && got != kkMsg("privacy.verify.malformed") {
				t.Errorf("tampered receipt: the field says %q", got)
			}
			if inv := tabEval[string](visitor, `document.getElementById('f-receipt').getAttribute('aria-invalid')`); inv != "true" {
				t.Errorf("the refused field is not marked aria-invalid")
			}
			if n := tabEval[int](visitor, `document.querySelectorAll('.receipt-ok').length`); n != 0 {
				t.Errorf("a tampered receipt's content is shown as genuine")
			}
			visitor.glance(string(e) + "-receipt-tampered")
		})
	}
}
