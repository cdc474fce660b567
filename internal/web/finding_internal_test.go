package web

import (
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// The count of a search is exact up to the bound and "more than" beyond
// it, in each language, with one material said in the singular.
func TestFoundText(t *testing.T) {
	for _, c := range []struct {
		l    i18n.Lang
		n    int
		more bool
		want string
	}{
		{i18n.KK, 37, false, "«сабақ» бойынша 37 материал табылды"},
		{i18n.KK, 200, true, "«сабақ» бойынша 200-ден астам материал табылды"},
		{i18n.RU, 37, false, "Найдено материалов по запросу «сабақ»: 37"},
		{i18n.RU, 1, false, "По запросу «сабақ» найден 1 материал"},
		{i18n.RU, 200, true, "По запросу «сабақ» найдено больше 200 материалов"},
		{i18n.EN, 37, false, "37 materials for «сабақ»"},
		{i18n.EN, 1, false, "1 material for «сабақ»"},
		{i18n.EN, 200, true, "More than 200 materials for «сабақ»"},
	} {
		if got := foundText(c.l, "сабақ", c.n, c.more); got != c.want {
			t.Errorf("%s %d %v: %q, want %q", c.l, c.n, c.more, got, c.want)
		}
	}
}
