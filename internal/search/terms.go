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

func cyrillicTerms(tok string) []string {
	kk := stemsKK(tok)
	out := make([]string, 0, len(kk)+1)
	add := func(s string) {
		s = foldLower(s)
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	for _, s := range kk {
		add(s)
	}
	if protectedKK[tok] {
		// A known Kazakh word: its Russian "stem" (бала → бал) would only
		// collide with other Kazakh words.
		return out
	}
	if !hasKazakhLetter(tok) {
		add(StemRU(tok))
	} else if p := kk[0]; p != tok && !hasKazakhLetter(p) && looksBorrowed(p) {
		// A loanword with Kazakh endings (презентацияға → презентация) also
		// meets its Russian forms; a native stem (баланың → бала) must not,
		// or it would meet бал.
		add(StemRU(p))
	}
	return out
}

// looksBorrowed reports a stem with a letter that native Kazakh words do
// not use (презентация, математика), so it came from Russian.
func looksBorrowed(s string) bool {
	return strings.ContainsAny(s, "вфцчщъьэёюяи")
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
