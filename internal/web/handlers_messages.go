package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
)

// The correspondence between the administration and users (clause
// 1.2 (a)); the store is internal/correspondence.

// messageBodyLimit is the body limit of the message forms: one
// attachment at its largest and the text.
const messageBodyLimit = correspondence.MaxAttachment + 1<<20

// isMessagePath reports whether a request is a message form that may
// carry an attachment (the larger body limit).
func isMessagePath(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	if r.URL.Path == "/account/messages" {
		return true
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/account/messages/")
	if !ok {
		return false
	}
	_, err := strconv.ParseInt(rest, 10, 64)
	return err == nil
}

type messagesData struct {
	Threads []correspondence.Thread
	Thread  *correspondence.Thread
	MaxMB   int64
	// Undeliverable: the user's address bounced (a warning on /account).
	Undeliverable bool
}

func (s *Server) corrEnabled(w http.ResponseWriter, r *http.Request) bool {
	if s.Corr == nil {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return false
	}
	return true
}

func (s *Server) messagesPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ts, err := s.Corr.Threads(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = messagesData{Threads: ts, MaxMB: correspondence.MaxAttachment >> 20}
	s.render(w, r, status, "messages", pg)
}

// messages lists the user's threads, with the form to write a new one.
func (s *Server) messages(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	if _, err := user(r); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "corr.page.title")
	if r.URL.Query().Get("done") == "sent" {
		pg.Notice = i18n.T(pg.Lang, "corr.sent")
	}
	s.messagesPage(w, r, pg, http.StatusOK)
}

// readMessageForm parses a message form and checks its attachment by the
// library's file rules.
func (s *Server) readMessageForm(r *http.Request) (*correspondence.Attachment, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseForm(); err != nil {
			return nil, apperr.New(apperr.Malformed, "web.error.badform")
		}
		return nil, nil // a form without a file field
	}
	if err := r.ParseMultipartForm(messageBodyLimit); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, apperr.Field("file", "library.files.too_large", "", int64(correspondence.MaxAttachment>>20))
		}
		return nil, apperr.New(apperr.Malformed, "web.error.badform")
	}
	f, h, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.New(apperr.Malformed, "web.error.badform")
	}
	defer f.Close()
	if h.Filename == "" && h.Size == 0 {
		return nil, nil // the browser's empty file field
	}
	data, err := io.ReadAll(io.LimitReader(f, correspondence.MaxAttachment+1))
	if err != nil {
		return nil, err
	}
	name, kind, err := library.CheckAttachment(r.Context(), "file", h.Filename, data, correspondence.MaxAttachment)
	if err != nil {
		return nil, err
	}
	return &correspondence.Attachment{Name: name, Kind: kind, Data: data}, nil
}

// messageStart opens a thread with the administration.
func (s *Server) messageStart(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "corr.page.title")
	att, err := s.readMessageForm(r)
	pg.Form = url.Values{"subject": {r.PostFormValue("subject")}, "body": {r.PostFormValue("body")}}
	if err == nil {
		_, err = s.Corr.Start(r.Context(), u.ID, string(pg.Lang), r.PostFormValue("subject"), r.PostFormValue("body"), att)
	}
	if err != nil {
		s.messagesFormError(w, r, pg, err, func(p *page, st int) { s.messagesPage(w, r, p, st) })
		return
	}
	http.Redirect(w, r, "/account/messages?done=sent", http.StatusSeeOther)
}

// messagesFormError shows a form's errors through show.
func (s *Server) messagesFormError(w http.ResponseWriter, r *http.Request, pg *page, err error, show func(*page, int)) {
	var fields apperr.Fields
	e, isApp := apperr.As(err)
	switch {
	case errors.As(err, &fields):
		pg.Errors = map[string]string{}
		for _, f := range fields {
			if _, seen := pg.Errors[f.Field]; !seen {
				pg.Errors[f.Field] = i18n.T(pg.Lang, f.Key, f.Args...)
			}
		}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		show(pg, http.StatusUnprocessableEntity)
	case isApp && e.Field != "":
		pg.Errors = map[string]string{e.Field: i18n.T(pg.Lang, e.Key, e.Args...)}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		show(pg, http.StatusUnprocessableEntity)
	default:
		s.fail(w, r, err)
	}
}

func msgPathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil
}

func (s *Server) threadPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, ok := msgPathID(r, "id")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	t, err := s.Corr.Thread(r.Context(), u.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Title = t.Subject.Reveal()
	pg.Data = messagesData{Thread: t, MaxMB: correspondence.MaxAttachment >> 20}
	s.render(w, r, status, "message_thread", pg)
}

