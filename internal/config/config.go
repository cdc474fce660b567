// Package config turns command-line flags and SMARTUSTAZ_* environment
// variables into one Config value. Flags win over the environment, the
// environment over defaults. Only cmd/ reads configuration; everything
// else is handed the values it needs.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything a subcommand may need.
type Config struct {
	Addr        string // listen address of the site
	MetricsAddr string // separate listen address for /metrics ("" = admin-only on the site)
	DataDir     string // data folder: SQLite file, key file, outbox, files
	DB          string // database address; "" = SQLite in DataDir
	SMTP        string // smtp://user:pass@host:port; "" = write mail to DataDir/outbox
	MailFrom    string
	// MailRate is how many bulk messages (the notice of a new agreement
	// version) a second the site hands to the mail server, all nodes
	// together.
	MailRate   float64
	BaseURL    string // public address used in emailed links
	TrustProxy bool   // trust X-Forwarded-For / X-Forwarded-Proto from the proxy in front
	// BaseURLDerived: no base URL was given, so it was made from Addr;
	// serve then uses the address it really listens on (port 0 too).
	BaseURLDerived  bool
	ShutdownTimeout time.Duration
	// Storage is where uploaded files live: "" = the folder DATA/files,
	// or s3://bucket?endpoint=host:port&region=…&secure=false.
	Storage string
	// MaxFileMB bounds each uploaded file, in megabytes.
	MaxFileMB int
	// PublishImmediately puts new and edited materials in the catalog
	// without waiting for a moderator.
	PublishImmediately bool
	// PageCacheMB bounds the public pages kept in memory for visitors and
	// signed-in teachers; 0 turns the page cache off.
	PageCacheMB int
	// PageCacheTTL is how long a kept public page is served.
	PageCacheTTL time.Duration
	// DataZipBackground: an account with more technical records than this
	// gets its data ZIP built by a background job (0: every account).
	DataZipBackground int
	// PageImages: draw page images of material files with LibreOffice
	// and poppler when they are installed (false: text previews only).
	PageImages bool
	// Pprof serves Go's profiler on MetricsAddr too; off by default, as
	// it answers anyone who reaches that address.
	Pprof bool

	flags *flag.FlagSet // the flags FlagSet made, for Finish to check their environment values
}

