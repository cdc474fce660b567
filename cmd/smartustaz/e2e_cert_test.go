package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/certificate"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// publishApproved has teacher publish a material with a Word file and
// admin approve it; it returns the material's id.
func publishApproved(t *testing.T, admin, teacher *client, title string) string {
	t.Helper()
	r := teacher.postMultipart("/materials/new", materialForm(title), upload{"жоспар.docx", sample(t, "sample.docx")})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("publish: status %d, errors %s", r.Status, pageErrors(r))
	}
	m := materialPathRe.FindStringSubmatch(r.Location())
	if m == nil {
		t.Fatalf("publish redirects to %q", r.Location())
	}
	if r := admin.post("/admin/moderation/"+m[1]+"/approve", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("approve: status %d", r.Status)
	}
	return m[1]
}

// follow gets path and, when it is a redirect, where it leads.
func follow(c *client, path string) *response {
	c.t.Helper()
	r := c.get(path)
	if r.Status == http.StatusMovedPermanently || r.Status == http.StatusSeeOther {
		r = c.get(r.Location())
	}
	return r
}

var (
	certNumberRe = regexp.MustCompile(`SU-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`)
	pubKeyRe     = regexp.MustCompile(`<code class="cert-pub">([^<]+)</code>`)
)

// certNumber is the certificate number the issue page shows.
func certNumber(t *testing.T, c *client, id string) string {
	t.Helper()
	r := c.get("/materials/" + id + "/certificate")
	wantStatus(t, "certificate page", r, http.StatusOK)
	n := certNumberRe.FindString(r.Body)
	if n == "" {
		t.Fatalf("the certificate page shows no number")
	}
	return n
}

// storedFields reads a certificate's stored fields, as an operator would,
// with the name the test knows (the stored one is sealed).
func storedFields(t *testing.T, d *db.DB, number, name string) (certificate.Fields, []byte) {
	t.Helper()
	var f certificate.Fields
	var lang string
	var issued int64
	var sig []byte
	err := d.QueryRow(context.Background(), `SELECT number, title, material_url, lang, issued_at, signature FROM certificates WHERE number = ?`, number).
		Scan(&f.Number, &f.Title, &f.MaterialURL, &lang, &issued, &sig)
	if err != nil {
		t.Fatal(err)
	}
	f.Lang, f.IssuedAt, f.AuthorName = i18n.Lang(lang), db.Time(issued), name
	return f, sig
}

