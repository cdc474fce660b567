package extract

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// walkEntryXML decodes one XML part of a zip token by token, through a reader
// that stops at lim.MaxPart and at the file's budget, calling fn for each
// token.
func walkEntryXML(ctx context.Context, f *zip.File, lim Limits, bud *budget, fn func(xml.Token) error) error {
	rc, err := openEntry(f, lim.MaxPart, bud)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := walkXML(ctx, rc, lim, fn); err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	return nil
}

// walkXML decodes XML with caps on nesting depth and token count. Go's
// encoding/xml does not expand entities declared in a DTD: a reference to one
// is a syntax error in strict mode, so "billion laughs" cannot expand. A
// document part has no business declaring a DTD at all (OOXML and ODF forbid
// it), so one is refused outright.
func walkXML(ctx context.Context, r io.Reader, lim Limits, fn func(xml.Token) error) error {
	d := xml.NewDecoder(r)
	d.Strict = true
	depth, tokens := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrBomb) || errors.Is(err, ErrCorrupt) {
				return err // from the entry reader
			}
			return fmt.Errorf("xml: %v: %w", err, ErrCorrupt)
		}
		tokens++
		if tokens > lim.MaxTokens {
			return fmt.Errorf("xml: more than %d tokens: %w", lim.MaxTokens, ErrBomb)
		}
		if tokens%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > lim.MaxDepth {
				return fmt.Errorf("xml: nested deeper than %d: %w", lim.MaxDepth, ErrBomb)
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return fmt.Errorf("xml: document type declaration in a document part: %w", ErrBomb)
		case xml.ProcInst:
			if t.Target != "xml" {
				continue
			}
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// zipText extracts the text of an Office Open XML or OpenDocument package.
func zipText(ctx context.Context, zr *zip.Reader, k Kind, lim Limits, out *textOut) error {
	bud := &budget{left: lim.MaxUncompressed}
	byName := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		byName[f.Name] = f
	}
	switch k {
	case DOCX:
		main := mainPart(ctx, byName, lim, bud, "word/document.xml")
		f := byName[main]
		if f == nil {
			return fmt.Errorf("no main document part: %w", ErrCorrupt)
		}
		return walkEntryXML(ctx, f, lim, bud, wordML(out))
	case PPTX:
		slides := numbered(byName, slideName, lim.MaxPages)
		if len(slides) == 0 {
			return fmt.Errorf("no slides: %w", ErrNoText)
		}
		for _, f := range slides {
			if err := walkEntryXML(ctx, f, lim, bud, drawingML(out)); err != nil {
				return err
			}
			out.Break()
		}
		return nil
	case XLSX:
		if f := byName["xl/sharedStrings.xml"]; f != nil {
			if err := walkEntryXML(ctx, f, lim, bud, sheetStrings(out, "si")); err != nil {
				return err
			}
		}
		for _, f := range numbered(byName, sheetName, lim.MaxPages) {
			if err := walkEntryXML(ctx, f, lim, bud, sheetStrings(out, "is")); err != nil {
				return err
			}
		}
		return nil
	case ODT, ODP:
		f := byName["content.xml"]
		if f == nil {
			return fmt.Errorf("no content.xml: %w", ErrCorrupt)
		}
		return walkEntryXML(ctx, f, lim, bud, openDocument(out))
	}
	return fmt.Errorf("%s is not a package: %w", k, ErrUnsupported)
}

// mainPart finds the part [Content_Types].xml names as the main document
// (Word always calls it word/document.xml, other writers need not).
func mainPart(ctx context.Context, byName map[string]*zip.File, lim Limits, bud *budget, fallback string) string {
	f := byName["[Content_Types].xml"]
	if f == nil {
		return fallback
	}
	found := ""
	err := walkEntryXML(ctx, f, lim, bud, func(t xml.Token) error {
		se, ok := t.(xml.StartElement)
		if !ok || se.Name.Local != "Override" || found != "" {
			return nil
		}
		var part, ctype string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "PartName":
				part = a.Value
			case "ContentType":
				ctype = a.Value
			}
		}
		if _, ok := ooxmlMain[strings.TrimSpace(ctype)]; ok {
			found = strings.TrimPrefix(path.Clean("/"+part), "/")
		}
		return nil
	})
	if err != nil || found == "" {
		return fallback
	}
	return found
}

var (
	slideName = regexp.MustCompile(`^ppt/slides/slide([0-9]{1,6})\.xml$`)
	sheetName = regexp.MustCompile(`^xl/worksheets/sheet([0-9]{1,6})\.xml$`)
)

// numbered returns the parts whose names match re, in the order of the number
// in their name (slide2 before slide10), at most max of them.
func numbered(byName map[string]*zip.File, re *regexp.Regexp, max int) []*zip.File {
	type numFile struct {
		n int
		f *zip.File
	}
	var fs []numFile
	for name, f := range byName {
		if m := re.FindStringSubmatch(name); m != nil {
			n, _ := strconv.Atoi(m[1])
			fs = append(fs, numFile{n, f})
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].n < fs[j].n })
	var out []*zip.File
	for i := 0; i < len(fs) && i < max; i++ {
		out = append(out, fs[i].f)
	}
	return out
}

// wordML collects WordprocessingML text: w:t runs, w:tab and w:br, one line
// per w:p. Deleted text (w:delText) and field codes (w:instrText) are not
// text the reader sees, so they are left out.
func wordML(out *textOut) func(xml.Token) error {
	inT := 0
	return func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inT++
			case "tab":
				out.Space()
			case "br", "cr":
				out.Break()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = max(inT-1, 0)
			case "p", "tc":
				out.Break()
			}
		case xml.CharData:
			if inT > 0 {
				return out.WriteString(string(t))
			}
		}
		return nil
	}
}

// drawingML collects the a:t runs of a slide, one line per a:p.
func drawingML(out *textOut) func(xml.Token) error {
	inT := 0
	return func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inT++
			case "br":
				out.Break()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = max(inT-1, 0)
			case "p":
				out.Break()
			}
		case xml.CharData:
			if inT > 0 {
				return out.WriteString(string(t))
			}
		}
		return nil
	}
}

// sheetStrings collects the t elements inside each item element (si in the
// shared strings table, is for inline strings in a sheet), one line per
// item. Phonetic guides (rPh) repeat the text in another script and are
// skipped.
func sheetStrings(out *textOut, item string) func(xml.Token) error {
	inItem, inT, inPh := 0, 0, 0
	return func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case item:
				inItem++
			case "t":
				inT++
			case "rPh":
				inPh++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case item:
				inItem = max(inItem-1, 0)
				out.Break()
			case "t":
				inT = max(inT-1, 0)
			case "rPh":
				inPh = max(inPh-1, 0)
			}
		case xml.CharData:
			if inItem > 0 && inT > 0 && inPh == 0 {
				return out.WriteString(string(t))
			}
		}
		return nil
	}
}

const odfTextNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

// openDocument collects the text of text:p and text:h paragraphs (with their
// spans, links and so on) from an OpenDocument content.xml.
func openDocument(out *textOut) func(xml.Token) error {
	inPara := 0
	return func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != odfTextNS {
				return nil
			}
			switch t.Name.Local {
			case "p", "h":
				inPara++
			case "s", "tab":
				out.Space()
			case "line-break":
				out.Break()
			}
		case xml.EndElement:
			if t.Name.Space == odfTextNS && (t.Name.Local == "p" || t.Name.Local == "h") {
				inPara = max(inPara-1, 0)
				out.Break()
			}
		case xml.CharData:
			if inPara > 0 {
				return out.WriteString(string(t))
			}
		}
		return nil
	}
}
