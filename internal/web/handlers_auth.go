package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// formValues copies a form for showing it again, without any password.
func formValues(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		if !strings.Contains(k, "password") {
			out[k] = v
		}
	}
	return out
}

func checked(f url.Values, name string) bool {
	v := f.Get(name)
	return v == "on" || v == "yes" || v == "1" || v == "true"
}

func (s *Server) registerPage(r *http.Request) (*page, *consent.Document, *consent.Document, error) {
	a, p, err := s.Consent.Current(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	pg := s.newPage(r, "web.register.title")
	pg.Data = agreementData{Agreement: a, Privacy: p}
	return pg, a, p, nil
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	pg, _, _, err := s.registerPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "register", pg)
}

// register creates the account and, in the same transaction, records the
// acceptance of the exact document versions shown (preamble P.3, clause
// 3.1, law L1), then mails a verification link. An address that already
// has an account gets the same answer, and its owner a notice instead.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	pg, agreement, privacy, err := s.registerPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	f := r.PostForm
	pg.Form = formValues(f)
	in := account.RegisterInput{
		Email: f.Get("email"), Password: f.Get("password"), FullName: f.Get("full_name"),
		Organization: f.Get("organization"), Position: f.Get("position"), Region: f.Get("region"),
		Phone: f.Get("phone"), Accept: checked(f, "accept"), Locale: string(pg.Lang),
	}
	m := s.meta(r)
	u, token, err := s.Accounts.Register(r.Context(), in, m, func(ctx context.Context, tx *db.Tx, u *account.User, key *vault.UserKey) error {
		return s.Consent.RecordAcceptance(ctx, tx, key, u.ID, []*consent.Document{agreement, privacy}, "registration",
			consent.Meta{IP: m.IP, UserAgent: m.UserAgent})
	})
	switch {
	case account.IsEmailTaken(err):
		// The page answers as for a new address and the owner is told
		// by email instead, so the form reveals no one's account. The
		// answer carries a session cookie of the same shape that opens
		// nothing (see docs/architecture.md, "Accounts", for what the
		// next page still tells apart).
		s.tellOwner(r, in.Email)
		tok, exp := s.Accounts.DecoyToken()
		s.setSessionCookie(w, r, tok, exp)
	case err != nil:
		s.formError(w, r, "register", pg, err)
		return
	default:
		s.send(r, mail.VerifyEmail(pg.Lang, u.Email.Reveal(), s.link("/verify?token="+url.QueryEscape(token))))
		// Signed in at once, unverified (issue 13 §4): the banner and the
		// publish page say what is missing. A session open before is
		// ended, as at login (session fixation).
		sess, tok, err := s.Accounts.SignInNew(r.Context(), u.ID, m)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if old := info(r).Token; old != "" {
			s.Accounts.Logout(r.Context(), old)
		}
		s.setSessionCookie(w, r, tok, sess.ExpiresAt)
	}
	// The page is the same for both: it names the address typed and
	// offers to send the message again, and shows no signed-in header.
	done := s.newPage(r, "web.register.done.title")
	done.User = nil
	done.Form = url.Values{"email": {strings.TrimSpace(in.Email)}}
	s.render(w, r, http.StatusCreated, "register_done", done)
}

// tellOwner emails the owner of email, in their language, that someone
// tried to register with their address.
func (s *Server) tellOwner(r *http.Request, email string) {
	owner, err := s.Accounts.FindByEmail(r.Context(), email)
	if err != nil {
		s.Log.Error("register: owner of a taken address not found", "request_id", info(r).ID, "err", err)
		return
	}
	if owner.Status != account.StatusActive {
		return
	}
	s.send(r, mail.RegisterAttempt(langOf(owner), owner.Email.Reveal(), s.link("/reset")))
}

