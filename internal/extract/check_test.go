package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// zeros300MB is a raw deflate stream of 300 MB of zeros (about 300 KB).
var zeros300MB = sync.OnceValue(func() []byte { return deflated(300<<20, 0) })

func deflated(n int64, fill byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	for n > 0 {
		c := min(n, int64(len(chunk)))
		w.Write(chunk[:c])
		n -= c
	}
	w.Close()
	return buf.Bytes()
}

// rawZip builds a zip whose entries carry the given deflate data and declare
// the given uncompressed size, true or not.
func rawZip(entries ...rawEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.deflated == nil {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: sampleTime})
			w.Write(e.data)
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate, Modified: sampleTime,
			CompressedSize64: uint64(len(e.deflated)), UncompressedSize64: e.declared,
			CRC32: crc32.ChecksumIEEE(nil),
		})
		if err != nil {
			panic(err)
		}
		w.Write(e.deflated)
	}
	zw.Close()
	return buf.Bytes()
}

type rawEntry struct {
	name     string
	data     []byte // written normally when deflated is nil
	deflated []byte
	declared uint64
}

func docxParts() []rawEntry {
	return []rawEntry{
		{name: "[Content_Types].xml", data: []byte(contentTypesXML("/word/document.xml", docxMain))},
		{name: "_rels/.rels", data: []byte(relsXML("word/document.xml"))},
	}
}

// allocated returns how many bytes the heap handed out while f ran: every
// allocation counts, even short-lived ones, so a decompression into memory
// cannot hide.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const fewMB = 8 << 20

func TestCheckRefusesBombs(t *testing.T) {
	deep := xmlDecl + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		strings.Repeat("<w:p>", 100000) + strings.Repeat("</w:p>", 100000) + `</w:document>`
	laughs := xmlDecl + `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`
	var manyParas strings.Builder
	manyParas.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for i := 0; i < 2000; i++ {
		manyParas.WriteString(`<w:p><w:r><w:t>сөз</w:t></w:r></w:p>`)
	}
	manyParas.WriteString(`</w:body></w:document>`)
	var many []zipEntry
	for i := 0; i < 100000; i++ {
		many = append(many, zipEntry{name: fmt.Sprint(i), store: true})
	}
	manyEntries := makeZip(many...)

	small := DefaultLimits
	small.MaxUncompressed = 1 << 20
	fewTokens := DefaultLimits
	fewTokens.MaxTokens = 1000

	cases := []struct {
		name string
		kind Kind
		lim  Limits
		data []byte
	}{
		{"zip entry that declares 1 KB and inflates to 300 MB", ZIP, DefaultLimits,
			rawZip(rawEntry{name: "a.txt", deflated: zeros300MB(), declared: 1000})},
		{"zip entry of 300 MB declared honestly (ratio 1000:1)", ZIP, DefaultLimits,
			rawZip(rawEntry{name: "a.txt", deflated: zeros300MB(), declared: 300 << 20})},
		{"zip entry of 10 MB compressed 1000:1", ZIP, DefaultLimits,
			rawZip(rawEntry{name: "a.txt", deflated: deflated(10<<20, 0), declared: 10 << 20})},
		{"zip of 100000 empty entries", ZIP, DefaultLimits, manyEntries},
		{"zip whose honest entries add up past the limit", ZIP, small,
			rawZip(rawEntry{name: "1", data: randomBytes(1, 400<<10)}, rawEntry{name: "2", data: randomBytes(2, 400<<10)}, rawEntry{name: "3", data: randomBytes(3, 400<<10)})},
		{"docx whose document.xml is 300 MB of zeros", DOCX, DefaultLimits,
			rawZip(append(docxParts(), rawEntry{name: "word/document.xml", deflated: zeros300MB(), declared: 300 << 20})...)},
		{"docx whose document.xml declares 2 KB and inflates to 300 MB", DOCX, DefaultLimits,
			rawZip(append(docxParts(), rawEntry{name: "word/document.xml", deflated: zeros300MB(), declared: 2048})...)},
		{"docx whose XML nests 100000 deep", DOCX, DefaultLimits, docxWith([]byte(deep))},
		{"docx with billion laughs entities", DOCX, DefaultLimits, docxWith([]byte(laughs))},
		{"docx with more XML tokens than the limit", DOCX, fewTokens, docxWith([]byte(manyParas.String()))},
		{"odt whose XML nests 100000 deep", ODT, DefaultLimits, odfWith("application/vnd.oasis.opendocument.text",
			strings.Repeat("<text:p xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">", 100000))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err, terr error
			alloc := allocated(func() {
				err = Check(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), c.kind, c.lim)
			})
			if !errors.Is(err, ErrBomb) {
				t.Fatalf("Check = %v, want ErrBomb", err)
			}
			if alloc > fewMB+uint64(len(c.data)) {
				t.Fatalf("Check allocated %d MB", alloc>>20)
			}
			alloc = allocated(func() {
				_, terr = Text(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), c.kind, c.lim)
			})
			if c.kind != ZIP && !errors.Is(terr, ErrBomb) {
				t.Fatalf("Text = %v, want ErrBomb", terr)
			}
			if alloc > fewMB+uint64(len(c.data)) {
				t.Fatalf("Text allocated %d MB", alloc>>20)
			}
		})
	}
}

