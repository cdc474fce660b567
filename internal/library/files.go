package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
)

const (
	// sniffLen is how much of a file's head is read to tell its kind
	// before anything is stored, so a refused kind writes nothing.
	sniffLen = 64 << 10
	// excerptRunes bounds the preview text kept per file.
	excerptRunes = 3000
	// maxIndexText bounds the text of one file that goes into the index.
	maxIndexText = 1 << 20
	// maxNameRunes bounds a file's name as shown and sent.
	maxNameRunes = 200
)

// extensions are the file name endings that fit each kind; a name that
// ends otherwise gets the kind's own ending added, so a download opens
// in the right program whatever the uploader called it.
var extensions = map[string][]string{
	"pdf": {".pdf"}, "doc": {".doc"}, "docx": {".docx"}, "ppt": {".ppt", ".pps"}, "pptx": {".pptx", ".ppsx"},
	"xls": {".xls"}, "xlsx": {".xlsx"}, "odt": {".odt"}, "odp": {".odp"}, "rtf": {".rtf"},
	"txt": {".txt", ".text", ".md", ".csv"}, "jpg": {".jpg", ".jpeg"}, "png": {".png"}, "zip": {".zip"},
}

// ContentTypes is the Content-Type each kind is served with.
var ContentTypes = map[string]string{
	"pdf":  "application/pdf",
	"doc":  "application/msword",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"ppt":  "application/vnd.ms-powerpoint",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"xls":  "application/vnd.ms-excel",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"odt":  "application/vnd.oasis.opendocument.text",
	"odp":  "application/vnd.oasis.opendocument.presentation",
	"rtf":  "application/rtf",
	"txt":  "text/plain; charset=utf-8",
	"jpg":  "image/jpeg",
	"png":  "image/png",
	"zip":  "application/zip",
}

// CleanFileName checks an uploaded file's name: a plain name, no folders
// (a path-like name is refused, never trimmed, so nobody is surprised),
// no control characters, at most 200 characters. It returns the name in
// Unicode NFC, so Kazakh letters typed on different systems compare equal.
func CleanFileName(name string) (string, error) {
	name = strings.TrimSpace(norm.NFC.String(name))
	bad := name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes ||
		strings.HasPrefix(name, ".") || strings.ContainsAny(name, `/\:`)
	for _, r := range name {
		if unicode.IsControl(r) || r == unicode.ReplacementChar || unicode.Is(unicode.Cf, r) {
			bad = true
		}
	}
	if bad {
		return "", apperr.Field("files", "library.files.name", maxNameRunes)
	}
	return name, nil
}

// nameForKind adds the kind's ending when the name's ending does not fit.
func nameForKind(name, kind string) string {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range extensions[kind] {
		if ext == e {
			return name
		}
	}
	return name + extensions[kind][0]
}

// Upload receives the files of one material as they arrive: each is
// streamed into the store (never held whole in memory), its kind told by
// content, checked against zip bombs, and its text extracted. Each stored
// file is held in the database (blobs.go) so that no node deletes it
// before Publish or Edit writes its row; Discard drops the holds and
// deletes every file the upload stored that nothing else references.
// Always defer Discard: after a commit it does nothing.
type Upload struct {
	s         *Service
	id        int64
	files     []stagedFile
	committed bool
	discarded bool
}

type stagedFile struct {
	sha, kind, name, excerpt, text string
	size                           int64
	hold                           int64 // the blob_holds row
}

// NewUpload starts receiving files.
func (s *Service) NewUpload() *Upload { return &Upload{s: s, id: db.NewID()} }

// Len is the number of files received so far.
func (u *Upload) Len() int { return len(u.files) }

