package extract

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func textOf(t *testing.T, data []byte, k Kind, lim Limits) (string, error) {
	t.Helper()
	s, err := Text(context.Background(), bytes.NewReader(data), int64(len(data)), k, lim)
	if !utf8.ValidString(s) {
		t.Fatalf("Text returned invalid UTF-8")
	}
	if len(s) > lim.orDefault().MaxText {
		t.Fatalf("Text returned %d bytes, more than MaxText %d", len(s), lim.orDefault().MaxText)
	}
	return s, err
}

// flat joins lines: a PDF wraps a sentence where the page ended a line.
func flat(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// Kazakh letters survive every path: each sample's text holds the Kazakh
// sentence whole, and the Russian one.
func TestTextSamples(t *testing.T) {
	cases := []struct {
		sample string
		want   []string
	}{
		{"sample.pdf", []string{kkSentence, ruSentence, "Қазақ тілі: сабақ жоспары"}},
		{"sample.docx", []string{kkSentence, ruSentence}},
		{"sample.pptx", []string{"Сабақ жоспары", kkSentence, ruSentence}},
		{"sample.xlsx", []string{kkSentence, ruSentence, "Бағалау критерийлері"}},
		{"sample.odt", []string{"Сабақ жоспары", kkSentence, ruSentence}},
		{"sample.odp", []string{kkSentence, ruSentence}},
		{"sample.rtf", []string{kkSentence, ruSentence, "Tab end"}},
		{"sample-utf8.txt", []string{kkSentence, ruSentence}},
		{"sample-utf16le.txt", []string{kkSentence, ruSentence}},
		{"sample-cp1251.txt", []string{ruSentence, "Білім мен ілім — ырыс."}},
	}
	for _, c := range cases {
		t.Run(c.sample, func(t *testing.T) {
			data := readSample(t, c.sample)
			k, err := SniffFile(context.Background(), bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := textOf(t, data, k, DefaultLimits)
			if err != nil {
				t.Fatalf("Text: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(flat(got), w) {
					t.Errorf("text lacks %q; got %q", w, got)
				}
			}
			if strings.Contains(got, "  ") || strings.HasPrefix(got, " ") || strings.HasSuffix(got, "\n") {
				t.Errorf("whitespace not normalised: %q", got)
			}
		})
	}
}

// A file whose text cannot be extracted is still published: Text says
// ErrNoText, distinct from a refusal.
func TestTextNoText(t *testing.T) {
	for _, c := range []struct {
		sample string
		kind   Kind
	}{{"sample.doc", DOC}, {"sample.jpg", JPG}, {"sample.png", PNG}, {"sample.zip", ZIP}} {
		data := readSample(t, c.sample)
		if _, err := textOf(t, data, c.kind, DefaultLimits); !errors.Is(err, ErrNoText) {
			t.Errorf("%s: Text = %v, want ErrNoText", c.sample, err)
		}
		if c.kind.HasText() {
			t.Errorf("%s: HasText says yes", c.kind)
		}
	}
	empty := docxWith(documentXML())
	if _, err := textOf(t, empty, DOCX, DefaultLimits); !errors.Is(err, ErrNoText) {
		t.Errorf("docx without paragraphs: Text = %v, want ErrNoText", err)
	}
	scanned := handPDF(contentObj("q 100 0 0 100 0 0 cm Q", false))
	if _, err := textOf(t, scanned, PDF, DefaultLimits); !errors.Is(err, ErrNoText) {
		t.Errorf("pdf without text: Text = %v, want ErrNoText", err)
	}
}

// What a reader does not see is not text: font and colour tables, document
// properties, pictures, deleted revisions, field codes, phonetic guides.
func TestTextLeavesOutWhatIsNotText(t *testing.T) {
	withHidden := []byte(xmlDecl + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>Көрінетін</w:t></w:r><w:del><w:r><w:delText>ӨШІРІЛГЕН</w:delText></w:r></w:del>` +
		`<w:r><w:instrText> HYPERLINK "http://example.kz" </w:instrText></w:r><w:r><w:tab/><w:t>мәтін</w:t></w:r></w:p></w:body></w:document>`)
	cases := []struct {
		name    string
		data    []byte
		kind    Kind
		want    string
		notWant []string
	}{
		{"rtf", readSample(t, "sample.rtf"), RTF, kkSentence, []string{"Times New Roman", "Arial", "ЖАСЫРЫН", "Hidden", "Riched20", "89504e47", "pngblip"}},
		{"xlsx", readSample(t, "sample.xlsx"), XLSX, ruSentence, []string{"ФОНЕТИКА", "42", "Парақ1"}},
		{"docx", docxWith(withHidden), DOCX, "Көрінетін мәтін", []string{"ӨШІРІЛГЕН", "HYPERLINK", "example"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := textOf(t, c.data, c.kind, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("text lacks %q; got %q", c.want, got)
			}
			for _, w := range c.notWant {
				if strings.Contains(got, w) {
					t.Errorf("text holds %q; got %q", w, got)
				}
			}
		})
	}
}

func TestTextSlideOrder(t *testing.T) {
	data := pptxWith(map[int][]byte{10: slideXML("оныншы"), 2: slideXML("екінші"), 1: slideXML("бірінші")})
	got, err := textOf(t, data, PPTX, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got != "бірінші\nекінші\nоныншы" {
		t.Fatalf("slides out of order: %q", got)
	}
}

// Output stops at MaxText bytes, on a character boundary, and is the
// beginning of the whole text (the preview shows the first pages).
func TestTextMaxText(t *testing.T) {
	for _, sample := range []string{"sample.docx", "sample.pdf", "sample.rtf", "sample-utf16le.txt", "sample.odt"} {
		data := readSample(t, sample)
		k, _ := SniffFile(context.Background(), bytes.NewReader(data), int64(len(data)))
		full, err := textOf(t, data, k, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		for _, max := range []int{1, 2, 3, 10, 57, 100, len(full) - 1} {
			got, err := textOf(t, data, k, Limits{MaxText: max})
			if max < 2 { // the first letter of every sample takes two bytes
				if !errors.Is(err, ErrNoText) {
					t.Errorf("%s MaxText %d: %q, %v; want ErrNoText", sample, max, got, err)
				}
				continue
			}
			if err != nil || !strings.HasPrefix(full, got) || len(got) > max || len(got) < max-5 {
				t.Errorf("%s MaxText %d: %q, %v", sample, max, got, err)
			}
		}
	}
}

func TestTextPlainEncodings(t *testing.T) {
	const s = "Әліппе: қ, ғ, ң, ө, ұ, ү, һ, і.\nПривет, мир."
	utf16BE := func(s string) []byte {
		le := utf16LE(s, false)
		be := []byte{0xFE, 0xFF}
		for i := 0; i+1 < len(le); i += 2 {
			be = append(be, le[i+1], le[i])
		}
		return be
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"UTF-8", []byte(s), s},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, s...), s},
		{"UTF-16LE with BOM", utf16LE(s, true), s},
		{"UTF-16BE with BOM", utf16BE(s), s},
		{"UTF-16LE without BOM", utf16LE(s, false), s},
		{"Windows-1251", sampleCP1251(), strings.TrimSpace(strings.ReplaceAll(cp1251Text, "\r\n", "\n"))},
		{"UTF-8 with a stray NUL and tabs", []byte("Сабақ\x00\t\t жоспары"), "Сабақ жоспары"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := textOf(t, c.data, TXT, DefaultLimits)
			if err != nil || got != c.want {
				t.Fatalf("Text = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestTextRTF(t *testing.T) {
	cases := []struct {
		name, rtf, want string
	}{
		{"unicode escapes with fallbacks", `{\rtf1\ansi\uc1 \u1179?\u1241?\u1171?\u1187?\u1211?\u1199?\u1201?\u1257?\u1110?}`, "қәғңһүұөі"},
		{"negative unicode escapes", `{\rtf1\ansi \u-3913?}`, "\uf0b7"},
		{"longer fallbacks", `{\rtf1\ansi\uc2 \u1179\'3f\'3f!}`, "қ!"},
		{"no fallback", `{\rtf1\ansi\uc0 \u1179\u1241  x}`, "қә x"}, // the first space ends the control word
		{"cp1251 hex escapes", `{\rtf1\ansi\ansicpg1251 \'cf\'eb\'e0\'ed \'b3}`, "План і"},
		{"cp1251 font under a cp1252 document", `{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset0 Arial;}{\f1\fcharset204 Times;}}\f1 \'cf\'eb\'e0\'ed\f0  caf\'e9}`, "План café"},
		{"ignorable destinations", `{\rtf1{\*\unknowndest hidden}{\*\bkmkstart b}{\stylesheet{\s0 Normal;}}visible}`, "visible"},
		{"escaped braces", `{\rtf1 a\{b\}c\\d}`, `a{b}c\d`},
		{"paragraphs and tabs", `{\rtf1 one\par two\tab three\line four}`, "one\ntwo three\nfour"},
		{"binary data skipped", "{\\rtf1 a\\bin4 \x00\x01{} b}", "a b"},
		{"header and footer left out", `{\rtf1{\header Бет 1}{\footer ©}` + rtfEscape("Мәтін") + `}`, "Мәтін"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := textOf(t, []byte(c.rtf), RTF, DefaultLimits)
			if err != nil || got != c.want {
				t.Fatalf("Text = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	deep := "{\\rtf1 " + strings.Repeat("{", 100000) + "x" + strings.Repeat("}", 100000) + "}"
	if _, err := textOf(t, []byte(deep), RTF, DefaultLimits); !errors.Is(err, ErrBomb) {
		t.Fatalf("RTF nested 100000 deep: %v, want ErrBomb", err)
	}
}

// Go's encoding/xml does not expand entities declared in a DTD: in strict
// mode a reference to one is an error, and in non-strict mode it passes
// through as the literal text "&lol9;". Either way nothing multiplies.
func TestEncodingXMLDoesNotExpandEntities(t *testing.T) {
	doc := `<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;</d>`
	for _, strict := range []bool{true, false} {
		d := xml.NewDecoder(strings.NewReader(doc))
		d.Strict = strict
		var text strings.Builder
		var err error
		for {
			var tok xml.Token
			tok, err = d.Token()
			if err != nil {
				break
			}
			if cd, ok := tok.(xml.CharData); ok {
				text.Write(cd)
			}
		}
		if strict && (err == io.EOF || !strings.Contains(err.Error(), "entity")) {
			t.Errorf("strict: err = %v, want an invalid entity error", err)
		}
		if strings.Contains(text.String(), "aaaaaaaaaa") || text.Len() > len(doc) {
			t.Errorf("strict=%v: entity expanded to %d bytes", strict, text.Len())
		}
	}
}
