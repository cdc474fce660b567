package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/smartustaz/smartustaz/internal/config"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/telemetry"
)

// telemetryFlags are serve's flags of the page-view statistics (issue 9).
type telemetryFlags struct {
	on        bool
	proxies   string
	ipDB      string
	retention string
}

func (t *telemetryFlags) define(fs *flag.FlagSet, getenv func(string) string) {
	env := func(k string) string { return getenv(k) }
	config.BoolVar(fs, &t.on, "telemetry", "SMARTUSTAZ_TELEMETRY", true, getenv,
		"record page views: signed-in users' technical records (sealed) and everyone's daily counts, as the agreement says (clauses 1.1, 1.2 (c), 1.2 (d)); false records none [SMARTUSTAZ_TELEMETRY]")
	fs.StringVar(&t.proxies, "trusted-proxy", env("SMARTUSTAZ_TRUSTED_PROXY"),
		"addresses or CIDRs of your own reverse proxies (10.0.0.0/8,192.0.2.1): the visitor's address is taken from X-Forwarded-For only when the connection comes from one of them [SMARTUSTAZ_TRUSTED_PROXY]")
	fs.StringVar(&t.ipDB, "ip-db", env("SMARTUSTAZ_IP_DB"),
		"MaxMind-format database (.mmdb: GeoLite2 Country/City/ASN or one with both) giving each visit's country and internet provider; empty = neither is recorded [SMARTUSTAZ_IP_DB]")
	def := env("SMARTUSTAZ_TELEMETRY_RETENTION")
	if def == "" {
		def = "2160h"
	}
	fs.StringVar(&t.retention, "telemetry-retention", def,
		"how long signed-in users' technical records are kept (a `duration`; default 2160h = 90 days); the daily counts stay [SMARTUSTAZ_TELEMETRY_RETENTION]")
}

type telemetryRun struct {
	rec  *telemetry.Recorder
	ipdb *telemetry.IPDB
	keep time.Duration
}

// retention is how long records are kept (0 when nothing is recorded).
func (r *telemetryRun) retention() time.Duration {
	if r == nil {
		return 0
	}
	return r.keep
}

func (r *telemetryRun) recorder() *telemetry.Recorder {
	if r == nil {
		return nil
	}
	return r.rec
}

// stop writes what is buffered (within the shutdown deadline).
func (r *telemetryRun) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	r.rec.Close(ctx)
	r.ipdb.Close()
}

// startTelemetry starts the recorder and schedules the closing of days
// and the retention job; nil when --telemetry=false.
func startTelemetry(t telemetryFlags, a *app, lib *library.Service, q *jobs.Queue, reg prometheus.Registerer, log *slog.Logger) (*telemetryRun, error) {
	if !t.on {
		return nil, nil
	}
	proxies, err := telemetry.ParseProxies(t.proxies)
	if err != nil {
		return nil, err
	}
	keep, err := time.ParseDuration(t.retention)
	if err != nil || keep < time.Hour {
		return nil, fmt.Errorf("config: --telemetry-retention [SMARTUSTAZ_TELEMETRY_RETENTION] must be a duration of at least 1h, such as 2160h")
	}
	var ipdb *telemetry.IPDB
	if t.ipDB != "" {
		if ipdb, err = telemetry.OpenIPDB(t.ipDB); err != nil {
			return nil, err
		}
	}
	w := telemetry.NewWriter(a.db, a.vault, telemetry.WriterOptions{Proxies: proxies, IPDB: ipdb,
		Topics: func(ctx context.Context, id int64) (telemetry.Topic, bool, error) {
			s, g, ty, ok, err := lib.Topic(ctx, id)
			return telemetry.Topic{Subject: s, Grade: g, Type: ty}, ok, err
		}})
	if err := telemetry.Register(q, a.db, w, keep, log); err != nil {
		ipdb.Close()
		return nil, err
	}
	return &telemetryRun{rec: telemetry.NewRecorder(w, telemetry.Options{Registry: reg, Log: log}), ipdb: ipdb, keep: keep}, nil
}
