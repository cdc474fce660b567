// Package blob stores uploaded files under the SHA-256 of their content, so
// identical files are stored once whatever they were called (issue 3,
// section 1). Two backends sit behind one Store interface: a local folder
// (the default, DATA/files) and any S3-compatible object store. Both stream:
// a file is hashed while it is written and never held whole in memory
// (measured with BenchmarkPutLarge -blob.size=1073741824: a 1 GB upload
// raised the heap by 0.05 MB to a folder and 4.2 MB to S3).
//
// Who uploaded or downloaded a file (clause 1.2 (c)) is recorded by the
// library package, not here: this package knows only bytes and their hash.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrTooLarge means Put read more than the limit; nothing was stored.
var ErrTooLarge = errors.New("blob: file is larger than the limit")

// ErrNotFound means no object is stored under that hash.
var ErrNotFound = errors.New("blob: no such object")

// ErrInvalidSHA means the hash given is not 64 lowercase hexadecimal
// digits. Only such names ever reach the disk or the bucket, so a crafted
// name ("../../keyring.json") can never address anything outside storage.
var ErrInvalidSHA = errors.New("blob: not a lowercase hex SHA-256")

// Object describes a stored file: the hex SHA-256 of its content and its
// size in bytes.
type Object struct {
	SHA256 string
	Size   int64
}

// Info is a stored object as a listing shows it: when it was last
// written, so a collector of unreferenced objects can spare young ones.
type Info struct {
	Object
	Modified time.Time
}

// Store keeps files addressed by the SHA-256 of their content.
//
// Delete removes the object even if another record still refers to the same
// hash; the caller keeps the references (several materials may share one
// file) and deletes only the last one.
type Store interface {
	// Put reads r to its end and stores it. limit is the largest size
	// accepted in bytes (a negative limit means no limit); a longer r gives
	// ErrTooLarge and leaves nothing behind. Storing content that is
	// already there succeeds and keeps one copy.
	Put(ctx context.Context, r io.Reader, limit int64) (Object, error)
	// Stage is the first half of Put: it reads r to its end into a
	// temporary file and hashes it, storing nothing yet. The caller learns
	// the hash before the content is stored (to record that an upload
	// holds it), then calls Commit, and always Close.
	Stage(ctx context.Context, r io.Reader, limit int64) (*Staged, error)
	// List calls fn with every stored object, in no particular order,
	// until fn returns an error (which List returns).
	List(ctx context.Context, fn func(Info) error) error
	// SweepTemp removes the temporary files of uploads that no live
	// process is writing any more (a crash, a kill), and says how many.
	SweepTemp(ctx context.Context) (int, error)
	// Open returns the content stored under sha256hex, or ErrNotFound. The
	// reader also implements io.ReaderAt (*os.File, *minio.Object), which
	// extract.Check and extract.Text need.
	Open(ctx context.Context, sha256hex string) (io.ReadSeekCloser, Object, error)
	// Exists reports whether content is stored under sha.
	Exists(ctx context.Context, sha string) (bool, error)
	// Delete removes the object; deleting an absent object is not an
	// error, so a retried cleanup does not fail.
	Delete(ctx context.Context, sha string) error
}

// ValidSHA reports whether s is a lowercase hex SHA-256 (64 characters of
// 0-9a-f), the only form a Store accepts as a name.
func ValidSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// objectPath is the slash-separated place of sha in either backend:
// ab/cd/abcd…, a two-level fan-out so no folder holds more than a few
// thousand entries even with millions of files.
func objectPath(sha string) string {
	return sha[0:2] + "/" + sha[2:4] + "/" + sha
}

// Open returns the Store that spec names:
//
//   - "" — the local folder dataDir/files (the default);
//   - "file:///absolute/folder" — a local folder elsewhere;
//   - "s3://bucket?endpoint=host:port&region=…&secure=false" — an
//     S3-compatible store. Credentials come from the URL's user info
//     (s3://KEY:SECRET@bucket…, percent-encoded) or else from
//     AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).
//     The endpoint defaults to s3.amazonaws.com and secure to true. The
//     bucket must exist; Open checks that it answers.
//
// Files on their way to S3 are first spooled to dataDir/spool (see s3.go
// for why). Errors never contain the secret key.
func Open(spec, dataDir string) (Store, error) {
	return OpenEnv(spec, dataDir, os.Getenv)
}

// OpenEnv is Open with the environment given as a function, for tests and
// for a caller that reads its settings from somewhere else.
func OpenEnv(spec, dataDir string, getenv func(string) string) (Store, error) {
	sp, err := parseSpec(spec, getenv)
	if err != nil {
		return nil, err
	}
	switch sp.kind {
	case "local":
		dir := sp.dir
		if dir == "" {
			if dataDir == "" {
				return nil, errors.New("blob: open: no data folder given")
			}
			dir = filepath.Join(dataDir, "files")
		}
		return openLocal(dir)
	default:
		if dataDir == "" {
			return nil, errors.New("blob: open: no data folder given for the upload spool")
		}
		return openS3(sp.s3, filepath.Join(dataDir, "spool"))
	}
}

