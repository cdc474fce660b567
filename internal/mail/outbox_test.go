package mail

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

const testLink = "https://smartustaz.kz/verify?token=Zm9v_YmFy-42&lang=kk"

// kazakhLetters holds every letter that Kazakh adds to Russian Cyrillic,
// lower and upper case, in a subject long enough that go-mail must split
// it into several encoded-words (a letter cut in half would show here).
const kazakhLetters = "Әріптер: ә ғ қ ң ө ұ ү һ і — Ә Ғ Қ Ң Ө Ұ Ү Һ І; " +
	"Қазақ тілінің әріптері хат тақырыбында бүтін жетуі керек: әсем, ғалым, қалам, өнер, ұстаз, үміт, һәм, ізгі"

// emlFiles lists the .eml files in dir and fails on any other file.
func emlFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".eml") {
			t.Errorf("unexpected file left in the outbox: %s", e.Name())
			continue
		}
		names = append(names, filepath.Join(dir, e.Name()))
	}
	return names
}

func TestOutboxWritesOneReadableEML(t *testing.T) {
	custom := func(l i18n.Lang) Message {
		m := VerifyEmail(l, recipient, testLink)
		m.Subject = kazakhLetters
		return m
	}
	cases := []struct {
		name        string
		msg         Message
		wantSubject string
	}{
		{"verify kk", VerifyEmail(i18n.KK, recipient, testLink), "Электрондық поштаңызды растаңыз"},
		{"verify ru", VerifyEmail(i18n.RU, recipient, testLink), "Подтвердите адрес электронной почты"},
		{"verify en", VerifyEmail(i18n.EN, recipient, testLink), "Confirm your email address"},
		// kk and ru go out in base64, en in quoted-printable: both paths.
		{"kazakh letters base64", custom(i18n.KK), kazakhLetters},
		{"kazakh letters quoted-printable", custom(i18n.EN), kazakhLetters},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "outbox")
			o := NewOutbox(dir, "")
			if err := o.Send(context.Background(), tc.msg); err != nil {
				t.Fatalf("Send: %v", redact(err))
			}
			files := emlFiles(t, dir)
			if len(files) != 1 {
				t.Fatalf("outbox holds %d .eml files, want 1", len(files))
			}
			st, err := os.Stat(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("file mode %v, want 0600", st.Mode().Perm())
			}
			if dst, err := os.Stat(dir); err != nil || dst.Mode().Perm() != 0o700 {
				t.Errorf("outbox directory mode %v (err %v), want 0700", dst.Mode().Perm(), redact(err))
			}
			raw, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			p := parseEML(t, raw)
			if p.Subject != tc.wantSubject {
				t.Errorf("decoded Subject = %q, want %q", p.Subject, tc.wantSubject)
			}
			checkEML(t, p, tc.msg, DefaultFrom)
			if !strings.Contains(p.Parts["text/plain"].Body, testLink) {
				t.Error("the text part does not contain the link")
			}
			if !strings.Contains(html.UnescapeString(p.Parts["text/html"].Body), testLink) {
				t.Error("the HTML part does not contain the link")
			}
			for _, h := range []string{"User-Agent", "X-Mailer"} {
				if v := p.Header.Get(h); v != "" {
					t.Errorf("%s header %q tells the world our software", h, v)
				}
			}
		})
	}
}

func TestOutboxConfiguredFrom(t *testing.T) {
	const from = "Smartustaz әкімшілігі <admin@smartustaz.kz>"
	dir := t.TempDir()
	m := PasswordChanged(i18n.KK, recipient)
	if err := NewOutbox(dir, from).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	files := emlFiles(t, dir)
	if len(files) != 1 {
		t.Fatalf("%d files, want 1", len(files))
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	p := parseEML(t, raw)
	checkEML(t, p, m, from)
	if _, ok := p.Parts["text/html"]; !ok {
		t.Error("no HTML part")
	}
}

// TestOutboxConcurrent sends from many goroutines while a reader keeps
// opening every .eml it sees: each file it finds must already be whole,
// and at the end there is one distinct file per message.
func TestOutboxConcurrent(t *testing.T) {
	const n = 24
	dir := t.TempDir()
	o := NewOutbox(dir, "")

	stop := make(chan struct{})
	readerDone := make(chan []string)
	go func() {
		var problems []string
		for {
			select {
			case <-stop:
				readerDone <- problems
				return
			default:
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".eml") {
					continue
				}
				raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					continue
				}
				if !strings.HasSuffix(strings.TrimSpace(string(raw)), "--") && len(problems) < 5 {
					problems = append(problems, e.Name()+": incomplete")
				}
			}
		}
	}()

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			link := fmt.Sprintf("https://smartustaz.kz/reset?token=t%02d", i)
			errs <- o.Send(context.Background(), ResetPassword(i18n.KK, recipient, link))
		}()
	}
	wg.Wait()
	close(stop)
	if problems := <-readerDone; len(problems) > 0 {
		t.Errorf("a reader saw half-written files: %v", problems)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Send: %v", redact(err))
		}
	}

	files := emlFiles(t, dir)
	if len(files) != n {
		t.Fatalf("%d .eml files, want %d", len(files), n)
	}
	seen := map[string]bool{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := parseEML(t, raw)
		text := p.Parts["text/plain"].Body
		i := strings.Index(text, "token=t")
		if i < 0 || i+9 > len(text) {
			t.Fatalf("%s: no link in the text part", filepath.Base(f))
		}
		tok := text[i : i+9]
		if seen[tok] {
			t.Errorf("link %s written twice", tok)
		}
		seen[tok] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct links, want %d", len(seen), n)
	}
}

