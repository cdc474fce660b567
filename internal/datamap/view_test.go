package datamap

import (
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// TestPublicMapEveryLanguage: the public map has every category that some
// column is declared in, each row with what, why, how long and who, in
// kk, ru and en, and the Kazakh texts are written in Kazakh letters.
func TestPublicMapEveryLanguage(t *testing.T) {
	used := map[Category]bool{}
	for _, c := range All() {
		used[c.Category] = true
	}
	for _, l := range i18n.Langs {
		secs := PublicMap(l)
		if len(secs) != len(used) {
			t.Errorf("%s: %d sections, want %d (one per category in use)", l, len(secs), len(used))
		}
		for _, s := range secs {
			if s.Name == "" || len(s.Rows) == 0 {
				t.Errorf("%s: category %s has no name or no rows", l, s.Category)
			}
			for _, r := range s.Rows {
				if r.What == "" || r.Why == "" || r.HowLong == "" || r.Who == "" {
					t.Errorf("%s: category %s: a row lacks what, why, how long or who: %+v", l, s.Category, r)
				}
			}
		}
	}
	kazakh := "әғқңөұүһі"
	for _, tb := range Tables {
		if !strings.ContainsAny(tb.What.KK+tb.Why.KK, kazakh) {
			t.Errorf("table %s: the Kazakh texts use no Kazakh letter; check they are Kazakh", tb.Name)
		}
	}
	for _, r := range []Retention{WhileAccount, UntilDeleted, UntilUsed, Permanent, Days(30), Law(5)} {
		for _, l := range i18n.Langs {
			if txt := r.Text(l); txt == "" || txt == string(r.Kind) {
				t.Errorf("retention %v has no text in %s", r, l)
			}
		}
	}
	if got := Law(5).Text(i18n.EN); got != "kept by law: 5 years" {
		t.Errorf("Law(5) in English = %q", got)
	}
}
