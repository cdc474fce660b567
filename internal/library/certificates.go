package library

// Certificates of publication (issue 3 §6): the author of a published
// material confirms the name to print and gets a signed certificate;
// anyone checks a certificate by its number at /verify/{number}.
//
// Decisions:
//   - One valid certificate per material and author. Issuing again with
//     the same name and title changes nothing (the choice to show the
//     name aside); a different name, or a title changed by an edit since,
//     revokes the old certificate ("reissued") and issues a new number.
//     Reissue is free.
//   - The name is sealed with the author's key (clause 1.3) and shown on
//     the public verify page only if the author ticked that choice, which
//     is off by default (clause 1.4: nothing is public until the person
//     chooses). Otherwise a verifier types the name printed on the paper
//     and the page says whether it matches, so a printed certificate can
//     be checked without the name being published.
//   - The signature covers the language the author issued it in; the PDF
//     can be printed in either language with the same signature, because
//     what it states (number, name, title, address, date) is the same.
//   - A taken-down material revokes its certificates (TakeDown). A
//     deleted author's certificates read as revoked: their key is
//     destroyed, the sealed name is gone, and nothing can be checked.
//   - A material its author withdraws (or is editing, or that waits for
//     moderation again) keeps its certificate valid: the certificate
//     attests that the material was published here when it was issued,
//     which stays true. The verify page says the material is no longer
//     in the catalog (withdrawn by its author, or not published at the
//     moment) and does not link the page, which would be a 404; the
//     author can still download the PDF, but not reissue until the
//     material is published again. A moderator who takes a withdrawn
//     material down still revokes the certificate.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/certificate"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// MaxCertificateName bounds the name printed on a certificate, in
// characters.
const MaxCertificateName = 200

// Reasons a certificate is revoked, besides the moderator's reason of a
// take-down (one of RejectReasons).
const (
	RevokedReissued      = "reissued"
	RevokedAuthorDeleted = "author_deleted"
)

// CertState is what the verify page says about a certificate.
type CertState string

// Certificate states.
const (
	// CertValid: issued here, not revoked, and the signature checks.
	CertValid CertState = "valid"
	// CertRevoked: issued here but revoked (reissued, material taken
	// down, author deleted).
	CertRevoked CertState = "revoked"
	// CertForged: a record exists but its signature does not check over
	// what is stored — the record was altered; do not trust it.
	CertForged CertState = "forged"
	// CertUnknown: no certificate has this number.
	CertUnknown CertState = "unknown"
)

// Certificate is one issued certificate, without the author's name
// (sealed; see CertificateName).
type Certificate struct {
	ID, MaterialID, AuthorID int64
	Number                   string
	Title, MaterialURL       string
	Lang                     i18n.Lang
	IssuedAt                 time.Time
	Signature                []byte
	ShowName                 bool
	RevokedAt                time.Time
	RevokeReason             string
	// Name is the printed name, filled only in the author's own list
	// (Certificates); elsewhere use CertificateFor.
	Name vault.Secret
}

// Revoked reports whether the certificate was revoked.
func (c *Certificate) Revoked() bool { return !c.RevokedAt.IsZero() }

// VerifyPath is the certificate's public verify address.
func (c *Certificate) VerifyPath() string { return "/verify/" + c.Number }

// CertificateInput is the author's choice at issue time.
type CertificateInput struct {
	// Name is the name to print, as the author confirms it.
	Name string
	// ShowName publishes the name on the verify page.
	ShowName bool
	// Lang is the language the certificate is issued in.
	Lang i18n.Lang
}

const certColumns = `id, number, material_id, author_id, title, material_url, lang, issued_at, signature, show_name, revoked_at, revoke_reason`

func scanCertificate(sc interface{ Scan(...any) error }) (*Certificate, error) {
	var c Certificate
	var lang string
	var issued, revoked, show int64
	if err := sc.Scan(&c.ID, &c.Number, &c.MaterialID, &c.AuthorID, &c.Title, &c.MaterialURL, &lang, &issued, &c.Signature,
		&show, &revoked, &c.RevokeReason); err != nil {
		return nil, err
	}
	c.Lang, c.IssuedAt, c.RevokedAt, c.ShowName = i18n.Lang(lang), db.Time(issued), db.Time(revoked), show != 0
	return &c, nil
}

func nameField(certID int64) vault.Field {
	return vault.Field{Table: "certificates", Column: "name_enc", Row: certID}
}

// cleanName is a name as it will be printed: normalised (NFC), control
// characters dropped, runs of spaces collapsed.
func cleanName(s string) string {
	return strings.Join(strings.Fields(text(s)), " ")
}

// foldName is the form two names are compared in: cleaned and case
// folded, so «ӘСЕЛ Тестқызы» matches «Әсел тестқызы».
func foldName(s string) string {
	return norm.NFC.String(cases.Fold().String(cleanName(s)))
}

