// Package web is the portal's HTTP layer: every route in routes.go,
// middleware, thin handlers (decode → validate → one call into a domain
// package → render or redirect), templates, and the one place where an
// error becomes a status and a translated sentence.
package web

import (
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/cluster"
	"github.com/smartustaz/smartustaz/internal/complaints"
	"github.com/smartustaz/smartustaz/internal/consent"
	"github.com/smartustaz/smartustaz/internal/correspondence"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/incident"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/privacy"
	"github.com/smartustaz/smartustaz/internal/telemetry"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// Deps is what the server needs; cmd/smartustaz builds it.
type Deps struct {
	DB       *db.DB
	Vault    *vault.Vault
	Accounts *account.Service
	Consent  *consent.Service
	Audit    *audit.Log
	Library  *library.Service
	// Previews makes and serves page images of material files; nil shows
	// text previews only.
	Previews *preview.Service
	// Queue is the durable job queue (internal/jobs); nil shows no
	// background jobs on the status page.
	Queue *jobs.Queue
	// Mail sends the site's email: in serve, the mail queue below.
	Mail mail.Sender
	// MailQueue is the outgoing mail queue (internal/mailq) shown on
	// /admin/mail; nil: the page says there is none.
	MailQueue *mailq.Queue
	// Import brings users over from other sites (/admin/import); nil: the
	// pages answer 404.
	Import *importer.Service
	Log    *slog.Logger
	// BaseURL is the public address used in emailed links.
	BaseURL string
	// SitemapURLs is how many materials one sitemap file lists (0: the
	// protocol's 50,000; tests lower it to see the index).
	SitemapURLs int
	// TrustProxy: take the client address and scheme from X-Forwarded-*.
	TrustProxy bool
	// Registry receives the site's metrics; nil makes a private one.
	Registry *prometheus.Registry
	// MetricsOnSite serves /metrics on the site to administrators (when
	// false, cmd serves it on its own listen address).
	MetricsOnSite bool
	// PageCacheBytes bounds the public pages kept for readers who are not
	// signed in (pagecache.go); 0 keeps none.
	PageCacheBytes int64
	// PageCacheTTL is how long a kept page may be served.
	PageCacheTTL time.Duration
	// Bus tells the other serve processes of a change to public pages, and
	// this one of theirs (internal/cluster); nil: this process alone.
	Bus *cluster.Bus
	// Telemetry records page views (internal/telemetry); nil records none.
	Telemetry *telemetry.Recorder
	// TelemetryLimit is how many of a user's newest technical records
	// their data page shows (the export has them all).
	TelemetryLimit int
	// TelemetryRetention is how long technical records are kept (for the
	// pages that say so); 0: telemetry.DefaultRetention.
	TelemetryRetention time.Duration
	// Corr is the correspondence with the administration (clause
	// 1.2 (a)); nil serves no message pages.
	Corr *correspondence.Service
	// ReplyDomain is the domain of the reply+TOKEN addresses of answers.
	ReplyDomain string
	// Processors are the places personal data goes, read from the
	// configuration (privacy.ProcessorsFromConfig); nil lists the site's
	// server alone.
	Processors []privacy.Processor
	// Complaints is the register of complaints, disputes and official
	// requests (clause 3.2); nil: one is made over DB, its answers mailed
	// through MailQueue.
	Complaints *complaints.Service
	// Incidents is the register of personal-data incidents; nil makes one
	// that cannot write to the users (no job queue).
	Incidents *incident.Service
	// DataExports builds large accounts' data ZIPs in the background
	// (handlers_zipjob.go); nil builds every ZIP in the request.
	DataExports *privacy.Exports
	// DataZipBackground: an account with more technical records than this
	// gets its ZIP from DataExports (0: every account).
	DataZipBackground int
}

// Server holds the parsed templates and dependencies.
type Server struct {
	Deps
	tmpl    map[i18n.Lang]map[string]*template.Template // per language: date and day write its month names
	metrics *metrics
	mux     *http.ServeMux
	handler http.Handler
	thumbs  thumbCache
	pages   *pageCache // nil: off
	// sessionHits remembers for a second what session cookies resolved to
	// (sessioncache.go), emptied with the pages on every node.
	sessionHits *sessionCache
	// holeMark marks the personal parts of pages kept for signed-in
	// readers; secret, so no text a user writes can forge one.
	holeMark string
	// keyLog limits the log of requests that need a missing master key.
	keyLog onceAMinute
	// privacy is the privacy centre's services (handlers_privacy.go).
	privacy privacyServices
}

// ServeHTTP serves the site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Metrics serves the Prometheus metrics (for a separate listen address).
func (s *Server) Metrics() http.Handler { return s.metrics.handler }

// NewServer returns the portal, ready to serve.
func NewServer(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{Deps: d, mux: http.NewServeMux()}
	var err error
	s.tmpl = map[i18n.Lang]map[string]*template.Template{}
	for _, l := range i18n.Langs {
		if s.tmpl[l], err = parseTemplates(l); err != nil {
			return nil, err
		}
	}
	s.metrics = newMetrics(d.Registry)
	s.sessionHits = newSessionCache()
	if d.Bus != nil {
		d.Bus.On(cluster.TopicPages, func(string) { s.sessionHits.clear() })
		// A deleted account's key is shredded: its sessions are gone too.
		d.Bus.On(cluster.TopicUserKey, func(string) { s.sessionHits.clear() })
		d.Bus.OnResync(s.sessionHits.clear)
	}
	s.privacy = s.newPrivacy()
	if s.Complaints == nil {
		s.Complaints = s.newComplaints()
	}
	if s.Incidents == nil {
		a := s.Audit
		if a == nil {
			a = audit.New(s.DB, s.Vault)
		}
		s.Incidents = incident.New(s.DB, s.Vault, a, s.Accounts, s.privacy.holidays, s.privacy.contacts)
	}
	if d.PageCacheBytes > 0 && d.PageCacheTTL > 0 {
		s.pages = newPageCache(d.PageCacheTTL, d.PageCacheBytes, d.Registry)
		var b [12]byte
		rand.Read(b[:])
		s.holeMark = "hole-" + hex.EncodeToString(b[:])
	}
	if d.Bus != nil && s.pages != nil {
		d.Bus.On(cluster.TopicPages, func(string) { s.pages.clear() })
		d.Bus.On(cluster.TopicMaterial, func(p string) {
			if id, err := strconv.ParseInt(p, 10, 64); err == nil {
				s.pages.forgetMaterial(id)
			}
		})
		d.Bus.OnResync(s.pages.clear)
	}
	s.routes()
	s.handler = s.middleware(s.mux)
	return s, nil
}
