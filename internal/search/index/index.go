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
// a text[] with && (overlap). Anything that is not a valid index term (a
// lower-case run of letters and digits, as search.Terms makes) can never be
// in the index, so it matches nothing on either engine, and it never
// reaches the query text as syntax.
package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Index answers the library's full-text queries from the engine's index.
type Index struct {
	d *db.DB
}

var _ library.Searcher = (*Index)(nil)

// New returns the index of d's engine.
func New(d *db.DB) *Index { return &Index{d: d} }

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
	w, args := library.SearchConditions(f, after)
	order := library.SearchOrder(f.Sort)
	if len(groups) == 0 {
		// Nothing to match: the filtered catalog, as SQLSearcher gives it.
		return x.ids(ctx, `SELECT m.id FROM materials m WHERE `+w+order+` LIMIT ?`, append(args, limit)...)
	}
	switch x.d.Engine() {
	case db.SQLite:
		return x.searchSQLite(ctx, groups, w, args, order, limit)
	case db.Postgres:
		return x.searchPostgres(ctx, groups, w, args, order, limit)
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

func (x *Index) searchSQLite(ctx context.Context, groups [][]string, w string, args []any, order string, limit int) ([]int64, error) {
	q := `SELECT m.id FROM material_fts f CROSS JOIN materials m ON m.id = f.rowid
		WHERE material_fts MATCH ? AND ` + w + order + ` LIMIT ?`
	return x.ids(ctx, q, append(append([]any{matchExpr(groups)}, args...), limit)...)
}

// searchPostgres matches each group with an overlap of the material's
// terms and the group's, spelled as the GIN index's expression.
func (x *Index) searchPostgres(ctx context.Context, groups [][]string, w string, args []any, order string, limit int) ([]int64, error) {
	var conds []string
	for _, g := range groups {
		marks := make([]string, len(g))
		for i, t := range g {
			marks[i] = "?"
			args = append(args, t)
		}
		conds = append(conds, `string_to_array(s.terms, ' ') && ARRAY[`+strings.Join(marks, ",")+`]::text[]`)
	}
	q := `SELECT m.id FROM materials m JOIN material_search s ON s.material_id = m.id
		WHERE ` + w + ` AND ` + strings.Join(conds, " AND ") + order + ` LIMIT ?`
	return x.ids(ctx, q, append(args, limit)...)
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
