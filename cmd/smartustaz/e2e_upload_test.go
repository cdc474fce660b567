package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// A publishing form whose multipart body is broken — a NUL byte in a
// file name's header, a body cut off inside a file or between parts, a
// header line without a colon, a boundary that never comes — is answered
// 400 with the form and a sentence in the teacher's language; nothing is
// written: no material, no stored file, no temporary file (issue 8 §4).
func TestE2EMalformedUpload(t *testing.T) {
	eachEngine(t, func(t *testing.T, srv *testServer) {
		teacher := signup(t, srv, newPerson("malformed"))
		d := openDB(t, srv)
		pdf := sample(t, "sample.pdf")
		field := func(name, value string) string {
			return "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"
		}
		fields := field("title", "Жоспар") + field("subject", "kazakh-literature") + field("grade", "5") +
			field("type", "short-term-plan") + field("language", "kk") + field("author_declaration", "yes")
		file := func(name string, body []byte) string {
			return "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name + "\"\r\nContent-Type: application/pdf\r\n\r\n" + string(body) + "\r\n"
		}
		cases := []struct{ name, body string }{
			{"NUL in a file name", fields + file("жоспар\x00.pdf", pdf) + "--B--\r\n"},
			{"cut off inside a file", fields + file("жоспар.pdf", pdf)[:len(file("жоспар.pdf", pdf))/2]},
			{"cut off after a file", fields + file("жоспар.pdf", pdf)},
			{"header without a colon", fields + "--B\r\nthis is not a header\r\n\r\nx\r\n--B--\r\n"},
			{"a second file cut off", fields + file("бірінші.pdf", pdf) + "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"екінші.pdf\"\r\n\r\n%PDF-1.4 and then nothing"},
			{"no boundary at all", "just some bytes, no parts"},
		}
		langs := []i18n.Lang{i18n.KK, i18n.RU, i18n.EN}
		for i, c := range cases {
			lang := langs[i%len(langs)]
			teacher.Lang = string(lang)
			teacher.get("/lang/" + string(lang))
			req, err := http.NewRequest(http.MethodPost, teacher.base+"/materials/new", bytes.NewReader([]byte(c.body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
			r := teacher.do(req)
			wantStatus(t, c.name, r, http.StatusBadRequest)
			if got, want := pageError(r), i18n.T(lang, "library.upload.form"); got != want {
				t.Errorf("%s: the page says %q, want %q (%s)", c.name, got, want, lang)
			}
		}
		var n int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM materials`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d materials written (%v)", n, err)
		}
		if n := countFiles(t, srv); n != 0 {
			t.Errorf("%d files left in storage", n)
		}
		if !strings.Contains(teacher.get("/materials/new").Body, `name="files"`) {
			t.Error("the form does not open after the malformed posts")
		}
	})
}
