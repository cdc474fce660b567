package search

import (
	"strings"

	"github.com/kljensen/snowball/russian"
)

// StemRU returns the Russian Snowball stem of word (презентация, презентации,
// презентацию → презентац), lower-cased, with ё read as е, which the Snowball
// implementation does not do itself.
func StemRU(word string) string {
	w := strings.ReplaceAll(lowerNFC(word), "ё", "е")
	return russian.Stem(w, true)
}
