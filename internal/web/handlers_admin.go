package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

type rolePred func(account.Role) bool

func adminOnly(r account.Role) bool { return r == account.RoleAdmin }
func staff(r account.Role) bool     { return r == account.RoleAdmin || r == account.RoleModerator }

// requireRole lets a handler run only for signed-in users whose role
// passes; others are sent to log in, or refused.
func (s *Server) requireRole(ok rolePred, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := info(r).User
		if u == nil {
			s.fail(w, r, errNotSignedIn)
			return
		}
		if !ok(u.Role) {
			s.renderError(w, r, http.StatusForbidden, "web.error.forbidden")
			return
		}
		h(w, r)
	})
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin", s.newPage(r, "web.admin.title"))
}

// adminUsers lists accounts without personal data.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	s.renderAdminUsers(w, r, s.newPage(r, "web.admin.users.title"))
}

// adminUsersFind finds an account by its exact address, through the blind
// index, never by scanning plaintext. It is a POST so that the address
// stays out of URLs, and so out of proxy logs and browser history.
func (s *Server) adminUsersFind(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.admin.users.title")
	email := strings.TrimSpace(r.PostFormValue("email"))
	if email != "" {
		u, err := s.Accounts.FindByEmail(r.Context(), email)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", u.ID), http.StatusSeeOther)
			return
		}
		if !errors.Is(err, db.ErrNotFound) && apperr.CodeOf(err) != apperr.NotFound {
			s.fail(w, r, err)
			return
		}
		pg.Form = url.Values{"email": {email}}
		pg.Notice = i18n.T(pg.Lang, "web.admin.users.none")
	}
	s.renderAdminUsers(w, r, pg)
}

func (s *Server) renderAdminUsers(w http.ResponseWriter, r *http.Request, pg *page) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	list, err := s.Accounts.List(r.Context(), after, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var next int64
	if len(list) == 50 {
		next = list[len(list)-1].ID
	}
	pg.Data = struct {
		Users []account.Summary
		Next  int64
	}{list, next}
	s.render(w, r, http.StatusOK, "admin_users", pg)
}

type adminUserData struct {
	Target      *account.User
	Changes     []account.Change
	Acceptances []consent.Acceptance
	Sessions    []account.Session
	Audit       []audit.Entry
	Revealed    bool
	Purpose     string
	Roles       []account.Role
	// Tech: the user's technical records, preferences and file events,
	// only in the audited reveal (issue 9 §3).
	Tech *techData
}

func (s *Server) loadAdminUser(r *http.Request) (*adminUserData, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "web.error.notfound")
	}
	ctx := r.Context()
	u, err := s.Accounts.Get(ctx, id)
	if err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, apperr.New(apperr.NotFound, "web.error.notfound")
		}
		return nil, err
	}
	d := &adminUserData{Target: u, Roles: []account.Role{account.RoleUser, account.RoleModerator, account.RoleAdmin}}
	if d.Changes, err = s.Accounts.Changes(ctx, id); err != nil {
		return nil, err
	}
	if d.Acceptances, err = s.Consent.Acceptances(ctx, id); err != nil {
		return nil, err
	}
	if d.Sessions, err = s.Accounts.Sessions(ctx, id); err != nil {
		return nil, err
	}
	if d.Audit, err = s.Audit.ForTarget(ctx, id, 50); err != nil {
		return nil, err
	}
	return d, nil
}

// adminUser shows an account's record with every confidential value
// hidden; the values appear only through adminReveal.
func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadAdminUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.admin.user.title")
	pg.Data = d
	s.render(w, r, http.StatusOK, "admin_user", pg)
}

