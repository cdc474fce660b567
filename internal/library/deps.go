package library

// The library's calls into blob, extract and search, in one place.

import (
	"context"
	"io"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/extract"
	"github.com/smartustaz/smartustaz/internal/search"
)

// terms are the index terms of a text (folded, stemmed kk and ru);
// queryTerms the AND of OR-groups a query means; slug the readable URL
// part of a title, Kazakh letters transliterated.
var (
	terms      = search.Terms
	queryTerms = search.QueryTerms
	slug       = search.Slug
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
