package web

import (
	"strings"
	"testing"
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
