package library_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search"
)

// storedTerms reads every material's stored terms.
func (e *env) storedTerms() map[int64]string {
	e.t.Helper()
	rows, err := e.d.Query(context.Background(), `SELECT material_id, terms FROM material_search`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			e.t.Fatal(err)
		}
		out[id] = t
	}
	return out
}

// found lists the titles the catalog shows for a search.
func (e *env) found(q string) []string {
	e.t.Helper()
	p, err := e.lib.List(context.Background(), library.Filter{Q: q}, library.Cursor{}, 20)
	if err != nil {
		e.t.Fatal(err)
	}
	var titles []string
	for _, c := range p.Items {
		titles = append(titles, c.Title)
	}
	slices.Sort(titles)
	return titles
}

// oldTerms turns terms into what the first analysis stored: the Russian
// stems untagged, in one space with the Kazakh ones. A database made before
// AnalysisVersion 2 holds terms of this shape.
func oldTerms(terms string) string {
	var out []string
	for _, t := range strings.Fields(terms) {
		t, _ = strings.CutSuffix(t, "0")
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// After an upgrade of the analysis the stored terms are stale, and a query
// misses what it should find; Reindex recomputes every material, in batches,
// to exactly the terms publishing now stores, and records the version.
func TestReindexRecomputesTerms(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		defer library.SetReindexBatch(2)()
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		titles := []string{"Физика 7-сынып", "Геометрия: үшбұрыштар", "Урок литературы", "Тәрбие сағаты"}
		for _, title := range titles {
			e.published(author, title)
		}
		in := validInput()
		in.Title, in.Language = "Биология сабағы", "kk"
		if _, err := e.publish(author, in, upload{"сабақ.docx", docx(t, "Оқушылар презентациясын қорғайды.")}); err != nil {
			t.Fatal(err)
		}
		fresh := e.storedTerms()
		if len(fresh) != 5 {
			t.Fatalf("%d materials indexed, want 5", len(fresh))
		}

		// A database from before: old terms, no version recorded.
		for id, terms := range fresh {
			if _, err := d.Exec(ctx, `UPDATE material_search SET terms = ? WHERE material_id = ?`, oldTerms(terms), id); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.found("презентации"); len(got) != 0 {
			t.Fatalf("old terms: «презентации» found %q, want nothing (the stale index is what reindex is for)", got)
		}
		if stored, due, err := e.lib.AnalysisState(ctx); err != nil || !due || stored != 0 {
			t.Fatalf("AnalysisState on old terms = %d, %v, %v; want 0, due", stored, due, err)
		}

		var calls [][2]int
		if err := e.lib.Reindex(ctx, func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil {
			t.Fatal(err)
		}
		if want := [][2]int{{2, 5}, {4, 5}, {5, 5}}; !slices.Equal(calls, want) {
			t.Errorf("progress %v, want %v (batches of 2)", calls, want)
		}
		got := e.storedTerms()
		for id, terms := range fresh {
			if got[id] != terms {
				t.Errorf("material %d: reindexed terms\n%q\nwant, as publishing stores them,\n%q", id, got[id], terms)
			}
		}
		// The word inside the file is found in a Russian form again.
		if got := e.found("презентации"); !slices.Equal(got, []string{"Биология сабағы"}) {
			t.Errorf("after reindex «презентации» finds %q, want the material with the docx", got)
		}
		if stored, due, err := e.lib.AnalysisState(ctx); err != nil || due || stored != search.AnalysisVersion {
			t.Errorf("AnalysisState after reindex = %d, %v, %v; want %d, not due", stored, due, err, search.AnalysisVersion)
		}
		var v string
		if err := d.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, library.AnalysisKey).Scan(&v); err != nil || v != strconv.Itoa(search.AnalysisVersion) {
			t.Errorf("recorded version %q (%v), want %d", v, err, search.AnalysisVersion)
		}
	})
}

// A material edited between computing its batch and writing it is computed
// again from its new text, so the reindex never overwrites an edit.
func TestReindexKeepsConcurrentEdit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		author := e.user("user")
		m := e.published(author, "Алгебра: сабақ жоспары")
		edited := false
		defer library.OnReindexWrite(func() {
			if edited {
				return
			}
			edited = true
			in := validInput()
			in.Title = "Олимпиада тапсырмалары"
			e.clock.now = e.clock.now.Add(time.Minute)
			if _, err := e.lib.Edit(ctx, author, m.ID, in, nil, library.Meta{}); err != nil {
				t.Error(err)
			}
		})()
		if err := e.lib.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if got := e.found("олимпиады"); !slices.Equal(got, []string{"Олимпиада тапсырмалары"}) {
			t.Errorf("after an edit during reindex «олимпиады» finds %q, want the edited title", got)
		}
		terms := e.storedTerms()[m.ID]
		if !slices.Contains(strings.Fields(terms), "олимпиада") {
			t.Errorf("stored terms %q lack the edited title's олимпиада", terms)
		}
	})
}

// A file missing from storage (a wrong --storage) stops the run before it
// strips materials of their files' words, and records no version.
func TestReindexStopsOnMissingFile(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		m := e.published(e.user("user"), "Алгебра")
		before := e.storedTerms()[m.ID]
		err := filepath.WalkDir(e.files, func(p string, de os.DirEntry, err error) error {
			if err == nil && !de.IsDir() {
				return os.Remove(p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = e.lib.Reindex(ctx, nil)
		if err == nil || !strings.Contains(err.Error(), "--storage") {
			t.Fatalf("Reindex with the file gone = %v, want an error pointing at --storage", err)
		}
		if got := e.storedTerms()[m.ID]; got != before {
			t.Errorf("terms changed to %q by a failed run", got)
		}
		if e.rows("settings WHERE key = '"+library.AnalysisKey+"'") != 0 {
			t.Error("a failed run recorded the analysis version")
		}
	})
}

// An empty library needs no reindex: its state is recorded as current.
func TestAnalysisStateEmpty(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{})
		stored, due, err := e.lib.AnalysisState(context.Background())
		if err != nil || due || stored != search.AnalysisVersion {
			t.Fatalf("AnalysisState of an empty library = %d, %v, %v; want %d, not due", stored, due, err, search.AnalysisVersion)
		}
		if e.rows("settings WHERE key = '"+library.AnalysisKey+"'") != 1 {
			t.Error("the version was not recorded")
		}
	})
}

// The reindex fills the title and description terms the ranking reads
// (migration 0019) for materials indexed before they were stored.
func TestReindexFillsFieldTerms(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, library.Options{PublishImmediately: true})
		m, err := e.publish(e.user("user"), validInput(), upload{"a.docx", docx(t, "Файлдағы мәтін.")})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := d.Exec(ctx, `UPDATE material_search SET title_terms = '', desc_terms = ''`); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		var title, desc string
		if err := d.QueryRow(ctx, `SELECT title_terms, desc_terms FROM material_search WHERE material_id = ?`, m.ID).Scan(&title, &desc); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(" "+title+" ", " сабак ") || strings.Contains(" "+title+" ", " тендеу ") {
			t.Errorf("title terms after reindex: %q", title)
		}
		if !strings.Contains(" "+desc+" ", " тендеу ") {
			t.Errorf("description terms after reindex: %q", desc)
		}
	})
}
