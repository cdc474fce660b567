package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, privacy.Almaty)
	if err != nil {
		panic(err)
	}
	return t
}

func dayOf(t time.Time) string { return t.In(privacy.Almaty).Format(privacy.DayLayout) }

// seeded reads the calendar migration 0022 seeds.
func seeded(t *testing.T, d *db.DB) (*privacy.Holidays, *privacy.Calendar) {
	t.Helper()
	v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	h := privacy.NewHolidays(d, audit.New(d, v))
	cal, err := h.Calendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h, cal
}

// Issue 12 §2 (law L9–L13, L15): each request type's deadline, counted
// in working days of Kazakhstan across weekends, holidays and moved days
// off, from the calendar seeded in the database — on both engines.
func TestDeadlinesAcrossWeekendsAndHolidays(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		_, cal := seeded(t, d)
		cases := []struct {
			name string
			typ  privacy.RequestType
			from time.Time
			want string
		}{
			{"access on an ordinary Monday", privacy.RequestAccess, at("2026-11-30", "10:00"), "2026-12-03"},
			{"access on Friday runs over the weekend", privacy.RequestAccess, at("2026-11-27", "16:00"), "2026-12-02"},
			{"access on Saturday counts from Monday", privacy.RequestAccess, at("2026-11-28", "09:00"), "2026-12-02"},
			{"access over Independence Day (Wed 16 Dec)", privacy.RequestAccess, at("2026-12-14", "12:00"), "2026-12-18"},
			{"correction the evening before New Year", privacy.RequestCorrect, at("2026-12-31", "23:30"), "2027-01-05"},
			{"blocking over Nauryz and its moved days (21–25 Mar 2026)", privacy.RequestBlock, at("2026-03-20", "09:00"), "2026-03-26"},
			{"access over Nauryz 2026", privacy.RequestAccess, at("2026-03-19", "09:00"), "2026-03-27"},
			{"unblocking over 8 March moved to Monday 9 March", privacy.RequestUnblock, at("2026-03-06", "18:00"), "2026-03-10"},
			{"takedown before the May holidays 2026", privacy.RequestTakedown, at("2026-05-06", "09:00"), "2026-05-08"},
			{"takedown over Victory Day moved to 11 May", privacy.RequestTakedown, at("2026-05-08", "09:00"), "2026-05-12"},
			{"access over Kurban ait 2026 (Wed 27 May)", privacy.RequestAccess, at("2026-05-25", "09:00"), "2026-05-29"},
			{"deletion over Constitution Day moved to 31 Aug", privacy.RequestDelete, at("2026-08-28", "09:00"), "2026-09-01"},
			{"breach notice over Republic Day moved to 26 Oct", privacy.RequestBreachNote, at("2026-10-23", "09:00"), "2026-10-27"},
			{"access over New Year 2027 (moved day off 4 Jan, Christmas 7 Jan)", privacy.RequestAccess, at("2026-12-31", "10:00"), "2027-01-08"},
			{"access over the May holidays 2027", privacy.RequestAccess, at("2027-05-05", "10:00"), "2027-05-12"},
			{"withdrawal on Kurban ait 2027 (a Sunday, not moved)", privacy.RequestWithdraw, at("2027-05-16", "10:00"), "2027-05-17"},
			{"access on Capital Day 2027", privacy.RequestAccess, at("2027-07-06", "10:00"), "2027-07-09"},
		}
		for _, c := range cases {
			got, err := cal.Deadline(c.typ, c.from)
			if err != nil {
				t.Fatal(err)
			}
			if dayOf(got) != c.want {
				t.Errorf("%s: due %s, want %s", c.name, dayOf(got), c.want)
			}
			if got.In(privacy.Almaty).Format("15:04:05") != "23:59:59" {
				t.Errorf("%s: due at %s, want the end of the day", c.name, got.In(privacy.Almaty).Format("15:04:05"))
			}
		}
	})
}

// A request received late in the evening by UTC is already the next day
// in Almaty: the day is counted in Kazakhstan's time.
func TestDeadlineUsesAlmatyDay(t *testing.T) {
	cal := privacy.NewCalendar(nil)
	// Friday 2026-11-27 20:00 UTC is Saturday 01:00 in Almaty.
	got := cal.AddWorkingDays(time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC), 1)
	if dayOf(got) != "2026-11-30" {
		t.Errorf("due %s, want 2026-11-30 (Monday)", dayOf(got))
	}
	// 0 working days: the end of the same working day, or of the next one.
	if d := dayOf(cal.AddWorkingDays(at("2026-11-28", "10:00"), 0)); d != "2026-11-30" {
		t.Errorf("0 days from Saturday: %s", d)
	}
}

