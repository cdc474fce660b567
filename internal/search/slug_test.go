package search

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	cases := []struct{ title, want string }{
		{"Қазақ тілі 5-сынып: сабақ жоспары", "qazaq-tili-5-synyp-sabaq-zhospary"},
		{"Әдебиеттік оқу. Ұлы Отан соғысы", "adebiettik-oqu-uly-otan-sogysy"},
		{"Өнер, үй, һауа, іні, ң", "oner-ui-haua-ini-n"},
		{"Презентация к уроку «Щука и ёж»", "prezentatsiya-k-uroku-shchuka-i-yozh"},
		{"Объявление: подъезд, Чехов, Цой, Хабаровск, юла, эхо, йод", "obyavlenie-podezd-chekhov-tsoi-khabarovsk-yula-ekho-iod"},
		{"ҚМЖ — 7 сынып (ІІ тоқсан)", "qmzh-7-synyp-ii-toqsan"},
		{"Café déjà vu — Straße", "cafe-deja-vu-strasse"},
		{"Teacher's guide", "teachers-guide"},
		{"  ---  ", "material"},
		{"日本語", "material"},
		{"", "material"},
		{"ь ъ", "material"},
	}
	for _, c := range cases {
		if got := Slug(c.title); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestSlugLength(t *testing.T) {
	title := strings.Repeat("Математика сабағы ", 10)
	got := Slug(title)
	if len(got) > 80 {
		t.Fatalf("slug of %d bytes, want at most 80: %q", len(got), got)
	}
	// Cut at a word boundary: every word is whole.
	for _, w := range strings.Split(got, "-") {
		if w != "matematika" && w != "sabagy" {
			t.Fatalf("slug %q has a cut word %q", got, w)
		}
	}
	if len(got) < 70 {
		t.Fatalf("slug %q is needlessly short", got)
	}
	long := Slug(strings.Repeat("ж", 200))
	if long != strings.Repeat("zh", 40) {
		t.Fatalf("one endless word: Slug = %q, want it cut to 80 characters", long)
	}
}
