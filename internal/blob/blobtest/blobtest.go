// Package blobtest starts a real S3 server (versitygw) for the tests of
// any package that stores files: issue 3 asks for a real server, not a
// mock.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is versitygw serving a temporary folder through its posix backend.
type S3 struct {
	Endpoint string // 127.0.0.1:port
	Access   string
	Secret   string
	Client   *minio.Client
}

// VersitygwInstall is the command .ci/run uses to install the server.
const VersitygwInstall = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// findVersitygw looks in PATH, then in $(go env GOPATH)/bin where go install
// puts it.
func findVersitygw() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return "", fmt.Errorf("versitygw is not in PATH and go env GOPATH failed: %w", err)
	}
	for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
		p := filepath.Join(dir, "bin", "versitygw")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("versitygw is neither in PATH nor in $(go env GOPATH)/bin")
}

// Start starts versitygw on a free loopback port and stops it when the
// test ends. Without the binary the test is skipped locally, and fails in
// CI (CI=true), where .ci/run installs it.
func Start(tb testing.TB) *S3 {
	tb.Helper()
	bin, err := findVersitygw()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the S3 backend tests need versitygw: %v (install with %s)", err, VersitygwInstall)
		}
		tb.Skipf("S3 backend not tested: %v; install it with %s", err, VersitygwInstall)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	endpoint := l.Addr().String()
	l.Close()

	srv := &S3{Endpoint: endpoint, Access: "smartustaz-test", Secret: RandomHex(tb, 20)}
	root := tb.TempDir()
	cmd := exec.Command(bin, "--port", endpoint, "--region", "us-east-1", "--quiet", "posix", root)
	// The keys go through the environment, not argv, as a deployment would.
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+srv.Access, "ROOT_SECRET_KEY="+srv.Secret)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start versitygw: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	srv.Client, err = minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(srv.Access, srv.Secret, ""),
		Region: "us-east-1",
	})
	if err != nil {
		tb.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := srv.Client.ListBuckets(ctx)
		cancel()
		if err == nil {
			return srv
		}
		select {
		case werr := <-exited:
			exited <- werr
			tb.Fatalf("versitygw exited: %v\n%s", werr, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("versitygw did not answer within 30s: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// NewBucket creates an empty bucket and returns its name.
func (s *S3) NewBucket(tb testing.TB) string {
	tb.Helper()
	name := "t-" + RandomHex(tb, 8)
	if err := s.Client.MakeBucket(context.Background(), name, minio.MakeBucketOptions{Region: "us-east-1"}); err != nil {
		tb.Fatalf("make bucket: %v", err)
	}
	return name
}

// Spec is the storage spec (blob.Open) of bucket, credentials in the URL.
func (s *S3) Spec(bucket string) string {
	return "s3://" + url.UserPassword(s.Access, s.Secret).String() + "@" + bucket +
		"?endpoint=" + s.Endpoint + "&region=us-east-1&secure=false"
}

// Env serves the credentials as AWS_* variables.
func (s *S3) Env(name string) string {
	switch name {
	case "AWS_ACCESS_KEY_ID":
		return s.Access
	case "AWS_SECRET_ACCESS_KEY":
		return s.Secret
	}
	return ""
}

// RandomHex is n random bytes in hex.
func RandomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// syncBuffer collects the server's output for a failure message.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
