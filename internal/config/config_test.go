package config

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

// parse builds the common flags over env and parses args, as a command does.
func parse(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	var c Config
	fs := FlagSet("test", &c, func(k string) string { return env[k] }, io.Discard)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Finish()
}

// TestBadEnvironmentValueIsReported: a SMARTUSTAZ_* value that does not
// parse stops the command with an error naming the variable, instead of
// the default being used in silence; the value itself is not repeated
// (it may be something that should not be printed).
func TestBadEnvironmentValueIsReported(t *testing.T) {
	const secretish = "hunter2-not-a-number"
	for _, key := range []string{
		"SMARTUSTAZ_MAX_FILE_MB",
		"SMARTUSTAZ_PAGE_CACHE_MB",
		"SMARTUSTAZ_PAGE_CACHE_TTL",
		"SMARTUSTAZ_TRUST_PROXY",
		"SMARTUSTAZ_PUBLISH_IMMEDIATELY",
		"SMARTUSTAZ_PAGE_IMAGES",
	} {
		t.Run(key, func(t *testing.T) {
			_, err := parse(t, map[string]string{key: secretish, "SMARTUSTAZ_DATA": t.TempDir()})
			if err == nil {
				t.Fatalf("%s=%q: no error; the default was used in silence", key, secretish)
			}
			if !strings.Contains(err.Error(), key) {
				t.Errorf("error %q does not name %s", err, key)
			}
			if strings.Contains(err.Error(), secretish) {
				t.Errorf("error %q repeats the value", err)
			}
		})
	}
}

// TestEveryBadEnvironmentValueNamed: two bad variables are both named, so
// an operator fixes them in one go.
func TestEveryBadEnvironmentValueNamed(t *testing.T) {
	_, err := parse(t, map[string]string{"SMARTUSTAZ_MAX_FILE_MB": "50MB", "SMARTUSTAZ_PAGE_IMAGES": "no"})
	if err == nil || !strings.Contains(err.Error(), "SMARTUSTAZ_MAX_FILE_MB") || !strings.Contains(err.Error(), "SMARTUSTAZ_PAGE_IMAGES") {
		t.Errorf("error %v, want both variables named", err)
	}
}

// TestFlagWinsOverBadEnvironmentValue: flags win over the environment, so
// a bad variable whose flag is given does not matter.
func TestFlagWinsOverBadEnvironmentValue(t *testing.T) {
	c, err := parse(t, map[string]string{"SMARTUSTAZ_MAX_FILE_MB": "lots", "SMARTUSTAZ_TRUST_PROXY": "yes"},
		"--data", t.TempDir(), "--max-file-mb", "10", "--trust-proxy")
	if err != nil {
		t.Fatalf("error %v with both flags given", err)
	}
	if c.MaxFileMB != 10 || !c.TrustProxy {
		t.Errorf("max-file-mb %d, trust-proxy %v; want the flags' 10 and true", c.MaxFileMB, c.TrustProxy)
	}
}

// TestEnvironmentValuesApplied: good values are used, flags still win.
func TestEnvironmentValuesApplied(t *testing.T) {
	env := map[string]string{
		"SMARTUSTAZ_DATA":                t.TempDir(),
		"SMARTUSTAZ_MAX_FILE_MB":         "200",
		"SMARTUSTAZ_PAGE_CACHE_MB":       "0",
		"SMARTUSTAZ_PAGE_CACHE_TTL":      "2m",
		"SMARTUSTAZ_TRUST_PROXY":         "true",
		"SMARTUSTAZ_PUBLISH_IMMEDIATELY": "1",
		"SMARTUSTAZ_PAGE_IMAGES":         "false",
	}
	c, err := parse(t, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxFileMB != 200 || c.PageCacheMB != 0 || c.PageCacheTTL != 2*time.Minute || !c.TrustProxy || !c.PublishImmediately || c.PageImages {
		t.Errorf("config from the environment: %+v", c)
	}
	c, err = parse(t, env, "--max-file-mb", "7", "--page-images=true", "--trust-proxy=false")
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxFileMB != 7 || !c.PageImages || c.TrustProxy {
		t.Errorf("flags did not win over the environment: %+v", c)
	}
}

// TestDefaultsWithoutEnvironment: nothing set gives the documented defaults.
func TestDefaultsWithoutEnvironment(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxFileMB != 50 || c.PageCacheMB != 64 || c.PageCacheTTL != 30*time.Second || c.TrustProxy || c.PublishImmediately || !c.PageImages || c.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("defaults: %+v", c)
	}
}

// TestOutOfRangeNamesTheVariable: a value that parses but is out of range
// names the variable too, since it may have come from there.
func TestOutOfRangeNamesTheVariable(t *testing.T) {
	_, err := parse(t, map[string]string{"SMARTUSTAZ_MAX_FILE_MB": "0"})
	if err == nil || !strings.Contains(err.Error(), "SMARTUSTAZ_MAX_FILE_MB") {
		t.Errorf("error %v, want one naming SMARTUSTAZ_MAX_FILE_MB", err)
	}
}

// TestHelp: -h asks for help (flag.ErrHelp, which the command turns into
// exit 0) and lists a boolean flag from the environment without a value.
func TestHelp(t *testing.T) {
	var c Config
	var out strings.Builder
	fs := FlagSet("serve", &c, func(string) string { return "" }, &out)
	if err := fs.Parse([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(out.String(), "  -trust-proxy\n") || !strings.Contains(out.String(), "-max-file-mb MB") {
		t.Errorf("help output:\n%s", out.String())
	}
}

// TestHelpHidesPasswordsFromEnvironment: -h shows the defaults, but the
// database, SMTP and storage addresses taken from the environment may
// hold a password, so they are not printed.
func TestHelpHidesPasswordsFromEnvironment(t *testing.T) {
	env := map[string]string{
		"SMARTUSTAZ_DB":      "postgres://app:db-secret@db.internal/smartustaz",
		"SMARTUSTAZ_SMTP":    "smtp://mailer:smtp-secret@mail.internal:587",
		"SMARTUSTAZ_STORAGE": "s3://bucket?endpoint=s3.internal&access_key=ak&secret_key=s3-secret",
	}
	var c Config
	var out strings.Builder
	fs := FlagSet("serve", &c, func(k string) string { return env[k] }, &out)
	if err := fs.Parse([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, secret := range []string{"db-secret", "smtp-secret", "s3-secret"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("-h printed %s from the environment", secret)
		}
	}
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if c.DB != env["SMARTUSTAZ_DB"] || c.SMTP != env["SMARTUSTAZ_SMTP"] || c.Storage != env["SMARTUSTAZ_STORAGE"] {
		t.Errorf("the variables were not used: db %v, smtp %v, storage %v", c.DB == env["SMARTUSTAZ_DB"], c.SMTP == env["SMARTUSTAZ_SMTP"], c.Storage == env["SMARTUSTAZ_STORAGE"])
	}
}
