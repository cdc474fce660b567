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
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
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
	joinMax, probeCap, sqWalk                             int
	sqDenseAt, sqWalkAt                                   float64
	vocabMu                                               sync.Mutex
	vocab                                                 map[string]vocabCount
	pgFew, pgSet, pgWalk, pgChunk, pgSetRows, pgChunkRows int
	pgWindow                                              int
	pgDenseAt, pgWalkAt, pgSetAt                          float64
	statsMu                                               sync.Mutex
	stats                                                 *pgStats
}

var _ library.Searcher = (*Index)(nil)

// New returns the index of d's engine.
func New(d *db.DB) *Index {
	return &Index{d: d, joinMax: joinMax, probeCap: probeCap, sqWalk: sqWalk, sqDenseAt: sqDense, sqWalkAt: sqWalkShare, pgFew: pgFew, pgSet: pgSet, pgWalk: pgWalk,
		pgChunk: pgChunk, pgSetRows: pgSetRows, pgChunkRows: pgChunkRows, pgWindow: pgWindow, pgDenseAt: pgDense, pgWalkAt: pgWalkShare, pgSetAt: pgSetShare}
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
// materials an FTS5 query matches, and the fastest plan depends on it.
// A query whose words are common within filters that leave enough of the
// catalog (by the document counts of FTS5's vocabulary: sqDensity) walks
// the sort's index first, testing each material's terms, at most sqWalk
// of them: counting such a query means intersecting long posting lists
// («қысқа мерзімді жоспар» in grade 4: 80 ms), while a page of it is
// found within a few hundred materials. Otherwise, or when that walk
// ends short, the index counts (up to probeCap, posting lists only) and
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
	// sqWalk, sqDense, sqWalkShare: the walk first, as PostgreSQL's
	// (pgWalk, pgDense, pgWalkShare), but for denser queries only: testing
	// a material's terms costs 20–25 µs here too, while FTS5's count is
	// cheaper than a GIN bitmap, so the walk pays where a page is within
	// about 200 materials, and a walk that ends short (words common
	// everywhere but absent among the filters) costs at most 15 ms. Over
	// the load's searches at a million materials it took 10 % off the
	// mean and the slowest from 82 to 65 ms (docs/benchmarks.md).
	sqWalk      = 600
	sqDense     = 0.1
	sqWalkShare = 0.02
)

