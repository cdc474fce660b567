package i18n

import (
	"fmt"
	"sync"
	"time"
	// The zone database inside the binary: the site shows Kazakhstan's
	// time on a server without /usr/share/zoneinfo (a scratch container)
	// and with the 2024 change (one zone, UTC+5, from 1 March 2024)
	// whatever the host's tzdata is.
	_ "time/tzdata"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	xcatalog "golang.org/x/text/message/catalog"
)

// Zone is Kazakhstan's time zone, in which the site shows every time.
// Since 1 March 2024 the whole country is on UTC+5 (Asia/Almaty moved
// from +6); the embedded tzdata knows both, so older times show as they
// were on the clock then.
var Zone = mustZone("Asia/Almaty")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic("i18n: time zone " + name + ": " + err.Error())
	}
	return z
}

// months are the month names as a date is written in each language:
// Kazakh and English in the nominative, Russian in the genitive
// ("3 декабря 2026").
var months = map[Lang][12]string{
	KK: {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
	RU: {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	EN: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Date writes the day of t in Kazakhstan as people write it in l:
// "3 желтоқсан 2026", "3 декабря 2026", "3 December 2026". The zero
// time is "—".
func Date(l Lang, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(Zone)
	ms, ok := months[l]
	if !ok {
		ms = months[Default]
	}
	return fmt.Sprintf("%d %s %d", t.Day(), ms[t.Month()-1], t.Year())
}

// DateTime is Date with the clock time and the zone's offset, for the
// places where the hour matters (sessions, deadlines, the audit log):
// "3 декабря 2026, 17:05 (UTC+5)".
func DateTime(l Lang, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(Zone)
	_, off := t.Zone()
	zone := fmt.Sprintf("UTC%+d", off/3600)
	if off%3600 != 0 {
		zone = fmt.Sprintf("UTC%+d:%02d", off/3600, (off%3600)/60)
	}
	return fmt.Sprintf("%s, %02d:%02d (%s)", Date(l, t), t.Hour(), t.Minute(), zone)
}

// Counts with plural forms. A key registered with addPlural is chosen by
// the CLDR plural rules of golang.org/x/text (feature/plural) when T is
// given a count as its first argument: "0 просмотров", "1 просмотр",
// "2 просмотра", "21 просмотр". The messages live in an x/text catalog,
// the same form gotext reads from and writes to message files (see
// docs/architecture.md, "Messages").
var (
	pluralMu  sync.RWMutex
	pluralCat = xcatalog.NewBuilder(xcatalog.Fallback(language.Kazakh))
	pluralSet = map[string]bool{}
	printers  = map[Lang]*message.Printer{}
)

// tags are the x/text language tags of the site's languages.
var tags = map[Lang]language.Tag{KK: language.Kazakh, RU: language.Russian, EN: language.English}

// Plural is one counted message: per language, the plural.Selectf cases
// ("one", "%d просмотр", "few", "%d просмотра", "other", …). "other" is
// required in each.
type Plural map[Lang][]any

// addPlural registers counted messages; the key must also be in the
// plain catalogue (the fallback and the completeness test's view).
func addPlural(ps map[string]Plural) {
	pluralMu.Lock()
	defer pluralMu.Unlock()
	for key, p := range ps {
		if pluralSet[key] {
			panic("i18n: duplicate plural key " + key)
		}
		for _, l := range Langs {
			cases, ok := p[l]
			if !ok {
				panic("i18n: plural " + key + " lacks " + string(l))
			}
			if err := pluralCat.Set(tags[l], key, plural.Selectf(1, "%d", cases...)); err != nil {
				panic("i18n: plural " + key + ": " + err.Error())
			}
		}
		pluralSet[key] = true
	}
	for _, l := range Langs {
		printers[l] = message.NewPrinter(tags[l], message.Catalog(pluralCat))
	}
}

// plural formats a counted message, or reports false when key has no
// plural forms or the first argument is not a count.
func pluralT(l Lang, key string, args []any) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	pluralMu.RLock()
	defer pluralMu.RUnlock()
	if !pluralSet[key] {
		return "", false
	}
	var n int
	switch v := args[0].(type) {
	case int:
		n = v
	case int64:
		n = int(v)
	case int32:
		n = int(v)
	default:
		return "", false
	}
	p, ok := printers[l]
	if !ok {
		p = printers[Default]
	}
	return p.Sprintf(key, n), true
}
