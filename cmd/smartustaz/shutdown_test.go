package main

import (
	"context"
	"io"
	"log/slog"
	"net"
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

// A background job that does not finish (the delivery of the announcement
// of a new agreement version, stuck on an SMTP server that accepts and
// never answers) does not keep serve running past --shutdown-timeout: run
// returns, and the job and its message are still in the queue, for any
// node to take again (issue 14 §4, issue 10 §1: not lost with the
// process).
func TestShutdownDeadlineCancelsStuckJob(t *testing.T) {
	smtp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer smtp.Close()
	accepted := make(chan struct{}, 16)
	var held []net.Conn
	var heldMu sync.Mutex
	go func() {
		for {
			c, err := smtp.Accept()
			if err != nil {
				return
			}
			heldMu.Lock()
			held = append(held, c) // never answered, closed at the end
			heldMu.Unlock()
			accepted <- struct{}{}
		}
	}()
	defer func() {
		heldMu.Lock()
		defer heldMu.Unlock()
		for _, c := range held {
			c.Close()
		}
	}()

	dir := t.TempDir()
	s := &testServer{DataDir: dir, Engine: db.SQLite, env: map[string]string{"SMARTUSTAZ_DATA": dir}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"smartustaz", "serve", "--addr", "127.0.0.1:0", "--shutdown-timeout", "1s",
			"--smtp", "smtp://" + smtp.Addr().String() + "?starttls=none"}, s.getenv, strings.NewReader(""), lockedWriter{s}, lockedWriter{s})
	}()
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	setup := regexp.MustCompile(`(http://\S+/setup\?token=\S+)`)
	for i := 0; i < 1200 && s.SetupURL == ""; i++ {
		out := s.Output()
		if m, n := listening.FindStringSubmatch(out), setup.FindStringSubmatch(out); m != nil && n != nil {
			s.URL, s.SetupURL = m[1], n[1]
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if s.SetupURL == "" {
		t.Fatalf("server did not start:\n%s", s.Output())
	}
	admin, _ := setupAdmin(t, s)
	if r := publish(t, admin, "agreement", "Жаңа тармақ."); r.Status != http.StatusOK {
		t.Fatalf("publish: status %d", r.Status)
	}
	select {
	case <-accepted: // the announcement is sending its first email, and stuck
	case <-time.After(30 * time.Second):
		t.Fatalf("the announcement never connected to the SMTP server:\n%s", s.Output())
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second): // a generous bound over the 1 s deadline
		t.Fatalf("serve still running 15 s after shutdown began, with --shutdown-timeout 1s:\n%s", s.Output())
	}
	d, err := db.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var state string
	if err := d.QueryRow(context.Background(), `SELECT state FROM river_job WHERE kind = 'mail.bulk'`).Scan(&state); err != nil {
		t.Fatalf("the announcement's delivery is not in the queue after shutdown: %v", err)
	}
	if state == "completed" || state == "cancelled" || state == "discarded" {
		t.Fatalf("the interrupted delivery is %q, want it waiting to be taken again", state)
	}
	var status string
	if err := d.QueryRow(context.Background(), `SELECT status FROM mail_queue WHERE bulk <> ''`).Scan(&status); err != nil || status != "pending" {
		t.Fatalf("the announcement's message is %q (%v), want pending", status, err)
	}
}

// serve's own background work (the janitor, the page image worker, the
// view counter) is stopped within the same deadline: a stop that hangs
// is named in the log and left behind, and the others still run.
func TestStopperLeavesStuckWorkAtDeadline(t *testing.T) {
	var logs syncBuf
	s := &stopper{log: slog.New(slog.NewTextHandler(&logs, nil))}
	var ran []string
	var mu sync.Mutex
	record := func(name string) func() {
		return func() {
			mu.Lock()
			defer mu.Unlock()
			ran = append(ran, name)
		}
	}
	hang := make(chan struct{})
	defer close(hang)
	s.add("first", record("first"))
	s.add("stuck", func() { <-hang })
	s.add("last", record("last"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	returned := make(chan struct{})
	go func() {
		s.stop(ctx)
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("stop waited for a stop that hangs")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ran) != 2 {
		t.Fatalf("stops that ran: %v, want first and last", ran)
	}
	if l := logs.String(); !strings.Contains(l, "left unfinished") || !strings.Contains(l, "stuck") || strings.Contains(l, "first") {
		t.Fatalf("log: %s; want only the stuck one named", l)
	}
}
