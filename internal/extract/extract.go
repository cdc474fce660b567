// Package extract decides what an uploaded teaching material file is, refuses
// files that are not of an accepted kind or that would expand without bound,
// and pulls the plain text out of the kinds that carry text, for search and for
// the preview (issue 3: "accepted files … by sniffed content, not by
// extension"; "a file whose text cannot be extracted is still published").
//
// Everything here treats its input as hostile: every read is bounded by
// Limits, every decompression is counted as it happens (declared sizes are
// never trusted), and XML is decoded token by token with caps on depth and
// token count.
package extract

import (
	"errors"
	"fmt"
)

// Kind is an accepted file type, decided from content. Its value is the usual
// file extension without the dot, so it can be stored and shown as is.
type Kind string

// The accepted kinds (issue 3, "Accepted files").
const (
	PDF  Kind = "pdf"
	DOC  Kind = "doc"
	DOCX Kind = "docx"
	PPT  Kind = "ppt"
	PPTX Kind = "pptx"
	XLS  Kind = "xls"
	XLSX Kind = "xlsx"
	ODT  Kind = "odt"
	ODP  Kind = "odp"
	RTF  Kind = "rtf"
	TXT  Kind = "txt"
	JPG  Kind = "jpg"
	PNG  Kind = "png"
	ZIP  Kind = "zip"
)

// Kinds lists every accepted kind, in the order the upload form mentions them.
func Kinds() []Kind {
	return []Kind{PDF, DOC, DOCX, PPT, PPTX, XLS, XLSX, ODT, ODP, RTF, TXT, JPG, PNG, ZIP}
}

var kindInfo = map[Kind]struct{ mime string }{
	PDF:  {"application/pdf"},
	DOC:  {"application/msword"},
	DOCX: {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	PPT:  {"application/vnd.ms-powerpoint"},
	PPTX: {"application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	XLS:  {"application/vnd.ms-excel"},
	XLSX: {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	ODT:  {"application/vnd.oasis.opendocument.text"},
	ODP:  {"application/vnd.oasis.opendocument.presentation"},
	RTF:  {"application/rtf"},
	TXT:  {"text/plain"},
	JPG:  {"image/jpeg"},
	PNG:  {"image/png"},
	ZIP:  {"application/zip"},
}

// ParseKind turns a stored kind name back into a Kind; ErrUnsupported for any
// other string.
func ParseKind(s string) (Kind, error) {
	k := Kind(s)
	if _, ok := kindInfo[k]; !ok {
		return "", fmt.Errorf("extract: parse kind %q: %w", s, ErrUnsupported)
	}
	return k, nil
}

// MIME is the content type a download of this kind is served with. A txt file
// is served without a charset because its bytes are served as uploaded, in
// whatever encoding the author used.
func (k Kind) MIME() string { return kindInfo[k].mime }

// Ext is the file extension with its dot, for download file names.
func (k Kind) Ext() string { return "." + string(k) }

// HasText reports whether Text can return text for this kind at all; for the
// others (old binary Office formats, images, archives) it returns ErrNoText.
func (k Kind) HasText() bool {
	switch k {
	case PDF, DOCX, PPTX, XLSX, ODT, ODP, RTF, TXT:
		return true
	}
	return false
}

// zipBased reports whether the kind is a zip container.
func (k Kind) zipBased() bool {
	switch k {
	case DOCX, PPTX, XLSX, ODT, ODP, ZIP:
		return true
	}
	return false
}

var (
	// ErrUnsupported means the content is not one of the accepted kinds
	// (an executable, a web page, a script, an empty file, …).
	ErrUnsupported = errors.New("extract: file type is not accepted")
	// ErrBomb means the file would expand beyond the limits when opened: a zip
	// bomb, a part whose XML nests or repeats without bound, a PDF whose
	// streams inflate past the limits.
	ErrBomb = errors.New("extract: file expands beyond the limits")
	// ErrCorrupt means the file claims a kind but its structure is broken.
	ErrCorrupt = errors.New("extract: file is damaged")
	// ErrNoText means the file has no text that can be extracted (old binary
	// Office formats, images, archives, scanned PDFs). Such a file is still
	// published; it is just not searchable by its content.
	ErrNoText = errors.New("extract: no text in file")
)

// Limits bound the work and memory spent on one file.
type Limits struct {
	// MaxEntries is the most entries a zip container may have.
	MaxEntries int
	// MaxUncompressed is the most bytes a container may expand to in total:
	// the sum of zip entries, or of the decompressed streams of a PDF.
	MaxUncompressed int64
	// MaxPart is the most bytes one part that is read for text (an XML part
	// of a document, one PDF stream) may expand to.
	MaxPart int64
	// MaxRatio is the highest uncompressed/compressed ratio of one zip entry
	// larger than ratioFloor; honest documents stay far below 100.
	MaxRatio int64
	// MaxDepth is the deepest nesting of XML elements or RTF groups.
	MaxDepth int
	// MaxTokens is the most XML tokens read from one file.
	MaxTokens int
	// MaxPages is the most PDF pages or presentation slides read for text.
	MaxPages int
	// MaxText is the most bytes of UTF-8 text Text returns.
	MaxText int
}

// DefaultLimits suit teaching materials of up to 50 MB: a 300-page textbook
// in docx or PDF passes; a zip bomb does not.
var DefaultLimits = Limits{
	MaxEntries:      10000,
	MaxUncompressed: 200 << 20,
	MaxPart:         64 << 20,
	MaxRatio:        100,
	MaxDepth:        512,
	MaxTokens:       20_000_000,
	MaxPages:        2000,
	MaxText:         2 << 20,
}

// ratioFloor: entries that expand to less than this are not ratio-checked, so
// a tiny, very repetitive part (an empty style sheet) is not mistaken for a
// bomb; it cannot do harm at that size.
const ratioFloor = 1 << 20

// orDefault fills zero fields from DefaultLimits, so Limits{MaxText: 1000}
// means "the defaults, with less text".
func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxUncompressed <= 0 {
		l.MaxUncompressed = d.MaxUncompressed
	}
	if l.MaxPart <= 0 {
		l.MaxPart = d.MaxPart
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxTokens <= 0 {
		l.MaxTokens = d.MaxTokens
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxText <= 0 {
		l.MaxText = d.MaxText
	}
	return l
}
