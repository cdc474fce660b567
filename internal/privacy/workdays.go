package privacy

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Working days of Kazakhstan (issue 12 §2). A day is a working day when
// it is Monday to Friday and not a day off in the holiday calendar, or a
// Saturday or Sunday the calendar makes a working day (a day off moved by
// a government decree). The calendar is data in the holidays table, seeded
// by migration 0022 and edited by administrators on /admin/holidays.

// Almaty is the time zone deadlines are counted in: Kazakhstan has used
// one time zone, UTC+5, since 1 March 2024. A fixed zone keeps the result
// independent of the server's tz database.
var Almaty = time.FixedZone("Asia/Almaty", 5*60*60)

// DayLayout is how a calendar day is written in the table and the forms.
const DayLayout = "2006-01-02"

// Holiday is one row of the calendar.
type Holiday struct {
	Day  string // YYYY-MM-DD
	Off  bool   // true: a day off; false: a weekend day made a working day
	Name string
}

// Calendar is a snapshot of the holiday table, for counting.
type Calendar struct {
	days map[string]bool // day → off
}

// NewCalendar builds a calendar from rows (tests use it directly).
func NewCalendar(hs []Holiday) *Calendar {
	c := &Calendar{days: map[string]bool{}}
	for _, h := range hs {
		c.days[h.Day] = h.Off
	}
	return c
}

// Working reports whether the calendar day of t (in Almaty) is a working day.
func (c *Calendar) Working(t time.Time) bool {
	t = t.In(Almaty)
	if off, ok := c.days[t.Format(DayLayout)]; ok {
		return !off
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the end of the n-th working day after the day of
// from (in Almaty): a request received on any day, working or not, has
// until 23:59:59 of that day. n = 0 gives the end of from's own day when
// it is a working day, else of the next working day.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	d := from.In(Almaty)
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Almaty)
	if n <= 0 {
		for !c.Working(d) {
			d = d.AddDate(0, 0, 1)
		}
	}
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		if c.Working(d) {
			i++
		}
	}
	return d.AddDate(0, 0, 1).Add(-time.Second)
}

// Deadline is the deadline of a request of type t received at from, by
// the rules table.
func (c *Calendar) Deadline(t RequestType, from time.Time) (time.Time, error) {
	r, ok := RuleFor(t)
	if !ok {
		return time.Time{}, fmt.Errorf("privacy: no deadline rule for %q", t)
	}
	return c.AddWorkingDays(from, r.WorkingDays), nil
}

// Holidays reads and edits the calendar.
type Holidays struct {
	db    *db.DB
	audit *audit.Log
}

// NewHolidays returns the calendar store over d; edits are audited in a.
func NewHolidays(d *db.DB, a *audit.Log) *Holidays { return &Holidays{db: d, audit: a} }

// List returns every row, in date order.
func (h *Holidays) List(ctx context.Context) ([]Holiday, error) {
	rows, err := h.db.Query(ctx, `SELECT day, off, name FROM holidays ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("privacy: holidays: %w", err)
	}
	defer rows.Close()
	var out []Holiday
	for rows.Next() {
		var x Holiday
		var off int
		if err := rows.Scan(&x.Day, &off, &x.Name); err != nil {
			return nil, fmt.Errorf("privacy: holidays: %w", err)
		}
		x.Off = off != 0
		out = append(out, x)
	}
	return out, rows.Err()
}

// Calendar returns the calendar as it is now in the database (every node
// reads the same table, so every node counts the same deadline).
func (h *Holidays) Calendar(ctx context.Context) (*Calendar, error) {
	hs, err := h.List(ctx)
	if err != nil {
		return nil, err
	}
	return NewCalendar(hs), nil
}

// MaxHolidayName bounds a day's name, in characters.
const MaxHolidayName = 200

// ParseDay reads a YYYY-MM-DD day from a form; a day outside 2000–2100 is
// refused as a typo.
func ParseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DayLayout, s, Almaty)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, apperr.Field("day", "privacy.holidays.day_bad")
	}
	return t, nil
}

// Set adds or replaces the row of day, as done by administrator by from
// session, audited in the same transaction.
func (h *Holidays) Set(ctx context.Context, day string, off bool, name string, by, session int64) error {
	t, err := ParseDay(day)
	if err != nil {
		return err
	}
	name = clean(name)
	switch {
	case name == "":
		return apperr.Field("name", "privacy.holidays.name_required")
	case utf8.RuneCountInString(name) > MaxHolidayName:
		return apperr.Field("name", "privacy.contacts.too_long", MaxHolidayName)
	}
	if wd := t.Weekday(); !off && wd != time.Saturday && wd != time.Sunday {
		// Monday to Friday are working days already: a row saying so is a
		// mistake for "a day off".
		return apperr.Field("off", "privacy.holidays.workday_weekday")
	}
	day = t.Format(DayLayout)
	o := 0
	if off {
		o = 1
	}
	err = h.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO holidays (day, off, name, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET off = excluded.off, name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			day, o, name, by, db.Now()); err != nil {
			return err
		}
		_, err := h.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionSettingsChange,
			Detail: fmt.Sprintf("holiday set %s off=%t", day, off)})
		return err
	})
	if err != nil {
		return fmt.Errorf("privacy: set holiday: %w", err)
	}
	return nil
}

// Remove deletes the row of day (it becomes an ordinary day), audited.
func (h *Holidays) Remove(ctx context.Context, day string, by, session int64) error {
	t, err := ParseDay(day)
	if err != nil {
		return err
	}
	day = t.Format(DayLayout)
	err = h.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM holidays WHERE day = ?`, day)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "privacy.holidays.not_found")
		}
		_, err = h.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionSettingsChange,
			Detail: "holiday removed " + day})
		return err
	})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return err
		}
		return fmt.Errorf("privacy: remove holiday: %w", err)
	}
	return nil
}
