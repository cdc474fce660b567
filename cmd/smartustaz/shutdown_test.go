package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A registration that is in flight when the server is told to stop is
// finished and stored, not cut off: graceful shutdown loses nothing.
func TestGracefulShutdownFinishesInFlightRequest(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SMARTUSTAZ_DATA": dir}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuf
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"smartustaz", "serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, io.Discard)
	}()
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	var base string
	for i := 0; i < 600 && base == ""; i++ {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("server did not start:\n%s", out.String())
	}

	form := url.Values{
		"email": {"graceful@mektep.kz"}, "password": {"ұзын-құпия-сөз-2026"}, "full_name": {"Мерей Оспанова"},
		"organization": {"№5 мектеп"}, "position": {"мұғалім"}, "region": {"Алматы"}, "accept": {"yes"},
	}.Encode()
	half := len(form) / 2
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/register", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = int64(len(form))
	type result struct {
		code int
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			resc <- result{err: err}
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		resc <- result{code: resp.StatusCode}
	}()
	// Half the form is on the wire: the server is inside the request.
	if _, err := pw.Write([]byte(form[:half])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // let the server read the headers; not an assertion on time
	cancel()
	for i := 0; i < 200 && !strings.Contains(out.String(), "shutting down"); i++ {
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "shutting down") {
		t.Fatalf("the server did not begin to shut down:\n%s", out.String())
	}
	if _, err := pw.Write([]byte(form[half:])); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	res := <-resc
	if res.err != nil || res.code != http.StatusCreated {
		t.Fatalf("in-flight registration: status %d, err %v", res.code, res.err)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(out.String(), "stopped") {
		t.Fatalf("no clean stop:\n%s", out.String())
	}
	d, err := db.Open(context.Background(), "sqlite:"+filepath.Join(dir, "smartustaz.db"), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("users after shutdown = %d, want the in-flight registration stored", n)
	}
}