func (x *Index) searchSQLite(ctx context.Context, groups [][]string, f library.Filter, after library.Cursor, limit int) ([]int64, error) {
	facets := facetGroups(f)
	if x.sqWalk > 0 && x.sqDensity(ctx, groups) >= x.sqDenseAt && x.sqShare(ctx, facets) >= x.sqWalkAt {
		w, args := library.SearchConditions(f, after)
		ids, done, err := x.walkTerms(ctx, groups, f, w, args, library.SearchOrder(f.Sort), limit, x.sqWalk)
		if err != nil || done {
			return ids, err
		}
	}
	match := matchExpr(append(groups, facets...))
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
		// Each match is looked up by id. The conditions are kept from
		// constraining an index (unary +): without statistics SQLite
		// takes "status = ?" on a covering index for a few rows and
		// scanned every published material for each match (2–4 s at
		// 20,000 materials).
		return x.ids(ctx, `SELECT m.id FROM material_fts f CROSS JOIN materials m ON m.id = f.rowid
			WHERE material_fts MATCH ? AND `+byIDOnly(w)+order+` LIMIT ?`, append(append([]any{match}, args...), limit)...)
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

// byIDOnly makes the catalog's conditions (library.SearchConditions:
// columns of materials m compared with arguments) unusable to SQLite's
// choice of an index, so a join reaches each material by its id.
func byIDOnly(w string) string { return strings.ReplaceAll(w, "m.", "+m.") }

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

// Bounds of the PostgreSQL plans (see searchPostgres). The costs they
// balance, measured at a million materials (docs/benchmarks.md): a match
// read from the GIN index costs 4–5 µs (its row must be visited), a
// material walked whose terms are tested costs about 20 µs (its row read
// and decompressed), a material walked and probed against the index's
// bitmap about 3 µs, a match looked up by key about 6 µs.
const (
	pgFew = 1000
	pgSet = 7000
	// pgSetShare: a query expected to match less than this share of the
	// materials reads up to pgSet matches; above it the chunks cost less.
	pgSetShare = 0.007
	// pgWalk: the room of the walk that tests terms, about three times
	// what a query at pgDense needs.
	pgWalk = 1500
	// pgDense: a query expected to match at least this share of the
	// materials that pass its filters fills a page within 700 of them,
	// which the walk that tests terms reads faster (about 14 ms) than the
	// index builds a bitmap of every match (30,000 and more: 10 ms and
	// more) and then finds the page.
	pgDense = 0.03
	// pgWalkShare: that walk only where at least this share of the
	// materials pass the filters; below it the walk would read most of
	// the sort's index to find its room of materials that pass.
	pgWalkShare = 0.02
	// pgChunk, pgChunkMax: the first chunk of the sort's index walked
	// against a set or the index's bitmap, and the largest (each is
	// twice the one before).
	pgChunk    = 1024
	pgChunkMax = 65536
	// pgSetRows: the set plan walks at most this many materials for each
	// match before it looks the matches up by key instead (a word found
	// only in old materials, read newest first).
	pgSetRows = 8
	// pgChunkRows: the chunks stop after this many materials walked, and
	// the rest of the page comes from every match in a CTE.
	pgChunkRows = 200000
	// pgWindow, pgWindowMax: the first window of publication times
	// searched newest first without an estimate, in materials, and the
	// largest. Finding a window's oldest time reads the index up to it
	// (about 0.05 µs a material); the query matched more than pgFew, so
	// at a million materials a window of 65,536 holds about three pages
	// at worst, and a larger library takes a few windows more.
	pgWindow    = 16384
	pgWindowMax = 1 << 16
)

// searchPostgres picks its plan by how many materials match: ANALYZE's
// statistics of the GIN index's keys (pgStats) estimate it, and the index
// itself tells it exactly for rare words. Every step reads a bounded
// number of rows, and a step that finds the estimate wrong hands over to
// the next.
//
//  1. A query expected to be common within its filters («сабақ жоспары»
//     is in 60 % of the demo materials), where the filters leave enough
//     of the catalog, walks the sort's index with the filters, at most
//     pgWalk materials, testing each one's terms with strpos: it fills
//     its page within a few dozen rows. Any other way reads every match.
//  2. The GIN index, which holds the filters as facet tokens
//     (0007_search_facets.sql), is asked for at most pgFew+1 matches, or
//     pgSet+1 where the statistics expect fewer than pgSetShare. None:
//     nothing to fetch. pgFew or fewer: each is looked up by key with the
//     filters, the cursor and the status, and sorted — a few ms. Up to
//     pgSet: they are a set in memory, and the sort's index (which covers
//     the filters: 0005_catalog.sql) is walked in chunks until a page of
//     them is found, as SQLite's plan for that range does.
//  3. More: the sort's index is walked in chunks, and the GIN index says
//     which materials of each chunk match: PostgreSQL ANDs the bitmap of
//     the chunk's keys with the index's bitmap of the query's words, and
//     visits only the rows of matches.
//  4. Chunks that walked pgChunkRows materials without filling the page
//     (matches clustered far down the order) leave the rest to every
//     match from the GIN index in a materialised CTE, joined to the
//     materials and sorted.
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
	// rare within the filters (at 100,000 materials, «сабақ жоспары»
	// among Russian tests took 5.9 s) no longer fetch every material
	// holding them.
	facets := facetGroups(f)
	ginWhere, ginArgs := ginCond(append(append([][]string{}, groups...), facets...))

	dense, share := x.pgDensity(ctx, groups), x.pgShare(ctx, facets)
	if dense >= x.pgDenseAt && share >= x.pgWalkAt {
		ids, done, err := x.walkTerms(ctx, groups, f, w, args, order, limit, x.pgWalk)
		if err != nil || done {
			return ids, err
		}
	}
	// Newest first, the windows find any number of matches in a few ms;
	// other orders take the set up to pgSet matches, then the chunks.
	byWindows := library.ParseSort(string(f.Sort)) == library.SortNew && x.pgWindow > 0
	capped := x.pgFew
	if !byWindows && dense*share < x.pgSetAt {
		capped = max(x.pgSet, x.pgFew)
	}
	got, err := x.ids(ctx, `SELECT s.material_id FROM material_search s WHERE `+ginWhere+` LIMIT ?`, append(append([]any{}, ginArgs...), capped+1)...)
	switch {
	case err != nil:
		return nil, err
	case len(got) == 0:
		return nil, nil
	case len(got) <= x.pgFew:
		return x.lookupPostgres(ctx, got, w, args, order, limit)
	case len(got) <= capped:
		return x.walkSet(ctx, got, f, after, limit)
	}
	if capped > x.pgFew {
		dense = 0 // expected rare, and it is not: the estimate says nothing
	}
	if byWindows {
		return x.walkWindows(ctx, ginWhere, ginArgs, f, after, limit, dense*share)
	}
	out, after, done, err := x.walkChunks(ctx, groups, f, after, limit, dense)
	if err != nil || done {
		return out, err
	}
	// LATERAL with OFFSET 0 (which keeps the planner from flattening it):
	// one primary-key lookup per match; a join left to the planner merges
	// with the whole primary key instead (a second at a million).
	w, args = library.SearchConditions(f, after)
	rest, err := x.ids(ctx, `WITH hits AS MATERIALIZED (SELECT s.material_id FROM material_search s WHERE `+ginWhere+`)
		SELECT m.id FROM hits h CROSS JOIN LATERAL (SELECT m.id, m.published_at, m.views, m.downloads, m.rating_score FROM materials m
			WHERE m.id = h.material_id AND `+w+` OFFSET 0) m`+order+` LIMIT ?`, append(append(append([]any{}, ginArgs...), args...), limit-len(out))...)
	return append(out, rest...), err
}

