package library

import (
	"archive/zip"
	"bytes"
	"embed"
	"fmt"
	"html"
	"strings"
	"time"
	"unicode/utf8"

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
		return pptxFile(doc, lang)
	case "odp":
		return odpFile(doc)
	case "xlsx":
		return xlsxFile(doc, lang)
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
	// Ruled, full width, with its grid (which the schema requires), so the
	// criteria read as a table and not as loose lines.
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/><w:gridCol w:w="1000"/></w:tblGrid>`)
	for _, row := range d.table {
		b.WriteString(`<w:tr>`)
		for _, c := range row {
			fmt.Fprintf(&b, `<w:tc><w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p></w:tc>`, esc(c))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:p/><w:sectPr/></w:body></w:document>`)
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

// rels writes a part's relationships; each target is a type (the last
// segment of its relationship type URI) and a path, ids are rId1….
func rels(targets ...string) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := 0; i+1 < len(targets); i += 2 {
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>`,
			i/2+1, targets[i], targets[i+1])
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// langTag is the language of the text runs (spell checking, hyphenation).
func langTag(lang string) string {
	switch lang {
	case "ru":
		return "ru-RU"
	case "en":
		return "en-GB"
	}
	return "kk-KZ"
}

const pmlNS = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`

// emptyTree is the shape tree's own group properties, which every slide,
// layout and master starts with.
const emptyTree = `<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>`

// pptxTheme is the smallest theme the schema allows (every colour, font
// and format list present). PowerPoint refuses a presentation without
// one; LibreOffice takes its colours and fonts from it.
func pptxTheme() string {
	var b strings.Builder
	b.WriteString(xmlHead + `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Demo"><a:themeElements><a:clrScheme name="Demo">` +
		`<a:dk1><a:srgbClr val="000000"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F3864"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>`)
	for i, c := range []string{"2E74B5", "C55A11", "548235", "BF9000", "7030A0", "2F5597"} {
		fmt.Fprintf(&b, `<a:accent%d><a:srgbClr val="%s"/></a:accent%d>`, i+1, c, i+1)
	}
	b.WriteString(`<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme><a:fontScheme name="Demo">`)
	for _, f := range []string{"majorFont", "minorFont"} {
		fmt.Fprintf(&b, `<a:%s><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:%s>`, f, f)
	}
	b.WriteString(`</a:fontScheme><a:fmtScheme name="Demo">`)
	fill := `<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>`
	for _, l := range []struct{ list, item string }{
		{"fillStyleLst", fill},
		{"lnStyleLst", `<a:ln w="9525">` + fill + `</a:ln>`},
		{"effectStyleLst", `<a:effectStyle><a:effectLst/></a:effectStyle>`},
		{"bgFillStyleLst", fill},
	} {
		b.WriteString(`<a:` + l.list + `>` + strings.Repeat(l.item, 3) + `</a:` + l.list + `>`)
	}
	b.WriteString(`</a:fmtScheme></a:themeElements></a:theme>`)
	return b.String()
}

// pptxFile writes a 16:9 presentation as PowerPoint needs it: a master
// with its theme, one blank layout, and slides whose text boxes have a
// position and a size — without those LibreOffice draws white slides.
// Each slide has a title and a bulleted point.
func pptxFile(d demoDoc, lang string) ([]byte, error) {
	const (
		cx, cy   = 12192000, 6858000 // 33.867 × 19.05 cm
		margin   = 609600
		titleTop = 457200
		titleH   = 1371600
		bodyTop  = titleTop + titleH + 228600
	)
	slides := d.slides()
	ov := []string{
		"/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
		"/ppt/slideMasters/slideMaster1.xml", "application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml",
		"/ppt/slideLayouts/slideLayout1.xml", "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml",
		"/ppt/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml",
	}
	presRels := []string{"slideMaster", "slideMasters/slideMaster1.xml", "theme", "theme/theme1.xml"}
	var pres strings.Builder
	pres.WriteString(xmlHead + `<p:presentation ` + pmlNS + `><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst>`)
	for i := range slides {
		fmt.Fprintf(&pres, `<p:sldId id="%d" r:id="rId%d"/>`, 256+i, i+3)
		presRels = append(presRels, "slide", fmt.Sprintf("slides/slide%d.xml", i+1))
	}
	fmt.Fprintf(&pres, `</p:sldIdLst><p:sldSz cx="%d" cy="%d"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`, cx, cy)

	parts := []zipPart{{}, // [Content_Types].xml, once every slide is named
		{name: "_rels/.rels", data: rootRels("ppt/presentation.xml")},
		{name: "ppt/presentation.xml", data: pres.String()},
		{name: "ppt/_rels/presentation.xml.rels", data: rels(presRels...)},
		{name: "ppt/slideMasters/slideMaster1.xml", data: xmlHead + `<p:sldMaster ` + pmlNS + `><p:cSld><p:spTree>` + emptyTree + `</p:spTree></p:cSld>` +
			`<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>` +
			`<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`},
		{name: "ppt/slideMasters/_rels/slideMaster1.xml.rels", data: rels("slideLayout", "../slideLayouts/slideLayout1.xml", "theme", "../theme/theme1.xml")},
		{name: "ppt/slideLayouts/slideLayout1.xml", data: xmlHead + `<p:sldLayout ` + pmlNS + ` type="blank" preserve="1"><p:cSld name="Blank"><p:spTree>` + emptyTree +
			`</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>`},
		{name: "ppt/slideLayouts/_rels/slideLayout1.xml.rels", data: rels("slideMaster", "../slideMasters/slideMaster1.xml")},
		{name: "ppt/theme/theme1.xml", data: pptxTheme()},
	}
	box := func(b *strings.Builder, id int, name string, y, h int64, anchor, para string) {
		fmt.Fprintf(b, `<p:sp><p:nvSpPr><p:cNvPr id="%d" name="%s"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>`+
			`<p:spPr><a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>`+
			`<p:txBody><a:bodyPr wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="%s"><a:normAutofit/></a:bodyPr><a:lstStyle/>%s</p:txBody></p:sp>`,
			id, name, margin, y, cx-2*margin, h, anchor, para)
	}
	lt := langTag(lang)
	for i, s := range slides {
		var b strings.Builder
		b.WriteString(xmlHead + `<p:sld ` + pmlNS + `><p:cSld><p:spTree>` + emptyTree)
		box(&b, 2, "Title", titleTop, titleH, "b", fmt.Sprintf(
			`<a:p><a:r><a:rPr lang="%s" sz="3600" b="1"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill></a:rPr><a:t>%s</a:t></a:r></a:p>`, lt, esc(s[0])))
		var body strings.Builder
		for _, p := range s[1:] {
			fmt.Fprintf(&body, `<a:p><a:pPr marL="342900" indent="-342900"><a:buFont typeface="Arial"/><a:buChar char="•"/></a:pPr>`+
				`<a:r><a:rPr lang="%s" sz="2600"/><a:t>%s</a:t></a:r></a:p>`, lt, esc(p))
		}
		box(&b, 3, "Text", bodyTop, cy-bodyTop-titleTop, "t", body.String())
		b.WriteString(`</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`)
		name := fmt.Sprintf("ppt/slides/slide%d.xml", i+1)
		ov = append(ov, "/"+name, "application/vnd.openxmlformats-officedocument.presentationml.slide+xml")
		parts = append(parts,
			zipPart{name: name, data: b.String()},
			zipPart{name: fmt.Sprintf("ppt/slides/_rels/slide%d.xml.rels", i+1), data: rels("slideLayout", "../slideLayouts/slideLayout1.xml")})
	}
	parts[0] = zipPart{name: "[Content_Types].xml", data: contentTypes(ov...)}
	return zipFile(parts...)
}

// xlsxStyles are the cell formats the sheet uses: 0 plain, 1 the
// heading (bold, larger), 2 a header cell (bold, ruled, wrapped), 3 a
// table cell (ruled, wrapped, top-aligned). Excel wants the two built-in
// fills present even when unused.
const xlsxStyles = xmlHead + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="3"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="14"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
	`<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// xlsxFile writes the criteria as a workbook: the heading, then the
// table, ruled and wrapped, printed one page wide. The workbook names its
// sheet through a relationship (without it LibreOffice opens an empty
// sheet), and each row says its height: LibreOffice does not grow a row
// for wrapped text when it opens a workbook.
func xlsxFile(d demoDoc, lang string) ([]byte, error) {
	widths := []int{36, 36, 7} // in characters
	var sst, sheet strings.Builder
	var strs []string
	idx := map[string]int{}
	sheet.WriteString(xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><cols>`)
	for i, w := range widths {
		fmt.Fprintf(&sheet, `<col min="%d" max="%d" width="%d" customWidth="1"/>`, i+1, i+1, w)
	}
	sheet.WriteString(`</cols><sheetData>`)
	rows := append([][]string{{d.heading}}, d.table...)
	for r, row := range rows {
		style, height := 1, 22 // the heading: one line of 14 points
		if r > 0 {
			style = 3
			if r == 1 {
				style = 2
			}
			// 15 points a line of 11 points; a line holds about the
			// column's width in characters, less the padding.
			lines := 1
			for c, v := range row {
				lines = max(lines, (utf8.RuneCountInString(v)+widths[c]-3)/(widths[c]-2))
			}
			height = 3 + 15*lines
		}
		fmt.Fprintf(&sheet, `<row r="%d" ht="%d" customHeight="1">`, r+1, height)
		for c, v := range row {
			ref := fmt.Sprintf("%c%d", 'A'+c, r+1)
			if v == "" {
				// An empty cell of the table still has its rules.
				if r > 0 {
					fmt.Fprintf(&sheet, `<c r="%s" s="%d"/>`, ref, style)
				}
				continue
			}
			if n := len(v); n <= 2 && v[0] >= '0' && v[0] <= '9' {
				fmt.Fprintf(&sheet, `<c r="%s" s="%d"><v>%s</v></c>`, ref, style, v)
				continue
			}
			i, ok := idx[v]
			if !ok {
				i = len(strs)
				idx[v] = i
				strs = append(strs, v)
			}
			fmt.Fprintf(&sheet, `<c r="%s" s="%d" t="s"><v>%d</v></c>`, ref, style, i)
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
		`<pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"/></worksheet>`)
	fmt.Fprintf(&sst, xmlHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
	for _, s := range strs {
		fmt.Fprintf(&sst, `<si><t xml:space="preserve">%s</t></si>`, esc(s))
	}
	sst.WriteString(`</sst>`)
	sheetName := map[string]string{"kk": "Бағалау", "ru": "Оценивание", "en": "Assessment"}[lang]
	if sheetName == "" {
		sheetName = "Бағалау"
	}
	return zipFile(
		zipPart{name: "[Content_Types].xml", data: contentTypes(
			"/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
			"/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
			"/xl/sharedStrings.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
			"/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")},
		zipPart{name: "_rels/.rels", data: rootRels("xl/workbook.xml")},
		zipPart{name: "xl/workbook.xml", data: xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="` + esc(sheetName) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		zipPart{name: "xl/_rels/workbook.xml.rels", data: rels("worksheet", "worksheets/sheet1.xml", "sharedStrings", "sharedStrings.xml", "styles", "styles.xml")},
		zipPart{name: "xl/styles.xml", data: xlsxStyles},
		zipPart{name: "xl/sharedStrings.xml", data: sst.String()},
		zipPart{name: "xl/worksheets/sheet1.xml", data: sheet.String()},
	)
}

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3"`

// odfFile writes an OpenDocument package; styles, when not empty, is its
// styles.xml (page size and master pages).
func odfFile(mime, content, styles string) ([]byte, error) {
	manifest := xmlHead + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:media-type="` + mime + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>`
	parts := []zipPart{{name: "mimetype", data: mime, store: true}, {name: "content.xml", data: content}}
	if styles != "" {
		manifest += `<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>`
		parts = append(parts, zipPart{name: "styles.xml", data: styles})
	}
	manifest += `</manifest:manifest>`
	return zipFile(append(parts, zipPart{name: "META-INF/manifest.xml", data: manifest})...)
}

func odtFile(d demoDoc) ([]byte, error) {
	var b strings.Builder
	b.WriteString(xmlHead + `<office:document-content ` + odfNS + `><office:body><office:text>`)
	fmt.Fprintf(&b, `<text:h text:outline-level="1">%s</text:h>`, esc(d.heading))
	for _, p := range d.paras {
		fmt.Fprintf(&b, `<text:p>%s</text:p>`, esc(p))
	}
	b.WriteString(`</office:text></office:body></office:document-content>`)
	return odfFile("application/vnd.oasis.opendocument.text", b.String(), "")
}

// odpFile writes the slides of a 16:9 presentation: a master page that
// gives the page its size, and on each slide a title and a text frame
// with a position and a size (without a width LibreOffice sets a frame's
// text one letter to a line).
func odpFile(d demoDoc) ([]byte, error) {
	var b strings.Builder
	b.WriteString(xmlHead + `<office:document-content ` + odfNS + `><office:automatic-styles>` +
		`<style:style style:name="fr" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="none" ` +
		`draw:textarea-vertical-align="top" draw:auto-grow-height="false" fo:padding="0.25cm"/></style:style>` +
		`<style:style style:name="Ptitle" style:family="paragraph"><style:text-properties fo:font-size="28pt" fo:font-weight="bold" fo:color="#1f3864"/></style:style>` +
		`<style:style style:name="Ppoint" style:family="paragraph"><style:text-properties fo:font-size="22pt"/></style:style>` +
		`</office:automatic-styles><office:body><office:presentation>`)
	for i, s := range d.slides() {
		fmt.Fprintf(&b, `<draw:page draw:name="page%d" draw:master-page-name="Demo">`, i+1)
		fmt.Fprintf(&b, `<draw:frame draw:style-name="fr" svg:x="1.5cm" svg:y="0.8cm" svg:width="25cm" svg:height="4.2cm"><draw:text-box><text:p text:style-name="Ptitle">%s</text:p></draw:text-box></draw:frame>`, esc(s[0]))
		b.WriteString(`<draw:frame draw:style-name="fr" svg:x="1.5cm" svg:y="5.4cm" svg:width="25cm" svg:height="9.5cm"><draw:text-box>`)
		for _, p := range s[1:] {
			fmt.Fprintf(&b, `<text:p text:style-name="Ppoint">%s</text:p>`, esc(p))
		}
		b.WriteString(`</draw:text-box></draw:frame></draw:page>`)
	}
	b.WriteString(`</office:presentation></office:body></office:document-content>`)
	styles := xmlHead + `<office:document-styles ` + odfNS + `><office:automatic-styles>` +
		`<style:page-layout style:name="pm"><style:page-layout-properties fo:margin-top="0cm" fo:margin-bottom="0cm" fo:margin-left="0cm" fo:margin-right="0cm" ` +
		`fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/></style:page-layout>` +
		`</office:automatic-styles><office:master-styles><style:master-page style:name="Demo" style:page-layout-name="pm"/></office:master-styles></office:document-styles>`
	return odfFile("application/vnd.oasis.opendocument.presentation", b.String(), styles)
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
