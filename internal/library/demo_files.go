package library

import (
	"archive/zip"
	"bytes"
	"embed"
	"fmt"
	"html"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Real small files for demo materials, made the way the extract package's
// test samples are: Office Open XML and OpenDocument packages written
// part by part, RTF as Word writes it, UTF-8 text as Notepad saves it.
// PDFs cannot be written here without embedding a font (and a PDF written
// by go-pdf/fpdf does not read back through the extractor), so three
// worksheets printed by headless Chromium are embedded instead; see
// demodata/README.md.

//go:embed demodata/*.pdf
var demoPDFs embed.FS

// demoDoc is the text of one demo file: a heading and paragraphs, the
// title of each slide, and a table of assessment criteria.
type demoDoc struct {
	heading string
	paras   []string
	table   [][]string
}

// demoFileText writes the lesson a file of subject s on topic tp holds,
// in lang: the plan of a lesson with its key notions, as teachers write
// it.
func demoFileText(s demoSubject, tp demoTopic, lang string) demoDoc {
	name := seedName(seedSubjects, s.code, lang)
	switch lang {
	case "ru":
		return demoDoc{
			heading: "План урока по " + s.ruPo,
			paras: []string{
				"Предмет: " + name + ".",
				"Тема урока: " + tp.ru + ".",
				"Цели обучения: учащиеся понимают и применяют ключевые понятия темы: " + tp.ruD + ".",
				"Ход урока.",
				"1. Организационный момент. Создание коллаборативной среды, деление на группы.",
				"2. Изучение нового материала. Ключевые понятия: " + tp.ruD + ".",
				"3. Работа в группах. Каждая группа выполняет задание по теме «" + tp.ru + "» и защищает результат.",
				"4. Оценивание. Обратная связь по критериям оценивания и дескрипторам.",
				"5. Рефлексия. Приём «Пять пальцев»: что я узнал, что было трудно.",
				"Домашнее задание: повторить тему «" + tp.ru + "», выполнить упражнения из учебника.",
			},
			table: [][]string{
				{"Критерий оценивания", "Дескриптор", "Балл"},
				{"Знает ключевые понятия темы «" + tp.ru + "»", "Называет и объясняет: " + tp.ruD, "2"},
				{"Применяет знания", "Правильно выполняет задания", "2"},
				{"Аргументирует ответ", "Приводит собственные примеры", "1"},
				{"Итого", "", "5"},
			},
		}
	case "en":
		return demoDoc{
			heading: "Lesson plan: " + name,
			paras: []string{
				"Unit: " + tp.en + ".",
				"Learning objectives: learners understand and use the key points of the unit: " + tp.enD + ".",
				"Lesson stages.",
				"1. Warm-up. Learners share what they already know about " + tp.en + ".",
				"2. Presentation. Key points: " + tp.enD + ".",
				"3. Group work. Each group completes a task and presents the results.",
				"4. Assessment. Feedback against the assessment criteria and descriptors.",
				"5. Reflection. What did I learn? What was difficult?",
				"Homework: revise the unit and do the exercises in the Student's Book.",
			},
			table: [][]string{
				{"Assessment criterion", "Descriptor", "Points"},
				{"Knows the key points of " + tp.en, "Names and explains: " + tp.enD, "2"},
				{"Uses the language", "Completes the tasks correctly", "2"},
				{"Gives reasons", "Gives own examples", "1"},
				{"Total", "", "5"},
			},
		}
	}
	return demoDoc{
		heading: s.kkFrom + " сабақ жоспары",
		paras: []string{
			"Пәні: " + name + ".",
			"Сабақтың тақырыбы: " + tp.kk + ".",
			"Оқу мақсаттары: оқушылар тақырыптың негізгі ұғымдарын түсінеді және қолданады: " + tp.kkD + ".",
			"Сабақтың барысы.",
			"1. Ұйымдастыру кезеңі. Ынтымақтастық атмосферасын қалыптастыру, топқа бөлу.",
			"2. Жаңа сабақ. Негізгі ұғымдар: " + tp.kkD + ".",
			"3. Топтық жұмыс. Әр топ «" + tp.kk + "» тақырыбы бойынша тапсырманы орындап, нәтижесін қорғайды.",
			"4. Бағалау. Бағалау критерийлері мен дескрипторлар бойынша кері байланыс.",
			"5. Рефлексия. «Бес саусақ» әдісі: не білдім, не қиын болды.",
			"Үй тапсырмасы: «" + tp.kk + "» тақырыбын қайталау, оқулықтағы жаттығуларды орындау.",
		},
		table: [][]string{
			{"Бағалау критерийі", "Дескриптор", "Балл"},
			{"«" + tp.kk + "» тақырыбының негізгі ұғымдарын біледі", "Атайды және түсіндіреді: " + tp.kkD, "2"},
			{"Білімін қолданады", "Тапсырмаларды дұрыс орындайды", "2"},
			{"Жауабын дәлелдейді", "Өз мысалдарын келтіреді", "1"},
			{"Барлығы", "", "5"},
		},
	}
}

// seedName is the name of a seeded term in lang.
func seedName(terms []seedTerm, code, lang string) string {
	for _, t := range terms {
		if t.code == code {
			switch lang {
			case "ru":
				return t.ru
			case "en":
				return t.en
			}
			return t.kk
		}
	}
	return code
}

// demoFileBytes makes a file of kind holding doc (pdf: the worksheet in
// lang, which does not depend on doc).
func demoFileBytes(kind, lang string, doc demoDoc) ([]byte, error) {
	switch kind {
	case "docx":
		return docxFile(doc)
	case "odt":
		return odtFile(doc)
	case "pptx":
		return pptxFile(doc)
	case "odp":
		return odpFile(doc)
	case "xlsx":
		return xlsxFile(doc)
	case "rtf":
		return rtfFile(doc), nil
	case "txt":
		// Notepad's UTF-8 with Windows line ends.
		return []byte(strings.Join(append([]string{doc.heading, ""}, doc.paras...), "\r\n") + "\r\n"), nil
	case "pdf":
		return demoPDFs.ReadFile("demodata/worksheet-" + lang + ".pdf")
	}
	return nil, fmt.Errorf("library: demo file: no generator for %q", kind)
}

// zipPart is one part of a package.
type zipPart struct {
	name  string
	data  string
	store bool // stored, not deflated (the ODF mimetype must be)
}

// demoTime is the modification time written into every package, so the
// same lesson always makes the same bytes (stored once by its hash).
var demoTime = time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)

