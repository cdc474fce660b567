package main

import (
	"encoding/json"
	"net/mail"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// kkMsg is the Kazakh text of a message: what a Kazakh browser shows.
func kkMsg(key string, args ...any) string { return i18n.T(i18n.KK, key, args...) }

// TestBrowser walks the site in a real headless Chromium on each engine:
// registration with its agreement acceptance (preamble P.3, clause 3.1),
// email confirmation, the account page, a profile change kept in the
// history (clauses 2.2, 2.3), a new agreement version published by an
// administrator and accepted by the teacher before going on (clause 3.4,
// preamble P.4), the audit log of that publication (clause 1.3), and the
// export of everything held about the teacher (law L10).
func TestBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { browserWalk(t, chrome, e) })
	}
}

func browserWalk(t *testing.T, chrome string, e db.Engine) {
	// A teacher and an administrator, as they type themselves in. Fixtures,
	// not real people; still never printed (test output carries no personal
	// values).
	const (
		teacherEmail    = "asel.teacher@example.kz"
		teacherPassword = "Жазғы-мектеп-2025!"
		teacherName     = "Әсел Құрманғазықызы"
		teacherOrg      = "№12 мектеп-гимназия"
		teacherOrgNew   = "Абай атындағы №45 лицей"
		teacherPosition = "Қазақ тілі мен әдебиеті пәнінің мұғалімі"
		teacherRegion   = "Алматы облысы"
		teacherPhone    = "+7 701 234 56 78"

		adminEmail    = "admin@example.kz"
		adminPassword = "Әкімші-құпиясөзі-77"
		adminName     = "Мектеп Әкімшісі"

		// amendment is the sentence the administrator adds to a paragraph of
		// the Kazakh agreement; the teacher must see it before accepting.
		amendment = "Бұл сөйлемді әкімші жаңа нұсқаға қосты."
	)

	srv := startServer(t, e)
	browser := startBrowser(t, chrome)
	teacher := newTab(t, browser, srv.URL, "teacher", phoneView)
	admin := newTab(t, browser, srv.URL, "admin", desktopView)
	shot := func(b *tab, name string) { b.screenshot(string(e) + "-" + name) }
	glance := func(b *tab, name string) { b.glance(string(e) + "-" + name) }

	// An empty registration form: every required field says what is
	// wrong, in Kazakh, and nothing is created.
	teacher.open("/register")
	shot(teacher, "register-390")
	teacher.submit(`form[action="/register"] button[type=submit]`)
	if got, want := teacher.text("main .alert"), kkMsg("web.form.fix"); got != want {
		t.Errorf("empty registration: the form's message is not the Kazakh %q", want)
	}
	errs := tabEval[map[string]string](teacher, `Object.fromEntries([...document.querySelectorAll('main p.err')].map(p => [p.id.replace(/^e-/, ''), p.textContent.trim()]))`)
	allErrs := ""
	for _, f := range []string{"email", "password", "full_name", "accept"} {
		msg := errs[f]
		switch {
		case msg == "":
			t.Errorf("empty registration: no error is shown under %s", f)
		case !cyrillicOnly(msg):
			t.Errorf("empty registration: the error under %s is not in Kazakh: %q", f, msg)
		}
		allErrs += msg
	}
	if !strings.ContainsAny(allErrs, kazakhLetters) {
		t.Errorf("empty registration: the errors have no Kazakh letter (%s), so they are not Kazakh: %q", kazakhLetters, allErrs)
	}
	glance(teacher, "register-errors-390")
	if n := len(srv.outbox(t)); n != 0 {
		t.Errorf("empty registration sent %d emails", n)
	}

	// Registration, filled in as a person would.
	teacher.open("/register")
	teacher.fill([][2]string{
		{"f-email", teacherEmail}, {"f-password", teacherPassword}, {"f-full_name", teacherName},
		{"f-organization", teacherOrg}, {"f-position", teacherPosition}, {"f-region", teacherRegion},
		{"f-phone", teacherPhone},
	})
	teacher.do(chromedp.Click(chromedp.ID("f-accept")))
	teacher.submit(`form[action="/register"] button[type=submit]`)
	if got, want := teacher.text("main .lead"), kkMsg("web.register.done"); got != want {
		t.Fatalf("after registering the teacher does not see %q (page %s)", want, teacher.path())
	}
	glance(teacher, "registered-390")

	// The confirmation link from the email, then its button.
	raw := srv.waitMail(t, 0)
	if m, err := mail.ReadMessage(strings.NewReader(raw)); err != nil {
		t.Fatal(err)
	} else if to, err := mail.ParseAddress(m.Header.Get("To")); err != nil || to.Address != teacherEmail {
		t.Fatalf("the confirmation email is not addressed to the address registered (err %v)", err)
	}
	teacher.open(mailLink(t, raw, srv.URL+"/verify?token="))
	teacher.submit(`form[action="/verify"] button[type=submit]`)
	if got, want := teacher.text("main .notice"), kkMsg("web.account.done.verified"); got != want {
		t.Fatalf("after confirming, the teacher does not see %q (page %s)", want, teacher.path())
	}

	// Log in: the account page greets the teacher by the exact name typed.
	teacher.login(teacherEmail, teacherPassword)
	if p := teacher.path(); p != "/account" {
		t.Fatalf("after login the teacher is at %s, want /account", p)
	}
	if teacher.text("main h1") != kkMsg("web.account.hello")+", "+teacherName {
		t.Errorf("/account does not greet the teacher by the full name exactly as registered")
	}
	profile := teacher.accountProfile()
	if profile[kkMsg("web.field.organization")] != teacherOrg || profile[kkMsg("web.field.position")] != teacherPosition ||
		profile[kkMsg("web.field.region")] != teacherRegion || profile[kkMsg("web.field.phone")] != teacherPhone {
		t.Errorf("/account does not show the organisation, position, region and phone as registered")
	}
	if !strings.Contains(profile[kkMsg("web.field.email")], kkMsg("web.account.verified")) {
		t.Errorf("/account does not show the address as confirmed (%q)", kkMsg("web.account.verified"))
	}

	// Edit the profile: a new school.
	teacher.submit(`main a[href="/account/profile"]`)
	if v := tabGet(teacher, chromedp.Value(chromedp.ID("f-organization"))); v != teacherOrg {
		t.Errorf("the profile form does not start from the current organisation")
	}
	teacher.fill([][2]string{{"f-organization", teacherOrgNew}})
	glance(teacher, "profile-390")
	teacher.submit(`form[action="/account/profile"] button[type=submit]`)
	if got, want := teacher.text("main .notice"), kkMsg("web.account.done.profile"); got != want {
		t.Errorf("after saving the profile the teacher does not see %q", want)
	}
	if teacher.accountProfile()[kkMsg("web.field.organization")] != teacherOrgNew {
		t.Errorf("/account does not show the new organisation")
	}

	// The first administrator, through the one-time link, in a browser of
	// their own; before anything else they too accept the documents.
	admin.open(srv.SetupURL)
	admin.fill([][2]string{{"f-email", adminEmail}, {"f-full_name", adminName},
		{"f-password", adminPassword}, {"f-password_repeat", adminPassword}})
	admin.submit(`form[action="/setup"] button[type=submit]`)
	if got, want := admin.text("main .notice"), kkMsg("web.setup.done"); got != want {
		t.Fatalf("after setup the administrator does not see %q (page %s)", want, admin.path())
	}
	admin.login(adminEmail, adminPassword)
	if p := admin.path(); !strings.HasPrefix(p, "/account/consent") {
		t.Fatalf("a new administrator is at %s, not asked to accept the documents first", p)
	}
	admin.acceptConsent()

	// A new version of the agreement: one Kazakh paragraph changes.
	admin.open("/admin/agreement")
	body := tabGet(admin, chromedp.Value(chromedp.ID("f-body-kk")))
	paras := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n")
	if len(paras) < 2 {
		t.Fatalf("the Kazakh agreement shown to the administrator has %d paragraphs", len(paras))
	}
	paras[1] += " " + amendment
	admin.do(chromedp.SetValue(chromedp.ID("f-body-kk"), strings.Join(paras, "\n\n")))
	admin.submit(`form[action="/admin/agreement"] button[type=submit]`)
	if got, want := admin.text("main .notice"), kkMsg("web.admin.agreement.done", 2); got != want {
		t.Fatalf("after publishing the administrator does not see %q (page %s, alert %q)", want, admin.path(), admin.alertText())
	}
	glance(admin, "admin-agreement-1280")

	// The teacher, still signed in, is stopped at the new version.
	teacher.open("/account")
	if p := teacher.path(); p != "/account/consent?next=/account" && p != "/account/consent?next=%2Faccount" {
		t.Fatalf("after a new version /account leads to %s, not to the acceptance page", p)
	}
	docs := tabEval[[]string](teacher, `[...document.querySelectorAll('main section.doc')].map(s => s.innerText)`)
	if len(docs) != 1 {
		t.Fatalf("the acceptance page shows %d documents, want the one agreement that changed", len(docs))
	}
	if !strings.Contains(docs[0], kkMsg("web.agreement.version", 2)) || !strings.Contains(docs[0], amendment) {
		t.Errorf("the acceptance page does not show version 2 with the changed paragraph")
	}
	glance(teacher, "consent-390")
	// Pressing on without the tick only explains.
	teacher.submit(`form[action="/account/consent"] button[type=submit]`)
	if msg := teacher.text("main #e-accept"); msg != kkMsg("web.consent.tick") {
		t.Errorf("accepting without the tick does not say %q", kkMsg("web.consent.tick"))
	}
	teacher.acceptConsent()
	if p := teacher.path(); p != "/account?done=consent" {
		t.Fatalf("after accepting, the teacher is at %s, not back at /account", p)
	}
	if got := teacher.text("main .notice"); got != kkMsg("web.account.done.consent") {
		t.Errorf("after accepting, the page does not thank the teacher (%q)", got)
	}
	if teacher.text("main h1") != kkMsg("web.account.hello")+", "+teacherName {
		t.Errorf("after accepting, /account does not greet the teacher by name")
	}
	teacher.open("/account")
	if p := teacher.path(); p != "/account" {
		t.Errorf("after accepting, the teacher is asked again (at %s)", p)
	}
	shot(teacher, "account-390")

	// The export holds both acceptances and the change of school.
	var export struct {
		Consents []struct {
			Document string `json:"document"`
			Version  int    `json:"version"`
			Method   string `json:"method"`
		} `json:"consents"`
		Changes []struct {
			Field string `json:"field"`
			Old   string `json:"old"`
			New   string `json:"new"`
		} `json:"changes"`
	}
	raw = tabEval[string](teacher, `fetch('/account/export.json', {credentials: 'same-origin'}).then(r => r.ok ? r.text() : 'HTTP ' + r.status)`)
	if err := json.Unmarshal([]byte(raw), &export); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	var versions []int
	for _, c := range export.Consents {
		if c.Document == "agreement" {
			versions = append(versions, c.Version)
			if c.Version == 1 && c.Method != "registration" {
				t.Errorf("the export says version 1 was accepted by %q, not at registration", c.Method)
			}
		}
	}
	slices.Sort(versions)
	if !slices.Equal(versions, []int{1, 2}) {
		t.Errorf("the export has agreement acceptances of versions %v, want 1 (registration) and 2 (the new version)", versions)
	}
	orgChanged := false
	for _, c := range export.Changes {
		if c.Field == "organization" && c.Old == teacherOrg && c.New == teacherOrgNew {
			orgChanged = true
		}
	}
	if !orgChanged {
		t.Errorf("the export has no change of organisation from the old school to the new one (%d changes)", len(export.Changes))
	}

	// The audit log lists the publication; the administrator, too, must
	// accept the new version before seeing it.
	admin.open("/admin/audit")
	if strings.HasPrefix(admin.path(), "/account/consent") {
		admin.acceptConsent()
	}
	if p := admin.path(); p != "/admin/audit" {
		t.Fatalf("the administrator is at %s, not at /admin/audit", p)
	}
	rows := tabEval[[][]string](admin, `[...document.querySelectorAll('main tbody tr')].map(tr => [...tr.cells].map(td => td.textContent.trim()))`)
	published := false
	for _, r := range rows {
		if len(r) >= 6 && r[3] == kkMsg("audit.action.publish_document") && strings.Contains(r[5], "agreement v2") {
			published = true
		}
	}
	if !published {
		t.Errorf("the audit log (%d rows) has no %q of agreement v2", len(rows), kkMsg("audit.action.publish_document"))
	}
	glance(admin, "admin-audit-1280")

	// Exactly two accounts exist: the empty form created none.
	admin.open("/admin/users")
	if n := tabEval[int](admin, `document.querySelectorAll('main tbody tr').length`); n != 2 {
		t.Errorf("the administrator sees %d accounts, want 2 (the administrator and the teacher)", n)
	}
}

// login signs in through the form and waits for the page it leads to.
func (b *tab) login(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.fill([][2]string{{"f-email", email}, {"f-password", password}})
	b.submit(`form[action="/login"] button[type=submit]`)
}

// acceptConsent ticks the box on the acceptance page and submits it.
func (b *tab) acceptConsent() {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID("f-accept")))
	b.submit(`form[action="/account/consent"] button[type=submit]`)
}

// accountProfile reads the profile card of /account as label → value.
func (b *tab) accountProfile() map[string]string {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS("main dl.kv")))
	return tabEval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('main dl.kv dt')].map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))`)
}

// alertText is the form's general error, if any, for failure messages.
func (b *tab) alertText() string {
	return tabEval[string](b, `(document.querySelector('main .alert') || {}).textContent || ''`)
}
