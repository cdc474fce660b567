package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlug is the longest slug; longer titles are cut at a word boundary.
const maxSlug = 80

// fallbackSlug names a material whose title has nothing transliterable.
const fallbackSlug = "material"

// translit maps lower-case Cyrillic to ASCII. Kazakh letters follow the 2021
// Kazakh Latin alphabet without its diacritics (ә→a, ғ→g, қ→q, ң→n, ө→o,
// ұ→u, ү→u, һ→h, і→i), so қ stays distinct from к as in that alphabet;
// Russian letters follow the common passport-style transliteration (ж→zh,
// х→kh, ц→ts, ч→ch, ш→sh, щ→shch, ю→yu, я→ya, й→i, ъ and ь dropped).
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'ә': "a", 'ғ': "g", 'қ': "q", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'і': "i",
	// Ukrainian and Belarusian letters that turn up in Russian-language titles.
	'є': "ye", 'ї': "yi", 'ґ': "g", 'ў': "u",
	// Latin letters that do not decompose to ASCII.
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ı': "i", 'ə': "a",
}

// Slug returns the readable part of a material's URL (/materials/{id}-{slug}):
// the title transliterated to lower-case ASCII letters and digits, words
// joined by single hyphens, at most 80 characters cut at a word boundary,
// and "material" when nothing is left.
// «Қазақ тілі 5-сынып: сабақ жоспары» → "qazaq-tili-5-synyp-sabaq-zhospary".
func Slug(title string) string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range norm.NFC.String(title) {
		r = unicode.ToLower(r)
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			cur.WriteRune(r)
		case r == '\'' || r == '’' || r == 'ʼ' || ignorable(r):
			// don't → dont: an apostrophe does not split a word.
		case translit[r] != "" || r == 'ъ' || r == 'ь':
			cur.WriteString(translit[r])
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			// é → e; letters of other scripts have no ASCII form and vanish.
			for _, d := range norm.NFD.String(string(r)) {
				if d < 0x80 && unicode.IsLetter(d) {
					cur.WriteRune(unicode.ToLower(d))
				}
			}
		default:
			flush()
		}
	}
	flush()
	return joinSlug(words)
}

func joinSlug(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if w == "" {
			continue
		}
		if b.Len() == 0 {
			if len(w) > maxSlug {
				w = w[:maxSlug] // one endless word: cut it, ASCII is safe to slice
			}
			b.WriteString(w)
			continue
		}
		if b.Len()+1+len(w) > maxSlug {
			break
		}
		b.WriteByte('-')
		b.WriteString(w)
	}
	if b.Len() == 0 {
		return fallbackSlug
	}
	return b.String()
}
