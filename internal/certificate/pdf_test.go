package certificate

import (
	"bytes"
	"compress/zlib"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// maxPDFSize is the most a certificate may weigh: it is mailed and
// downloaded on slow village connections.
const maxPDFSize = 300 << 10

var (
	// streamRE finds a stream's dictionary (one level of nesting allowed).
	streamRE = regexp.MustCompile(`<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n`)
	lengthRE = regexp.MustCompile(`/Length (\d+)`)
	// textRE finds a text-showing operator and its string, escapes kept.
	textRE = regexp.MustCompile(`(?s)BT [0-9.]+ [0-9.]+ Td \(((?:\\.|[^\\])*?)\) ?Tj ET`)
)

// pdfDoc is a rendered certificate opened for inspection: the raw file
// and the inflated bytes of every stream in it.
type pdfDoc struct {
	raw     []byte
	streams [][]byte
	content []byte // the streams joined
}

// render makes the PDF of f signed with priv and opens it.
func render(t testing.TB, priv ed25519.PrivateKey, f Fields) pdfDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, f, ed25519.Sign(priv, Payload(f))); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	return openPDF(t, buf.Bytes())
}

// openPDF inflates every stream of raw, each read by its /Length.
func openPDF(t testing.TB, raw []byte) pdfDoc {
	t.Helper()
	d := pdfDoc{raw: raw}
	for _, m := range streamRE.FindAllSubmatchIndex(raw, -1) {
		dict := raw[m[2]:m[3]]
		l := lengthRE.FindSubmatch(dict)
		if l == nil {
			t.Fatalf("stream without /Length: %.80q", dict)
		}
		n := int(atof(t, string(l[1])))
		if m[1]+n > len(raw) {
			t.Fatalf("stream of %d bytes runs past the end", n)
		}
		body := raw[m[1] : m[1]+n]
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			z, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("stream does not inflate: %v", err)
			}
			if body, err = io.ReadAll(z); err != nil {
				t.Fatalf("stream does not inflate: %v", err)
			}
		}
		d.streams = append(d.streams, body)
		d.content = append(d.content, body...)
		d.content = append(d.content, '\n')
	}
	return d
}

