package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Issue 13 §4: after registering the teacher is signed in, unverified,
// with the banner; the "check your mail" page names the address and
// offers to send again; the publish page tells an unverified teacher why
// and offers the resend button; confirming in the same browser keeps
// them signed in and removes the banner.
func TestE2ERegisterSignsIn(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		for _, lang := range i18n.Langs {
			p := newPerson("signin")
			c := newClient(t, srv)
			c.Lang = string(lang)
			r := c.register(p)
			wantStatus(t, "register", r, http.StatusCreated)
			if !strings.Contains(r.Text(), p.Email) {
				t.Errorf("%s: the check-your-mail page does not show the address typed", lang)
			}
			if !strings.Contains(r.Body, `action="/account/verify/resend"`) {
				t.Errorf("%s: the check-your-mail page has no resend button", lang)
			}
			waitMailTo(t, srv, p.Email, 1)

			acc := c.get("/account")
			wantStatus(t, "account after register", acc, http.StatusOK)
			wantText(t, "account after register", acc, i18n.T(lang, "web.banner.unverified"))

			pub := c.get("/materials/new")
			wantStatus(t, "publish while unverified", pub, http.StatusForbidden)
			wantText(t, "publish while unverified", pub, i18n.T(lang, "details.unverified.why"))
			if !strings.Contains(pub.Text(), p.Email) || !strings.Contains(pub.Body, `action="/account/verify/resend"`) {
				t.Errorf("%s: the publish page does not name the address or offer to send again", lang)
			}
			rs := c.post("/account/verify/resend", url.Values{"next": {"/materials/new"}})
			if rs.Status != http.StatusSeeOther || rs.Location() != "/materials/new?done=verify-sent" {
				t.Fatalf("%s: resend: %d → %q, want 303 back to the publish page", lang, rs.Status, rs.Location())
			}
			wantText(t, "publish page after resend", c.get(rs.Location()), i18n.T(lang, "web.account.done.verify-sent"))
			m := waitMailTo(t, srv, p.Email, 2)

			v := c.verifyLink(m.Link)
			if v.Status != http.StatusSeeOther || v.Location() != "/account?done=verified" {
				t.Fatalf("%s: verify: %d → %q, want 303 to the account", lang, v.Status, v.Location())
			}
			acc = c.get(v.Location())
			wantStatus(t, "account after verify", acc, http.StatusOK)
			wantText(t, "account after verify", acc, i18n.T(lang, "web.account.done.verified"))
			if strings.Contains(acc.Text(), i18n.T(lang, "web.banner.unverified")) {
				t.Errorf("%s: the unverified banner is still shown after confirming", lang)
			}
			wantStatus(t, "publish after verify", c.get("/materials/new"), http.StatusOK)
		}
	})
}

// The resend button cannot flood an inbox: after a few presses the next
// ones are refused for a while and no message goes out.
func TestE2EVerifyResendThrottled(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		p := newPerson("resend")
		c := newClient(t, srv)
		wantStatus(t, "register", c.register(p), http.StatusCreated)
		waitMailTo(t, srv, p.Email, 1)
		refused := false
		for i := 0; i < 8 && !refused; i++ {
			r := c.post("/account/verify/resend", nil)
			refused = r.Status == http.StatusTooManyRequests
		}
		if !refused {
			t.Fatalf("eight presses of resend in a row were all accepted")
		}
		n := len(mailsTo(t, srv, p.Email))
		if r := c.post("/account/verify/resend", nil); r.Status != http.StatusTooManyRequests {
			t.Errorf("resend while blocked: status %d, want 429", r.Status)
		}
		if len(mailsTo(t, srv, p.Email)) != n {
			t.Errorf("a refused resend still sent a message")
		}
	})
}

