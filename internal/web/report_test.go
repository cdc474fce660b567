package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
)

// Reports are limited per client address: a visitor's first ten reports
// cost nothing, the eleventh starts a block during which a report is
// refused with a 429 and a sentence in the reader's language and nothing
// reaches the register; another address still reports, and the block
// lifts.
func TestReportsLimitedPerAddress(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		clk := newClock()
		srv, lib := newSiteWith(t, d, account.Options{Now: clk.Now})
		author := newUser(t, srv, "author@mail.kz")
		mid := publishMaterial(t, lib, author.ID, author.ID)
		path := fmt.Sprintf("/materials/%d/report", mid)
		form := url.Values{"reason": {"copyright"}}
		registered := func() int {
			var n int
			if err := d.QueryRow(t.Context(), `SELECT COUNT(*) FROM reports`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		bot := newBrowser(t, srv, "203.0.113.50")
		for i := 1; i <= 11; i++ {
			if r := bot.post(path, form); r.Status != http.StatusOK {
				t.Fatalf("report %d: status %d", i, r.Status)
			}
		}
		for _, l := range i18n.Langs {
			bot.lang = string(l)
			r := bot.post(path, form)
			if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
				t.Errorf("report past the limit (%s): status %d, Retry-After %q", l, r.Status, r.Header.Get("Retry-After"))
			}
			if !strings.Contains(r.Text(), i18n.T(l, "library.report.limited")) {
				t.Errorf("report past the limit (%s): the page does not say why", l)
			}
		}
		if n := registered(); n != 11 {
			t.Errorf("%d reports in the register, want the 11 that were let through", n)
		}
		if r := newBrowser(t, srv, "203.0.113.51").post(path, form); r.Status != http.StatusOK {
			t.Errorf("another address: status %d", r.Status)
		}
		clk.Add(2 * time.Second)
		if r := bot.post(path, form); r.Status != http.StatusOK {
			t.Errorf("after the block: status %d", r.Status)
		}
	})
}

// A reporter's words are their personal data: the register shows that a
// report has text but not the text, to administrators too; an
// administrator opens it by stating a purpose, which writes an audit
// entry naming the administrator, the reporter and the purpose before
// the text is shown. Without a purpose nothing opens and nothing is
// written; a moderator cannot open it.
func TestReportTextRevealAudited(t *testing.T) {
	const secret = "Менің ЖСН-ім 900101300123 осы құжатта жарияланған"
	const purpose = "Шағымды қарау: дербес деректердің жариялануын тексеру"
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		srv, lib := newSite(t, d)
		author := newUser(t, srv, "author@mail.kz")
		mid := publishMaterial(t, lib, author.ID, author.ID)
		reporter := newUser(t, srv, "reporter@mail.kz")
		rb := signIn(t, srv, "reporter@mail.kz", "198.51.100.31")
		if r := rb.post(fmt.Sprintf("/materials/%d/report", mid), url.Values{"reason": {"personal_data"}, "text": {secret}}); r.Status != http.StatusOK {
			t.Fatalf("report: status %d", r.Status)
		}
		var rid int64
		if err := d.QueryRow(ctx, `SELECT id FROM reports`).Scan(&rid); err != nil {
			t.Fatal(err)
		}
		admin := newAdmin(t, srv, "admin@mail.kz")
		adminUser, _ := srv.Accounts.FindByEmail(ctx, "admin@mail.kz")
		newUser(t, srv, "moderator@mail.kz")
		modUser, _ := srv.Accounts.FindByEmail(ctx, "moderator@mail.kz")
		if err := srv.Accounts.SetRole(ctx, modUser.ID, account.RoleModerator, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		mod := signIn(t, srv, "moderator@mail.kz", "198.51.100.32")
		reveal := fmt.Sprintf("/admin/reports/%d/reveal", rid)
		reveals := func() []audit.Entry {
			es, err := srv.Audit.ForTarget(ctx, reporter.ID, 50)
			if err != nil {
				t.Fatal(err)
			}
			return es
		}

		reg := admin.get("/admin/reports")
		if reg.Status != http.StatusOK || strings.Contains(reg.Text(), secret) {
			t.Fatalf("the administrator's register: status %d, shows the text %v", reg.Status, strings.Contains(reg.Text(), secret))
		}
		if !strings.Contains(reg.Body, `action="`+reveal+`"`) {
			t.Errorf("the register offers no way to open the text")
		}
		if r := mod.get("/admin/reports"); r.Status != http.StatusOK || strings.Contains(r.Text(), secret) {
			t.Errorf("the moderator's register: status %d, shows the text %v", r.Status, strings.Contains(r.Text(), secret))
		}
		if r := mod.post(reveal, url.Values{"purpose": {purpose}}); r.Status != http.StatusForbidden || strings.Contains(r.Text(), secret) {
			t.Errorf("a moderator opening the text: status %d", r.Status)
		}
		if r := admin.post(reveal, url.Values{"purpose": {"смотрю"}}); r.Status != http.StatusUnprocessableEntity || strings.Contains(r.Text(), secret) {
			t.Errorf("no real purpose: status %d, text shown %v", r.Status, strings.Contains(r.Text(), secret))
		}
		if n := len(reveals()); n != 0 {
			t.Fatalf("%d audit entries before any text was shown", n)
		}

		r := admin.post(reveal, url.Values{"purpose": {purpose}})
		if r.Status != http.StatusOK || !strings.Contains(r.Text(), secret) {
			t.Fatalf("reveal: status %d, text shown %v", r.Status, strings.Contains(r.Text(), secret))
		}
		es := reveals()
		if len(es) != 1 || es[0].ActorID != adminUser.ID || es[0].Action != audit.ActionReveal || es[0].Purpose != purpose ||
			!strings.Contains(es[0].Detail, fmt.Sprint(rid)) {
			t.Fatalf("audit after the reveal: %+v", es)
		}
		if strings.Contains(es[0].Detail+es[0].Purpose, "900101300123") {
			t.Errorf("the audit entry holds the reporter's words")
		}
		if r := admin.get("/admin/reports"); strings.Contains(r.Text(), secret) {
			t.Errorf("after one reveal the register shows the text")
		}
	})
}
