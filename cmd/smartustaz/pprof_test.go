package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// freeAddr is a loopback address with a port nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func getStatus(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The --metrics-addr listener answers anyone who reaches it, so Go's
// profiler is served there only when the operator asks for it (--pprof or
// SMARTUSTAZ_PPROF=true); the metrics are served either way, and --pprof
// without --metrics-addr is refused rather than ignored.
func TestPprofOnlyWhenAsked(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		env   []string
		pprof bool
	}{
		{"default", nil, nil, false},
		{"flag", []string{"--pprof"}, nil, true},
		{"environment", nil, []string{"SMARTUSTAZ_PPROF=true"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			addr := freeAddr(t)
			srv := startServerOn(t, db.SQLite, t.TempDir(), dbtest.DSN(t, db.SQLite), append([]string{"--metrics-addr", addr}, c.args...), c.env...)
			if st, body := getStatus(t, "http://"+addr+"/metrics"); st != http.StatusOK || !strings.Contains(body, "go_goroutines") {
				t.Errorf("/metrics on --metrics-addr: status %d", st)
			}
			st, body := getStatus(t, "http://"+addr+"/debug/pprof/")
			if served := st == http.StatusOK && strings.Contains(body, "goroutine"); served != c.pprof {
				t.Errorf("/debug/pprof/ on --metrics-addr: status %d, profiler served %v, want %v", st, served, c.pprof)
			}
			if st, _ := getStatus(t, srv.URL+"/debug/pprof/"); st != http.StatusNotFound {
				t.Errorf("/debug/pprof/ on the site: status %d, want 404", st)
			}
		})
	}
	var stderr strings.Builder
	err := run(t.Context(), []string{"smartustaz", "serve", "--pprof", "--data", t.TempDir()}, func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error()+stderr.String(), "--pprof needs --metrics-addr") {
		t.Errorf("serve --pprof without --metrics-addr: %v", err)
	}
}