// A publish form the server refuses keeps everything entered, the
// author's declaration included, except the files (issue 13 §4); the
// form carries the limits the browser checks before sending.
func TestE2EPublishRefusedKeepsFields(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		c := signup(t, srv, newPerson("keep"))
		f := materialForm("")
		r := c.postMultipart("/materials/new", f, upload{"сабақ.txt", []byte("Сабақ жоспары: құстар.")})
		wantStatus(t, "refused publish", r, http.StatusUnprocessableEntity)
		for _, k := range []string{"description", "tags"} {
			if !strings.Contains(r.Text(), f.Get(k)) {
				t.Errorf("the refused form lost the %s", k)
			}
		}
		if !strings.Contains(r.Body, `value="yes" checked`) {
			t.Errorf("the refused form lost the author's declaration")
		}
		if !strings.Contains(r.Body, `<option value="kazakh-literature" selected`) {
			t.Errorf("the refused form lost the subject")
		}
		form := c.get("/materials/new").Body
		if !strings.Contains(form, `data-max-bytes="52428800"`) || !strings.Contains(form, `/upload.js"`) {
			t.Errorf("the publish form does not carry the size limit for the browser or its script")
		}
	})
}

// Issue 13 §4: an administrator made from the command line, who never
// accepted anything, is asked to read and accept the documents, not told
// that a new version was published; a teacher asked to accept a new
// version sees the changes first and the full text behind a link.
func TestE2EConsentPage(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		p := newPerson("cli-admin")
		if _, err := srv.runCmd(t, p.Password+"\n", "admin", "create", "--email", p.Email, "--name", p.FullName); err != nil {
			t.Fatalf("admin create: %v", err)
		}
		admin := newClient(t, srv) // the account's language, Kazakh, is set at login
		admin.mustLogin(p.Email, p.Password)
		r := admin.get("/account/consent")
		wantStatus(t, "consent page of a new administrator", r, http.StatusOK)
		wantText(t, "consent page of a new administrator", r, i18n.T(i18n.KK, "details.consent.first.intro"))
		for _, k := range []string{"web.consent.title", "web.consent.intro", "web.consent.accept"} {
			if strings.Contains(r.Text(), i18n.T(i18n.KK, k)) {
				t.Errorf("a new administrator is told %q", k)
			}
		}
		acceptPending(t, admin)

		teacher := signup(t, srv, newPerson("consent"))
		teacher.Lang = "kk"
		added := "Жаңа тармақ: сайт деректерді бір жыл сақтайды"
		if r := publish(t, admin, "agreement", added); r.Status != http.StatusSeeOther && r.Status != http.StatusOK {
			t.Fatalf("publish a new version: status %d", r.Status)
		}
		r = teacher.get("/account/consent")
		wantStatus(t, "consent page after a new version", r, http.StatusOK)
		wantText(t, "consent page after a new version", r, i18n.T(i18n.KK, "details.consent.changes", 1, 2))
		if !strings.Contains(r.Body, `<ins class="d-add">`) || !strings.Contains(r.Text(), added) {
			t.Errorf("the consent page does not show the added paragraph as a change")
		}
		if !strings.Contains(r.Body, `href="/agreement/agreement/2"`) {
			t.Errorf("the consent page has no link to the full text")
		}
		seed, err := consent.SeedText(consent.KindAgreement, i18n.KK)
		if err != nil {
			t.Fatal(err)
		}
		var unchanged string
		for _, para := range strings.Split(seed, "\n\n") {
			if para = strings.TrimSpace(para); len([]rune(para)) > 80 && !strings.Contains(para, "<") {
				unchanged = para
				break
			}
		}
		if unchanged == "" {
			t.Fatal("no long paragraph in the agreement's text")
		}
		if strings.Contains(r.Text(), unchanged) {
			t.Errorf("the consent page shows the unchanged text, not only the changes")
		}
		if !strings.Contains(teacher.get("/agreement/agreement/2").Text(), unchanged) {
			t.Errorf("the full text behind the link does not hold the agreement")
		}
	})
}

// The editor's preview renders the description as the material page
// will: the accepted Markdown, nothing else (issue 13 §4).
func TestE2EDescriptionPreview(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		c := signup(t, srv, newPerson("preview"))
		r := c.post("/materials/preview", url.Values{"description": {"**Мақсаты**: ~~ескі~~ жаңа\n\n- бір\n- екі\n\n<script>alert(1)</script> [сілтеме](javascript:alert(1))"}})
		wantStatus(t, "preview", r, http.StatusOK)
		for _, want := range []string{"<strong>Мақсаты</strong>", "<del>ескі</del>", "<li>бір</li>"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the preview lacks %s", want)
			}
		}
		if strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "javascript:") {
			t.Errorf("the preview lets script through")
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("the preview may be cached")
		}
		if a := newClient(t, srv).post("/materials/preview", url.Values{"description": {"x"}}); a.Status != http.StatusSeeOther {
			t.Errorf("anonymous preview: status %d, want a redirect to sign in", a.Status)
		}
	})
}

