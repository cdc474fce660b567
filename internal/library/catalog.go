package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// Sort orders the catalog.
type Sort string

// Catalog orders.
const (
	SortNew       Sort = "new"
	SortPopular   Sort = "popular"
	SortDownloads Sort = "downloads"
	// SortRating orders by the rating's Bayesian score (social.go).
	SortRating Sort = "rating"
)

// ParseSort returns the sort named by s, SortNew for anything else.
func ParseSort(s string) Sort {
	switch Sort(s) {
	case SortPopular, SortDownloads, SortRating, SortRelevance:
		return Sort(s)
	}
	return SortNew
}

// column is the materials column a sort orders by (descending, then id).
// Views and downloads change while a reader pages; a material whose count
// changes between two pages may then move across the cursor and be seen
// twice or not at all — acceptable for a popularity list, and the price of
// pages that cost the same at any depth.
func (s Sort) column() string {
	switch s {
	case SortPopular:
		return "views"
	case SortDownloads:
		return "downloads"
	case SortRating:
		return "rating_score"
	}
	return "published_at"
}

// Filter narrows and orders the catalog. Empty fields match everything.
type Filter struct {
	Subject, Grade, Type, Language string
	// Q is the reader's search text.
	Q    string
	Sort Sort
}

// Cursor is a keyset position: the sort column's value and the id of the
// last material on the previous page. The zero Cursor is the first page.
type Cursor struct{ Value, ID int64 }

// IsZero reports whether c is the first page.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes c for a URL ("" for the first page).
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.Value, 10) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseCursor decodes a cursor from a URL; anything malformed is the
// first page.
func ParseCursor(s string) Cursor {
	v, id, ok := strings.Cut(s, ".")
	if !ok {
		return Cursor{}
	}
	a, err1 := strconv.ParseInt(v, 10, 64)
	b, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || b <= 0 {
		return Cursor{}
	}
	return Cursor{a, b}
}

// Card is a material as the catalog lists it.
type Card struct {
	ID, AuthorID                   int64
	Title, Slug                    string
	Subject, Grade, Type, Language string
	Views, Downloads               int64
	PublishedAt                    time.Time
	// RatingSum and RatingCount make the average on the card;
	// RatingScore is the "rating" sort's key.
	RatingSum, RatingCount, RatingScore int64
	// AuthorName is the author's public display name, "" unless they
	// chose to show one (clause 1.4).
	AuthorName string
}

// Rating is the card's average and count.
func (c Card) Rating() Rating { return Rating{Sum: c.RatingSum, Count: c.RatingCount} }

// Path is the card's material address.
func (c Card) Path() string { return MaterialPath(c.ID, c.Slug) }

func (c Card) cursor(s Sort) Cursor {
	switch s {
	case SortPopular:
		return Cursor{c.Views, c.ID}
	case SortDownloads:
		return Cursor{c.Downloads, c.ID}
	case SortRating:
		return Cursor{c.RatingScore, c.ID}
	}
	return Cursor{c.PublishedAt.UnixMilli(), c.ID}
}

// Page is one page of the catalog; Next is the zero Cursor on the last.
type Page struct {
	Items []Card
	Next  Cursor
}

// Searcher finds published materials whose index terms match every group
// (a group matches when any of its alternatives does), narrowed by the
// filter and in its order, after the keyset cursor. A full-text index
// (FTS5, tsvector) implements it; SQLSearcher is the plain fallback.
type Searcher interface {
	Search(ctx context.Context, groups [][]string, f Filter, after Cursor, limit int) ([]int64, error)
}

// MaxPage bounds a catalog page.
const MaxPage = 100

const cardColumns = `m.id, m.author_id, m.title, m.slug, m.subject, m.grade, m.type, m.language, m.views, m.downloads, m.published_at,
	m.rating_sum, m.rating_count, m.rating_score`

func scanCard(sc interface{ Scan(...any) error }) (Card, error) {
	var c Card
	var pub int64
	err := sc.Scan(&c.ID, &c.AuthorID, &c.Title, &c.Slug, &c.Subject, &c.Grade, &c.Type, &c.Language, &c.Views, &c.Downloads, &pub, &c.RatingSum, &c.RatingCount, &c.RatingScore)
	c.PublishedAt = db.Time(pub)
	return c, err
}

