package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// testServer is the real binary's run() serving on a free port, as the
// end-to-end tests use it (Mat Ryer's pattern: run on port 0, poll
// /healthz).
type testServer struct {
	URL     string
	DataDir string
	DSN     string
	Engine  db.Engine
	// SetupURL is the one-time first-administrator link serve printed.
	SetupURL string
	env      map[string]string
	mu       sync.Mutex
	out      strings.Builder
	// mailDB reads the mail queue (e2e_mail_test.go), open while the
	// server runs.
	mailDB *db.DB
}

func (s *testServer) getenv(k string) string { return s.env[k] }

// Output is what the server printed so far (stdout and stderr).
func (s *testServer) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

type lockedWriter struct {
	s *testServer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.out.Write(p)
}

// startServer runs `smartustaz serve` in-process on engine e with a fresh
// data folder and database, and stops it when the test ends. env adds
// settings as "NAME=value" (SMARTUSTAZ_PUBLISH_IMMEDIATELY=true).
func startServer(t *testing.T, e db.Engine, env ...string) *testServer {
	t.Helper()
	dataDir := t.TempDir()
	return startServerOn(t, e, dataDir, dbtest.DSN(t, e), nil, env...)
}

// startServerOn is startServer on a given data folder and database, with
// args added to serve's, so that a test can start the site again on what
// an earlier start left.
func startServerOn(t *testing.T, e db.Engine, dataDir, dsn string, args []string, env ...string) *testServer {
	t.Helper()
	s, _ := launchServer(t, e, dataDir, dsn, args, true, env...)
	return s
}

// launchServer runs `smartustaz serve` in-process on a given data folder
// and database, with args added to serve's, and returns it once /healthz
// answers, with a stop function (also run when the test ends), so that a
// test can stop the site, restore a backup under it and start it again.
// wantSetup also waits for the first-administrator link (a database
// without an administrator).
func launchServer(t *testing.T, e db.Engine, dataDir, dsn string, args []string, wantSetup bool, env ...string) (*testServer, func()) {
	t.Helper()
	s := &testServer{DataDir: dataDir, Engine: e, DSN: dsn}
	addNodeDir(dsn, dataDir)
	s.env = map[string]string{"SMARTUSTAZ_DATA": dataDir, "SMARTUSTAZ_DB": dsn}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		s.env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"smartustaz", "serve", "--addr", "127.0.0.1:0"}, args...), s.getenv, strings.NewReader(""), pw, lockedWriter{s})
		pw.Close()
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		defer func() {
			if s.mailDB != nil {
				s.mailDB.Close()
			}
		}()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("serve did not stop within 30s")
		}
	}
	t.Cleanup(stop)
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	setup := regexp.MustCompile(`(http://\S+/setup\?token=\S+)`)
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		closed := false
		for sc.Scan() {
			line := sc.Text()
			lockedWriter{s}.Write([]byte(line + "\n"))
			s.mu.Lock()
			if m := listening.FindStringSubmatch(line); m != nil {
				s.URL = m[1]
			}
			if m := setup.FindStringSubmatch(line); m != nil {
				s.SetupURL = m[1]
			}
			if !closed && s.URL != "" && (!wantSetup || s.SetupURL != "") {
				close(ready)
				closed = true
			}
			s.mu.Unlock()
		}
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve stopped before it was ready: %v\n%s", err, s.Output())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve not ready after 60s:\n%s", s.Output())
	}
	for i := 0; i < 200; i++ {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if s.mailDB, err = db.Open(context.Background(), dsn, dataDir); err != nil {
					t.Fatalf("open the database to read the mail queue: %v", err)
				}
				return s, stop
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/healthz never answered 200:\n%s", s.Output())
	return nil, nil
}

// runCmd runs another subcommand against the server's data and database.
func (s *testServer) runCmd(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(context.Background(), append([]string{"smartustaz"}, args...), s.getenv, strings.NewReader(stdin), &out, &out)
	return out.String(), err
}

// outbox lists the .eml files written so far, oldest first.
func (s *testServer) outbox(t *testing.T) []string {
	t.Helper()
	s.drainMail(t)
	// Any node of the site may deliver a message (the mail queue is
	// shared), each into its own outbox: read them all, in sending order
	// (the file names begin with the time).
	var files []string
	for _, dir := range nodeDirs(s.DSN, s.DataDir) {
		f, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
		files = append(files, f...)
	}
	sort.Slice(files, func(i, j int) bool { return filepath.Base(files[i]) < filepath.Base(files[j]) })
	return files
}

// lastMailTo waits for a new .eml (beyond the first `seen` files) and
// returns its raw text.
func (s *testServer) waitMail(t *testing.T, seen int) string {
	t.Helper()
	for i := 0; i < 200; i++ {
		if files := s.outbox(t); len(files) > seen {
			b, err := os.ReadFile(files[len(files)-1])
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("no email arrived in the outbox")
	return ""
}
