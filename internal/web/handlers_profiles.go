package web

import (
	"net/http"
	"net/url"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Public author profiles (issue 3 §4, clause 1.4): the user ticks, field
// by field, what /authors/{id} shows; nothing is public until ticked.

// publicFormData is what the choice form shows.
type publicFormData struct {
	Fields []string
	Max    map[string]int
	Public *library.PublicProfile
}

// publicFormPage fills the form: a public field with its published value, a
// field not yet public unticked and prefilled from the account (the
// user sees what would be shown before choosing it).
func (s *Server) publicFormPage(r *http.Request) (*page, error) {
	u, err := user(r)
	if err != nil {
		return nil, err
	}
	p, err := s.Library.PublicProfile(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	pg := s.newPage(r, "profiles.page.title")
	f := url.Values{
		library.ProfileDisplayName: {u.FullName.Reveal()}, library.ProfileSchool: {u.Organization.Reveal()},
		library.ProfileRegion: {u.Region.Reveal()}, library.ProfilePosition: {u.Position.Reveal()},
	}
	for field, v := range p.Fields {
		f.Set(field, v)
		f.Set("show_"+field, "yes")
	}
	pg.Form = f
	pg.Data = publicFormData{Fields: library.ProfileFields, Max: library.ProfileMax, Public: p}
	return pg, nil
}

func (s *Server) publicProfileForm(w http.ResponseWriter, r *http.Request) {
	pg, err := s.publicFormPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == "saved" {
		pg.Notice = i18n.T(pg.Lang, "profiles.page.saved")
	}
	s.render(w, r, http.StatusOK, "profile_public", pg)
}

func (s *Server) publicProfileSave(w http.ResponseWriter, r *http.Request) {
	pg, err := s.publicFormPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	chosen := map[string]string{}
	if r.PostForm.Get("hide_all") == "" {
		for _, f := range library.ProfileFields {
			if r.PostForm.Get("show_"+f) == "yes" {
				chosen[f] = r.PostForm.Get(f)
			}
		}
	}
	var session int64
	if ss := info(r).Session; ss != nil {
		session = ss.ID
	}
	if err := s.Library.SavePublicProfile(r.Context(), info(r).User.ID, session, chosen); err != nil {
		pg.Form = formValues(r.PostForm)
		s.formError(w, r, "profile_public", pg, err)
		return
	}
	http.Redirect(w, r, "/account/public?done=saved", http.StatusSeeOther)
}

// author is an author's public page: the chosen fields and published
// materials; not found when nothing about them is public.
func (s *Server) author(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	a, err := s.Library.Author(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tax, err := s.Library.Taxonomy(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "profiles.author.title")
	if n := a.Profile.DisplayName(); n != "" {
		pg.Title = n
	}
	following := false
	if u := info(r).User; u != nil {
		if following, err = s.Library.IsFollowing(ctx, u.ID, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	switch done := r.URL.Query().Get("done"); done {
	case "followed", "unfollowed":
		pg.Notice = i18n.T(pg.Lang, "social.done."+done)
	}
	pg.Data = struct {
		A         *library.AuthorPage
		ID        int64
		Tax       *library.Taxonomy
		Fields    []string
		Following bool
	}{a, id, tax, library.ProfileFields, following}
	s.render(w, r, http.StatusOK, "author_show", pg)
}
