package library_test

import (
	"bytes"
	"context"
	"mime"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
)

// A report joins the register of complaints (clause 3.2, issue 12 §3):
// a visitor leaves words and an address, both sealed; a bad address is
// refused with nothing written; the visitor receives the decision in
// their language at that address, a signed-in reporter at their
// account's.
func TestReportDecisionMailed(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		outbox := t.TempDir()
		e := newEnv(t, d, library.Options{Mail: mail.NewOutbox(outbox, ""), PublishImmediately: true,
			Contacts: func(ctx context.Context, id int64) (string, i18n.Lang, error) {
				return "reporter@mektep.test", i18n.KK, nil
			}})
		author, reporter, mod := e.user("user"), e.user("user"), e.user("moderator")
		m1, err := e.publish(author, validInput(), upload{"a.pdf", pdf(t, "a")})
		if err != nil {
			t.Fatal(err)
		}
		m2, err := e.publish(author, validInput(), upload{"b.pdf", pdf(t, "b")})
		if err != nil {
			t.Fatal(err)
		}
		const visitor, words = "visitor.reporter@example.kz", "Бұл менің суретім, рұқсат бермедім"
		if _, err := e.lib.Report(ctx, m1.ID, library.ReportInput{Reason: library.ReasonCopyright, Text: words, Contact: "not an address"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a bad address: %v", err)
		}
		if n := e.rows("reports"); n != 0 {
			t.Fatalf("%d reports written for a refused form", n)
		}
		if _, err := e.lib.Report(ctx, m1.ID, library.ReportInput{Reason: library.ReasonCopyright, Text: words, Contact: visitor, Lang: i18n.RU}); err != nil {
			t.Fatal(err)
		}
		rows, _ := d.Query(ctx, `SELECT COALESCE(text_enc, ''), COALESCE(contact_enc, '') FROM reports`)
		for rows.Next() {
			var a, b []byte
			rows.Scan(&a, &b)
			if bytes.Contains(a, []byte(words)) || bytes.Contains(b, []byte(visitor)) {
				t.Errorf("a visitor's report is stored in plaintext")
			}
		}
		rows.Close()
		open, _ := e.lib.Reports(ctx, true, 10)
		one, err := e.lib.ReportByID(ctx, open[0].ID, true)
		if err != nil || one.Contact.Reveal() != visitor || one.Text.Reveal() != words {
			t.Fatalf("the administrator cannot read the visitor's report (%v)", err)
		}
		if _, err := e.lib.Report(ctx, m2.ID, library.ReportInput{Reason: library.ReasonOther, ReporterID: reporter}); err != nil {
			t.Fatal(err)
		}
		if err := e.lib.TakeDown(ctx, mod, m1.ID, "not_own_work", ""); err != nil {
			t.Fatal(err)
		}
		open, _ = e.lib.Reports(ctx, true, 10)
		if len(open) != 1 {
			t.Fatalf("%d open reports, want the signed-in reporter's", len(open))
		}
		if err := e.lib.Dismiss(ctx, mod, open[0].ID); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
		var toVisitor, toReporter bool
		for _, f := range files {
			raw, _ := os.ReadFile(f)
			msg, err := netmail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			to := msg.Header.Get("To")
			if strings.Contains(to, visitor) {
				toVisitor = subject == i18n.T(i18n.RU, "library.mail.report_decided.subject")
			}
			if strings.Contains(to, "reporter@mektep.test") {
				toReporter = subject == i18n.T(i18n.KK, "library.mail.report_decided.subject")
			}
		}
		if !toVisitor || !toReporter {
			t.Errorf("decision mailed: to the visitor %v, to the signed-in reporter %v (%d messages)", toVisitor, toReporter, len(files))
		}
	})
}