func TestOutboxRefusesBadRecipient(t *testing.T) {
	cases := []string{
		"",
		"not an address",
		recipient + "\r\nBcc: someone@example.com", // header injection
		recipient + ", second@example.com",         // one message, one person
	}
	for i, to := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			dir := t.TempDir()
			err := NewOutbox(dir, "").Send(context.Background(), VerifyEmail(i18n.KK, to, testLink))
			if !errors.Is(err, ErrRecipient) {
				t.Fatalf("err = %v, want ErrRecipient", redact(err))
			}
			if to != "" && strings.Contains(err.Error(), to) {
				t.Error("the error repeats the address")
			}
			if files := emlFiles(t, dir); len(files) != 0 {
				t.Errorf("%d files written for a refused message", len(files))
			}
		})
	}
}

func TestOutboxCancelledContext(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := NewOutbox(dir, "").Send(ctx, VerifyEmail(i18n.KK, recipient, testLink))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", redact(err))
	}
	if files := emlFiles(t, dir); len(files) != 0 {
		t.Errorf("%d files written after cancel", len(files))
	}
}

func TestOpen(t *testing.T) {
	dataDir := t.TempDir()
	s, err := Open("", dataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	o, ok := s.(*Outbox)
	if !ok {
		t.Fatalf("Open without SMTP gave %T, want *Outbox", s)
	}
	if want := filepath.Join(dataDir, "outbox"); o.Dir() != want {
		t.Errorf("outbox dir = %s, want %s", o.Dir(), want)
	}

	s, err = Open("smtps://user:s3cret@mail.example.kz", dataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	sm, ok := s.(*SMTP)
	if !ok {
		t.Fatalf("Open with SMTP gave %T, want *SMTP", s)
	}
	if sm.port != 465 || !sm.implicit {
		t.Errorf("smtps:// without port: port %d implicit %v, want 465 true", sm.port, sm.implicit)
	}
	s, err = Open("smtp://mail.example.kz?starttls=required", dataDir, "")
	if err != nil {
		t.Fatal(err)
	}
	if sm := s.(*SMTP); sm.port != 587 || sm.implicit {
		t.Errorf("smtp:// without port: port %d implicit %v, want 587 false", sm.port, sm.implicit)
	}

	bad := []struct{ url, dataDir, from string }{
		{"", "", ""},
		{"ftp://mail.example.kz", dataDir, ""},
		{"smtp://", dataDir, ""},
		{"smtp://user:s3cret@mail.example.kz:99999", dataDir, ""},
		{"smtp://user:s3cret@mail.example.kz:port", dataDir, ""},
		{"smtp://mail.example.kz?starttls=maybe", dataDir, ""},
		{"smtps://mail.example.kz?starttls=none", dataDir, ""},
		{"smtp://mail.example.kz?tls=yes", dataDir, ""},
		{"smtp://user:s3cret@mail.example.kz%zz", dataDir, ""},
		{"", dataDir, "not an address"},
	}
	for _, b := range bad {
		_, err := Open(b.url, b.dataDir, b.from)
		if err == nil {
			t.Errorf("Open(%q, from %q) accepted", strings.ReplaceAll(b.url, "s3cret", "***"), b.from)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error for a bad SMTP URL repeats the password")
		}
	}
}

// A thread's reply address and a bulk mail's unsubscribe link reach the
// message's headers; one-click (RFC 8058) only for an https link.
func TestReplyToAndListUnsubscribeHeaders(t *testing.T) {
	for _, tc := range []struct {
		link     string
		oneClick bool
	}{
		{"https://smartustaz.kz/unsubscribe?t=abc", true},
		{"http://127.0.0.1:8080/unsubscribe?t=abc", false},
	} {
		dir := t.TempDir()
		o := NewOutbox(dir, "")
		m := AgreementChanged(i18n.KK, recipient, testLink)
		m.ReplyTo = "reply+T0KEN@smartustaz.kz"
		m.ListUnsubscribe = tc.link
		if err := o.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		files := emlFiles(t, dir)
		if len(files) != 1 {
			t.Fatalf("want one message, got %d", len(files))
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		eml := string(b)
		if !strings.Contains(eml, "Reply-To: <reply+T0KEN@smartustaz.kz>") {
			t.Errorf("no Reply-To header in:\n%s", eml)
		}
		if !strings.Contains(eml, "List-Unsubscribe: <"+tc.link+">") {
			t.Errorf("no List-Unsubscribe header for %s in:\n%s", tc.link, eml)
		}
		if got := strings.Contains(eml, "List-Unsubscribe-Post: List-Unsubscribe=One-Click"); got != tc.oneClick {
			t.Errorf("one-click for %s = %v, want %v", tc.link, got, tc.oneClick)
		}
	}
}

// TestOutboxPurge: messages written before the cut-off are deleted, the
// newer ones and other files stay.
func TestOutboxPurge(t *testing.T) {
	dir := t.TempDir()
	o := NewOutbox(dir, "")
	day0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{day0, day0.Add(31 * 24 * time.Hour)} {
		o.now = func() time.Time { return at }
		if err := o.Send(context.Background(), VerifyEmail(i18n.KK, recipient, testLink)); err != nil {
			t.Fatal(i, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := o.Purge(day0.Add(31 * 24 * time.Hour).Add(-OutboxRetention))
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 2 {
		t.Fatalf("left %v, want the newer message and notes.txt", left)
	}
}
