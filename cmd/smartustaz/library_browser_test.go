package main

import (
	"archive/zip"
	"bytes"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
)

// TestLibraryBrowser walks the materials library (issue 3) in a real
// headless Chromium on each engine, each person in a browser context of
// their own: a verified teacher publishes a Word document and a PDF at
// /materials/new (clause 1.4: the author's own declaration) → a moderator,
// made one by the administrator, approves it at /admin/moderation → a
// visitor who is not signed in finds it by another form of a word that is
// only inside the Word document, opens it and downloads the document as
// an attachment (clause 1.2 (c)) → the author gets the certificate of
// publication as a PDF → the page its verify link (the QR code's address)
// opens says the certificate is valid and its signature checks.
func TestLibraryBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { libraryWalk(t, chrome, e) })
	}
}

// docxOf builds a minimal real Word document with one paragraph per
// argument.
func docxOf(t *testing.T, paragraphs ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(p) + `</w:t></w:r></w:p>`)
	}
	parts := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// registerVerified registers a person through the form, ticks the
// agreement, follows the confirmation email and signs in; seen is the
// number of emails sent before.
func (b *tab) registerVerified(srv *testServer, seen int, email, password, name string) {
	b.t.Helper()
	b.open("/register")
	b.fill([][2]string{{"f-email", email}, {"f-password", password}, {"f-full_name", name}})
	b.do(chromedp.Click(chromedp.ID("f-accept")))
	b.submit(`form[action="/register"] button[type=submit]`)
	if got, want := b.text("main .notice"), kkMsg("web.register.done"); got != want {
		b.t.Fatalf("%s: after registering the page does not say %q (page %s, alert %q)", b.who, want, b.path(), b.alertText())
	}
	b.open(mailLink(b.t, srv.waitMail(b.t, seen), srv.URL+"/verify?token="))
	b.submit(`form[action="/verify"] button[type=submit]`)
	if got, want := b.text("main .notice"), kkMsg("web.verify.done"); got != want {
		b.t.Fatalf("%s: after confirming the page does not say %q", b.who, want)
	}
	b.login(email, password)
	if p := b.path(); p != "/account" {
		b.t.Fatalf("%s: after login at %s, want /account", b.who, p)
	}
}

// fetchResult is what a fetch() inside the page saw.
type fetchResult struct {
	Status      int    `json:"status"`
	Disposition string `json:"disposition"`
	Type        string `json:"type"`
	Size        int    `json:"size"`
	Head        string `json:"head"`
}

// fetchFile downloads a same-site address inside the page, with the
// page's cookies, as a click on a download link would.
func (b *tab) fetchFile(href string) fetchResult {
	b.t.Helper()
	return tabEval[fetchResult](b, `fetch(`+jsString(href)+`, {credentials: 'same-origin'}).then(async r => {
		const buf = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, disposition: r.headers.get('Content-Disposition') || '', type: r.headers.get('Content-Type') || '',
			size: buf.length, head: String.fromCharCode(...buf.slice(0, 5))};
	})`)
}

func jsString(s string) string {
	return `'` + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + `'`
}

