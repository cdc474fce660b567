package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// On a phone (390 × 844) a teacher finds a material from the home page in
// one search: the search box is on the first screen, the results say how
// many matched, the filters wait behind a "Filters" button (a <details>,
// no script) so the first result is on the first screen without
// scrolling, the button opens them, and the material page has its
// Download button on the first screen. On a wide screen the filters show
// without the button (issue 13, section 1).
func TestFindingOnPhone(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { findingWalk(t, chrome, e) })
	}
}

// inView is JavaScript: whether the first element matching css is shown
// (checkVisibility: not inside a closed <details>) and lies entirely
// within the window as it is, unscrolled.
func inView(css string) string {
	return `(() => { const el = document.querySelector(` + jsString(css) + `); if (!el) return false;
		const r = el.getBoundingClientRect(); return el.checkVisibility() && window.scrollY === 0 && r.width > 0 && r.height > 0 &&
		r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; })()`
}

func findingWalk(t *testing.T, chrome string, e db.Engine) {
	dataDir, dsn := t.TempDir(), dbtest.DSN(t, e)
	env := map[string]string{"SMARTUSTAZ_DATA": dataDir, "SMARTUSTAZ_DB": dsn}
	var out, errs strings.Builder
	if err := run(context.Background(), []string{"smartustaz", "demo", "--users", "5", "--materials", "80"},
		func(k string) string { return env[k] }, strings.NewReader(""), &out, &errs); err != nil {
		t.Fatalf("demo: %v", err)
	}
	srv := startServerOn(t, e, dataDir, dsn, []string{"--page-images=false"})
	browser := startBrowser(t, chrome)
	phone := newTab(t, browser, srv.URL, "visitor", phoneView)

	phone.open("/")
	if !tabEval[bool](phone, inView("#home-q")) {
		t.Fatal("on a phone the home page's search box is not on the first screen")
	}
	if n := tabEval[int](phone, `document.querySelectorAll('main .mat-card').length`); n == 0 {
		t.Error("the home page shows no materials")
	}
	phone.fill([][2]string{{"home-q", "сабақ"}})
	phone.submit(`form.qbox button[type=submit]`)
	if p := phone.path(); !strings.HasPrefix(p, "/materials?q=") {
		t.Fatalf("the home page's search leads to %s", p)
	}
	if got := phone.text("main .found"); !strings.Contains(got, "«сабақ» бойынша") {
		t.Errorf("the results do not say how many matched: %q", got)
	}
	if tabEval[bool](phone, `document.querySelector('details.more').open`) {
		t.Error("on a phone the filters are open before the reader asks")
	}
	if !tabEval[bool](phone, inView("main .mat-card .mat-title")) {
		t.Error("on a phone the first result is not on the first screen")
	}
	phone.glance(string(e) + "-finding-results")
	if tabEval[bool](phone, inView("#f-subject")) {
		t.Error("the subject filter shows before the Filters button is pressed")
	}
	phone.do(chromedp.Click(chromedp.CSS("details.more summary")))
	phone.do(chromedp.WaitVisible(chromedp.ID("f-subject")))
	phone.screenshot(string(e) + "-finding-filters")

	href := tabEval[string](phone, `document.querySelector('main .mat-card .mat-title').getAttribute('href')`)
	phone.open(href)
	if !tabEval[bool](phone, inView("main .btn-dl")) {
		t.Error("on a phone the material page's Download button is not on the first screen")
	}
	if got := phone.text("main .btn-dl"); !strings.HasPrefix(got, "Жүктеп алу") {
		t.Errorf("the download button says %q", got)
	}
	phone.screenshot(string(e) + "-finding-material")

	wide := newTab(t, browser, srv.URL, "desktop", desktopView)
	wide.open("/materials?q=" + "%D1%81%D0%B0%D0%B1%D0%B0%D2%9B")
	if !tabEval[bool](wide, inView("#f-subject")) {
		t.Error("on a wide screen the filters are hidden behind the button")
	}
	if !tabEval[bool](wide, inView("main .mat-card .mat-title")) {
		t.Error("on a wide screen the first result is not on the first screen")
	}
}
