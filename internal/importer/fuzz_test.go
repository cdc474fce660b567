package importer_test

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/importer"
)

var whereRE = regexp.MustCompile(`^line [0-9]+$`)

// drain reads every row of src and checks what every reader promises: a
// row is named by its line only, and a row without a problem holds valid
// UTF-8 within MaxRowBytes.
func drain(t *testing.T, src importer.Source) {
	for i := 0; i < 100000; i++ {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			return // a fatal error (an endless line) is allowed, a panic is not
		}
		if !whereRE.MatchString(r.Where) {
			t.Fatalf("row named %q, not by its line", r.Where)
		}
		if r.Problem != "" {
			continue
		}
		n := 0
		for _, v := range r.Values {
			n += len(v)
			if !utf8.ValidString(v) {
				t.Fatalf("%s: invalid UTF-8 passed as a good row", r.Where)
			}
		}
		if n > importer.MaxRowBytes {
			t.Fatalf("%s: %d bytes passed as a good row", r.Where, n)
		}
	}
	t.Fatal("the reader never ends")
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"email,full_name\na@b.kz,Айгүл\n",
		"email;full_name;phone\n\"a@b.kz\";\"Мұратова; Айгүл\";+7 701\n",
		"email\tfull_name\na@b.kz\tx\n",
		"\ufeffEmail , FULL_NAME\na@b.kz,\"multi\nline\"\n",
		"email\n\xff\xfe\n",
		"email,x\n\"unterminated\n",
		"full_name\nno email column\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, enc := range []string{"", importer.EncodingUTF8, importer.EncodingWindows1251} {
			src, err := importer.NewCSV(bytes.NewReader(data), importer.CSVOptions{Encoding: enc})
			if err != nil {
				continue
			}
			drain(t, src)
		}
	})
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@b.kz","full_name":"Айгүл"}` + "\n",
		`{"email":"a@b.kz","phone":null,"registered_at":1558000000}` + "\n\n[1,2]\n",
		`{"email":{"nested":true}}` + "\n" + `not json`,
		"{\"email\":\"\xff\"}\n",
		"\ufeff{\"email\":\"x\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		drain(t, importer.NewJSONL(bytes.NewReader(data), nil, int64(len(data))))
	})
}
