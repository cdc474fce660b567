package i18n

import (
	"slices"
	"testing"
)

// FuzzAcceptLanguage: any header a browser (or anyone) sends picks one of
// the supported languages and never panics.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"", "ru-RU,ru;q=0.9", "kk;q=abc", ";;;,,", "en;q=1e309", "ру", "kk-KZ;q=0.5, en;q=0.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if l := FromAcceptLanguage(h); !slices.Contains(Langs, l) {
			t.Fatalf("unsupported language %q chosen", l)
		}
	})
}
