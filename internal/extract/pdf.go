package extract

import (
	"bufio"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/ledongthuc/pdf"
)

// PDF text comes from github.com/ledongthuc/pdf, which maps glyphs back to
// text through the fonts' ToUnicode tables (what Word, LibreOffice and
// browsers write for Cyrillic and Kazakh text). That parser trusts its input:
// it allocates tables sized by numbers in the file, inflates streams without
// a cap and recurses on nested arrays. pdfPreflight reads the raw file first
// and refuses what would make it do so beyond the limits; the parser runs
// only on files that pass, with panics recovered.

const (
	pdfMaxObjects = 1 << 20 // cross-reference entries the parser may allocate (about 40 MB)
	pdfMaxWidth   = 8       // bytes of one cross-reference stream field
	pdfMaxColumns = 1 << 16 // predictor row width
	pdfMaxDict    = 64 << 10
)

// pdfText extracts the text of each page in order, up to lim.MaxPages.
func pdfText(ctx context.Context, r io.ReaderAt, size int64, lim Limits, out *textOut) (err error) {
	if err := pdfPreflight(ctx, r, size, lim); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("pdf: %v: %w", p, ErrCorrupt)
		}
	}()
	doc, err := pdf.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("pdf: %v: %w", err, ErrCorrupt)
	}
	for _, page := range pdfPages(doc, lim.MaxPages) {
		if err := ctx.Err(); err != nil {
			return err
		}
		text, err := page.GetPlainText(nil) // nil: fonts are per page; names repeat across pages
		if err != nil {
			continue // a broken page; the others may still read
		}
		if err := out.WriteString(text); err != nil {
			return err
		}
		out.Break()
	}
	return nil
}

// pdfPages walks the page tree without trusting /Count, which the library's
// own Page(i) does (and walks the tree again for every page).
func pdfPages(doc *pdf.Reader, max int) []pdf.Page {
	type node struct {
		v     pdf.Value
		depth int
	}
	var pages []pdf.Page
	stack := []node{{doc.Trailer().Key("Root").Key("Pages"), 0}}
	visits := 0
	for len(stack) > 0 && len(pages) < max && visits < 4*max+1000 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visits++
		switch n.v.Key("Type").Name() {
		case "Page":
			pages = append(pages, pdf.Page{V: n.v})
		case "Pages":
			if n.depth >= 64 {
				continue
			}
			kids := n.v.Key("Kids")
			for i := min(kids.Len(), 4*max+1000) - 1; i >= 0; i-- {
				stack = append(stack, node{kids.Index(i), n.depth + 1})
			}
		}
	}
	return pages
}

var (
	reXRefType  = regexp.MustCompile(`/Type\s*/XRef\b`)
	reSize      = regexp.MustCompile(`/Size\s+(\d+)`)
	reW         = regexp.MustCompile(`/W\s*\[([^\]]*)\]`)
	reIndex     = regexp.MustCompile(`/Index\s*\[([^\]]*)\]`)
	reFilter    = regexp.MustCompile(`/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)`)
	reName      = regexp.MustCompile(`/([A-Za-z0-9]+)`)
	reNumber    = regexp.MustCompile(`-?\d+`)
	reNotText   = regexp.MustCompile(`/Subtype\s*/(Image|Type1C|CIDFontType0C|OpenType|Form)\b|/Length[123]\b|/Type\s*/(EmbeddedFile|Metadata)\b`)
	rePredictor = regexp.MustCompile(`/Predictor\s+(\d+)`)
)

// pdfPreflight lexes the raw file once (strings, comments, nesting), checks
// the numbers the parser allocates from (cross-reference sizes, widths and
// indexes, predictor columns), and inflates every stream the text extractor
// may read (content, object, CMap streams; not images or font programs),
// counting bytes and lexing them for nesting too.
func pdfPreflight(ctx context.Context, r io.ReaderAt, size int64, lim Limits) error {
	s := &pdfScan{ctx: ctx, r: r, size: size, lim: lim, left: lim.MaxUncompressed}
	s.raw = newPDFLexer(lim.MaxDepth)
	s.raw.onWord = s.rawWord
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10)
	var pos int64
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		pos++
		if pos%(1<<20) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s.skipping {
			s.skipByte(c)
			continue
		}
		if s.capturing {
			if len(s.dict) < pdfMaxDict {
				s.dict = append(s.dict, c)
			} else {
				// A big array or dictionary is fine (a long /Kids list);
				// a stream whose dictionary is that big is not checked, so
				// it is refused in stream.
				s.overflow = true
			}
		}
		s.pos = pos // offset just after c
		if err := s.raw.feed(c); err != nil {
			return err
		}
	}
}

type pdfScan struct {
	ctx       context.Context
	r         io.ReaderAt
	size      int64
	lim       Limits
	left      int64 // of MaxUncompressed
	raw       *pdfLexer
	pos       int64
	capturing bool
	dict      []byte
	overflow  bool // the current object's text outgrew dict
	skipping  bool
	match     int // bytes of "endstream" matched while skipping
	inXref    bool
	xrefInts  []int64
}

