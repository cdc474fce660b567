package search

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzTerms(f *testing.F) {
	for _, s := range []string{
		"Қазақ тілі 5-сынып: сабақ жоспары",
		"сабақтың жоспарлары мектептерімізде",
		"Презентация к уроку «Щука и ёж»",
		"мeктeп қaзaқ iPhone-ға 10А",
		"пре\u00adзента\u200bция приве\u0301т е\u0308",
		"\xff\xfe невалид",
		"ы і н сы ны",
		"презентациясы конспектісі жазу тарих олени өлең копия көп",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := Terms(text)
		for _, term := range terms {
			if term == "" || !utf8.ValidString(term) {
				t.Fatalf("bad term %q", term)
			}
			for _, r := range term {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("term %q has %q, which the index would split on", term, r)
				}
			}
			// Letters and digits mix only in a tagged Russian stem, which
			// has no Kazakh-only letter: the two analyses stay apart.
			if stem, ok := strings.CutSuffix(term, ruTag); ok && strings.IndexFunc(stem, unicode.IsLetter) >= 0 {
				if strings.IndexFunc(stem, unicode.IsDigit) >= 0 || hasKazakhLetter(stem) || stem != Fold(stem) {
					t.Fatalf("term %q is not a tagged Russian stem", term)
				}
			} else if strings.IndexFunc(term, unicode.IsLetter) >= 0 && strings.IndexFunc(term, unicode.IsDigit) >= 0 {
				t.Fatalf("term %q mixes letters and digits", term)
			}
		}
		for _, tok := range Tokens(text) {
			for _, term := range tokenTerms(tok) {
				if !slices.Contains(terms, term) {
					t.Fatalf("Terms lacks %q of the token %q", term, tok)
				}
			}
			if s := StemKK(tok); s == "" {
				t.Fatalf("StemKK(%q) is empty", tok)
			}
		}
		// A text always finds itself.
		for _, g := range QueryTerms(text) {
			if !slices.ContainsFunc(g, func(x string) bool { return slices.Contains(terms, x) }) {
				t.Fatalf("the group %v of the text's own query is not among its terms", g)
			}
		}
	})
}

var slugShape = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func FuzzSlug(f *testing.F) {
	for _, s := range []string{
		"Қазақ тілі 5-сынып: сабақ жоспары", "", "---", "ь", "Café", "日本語 урок", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Slug(title)
		if !slugShape.MatchString(s) {
			t.Fatalf("Slug(%q) = %q, not [a-z0-9] words joined by single hyphens", title, s)
		}
		if len(s) > maxSlug {
			t.Fatalf("Slug(%q) = %q is longer than %d", title, s, maxSlug)
		}
	})
}
