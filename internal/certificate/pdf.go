package certificate

import (
	"bytes"
	"crypto/ed25519"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/smartustaz/smartustaz/internal/i18n"
)

// SiteName is the name printed at the head of every certificate.
const SiteName = "smartustaz"

// DejaVu Serif covers every Kazakh letter (ә ғ қ ң ө ұ ү һ і, both
// cases) and the whole of Cyrillic and Latin; fpdf embeds only the glyphs
// a certificate uses, so the PDF stays small. Licence: fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSerif.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSerif-Bold.ttf
	fontBold []byte
)

// ErrIncomplete means the certificate lacks what makes it checkable: a
// number, a verify address or a signature of the right size.
var ErrIncomplete = errors.New("certificate: number, verify address or signature missing")

// Page geometry, in millimetres: A4 landscape.
const (
	pageW, pageH = 297.0, 210.0
	textW        = 225.0 // width of the centred text block
	qrSize       = 34.0
	family       = "serif"
)

// Colours: a deep teal for the frame and accents, near-black for what
// the certificate states, grey for labels.
var (
	colorAccent = [3]int{20, 83, 94}
	colorText   = [3]int{28, 28, 30}
	colorLabel  = [3]int{105, 110, 115}
)

// PDF writes the certificate f with signature sig as a one-page A4
// landscape PDF in f.Lang. Any string in the name and title prints: long
// text wraps, shrinks and at last is cut with an ellipsis; invalid UTF-8
// and characters beyond the Basic Multilingual Plane (emoji) become
// U+FFFD, and the few in it that DejaVu lacks (CJK) print as its box.
func PDF(w io.Writer, f Fields, sig []byte) error {
	if f.Number == "" || f.VerifyURL == "" || len(sig) != ed25519.SignatureSize {
		return ErrIncomplete
	}
	lang := f.Lang
	if lang != i18n.KK && lang != i18n.RU && lang != i18n.EN {
		lang = i18n.Default
	}
	qr, err := qrPNG(f.VerifyURL)
	if err != nil {
		return fmt.Errorf("certificate: pdf: %w", err)
	}

	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	// The same certificate yields the same bytes: dates from the
	// certificate, not the clock, and resources in a fixed order.
	pdf.SetCreationDate(f.IssuedAt)
	pdf.SetModificationDate(f.IssuedAt)
	pdf.SetCatalogSort(true)
	pdf.SetCreator(SiteName, true)
	pdf.SetProducer(SiteName, true)
	pdf.SetTitle(i18n.T(lang, "certificate.heading")+" "+clean(f.Number), true)
	pdf.SetLang(string(lang))
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.AddPage()

	drawFrame(pdf)

	// Head: site name, heading, the sentence that says what is certified.
	y := 27.0
	textColor(pdf, colorAccent)
	pdf.SetFont(family, "B", 15)
	centre(pdf, y, SiteName)
	pdf.SetDrawColor(colorAccent[0], colorAccent[1], colorAccent[2])
	pdf.SetLineWidth(0.4)
	pdf.Line(pageW/2-18, y+5, pageW/2+18, y+5)

	y = 46
	textColor(pdf, colorText)
	pdf.SetFont(family, "B", 28)
	centre(pdf, y, i18n.T(lang, "certificate.heading"))

	y = 58
	textColor(pdf, colorLabel)
	_, intro := block{maxSize: 12.5, minSize: 10, maxLines: 2}.layout(pdf, i18n.T(lang, "certificate.intro", SiteName)+":")
	for _, line := range intro {
		centre(pdf, y, line)
		y += 6
	}

	// The material: its title, large, in quotation marks, then its address.
	// Quotation marks inside the title become the inner kind, as the
	// typographic custom of each language has it: «… „…“ …», “… ‘…’ …”.
	open, close := "«", "»"
	inner := strings.NewReplacer("«", "„", "»", "“")
	if lang == i18n.EN {
		open, close = "“", "”"
		inner = strings.NewReplacer("“", "‘", "”", "’")
	}
	y += 6
	textColor(pdf, colorText)
	title := block{style: "B", maxSize: 22, minSize: 11, maxLines: 3, tail: close}
	size, lines := title.layout(pdf, open+inner.Replace(clip(clean(f.Title)))+close)
	for _, line := range lines {
		y += size * 0.3528 * 1.25
		centre(pdf, y, line)
	}
	if u := clean(f.MaterialURL); u != "" {
		y += 7
		textColor(pdf, colorLabel)
		centre(pdf, y, block{maxSize: 9, minSize: 9}.line(pdf, u))
	}

	// The author.
	y = max(y+14, 118)
	textColor(pdf, colorLabel)
	pdf.SetFont(family, "", 11)
	centre(pdf, y, i18n.T(lang, "certificate.author"))
	textColor(pdf, colorText)
	size, lines = block{maxSize: 22, minSize: 12, maxLines: 2}.layout(pdf, clip(clean(f.AuthorName)))
	y += 3
	for _, line := range lines {
		y += size * 0.3528 * 1.2
		centre(pdf, y, line)
	}

	drawFooter(pdf, f, lang, sig, qr)

	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certificate: pdf: %w", err)
	}
	return nil
}

