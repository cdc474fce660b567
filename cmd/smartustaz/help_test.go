package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandHelpSucceeds: "smartustaz COMMAND --help" prints the
// command's flags and succeeds (exit 0), as the README tells a new user
// to run it; nothing is opened or written.
func TestCommandHelpSucceeds(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--help"},
		{"serve", "-h"},
		{"migrate", "--help"},
		{"demo", "--help"},
		{"reindex", "--help"},
		{"digest", "--help"},
		{"keys", "status", "--help"},
		{"keys", "add", "--help"},
		{"keys", "rotate", "--help"},
		{"audit", "verify", "--help"},
		{"admin", "create", "--help"},
		{"import", "users", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			var stdout, stderr strings.Builder
			err := run(context.Background(), append([]string{"smartustaz"}, args...),
				func(k string) string { return map[string]string{"SMARTUSTAZ_DATA": data}[k] },
				strings.NewReader(""), &stdout, &stderr)
			if err != nil {
				t.Errorf("%v: %v (main would exit 1)", args, err)
			}
			if help := stdout.String() + stderr.String(); !strings.Contains(help, "-data") {
				t.Errorf("%v printed no flags:\n%s", args, help)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("%v touched the data folder (%v)", args, err)
			}
		})
	}
}

// TestBadEnvironmentValueStopsStart: a SMARTUSTAZ_* value that does not
// parse stops the command before it opens anything, with an error naming
// the variable (not its value), instead of starting on the default.
func TestBadEnvironmentValueStopsStart(t *testing.T) {
	for _, c := range []struct{ cmd, key string }{
		{"serve", "SMARTUSTAZ_DEMO"},
		{"serve", "SMARTUSTAZ_PAGE_IMAGES"},
		{"serve", "SMARTUSTAZ_MAX_FILE_MB"},
		{"migrate", "SMARTUSTAZ_PAGE_CACHE_TTL"},
	} {
		t.Run(c.cmd+" "+c.key, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			env := map[string]string{"SMARTUSTAZ_DATA": data, "SMARTUSTAZ_ADDR": "127.0.0.1:0", c.key: "yes please"}
			// Cancelled: a serve that wrongly started would stop at once.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr strings.Builder
			err := run(ctx, []string{"smartustaz", c.cmd}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), c.key) {
				t.Fatalf("%s with %s=%q: err %v, want an error naming the variable", c.cmd, c.key, env[c.key], err)
			}
			if strings.Contains(err.Error(), "yes please") {
				t.Errorf("the error repeats the value: %v", err)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("the data folder was made before the error (%v)", err)
			}
		})
	}
}
