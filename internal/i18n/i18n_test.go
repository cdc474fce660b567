package i18n

import (
	"strings"
	"testing"
)

func TestEveryMessageComplete(t *testing.T) {
	for _, k := range Keys() {
		m, _ := Lookup(k)
		if m.KK == "" || m.RU == "" || m.EN == "" {
			t.Errorf("%s: a language is missing: %+v", k, m)
		}
		// Kazakh text must use Kazakh letters, not Latin or Cyrillic
		// look-alikes typed by people without a Kazakh keyboard
		// (ә→a/ə, і→i, ө→o/ɵ, ү→y, ұ→y, қ→к, ғ→г, ң→н, һ→h).
		for _, bad := range []string{"ə", "ɵ", "Ə", "Ɵ"} {
			if strings.Contains(m.KK, bad) {
				t.Errorf("%s: Kazakh text uses look-alike %q: %s", k, bad, m.KK)
			}
		}
		if strings.ContainsAny(m.KK, "i") && strings.ContainsAny(m.KK, "абвгдежзийклмнопрстуфхцчшщыэюя") {
			for _, w := range strings.Fields(m.KK) {
				if strings.ContainsAny(w, "i") && strings.ContainsAny(w, "абвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі") {
					t.Errorf("%s: Latin i inside a Cyrillic word %q (use і)", k, w)
				}
			}
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	cases := map[string]Lang{
		"":                           KK,
		"ru-RU,ru;q=0.9,en;q=0.8":    RU,
		"en-US,en;q=0.9":             EN,
		"de-DE,de;q=0.9":             KK,
		"en;q=0.5,kk;q=0.9,ru;q=0.7": KK,
		"fr, ru;q=0.4, en;q=0.3":     RU,
	}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("%q: got %s want %s", h, got, want)
		}
	}
}
