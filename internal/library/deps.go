package library

// The library's calls into blob and extract, in one place.

import (
	"context"
	"io"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/extract"
)

// Store is where file contents live: blob.Store (a local folder or an
// S3-compatible bucket), addressed by SHA-256.
type Store = blob.Store

var (
	errTooLarge    = blob.ErrTooLarge
	errBlobMissing = blob.ErrNotFound
	errUnsupported = extract.ErrUnsupported
	errBomb        = extract.ErrBomb
)

// sniff tells a file's provisional kind from its head, before anything is
// stored; sniffFile decides from the whole file.
func sniff(head []byte) (string, error) {
	k, err := extract.Sniff(head)
	return string(k), err
}

func sniffFile(ctx context.Context, r io.ReaderAt, size int64) (string, error) {
	k, err := extract.SniffFile(ctx, r, size)
	return string(k), err
}

func checkFile(ctx context.Context, r io.ReaderAt, size int64, kind string) error {
	return extract.Check(ctx, r, size, extract.Kind(kind), extract.DefaultLimits)
}

func extractText(ctx context.Context, r io.ReaderAt, size int64, kind string) (string, error) {
	return extract.Text(ctx, r, size, extract.Kind(kind), extract.DefaultLimits)
}
