// Package config turns command-line flags and SMARTUSTAZ_* environment
// variables into one Config value. Flags win over the environment, the
// environment over defaults. Only cmd/ reads configuration; everything
// else is handed the values it needs.
package config

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
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
	BaseURL     string // public address used in emailed links
	TrustProxy  bool   // trust X-Forwarded-For / X-Forwarded-Proto from the proxy in front
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
	// PageCacheMB bounds the public pages kept in memory for readers who
	// are not signed in; 0 turns the page cache off.
	PageCacheMB int
	// PageCacheTTL is how long a kept public page is served.
	PageCacheTTL time.Duration
	// PageImages: draw page images of material files with LibreOffice
	// and poppler when they are installed (false: text previews only).
	PageImages bool
	// Pprof serves Go's profiler on MetricsAddr too; off by default, as
	// it answers anyone who reaches that address.
	Pprof bool
}

// FlagSet builds the common flags of a subcommand over c, with defaults
// taken from getenv.
func FlagSet(name string, c *Config, getenv func(string) string, out io.Writer) *flag.FlagSet {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.DataDir, "data", env("SMARTUSTAZ_DATA", "data"), "data folder (SQLite database, key file, outbox) [SMARTUSTAZ_DATA]")
	fs.StringVar(&c.DB, "db", env("SMARTUSTAZ_DB", ""), "database: postgres://… or sqlite:PATH; empty = SQLite in the data folder [SMARTUSTAZ_DB]")
	fs.StringVar(&c.Addr, "addr", env("SMARTUSTAZ_ADDR", "127.0.0.1:8080"), "listen address [SMARTUSTAZ_ADDR]")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("SMARTUSTAZ_METRICS_ADDR", ""), "separate listen address for /metrics; empty = /metrics on the site, administrators only [SMARTUSTAZ_METRICS_ADDR]")
	fs.BoolVar(&c.Pprof, "pprof", env("SMARTUSTAZ_PPROF", "") == "true", "also serve Go's profiler at /debug/pprof/ on --metrics-addr, without authentication; off by default [SMARTUSTAZ_PPROF]")
	fs.StringVar(&c.SMTP, "smtp", env("SMARTUSTAZ_SMTP", ""), "SMTP server smtp://user:pass@host:port; empty = write mail as .eml files into DATA/outbox [SMARTUSTAZ_SMTP]")
	fs.StringVar(&c.MailFrom, "mail-from", env("SMARTUSTAZ_MAIL_FROM", "smartustaz <no-reply@smartustaz.local>"), "From address of outgoing mail [SMARTUSTAZ_MAIL_FROM]")
	fs.StringVar(&c.BaseURL, "base-url", env("SMARTUSTAZ_BASE_URL", ""), "public address of the site for links in email; empty = http://ADDR [SMARTUSTAZ_BASE_URL]")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", env("SMARTUSTAZ_TRUST_PROXY", "") == "true", "trust X-Forwarded-For and X-Forwarded-Proto (only behind your own reverse proxy) [SMARTUSTAZ_TRUST_PROXY]")
	fs.StringVar(&c.Storage, "storage", env("SMARTUSTAZ_STORAGE", ""), "file storage: empty = the folder DATA/files; s3://bucket?endpoint=host:port&region=…&secure=false for an S3-compatible store (keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) [SMARTUSTAZ_STORAGE]")
	fs.IntVar(&c.MaxFileMB, "max-file-mb", envInt(getenv, "SMARTUSTAZ_MAX_FILE_MB", 50), "largest uploaded file, in MB [SMARTUSTAZ_MAX_FILE_MB]")
	fs.BoolVar(&c.PublishImmediately, "publish-immediately", env("SMARTUSTAZ_PUBLISH_IMMEDIATELY", "") == "true", "publish new materials without waiting for a moderator [SMARTUSTAZ_PUBLISH_IMMEDIATELY]")
	fs.IntVar(&c.PageCacheMB, "page-cache-mb", envInt(getenv, "SMARTUSTAZ_PAGE_CACHE_MB", 64), "memory for public pages kept for readers who are not signed in, in MB; 0 = off [SMARTUSTAZ_PAGE_CACHE_MB]")
	fs.DurationVar(&c.PageCacheTTL, "page-cache-ttl", envDuration(getenv, "SMARTUSTAZ_PAGE_CACHE_TTL", 30*time.Second), "how long a kept public page is served; changes made through this server show at once, others within this [SMARTUSTAZ_PAGE_CACHE_TTL]")
	fs.BoolVar(&c.PageImages, "page-images", env("SMARTUSTAZ_PAGE_IMAGES", "true") != "false", "draw page images of material files with LibreOffice and poppler when installed; false = text previews only, as without the tools [SMARTUSTAZ_PAGE_IMAGES]")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take to finish at shutdown")
	return fs
}

// envInt reads an integer default from the environment (def when unset
// or not a number; flag parsing then reports a bad flag value).
func envInt(getenv func(string) string, k string, def int) int {
	if n, err := strconv.Atoi(getenv(k)); err == nil {
		return n
	}
	return def
}

// envDuration reads a duration default from the environment, like envInt.
func envDuration(getenv func(string) string, k string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(getenv(k)); err == nil {
		return d
	}
	return def
}

// Finish fills derived values after parsing.
func (c *Config) Finish() error {
	if c.DataDir == "" {
		return fmt.Errorf("config: --data must not be empty")
	}
	if c.MaxFileMB < 1 || c.MaxFileMB > 4096 {
		return fmt.Errorf("config: --max-file-mb must be between 1 and 4096")
	}
	if c.PageCacheMB < 0 || c.PageCacheMB > 65536 {
		return fmt.Errorf("config: --page-cache-mb must be between 0 and 65536")
	}
	if c.Pprof && c.MetricsAddr == "" {
		return fmt.Errorf("config: --pprof needs --metrics-addr: the profiler is never served on the site's address")
	}
	if c.PageCacheTTL < 0 {
		return fmt.Errorf("config: --page-cache-ttl must not be negative")
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
