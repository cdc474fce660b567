package mail

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// templates lists every message the portal sends; link is "" for notices.
var templates = []struct {
	name string
	make func(l i18n.Lang, to, link string) Message
	link bool
}{
	{"VerifyEmail", VerifyEmail, true},
	{"ResetPassword", ResetPassword, true},
	{"RegisterAttempt", RegisterAttempt, true},
	{"ConfirmEmailChange", ConfirmEmailChange, true},
	{"EmailChanged", func(l i18n.Lang, to, _ string) Message { return EmailChanged(l, to) }, false},
	{"PasswordChanged", func(l i18n.Lang, to, _ string) Message { return PasswordChanged(l, to) }, false},
	{"AgreementChanged", AgreementChanged, true},
	{"AdminInvite", AdminInvite, true},
}

// unfilled finds what a template left unfilled: a format verb, a fmt
// error, an i18n key returned as itself, html/template's unsafe-URL marker.
var unfilled = regexp.MustCompile(`%[sdvq]|%!|\bmail\.[a-z_]+\.(subject|body|note|action)\b|\bmail\.(greeting|fallback|footer)\b|ZgotmplZ`)

const kazakhOnly = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

func TestEveryTemplateInEveryLanguage(t *testing.T) {
	// A link with characters that HTML must escape.
	const link = "https://smartustaz.kz/a/confirm?token=AbC-123_x&next=/profile"
	for _, tpl := range templates {
		subjects := map[string]i18n.Lang{}
		for _, l := range i18n.Langs {
			t.Run(tpl.name+"/"+string(l), func(t *testing.T) {
				m := tpl.make(l, recipient, link)
				if m.To != recipient {
					t.Error("To is not the given address")
				}
				if m.Lang != l {
					t.Errorf("Lang = %q, want %q", m.Lang, l)
				}
				for field, v := range map[string]string{"subject": m.Subject, "text": m.Text, "html": m.HTML} {
					if strings.TrimSpace(v) == "" {
						t.Errorf("empty %s", field)
					}
					if bad := unfilled.FindString(v); bad != "" {
						t.Errorf("%s has %q left unfilled", field, bad)
					}
				}
				if strings.ContainsAny(m.Subject, "\r\n") {
					t.Error("subject spans lines")
				}
				if l == i18n.KK && !strings.ContainsAny(m.Text, kazakhOnly) {
					t.Error("Kazakh text has no Kazakh letter: not translated?")
				}
				if l != i18n.KK && strings.ContainsAny(m.Text, kazakhOnly) {
					t.Error("Kazakh letters in a non-Kazakh message")
				}
				gotLinkText := strings.Contains(m.Text, link)
				gotLinkHTML := strings.Contains(html.UnescapeString(m.HTML), link)
				if gotLinkText != tpl.link || gotLinkHTML != tpl.link {
					t.Errorf("link in text %v, in HTML %v; want %v in both", gotLinkText, gotLinkHTML, tpl.link)
				}
				if tpl.link && !strings.Contains(m.HTML, `href="`+html.EscapeString(link)+`"`) {
					t.Error("the HTML part has no clickable link")
				}
				if !strings.Contains(m.HTML, `lang="`+string(l)+`"`) {
					t.Error("the HTML part does not declare its language")
				}
				// Email clients drop <style> and block remote content.
				for _, forbidden := range []string{"<style", "<img", "<script", "<link", "url(", "http://"} {
					if strings.Contains(m.HTML, forbidden) {
						t.Errorf("HTML contains %q", forbidden)
					}
				}
				if strings.Contains(m.Text, "<") {
					t.Error("the text part contains markup")
				}
				if strings.Contains(m.Text, recipient) || strings.Contains(m.HTML, recipient) {
					t.Error("the body repeats the recipient address")
				}
			})
			m := tpl.make(l, recipient, link)
			if prev, dup := subjects[m.Subject]; dup {
				t.Errorf("%s: %s and %s share the subject %q", tpl.name, prev, l, m.Subject)
			}
			subjects[m.Subject] = l
		}
	}
}

func TestTemplateSubjectsAreDistinct(t *testing.T) {
	for _, l := range i18n.Langs {
		seen := map[string]string{}
		for _, tpl := range templates {
			s := tpl.make(l, recipient, "https://smartustaz.kz/x").Subject
			if other, dup := seen[s]; dup {
				t.Errorf("%s: %s and %s have the same subject", l, other, tpl.name)
			}
			seen[s] = tpl.name
		}
	}
}

func TestKazakhSubjects(t *testing.T) {
	cases := map[string]string{
		"VerifyEmail":     VerifyEmail(i18n.KK, recipient, testLink).Subject,
		"ResetPassword":   ResetPassword(i18n.KK, recipient, testLink).Subject,
		"PasswordChanged": PasswordChanged(i18n.KK, recipient).Subject,
	}
	want := map[string]string{
		"VerifyEmail":     "Электрондық поштаңызды растаңыз",
		"ResetPassword":   "Құпиясөзді қалпына келтіру",
		"PasswordChanged": "Құпиясөзіңіз өзгертілді",
	}
	for name, got := range cases {
		if got != want[name] {
			t.Errorf("%s: subject %q, want %q", name, got, want[name])
		}
	}
}

func TestUnknownLanguageFallsBackToKazakh(t *testing.T) {
	m := VerifyEmail(i18n.Lang("de"), recipient, testLink)
	if m.Lang != i18n.KK || m.Subject != "Электрондық поштаңызды растаңыз" {
		t.Errorf("unknown language gave Lang %q subject %q, want Kazakh", m.Lang, m.Subject)
	}
}

func TestHTMLRefusesScriptLink(t *testing.T) {
	m := VerifyEmail(i18n.EN, recipient, "javascript:alert(document.cookie)")
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Error("a javascript: link is clickable in the HTML part")
	}
	m = VerifyEmail(i18n.EN, recipient, `https://x.kz/"><script>alert(1)</script>`)
	if strings.Contains(m.HTML, "<script>") {
		t.Error("markup in the link reached the HTML part unescaped")
	}
}

func TestMessageDoesNotPrintRecipient(t *testing.T) {
	m := VerifyEmail(i18n.KK, recipient, testLink)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(verb, m); strings.Contains(s, recipient) {
			t.Errorf("%s of a Message shows the recipient", verb)
		}
		if s := fmt.Sprintf(verb, &m); strings.Contains(s, recipient) {
			t.Errorf("%s of a *Message shows the recipient", verb)
		}
	}
}