// The refusals above are for the sizes, not for the shapes: the same
// constructions at honest sizes pass.
func TestCheckAcceptsHonestFiles(t *testing.T) {
	cases := []struct {
		name string
		kind Kind
		data []byte
	}{
		{"zip entry of 100 KB zeros", ZIP, rawZip(rawEntry{name: "a.txt", deflated: deflated(100<<10, 0), declared: 100 << 10})},
		{"zip of 2000 entries", ZIP, func() []byte {
			var es []zipEntry
			for i := 0; i < 2000; i++ {
				es = append(es, zipEntry{name: fmt.Sprintf("сабақ/%d.txt", i), data: []byte(kkSentence)})
			}
			return makeZip(es...)
		}()},
		{"docx nesting 100 deep", DOCX, docxWith([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
			strings.Repeat("<w:sdt>", 100) + `<w:p><w:r><w:t>` + kkSentence + `</w:t></w:r></w:p>` + strings.Repeat("</w:sdt>", 100) + `</w:document>`))},
		{"pdf sample", PDF, readSample(t, "sample.pdf")},
		{"hand-made pdf", PDF, handPDF(contentObj("BT /F1 12 Tf 72 700 Td (Hello lesson) Tj ET", false))},
		{"hand-made pdf with a cross-reference stream", PDF, xrefStreamPDF("/Size 6 /W [1 2 1]")},
		{"pdf with a 200 KB array object", PDF, handPDF(contentObj("BT ET", false), "["+strings.Repeat("1 0 R ", 40000)+"]")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := Check(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), c.kind, DefaultLimits); err != nil {
				t.Fatalf("Check = %v", err)
			}
		})
	}
	// The hand-made PDFs are real enough for the parser: the guards below
	// refuse variants of files it reads.
	for _, data := range [][]byte{handPDF(contentObj("BT /F1 12 Tf 72 700 Td (Hello lesson) Tj ET", false)), xrefStreamPDF("/Size 6 /W [1 2 1]")} {
		got, err := Text(context.Background(), bytes.NewReader(data), int64(len(data)), PDF, DefaultLimits)
		if err != nil || got != "Hello lesson" {
			t.Fatalf("Text(hand-made pdf) = %q, %v", got, err)
		}
	}
}

// handPDF assembles a one-page PDF around a content stream object (object
// 4), with a classic cross-reference table whose first subsection header is
// xrefHeader ("" for the true one).
func handPDF(content string, extra ...string) []byte {
	return assemblePDF(content, "", extra...)
}

