package blob

import (
	"testing"

	"github.com/smartustaz/smartustaz/internal/blob/blobtest"
)

// The S3 backend is tested against a real server (internal/blob/blobtest).
type s3Server = blobtest.S3

func startS3(tb testing.TB) *s3Server { return blobtest.Start(tb) }

func randomHex(tb testing.TB, n int) string { return blobtest.RandomHex(tb, n) }
