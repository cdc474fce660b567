package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// sessionItem is one entry of /account/sessions.
type sessionItem struct {
	ID      int64
	Current bool
}

var (
	sessionLiRe  = regexp.MustCompile(`(?s)<li class="card">(.*?)</li>`)
	sessionEndRe = regexp.MustCompile(`action="/account/sessions/(\d+)/end"`)
)

func sessionList(t *testing.T, c *client) []sessionItem {
	t.Helper()
	r := c.get("/account/sessions")
	if r.Status != http.StatusOK {
		t.Fatalf("/account/sessions: status %d", r.Status)
	}
	var out []sessionItem
	for _, li := range sessionLiRe.FindAllStringSubmatch(r.Body, -1) {
		m := sessionEndRe.FindStringSubmatch(li[1])
		if m == nil {
			continue
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, sessionItem{ID: id, Current: strings.Contains(li[1], `class="tag ok"`)})
	}
	return out
}

// signedIn reports whether c's session still opens /account.
func signedIn(t *testing.T, c *client) bool {
	t.Helper()
	r := c.get("/account")
	switch {
	case r.Status == http.StatusOK:
		return true
	case r.Status == http.StatusSeeOther && strings.HasPrefix(r.Location(), "/login"):
		return false
	}
	t.Fatalf("/account: unexpected status %d to %q", r.Status, r.Location())
	return false
}