// messageThread shows one of the user's threads, whole.
func (s *Server) messageThread(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	pg := s.newPage(r, "corr.page.title")
	if r.URL.Query().Get("done") == "sent" {
		pg.Notice = i18n.T(pg.Lang, "corr.sent")
	}
	s.threadPage(w, r, pg, http.StatusOK)
}

// messageReply adds the user's message to their thread from the site.
func (s *Server) messageReply(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, ok := msgPathID(r, "id")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	pg := s.newPage(r, "corr.page.title")
	att, err := s.readMessageForm(r)
	pg.Form = url.Values{"body": {r.PostFormValue("body")}}
	if err == nil {
		err = s.Corr.Reply(r.Context(), u.ID, id, r.PostFormValue("body"), att)
	}
	if err != nil {
		s.messagesFormError(w, r, pg, err, func(p *page, st int) { s.threadPage(w, r, p, st) })
		return
	}
	http.Redirect(w, r, "/account/messages/"+strconv.FormatInt(id, 10)+"?done=sent", http.StatusSeeOther)
}

// messageFile downloads an attachment of the user's own thread.
func (s *Server) messageFile(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, ok1 := msgPathID(r, "id")
	msg, ok2 := msgPathID(r, "msg")
	if !ok1 || !ok2 {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	a, err := s.Corr.Attachment(r.Context(), u.ID, id, msg)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	servePrivateFile(w, a.Name, a.Kind, a.Data)
}

// servePrivateFile answers with a document only its owner or an
// administrator may read (a message's attachment, a complaint's
// document): never cached, never sniffed into something runnable.
func servePrivateFile(w http.ResponseWriter, name, kind string, data []byte) {
	h := w.Header()
	ct := library.ContentTypes[kind]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", contentDisposition(name, library.ASCIIName(name, kind)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}

// contactForm is the visitors' way to write to the administration.
func (s *Server) contactForm(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	pg := s.newPage(r, "corr.contact.title")
	if r.URL.Query().Get("done") == "sent" {
		pg.Notice = i18n.T(pg.Lang, "corr.contact.sent")
	}
	if pg.User != nil {
		pg.Form = url.Values{"email": {pg.User.Email.Reveal()}}
	}
	s.render(w, r, http.StatusOK, "contact", pg)
}

// contactLimit: a client address may send this many contact messages
// freely; each further one waits 2, 4, 8… seconds (the account throttle,
// shared by every node).
const contactLimit = 3

// contact stores a visitor's message, sealed under a key of its thread.
func (s *Server) contact(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	pg := s.newPage(r, "corr.contact.title")
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	pg.Form = formValues(r.PostForm)
	lim := s.Accounts.Limiter("contact", contactLimit)
	ip := info(r).IP
	if err := lim.Check(r.Context(), ip); err != nil {
		s.formError(w, r, "contact", pg, err)
		return
	}
	_, err := s.Corr.StartVisitor(r.Context(), r.PostForm.Get("email"), string(pg.Lang), r.PostForm.Get("subject"), r.PostForm.Get("body"))
	if err != nil {
		s.formError(w, r, "contact", pg, err)
		return
	}
	if err := lim.Fail(r.Context(), ip); err != nil {
		s.Log.Warn("contact: count a message", "err", err)
	}
	http.Redirect(w, r, "/contact?done=sent", http.StatusSeeOther)
}

// adminMessages lists every thread without its content (clause 1.3).
func (s *Server) adminMessages(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	ts, err := s.Corr.List(r.Context(), 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "corr.admin.title")
	pg.Data = messagesData{Threads: ts}
	s.render(w, r, http.StatusOK, "admin_messages", pg)
}

type adminThreadData struct {
	Thread   *correspondence.Thread
	Revealed bool
	Purpose  string
}

func (s *Server) adminThreadSummary(w http.ResponseWriter, r *http.Request) (*correspondence.Thread, bool) {
	id, ok := msgPathID(r, "id")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return nil, false
	}
	t, err := s.Corr.Summary(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return t, true
}

// adminMessage shows a thread's dates and counts; its content needs the
// audited reveal.
func (s *Server) adminMessage(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	t, ok := s.adminThreadSummary(w, r)
	if !ok {
		return
	}
	pg := s.newPage(r, "corr.admin.thread")
	switch r.URL.Query().Get("done") {
	case "answered":
		pg.Notice = i18n.T(pg.Lang, "corr.admin.answered")
	case "undeliverable":
		pg.Notice = i18n.T(pg.Lang, "corr.admin.undeliverable")
	}
	pg.Data = adminThreadData{Thread: t}
	s.render(w, r, http.StatusOK, "admin_message", pg)
}

// adminMessageReveal opens a thread to an administrator who states the
// purpose; the view is in the audit log before anything is shown.
func (s *Server) adminMessageReveal(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	t, ok := s.adminThreadSummary(w, r)
	if !ok {
		return
	}
	pg := s.newPage(r, "corr.admin.thread")
	purpose := strings.TrimSpace(r.PostFormValue("purpose"))
	if n := utf8.RuneCountInString(purpose); n < 10 || n > 500 {
		pg.Data = adminThreadData{Thread: t}
		pg.Errors = map[string]string{"purpose": i18n.T(pg.Lang, "web.admin.reveal.purpose")}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.render(w, r, http.StatusUnprocessableEntity, "admin_message", pg)
		return
	}
	m := s.meta(r)
	full, err := s.Corr.Reveal(r.Context(), t.ID, purpose, m.ActorID, m.SessionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = adminThreadData{Thread: full, Revealed: true, Purpose: purpose}
	s.render(w, r, http.StatusOK, "admin_message", pg)
}

// adminMessageFile downloads an attachment for an administrator, audited.
func (s *Server) adminMessageFile(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	id, ok1 := msgPathID(r, "id")
	msg, ok2 := msgPathID(r, "msg")
	if !ok1 || !ok2 {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	m := s.meta(r)
	a, err := s.Corr.RevealAttachment(r.Context(), id, msg, m.ActorID, m.SessionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	servePrivateFile(w, a.Name, a.Kind, a.Data)
}

// adminMessageAnswer stores an administrator's answer in the thread and
// mails it with the thread's reply address.
func (s *Server) adminMessageAnswer(w http.ResponseWriter, r *http.Request) {
	if !s.corrEnabled(w, r) {
		return
	}
	t, ok := s.adminThreadSummary(w, r)
	if !ok {
		return
	}
	m := s.meta(r)
	msg, err := s.Corr.Answer(r.Context(), t.ID, m.ActorID, r.PostFormValue("body"), s.recipient, s.ReplyDomain, s.BaseURL)
	if err != nil {
		pg := s.newPage(r, "corr.admin.thread")
		pg.Data = adminThreadData{Thread: t}
		s.messagesFormError(w, r, pg, err, func(p *page, st int) { s.render(w, r, st, "admin_message", p) })
		return
	}
	done := "answered"
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
	defer cancel()
	if err := s.Mail.Send(ctx, msg); err != nil {
		if errors.Is(err, correspondence.ErrUndeliverable) {
			done = "undeliverable"
		} else {
			s.Log.Error("mail not sent", "request_id", info(r).ID, "err", err)
		}
	}
	http.Redirect(w, r, "/admin/messages/"+strconv.FormatInt(t.ID, 10)+"?done="+done, http.StatusSeeOther)
}

// recipient is where mail to a user goes, in their language.
func (s *Server) recipient(ctx context.Context, userID int64) (string, i18n.Lang, error) {
	u, err := s.Accounts.Get(ctx, userID)
	if err != nil {
		return "", "", err
	}
	return u.Email.Reveal(), langOf(u), nil
}

// emailReconfirm mails a link that confirms the user's address again: the
// way to lift the stop on an address that bounced. The link goes out even
// to that address (correspondence.ForConfirmation).
func (s *Server) emailReconfirm(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token, err := s.Accounts.NewConfirmation(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(correspondence.ForConfirmation(context.WithoutCancel(r.Context())), 30*time.Second)
	defer cancel()
	if err := s.Mail.Send(ctx, mail.VerifyEmail(langOf(u), u.Email.Reveal(), s.link("/verify?token="+url.QueryEscape(token)))); err != nil {
		s.Log.Error("mail not sent", "request_id", info(r).ID, "err", err)
	}
	http.Redirect(w, r, "/account?done=verify-sent", http.StatusSeeOther)
}

// addressConfirmed lifts the stop on an address that the user has just
// proved receives mail.
func (s *Server) addressConfirmed(r *http.Request, email string) {
	if s.Corr == nil || email == "" {
		return
	}
	if err := s.Corr.ClearUndeliverable(r.Context(), email); err != nil {
		s.Log.Error("clear an undeliverable mark", "request_id", info(r).ID, "err", err)
	}
}

// undeliverable reports whether the user's address bounced.
func (s *Server) undeliverable(r *http.Request, email string) bool {
	if s.Corr == nil {
		return false
	}
	bad, err := s.Corr.Undeliverable(r.Context(), email)
	if err != nil {
		s.Log.Error("undeliverable", "request_id", info(r).ID, "err", err)
	}
	return bad
}

// corrArgs is what the corr_messages template needs: the page, the
// thread, where its attachments download (files + message id) and
// whether that is a POST (an administrator's download is audited).
func corrArgs(p *page, t *correspondence.Thread, files string, post bool) any {
	return struct {
		P     *page
		T     *correspondence.Thread
		Files string
		Post  bool
	}{p, t, files, post}
}
