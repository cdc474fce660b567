package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/telemetry"
)

const (
	// What a signed-in teacher's visits carry: the address their proxy
	// saw and a recognisable browser.
	telIP = "203.0.113.151"
	telUA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0 TelemetryProbe/4.2"
)

// getVia sends a GET as if through the site's own proxy (X-Forwarded-For).
func (c *client) getVia(path, xff string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return c.do(req)
}

// liveViews is the open day's count of a path in the aggregates.
func liveViews(t *testing.T, d *db.DB, path string) int {
	t.Helper()
	var n int
	err := d.QueryRow(context.Background(), `SELECT COALESCE(SUM(views), 0) FROM telemetry_live WHERE dim = 'path' AND value = ?`, path).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond for a few flush intervals.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 10s", what)
}

// TestE2ETelemetry: a signed-in teacher sees, decrypted, exactly what the
// site recorded of their visits (page, address from the trusted proxy,
// browser, topic) on /account/data and in the export; the database holds
// the address and browser string only sealed; visitors served from the
// page cache are counted; a graceful stop writes the last views; the
// administrators' statistics show the closed day (clauses 1.1, 1.2 (c),
// 1.2 (d)).
func TestE2ETelemetry(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			dsn := dbtest.DSN(t, e)
			srv, stop := launchServer(t, e, t.TempDir(), dsn, nil, true, "SMARTUSTAZ_TRUSTED_PROXY=127.0.0.0/8")
			d := openDB(t, srv)
			admin, _ := setupAdmin(t, srv)
			teacher := signup(t, srv, newPerson("tel"))
			acceptPending(t, teacher)
			teacher.UA = telUA
			for _, p := range []string{"/materials?subject=math", "/agreement/collected"} {
				if r := teacher.getVia(p, "198.51.100.200, "+telIP); r.Status != http.StatusOK {
					t.Fatalf("GET %s: %d", p, r.Status)
				}
			}
			// The visits are written within the flush interval.
			type exported struct {
				Technical []map[string]any `json:"technical"`
				Prefs     []struct {
					Kind  string `json:"kind"`
					Value string `json:"value"`
					Views int    `json:"views"`
				} `json:"preferences"`
			}
			var x exported
			var rec map[string]any
			waitFor(t, "the teacher's visits in their export", func() bool {
				x = exported{}
				if err := json.Unmarshal([]byte(teacher.get("/account/export.json").Body), &x); err != nil {
					t.Fatal(err)
				}
				for _, r := range x.Technical {
					if r["path"] == "/agreement/collected" {
						rec = r
					}
				}
				return rec != nil
			})
			if rec["ip"] != telIP || rec["ua"] != telUA || rec["browser"] != "Firefox 121" || rec["os"] != "Linux" || rec["device"] != "desktop" {
				t.Fatal("the exported record does not hold the address from the trusted proxy and the browser as sent")
			}
			if len(x.Prefs) != 1 || x.Prefs[0].Kind != "subject" || x.Prefs[0].Value != "math" || x.Prefs[0].Views != 1 {
				t.Fatalf("export preferences: %+v", x.Prefs)
			}
			page := teacher.get("/account/data")
			txt := page.Text()
			for i, want := range []string{telIP, telUA, "Firefox 121", `id="tech-records"`, "math", i18n.T(i18n.KK, "telemetry.data.technical")} {
				if !strings.Contains(page.Body, want) && !strings.Contains(txt, want) {
					t.Errorf("the data page does not show recorded value #%d", i)
				}
			}
			if strings.Contains(txt, "198.51.100.200") {
				t.Error("the address the client itself put in X-Forwarded-For was believed")
			}

			// The public page lists exactly what the recorder records
			// (telemetry.Defs), in the reader's language, from the footer.
			anonPage := newClient(t, srv)
			if login := anonPage.get("/login"); !strings.Contains(login.Body, `href="/agreement/collected"`) {
				t.Fatal("the visitor notice does not link the page of what is collected")
			}
			about := anonPage.get("/agreement/collected")
			for _, def := range telemetry.Defs {
				if !strings.Contains(about.Body, `id="def-`+def.Name+`"`) || !strings.Contains(about.Text(), i18n.T(i18n.KK, "telemetry.def."+def.Name+".why")) {
					t.Errorf("the page of what is collected does not describe %q", def.Name)
				}
			}
			if n := strings.Count(about.Body, `<tr id="def-`); n != len(telemetry.Defs) {
				t.Errorf("the page of what is collected lists %d items, the recorder %d", n, len(telemetry.Defs))
			}

			// The address and browser string are nowhere in plaintext.
			scanNoPlaintext(t, srv, []string{telIP, "TelemetryProbe/4.2"})

			// Visitors served from the page cache are counted: three
			// anonymous readers of the home page, the last two from the cache.
			anon := newClient(t, srv)
			before := liveViews(t, d, "/")
			for range 3 {
				if r := anon.get("/"); r.Status != http.StatusOK {
					t.Fatalf("GET /: %d", r.Status)
				}
			}
			waitFor(t, "three views of the home page counted", func() bool { return liveViews(t, d, "/") == before+3 })

			// Administrators see a user's records only through the
			// audited reveal.
			uid := teacher.export().Profile.ID
			userPage := "/admin/users/" + strconv.FormatInt(uid, 10)
			if r := admin.get(userPage); r.Status != http.StatusOK || strings.Contains(r.Body, telIP) || strings.Contains(r.Body, `id="tech-records"`) {
				t.Fatalf("the user's page shows technical records before a reveal (status %d)", r.Status)
			}
			rv := admin.post(userPage+"/reveal", url.Values{"purpose": {"Шағым бойынша техникалық тексеру"}})
			if rv.Status != http.StatusOK || !strings.Contains(rv.Body, `id="tech-records"`) || !strings.Contains(rv.Body, telIP) {
				t.Fatalf("the audited reveal does not show the user's technical records (status %d)", rv.Status)
			}

			// Deleting the account erases its records and preferences.
			p := newPerson("tel-del")
			gone := signup(t, srv, p)
			acceptPending(t, gone)
			gid := gone.export().Profile.ID
			gone.get("/materials?subject=math")
			waitFor(t, "the second teacher's visits written", func() bool {
				return count(t, d, `SELECT COUNT(*) FROM telemetry_preferences WHERE user_id = ?`, gid) > 0
			})
			if r := gone.post("/account/delete", url.Values{"password": {p.Password}}); r.Status != http.StatusOK {
				t.Fatalf("delete the account: %d", r.Status)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = ?`, gid) +
				count(t, d, `SELECT COUNT(*) FROM telemetry_preferences WHERE user_id = ?`, gid); n != 0 {
				t.Fatalf("%d technical rows of a deleted account are left", n)
			}

			// A graceful stop writes the views not yet written.
			for range 4 {
				anon.get("/agreement")
			}
			stop()
			if n := liveViews(t, d, "/agreement"); n != 4 {
				t.Fatalf("after a graceful stop %d of 4 views are in the database", n)
			}

			// The day closed, the statistics show it (aggregates only).
			if _, err := telemetry.CloseDays(context.Background(), d, time.Now().Add(24*time.Hour+telemetry.CloseGrace)); err != nil {
				t.Fatal(err)
			}
			srv2, _ := launchServer(t, e, srv.DataDir, dsn, nil, false, "SMARTUSTAZ_TRUSTED_PROXY=127.0.0.0/8")
			admin.base = srv2.URL
			today := time.Now().UTC().Format(time.DateOnly)
			// Every page was seen by fewer than 5 visitors: none is named,
			// all are "other" (k-anonymity), and the day's total is there.
			st := admin.get("/admin/stats?from=" + today + "&to=" + today)
			if st.Status != http.StatusOK || !strings.Contains(st.Body, "<svg id=\"stats-chart\"") ||
				!strings.Contains(st.Text(), i18n.T(i18n.KK, "telemetry.stats.other", telemetry.K)) {
				t.Fatalf("statistics page: %d, without the chart or the merged pages", st.Status)
			}
			csv := admin.get("/admin/stats.csv?from=" + today + "&to=" + today)
			if csv.Status != http.StatusOK || !strings.Contains(csv.Body, "day,"+today+",") || !strings.Contains(csv.Body, "path,other,") ||
				strings.Contains(csv.Body, "path,/agreement,") {
				t.Fatalf("CSV: %d, without the day's total and the merged pages, or naming a page of fewer than 5 visitors", csv.Status)
			}
			if strings.Contains(csv.Body, telIP) || strings.Contains(st.Body, telIP) {
				t.Fatal("the statistics name an address")
			}
			if r := admin.get("/admin/stats?from=2026-13-01"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text(), i18n.T(i18n.KK, "telemetry.stats.period")) {
				t.Fatalf("a bad period: %d, without the message", r.Status)
			}
		})
	}
}

// scanNoPlaintext reads the database raw (the SQLite file and WAL, or a
// pg_dump) and fails when a probe is in it.
func scanNoPlaintext(t *testing.T, srv *testServer, probes []string) {
	t.Helper()
	switch srv.Engine {
	case db.SQLite:
		path := strings.TrimPrefix(srv.DSN, "sqlite:")
		main, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wal, _ := os.ReadFile(path + "-wal")
		forms := probeForms(probes, false)
		noProbes(t, "the SQLite database file", main, forms)
		noProbes(t, "the SQLite WAL file", wal, forms)
	case db.Postgres:
		noProbes(t, "the pg_dump of the database", pgDump(t, srv.DSN), probeForms(probes, true))
	}
}
