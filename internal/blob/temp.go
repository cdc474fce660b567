package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Staged is content read to its end and hashed, waiting in a temporary
// file. Its writer holds the file locked until Close, so a sweep in any
// process tells a live upload's file from the leftover of a crash.
type Staged struct {
	Object
	f         *os.File
	commit    func(ctx context.Context, st *Staged) error
	committed bool
}

// Commit stores the content under its hash; content already stored stays
// as it is. A second call does nothing.
func (st *Staged) Commit(ctx context.Context) error {
	if st.committed {
		return nil
	}
	if st.f == nil {
		return errors.New("blob: commit: the staged file is closed")
	}
	if err := st.commit(ctx, st); err != nil {
		return err
	}
	st.committed = true
	return nil
}

// Close removes the temporary file (a committed one has usually been
// moved into place already) and releases its lock.
func (st *Staged) Close() error {
	if st.f == nil {
		return nil
	}
	name := st.f.Name()
	err := st.f.Close()
	os.Remove(name) // a no-op once renamed into place
	st.f = nil
	return err
}

// put is Put made of Stage and Commit, for both backends.
func put(ctx context.Context, s Store, r io.Reader, limit int64) (Object, error) {
	st, err := s.Stage(ctx, r, limit)
	if err != nil {
		return Object{}, err
	}
	defer st.Close()
	if err := st.Commit(ctx); err != nil {
		return Object{}, err
	}
	return st.Object, nil
}

// tempPrefix begins the name of every temporary upload file.
const tempPrefix = "put-"

// spool copies r into a new 0600 temporary file in dir while hashing it,
// reading at most limit+1 bytes so an oversized upload is noticed without
// reading it to its end. The file is locked for as long as it is open. On
// success it is left open; on any error it is already removed.
func spool(ctx context.Context, dir string, r io.Reader, limit int64) (_ *os.File, _ Object, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, Object{}, fmt.Errorf("blob: put: %w", err)
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, Object{}, fmt.Errorf("blob: put: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// A file system without locks leaves the sweep to go by age alone.
	lockFile(f)
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

const (
	// tempGrace spares a file just created: its writer locks it right
	// after creating it, and the sweep must not slip in between.
	tempGrace = time.Minute
	// staleIdle is when an unlocked temporary file counts as dead where
	// the file system has no locks: twice the longest an upload may take
	// (internal/web gives one 30 minutes), and the file of a live upload
	// is written to all along.
	staleIdle = time.Hour
)

// sweepDir removes the temporary files in dir that no live upload owns:
// those nobody holds locked (the writer crashed or was killed), or, on a
// file system without locks, those untouched for staleIdle.
func sweepDir(dir string, now time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("blob: sweep %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // gone meanwhile
		}
		idle := now.Sub(info.ModTime())
		if idle < tempGrace {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if dead(p, idle) && os.Remove(p) == nil {
			n++
		}
	}
	return n, nil
}

// dead reports whether no live process owns the temporary file at p.
func dead(p string, idle time.Duration) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	free, err := tryLock(f)
	if err != nil {
		return idle > staleIdle
	}
	return free
}
