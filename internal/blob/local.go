package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// local stores files in a folder: dir/ab/cd/abcd… (0600 files in 0700
// folders), with uploads in progress under dir/tmp.
type local struct {
	dir string
}

func openLocal(dir string) (*local, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blob: open local folder: %w", err)
	}
	removeStale(filepath.Join(dir, "tmp"))
	return &local{dir: dir}, nil
}

// String names the folder, for the admin status page and logs.
func (l *local) String() string { return "local folder " + l.dir }

func (l *local) path(sha string) string {
	return filepath.Join(l.dir, filepath.FromSlash(objectPath(sha)))
}

// Put writes r into a temporary file in the same file system while hashing
// it, makes it durable, then renames it to its hash. The rename is atomic,
// so a reader never sees half a file and concurrent puts of the same
// content leave exactly one copy.
func (l *local) Put(ctx context.Context, r io.Reader, limit int64) (Object, error) {
	f, obj, err := spool(ctx, filepath.Join(l.dir, "tmp"), r, limit)
	if err != nil {
		return Object{}, err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if err := f.Sync(); err != nil {
		f.Close()
		return Object{}, fmt.Errorf("blob: put: sync: %w", err)
	}
	if err := f.Close(); err != nil {
		return Object{}, fmt.Errorf("blob: put: close: %w", err)
	}

	final := l.path(obj.SHA256)
	if _, err := os.Lstat(final); err == nil {
		return obj, nil // stored once: the temporary copy is dropped
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return Object{}, fmt.Errorf("blob: put: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return Object{}, fmt.Errorf("blob: put: %w", err)
	}
	syncDir(filepath.Dir(final))
	return obj, nil
}

// Open returns the stored file; *os.File is also an io.ReaderAt.
func (l *local) Open(ctx context.Context, sha string) (io.ReadSeekCloser, Object, error) {
	if !ValidSHA(sha) {
		return nil, Object{}, ErrInvalidSHA
	}
	f, err := os.Open(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Object{}, ErrNotFound
	}
	if err != nil {
		return nil, Object{}, fmt.Errorf("blob: open: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Object{}, fmt.Errorf("blob: open: %w", err)
	}
	return f, Object{SHA256: sha, Size: st.Size()}, nil
}

// Exists reports whether the file is stored.
func (l *local) Exists(ctx context.Context, sha string) (bool, error) {
	if !ValidSHA(sha) {
		return false, ErrInvalidSHA
	}
	_, err := os.Lstat(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("blob: exists: %w", err)
	}
	return true, nil
}

// Delete removes the file; an absent file is not an error.
func (l *local) Delete(ctx context.Context, sha string) error {
	if !ValidSHA(sha) {
		return ErrInvalidSHA
	}
	err := os.Remove(l.path(sha))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete: %w", err)
	}
	return nil
}

// spool copies r into a new 0600 temporary file in dir while hashing it,
// reading at most limit+1 bytes so an oversized upload is noticed without
// reading it to its end. On success the file is left open; on any error it
// is already removed.
func spool(ctx context.Context, dir string, r io.Reader, limit int64) (_ *os.File, _ Object, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, Object{}, fmt.Errorf("blob: put: %w", err)
	}
	f, err := os.CreateTemp(dir, "put-*")
	if err != nil {
		return nil, Object{}, fmt.Errorf("blob: put: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	src := io.Reader(ctxReader{ctx: ctx, r: r})
	if limit >= 0 {
		src = io.LimitReader(src, limit+1)
	}
	h := sha256.New()
	n, err := io.Copy(f, io.TeeReader(src, h))
	if err != nil {
		return nil, Object{}, fmt.Errorf("blob: put: %w", err)
	}
	if limit >= 0 && n > limit {
		return nil, Object{}, ErrTooLarge
	}
	return f, Object{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// syncDir makes a rename durable. Failure is not reported: the file is
// complete either way, only its name may be lost in a power cut.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// staleAge is how old an unfinished upload's temporary file must be before
// removeStale deletes it: far longer than any upload takes, so a file that
// another process sharing the folder is still writing is never touched.
const staleAge = 24 * time.Hour

// removeStale deletes temporary files that a crashed process left behind.
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "put-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