func certLang(l i18n.Lang) i18n.Lang {
	if l == i18n.KK || l == i18n.RU || l == i18n.EN {
		return l
	}
	return i18n.Default
}

// checkName validates the name to print.
func checkName(name string) (string, error) {
	name = cleanName(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", apperr.Fields{apperr.Field("name", "library.cert.name.required")}
	case n > MaxCertificateName:
		return "", apperr.Fields{apperr.Field("name", "library.cert.name.length", MaxCertificateName)}
	}
	if !strings.ContainsFunc(name, unicode.IsLetter) {
		return "", apperr.Fields{apperr.Field("name", "library.cert.name.required")}
	}
	return name, nil
}

// ownMaterial loads a material for its author's certificate: it must be
// theirs (others get Forbidden, or NotFound when it is not public).
func ownMaterial(ctx context.Context, q db.Querier, authorID, materialID int64) (*Material, error) {
	m, err := getMaterial(ctx, q, materialID)
	if err != nil {
		return nil, err
	}
	if m.AuthorID != authorID {
		if m.Status != StatusPublished {
			return nil, errNotFound() // others may not even know it exists
		}
		return nil, apperr.New(apperr.Forbidden, "library.cert.not_author")
	}
	return m, nil
}

func errNotPublished() error { return apperr.New(apperr.Conflict, "library.cert.not_published") }

// certifiable loads a material its author may have a certificate issued
// for: theirs and published.
func certifiable(ctx context.Context, q db.Querier, authorID, materialID int64) (*Material, error) {
	m, err := ownMaterial(ctx, q, authorID, materialID)
	if err != nil {
		return nil, err
	}
	if m.Status != StatusPublished {
		return nil, errNotPublished()
	}
	return m, nil
}

// validCertificate returns the author's valid certificate for a material,
// or db.ErrNotFound.
func validCertificate(ctx context.Context, q db.Querier, authorID, materialID int64) (*Certificate, error) {
	c, err := scanCertificate(q.QueryRow(ctx, `SELECT `+certColumns+` FROM certificates
		WHERE material_id = ? AND author_id = ? AND revoked_at = 0`, materialID, authorID))
	if isNoRows(err) {
		return nil, db.ErrNotFound
	}
	return c, err
}

// CertificateFor returns the author's valid certificate for a material
// and the name it bears. When there is none it is an error: NotFound
// "library.cert.none" for a published material, Conflict
// "library.cert.not_published" otherwise. A material no longer published
// (withdrawn, being edited) keeps its valid certificate, so it is still
// returned. Only the author may ask (others get Forbidden).
func (s *Service) CertificateFor(ctx context.Context, authorID, materialID int64) (*Certificate, vault.Secret, error) {
	m, err := ownMaterial(ctx, s.db, authorID, materialID)
	if err != nil {
		return nil, vault.Secret{}, err
	}
	c, err := validCertificate(ctx, s.db, authorID, materialID)
	if errors.Is(err, db.ErrNotFound) {
		if m.Status != StatusPublished {
			return nil, vault.Secret{}, errNotPublished()
		}
		return nil, vault.Secret{}, &apperr.Error{Code: apperr.NotFound, Key: "library.cert.none", Err: db.ErrNotFound}
	}
	if err != nil {
		return nil, vault.Secret{}, wrap("certificate", err)
	}
	name, err := s.certName(ctx, s.db, c)
	if err != nil {
		return nil, vault.Secret{}, wrap("certificate", err)
	}
	return c, name, nil
}

// certName opens the name sealed in c (vault.ErrNoKey once the author's
// key is destroyed).
func (s *Service) certName(ctx context.Context, q db.Querier, c *Certificate) (vault.Secret, error) {
	var sealed []byte
	if err := q.QueryRow(ctx, `SELECT name_enc FROM certificates WHERE id = ?`, c.ID).Scan(&sealed); err != nil {
		return vault.Secret{}, err
	}
	key, err := s.v.UserKey(ctx, q, c.AuthorID)
	if err != nil {
		return vault.Secret{}, err
	}
	return key.Open(nameField(c.ID), sealed)
}

// fields are what c states, with name, for signing and printing.
func (s *Service) fields(c *Certificate, name string) certificate.Fields {
	return certificate.Fields{Number: c.Number, AuthorName: name, Title: c.Title, MaterialURL: c.MaterialURL,
		VerifyURL: s.o.BaseURL + c.VerifyPath(), IssuedAt: c.IssuedAt, Lang: c.Lang}
}

// maxNumberDraws bounds the retries when a new number collides with an
// existing one (about 39 random bits: a collision is rare, two in a row
// rarer still).
const maxNumberDraws = 5