// TestE2EAccount walks a teacher's own account pages end to end
// (clauses 2.2 and 2.3): links that work once, sign-in that reveals
// nothing, throttling, sessions, password and address changes, the data
// export and deletion.
func TestE2EAccount(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		t.Run("verify link works once", func(t *testing.T) {
			p := newPerson("verify")
			c := newClient(t, srv)
			if r := c.register(p); r.Status != http.StatusCreated {
				t.Fatalf("register: status %d", r.Status)
			}
			c.mustLogin(p.Email, p.Password)
			if r := c.get("/account"); !strings.Contains(r.Text(), i18n.T(i18n.KK, "web.banner.unverified")) {
				t.Errorf("an unverified user is not told to confirm the address")
			}
			link := waitMailTo(t, srv, p.Email, 1).Link
			// Opened on another device (a phone's mail app): the page
			// says it is done; TestE2ERegisterSignsIn covers the same browser.
			r := newClient(t, srv).verifyLink(link)
			wantStatus(t, "first use", r, http.StatusOK)
			wantText(t, "first use", r, i18n.T(i18n.KK, "web.verify.done"))
			r = c.post("/verify", url.Values{"token": {tokenOf(t, link)}})
			wantStatus(t, "second use", r, http.StatusGone)
			wantText(t, "second use", r, i18n.T(i18n.KK, "account.token.invalid"))
			if r := c.get("/account"); strings.Contains(r.Text(), i18n.T(i18n.KK, "web.banner.unverified")) {
				t.Errorf("the address still shows as unverified after confirming")
			}
			r = c.post("/verify", url.Values{"token": {"not-a-token"}})
			wantStatus(t, "made-up token", r, http.StatusGone)
		})

		t.Run("wrong password and unknown address look the same", func(t *testing.T) {
			p := newPerson("same")
			c := signup(t, srv, p)
			other := newClient(t, srv)
			other.Lang = "ru"
			unknown := newPerson("nobody").Email
			wrong := other.login(p.Email, "Мүлде-басқа-құпиясөз")
			nobody := other.login(unknown, "Мүлде-басқа-құпиясөз")
			wantStatus(t, "wrong password", wrong, http.StatusUnauthorized)
			wantStatus(t, "unknown address", nobody, http.StatusUnauthorized)
			if got, want := pageError(wrong), i18n.T(i18n.RU, "account.login.failed"); got != want {
				t.Errorf("wrong password: page says %q, want %q", got, want)
			}
			// The pages differ only in the address typed, which is shown again.
			a := strings.ReplaceAll(wrong.Body, p.Email, "ADDRESS")
			b := strings.ReplaceAll(nobody.Body, unknown, "ADDRESS")
			if a != b {
				t.Errorf("the pages for a wrong password and an unknown address differ")
			}
			if wrong.Header.Get("Set-Cookie") != "" || nobody.Header.Get("Set-Cookie") != "" {
				t.Errorf("a failed login set a cookie")
			}
			_ = c
		})

		t.Run("login throttling", func(t *testing.T) {
			p := newPerson("throttle")
			signup(t, srv, p)
			q := newPerson("throttle-other")
			signup(t, srv, q)
			c := newClient(t, srv)
			got429 := false
			for i := 0; i < 12 && !got429; i++ {
				r := c.login(p.Email, "Қате-құпиясөз-"+strconv.Itoa(i))
				switch r.Status {
				case http.StatusUnauthorized:
				case http.StatusTooManyRequests:
					got429 = true
					if i < 5 {
						t.Errorf("blocked after only %d failures", i)
					}
					wantText(t, "throttled", r, i18n.T(i18n.KK, "account.throttled"))
					if r.Header.Get("Retry-After") == "" {
						t.Errorf("429 without Retry-After")
					}
				default:
					t.Fatalf("failed login #%d: status %d", i+1, r.Status)
				}
			}
			if !got429 {
				t.Fatalf("no 429 after 12 wrong passwords")
			}
			// While blocked (2 s at least: the checks below hash nothing and
			// take milliseconds), even the right password is refused, from
			// this address (IP counter) and from another one (account counter).
			wantStatus(t, "right password, same address", c.login(p.Email, p.Password), http.StatusTooManyRequests)
			wantStatus(t, "right password, other address", newClient(t, srv).login(p.Email, p.Password), http.StatusTooManyRequests)
			wantStatus(t, "another account, same address", c.login(q.Email, q.Password), http.StatusTooManyRequests)
		})

		t.Run("session cookie", func(t *testing.T) {
			p := newPerson("cookie")
			c := signup(t, srv, p)
			var tokens []string
			for i := 0; i < 2; i++ {
				r := c.login(p.Email, p.Password)
				wantStatus(t, "login", r, http.StatusSeeOther)
				var sid *http.Cookie
				for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
					if ck.Name == "sid" {
						sid = ck
					}
				}
				if sid == nil {
					t.Fatalf("login set no sid cookie")
				}
				if !sid.HttpOnly || sid.SameSite != http.SameSiteLaxMode || sid.Secure || sid.Path != "/" {
					t.Errorf("sid cookie: HttpOnly=%v SameSite=%v Secure=%v Path=%q; want HttpOnly, Lax, not Secure on http, /",
						sid.HttpOnly, sid.SameSite, sid.Secure, sid.Path)
				}
				if len(sid.Value) < 40 {
					t.Errorf("session token is only %d characters", len(sid.Value))
				}
				tokens = append(tokens, sid.Value)
			}
			if tokens[0] == tokens[1] {
				t.Fatalf("the session token did not change at the second login")
			}
			// Logging in again ended the session opened before it.
			old := newClient(t, srv)
			old.setCookie("sid", tokens[0])
			if signedIn(t, old) {
				t.Errorf("the session from before the second login still works")
			}
			if !signedIn(t, c) {
				t.Errorf("the new session does not work")
			}
			if n := len(sessionList(t, c)); n != 1 {
				t.Errorf("%d open sessions after logging in three times from one browser, want 1", n)
			}
			// Logging out ends the session on the server, not only the cookie.
			cur := c.cookie("sid").Value
			wantStatus(t, "logout", c.post("/logout", nil), http.StatusSeeOther)
			replay := newClient(t, srv)
			replay.setCookie("sid", cur)
			if signedIn(t, replay) {
				t.Errorf("a logged-out session token still works")
			}
		})

		t.Run("sessions list and ending one", func(t *testing.T) {
			p := newPerson("sessions")
			a := signup(t, srv, p)
			b := newClient(t, srv)
			b.UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
			b.mustLogin(p.Email, p.Password)
			list := sessionList(t, a)
			if len(list) != 2 {
				t.Fatalf("%d sessions listed, want 2", len(list))
			}
			var other int64
			currents := 0
			for _, s := range list {
				if s.Current {
					currents++
				} else {
					other = s.ID
				}
			}
			if currents != 1 || other == 0 {
				t.Fatalf("want exactly one session marked current, got %d", currents)
			}
			if page := a.get("/account/sessions").Text(); !strings.Contains(page, b.IP) || !strings.Contains(page, a.IP) {
				t.Errorf("the sessions page does not show each session's address")
			}
			wantStatus(t, "end the other session", a.post("/account/sessions/"+strconv.FormatInt(other, 10)+"/end", nil), http.StatusSeeOther)
			if signedIn(t, b) {
				t.Errorf("the ended session still works")
			}
			if !signedIn(t, a) {
				t.Errorf("ending another session logged this one out")
			}
			if n := len(sessionList(t, a)); n != 1 {
				t.Errorf("%d sessions listed after ending one, want 1", n)
			}
			// Someone else's session id cannot be ended.
			q := newPerson("sessions-other")
			c := signup(t, srv, q)
			mine := sessionList(t, a)[0].ID
			r := c.post("/account/sessions/"+strconv.FormatInt(mine, 10)+"/end", nil)
			if r.Status < 400 {
				t.Errorf("ending another user's session: status %d", r.Status)
			}
			if !signedIn(t, a) {
				t.Errorf("another user ended this user's session")
			}
		})

		t.Run("password change ends other sessions", func(t *testing.T) {
			p := newPerson("pwchange")
			a := signup(t, srv, p)
			b := newClient(t, srv)
			b.mustLogin(p.Email, p.Password)
			mails := len(mailsTo(t, srv, p.Email))
			r := a.post("/account/password", url.Values{"old_password": {"Қате-ескі-құпиясөз"}, "password": {"Жаңа-құпиясөз-2024"}})
			wantStatus(t, "wrong current password", r, http.StatusUnprocessableEntity)
			if got, want := fieldErrors(r)["old_password"], i18n.T(i18n.KK, "account.password.wrong"); got != want {
				t.Errorf("error next to the current password = %q, want %q", got, want)
			}
			newPw := "Жаңа-құпиясөз-2024"
			r = a.post("/account/password", url.Values{"old_password": {p.Password}, "password": {newPw}})
			wantStatus(t, "change password", r, http.StatusSeeOther)
			if r.Location() != "/account?done=password" {
				t.Errorf("redirect to %q", r.Location())
			}
			if !signedIn(t, a) {
				t.Errorf("the session that changed the password was ended")
			}
			if signedIn(t, b) {
				t.Errorf("another session survived the password change")
			}
			wantStatus(t, "old password", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
			wantStatus(t, "new password", newClient(t, srv).login(p.Email, newPw), http.StatusSeeOther)
			m := waitMailTo(t, srv, p.Email, mails+1)
			if m.Subject != i18n.T(i18n.KK, "mail.password_changed.subject") {
				t.Errorf("no password-changed notice mailed (subject %q)", m.Subject)
			}
		})

		t.Run("password reset by emailed link, once", func(t *testing.T) {
			p := newPerson("reset")
			b := signup(t, srv, p)
			c := newClient(t, srv)
			c.Lang = "en"
			mails := len(mailsTo(t, srv, p.Email))
			known := c.post("/reset", url.Values{"email": {strings.ToUpper(p.Email)}})
			unknown := c.post("/reset", url.Values{"email": {newPerson("nobody").Email}})
			wantStatus(t, "reset request", known, http.StatusOK)
			wantText(t, "reset request", known, i18n.T(i18n.EN, "web.reset.sent"))
			if known.Status != unknown.Status || known.Text() != unknown.Text() {
				t.Errorf("the reset form answers differently for an unknown address")
			}
			m := waitMailTo(t, srv, p.Email, mails+1)
			if m.Subject != i18n.T(i18n.KK, "mail.reset.subject") {
				t.Errorf("reset mail subject %q is not the Kazakh reset subject (the account's language)", m.Subject)
			}
			tok := tokenOf(t, m.Link)
			wantStatus(t, "open reset link", c.get("/reset/confirm?token="+url.QueryEscape(tok)), http.StatusOK)
			r := c.post("/reset/confirm", url.Values{"token": {tok}, "password": {"short"}})
			wantStatus(t, "too short", r, http.StatusUnprocessableEntity)
			newPw := "Қалпына-келтірілген-1"
			r = c.post("/reset/confirm", url.Values{"token": {tok}, "password": {newPw}})
			wantStatus(t, "reset", r, http.StatusOK)
			wantText(t, "reset", r, i18n.T(i18n.EN, "web.reset.done"))
			r = c.post("/reset/confirm", url.Values{"token": {tok}, "password": {"Тағы-бір-құпиясөз-2"}})
			wantStatus(t, "second use", r, http.StatusGone)
			wantText(t, "second use", r, i18n.T(i18n.EN, "account.token.invalid"))
			if signedIn(t, b) {
				t.Errorf("a session survived the password reset")
			}
			wantStatus(t, "old password", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
			wantStatus(t, "new password", newClient(t, srv).login(p.Email, newPw), http.StatusSeeOther)
		})

		t.Run("email change", func(t *testing.T) {
			p := newPerson("emailchange")
			a := signup(t, srv, p)
			newAddr := newPerson("emailchange-new").Email
			r := a.post("/account/email", url.Values{"email": {newAddr}, "password": {"Қате-құпиясөз-99"}})
			wantStatus(t, "wrong password", r, http.StatusUnprocessableEntity)
			r = a.post("/account/email", url.Values{"email": {newAddr}, "password": {p.Password}})
			wantStatus(t, "request change", r, http.StatusOK)
			wantText(t, "request change", r, i18n.T(i18n.KK, "web.email.sent"))
			m := waitMailTo(t, srv, newAddr, 1)
			if m.Subject != i18n.T(i18n.KK, "mail.email_change.subject") {
				t.Errorf("new address got subject %q", m.Subject)
			}
			// Nothing changes before the new address confirms.
			wantStatus(t, "new address before confirming", newClient(t, srv).login(newAddr, p.Password), http.StatusUnauthorized)
			tok := tokenOf(t, m.Link)
			// The link is opened where the new mailbox is read (a phone),
			// not signed in: the old address must still be told, and
			// nobody else.
			phone := newClient(t, srv)
			wantStatus(t, "open confirm link", phone.get("/account/email/confirm?token="+url.QueryEscape(tok)), http.StatusOK)
			r = phone.post("/account/email/confirm", url.Values{"token": {tok}})
			wantStatus(t, "confirm", r, http.StatusOK)
			wantText(t, "confirm", r, i18n.T(i18n.KK, "web.email.done"))
			wantStatus(t, "confirm again", a.post("/account/email/confirm", url.Values{"token": {tok}}), http.StatusGone)
			old := mailsTo(t, srv, p.Email)
			if last := old[len(old)-1]; last.Subject != i18n.T(i18n.KK, "mail.email_changed.subject") {
				t.Errorf("the old address was not told of the change (last subject %q)", last.Subject)
			}
			wantStatus(t, "login with new address", newClient(t, srv).login(newAddr, p.Password), http.StatusSeeOther)
			wantStatus(t, "login with old address", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
			if x := a.export(); x.Profile.Email != newAddr {
				t.Errorf("export shows another address than the confirmed one")
			}
		})

		t.Run("export has the owner's real data", func(t *testing.T) {
			p := newPerson("export")
			c := signup(t, srv, p)
			c.UA = "ExportBrowser/2.0"
			newOrg := "Жаңа мектеп №12"
			r := c.post("/account/profile", url.Values{"full_name": {p.FullName}, "organization": {newOrg},
				"position": {p.Position}, "region": {p.Region}, "phone": {p.Phone}})
			wantStatus(t, "profile save", r, http.StatusSeeOther)
			x := c.export()
			pr := x.Profile
			if pr.Email != p.Email || pr.FullName != p.FullName || pr.Organization != newOrg ||
				pr.Position != p.Position || pr.Region != p.Region || pr.Phone != p.Phone {
				t.Errorf("export profile differs from what the user entered")
			}
			if !pr.EmailVerified || pr.Role != "user" {
				t.Errorf("export: verified=%v role=%q", pr.EmailVerified, pr.Role)
			}
			kinds := map[string]int{}
			for _, a := range x.Consents {
				kinds[a.Document] = a.Version
				if a.Method != "registration" || a.IP != c.IP || a.UserAgent != "smartustaz-e2e/1.0" {
					t.Errorf("acceptance of %s: method %q, address/browser not the registering client's", a.Document, a.Method)
				}
			}
			if kinds["agreement"] != 1 || kinds["privacy"] != 1 {
				t.Errorf("export consents = %v, want agreement v1 and privacy v1", kinds)
			}
			if len(x.Sessions) != 1 || x.Sessions[0].IP != c.IP || x.Sessions[0].UserAgent != "smartustaz-e2e/1.0" {
				t.Errorf("export sessions: %d, or address/browser not the client's", len(x.Sessions))
			}
			found := false
			for _, ch := range x.Changes {
				if ch.Field == "organization" && ch.Old == p.Organization && ch.New == newOrg {
					found = true
				}
			}
			if !found {
				t.Errorf("export changes lack the organization change with its old and new values")
			}
		})

		t.Run("a forged X-Forwarded-For is not taken as the address", func(t *testing.T) {
			// The server trusts no proxy by default: a client cannot pick
			// the address its session, throttling and audit record.
			p := newPerson("xff")
			c := signup(t, srv, p)
			other := newClient(t, srv)
			r := other.post("/login", url.Values{"email": {p.Email}, "password": {p.Password}}, "X-Forwarded-For", "203.0.113.9")
			wantStatus(t, "login with X-Forwarded-For", r, http.StatusSeeOther)
			ips := map[string]bool{}
			for _, s := range c.export().Sessions {
				ips[s.IP] = true
			}
			if ips["203.0.113.9"] || !ips[other.IP] || !ips[c.IP] {
				t.Errorf("session addresses %v, want the two clients' real addresses only", ips)
			}
		})

		t.Run("deletion", func(t *testing.T) {
			p := newPerson("delete")
			c := signup(t, srv, p)
			id := c.export().Profile.ID
			d := openDB(t, srv)
			if n := count(t, d, "SELECT COUNT(*) FROM user_keys WHERE user_id = ?", id); n != 1 {
				t.Fatalf("user_keys rows before deletion: %d", n)
			}
			r := c.post("/account/delete", url.Values{})
			wantStatus(t, "no password", r, http.StatusUnprocessableEntity)
			r = c.post("/account/delete", url.Values{"password": {"Қате-құпиясөз-77"}})
			wantStatus(t, "wrong password", r, http.StatusUnprocessableEntity)
			if got, want := fieldErrors(r)["password"], i18n.T(i18n.KK, "account.password.wrong"); got != want {
				t.Errorf("error next to password = %q, want %q", got, want)
			}
			if !signedIn(t, c) {
				t.Fatalf("a refused deletion logged the user out")
			}
			r = c.post("/account/delete", url.Values{"password": {p.Password}})
			wantStatus(t, "delete", r, http.StatusOK)
			wantText(t, "delete", r, i18n.T(i18n.KK, "web.delete.done"))
			if signedIn(t, c) {
				t.Errorf("still signed in after deleting the account")
			}
			wantStatus(t, "login after deletion", newClient(t, srv).login(p.Email, p.Password), http.StatusUnauthorized)
			if n := count(t, d, "SELECT COUNT(*) FROM user_keys WHERE user_id = ?", id); n != 0 {
				t.Errorf("the deleted user's data key row is still there")
			}
			if n := count(t, d, "SELECT COUNT(*) FROM users WHERE id = ? AND status = 'deleted' AND email_enc IS NULL AND full_name_enc IS NULL", id); n != 1 {
				t.Errorf("the user row is not marked deleted with its sealed fields emptied")
			}
			// The address is free again.
			if r := newClient(t, srv).register(p); r.Status != http.StatusCreated {
				t.Errorf("registering the deleted address again: status %d", r.Status)
			}
		})
	})
}
