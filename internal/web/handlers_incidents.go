package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/incident"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// The register of personal-data incidents (issue 12 §4, law L15):
// administrators record an incident, see the deadline to notify the
// authorised body, print the notification in Kazakh or Russian, open
// the affected users' contacts through the audited reveal and write to
// them. internal/incident does the work.

// incidentsData is what the incident pages show.
type incidentsData struct {
	List       []incident.Incident
	Now        time.Time
	Kinds      []incident.Kind
	Categories []datamap.Category
	Incident   *incident.Incident
	Subjects   []incident.Subject
	After      int64 // the subjects shown are those with ids above
	Next       int64 // the next page starts above this id (0: none)
	Revealed   bool
	Rule       privacy.Rule
	Contacts   privacy.ContactInfo
	Bulk       *mailq.Progress
	Site       string
	Today      time.Time
}

func (s *Server) incidentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "incident.not_found")
		return 0, false
	}
	return id, true
}

// adminIncidents lists the incidents, the latest detection first, each
// with its deadline (overdue in red) and where its notices stand.
func (s *Server) adminIncidents(w http.ResponseWriter, r *http.Request) {
	list, err := s.Incidents.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "incident.title")
	pg.Data = incidentsData{List: list, Now: time.Now()}
	s.render(w, r, http.StatusOK, "admin_incidents", pg)
}

func (s *Server) incidentForm(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	if pg.Form == nil {
		pg.Form = map[string][]string{"detected_at": {time.Now().In(privacy.Almaty).Format(incident.TimeLayout)}, "select": {incident.SelectIDs}}
	}
	pg.Data = incidentsData{Kinds: incident.Kinds, Categories: datamap.Categories}
	s.render(w, r, status, "admin_incident_new", pg)
}

func (s *Server) adminIncidentNew(w http.ResponseWriter, r *http.Request) {
	s.incidentForm(w, r, s.newPage(r, "incident.new"), http.StatusOK)
}

