package extract

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// The sentences every sample carries. The Kazakh one has all nine letters
// that are not in the Russian alphabet (ә ғ қ ң ө ұ ү һ і), so a path that
// loses any of them fails.
const (
	kkSentence = "Ұстаз шәкірттеріне қаһарман Момышұлы туралы әңгімелеп, ғылыми жобаның нәтижесін өзі түсіндірді."
	ruSentence = "План урока по казахскому языку для учеников пятого класса."
)

var update = flag.Bool("update", false, "rewrite the generated files in testdata/")

// sampleFiles are the committed samples: name → how it is made (nil: made
// outside Go, see testdata/README.md).
var sampleFiles = map[string]func() []byte{
	"sample.pdf":         nil,
	"sample.docx":        func() []byte { return docxWith(documentXML(kkSentence, ruSentence)) },
	"sample.pptx":        samplePPTX,
	"sample.xlsx":        sampleXLSX,
	"sample.odt":         sampleODT,
	"sample.odp":         sampleODP,
	"sample.rtf":         sampleRTF,
	"sample-utf8.txt":    func() []byte { return []byte(kkSentence + "\r\n\r\n" + ruSentence + "\r\n") },
	"sample-utf16le.txt": func() []byte { return utf16LE(kkSentence+"\r\n"+ruSentence+"\r\n", true) },
	"sample-cp1251.txt":  sampleCP1251,
	"sample.doc":         func() []byte { return cfb("WordDocument") },
	"sample.jpg":         sampleJPEG,
	"sample.png":         samplePNG,
	"sample.zip":         sampleZip,
}

// TestWriteTestdata rewrites the generated samples with -update, and
// otherwise checks that the committed ones are what the generators make.
func TestWriteTestdata(t *testing.T) {
	for name, gen := range sampleFiles {
		if gen == nil {
			continue
		}
		want := gen()
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if why := sampleDiffers(got, want); why != "" {
			t.Errorf("%s differs from its generator (%s); run go test -run TestWriteTestdata -update", name, why)
		}
	}
}

// sampleDiffers says how a committed sample differs from what its
// generator makes now, or "". Compressed samples are compared by what they
// hold, not byte for byte: a new Go may compress the same content into
// other bytes (Go 1.27's compress/flate did).
func sampleDiffers(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	switch {
	case bytes.HasPrefix(want, []byte("PK\x03\x04")):
		g, err1 := zipEntries(got)
		w, err2 := zipEntries(want)
		if err1 != nil || err2 != nil {
			return fmt.Sprintf("not a ZIP: %v %v", err1, err2)
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%d entries, want %d", len(g), len(w))
		}
		for i := range w {
			if g[i] != w[i] {
				return fmt.Sprintf("entry %d is %.40q, want %.40q", i, g[i], w[i])
			}
		}
		return ""
	case bytes.HasPrefix(want, []byte("\x89PNG")):
		g, err1 := png.Decode(bytes.NewReader(got))
		w, err2 := png.Decode(bytes.NewReader(want))
		if err1 != nil || err2 != nil {
			return fmt.Sprintf("not a PNG: %v %v", err1, err2)
		}
		if g.Bounds() != w.Bounds() {
			return fmt.Sprintf("size %v, want %v", g.Bounds(), w.Bounds())
		}
		b := w.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if color.RGBAModel.Convert(g.At(x, y)) != color.RGBAModel.Convert(w.At(x, y)) {
					return fmt.Sprintf("pixel (%d, %d)", x, y)
				}
			}
		}
		return ""
	}
	return "other bytes"
}

