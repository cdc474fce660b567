package extract

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
)

// Check refuses a file of kind k that would expand beyond lim when opened.
// For zip containers it refuses more than lim.MaxEntries entries, a declared
// total above lim.MaxUncompressed, an entry that declares a ratio above
// lim.MaxRatio, and then inflates every entry (into nothing, counting) so
// that a header that lies about its size is caught too; nested archives are
// counted as bytes, never opened. For documents it also decodes the XML parts
// Text reads under the depth and token caps, and for PDF it inflates the
// streams the text extractor would read and checks the structures its parser
// allocates from. Other kinds have nothing that expands.
//
// The errors are ErrBomb (refuse), ErrCorrupt (the file is not a readable
// container of its kind), ErrUnsupported (a zip entry compressed with a
// method that cannot be checked), or the context's error.
func Check(ctx context.Context, r io.ReaderAt, size int64, k Kind, lim Limits) error {
	lim = lim.orDefault()
	switch {
	case k.zipBased():
		zr, err := openZip(r, size, lim)
		if err != nil {
			return fmt.Errorf("extract: check %s: %w", k, err)
		}
		if err := checkDeclared(zr, lim); err != nil {
			return fmt.Errorf("extract: check %s: %w", k, err)
		}
		if err := checkInflate(ctx, zr, lim); err != nil {
			return fmt.Errorf("extract: check %s: %w", k, err)
		}
		if k == ZIP {
			return nil
		}
		out := &textOut{discard: true}
		if err := zipText(ctx, zr, k, lim, out); err != nil && !errors.Is(err, ErrNoText) {
			return fmt.Errorf("extract: check %s: %w", k, err)
		}
		return nil
	case k == PDF:
		if err := pdfPreflight(ctx, r, size, lim); err != nil {
			return fmt.Errorf("extract: check pdf: %w", err)
		}
		return nil
	}
	return nil
}

// errDirectoryBudget stops archive/zip reading a central directory larger
// than MaxEntries plausible entries: archive/zip reads headers until it finds
// a bad one, whatever count the archive declares, and allocates for each.
var errDirectoryBudget = errors.New("zip directory too large")

// budgetReaderAt fails once more than left bytes have been read through it.
type budgetReaderAt struct {
	r    io.ReaderAt
	left int64
}

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if int64(len(p)) > b.left {
		return 0, errDirectoryBudget
	}
	b.left -= int64(len(p))
	return b.r.ReadAt(p, off)
}

// openZip reads a zip's central directory, spending at most about 256 bytes
// of reads per allowed entry (a directory header is 46 bytes and a name), and
// refuses more than lim.MaxEntries entries.
func openZip(r io.ReaderAt, size int64, lim Limits) (*zip.Reader, error) {
	// archive/zip reads the directory through a 4 KB bufio.Reader and the
	// end record through up to 64 KB blocks, hence the slack.
	br := &budgetReaderAt{r: r, left: int64(lim.MaxEntries)*256 + 256<<10}
	zr, err := zip.NewReader(br, size)
	if errors.Is(err, errDirectoryBudget) {
		return nil, fmt.Errorf("more than %d entries: %w", lim.MaxEntries, ErrBomb)
	}
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Names like ../x are harmless here: nothing is written to disk.
		return nil, fmt.Errorf("zip: %v: %w", err, ErrCorrupt)
	}
	br.left = 1<<63 - 1 // entries are bounded by their own readers
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%d entries, more than %d: %w", len(zr.File), lim.MaxEntries, ErrBomb)
	}
	return zr, nil
}

// checkDeclared refuses on the sizes the directory declares.
func checkDeclared(zr *zip.Reader, lim Limits) error {
	var total uint64
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, max(f.CompressedSize64, 1)
		total += u
		if total > uint64(lim.MaxUncompressed) || u > uint64(lim.MaxUncompressed) {
			return fmt.Errorf("expands to more than %d bytes: %w", lim.MaxUncompressed, ErrBomb)
		}
		if u > ratioFloor && u/c > uint64(lim.MaxRatio) {
			return fmt.Errorf("an entry compressed %d:1, more than %d:1: %w", u/c, lim.MaxRatio, ErrBomb)
		}
	}
	return nil
}

// checkInflate inflates every entry into nothing, so that what the entries
// really hold is measured, not what they declare.
func checkInflate(ctx context.Context, zr *zip.Reader, lim Limits) error {
	bud := &budget{left: lim.MaxUncompressed}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.Flags&0x1 != 0 {
			continue // encrypted: cannot be inflated here; its declared size was checked
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return fmt.Errorf("entry compressed with method %d: %w", f.Method, ErrUnsupported)
		}
		rc, err := openEntry(f, lim.MaxUncompressed, bud)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// budget is what is left of MaxUncompressed for one file.
type budget struct{ left int64 }

// entryReader counts what an entry really inflates to and fails with
// ErrBomb past the per-part cap or the file's remaining budget.
type entryReader struct {
	rc   io.ReadCloser
	left int64 // per-part cap
	bud  *budget
}

func (e *entryReader) Read(p []byte) (int, error) {
	if e.left <= 0 || e.bud.left <= 0 {
		// Probe for one more byte: a part that is exactly at the cap is fine.
		var one [1]byte
		n, err := e.rc.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("a part inflates past the limits: %w", ErrBomb)
		}
		return 0, e.mapErr(err)
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	if int64(len(p)) > e.bud.left {
		p = p[:e.bud.left]
	}
	n, err := e.rc.Read(p)
	e.left -= int64(n)
	e.bud.left -= int64(n)
	return n, e.mapErr(err)
}

// mapErr turns archive/zip's refusal to read past the declared size (a
// header that lies; reading entry data, archive/zip returns ErrFormat for
// nothing else) into ErrBomb and broken data into ErrCorrupt.
func (e *entryReader) mapErr(err error) error {
	switch {
	case err == nil || err == io.EOF:
		return err
	case errors.Is(err, zip.ErrFormat):
		return fmt.Errorf("an entry inflates past its declared size: %w", ErrBomb)
	default:
		return fmt.Errorf("zip entry: %v: %w", err, ErrCorrupt)
	}
}

func (e *entryReader) Close() error { return e.rc.Close() }

// openEntry opens a zip entry for reading at most partMax bytes, charged to bud.
func openEntry(f *zip.File, partMax int64, bud *budget) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(partMax) || f.UncompressedSize64 > uint64(max(bud.left, 0)) {
		return nil, fmt.Errorf("part %s declares %d bytes: %w", f.Name, f.UncompressedSize64, ErrBomb)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("zip entry: %v: %w", err, ErrCorrupt)
	}
	return &entryReader{rc: rc, left: partMax, bud: bud}, nil
}
