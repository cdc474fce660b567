package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
)

// TestPublishFormBrowser: the publish form in a real Chromium (issue 13
// §4). The description's toolbar writes Markdown and Preview shows it as
// the material page will; a file over the limit is refused by the
// browser before anything is sent; a form the server refuses comes back
// with everything typed and ticked, only the files gone; and a slow
// upload shows a progress bar with a percentage while the submit button
// is disabled.
func TestPublishFormBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			srv := startServer(t, e, "SMARTUSTAZ_MAX_FILE_MB=2")
			browser := startBrowser(t, chrome)
			b := newTab(t, browser, srv.URL, "teacher", desktopView)
			b.registerVerified(srv, 0, newPerson("upload").Email, "Жүктеу-құпиясөзі-42", "Сәуле Жүктеуова")
			dir := t.TempDir()
			big := filepath.Join(dir, "үлкен.txt")
			os.WriteFile(big, []byte(strings.Repeat("үлкен файл ", 300_000)), 0o644) // ~3.6 MB
			small := filepath.Join(dir, "сабақ.txt")
			os.WriteFile(small, []byte(strings.Repeat("Құстар туралы сабақ. ", 40_000)), 0o644) // ~1.5 MB

			b.open("/materials/new")
			fillMaterial := func(title string) {
				b.fill([][2]string{{"f-title", title}, {"f-description", "Құстарды бақылау.\n\n**Мақсаты**: табиғат."}, {"f-tags", "құстар"}})
				b.do(
					chromedp.SetValue(chromedp.ID("f-subject"), "natural-science"),
					chromedp.SetValue(chromedp.ID("f-grade"), "3"),
					chromedp.SetValue(chromedp.ID("f-type"), "short-term-plan"),
				)
			}
			fillMaterial("Құстар")

			// The toolbar: select a word, press Bold; Preview renders it.
			b.do(chromedp.WaitVisible(chromedp.CSS(".md-toolbar")),
				chromedp.Evaluate[chromedp.Void](`(function(){var t=document.getElementById('f-description');
					t.value='Құстарды бақылау.'; t.focus(); t.setSelectionRange(0, 8);})()`),
				chromedp.Click(chromedp.CSS(`.md-toolbar button[data-md="bold"]`)))
			if got := tabGet(b, chromedp.Value(chromedp.ID("f-description"))); got != "**Құстарды** бақылау." {
				t.Errorf("Bold on a selected word gives %q", got)
			}
			b.do(chromedp.Click(chromedp.CSS(`.md-toolbar button[data-md="preview"]`)),
				chromedp.WaitVisible(chromedp.CSS("#description-preview strong")))
			if got := b.text("#description-preview strong"); got != "Құстарды" {
				t.Errorf("the preview shows %q in bold", got)
			}
			if tabEval[bool](b, `!document.getElementById('f-description').hidden`) {
				t.Errorf("the textarea stays visible during the preview")
			}
			b.do(chromedp.Click(chromedp.CSS(`.md-toolbar button[data-md="preview"]`)),
				chromedp.WaitVisible(chromedp.ID("f-description")))
			b.fill([][2]string{{"f-description", "Құстарды бақылау.\n\n**Мақсаты**: табиғат."}})

			// Over the limit: refused at once, nothing sent.
			b.do(chromedp.SetUploadFiles(chromedp.CSS(`input[name="files"]`), []string{big}))
			if got := b.text("#upload-error"); !strings.Contains(got, "үлкен.txt") || !strings.Contains(got, "2") {
				t.Errorf("a file over the limit: the message is %q, want the file's name and the limit", got)
			}
			if n := tabEval[int](b, `document.querySelector('input[name="files"]').files.length`); n != 0 {
				t.Errorf("the refused file is still in the input")
			}
			if p := b.path(); p != "/materials/new" {
				t.Errorf("after choosing a file over the limit the tab is at %s", p)
			}

			// Refused by the server (no title): everything else kept.
			b.fill([][2]string{{"f-title", " "}})
			b.do(
				chromedp.SetUploadFiles(chromedp.CSS(`input[name="files"]`), []string{small}),
				chromedp.Click(chromedp.ID("f-author_declaration")),
				chromedp.Click(chromedp.CSS(`form[data-upload] button[type=submit]`)),
				chromedp.WaitVisible(chromedp.ID("e-title")),
			)
			if got := tabGet(b, chromedp.Value(chromedp.ID("f-description"))); !strings.Contains(got, "Құстарды бақылау.") {
				t.Errorf("the refused form lost the description")
			}
			if got := tabGet(b, chromedp.Value(chromedp.ID("f-tags"))); got != "құстар" {
				t.Errorf("the refused form lost the tags")
			}
			if got := tabGet(b, chromedp.Value(chromedp.ID("f-subject"))); got != "natural-science" {
				t.Errorf("the refused form lost the subject: %q", got)
			}
			if !tabEval[bool](b, `document.getElementById('f-author_declaration').checked`) {
				t.Errorf("the refused form lost the author's declaration")
			}

			// A slow line: the bar moves, the button waits.
			if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(b.ctx, emulateNetwork, emulateNetworkParams{Latency: 20, DownloadThroughput: -1, UploadThroughput: 300 << 10}); err != nil {
				t.Fatalf("slow the network: %v", err)
			}
			b.fill([][2]string{{"f-title", "Құстар сабағы"}})
			b.do(
				chromedp.SetUploadFiles(chromedp.CSS(`input[name="files"]`), []string{small}),
			)
			if n := tabEval[int](b, `document.querySelector('input[name="files"]').files.length`); n != 1 {
				t.Fatalf("the file input holds %d files before sending, want 1", n)
			}
			b.do(
				chromedp.Evaluate[chromedp.Void](`window.__seen = []; new MutationObserver(function () {
					var b = document.querySelector('form[data-upload] button[type=submit]');
					window.__seen.push({pct: document.getElementById('upload-pct').textContent, disabled: b.disabled,
						shown: !document.getElementById('upload-progress').hidden});
				}).observe(document.getElementById('upload-pct'), {childList: true, characterData: true, subtree: true})`),
				chromedp.Click(chromedp.CSS(`form[data-upload] button[type=submit]`)),
			)
			material := regexp.MustCompile(`^/materials/\d+-`)
			deadline := time.Now().Add(40 * time.Second)
			var seen []progressSeen
			for !material.MatchString(b.path()) {
				if time.Now().After(deadline) {
					t.Logf("field messages: %s", tabEval[string](b, `Array.from(document.querySelectorAll('.err')).map(e => e.id + ': ' + e.textContent).join(' | ')`))
					t.Fatalf("the upload did not end on the material's page (at %s, alert %q, %d updates: %v)", b.path(), b.alertText(), len(seen), seen)

				}
				ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
				var s []progressSeen
				if v, err := chromedp.Run(ctx, chromedp.Evaluate[[]progressSeen](`window.__seen || []`)); err == nil {
					s = v
				}
				cancel()
				if len(s) > len(seen) {
					seen = s
				}
				time.Sleep(100 * time.Millisecond)
			}
			var between bool
			pctRe := regexp.MustCompile(`^(\d+)%$`)
			for _, s := range seen {
				m := pctRe.FindStringSubmatch(s.Pct)
				if m == nil {
					t.Errorf("the percentage reads %q", s.Pct)
					continue
				}
				if m[1] != "0" && m[1] != "100" {
					between = true
				}
				if !s.Disabled || !s.Shown {
					t.Errorf("at %s the submit button is enabled or the bar hidden", s.Pct)
				}
			}
			if !between {
				t.Errorf("the progress bar never showed a value between 0%% and 100%% (%d updates)", len(seen))
			}
		})
	}
}

