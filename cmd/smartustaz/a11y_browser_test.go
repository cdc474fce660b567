package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
)

// axeScript is where `npm ci` in scripts/a11y puts axe-core (the version
// pinned in scripts/a11y/package-lock.json).
const axeScript = "../../scripts/a11y/node_modules/axe-core/axe.min.js"

// axeBudget bounds the whole accessibility walk: some hundreds of pages,
// each loaded and checked by axe.
const axeBudget = 25 * time.Minute

// axeStep bounds one run of axe on one page.
const axeStep = 2 * time.Minute

// axeSource reads axe-core; without it the test is skipped, except in CI.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axeScript)
	if err == nil {
		return string(b)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("axe-core is required in CI: %v (run npm ci in scripts/a11y)", err)
	}
	t.Skipf("axe-core is not installed (%v): run `npm ci --omit=dev` in scripts/a11y to run the accessibility test", err)
	return ""
}

// axeViolation is one failed axe rule on a page, with the elements.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axeRun runs every axe rule that is not experimental on the whole
// document and returns the violations, elements as CSS paths and HTML.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || '', help: v.help,
	nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300), summary: n.failureSummary || ''}))})))`

// TestA11y loads every page of the site in headless Chromium, as an
// anonymous visitor, a signed-in teacher, a moderator and an
// administrator, on a 390 px phone and a desktop window, in Kazakh (and
// the main pages in Russian and English), runs axe-core on each and fails
// on any violation, naming the rule, the element and the page. The pages
// are those of TestE2EEveryPage (sitePages), so a new page is checked
// here too, plus pages that only exist with content: a published
// material with a rating and a comment, its author, a collection, the
// catalog and a search that find it, a certificate.
func TestA11y(t *testing.T) {
	axe := axeSource(t)
	chrome := chromiumPath(t)
	srv := startServer(t, db.SQLite, "SMARTUSTAZ_PAGE_IMAGES=false")

	// The people and the content, made over HTTP (fast); the browser only
	// reads pages.
	admin, _ := setupAdmin(t, srv)
	tp := newPerson("a11y-teacher")
	teacher := signup(t, srv, tp)
	mod := signup(t, srv, newPerson("a11y-moderator"))
	uid := strconv.FormatInt(teacher.export().Profile.ID, 10)
	mid := strconv.FormatInt(mod.export().Profile.ID, 10)
	wantStatus(t, "make a moderator", admin.post("/admin/users/"+mid+"/role", url.Values{"role": {"moderator"}}), http.StatusSeeOther)
	if r := publish(t, admin, "agreement", "Жаңа тармақ"); r.Status != http.StatusOK {
		t.Fatalf("publish the agreement: status %d", r.Status)
	}
	for _, c := range []*client{admin, teacher, mod} {
		acceptPending(t, c)
	}
	wantStatus(t, "publish under the name", teacher.post("/account/public", url.Values{"show_display_name": {"yes"}, "display_name": {tp.FullName}}), http.StatusSeeOther)
	matID := publishApproved(t, admin, teacher, "Абай жолы: 9-сыныпқа сабақ жоспары")
	wantStatus(t, "rate", mod.post("/materials/"+matID+"/rate", url.Values{"stars": {"4"}, "comment": {"Жақсы жоспар, рахмет"}}), http.StatusSeeOther)
	wantStatus(t, "save", mod.post("/materials/"+matID+"/save", url.Values{}), http.StatusSeeOther)
	r := mod.post("/collections", url.Values{"title": {"Әдебиет сабақтары"}, "public": {"yes"}})
	coll := regexp.MustCompile(`^/collections/(\d+)`).FindStringSubmatch(r.Location())
	if coll == nil {
		t.Fatalf("make a collection: status %d to %q", r.Status, r.Location())
	}
	wantStatus(t, "collect", mod.post("/materials/"+matID+"/collect", url.Values{"collection": {coll[1]}}), http.StatusSeeOther)
	wantStatus(t, "follow", mod.post("/authors/"+uid+"/follow", url.Values{}), http.StatusSeeOther)
	wantStatus(t, "certificate", teacher.post("/materials/"+matID+"/certificate", url.Values{"name": {tp.FullName}, "lang": {"kk"}, "show_name": {"yes"}}), http.StatusSeeOther)
	matPage := follow(teacher, "/materials/"+matID)
	wantStatus(t, "material page", matPage, http.StatusOK)
	matPath := "/materials/" + matID
	if m := regexp.MustCompile(`<link rel="canonical" href="[^"]*(/materials/[^"]+)"`).FindStringSubmatch(matPage.Body); m != nil {
		matPath = m[1]
	}
	css := staticRefRe.FindStringSubmatch(newClient(t, srv).get("/").Body)
	if css == nil {
		t.Fatalf("the home page links no static file")
	}

	// Who sees which page: sitePages' statuses. A redirect is left out
	// (the page it leads to is checked on its own); a page is checked as
	// the first visitor who gets it with that status (the header of each
	// role is checked on every page that role sees); an error page once
	// per visitor and status.
	type visit struct {
		path, who string
		phoneOnly bool // checked on the phone only: a role's view of a page already seen on the desktop
	}
	var visits []visit
	seen := map[string]bool{}
	whoNames := [3]string{"anonymous", "teacher", "admin"}
	for _, pg := range sitePages(css[1], uid) {
		for who, status := range pg.status {
			key := fmt.Sprint(pg.route, " ", status)
			if status >= 400 {
				key = fmt.Sprint(who, " ", status)
			}
			if !pg.html || status == http.StatusSeeOther || seen[key] {
				continue
			}
			seen[key] = true
			visits = append(visits, visit{pg.path, whoNames[who], false})
		}
	}
	content := []string{matPath, "/materials", "/materials?q=" + url.QueryEscape("Абай"), "/authors/" + uid, "/collections/" + coll[1],
		"/materials/" + matID + "/certificate"}
	for _, p := range content {
		for _, who := range []string{"anonymous", "teacher", "moderator", "admin"} {
			visits = append(visits, visit{p, who, who == "moderator" || who == "admin"})
		}
	}
	for _, p := range []string{"/account", "/account/saved", "/account/notifications", "/admin/moderation", "/admin/reports", "/admin"} {
		visits = append(visits, visit{p, "moderator", false})
	}

	browser := startBrowserFor(t, chrome, axeBudget)
	sessions := map[string]*client{"teacher": teacher, "moderator": mod, "admin": admin}
	tabs := map[string]*tab{}
	tabFor := func(who string, v viewport) *tab {
		key := fmt.Sprint(who, v.W)
		if b := tabs[key]; b != nil {
			return b
		}
		b := newTab(t, browser, srv.URL, who, v)
		if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe}); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
		if c := sessions[who]; c != nil {
			sid := c.cookie("sid")
			if sid == nil {
				t.Fatalf("%s has no session cookie", who)
			}
			if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: sid.Name, Value: sid.Value, URL: srv.URL}); err != nil {
				t.Fatalf("%s: set the session cookie: %v", who, err)
			}
		}
		tabs[key] = b
		return b
	}

	failures, loads := 0, 0
	check := func(b *tab, path, lang string, v viewport) {
		t.Helper()
		began := time.Now()
		b.open(path)
		if b.who != "anonymous" && strings.HasPrefix(b.path(), "/login") {
			t.Errorf("%s %s: sent to %s: the session did not reach the browser", b.who, path, b.path())
			return
		}
		loads++
		// axe takes seconds on a long page (the data map's tables), more
		// on a loaded machine: its own bound, not browserStep's.
		ctx, cancel := context.WithTimeout(b.ctx, axeStep)
		violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			t.Fatalf("axe on %s as %s, %dpx: %v", path, b.who, v.W, err)
		}
		if took := time.Since(began); took > 3*time.Second {
			t.Logf("slow: %s as %s, %dpx took %s", path, b.who, v.W, took.Round(time.Millisecond))
		}
		for _, vi := range violations {
			for _, n := range vi.Nodes {
				failures++
				if failures > 200 {
					continue
				}
				t.Errorf("axe %s (%s): %s\n  page: %s as %s, %s, %dpx\n  element: %s\n  %s\n  %s",
					vi.ID, vi.Impact, vi.Help, path, b.who, lang, v.W, n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n  "))
			}
		}
	}
	for _, v := range []viewport{phoneView, desktopView} {
		for _, vis := range visits {
			if vis.phoneOnly && v != phoneView {
				continue
			}
			check(tabFor(vis.who, v), vis.path, "kk", v)
		}
	}
	// Russian and English: the main pages on a phone.
	for _, lang := range []string{"ru", "en"} {
		for _, who := range []string{"anonymous", "teacher", "admin"} {
			b := tabFor(who, phoneView)
			b.open("/lang/" + lang + "?next=/")
			pages := []string{"/", "/materials", matPath, "/login", "/register"}
			if who == "teacher" {
				pages = []string{"/account", "/materials/new", "/account/materials", "/account/data"}
			} else if who == "admin" {
				pages = []string{"/admin", "/admin/users", "/admin/moderation"}
			}
			for _, p := range pages {
				check(b, p, lang, phoneView)
			}
			b.open("/lang/kk?next=/")
		}
	}
	t.Logf("axe-core checked %d page loads", loads)
	if failures > 200 {
		t.Errorf("%d violations in all (the first 200 shown)", failures)
	}
}
