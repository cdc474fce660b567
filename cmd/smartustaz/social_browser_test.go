package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
)

// TestSocialBrowser walks issue 13 §2–§3 in a real headless Chromium on
// each engine: an author publishes under the name from their profile by
// ticking the box on the publish form (clause 1.4), and the name shows on
// the material page and the catalog; a second teacher saves the material,
// rates it with a comment, follows the author; the author's inbox and
// email tell of the comment; the author publishes again; the next day's
// digest reaches the follower once, with a one-click link that turns it
// off without signing in.
func TestSocialBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { socialWalk(t, chrome, e) })
	}
}

func socialWalk(t *testing.T, chrome string, e db.Engine) {
	// Fixtures, not real people; never printed.
	const (
		authorEmail = "saule.social@example.kz"
		authorPass  = "Сәуленің-құпиясы-2026"
		authorName  = "Сәуле Мұғалімова"
		readerEmail = "arman.social@example.kz"
		readerPass  = "Арманның-құпиясы-2026"
		readerName  = "Арман Оқырманов"
		title1      = "Бөлшектерді қосу: 5-сыныпқа сабақ жоспары"
		title2      = "Ондық бөлшектер: жұмыс парағы"
		comment     = "Рахмет, сабаққа дайын жоспар!"
	)
	srv := startServer(t, e, "SMARTUSTAZ_PUBLISH_IMMEDIATELY=true")
	browser := startBrowser(t, chrome)
	author := newTab(t, browser, srv.URL, "author", desktopView)
	reader := newTab(t, browser, srv.URL, "reader", phoneView)
	visitor := newTab(t, browser, srv.URL, "visitor", desktopView)
	author.registerVerified(srv, len(srv.outbox(t)), authorEmail, authorPass, authorName)
	reader.registerVerified(srv, len(srv.outbox(t)), readerEmail, readerPass, readerName)

	dir := t.TempDir()
	publish := func(title string, underName bool) string {
		t.Helper()
		file := filepath.Join(dir, "жоспар.txt")
		if err := os.WriteFile(file, []byte(title+". Сабақтың мақсаты: бөлшектерді қосуды үйрену."), 0o644); err != nil {
			t.Fatal(err)
		}
		author.open("/materials/new")
		if got := author.text(`label[for="f-publish_name"]`); got != kkMsg("social.publish_name", authorName) {
			t.Fatalf("the publish form offers %q, not the name from the profile", got)
		}
		author.fill([][2]string{{"f-title", title}, {"f-description", "Бөлшектер тақырыбы."}})
		author.do(
			chromedp.SetValue(chromedp.ID("f-subject"), "mathematics"),
			chromedp.SetValue(chromedp.ID("f-grade"), "5"),
			chromedp.SetValue(chromedp.ID("f-type"), "short-term-plan"),
			chromedp.SetValue(chromedp.ID("f-language"), "kk"),
			chromedp.SetUploadFiles(chromedp.CSS(`input[name="files"]`), []string{file}),
			chromedp.Click(chromedp.ID("f-author_declaration")),
		)
		if checked := tabEval[bool](author, `document.getElementById('f-publish_name').checked`); checked != underName {
			author.do(chromedp.Click(chromedp.ID("f-publish_name")))
		}
		author.submit(`form[action="/materials/new"] button[type=submit]`)
		p := regexp.MustCompile(`^/materials/\d+-[a-z0-9-]+`).FindString(author.path())
		if p == "" {
			t.Fatalf("after publishing the author is at %s (alert %q)", author.path(), author.alertText())
		}
		return p
	}

	// Published under the name the author ticked.
	path1 := publish(title1, true)
	visitor.open(path1)
	if got := visitor.text(`main .kv a[href^="/authors/"]`); got != authorName {
		t.Errorf("the material page names the author %q", got)
	}
	visitor.open("/materials")
	if got := visitor.text(`main .mat-card .mat-author`); got != authorName {
		t.Errorf("the catalog card names the author %q", got)
	}

	// The reader saves, rates with a comment, follows.
	reader.open(path1)
	reader.submit(`#b-save`)
	if got := reader.text("main .notice"); got != kkMsg("social.done.saved") {
		t.Errorf("after saving the page says %q", got)
	}
	reader.do(chromedp.Click(chromedp.ID("f-stars-5")))
	reader.fill([][2]string{{"f-comment", comment}})
	reader.submit(`#b-rate`)
	if got := reader.text("main .notice"); got != kkMsg("social.done.comment_published") {
		t.Errorf("after rating the page says %q", got)
	}
	if got := reader.text("main .comment-body"); got != comment {
		t.Errorf("the comment shows as %q", got)
	}
	if got := reader.text("main dd.mat-rating"); got != kkMsg("social.rating.short", "5.0", 1) {
		t.Errorf("the rating shows as %q", got)
	}
	reader.glance(string(e) + "-social-material-390")
	reader.submit(`#b-follow`)
	if got := reader.text("main .notice"); got != kkMsg("social.done.followed") {
		t.Errorf("after following the page says %q", got)
	}
	reader.open("/account/saved")
	reader.glance(string(e) + "-social-saved-390")
	if !strings.Contains(tabEval[string](reader, `document.querySelector('main').innerText`), title1) {
		t.Errorf("the saved page does not list the material")
	}

	// The author is told of the comment: by email and in the inbox.
	if ms := mailsTo(t, srv, authorEmail); len(ms) == 0 || ms[len(ms)-1].Subject != kkMsg("social.comment.mail.subject") {
		t.Errorf("the author got no email about the comment")
	}
	author.open("/account/notifications")
	author.glance(string(e) + "-social-inbox-1280")
	if !strings.Contains(tabEval[string](author, `document.querySelector('main').innerText`), kkMsg("social.inbox.kind.comment")) {
		t.Errorf("the author's inbox does not have the comment")
	}

	// A new material; the follower's inbox has it at once.
	publish(title2, true)
	reader.open("/account/notifications")
	if !strings.Contains(tabEval[string](reader, `document.querySelector('main').innerText`), title2) {
		t.Errorf("the follower's inbox does not have the new material")
	}

	// Tomorrow's digest reaches the follower once.
	before := len(mailsTo(t, srv, readerEmail))
	at := time.Now().Add(24 * time.Hour).Format(time.RFC3339)
	for i := 0; i < 2; i++ { // a second run for the same day sends nothing
		if out, err := srv.runCmd(t, "", "digest", "--at", at, "--base-url", srv.URL); err != nil {
			t.Fatalf("digest: %v", err)
		} else if i == 1 && !strings.Contains(out, "0 digest(s) queued") {
			t.Errorf("a second run for the same day: %q", out)
		}
	}
	ms := mailsTo(t, srv, readerEmail)
	if len(ms) != before+1 {
		t.Fatalf("the follower got %d digests, want 1", len(ms)-before)
	}
	digest := ms[len(ms)-1]
	if digest.Subject != kkMsg("social.digest.mail.subject.daily") || !strings.Contains(digest.Text, title2) || !strings.Contains(digest.HTML, title2) {
		t.Errorf("the digest does not list the new material")
	}
	raw, err := os.ReadFile(digest.File)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "List-Unsubscribe:") {
		t.Errorf("the digest has no List-Unsubscribe header")
	}

	// One click, not signed in.
	visitor.open(mailLink(t, string(raw), srv.URL+"/digest/unsubscribe?"))
	visitor.submit(`#b-unsubscribe`)
	if got := visitor.text("main .notice"); got != kkMsg("social.unsubscribe.done") {
		t.Errorf("after unsubscribing the page says %q", got)
	}
	reader.open("/account/notifications")
	if !tabEval[bool](reader, `document.getElementById('f-frequency-off').checked`) {
		t.Errorf("after unsubscribing the reader's digest is not off")
	}
}
