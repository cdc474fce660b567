package i18n

import (
	"fmt"
	"time"
	// The zone database inside the binary: the site shows Kazakhstan's
	// time on a server without /usr/share/zoneinfo (a scratch container)
	// and with the 2024 change (one zone, UTC+5, from 1 March 2024)
	// whatever the host's tzdata is.
	_ "time/tzdata"

	"golang.org/x/text/language"
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

// Counts with plural forms. A message whose file gives plural forms
// (load.go) is chosen by the CLDR plural rules of golang.org/x/text
// (feature/plural) when T is given a count as its first argument:
// "0 просмотров", "1 просмотр", "2 просмотра", "21 просмотр". The forms
// live in an x/text catalog, one printer per language.

// tags are the x/text language tags of the site's languages.
var tags = map[Lang]language.Tag{KK: language.Kazakh, RU: language.Russian, EN: language.English}

// pluralT formats a counted message, or reports false when key has no
// plural forms or the first argument is not a count.
func pluralT(l Lang, key string, args []any) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	if e, ok := loaded.entries[key]; !ok || e.forms == nil {
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
	case int16:
		n = int(v)
	case int8:
		n = int(v)
	case uint:
		n = int(v)
	case uint64:
		n = int(v)
	case uint32:
		n = int(v)
	case uint16:
		n = int(v)
	case uint8:
		n = int(v)
	default:
		return "", false
	}
	p, ok := loaded.printers[l]
	if !ok {
		p = loaded.printers[Default]
	}
	return p.Sprintf(key, n), true
}
