package web

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
)

func (s *Server) accountHome(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.account.title")
	switch r.URL.Query().Get("done") {
	case "profile", "password", "email", "consent", "verify-sent", "verified":
		pg.Notice = i18n.T(pg.Lang, "web.account.done."+r.URL.Query().Get("done"))
	}
	// The author's certificates of publication (issue 3 §6).
	var certs []library.Certificate
	unread := 0
	if s.Library != nil {
		if certs, err = s.Library.Certificates(r.Context(), u.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		// The inbox's unread entries (issue 13).
		if unread, err = s.Library.UnreadNotifications(r.Context(), u.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	// The consent, its term and the banner to renew it (law L3).
	term, err := s.consentTermOf(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = struct {
		Certificates []library.Certificate
		Unread       int
		// Undeliverable: mail to the address bounced (correspondence).
		Undeliverable bool
		Consent       consentTerm
	}{certs, unread, s.undeliverable(r, u.Email.Reveal()), term}
	s.render(w, r, http.StatusOK, "account", pg)
}

func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token, err := s.Accounts.NewVerification(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.send(r, mail.VerifyEmail(langOf(u), u.Email.Reveal(), s.link("/verify?token="+url.QueryEscape(token))))
	if r.PostFormValue("next") == "/materials/new" {
		// From the publish page: back to it, which says the mail went.
		http.Redirect(w, r, "/materials/new?done=verify-sent", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/account?done=verify-sent", http.StatusSeeOther)
}

func profileForm(u *account.User) url.Values {
	return url.Values{
		"full_name": {u.FullName.Reveal()}, "organization": {u.Organization.Reveal()},
		"position": {u.Position.Reveal()}, "region": {u.Region.Reveal()}, "phone": {u.Phone.Reveal()},
	}
}

func (s *Server) profileForm(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.profile.title")
	pg.Form = profileForm(u)
	s.render(w, r, http.StatusOK, "profile", pg)
}

// profileSave: the user keeps their data current (clause 2.3); every
// change is kept, encrypted, with the session that made it (clause 2.2).
func (s *Server) profileSave(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.profile.title")
	pg.Form = formValues(r.PostForm)
	p := account.Profile{
		FullName: r.PostFormValue("full_name"), Organization: r.PostFormValue("organization"),
		Position: r.PostFormValue("position"), Region: r.PostFormValue("region"), Phone: r.PostFormValue("phone"),
	}
	if err := s.Accounts.UpdateProfile(r.Context(), u.ID, p, s.meta(r)); err != nil {
		s.formError(w, r, "profile", pg, err)
		return
	}
	http.Redirect(w, r, "/account?done=profile", http.StatusSeeOther)
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	if _, err := user(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "password", s.newPage(r, "web.password.title"))
}

func (s *Server) passwordSave(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.password.title")
	if err := s.Accounts.ChangePassword(r.Context(), u.ID, r.PostFormValue("old_password"), r.PostFormValue("password"), s.meta(r)); err != nil {
		s.formError(w, r, "password", pg, err)
		return
	}
	s.send(r, mail.PasswordChanged(langOf(u), u.Email.Reveal()))
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
}

func (s *Server) emailForm(w http.ResponseWriter, r *http.Request) {
	if _, err := user(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "email", s.newPage(r, "web.email.title"))
}

// emailSave starts an address change: nothing changes until the new
// address proves it receives mail.
func (s *Server) emailSave(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "web.email.title")
	pg.Form = formValues(r.PostForm)
	newEmail := r.PostFormValue("email")
	token, err := s.Accounts.RequestEmailChange(r.Context(), u.ID, newEmail, r.PostFormValue("password"), s.meta(r))
	if err != nil {
		s.formError(w, r, "email", pg, err)
		return
	}
	s.send(r, mail.ConfirmEmailChange(langOf(u), newEmail, s.link("/account/email/confirm?token="+url.QueryEscape(token))))
	done := s.newPage(r, "web.email.title")
	done.Notice = i18n.T(pg.Lang, "web.email.sent")
	s.render(w, r, http.StatusOK, "notice", done)
}

func (s *Server) emailConfirmForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "web.email.title")
	pg.Form = url.Values{"token": {r.URL.Query().Get("token")}}
	s.render(w, r, http.StatusOK, "email_confirm", pg)
}

func (s *Server) emailConfirm(w http.ResponseWriter, r *http.Request) {
	u, old, err := s.Accounts.ConfirmEmailChange(r.Context(), r.PostFormValue("token"), s.meta(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.addressConfirmed(r, u.Email.Reveal())
	// The owner's old address is told, whoever's browser opened the link.
	if o := old.Reveal(); o != "" && o != u.Email.Reveal() {
		s.send(r, mail.EmailChanged(langOf(u), o))
	}
	pg := s.newPage(r, "web.email.title")
	pg.Notice = i18n.T(pg.Lang, "web.email.done")
	s.render(w, r, http.StatusOK, "notice", pg)
}

// sessionView is a session as the user sees it: device and browser from
// the user agent, when, and from which address.
type sessionView struct {
	ID                  int64
	Current             bool
	Browser, OS, Device string
	IP                  string
	CreatedAt, LastSeen time.Time
}

func (s *Server) sessions(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ss, err := s.Accounts.Sessions(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur := info(r).Session
	var views []sessionView
	for _, x := range ss {
		ua := parseUA(x.UserAgent.Reveal())
		views = append(views, sessionView{
			ID: x.ID, Current: cur != nil && cur.ID == x.ID, Browser: ua.Browser, OS: ua.OS, Device: ua.Device,
			IP: x.IP.Reveal(), CreatedAt: x.CreatedAt, LastSeen: x.LastSeenAt,
		})
	}
	pg := s.newPage(r, "web.sessions.title")
	pg.Data = views
	s.render(w, r, http.StatusOK, "sessions", pg)
}

func (s *Server) sessionEnd(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	if err := s.Accounts.EndSession(r.Context(), u.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if cur := info(r).Session; cur != nil && cur.ID == id {
		s.clearSessionCookie(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
}

func (s *Server) sessionEndOthers(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Accounts.EndOtherSessions(r.Context(), u.ID, info(r).Session.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
}

type consentData struct {
	Docs []consentDoc
	// First: the user never accepted any version (an administrator made
	// from the command line): the page asks to read and accept, and does
	// not say that a new version was published.
	First bool
	Next  string
	// Renew: the documents are accepted already and are shown to renew
	// the consent's term, or to consent again after it ended (law L3).
	Renew bool
}

// consentDoc is one document to accept: against the version the user
// accepted last, its changes come first and the full text is a link.
type consentDoc struct {
	Doc  *consent.Document
	From int // the version accepted last; 0 when none
	Diff []consent.DiffLine
}

// consentPage builds the acceptance page for u's pending documents.
func (s *Server) consentPage(r *http.Request, u *account.User, pending []*consent.Document, next string) (*page, error) {
	accepted, err := s.Consent.Acceptances(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	last := map[consent.Kind]int{}
	for _, a := range accepted {
		last[a.Kind] = max(last[a.Kind], a.Version)
	}
	pg := s.newPage(r, "web.consent.title")
	d := consentData{First: len(accepted) == 0, Next: next}
	for _, doc := range pending {
		cd := consentDoc{Doc: doc}
		if v := last[doc.Kind]; v > 0 && v < doc.Version {
			old, err := s.Consent.Version(r.Context(), doc.Kind, v)
			if err != nil {
				return nil, err
			}
			cd.From, cd.Diff = v, consent.Diff(old.BodyIn(pg.Lang), doc.BodyIn(pg.Lang))
		}
		d.Docs = append(d.Docs, cd)
	}
	if d.First {
		pg.Title = i18n.T(pg.Lang, "details.consent.first.title")
	}
	pg.Data = d
	return pg, nil
}

// consentForm asks a signed-in user to accept new versions of the
// documents (clause 3.4): the changes first, the full text behind a link.
func (s *Server) consentForm(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pending, err := s.Consent.Pending(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	renew := false
	if len(pending) == 0 && (r.URL.Query().Get("renew") == "1" || u.Blocked == account.BlockTerm) {
		// Renewing the term, or consenting again once it ended: the
		// documents in force, accepted already, are shown to accept anew.
		agreement, privacyDoc, err := s.Consent.Current(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pending, renew = []*consent.Document{agreement, privacyDoc}, true
	}
	if len(pending) == 0 {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	pg, err := s.consentPage(r, u, pending, safeNext(r.URL.Query().Get("next")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d, ok := pg.Data.(consentData); ok && renew {
		d.Renew, d.First = true, false
		pg.Title = i18n.T(pg.Lang, "control.renew.title")
		pg.Data = d
	}
	s.render(w, r, http.StatusOK, "consent", pg)
}

func (s *Server) consentAccept(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	if !checked(r.PostForm, "accept") {
		pending, err := s.Consent.Pending(r.Context(), u.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(pending) == 0 { // a renewal: the documents in force again
			agreement, privacyDoc, err := s.Consent.Current(r.Context())
			if err != nil {
				s.fail(w, r, err)
				return
			}
			pending = []*consent.Document{agreement, privacyDoc}
		}
		pg, err := s.consentPage(r, u, pending, safeNext(r.PostForm.Get("next")))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pg.Errors = map[string]string{"accept": i18n.T(pg.Lang, "web.consent.tick")}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.render(w, r, http.StatusUnprocessableEntity, "consent", pg)
		return
	}
	var ids []int64
	for _, v := range r.PostForm["document"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
			return
		}
		ids = append(ids, id)
	}
	m := s.meta(r)
	if err := s.Consent.Accept(r.Context(), u.ID, ids, consent.Meta{IP: m.IP, UserAgent: m.UserAgent, SessionID: m.SessionID}); err != nil {
		s.fail(w, r, err)
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if next == "/account" {
		next = "/account?done=consent"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// export is everything stored about the signed-in user, decrypted for
// them (law L10: the subject may learn what is held).
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.exportData(r.Context(), u)
	if err == nil {
		err = s.auditExport(r, u, "json")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="smartustaz-export.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		s.Log.Error("export", "err", err)
	}
}

// exportData is the export of u: every section, decrypted for them.
func (s *Server) exportData(ctx context.Context, u *account.User) (map[string]any, error) {
	ss, err := s.Accounts.Sessions(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	changes, err := s.Accounts.Changes(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	acc, err := s.Consent.Acceptances(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	type obj = map[string]any
	out := obj{
		"exported_at": time.Now().UTC(),
		"profile": obj{
			"id": u.ID, "email": u.Email.Reveal(), "email_verified": u.EmailVerified,
			"full_name": u.FullName.Reveal(), "organization": u.Organization.Reveal(),
			"position": u.Position.Reveal(), "region": u.Region.Reveal(), "phone": u.Phone.Reveal(),
			"role": u.Role, "language": u.Locale, "created_at": u.CreatedAt,
		},
	}
	var consents, sessions, chs []obj
	for _, a := range acc {
		consents = append(consents, obj{"document": a.Kind, "version": a.Version, "document_hash": a.DocumentHash,
			"accepted_at": a.At, "method": a.Method, "ip": a.IP.Reveal(), "user_agent": a.UserAgent.Reveal()})
	}
	for _, x := range ss {
		sessions = append(sessions, obj{"id": x.ID, "created_at": x.CreatedAt, "last_seen_at": x.LastSeenAt,
			"expires_at": x.ExpiresAt, "ip": x.IP.Reveal(), "user_agent": x.UserAgent.Reveal()})
	}
	for _, c := range changes {
		chs = append(chs, obj{"at": c.At, "field": c.Field, "old": c.Old.Reveal(), "new": c.New.Reveal(),
			"actor_user_id": c.ActorID, "actor_session_id": c.ActorSessionID})
	}
	out["consents"], out["sessions"], out["changes"] = consents, sessions, chs
	// Every page view recorded while signed in, and the monthly counts of
	// subjects, grades and types viewed (clauses 1.2 (c), 1.2 (d)).
	if out["technical"], out["preferences"], err = s.techExport(ctx, u.ID); err != nil {
		return nil, err
	}
	// Uploads and downloads, with the address and browser recorded
	// (clause 1.2 (c)).
	if s.Library != nil {
		evs, err := s.Library.FileEvents(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		files := []obj{}
		for _, e := range evs {
			files = append(files, obj{"action": e.Action, "at": e.At, "material_id": e.MaterialID, "file_id": e.FileID,
				"ip": e.IP.Reveal(), "user_agent": e.UserAgent.Reveal()})
		}
		out["files"] = files
		// What they chose to publish and every such choice (clause 1.4),
		// and their certificates with the names printed on them.
		pp, err := s.Library.PublicProfile(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		out["public_profile"] = pp.Fields
		pcs, err := s.Library.PublicationConsents(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		pubs := []obj{}
		for _, c := range pcs {
			pubs = append(pubs, obj{"fields": c.Fields, "at": c.At, "session_id": c.SessionID})
		}
		out["publication_consents"] = pubs
		certs, err := s.Library.Certificates(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		cs := []obj{}
		for _, c := range certs {
			x := obj{"number": c.Number, "material_id": c.MaterialID, "name": c.Name.Reveal(), "title": c.Title,
				"issued_at": c.IssuedAt, "show_name": c.ShowName}
			if c.Revoked() {
				x["revoked_at"], x["revoke_reason"] = c.RevokedAt, c.RevokeReason
			}
			cs = append(cs, x)
		}
		out["certificates"] = cs
		// Ratings, comments, favourites, collections, follows, the
		// digest choice and the inbox (issue 13).
		soc, err := s.Library.ExportSocial(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		out["social"] = soc
	}
	// Where an imported user came from and whether they have accepted
	// this site's documents yet (clause 1.2 (b)); absent for a user who
	// registered here.
	if s.Import != nil {
		iu, err := s.Import.Imported(ctx, u.ID)
		switch {
		case err == nil:
			x := obj{"source": iu.Source, "batch_id": iu.BatchID, "imported_at": iu.ImportedAt, "consent": iu.Consent}
			if !iu.RegisteredAt.IsZero() {
				x["registered_elsewhere_at"] = iu.RegisteredAt
			}
			if !iu.ConsentAt.IsZero() {
				x["consent_at"] = iu.ConsentAt
			}
			if !iu.InvitedAt.IsZero() {
				x["invited_at"] = iu.InvitedAt
			}
			out["import"] = x
		case !errors.Is(err, db.ErrNotFound):
			return nil, err
		}
	}
	// The correspondence with the administration (clause 1.2 (a)).
	if s.Corr != nil {
		ts, err := s.Corr.Export(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		corr := []obj{}
		for _, t := range ts {
			msgs := []obj{}
			for _, m := range t.Messages {
				x := obj{"id": m.ID, "at": m.At, "from": m.Author, "via": m.Via, "body": m.Body.Reveal()}
				if !m.AttName.IsZero() {
					x["attachment"] = obj{"name": m.AttName.Reveal(), "kind": m.AttKind,
						"download": "/account/messages/" + strconv.FormatInt(t.ID, 10) + "/files/" + strconv.FormatInt(m.ID, 10)}
				}
				msgs = append(msgs, x)
			}
			corr = append(corr, obj{"id": t.ID, "subject": t.Subject.Reveal(), "status": t.Status, "created_at": t.CreatedAt,
				"updated_at": t.UpdatedAt, "messages": msgs})
		}
		out["correspondence"] = corr
	}
	// Ended sessions, reports filed, materials authored, administrators'
	// views of the data, privacy requests (issue 12 §1, law L10).
	d, err := s.loadMyData(ctx, u, -1)
	if err != nil {
		return nil, err
	}
	maps.Copy(out, exportExtra(d))
	return out, nil
}
