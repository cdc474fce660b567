package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/i18n"
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
}

func (s *Server) newPrivacy() privacyServices {
	a := s.Audit
	if a == nil {
		a = audit.New(s.DB, s.Vault)
	}
	contacts := privacy.NewContacts(s.DB, a)
	base := s.Processors
	if base == nil {
		base = privacy.ProcessorsFromConfig("", "", "")
	}
	return privacyServices{
		receipts:   privacy.NewReceipts(s.DB, s.Vault, s.Consent, contacts, func() string { return s.BaseURL }),
		contacts:   contacts,
		holidays:   privacy.NewHolidays(s.DB, a),
		processors: privacy.NewRegistry(s.DB, a, base),
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
	pg.Data = adminPrivacyData{Processors: ps}
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
