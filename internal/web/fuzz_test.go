package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/library"
)

// FuzzSafeNext: whatever a "next" parameter holds, the redirect target is
// a path on this site — never another host (open redirect).
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"", "/account", "//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/a?b=//c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("safeNext(%q) = %q leaves the site", next, got)
		}
	})
}

// FuzzParseUA: any User-Agent header is described without panicking, and
// the description is one of the known words or "?".
func FuzzParseUA(f *testing.F) {
	for _, s := range []string{"", "Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile", "curl/8", "\xff", "iPad; Safari/ Version/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ua := parseUA(s)
		if ua.Browser == "" || ua.OS == "" {
			t.Fatalf("empty description for %q", s)
		}
		switch ua.Device {
		case "desktop", "phone", "tablet":
		default:
			t.Fatalf("unknown device %q", ua.Device)
		}
	})
}

// FuzzReadUploadForm: whatever body arrives as a multipart publishing
// form, reading it ends in a form, a refused file, the body limit or a
// malformed-form answer (400) — never an error that would be a 500 — and
// every file handed to the library is read to its end or refused.
func FuzzReadUploadForm(f *testing.F) {
	seeds := []string{
		"--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nЖоспар\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\x00b.pdf\"\r\n\r\nx\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 cut",
		"--B\r\nno colon\r\n\r\nx\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%D0%B0%00.pdf\r\n\r\nx\r\n--B--\r\n",
		"",
	}
	for _, s := range seeds {
		f.Add(s, "multipart/form-data; boundary=B")
	}
	f.Add("x", "text/plain")
	f.Fuzz(func(t *testing.T, body, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/materials/new", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, 4096)
		add := func(ctx context.Context, name string, r io.Reader) error {
			if _, err := library.CleanFileName(name); err != nil {
				return err
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				return fmt.Errorf("library: read upload: %w", err)
			}
			return nil
		}
		form, fileErr, err := readUploadForm(req, add)
		if fileErr != nil {
			if _, ok := apperr.As(fileErr); !ok {
				t.Fatalf("the refused file's error is not a user's: %v", fileErr)
			}
		}
		if err != nil {
			var mbe *http.MaxBytesError
			e, ok := apperr.As(err)
			if !errors.As(err, &mbe) && (!ok || statusOf(e.Code) >= 500) {
				t.Fatalf("body %q gave %v, which would be a server error", body, err)
			}
			return
		}
		for name, vs := range form {
			for _, v := range vs {
				if len(v) > maxTextPart {
					t.Fatalf("field %q holds %d bytes", name, len(v))
				}
			}
		}
	})
}
