package i18n

import (
	"fmt"
	"strings"
	"testing"
)

// Every message of the files, plural forms included, has its three
// languages, and the Kazakh text uses Kazakh letters.
func TestEveryMessageComplete(t *testing.T) {
	if len(Keys()) < 1000 {
		t.Fatalf("only %d messages loaded from messages/*.json", len(Keys()))
	}
	for _, k := range Keys() {
		e := loaded.entries[k]
		where := fmt.Sprintf("%s:%d: %s", e.file, e.line, k)
		for _, l := range Langs {
			for _, s := range e.texts(l) {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: the %s text is empty", where, l)
				}
			}
		}
		// Kazakh text must use Kazakh letters, not Latin or Cyrillic
		// look-alikes typed by people without a Kazakh keyboard
		// (ә→a/ə, і→i, ө→o/ɵ, ү→y, ұ→y, қ→к, ғ→г, ң→н, һ→h).
		for _, kk := range e.texts(KK) {
			for _, bad := range []string{"ə", "ɵ", "Ə", "Ɵ"} {
				if strings.Contains(kk, bad) {
					t.Errorf("%s: Kazakh text uses look-alike %q: %s", where, bad, kk)
				}
			}
			for _, w := range strings.Fields(kk) {
				if strings.ContainsAny(w, "i") && strings.ContainsAny(w, "абвгдежзийклмнопрстуфхцчшщыэюяәғқңөұүһі") {
					t.Errorf("%s: Latin i inside a Cyrillic word %q (use і)", where, w)
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