const endstream = "endstream"

func (s *pdfScan) skipByte(c byte) {
	for {
		if c == endstream[s.match] {
			s.match++
			if s.match == len(endstream) {
				s.skipping, s.match = false, 0
				s.raw.reset()
			}
			return
		}
		if s.match == 0 {
			return
		}
		s.match = 0 // "endstream" has no proper prefix that is also a suffix
	}
}

// rawWord sees every regular token of the raw file.
func (s *pdfScan) rawWord(w string, end byte) error {
	if s.inXref {
		switch {
		case w == "trailer":
			s.inXref = false
			return s.xrefHeader()
		case w == "f" || w == "n":
			// Two numbers before the entry's pair are a subsection header.
			if len(s.xrefInts) >= 4 {
				s.xrefInts = s.xrefInts[len(s.xrefInts)-4:]
				if err := s.xrefHeader(); err != nil {
					return err
				}
			}
			s.xrefInts = s.xrefInts[:0]
		default:
			v, err := strconv.ParseInt(w, 10, 64)
			if err != nil || v < 0 || v > 1<<40 {
				s.inXref = false
				return nil
			}
			s.xrefInts = append(s.xrefInts, v)
			if len(s.xrefInts) > 8 {
				return fmt.Errorf("pdf: malformed cross-reference table: %w", ErrBomb)
			}
		}
		return nil
	}
	switch w {
	case "xref":
		s.inXref, s.xrefInts = true, s.xrefInts[:0]
	case "obj":
		s.capturing, s.dict, s.overflow = true, s.dict[:0], false
	case "endobj":
		s.capturing = false
	case "stream":
		s.capturing = false
		data := s.pos // just after the byte that ended the keyword
		if end == '\r' {
			var b [1]byte
			if _, err := s.r.ReadAt(b[:], s.pos); err == nil && b[0] == '\n' {
				data++
			}
		} else if end != '\n' {
			return nil // not a stream keyword as the parser reads it
		}
		return s.stream(data)
	}
	return nil
}

func (s *pdfScan) xrefHeader() error {
	if len(s.xrefInts) >= 2 {
		start, count := s.xrefInts[0], s.xrefInts[1]
		if start+count > pdfMaxObjects {
			return fmt.Errorf("pdf: cross-reference table of %d objects: %w", start+count, ErrBomb)
		}
	}
	return nil
}

// stream checks one stream: its dictionary is in s.dict, its data starts at
// offset data.
func (s *pdfScan) stream(data int64) error {
	if s.overflow {
		return fmt.Errorf("pdf: stream dictionary over %d bytes: %w", pdfMaxDict, ErrBomb)
	}
	dict := s.dict
	if reXRefType.Match(dict) {
		if err := checkXRefDict(dict); err != nil {
			return err
		}
	}
	notText := reNotText.Match(dict)
	var filters []string
	if m := reFilter.FindSubmatch(dict); m != nil {
		for _, n := range reName.FindAllSubmatch(m[1], -1) {
			filters = append(filters, string(n[1]))
		}
	}
	if len(filters) == 0 {
		if notText {
			s.skipping = true
		}
		return nil // unfiltered data is lexed as raw bytes
	}
	s.skipping = true
	if notText || reXRefType.Match(dict) {
		return nil
	}
	if m := rePredictor.FindSubmatch(dict); m != nil && string(m[1]) != "1" {
		return fmt.Errorf("pdf: content stream with a predictor: %w", ErrBomb)
	}
	var rd io.Reader = io.NewSectionReader(s.r, data, s.size-data)
	for _, f := range filters {
		switch f {
		case "FlateDecode":
			zr, err := zlib.NewReader(rd)
			if err != nil {
				return nil // the parser fails on it too
			}
			rd = zr
		case "ASCII85Decode":
			rd = ascii85.NewDecoder(&a85Cleaner{r: bufio.NewReader(rd)})
		default:
			return nil // the parser does not decode it, so never reads it
		}
	}
	lx := newPDFLexer(s.lim.MaxDepth)
	lx.onWord = func(string, byte) error { return nil }
	partLeft := s.lim.MaxPart
	br := bufio.NewReaderSize(rd, 32<<10)
	for {
		c, err := br.ReadByte()
		if err != nil {
			return nil // end of data, or damaged data the parser stops at too
		}
		partLeft--
		s.left--
		if partLeft < 0 || s.left < 0 {
			return fmt.Errorf("pdf: streams inflate past the limits: %w", ErrBomb)
		}
		if partLeft%(1<<20) == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		if err := lx.feed(c); err != nil {
			return err
		}
	}
}

