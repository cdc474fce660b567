package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
	// Uploads a crash interrupted are swept at every start, and by the
	// janitor while serving.
	sweepDir(filepath.Join(dir, "tmp"), time.Now())
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
	return put(ctx, l, r, limit)
}

// Stage writes r into a temporary file under dir/tmp while hashing it.
func (l *local) Stage(ctx context.Context, r io.Reader, limit int64) (*Staged, error) {
	f, obj, err := spool(ctx, filepath.Join(l.dir, "tmp"), r, limit)
	if err != nil {
		return nil, err
	}
	return &Staged{Object: obj, f: f, commit: l.commit}, nil
}

// commit makes the staged file durable and renames it to its hash.
func (l *local) commit(ctx context.Context, st *Staged) error {
	if err := st.f.Sync(); err != nil {
		return fmt.Errorf("blob: put: sync: %w", err)
	}
	final := l.path(st.SHA256)
	if _, err := os.Lstat(final); err == nil {
		// Stored once: the temporary copy is dropped. The stored file is
		// touched so that it counts as young again for the collector of
		// unreferenced files, which spares young ones.
		now := time.Now()
		os.Chtimes(final, now, now)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return fmt.Errorf("blob: put: %w", err)
	}
	if err := os.Rename(st.f.Name(), final); err != nil {
		return fmt.Errorf("blob: put: %w", err)
	}
	syncDir(filepath.Dir(final))
	return nil
}

// List walks the folder's ab/cd/ levels; the temporary files are skipped.
func (l *local) List(ctx context.Context, fn func(Info) error) error {
	err := filepath.WalkDir(l.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // deleted meanwhile
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if p == filepath.Join(l.dir, "tmp") {
				return fs.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(l.dir, p)
		if err != nil {
			return err
		}
		sha := d.Name()
		if !ValidSHA(sha) || filepath.ToSlash(rel) != objectPath(sha) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // deleted meanwhile
		}
		return fn(Info{Object: Object{SHA256: sha, Size: info.Size()}, Modified: info.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("blob: list: %w", err)
	}
	return nil
}

// SweepTemp removes dead uploads' temporary files from dir/tmp.
func (l *local) SweepTemp(ctx context.Context) (int, error) {
	return sweepDir(filepath.Join(l.dir, "tmp"), time.Now())
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

// syncDir makes a rename durable. Failure is not reported: the file is
// complete either way, only its name may be lost in a power cut.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