// Issue 13 §5: counts take the plural form of the reader's language,
// dates are written in it and in Kazakhstan's time, and where the hour
// matters the zone is named.
func TestE2EDatesAndCounts(t *testing.T) {
	eachEngineWith(t, []string{"SMARTUSTAZ_PUBLISH_IMMEDIATELY=true"}, func(t *testing.T, srv *testServer) {
		teacher := signup(t, srv, newPerson("dates"))
		r := teacher.postMultipart("/materials/new", materialForm("Көктем: сабақ жоспары"), upload{"сабақ.txt", []byte("Көктем туралы сабақ.")})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		path := materialPathRe.FindString(r.Location())
		today := time.Now()
		for _, lang := range i18n.Langs {
			c := newClient(t, srv)
			c.Lang = string(lang)
			page := c.get(path)
			wantStatus(t, "material page", page, http.StatusOK)
			wantText(t, "material page", page, i18n.T(lang, "library.downloads", 0))
			wantText(t, "material page", page, i18n.Date(lang, today))
		}
		ru := newClient(t, srv)
		ru.Lang = "ru"
		wantText(t, "material page in Russian", ru.get(path), "0 скачиваний")
		s := teacher.get("/account/sessions")
		wantStatus(t, "sessions", s, http.StatusOK)
		wantText(t, "sessions", s, "(UTC+5)")
		if strings.Contains(s.Text(), " UTC<") || strings.Contains(s.Text(), today.UTC().Format("2006-01-02")) {
			t.Errorf("the sessions page still writes times as ISO dates in UTC")
		}
	})
}

