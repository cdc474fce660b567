package index_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search/index"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// rankLibrary is a library over d, with a clock that moves a minute per
// publication (so "newest" is certain), a function that publishes, and
// one that returns the library searching through another Searcher.
func rankLibrary(t *testing.T, d *db.DB) (func(title, desc, body string) string, func(library.Searcher) *library.Service) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	store, err := blob.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lib := library.New(d, v, store, library.Options{PublishImmediately: true, Now: func() time.Time { return now }})
	if err := lib.SeedTaxonomy(ctx); err != nil {
		t.Fatal(err)
	}
	author := db.NewID()
	if err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, role, status, password_hash, locale, email_verified_at, created_at, updated_at)
			VALUES (?, 'user', 'active', '', 'kk', ?, ?, ?)`, author, db.Now(), db.Now(), db.Now()); err != nil {
			return err
		}
		_, err := v.NewUserKey(ctx, tx, author)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	publish := func(title, desc, body string) string {
		t.Helper()
		now = now.Add(time.Minute)
		up := lib.NewUpload()
		if err := up.Add(ctx, "f.txt", strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		_, err := lib.Publish(ctx, author, library.Input{Title: title, Description: desc, Subject: "algebra", Grade: "7",
			Type: "presentation", Language: "kk", AuthorDeclaration: true}, up, library.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		return title
	}
	return publish, func(s library.Searcher) *library.Service {
		return library.New(d, v, store, library.Options{Searcher: s})
	}
}

// Relevance, the default order of a search: a material with the query's
// words in its title comes before one with them in its description, which
// comes before one with them only in its file text, newest first among
// equals — the same order from the plain SQL searcher and from every plan
// of the engine's index, on both engines. The count is exact, and pages
// split the ranked list without losing or repeating a material.
func TestRelevanceConformance(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		publish, libWith := rankLibrary(t, d)
		ctx := context.Background()
		publish("Тақырыпта: бөлшектер", "Сипаттама.", "Мәтін ішінде жоқ.")                    // title only, oldest
		publish("Басқа сабақ", "Бұл сипаттамада бөлшектерді қосу бар.", "Мәтін.")             // description
		publish("Үшінші сабақ", "Сипаттама.", "Файл мәтінінде бөлшектің суреті бар.")         // file text
		publish("Бөлшектер мен бөлшектер", "Бөлшек туралы.", "Бөлшек.")                       // title, newer
		publish("Теңдеулер", "Сипаттама.", "Мүлде басқа мәтін.")                              // no match
		publish("Жаңа файл", "Сипаттама.", "Бөлшектер және пайыздар, бөлшектерді салыстыру.") // file text, newest
		want := []string{"Бөлшектер мен бөлшектер", "Тақырыпта: бөлшектер", "Басқа сабақ", "Жаңа файл", "Үшінші сабақ"}
		for name, s := range searchers(d) {
			t.Run(name, func(t *testing.T) {
				lib := libWith(s)

				r, err := lib.Search(ctx, library.Filter{Q: "бөлшек", Sort: library.SortRelevance}, 1, 20)
				if err != nil {
					t.Fatal(err)
				}
				if got := titles(r.Items); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("ranked\n got %v\nwant %v", got, want)
				}
				if r.Total != 5 || r.More || r.Pages != 1 {
					t.Errorf("count %d more %v pages %d, want 5 false 1", r.Total, r.More, r.Pages)
				}
				var paged []string
				for p := 1; p <= 3; p++ {
					r, err := lib.Search(ctx, library.Filter{Q: "бөлшек", Sort: library.SortRelevance}, p, 2)
					if err != nil {
						t.Fatal(err)
					}
					if r.Pages != 3 || r.Page != p {
						t.Errorf("page %d: says page %d of %d, want of 3", p, r.Page, r.Pages)
					}
					paged = append(paged, titles(r.Items)...)
				}
				if fmt.Sprint(paged) != fmt.Sprint(want) {
					t.Errorf("pages of 2\n got %v\nwant %v", paged, want)
				}
				// Newest first when asked, as the catalog's keyset pages give it.
				r, err = lib.Search(ctx, library.Filter{Q: "бөлшек", Sort: library.SortNew}, 1, 20)
				if err != nil {
					t.Fatal(err)
				}
				if got := titles(r.Items); fmt.Sprint(got) != fmt.Sprint([]string{"Жаңа файл", "Бөлшектер мен бөлшектер", "Үшінші сабақ", "Басқа сабақ", "Тақырыпта: бөлшектер"}) {
					t.Errorf("newest first: %v", got)
				}
			})
		}
	})
}

// More materials match than are ranked (library.CountBound): an older
// material with the query's word in its title still comes first, found
// through its title tokens, on every plan of both engines; the reader
// is told "more than" the bound, and the pages hold the bound.
func TestRelevanceBeyondTheBound(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		publish, libWith := rankLibrary(t, d)
		ctx := context.Background()
		publish("Бөлшектер: ескі сабақ", "Сипаттама.", "Мәтін.") // the oldest, the word in its title
		for i := range library.CountBound + 5 {
			publish(fmt.Sprintf("Сабақ %d", i), "Сипаттама.", "Файлда бөлшектер туралы жазылған.")
		}
		for name, s := range searchers(d) {
			t.Run(name, func(t *testing.T) {
				lib := libWith(s)
				r, err := lib.Search(ctx, library.Filter{Q: "бөлшек", Sort: library.SortRelevance}, 1, 20)
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Items) == 0 || r.Items[0].Title != "Бөлшектер: ескі сабақ" {
					t.Fatalf("first of the ranked results: %v, want the old material with the word in its title", titles(r.Items)[:min(3, len(r.Items))])
				}
				if !r.More || r.Total != library.CountBound || r.Pages != library.CountBound/20 {
					t.Errorf("count %d more %v pages %d, want more than %d in %d pages", r.Total, r.More, r.Pages, library.CountBound, library.CountBound/20)
				}
				last, err := lib.Search(ctx, library.Filter{Q: "бөлшек", Sort: library.SortRelevance}, r.Pages, 20)
				if err != nil {
					t.Fatal(err)
				}
				if len(last.Items) != 20 {
					t.Errorf("the last page holds %d, want 20", len(last.Items))
				}
			})
		}
	})
}

// A material indexed before migration 0019 has no field terms stored: the
// ranking analyses its title and description instead, in the same order.
func TestRelevanceWithoutFieldTerms(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		publish, libWith := rankLibrary(t, d)
		publish("Тақырыпта: бөлшектер", "Сипаттама.", "Мәтін ішінде жоқ.")
		publish("Басқа сабақ", "Бұл сипаттамада бөлшектерді қосу бар.", "Мәтін.")
		publish("Жаңа файл", "Сипаттама.", "Бөлшектер және пайыздар.")
		ctx := context.Background()
		if _, err := d.Exec(ctx, `UPDATE material_search SET title_terms = '', desc_terms = ''`); err != nil {
			t.Fatal(err)
		}
		r, err := libWith(index.New(d)).Search(ctx, library.Filter{Q: "бөлшек", Sort: library.SortRelevance}, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := titles(r.Items), []string{"Тақырыпта: бөлшектер", "Басқа сабақ", "Жаңа файл"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ranked without stored field terms\n got %v\nwant %v", got, want)
		}
	})
}

func titles(hs []library.Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Title
	}
	return out
}