// ginCond is the condition that a material's keys in the GIN index hold a
// key of every group, spelt as the index's expression
// (0008_search_keys.sql) so the planner uses it.
func ginCond(groups [][]string) (string, []any) {
	var conds []string
	var args []any
	for _, g := range groups {
		marks := make([]string, len(g))
		for i, t := range g {
			marks[i] = "?"
			args = append(args, t)
		}
		conds = append(conds, `material_keys(s.terms, s.facets) && ARRAY[`+strings.Join(marks, ",")+`]::text[]`)
	}
	return strings.Join(conds, " AND "), args
}

// lookupPostgres looks the matches up by key with the filters, the cursor
// and the status, and sorts them.
func (x *Index) lookupPostgres(ctx context.Context, matches []int64, w string, args []any, order string, limit int) ([]int64, error) {
	return x.ids(ctx, `SELECT m.id FROM materials m WHERE m.id = ANY(?::bigint[]) AND `+w+order+` LIMIT ?`,
		append(append([]any{pgInts(matches)}, args...), limit)...)
}

// chunk is the next chunk of the sort's index with the filters after the
// cursor: the materials' keys and the cursor after the last of them.
func (x *Index) chunk(ctx context.Context, f library.Filter, after library.Cursor, n int) ([]int64, library.Cursor, error) {
	w, args := library.SearchConditions(f, after)
	rows, err := x.d.Query(ctx, `SELECT m.id, m.`+library.SortColumn(f.Sort)+` FROM materials m WHERE `+w+library.SearchOrder(f.Sort)+` LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, after, fmt.Errorf("index: search: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		if err := rows.Scan(&after.ID, &after.Value); err != nil {
			return nil, after, fmt.Errorf("index: search: %w", err)
		}
		ids = append(ids, after.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, after, fmt.Errorf("index: search: %w", err)
	}
	return ids, after, nil
}

// walkSet walks the sort's index with the filters from the cursor on, in
// chunks that double, and keeps the materials in matches until it has
// limit of them or the index ends. Past pgSetRows materials walked for
// each match it looks the rest of the matches up by key instead.
func (x *Index) walkSet(ctx context.Context, matches []int64, f library.Filter, after library.Cursor, limit int) ([]int64, error) {
	set := make(map[int64]struct{}, len(matches))
	for _, id := range matches {
		set[id] = struct{}{}
	}
	var out []int64
	walked, n := 0, x.pgChunk
	for {
		if walked > x.pgSetRows*len(matches) {
			w, args := library.SearchConditions(f, after)
			rest, err := x.lookupPostgres(ctx, matches, w, args, library.SearchOrder(f.Sort), limit-len(out))
			return append(out, rest...), err
		}
		ids, next, err := x.chunk(ctx, f, after, n)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if _, ok := set[id]; ok {
				if out = append(out, id); len(out) == limit {
					return out, nil
				}
			}
		}
		if len(ids) < n {
			return out, nil
		}
		walked, after, n = walked+len(ids), next, min(n*2, pgChunkMax)
	}
}

// walkWindows finds the newest matches a window of publication times at a
// time: the window's materials are a range of material_search_new
// (0008_search_keys.sql), one bitmap ANDed with the GIN index's bitmap of
// the words and the filters, so only the rows of matches are read. The
// first window holds about three pages' worth of the share of matches
// expected (or pgWindow materials without an estimate), each next one four
// times as many, down to the oldest. The matches of a window are looked up
// in materials, which decides (status, filters, cursor) and sorts them;
// everything in a window is newer than everything after it, so a page
// filled there is the page.
func (x *Index) walkWindows(ctx context.Context, keysWhere string, keysArgs []any, f library.Filter, after library.Cursor, limit int, share float64) ([]int64, error) {
	n := x.pgWindow
	if share > 0 {
		n = min(max(int(3*float64(limit)/share), n), pgWindowMax)
	}
	var out []int64
	upper := after
	for {
		// The window's oldest time: that of the n-th material below the
		// cursor, read from the index alone.
		below, belowArgs := "s.published_at IS NOT NULL", []any{}
		if !upper.IsZero() {
			below += " AND (s.published_at, s.material_id) < (?, ?)"
			belowArgs = append(belowArgs, upper.Value, upper.ID)
		}
		var low int64
		last := false
		err := x.d.QueryRow(ctx, `SELECT s.published_at FROM material_search s WHERE `+below+`
			ORDER BY s.published_at DESC, s.material_id DESC OFFSET ? LIMIT 1`, append(belowArgs, n)...).Scan(&low)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			last = true // the window reaches the oldest material
		case err != nil:
			return nil, fmt.Errorf("index: search: %w", err)
		}
		window := below
		args := append([]any{}, belowArgs...)
		if !last {
			window += " AND s.published_at >= ?"
			args = append(args, low)
		}
		hits, err := x.idsPlanned(ctx, `SELECT s.material_id FROM material_search s WHERE `+window+` AND `+keysWhere, append(args, keysArgs...)...)
		if err != nil {
			return nil, err
		}
		if len(hits) > 0 {
			w, wargs := library.SearchConditions(f, upper)
			got, err := x.lookupPostgres(ctx, hits, w, wargs, library.SearchOrder(f.Sort), limit-len(out))
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		if len(out) == limit || last {
			return out, nil
		}
		// Strictly older than this window: published_at < low.
		upper, n = library.Cursor{Value: low, ID: math.MinInt64}, min(n*4, pgWindowMax)
	}
}

// walkChunks walks the sort's index with the filters from the cursor on,
// in chunks that double, and asks the GIN index which materials of each
// chunk hold the words. The first chunk is sized for the share dense of
// matches expected, or pgChunk where there is no estimate (0). done is false when pgChunkRows materials were walked
// without filling the page; after is then where the walk stopped.
func (x *Index) walkChunks(ctx context.Context, groups [][]string, f library.Filter, after library.Cursor, limit int, dense float64) (out []int64, _ library.Cursor, done bool, _ error) {
	// Only the words: the walk has applied the filters, and the index's
	// bitmap of a filter's facet token is large.
	ginWhere, ginArgs := ginCond(groups)
	n := x.pgChunk
	if dense > 0 {
		n = min(max(int(2*float64(limit)/dense), n), pgChunkMax)
	}
	walked := 0
	for walked < x.pgChunkRows || walked == 0 {
		ids, next, err := x.chunk(ctx, f, after, n)
		if err != nil || len(ids) == 0 {
			return out, after, err == nil, err
		}
		// Planned for its keys: a plan made for any list would test
		// every row's terms instead of ANDing the two bitmaps.
		rows, err := x.d.QueryPlanned(ctx, `SELECT s.material_id FROM material_search s WHERE s.material_id = ANY(?::bigint[]) AND `+ginWhere,
			append([]any{pgInts(ids)}, ginArgs...)...)
		if err != nil {
			return nil, after, false, fmt.Errorf("index: search: %w", err)
		}
		hit := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, after, false, fmt.Errorf("index: search: %w", err)
			}
			hit[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, after, false, fmt.Errorf("index: search: %w", err)
		}
		for _, id := range ids {
			if hit[id] {
				if out = append(out, id); len(out) == limit {
					return out, after, true, nil
				}
			}
		}
		if len(ids) < n {
			return out, after, true, nil
		}
		walked, after, n = walked+len(ids), next, min(n*2, pgChunkMax)
	}
	return out, after, false, nil
}

// walkTerms walks the sort's index with the filters, at most room
// materials, testing each one's terms (" term " in " terms ": strpos on
// PostgreSQL, instr on SQLite; both take the haystack first). done: the
// page is full, or the walk saw every candidate.
func (x *Index) walkTerms(ctx context.Context, groups [][]string, f library.Filter, w string, args []any, order string, limit, room int) ([]int64, bool, error) {
	find := "instr"
	if x.d.Engine() == db.Postgres {
		find = "strpos"
	}
	col := "m." + library.SortColumn(f.Sort)
	walk := `SELECT m.id, ` + col + ` AS v FROM materials m WHERE ` + w + order + ` LIMIT ?`
	walkArgs := append(append([]any{}, args...), room)
	var conds []string
	var condArgs []any
	for _, g := range groups {
		var alts []string
		for _, t := range g {
			alts = append(alts, find+`(' ' || s.terms || ' ', ?) > 0`)
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

// pgDensity estimates the share of the materials that match every group
// of words, among those that pass the filters too (the walk only reads
// those). A group's share is that of its commonest alternative and half
// of the others' (pgShares). The words a
// reader types together are seldom independent («теорема Пифагора»,
// «функционалдық сауаттылық»: every material with one has the other), so
// the product of the shares would take a common phrase for a rare one and
// send it to the index, which builds a bitmap of every match (70 ms for
// 150,000); the estimate is the rarest group's share times the square root
// of each other's, between the product and the rarest share. The filters
// are taken as independent of the words. A key ANALYZE did not list
// counts as half the rarest listed one; with no statistics (a new
// database) every query counts as rare, which asks the index first.
func (x *Index) pgDensity(ctx context.Context, groups [][]string) float64 {
	return correlated(x.pgShares(ctx, groups))
}

// correlated combines the shares of groups of words a reader typed
// together: the rarest share times the square root of each other's
// (pgDensity says why). 0 for none.
func correlated(shares []float64) float64 {
	if shares == nil {
		return 0
	}
	slices.Sort(shares)
	d := 1.0
	for i, v := range shares {
		if i == 0 {
			d *= v
		} else {
			d *= math.Sqrt(v)
		}
	}
	return d
}

// groupShare is a group's share from its alternatives' shares: the
// commonest, and half of the others (forms of one word, mostly found
// together).
func groupShare(alts []float64) float64 {
	sum, most := 0.0, 0.0
	for _, v := range alts {
		sum, most = sum+v, max(most, v)
	}
	return min(most+(sum-most)/2, 1)
}

// pgShare estimates the share of the materials that pass the filters
// whose facet tokens are groups: the product of each one's share (a
// material has one subject, one grade, one type and one language, and
// they vary independently enough). 0 with no statistics.
func (x *Index) pgShare(ctx context.Context, groups [][]string) float64 {
	return independent(x.pgShares(ctx, groups))
}

// independent combines the shares of independent groups: their product,
// 1 for none, 0 when there are no shares to combine (nil).
func independent(shares []float64) float64 {
	if shares == nil {
		return 0
	}
	d := 1.0
	for _, v := range shares {
		d *= v
	}
	return d
}

// pgShares is each group's share of the materials by ANALYZE's statistics,
// nil without them.
func (x *Index) pgShares(ctx context.Context, groups [][]string) []float64 {
	st := x.pgStatsNow(ctx)
	if st == nil || len(st.freq) == 0 {
		return nil
	}
	out := make([]float64, 0, len(groups))
	for _, g := range groups {
		alts := make([]float64, len(g))
		for i, t := range g {
			v, ok := st.freq[t]
			if !ok {
				v = st.rarest / 2
			}
			alts[i] = v
		}
		out = append(out, groupShare(alts))
	}
	return out
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

// vocabCount is a term's document count in FTS5's vocabulary, and when
// it was read.
type vocabCount struct {
	n  int64
	at time.Time
}

// vocabTTL: how long a document count is kept; counts move slowly, and
// reading a common term's costs up to 15 ms at a million materials (its
// whole posting list is walked).
const vocabTTL = 10 * time.Minute

// vocabMax bounds the counts kept; past it they are all dropped.
const vocabMax = 20000

// docs is how many materials hold term, by FTS5's vocabulary table
// (material_fts_vocab, 0008_search_keys.sql); -1 when it cannot say.
func (x *Index) docs(ctx context.Context, term string) int64 {
	x.vocabMu.Lock()
	c, ok := x.vocab[term]
	x.vocabMu.Unlock()
	if ok && time.Since(c.at) < vocabTTL {
		return c.n
	}
	var n int64
	err := x.d.QueryRow(ctx, `SELECT doc FROM material_fts_vocab WHERE term = ?`, term).Scan(&n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		n = 0
	case err != nil:
		return -1
	}
	x.vocabMu.Lock()
	if x.vocab == nil || len(x.vocab) >= vocabMax {
		x.vocab = map[string]vocabCount{}
	}
	x.vocab[term] = vocabCount{n: n, at: time.Now()}
	x.vocabMu.Unlock()
	return n
}

// sqShares is each group's share of the materials in the index by the
// vocabulary's document counts (the materials are counted as the
// documents of their language facets), nil when it cannot say.
func (x *Index) sqShares(ctx context.Context, groups [][]string) []float64 {
	var total int64
	for _, l := range library.Languages {
		n := x.docs(ctx, "§l"+hex.EncodeToString([]byte(l)))
		if n < 0 {
			return nil
		}
		total += n
	}
	if total == 0 {
		return nil
	}
	out := make([]float64, 0, len(groups))
	for _, g := range groups {
		alts := make([]float64, len(g))
		for i, t := range g {
			n := x.docs(ctx, t)
			if n < 0 {
				return nil
			}
			alts[i] = float64(n) / float64(total)
		}
		out = append(out, groupShare(alts))
	}
	return out
}

// sqDensity estimates the share of materials matching every group of
// words (SQLite), as pgDensity does from PostgreSQL's statistics.
func (x *Index) sqDensity(ctx context.Context, groups [][]string) float64 {
	return correlated(x.sqShares(ctx, groups))
}

// sqShare estimates the share of materials that pass the filters whose
// facet tokens are groups (SQLite): the product. 0 when it cannot say.
func (x *Index) sqShare(ctx context.Context, facets [][]string) float64 {
	return independent(x.sqShares(ctx, facets))
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
	return scanIDs(rows, err)
}

// idsPlanned is ids with a statement planned for its values
// (db.QueryPlanned).
func (x *Index) idsPlanned(ctx context.Context, q string, args ...any) ([]int64, error) {
	return scanIDs(x.d.QueryPlanned(ctx, q, args...))
}

func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
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