// zipEntries is a ZIP's entries in order, each as its name, method and
// uncompressed content (a ZIP inside, by its own entries).
func zipEntries(b []byte) ([]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		_, err = buf.ReadFrom(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		content := buf.String()
		if bytes.HasPrefix(buf.Bytes(), []byte("PK\x03\x04")) {
			// A ZIP inside (a document in an archive): by content too.
			inner, err := zipEntries(buf.Bytes())
			if err != nil {
				return nil, err
			}
			content = strings.Join(inner, "\x00")
		}
		out = append(out, fmt.Sprintf("%s %d %s", f.Name, f.Method, content))
	}
	return out, nil
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zipEntry is one file of a zip built by makeZip.
type zipEntry struct {
	name  string
	data  []byte
	store bool // stored, not deflated (the ODF mimetype entry must be)
}

var sampleTime = time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)

func makeZip(entries ...zipEntry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: sampleTime}
		if e.store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			panic(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func contentTypesXML(overrides ...string) string {
	var b strings.Builder
	b.WriteString(xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`)
	for i := 0; i+1 < len(overrides); i += 2 {
		fmt.Fprintf(&b, `<Override PartName="%s" ContentType="%s"/>`, overrides[i], overrides[i+1])
	}
	b.WriteString(`</Types>`)
	return b.String()
}

func relsXML(target string) string {
	return xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="` + target + `"/></Relationships>`
}

// documentXML is a WordprocessingML body with one paragraph per argument;
// the first is split into runs, as Word splits text it spell-checks.
func documentXML(paras ...string) []byte {
	var b strings.Builder
	b.WriteString(xmlDecl + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for i, p := range paras {
		b.WriteString(`<w:p><w:pPr><w:jc w:val="both"/></w:pPr>`)
		if i == 0 {
			words := strings.SplitAfter(p, " ")
			for _, w := range words {
				fmt.Fprintf(&b, `<w:r><w:rPr><w:lang w:val="kk-KZ"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>`, w)
			}
		} else {
			fmt.Fprintf(&b, `<w:r><w:t>%s</w:t></w:r>`, p)
		}
		b.WriteString(`</w:p>`)
	}
	b.WriteString(`<w:sectPr/></w:body></w:document>`)
	return []byte(b.String())
}

const docxMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

// docxWith packages a word/document.xml as a docx.
func docxWith(document []byte) []byte {
	return makeZip(
		zipEntry{name: "[Content_Types].xml", data: []byte(contentTypesXML("/word/document.xml", docxMain))},
		zipEntry{name: "_rels/.rels", data: []byte(relsXML("word/document.xml"))},
		zipEntry{name: "word/document.xml", data: document},
	)
}

func slideXML(paras ...string) []byte {
	var b strings.Builder
	b.WriteString(xmlDecl + `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>`)
	for _, p := range paras {
		fmt.Fprintf(&b, `<a:p><a:r><a:rPr lang="kk-KZ"/><a:t>%s</a:t></a:r></a:p>`, p)
	}
	b.WriteString(`</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`)
	return []byte(b.String())
}

func pptxWith(slides map[int][]byte) []byte {
	ov := []string{"/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"}
	entries := []zipEntry{{}, {name: "_rels/.rels", data: []byte(relsXML("ppt/presentation.xml"))},
		{name: "ppt/presentation.xml", data: []byte(xmlDecl + `<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`)}}
	for n := 1; n <= 20; n++ {
		if s, ok := slides[n]; ok {
			name := fmt.Sprintf("ppt/slides/slide%d.xml", n)
			ov = append(ov, "/"+name, "application/vnd.openxmlformats-officedocument.presentationml.slide+xml")
			entries = append(entries, zipEntry{name: name, data: s})
		}
	}
	entries[0] = zipEntry{name: "[Content_Types].xml", data: []byte(contentTypesXML(ov...))}
	return makeZip(entries...)
}

func samplePPTX() []byte {
	return pptxWith(map[int][]byte{1: slideXML("Сабақ жоспары", kkSentence), 2: slideXML(ruSentence)})
}

func sampleXLSX() []byte {
	sst := xmlDecl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">` +
		`<si><t>` + kkSentence + `</t></si>` +
		`<si><r><t xml:space="preserve">План урока </t></r><r><rPr><b/></rPr><t>по казахскому языку для учеников пятого класса.</t></r><rPh sb="0" eb="1"><t>ФОНЕТИКА</t></rPh></si></sst>`
	sheet := xmlDecl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>42</v></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>Бағалау критерийлері</t></is></c></row></sheetData></worksheet>`
	return makeZip(
		zipEntry{name: "[Content_Types].xml", data: []byte(contentTypesXML(
			"/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
			"/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
			"/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"))},
		zipEntry{name: "_rels/.rels", data: []byte(relsXML("xl/workbook.xml"))},
		zipEntry{name: "xl/workbook.xml", data: []byte(xmlDecl + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Парақ1" sheetId="1"/></sheets></workbook>`)},
		zipEntry{name: "xl/sharedStrings.xml", data: []byte(sst)},
		zipEntry{name: "xl/worksheets/sheet1.xml", data: []byte(sheet)},
	)
}

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" office:version="1.3"`

