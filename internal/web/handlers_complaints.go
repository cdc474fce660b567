package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// The register of complaints, disputes and official requests (clause
// 3.2); the store is internal/complaints.

// newComplaints makes the register when cmd gave none (tests of the web
// layer): answers are mailed only when there is a mail queue.
func (s *Server) newComplaints() *complaints.Service {
	a := s.Audit
	if a == nil {
		a = audit.New(s.DB, s.Vault)
	}
	var m complaints.TxMailer
	if s.MailQueue != nil {
		m = s.MailQueue
	}
	c := complaints.New(s.DB, s.Vault, a, privacy.NewHolidays(s.DB, a), m)
	c.Recipient = s.recipient
	return c
}

// isComplaintPath reports whether a request is a complaint form, which
// may carry a document (the larger body limit).
func isComplaintPath(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/complaint" || r.URL.Path == "/admin/complaints")
}

type complaintsData struct {
	Kinds       []privacy.RequestType
	MaxMB       int64
	Open        []complaints.Complaint
	Done        []complaints.Complaint
	Mine        []complaints.Complaint
	Item        *complaints.Complaint
	Now         time.Time
	ReportsOpen int // open reports of materials
	ReportsLate int // overdue reports of materials
	Reveal      bool
	Purpose     string
}

// readComplaintForm parses a complaint form (multipart when it carries a
// document) into an Input, the document checked by the library's rules.
func (s *Server) readComplaintForm(r *http.Request, lang i18n.Lang) (complaints.Input, url.Values, error) {
	var in complaints.Input
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(messageBodyLimit); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return in, nil, apperr.Field("file", "library.files.too_large", "", int64(complaints.MaxFile>>20))
			}
			return in, nil, apperr.New(apperr.Malformed, "web.error.badform")
		}
	} else if err := r.ParseForm(); err != nil {
		return in, nil, apperr.New(apperr.Malformed, "web.error.badform")
	}
	f := r.PostForm
	in = complaints.Input{Kind: privacy.RequestType(f.Get("kind")), Sender: f.Get("sender"), Contact: f.Get("contact"), Parties: f.Get("parties"),
		Subject: f.Get("subject"), Text: f.Get("text"), LetterDate: f.Get("letter_date"), DueDate: f.Get("due_date"), Lang: lang}
	if r.MultipartForm == nil {
		return in, f, nil
	}
	file, h, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return in, f, nil
	}
	if err != nil {
		return in, f, apperr.New(apperr.Malformed, "web.error.badform")
	}
	defer file.Close()
	if h.Filename == "" && h.Size == 0 {
		return in, f, nil
	}
	data, err := io.ReadAll(io.LimitReader(file, complaints.MaxFile+1))
	if err != nil {
		return in, f, err
	}
	name, kind, err := library.CheckAttachment(r.Context(), "file", h.Filename, data, complaints.MaxFile)
	if err != nil {
		return in, f, err
	}
	in.Files = []complaints.File{{Name: name, Kind: kind, Data: data}}
	return in, f, nil
}

// complaintForm is the public form: anyone, signed in or not.
func (s *Server) complaintForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "complaints.form.title")
	if d := r.URL.Query().Get("due"); d != "" {
		if _, err := time.Parse(privacy.DayLayout, d); err == nil {
			pg.Notice = i18n.T(pg.Lang, "complaints.form.sent", d)
		}
	}
	pg.Data = complaintsData{Kinds: complaints.Kinds, MaxMB: complaints.MaxFile >> 20}
	s.render(w, r, http.StatusOK, "complaint", pg)
}

// complaint registers the public form, limited per client address like
// the contact form (shared by every node).
func (s *Server) complaint(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "complaints.form.title")
	pg.Data = complaintsData{Kinds: complaints.Kinds, MaxMB: complaints.MaxFile >> 20}
	in, form, err := s.readComplaintForm(r, pg.Lang)
	pg.Form = formValues(form)
	if err != nil {
		s.formError(w, r, "complaint", pg, err)
		return
	}
	lim := s.Accounts.Limiter("complaint", contactLimit)
	ip := info(r).IP
	if err := lim.Check(r.Context(), ip); err != nil {
		s.formError(w, r, "complaint", pg, err)
		return
	}
	var uid int64
	if pg.User != nil {
		uid = pg.User.ID
	}
	c, err := s.Complaints.Submit(r.Context(), uid, in)
	if err != nil {
		s.formError(w, r, "complaint", pg, err)
		return
	}
	if err := lim.Fail(r.Context(), ip); err != nil {
		s.Log.Warn("complaint: count a submission", "err", err)
	}
	http.Redirect(w, r, "/complaint?due="+c.DueDay(), http.StatusSeeOther)
}

// myComplaints lists the signed-in user's own entries with their answers.
func (s *Server) myComplaints(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mine, err := s.Complaints.ForUser(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "complaints.mine.title")
	pg.Data = complaintsData{Mine: mine, Now: time.Now()}
	s.render(w, r, http.StatusOK, "complaints_mine", pg)
}

