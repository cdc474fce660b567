package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search"
	"github.com/smartustaz/smartustaz/internal/search/index"
)

// mat is a material of the fixture library. Its index terms are what
// search.Terms makes of its text, as the library stores them.
type mat struct {
	key, text                 string
	subject, grade, typ, lang string
	status                    string // "" is published
	views, downloads, pub     int64
}

// score is the material's rating score (the "rating" sort, issue 13), made
// from its other counters so that it has ties and differs from them.
func (m mat) score() int64 { return (m.views*7 + m.downloads*3) % 11 * 400 }

// scored stores every material's score (a column of migration 0020, so
// not in put, which also fills databases migrated only part of the way).
func (w *world) scored(t *testing.T) *world {
	t.Helper()
	for key, m := range w.mats {
		if _, err := w.d.Exec(context.Background(), `UPDATE materials SET rating_score = ? WHERE id = ?`, m.score(), w.ids[key]); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// library of the conformance suite: word forms in both languages, filters
// that tell materials apart, ties in every sort column (the id decides),
// and materials that are not published.
var fixture = []mat{
	{key: "plan-kk", text: "Сабақтың жоспарлары: бөлшектер", subject: "mathematics", grade: "5", typ: "short-term-plan", lang: "kk", views: 10, downloads: 3, pub: 1},
	{key: "plan-kk2", text: "Қысқа мерзімді сабақ жоспары. Жай бөлшектерді салыстыру және қосу", subject: "mathematics", grade: "6", typ: "short-term-plan", lang: "kk", views: 50, downloads: 1, pub: 2},
	{key: "pres-ru", text: "Презентация к уроку биологии: фотосинтез", subject: "biology", grade: "7", typ: "presentation", lang: "ru", views: 30, downloads: 30, pub: 3},
	{key: "pres-kk", text: "Фотосинтез тақырыбына презентация", subject: "biology", grade: "7", typ: "presentation", lang: "kk", views: 30, downloads: 5, pub: 4},
	{key: "kitap", text: "Кітап оқу – білім бұлағы. Кітапхана сабағы", subject: "kazakh-literature", grade: "3", typ: "class-hour", lang: "kk", views: 7, downloads: 7, pub: 5},
	{key: "cell-withdrawn", text: "Жасуша құрылысы. Митохондрия туралы", subject: "biology", grade: "8", typ: "worksheet", lang: "kk", status: "withdrawn", pub: 6},
	{key: "cell-pending", text: "Жасуша мембранасы. Рибосома", subject: "biology", grade: "8", typ: "worksheet", lang: "kk", status: "pending"},
	{key: "cell-taken-down", text: "Жасуша. Вакуоль", subject: "biology", grade: "8", typ: "worksheet", lang: "kk", status: "taken_down", pub: 7},
	{key: "cell", text: "Жасуша және оның бөліктері", subject: "biology", grade: "8", typ: "test", lang: "kk", views: 3, downloads: 2, pub: 8},
	{key: "english", text: "Present simple or past simple: a worksheet", subject: "english", grade: "7", typ: "worksheet", lang: "en", views: 9, downloads: 9, pub: 9},
	{key: "history", text: "Қазақстан тарихы: Ұлы Жібек жолы", subject: "history-of-kazakhstan", grade: "9", typ: "test", lang: "kk", views: 1, downloads: 0, pub: 10},
	{key: "history-ru", text: "История Казахстана. Великий шёлковый путь", subject: "history-of-kazakhstan", grade: "9", typ: "test", lang: "ru", views: 1, downloads: 0, pub: 10},
}

// olympiad is the paging set: 25 published mathematics materials sharing
// a word, with many ties in every sort column, and some that must not
// appear (another subject, not published).
func olympiad() []mat {
	var out []mat
	for i := range 30 {
		m := mat{key: fmt.Sprintf("olymp-%02d", i), text: fmt.Sprintf("Олимпиада тапсырмалары, %d нұсқа", i),
			subject: "mathematics", grade: "9", typ: "test", lang: "kk",
			views: int64(i % 7), downloads: int64(i % 4), pub: int64(100 + i%9)}
		switch i {
		case 25:
			m.subject = "physics"
		case 26, 27:
			m.status = "pending"
		case 28:
			m.status = "withdrawn"
		case 29:
			m.status = "rejected"
		}
		out = append(out, m)
	}
	return out
}

type world struct {
	d    *db.DB
	ids  map[string]int64
	keys map[int64]string
	mats map[string]mat
}

// put inserts the materials, with the terms of their text, the way the
// library stores them (an upsert into material_search).
func put(t *testing.T, d *db.DB, ms ...mat) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{d: d, ids: map[string]int64{}, keys: map[int64]string{}, mats: map[string]mat{}}
	author := db.NewID()
	if _, err := d.Exec(ctx, `INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)`, author, db.Now(), db.Now()); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		id := db.NewID()
		st := m.status
		if st == "" {
			st = string(library.StatusPublished)
		}
		if _, err := d.Exec(ctx, `INSERT INTO materials (id, author_id, title, subject, grade, type, language, status, views, downloads, published_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, author, m.text, m.subject, m.grade, m.typ, m.lang, st, m.views, m.downloads, m.pub, m.pub, m.pub); err != nil {
			t.Fatal(err)
		}
		setTerms(t, d, id, strings.Join(search.Terms(m.text), " "))
		w.ids[m.key], w.keys[id], w.mats[m.key] = id, m.key, m
	}
	return w
}

func setTerms(t *testing.T, d *db.DB, id int64, terms string) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `INSERT INTO material_search (material_id, terms) VALUES (?, ?)
		ON CONFLICT (material_id) DO UPDATE SET terms = excluded.terms`, id, terms); err != nil {
		t.Fatal(err)
	}
}

// searchers are what must agree: the plain SQL fallback and the engine's
// full-text index (FTS5 on SQLite, GIN on PostgreSQL).
func searchers(d *db.DB) map[string]library.Searcher {
	s := indexes(d)
	s["SQLSearcher"] = &library.SQLSearcher{DB: d}
	return s
}

// indexes are the engine's index, and the index forced into each of its
// plans (a small library would otherwise take only the first).
func indexes(d *db.DB) map[string]library.Searcher {
	s := map[string]library.Searcher{"Index": index.New(d)}
	plans := []string{"join", "in", "scan", "walk", "walk-short"}
	if d.Engine() == db.Postgres {
		plans = []string{"join", "in", "set-lookup", "chunks", "windows", "cte", "dense", "dense-all"}
	}
	for _, p := range plans {
		s["Index-"+p] = index.WithPlan(d, p)
	}
	return s
}

func (w *world) search(t *testing.T, s library.Searcher, groups [][]string, f library.Filter, after library.Cursor, limit int) []string {
	t.Helper()
	ids, err := s.Search(context.Background(), groups, f, after, limit)
	if err != nil {
		t.Fatalf("search %q: %v", groups, err)
	}
	return w.names(t, ids)
}

func (w *world) names(t *testing.T, ids []int64) []string {
	t.Helper()
	out := []string{}
	for _, id := range ids {
		k, ok := w.keys[id]
		if !ok {
			t.Fatalf("search returned id %d, which is no fixture material", id)
		}
		out = append(out, k)
	}
	return out
}

// cursor is the keyset position after material key in sort s, as the
// catalog makes it from the last card of a page.
func (w *world) cursor(s library.Sort, key string) library.Cursor {
	m := w.mats[key]
	v := m.pub
	switch s {
	case library.SortPopular:
		v = m.views
	case library.SortDownloads:
		v = m.downloads
	case library.SortRating:
		v = m.score()
	}
	return library.Cursor{Value: v, ID: w.ids[key]}
}

// TestConformance runs one table of searches against SQLSearcher and the
// index on both engines: every one must give the same materials in the
// same order, the ones a reader expects.
func TestConformance(t *testing.T) {
	cases := []struct {
		name string
		q    string
		f    library.Filter
		want []string
	}{
		// Kazakh word forms, both ways round.
		{"kk forms", "сабақ жоспары", library.Filter{}, []string{"plan-kk2", "plan-kk"}},
		{"kk forms inflected", "сабақтың жоспарлары", library.Filter{}, []string{"plan-kk2", "plan-kk"}},
		{"kk plural", "бөлшектер", library.Filter{}, []string{"plan-kk2", "plan-kk"}},
		// Russian forms, and a Kazakh loanword with a Kazakh ending.
		{"ru forms", "презентации", library.Filter{}, []string{"pres-kk", "pres-ru"}},
		{"ru nominative", "презентация", library.Filter{}, []string{"pres-kk", "pres-ru"}},
		// Typed on a Russian keyboard, and a Kazakh plural.
		{"russian keyboard", "китап", library.Filter{}, []string{"kitap"}},
		{"kk plural of кітап", "кітаптар", library.Filter{}, []string{"kitap"}},
		// Not published: withdrawn, waiting, taken down.
		{"only in a withdrawn material", "митохондрия", library.Filter{}, []string{}},
		{"only in a pending material", "рибосома", library.Filter{}, []string{}},
		{"only in a taken-down material", "вакуоль", library.Filter{}, []string{}},
		{"published one of several", "жасуша", library.Filter{}, []string{"cell"}},
		// Every group must match.
		{"two groups", "Қазақстан тарихы", library.Filter{}, []string{"history"}},
		{"no material has both", "фотосинтез жасуша", library.Filter{}, []string{}},
		{"unknown word", "ғарышкер", library.Filter{}, []string{}},
		// Filters.
		{"language", "фотосинтез", library.Filter{Language: "ru"}, []string{"pres-ru"}},
		{"grade", "бөлшектер", library.Filter{Grade: "5"}, []string{"plan-kk"}},
		{"subject", "фотосинтез", library.Filter{Subject: "biology"}, []string{"pres-kk", "pres-ru"}},
		{"subject excludes", "фотосинтез", library.Filter{Subject: "mathematics"}, []string{}},
		{"type", "жасуша", library.Filter{Type: "test"}, []string{"cell"}},
		{"type excludes", "жасуша", library.Filter{Type: "worksheet"}, []string{}},
		{"all filters", "презентации", library.Filter{Subject: "biology", Grade: "7", Type: "presentation", Language: "kk"}, []string{"pres-kk"}},
		// Every sort; pres-* tie on views (the newer id first).
		{"sort new", "презентации", library.Filter{Sort: library.SortNew}, []string{"pres-kk", "pres-ru"}},
		{"sort popular", "презентации", library.Filter{Sort: library.SortPopular}, []string{"pres-kk", "pres-ru"}},
		{"sort downloads", "презентации", library.Filter{Sort: library.SortDownloads}, []string{"pres-ru", "pres-kk"}},
		{"sort popular kk", "сабақ жоспары", library.Filter{Sort: library.SortPopular}, []string{"plan-kk2", "plan-kk"}},
		{"sort downloads kk", "сабақ жоспары", library.Filter{Sort: library.SortDownloads}, []string{"plan-kk", "plan-kk2"}},
		{"unknown sort is new", "бөлшектер", library.Filter{Sort: "oldest"}, []string{"plan-kk2", "plan-kk"}},
		// Stop words are not searched for, and do not stop the rest.
		{"stop word and a word", "және фотосинтез", library.Filter{}, []string{"pres-kk", "pres-ru"}},
		// Query syntax of FTS5 and tsquery is only text.
		{"quotes", `"фотосинтез"`, library.Filter{}, []string{"pres-kk", "pres-ru"}},
		{"unbalanced quote", `фотосинтез" OR "жасуша`, library.Filter{}, []string{}},
		{"star", "фотосинтез*", library.Filter{}, []string{"pres-kk", "pres-ru"}},
		{"prefix of a word with a star", "фотосин*", library.Filter{}, []string{}},
		{"OR is a word", "фотосинтез OR жасуша", library.Filter{}, []string{}},
		{"or in a text", "simple OR past", library.Filter{}, []string{"english"}},
		{"NEAR", "NEAR(фотосинтез жасуша)", library.Filter{}, []string{}},
		{"NOT and minus", "-жасуша NOT", library.Filter{}, []string{}},
		{"minus", "-жасуша", library.Filter{}, []string{"cell"}},
		{"column filter", "terms:фотосинтез", library.Filter{}, []string{}},
		{"caret and parentheses", "^(фотосинтез", library.Filter{}, []string{"pres-kk", "pres-ru"}},
		{"tsquery operators", "фотосинтез & !жасуша | <-> 'x':*", library.Filter{}, []string{}},
		{"sql quote", "фотосинтез'; DROP TABLE materials; --", library.Filter{}, []string{}},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := put(t, d, fixture...)
		for name, s := range searchers(d) {
			for _, c := range cases {
				t.Run(name+"/"+c.name, func(t *testing.T) {
					groups := search.QueryTerms(c.q)
					if len(groups) == 0 {
						t.Fatalf("%q has nothing to search for", c.q)
					}
					got := w.search(t, s, groups, c.f, library.Cursor{}, 20)
					if !slices.Equal(got, c.want) {
						t.Errorf("%q %+v: got %v, want %v", c.q, c.f, got, c.want)
					}
				})
			}
		}
	})
}

// A query of stop words only has nothing to search for (the catalog then
// lists without searching), and a stop word is never an index term, so
// asking for one finds nothing although the materials contain it.
func TestStopWords(t *testing.T) {
	if g := search.QueryTerms("және мен үшін туралы"); len(g) != 0 {
		t.Fatalf("stop words gave groups %q", g)
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := put(t, d, fixture...)
		for name, s := range searchers(d) {
			for _, word := range []string{"және", "туралы"} {
				if got := w.search(t, s, [][]string{{word}}, library.Filter{}, library.Cursor{}, 20); len(got) != 0 {
					t.Errorf("%s: stop word %q found %v", name, word, got)
				}
			}
		}
	})
}

// Paging through 25 results ten at a time gives every result once, in
// order, in every sort, with the ties broken by id, on both engines.
func TestKeysetPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := put(t, d, olympiad()...).scored(t)
		groups := search.QueryTerms("олимпиада тапсырмалары")
		for _, sort := range []library.Sort{library.SortNew, library.SortPopular, library.SortDownloads, library.SortRating} {
			// The order the catalog promises: the sort column descending,
			// then the id descending, published mathematics only.
			var want []string
			for _, m := range olympiad() {
				if m.status == "" && m.subject == "mathematics" {
					want = append(want, m.key)
				}
			}
			val := func(k string) int64 { return w.cursor(sort, k).Value }
			slices.SortFunc(want, func(a, b string) int {
				if va, vb := val(a), val(b); va != vb {
					return int(vb - va)
				}
				if w.ids[a] > w.ids[b] {
					return -1
				}
				return 1
			})
			if len(want) != 25 {
				t.Fatalf("fixture has %d published mathematics materials, want 25", len(want))
			}
			f := library.Filter{Subject: "mathematics", Sort: sort}
			for name, s := range searchers(d) {
				var got []string
				var sizes []int
				after := library.Cursor{}
				for page := 0; page < 5; page++ {
					p := w.search(t, s, groups, f, after, 10)
					sizes = append(sizes, len(p))
					got = append(got, p...)
					if len(p) < 10 {
						break
					}
					after = w.cursor(sort, p[len(p)-1])
				}
				if !slices.Equal(sizes, []int{10, 10, 5}) {
					t.Errorf("%s %s: page sizes %v, want [10 10 5]", name, sort, sizes)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s %s: pages gave\n%v, want\n%v", name, sort, got, want)
				}
			}
		}
	})
}

// Terms reach the index exactly as the analysis made them: the ascii
// tokenizer keeps a word of Kazakh letters whole and unchanged (no
// splitting, no diacritics folded: й is not и), and a group holding
// something that is no index term — query syntax, a space, a capital —
// matches nothing and breaks nothing. The plain SQLSearcher is not asked:
// it matches with LIKE, which SQLite compares without ASCII case.
func TestIndexTakesTermsLiterally(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := put(t, d, mat{key: "raw", subject: "biology", grade: "5", typ: "test", lang: "kk", pub: 1})
		setTerms(t, d, w.ids["raw"], "әліппе ғылым йод ёж қызық өнер ұлт үй һәм 2025 x2")
		cases := []struct {
			groups [][]string
			want   []string
		}{
			{[][]string{{"әліппе"}}, []string{"raw"}},
			{[][]string{{"ғылым"}, {"қызық"}, {"өнер"}, {"ұлт"}, {"үй"}, {"һәм"}}, []string{"raw"}},
			{[][]string{{"2025"}, {"x2"}}, []string{"raw"}},
			{[][]string{{"ліппе"}}, []string{}},
			{[][]string{{"әл"}}, []string{}},
			{[][]string{{"алиппе"}}, []string{}},
			{[][]string{{"иод"}}, []string{}},
			{[][]string{{"йод"}}, []string{"raw"}},
			{[][]string{{"еж"}}, []string{}},
			{[][]string{{"ёж"}}, []string{"raw"}},
			{[][]string{{"X2"}}, []string{}},
			{[][]string{{"әліппе ғылым"}}, []string{}},
			{[][]string{{`йод"`}}, []string{}},
			{[][]string{{`" OR "йод`}}, []string{}},
			{[][]string{{"*"}}, []string{}},
			{[][]string{{"йо*"}}, []string{}},
			{[][]string{{"OR"}}, []string{}},
			{[][]string{{"NEAR"}}, []string{}},
			{[][]string{{"terms:йод"}}, []string{}},
			{[][]string{{"-йод"}}, []string{}},
			{[][]string{{""}}, []string{}},
			{[][]string{{"йод"}, {"NOT"}}, []string{}},
			// A valid alternative still matches beside an invalid one.
			{[][]string{{`") OR ("`, "йод"}}, []string{"raw"}},
			{[][]string{{"йод", "йод"}, {"үй"}}, []string{"raw"}},
		}
		for name, x := range indexes(d) {
			for _, c := range cases {
				if got := w.search(t, x, c.groups, library.Filter{}, library.Cursor{}, 20); !slices.Equal(got, c.want) {
					t.Errorf("%s %q: got %v, want %v", name, c.groups, got, c.want)
				}
			}
		}
	})
}

