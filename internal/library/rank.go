package library

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// SortRelevance orders a search's matches by where the query's words were
// found (title, then description and tags, then the file text), newest
// first among equals. It is the default order of a search; without a
// search text it is the newest first.
const SortRelevance Sort = "relevance"

// CountBound is how many matches a search counts exactly: beyond it the
// reader is told "more than CountBound", and relevance ranks the newest
// CountBound matches (ten pages). Counting a common word exactly would
// read every material holding it (hundreds of thousands at a million
// materials); the searcher's plans find 201 matches about as fast as a
// page of 21, while 1,001 cost PostgreSQL's plans ten times a page
// (docs/benchmarks.md).
// The messages finding.count.more say the number in words: change them
// with it.
const CountBound = 200

// Field weights of the ranking: a query word found in the title counts
// more than one found in the description or tags, which counts more than
// one found only in the file text (or the taxonomy's names). Powers of
// two with room: one title match outranks any number of weaker ones up
// to eight words, which a query never has in practice.
const (
	weightTitle       = 8
	weightDescription = 3
	weightBody        = 1
)

// titleMark begins the extra index token a title's term gets ("ᴛабай"
// for абай in a title), so a search can ask for the materials holding
// every query word in their title: the ones relevance puts first. No
// analysed word of a text begins with it (a rare phonetic letter, which
// neither case nor FTS5's ascii tokenizer folds), and one that did would
// only add a candidate that the ranking scores from the stored fields.
const titleMark = "ᴛ"

// TitleTokens are the index tokens of a title's terms.
func TitleTokens(titleTerms []string) []string {
	out := make([]string, len(titleTerms))
	for i, t := range titleTerms {
		out[i] = titleMark + t
	}
	return out
}

// Results is one page of a search, with how many materials matched.
type Results struct {
	Items []Hit
	// Total is the number of matches, exact when More is false; with More
	// it is CountBound and more matched.
	Total int
	More  bool
	// Page is this page (from 1) of Pages.
	Page, Pages int
}

// Hit is a card of a search result with a snippet of the text around the
// first matched word (from the file text, else the description).
type Hit struct {
	Card
	Snippet []Segment
}

// Search answers a search text: how many materials match f (up to
// CountBound) and the page-th page of perPage of them, ranked by
// relevance when f.Sort is SortRelevance or newest first otherwise. The
// matches come from the Searcher newest first, the same materials in the
// same order on both engines (internal/search/index's conformance suite),
// and the ranking is computed here from the terms stored per field, so
// it is the same on both engines too: an engine's own scoring (FTS5's
// bm25, PostgreSQL's ts_rank) would differ between them, and neither
// index keeps the positions or fields it needs (docs/architecture.md).
func (s *Service) Search(ctx context.Context, f Filter, page, perPage int) (*Results, error) {
	perPage = clampLimit(perPage)
	groups := queryTerms(f.Q)
	res := &Results{Page: 1}
	if len(groups) == 0 {
		return res, nil
	}
	byNew := f
	byNew.Sort = SortNew
	ids, err := s.o.Searcher.Search(ctx, groups, byNew, Cursor{}, CountBound+1)
	if err != nil {
		return nil, wrap("search", err)
	}
	if len(ids) > CountBound {
		ids, res.More = ids[:CountBound], true
	}
	res.Total = len(ids)
	if f.Sort != SortNew && f.Sort != SortPopular && f.Sort != SortDownloads {
		if res.More {
			// More matched than are ranked: the materials with every
			// query word in their title (the highest score) join the
			// newest ones, so an older material named exactly as asked is
			// not lost beyond them. The index holds those words as title
			// tokens (TitleTokens); a library indexed before them finds
			// none here until `smartustaz reindex`.
			titled := make([][]string, len(groups))
			for i, g := range groups {
				titled[i] = TitleTokens(g)
			}
			more, err := s.o.Searcher.Search(ctx, titled, byNew, Cursor{}, CountBound)
			if err != nil {
				return nil, wrap("search", err)
			}
			ids = union(ids, more)
		}
		if ids, err = s.rank(ctx, ids, groups); err != nil {
			return nil, err
		}
		// Ten pages, as counted.
		ids = ids[:min(len(ids), CountBound)]
	} else if f.Sort != SortNew {
		return nil, fmt.Errorf("library: search: page %s by keyset with List", f.Sort)
	}
	res.Pages = (len(ids) + perPage - 1) / perPage
	res.Page = min(max(page, 1), max(res.Pages, 1))
	from := (res.Page - 1) * perPage
	ids = ids[from:min(from+perPage, len(ids))]
	cards, err := s.cards(ctx, ids)
	if err != nil {
		return nil, err
	}
	if cards, err = s.withAuthorNames(ctx, cards); err != nil {
		return nil, err
	}
	snips, err := s.snippets(ctx, ids, groups)
	if err != nil {
		return nil, err
	}
	for _, c := range cards {
		res.Items = append(res.Items, Hit{Card: c, Snippet: snips[c.ID]})
	}
	return res, nil
}

