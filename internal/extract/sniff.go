package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gabriel-vasile/mimetype"
	"github.com/richardlehane/mscfb"
)

// HeadSize is how many leading bytes Sniff looks at; pass at least this many
// when the file is that long.
const HeadSize = 4096

// Sniff names the kind of a file from its first bytes, whatever the file is
// called. Anything that is not an accepted kind (an executable, HTML, SVG, a
// script, an empty file) is ErrUnsupported.
//
// For zip and OLE containers (docx/pptx/xlsx/odt/odp/zip, doc/ppt/xls) the
// first bytes are not always enough: Sniff's answer is then provisional and
// SniffFile, which reads the container's directory, decides. Sniff never
// refuses a file that SniffFile would accept.
func Sniff(head []byte) (Kind, error) {
	if len(head) == 0 {
		return "", fmt.Errorf("extract: sniff: empty file: %w", ErrUnsupported)
	}
	m := mimetype.Detect(head)
	for ; m != nil; m = m.Parent() {
		if k, ok := mimeKinds[m.String()]; ok {
			return k, nil
		}
		base, _, _ := strings.Cut(m.String(), ";")
		if k, ok := mimeKinds[base]; ok {
			return k, nil
		}
		if refusedMIME[base] {
			break
		}
	}
	return "", fmt.Errorf("extract: sniff: %s: %w", mimetype.Detect(head).String(), ErrUnsupported)
}

// mimeKinds maps the content types mimetype reports to kinds. A generic OLE
// container maps to DOC provisionally: its directory may lie beyond the head
// (SniffFile reads it).
var mimeKinds = map[string]Kind{
	"application/pdf":               PDF,
	"application/msword":            DOC,
	"application/vnd.ms-powerpoint": PPT,
	"application/vnd.ms-excel":      XLS,
	"application/x-ole-storage":     DOC,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   DOCX,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": PPTX,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         XLSX,
	"application/vnd.oasis.opendocument.text":                                   ODT,
	"application/vnd.oasis.opendocument.presentation":                           ODP,
	"application/zip":           ZIP,
	"text/rtf":                  RTF,
	"text/plain":                TXT,
	"text/csv":                  TXT,
	"text/tab-separated-values": TXT,
	"image/jpeg":                JPG,
	"image/png":                 PNG,
	"image/apng":                PNG,
}

// refusedMIME stops the walk up mimetype's tree, so that an HTML page or a
// shell script is not accepted as its parent, text/plain, nor a jar or an
// installer as a zip or an OLE container.
var refusedMIME = map[string]bool{
	"text/html": true, "application/xhtml+xml": true, "image/svg+xml": true, "text/xml": true,
	"text/x-php": true, "text/javascript": true, "text/x-lua": true, "text/x-perl": true,
	"text/x-python": true, "text/x-ruby": true, "text/x-shellscript": true, "text/x-tcl": true,
	"application/json": true, "application/x-ndjson": true, "message/rfc822": true,
	"text/vcard": true, "text/calendar": true, "application/warc": true,
	"application/java-archive": true, "application/vnd.android.package-archive": true,
	"application/epub+zip":       true,
	"application/x-ms-installer": true, "application/vnd.ms-outlook": true, "application/vnd.ms-publisher": true,
	"application/vnd.ms-visio.drawing.main+xml": true,
}

// SniffFile decides the kind of a whole file. For zip containers it reads
// the central directory: a package whose [Content_Types].xml names a Word,
// PowerPoint or Excel main part is docx/pptx/xlsx, one whose mimetype entry
// names an OpenDocument text or presentation is odt/odp; macro-enabled
// packages, templates, other OpenDocument kinds, e-books and program archives
// (jar, apk) are refused; any other zip archive is ZIP. For OLE containers it
// reads the directory: WordDocument → doc, PowerPoint Document → ppt,
// Workbook → xls; containers with macros, encrypted packages and installers
// are refused.
func SniffFile(ctx context.Context, r io.ReaderAt, size int64) (Kind, error) {
	head := make([]byte, min(size, HeadSize))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("extract: sniff: %w", err)
	}
	k, err := Sniff(head)
	if err != nil {
		return "", err
	}
	switch k {
	case DOCX, PPTX, XLSX, ODT, ODP, ZIP:
		return sniffZip(ctx, r, size)
	case DOC, PPT, XLS:
		return sniffOLE(r, size)
	}
	return k, nil
}

