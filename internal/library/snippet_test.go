package library_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/search"
)

// matcher accepts a word that shares an index term with q.
func matcher(q string) func(string) bool {
	want := map[string]bool{}
	for _, g := range search.QueryTerms(q) {
		for _, t := range g {
			want[t] = true
		}
	}
	return func(w string) bool {
		for _, t := range search.Terms(w) {
			if want[t] {
				return true
			}
		}
		return false
	}
}

func render(segs []library.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Mark {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// A snippet shows the words around the first match with every form of
// the query's words marked, line breaks as spaces, and "…" where it cut.
func TestSnippet(t *testing.T) {
	text := "Кіріспе.\n\nБұл бөлімде оқушылар бірнеше тапсырма орындайды, содан кейін сабақтың мақсаты түсіндіріледі: " +
		"жаңа сабақта теңдеулерді шешуді үйрену. Үйге тапсырма беріледі, келесі сабаққа дайындалу керек. Соңы соңы соңы соңы соңы соңы соңы соңы соңы соңы."
	got := render(library.Snippet(text, matcher("сабақ")))
	want := "…Бұл бөлімде оқушылар бірнеше тапсырма орындайды, содан кейін [сабақтың] мақсаты түсіндіріледі: жаңа [сабақта] теңдеулерді шешуді үйрену. Үйге тапсырма беріледі, келесі [сабаққа] дайындалу керек. Соңы соңы соңы соңы соңы…"
	if got != want {
		t.Errorf("snippet\n got %s\nwant %s", got, want)
	}
	if s := library.Snippet(text, matcher("география")); s != nil {
		t.Errorf("a text without the word gave a snippet: %s", render(s))
	}
	if got := render(library.Snippet("Презентация\tжоспары", matcher("презентациясы"))); got != "[Презентация] жоспары" {
		t.Errorf("short text: %s", got)
	}
}

// FuzzSnippet: any text gives a snippet of valid UTF-8 whose marks are
// non-empty words, without panicking.
func FuzzSnippet(f *testing.F) {
	for _, s := range []string{"", "сабақ", "a\u0301б сабақ\n\n", "8-сынып сабақ", "\xff\xfeсабақ", strings.Repeat("сабақ ", 600)} {
		f.Add(s)
	}
	m := matcher("сабақ 8")
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range library.Snippet(text, m) {
			if s.Text == "" || (s.Mark && strings.TrimSpace(s.Text) != s.Text) {
				t.Fatalf("bad segment %q", s.Text)
			}
			if utf8.ValidString(text) && !utf8.ValidString(s.Text) {
				t.Fatalf("invalid UTF-8 from valid text: %q", s.Text)
			}
		}
	})
}
