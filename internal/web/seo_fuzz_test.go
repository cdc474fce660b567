package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzPlainSummary: whatever an author writes as a description, the
// summary put in <meta name="description"> is plain text (no tag), one
// line, at most 160 characters, valid UTF-8 when the input was, and
// shows no tag of the rendered HTML.
func FuzzPlainSummary(f *testing.F) {
	for _, s := range []string{"", "**Мақсаты**: табиғат.", "<script>alert(1)</script>", "[a](javascript:alert(1))",
		"# Тақырып\n\n- бір\n- екі", strings.Repeat("ұзын сөз ", 60), "a &lt;b&gt; c", "|a|b|\n|-|-|\n|1|2|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		got := plainSummary(md)
		if n := utf8.RuneCountInString(got); n > 160 {
			t.Errorf("summary of %d characters", n)
		}
		if strings.ContainsAny(got, "\n\r\t") {
			t.Errorf("summary spans lines")
		}
		if utf8.ValidString(md) && !utf8.ValidString(got) {
			t.Errorf("summary is not valid UTF-8")
		}
		// Text the author typed stays text (the template escapes it);
		// markup the renderer made never shows.
		if !strings.ContainsAny(md, "<&") && strings.Contains(got, "<") {
			t.Errorf("summary shows a tag the author did not type")
		}
	})
}

// FuzzSitemapFile: any file name under /sitemaps/ is a sitemap, or 404,
// never a panic or a negative start.
func FuzzSitemapFile(f *testing.F) {
	for _, s := range []string{"pages.xml", "0.xml", "123456789012345678.xml", "-1.xml", "x.txt", ".xml", "99999999999999999999.xml"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		start, kind := sitemapFileOf(name)
		switch kind {
		case "pages", "none":
		case "materials":
			if start < 0 {
				t.Errorf("%q gives the negative start %d", name, start)
			}
		default:
			t.Errorf("%q: kind %q", name, kind)
		}
	})
}