// Issue 13 §5: what search engines and feed readers find — robots.txt
// naming the sitemap, /favicon.ico, a description, OpenGraph and hreflang
// alternates in every public page (each alternate served in its
// language), the print stylesheet, and Atom feeds of new materials,
// also per subject, kept by the page cache for anonymous readers.
func TestE2EPublicMeta(t *testing.T) {
	eachEngineWith(t, []string{"SMARTUSTAZ_PUBLISH_IMMEDIATELY=true"}, func(t *testing.T, srv *testServer) {
		teacher := signup(t, srv, newPerson("meta"))
		f := materialForm("Көктем мерекесі: ашық сабақ")
		f.Set("description", "Наурыз мерекесіне арналған **ашық сабақ** жоспары.")
		r := teacher.postMultipart("/materials/new", f, upload{"сабақ.txt", []byte("Наурыз туралы сабақ.")})
		path := materialPathRe.FindString(r.Location())
		if path == "" {
			t.Fatalf("publish: status %d", r.Status)
		}
		anon := newClient(t, srv)

		robots := anon.get("/robots.txt")
		wantStatus(t, "robots.txt", robots, http.StatusOK)
		for _, want := range []string{"User-agent: *", "Disallow: /account", "Disallow: /admin", "Sitemap: " + srv.URL + "/sitemap.xml"} {
			if !strings.Contains(robots.Body, want) {
				t.Errorf("robots.txt lacks %q", want)
			}
		}
		// The sign-in and registration pages may be found; their ?next=
		// variants may not.
		for _, line := range strings.Split(robots.Body, "\n") {
			if line == "Disallow: /login" || line == "Disallow: /register" {
				t.Errorf("robots.txt keeps search engines away from %s", strings.TrimPrefix(line, "Disallow: "))
			}
		}
		for _, want := range []string{"Disallow: /login?", "Disallow: /register?"} {
			if !strings.Contains(robots.Body, want) {
				t.Errorf("robots.txt lacks %q", want)
			}
		}
		ico := anon.get("/favicon.ico")
		if ico.Status != http.StatusOK || ico.Header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(ico.Body, "\x00\x00\x01\x00") {
			t.Errorf("/favicon.ico: status %d, type %q: not an icon", ico.Status, ico.Header.Get("Content-Type"))
		}

		for _, p := range []string{"/", "/materials", path, "/agreement", "/login"} {
			page := anon.get(p)
			wantStatus(t, p, page, http.StatusOK)
			for _, l := range []string{"kk", "ru", "en"} {
				if !strings.Contains(page.Body, `<link rel="alternate" hreflang="`+l+`" href="`+srv.URL) {
					t.Errorf("%s has no hreflang alternate for %s", p, l)
				}
			}
			for _, want := range []string{`hreflang="x-default"`, `<meta name="description" content="`, `<meta property="og:title"`,
				`<meta property="og:locale"`, `media="print"`, `type="application/atom+xml"`} {
				if !strings.Contains(page.Body, want) {
					t.Errorf("%s lacks %s", p, want)
				}
			}
		}
		page := anon.get(path)
		if !strings.Contains(page.Text(), `<meta name="description" content="Наурыз мерекесіне арналған ашық сабақ жоспары.">`) {
			t.Errorf("the material page's description is not its own summary")
		}
		if !strings.Contains(page.Body, `<meta property="og:type" content="article">`) {
			t.Errorf("the material page is not an OpenGraph article")
		}
		ru := anon.get(path + "?hl=ru")
		if !strings.Contains(ru.Body, `<html lang="ru">`) || !strings.Contains(ru.Text(), i18n.T(i18n.RU, "library.downloads", 0)) {
			t.Errorf("the ?hl=ru alternate is not in Russian")
		}

		feed := anon.get("/feed.atom")
		wantStatus(t, "feed", feed, http.StatusOK)
		if !strings.HasPrefix(feed.Header.Get("Content-Type"), "application/atom+xml") ||
			!strings.Contains(feed.Body, `<feed xmlns="http://www.w3.org/2005/Atom"`) ||
			!strings.Contains(feed.Body, "<title>Көктем мерекесі: ашық сабақ</title>") ||
			!strings.Contains(feed.Body, srv.URL+path) {
			t.Errorf("the feed does not carry the new material as an Atom entry")
		}
		if s := anon.get("/feed.atom?subject=kazakh-literature"); !strings.Contains(s.Body, srv.URL+path) {
			t.Errorf("the subject's feed lacks its material")
		}
		if s := anon.get("/feed.atom?subject=mathematics"); s.Status != http.StatusOK || strings.Contains(s.Body, srv.URL+path) {
			t.Errorf("another subject's feed: status %d, or it carries this material", s.Status)
		}
		// Kept by the page cache: an ETag, and 304 when the reader has it.
		etag := feed.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("the feed is not served from the page cache (no ETag)")
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/feed.atom", nil)
		req.Header.Set("If-None-Match", etag)
		if r := anon.do(req); r.Status != http.StatusNotModified {
			t.Errorf("the feed again with its ETag: status %d, want 304", r.Status)
		}
		sm := anon.get("/sitemap.xml")
		if sm.Header.Get("ETag") == "" || !strings.Contains(sm.Body, "<loc>"+srv.URL+path+"</loc>") {
			t.Errorf("the sitemap lacks the material or is not kept by the page cache")
		}
	})
}

// The upload script's request is told where the material's page is
// rather than redirected there (XMLHttpRequest would load the page, and
// count a view, before the script opens it); a plain form is redirected.
func TestE2EPublishByScriptNamesThePage(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		c := signup(t, srv, newPerson("xhr"))
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, vs := range materialForm("Скрипт арқылы жарияланған материал") {
			mw.WriteField(k, vs[0])
		}
		fw, _ := mw.CreateFormFile("files", "сабақ.txt")
		fw.Write([]byte("Сабақ жоспары."))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/materials/new", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
		r := c.do(req)
		if r.Status != http.StatusOK || !materialPathRe.MatchString(r.Header.Get("X-Redirect")) {
			t.Fatalf("publish by script: status %d, X-Redirect %q, want 200 naming the material's page", r.Status, r.Header.Get("X-Redirect"))
		}
		plain := c.postMultipart("/materials/new", materialForm("Қарапайым формамен жарияланған"), upload{"сабақ.txt", []byte("Сабақ.")})
		if plain.Status != http.StatusSeeOther {
			t.Errorf("a plain form: status %d, want 303", plain.Status)
		}
	})
}
