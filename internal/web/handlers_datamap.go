package web

import (
	"net/http"

	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/retention"
)

// privacyDataMap is the public data map (clause P.1): what the site keeps,
// why, for how long and who can see it, generated from the declarations
// of internal/datamap, so it shows what the schema holds.
func (s *Server) privacyDataMap(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "datamap.title")
	pg.Data = datamap.PublicMap(pg.Lang)
	s.render(w, r, http.StatusOK, "datamap", pg)
}

// adminDataMap is the same map with the technical names: every table and
// column with its category, protection, retention and readers.
func (s *Server) adminDataMap(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "datamap.admin.title")
	rules, err := datamap.Rules()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	destroyed, err := retention.List(r.Context(), s.DB, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = struct {
		All, PlainPersonal []datamap.Declared
		Rules              []datamap.Rule
		Destroyed          []retention.Record
	}{datamap.All(), datamap.PlainPersonal(), rules, destroyed}
	s.render(w, r, http.StatusOK, "admin_datamap", pg)
}
