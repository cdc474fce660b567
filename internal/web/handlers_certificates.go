package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/certificate"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Certificates of publication (issue 3 §6): the author confirms the name
// and downloads the PDF; anyone checks a number at /verify/{number}.
// GET /verify itself is the email confirmation form (issue 2, linked
// from every emailed link), so the number form lives at /verify/.

// certLangs are the languages a certificate is printed in.
var certLangs = []i18n.Lang{i18n.KK, i18n.RU}

// certIssueData is what the issue form shows.
type certIssueData struct {
	M       *library.Material
	Current *library.Certificate
	Langs   []i18n.Lang
}

// certPage loads the material and the author's current certificate for
// the issue form; the form is prefilled from the certificate or, for a
// first issue, from the account's name.
func (s *Server) certPage(r *http.Request) (*page, *certIssueData, error) {
	u, err := user(r)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := r.Context()
	m, err := s.Library.Get(ctx, id, viewer(r))
	if err != nil {
		return nil, nil, err
	}
	pg := s.newPage(r, "certificate.web.issue.title")
	d := &certIssueData{M: m, Langs: certLangs}
	lang := pg.Lang
	if lang != i18n.RU {
		lang = i18n.KK
	}
	pg.Form = url.Values{"name": {u.FullName.Reveal()}, "lang": {string(lang)}}
	cur, name, err := s.Library.CertificateFor(ctx, u.ID, m.ID)
	if e, ok := apperr.As(err); ok && e.Key == "library.cert.none" {
		err = nil
	}
	if err != nil {
		return nil, nil, err
	}
	if cur != nil {
		d.Current = cur
		pg.Form.Set("name", name.Reveal())
		if cur.ShowName {
			pg.Form.Set("show_name", "yes")
		}
	}
	pg.Data = d
	return pg, d, nil
}

func (s *Server) certificateForm(w http.ResponseWriter, r *http.Request) {
	pg, _, err := s.certPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "issued", "reissued", "saved":
		pg.Notice = i18n.T(pg.Lang, "certificate.web.done."+r.URL.Query().Get("done"))
	}
	s.render(w, r, http.StatusOK, "cert_issue", pg)
}

func (s *Server) certificateIssue(w http.ResponseWriter, r *http.Request) {
	pg, d, err := s.certPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	pg.Form = formValues(r.PostForm)
	lang, _ := i18n.Parse(r.PostForm.Get("lang"))
	in := library.CertificateInput{Name: r.PostForm.Get("name"), ShowName: r.PostForm.Get("show_name") == "yes", Lang: lang}
	c, isNew, err := s.Library.IssueCertificate(r.Context(), info(r).User.ID, d.M.ID, in)
	if err != nil {
		s.formError(w, r, "cert_issue", pg, err)
		return
	}
	done := "saved"
	switch {
	case isNew && d.Current != nil:
		done = "reissued"
	case isNew:
		done = "issued"
	}
	http.Redirect(w, r, "/materials/"+strconv.FormatInt(c.MaterialID, 10)+"/certificate?done="+done, http.StatusSeeOther)
}

// certificatePDF sends the author's certificate as a PDF, in the language
// asked for (?lang=kk|ru), made in memory first so a failure is a clean
// error page rather than half a file.
func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) {
	u, err := user(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang, ok := i18n.Parse(r.URL.Query().Get("lang"))
	if !ok {
		lang = info(r).Lang
	}
	f, sig, err := s.Library.CertificatePrint(r.Context(), u.ID, id, lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := certificate.PDF(&buf, f, sig); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="smartustaz-`+f.Number+`.pdf"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// siteKey is the published signing key, for the verify pages.
type siteKey struct{ Text, Fingerprint string }

func (s *Server) siteKey() siteKey {
	pub := s.Library.PublicKey()
	return siteKey{Text: certificate.PublicKeyText(pub), Fingerprint: certificate.FingerPrint(pub)}
}

// certLookup is the public form to type a number, with the site's public
// key. A typed number is sent on to its canonical verify address.
func (s *Server) certLookup(w http.ResponseWriter, r *http.Request) {
	pg := s.newPage(r, "certificate.web.verify.title")
	if typed := r.URL.Query().Get("number"); typed != "" {
		if n, ok := certificate.NormalizeNumber(typed); ok {
			http.Redirect(w, r, "/verify/"+n, http.StatusSeeOther)
			return
		}
		pg.Form = url.Values{"number": {typed}}
		pg.Errors = map[string]string{"number": i18n.T(pg.Lang, "certificate.web.state.unknown")}
	}
	pg.Data = struct{ Key siteKey }{s.siteKey()}
	s.render(w, r, http.StatusOK, "cert_lookup", pg)
}

// certVerifyData is what the verify page shows.
type certVerifyData struct {
	V   *library.Verification
	Key siteKey
	// Asked: a verifier typed a name; Match: it is the printed one.
	Asked, Match bool
	// Limited: too many names that did not match came from this address;
	// nothing was compared.
	Limited bool
}

func (s *Server) certVerify(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("number")
	v, err := s.Library.VerifyCertificate(r.Context(), raw)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.State != library.CertUnknown && v.Number != raw {
		http.Redirect(w, r, "/verify/"+v.Number, http.StatusMovedPermanently)
		return
	}
	s.renderVerify(w, r, certVerifyData{V: v})
}

// Names that do not match are limited per client address, with the
// login throttle (account.Limiter): a hidden name must not be guessed by
// trying a list of names. The first certNameFree mismatches cost nothing
// — a school office checking a pile of certificates from one address
// makes typos — then each blocks the address for 2, 4, 8… seconds, up to
// 15 minutes. Matches are not counted: they give nothing away that the
// verifier did not already hold on paper.
const (
	certNameScope = "cert_name_ip"
	certNameFree  = 10
)

// certNameMatch answers whether the name a verifier typed is the one
// printed on the certificate, without showing the name.
func (s *Server) certNameMatch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "web.error.badform")
		return
	}
	ctx := r.Context()
	number := r.PathValue("number")
	v, err := s.Library.VerifyCertificate(ctx, number)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := certVerifyData{V: v}
	if v.State != library.CertUnknown {
		limit := s.Accounts.Limiter(certNameScope, certNameFree)
		ip := info(r).IP
		err := limit.Check(ctx, ip)
		if apperr.CodeOf(err) == apperr.TooMany {
			d.Limited = true
			w.Header().Set("Retry-After", "60")
			s.renderVerifyStatus(w, r, d, http.StatusTooManyRequests)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Asked = true
		if d.Match, err = s.Library.MatchCertificateName(ctx, number, r.PostForm.Get("name")); err != nil {
			s.fail(w, r, err)
			return
		}
		if !d.Match {
			if err := limit.Fail(ctx, ip); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	s.renderVerify(w, r, d)
}

func (s *Server) renderVerify(w http.ResponseWriter, r *http.Request, d certVerifyData) {
	status := http.StatusOK
	if d.V.State == library.CertUnknown {
		// The page still says what happened and offers the form again.
		status = http.StatusNotFound
	}
	s.renderVerifyStatus(w, r, d, status)
}

func (s *Server) renderVerifyStatus(w http.ResponseWriter, r *http.Request, d certVerifyData, status int) {
	v := d.V
	pg := s.newPage(r, "certificate.web.verify.title")
	if v.Number != "" {
		pg.Title += " " + v.Number
	}
	d.Key = s.siteKey()
	pg.Data = d
	s.render(w, r, status, "cert_verify", pg)
}