// drawFrame draws a double border: a heavy outer line and a hairline
// inside it, with small squares at the inner corners.
func drawFrame(pdf *fpdf.Fpdf) {
	pdf.SetDrawColor(colorAccent[0], colorAccent[1], colorAccent[2])
	pdf.SetFillColor(colorAccent[0], colorAccent[1], colorAccent[2])
	pdf.SetLineWidth(1.6)
	pdf.Rect(9, 9, pageW-18, pageH-18, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(13, 13, pageW-26, pageH-26, "D")
	for _, c := range [][2]float64{{13, 13}, {pageW - 13, 13}, {13, pageH - 13}, {pageW - 13, pageH - 13}} {
		pdf.Rect(c[0]-1.5, c[1]-1.5, 3, 3, "F")
	}
}

// drawFooter writes number and date on the left, the QR code on the
// right, and the verify address and signature in small type at the foot.
func drawFooter(pdf *fpdf.Fpdf, f Fields, lang i18n.Lang, sig, qr []byte) {
	const top = 150.0
	left := 30.0

	label := func(y float64, key, value string) {
		textColor(pdf, colorLabel)
		pdf.SetFont(family, "", 9.5)
		pdf.Text(left, y, i18n.T(lang, key))
		textColor(pdf, colorText)
		pdf.Text(left, y+6.5, block{style: "B", maxSize: 13, minSize: 8}.line(pdf, value))
	}
	label(top+8, "certificate.number", clean(f.Number))
	label(top+24, "certificate.date", formatDate(f, lang))

	// QR code, linked as well, for a reader who opens the PDF on screen.
	qx, qy := pageW-30-qrSize, top-6
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("qr", opt, bytes.NewReader(qr))
	pdf.ImageOptions("qr", qx, qy, qrSize, qrSize, false, opt, 0, f.VerifyURL)
	textColor(pdf, colorLabel)
	pdf.SetFont(family, "", 7.5)
	scan := i18n.T(lang, "certificate.scan")
	pdf.Text(qx+qrSize/2-pdf.GetStringWidth(scan)/2, qy+qrSize+3.5, scan)

	// Small type at the foot: where to verify and the signature.
	verify := block{maxSize: 8, minSize: 6}.line(pdf, i18n.T(lang, "certificate.verify", clean(f.VerifyURL)))
	vw := pdf.GetStringWidth(verify)
	pdf.SetXY(pageW/2-vw/2, 186)
	pdf.CellFormat(vw, 4, verify, "", 0, "L", false, 0, f.VerifyURL)
	pdf.SetFont(family, "", 8)
	centre(pdf, 194, i18n.T(lang, "certificate.signature", SignatureFingerprint(sig)))
}

// formatDate writes the issue date the way it is written in lang, in
// Kazakhstan's time zone shared by the whole site (i18n.Zone, Asia/Almaty
// from the embedded tzdata), so a certificate issued late in the evening
// carries the local date, and one issued before 1 March 2024, when Almaty
// was on UTC+6, the date its clock showed then.
func formatDate(f Fields, lang i18n.Lang) string {
	t := f.IssuedAt.In(i18n.Zone)
	month := i18n.T(lang, fmt.Sprintf("certificate.month.%02d", int(t.Month())))
	return i18n.T(lang, "certificate.date.format", t.Day(), month, t.Year())
}

// qrPNG draws a QR code for url as a PNG, medium error correction, with
// the quiet zone the standard asks for so scanners find it on the page.
func qrPNG(url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	// Whole pixels per module keep the edges sharp at any zoom.
	n := len(q.Bitmap())
	return q.PNG(n * 8)
}

// textColor sets the text colour.
func textColor(pdf *fpdf.Fpdf, c [3]int) { pdf.SetTextColor(c[0], c[1], c[2]) }

// centre writes s centred on the page with its baseline at y.
func centre(pdf *fpdf.Fpdf, y float64, s string) {
	pdf.Text(pageW/2-pdf.GetStringWidth(s)/2, y, s)
}

// block is how a piece of text is laid out in the centred column: at the
// largest size from maxSize down to minSize (in half points) at which it
// wraps into maxLines; at minSize the last line is cut with an ellipsis,
// and tail (a closing quotation mark) is kept after it.
type block struct {
	style            string
	maxSize, minSize float64
	maxLines         int
	tail             string
}

// layout sets the font size chosen for s and returns it with the lines,
// always at least one (perhaps empty).
func (b block) layout(pdf *fpdf.Fpdf, s string) (float64, []string) {
	size := b.maxSize
	for {
		pdf.SetFont(family, b.style, size)
		lines := wrap(pdf, s, textW)
		if len(lines) == 0 {
			return size, []string{""}
		}
		if len(lines) <= b.maxLines {
			return size, lines
		}
		if size-0.5 < b.minSize {
			lines = lines[:b.maxLines]
			cut := "…" + b.tail
			last := []rune(lines[b.maxLines-1])
			for len(last) > 0 && pdf.GetStringWidth(string(last)+cut) > textW {
				last = last[:len(last)-1]
			}
			lines[b.maxLines-1] = strings.TrimRightFunc(string(last), unicode.IsSpace) + cut
			return size, lines
		}
		size -= 0.5
	}
}

// line lays s out on a single line and returns it.
func (b block) line(pdf *fpdf.Fpdf, s string) string {
	b.maxLines = 1
	_, lines := b.layout(pdf, s)
	return lines[0]
}

// wrap breaks s into lines no wider than w at spaces, and inside a word
// only when the word alone is wider than w.
func wrap(pdf *fpdf.Fpdf, s string, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if pdf.GetStringWidth(try) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		// A word wider than the line is broken where it reaches the edge
		// (fpdf does not kern, so widths add up rune by rune).
		for pdf.GetStringWidth(word) > w {
			cut, width := 0, 0.0
			for i, r := range word {
				width += pdf.GetStringWidth(string(r))
				if i > 0 && width > w {
					break
				}
				cut = i + utf8.RuneLen(r)
			}
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// clean makes any string printable by fpdf with the embedded font:
// valid UTF-8, one space for every run of white space or control
// characters, invisible format characters (bidi overrides, zero-width
// marks) dropped, and characters outside the Basic Multilingual Plane
// (emoji, rare scripts), which fpdf's font tables cannot hold, replaced.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		case r > 0xFFFF:
			r = '\uFFFD'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxRunes bounds the text laid out: three lines at the smallest size hold
// far fewer characters, and the bound keeps the work small for any input.
const maxRunes = 1000

// clip cuts s to maxRunes characters.
func clip(s string) string {
	n := 0
	for i := range s {
		if n == maxRunes {
			return s[:i]
		}
		n++
	}
	return s
}
