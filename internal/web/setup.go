package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// setupForm shows the first-administrator form to a link that still works
// (account.NewSetupLink, printed by serve).
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	ok, err := s.Accounts.SetupLinkValid(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.renderError(w, r, http.StatusGone, "web.setup.invalid")
		return
	}
	pg := s.newPage(r, "web.setup.title")
	pg.Form = url.Values{"token": {token}}
	s.render(w, r, http.StatusOK, "setup", pg)
}

// setup creates the first administrator; account.CreateFirstAdmin checks
// the link, creates the account and ends every link in one transaction,
// so a link works once even when used twice at the same moment.
func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	pg := s.newPage(r, "web.setup.title")
	pg.Form = formValues(r.PostForm)
	if r.PostFormValue("password") != r.PostFormValue("password_repeat") {
		if ok, err := s.Accounts.SetupLinkValid(r.Context(), token); err != nil || !ok {
			s.renderError(w, r, http.StatusGone, "web.setup.invalid")
			return
		}
		s.formError(w, r, "setup", pg, apperr.Field("password_repeat", "web.setup.mismatch"))
		return
	}
	_, err := s.Accounts.CreateFirstAdmin(r.Context(), token, r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("full_name"))
	if errors.Is(err, account.ErrSetupLink) {
		s.renderError(w, r, http.StatusGone, "web.setup.invalid")
		return
	}
	if err != nil {
		s.formError(w, r, "setup", pg, err)
		return
	}
	done := s.newPage(r, "web.setup.title")
	done.Notice = i18n.T(done.Lang, "web.setup.done")
	s.render(w, r, http.StatusOK, "notice", done)
}
