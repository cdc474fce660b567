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
// folder or the bucket, which the orphan collection never lists), for
// what must survive outside the database: the audit log's checkpoints,
// the vault's deletion list. Both backends implement it.
type Named interface {
	// PutNamed replaces the object called name with data, atomically: a
	// reader sees the old or the new content, never a mix.
	PutNamed(ctx context.Context, name string, data []byte) error
	// GetNamed returns the object called name, or ErrNotFound.
	GetNamed(ctx context.Context, name string) ([]byte, error)
	// ListNamed returns the names (without named/) of the objects whose
	// name starts with prefix, a folder such as "tombstones/".
	ListNamed(ctx context.Context, prefix string) ([]string, error)
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

// ValidName reports whether name may be used for a named object: only
// names that are safe as a path and an S3 key.
func ValidName(name string) bool {
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
	if !ValidName(name) {
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
	if !ValidName(name) {
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
	if !ValidName(name) {
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
	if !ValidName(name) {
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

// ListNamed walks the folder under prefix.
func (l *local) ListNamed(ctx context.Context, prefix string) ([]string, error) {
	if !ValidName(prefix + "x") {
		return nil, ErrInvalidName
	}
	root := filepath.Join(l.dir, filepath.FromSlash(namedPrefix))
	var out []string
	err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(prefix)), func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".put-") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if name := filepath.ToSlash(rel); strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blob: list %s: %w", prefix, err)
	}
	return out, nil
}

// ListNamed lists the bucket under named/prefix, page after page.
func (s *s3store) ListNamed(ctx context.Context, prefix string) ([]string, error) {
	if !ValidName(prefix + "x") {
		return nil, ErrInvalidName
	}
	var out []string
	for o := range s.c.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: namedPrefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("blob: list %s in %s: %w", prefix, s.cfg, o.Err)
		}
		out = append(out, strings.TrimPrefix(o.Key, namedPrefix))
	}
	return out, nil
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
