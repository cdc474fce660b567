package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	nettextproto "net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// upload is one file of a multipart form.
type upload struct {
	name string
	body []byte
}

// postMultipart submits a multipart/form-data form as a browser does:
// text fields first, then the files under "files". A raw file name is
// written as given, so a path-like name reaches the server unchanged.
func (c *client) postMultipart(path string, fields url.Values, files ...upload) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := nettextproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="%s"`, strings.ReplaceAll(f.name, `"`, `\"`)))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.body)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "internal", "extract", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// materialForm is a complete, valid publishing form.
func materialForm(title string) url.Values {
	return url.Values{
		"title": {title}, "description": {"**Мақсаты**: Момышұлы туралы әңгіме.\n\n<script>alert(1)</script>"},
		"subject": {"kazakh-literature"}, "grade": {"5"}, "type": {"short-term-plan"}, "language": {"kk"},
		"tags": {"батыр, 5-сынып"}, "author_declaration": {"yes"},
	}
}

var materialPathRe = regexp.MustCompile(`^/materials/(\d+)-([a-z0-9-]+)`)

// countFiles counts the files in the server's local storage.
func countFiles(t *testing.T, srv *testServer) int {
	t.Helper()
	n := 0
	filepath.WalkDir(filepath.Join(srv.DataDir, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// A teacher publishes a docx and a pdf → refused inputs are explained in
// the teacher's language and leave nothing behind → a moderator approves
// → a visitor finds it in the catalog, opens it, downloads a file with
// its Kazakh name intact, reports it → the register shows the deadline →
// the teacher's export lists the uploads (clause 1.2 (c)).
func TestE2ELibrary(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("lib")
		teacher := signup(t, srv, p)
		docx, pdf := sample(t, "sample.docx"), sample(t, "sample.pdf")
		d := openDB(t, srv)

		r := teacher.get("/materials/new")
		wantStatus(t, "GET /materials/new", r, http.StatusOK)
		for _, field := range []string{`name="title"`, `name="description"`, `name="subject"`, `name="grade"`, `name="type"`, `name="language"`, `name="tags"`, `name="files"`, `name="author_declaration"`} {
			if !strings.Contains(r.Body, field) {
				t.Errorf("the form lacks %s", field)
			}
		}
		if regexp.MustCompile(`name="author_declaration"[^>]*checked`).MatchString(r.Body) {
			t.Errorf("the authorship declaration is pre-ticked")
		}

		// Refusals, in Russian, write nothing.
		teacher.Lang = "ru"
		teacher.get("/lang/ru")
		before := countFiles(t, srv)
		refusals := []struct {
			name   string
			form   url.Values
			files  []upload
			field  string
			key    string
			keyArg []any
		}{
			{"program", materialForm("Жоспар"), []upload{{"plan.docx", append([]byte("MZ\x90\x00"), make([]byte, 2048)...)}}, "files", "library.files.type", []any{"plan.docx"}},
			{"path-like name", materialForm("Жоспар"), []upload{{"../../etc/plan.pdf", pdf}}, "files", "library.files.name", []any{200}},
			{"no declaration", func() url.Values { f := materialForm("Жоспар"); f.Del("author_declaration"); return f }(), []upload{{"plan.pdf", pdf}}, "author_declaration", "library.declaration.required", nil},
			{"bad grade", func() url.Values { f := materialForm("Жоспар"); f.Set("grade", "13"); return f }(), []upload{{"plan.pdf", pdf}}, "grade", "library.grade.invalid", nil},
			{"no file", materialForm("Жоспар"), nil, "files", "library.files.required", nil},
		}
		for _, c := range refusals {
			r := teacher.postMultipart("/materials/new", c.form, c.files...)
			wantStatus(t, c.name, r, http.StatusUnprocessableEntity)
			if got, want := fieldErrors(r)[c.field], i18n.T(i18n.RU, c.key, c.keyArg...); got != want {
				t.Errorf("%s: field %s says %q, want %q", c.name, c.field, got, want)
			}
			if !strings.Contains(r.Body, `value="Жоспар"`) {
				t.Errorf("%s: the title typed is not shown again", c.name)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM materials`); n != 0 {
			t.Errorf("refused uploads left %d materials", n)
		}
		if n := countFiles(t, srv); n != before {
			t.Errorf("refused uploads left %d files in storage", n-before)
		}

		// A good upload: a Word document and a PDF.
		r = teacher.postMultipart("/materials/new", materialForm("Бауыржан Момышұлы: сабақ жоспары"),
			upload{"Момышұлы — жоспар.docx", docx}, upload{"Қосымша.pdf", pdf})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
		}
		m := materialPathRe.FindStringSubmatch(r.Location())
		if m == nil {
			t.Fatalf("publish redirects to %q", r.Location())
		}
		id, slug := m[1], m[2]
		if slug != "bauyrzhan-momyshuly-sabaq-zhospary" && !strings.Contains(slug, "momysh") {
			t.Errorf("slug %q does not transliterate the title", slug)
		}
		page := teacher.get(r.Location())
		wantStatus(t, "author sees the pending material", page, http.StatusOK)
		wantText(t, "submitted notice", page, i18n.T(i18n.RU, "library.page.submitted"))

		visitor := newClient(t, srv)
		wantStatus(t, "visitor opens a pending material", visitor.get("/materials/"+id+"-"+slug), http.StatusNotFound)
		if strings.Contains(visitor.get("/materials").Body, "Момышұлы: сабақ") {
			t.Errorf("a pending material is in the catalog")
		}

		q := admin.get("/admin/moderation")
		wantStatus(t, "moderation queue", q, http.StatusOK)
		if !strings.Contains(q.Text(), "Бауыржан Момышұлы: сабақ жоспары") || !strings.Contains(q.Body, `action="/admin/moderation/`+id+`/approve"`) || !strings.Contains(q.Body, `action="/admin/moderation/`+id+`/reject"`) {
			t.Fatalf("the queue does not offer the material with approve and reject forms")
		}
		wantStatus(t, "approve", admin.post("/admin/moderation/"+id+"/approve", nil), http.StatusSeeOther)
		mail := waitMailTo(t, srv, p.Email, 2)
		if mail.Subject != i18n.T(i18n.RU, "library.mail.approved.subject") || !strings.Contains(mail.Text, "/materials/"+id+"-"+slug) {
			t.Errorf("approval email: subject %q, link missing=%v", mail.Subject, !strings.Contains(mail.Text, "/materials/"+id))
		}

		// The visitor finds it by filters and opens it by an old slug.
		for _, u := range []string{"/materials", "/materials?subject=kazakh-literature&grade=5", "/materials?type=short-term-plan&language=kk&sort=downloads", "/materials?q=" + url.QueryEscape("Момышұлы"), "/materials?q=" + url.QueryEscape("шәкірттер") /* a word form inside the docx */} {
			if !strings.Contains(visitor.get(u).Text(), "Бауыржан Момышұлы: сабақ жоспары") {
				t.Errorf("%s does not list the material", u)
			}
		}
		if strings.Contains(visitor.get("/materials?grade=6").Text(), "Бауыржан Момышұлы: сабақ жоспары") {
			t.Errorf("grade 6 lists a grade 5 material")
		}
		old := visitor.get("/materials/" + id + "-old-title")
		wantStatus(t, "old slug", old, http.StatusMovedPermanently)
		if old.Location() != "/materials/"+id+"-"+slug {
			t.Errorf("old slug redirects to %q", old.Location())
		}
		page = visitor.get("/materials/" + id + "-" + slug)
		wantStatus(t, "material page", page, http.StatusOK)
		if !strings.Contains(page.Body, "<strong>Мақсаты</strong>") || strings.Contains(page.Body, "<script>alert") {
			t.Errorf("description not rendered as sanitised Markdown")
		}
		wantText(t, "preview", page, "Ұстаз шәкірттеріне")
		// The Download button under the title links the first file too.
		var links [][]string
		for _, l := range regexp.MustCompile(`href="(/materials/`+id+`/files/\d+)"`).FindAllStringSubmatch(page.Body, -1) {
			if !slices.ContainsFunc(links, func(m []string) bool { return m[1] == l[1] }) {
				links = append(links, l)
			}
		}
		if len(links) != 2 {
			t.Fatalf("material page links %d files, want 2", len(links))
		}
		if !strings.Contains(page.Body, `<a class="btn btn-dl" href="`+links[0][1]+`" download>`) {
			t.Error("the material page has no Download button for its first file")
		}

		dl := visitor.get(links[0][1])
		wantStatus(t, "download", dl, http.StatusOK)
		if dl.Body != string(docx) {
			t.Errorf("downloaded %d bytes differ from the %d uploaded", len(dl.Body), len(docx))
		}
		for h, want := range map[string]string{
			"Content-Type":           "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"X-Content-Type-Options": "nosniff",
			"Content-Disposition":    `attachment; filename="momyshuly-zhospar.docx"; filename*=UTF-8''` + url.PathEscape("Момышұлы") + "%20%E2%80%94%20" + url.PathEscape("жоспар") + ".docx",
		} {
			if got := dl.Header.Get(h); got != want {
				t.Errorf("download %s = %q, want %q", h, got, want)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, visitor.base+links[1][1], nil)
		req.Header.Set("Range", "bytes=4-11")
		part := visitor.do(req)
		if part.Status != http.StatusPartialContent || part.Body != string(pdf[4:12]) {
			t.Errorf("range request: status %d, %d bytes", part.Status, len(part.Body))
		}
		teacher.get(links[1][1]) // a signed-in download is recorded for the downloader
		wantStatus(t, "a file of another material", visitor.get("/materials/"+id+"/files/1"), http.StatusNotFound)
		if n := count(t, d, `SELECT downloads FROM materials WHERE id = ?`, id); n != 2 {
			t.Errorf("downloads = %d, want 2 (the range request for the middle is not a new download)", n)
		}

		// A report gets the legal deadline in the register.
		rep := visitor.post("/materials/"+id+"/report", url.Values{"reason": {"personal_data"}})
		wantStatus(t, "report", rep, http.StatusOK)
		reg := admin.get("/admin/reports")
		wantStatus(t, "report register", reg, http.StatusOK)
		if !strings.Contains(reg.Text(), "Бауыржан Момышұлы: сабақ жоспары") || !strings.Contains(reg.Text(), "94-V") {
			t.Errorf("the register does not show the report with its legal source")
		}

		var x struct {
			Files []struct {
				Action string `json:"action"`
				IP     string `json:"ip"`
			} `json:"files"`
		}
		if err := json.Unmarshal([]byte(teacher.get("/account/export.json").Body), &x); err != nil {
			t.Fatal(err)
		}
		uploads, downloads := 0, 0
		for _, f := range x.Files {
			switch f.Action {
			case "upload":
				uploads++
			case "download":
				downloads++
			}
			if f.IP != teacher.IP {
				t.Errorf("export: a file event has another address")
			}
		}
		if uploads != 2 || downloads != 1 {
			t.Errorf("export lists %d uploads and %d downloads, want 2 and 1", uploads, downloads)
		}

		// The author edits (keeping the files): back to the queue; the
		// moderator rejects with a reason; the author is told why.
		ed := teacher.get("/materials/" + id + "/edit")
		wantStatus(t, "edit form", ed, http.StatusOK)
		if !strings.Contains(ed.Body, `value="Бауыржан Момышұлы: сабақ жоспары"`) {
			t.Errorf("the edit form is not filled with the material")
		}
		wantStatus(t, "another user's edit form", newClientSignedIn(t, srv).get("/materials/"+id+"/edit"), http.StatusNotFound)
		r = teacher.postMultipart("/materials/"+id+"/edit", materialForm("Момышұлы туралы әңгіме: жоспар"))
		if r.Status != http.StatusSeeOther {
			t.Fatalf("edit: status %d, errors %s", r.Status, pageErrors(r))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM material_files WHERE material_id = ?`, id); n != 2 {
			t.Errorf("an edit without files left %d files, want the 2 kept", n)
		}
		if strings.Contains(visitor.get("/materials").Text(), "Момышұлы туралы әңгіме") {
			t.Errorf("an edited material is listed before moderation")
		}
		wantStatus(t, "reject", admin.post("/admin/moderation/"+id+"/reject", url.Values{"reason": {"wrong_category"}, "note": {"Бұл 6-сыныпқа арналған"}}), http.StatusSeeOther)
		mail = waitMailTo(t, srv, p.Email, 3)
		if mail.Subject != i18n.T(i18n.RU, "library.mail.rejected.subject") || !strings.Contains(mail.Text, i18n.T(i18n.RU, "library.reason.wrong_category")) {
			t.Errorf("rejection email: subject %q", mail.Subject)
		}
		mine := teacher.get("/account/materials")
		wantText(t, "my materials", mine, i18n.T(i18n.RU, "library.status.rejected"))

		// The administrator renames a material type; the form shows it.
		wantStatus(t, "taxonomy save", admin.post("/admin/taxonomy", url.Values{"kind": {"type"}, "code": {"worksheet"},
			"name_kk": {"Жұмыс парағы (тапсырмалар)"}, "name_ru": {"Рабочий лист"}, "name_en": {"Worksheet"}, "active": {"yes"}, "sort": {"90"}}), http.StatusSeeOther)
		if !strings.Contains(admin.get("/admin/taxonomy").Body, `value="Жұмыс парағы (тапсырмалар)"`) {
			t.Errorf("the taxonomy edit is not shown")
		}
		bad := admin.post("/admin/taxonomy", url.Values{"kind": {"type"}, "code": {"Bad Code"}, "name_kk": {"а"}, "name_ru": {"б"}, "name_en": {"c"}})
		wantStatus(t, "taxonomy refusal", bad, http.StatusUnprocessableEntity)
	})
}

// newClientSignedIn is a second verified teacher, signed in.
func newClientSignedIn(t *testing.T, srv *testServer) *client {
	t.Helper()
	return signup(t, srv, newPerson("other"))
}