// where builds the filter and keyset conditions shared by the catalog and
// SQLSearcher. The keyset is a row-value comparison, which both engines
// answer from the sort's index.
func where(f Filter, after Cursor) (string, []any) {
	conds := []string{"m.status = ?"}
	args := []any{string(StatusPublished)}
	for _, c := range f.facets() {
		if c.v != "" {
			conds = append(conds, "m."+c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if !after.IsZero() {
		conds = append(conds, "(m."+f.Sort.column()+", m.id) < (?, ?)")
		args = append(args, after.Value, after.ID)
	}
	return strings.Join(conds, " AND "), args
}

func orderBy(s Sort) string {
	return " ORDER BY m." + s.column() + " DESC, m.id DESC"
}

func clampLimit(n int) int {
	if n <= 0 || n > MaxPage {
		return 20
	}
	return n
}

// List returns a page of the published catalog. With a search text the
// Searcher picks the materials; without, one keyset query over the sort's
// index does, so a deep page costs what the first one does.
func (s *Service) List(ctx context.Context, f Filter, after Cursor, limit int) (*Page, error) {
	f.Sort = ParseSort(string(f.Sort))
	limit = clampLimit(limit)
	var cards []Card
	var err error
	full := false
	if groups := queryTerms(f.Q); len(groups) > 0 {
		// One more than a page is asked for, so "next" appears only when
		// there is something after this page.
		ids, err := s.o.Searcher.Search(ctx, groups, f, after, limit+1)
		if err != nil {
			return nil, wrap("search", err)
		}
		cards, err = s.cards(ctx, ids)
		if err != nil {
			return nil, err
		}
		full = len(ids) > limit
	} else {
		ids, err := s.browse(ctx, f, after, limit+1)
		if err != nil {
			return nil, wrap("catalog", err)
		}
		if cards, err = s.cards(ctx, ids); err != nil {
			return nil, err
		}
		full = len(ids) > limit
	}
	if len(cards) > limit {
		cards = cards[:limit]
	}
	if cards, err = s.withAuthorNames(ctx, cards); err != nil {
		return nil, err
	}
	p := &Page{Items: cards}
	if full && len(cards) > 0 {
		p.Next = cards[len(cards)-1].cursor(f.Sort)
	}
	return p, nil
}

// HasMaterials reports whether the library holds any material at all, in
// any status: serve --demo fills only a library that has none, so that
// synthetic materials never appear next to a teacher's own, even one
// still waiting for a moderator. One row is read, not counted.
func (s *Service) HasMaterials(ctx context.Context) (bool, error) {
	var one int
	err := s.db.QueryRow(ctx, `SELECT 1 FROM materials LIMIT 1`).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("library: has materials: %w", err)
	}
	return true, nil
}

func (s *Service) queryCards(ctx context.Context, q string, args ...any) ([]Card, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("catalog", err)
	}
	defer rows.Close()
	var out []Card
	for rows.Next() {
		c, err := scanCard(rows)
		if err != nil {
			return nil, wrap("catalog", err)
		}
		out = append(out, c)
	}
	return out, wrap("catalog", rows.Err())
}

// cards loads published cards by id, in the order given.
func (s *Service) cards(ctx context.Context, ids []int64) ([]Card, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks := make([]string, len(ids))
	args := []any{string(StatusPublished)}
	for i, id := range ids {
		marks[i] = "?"
		args = append(args, id)
	}
	// "|| ''" keeps the planners off the indexes that lead with status: at
	// a million materials SQLite walked every published one (8 s) instead
	// of looking the few ids up by their key.
	got, err := s.queryCards(ctx, `SELECT `+cardColumns+` FROM materials m WHERE m.status || '' = ? AND m.id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Card, len(got))
	for _, c := range got {
		byID[c.ID] = c
	}
	out := make([]Card, 0, len(ids))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// Related lists other published materials of the same subject and grade,
// newest first. Every page of a subject and grade shows the same few, so
// they are kept for relatedTTL: a new material joins the list within it.
func (s *Service) Related(ctx context.Context, m *Material, limit int) ([]Card, error) {
	limit = clampLimit(limit)
	key := m.Subject + "\x00" + m.Grade
	s.related.mu.Lock()
	e, ok := s.related.m[key]
	s.related.mu.Unlock()
	if !ok || time.Since(e.at) > relatedTTL || e.asked < limit+1 {
		cards, err := s.queryCards(ctx, `SELECT `+cardColumns+` FROM materials m WHERE m.status = ? AND m.subject = ? AND m.grade = ?
			ORDER BY m.published_at DESC, m.id DESC LIMIT ?`, string(StatusPublished), m.Subject, m.Grade, limit+1)
		if err != nil {
			return nil, err
		}
		if cards, err = s.withAuthorNames(ctx, cards); err != nil {
			return nil, err
		}
		e = relatedEntry{cards: cards, asked: limit + 1, at: time.Now()}
		s.related.mu.Lock()
		if s.related.m == nil || len(s.related.m) > 10000 {
			s.related.m = map[string]relatedEntry{}
		}
		s.related.m[key] = e
		s.related.mu.Unlock()
	}
	out := make([]Card, 0, limit)
	for _, c := range e.cards {
		if c.ID != m.ID && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, nil
}

const relatedTTL = 30 * time.Second

type relatedEntry struct {
	cards []Card
	asked int
	at    time.Time
}

type relatedCache struct {
	mu sync.Mutex
	m  map[string]relatedEntry
}

// ForgetCaches drops what this process keeps in memory of the library —
// the taxonomy and the related-materials lists — because another process
// of the site may have changed them (internal/cluster); the next reader
// loads them again.
func (s *Service) ForgetCaches() {
	s.tax.Store(nil)
	s.related.mu.Lock()
	s.related.m = nil
	s.related.mu.Unlock()
	s.home.mu.Lock()
	s.home.h = nil
	s.home.mu.Unlock()
}

// ByAuthor lists an author's own materials in every status, newest first.
func (s *Service) ByAuthor(ctx context.Context, authorID int64) ([]Material, error) {
	rows, err := s.db.Query(ctx, `SELECT `+materialColumns+` FROM materials WHERE author_id = ? ORDER BY created_at DESC, id DESC LIMIT 500`, authorID)
	if err != nil {
		return nil, wrap("by author", err)
	}
	defer rows.Close()
	var out []Material
	for rows.Next() {
		m, err := scanMaterial(rows)
		if err != nil {
			return nil, wrap("by author", err)
		}
		out = append(out, *m)
	}
	return out, wrap("by author", rows.Err())
}

// SQLSearcher matches index terms with LIKE over material_search: correct
// on both engines and fine for a small library; a full-text index
// replaces it at scale.
type SQLSearcher struct{ DB *db.DB }

// Search implements Searcher.
func (q *SQLSearcher) Search(ctx context.Context, groups [][]string, f Filter, after Cursor, limit int) ([]int64, error) {
	f.Sort = ParseSort(string(f.Sort))
	w, args := where(f, after)
	var match []string
	for _, g := range groups {
		var alts []string
		for _, t := range g {
			alts = append(alts, `(' ' || s.terms || ' ') LIKE ? ESCAPE '\'`)
			args = append(args, "% "+likeEscape(t)+" %")
		}
		if len(alts) > 0 {
			match = append(match, "("+strings.Join(alts, " OR ")+")")
		}
	}
	if len(match) > 0 {
		w += " AND " + strings.Join(match, " AND ")
	}
	rows, err := q.DB.Query(ctx, `SELECT m.id FROM materials m JOIN material_search s ON s.material_id = m.id WHERE `+w+orderBy(f.Sort)+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("library: search: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("library: search: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// browseWindow is how many entries of the sort's index a filtered page
// reads before it gives up on the walk and asks the facet index instead.
// A combination that holds 1 material in 200 fills a 21-card page within
// it on average; one that holds fewer is cheaper to find by its filters
// and sort (materials_facets). Either way a page never reads rows it does
// not show: both indexes hold the filter columns.
const browseWindow = 4000

func (s *Service) window() int {
	if s.browseWindow > 0 {
		return s.browseWindow
	}
	return browseWindow
}

// facets are the filter's four columns with the values asked for, in the
// order of materials_facets.
func (f Filter) facets() [4]struct{ col, v string } {
	return [4]struct{ col, v string }{{"subject", f.Subject}, {"grade", f.Grade}, {"type", f.Type}, {"language", f.Language}}
}

func (f Filter) filtered() bool {
	return f.Subject != "" || f.Grade != "" || f.Type != "" || f.Language != ""
}

// browse returns the ids of one catalog page without a search text, in
// the sort's order after the cursor. The plans and why are in
// internal/db/migrations/*/0005_catalog.sql: with no filter, the sort's
// index in order; with filters, first a bounded window of it (dense
// combinations), and when that does not fill the page, the facet index,
// which finds only the matching materials and sorts them (sparse ones).
// The second plan is exact, so a page is never short of what matches.
func (s *Service) browse(ctx context.Context, f Filter, after Cursor, n int) ([]int64, error) {
	col := f.Sort.column()
	keyset, args := "", []any{string(StatusPublished)}
	if !after.IsZero() {
		keyset = " AND (m." + col + ", m.id) < (?, ?)"
		args = append(args, after.Value, after.ID)
	}
	if !f.filtered() {
		return s.ids(ctx, `SELECT m.id FROM materials m WHERE m.status = ?`+keyset+orderBy(f.Sort)+` LIMIT ?`, append(args, n)...)
	}
	var conds []string
	var fargs []any
	for _, c := range f.facets() {
		if c.v != "" {
			conds = append(conds, "w."+c.col+" = ?")
			fargs = append(fargs, c.v)
		}
	}
	// The inner query is an ordered range of the sort's index, cut at the
	// window; the outer one tests the filter columns that index carries
	// and stops at the page's last match. PostgreSQL knows the inner
	// order and reads only as far as that. SQLite runs the inner query as
	// a co-routine whose rows come in its order, but an outer ORDER BY
	// made it read the whole window into a sorter first (4,000 entries for
	// every filtered page: two thirds of a page's database time); without
	// it, it stops at the last match. TestBrowsePlans holds both engines
	// to the order of the rows.
	outerOrder := ` ORDER BY w.` + col + ` DESC, w.id DESC`
	if s.db.Engine() == db.SQLite {
		outerOrder = ""
	}
	window := `SELECT w.id FROM (SELECT m.id, m.` + col + `, m.subject, m.grade, m.type, m.language FROM materials m WHERE m.status = ?` + keyset +
		orderBy(f.Sort) + ` LIMIT ?) w WHERE ` + strings.Join(conds, " AND ") + outerOrder + ` LIMIT ?`
	wargs := append(append(append(append([]any{}, args...), s.window()), fargs...), n)
	ids, err := s.ids(ctx, window, wargs...)
	if err != nil || len(ids) >= n {
		return ids, err
	}
	// A window that reached the end of the sort order has seen every
	// candidate: the page is complete. Without this, a deep page near the
	// end of a common filter (language=kk) asked the facet index for
	// every match after the cursor: half the table.
	var walked int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM (SELECT m.id FROM materials m WHERE m.status = ?`+keyset+orderBy(f.Sort)+` LIMIT ?) w`,
		append(append([]any{}, args...), s.window())...).Scan(&walked); err != nil {
		return nil, err
	}
	if walked < s.window() {
		return ids, nil
	}
	return s.browseSparse(ctx, f, keyset, args, n)
}

// browseSparse answers a filtered page from materials_facets: each filter
// the reader left open becomes the list of every code of its kind (the
// taxonomy keeps retired codes, so every material's code is listed), so
// both engines seek the index once per combination instead of scanning,
// then sort only the matches. "+ 0" keeps the planner from walking the
// sort's index instead — the plan that reads the whole table when few
// materials match.
func (s *Service) browseSparse(ctx context.Context, f Filter, keyset string, args []any, n int) ([]int64, error) {
	tax, err := s.Taxonomy(ctx)
	if err != nil {
		return nil, err
	}
	codes := func(terms []Term) []string {
		out := make([]string, len(terms))
		for i, t := range terms {
			out[i] = t.Code
		}
		return out
	}
	all := [4][]string{codes(tax.Subjects), codes(tax.Grades), codes(tax.Types), Languages}
	var conds []string
	for i, c := range f.facets() {
		vals := all[i]
		if c.v != "" {
			vals = []string{c.v}
		}
		if len(vals) == 0 {
			return nil, nil
		}
		conds = append(conds, "m."+c.col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	indexed := ""
	if s.db.Engine() == db.SQLite {
		indexed = " INDEXED BY materials_facets"
	}
	col := f.Sort.column()
	q := `SELECT m.id FROM materials m` + indexed + ` WHERE m.status = ?` + keyset + ` AND ` + strings.Join(conds, " AND ") +
		` ORDER BY m.` + col + ` + 0 DESC, m.id DESC LIMIT ?`
	return s.ids(ctx, q, append(args, n)...)
}

func (s *Service) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
