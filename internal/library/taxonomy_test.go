package library_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// The starting taxonomy is seeded once, names in three languages with the
// abbreviations teachers use; seeding again keeps an administrator's edits.
func TestTaxonomySeedAndEdit(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{})
		tax, err := e.lib.Taxonomy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tax.Subjects) != 31 || len(tax.Types) != 19 || len(tax.Grades) != 14 {
			t.Fatalf("seeded %d subjects, %d types, %d grades; want 31, 19, 14", len(tax.Subjects), len(tax.Types), len(tax.Grades))
		}
		plan, ok := tax.Lookup(library.KindType, "short-term-plan")
		if !ok || plan.AbbrIn(i18n.KK) != "ҚМЖ" || plan.AbbrIn(i18n.RU) != "КСП" || plan.LabelIn(i18n.KK) != "ҚМЖ — Қысқа мерзімді жоспар" {
			t.Fatalf("short-term plan: %+v", plan)
		}
		if g, _ := tax.Lookup(library.KindGrade, "5"); g.NameIn(i18n.KK) != "5-сынып" || g.NameIn(i18n.RU) != "5 класс" {
			t.Fatalf("grade 5: %+v", g)
		}

		in := library.TermInput{Kind: library.KindSubject, Code: "algebra", Name: [3]string{"Алгебра және анализ бастамалары", "Алгебра и начала анализа", "Algebra and calculus"}, Sort: 5, Active: false}
		if err := e.lib.SaveTerm(ctx, in); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.SeedTaxonomy(ctx); err != nil {
			t.Fatal(err)
		}
		tax, _ = e.lib.Taxonomy(ctx)
		a, _ := tax.Lookup(library.KindSubject, "algebra")
		if a.NameIn(i18n.KK) != in.Name[0] || a.Active || len(tax.Subjects) != 31 {
			t.Fatalf("after reseed the edit is lost: %+v (%d subjects)", a, len(tax.Subjects))
		}

		for _, c := range []struct {
			name  string
			in    library.TermInput
			field string
		}{
			{"bad kind", library.TermInput{Kind: "colour", Code: "x", Name: [3]string{"а", "б", "c"}}, "kind"},
			{"code with capitals", library.TermInput{Kind: library.KindType, Code: "Plan", Name: [3]string{"а", "б", "c"}}, "code"},
			{"missing Russian name", library.TermInput{Kind: library.KindType, Code: "plan", Name: [3]string{"а", " ", "c"}}, "name_ru"},
		} {
			err := e.lib.SaveTerm(ctx, c.in)
			var fs apperr.Fields
			if !errors.As(err, &fs) || fs[0].Field != c.field {
				t.Errorf("%s: got %v, want a field error on %s", c.name, err, c.field)
			}
		}
	})
}

// Report deadlines count working days in Kazakhstan: weekends and
// holidays do not count, and a holiday on a weekend moves the day off.
// The days off are rows of the privacy package's calendar, as an
// administrator enters them for the years before the seeded ones.
func TestDeadline(t *testing.T) {
	t.Parallel()
	kz := library.Kazakhstan
	cal := privacy.NewCalendar([]privacy.Holiday{
		// Nauryz 2024: 21–23 March, the Saturday one moved to Monday 25.
		{Day: "2024-03-21", Off: true}, {Day: "2024-03-22", Off: true}, {Day: "2024-03-23", Off: true}, {Day: "2024-03-25", Off: true},
		// 2022-01-01 and 01-02 fell on a weekend: 3 and 4 January were off.
		{Day: "2022-01-01", Off: true}, {Day: "2022-01-02", Off: true}, {Day: "2022-01-03", Off: true}, {Day: "2022-01-04", Off: true},
	})
	for _, c := range []struct {
		name string
		from time.Time
		want string
	}{
		{"Monday morning → end of Tuesday", time.Date(2026, 3, 2, 9, 0, 0, 0, kz), "2026-03-03"},
		{"Friday → end of Monday", time.Date(2025, 10, 3, 17, 0, 0, 0, kz), "2025-10-06"},
		{"Saturday → end of Monday", time.Date(2025, 10, 4, 12, 0, 0, 0, kz), "2025-10-06"},
		{"before Nauryz → after the holidays and the Monday the Saturday one moved to", time.Date(2024, 3, 20, 10, 0, 0, 0, kz), "2024-03-26"},
		{"UTC evening is the next day in Kazakhstan", time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC), "2026-03-04"},
		{"new year on a weekend", time.Date(2021, 12, 31, 10, 0, 0, 0, kz), "2022-01-05"},
	} {
		got := library.Deadline(cal, c.from, 1)
		if got.In(kz).Format("2006-01-02") != c.want || got.In(kz).Hour() != 23 {
			t.Errorf("%s: deadline %s, want end of %s", c.name, got.In(kz), c.want)
		}
	}
	r := library.ReportDeadlines[library.ReasonPersonalData]
	if r.WorkingDays != 1 || !r.Statutory {
		t.Errorf("personal data deadline: %+v, want 1 working day from the law", r)
	}
	// The statutory row is the privacy table's take-down row, article and all.
	if tk, _ := privacy.RuleFor(privacy.RequestTakedown); r.WorkingDays != tk.WorkingDays || !strings.Contains(r.Source, tk.Article) {
		t.Errorf("personal data deadline %+v does not follow the privacy rules table %+v", r, tk)
	}
}

// A report's deadline follows the calendar in the database (clause 3.2):
// the seeded 7 January is a day off, and a holiday an administrator adds
// on /admin/holidays moves the deadline of a report filed afterwards.
func TestReportDeadlineFollowsHolidayCalendar(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author, admin := e.user("user"), e.user("admin")
		m, err := e.publish(author, validInput(), upload{"p.pdf", pdf(t, "p")})
		if err != nil {
			t.Fatal(err)
		}
		due := func() string {
			t.Helper()
			dl, err := e.lib.Report(ctx, m.ID, library.ReportInput{Reason: library.ReasonPersonalData})
			if err != nil {
				t.Fatal(err)
			}
			return dl.In(library.Kazakhstan).Format("2006-01-02 15:04")
		}
		// Tuesday 6 January 2026: Wednesday 7 January (Christmas) is off.
		e.clock.now = time.Date(2026, 1, 6, 10, 0, 0, 0, library.Kazakhstan)
		if got := due(); got != "2026-01-08 23:59" {
			t.Errorf("report on 6 January: deadline %s, want the end of 8 January", got)
		}
		e.clock.now = time.Date(2026, 3, 2, 9, 0, 0, 0, library.Kazakhstan)
		if got := due(); got != "2026-03-03 23:59" {
			t.Fatalf("before the edit: deadline %s, want the end of Tuesday 3 March", got)
		}
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		if err := privacy.NewHolidays(d, audit.New(d, v)).Set(ctx, "2026-03-03", true, "Қосымша демалыс күні", admin, 1); err != nil {
			t.Fatal(err)
		}
		if got := due(); got != "2026-03-04 23:59" {
			t.Errorf("after an administrator made 3 March a day off: deadline %s, want the end of 4 March", got)
		}
	})
}
