package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/minio/minio-go/v7"
)

// Named keeps small records under a name of the caller's choosing, beside
// the content-addressed files and apart from them (under named/ in the
// folder or the bucket), for what must survive outside the database, such
// as the audit log's checkpoints. Both backends implement it.
type Named interface {
	// PutNamed replaces the object called name with data, atomically: a
	// reader sees the old or the new content, never a mix.
	PutNamed(ctx context.Context, name string, data []byte) error
	// GetNamed returns the object called name, or ErrNotFound.
	GetNamed(ctx context.Context, name string) ([]byte, error)
}

// MaxNamedSize is the largest named object GetNamed reads: they are
// records, not files.
const MaxNamedSize = 1 << 20

// ErrInvalidName means a name is not lowercase letters, digits, '.', '-'
// and '_' in segments separated by '/', or longer than 200 bytes.
var ErrInvalidName = errors.New("blob: not a valid object name")

// namedPrefix keeps named objects out of the ab/cd/sha256 layout, so a
// sweep of content-addressed objects can tell them apart.
const namedPrefix = "named/"

// validName allows only names that are safe as a path and an S3 key.
func validName(name string) bool {
	if name == "" || len(name) > 200 {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '.' && c != '-' && c != '_' {
				return false
			}
		}
	}
	return true
}

func (l *local) namedPath(name string) string {
	return filepath.Join(l.dir, filepath.FromSlash(namedPrefix+name))
}

// PutNamed writes a temporary file, syncs it and renames it over the old one.
func (l *local) PutNamed(ctx context.Context, name string, data []byte) error {
	if !validName(name) {
		return ErrInvalidName
	}
	p := l.namedPath(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		return fmt.Errorf("blob: put %s: %w", name, err)
	}
	syncDir(filepath.Dir(p))
	return nil
}

// GetNamed reads the file.
func (l *local) GetNamed(ctx context.Context, name string) ([]byte, error) {
	if !validName(name) {
		return nil, ErrInvalidName
	}
	f, err := os.Open(l.namedPath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: get %s: %w", name, err)
	}
	defer f.Close()
	b, err := readNamed(f, name)
	if err != nil {
		return nil, fmt.Errorf("blob: get %s: %w", name, err)
	}
	return b, nil
}

// PutNamed uploads data as one object; S3 replaces an object atomically.
func (s *s3store) PutNamed(ctx context.Context, name string, data []byte) error {
	if !validName(name) {
		return ErrInvalidName
	}
	_, err := s.c.PutObject(ctx, s.cfg.Bucket, namedPrefix+name, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("blob: put %s to %s: %w", name, s.cfg, err)
	}
	return nil
}

// GetNamed downloads the object.
func (s *s3store) GetNamed(ctx context.Context, name string) ([]byte, error) {
	if !validName(name) {
		return nil, ErrInvalidName
	}
	o, err := s.c.GetObject(ctx, s.cfg.Bucket, namedPrefix+name, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blob: get %s from %s: %w", name, s.cfg, err)
	}
	defer o.Close()
	b, err := readNamed(o, name)
	if isNoSuchKey(err) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob: get %s from %s: %w", name, s.cfg, err)
	}
	return b, nil
}

func readNamed(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxNamedSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxNamedSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, MaxNamedSize)
	}
	return b, nil
}
