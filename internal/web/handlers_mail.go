package web

// The administrator's view of the outgoing mail queue (internal/mailq):
// counts, the latest messages without their recipients, the progress of
// bulk sends, and a retry for failed messages.

import (
	"net/http"
	"strconv"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mailq"
)

// mailRow is a message as the page shows it: its kind in words, never
// its recipient, subject or body.
type mailRow struct {
	mailq.Entry
	KindName, StatusName string
}

// bulkRow is a bulk send as the page shows it.
type bulkRow struct {
	mailq.Progress
	KindName string
}

type mailData struct {
	Counts mailq.Counts
	Status string // the list's filter: "", pending, sent or failed
	Recent []mailRow
	Bulks  []bulkRow
}

// mailKindName names a kind of message in l: by its subject, which says
// what the message is about.
func mailKindName(l i18n.Lang, kind string) string {
	for _, key := range []string{"mail." + kind + ".subject", "mailq.kind." + kind} {
		if i18n.Has(key) {
			return i18n.T(l, key)
		}
	}
	if len(kind) > 8 && kind[:8] == "library." && i18n.Has("library.mail."+kind[8:]+".subject") {
		return i18n.T(l, "library.mail."+kind[8:]+".subject")
	}
	return kind
}

// adminMail shows the mail queue.
func (s *Server) adminMail(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "mailq.title")
	if n, err := strconv.Atoi(r.URL.Query().Get("retried")); err == nil && n >= 0 {
		pg.Notice = i18n.T(pg.Lang, "mailq.retried", n)
	}
	if s.MailQueue == nil {
		s.render(w, r, http.StatusOK, "admin_mail", pg)
		return
	}
	ctx := r.Context()
	var d mailData
	switch st := r.URL.Query().Get("status"); st {
	case mailq.StatusPending, mailq.StatusSent, mailq.StatusFailed:
		d.Status = st
	}
	var err error
	if d.Counts, err = s.MailQueue.Counts(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	recent, err := s.MailQueue.Recent(ctx, d.Status, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range recent {
		d.Recent = append(d.Recent, mailRow{Entry: e, KindName: mailKindName(pg.Lang, e.Kind),
			StatusName: i18n.T(pg.Lang, "mailq.status."+e.Status)})
	}
	bulks, err := s.MailQueue.Bulks(ctx, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, b := range bulks {
		name := b.Kind
		if i18n.Has("mailq.bulk.kind." + b.Kind) {
			name = i18n.T(pg.Lang, "mailq.bulk.kind."+b.Kind)
		}
		d.Bulks = append(d.Bulks, bulkRow{Progress: b, KindName: name})
	}
	pg.Data = d
	s.render(w, r, http.StatusOK, "admin_mail", pg)
}

// adminMailRetry queues failed messages again: the one named by the form's
// id, or every failed one without it.
func (s *Server) adminMailRetry(w http.ResponseWriter, r *http.Request) {
	if s.MailQueue == nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	var id int64
	if v := r.PostFormValue("id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			s.renderError(w, r, http.StatusBadRequest, "library.notfound")
			return
		}
		id = n
	}
	n, err := s.MailQueue.Retry(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Log.Info("mail: failed messages queued again", "messages", n)
	http.Redirect(w, r, "/admin/mail?retried="+strconv.Itoa(n), http.StatusSeeOther)
}
