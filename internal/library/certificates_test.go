package library_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/certificate"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
)

// published has author publish a material the site publishes at once.
func (e *env) published(author int64, title string) *library.Material {
	e.t.Helper()
	in := validInput()
	in.Title = title
	m, err := e.publish(author, in, upload{"жоспар.docx", docx(e.t, "Теңдеулер жүйесі")})
	if err != nil {
		e.t.Fatal(err)
	}
	if m.Status != library.StatusPublished {
		e.t.Fatalf("material status %s, want published", m.Status)
	}
	return m
}

func codeOf(err error) apperr.Code {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

// The whole life of a certificate (issue 3 §6): only the author of a
// published material gets one; the verify page finds it by the number as
// people type it and checks the signature; the name stays unpublished
// unless the author chooses (clause 1.4) yet a verifier can check the
// name printed on paper; a reissue with another name revokes the old
// number; an altered record fails its signature; a take-down revokes.
func TestCertificateLifecycle(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{PublishImmediately: true, BaseURL: "https://smartustaz.test"})
		author, other, mod := e.user("user"), e.user("user"), e.user("moderator")
		m := e.published(author, "Алгебра: сабақ жоспары")
		const name = "Әсел Тестқызы"

		// Only the author.
		if _, _, err := e.lib.IssueCertificate(ctx, other, m.ID, library.CertificateInput{Name: name}); codeOf(err) != apperr.Forbidden {
			t.Errorf("another user issues: %v, want forbidden", err)
		}
		if _, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: "   "}); func() string { _, k := fieldKey(err); return k }() != "library.cert.name.required" {
			t.Errorf("empty name: %v", err)
		}
		if n := e.rows("certificates"); n != 0 {
			t.Fatalf("refusals wrote %d certificates", n)
		}

		c, isNew, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: name, Lang: i18n.RU})
		if err != nil || !isNew {
			t.Fatalf("issue: new=%v err=%v", isNew, err)
		}
		if _, ok := certificate.NormalizeNumber(c.Number); !ok || c.Title != m.Title || c.MaterialURL != "https://smartustaz.test/materials/"+strconv.FormatInt(m.ID, 10) || c.ShowName {
			t.Errorf("issued: number ok=%v title=%q url=%q show=%v", ok, c.Title, c.MaterialURL, c.ShowName)
		}
		var sealed []byte
		if err := d.QueryRow(ctx, `SELECT name_enc FROM certificates WHERE id = ?`, c.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed, []byte(name)) || bytes.Contains(sealed, []byte("Тестқызы")) {
			t.Errorf("the name is stored in plain text")
		}

		// Verify, by the number as people type it.
		lower := strings.ToLower(c.Number)
		for _, typed := range []string{c.Number, lower, strings.ReplaceAll(c.Number, "-", ""), " " + lower + " "} {
			v, err := e.lib.VerifyCertificate(ctx, typed)
			if err != nil {
				t.Fatal(err)
			}
			if v.State != library.CertValid || !v.SignatureOK || v.Number != c.Number {
				t.Errorf("verify %q: state %s, signature ok %v", typed, v.State, v.SignatureOK)
			}
		}
		v, _ := e.lib.VerifyCertificate(ctx, c.Number)
		if v.Name != "" {
			t.Errorf("the name is shown although the author did not choose to")
		}
		if v.MaterialPath != m.Path() || v.SignatureFingerprint != certificate.SignatureFingerprint(c.Signature) {
			t.Errorf("verify: material %q, fingerprint %q", v.MaterialPath, v.SignatureFingerprint)
		}

		// The PDF's fields check against the published key in the
		// language it was issued in, and print in another.
		f, sig, err := e.lib.CertificatePrint(ctx, author, m.ID, i18n.KK)
		if err != nil {
			t.Fatal(err)
		}
		if f.AuthorName != name || f.Lang != i18n.KK || f.VerifyURL != "https://smartustaz.test/verify/"+c.Number {
			t.Errorf("print fields: lang %s, verify %q, name matches %v", f.Lang, f.VerifyURL, f.AuthorName == name)
		}
		f.Lang = i18n.RU
		if !certificate.Verify(e.lib.PublicKey(), f, sig) {
			t.Errorf("the printed fields do not verify with the site's public key")
		}
		var pdf bytes.Buffer
		if err := certificate.PDF(&pdf, f, sig); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
			t.Errorf("PDF: %v", err)
		}
		if _, _, err := e.lib.CertificatePrint(ctx, other, m.ID, i18n.KK); codeOf(err) != apperr.Forbidden {
			t.Errorf("another user prints: %v, want forbidden", err)
		}

		// The name printed on paper, checked without publishing it.
		for i, tc := range []struct {
			number, typed string
			want          bool
		}{
			{c.Number, name, true},
			{c.Number, "  әсел   ТЕСТҚЫЗЫ ", true},
			{lower, "Әсел Тестқызы", true},
			{c.Number, "Әсел Тестқызы2", false},
			{c.Number, "Әсем Тестқызы", false},
			{c.Number, "", false},
			{"SU-2026-2222-2222", name, false},
		} {
			got, err := e.lib.MatchCertificateName(ctx, tc.number, tc.typed)
			if err != nil || got != tc.want {
				t.Errorf("match name, case %d: %v, %v; want %v", i, got, err, tc.want)
			}
		}

		// Choosing to show the name keeps the number.
		c2, isNew, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: " Әсел  Тестқызы ", ShowName: true})
		if err != nil || isNew || c2.Number != c.Number {
			t.Fatalf("same name again: new=%v same number=%v err=%v", isNew, c2 != nil && c2.Number == c.Number, err)
		}
		if v, _ := e.lib.VerifyCertificate(ctx, c.Number); v.Name != name {
			t.Errorf("the name chosen to be shown is not shown")
		}

		// Reissue with another name: a new number, the old one revoked.
		c3, isNew, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: "Әсел Серікқызы Тестова"})
		if err != nil || !isNew || c3.Number == c.Number {
			t.Fatalf("reissue: new=%v err=%v", isNew, err)
		}
		if v, _ := e.lib.VerifyCertificate(ctx, c.Number); v.State != library.CertRevoked || v.Certificate.RevokeReason != library.RevokedReissued || !v.SignatureOK {
			t.Errorf("old number after reissue: state %s", v.State)
		}
		if v, _ := e.lib.VerifyCertificate(ctx, c3.Number); v.State != library.CertValid || v.Name != "" {
			t.Errorf("new number: state %s, name shown %v", v.State, v.Name != "")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM certificates WHERE material_id = ? AND revoked_at = 0`, m.ID); n != 1 {
			t.Errorf("%d valid certificates for one material, want 1", n)
		}
		list, err := e.lib.Certificates(ctx, author)
		if err != nil || len(list) != 2 {
			t.Fatalf("author's certificates: %d, %v", len(list), err)
		}
		if list[0].Number != c3.Number || list[0].Name.Reveal() != "Әсел Серікқызы Тестова" || !list[1].Revoked() || list[1].Name.Reveal() != name {
			t.Errorf("author's list: newest first with their names, the old one revoked")
		}
		if cur, _, err := e.lib.CertificateFor(ctx, author, m.ID); err != nil || cur.Number != c3.Number {
			t.Errorf("current certificate: %v", err)
		}

		// A record altered in the database fails its signature.
		if _, err := d.Exec(ctx, `UPDATE certificates SET title = ? WHERE number = ?`, "Басқа атау", c3.Number); err != nil {
			t.Fatal(err)
		}
		if v, _ := e.lib.VerifyCertificate(ctx, c3.Number); v.State != library.CertForged || v.SignatureOK || !v.SignatureChecked {
			t.Errorf("altered title: state %s, signature ok %v", v.State, v.SignatureOK)
		}
		if _, err := d.Exec(ctx, `UPDATE certificates SET title = ? WHERE number = ?`, m.Title, c3.Number); err != nil {
			t.Fatal(err)
		}

		// A take-down revokes; the material is no longer linked.
		if err := e.lib.TakeDown(ctx, mod, m.ID, "not_own_work", ""); err != nil {
			t.Fatal(err)
		}
		v, _ = e.lib.VerifyCertificate(ctx, c3.Number)
		if v.State != library.CertRevoked || v.MaterialPath != "" || v.Certificate.RevokeReason != "not_own_work" {
			t.Errorf("after take-down: state %s, material linked %v", v.State, v.MaterialPath != "")
		}
		if _, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: name}); codeOf(err) != apperr.Conflict {
			t.Errorf("issue for a taken-down material: %v, want conflict", err)
		}

		// Numbers that are not certificates: unknown, never an error.
		for _, garbage := range []string{"", "<script>", "SU-2026-0000-0000", "SU-2026-2222-2222", strings.Repeat("Ә", 500), "../../etc/passwd"} {
			v, err := e.lib.VerifyCertificate(ctx, garbage)
			if err != nil || v.State != library.CertUnknown || v.Certificate != nil {
				t.Errorf("verify garbage: state %s, err %v", v.State, err)
			}
		}
	})
}

// A pending material has no certificate yet; another user does not even
// learn that it exists. A deleted author's certificates read as revoked:
// their key is destroyed, so the name cannot be read or matched.
func TestCertificatePendingAndDeletedAuthor(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{})
		author, other, mod := e.user("user"), e.user("user"), e.user("moderator")
		m, err := e.publish(author, validInput(), upload{"a.docx", docx(t, "Мәтін")})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: "Әсел"}); codeOf(err) != apperr.Conflict {
			t.Errorf("pending material: %v, want conflict", err)
		}
		if _, _, err := e.lib.IssueCertificate(ctx, other, m.ID, library.CertificateInput{Name: "Әсел"}); codeOf(err) != apperr.NotFound {
			t.Errorf("another user, pending material: %v, want not found", err)
		}
		if err := e.lib.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.lib.CertificateFor(ctx, author, m.ID); codeOf(err) != apperr.NotFound {
			t.Errorf("no certificate yet: %v, want not found", err)
		}
		c, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: "Әсел Тестқызы", ShowName: true})
		if err != nil {
			t.Fatal(err)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE users SET status = 'deleted' WHERE id = ?`, author); err != nil {
				return err
			}
			return e.v.Shred(ctx, tx, author)
		})
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.lib.VerifyCertificate(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if v.State != library.CertRevoked || v.Name != "" || v.SignatureChecked || v.Certificate.RevokeReason != library.RevokedAuthorDeleted {
			t.Errorf("deleted author: state %s, name shown %v, checked %v", v.State, v.Name != "", v.SignatureChecked)
		}
		if ok, err := e.lib.MatchCertificateName(ctx, c.Number, "Әсел Тестқызы"); ok || err != nil {
			t.Errorf("deleted author's name still matches: %v %v", ok, err)
		}
	})
}