// The index follows material_search through the library's upsert, an
// update, and a material's deletion (which cascades to its terms), and
// follows an edit of what the filters see.
func TestIndexFollowsChanges(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := put(t, d, fixture...)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.Exec(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		expect := func(what, q string, f library.Filter, want ...string) {
			t.Helper()
			for name, x := range searchers(d) {
				if got := w.search(t, x, search.QueryTerms(q), f, library.Cursor{}, 20); !slices.Equal(got, append([]string{}, want...)) {
					t.Errorf("%s: %s: %q %+v gives %v, want %v", name, what, q, f, got, want)
				}
			}
		}
		id := w.ids["kitap"]
		setTerms(t, d, id, strings.Join(search.Terms("Алманың түрлері"), " "))
		expect("after the upsert, the old word", "китап", library.Filter{})
		expect("after the upsert, the new word", "алма", library.Filter{}, "kitap")
		exec(`UPDATE material_search SET terms = ? WHERE material_id = ?`, strings.Join(search.Terms("Алмұрт"), " "), id)
		expect("after the update, the old word", "алма", library.Filter{})
		expect("after the update, the new word", "алмұрт", library.Filter{}, "kitap")

		exec(`DELETE FROM materials WHERE id = ?`, w.ids["cell"])
		expect("a deleted material", "жасуша", library.Filter{})

		// Publishing a material that was waiting brings its terms in.
		exec(`UPDATE materials SET status = 'published', published_at = 50 WHERE id = ?`, w.ids["cell-pending"])
		expect("a newly published material", "рибосома", library.Filter{}, "cell-pending")

		// An edit moves a material to another subject, grade, type and
		// language (the library rewrites its terms after; the filters
		// must follow before that too).
		exec(`UPDATE materials SET subject = 'chemistry', grade = '10', type = 'test', language = 'kk' WHERE id = ?`, w.ids["pres-ru"])
		expect("edited into chemistry", "фотосинтез", library.Filter{Subject: "chemistry", Grade: "10", Type: "test", Language: "kk"}, "pres-ru")
		expect("edited out of biology", "фотосинтез", library.Filter{Subject: "biology"}, "pres-kk")
		expect("edited out of grade 7", "фотосинтез", library.Filter{Grade: "7"}, "pres-kk")
		setTerms(t, d, w.ids["pres-ru"], strings.Join(search.Terms("Фотосинтез и хлорофилл"), " "))
		expect("edited terms keep the new subject", "хлорофилл", library.Filter{Subject: "chemistry"}, "pres-ru")
		expect("edited terms keep the new subject", "хлорофилл", library.Filter{Subject: "biology"})
		// Counters and status do not touch the index.
		exec(`UPDATE materials SET views = views + 100, downloads = downloads + 1 WHERE id = ?`, w.ids["pres-kk"])
		expect("more views", "фотосинтез", library.Filter{Sort: library.SortPopular}, "pres-kk", "pres-ru")
		exec(`UPDATE materials SET status = 'withdrawn' WHERE id = ?`, w.ids["pres-kk"])
		expect("withdrawn", "фотосинтез", library.Filter{}, "pres-ru")

		if d.Engine() == db.SQLite {
			// FTS5 checks its own structures.
			if _, err := d.Exec(ctx, `INSERT INTO material_fts (material_fts) VALUES ('integrity-check')`); err != nil {
				t.Errorf("FTS5 index is damaged: %v", err)
			}
		}
	})
}

