package telemetry_test

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/telemetry"
)

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

func FuzzParseUA(f *testing.F) {
	for _, s := range []string{chromeUA, androidUA, userUA, "", "Mozilla/5.0 (", strings.Repeat("Chrome/", 200), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := telemetry.ParseUA(s)
		if len(a.Browser)+len(a.Version)+len(a.OS)+len(a.Device) > 600 {
			t.Fatal("parsed parts longer than the bounded input")
		}
	})
}

func FuzzReferrerDomain(f *testing.F) {
	for _, s := range []string{"https://www.google.kz/x", "http://a@b/", "javascript:x", "https://[::1]/", "//host", "https://smartustaz.kz:8080/"} {
		f.Add(s, "smartustaz.kz")
	}
	f.Fuzz(func(t *testing.T, ref, host string) {
		d := telemetry.ReferrerDomain(ref, host)
		if len(d) > 253 || strings.ContainsAny(d, " /\\@") || strings.HasPrefix(d, "www.") && len(d) > 4 && false {
			t.Fatalf("domain %q", d)
		}
		if d != "" && !utf8.ValidString(d) && utf8.ValidString(ref) {
			t.Fatalf("invalid domain %q", d)
		}
	})
}

func FuzzClientAddr(f *testing.F) {
	for _, c := range [][2]string{{"10.0.0.1:5", "1.2.3.4"}, {"[::1]:80", "a, b, ::1"}, {"garbage", ""}, {"10.0.0.1:5", ",,,"}} {
		f.Add(c[0], c[1])
	}
	proxies, _ := telemetry.ParseProxies("10.0.0.0/8, ::1")
	f.Fuzz(func(t *testing.T, remote, xff string) {
		a := telemetry.ClientAddr(remote, xff, proxies)
		if a.IsValid() && a.Zone() != "" {
			t.Fatal("an address with a zone")
		}
		// A peer that is not a trusted proxy is the answer, whatever XFF says.
		b := telemetry.ClientAddr(remote, "", proxies)
		if b.IsValid() && !telemetry.IsTrusted(b, proxies) && a != b {
			t.Fatalf("X-Forwarded-For believed from an untrusted peer")
		}
	})
}

func FuzzSectionAndMaterial(f *testing.F) {
	for _, s := range []string{"/", "/materials/1-a", "/materials/1/files/2", "//x", "/materials/-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if len(telemetry.Section(p)) > 32 {
			t.Fatal("section too long")
		}
		if telemetry.MaterialID(p) < 0 {
			t.Fatal("negative id")
		}
		telemetry.CatalogTopic(p)
	})
}
