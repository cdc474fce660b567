package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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