// Add stores one file. A refused file (wrong kind, too large, a bomb, a
// bad name, one too many) is a field error on "files" and leaves nothing
// stored; other errors are the store's.
func (u *Upload) Add(ctx context.Context, name string, r io.Reader) error {
	s := u.s
	if len(u.files) >= s.o.MaxFiles {
		return apperr.Field("files", "library.files.too_many", s.o.MaxFiles)
	}
	clean, err := CleanFileName(name)
	if err != nil {
		return err
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("library: read upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return apperr.Field("files", "library.files.empty", clean)
	}
	kind, err := sniff(head)
	if err != nil {
		return apperr.Field("files", "library.files.type", clean)
	}
	st, err := s.store.Stage(ctx, io.MultiReader(bytes.NewReader(head), r), s.o.MaxFileSize)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return apperr.Field("files", "library.files.too_large", clean, s.o.MaxFileSize>>20)
		}
		return fmt.Errorf("library: store upload: %w", err)
	}
	defer st.Close()
	// The hold comes before the file is stored: from then on no node
	// deletes that content, and a deletion already under way is waited for.
	holdID, err := s.hold(ctx, u.id, st.SHA256)
	if err != nil {
		return err
	}
	f := stagedFile{sha: st.SHA256, size: st.Size, kind: kind, name: clean, hold: holdID}
	if err := st.Commit(ctx); err != nil {
		u.drop(ctx, f)
		return fmt.Errorf("library: store upload: %w", err)
	}
	if err := u.inspect(ctx, &f); err != nil {
		u.drop(ctx, f)
		return err
	}
	u.files = append(u.files, f)
	return nil
}

// drop lets go of one refused file.
func (u *Upload) drop(ctx context.Context, f stagedFile) {
	ctx = context.WithoutCancel(ctx)
	u.s.unhold(ctx, f.hold)
	u.s.release(ctx, f.sha)
}

// inspect guards against bombs and extracts the text of a stored file.
func (u *Upload) inspect(ctx context.Context, f *stagedFile) error {
	rc, _, err := u.s.store.Open(ctx, f.sha)
	if err != nil {
		return fmt.Errorf("library: open upload: %w", err)
	}
	defer rc.Close()
	ra := readerAt(rc)
	// The head told a provisional kind; a container's directory decides
	// (a zip holding a Word document is docx, one holding macros is refused).
	kind, err := sniffFile(ctx, ra, f.size)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, errUnsupported) {
			return apperr.Field("files", "library.files.type", f.name)
		}
		return apperr.Field("files", "library.files.damaged", f.name)
	}
	f.kind = kind
	if err := checkFile(ctx, ra, f.size, f.kind); err != nil {
		if errors.Is(err, errBomb) {
			return apperr.Field("files", "library.files.bomb", f.name)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return apperr.Field("files", "library.files.damaged", f.name)
	}
	f.name = nameForKind(f.name, f.kind)
	// A file whose text cannot be extracted is still published (issue 3):
	// it is just not found by the words inside it.
	if text, err := extractText(ctx, ra, f.size, f.kind); err == nil {
		text = strings.TrimSpace(text)
		f.excerpt = cut(text, excerptRunes)
		if len(text) > maxIndexText {
			text = text[:maxIndexText]
		}
		f.text = text
	}
	return nil
}

// Discard drops the upload's holds and deletes the files it stored that
// nothing else refers to. It does nothing after a commit (the holds went
// with it), and is safe to call twice.
func (u *Upload) Discard(ctx context.Context) {
	if u.discarded || u.committed {
		return
	}
	u.discarded = true
	if len(u.files) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	shas := make([]string, len(u.files))
	for i, f := range u.files {
		shas[i] = f.sha
	}
	if _, err := u.s.db.Exec(ctx, `DELETE FROM blob_holds WHERE upload_id = ?`, u.id); err != nil {
		u.s.o.Log.Warn("library: drop an upload's holds (they expire)", "err", err)
	}
	u.s.release(ctx, shas...)
}

// commit marks the upload as taken by rows now written (takeHolds).
func (u *Upload) commit() { u.committed = true }

// cut returns at most n runes of s.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

// readerAt gives random access to a stored blob: directly when the store
// hands out a file, else by seeking (serialised).
func readerAt(rs io.ReadSeeker) io.ReaderAt {
	if ra, ok := rs.(io.ReaderAt); ok {
		return ra
	}
	return &seekReaderAt{rs: rs}
}

type seekReaderAt struct {
	mu sync.Mutex
	rs io.ReadSeeker
}

func (s *seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.rs.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.rs, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// ASCIIName is a file name for clients that cannot read the UTF-8 one:
// the name transliterated as in material addresses, its ending kept.
func ASCIIName(name, kind string) string {
	ext := path.Ext(name)
	base := slug(strings.TrimSuffix(name, ext))
	if base == "" {
		base = "file"
	}
	if e := extensions[kind]; len(e) > 0 {
		ext = e[0]
		for _, x := range e {
			if strings.EqualFold(path.Ext(name), x) {
				ext = x
			}
		}
	}
	return base + ext
}