func zipFile(parts ...zipPart) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: demoTime}
		if p.store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func esc(s string) string { return html.EscapeString(s) }

func contentTypes(overrides ...string) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`)
	for i := 0; i+1 < len(overrides); i += 2 {
		fmt.Fprintf(&b, `<Override PartName="%s" ContentType="%s"/>`, overrides[i], overrides[i+1])
	}
	b.WriteString(`</Types>`)
	return b.String()
}

func rootRels(target string) string {
	return xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="` + target + `"/></Relationships>`
}

func docxFile(d demoDoc) ([]byte, error) {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	fmt.Fprintf(&b, `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="32"/></w:rPr><w:t>%s</w:t></w:r></w:p>`, esc(d.heading))
	for _, p := range d.paras {
		fmt.Fprintf(&b, `<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, esc(p))
	}
	b.WriteString(`<w:tbl>`)
	for _, row := range d.table {
		b.WriteString(`<w:tr>`)
		for _, c := range row {
			fmt.Fprintf(&b, `<w:tc><w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p></w:tc>`, esc(c))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:sectPr/></w:body></w:document>`)
	return zipFile(
		zipPart{name: "[Content_Types].xml", data: contentTypes("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")},
		zipPart{name: "_rels/.rels", data: rootRels("word/document.xml")},
		zipPart{name: "word/document.xml", data: b.String()},
	)
}

// slides are the pages of a presentation: the topic, the objectives, the
// key notions, the assessment, the reflection.
func (d demoDoc) slides() [][]string {
	out := [][]string{{d.heading, d.paras[1]}}
	for i := 2; i+1 < len(d.paras); i += 2 {
		out = append(out, []string{d.paras[i], d.paras[i+1]})
	}
	return out
}

func pptxFile(d demoDoc) ([]byte, error) {
	ov := []string{"/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"}
	parts := []zipPart{{}, {name: "_rels/.rels", data: rootRels("ppt/presentation.xml")},
		{name: "ppt/presentation.xml", data: xmlHead + `<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`}}
	for i, s := range d.slides() {
		var b strings.Builder
		b.WriteString(xmlHead + `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>`)
		for _, p := range s {
			fmt.Fprintf(&b, `<p:sp><p:txBody><a:bodyPr/><a:p><a:r><a:rPr lang="kk-KZ"/><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>`, esc(p))
		}
		b.WriteString(`</p:spTree></p:cSld></p:sld>`)
		name := fmt.Sprintf("ppt/slides/slide%d.xml", i+1)
		ov = append(ov, "/"+name, "application/vnd.openxmlformats-officedocument.presentationml.slide+xml")
		parts = append(parts, zipPart{name: name, data: b.String()})
	}
	parts[0] = zipPart{name: "[Content_Types].xml", data: contentTypes(ov...)}
	return zipFile(parts...)
}

func xlsxFile(d demoDoc) ([]byte, error) {
	var sst, sheet strings.Builder
	var strs []string
	idx := map[string]int{}
	sheet.WriteString(xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	rows := append([][]string{{d.heading}}, d.table...)
	for r, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := fmt.Sprintf("%c%d", 'A'+c, r+1)
			if v == "" {
				continue
			}
			if n := len(v); n <= 2 && v[0] >= '0' && v[0] <= '9' {
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, v)
				continue
			}
			i, ok := idx[v]
			if !ok {
				i = len(strs)
				idx[v] = i
				strs = append(strs, v)
			}
			fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, i)
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	fmt.Fprintf(&sst, xmlHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
	for _, s := range strs {
		fmt.Fprintf(&sst, `<si><t xml:space="preserve">%s</t></si>`, esc(s))
	}
	sst.WriteString(`</sst>`)
	return zipFile(
		zipPart{name: "[Content_Types].xml", data: contentTypes(
			"/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
			"/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
			"/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml")},
		zipPart{name: "_rels/.rels", data: rootRels("xl/workbook.xml")},
		zipPart{name: "xl/workbook.xml", data: xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Бағалау" sheetId="1"/></sheets></workbook>`},
		zipPart{name: "xl/sharedStrings.xml", data: sst.String()},
		zipPart{name: "xl/worksheets/sheet1.xml", data: sheet.String()},
	)
}

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" office:version="1.3"`

func odfFile(mime, content string) ([]byte, error) {
	manifest := xmlHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + mime + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`
	return zipFile(
		zipPart{name: "mimetype", data: mime, store: true},
		zipPart{name: "content.xml", data: content},
		zipPart{name: "META-INF/manifest.xml", data: manifest},
	)
}

func odtFile(d demoDoc) ([]byte, error) {
	var b strings.Builder
	b.WriteString(xmlHead + `<office:document-content ` + odfNS + `><office:body><office:text>`)
	fmt.Fprintf(&b, `<text:h text:outline-level="1">%s</text:h>`, esc(d.heading))
	for _, p := range d.paras {
		fmt.Fprintf(&b, `<text:p>%s</text:p>`, esc(p))
	}
	b.WriteString(`</office:text></office:body></office:document-content>`)
	return odfFile("application/vnd.oasis.opendocument.text", b.String())
}

func odpFile(d demoDoc) ([]byte, error) {
	var b strings.Builder
	b.WriteString(xmlHead + `<office:document-content ` + odfNS + `><office:body><office:presentation>`)
	for i, s := range d.slides() {
		fmt.Fprintf(&b, `<draw:page draw:name="page%d">`, i+1)
		for _, p := range s {
			fmt.Fprintf(&b, `<draw:frame><draw:text-box><text:p>%s</text:p></draw:text-box></draw:frame>`, esc(p))
		}
		b.WriteString(`</draw:page>`)
	}
	b.WriteString(`</office:presentation></office:body></office:document-content>`)
	return odfFile("application/vnd.oasis.opendocument.presentation", b.String())
}

// rtfFile writes RTF as Word does: ASCII as is, every other letter as \uN
// with a code page 1251 fallback where it has one (Kazakh letters mostly
// have none, so "?").
func rtfFile(d demoDoc) []byte {
	var b strings.Builder
	b.WriteString(`{\rtf1\ansi\ansicpg1251\deff0\uc1{\fonttbl{\f0\froman\fcharset204 Times New Roman;}}` + "\n")
	line := func(s string, size int) {
		fmt.Fprintf(&b, `\pard\f0\fs%d `, size)
		for _, r := range s {
			switch {
			case r == '\\' || r == '{' || r == '}':
				b.WriteByte('\\')
				b.WriteRune(r)
			case r < 0x80:
				b.WriteRune(r)
			default:
				fmt.Fprintf(&b, `\u%d`, int16(r))
				if c, ok := charmap.Windows1251.EncodeRune(r); ok {
					fmt.Fprintf(&b, `\'%02x`, c)
				} else {
					b.WriteByte('?')
				}
			}
		}
		b.WriteString(`\par` + "\n")
	}
	line(d.heading, 32)
	for _, p := range d.paras {
		line(p, 28)
	}
	b.WriteString(`}`)
	return []byte(b.String())
}
