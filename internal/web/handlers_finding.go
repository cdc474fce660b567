package web

import (
	"net/http"
	"net/url"

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
