package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// TestBrowserCorrespondence walks the correspondence (clause 1.2 (a)) in
// a real headless Chromium on each engine: a teacher writes to the
// administration from /account/messages; an administrator finds the
// thread from /admin, reveals it with a purpose and answers; the answer
// arrives in a real SMTP server (the in-process catcher the site sends
// to); the test replies to it by SMTP at the site's listener, as the
// teacher's mail program would; the reply shows in the teacher's thread.
func TestBrowserCorrespondence(t *testing.T) {
	chrome := chromiumPath(t)
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) { corrBrowserWalk(t, chrome, e) })
	}
}

func corrBrowserWalk(t *testing.T, chrome string, e db.Engine) {
	const (
		subject = "Сабақ жоспарын жүктеу туралы сұрақ"
		body    = "Сәлеметсіз бе! Жоспарды қалай жүктеймін? Файл үлкен."
		answer  = "Сәлеметсіз бе! Файлды «Жаңа материал» бетінен жүктеңіз, 50 МБ-қа дейін."
		reply   = "Рахмет, жүктедім! Бәрі жақсы."
	)
	// Every mail of the site goes to a real SMTP server the test runs; it
	// writes each message where the test helpers read the outbox.
	dataDir := t.TempDir()
	catcher := startMailCatcher(t, filepath.Join(dataDir, "outbox"))
	srv := startServerOn(t, e, dataDir, dbtest.DSN(t, e), nil, "SMARTUSTAZ_SMTP=smtp://"+catcher,
		"SMARTUSTAZ_SMTP_LISTEN=127.0.0.1:0", "SMARTUSTAZ_REPLY_DOMAIN="+replyDomain)
	_, adminP := setupAdmin(t, srv)
	teacherP := newPerson("corr-browser")
	signup(t, srv, teacherP)

	browser := startBrowser(t, chrome)
	teacher := newTab(t, browser, srv.URL, "teacher", phoneView)
	admin := newTab(t, browser, srv.URL, "admin", desktopView)
	shot := func(b *tab, name string) { b.screenshot(string(e) + "-corr-" + name) }

	// The teacher writes from the account page's link.
	teacher.login(teacherP.Email, teacherP.Password)
	teacher.open("/account")
	teacher.submit(`main a[href="/account/messages"]`)
	if p := teacher.path(); p != "/account/messages" {
		t.Fatalf("the account page's link leads to %s", p)
	}
	teacher.fill([][2]string{{"f-subject", subject}, {"f-body", body}})
	teacher.submit(`form[action="/account/messages"] button[type=submit]`)
	if got, want := teacher.text("main .notice"), kkMsg("corr.sent"); got != want {
		t.Errorf("after sending, the page says %q, want %q (%s)", got, want, teacher.alertText())
	}
	if got := teacher.text("main .corr-threads a"); got != subject {
		t.Errorf("the thread is not listed under its subject")
	}
	shot(teacher, "messages-390")

	// The administrator: the list has no content; the reveal shows it.
	admin.login(adminP.Email, adminP.Password)
	admin.open("/admin")
	admin.submit(`main a[href="/admin/messages"]`)
	if strings.Contains(tabEval[string](admin, `document.querySelector('main').innerText`), subject) {
		t.Errorf("the administrators' list shows the subject before any reveal")
	}
	admin.submit(`main tbody tr a[href^="/admin/messages/"]`)
	threadPath := admin.path()
	admin.fill([][2]string{{"f-purpose", "Мұғалімнің сұрағына жауап беру үшін"}})
	admin.submit(`form[action$="/reveal"] button[type=submit]`)
	if got := admin.text("main .corr-subject"); got != subject {
		t.Errorf("the reveal does not show the subject")
	}
	if got := admin.text("main .corr-thread .corr-body"); got != body {
		t.Errorf("the reveal does not show the teacher's message")
	}
	admin.fill([][2]string{{"f-body", answer}})
	admin.submit(`form[action$="/answer"] button[type=submit]`)
	if got, want := admin.text("main .notice"), kkMsg("corr.admin.answered"); got != want {
		t.Errorf("after answering, the page says %q, want %q", got, want)
	}
	if p := admin.path(); !strings.HasPrefix(p, threadPath) {
		t.Errorf("after answering, the administrator is at %s", p)
	}
	shot(admin, "answered-1280")

	// The answer arrives at the SMTP server, with the thread's reply address.
	m := waitMailTo(t, srv, teacherP.Email, 2) // 1 is the verification
	if !strings.Contains(m.Text, answer) || !strings.Contains(m.Subject, subject) {
		t.Fatalf("the answer's email does not carry the answer under the thread's subject")
	}
	replyTo := rawHeader(t, m.File, "Reply-To")
	replyTo = strings.Trim(replyTo, "<>")
	if !strings.HasPrefix(replyTo, "reply+") || !strings.HasSuffix(replyTo, "@"+replyDomain) {
		t.Fatalf("the answer's Reply-To is not a reply+TOKEN@%s address", replyDomain)
	}

	// The teacher's mail program replies to the site's listener.
	if code := smtpSend(t, srv.smtpAddr(t), teacherP.Email, replyTo, replyEmail(replyTo, reply)); code != 0 {
		t.Fatalf("the listener refused the reply with %d", code)
	}

	// The thread in the teacher's browser: message, answer, reply.
	teacher.open("/account/messages")
	teacher.submit(`main .corr-threads a`)
	bodies := tabEval[[]string](teacher, `[...document.querySelectorAll('main .corr-thread .corr-body')].map(e => e.textContent.trim())`)
	if len(bodies) != 3 || bodies[0] != body || bodies[1] != answer || bodies[2] != reply {
		t.Errorf("the teacher's thread shows %d messages, want the message, the answer and the email reply in order", len(bodies))
	}
	if got := teacher.text("main .corr-thread .corr-admin .muted strong"); got != kkMsg("corr.from.admin") {
		t.Errorf("the answer is not marked as the administration's")
	}
	teacher.do(chromedp.WaitVisible(chromedp.CSS("main form button[type=submit]")))
	shot(teacher, "thread-390")
}
