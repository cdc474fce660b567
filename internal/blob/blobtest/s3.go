// Package blobtest starts a real S3 server (versitygw) for tests outside
// package blob that need S3 storage: the vault's deletion list kept in
// the bucket. Without the binary the test is skipped locally and fails
// in CI (CI=true), where .ci/run installs it.
package blobtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a running versitygw on a loopback port.
type S3 struct {
	endpoint, access, secret string
	// Client talks to the server directly, as an operator's tool would.
	Client *minio.Client
}

// StartS3 starts versitygw over a temporary folder and stops it when the
// test ends.
func StartS3(tb testing.TB) *S3 {
	tb.Helper()
	bin, err := exec.LookPath("versitygw")
	if err != nil {
		out, _ := exec.Command("go", "env", "GOPATH").Output()
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			if st, err := os.Stat(filepath.Join(dir, "bin", "versitygw")); err == nil && !st.IsDir() {
				bin = filepath.Join(dir, "bin", "versitygw")
			}
		}
	}
	if bin == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("the S3 tests need versitygw (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
		}
		tb.Skip("versitygw not installed: S3 not tested (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &S3{endpoint: l.Addr().String(), access: "smartustaz-test", secret: randomHex(20)}
	l.Close()
	cmd := exec.Command(bin, "--port", s.endpoint, "--region", "us-east-1", "--quiet", "posix", tb.TempDir())
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+s.access, "ROOT_SECRET_KEY="+s.secret)
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start versitygw: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	s.Client, err = minio.New(s.endpoint, &minio.Options{Creds: credentials.NewStaticV4(s.access, s.secret, ""), Region: "us-east-1"})
	if err != nil {
		tb.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := s.Client.ListBuckets(ctx)
		cancel()
		if err == nil {
			return s
		}
		select {
		case werr := <-exited:
			tb.Fatalf("versitygw exited: %v", werr)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("versitygw did not answer within 30s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// NewBucket creates an empty bucket and returns the storage spec
// (--storage) that names it, credentials in the URL.
func (s *S3) NewBucket(tb testing.TB) (bucket, spec string) {
	tb.Helper()
	bucket = "t-" + randomHex(8)
	if err := s.Client.MakeBucket(context.Background(), bucket, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		tb.Fatalf("make bucket: %v", err)
	}
	return bucket, "s3://" + url.UserPassword(s.access, s.secret).String() + "@" + bucket +
		"?endpoint=" + s.endpoint + "&region=us-east-1&secure=false"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
