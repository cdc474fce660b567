// Package i18n holds the site's messages in Kazakh (the default), Russian
// and English, and picks the reader's language. The messages are message
// files, one per feature (messages/<feature>.json, see messages/README.md),
// so translators edit text, not Go, and no two features edit the same
// file; tests check that every key has all three languages and that the
// Kazakh text uses Kazakh letters, not look-alikes.
package i18n

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Lang is a supported language code.
type Lang string

const (
	KK Lang = "kk"
	RU Lang = "ru"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{KK, RU, EN}

// Default is the language used when nothing else says.
const Default = KK

// Message is one message in the three languages.
type Message struct{ KK, RU, EN string }

// Parse returns the language named by s, or false.
func Parse(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "kk", "kz", "kk-kz":
		return KK, true
	case "ru", "ru-ru", "ru-kz":
		return RU, true
	case "en", "en-us", "en-gb":
		return EN, true
	}
	return "", false
}

// FromAcceptLanguage picks the best supported language from an
// Accept-Language header, by q-value, or Default.
func FromAcceptLanguage(h string) Lang {
	best, bestQ := Default, -1.0
	for _, part := range strings.Split(h, ",") {
		tag, q := part, 1.0
		if i := strings.Index(part, ";"); i >= 0 {
			tag = part[:i]
			var qv float64
			if _, err := fmt.Sscanf(strings.TrimSpace(part[i+1:]), "q=%g", &qv); err == nil {
				q = qv
			}
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		if i := strings.Index(tag, "-"); i >= 0 {
			tag = tag[:i]
		}
		if l, ok := Parse(tag); ok && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// FromRequest picks the language: the "lang" cookie (the user's own
// choice), then Accept-Language.
func FromRequest(r *http.Request) Lang {
	if c, err := r.Cookie("lang"); err == nil {
		if l, ok := Parse(c.Value); ok {
			return l
		}
	}
	return FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// T translates key into lang, formatting args with fmt.Sprintf when given.
// A counted message (plural forms in its file) given a count as its first
// argument takes the form of that count. A missing key returns the key
// itself, so it is visible and a test catches it.
func T(lang Lang, key string, args ...any) string {
	if s, ok := pluralT(lang, key, args); ok {
		return s
	}
	e, ok := loaded.entries[key]
	if !ok {
		return key
	}
	s := e.text.get(lang)
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := loaded.entries[key]
	return ok
}

// Keys lists every key, sorted (for tests).
func Keys() []string {
	ks := make([]string, 0, len(loaded.entries))
	for k := range loaded.entries {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Lookup returns the message for key; for a counted message, its "other"
// forms.
func Lookup(key string) (Message, bool) {
	e, ok := loaded.entries[key]
	if !ok {
		return Message{}, false
	}
	return e.text, true
}
