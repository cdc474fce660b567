package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// The data subject's control over processing (issue 12 §2; law L3, L4,
// L12): the page a blocked account is sent to, withdrawing consent, the
// consent's term on /admin/privacy and an administrator's block.

// blockedOpen are the pages a blocked account may still open: its data
// and their copies, its requests, the documents and the page to consent
// again, signing out and deleting the account.
var blockedOpen = []string{"/account/blocked", "/account/data", "/account/export.json", "/account/requests", "/account/consent",
	"/account/delete", "/agreement", "/logout", "/static/", "/healthz", "/lang/", "/contacts", "/consent/"}

// blockedAllowed reports whether a blocked account may open path.
func blockedAllowed(path string) bool {
	for _, p := range blockedOpen {
		if path == p || strings.HasPrefix(path, p+"/") || strings.HasPrefix(path, p+".") || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	return false
}

// blockedGate sends a blocked account to /account/blocked from every
// page but blockedOpen (a form is refused with 403); it runs before the
// agreement gate, which a blocked account skips: the blocked page says
// how to consent again.
func (s *Server) blockedGate(w http.ResponseWriter, r *http.Request, u *account.User) bool {
	if u.Blocked == "" {
		return false
	}
	if !blockedAllowed(r.URL.Path) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/account/blocked", http.StatusSeeOther)
			return true
		}
		s.renderError(w, r, http.StatusForbidden, "control.blocked.refused")
		return true
	}
	return false
}

type blockedData struct {
	Reason string
	Since  time.Time
	// Open: an unblock request of the user is waiting for its answer.
	Open bool
}

// blockedPage says the account is blocked, why and how to lift it.
func (s *Server) blockedPage(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u.Blocked == "" {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	d := blockedData{Reason: u.Blocked, Since: u.BlockedAt}
	reqs, err := s.privacy.requests.ForUser(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, x := range reqs {
		d.Open = d.Open || (x.Type == privacy.RequestUnblock && x.Status == privacy.StatusOpen)
	}
	pg := s.newPage(r, "control.blocked.title")
	pg.Data = d
	s.render(w, r, http.StatusOK, "blocked", pg)
}

// consentWithdraw withdraws the user's consent: recorded with its
// receipt, and the account is blocked until they consent again.
func (s *Server) consentWithdraw(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.renderError(w, r, http.StatusUnprocessableEntity, "control.withdraw.confirm_required")
		return
	}
	m := s.meta(r)
	if err := s.privacy.control.Withdraw(r.Context(), u.ID, consent.Meta{IP: m.IP, UserAgent: m.UserAgent, SessionID: m.SessionID}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/blocked", http.StatusSeeOther)
}

// consentTerm is what the account page says of the consent's term.
type consentTerm struct {
	Given, Ends time.Time
	Term        int  // days; 0: no end
	Soon        bool // ends within the farthest reminder: the banner
}

// consentTermOf reads u's consent and its end.
func (s *Server) consentTermOf(r *http.Request, u *account.User) (consentTerm, error) {
	var ct consentTerm
	days, err := s.Consent.Term(r.Context())
	if err != nil {
		return ct, err
	}
	at, ok, err := s.Consent.ConsentedAt(r.Context(), u.ID)
	if err != nil || !ok {
		return ct, err
	}
	ct.Given, ct.Term = at, days
	if days > 0 {
		ct.Ends = at.Add(time.Duration(days) * consent.Day)
		ct.Soon = time.Until(ct.Ends) < time.Duration(privacy.Reminders[0])*consent.Day
	}
	return ct, nil
}

// adminPrivacyTerm saves the consent's term.
func (s *Server) adminPrivacyTerm(w http.ResponseWriter, r *http.Request) {
	m := s.meta(r)
	days, err := consent.ParseTerm(strings.TrimSpace(r.PostFormValue("term")))
	if err == nil {
		err = s.Consent.SetTerm(r.Context(), days, m.ActorID, m.SessionID)
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.admin.title")
		pg.Errors = map[string]string{"term": i18n.T(pg.Lang, e.Key, e.Args...)}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.adminPrivacyPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/privacy?saved=1", http.StatusSeeOther)
}

// adminUserBlock blocks (reason: administrator) or unblocks an account
// from the administrator's view of it, audited.
func (s *Server) adminUserBlock(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	m := s.meta(r)
	switch r.PostFormValue("action") {
	case "block":
		err = s.privacy.control.Block(r.Context(), id, account.BlockAdmin, m.ActorID, m.SessionID, "from the administrator's view")
	case "unblock":
		err = s.privacy.control.Unblock(r.Context(), id, m.ActorID, m.SessionID, "from the administrator's view")
	default:
		s.renderError(w, r, http.StatusUnprocessableEntity, "web.error.badform")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
