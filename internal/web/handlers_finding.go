package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// homeData is what the home page shows (issue 13, section 1): a search
// box, the newest and the most downloaded materials, and the subjects
// and grades to browse with how many materials each holds.
type homeData struct {
	Newest, Downloaded []cardView
	Subjects, Grades   []facetLink
	Total              int64
}

// facetLink is a catalog filtered by one subject or grade.
type facetLink struct {
	URL, Label string
	N          int64
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.home.title")
	h, err := s.Library.Home(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tax, err := s.Library.Taxonomy(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := homeData{Newest: cardViews(pg.Lang, tax, h.Newest), Downloaded: cardViews(pg.Lang, tax, h.Downloaded), Total: h.Total}
	s.withPictures(r.Context(), d.Newest)
	s.withPictures(r.Context(), d.Downloaded)
	for _, c := range h.Subjects {
		d.Subjects = append(d.Subjects, facetLink{URL: "/materials?subject=" + url.QueryEscape(c.Code),
			Label: tax.Name(library.KindSubject, c.Code, pg.Lang), N: c.N})
	}
	for _, c := range h.Grades {
		d.Grades = append(d.Grades, facetLink{URL: "/materials?grade=" + url.QueryEscape(c.Code),
			Label: tax.Name(library.KindGrade, c.Code, pg.Lang), N: c.N})
	}
	pg.Data = d
	s.render(w, r, http.StatusOK, "home", pg)
}

// catalogPage is how many cards a catalog or search page shows.
const catalogPage = 20

// defaultSort is the order of a catalog address without "sort": by
// relevance for a search text, the newest first otherwise.
func defaultSort(f library.Filter) library.Sort {
	if f.Q != "" {
		return library.SortRelevance
	}
	return library.SortNew
}

// pageLink is one link of a ranked search's numbered pages; a zero
// Number is a gap ("…").
type pageLink struct {
	URL     string
	Number  int
	Current bool
}

// foundText is "N materials for «q»" in l, or "more than …" past the
// bound of the count.
func foundText(l i18n.Lang, q string, n int, more bool) string {
	switch {
	case more:
		return i18n.T(l, "finding.count.more", q)
	case n == 1:
		return i18n.T(l, "finding.count.one", q)
	}
	return i18n.T(l, "finding.count", n, q)
}

// searchData is the catalog page of a ranked search: its cards with
// snippets, the count and the numbered pages.
func searchData(l i18n.Lang, tax *library.Taxonomy, f library.Filter, res *library.Results) catalogData {
	cards := make([]library.Card, len(res.Items))
	for i, h := range res.Items {
		cards[i] = h.Card
	}
	d := newCatalogData(l, tax, f, library.Cursor{}, &library.Page{Items: cards})
	for i, h := range res.Items {
		d.Cards[i].Snippet = h.Snippet
	}
	d.Found = foundText(l, f.Q, res.Total, res.More)
	if res.Pages > 1 {
		pageURL := func(n int) string {
			u := catalogURL(f, f.Sort, library.Cursor{})
			if n == 1 {
				return u
			}
			return u + "&page=" + strconv.Itoa(n)
		}
		last := 0
		for n := 1; n <= res.Pages; n++ {
			// The first and last pages, and two either side of this one.
			if n != 1 && n != res.Pages && (n < res.Page-2 || n > res.Page+2) {
				continue
			}
			if last != 0 && n > last+1 {
				d.Pages = append(d.Pages, pageLink{})
			}
			d.Pages = append(d.Pages, pageLink{URL: pageURL(n), Number: n, Current: n == res.Page})
			last = n
		}
		if res.Page > 1 {
			d.PrevURL = pageURL(res.Page - 1)
		}
		if res.Page < res.Pages {
			d.NextURL = pageURL(res.Page + 1)
		}
	}
	return d
}
