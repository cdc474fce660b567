package search

import (
	"strings"
	"unicode"
)

// stopWords are function words of Kazakh and Russian, compared before
// stemming. They are in almost every material, so a query term for them
// would only make the index scan its longest lists; both Terms and
// QueryTerms drop them.
var stopWords = toSet(`
және мен бен пен да де та те бұл осы сол ол үшін туралы немесе әрі бойынша арқылы
сияқты ғана тек ал бірақ егер яғни менің сенің оның біздің сіздің олардың
мені оны оған маған онда одан
и в во на не что с со по к у о об из за для от до а но или как это так же ли бы
the and of to in for on is are
`)

// Terms returns the index terms of text: for every token its folded Kazakh
// stem(s) and, for a word without Kazakh-only letters, its folded Russian
// stem; a Latin word loses a simple English plural; numbers stay as they are.
// Terms are deduplicated, in order of first appearance.
func Terms(text string) []string {
	var out []string
	seen := map[string]bool{}
	done := map[string]bool{} // words repeat: analyse each once
	for _, tok := range Tokens(text) {
		if done[tok] {
			continue
		}
		done[tok] = true
		for _, t := range tokenTerms(tok) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// QueryTerms analyses a query the way Terms analyses a document and returns,
// for each query word, the group of terms any one of which matches it. A
// document matches when every group has a term among the document's Terms.
// Stop words and repeated words give no group; an empty result means the
// query has nothing to search for.
func QueryTerms(q string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, tok := range Tokens(q) {
		g := tokenTerms(tok)
		if len(g) == 0 {
			continue
		}
		key := strings.Join(g, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, g)
	}
	return out
}

// tokenTerms is the analysis of one token from Tokens.
func tokenTerms(tok string) []string {
	if stopWords[tok] {
		return nil
	}
	var cyr, lat, digit bool
	for _, r := range tok {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case isCyrillic(r):
			cyr = true
		case isLatin(r):
			lat = true
		}
	}
	switch {
	case digit:
		return []string{tok}
	case cyr && !lat:
		return cyrillicTerms(tok)
	case lat && !cyr:
		return []string{englishSingular(tok)}
	}
	return []string{foldLower(tok)} // another script, or a mixed word
}

// ruTag ends every term of the Russian analysis. Tokens splits letters from
// digits, so no word of a text can end in a digit: a Russian stem is kept
// apart from a Kazakh stem or a folded Kazakh word of the same spelling
// (Russian олени → олен0 never meets Kazakh өлең → олен; копия → коп0 never
// meets көп → коп), while both analyses still meet themselves across texts.
const ruTag = "0"

// AnalysisVersion numbers what Terms produces. A stored index made by
// another version must be recomputed (smartustaz reindex): bump it with
// any change that alters the terms of some text.
//
//	1: Kazakh and Russian stems in one space of terms.
//	2: Russian stems tagged with ruTag; known Kazakh words and their forms
//	   get no Russian analysis; every Kazakh form of a loanword gets the
//	   Russian stem of its Kazakh stem.
//	3: a stem whose last vowel letter is и, у or ю takes suffixes of
//	   either row (алгоритмдер, ребустар), and its г before a vowel
//	   suffix is a voiced к (графигі → график). The reindex also fills
//	   the title and description terms the ranking reads (migration 0019).
//	4: the index also holds each title term as a title token (library's
//	   TitleTokens), so relevance finds every material named as asked.
const AnalysisVersion = 4

func cyrillicTerms(tok string) []string {
	kk := stemsKK(tok)
	out := make([]string, 0, len(kk)+2)
	add := func(s string) {
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	for _, s := range kk {
		add(foldLower(s))
	}
	if knownKK(tok) || knownKK(kk[0]) {
		// A known Kazakh word or a form of one: its Russian "stem" (бала
		// → бал, жазу → жаз, тарих → тар) would only meet other words.
		return out
	}
	if !hasKazakhLetter(tok) {
		// Spelled with the Russian alphabet only: it may be Russian.
		add(StemRU(tok) + ruTag)
	}
	if p := kk[0]; p != tok && looksBorrowed(p) {
		// A loanword with Kazakh endings (презентацияға, презентациясы,
		// тесттер → презентация, тест) also meets its Russian forms
		// (презентации, тесты) through the Russian stem of its stem; a
		// native stem (жоспарлары → жоспар) has no Russian forms to meet.
		add(StemRU(p) + ruTag)
	}
	return out
}

// knownKK reports a Kazakh word the Russian analysis must leave alone: a
// word whose ending the stripper keeps (бала, ата) or a native word in the
// shared alphabet whose Russian stem is another word.
func knownKK(s string) bool {
	return protectedKK[s] || nativeKK[s]
}

// looksBorrowed reports a stem that native Kazakh words cannot have, so it
// came from Russian (or through it): a letter native words lack
// (презентация, математика, диктант), two consonants at the start
// (программа, кроссворд, проект), a voiced stop at the end (педагог,
// кроссворд: Kazakh devoices it), vowels of both rows (тема, конспект), or
// a known loan (тест, текст). A stem spelled with a Kazakh-only letter is
// spelled the Kazakh way, whatever its origin (кітап, мұғалім): not one.
func looksBorrowed(s string) bool {
	if hasKazakhLetter(s) {
		return false
	}
	if strings.ContainsAny(s, "вфцчщъьэёюяи") || loanStems[s] {
		return true
	}
	rs := []rune(s)
	if len(rs) < 2 {
		return false
	}
	if !isVowelLetter(rs[0]) && !isVowelLetter(rs[1]) {
		return true
	}
	switch rs[len(rs)-1] {
	case 'б', 'г', 'д':
		return true
	}
	var b, f bool
	for _, r := range rs {
		switch vowelClass(r) {
		case back:
			b = true
		case front:
			f = true
		}
	}
	return b && f
}

// englishSingular strips a regular English plural; nothing cleverer, since
// Latin words in these materials are mostly names and terms.
func englishSingular(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes") ||
		strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") &&
		!strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// HasTaggedTerm reports whether terms, a material's terms as stored (joined
// by spaces), hold a tagged Russian stem, which AnalysisVersion 1 never
// made: a sign that the index was made by version 2 or later.
func HasTaggedTerm(terms string) bool {
	for _, t := range strings.Fields(terms) {
		if stem, ok := strings.CutSuffix(t, ruTag); ok && stem != "" && !strings.ContainsAny(stem[len(stem)-1:], "0123456789") {
			return true
		}
	}
	return false
}
