package main

import (
	"bytes"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/preview/previewtest"
)

var pageImgRe = regexp.MustCompile(`<img src="(/materials/\d+/files/\d+/pages/(\d+)\.(png|jpg))" width="(\d+)" height="(\d+)" loading="lazy" decoding="async" alt="([^"]*)">`)

// pageImage is one <img> of the material page's page images.
type pageImage struct {
	URL, N, Ext, Width, Height, Alt string
}

func pageImages(body string) []pageImage {
	var out []pageImage
	for _, m := range pageImgRe.FindAllStringSubmatch(body, -1) {
		out = append(out, pageImage{URL: m[1], N: m[2], Ext: m[3], Width: m[4], Height: m[5], Alt: m[6]})
	}
	return out
}

// waitPageImages polls the material page until it shows page images of
// n files (a deadline, no fixed sleep: conversions take seconds each on a
// busy machine).
func waitPageImages(t *testing.T, c *client, path string, files int) *response {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for {
		r := c.get(path)
		seen := map[string]bool{}
		for _, img := range pageImages(r.Body) {
			seen[strings.Split(img.URL, "/pages/")[0]] = true
		}
		if len(seen) >= files {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s shows page images of %d files after 4 minutes, want %d", path, len(seen), files)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func demoPDF(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "library", "demodata", "worksheet-kk.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A teacher publishes a docx and a pdf on a site that publishes at once
// → page images are made in the background → the material page shows
// them lazily above the text, sized, with alt text in the reader's
// language → the image route serves a real PNG with a long private cache
// and nosniff, and stops serving when the material is withdrawn → the
// status page shows the tools and the counts to staff and refuses others.
func TestE2EPreview(t *testing.T) {
	previewtest.NeedTools(t, "the page image test")
	// A page cache that keeps pages an hour: the visitor below first gets
	// the material page before its images exist, and sees them only
	// because drawing them makes the cache forget that page.
	eachEngineWith(t, []string{"SMARTUSTAZ_PUBLISH_IMMEDIATELY=true", "SMARTUSTAZ_PAGE_CACHE_TTL=1h"}, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		teacher := signup(t, srv, newPerson("pages"))
		r := teacher.postMultipart("/materials/new", materialForm("Момышұлы: беттері бар жоспар"),
			upload{"Момышұлы — жоспар.docx", sample(t, "sample.docx")}, upload{"Жұмыс парағы.pdf", demoPDF(t)})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		m := materialPathRe.FindStringSubmatch(r.Location())
		if m == nil {
			t.Fatalf("publish redirects to %q", r.Location())
		}
		path, id := m[0], m[1]

		visitor := newClient(t, srv)
		page := waitPageImages(t, visitor, path, 2)
		imgs := pageImages(page.Body)
		for _, img := range imgs {
			if img.Width != "800" || img.Height == "0" || img.Ext != "png" {
				t.Errorf("page image %+v: want 800 wide, a height, PNG", img)
			}
		}
		for _, want := range []string{
			i18n.T(i18n.KK, "preview.pages.alt", "Момышұлы — жоспар.docx", 1),
			i18n.T(i18n.KK, "preview.pages.alt", "Жұмыс парағы.pdf", 1),
		} {
			if !strings.Contains(page.Text(), want) {
				t.Errorf("the page has no image with the alt text %q", want)
			}
		}
		// Above the text of the first pages, which stays.
		pics, text := strings.Index(page.Body, `class="preview-pages"`), strings.Index(page.Body, `class="preview-text"`)
		if pics < 0 || text < 0 || pics > text {
			t.Errorf("page images (at %d) are not above the text preview (at %d)", pics, text)
		}
		wantText(t, "text preview", page, "Ұстаз шәкірттеріне")

		// The reader's language.
		ru := newClient(t, srv)
		ru.get("/lang/ru")
		wantText(t, "Russian alt text", ru.get(path), i18n.T(i18n.RU, "preview.pages.alt", "Жұмыс парағы.pdf", 1))

		// The image itself.
		img := visitor.get(imgs[0].URL)
		wantStatus(t, "page image", img, http.StatusOK)
		h := img.Header
		if h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Cache-Control"), "max-age=31536000") || !strings.Contains(h.Get("Cache-Control"), "private") {
			t.Errorf("page image headers: type %q, nosniff %q, cache %q", h.Get("Content-Type"), h.Get("X-Content-Type-Options"), h.Get("Cache-Control"))
		}
		cfg, err := png.DecodeConfig(bytes.NewReader([]byte(img.Body)))
		if err != nil || cfg.Width != 800 {
			t.Errorf("the page image is not an 800-pixel PNG: %v, %+v", err, cfg)
		}
		for _, bad := range []string{
			strings.Replace(imgs[0].URL, "/pages/1.png", "/pages/1.jpg", 1),
			strings.Replace(imgs[0].URL, "/pages/1.png", "/pages/9.png", 1),
			strings.Replace(imgs[0].URL, "/pages/1.png", "/pages/x.png", 1),
			strings.Replace(imgs[0].URL, "/materials/"+id+"/", "/materials/1"+id+"/", 1),
		} {
			wantStatus(t, bad, visitor.get(bad), http.StatusNotFound)
		}

		// The status page: tools with versions, the counts; staff only.
		st := admin.get("/admin/status")
		wantStatus(t, "status page", st, http.StatusOK)
		for _, want := range []string{
			i18n.T(i18n.KK, "preview.status.libreoffice"), i18n.T(i18n.KK, "preview.status.poppler"),
			i18n.T(i18n.KK, "preview.status.does.all"),
		} {
			wantText(t, "status page", st, want)
		}
		for _, tool := range []string{"soffice", "pdftoppm"} {
			if !regexp.MustCompile(`id="tool-` + tool + `">` + regexp.QuoteMeta(i18n.T(i18n.KK, "preview.status.tool.version", "")) + `\d+\.\d+`).MatchString(st.Text()) {
				t.Errorf("the status page does not show %s with its version", tool)
			}
		}
		if !strings.Contains(st.Body, `id="status-done">2<`) || !strings.Contains(st.Body, `id="status-failed">0<`) {
			t.Errorf("the status page does not count 2 files with images and none failed")
		}
		if !strings.Contains(st.Body, `id="status-db">`+string(srv.Engine)+`<`) || !strings.Contains(st.Text(), i18n.T(i18n.KK, "preview.status.storage.local")) {
			t.Errorf("the status page does not name the database engine and the storage")
		}
		if !strings.Contains(st.Body, `id="status-publish">`+i18n.T(i18n.KK, "preview.status.yes")+`<`) {
			t.Errorf("the status page does not say the site publishes immediately")
		}
		if !strings.Contains(admin.get("/admin").Body, `href="/admin/status"`) {
			t.Errorf("/admin does not link the status page")
		}
		wantStatus(t, "a teacher opens the status page", teacher.get("/admin/status"), http.StatusForbidden)
		if r := visitor.get("/admin/status"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
			t.Errorf("a visitor opens the status page: status %d to %q, want 303 to /login", r.Status, r.Location())
		}

		// Withdrawn: the images go with the material.
		wantStatus(t, "withdraw", teacher.post("/materials/"+id+"/withdraw", nil), http.StatusSeeOther)
		wantStatus(t, "page image of a withdrawn material", visitor.get(imgs[0].URL), http.StatusNotFound)
		wantStatus(t, "the author still sees it", teacher.get(imgs[0].URL), http.StatusOK)
		// Looking at page images is not downloading (clause 1.2 (c)): no
		// event about the viewer, no counter.
		d := openDB(t, srv)
		if n := count(t, d, `SELECT COUNT(*) FROM file_events WHERE action = 'download'`); n != 0 {
			t.Errorf("viewing page images recorded %d downloads", n)
		}
		if n := count(t, d, `SELECT downloads FROM materials WHERE id = ?`, id); n != 0 {
			t.Errorf("viewing page images counted %d downloads", n)
		}
	})
}

// Without LibreOffice and poppler (a PATH without them) the site works:
// nothing is converted, a picture is still shown as its own page, the
// material page shows the text preview and tells staff why there are no
// page images, and the status page says what is missing.
func TestE2EPreviewWithoutTools(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	eachEngineWith(t, []string{"SMARTUSTAZ_PUBLISH_IMMEDIATELY=true"}, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		teacher := signup(t, srv, newPerson("nopages"))
		r := teacher.postMultipart("/materials/new", materialForm("Момышұлы: мәтіні ғана"),
			upload{"жоспар.docx", sample(t, "sample.docx")}, upload{"парақ.pdf", demoPDF(t)},
			upload{"сурет.png", sample(t, "sample.png")}, upload{"фото.jpg", sample(t, "sample.jpg")})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		path := materialPathRe.FindString(r.Location())
		visitor := newClient(t, srv)
		// The worker takes a material's files in order: once the pictures
		// (the last) are shown, the docx and the pdf have been passed over.
		page := waitPageImages(t, visitor, path, 2)
		imgs := pageImages(page.Body)
		if len(imgs) != 2 || !strings.Contains(imgs[0].Alt, "сурет.png") || !strings.Contains(imgs[1].Alt, "фото.jpg") {
			t.Fatalf("page images without tools: %+v, want the two pictures only", imgs)
		}
		for i, want := range []string{"image/png", "image/jpeg"} {
			img := visitor.get(imgs[i].URL)
			if img.Status != http.StatusOK || img.Header.Get("Content-Type") != want || len(img.Body) != len(sample(t, []string{"sample.png", "sample.jpg"}[i])) {
				t.Errorf("picture %s: status %d, type %q, %d bytes; want the file itself as %s", imgs[i].URL, img.Status, img.Header.Get("Content-Type"), len(img.Body), want)
			}
		}
		d := openDB(t, srv)
		if n := count(t, d, `SELECT COUNT(*) FROM material_previews p JOIN material_files f ON f.id = p.file_id WHERE f.kind NOT IN ('png', 'jpg')`); n != 0 {
			t.Errorf("%d preview rows for the docx and the pdf without tools", n)
		}
		wantText(t, "text preview", page, "Ұстаз шәкірттеріне")
		missing := i18n.T(i18n.KK, "preview.pages.missing")
		if strings.Contains(page.Text(), missing) {
			t.Errorf("a visitor is told about the server's tools")
		}
		wantText(t, "staff are told why there are no page images", admin.get(path), missing)

		st := admin.get("/admin/status")
		wantStatus(t, "status page", st, http.StatusOK)
		for _, tool := range []string{"soffice", "pdftoppm"} {
			if !strings.Contains(st.Body, `id="tool-`+tool+`"><span class="tag warn">`+i18n.T(i18n.KK, "preview.status.tool.missing")+`<`) {
				t.Errorf("the status page does not say %s is not installed", tool)
			}
		}
		wantText(t, "what the site does without them", st, i18n.T(i18n.KK, "preview.status.does.none"))
	})
}

