package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/minio/minio-go/v7"
)

// ErrInvalidName means a named object's name is not of the form
// "folder/name" with a folder of at least three lowercase letters (so it
// never falls among the content's two-hex-digit folders) and a name of
// letters, digits, '.', '-' and '_'.
var ErrInvalidName = errors.New("blob: not a valid object name")

// Named is what a Store offers besides content when it is S3: a few
// small objects under names of their own, for what must be shared by
// every node and survive the loss of one (the vault's deletion list). A
// local folder does not offer it: the data folder already holds them.
type Named interface {
	// PutNamed stores data under name, replacing what was there.
	PutNamed(ctx context.Context, name string, data []byte) error
	// ListNamed returns the names of the objects whose name starts with
	// prefix (a folder, "tombstones/").
	ListNamed(ctx context.Context, prefix string) ([]string, error)
}

// ValidName reports whether name may be used with PutNamed.
func ValidName(name string) bool {
	folder, rest, ok := strings.Cut(name, "/")
	if !ok || len(folder) < 3 || rest == "" || len(name) > 512 {
		return false
	}
	for _, c := range folder {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// PutNamed uploads data under name.
func (s *s3store) PutNamed(ctx context.Context, name string, data []byte) error {
	if !ValidName(name) {
		return ErrInvalidName
	}
	_, err := s.c.PutObject(ctx, s.cfg.Bucket, name, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: "text/plain"})
	if err != nil {
		return fmt.Errorf("blob: put %s to %s: %w", name, s.cfg, err)
	}
	return nil
}

// ListNamed lists the bucket under prefix, page after page.
func (s *s3store) ListNamed(ctx context.Context, prefix string) ([]string, error) {
	if !ValidName(prefix + "x") {
		return nil, ErrInvalidName
	}
	var out []string
	for o := range s.c.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("blob: list %s in %s: %w", prefix, s.cfg, o.Err)
		}
		out = append(out, o.Key)
	}
	return out, nil
}