// A Saturday the government makes a working day counts; an added day
// off does not.
func TestCalendarEditsChangeDeadlines(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		h, cal := seeded(t, d)
		from := at("2027-11-26", "10:00") // a Friday
		if d := dayOf(cal.AddWorkingDays(from, 1)); d != "2027-11-29" {
			t.Fatalf("before: %s", d)
		}
		if err := h.Set(ctx, "2027-11-27", false, "Жұмыс сенбісі", 1, 1); err != nil {
			t.Fatal(err)
		}
		if err := h.Set(ctx, "2027-11-29", true, "Ауыстырылған демалыс", 1, 1); err != nil {
			t.Fatal(err)
		}
		cal, _ = h.Calendar(ctx)
		if d := dayOf(cal.AddWorkingDays(from, 1)); d != "2027-11-27" {
			t.Errorf("with a working Saturday: %s, want 2027-11-27", d)
		}
		if d := dayOf(cal.AddWorkingDays(from, 2)); d != "2027-11-30" {
			t.Errorf("with Monday off: %s, want 2027-11-30", d)
		}
		if err := h.Remove(ctx, "2027-11-27", 1, 1); err != nil {
			t.Fatal(err)
		}
		cal, _ = h.Calendar(ctx)
		if d := dayOf(cal.AddWorkingDays(from, 1)); d != "2027-11-30" {
			t.Errorf("after removing the working Saturday: %s", d)
		}
		// Each edit is audited.
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, audit.ActionSettingsChange).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("%d audit entries, want 3", n)
		}
		// Bad input is refused with a field error and nothing written.
		for _, bad := range []struct {
			day, name, field string
			off              bool
		}{
			{"31.12.2027", "x", "day", true}, {"1999-01-01", "x", "day", true}, {"2027-12-01", "", "name", true},
			{"2027-12-01", "Wednesday", "off", false},
		} {
			err := h.Set(ctx, bad.day, bad.off, bad.name, 1, 1)
			if e, ok := apperr.As(err); !ok || e.Field != bad.field {
				t.Errorf("%s/%q: %v, want a field error on %s", bad.day, bad.name, err, bad.field)
			}
		}
		if err := h.Remove(ctx, "2030-02-02", 1, 1); err == nil {
			t.Errorf("removing a day not in the calendar succeeded")
		}
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ?`, audit.ActionSettingsChange).Scan(&n)
		if n != 3 {
			t.Errorf("refused edits were audited: %d entries", n)
		}
	})
}

// The seeded calendar holds every public holiday of 2026 and 2027.
func TestSeededHolidays(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		_, cal := seeded(t, d)
		for _, day := range []string{"2026-01-01", "2026-01-02", "2026-01-07", "2026-03-09", "2026-03-23", "2026-03-24", "2026-03-25",
			"2026-05-01", "2026-05-07", "2026-05-11", "2026-05-27", "2026-07-06", "2026-08-31", "2026-10-26", "2026-12-16",
			"2027-01-04", "2027-03-08", "2027-03-22", "2027-03-23", "2027-03-24", "2027-05-03", "2027-05-07", "2027-05-10",
			"2027-07-06", "2027-08-30", "2027-10-25", "2027-12-16"} {
			if cal.Working(at(day, "12:00")) {
				t.Errorf("%s is a working day in the seeded calendar", day)
			}
		}
		for _, day := range []string{"2026-03-26", "2026-05-12", "2027-05-17", "2027-01-05"} {
			if !cal.Working(at(day, "12:00")) {
				t.Errorf("%s is not a working day", day)
			}
		}
	})
}

// Every request type has a rule with an article of the law.
func TestRulesTable(t *testing.T) {
	for _, r := range privacy.Rules {
		if r.WorkingDays < 1 || r.Article == "" || r.LawItem == "" {
			t.Errorf("rule %s is incomplete", r.Type)
		}
	}
	for typ, days := range map[privacy.RequestType]int{privacy.RequestAccess: 3, privacy.RequestCorrect: 1, privacy.RequestBlock: 1,
		privacy.RequestUnblock: 1, privacy.RequestTakedown: 1} {
		if r, ok := privacy.RuleFor(typ); !ok || r.WorkingDays != days {
			t.Errorf("%s: %d working days, want %d", typ, r.WorkingDays, days)
		}
	}
	if _, err := privacy.NewCalendar(nil).Deadline("nonsense", time.Now()); err == nil {
		t.Errorf("an unknown request type has a deadline")
	}
}
