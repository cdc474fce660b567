package search

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxTokenRunes drops longer "words": they are base64, URLs glued together or
// extraction garbage, never something a teacher searches for, and PostgreSQL
// limits a tsvector lexeme to 2047 bytes.
const maxTokenRunes = 64

// homoglyphs maps Latin letters that look like Cyrillic ones. Documents typed
// with old Kazakh fonts use Latin i for і, ə for ә, h for һ, and converted
// files mix Latin a, o, c, p into Cyrillic words; such a word is repaired only
// when every Latin letter in it has a Cyrillic twin.
var homoglyphs = map[rune]rune{
	'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у',
	'k': 'к', 'i': 'і', 'h': 'һ', 'ə': 'ә', 'm': 'м', 't': 'т', 'b': 'в',
}

// ignorable are invisible characters that sit inside words in extracted text
// (soft hyphen, zero-width space and joiners, word joiner): skipped without
// splitting the word.
func ignorable(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// Tokens splits text into words: runs of letters (any script) or runs of
// digits, lower-cased, in NFC, with combining marks (Russian stress accents)
// dropped. Everything else separates words, hyphens included, and a word is
// also split between letters and digits, so «8-сынып», «8 сынып» and
// «8сынып» all give "8", "сынып" and match each other. One-letter words are
// dropped (digits are kept: "5" for 5th grade matters), and so are words
// longer than 64 characters.
func Tokens(text string) []string {
	text = norm.NFC.String(text)
	var (
		out  []string
		cur  []rune
		kind int // 0 none, 1 letters, 2 digits
	)
	flush := func() {
		if len(cur) > 0 {
			if t, ok := finishToken(cur, kind == 2); ok {
				out = append(out, t)
			}
		}
		cur = cur[:0]
		kind = 0
	}
	for _, r := range text {
		switch {
		case ignorable(r):
			continue
		case unicode.IsLetter(r):
			if kind == 2 {
				flush()
			}
			kind = 1
			cur = append(cur, unicode.ToLower(r))
		case unicode.IsDigit(r):
			if kind == 1 {
				flush()
			}
			kind = 2
			cur = append(cur, r)
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			// A mark that NFC did not compose (е́): drop it, keep the word.
			continue
		default:
			flush()
		}
	}
	flush()
	return out
}

// finishToken applies the length limits and the homoglyph repair.
func finishToken(rs []rune, digits bool) (string, bool) {
	if len(rs) > maxTokenRunes {
		return "", false
	}
	if digits {
		return string(rs), true
	}
	if len(rs) < 2 {
		return "", false
	}
	return string(repairHomoglyphs(rs)), true
}

func repairHomoglyphs(rs []rune) []rune {
	var cyr, lat bool
	for _, r := range rs {
		if isCyrillic(r) {
			cyr = true
		} else if isLatin(r) {
			lat = true
			if _, ok := homoglyphs[r]; !ok {
				return rs // a genuinely mixed word: leave it alone
			}
		}
	}
	if !cyr || !lat {
		return rs
	}
	fixed := make([]rune, len(rs))
	for i, r := range rs {
		if c, ok := homoglyphs[r]; ok {
			r = c
		}
		fixed[i] = r
	}
	return fixed
}