// lines returns every string drawn by a text operator, decoded: fpdf
// writes text in an embedded UTF-8 font as a PDF string of UTF-16BE code
// units (the font's code is the Unicode code point).
func (d pdfDoc) lines() []string {
	unescape := strings.NewReplacer(`\\`, `\`, `\(`, `(`, `\)`, `)`, `\r`, "\r")
	var out []string
	for _, m := range textRE.FindAllSubmatch(d.content, -1) {
		raw := unescape.Replace(string(m[1]))
		var units []uint16
		for i := 0; i+1 < len(raw); i += 2 {
			units = append(units, uint16(raw[i])<<8|uint16(raw[i+1]))
		}
		out = append(out, string(utf16.Decode(units)))
	}
	return out
}

// shows reports whether some line on the page is exactly s.
func (d pdfDoc) shows(s string) bool {
	for _, l := range d.lines() {
		if l == s {
			return true
		}
	}
	return false
}

func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

// checkValid asserts what every certificate must be: one PDF page within
// the size limit, with the font embedded and the QR code on it.
func checkValid(t testing.TB, d pdfDoc) {
	t.Helper()
	if !bytes.HasPrefix(d.raw, []byte("%PDF-")) {
		t.Error("output does not start with %PDF-")
	}
	if !bytes.HasSuffix(bytes.TrimSpace(d.raw), []byte("%%EOF")) {
		t.Error("output does not end with the end-of-file marker")
	}
	if len(d.raw) >= maxPDFSize {
		t.Errorf("PDF is %d bytes, limit %d", len(d.raw), maxPDFSize)
	}
	if n := bytes.Count(d.raw, []byte("/Type /Page\n")) + bytes.Count(d.raw, []byte("/Type /Page ")); n != 1 {
		t.Errorf("PDF has %d pages, want 1", n)
	}
	if n := bytes.Count(d.raw, []byte("/FontFile2")); n != 2 {
		t.Errorf("%d embedded TrueType fonts, want 2 (regular and bold)", n)
	}
	if !bytes.Contains(d.raw, []byte("/Subtype /Image")) {
		t.Error("no QR code image on the page")
	}
}

func TestPDF(t *testing.T) {
	priv := newKey(t)
	cases := []struct {
		lang                        i18n.Lang
		author, title, quoted, date string
	}{
		{i18n.KK, "Әлия Қанатқызы Нұрғалиева", "Қазақ тілі: әріптер мен дыбыстар (1-сынып)",
			"«Қазақ тілі: әріптер мен дыбыстар (1-сынып)»", "2026 жылғы 15 наурыз"},
		// Every Kazakh letter in both cases, in a Russian certificate.
		{i18n.RU, "ӘҒҚҢӨҰҮҺІ әғқңөұүһі", "Урок «Сложение в пределах 20»",
			"«Урок „Сложение в пределах 20“»", "15 марта 2026 г."},
		{i18n.EN, "Aigerim Seitkali", "Present Simple: a “lesson” plan",
			"“Present Simple: a ‘lesson’ plan”", "15 March 2026"},
	}
	for _, c := range cases {
		t.Run(string(c.lang), func(t *testing.T) {
			f := sample()
			f.Lang, f.AuthorName, f.Title = c.lang, c.author, c.title
			sig := ed25519.Sign(priv, Payload(f))
			var buf bytes.Buffer
			if err := PDF(&buf, f, sig); err != nil {
				t.Fatal(err)
			}
			d := openPDF(t, buf.Bytes())
			checkValid(t, d)
			t.Logf("%s certificate: %d bytes", c.lang, len(d.raw))
			want := map[string]string{
				"site name":             SiteName,
				"heading":               i18n.T(c.lang, "certificate.heading"),
				"author name":           c.author,
				"title in quotes":       c.quoted,
				"number":                f.Number,
				"date (Almaty time)":    c.date,
				"verify address":        i18n.T(c.lang, "certificate.verify", f.VerifyURL),
				"signature fingerprint": i18n.T(c.lang, "certificate.signature", SignatureFingerprint(sig)),
				"material address":      f.MaterialURL,
			}
			for what, s := range want {
				if !d.shows(s) {
					t.Errorf("the page does not show the %s", what)
				}
			}
			// A link on the QR code and the address lead to the verify page.
			if n := bytes.Count(d.raw, []byte("/URI ("+f.VerifyURL+")")); n != 2 {
				t.Errorf("%d links to the verify page, want 2", n)
			}
		})
	}
}

// TestPDFEmbedsKazakhGlyphs reads the fonts' CIDToGIDMap (code point →
// glyph in the embedded subset; 0 is the "missing" box) to show that
// every Kazakh letter is drawn with a real glyph in both weights.
func TestPDFEmbedsKazakhGlyphs(t *testing.T) {
	const kazakh = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"
	f := sample()
	// 中 is not in DejaVu: it proves the check tells a missing glyph.
	f.AuthorName, f.Title = kazakh+"中", kazakh+"中"
	d := render(t, newKey(t), f)
	maps := 0
	for _, s := range d.streams {
		if len(s) != 2*65536 {
			continue
		}
		maps++
		gid := func(r rune) int { return int(s[2*r])<<8 | int(s[2*r+1]) }
		for _, r := range kazakh {
			if gid(r) == 0 {
				t.Errorf("font %d: no glyph for %c", maps, r)
			}
		}
		if gid('中') != 0 {
			t.Errorf("font %d: a glyph for 中, which DejaVu does not have: the check is broken", maps)
		}
	}
	if maps != 2 {
		t.Fatalf("found %d CIDToGIDMaps, want 2 (regular for the name, bold for the title)", maps)
	}
}

func TestPDFDeterministic(t *testing.T) {
	priv := newKey(t)
	a, b := render(t, priv, sample()), render(t, priv, sample())
	if !bytes.Equal(a.raw, b.raw) {
		t.Error("the same certificate rendered twice differs")
	}
}

func TestPDFFitsLongText(t *testing.T) {
	priv := newKey(t)
	long := strings.Repeat("Абай Құнанбайұлының шығармашылығы бойынша ашық сабақ жоспары ", 40)
	cases := []struct {
		name, author, title string
		cut                 string // how a cut line ends; "" = nothing cut
	}{
		{"very long title", "Әлия", long, "…»"},
		{"very long name", long, "Әріптер", "…"},
		{"one word wider than the page", "Әлия", strings.Repeat("Ә", 400), "…»"},
		{"title that needs two lines", "Әлия", long[:200], ""},
		{"emoji, CJK, controls, invalid UTF-8", "Ә\x00лия\u202e 😀", "Сабақ\n\t中文 \xff\xfe 🎓", ""},
		{"empty", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := sample()
			f.AuthorName, f.Title = c.author, c.title
			d := render(t, priv, f)
			checkValid(t, d)
			cut := false
			for _, l := range d.lines() {
				if strings.Contains(l, "…") {
					cut = true
					if c.cut == "" || !strings.HasSuffix(l, c.cut) {
						t.Errorf("a line is cut; want cut %q at the end", c.cut)
					}
				}
				for _, r := range l {
					if r > 0xFFFF || r < ' ' || r == '\u202e' {
						t.Errorf("a line draws %U", r)
					}
				}
			}
			if c.cut != "" && !cut {
				t.Error("nothing was cut")
			}
		})
	}
}

func TestPDFLongTitleStaysInsideTheFrame(t *testing.T) {
	priv := newKey(t)
	f := sample()
	f.Title = strings.Repeat("Қазақстан ", 100)
	d := render(t, priv, f)
	// Every text line starts inside the frame's inner line (13 mm = 36.85 pt).
	re := regexp.MustCompile(`BT ([0-9.]+) ([0-9.]+) Td`)
	for _, m := range re.FindAllSubmatch(d.content, -1) {
		if x := atof(t, string(m[1])); x < 13*72/25.4 {
			t.Errorf("a line starts at x=%.1fpt, outside the frame", x)
		}
	}
}

func TestPDFIncomplete(t *testing.T) {
	priv := newKey(t)
	good := sample()
	sig := ed25519.Sign(priv, Payload(good))
	cases := []struct {
		name string
		edit func(*Fields)
		sig  []byte
	}{
		{"no number", func(f *Fields) { f.Number = "" }, sig},
		{"no verify address", func(f *Fields) { f.VerifyURL = "" }, sig},
		{"no signature", func(*Fields) {}, nil},
		{"short signature", func(*Fields) {}, sig[:32]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := sample()
			c.edit(&f)
			var buf bytes.Buffer
			if err := PDF(&buf, f, c.sig); !errors.Is(err, ErrIncomplete) {
				t.Errorf("error %v, want ErrIncomplete", err)
			}
			if buf.Len() != 0 {
				t.Error("wrote output for an incomplete certificate")
			}
		})
	}
}

func FuzzPDF(f *testing.F) {
	f.Add("Әлия Қанатқызы", "Қазақ тілі")
	f.Add("", "")
	f.Add("(\\)", ")(")
	f.Add("😀\u202e\x00", "\xff\xfe中文\r\n")
	f.Add(strings.Repeat("Ң", 3000), strings.Repeat("ө ", 3000))
	priv := newKey(f)
	f.Fuzz(func(t *testing.T, author, title string) {
		c := sample()
		c.AuthorName, c.Title = author, title
		d := render(t, priv, c)
		checkValid(t, d)
		for _, l := range d.lines() {
			if !utf8.ValidString(l) {
				t.Errorf("a drawn line is not valid text")
			}
		}
	})
}

func BenchmarkPDF(b *testing.B) {
	priv := newKey(b)
	f := sample()
	sig := ed25519.Sign(priv, Payload(f))
	for b.Loop() {
		if err := PDF(io.Discard, f, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func atof(t testing.TB, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// The issue date is the day in Kazakhstan's time zone, the one the whole
// site writes times in: near midnight UTC the local day is already the
// next one, and before 1 March 2024 Almaty was on UTC+6, not +5.
func TestPDFDateInKazakhstan(t *testing.T) {
	for _, c := range []struct {
		name string
		at   time.Time
		want string
	}{
		{"19:30 UTC is 00:30 next day", time.Date(2026, 3, 14, 19, 30, 0, 0, time.UTC), "15 March 2026"},
		{"18:59 UTC is still the same day", time.Date(2026, 3, 14, 18, 59, 0, 0, time.UTC), "14 March 2026"},
		{"new year's eve 23:30 UTC", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "1 January 2027"},
		{"18:30 UTC in 2023 was 00:30 at UTC+6", time.Date(2023, 3, 14, 18, 30, 0, 0, time.UTC), "15 March 2023"},
	} {
		f := sample()
		f.Lang, f.IssuedAt = i18n.EN, c.at
		if got := formatDate(f, i18n.EN); got != c.want {
			t.Errorf("%s: date %q, want %q", c.name, got, c.want)
		}
	}
	// And on the page itself.
	f := sample()
	f.Lang, f.IssuedAt = i18n.KK, time.Date(2023, 3, 14, 18, 30, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := PDF(&buf, f, ed25519.Sign(newKey(t), Payload(f))); err != nil {
		t.Fatal(err)
	}
	if d := openPDF(t, buf.Bytes()); !d.shows("2023 жылғы 15 наурыз") {
		t.Error("the page does not show the issue date in Almaty time")
	}
}