// A material its author withdraws keeps a valid certificate — it attests
// publication here on the date of issue — but the verify page no longer
// links the material and says it was withdrawn; the author can still
// print the PDF but not reissue. An edit waiting for moderation is "not
// in the catalog at the moment", still valid; published again, the link
// is back. A moderator taking a withdrawn material down still revokes.
func TestCertificateOfWithdrawnMaterial(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d, library.Options{BaseURL: "https://smartustaz.test"})
		author, mod := e.user("user"), e.user("moderator")
		m, err := e.publish(author, validInput(), upload{"a.docx", docx(t, "Теңдеулер жүйесі")})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.lib.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		const name = "Әсел Тестқызы"
		c, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: name, Lang: i18n.KK})
		if err != nil {
			t.Fatal(err)
		}
		verify := func(when string, state library.CertState, status library.Status, linked bool) *library.Verification {
			t.Helper()
			v, err := e.lib.VerifyCertificate(ctx, c.Number)
			if err != nil {
				t.Fatal(err)
			}
			if v.State != state || v.MaterialStatus != status || (v.MaterialPath != "") != linked || !v.SignatureOK {
				t.Errorf("%s: state %s, material %s, linked %v, signature ok %v; want %s, %s, linked %v",
					when, v.State, v.MaterialStatus, v.MaterialPath != "", v.SignatureOK, state, status, linked)
			}
			return v
		}
		if v := verify("published", library.CertValid, library.StatusPublished, true); v.MaterialWithdrawn() {
			t.Errorf("a published material reads as withdrawn")
		}

		// Withdrawn: still valid, not linked, said so.
		if err := e.lib.Withdraw(ctx, author, m.ID); err != nil {
			t.Fatal(err)
		}
		if v := verify("withdrawn", library.CertValid, library.StatusWithdrawn, false); !v.MaterialWithdrawn() {
			t.Errorf("a withdrawn material does not read as withdrawn")
		}
		if ok, err := e.lib.MatchCertificateName(ctx, c.Number, name); !ok || err != nil {
			t.Errorf("the name of a withdrawn material's certificate: match %v, %v", ok, err)
		}
		if cur, got, err := e.lib.CertificateFor(ctx, author, m.ID); err != nil || cur.Number != c.Number || got.Reveal() != name {
			t.Errorf("the author's certificate of a withdrawn material: %v", err)
		}
		f, sig, err := e.lib.CertificatePrint(ctx, author, m.ID, i18n.KK) // the language it was issued in
		if err != nil || f.Number != c.Number || !certificate.Verify(e.lib.PublicKey(), f, sig) {
			t.Errorf("print after withdrawal: %v", err)
		}
		if _, _, err := e.lib.IssueCertificate(ctx, author, m.ID, library.CertificateInput{Name: "Басқа Аты"}); codeOf(err) != apperr.Conflict {
			t.Errorf("reissue of a withdrawn material: %v, want conflict", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM certificates WHERE material_id = ? AND revoked_at = 0`, m.ID); n != 1 {
			t.Errorf("%d valid certificates after a refused reissue, want 1", n)
		}

		// Edited: waits for moderation, still valid; approved: linked again.
		if _, err := e.lib.Edit(ctx, author, m.ID, validInput(), nil, library.Meta{}); err != nil {
			t.Fatal(err)
		}
		if v := verify("edited", library.CertValid, library.StatusPending, false); v.MaterialWithdrawn() {
			t.Errorf("a pending material reads as withdrawn")
		}
		if err := e.lib.Approve(ctx, mod, m.ID); err != nil {
			t.Fatal(err)
		}
		verify("published again", library.CertValid, library.StatusPublished, true)

		// Withdrawn, then taken down: revoked.
		if err := e.lib.Withdraw(ctx, author, m.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.TakeDown(ctx, mod, m.ID, "not_own_work", ""); err != nil {
			t.Fatal(err)
		}
		if v := verify("taken down", library.CertRevoked, library.StatusTakenDown, false); v.Certificate.RevokeReason != "not_own_work" {
			t.Errorf("taken down: reason %q", v.Certificate.RevokeReason)
		}
		if _, _, err := e.lib.CertificatePrint(ctx, author, m.ID, i18n.KK); codeOf(err) != apperr.Conflict {
			t.Errorf("print after take-down: %v, want conflict", err)
		}
	})
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