// Materials indexed before migration 0003 existed are found after it.
func TestMigrationIndexesExistingRows(t *testing.T) {
	for _, eng := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(eng), func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dbtest.DSN(t, eng), filepath.Join(t.TempDir(), "data"))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ms, err := db.Migrations(eng)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Exec(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Name >= "0003" {
					break
				}
				if _, err := d.Exec(ctx, m.SQL); err != nil {
					t.Fatalf("%s: %v", m.Name, err)
				}
				if _, err := d.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, m.Name, db.Now()); err != nil {
					t.Fatal(err)
				}
			}
			w := put(t, d, fixture...)
			applied, err := d.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(applied, "0003_search") {
				t.Fatalf("migrations applied %v, want 0003_search among them", applied)
			}
			for name, x := range indexes(d) {
				got := w.search(t, x, search.QueryTerms("сабақ жоспары"), library.Filter{}, library.Cursor{}, 20)
				if !slices.Equal(got, []string{"plan-kk2", "plan-kk"}) {
					t.Errorf("%s after the migration: %v", name, got)
				}
			}
		})
	}
}

// PostgreSQL's first plan follows ANALYZE: after it, a word most
// materials hold is expected to be common (the walk first), a rare one
// and an absent one rare (the index first), and so is a common word with
// a rare one; two words that go together in a fifth of the materials are
// taken for a common phrase, not for the rare pair their product would
// say. Before ANALYZE, everything counts as rare.
func TestPostgresDensityFromStatistics(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	densityFixture(t, d, 5)
	x := index.New(d)
	common, rare, absent, phrase := densityQueries()
	if got := index.PGDensity(x, common); got != 0 {
		t.Errorf("before ANALYZE: density %v, want 0 (rare: ask the index)", got)
	}
	if _, err := d.Exec(context.Background(), `ANALYZE material_search`); err != nil {
		t.Fatal(err)
	}
	x = index.New(d) // the statistics are kept for minutes: a fresh index reads them
	dense := index.PGDense
	if got := index.PGDensity(x, common); got < 0.9 {
		t.Errorf("a word every material holds: density %v, want ≥ 0.9", got)
	}
	if got := index.PGDensity(x, rare); got >= dense {
		t.Errorf("a word 1 in 100 hold: density %v, want under the walk's %v", got, dense)
	}
	if got := index.PGDensity(x, absent); got >= dense || got <= 0 {
		t.Errorf("a word none holds: density %v, want small and above 0", got)
	}
	if got := index.PGDensity(x, append(common, rare...)); got >= dense {
		t.Errorf("common and rare together: density %v, want rare", got)
	}
	if got := index.PGDensity(x, phrase); got < dense {
		t.Errorf("two words a fifth of the materials hold together: density %v, want at least the walk's %v", got, dense)
	}
}

