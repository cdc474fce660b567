package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/policy"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// The privacy centre's pages (issue 12 §2, §3a, §5): consent receipts,
// the public contacts page, the holiday calendar and the operator's
// settings. Handlers stay thin; internal/privacy does the work.

type privacyServices struct {
	receipts   *privacy.Receipts
	contacts   *privacy.Contacts
	holidays   *privacy.Holidays
	processors *privacy.Registry
	requests   *privacy.Requests
	control    *privacy.Control
}

func (s *Server) newPrivacy() privacyServices {
	a := s.Audit
	if a == nil {
		a = audit.New(s.DB, s.Vault)
	}
	contacts := privacy.NewContacts(s.DB, a)
	holidays := privacy.NewHolidays(s.DB, a)
	base := s.Processors
	if base == nil {
		base = privacy.ProcessorsFromConfig("", "", "")
	}
	processors := privacy.NewRegistry(s.DB, a, base)
	receipts := privacy.NewReceipts(s.DB, s.Vault, s.Consent, contacts, func() string { return s.BaseURL })
	receipts.Processors = processors
	requests := privacy.NewRequests(s.DB, s.Vault, a, holidays)
	var control *privacy.Control
	if s.Accounts != nil && s.Consent != nil {
		// Blocking, withdrawal and the consent's term (handlers_control.go);
		// accepting the documents again lifts a block they caused.
		control = privacy.NewControl(s.DB, s.Vault, a, s.Accounts, s.Consent)
		control.Receipts, control.Log = receipts, s.Log
		if s.Consent.OnAccepted == nil {
			control.Hook()
		}
		requests.Control = control
	}
	return privacyServices{
		receipts:   receipts,
		contacts:   contacts,
		holidays:   holidays,
		processors: processors,
		requests:   requests,
		control:    control,
	}
}

// receiptsPage lists the user's acceptances with a download of each one's
// signed receipt.
func (s *Server) receiptsPage(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.privacy.receipts.List(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "privacy.receipts.title")
	pg.Data = list
	s.render(w, r, http.StatusOK, "privacy_receipts", pg)
}