// verifyForm shows a button rather than verifying on GET: mail scanners
// that open links must not use up the single-use token.
func (s *Server) verifyForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.verify.title")
	pg.Form = url.Values{"token": {r.URL.Query().Get("token")}}
	s.render(w, r, http.StatusOK, "verify", pg)
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	u, err := s.Accounts.VerifyEmail(r.Context(), r.PostFormValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.addressConfirmed(r, u.Email.Reveal())
	// The teacher who confirms in the browser they registered in stays
	// signed in and goes on to their account, now without the banner.
	if cur := info(r).User; cur != nil && cur.ID == u.ID {
		http.Redirect(w, r, "/account?done=verified", http.StatusSeeOther)
		return
	}
	pg := s.newPage(r, "web.verify.title")
	pg.Notice = i18n.T(pg.Lang, "web.verify.done")
	s.render(w, r, http.StatusOK, "notice", pg)
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.login.title")
	pg.Form = url.Values{"next": {safeNext(r.URL.Query().Get("next"))}}
	s.render(w, r, http.StatusOK, "login", pg)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.login.title")
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	pg.Form = formValues(r.PostForm)
	u, sess, token, err := s.Accounts.Login(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), s.meta(r))
	if err != nil {
		s.formError(w, r, "login", pg, err)
		return
	}
	// A session that was open before login is ended: the new token
	// replaces it (session fixation).
	if old := info(r).Token; old != "" {
		s.Accounts.Logout(r.Context(), old)
	}
	s.setSessionCookie(w, r, token, sess.ExpiresAt)
	s.setDeviceCookie(w, r, u.ID)
	if _, noCookie := r.Cookie("lang"); noCookie != nil && u.Locale != "" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: u.Locale, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: info(r).TLS})
	}
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if t := info(r).Token; t != "" {
		if err := s.Accounts.Logout(r.Context(), t); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) resetRequestForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "reset_request", s.newPage(r, "web.reset.title"))
}

// resetRequest answers the same whether or not the address has an
// account, so the form cannot be used to learn who is registered.
func (s *Server) resetRequest(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.reset.title")
	pg.Form = formValues(r.PostForm)
	u, token, err := s.Accounts.RequestPasswordReset(r.Context(), r.PostFormValue("email"), s.meta(r))
	if err != nil {
		s.formError(w, r, "reset_request", pg, err)
		return
	}
	if u != nil {
		l := i18n.Default
		if ul, ok := i18n.Parse(u.Locale); ok {
			l = ul
		}
		s.send(r, mail.ResetPassword(l, u.Email.Reveal(), s.link("/reset/confirm?token="+url.QueryEscape(token))))
	}
	done := s.newPage(r, "web.reset.title")
	done.Notice = i18n.T(pg.Lang, "web.reset.sent")
	s.render(w, r, http.StatusOK, "notice", done)
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.reset.title")
	pg.Form = url.Values{"token": {r.URL.Query().Get("token")}}
	s.render(w, r, http.StatusOK, "reset", pg)
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.reset.title")
	pg.Form = url.Values{"token": {r.PostFormValue("token")}}
	u, err := s.Accounts.ResetPassword(r.Context(), r.PostFormValue("token"), r.PostFormValue("password"), s.meta(r))
	if err != nil {
		s.formError(w, r, "reset", pg, err)
		return
	}
	// The reset ended every session of the account: no node may go on
	// trusting one from its session cache (sessioncache.go). This form is
	// sent signed out, so invalidatePages does not tell the nodes.
	s.PagesChanged(context.WithoutCancel(r.Context()))
	s.send(r, mail.PasswordChanged(langOf(u), u.Email.Reveal()))
	done := s.newPage(r, "web.reset.title")
	done.Notice = i18n.T(pg.Lang, "web.reset.done")
	s.render(w, r, http.StatusOK, "notice", done)
}

// langOf is the language a user reads email in.
func langOf(u *account.User) i18n.Lang {
	if l, ok := i18n.Parse(u.Locale); ok {
		return l
	}
	return i18n.Default
}
