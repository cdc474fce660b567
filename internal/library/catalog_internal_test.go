package library

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// TestBrowsePlans pages through every filter combination of a library
// with skewed facets (some combinations dense, some with one material,
// some empty), in every sort, with a window small enough that both plans
// of browse run, and compares each listing with what the rows say it must
// be: the published materials that match, in the sort's order, each
// once. Ties in the sort column (equal views) are broken by id.
func TestBrowsePlans(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		s := New(d, v, nil, Options{})
		if err := s.SeedTaxonomy(ctx); err != nil {
			t.Fatal(err)
		}
		author := db.NewID()
		if _, err := d.Exec(ctx, `INSERT INTO users (id, role, status, password_hash, locale, created_at, updated_at) VALUES (?, 'user', 'active', '', 'kk', 1, 1)`, author); err != nil {
			t.Fatal(err)
		}
		type row struct {
			id                            int64
			subject, grade, typ, lang, st string
			published, views, downloads   int64
		}
		r := rand.New(rand.NewPCG(1, 2))
		// Skewed: most materials are mathematics in Kazakh; physics in
		// English exists once; chemistry olympiads not at all.
		pick := func(common string, rare ...string) string {
			if r.IntN(10) < 8 {
				return common
			}
			return rare[r.IntN(len(rare))]
		}
		var rows []row
		for i := range 300 {
			x := row{
				id:      db.NewID(),
				subject: pick("mathematics", "algebra", "physics", "chemistry"),
				grade:   pick("5", "6", "7", "preschool"),
				typ:     pick("short-term-plan", "presentation", "test"),
				lang:    pick("kk", "ru"),
				st:      pick(string(StatusPublished), string(StatusPending), string(StatusWithdrawn)),
				// Coarse values so that many share a sort value.
				published: int64(1_700_000_000_000 + r.IntN(50)*1000),
				views:     int64(r.IntN(8)),
				downloads: int64(r.IntN(3)),
			}
			if i == 0 {
				x.subject, x.lang, x.st = "physics", "en", string(StatusPublished)
			}
			rows = append(rows, x)
			if _, err := d.Exec(ctx, `INSERT INTO materials (id, author_id, title, subject, grade, type, language, status, slug, views, downloads, created_at, updated_at, published_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, 1, 1, ?)`, x.id, author, fmt.Sprint("m", i), x.subject, x.grade, x.typ, x.lang, x.st, x.views, x.downloads, x.published); err != nil {
				t.Fatal(err)
			}
		}
		key := func(x row, so Sort) int64 {
			switch so {
			case SortPopular:
				return x.views
			case SortDownloads:
				return x.downloads
			}
			return x.published
		}
		want := func(f Filter) []int64 {
			var m []row
			for _, x := range rows {
				if x.st == string(StatusPublished) && (f.Subject == "" || f.Subject == x.subject) && (f.Grade == "" || f.Grade == x.grade) &&
					(f.Type == "" || f.Type == x.typ) && (f.Language == "" || f.Language == x.lang) {
					m = append(m, x)
				}
			}
			slices.SortFunc(m, func(a, b row) int {
				if ka, kb := key(a, f.Sort), key(b, f.Sort); ka != kb {
					return -cmpInt(ka, kb)
				}
				return -cmpInt(a.id, b.id)
			})
			ids := make([]int64, len(m))
			for i, x := range m {
				ids[i] = x.id
			}
			return ids
		}
		var filters []Filter
		for _, subj := range []string{"", "mathematics", "physics", "chemistry"} {
			for _, grade := range []string{"", "5", "preschool"} {
				for _, typ := range []string{"", "short-term-plan", "test", "olympiad"} {
					for _, lang := range []string{"", "kk", "en"} {
						filters = append(filters, Filter{Subject: subj, Grade: grade, Type: typ, Language: lang})
					}
				}
			}
		}
		empty, single := 0, 0
		for _, win := range []int{8, 4000} {
			s.browseWindow = win
			for _, f := range filters {
				for _, so := range []Sort{SortNew, SortPopular, SortDownloads} {
					f.Sort = so
					exp := want(f)
					if len(exp) == 0 {
						empty++
					} else if len(exp) == 1 {
						single++
					}
					var got []int64
					var after Cursor
					for pages := 0; ; pages++ {
						if pages > 100 {
							t.Fatalf("%+v: the pages do not end", f)
						}
						p, err := s.List(ctx, f, after, 7)
						if err != nil {
							t.Fatal(err)
						}
						for _, c := range p.Items {
							got = append(got, c.ID)
						}
						if p.Next.IsZero() {
							break
						}
						after = p.Next
					}
					if !slices.Equal(got, exp) {
						t.Fatalf("window %d, %+v: listed %d materials, want %d (%v vs %v)", win, f, len(got), len(exp), got, exp)
					}
				}
			}
		}
		// The data must exercise what the plans are for.
		if empty == 0 || single == 0 {
			t.Fatalf("no empty (%d) or single (%d) combination: the test data lost its skew", empty, single)
		}
	})
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