// adminIncidentCreate records an incident; bad input shows the form
// again with the reasons, nothing written.
func (s *Server) adminIncidentCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	f := r.PostForm
	m := s.meta(r)
	x, err := s.Incidents.Record(r.Context(), incident.Input{Kind: f.Get("kind"), Categories: f["categories"], DetectedAt: f.Get("detected_at"),
		OccurredAt: f.Get("occurred_at"), Select: f.Get("select"), Users: f.Get("users"), Description: f.Get("description"),
		Measures: f.Get("measures")}, m.ActorID, m.SessionID)
	if err != nil {
		pg := s.newPage(r, "incident.new")
		pg.Form = f
		if s.fieldErrors(pg, err) {
			s.incidentForm(w, r, pg, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/incidents/"+strconv.FormatInt(x.ID, 10)+"?recorded=1", http.StatusSeeOther)
}

// fieldErrors puts the translated field errors of err on pg; false when
// err is not about the form.
func (s *Server) fieldErrors(pg *page, err error) bool {
	var fields apperr.Fields
	if !errors.As(err, &fields) {
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid {
			return false
		}
		fields = apperr.Fields{e}
	}
	pg.Errors = map[string]string{}
	for _, fe := range fields {
		if _, seen := pg.Errors[fe.Field]; !seen {
			pg.Errors[fe.Field] = i18n.T(pg.Lang, fe.Key, fe.Args...)
		}
	}
	pg.Error = i18n.T(pg.Lang, "web.form.fix")
	return true
}

// incidentPage shows one incident: its facts, deadline, the actions, and
// a page of the users it concerns (revealed, when subjects is given).
func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, pg *page, status int, subjects []incident.Subject, after int64) {
	id, ok := s.incidentID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	x, err := s.Incidents.Get(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	revealed := subjects != nil
	if !revealed {
		if subjects, err = s.Incidents.Subjects(ctx, id, after); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	c, err := s.Incidents.Contacts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rule, _ := privacy.RuleFor(privacy.RequestBreachNote)
	d := incidentsData{Incident: x, Subjects: subjects, After: after, Revealed: revealed, Rule: rule, Contacts: c, Now: time.Now()}
	if len(subjects) == incident.SubjectsPage {
		d.Next = subjects[len(subjects)-1].UserID
	}
	if s.MailQueue != nil && !x.UsersNotifyAt.IsZero() {
		bulks, err := s.MailQueue.Bulks(ctx, 100)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for i := range bulks {
			if bulks[i].Name == incident.Bulk(id) {
				d.Bulk = &bulks[i]
			}
		}
	}
	pg.Title = i18n.T(pg.Lang, "incident.number", x.ID)
	pg.Data = d
	s.render(w, r, status, "admin_incident", pg)
}

func afterParam(r *http.Request, v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (s *Server) adminIncident(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "incident.title")
	q := r.URL.Query()
	switch {
	case q.Get("recorded") == "1":
		pg.Notice = i18n.T(pg.Lang, "incident.recorded", "")
	case q.Get("body") == "1":
		pg.Notice = i18n.T(pg.Lang, "incident.body.saved")
	case q.Get("notify") == "1":
		pg.Notice = i18n.T(pg.Lang, "incident.notify.started")
	}
	s.incidentPage(w, r, pg, http.StatusOK, nil, afterParam(r, q.Get("after")))
}

// adminIncidentReveal opens one page of the users' name, address and
// phone for the notification, each user's view audited with the purpose.
func (s *Server) adminIncidentReveal(w http.ResponseWriter, r *http.Request) {
	id, ok := s.incidentID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	after := afterParam(r, r.PostForm.Get("after"))
	pg := s.newPage(r, "incident.title")
	list, err := s.Incidents.RevealSubjects(r.Context(), id, after, r.PostForm.Get("purpose"), s.meta(r))
	if err != nil {
		if s.fieldErrors(pg, err) {
			s.incidentPage(w, r, pg, http.StatusUnprocessableEntity, nil, after)
			return
		}
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []incident.Subject{}
	}
	s.incidentPage(w, r, pg, http.StatusOK, list, after)
}

// adminIncidentBodyNotified records when the authorised body was told.
func (s *Server) adminIncidentBodyNotified(w http.ResponseWriter, r *http.Request) {
	id, ok := s.incidentID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	m := s.meta(r)
	if err := s.Incidents.BodyNotified(r.Context(), id, r.PostForm.Get("notified_at"), m.ActorID, m.SessionID); err != nil {
		pg := s.newPage(r, "incident.title")
		pg.Form = r.PostForm
		if s.fieldErrors(pg, err) {
			s.incidentPage(w, r, pg, http.StatusUnprocessableEntity, nil, 0)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/incidents/"+strconv.FormatInt(id, 10)+"?body=1", http.StatusSeeOther)
}

// adminIncidentNotify starts (or resumes) the letters to the users.
func (s *Server) adminIncidentNotify(w http.ResponseWriter, r *http.Request) {
	id, ok := s.incidentID(w, r)
	if !ok {
		return
	}
	m := s.meta(r)
	if err := s.Incidents.NotifyUsers(r.Context(), id, m.ActorID, m.SessionID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/incidents/"+strconv.FormatInt(id, 10)+"?notify=1", http.StatusSeeOther)
}

// adminIncidentNotice is the notification to the authorised body, in
// Kazakh or Russian whatever the administrator's language, as a page to
// print (print.css leaves the site's furniture out). Producing it is
// audited.
func (s *Server) adminIncidentNotice(w http.ResponseWriter, r *http.Request) {
	id, ok := s.incidentID(w, r)
	if !ok {
		return
	}
	l := i18n.Lang(r.PathValue("lang"))
	if l != i18n.KK && l != i18n.RU {
		s.renderError(w, r, http.StatusNotFound, "web.error.notfound")
		return
	}
	ctx := r.Context()
	x, err := s.Incidents.Get(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Incidents.Contacts(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := s.meta(r)
	if err := s.Incidents.DocumentIssued(ctx, id, string(l), m.ActorID, m.SessionID); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "incident.doc.title")
	pg.Lang = l
	pg.Title = i18n.T(l, "incident.doc.title")
	pg.Data = incidentsData{Incident: x, Contacts: c, Site: s.link("/"), Today: time.Now()}
	s.render(w, r, http.StatusOK, "admin_incident_notice", pg)
}
