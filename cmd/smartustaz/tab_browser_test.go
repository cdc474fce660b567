package main

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// browserStep bounds one browser step (a navigation, a click and the page
// it loads, a wait for an element). Generous for a loaded CI machine, so a
// hang fails the test quickly instead of reaching go test's global timeout.
const browserStep = 20 * time.Second

// browserBudget bounds a whole browser's life: one walk on one engine.
const browserBudget = 3 * time.Minute

// chromiumPath finds Debian's chromium; the browser test is skipped without
// it, except in CI, where a skip would hide a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is required in CI but is not installed (apt-get install chromium)")
	}
	t.Skip("chromium is not installed: skipping the real-browser test (apt-get install chromium to run it)")
	return ""
}

// startBrowser launches a fresh headless Chromium with its own profile
// folder and returns a context that owns it; it quits when the test ends.
func startBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	return startBrowserFor(t, path, browserBudget)
}

// startBrowserFor is startBrowser for a walk longer than browserBudget.
func startBrowserFor(t *testing.T, path string, budgetTime time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	budget, cancelBudget := context.WithTimeout(context.Background(), budgetTime)
	alloc, cancelAlloc := chromedp.NewExecAllocator(budget, opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc(); cancelBudget() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// tab is one person's browser: its own browser context (cookie jar), so
// the teacher and the administrator stay signed in side by side.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	who  string
	// shots is where screenshots go: the test's temp dir, or
	// $SMARTUSTAZ_TEST_SHOTS when set, to look at them by hand; then
	// review also takes the extra ones.
	shots  string
	review bool
}

// viewport is the window a tab emulates.
type viewport struct {
	W, H   int64
	Mobile bool
}

var (
	phoneView   = viewport{390, 844, true}
	desktopView = viewport{1280, 900, false}
)

// newTab opens a tab in a new browser context whose language is Kazakh, as
// a Kazakh teacher's browser would ask for.
func newTab(t *testing.T, browser context.Context, base, who string, v viewport) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("%s: open tab: %v", who, err)
	}
	b := &tab{t: t, ctx: ctx, base: base, who: who, shots: t.TempDir()}
	if d := os.Getenv("SMARTUSTAZ_TEST_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		b.shots, b.review = d, true
	}
	var opts []chromedp.EmulateViewportOption
	if v.Mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	b.do(chromedp.EmulateViewport(v.W, v.H, opts...))
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.5"}}); err != nil {
		t.Fatalf("%s: set language: %v", who, err)
	}
	return b
}

// do runs steps with a timeout and fails the test with where the tab was.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (page %s)", b.who, err, b.path())
	}
}

// tabGet runs one action that returns a value.
func tabGet[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v (page %s)", b.who, err, b.path())
	}
	return v
}

// open navigates to a path of the site and waits for it to load.
func (b *tab) open(path string) {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	b.do(chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("main")))
}

// submit clicks a button and waits for the page it loads.
func (b *tab) submit(button string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button))); err != nil {
		b.t.Fatalf("%s: submit %s: %v (page %s)", b.who, button, err, b.path())
	}
	b.do(chromedp.WaitReady(chromedp.CSS("main")))
}

// fill puts text into the inputs named by id as a keyboard or a phone's
// input method does: focus, select what is there, insert the text (one
// Input.insertText each, which is much faster than a key event per letter
// and takes Kazakh letters as they are).
func (b *tab) fill(fields [][2]string) {
	b.t.Helper()
	for _, f := range fields {
		b.do(chromedp.Focus(chromedp.ID(f[0])),
			chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: f[1]})
				return err
			}))
		if got := tabGet(b, chromedp.Value(chromedp.ID(f[0]))); got != f[1] {
			b.t.Fatalf("%s: the field %s does not hold what was typed", b.who, f[0])
		}
	}
}

// path is the address bar without the origin ("?" when unknown). Its own
// short timeout, since it also runs after a step's deadline passed.
func (b *tab) path() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "?"
	}
	return u.RequestURI()
}

// text is the visible text of the first element matching a CSS selector,
// after waiting for it to be visible.
func (b *tab) text(css string) string {
	b.t.Helper()
	b.do(chromedp.WaitVisible(chromedp.CSS(css)))
	return strings.TrimSpace(tabGet(b, chromedp.Text(chromedp.CSS(css))))
}

// tabEval evaluates a JavaScript expression in the page.
func tabEval[T any](b *tab, js string) T {
	b.t.Helper()
	return tabGet(b, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// screenshot saves the whole page as name.png and fails if the page is
// wider than the window (sideways scrolling on a phone).
func (b *tab) screenshot(name string) {
	b.t.Helper()
	png := tabGet(b, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if over := tabEval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		b.t.Errorf("%s: %s is %dpx wider than the window: the page scrolls sideways", b.who, name, over)
	}
}

// glance is a screenshot only for a review by hand
// ($SMARTUSTAZ_TEST_SHOTS), so the usual run stays fast.
func (b *tab) glance(name string) {
	b.t.Helper()
	if b.review {
		b.screenshot(name)
	}
}

// mailLink returns the first link in an email's text parts that starts
// with prefix. The parts are MIME multipart, Kazakh text base64 or
// quoted-printable, as mail clients receive them.
func mailLink(t *testing.T, raw, prefix string) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("read email: %v", err)
	}
	texts, err := mailTexts(msg.Header, msg.Body)
	if err != nil {
		t.Fatalf("read email body: %v", err)
	}
	for _, s := range texts {
		if i := strings.Index(s, prefix); i >= 0 {
			s = s[i:]
			if j := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(`"<>`, r) }); j >= 0 {
				s = s[:j]
			}
			return s
		}
	}
	t.Fatalf("no link starting with %s in the email (%d text parts)", prefix, len(texts))
	return ""
}

type mimeHeader interface{ Get(string) string }

// mailTexts decodes every text/* part of a MIME entity, depth first.
func mailTexts(h mimeHeader, body io.Reader) ([]string, error) {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		var out []string
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return out, nil
			}
			if err != nil {
				return nil, err
			}
			sub, err := mailTexts(p.Header, p)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
	}
	if !strings.HasPrefix(mt, "text/") {
		return nil, nil
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	return []string{string(b)}, nil
}

// kazakhLetters are the letters of Kazakh Cyrillic that Russian lacks.
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

// cyrillicOnly reports whether every letter of s is Cyrillic (and there is
// at least one letter): a message in Kazakh or Russian, not an i18n key or
// English.
func cyrillicOnly(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.Is(unicode.Cyrillic, r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}