// Count is how many published materials match f's search text, exact up
// to CountBound (more reports that more matched): for a search in an
// order paged by keyset (List).
func (s *Service) Count(ctx context.Context, f Filter) (n int, more bool, err error) {
	groups := queryTerms(f.Q)
	if len(groups) == 0 {
		return 0, false, nil
	}
	f.Sort = SortNew
	ids, err := s.o.Searcher.Search(ctx, groups, f, Cursor{}, CountBound+1)
	if err != nil {
		return 0, false, wrap("search", err)
	}
	if len(ids) > CountBound {
		return CountBound, true, nil
	}
	return len(ids), false, nil
}

// rank orders ids (newest first) by score, keeping that order among equal
// scores. A group of the query scores the weight of the best field it is
// found in.
func (s *Service) rank(ctx context.Context, ids []int64, groups [][]string) ([]int64, error) {
	fields, err := s.rankFields(ctx, ids)
	if err != nil {
		return nil, err
	}
	score := make(map[int64]int, len(ids))
	for _, id := range ids {
		f := fields[id]
		n := 0
		for _, g := range groups {
			switch {
			case hasAny(f.title, g):
				n += weightTitle
			case hasAny(f.desc, g):
				n += weightDescription
			default:
				n += weightBody
			}
		}
		score[id] = n
	}
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b int64) int { return score[b] - score[a] })
	return out, nil
}

type rankField struct{ title, desc string }

// hasAny reports whether terms (joined by spaces, with a space at either
// end) hold one of g.
func hasAny(terms string, g []string) bool {
	for _, t := range g {
		if strings.Contains(terms, " "+t+" ") {
			return true
		}
	}
	return false
}

// rankFields loads the title and description terms of ids, analysing the
// title and description of a material indexed before they were stored
// (migration 0019) instead.
func (s *Service) rankFields(ctx context.Context, ids []int64) (map[int64]rankField, error) {
	out := make(map[int64]rankField, len(ids))
	var stale []int64
	for chunk := range slices.Chunk(ids, 500) {
		rows, err := s.db.Query(ctx, `SELECT material_id, title_terms, desc_terms FROM material_search WHERE material_id IN (`+marks(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return nil, wrap("rank", err)
		}
		for rows.Next() {
			var id int64
			var t, d string
			if err := rows.Scan(&id, &t, &d); err != nil {
				rows.Close()
				return nil, wrap("rank", err)
			}
			if t == "" {
				stale = append(stale, id)
			}
			out[id] = rankField{" " + t + " ", " " + d + " "}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("rank", err)
		}
	}
	for chunk := range slices.Chunk(stale, 500) {
		rows, err := s.db.Query(ctx, `SELECT id, title, description, tags FROM materials WHERE id IN (`+marks(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return nil, wrap("rank", err)
		}
		for rows.Next() {
			var id int64
			var t, d, tags string
			if err := rows.Scan(&id, &t, &d, &tags); err != nil {
				rows.Close()
				return nil, wrap("rank", err)
			}
			out[id] = rankField{" " + strings.Join(terms(t), " ") + " ", " " + strings.Join(terms(d+"\n"+tags), " ") + " "}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("rank", err)
		}
	}
	return out, nil
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// union is a followed by the ids of b it does not hold. Both come from
// the searcher newest first, and a holds the newest matches of all, so
// every id of b missing from a is older than all of a: appended in b's
// order, the result is newest first too, as rank expects of its input
// (it keeps that order among equal scores).
func union(a, b []int64) []int64 {
	seen := make(map[int64]bool, len(a))
	for _, id := range a {
		seen[id] = true
	}
	out := slices.Clone(a)
	for _, id := range b {
		if !seen[id] {
			out = append(out, id)
		}
	}
	return out
}