func checkXRefDict(dict []byte) error {
	if m := reSize.FindSubmatch(dict); m != nil {
		if v, err := strconv.ParseInt(string(m[1]), 10, 64); err != nil || v > pdfMaxObjects {
			return fmt.Errorf("pdf: cross-reference stream of %s objects: %w", m[1], ErrBomb)
		}
	}
	if m := reW.FindSubmatch(dict); m != nil {
		for _, n := range reNumber.FindAll(m[1], -1) {
			if v, err := strconv.Atoi(string(n)); err != nil || v > pdfMaxWidth || v < 0 {
				return fmt.Errorf("pdf: cross-reference field of %s bytes: %w", n, ErrBomb)
			}
		}
	}
	if m := reIndex.FindSubmatch(dict); m != nil {
		ns := reNumber.FindAll(m[1], 1000)
		for i := 0; i+1 < len(ns); i += 2 {
			a, err1 := strconv.ParseInt(string(ns[i]), 10, 64)
			b, err2 := strconv.ParseInt(string(ns[i+1]), 10, 64)
			if err1 != nil || err2 != nil || a < 0 || b < 0 || a+b > pdfMaxObjects {
				return fmt.Errorf("pdf: cross-reference index beyond %d objects: %w", pdfMaxObjects, ErrBomb)
			}
		}
	}
	return nil
}

// a85Cleaner feeds encoding/ascii85 what the PDF filter means: whitespace
// dropped, data ending at ~>.
type a85Cleaner struct {
	r    *bufio.Reader
	done bool
}

func (a *a85Cleaner) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !a.done {
		c, err := a.r.ReadByte()
		if err != nil {
			a.done = true
			break
		}
		switch {
		case c == '~':
			a.done = true
		case c <= ' ':
		default:
			p[n] = c
			n++
		}
	}
	if n == 0 && a.done {
		return 0, io.EOF
	}
	return n, nil
}

// pdfLexer follows just enough PDF syntax to measure how deeply arrays and
// dictionaries nest (the parser recurses on them) and to see the predictor
// width of every DecodeParms, direct or inside an object stream.
type pdfLexer struct {
	maxDepth int
	depth    int
	str      int  // nesting of ( ) in a literal string
	esc      bool // after a backslash in a string
	comment  bool
	hex      bool // in a <hex> string
	lt, gt   bool // a '<' or '>' is pending
	word     []byte
	onWord   func(w string, end byte) error
	cols     int // 0, or how far "/Columns n g R" has been seen
}

func newPDFLexer(maxDepth int) *pdfLexer { return &pdfLexer{maxDepth: maxDepth} }

func (l *pdfLexer) reset() {
	l.str, l.esc, l.comment, l.hex, l.lt, l.gt = 0, false, false, false, false, false
	l.word = l.word[:0]
}

var errDeep = errors.New("pdf: arrays or dictionaries nested too deeply")

func (l *pdfLexer) feed(c byte) error {
	switch {
	case l.str > 0:
		switch {
		case l.esc:
			l.esc = false
		case c == '\\':
			l.esc = true
		case c == '(':
			l.str++
		case c == ')':
			l.str--
		}
		return nil
	case l.comment:
		if c == '\n' || c == '\r' {
			l.comment = false
		}
		return nil
	case l.hex:
		if c == '>' {
			l.hex = false
		}
		return nil
	}
	if l.lt {
		l.lt = false
		if c == '<' {
			return l.open()
		}
		l.hex = true
		if c == '>' {
			l.hex = false
		}
		return nil
	}
	if l.gt {
		l.gt = false
		if c == '>' {
			l.depth = max(l.depth-1, 0)
			return nil
		}
	}
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%', ' ', '\t', '\r', '\n', '\f', 0:
		if err := l.flush(c); err != nil {
			return err
		}
	default:
		if len(l.word) < 64 {
			l.word = append(l.word, c)
		}
		return nil
	}
	switch c {
	case '(':
		l.str = 1
	case '%':
		l.comment = true
	case '<':
		l.lt = true
	case '>':
		l.gt = true
	case '[':
		return l.open()
	case ']':
		l.depth = max(l.depth-1, 0)
	case '/':
		l.word = append(l.word[:0], '/')
	}
	return nil
}

func (l *pdfLexer) open() error {
	l.depth++
	if l.depth > l.maxDepth {
		return fmt.Errorf("%w (over %d): %w", errDeep, l.maxDepth, ErrBomb)
	}
	return nil
}

// flush ends the current word; end is the byte that ended it.
func (l *pdfLexer) flush(end byte) error {
	if len(l.word) == 0 {
		return nil
	}
	w := string(l.word)
	l.word = l.word[:0]
	switch {
	case w == "/Columns":
		l.cols = 1
	case l.cols == 1:
		l.cols = 0
		if v, err := strconv.ParseInt(w, 10, 64); err == nil {
			if v > pdfMaxColumns || v < 0 {
				return fmt.Errorf("pdf: predictor rows of %d bytes: %w", v, ErrBomb)
			}
			l.cols = 2
		}
	case l.cols == 2:
		l.cols = 0
		if _, err := strconv.ParseInt(w, 10, 64); err == nil {
			l.cols = 3
		}
	case l.cols == 3:
		l.cols = 0
		if w == "R" {
			return fmt.Errorf("pdf: predictor width given by reference: %w", ErrBomb)
		}
	}
	if l.onWord != nil {
		return l.onWord(w, end)
	}
	return nil
}