// receiptDownload sends one receipt as a .jws file.
func (s *Server) receiptDownload(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "privacy.receipt.not_found")
		return
	}
	jws, err := s.privacy.receipts.Receipt(r.Context(), u.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/jose; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="consent-receipt-`+strconv.FormatInt(id, 10)+`.jws"`)
	h.Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, jws+"\n")
}

// receiptPublicKey publishes the receipt keys as a JWK Set.
func (s *Server) receiptPublicKey(w http.ResponseWriter, r *http.Request) {
	b, err := s.privacy.receipts.PublicJWKS(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/jwk-set+json")
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(b)
}

// verifyData is what the verify page shows.
type verifyData struct {
	Receipt *privacy.Receipt
	KeyURL  string
}

func (s *Server) receiptVerifyForm(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "privacy.verify.title")
	pg.Data = verifyData{KeyURL: "/consent/public-key"}
	s.render(w, r, http.StatusOK, "privacy_verify", pg)
}

// receiptVerify checks a pasted or uploaded receipt. The upload, when
// given, wins over the text box.
func (s *Server) receiptVerify(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "privacy.verify.title")
	pg.Data = verifyData{KeyURL: "/consent/public-key"}
	r.Body = http.MaxBytesReader(w, r.Body, 2*privacy.MaxReceiptBytes)
	var text string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(2 * privacy.MaxReceiptBytes); err != nil {
			s.formError(w, r, "privacy_verify", pg, apperr.Field("receipt", "privacy.verify.too_big"))
			return
		}
		text = r.PostForm.Get("receipt")
		if f, _, err := r.FormFile("file"); err == nil {
			b, err := io.ReadAll(io.LimitReader(f, privacy.MaxReceiptBytes+1))
			f.Close()
			if err != nil {
				s.formError(w, r, "privacy_verify", pg, apperr.Field("receipt", "privacy.verify.too_big"))
				return
			}
			text = string(b)
		}
	} else {
		if err := r.ParseForm(); err != nil {
			s.formError(w, r, "privacy_verify", pg, apperr.Field("receipt", "privacy.verify.too_big"))
			return
		}
		text = r.PostForm.Get("receipt")
	}
	rc, err := s.privacy.receipts.Verify(r.Context(), text)
	if err != nil {
		s.formError(w, r, "privacy_verify", pg, err)
		return
	}
	pg.Notice = i18n.T(pg.Lang, "privacy.verify.ok")
	pg.Data = verifyData{Receipt: rc, KeyURL: "/consent/public-key"}
	s.render(w, r, http.StatusOK, "privacy_verify", pg)
}

// contactsData is the public contacts page.
type contactsData struct {
	Info privacy.ContactInfo
}

// contacts is the public page of who answers for personal data (law
// L2, L16), which the Privacy Policy refers to.
func (s *Server) contacts(w http.ResponseWriter, r *http.Request) {
	c, err := s.privacy.contacts.Get(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "privacy.contacts.title")
	pg.Data = contactsData{Info: c}
	s.render(w, r, http.StatusOK, "privacy_contacts", pg)
}

// adminPrivacyData is the operator settings page.
type adminPrivacyData struct {
	Processors []privacy.Processor
	Policy     policy.Status // the Policy in force against the generated one
	Term       int           // the consent's term in days; 0: no end
	TermMax    int
}

func (s *Server) adminPrivacyPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	ps, err := s.privacy.processors.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pg.Form == nil {
		c, err := s.privacy.contacts.Get(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pg.Form = contactsForm(c)
	}
	st, err := policy.Check(r.Context(), s.Consent, s.privacy.processors)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	term, err := s.Consent.Term(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = adminPrivacyData{Processors: ps, Policy: st, Term: term, TermMax: consent.MaxTermDays}
	s.render(w, r, status, "admin_privacy", pg)
}

func contactsForm(c privacy.ContactInfo) map[string][]string {
	return map[string][]string{"operator_name": {c.OperatorName}, "operator_bin": {c.OperatorBIN},
		"operator_address": {c.OperatorAddress}, "responsible_name": {c.ResponsibleName}, "contact_email": {c.ContactEmail}}
}

func (s *Server) adminPrivacy(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "privacy.admin.title")
	if r.URL.Query().Get("saved") == "1" {
		pg.Notice = i18n.T(pg.Lang, "privacy.admin.saved")
	}
	if r.URL.Query().Get("published") == "1" {
		pg.Notice = i18n.T(pg.Lang, "policy.admin.published")
	}
	s.adminPrivacyPage(w, r, pg, http.StatusOK)
}

func (s *Server) adminPrivacyContacts(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	f := r.PostForm
	m := s.meta(r)
	_, err := s.privacy.contacts.Save(r.Context(), privacy.ContactInfo{OperatorName: f.Get("operator_name"), OperatorBIN: f.Get("operator_bin"),
		OperatorAddress: f.Get("operator_address"), ResponsibleName: f.Get("responsible_name"), ContactEmail: f.Get("contact_email")}, m.ActorID, m.SessionID)
	if err != nil {
		pg := s.newPage(r, "privacy.admin.title")
		pg.Form = f
		var fields apperr.Fields
		if errors.As(err, &fields) {
			pg.Errors = map[string]string{}
			for _, fe := range fields {
				pg.Errors[fe.Field] = i18n.T(pg.Lang, fe.Key, fe.Args...)
			}
			pg.Error = i18n.T(pg.Lang, "web.form.fix")
			s.adminPrivacyPage(w, r, pg, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/privacy?saved=1", http.StatusSeeOther)
}

func (s *Server) adminProcessorCountry(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	m := s.meta(r)
	err := s.privacy.processors.SetCountry(r.Context(), r.PathValue("id"), r.PostForm.Get("country"), m.ActorID, m.SessionID)
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.admin.title")
		pg.Error = i18n.T(pg.Lang, e.Key, e.Args...)
		s.adminPrivacyPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/privacy?saved=1", http.StatusSeeOther)
}

// holidaysData is the calendar editor.
type holidaysData struct {
	Days  []privacy.Holiday
	Rules []ruleRow
}

// ruleRow is one deadline rule with an example: a request received today.
type ruleRow struct {
	privacy.Rule
	Due time.Time
}

func (s *Server) holidaysPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	days, err := s.privacy.holidays.List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal := privacy.NewCalendar(days)
	now := time.Now()
	var rules []ruleRow
	for _, rule := range privacy.Rules {
		rules = append(rules, ruleRow{Rule: rule, Due: cal.AddWorkingDays(now, rule.WorkingDays)})
	}
	pg.Data = holidaysData{Days: days, Rules: rules}
	s.render(w, r, status, "admin_holidays", pg)
}

func (s *Server) adminHolidays(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "privacy.holidays.title")
	if r.URL.Query().Get("saved") == "1" {
		pg.Notice = i18n.T(pg.Lang, "privacy.admin.saved")
	}
	s.holidaysPage(w, r, pg, http.StatusOK)
}

func (s *Server) adminHolidaySet(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	f := r.PostForm
	m := s.meta(r)
	err := s.privacy.holidays.Set(r.Context(), f.Get("day"), f.Get("off") != "0", f.Get("name"), m.ActorID, m.SessionID)
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.holidays.title")
		pg.Form = f
		pg.Errors = map[string]string{e.Field: i18n.T(pg.Lang, e.Key, e.Args...)}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.holidaysPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/holidays?saved=1", http.StatusSeeOther)
}

func (s *Server) adminHolidayRemove(w http.ResponseWriter, r *http.Request) {
	m := s.meta(r)
	if err := s.privacy.holidays.Remove(r.Context(), r.PathValue("day"), m.ActorID, m.SessionID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/holidays?saved=1", http.StatusSeeOther)
}

// requestsData is the user's requests page.
type requestsData struct {
	Requests []privacy.Request
	Types    []privacy.RequestType
	Now      time.Time
}

func (s *Server) myRequestsPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.privacy.requests.ForUser(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = requestsData{Requests: list, Types: privacy.FileTypes, Now: time.Now()}
	s.render(w, r, status, "privacy_requests", pg)
}

// myRequests lists the user's requests with their deadlines and answers,
// and the form to file one (issue 12 §2).
func (s *Server) myRequests(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "privacy.requests.title")
	if r.URL.Query().Get("filed") == "1" {
		pg.Notice = i18n.T(pg.Lang, "privacy.requests.filed")
	}
	s.myRequestsPage(w, r, pg, http.StatusOK)
}

func (s *Server) fileRequest(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	m := s.meta(r)
	_, err = s.privacy.requests.File(r.Context(), u.ID, privacy.RequestType(r.PostForm.Get("type")), r.PostForm.Get("detail"), m.SessionID)
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.requests.title")
		pg.Form = r.PostForm
		pg.Errors = map[string]string{e.Field: i18n.T(pg.Lang, e.Key, e.Args...)}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.myRequestsPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/requests?filed=1", http.StatusSeeOther)
}

// adminRequestsData is the queue.
type adminRequestsData struct {
	Open, Answered []privacy.Request
	Now            time.Time
	Request        *privacy.Request // the one opened to answer
	Acts           []string         // what answering it may do to the account (privacy.ActsFor)
	Blocked        string           // the account's block reason now
}

// adminRequests is the queue of open requests, the nearest deadline
// first, overdue ones marked; the users' words stay sealed here.
func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	open, answered, err := s.privacy.requests.Queue(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "privacy.requests.queue")
	if r.URL.Query().Get("answered") == "1" {
		pg.Notice = i18n.T(pg.Lang, "privacy.requests.answered")
	}
	if r.URL.Query().Get("deleted") == "1" {
		pg.Notice = i18n.T(pg.Lang, "deletion.admin.done")
	}
	pg.Data = adminRequestsData{Open: open, Answered: answered, Now: time.Now()}
	s.render(w, r, http.StatusOK, "admin_requests", pg)
}

func (s *Server) adminRequestPage(w http.ResponseWriter, r *http.Request, pg *page, status int) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "privacy.requests.not_found")
		return
	}
	m := s.meta(r)
	x, err := s.privacy.requests.Open(r.Context(), id, m.ActorID, m.SessionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg.Data = adminRequestsData{Request: x, Now: time.Now(), Acts: privacy.ActsFor(x.Type)}
	if u, err := s.Accounts.Get(r.Context(), x.UserID); err == nil {
		pg.Data = adminRequestsData{Request: x, Now: time.Now(), Acts: privacy.ActsFor(x.Type), Blocked: u.Blocked}
	}
	s.render(w, r, status, "admin_request", pg)
}

// adminRequest opens one request to answer it; the view is audited.
func (s *Server) adminRequest(w http.ResponseWriter, r *http.Request) {
	s.adminRequestPage(w, r, s.newPage(r, "privacy.requests.answer"), http.StatusOK)
}

// adminRequestAnswer closes a request and emails the answer to the user
// in their language through the site's mail sender.
func (s *Server) adminRequestAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound, "privacy.requests.not_found")
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	m := s.meta(r)
	x, err := s.privacy.requests.AnswerWith(r.Context(), id, r.PostForm.Get("answer"), r.PostForm.Get("act"), m.ActorID, m.SessionID)
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.requests.answer")
		pg.Errors = map[string]string{e.Field: i18n.T(pg.Lang, e.Key, e.Args...)}
		pg.Error = i18n.T(pg.Lang, "web.form.fix")
		s.adminRequestPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.mailAnswer(r, x)
	http.Redirect(w, r, "/admin/requests?answered=1", http.StatusSeeOther)
}

// mailAnswer tells the user the answer. A failure is logged without the
// address; the answer stays on the user's requests page.
func (s *Server) mailAnswer(r *http.Request, x *privacy.Request) {
	if s.Mail == nil || s.Accounts == nil {
		return
	}
	u, err := s.Accounts.Get(r.Context(), x.UserID)
	if err != nil || u.Status != account.StatusActive || u.Email.IsZero() {
		return
	}
	l, ok := i18n.Parse(u.Locale)
	if !ok {
		l = i18n.Default
	}
	typ := i18n.T(l, "privacy.request."+string(x.Type))
	text := i18n.T(l, "privacy.requests.mail.text", typ, day(x.ReceivedAt)) + "\n\n" + x.Answer.Reveal() +
		"\n\n" + s.link("/account/requests")
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
	defer cancel()
	msg := mail.Message{To: u.Email.Reveal(), Subject: i18n.T(l, "privacy.requests.mail.subject", typ), Text: text, Lang: l, Kind: privacy.MailRequestAnswer}
	if err := s.Mail.Send(ctx, msg); err != nil {
		s.Log.Error("privacy: answer email not sent", "request_id", info(r).ID, "privacy_request", x.ID, "err", err)
	}
}

func day(t time.Time) string { return t.In(privacy.Almaty).Format(privacy.DayLayout) }

// adminPolicyPublish publishes the Privacy Policy in force with its
// generated sections brought up to date, as a new version that every
// user accepts again.
func (s *Server) adminPolicyPublish(w http.ResponseWriter, r *http.Request) {
	m := s.meta(r)
	doc, err := policy.Publish(r.Context(), s.Consent, s.privacy.processors, m.ActorID, m.SessionID)
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		pg := s.newPage(r, "privacy.admin.title")
		pg.Error = i18n.T(pg.Lang, e.Key, e.Args...)
		s.adminPrivacyPage(w, r, pg, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Log.Info("privacy policy regenerated and published", "version", doc.Version)
	http.Redirect(w, r, "/admin/privacy?published=1", http.StatusSeeOther)
}
