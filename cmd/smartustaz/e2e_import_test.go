package main

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// postImportFile submits the /admin/import form with data as the file.
func (c *client) postImportFile(name string, data []byte, fields url.Values) *response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+"/admin/import", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

var importRunRe = regexp.MustCompile(`action="/admin/import/([0-9]+)/run"`)

// importBatch uploads a one-user CSV as the administrator: a batch of the
// row's own, previewed and not started.
func (m *matrix) importBatch(role) vars {
	m.t.Helper()
	r := m.main[admin].postImportFile("users.csv", []byte("email\nmatrix-batch-"+m.next()+"@mektep.test\n"), nil)
	x := importRunRe.FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || x == nil {
		m.t.Fatalf("upload for the import rows: status %d", r.Status)
	}
	if _, err := strconv.ParseInt(x[1], 10, 64); err != nil {
		m.t.Fatal(err)
	}
	return vars{"batch": x[1]}
}

// TestE2EImportUploadRefusals: a missing file, a file that is not a user
// list and an unknown batch are refused with the reason in the
// administrator's language, and nothing is kept.
func TestE2EImportUploadRefusals(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		admin, _ := setupAdmin(t, srv)
		d := openDB(t, srv)
		for _, l := range i18n.Langs {
			admin.get("/lang/" + string(l) + "?next=/admin") // a signed-in user's choice outranks the browser's
			r := admin.postImportFile("users.csv", nil, nil)
			if r.Status != http.StatusUnprocessableEntity || fieldErrors(r)["file"] != i18n.T(l, "import.file.required") {
				t.Errorf("%s: no file: status %d, %s", l, r.Status, pageErrors(r))
			}
			r = admin.postImportFile("users.csv", []byte("full_name;phone\nАйгүл;+7 701 000 00 00\n"), nil)
			if r.Status != http.StatusUnprocessableEntity || fieldErrors(r)["file"] != i18n.T(l, "import.file.invalid") {
				t.Errorf("%s: no email column: status %d, %s", l, r.Status, pageErrors(r))
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_batches`); n != 0 {
			t.Errorf("refused uploads left %d batches", n)
		}
		wantStatus(t, "an unknown batch", admin.get("/admin/import/12345"), http.StatusNotFound)
		// A good file: the preview lists the rows, and the batch waits
		// until it is run.
		admin.get("/lang/ru?next=/admin")
		r := admin.postImportFile("users.csv", []byte("email;full_name\nnew.one@example.kz;Новый Учитель\n"), url.Values{"source": {"старый портал"}})
		if r.Status != http.StatusOK || !strings.Contains(r.Text(), i18n.T(i18n.RU, "import.preview.note")) {
			t.Fatalf("a good upload: status %d, %s", r.Status, pageErrors(r))
		}
		if n := count(t, d, `SELECT COUNT(*) FROM import_batches WHERE status = 'uploaded'`); n != 1 {
			t.Errorf("%d uploaded batches, want 1", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM users`); n != 1 {
			t.Errorf("the preview created users: %d", n)
		}
		// While an import runs, its page reloads itself without
		// JavaScript, and the status fragment says so too.
		x := importRunRe.FindStringSubmatch(r.Body)
		if x == nil {
			t.Fatal("the preview has no run button")
		}
		if _, err := d.Exec(context.Background(), `UPDATE import_batches SET status = 'running' WHERE id = ?`, x[1]); err != nil {
			t.Fatal(err)
		}
		page := admin.get("/admin/import/" + x[1])
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `<noscript><meta http-equiv="refresh" content="2"></noscript>`) ||
			!strings.Contains(page.Text(), i18n.T(i18n.RU, "import.status.running")) {
			t.Errorf("a running import's page does not refresh itself without JavaScript")
		}
		frag := admin.get("/admin/import/" + x[1] + "/status")
		if frag.Status != http.StatusOK || !strings.Contains(frag.Body, `data-running`) || strings.Contains(frag.Body, "<html") {
			t.Errorf("the status fragment: status %d", frag.Status)
		}
	})
}

// markImported gives user uid what an import leaves of a person: a record
// of where they came from (as if the account had been brought over) and a
// file of theirs uploaded at /admin/import and not run yet, sealed under
// their key by the importer itself.
func markImported(t *testing.T, d *db.DB, dataDir string, uid int64) {
	t.Helper()
	ctx := context.Background()
	v, _, err := vault.Open(d, dataDir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	imp := importer.New(d, v, account.New(d, v, account.Options{}), audit.New(d, v))
	batch, err := imp.Upload(ctx, []byte("email\nsomeone@example.kz\n"), importer.Options{Source: "test", Format: "csv", ActorID: uid})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO import_users (user_id, batch_id, source, imported_at) VALUES (?, ?, 'test', ?)`, uid, batch, db.Now()); err != nil {
		t.Fatal(err)
	}
}