// adminReveal shows the confidential data decrypted to an administrator
// who states the purpose; account.Reveal writes the view to the audit log
// before it returns a value, so no view goes unrecorded (clause 1.3).
func (s *Server) adminReveal(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadAdminUser(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.admin.user.title")
	pg.Data = d
	purpose := strings.TrimSpace(r.PostFormValue("purpose"))
	if n := utf8.RuneCountInString(purpose); n < 10 || n > 500 {
		pg.Errors = map[string]string{"purpose": i18n.T(pg.Lang, "web.admin.reveal.purpose")}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.render(w, r, http.StatusUnprocessableEntity, "admin_user", pg)
		return
	}
	if d.Target, err = s.Accounts.Reveal(r.Context(), d.Target.ID, purpose, s.meta(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Revealed, d.Purpose = true, purpose
	if d.Tech, err = s.loadTech(r.Context(), d.Target.ID, s.recordLimit()); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Audit, err = s.Audit.ForTarget(r.Context(), d.Target.ID, 50); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_user", pg)
}

func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	role := account.Role(r.PostFormValue("role"))
	if role != account.RoleUser && role != account.RoleModerator && role != account.RoleAdmin {
		s.renderError(w, r, http.StatusUnprocessableEntity, "web.error.badform")
		return
	}
	m := s.meta(r)
	if id == m.ActorID && role != account.RoleAdmin {
		// An administrator cannot demote themself, so the site never
		// loses its last administrator by a slip.
		s.renderError(w, r, http.StatusConflict, "web.admin.role.self")
		return
	}
	if err := s.Accounts.SetRole(r.Context(), id, role, m); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/users/%d", id), http.StatusSeeOther)
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.Audit.List(r.Context(), before, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var next int64
	if len(entries) == 100 {
		next = entries[len(entries)-1].Seq
	}
	pg := s.newPage(r, "web.admin.audit.title")
	// Say it when the chain no longer reaches its checkpoint outside the
	// database (entries removed, or an older backup restored).
	if key, seq, err := s.Audit.AnchorProblem(r.Context()); err != nil {
		s.Log.Warn("audit checkpoint not read", "err", err)
	} else if key != "" && seq > 0 {
		pg.Error = i18n.T(pg.Lang, key, seq)
	} else if key != "" {
		pg.Error = i18n.T(pg.Lang, key)
	}
	pg.Data = struct {
		Entries []audit.Entry
		Next    int64
	}{entries, next}
	s.render(w, r, http.StatusOK, "admin_audit", pg)
}

func (s *Server) adminAgreementForm(w http.ResponseWriter, r *http.Request) {
	kind, ok := parseKind(r.URL.Query().Get("kind"))
	if !ok {
		kind = consent.KindAgreement
	}
	a, p, err := s.Consent.Current(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur := a
	if kind == consent.KindPrivacy {
		cur = p
	}
	pg := s.newPage(r, "web.admin.agreement.title")
	pg.Form = docForm(kind, cur)
	pg.Data = cur
	s.render(w, r, http.StatusOK, "admin_agreement", pg)
}

func docForm(kind consent.Kind, d *consent.Document) map[string][]string {
	f := map[string][]string{"kind": {string(kind)}}
	for _, l := range i18n.Langs {
		f["title_"+string(l)] = []string{d.TitleIn(l)}
		f["body_"+string(l)] = []string{d.BodyIn(l)}
	}
	return f
}

// adminAgreementPublish publishes a new version (clause 3.4): every
// signed-in user is asked to accept it before going on, and every user is
// told by email by the job queue (consent.Service.OnPublished).
func (s *Server) adminAgreementPublish(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.admin.agreement.title")
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	pg.Form = r.PostForm
	kind, ok := parseKind(r.PostForm.Get("kind"))
	if !ok {
		s.renderError(w, r, http.StatusUnprocessableEntity, "web.error.badform")
		return
	}
	title, body := map[i18n.Lang]string{}, map[i18n.Lang]string{}
	for _, l := range i18n.Langs {
		title[l] = r.PostForm.Get("title_" + string(l))
		body[l] = r.PostForm.Get("body_" + string(l))
	}
	m := s.meta(r)
	doc, err := s.Consent.Publish(r.Context(), kind, title, body, m.ActorID, m.SessionID)
	if err != nil {
		s.formError(w, r, "admin_agreement", pg, err)
		return
	}
	pg.Notice = i18n.T(pg.Lang, "web.admin.agreement.done", doc.Version)
	pg.Form = docForm(kind, doc)
	pg.Data = doc
	s.render(w, r, http.StatusOK, "admin_agreement", pg)
}