func odfWith(mime, content string) []byte {
	manifest := xmlDecl + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + mime + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`
	return makeZip(
		zipEntry{name: "mimetype", data: []byte(mime), store: true},
		zipEntry{name: "content.xml", data: []byte(content)},
		zipEntry{name: "META-INF/manifest.xml", data: []byte(manifest)},
	)
}

func sampleODT() []byte {
	words := strings.SplitN(kkSentence, " ", 3)
	content := xmlDecl + `<office:document-content ` + odfNS + `><office:body><office:text>` +
		`<text:h text:outline-level="1">Сабақ жоспары</text:h>` +
		`<text:p>` + words[0] + `<text:s/>` + words[1] + ` <text:span>` + words[2] + `</text:span></text:p>` +
		`<text:p>` + ruSentence + `</text:p></office:text></office:body></office:document-content>`
	return odfWith("application/vnd.oasis.opendocument.text", content)
}

func sampleODP() []byte {
	content := xmlDecl + `<office:document-content ` + odfNS + `><office:body><office:presentation>` +
		`<draw:page draw:name="page1"><draw:frame><draw:text-box><text:p>` + kkSentence + `</text:p></draw:text-box></draw:frame></draw:page>` +
		`<draw:page draw:name="page2"><draw:frame><draw:text-box><text:p>` + ruSentence + `</text:p></draw:text-box></draw:frame></draw:page>` +
		`</office:presentation></office:body></office:document-content>`
	return odfWith("application/vnd.oasis.opendocument.presentation", content)
}

// rtfEscape writes s as Word does: ASCII as is, everything else as \uN with
// a \'hh fallback in code page 1251 where it has one, "?" where it has not.
func rtfEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\u%d`, int16(r))
			if c, ok := charmap.Windows1251.EncodeRune(r); ok {
				fmt.Fprintf(&b, `\'%02x`, c)
			} else {
				b.WriteString("?")
			}
		}
	}
	return b.String()
}

func sampleRTF() []byte {
	ru, _ := charmap.Windows1251.NewEncoder().String(ruSentence)
	var hexRU strings.Builder
	for i := 0; i < len(ru); i++ {
		if ru[i] < 0x80 {
			hexRU.WriteByte(ru[i])
		} else {
			fmt.Fprintf(&hexRU, `\'%02x`, ru[i])
		}
	}
	return []byte(`{\rtf1\ansi\ansicpg1251\deff0\uc1` +
		`{\fonttbl{\f0\froman\fcharset204 Times New Roman;}{\f1\fswiss\fcharset0 Arial;}}` +
		`{\colortbl;\red0\green0\blue0;}` +
		`{\*\generator Riched20 10.0.19041}{\info{\title ЖАСЫРЫН}{\author Hidden}}` +
		"\n" + `\pard\f0\fs28 ` + rtfEscape(kkSentence) + `\par` + "\n" +
		hexRU.String() + `\par` + "\n" +
		`{\pict\pngblip\picw10\pich10 89504e470d0a1a0a}` +
		`\f1 Tab\tab end\par}`)
}

