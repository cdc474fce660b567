package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Ping(r.Context()); err != nil {
		s.Log.Error("healthz: database does not answer", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
}

// setLang remembers the reader's language choice in a cookie and, for a
// signed-in user, on the account (so email comes in that language too).
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	l, ok := i18n.Parse(r.PathValue("lang"))
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: info(r).TLS, HttpOnly: true})
	if u := info(r).User; u != nil {
		if err := s.Accounts.SetLocale(r.Context(), u.ID, string(l)); err != nil {
			s.Log.Warn("set locale", "err", err)
		}
		// This node's reading pages look the account up again (the
		// cookie set above decides this browser's language meanwhile).
		s.sessionHits.drop(info(r).Token)
	}
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

type agreementData struct {
	Agreement, Privacy *consent.Document
	Doc                *consent.Document
	Versions           []consent.Document
	Kind               consent.Kind
	From, To           *consent.Document
	Diff               []consent.DiffLine
}

func (s *Server) agreement(w http.ResponseWriter, r *http.Request) {
	a, p, err := s.Consent.Current(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	av, err := s.Consent.Versions(r.Context(), consent.KindAgreement)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pv, err := s.Consent.Versions(r.Context(), consent.KindPrivacy)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.agreement.title")
	pg.Data = struct {
		agreementData
		AgreementVersions, PrivacyVersions []consent.Document
	}{agreementData{Agreement: a, Privacy: p}, av, pv}
	s.render(w, r, http.StatusOK, "agreement", pg)
}

func parseKind(s string) (consent.Kind, bool) {
	switch consent.Kind(s) {
	case consent.KindAgreement, consent.KindPrivacy:
		return consent.Kind(s), true
	}
	return "", false
}

func (s *Server) agreementVersion(w http.ResponseWriter, r *http.Request) {
	kind, ok := parseKind(r.PathValue("kind"))
	ver, err := strconv.Atoi(r.PathValue("version"))
	if !ok || err != nil {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	d, err := s.Consent.Version(r.Context(), kind, ver)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vs, err := s.Consent.Versions(r.Context(), kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.agreement.title")
	pg.Title = d.TitleIn(pg.Lang)
	pg.Data = agreementData{Doc: d, Versions: vs, Kind: kind}
	s.render(w, r, http.StatusOK, "document", pg)
}

// agreementDiff shows what changed between two versions, paragraph by
// paragraph, in the reader's language (clause 3.4).
func (s *Server) agreementDiff(w http.ResponseWriter, r *http.Request) {
	kind, ok := parseKind(r.PathValue("kind"))
	from, err1 := strconv.Atoi(r.URL.Query().Get("from"))
	to, err2 := strconv.Atoi(r.URL.Query().Get("to"))
	if !ok || err1 != nil || err2 != nil {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	a, err := s.Consent.Version(r.Context(), kind, from)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.Consent.Version(r.Context(), kind, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.agreement.diff.title")
	pg.Data = agreementData{Kind: kind, From: a, To: b, Diff: consent.Diff(a.BodyIn(pg.Lang), b.BodyIn(pg.Lang))}
	s.render(w, r, http.StatusOK, "diff", pg)
}

// link builds an absolute link for email.
func (s *Server) link(path string) string { return s.BaseURL + path }

// send hands an email to s.Mail — in serve the durable mail queue
// (internal/mailq), which stores it and delivers it in the background —
// without holding up the response's error path; a failure is logged
// without the address (the mail packages keep addresses out of their
// errors).
func (s *Server) send(r *http.Request, m mail.Message) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
	defer cancel()
	if err := s.Mail.Send(ctx, m); err != nil {
		s.Log.Error("mail not sent", "request_id", info(r).ID, "err", err)
	}
}