// A teacher's material is approved → only they can get its certificate →
// they confirm the name and download the PDF in both languages → anyone
// verifies the number (as typed, or from the QR link) and sees it valid
// with a checking signature, but not the name, which they can still
// check against the paper → anyone checks the signature with the public
// key the site publishes → a reissue under another name revokes the old
// number → an altered record fails its signature → a take-down revokes.
func TestE2ECertificate(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		p := newPerson("cert")
		teacher := signup(t, srv, p)
		other := newClientSignedIn(t, srv)
		visitor := newClient(t, srv)
		d := openDB(t, srv)
		id := publishApproved(t, admin, teacher, "Абай өлеңдері: сабақ жоспары")
		kk := func(key string, args ...any) string { return i18n.T(i18n.KK, key, args...) }

		// Only the author; the form is prefilled, the name not published
		// by default.
		wantStatus(t, "visitor's certificate form", visitor.get("/materials/"+id+"/certificate"), http.StatusSeeOther)
		wantStatus(t, "another user's certificate form", other.get("/materials/"+id+"/certificate"), http.StatusForbidden)
		wantStatus(t, "another user issues", other.post("/materials/"+id+"/certificate", url.Values{"name": {"Бөтен Адам"}}), http.StatusForbidden)
		wantStatus(t, "PDF before issue", teacher.get("/materials/"+id+"/certificate.pdf"), http.StatusNotFound)
		form := teacher.get("/materials/" + id + "/certificate")
		wantStatus(t, "certificate form", form, http.StatusOK)
		if !strings.Contains(form.Body, `value="`+html.EscapeString(p.FullName)+`"`) {
			t.Errorf("the form is not prefilled with the account name")
		}
		if regexp.MustCompile(`name="show_name"[^>]*checked`).MatchString(form.Body) {
			t.Errorf("showing the name is ticked by default")
		}
		if !strings.Contains(follow(teacher, "/materials/"+id).Body, `href="/materials/`+id+`/certificate"`) {
			t.Errorf("the material page does not link the certificate for its author")
		}
		if strings.Contains(follow(visitor, "/materials/"+id).Body, `/materials/`+id+`/certificate`) {
			t.Errorf("the material page links the certificate for a visitor")
		}
		bad := teacher.post("/materials/"+id+"/certificate", url.Values{"name": {"  "}, "lang": {"kk"}})
		wantStatus(t, "empty name", bad, http.StatusUnprocessableEntity)
		if fieldErrors(bad)["name"] != kk("library.cert.name.required") {
			t.Errorf("empty name: field says %q", fieldErrors(bad)["name"])
		}
		if n := count(t, d, `SELECT COUNT(*) FROM certificates`); n != 0 {
			t.Fatalf("refusals issued %d certificates", n)
		}

		r := teacher.post("/materials/"+id+"/certificate", url.Values{"name": {p.FullName}, "lang": {"ru"}})
		if r.Status != http.StatusSeeOther || r.Location() != "/materials/"+id+"/certificate?done=issued" {
			t.Fatalf("issue: status %d to %q (%s)", r.Status, r.Location(), pageErrors(r))
		}
		number := certNumber(t, teacher, id)
		for _, lang := range []string{"kk", "ru"} {
			pdf := teacher.get("/materials/" + id + "/certificate.pdf?lang=" + lang)
			wantStatus(t, "PDF "+lang, pdf, http.StatusOK)
			if pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") ||
				!strings.HasPrefix(pdf.Header.Get("Content-Disposition"), "attachment;") {
				t.Errorf("PDF %s: type %q, disposition %q", lang, pdf.Header.Get("Content-Type"), pdf.Header.Get("Content-Disposition"))
			}
		}
		wantStatus(t, "another user's PDF", other.get("/materials/"+id+"/certificate.pdf"), http.StatusForbidden)
		if !strings.Contains(teacher.get("/account").Body, `href="/verify/`+number+`"`) {
			t.Errorf("/account does not list the certificate with its verify link")
		}

		// Anyone verifies; the name is not shown.
		v := visitor.get("/verify/" + number)
		wantStatus(t, "verify", v, http.StatusOK)
		wantText(t, "verify", v, kk("certificate.web.state.valid"))
		wantText(t, "verify", v, kk("certificate.web.signature.ok"))
		wantText(t, "verify", v, "Абай өлеңдері: сабақ жоспары")
		f, sig := storedFields(t, d, number, p.FullName)
		wantText(t, "verify", v, certificate.SignatureFingerprint(sig))
		if strings.Contains(v.Text(), p.FullName) {
			t.Errorf("the verify page shows a name the author did not choose to publish")
		}
		typed := strings.ToLower(strings.ReplaceAll(number, "-", ""))
		if r := visitor.get("/verify/" + typed); r.Status != http.StatusMovedPermanently || r.Location() != "/verify/"+number {
			t.Errorf("a typed number: status %d to %q", r.Status, r.Location())
		}
		if r := visitor.get("/verify/?number=" + url.QueryEscape(strings.ToLower(number))); r.Status != http.StatusSeeOther || r.Location() != "/verify/"+number {
			t.Errorf("the number form: status %d to %q", r.Status, r.Location())
		}
		for _, c := range []struct {
			typed string
			want  string
		}{
			{strings.ToUpper(p.FullName), "certificate.web.name.match"},
			{"  " + p.FullName + " ", "certificate.web.name.match"},
			{p.FullName + "а", "certificate.web.name.nomatch"},
			{"Басқа Адам", "certificate.web.name.nomatch"},
		} {
			r := visitor.post("/verify/"+number, url.Values{"name": {c.typed}})
			wantStatus(t, "name check", r, http.StatusOK)
			wantText(t, "name check", r, kk(c.want))
		}

		// The published key checks the signature over the stored fields.
		lookup := visitor.get("/verify/")
		wantStatus(t, "/verify/", lookup, http.StatusOK)
		m := pubKeyRe.FindStringSubmatch(lookup.Body)
		if m == nil {
			t.Fatalf("/verify/ does not publish the key")
		}
		// The page is HTML: a "+" of base64 arrives as "&#43;".
		pub, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil || len(pub) != ed25519.PublicKeySize {
			t.Fatalf("the published key does not decode to an Ed25519 key")
		}
		wantText(t, "/verify/", lookup, certificate.FingerPrint(pub))
		if !certificate.Verify(pub, f, sig) {
			t.Errorf("the signature does not check with the published key")
		}
		f.AuthorName = "Басқа Адам"
		if certificate.Verify(pub, f, sig) {
			t.Errorf("the signature checks with another name")
		}

		// Numbers that are not certificates: the verify page, not an error page.
		for _, g := range []string{"garbage", "SU-2026-2222-2222", url.PathEscape("<script>"), strings.Repeat("Ә", 80)} {
			r := visitor.get("/verify/" + g)
			wantStatus(t, "verify "+g, r, http.StatusNotFound)
			wantText(t, "verify garbage", r, kk("certificate.web.state.unknown"))
			if strings.Contains(r.Text(), kk("web.error.title")) {
				t.Errorf("verify garbage shows the error page")
			}
		}

		// Reissue under another name, shown this time.
		r = teacher.post("/materials/"+id+"/certificate", url.Values{"name": {"Әсел Серікқызы Тестова"}, "show_name": {"yes"}})
		if r.Location() != "/materials/"+id+"/certificate?done=reissued" {
			t.Fatalf("reissue: status %d to %q", r.Status, r.Location())
		}
		renewed := certNumber(t, teacher, id)
		if renewed == number {
			t.Fatalf("a reissue under another name kept the number")
		}
		old := visitor.get("/verify/" + number)
		wantText(t, "old number", old, kk("certificate.web.state.revoked"))
		wantText(t, "old number", old, kk("certificate.web.revoked.reissued"))
		cur := visitor.get("/verify/" + renewed)
		wantText(t, "new number", cur, kk("certificate.web.state.valid"))
		wantText(t, "new number", cur, "Әсел Серікқызы Тестова")
		acct := teacher.get("/account")
		if !strings.Contains(acct.Body, `href="/verify/`+renewed+`"`) || !strings.Contains(acct.Body, `href="/verify/`+number+`"`) {
			t.Errorf("/account does not list both certificates")
		}
		var x struct {
			Certificates []struct {
				Number string `json:"number"`
				Name   string `json:"name"`
			} `json:"certificates"`
		}
		if err := json.Unmarshal([]byte(teacher.get("/account/export.json").Body), &x); err != nil || len(x.Certificates) != 2 || x.Certificates[0].Name != "Әсел Серікқызы Тестова" {
			t.Errorf("export lists %d certificates (err %v)", len(x.Certificates), err)
		}

		// An altered record fails its signature.
		if _, err := d.Exec(context.Background(), `UPDATE certificates SET title = ? WHERE number = ?`, "Басқа материал", renewed); err != nil {
			t.Fatal(err)
		}
		forged := visitor.get("/verify/" + renewed)
		wantText(t, "altered record", forged, kk("certificate.web.state.forged"))
		wantText(t, "altered record", forged, kk("certificate.web.signature.bad"))
		if strings.Contains(forged.Text(), kk("certificate.web.state.valid")) {
			t.Errorf("an altered record is called valid")
		}
		if _, err := d.Exec(context.Background(), `UPDATE certificates SET title = ? WHERE number = ?`, "Абай өлеңдері: сабақ жоспары", renewed); err != nil {
			t.Fatal(err)
		}

		// A take-down revokes.
		wantStatus(t, "take down", admin.post("/admin/moderation/"+id+"/takedown", url.Values{"reason": {"not_own_work"}}), http.StatusSeeOther)
		gone := visitor.get("/verify/" + renewed)
		wantText(t, "after take-down", gone, kk("certificate.web.state.revoked"))
		wantText(t, "after take-down", gone, kk("certificate.web.revoked.takedown"))
		if strings.Contains(gone.Body, `href="/materials/`+id) {
			t.Errorf("a revoked certificate links the taken-down material")
		}
	})
}
