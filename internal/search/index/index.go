// Package index is the full-text index behind the materials library's
// search (issue 3, section 3): it implements library.Searcher over the
// terms internal/search has analysed into material_search, with FTS5 on
// SQLite and a GIN index on PostgreSQL (migrations 0003_search.sql), and
// returns the same materials in the same order on both engines as the
// plain library.SQLSearcher does, only faster.
//
// It is a package of its own, not part of internal/search, because it
// implements a library interface and library already imports search.
//
// A term is matched as a whole string, never through an engine's own
// analysis: SQLite's FTS5 table uses the ascii tokenizer (a term of
// Kazakh or Russian letters is one token, unchanged) and every term is
// quoted in the MATCH expression; PostgreSQL compares the terms split into
// a text[] with && (overlap). Where a plan tests a material's terms one by
// one instead, it looks for " term " in " terms " (instr, strpos), which
// is the same whole-term match. Anything that is not a valid index term (a
// lower-case run of letters and digits, as search.Terms makes) can never be
// in the index, so it matches nothing on either engine, and it never
// reaches the query text as syntax.
package index

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Index answers the library's full-text queries from the engine's index.
type Index struct {
	d *db.DB
	// The plan bounds (see searchSQLite, searchPostgres); tests move them
	// to run every plan on a small library.
	joinMax, probeCap, pgFew, pgWalk int
	pgDenseAt                        float64
	statsMu                          sync.Mutex
	stats                            *pgStats
}

var _ library.Searcher = (*Index)(nil)

// New returns the index of d's engine.
func New(d *db.DB) *Index {
	return &Index{d: d, joinMax: joinMax, probeCap: probeCap, pgFew: pgFew, pgWalk: pgWalk, pgDenseAt: pgDense}
}

// ErrEngine is returned for an engine the index does not know.
var ErrEngine = errors.New("index: unknown database engine")

// Search implements library.Searcher: the ids of published materials that
// hold a term of every group, narrowed by f, in f's order, after the
// cursor, at most limit of them.
func (x *Index) Search(ctx context.Context, groups [][]string, f library.Filter, after library.Cursor, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	groups, ok := clean(groups)
	if !ok {
		return nil, nil // a group no material can match
	}
	if len(groups) == 0 {
		// Nothing to match: the filtered catalog, as SQLSearcher gives it.
		w, args := library.SearchConditions(f, after)
		return x.ids(ctx, `SELECT m.id FROM materials m WHERE `+w+library.SearchOrder(f.Sort)+` LIMIT ?`, append(args, limit)...)
	}
	switch x.d.Engine() {
	case db.SQLite:
		return x.searchSQLite(ctx, groups, f, after, limit)
	case db.Postgres:
		return x.searchPostgres(ctx, groups, f, after, limit)
	}
	return nil, ErrEngine
}

// clean keeps the valid terms of every group, each once. It reports false
// when a group is left with none: that group, and so the query, matches
// nothing.
func clean(groups [][]string) ([][]string, bool) {
	out := make([][]string, 0, len(groups))
	for _, g := range groups {
		var keep []string
		for _, t := range g {
			if validTerm(t) && !contains(keep, t) {
				keep = append(keep, t)
			}
		}
		if len(keep) == 0 {
			return nil, false
		}
		out = append(out, keep)
	}
	return out, true
}

