package main

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// requestIDRe matches what differs between any two answers of the site.
var requestIDRe = regexp.MustCompile(`[0-9a-f]{16}`)

// The registration form does not tell who is registered (account
// enumeration): an address that already has an account, in any letter
// case, gets the very answer a new address gets ("check your mail"),
// and its owner is emailed a notice in their own language — someone
// tried to register with your address; sign in or reset your password —
// with no verification link. No second account is made and the owner's
// password is unchanged.
func TestE2ERegisterExistingAddress(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		d := openDB(t, srv)
		owner := newPerson("owner")
		oc := newClient(t, srv)
		oc.Lang = "ru"
		if r := oc.register(owner); r.Status != http.StatusCreated {
			t.Fatalf("register the owner: status %d", r.Status)
		}
		waitMailTo(t, srv, owner.Email, 1)
		users := count(t, d, "SELECT COUNT(*) FROM users")
		var probePassword string

		for _, lang := range i18n.Langs {
			fresh, probe := newPerson("fresh"), newPerson("probe")
			probe.Email, probePassword = strings.ToUpper(owner.Email), probe.Password
			a, b := newClient(t, srv), newClient(t, srv)
			a.Lang, b.Lang = string(lang), string(lang)
			ra, rb := a.register(fresh), b.register(probe)
			if ra.Status != http.StatusCreated || rb.Status != ra.Status {
				t.Errorf("%s: new address %d, registered address %d: want 201 for both", lang, ra.Status, rb.Status)
			}
			wantText(t, "registered address", rb, i18n.T(lang, "web.register.done"))
			// The page names the address typed (issue 13 §4), so each
			// page's own address is set aside before comparing.
			bodyA := strings.ReplaceAll(requestIDRe.ReplaceAllString(ra.Body, ""), fresh.Email, "ADDRESS")
			bodyB := strings.ReplaceAll(requestIDRe.ReplaceAllString(rb.Body, ""), probe.Email, "ADDRESS")
			if bodyA != bodyB {
				t.Errorf("%s: the page for a registered address differs from the page for a new one", lang)
			}
			if !strings.Contains(bodyB, "ADDRESS") {
				t.Errorf("%s: the page does not show the address typed", lang)
			}
			for _, h := range []string{"Location", "Content-Type"} {
				if ra.Header.Get(h) != rb.Header.Get(h) {
					t.Errorf("%s: header %s differs", lang, h)
				}
			}
			// A new account is signed in at once; the answer for a
			// registered address carries a cookie of the same name,
			// attributes and length (a token that opens nothing).
			if ca, cb := cookieShape(ra.Header.Values("Set-Cookie")), cookieShape(rb.Header.Values("Set-Cookie")); ca != cb || ca == "" {
				t.Errorf("%s: Set-Cookie differs in shape: %q vs %q", lang, ca, cb)
			}
		}

		// Three new accounts, none for the probes.
		if n := count(t, d, "SELECT COUNT(*) FROM users"); n != users+len(i18n.Langs) {
			t.Errorf("users: %d, want %d (no second account for a registered address)", n, users+len(i18n.Langs))
		}
		ms := mailsTo(t, srv, owner.Email)
		if len(ms) != 1+len(i18n.Langs) {
			t.Fatalf("the owner got %d messages, want the verification and %d notices", len(ms), len(i18n.Langs))
		}
		for _, m := range ms[1:] {
			if m.Subject != i18n.T(i18n.RU, "mail.register_attempt.subject") || m.Lang != "ru" {
				t.Errorf("notice: subject %q in %q, want the Russian notice (the owner's language)", m.Subject, m.Lang)
			}
			if !strings.Contains(m.Text, i18n.T(i18n.RU, "mail.register_attempt.body")) {
				t.Errorf("the notice does not say what happened")
			}
			if m.Link != srv.URL+"/reset" || strings.Contains(m.Text, "token=") {
				t.Errorf("the notice's link is %q, want the password reset page and no token", m.Link)
			}
		}
		// The owner still signs in with their own password; the probe's does not work.
		newClient(t, srv).mustLogin(owner.Email, owner.Password)
		if r := newClient(t, srv).login(owner.Email, probePassword); r.Status == http.StatusSeeOther {
			t.Errorf("another password signs in to the owner's account")
		}
	})
}

// cookieShape is a response's Set-Cookie headers with each value
// replaced by its length and Expires dropped (the seconds may differ).
func cookieShape(hs []string) string {
	var out []string
	for _, h := range hs {
		var parts []string
		for i, p := range strings.Split(h, ";") {
			p = strings.TrimSpace(p)
			if i == 0 {
				if name, v, ok := strings.Cut(p, "="); ok {
					p = name + "=" + strconv.Itoa(len(v))
				}
			}
			if strings.HasPrefix(strings.ToLower(p), "expires=") {
				continue
			}
			parts = append(parts, p)
		}
		out = append(out, strings.Join(parts, "; "))
	}
	return strings.Join(out, " | ")
}