func assemblePDF(content, xrefHeader string, extra ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		content,
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	objs = append(objs, extra...)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	if xrefHeader == "" {
		xrefHeader = fmt.Sprintf("0 %d", len(objs)+1)
	}
	fmt.Fprintf(&b, "xref\n%s\n0000000000 65535 f \n", xrefHeader)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// contentObj is a content stream object, flate-compressed or not.
func contentObj(ops string, compress bool) string {
	if !compress {
		return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(ops)+1, ops)
	}
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write([]byte(ops))
	w.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes())
}

// xrefStreamPDF is the one-page PDF with a cross-reference stream (object
// 6) whose dictionary holds dict (Size, W, Index) instead of a table.
func xrefStreamPDF(dict string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		contentObj("BT /F1 12 Tf 72 700 Td (Hello lesson) Tj ET", true),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs)+1)
	for i, o := range objs {
		offsets[i+1] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	var rows []byte
	rows = append(rows, 0, 0, 0, 0xFF) // object 0: free
	for _, off := range offsets[1:] {
		rows = append(rows, 1)
		rows = binary.BigEndian.AppendUint16(rows, uint16(off))
		rows = append(rows, 0)
	}
	fmt.Fprintf(&b, "6 0 obj\n<< /Type /XRef %s /Root 1 0 R /Length %d >>\nstream\n", dict, len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func TestCheckRefusesPDFBombs(t *testing.T) {
	var zeros bytes.Buffer
	zw := zlib.NewWriter(&zeros)
	io.Copy(zw, io.LimitReader(zeroReader{}, 100<<20))
	zw.Close()
	inflating := fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", zeros.Len(), zeros.Bytes())

	cases := []struct {
		name string
		data []byte
	}{
		{"content stream inflating to 100 MB", handPDF(inflating)},
		{"content stream nesting arrays 100000 deep", handPDF(contentObj(strings.Repeat("[", 100000), false))},
		{"compressed content stream nesting 100000 deep", handPDF(contentObj(strings.Repeat("[", 100000), true))},
		{"stream whose dictionary is 200 KB", handPDF(strings.Replace(contentObj("BT ET", true), "/Filter", "/Junk ["+strings.Repeat("0 ", 100000)+"] /Filter", 1))},
		{"object nesting dictionaries 100000 deep", handPDF(contentObj("BT ET", false), strings.Repeat("<<", 100000))},
		{"cross-reference table of 10^11 objects", assemblePDF(contentObj("BT ET", false), "0 99999999999")},
		{"cross-reference stream of 10^11 objects", xrefStreamPDF("/Size 99999999999 /W [1 2 1]")},
		{"cross-reference stream with 100000-byte fields", xrefStreamPDF("/Size 6 /W [1 100000 1]")},
		{"cross-reference stream indexing object 10^11", xrefStreamPDF("/Size 6 /W [1 2 1] /Index [99999999999 6]")},
		{"predictor rows of 10^9 bytes", handPDF(strings.Replace(contentObj("BT ET", true), "/Filter", "/DecodeParms << /Predictor 12 /Columns 999999999 >> /Filter", 1))},
		{"predictor width by reference", handPDF(strings.Replace(contentObj("BT ET", true), "/Filter", "/DecodeParms << /Predictor 12 /Columns 6 0 R >> /Filter", 1), "999999999")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err, terr error
			alloc := allocated(func() {
				err = Check(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), PDF, DefaultLimits)
				_, terr = Text(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), PDF, DefaultLimits)
			})
			if !errors.Is(err, ErrBomb) || !errors.Is(terr, ErrBomb) {
				t.Fatalf("Check = %v, Text = %v; want ErrBomb", err, terr)
			}
			if alloc > fewMB+2*uint64(len(c.data)) {
				t.Fatalf("Check and Text allocated %d MB", alloc>>20)
			}
		})
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestCheckCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := makeZip(zipEntry{name: "a", data: []byte("x")})
	if err := Check(ctx, bytes.NewReader(data), int64(len(data)), ZIP, DefaultLimits); !errors.Is(err, context.Canceled) {
		t.Fatalf("Check with a cancelled context = %v", err)
	}
}