// myComplaintFile downloads a document of the user's own entry.
func (s *Server) myComplaintFile(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, ok1 := msgPathID(r, "id")
	fid, ok2 := msgPathID(r, "file")
	if !ok1 || !ok2 {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	f, err := s.Complaints.OwnFile(r.Context(), u.ID, id, fid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	servePrivateFile(w, f.Name, f.Kind, f.Data)
}

func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	open, done, err := s.Complaints.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := complaintsData{Kinds: complaints.Kinds, MaxMB: complaints.MaxFile >> 20, Open: open, Done: done, Now: time.Now()}
	if s.Library != nil {
		reports, err := s.Library.Reports(r.Context(), true, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.ReportsOpen = len(reports)
		for _, x := range reports {
			if x.Overdue {
				d.ReportsLate++
			}
		}
	}
	pg.Data = d
	s.render(w, r, status, "admin_complaints", pg)
}

// adminComplaints is the register, sorted by deadline, without content.
func (s *Server) adminComplaints(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "complaints.admin.title")
	if r.URL.Query().Get("done") == "entered" {
		pg.Notice = i18n.T(pg.Lang, "complaints.admin.entered")
	}
	s.complaintsPage(w, r, pg, http.StatusOK)
}

// adminComplaintEnter registers a letter an administrator copies in.
func (s *Server) adminComplaintEnter(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "complaints.admin.title")
	in, form, err := s.readComplaintForm(r, pg.Lang)
	pg.Form = formValues(form)
	if err == nil {
		m := s.meta(r)
		_, err = s.Complaints.Enter(r.Context(), m.ActorID, m.SessionID, in)
	}
	if err != nil {
		s.messagesFormError(w, r, pg, err, func(p *page, st int) { s.complaintsPage(w, r, p, st) })
		return
	}
	http.Redirect(w, r, "/admin/complaints?done=entered", http.StatusSeeOther)
}

func (s *Server) complaintSummary(w http.ResponseWriter, r *http.Request) (*complaints.Complaint, bool) {
	id, ok := msgPathID(r, "id")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return nil, false
	}
	c, err := s.Complaints.Summary(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// adminComplaint shows one entry's dates and status; its content needs
// the audited reveal.
func (s *Server) adminComplaint(w http.ResponseWriter, r *http.Request) {
	c, ok := s.complaintSummary(w, r)
	if !ok {
		return
	}
	pg := s.newPage(r, "complaints.admin.item")
	switch r.URL.Query().Get("done") {
	case "answered":
		pg.Notice = i18n.T(pg.Lang, "complaints.admin.answered")
	case "paper":
		pg.Notice = i18n.T(pg.Lang, "complaints.admin.answered_paper")
	case "moved":
		pg.Notice = i18n.T(pg.Lang, "complaints.admin.moved")
	}
	pg.Data = complaintsData{Item: c, Now: time.Now()}
	s.render(w, r, http.StatusOK, "admin_complaint", pg)
}

// adminComplaintReveal opens an entry to an administrator who states the
// purpose; the view is in the audit log before anything is shown.
func (s *Server) adminComplaintReveal(w http.ResponseWriter, r *http.Request) {
	c, ok := s.complaintSummary(w, r)
	if !ok {
		return
	}
	pg := s.newPage(r, "complaints.admin.item")
	purpose := strings.TrimSpace(r.PostFormValue("purpose"))
	if n := utf8.RuneCountInString(purpose); n < 10 || n > 500 {
		pg.Data = complaintsData{Item: c, Now: time.Now()}
		pg.Errors = map[string]string{"purpose": i18n.T(pg.Lang, "web.admin.reveal.purpose")}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.render(w, r, http.StatusUnprocessableEntity, "admin_complaint", pg)
		return
	}
	m := s.meta(r)
	full, err := s.Complaints.Reveal(r.Context(), c.ID, purpose, m.ActorID, m.SessionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = complaintsData{Item: full, Now: time.Now(), Reveal: true, Purpose: purpose}
	s.render(w, r, http.StatusOK, "admin_complaint", pg)
}

// adminComplaintFile downloads a document for an administrator, audited.
func (s *Server) adminComplaintFile(w http.ResponseWriter, r *http.Request) {
	id, ok1 := msgPathID(r, "id")
	fid, ok2 := msgPathID(r, "file")
	if !ok1 || !ok2 {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	m := s.meta(r)
	f, err := s.Complaints.RevealFile(r.Context(), id, fid, m.ActorID, m.SessionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	servePrivateFile(w, f.Name, f.Kind, f.Data)
}

// adminComplaintStatus takes an entry into work or closes it.
func (s *Server) adminComplaintStatus(w http.ResponseWriter, r *http.Request) {
	c, ok := s.complaintSummary(w, r)
	if !ok {
		return
	}
	m := s.meta(r)
	if err := s.Complaints.SetStatus(r.Context(), c.ID, r.PostFormValue("status"), m.ActorID, m.SessionID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/complaints/"+strconv.FormatInt(c.ID, 10)+"?done=moved", http.StatusSeeOther)
}

// adminComplaintAnswer keeps the answer and queues its email, at once.
func (s *Server) adminComplaintAnswer(w http.ResponseWriter, r *http.Request) {
	c, ok := s.complaintSummary(w, r)
	if !ok {
		return
	}
	m := s.meta(r)
	mailed, err := s.Complaints.Answer(r.Context(), c.ID, r.PostFormValue("answer"), m.ActorID, m.SessionID)
	if err != nil {
		pg := s.newPage(r, "complaints.admin.item")
		pg.Form = url.Values{"answer": {r.PostFormValue("answer")}}
		pg.Data = complaintsData{Item: c, Now: time.Now()}
		s.messagesFormError(w, r, pg, err, func(p *page, st int) { s.render(w, r, st, "admin_complaint", p) })
		return
	}
	done := "answered"
	if !mailed {
		done = "paper"
	}
	http.Redirect(w, r, "/admin/complaints/"+strconv.FormatInt(c.ID, 10)+"?done="+done, http.StatusSeeOther)
}
