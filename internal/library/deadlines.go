package library

import (
	"sync"
	"time"
)

// DeadlineRule is how long the site has to decide a report of one kind,
// and where that comes from. Every deadline of the library is in
// ReportDeadlines, so a correction of the law's reading is one edit here
// (LAW.md asks for exactly this).
type DeadlineRule struct {
	// WorkingDays after the day the report arrives, to the end of the day
	// in Kazakhstan.
	WorkingDays int
	// Source names the article of the law, or says the deadline is the
	// site's own target.
	Source string
	// Statutory is true when the law sets the deadline.
	Statutory bool
}

// ReportDeadlines maps a report reason to its deadline.
var ReportDeadlines = map[string]DeadlineRule{
	// LAW.md L9: personal data published unlawfully in public sources is
	// removed within one working day of the subject's demand.
	ReasonPersonalData: {WorkingDays: 1, Statutory: true,
		Source: "Law of the RK No. 94-V of 21.05.2013 «On personal data and their protection», Art. 6 (removal from public sources: 1 working day) — LAW.md L9"},
	ReasonCopyright:    {WorkingDays: 3, Source: "site's own target (no statutory deadline)"},
	ReasonWrongContent: {WorkingDays: 3, Source: "site's own target (no statutory deadline)"},
	ReasonOther:        {WorkingDays: 5, Source: "site's own target (no statutory deadline)"},
}

// Kazakhstan is the time zone deadlines are counted in: one zone, UTC+5,
// for the whole country since 1 March 2024.
var Kazakhstan = time.FixedZone("Asia/Almaty", 5*3600)

// holidays are the fixed-date public holidays of the RK that are days
// off (Law «On holidays in the RK», Art. 1, 5). Kurban ait moves with the
// lunar calendar and is added by the government's decree each year: add
// its date to extraHolidays when it is published.
var holidays = map[[2]int]bool{
	{1, 1}: true, {1, 2}: true, {3, 8}: true, {3, 21}: true, {3, 22}: true, {3, 23}: true,
	{5, 1}: true, {5, 7}: true, {5, 9}: true, {7, 6}: true, {8, 30}: true, {10, 25}: true, {12, 16}: true,
}

// extraHolidays are moving days off ("2026-05-27").
var extraHolidays = map[string]bool{}

// isDayOff reports whether day (in Kazakhstan) is not a working day: a
// weekend, a holiday, or the working day a holiday on a weekend moves to
// (Labour Code of the RK: a holiday on a day off moves the day off to the
// next working day — article to confirm, as LAW.md marks such numbers).
func isDayOff(day time.Time) bool {
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return true
	}
	if holidays[[2]int{int(day.Month()), day.Day()}] || extraHolidays[day.Format("2006-01-02")] {
		return true
	}
	return movedDaysOff(day.Year())[day.YearDay()]
}

var movedCache sync.Map // year → map[yearDay]bool

// movedDaysOff lists the weekdays of a year that are off because a
// holiday fell on a weekend: each such holiday, in date order, takes the
// next weekday that is neither a holiday nor already taken.
func movedDaysOff(year int) map[int]bool {
	if m, ok := movedCache.Load(year); ok {
		return m.(map[int]bool)
	}
	out := map[int]bool{}
	weekend := func(d time.Time) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
	holiday := func(d time.Time) bool { return holidays[[2]int{int(d.Month()), d.Day()}] }
	start := time.Date(year, 1, 1, 0, 0, 0, 0, Kazakhstan)
	for d := start; d.Year() == year; d = d.AddDate(0, 0, 1) {
		if !holiday(d) || !weekend(d) {
			continue
		}
		for n := d.AddDate(0, 0, 1); ; n = n.AddDate(0, 0, 1) {
			if weekend(n) || holiday(n) || (n.Year() == year && out[n.YearDay()]) {
				continue
			}
			if n.Year() == year {
				out[n.YearDay()] = true
			}
			break
		}
	}
	movedCache.Store(year, out)
	return out
}

// Deadline is the end (23:59:59.999 in Kazakhstan) of the n-th working
// day after the day of from: a period counted in days begins the day
// after the event (Civil Code of the RK, Art. 173).
func Deadline(from time.Time, workingDays int) time.Time {
	d := from.In(Kazakhstan)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Kazakhstan)
	for left := workingDays; left > 0; {
		day = day.AddDate(0, 0, 1)
		if !isDayOff(day) {
			left--
		}
	}
	return day.AddDate(0, 0, 1).Add(-time.Millisecond)
}
