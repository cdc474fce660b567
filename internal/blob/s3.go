package blob

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// s3store keeps files in an S3 bucket under ab/cd/abcd….
//
// Put spools the upload to a local temporary file while hashing it, then
// uploads that file under its hash. The other way, streaming straight to a
// temporary object (PutObject with size -1) and copying it server-side to
// its hash, was measured against versitygw and rejected: minio-go then
// buffers one whole part per upload, at least 5 MiB (the S3 minimum) even
// for a 10-byte file. Peak extra heap measured with peakHeap
// (memory_test.go):
//
//	                     10 B file   64 MB file
//	stream, 5 MiB parts     5.2 MB      10.1 MB
//	stream, 16 MiB parts   16.1 MB      21.8 MB (over the 20 MB budget)
//	spool (this code)       0.1 MB       2.6 MB
//
// so N concurrent streamed uploads would cost N×5 MiB or more, and a crash
// would leave temporary objects in the bucket. A spooled file has a known
// size and is an io.ReaderAt, so minio-go sends its parts from section
// readers without buffering them. The hash is also known before a byte is
// sent, so content already stored is not uploaded again. The cost is
// local disk for the file in flight, in dataDir/spool (not os.TempDir, which
// may be tmpfs, i.e. memory).
type s3store struct {
	c        *minio.Client
	cfg      s3Config
	spoolDir string
}

// partSize is the multipart part size: 16 MiB keeps a 50 MB file to four
// parts and reaches S3's 10,000-part ceiling only past 160 GB. Parts are
// read from the spooled file, never buffered, so it does not cost memory.
const partSize = 16 << 20

func openS3(cfg s3Config, spoolDir string) (*s3store, error) {
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.secretKey, cfg.token),
		Secure: cfg.Secure,
		Region: cfg.Region,
	})
	if err != nil {
		// minio.New only fails on the endpoint, which holds no secret.
		return nil, fmt.Errorf("blob: open %s: %w", cfg, err)
	}
	if err := os.MkdirAll(spoolDir, 0o700); err != nil {
		return nil, fmt.Errorf("blob: open %s: spool folder: %w", cfg, err)
	}
	sweepDir(spoolDir, time.Now())
	// Fail at start, not at the first upload, when the bucket or the
	// credentials are wrong.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", cfg, err)
	}
	if !ok {
		return nil, fmt.Errorf("blob: open %s: the bucket does not exist", cfg)
	}
	return &s3store{c: c, cfg: cfg, spoolDir: spoolDir}, nil
}

// String describes the store without its credentials.
func (s *s3store) String() string { return s.cfg.String() }

// Put spools r to disk while hashing it, then uploads it under its hash
// unless that object is already there.
func (s *s3store) Put(ctx context.Context, r io.Reader, limit int64) (Object, error) {
	return put(ctx, s, r, limit)
}

// Stage spools r to dataDir/spool while hashing it.
func (s *s3store) Stage(ctx context.Context, r io.Reader, limit int64) (*Staged, error) {
	f, obj, err := spool(ctx, s.spoolDir, r, limit)
	if err != nil {
		return nil, err
	}
	return &Staged{Object: obj, f: f, commit: s.commit}, nil
}

// commit uploads the spooled file unless its object is already there.
func (s *s3store) commit(ctx context.Context, st *Staged) error {
	exists, err := s.Exists(ctx, st.SHA256)
	if err != nil {
		return err
	}
	if exists {
		return nil // stored once: the spooled copy is dropped
	}
	if _, err := st.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("blob: put: %w", err)
	}
	_, err = s.c.PutObject(ctx, s.cfg.Bucket, objectPath(st.SHA256), st.f, st.Size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		PartSize:    partSize,
	})
	if err != nil {
		return fmt.Errorf("blob: put to %s: %w", s.cfg, err)
	}
	return nil
}

// List pages through the bucket (1,000 keys a request) and skips keys
// outside the ab/cd/abcd… layout.
func (s *s3store) List(ctx context.Context, fn func(Info) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the listing goroutine when fn fails
	for o := range s.c.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("blob: list %s: %w", s.cfg, o.Err)
		}
		sha := path.Base(o.Key)
		if !ValidSHA(sha) || o.Key != objectPath(sha) {
			continue
		}
		if err := fn(Info{Object: Object{SHA256: sha, Size: o.Size}, Modified: o.LastModified}); err != nil {
			return err
		}
	}
	return nil
}

// SweepTemp removes dead uploads' spooled files.
func (s *s3store) SweepTemp(ctx context.Context) (int, error) {
	return sweepDir(s.spoolDir, time.Now())
}

// Open returns the object as a *minio.Object, which reads lazily over HTTP
// and implements Seek and ReadAt (each ReadAt or Seek far away is a new
// ranged GET).
func (s *s3store) Open(ctx context.Context, sha string) (io.ReadSeekCloser, Object, error) {
	if !ValidSHA(sha) {
		return nil, Object{}, ErrInvalidSHA
	}
	o, err := s.c.GetObject(ctx, s.cfg.Bucket, objectPath(sha), minio.GetObjectOptions{})
	if err != nil {
		return nil, Object{}, fmt.Errorf("blob: open from %s: %w", s.cfg, err)
	}
	// GetObject sends nothing yet; Stat makes the request, so an absent
	// object is reported here and not at the first Read.
	st, err := o.Stat()
	if err != nil {
		o.Close()
		if isNoSuchKey(err) {
			return nil, Object{}, ErrNotFound
		}
		return nil, Object{}, fmt.Errorf("blob: open from %s: %w", s.cfg, err)
	}
	return o, Object{SHA256: sha, Size: st.Size}, nil
}

// Exists asks the bucket for the object's metadata.
func (s *s3store) Exists(ctx context.Context, sha string) (bool, error) {
	if !ValidSHA(sha) {
		return false, ErrInvalidSHA
	}
	_, err := s.c.StatObject(ctx, s.cfg.Bucket, objectPath(sha), minio.StatObjectOptions{})
	if isNoSuchKey(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("blob: exists in %s: %w", s.cfg, err)
	}
	return true, nil
}

// Delete removes the object; S3 itself treats an absent one as deleted.
func (s *s3store) Delete(ctx context.Context, sha string) error {
	if !ValidSHA(sha) {
		return ErrInvalidSHA
	}
	err := s.c.RemoveObject(ctx, s.cfg.Bucket, objectPath(sha), minio.RemoveObjectOptions{})
	if err != nil && !isNoSuchKey(err) {
		return fmt.Errorf("blob: delete from %s: %w", s.cfg, err)
	}
	return nil
}

func isNoSuchKey(err error) bool {
	if err == nil {
		return false
	}
	code := minio.ToErrorResponse(err).Code
	return code == minio.NoSuchKey || code == "NotFound"
}