// Content types of the main part of the accepted OOXML packages. Templates,
// slide shows and macro-enabled variants have other types and are refused:
// saved under the accepted extension, Office refuses to open them.
var ooxmlMain = map[string]Kind{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":   DOCX,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":         XLSX,
}

func sniffZip(ctx context.Context, r io.ReaderAt, size int64) (Kind, error) {
	lim := DefaultLimits
	zr, err := openZip(r, size, lim)
	if err != nil {
		return "", fmt.Errorf("extract: sniff: %w", err)
	}
	byName := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		byName[f.Name] = f
	}
	if f := byName["mimetype"]; f != nil {
		b, err := readEntry(f, 256)
		if err != nil {
			return "", fmt.Errorf("extract: sniff: mimetype entry: %w", err)
		}
		switch strings.TrimSpace(string(b)) {
		case "application/vnd.oasis.opendocument.text":
			return ODT, nil
		case "application/vnd.oasis.opendocument.presentation":
			return ODP, nil
		default:
			return "", fmt.Errorf("extract: sniff: package %q: %w", strings.TrimSpace(string(b)), ErrUnsupported)
		}
	}
	if f := byName["[Content_Types].xml"]; f != nil {
		if _, ok := byName["word/vbaProject.bin"]; ok {
			return "", fmt.Errorf("extract: sniff: package with macros: %w", ErrUnsupported)
		}
		types, err := contentTypes(ctx, f, lim)
		if err != nil {
			return "", fmt.Errorf("extract: sniff: %w", err)
		}
		for _, t := range types {
			if strings.Contains(t, "macroEnabled") || strings.Contains(t, "vbaProject") {
				return "", fmt.Errorf("extract: sniff: package with macros: %w", ErrUnsupported)
			}
		}
		for _, t := range types {
			if k, ok := ooxmlMain[t]; ok {
				return k, nil
			}
		}
		return "", fmt.Errorf("extract: sniff: office package of another kind: %w", ErrUnsupported)
	}
	for name := range byName {
		switch strings.ToUpper(name) {
		case "META-INF/MANIFEST.MF", "ANDROIDMANIFEST.XML", "CLASSES.DEX":
			return "", fmt.Errorf("extract: sniff: program archive: %w", ErrUnsupported)
		}
	}
	return ZIP, nil
}

// contentTypes returns every ContentType named by [Content_Types].xml.
func contentTypes(ctx context.Context, f *zip.File, lim Limits) ([]string, error) {
	var types []string
	err := walkEntryXML(ctx, f, lim, &budget{left: lim.MaxUncompressed}, func(t xml.Token) error {
		if se, ok := t.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "ContentType" && len(types) < 10000 {
					types = append(types, strings.TrimSpace(a.Value))
				}
			}
		}
		return nil
	})
	return types, err
}

// OLE stream names that tell the Office application and the ones that carry
// macros (VBA projects) or an encrypted package.
var (
	oleKinds   = map[string]Kind{"WordDocument": DOC, "PowerPoint Document": PPT, "Workbook": XLS, "Book": XLS}
	oleRefused = map[string]bool{"Macros": true, "_VBA_PROJECT_CUR": true, "VBA": true, "_VBA_PROJECT": true, "EncryptedPackage": true}
)

func sniffOLE(r io.ReaderAt, size int64) (k Kind, err error) {
	defer func() {
		if p := recover(); p != nil {
			k, err = "", fmt.Errorf("extract: sniff: OLE directory: %v: %w", p, ErrCorrupt)
		}
	}()
	doc, err := mscfb.New(io.NewSectionReader(r, 0, size))
	if err != nil {
		return "", fmt.Errorf("extract: sniff: OLE directory: %v: %w", err, ErrCorrupt)
	}
	for _, f := range doc.File {
		if oleRefused[f.Name] {
			return "", fmt.Errorf("extract: sniff: OLE file with macros or encryption: %w", ErrUnsupported)
		}
	}
	for _, f := range doc.File {
		if kk, ok := oleKinds[f.Name]; ok && len(f.Path) == 0 {
			return kk, nil
		}
	}
	return "", fmt.Errorf("extract: sniff: OLE file of another kind: %w", ErrUnsupported)
}

// readEntry reads at most max bytes of a zip entry.
func readEntry(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCorrupt)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max))
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCorrupt)
	}
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), nil
}