// validTerm reports whether t could be an index term: letters and digits
// only, and no ASCII capital (FTS5's ascii tokenizer would fold it, a
// PostgreSQL array would not, so neither may see one).
func validTerm(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || r >= 'A' && r <= 'Z' {
			return false
		}
	}
	return true
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// matchExpr is the FTS5 query: every term a quoted string (a term holds no
// quote, but one would be doubled), alternatives joined by OR, groups by
// AND, so no word of the reader's can be an operator (OR, NEAR, NOT, *, ^,
// a column filter).
func matchExpr(groups [][]string) string {
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteByte('(')
		for j, t := range g {
			if j > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Plans of the SQLite search. SQLite's planner cannot know how many
// materials an FTS5 query matches, and the fastest plan depends on it, so
// the index counts first (up to probeCap, cheap: posting lists only) and
// picks:
//
//   - none: nothing to fetch.
//   - up to joinMax: from the index to the materials (a lookup each) and
//     sort those few.
//   - up to probeCap: walk the sort's index of materials in order and keep
//     those in the set of matches, which SQLite builds once; facets in the
//     index have already applied the filters, so the walk reads only the
//     sort's index, never the rows.
//   - more: matches are dense, so walk the sort's index with the filters
//     and test each material's terms in material_search directly; a
//     page is found after a few hundred rows.
//
// docs/benchmarks.md has the measurements these bounds come from.
const (
	joinMax  = 1000
	probeCap = 20000
)

func (x *Index) searchSQLite(ctx context.Context, groups [][]string, f library.Filter, after library.Cursor, limit int) ([]int64, error) {
	match := matchExpr(append(groups, facetGroups(f)...))
	var n int
	if err := x.d.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM material_fts WHERE material_fts MATCH ? LIMIT ?)`, match, x.probeCap).Scan(&n); err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	order := library.SearchOrder(f.Sort)
	switch {
	case n == 0:
		return nil, nil
	case n <= x.joinMax:
		w, args := library.SearchConditions(f, after)
		return x.ids(ctx, `SELECT m.id FROM material_fts f CROSS JOIN materials m ON m.id = f.rowid
			WHERE material_fts MATCH ? AND `+w+order+` LIMIT ?`, append(append([]any{match}, args...), limit)...)
	case n < x.probeCap:
		// Only status and the cursor: the facets in match are the filters.
		w, args := library.SearchConditions(library.Filter{Sort: f.Sort}, after)
		return x.ids(ctx, `SELECT m.id FROM materials m
			WHERE `+w+` AND m.id IN (SELECT rowid FROM material_fts WHERE material_fts MATCH ?)`+order+` LIMIT ?`, append(args, match, limit)...)
	}
	w, args := library.SearchConditions(f, after)
	var conds []string
	for _, g := range groups {
		var alts []string
		for _, t := range g {
			alts = append(alts, `instr(' ' || s.terms || ' ', ?) > 0`)
			args = append(args, " "+t+" ")
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	return x.ids(ctx, `SELECT m.id FROM materials m JOIN material_search s ON s.material_id = m.id
		WHERE `+w+` AND `+strings.Join(conds, " AND ")+order+` LIMIT ?`, append(args, limit)...)
}

// facetGroups are the facet tokens of f's filters, as the triggers of
// SQLite's 0003_search.sql and PostgreSQL's 0007_search_facets.sql index
// them: a prefix and the value's hex (lower case: the ascii tokenizer
// folds the upper case that SQLite's hex() writes; PostgreSQL's encode
// writes lower case).
func facetGroups(f library.Filter) [][]string {
	var out [][]string
	for _, c := range []struct{ prefix, v string }{{"§s", f.Subject}, {"§g", f.Grade}, {"§t", f.Type}, {"§l", f.Language}} {
		if c.v != "" {
			out = append(out, []string{c.prefix + hex.EncodeToString([]byte(c.v))})
		}
	}
	return out
}

// Bounds of the PostgreSQL plans (see searchPostgres).
const (
	pgFew  = 1000
	pgWalk = 1000
	// pgDense: a query expected to match at least this share of the
	// candidates fills a page within pgWalk of them (21 in 1,000).
	pgDense = 0.021
)

// searchPostgres picks its first plan from what ANALYZE learned of the
// GIN index's keys (pgStats): how often each of the commonest terms and
// facet tokens occurs.
//
//   - A query expected to be common within its filters («сабақ жоспары»
//     is in 60 % of the demo materials) walks the sort's index with the
//     filters, at most 4 × pgWalk materials, testing each one's terms with
//     strpos (cheaper per row than splitting them into an array): it fills
//     its page within a few dozen rows, and a walk that ends before pgWalk
//     has seen every candidate. Asking the GIN index first would build a
//     bitmap of every material holding the words: 300 ms at a million.
//   - Any other query asks the GIN index, which holds the filters as facet
//     tokens (0007_search_facets.sql), for at most pgFew+1 matches. pgFew
//     or fewer is every match: they are looked up by key with the filters,
//     the cursor and the status, and sorted — a few milliseconds for a
//     rare word, where a walk would test a thousand materials in vain.
//     More (the statistics were wrong, or missing on a new database) means
//     the walk after all.
//   - A walk that ran out of room with the page not full means matches
//     between about one in a hundred and one in a thousand: they come from
//     the GIN index in a materialised CTE, joined to the materials and
//     sorted.
//
// Left to itself, PostgreSQL's planner walks the sort's index for any
// term it believes common, and a text[]'s statistics believe an absent
// word is: a whole-table walk, seconds at a million materials. Here an
// absent word counts as rarer than the rarest listed key.
func (x *Index) searchPostgres(ctx context.Context, groups [][]string, f library.Filter, after library.Cursor, limit int) ([]int64, error) {
	w, args := library.SearchConditions(f, after)
	order := library.SearchOrder(f.Sort)

	// The filters are groups of the index too, so the index hands out
	// only the materials that pass them: words common on their own but
	// rare within the filters (at 100,000 materials, «сабақ жоспары» among
	// Russian tests took 5.9 s) no longer fetch every material holding
	// them.
	keys := append(append([][]string{}, groups...), facetGroups(f)...)
	var gin []string
	var ginArgs []any
	for _, g := range keys {
		marks := make([]string, len(g))
		for i, t := range g {
			marks[i] = "?"
			ginArgs = append(ginArgs, t)
		}
		gin = append(gin, `(string_to_array(s.terms, ' ') || string_to_array(s.facets, ' ')) && ARRAY[`+strings.Join(marks, ",")+`]::text[]`)
	}
	ginWhere := strings.Join(gin, " AND ")

	walked := false
	if x.pgDensity(ctx, groups) >= x.pgDenseAt {
		// Expected common: a longer walk, since a walk that falls short
		// costs the CTE over every match (Абай, in 2 % of a million
		// materials: 300 ms), while one that fills stops at its page.
		ids, done, err := x.walkPostgres(ctx, groups, f, w, args, order, limit, x.pgWalk*4)
		if err != nil || done {
			return ids, err
		}
		walked = true
	}
	if !walked || x.pgFew > 0 {
		few, err := x.ids(ctx, `SELECT s.material_id FROM material_search s WHERE `+ginWhere+` LIMIT ?`, append(append([]any{}, ginArgs...), x.pgFew+1)...)
		if err != nil {
			return nil, err
		}
		if len(few) == 0 {
			return nil, nil
		}
		if len(few) <= x.pgFew {
			return x.ids(ctx, `SELECT m.id FROM materials m WHERE m.id = ANY(?::bigint[]) AND `+w+order+` LIMIT ?`,
				append(append([]any{pgInts(few)}, args...), limit)...)
		}
	}
	if !walked {
		ids, done, err := x.walkPostgres(ctx, groups, f, w, args, order, limit, x.pgWalk)
		if err != nil || done {
			return ids, err
		}
	}
	// LATERAL with OFFSET 0 (which keeps the planner from flattening it):
	// one primary-key lookup per match; a join left to the planner merges
	// with the whole primary key instead (a second at a million).
	return x.ids(ctx, `WITH hits AS MATERIALIZED (SELECT s.material_id FROM material_search s WHERE `+ginWhere+`)
		SELECT m.id FROM hits h CROSS JOIN LATERAL (SELECT m.id, m.published_at, m.views, m.downloads FROM materials m
			WHERE m.id = h.material_id AND `+w+` OFFSET 0) m`+order+` LIMIT ?`, append(append(ginArgs, args...), limit)...)
}

// walkPostgres walks the sort's index with the filters, at most room
// materials, testing each one's terms. done: the page is full, or the
// walk saw every candidate.
func (x *Index) walkPostgres(ctx context.Context, groups [][]string, f library.Filter, w string, args []any, order string, limit, room int) ([]int64, bool, error) {
	col := "m." + library.SortColumn(f.Sort)
	walk := `SELECT m.id, ` + col + ` AS v FROM materials m WHERE ` + w + order + ` LIMIT ?`
	walkArgs := append(append([]any{}, args...), room)
	var conds []string
	var condArgs []any
	for _, g := range groups {
		var alts []string
		for _, t := range g {
			alts = append(alts, `strpos(' ' || s.terms || ' ', ?) > 0`)
			condArgs = append(condArgs, " "+t+" ")
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	ids, err := x.ids(ctx, `SELECT c.id FROM (`+walk+`) c JOIN material_search s ON s.material_id = c.id
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY c.v DESC, c.id DESC LIMIT ?`, append(append(append([]any{}, walkArgs...), condArgs...), limit)...)
	if err != nil || len(ids) == limit {
		return ids, err == nil, err
	}
	var n int
	if err := x.d.QueryRow(ctx, `SELECT count(*) FROM (`+walk+`) c`, walkArgs...).Scan(&n); err != nil {
		return nil, false, fmt.Errorf("index: search: %w", err)
	}
	return ids, n < room, nil
}

// pgStats is what ANALYZE learned of the GIN index's keys: the share of
// materials holding each of the commonest terms and facet tokens.
type pgStats struct {
	at   time.Time
	freq map[string]float64
	// rarest is the share of the rarest listed key: a key not listed is
	// rarer than that.
	rarest float64
}

// pgStatsTTL: how long the statistics are kept; ANALYZE runs about as
// often (autovacuum), and the figures move slowly.
const pgStatsTTL = 10 * time.Minute

// pgDensity estimates the share of the materials that match every group,
// among those that pass the filters too (the walk only reads those): the
// product of each group's share (the sum of its alternatives'), the
// groups and the filters taken as independent. A key ANALYZE did not
// list counts as half the rarest listed one; with no statistics (a new
// database) every query counts as rare, which asks the index first.
func (x *Index) pgDensity(ctx context.Context, groups [][]string) float64 {
	st := x.pgStatsNow(ctx)
	if st == nil || len(st.freq) == 0 {
		return 0
	}
	d := 1.0
	for _, g := range groups {
		share := 0.0
		for _, t := range g {
			if v, ok := st.freq[t]; ok {
				share += v
			} else {
				share += st.rarest / 2
			}
		}
		d *= min(share, 1)
	}
	return d
}

func (x *Index) pgStatsNow(ctx context.Context) *pgStats {
	x.statsMu.Lock()
	defer x.statsMu.Unlock()
	if x.stats != nil && time.Since(x.stats.at) < pgStatsTTL {
		return x.stats
	}
	st := &pgStats{at: time.Now(), freq: map[string]float64{}}
	// most_common_elem_freqs ends with three more numbers (the smallest and
	// largest share and the share of empty arrays), which the unnest pairs
	// with no key and the filter drops.
	rows, err := x.d.Query(ctx, `SELECT u.e, u.f FROM pg_stats,
		unnest(most_common_elems::text::text[], most_common_elem_freqs) AS u(e, f)
		WHERE tablename = 'material_search_keys' AND u.e IS NOT NULL`)
	if err != nil {
		x.stats = st // tried: do not ask again on every search
		return st
	}
	defer rows.Close()
	st.rarest = 1
	for rows.Next() {
		var e string
		var f float64
		if err := rows.Scan(&e, &f); err != nil {
			break
		}
		st.freq[e] = f
		st.rarest = min(st.rarest, f)
	}
	x.stats = st
	return st
}

// pgInts writes ids as a PostgreSQL array literal ('{1,2,3}'), one
// parameter however many there are.
func pgInts(ids []int64) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	return b.String()
}

func (x *Index) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := x.d.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	return ids, nil
}