// spec is a parsed storage spec.
type spec struct {
	kind string // "local" or "s3"
	dir  string // local: the folder ("" = dataDir/files)
	s3   s3Config
}

// s3Config is what openS3 needs. It has a String method that leaves the
// secret out, so printing it by mistake reveals nothing.
type s3Config struct {
	Bucket    string
	Endpoint  string
	Region    string
	Secure    bool
	AccessKey string
	secretKey string
	token     string
}

// String describes the configuration without its secrets.
func (c s3Config) String() string {
	scheme := "https"
	if !c.Secure {
		scheme = "http"
	}
	return fmt.Sprintf("s3 bucket %s at %s://%s", c.Bucket, scheme, c.Endpoint)
}

// parseSpec reads a storage spec. Its errors are written here from fixed
// words and never echo the spec, a parameter or url.Parse's own message,
// because any of those may carry the secret key.
func parseSpec(s string, getenv func(string) string) (spec, error) {
	if s == "" {
		return spec{kind: "local"}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return spec{}, errors.New("blob: storage spec is not a valid URL (expected s3://bucket?endpoint=host:port or file:///folder)")
	}
	switch u.Scheme {
	case "file":
		if u.User != nil || u.Host != "" || u.RawQuery != "" || u.Fragment != "" {
			return spec{}, errors.New("blob: storage spec: a file URL is file:///absolute/folder, with nothing else")
		}
		if !filepath.IsAbs(u.Path) {
			return spec{}, errors.New("blob: storage spec: a file URL needs an absolute folder")
		}
		return spec{kind: "local", dir: filepath.Clean(u.Path)}, nil
	case "s3":
	default:
		return spec{}, errors.New("blob: storage spec: the scheme must be s3:// or file://")
	}

	c := s3Config{Bucket: u.Host, Endpoint: "s3.amazonaws.com", Secure: true}
	if c.Bucket == "" || u.Port() != "" {
		return spec{}, errors.New("blob: storage spec: s3://bucket needs a bucket name (put the server in ?endpoint=host:port)")
	}
	if !validBucket(c.Bucket) {
		return spec{}, errors.New("blob: storage spec: the bucket name is not a valid S3 bucket name")
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" || u.Opaque != "" {
		return spec{}, errors.New("blob: storage spec: s3://bucket takes no path; use ?endpoint=, ?region=, ?secure=")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return spec{}, errors.New("blob: storage spec: the query is not valid")
	}
	for name, vals := range q {
		if len(vals) != 1 {
			return spec{}, errors.New("blob: storage spec: each of endpoint, region, secure may be given once")
		}
		v := vals[0]
		switch name {
		case "endpoint":
			if !validEndpoint(v) {
				return spec{}, errors.New("blob: storage spec: endpoint must be host or host:port, without scheme or path")
			}
			c.Endpoint = v
		case "region":
			if !validRegion(v) {
				return spec{}, errors.New("blob: storage spec: region must be letters, digits and dashes")
			}
			c.Region = v
		case "secure":
			switch v {
			case "true", "1":
				c.Secure = true
			case "false", "0":
				c.Secure = false
			default:
				return spec{}, errors.New("blob: storage spec: secure must be true or false")
			}
		default:
			return spec{}, errors.New("blob: storage spec: unknown parameter (known: endpoint, region, secure)")
		}
	}

	if u.User != nil {
		c.AccessKey = u.User.Username()
		c.secretKey, _ = u.User.Password()
		if c.AccessKey == "" || c.secretKey == "" {
			return spec{}, errors.New("blob: storage spec: user info must be KEY:SECRET")
		}
	} else {
		c.AccessKey = getenv("AWS_ACCESS_KEY_ID")
		c.secretKey = getenv("AWS_SECRET_ACCESS_KEY")
		c.token = getenv("AWS_SESSION_TOKEN")
		if c.AccessKey == "" || c.secretKey == "" {
			return spec{}, errors.New("blob: storage spec: no S3 credentials (give s3://KEY:SECRET@bucket or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
		}
	}
	return spec{kind: "s3", s3: c}, nil
}

// validBucket follows the S3 bucket naming rules: 3–63 characters of
// lowercase letters, digits, dots and dashes, starting and ending with a
// letter or digit.
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if !alnum && c != '.' && c != '-' {
			return false
		}
		if (i == 0 || i == len(b)-1) && !alnum {
			return false
		}
	}
	return !strings.Contains(b, "..")
}

// validEndpoint accepts host or host:port (IPv6 in brackets), the form
// minio.New expects.
func validEndpoint(e string) bool {
	if e == "" || len(e) > 255 || strings.ContainsAny(e, "/?#@ \\") {
		return false
	}
	u, err := url.Parse("http://" + e)
	if err != nil || u.Host != e || u.Hostname() == "" {
		return false
	}
	return true
}

func validRegion(r string) bool {
	if r == "" || len(r) > 64 {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// ctxReader stops a copy when the request that feeds it is cancelled, so
// an abandoned upload does not keep writing to disk.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