// cp1251Text is what Windows Notepad could save in code page 1251: Russian,
// and Kazakh words that use only letters the code page has (і is there; ә,
// ғ, қ, ң, ө, ұ, ү, һ are not).
const cp1251Text = ruSentence + "\r\nБілім мен ілім — ырыс.\r\n"

func sampleCP1251() []byte {
	b, err := charmap.Windows1251.NewEncoder().String(cp1251Text)
	if err != nil {
		panic(err)
	}
	return []byte(b)
}

func utf16LE(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func sampleImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(0, 0, color.White)
	return img
}

func sampleJPEG() []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, sampleImage(), nil)
	return b.Bytes()
}

func samplePNG() []byte {
	var b bytes.Buffer
	png.Encode(&b, sampleImage())
	return b.Bytes()
}

// sampleZip is a plain archive of lesson files, with a docx inside (nested
// archives are accepted and never opened).
func sampleZip() []byte {
	return makeZip(
		zipEntry{name: "сабақ/жоспар.txt", data: []byte(kkSentence)},
		zipEntry{name: "сабақ/word/document.xml", data: documentXML("not a docx: no content types")},
		zipEntry{name: "сабақ/ішкі.docx", data: docxWith(documentXML(kkSentence))},
	)
}

// cfb builds a minimal OLE compound file (version 3, 512-byte sectors) whose
// root storage holds empty streams with the given names, enough for the
// directory to name the application (WordDocument, Workbook, …).
func cfb(streams ...string) []byte {
	const sector = 512
	const endOfChain, freeSect, fatSect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
	nDir := (len(streams) + 1 + 3) / 4 // directory sectors, four entries each
	hdr := make([]byte, sector)
	copy(hdr, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le := binary.LittleEndian
	le.PutUint16(hdr[0x18:], 0x003E) // minor version
	le.PutUint16(hdr[0x1A:], 3)      // major version
	le.PutUint16(hdr[0x1C:], 0xFFFE) // little-endian
	le.PutUint16(hdr[0x1E:], 9)      // 512-byte sectors
	le.PutUint16(hdr[0x20:], 6)      // 64-byte mini sectors
	le.PutUint32(hdr[0x2C:], 1)      // one FAT sector
	le.PutUint32(hdr[0x30:], 1)      // directory starts at sector 1
	le.PutUint32(hdr[0x38:], 4096)   // mini stream cutoff
	le.PutUint32(hdr[0x3C:], endOfChain)
	le.PutUint32(hdr[0x44:], endOfChain)
	le.PutUint32(hdr[0x4C:], 0) // FAT is sector 0
	for i := 1; i < 109; i++ {
		le.PutUint32(hdr[0x4C+4*i:], freeSect)
	}
	fat := make([]byte, sector)
	for i := 0; i < sector/4; i++ {
		le.PutUint32(fat[4*i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	for i := 1; i <= nDir; i++ {
		next := uint32(i + 1)
		if i == nDir {
			next = endOfChain
		}
		le.PutUint32(fat[4*i:], next)
	}
	dir := make([]byte, nDir*sector)
	entry := func(i int, name string, typ byte, left, right, child uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*(len(u)+1)))
		e[0x42] = typ
		e[0x43] = 1 // black
		le.PutUint32(e[0x44:], left)
		le.PutUint32(e[0x48:], right)
		le.PutUint32(e[0x4C:], child)
		le.PutUint32(e[0x74:], endOfChain)
	}
	const none = 0xFFFFFFFF
	child := uint32(none)
	if len(streams) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, none, none, child)
	for i, s := range streams {
		right := uint32(none)
		if i+1 < len(streams) {
			right = uint32(i + 2) // a chain of right siblings is a valid (degenerate) tree
		}
		entry(i+1, s, 2, none, right, none)
	}
	return append(append(hdr, fat...), dir...)
}
