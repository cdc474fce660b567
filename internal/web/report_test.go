package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
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
