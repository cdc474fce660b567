package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns the plain text of a file of kind k, for search and for the
// preview: paragraphs on their own lines, runs of spaces collapsed, valid
// UTF-8, at most lim.MaxText bytes (cut at a character boundary). Kinds
// without text (doc, ppt, xls, jpg, png, zip) and documents with no text in
// them give ErrNoText; such files are still published. A file that expands
// beyond lim gives ErrBomb, a damaged one ErrCorrupt.
func Text(ctx context.Context, r io.ReaderAt, size int64, k Kind, lim Limits) (string, error) {
	lim = lim.orDefault()
	out := &textOut{max: lim.MaxText}
	var err error
	switch k {
	case DOCX, PPTX, XLSX, ODT, ODP:
		zr, zerr := openZip(r, size, lim)
		if zerr == nil {
			zerr = checkDeclared(zr, lim)
		}
		if zerr != nil {
			err = zerr
			break
		}
		err = zipText(ctx, zr, k, lim, out)
	case PDF:
		err = pdfText(ctx, r, size, lim, out)
	case RTF:
		err = rtfText(ctx, io.NewSectionReader(r, 0, size), lim, out)
	case TXT:
		err = plainText(io.NewSectionReader(r, 0, size), lim, out)
	case DOC, PPT, XLS, JPG, PNG, ZIP:
		return "", fmt.Errorf("extract: text %s: %w", k, ErrNoText)
	default:
		return "", fmt.Errorf("extract: text %q: %w", k, ErrUnsupported)
	}
	if err != nil && !errors.Is(err, errFull) {
		return "", fmt.Errorf("extract: text %s: %w", k, err)
	}
	s := out.String()
	if s == "" {
		return "", fmt.Errorf("extract: text %s: %w", k, ErrNoText)
	}
	return s, nil
}

// errFull stops an extractor once MaxText bytes are collected.
var errFull = errors.New("text limit reached")

// textOut collects extracted text, normalising whitespace as it goes: a run
// of spaces becomes one space, a run of line breaks one line break, control
// characters and invalid UTF-8 are dropped, and nothing is kept past max
// bytes. In discard mode (used by Check) nothing is kept and it never fills.
type textOut struct {
	b            strings.Builder
	max          int
	discard      bool
	full         bool
	pendingSpace bool
	pendingBreak bool
}

// WriteString adds text; it returns errFull once the limit is reached.
func (t *textOut) WriteString(s string) error {
	if t.discard {
		return nil
	}
	if t.full {
		return errFull
	}
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == utf8.RuneError && n <= 1:
			continue // invalid UTF-8
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\f' || r == '\v':
			t.pendingBreak = true
			continue
		case unicode.IsSpace(r):
			t.pendingSpace = true
			continue
		case unicode.IsControl(r) || r == '\ufeff' || r == '\u00ad':
			continue // controls, stray byte order marks, soft hyphens
		}
		sep := ""
		if t.b.Len() > 0 {
			if t.pendingBreak {
				sep = "\n"
			} else if t.pendingSpace {
				sep = " "
			}
		}
		if t.b.Len()+len(sep)+utf8.RuneLen(r) > t.max {
			t.full = true
			return errFull
		}
		t.b.WriteString(sep)
		t.b.WriteRune(r)
		t.pendingBreak, t.pendingSpace = false, false
	}
	return nil
}

// Break ends a paragraph.
func (t *textOut) Break() { t.pendingBreak = true }

// Space separates two words (a tab, a cell boundary).
func (t *textOut) Space() { t.pendingSpace = true }

// String is the text collected so far.
func (t *textOut) String() string { return t.b.String() }