// IssueCertificate issues (or reissues) the certificate of publication
// for an author's published material: the name confirmed by the author
// is sealed, the fields are signed with the site's key. It returns the
// author's valid certificate and whether it is new. See the package
// notes above for when a reissue makes a new number.
func (s *Service) IssueCertificate(ctx context.Context, authorID, materialID int64, in CertificateInput) (*Certificate, bool, error) {
	name, err := checkName(in.Name)
	if err != nil {
		return nil, false, err
	}
	lang := certLang(in.Lang)
	for draw := 0; ; draw++ {
		var out *Certificate
		var issued bool
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			// Lock the material so two issues for it run one after the other.
			var status string
			if err := tx.QueryRow(ctx, `SELECT status FROM materials WHERE id = ?`+db.ForUpdate(tx.Engine()), materialID).Scan(&status); err != nil {
				return err
			}
			m, err := certifiable(ctx, tx, authorID, materialID)
			if err != nil {
				return err
			}
			now := s.now().UTC().Truncate(time.Second).UnixMilli()
			old, err := validCertificate(ctx, tx, authorID, materialID)
			switch {
			case errors.Is(err, db.ErrNotFound):
			case err != nil:
				return err
			default:
				oldName, err := s.certName(ctx, tx, old)
				if err != nil {
					return err
				}
				if oldName.Reveal() == name && old.Title == m.Title {
					// Nothing printed changes: keep the number, record the
					// choice about showing the name.
					if _, err := tx.Exec(ctx, `UPDATE certificates SET show_name = ? WHERE id = ?`, boolInt(in.ShowName), old.ID); err != nil {
						return err
					}
					old.ShowName = in.ShowName
					out = old
					return nil
				}
				if _, err := tx.Exec(ctx, `UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE id = ?`,
					now, RevokedReissued, old.ID); err != nil {
					return err
				}
			}
			key, err := s.v.UserKey(ctx, tx, authorID)
			if err != nil {
				return err
			}
			c := &Certificate{ID: db.NewID(), Number: certificate.NewNumber(), MaterialID: m.ID, AuthorID: authorID,
				Title: m.Title, MaterialURL: s.o.BaseURL + MaterialPath(m.ID, ""), Lang: lang,
				IssuedAt: db.Time(now), ShowName: in.ShowName}
			c.Signature = s.v.Sign(certificate.Payload(s.fields(c, name)))
			if _, err := tx.Exec(ctx, `INSERT INTO certificates (id, number, material_id, author_id, name_enc, title, lang, issued_at,
				signature, material_url, show_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				c.ID, c.Number, c.MaterialID, c.AuthorID, key.Seal(nameField(c.ID), name), c.Title, string(c.Lang), now,
				c.Signature, c.MaterialURL, boolInt(c.ShowName)); err != nil {
				return err
			}
			out, issued = c, true
			return nil
		})
		if err != nil && db.IsUniqueViolation(err) && draw < maxNumberDraws {
			continue // the number was taken: draw another
		}
		if err != nil {
			return nil, false, wrap("issue certificate", err)
		}
		return out, issued, nil
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CertificatePrint returns what to print on the PDF of the author's valid
// certificate for a material, in lang (kk, ru or en), and its signature.
func (s *Service) CertificatePrint(ctx context.Context, authorID, materialID int64, lang i18n.Lang) (certificate.Fields, []byte, error) {
	c, name, err := s.CertificateFor(ctx, authorID, materialID)
	if err != nil {
		return certificate.Fields{}, nil, err
	}
	f := s.fields(c, name.Reveal())
	f.Lang = certLang(lang)
	return f, c.Signature, nil
}

// Certificates lists an author's certificates with the names they bear,
// newest first, revoked ones included (the account page and the data
// export show both).
func (s *Service) Certificates(ctx context.Context, authorID int64) ([]Certificate, error) {
	rows, err := s.db.Query(ctx, `SELECT `+certColumns+`, name_enc FROM certificates WHERE author_id = ? ORDER BY issued_at DESC, id DESC LIMIT 500`, authorID)
	if err != nil {
		return nil, wrap("certificates", err)
	}
	var out []Certificate
	var sealed [][]byte
	for rows.Next() {
		var enc []byte
		c, err := scanCertificate(scanWith{rows, &enc})
		if err != nil {
			rows.Close()
			return nil, wrap("certificates", err)
		}
		out = append(out, *c)
		sealed = append(sealed, enc)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, wrap("certificates", err)
	}
	key, err := s.v.ReadKey(ctx, s.db, authorID) // nil for a deleted author: no name
	if err != nil {
		return nil, wrap("certificates", err)
	}
	for i := range out {
		if out[i].Name, err = key.Open(nameField(out[i].ID), sealed[i]); err != nil {
			return nil, wrap("certificates", err)
		}
	}
	return out, nil
}

// scanWith scans a row's leading columns into a scanner's destinations
// and the trailing ones into extra.
type scanWith struct {
	sc    interface{ Scan(...any) error }
	extra any
}

func (w scanWith) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.extra)...) }

// Verification is what the public verify page shows about a number.
type Verification struct {
	// Number is the number asked about, normalised when it could be.
	Number string
	State  CertState
	// The rest is empty for CertUnknown.
	Certificate *Certificate
	// SignatureChecked: the signature could be checked (not when the
	// author's key is destroyed); SignatureOK: it matched.
	SignatureChecked, SignatureOK bool
	// SignatureFingerprint is the short form printed on the paper.
	SignatureFingerprint string
	// Name is the printed name, only when the author chose to show it.
	Name string
	// MaterialPath links the material while it is published ("" otherwise).
	MaterialPath string
	// MaterialStatus is where the material is now: a valid certificate
	// of a material no longer published says so (see the notes above).
	MaterialStatus Status
	// AuthorName is the author's public name when they chose to publish
	// under it (clause 1.4, issue 13), with AuthorID for the link to their
	// page; "" otherwise.
	AuthorName string
	AuthorID   int64
}

// MaterialWithdrawn reports whether the material's author took it out of
// the catalog.
func (v *Verification) MaterialWithdrawn() bool { return v.MaterialStatus == StatusWithdrawn }

// VerifyCertificate looks a number up as a person typed it (lower case,
// Cyrillic look-alikes and missing dashes are fine) and checks the
// stored fields against their signature with the site's public key. An
// unknown or malformed number is CertUnknown, not an error.
func (s *Service) VerifyCertificate(ctx context.Context, number string) (*Verification, error) {
	n, ok := certificate.NormalizeNumber(number)
	if !ok {
		return &Verification{State: CertUnknown}, nil
	}
	out := &Verification{Number: n, State: CertUnknown}
	c, err := scanCertificate(s.db.QueryRow(ctx, `SELECT `+certColumns+` FROM certificates WHERE number = ?`, n))
	if isNoRows(err) {
		return out, nil
	}
	if err != nil {
		return nil, wrap("verify certificate", err)
	}
	out.Certificate = c
	out.SignatureFingerprint = certificate.SignatureFingerprint(c.Signature)
	var status, slug string
	if err := s.db.QueryRow(ctx, `SELECT status, slug FROM materials WHERE id = ?`, c.MaterialID).Scan(&status, &slug); err != nil {
		return nil, wrap("verify certificate", err)
	}
	out.MaterialStatus = Status(status)
	if out.MaterialStatus == StatusPublished {
		out.MaterialPath = MaterialPath(c.MaterialID, slug)
	}
	name, err := s.certName(ctx, s.db, c)
	switch {
	case errors.Is(err, vault.ErrNoKey):
		// The author deleted their account: the name is shredded and the
		// certificate can no longer vouch for anyone.
		out.State = CertRevoked
		if !c.Revoked() {
			c.RevokeReason = RevokedAuthorDeleted
		}
		return out, nil
	case err != nil:
		return nil, wrap("verify certificate", err)
	}
	out.SignatureChecked = true
	out.SignatureOK = certificate.Verify(s.v.PublicKey(), s.fields(c, name.Reveal()), c.Signature)
	switch {
	case !out.SignatureOK:
		out.State = CertForged
	case c.Revoked():
		out.State = CertRevoked
	default:
		out.State = CertValid
	}
	if c.ShowName && out.SignatureOK {
		out.Name = name.Reveal()
	}
	names, err := s.DisplayNames(ctx, []int64{c.AuthorID})
	if err != nil {
		return nil, err
	}
	if out.AuthorName = names[c.AuthorID]; out.AuthorName != "" {
		out.AuthorID = c.AuthorID
	}
	return out, nil
}

// MatchCertificateName reports whether typed is the name printed on the
// certificate with this number, compared after normalisation and case
// folding, without revealing the name. An unknown number or a shredded
// name never matches.
func (s *Service) MatchCertificateName(ctx context.Context, number, typed string) (bool, error) {
	n, ok := certificate.NormalizeNumber(number)
	if !ok || strings.TrimSpace(typed) == "" {
		return false, nil
	}
	c, err := scanCertificate(s.db.QueryRow(ctx, `SELECT `+certColumns+` FROM certificates WHERE number = ?`, n))
	if isNoRows(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap("match name", err)
	}
	name, err := s.certName(ctx, s.db, c)
	if errors.Is(err, vault.ErrNoKey) {
		return false, nil
	}
	if err != nil {
		return false, wrap("match name", err)
	}
	return foldName(typed) == foldName(name.Reveal()), nil
}

// PublicKey is the site's certificate-signing public key, to publish.
func (s *Service) PublicKey() ed25519.PublicKey { return s.v.PublicKey() }