// FlagSet builds the common flags of a subcommand over c, with defaults
// taken from getenv. A typed SMARTUSTAZ_* value that does not parse (a
// size that is not a number, a boolean that is not one) is not replaced
// by the default in silence: Finish reports it, unless the flag itself
// was given, since flags win over the environment.
func FlagSet(name string, c *Config, getenv func(string) string, out io.Writer) *flag.FlagSet {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	c.flags = fs
	fs.StringVar(&c.DataDir, "data", env("SMARTUSTAZ_DATA", "data"), "data folder (SQLite database, key file, outbox) [SMARTUSTAZ_DATA]")
	fs.StringVar(&c.DB, "db", env("SMARTUSTAZ_DB", ""), "database: postgres://… or sqlite:PATH; empty = SQLite in the data folder [SMARTUSTAZ_DB]")
	fs.StringVar(&c.Addr, "addr", env("SMARTUSTAZ_ADDR", "127.0.0.1:8080"), "listen address [SMARTUSTAZ_ADDR]")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("SMARTUSTAZ_METRICS_ADDR", ""), "separate listen address for /metrics; empty = /metrics on the site, administrators only [SMARTUSTAZ_METRICS_ADDR]")
	BoolVar(fs, &c.Pprof, "pprof", "SMARTUSTAZ_PPROF", false, getenv, "also serve Go's profiler at /debug/pprof/ on --metrics-addr, without authentication; off by default [SMARTUSTAZ_PPROF]")
	fs.StringVar(&c.SMTP, "smtp", env("SMARTUSTAZ_SMTP", ""), "SMTP server smtp://user:pass@host:port; empty = write mail as .eml files into DATA/outbox [SMARTUSTAZ_SMTP]")
	fs.StringVar(&c.MailFrom, "mail-from", env("SMARTUSTAZ_MAIL_FROM", "smartustaz <no-reply@smartustaz.local>"), "From address of outgoing mail [SMARTUSTAZ_MAIL_FROM]")
	fromEnvVar(fs, "mail-rate", "SMARTUSTAZ_MAIL_RATE", "a number", getenv, func() {
		fs.Float64Var(&c.MailRate, "mail-rate", 5, "bulk mail (the notice of a new agreement version) handed to the mail server, in `messages` a second, all nodes together [SMARTUSTAZ_MAIL_RATE]")
	})
	fs.StringVar(&c.BaseURL, "base-url", env("SMARTUSTAZ_BASE_URL", ""), "public address of the site for links in email; empty = http://ADDR [SMARTUSTAZ_BASE_URL]")
	BoolVar(fs, &c.TrustProxy, "trust-proxy", "SMARTUSTAZ_TRUST_PROXY", false, getenv, "trust X-Forwarded-For and X-Forwarded-Proto (only behind your own reverse proxy) [SMARTUSTAZ_TRUST_PROXY]")
	fs.StringVar(&c.Storage, "storage", env("SMARTUSTAZ_STORAGE", ""), "file storage: empty = the folder DATA/files; s3://bucket?endpoint=host:port&region=…&secure=false for an S3-compatible store (keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) [SMARTUSTAZ_STORAGE]")
	intVar(fs, &c.MaxFileMB, "max-file-mb", "SMARTUSTAZ_MAX_FILE_MB", 50, getenv, "largest uploaded file, in `MB` [SMARTUSTAZ_MAX_FILE_MB]")
	BoolVar(fs, &c.PublishImmediately, "publish-immediately", "SMARTUSTAZ_PUBLISH_IMMEDIATELY", false, getenv, "publish new materials without waiting for a moderator [SMARTUSTAZ_PUBLISH_IMMEDIATELY]")
	intVar(fs, &c.DataZipBackground, "data-zip-background", "SMARTUSTAZ_DATA_ZIP_BACKGROUND", 5000, getenv, "an account with more technical records than this gets its data ZIP built in the background and a link by email, in `records`; 0 = every account [SMARTUSTAZ_DATA_ZIP_BACKGROUND]")
	intVar(fs, &c.PageCacheMB, "page-cache-mb", "SMARTUSTAZ_PAGE_CACHE_MB", 64, getenv, "memory for public pages kept for readers (visitors, and signed-in teachers with their own parts added), in `MB`; 0 = off [SMARTUSTAZ_PAGE_CACHE_MB]")
	durationVar(fs, &c.PageCacheTTL, "page-cache-ttl", "SMARTUSTAZ_PAGE_CACHE_TTL", 30*time.Second, getenv, "how long a kept public page is served (a `duration` such as 30s); changes made through this server show at once, others within this [SMARTUSTAZ_PAGE_CACHE_TTL]")
	BoolVar(fs, &c.PageImages, "page-images", "SMARTUSTAZ_PAGE_IMAGES", true, getenv, "draw page images of material files with LibreOffice and poppler when installed; false = text previews only, as without the tools [SMARTUSTAZ_PAGE_IMAGES]")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take to finish at shutdown")
	// These addresses may carry a password: -h must not print one taken
	// from the environment as the default (their built-in default is empty).
	for _, name := range []string{"db", "smtp", "storage"} {
		fs.Lookup(name).DefValue = ""
	}
	return fs
}

// fromEnv is a flag whose default was read from an environment variable.
// bad is the variable's problem when its value did not parse (the flag
// then keeps its built-in default); giving the flag clears it.
type fromEnv struct {
	flag.Value
	bad error
}

func (f *fromEnv) Set(s string) error {
	if err := f.Value.Set(s); err != nil {
		return err
	}
	f.bad = nil
	return nil
}

// String is also called by the flag package on a zero fromEnv.
func (f *fromEnv) String() string {
	if f == nil || f.Value == nil {
		return ""
	}
	return f.Value.String()
}