// progressSeen is one change of the upload percentage, as the page saw it.
type progressSeen struct {
	Pct      string `json:"pct"`
	Disabled bool   `json:"disabled"`
	Shown    bool   `json:"shown"`
}

// emulateNetwork is DevTools' Network.emulateNetworkConditions, which
// throttles uploads too (cdproto keeps only the by-rule form).
var emulateNetwork = cdp.Command[emulateNetworkParams, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

type emulateNetworkParams struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

// chopped lists, for every word of six characters or more in main that
// the browser laid out on several lines with fewer than four characters
// a line (a long number or word broken one letter per line), the tag of
// its element and its line count — never the word itself, which may be
// personal data.
const chopped = `(function(){
  var bad = [], w = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT), n;
  while ((n = w.nextNode())) {
    var re = /\S{6,}/g, m;
    while ((m = re.exec(n.data))) {
      var r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      var tops = {}, lines = 0;
      Array.prototype.forEach.call(r.getClientRects(), function (x) {
        if (x.width > 0 && !tops[Math.round(x.top)]) { tops[Math.round(x.top)] = 1; lines++; }
      });
      if (lines > 1 && m[0].length / lines < 4) {
        bad.push(n.parentElement.tagName.toLowerCase() + '.' + n.parentElement.className + ' (' + m[0].length + ' characters on ' + lines + ' lines)');
      }
    }
  }
  return bad;
})()`

// TestLongWordsBrowser: on a 390 px phone, long numbers and words (report
// and user ids, dates, certificate numbers, a school's long name) never
// break one letter per line, on the report register and the account page;
// and a material page prints without the site's furniture (issue 13 §5).
func TestLongWordsBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			srv := startServer(t, e, "SMARTUSTAZ_PUBLISH_IMMEDIATELY=true")
			admin, ap := setupAdmin(t, srv)
			p := newPerson("long")
			p.Organization = "Жалпыбілімберетінмектепгимназиякешені№" + strings.Repeat("1234567890", 3)
			teacher := signup(t, srv, p)
			r := teacher.postMultipart("/materials/new", materialForm("Ұзынсөздерменжазылғанматериалатауы 12345678901234567890"),
				upload{"сабақ.txt", []byte("Сабақ.")})
			id := materialPathRe.FindStringSubmatch(r.Location())
			if id == nil {
				t.Fatalf("publish: status %d", r.Status)
			}
			if r := teacher.post("/materials/"+id[1]+"/certificate", url.Values{"name": {p.FullName}, "lang": {"kk"}}); r.Status != http.StatusSeeOther {
				t.Fatalf("certificate: status %d", r.Status)
			}
			for i := 0; i < 2; i++ {
				newClient(t, srv).post("/materials/"+id[1]+"/report", url.Values{"reason": {"wrong_content"}, "text": {"Шағым мәтіні"}})
			}
			_ = admin

			browser := startBrowser(t, chrome)
			for _, c := range []struct {
				who, email, password, path string
			}{
				{"administrator", ap.Email, ap.Password, "/admin/reports"},
				{"teacher", p.Email, p.Password, "/account"},
				{"teacher", p.Email, p.Password, "/account/sessions"},
				{"teacher", p.Email, p.Password, "/account/materials"},
			} {
				b := newTab(t, browser, srv.URL, c.who, phoneView)
				b.login(c.email, c.password)
				b.open(c.path)
				if b.path() != c.path {
					t.Fatalf("%s: at %s, want %s", c.who, b.path(), c.path)
				}
				for _, bad := range tabEval[[]string](b, chopped) {
					t.Errorf("%s at 390 px: %s", c.path, bad)
				}
				b.screenshot(strings.ReplaceAll(strings.Trim(c.path, "/"), "/", "-") + "-390")
			}

			// Printed, a material page is the material: no header, menus,
			// footer or buttons (ui/static/print.css).
			b := newTab(t, browser, srv.URL, "reader", desktopView)
			b.open(id[0])
			if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
			for _, sel := range []string{"header.top", "footer.foot", "main form", "main .btn"} {
				if shown := tabEval[bool](b, `Array.from(document.querySelectorAll('`+sel+`')).some(e => getComputedStyle(e).display !== 'none')`); shown {
					t.Errorf("printed material page shows %s", sel)
				}
			}
			if tabEval[string](b, `getComputedStyle(document.querySelector('main h1')).display`) == "none" {
				t.Errorf("printed material page hides its title")
			}
		})
	}
}