// --page-images=false on a server that has the tools: serve says so, no
// worker runs (nothing is drawn, not even pictures as their own page),
// the material page shows the text preview, and the status page says
// what the site does without images.
func TestE2EPreviewTurnedOff(t *testing.T) {
	previewtest.NeedTools(t, "the page image test")
	eachEngineWith(t, []string{"SMARTUSTAZ_PUBLISH_IMMEDIATELY=true", "SMARTUSTAZ_PAGE_IMAGES=false"}, func(t *testing.T, srv *testServer) {
		if !strings.Contains(srv.Output(), "page images turned off") {
			t.Errorf("serve does not say page images are off:\n%s", srv.Output())
		}
		admin, _ := setupAdmin(t, srv)
		teacher := signup(t, srv, newPerson("offpages"))
		r := teacher.postMultipart("/materials/new", materialForm("Момышұлы: суретсіз"),
			upload{"жоспар.docx", sample(t, "sample.docx")}, upload{"сурет.png", sample(t, "sample.png")})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		path := materialPathRe.FindString(r.Location())
		page := newClient(t, srv).get(path)
		wantStatus(t, "material page", page, http.StatusOK)
		wantText(t, "text preview", page, "Ұстаз шәкірттеріне")
		if imgs := pageImages(page.Body); len(imgs) != 0 {
			t.Errorf("page images with page images off: %+v", imgs)
		}
		if n := count(t, openDB(t, srv), `SELECT COUNT(*) FROM material_previews`); n != 0 {
			t.Errorf("%d preview rows with page images off", n)
		}
		// The status page says the operator turned them off, not that
		// the tools are missing (they are installed: needPreviewTools).
		status := admin.get("/admin/status")
		wantText(t, "what the site does with them off", status, i18n.T(i18n.KK, "preview.status.does.off"))
		wantText(t, "the tools turned off", status, i18n.T(i18n.KK, "preview.status.tool.off"))
		if strings.Contains(status.Body, i18n.T(i18n.KK, "preview.status.tool.missing")) {
			t.Errorf("the status page says the tools are missing, though they are installed and turned off")
		}
	})
}

// eachEngineWith is eachEngine with settings for the server.
func eachEngineWith(t *testing.T, env []string, fn func(t *testing.T, srv *testServer)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			fn(t, startServer(t, e, env...))
		})
	}
}