// IsBoolFlag lets a boolean flag be given without a value (--demo).
func (f *fromEnv) IsBoolFlag() bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// fromEnvVar defines a flag with define, then sets it from the
// environment variable key when that holds a value, keeping the value's
// problem (named after what is expected, never quoting the value) for
// Finish. The default shown by -h stays the built-in one.
func fromEnvVar(fs *flag.FlagSet, name, key, expected string, getenv func(string) string, define func()) {
	define()
	f := fs.Lookup(name)
	w := &fromEnv{Value: f.Value}
	f.Value = w
	if f.DefValue == "false" {
		f.DefValue = "" // -h then shows no default for a flag that is off, as for a plain boolean
	}
	if v := getenv(key); v != "" {
		if err := w.Value.Set(v); err != nil {
			w.bad = fmt.Errorf("config: %s is not %s; fix it or unset it", key, expected)
		}
	}
}

// BoolVar defines a boolean flag whose default comes from the environment
// variable key (true/false, 1/0); any other value is reported by Finish.
func BoolVar(fs *flag.FlagSet, p *bool, name, key string, def bool, getenv func(string) string, usage string) {
	fromEnvVar(fs, name, key, "true or false", getenv, func() { fs.BoolVar(p, name, def, usage) })
}

func intVar(fs *flag.FlagSet, p *int, name, key string, def int, getenv func(string) string, usage string) {
	fromEnvVar(fs, name, key, "a whole number", getenv, func() { fs.IntVar(p, name, def, usage) })
}

func durationVar(fs *flag.FlagSet, p *time.Duration, name, key string, def time.Duration, getenv func(string) string, usage string) {
	fromEnvVar(fs, name, key, "a duration such as 30s or 2m", getenv, func() { fs.DurationVar(p, name, def, usage) })
}

// envError is the problem of every environment variable that did not
// parse and whose flag was not given.
func (c *Config) envError() error {
	if c.flags == nil {
		return nil
	}
	var errs []error
	c.flags.VisitAll(func(f *flag.Flag) {
		if w, ok := f.Value.(*fromEnv); ok && w.bad != nil {
			errs = append(errs, w.bad)
		}
	})
	return errors.Join(errs...)
}

// Finish fills derived values after parsing.
func (c *Config) Finish() error {
	if err := c.envError(); err != nil {
		return err
	}
	if c.DataDir == "" {
		return fmt.Errorf("config: --data [SMARTUSTAZ_DATA] must not be empty")
	}
	if c.MaxFileMB < 1 || c.MaxFileMB > 4096 {
		return fmt.Errorf("config: --max-file-mb [SMARTUSTAZ_MAX_FILE_MB] must be between 1 and 4096")
	}
	if c.DataZipBackground < 0 {
		return fmt.Errorf("config: --data-zip-background [SMARTUSTAZ_DATA_ZIP_BACKGROUND] must not be negative")
	}
	if c.PageCacheMB < 0 || c.PageCacheMB > 65536 {
		return fmt.Errorf("config: --page-cache-mb [SMARTUSTAZ_PAGE_CACHE_MB] must be between 0 and 65536")
	}
	// NaN fails both comparisons: !(x >= 0.1) catches it.
	if !(c.MailRate >= 0.1 && c.MailRate <= 10000) {
		return fmt.Errorf("config: --mail-rate [SMARTUSTAZ_MAIL_RATE] must be between 0.1 and 10000 messages a second")
	}
	if c.Pprof && c.MetricsAddr == "" {
		return fmt.Errorf("config: --pprof needs --metrics-addr: the profiler is never served on the site's address")
	}
	if c.PageCacheTTL < 0 {
		return fmt.Errorf("config: --page-cache-ttl [SMARTUSTAZ_PAGE_CACHE_TTL] must not be negative")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return fmt.Errorf("config: data folder: %w", err)
	}
	c.DataDir = abs
	if c.BaseURL == "" {
		c.BaseURLDerived = true
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.BaseURL = "http://" + host
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return nil
}
