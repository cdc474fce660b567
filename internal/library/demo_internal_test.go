package library

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/extract"
)

// Every kind of demo file, in every language, is the kind it claims by
// its content and reads back with its text, Kazakh letters intact.
func TestDemoFiles(t *testing.T) {
	ctx := context.Background()
	subj := demoSubjects[0]
	tp := subj.topics[2]
	for _, lang := range []string{"kk", "ru", "en"} {
		doc := demoFileText(subj, tp, lang)
		want := map[string]string{"kk": tp.kk, "ru": tp.ru, "en": tp.en}[lang]
		for _, kind := range []string{"docx", "pptx", "xlsx", "odt", "odp", "rtf", "txt", "pdf"} {
			t.Run(lang+"/"+kind, func(t *testing.T) {
				b, err := demoFileBytes(kind, lang, doc)
				if err != nil {
					t.Fatal(err)
				}
				got, err := extract.SniffFile(ctx, bytes.NewReader(b), int64(len(b)))
				if err != nil || string(got) != kind {
					t.Fatalf("sniffed as %q (%v)", got, err)
				}
				if err := extract.Check(ctx, bytes.NewReader(b), int64(len(b)), got, extract.DefaultLimits); err != nil {
					t.Fatalf("refused by the bomb check: %v", err)
				}
				text, err := extract.Text(ctx, bytes.NewReader(b), int64(len(b)), got, extract.DefaultLimits)
				if err != nil {
					t.Fatal(err)
				}
				if kind == "pdf" {
					want = map[string]string{"kk": "Жұмыс парағы", "ru": "Рабочий лист", "en": "Worksheet"}[lang]
				}
				if !strings.Contains(text, want) {
					t.Errorf("the text read back lacks %q", want)
				}
				if lang == "kk" && !strings.ContainsAny(text, "әғқңөұүі") {
					t.Error("the Kazakh text read back has no Kazakh letter")
				}
			})
		}
	}
}