func libraryWalk(t *testing.T, chrome string, e db.Engine) {
	// Fixtures, not real people; never printed.
	const (
		teacherEmail    = "gulnar.library@example.kz"
		teacherPassword = "Көктемгі-сабақ-2026!"
		teacherName     = "Гүлнар Сәрсенбайқызы"
		moderatorEmail  = "moderator.library@example.kz"
		moderatorPass   = "Модератор-құпиясы-42"
		moderatorName   = "Ерлан Модератор"
		adminEmail      = "admin.library@example.kz"
		adminPassword   = "Әкімші-кітапхана-77"
		adminName       = "Кітапхана Әкімшісі"

		title = "Балқаш көлінің құстары: 3-сыныпқа арналған сабақ жоспары"
		// The Word document's text has шағалалардың (of the gulls); the
		// visitor searches шағалаға (to the gull), a form that is neither
		// in the document nor in the title, description or tags.
		docText = "Балалар Балқаш көлінің жағасында шағалалардың ұяларын санады."
		query   = "шағалаға"
	)
	srv := startServer(t, e)
	browser := startBrowser(t, chrome)
	teacher := newTab(t, browser, srv.URL, "teacher", desktopView)
	admin := newTab(t, browser, srv.URL, "admin", desktopView)
	moderator := newTab(t, browser, srv.URL, "moderator", desktopView)
	visitor := newTab(t, browser, srv.URL, "visitor", phoneView)
	glance := func(b *tab, name string) { b.glance(string(e) + "-library-" + name) }

	// The first administrator, through the one-time link.
	admin.open(srv.SetupURL)
	admin.fill([][2]string{{"f-email", adminEmail}, {"f-full_name", adminName},
		{"f-password", adminPassword}, {"f-password_repeat", adminPassword}})
	admin.submit(`form[action="/setup"] button[type=submit]`)
	admin.login(adminEmail, adminPassword)
	if strings.HasPrefix(admin.path(), "/account/consent") {
		admin.acceptConsent()
	}

	// A teacher and a future moderator register and confirm their addresses.
	teacher.registerVerified(srv, len(srv.outbox(t)), teacherEmail, teacherPassword, teacherName)
	moderator.registerVerified(srv, len(srv.outbox(t)), moderatorEmail, moderatorPass, moderatorName)

	// The teacher publishes a Word document and a PDF.
	dir := t.TempDir()
	docxPath := filepath.Join(dir, "Балқаш құстары — жоспар.docx")
	pdfPath := filepath.Join(dir, "Жұмыс парағы.pdf")
	docx := docxOf(t, "Сабақтың тақырыбы: Балқаш көлінің құстары.", docText)
	if err := os.WriteFile(docxPath, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdfPath, sample(t, "sample.pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	teacher.open("/materials/new")
	teacher.fill([][2]string{{"f-title", title},
		{"f-description", "Оқушылар көл жағасындағы құстарды бақылайды.\n\n**Мақсаты**: табиғатты аялау."},
		{"f-tags", "табиғат, 3-сынып"}})
	teacher.do(
		chromedp.SetValue(chromedp.ID("f-subject"), "natural-science"),
		chromedp.SetValue(chromedp.ID("f-grade"), "3"),
		chromedp.SetValue(chromedp.ID("f-type"), "short-term-plan"),
		chromedp.SetValue(chromedp.ID("f-language"), "kk"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="files"]`), []string{docxPath, pdfPath}),
		chromedp.Click(chromedp.ID("f-author_declaration")),
	)
	if n := tabEval[int](teacher, `document.querySelector('input[name="files"]').files.length`); n != 2 {
		t.Fatalf("the file input holds %d files, want 2", n)
	}
	glance(teacher, "new-1280")
	teacher.submit(`form[action="/materials/new"] button[type=submit]`)
	m := regexp.MustCompile(`^/materials/(\d+)-[a-z0-9-]+`).FindStringSubmatch(teacher.path())
	if m == nil {
		t.Fatalf("after publishing the teacher is at %s (alert %q)", teacher.path(), teacher.alertText())
	}
	id, materialPath := m[1], m[0]
	if got := teacher.text("main .notice"); got != kkMsg("library.page.submitted") {
		t.Errorf("after publishing the page says %q, not that the material waits for moderation", got)
	}

	// A visitor does not find it before moderation.
	visitor.open("/materials?q=" + query)
	if n := tabEval[int](visitor, `document.querySelectorAll('main .mat-card').length`); n != 0 {
		t.Errorf("before moderation the search lists %d materials", n)
	}

	// The administrator finds the second person by address and makes them
	// a moderator.
	admin.open("/admin/users")
	admin.fill([][2]string{{"f-email", moderatorEmail}})
	admin.submit(`form.search button[type=submit]`)
	userPage := admin.path()
	if !regexp.MustCompile(`^/admin/users/\d+$`).MatchString(userPage) {
		t.Fatalf("searching the moderator's address leads to %s, not to the account", userPage)
	}
	admin.do(chromedp.SetValue(chromedp.ID("f-role"), "moderator"))
	admin.submit(`form[action$="/role"] button[type=submit]`)
	admin.open(userPage)
	if got := tabEval[string](admin, `document.querySelector('#f-role').value`); got != "moderator" {
		t.Fatalf("the role is %q after saving moderator", got)
	}

	// The moderator approves it in the queue. Roles are read afresh on
	// each request, so the moderator's open session sees the queue.
	moderator.open("/admin/moderation")
	if p := moderator.path(); p != "/admin/moderation" {
		t.Fatalf("the moderator is sent to %s", p)
	}
	if !strings.Contains(moderator.text("main #m-"+id+" h3"), title) {
		t.Fatalf("the queue does not show the material")
	}
	glance(moderator, "queue-1280")
	moderator.submit(`form[action="/admin/moderation/` + id + `/approve"] button[type=submit]`)
	if n := tabEval[int](moderator, `document.querySelectorAll('main #m-`+id+`').length`); n != 0 {
		t.Errorf("after approval the material is still in the queue")
	}

	// The visitor finds it by a form of a word inside the Word document.
	visitor.open("/materials")
	visitor.fill([][2]string{{"f-q", query}})
	visitor.submit(`form.filters button[type=submit]`)
	cards := tabEval[[]string](visitor, `[...document.querySelectorAll('main .mat-card .mat-title')].map(a => a.textContent.trim())`)
	if len(cards) != 1 || cards[0] != title {
		t.Fatalf("searching %q lists %q, want the one material", query, cards)
	}
	glance(visitor, "search-390")
	visitor.submit(`main .mat-card a.mat-title`)
	if p := visitor.path(); p != materialPath {
		t.Fatalf("the search result leads to %s, want %s", p, materialPath)
	}
	if got := visitor.text("main h1"); got != title {
		t.Errorf("the material page's heading is %q", got)
	}
	if !strings.Contains(tabEval[string](visitor, `document.querySelector('main').innerText`), "шағалалардың") {
		t.Errorf("the material page's preview does not show the Word document's text")
	}
	links := tabEval[[][2]string](visitor, `[...document.querySelectorAll('main .files a[href*="/files/"]')].map(a => [a.getAttribute('href'), a.textContent.trim()])`)
	if len(links) != 2 {
		t.Fatalf("the material page links %d files, want 2", len(links))
	}
	var docxHref string
	for _, l := range links {
		if strings.HasSuffix(l[1], ".docx") {
			docxHref = l[0]
		}
	}
	if docxHref == "" {
		t.Fatalf("no Word document among the files %q", links)
	}
	got := visitor.fetchFile(docxHref)
	if got.Status != 200 || !strings.HasPrefix(got.Disposition, "attachment;") || !strings.Contains(got.Disposition, "filename*=UTF-8''") ||
		got.Type != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" || got.Size != len(docx) {
		t.Errorf("the Word document downloads as status %d, %q, %q, %d bytes (uploaded %d)", got.Status, got.Disposition, got.Type, got.Size, len(docx))
	}
	glance(visitor, "material-390")

	// The author gets the certificate of publication.
	teacher.open(materialPath)
	teacher.submit(`main a[href="/materials/` + id + `/certificate"]`)
	if v := tabGet(teacher, chromedp.Value(chromedp.ID("f-name"))); v != teacherName {
		t.Errorf("the certificate form does not start from the author's name")
	}
	teacher.submit(`form[action="/materials/` + id + `/certificate"] button[type=submit]`)
	if got := teacher.text("main .notice"); got != kkMsg("certificate.web.done.issued") {
		t.Fatalf("after asking for the certificate the page says %q (alert %q)", got, teacher.alertText())
	}
	verifyHref := tabEval[string](teacher, `document.querySelector('main a.cert-number').getAttribute('href')`)
	number := teacher.text("main a.cert-number")
	if verifyHref != "/verify/"+number {
		t.Errorf("the certificate number links to %q, want /verify/%s", verifyHref, number)
	}
	glance(teacher, "certificate-1280")
	pdfHref := tabEval[string](teacher, `document.querySelector('main a[href$="certificate.pdf?lang=kk"]').getAttribute('href')`)
	cert := teacher.fetchFile(pdfHref)
	if cert.Status != 200 || cert.Type != "application/pdf" || cert.Head != "%PDF-" || !strings.HasPrefix(cert.Disposition, "attachment;") ||
		!strings.Contains(cert.Disposition, number) {
		t.Errorf("the certificate downloads as status %d, %q, starting %q, %q", cert.Status, cert.Type, cert.Head, cert.Disposition)
	}

	// Anyone opening the verify address (the QR code's) sees it valid.
	visitor.open(verifyHref)
	if got := visitor.text("main .cert-state"); got != kkMsg("certificate.web.state.valid") {
		t.Errorf("the verify page says %q, want %q", got, kkMsg("certificate.web.state.valid"))
	}
	if got := visitor.text("main .cert-signature"); got != kkMsg("certificate.web.signature.ok") {
		t.Errorf("the verify page says the signature is %q", got)
	}
	if href := tabEval[string](visitor, `(document.querySelector('main .card a[href^="/materials/"]') || {getAttribute: () => ''}).getAttribute('href')`); href != materialPath {
		t.Errorf("the verify page links to %q, not to the material", href)
	}
	glance(visitor, "verify-390")
}
