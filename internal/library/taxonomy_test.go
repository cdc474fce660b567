package library_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
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
func TestDeadline(t *testing.T) {
	t.Parallel()
	kz := library.Kazakhstan
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
		// 2022-01-01 and 01-02 fell on a weekend: 3 and 4 January were off.
		{"new year on a weekend", time.Date(2021, 12, 31, 10, 0, 0, 0, kz), "2022-01-05"},
	} {
		got := library.Deadline(c.from, 1)
		if got.In(kz).Format("2006-01-02") != c.want || got.In(kz).Hour() != 23 {
			t.Errorf("%s: deadline %s, want end of %s", c.name, got.In(kz), c.want)
		}
	}
	if r := library.ReportDeadlines[library.ReasonPersonalData]; r.WorkingDays != 1 || !r.Statutory {
		t.Errorf("personal data deadline: %+v, want 1 working day from the law", r)
	}
}