// SQLite's first plan follows FTS5's vocabulary, as PostgreSQL's follows
// ANALYZE (TestPostgresDensityFromStatistics): a word most materials hold
// is expected common (the walk first), a rare one and an absent one rare
// (the count first), a common word with a rare one rare, and two words
// that go together in a quarter of the materials a common phrase.
func TestSQLiteDensityFromVocabulary(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	densityFixture(t, d, 4) // a quarter: together 0.25^1.5 ≥ sqDense > 0.25²
	x := index.New(d)
	common, rare, absent, phrase := densityQueries()
	dense := index.SQDense
	if got := index.SQDensity(x, common); got < 0.9 {
		t.Errorf("a word every material holds: density %v, want ≥ 0.9", got)
	}
	if got := index.SQDensity(x, rare); got >= dense || got <= 0 {
		t.Errorf("a word 1 in 100 hold: density %v, want above 0 and under the walk's %v", got, dense)
	}
	if got := index.SQDensity(x, absent); got != 0 {
		t.Errorf("a word none holds: density %v, want 0", got)
	}
	if got := index.SQDensity(x, append(common, rare...)); got >= dense {
		t.Errorf("common and rare together: density %v, want rare", got)
	}
	if got := index.SQDensity(x, phrase); got < dense {
		t.Errorf("two words a quarter of the materials hold together: density %v, want at least the walk's %v", got, dense)
	}
}

// densityFixture puts 300 materials that all hold «олимпиада», one in a
// hundred «фотосинтез», and one in phraseEvery the phrase «функционалдық
// сауаттылық».
func densityFixture(t *testing.T, d *db.DB, phraseEvery int) {
	t.Helper()
	var ms []mat
	for i := range 300 {
		text := fmt.Sprintf("Олимпиада тапсырмасы %d", i)
		if i%100 == 0 {
			text += " фотосинтез"
		}
		if i%phraseEvery == 0 {
			text += " функционалдық сауаттылық"
		}
		ms = append(ms, mat{key: fmt.Sprint(i), text: text, subject: "mathematics", grade: "9", typ: "test", lang: "kk", pub: int64(i)})
	}
	put(t, d, ms...)
}

// densityQueries are the queries of densityFixture: a word every material
// holds, one a hundredth do, one none does, and the phrase.
func densityQueries() (common, rare, absent, phrase [][]string) {
	return search.QueryTerms("олимпиада"), search.QueryTerms("фотосинтез"), search.QueryTerms("ғарышкер"),
		search.QueryTerms("функционалдық сауаттылық")
}
