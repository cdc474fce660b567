package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// kazakhFold maps the letters of the Kazakh alphabet that a Russian keyboard
// lacks to the letter people type instead, and ё to е (Russian texts write
// both).
var kazakhFold = map[rune]rune{
	'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о',
	'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и', 'ё': 'е',
}

// Fold returns s in NFC, lower-cased, with the Kazakh-specific letters folded
// to their Russian-keyboard spelling (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х,
// і→и) and ё→е. Indexed terms and query terms are both folded, so «кітап» and
// «китап» are the same term.
func Fold(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := kazakhFold[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldLower is Fold for a string already lower-case and in NFC (a token or a
// stem): it skips the normalisation and allocates only when a letter changes.
func foldLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { _, ok := kazakhFold[r]; return ok })
	if i < 0 {
		return s
	}
	b := []rune(s)
	for j, r := range b {
		if f, ok := kazakhFold[r]; ok {
			b[j] = f
		}
	}
	return string(b)
}

// isKazakhLetter reports a lower-case letter of the Kazakh alphabet that the
// Russian one does not have: a word with one is Kazakh.
func isKazakhLetter(r rune) bool {
	switch r {
	case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і':
		return true
	}
	return false
}

func hasKazakhLetter(s string) bool {
	for _, r := range s {
		if isKazakhLetter(r) {
			return true
		}
	}
	return false
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

func isLatin(r rune) bool { return unicode.Is(unicode.Latin, r) }
