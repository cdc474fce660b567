package library

// TEMPORARY: the search package is being written in parallel. Until it
// lands, this file holds the three functions the library needs from it,
// with the agreed behaviour; deps.go takes them over.

import (
	"strings"
	"unicode"
)

func terms(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func queryTerms(q string) [][]string {
	var g [][]string
	for _, t := range terms(q) {
		g = append(g, []string{t})
	}
	return g
}

func slug(title string) string { return strings.Join(terms(title), "-") }
