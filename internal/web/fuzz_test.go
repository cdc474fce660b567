package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/library"
)

// siteOrigin is the site the redirect oracle browses, and siteBase the
// page a redirect is resolved against.
const (
	siteOrigin = "https://site.example"
	siteBase   = siteOrigin + "/lang/en"
)

// browserOrigin is the origin (scheme://host) a browser on siteBase
// navigates to for the Location value loc. It follows the WHATWG URL
// standard's basic parser as far as the scheme and host are decided,
// written from the standard and not from safeNext, so that it can judge
// it: leading and trailing C0 controls and spaces are stripped, tabs and
// newlines removed anywhere, "\" counts as "/" for http(s), a scheme
// other than the base's is followed by a host however many slashes come
// first. "invalid" is a Location no browser follows.
func browserOrigin(loc string) string {
	s := strings.TrimFunc(loc, func(r rune) bool { return r <= 0x20 })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	scheme, rest := "", s
	for i := 0; i < len(s); i++ {
		c := s[i]
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if alpha || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			continue
		}
		if c == ':' && i > 0 {
			scheme, rest = strings.ToLower(s[:i]), s[i+1:]
		}
		break
	}
	slash := func(c byte) bool { return c == '/' || c == '\\' }
	switch scheme {
	case "":
		// A relative reference: "//" (either slash) starts a host.
		if len(rest) > 1 && slash(rest[0]) && slash(rest[1]) {
			return authority("https", rest)
		}
		return siteOrigin
	case "https":
		// The base's own scheme: relative unless "//" follows; after
		// "/", a "\\" also starts a host.
		if len(rest) > 1 && rest[0] == '/' && rest[1] == '/' || len(rest) > 1 && rest[0] == '/' && slash(rest[1]) {
			return authority("https", rest)
		}
		return siteOrigin
	case "http", "ws", "wss", "ftp":
		// Another special scheme: a host follows, whatever the slashes.
		return authority(scheme, rest)
	case "file":
		return "file://"
	}
	return scheme + ":" // not special: an opaque origin, never this site
}

// authority reads the host after any number of slashes, as a browser
// does for a special scheme.
func authority(scheme, s string) string {
	s = strings.TrimLeft(s, "/\\")
	if i := strings.IndexAny(s, "/\\?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.HasSuffix(s, "]") {
		s = s[:i]
	}
	host, err := url.PathUnescape(s)
	if err != nil || host == "" {
		return "invalid"
	}
	return scheme + "://" + strings.ToLower(host)
}

// Tricks that have sent users of other sites elsewhere through a "next"
// parameter.
var redirectTricks = []string{
	"//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example",
	"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", " //evil.example",
	"/%09/evil.example", "/%2f%2fevil.example", "/%2F/evil.example", "/%5cevil.example", "/%5C%5Cevil.example",
	"https:evil.example", "https:/evil.example", "https:/\\evil.example", "https://evil.example", "http:evil.example",
	"HTTP://evil.example", "javascript:alert(1)", "data:text/html,x", "//evil.example@site.example",
	"/.//evil.example", "/./\\evil.example", "/..//evil.example", "/%2e%2e//evil.example",
	"\x00//evil.example", "/\x7f/evil.example", "//\u3000evil.example", "/\xff/evil.example",
}

// FuzzSafeNext: whatever a "next" parameter holds, the Location that a
// handler sends with it takes a browser to this site and no other (open
// redirect). The oracle is browserOrigin, a browser's reading of the
// Location, not safeNext's own rules.
func FuzzSafeNext(f *testing.F) {
	for _, s := range append([]string{"", "/account", "/materials?q=%D0%B0&sort=new", "https://evil.example", "/a?b=//c"}, redirectTricks...) {
		f.Add(s)
	}
	plainPath := regexp.MustCompile(`^(/[a-z0-9-]+)+$`)
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		w := httptest.NewRecorder()
		http.Redirect(w, httptest.NewRequest(http.MethodGet, siteBase, nil), got, http.StatusSeeOther)
		loc := w.Header().Get("Location")
		if o := browserOrigin(loc); o != siteOrigin {
			t.Fatalf("next %q: Location %q takes a browser to %s", next, loc, o)
		}
		if plainPath.MatchString(next) && got != next {
			t.Fatalf("safeNext(%q) = %q: a plain local path is not kept", next, got)
		}
	})
}

// The oracle itself: it must see the known tricks leave the site, or a
// fuzz run that passes proves nothing.
func TestBrowserOrigin(t *testing.T) {
	const evil = "https://evil.example"
	for loc, want := range map[string]string{
		"/account": siteOrigin, "account": siteOrigin, "?a=1": siteOrigin, "": siteOrigin,
		"/%09/evil.example":   siteOrigin, // encoded: a path segment
		"/%2f%2fevil.example": siteOrigin,
		"https:evil.example":  siteOrigin, // the base's scheme without "//" is a path
		"https:/evil.example": siteOrigin,
		"//evil.example":      evil, "///evil.example": evil, "/\\evil.example": evil, "\\\\evil.example": evil,
		"\\/evil.example": evil, "/\t/evil.example": evil, "/\n/evil.example": evil, "/\r\n/evil.example": evil,
		"\t//evil.example": evil, " //evil.example": evil, "\x00//evil.example": evil,
		"https:/\\evil.example": evil, "https://evil.example": evil, "//user@Evil.Example:8443/x": evil,
		"http:evil.example": "http://evil.example", "HTTP://evil.example:80": "http://evil.example",
		"javascript:alert(1)": "javascript:", "data:text/html,x": "data:",
	} {
		if got := browserOrigin(loc); got != want {
			t.Errorf("browserOrigin(%q) = %q, want %q", loc, got, want)
		}
	}
}

// safeNext keeps a local path with its query, and gives "/" for
// anything doubtful (and the default page for nothing).
func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                                 "/account",
		"/":                                "/",
		"/materials/12-algebra":            "/materials/12-algebra",
		"/materials?q=%D0%B0&sort=new":     "/materials?q=%D0%B0&sort=new",
		"/account/consent?next=%2Faccount": "/account/consent?next=%2Faccount",
		"/admin/":                          "/admin/",
		"/a/./b/../c":                      "/a/c",
		"/материалы":                       "/%D0%BC%D0%B0%D1%82%D0%B5%D1%80%D0%B8%D0%B0%D0%BB%D1%8B",
		"/%09/evil.example":                "/%09/evil.example",
		"/\t/evil.example":                 "/",
		"//evil.example":                   "/",
		"/\\evil.example":                  "/",
		"/%2f%2fevil.example":              "/",
		"https:evil.example":               "/",
		"/a?b=%zz":                         "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
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
