package privacy

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
)

// The register of processors (issue 12 §3a; law L7: data stored in
// Kazakhstan; law L18: cross-border transfer). The site lists them from
// its own configuration — the places personal data goes — so the
// register cannot forget a service that is configured. Only the host of
// each is kept: credentials in the configured addresses never leave
// ProcessorsFromConfig. The country of each is set by an administrator
// (a host name does not say where a server stands); until then it is
// unknown, which is treated like abroad: it needs review.

// ProcessorKind is what a processor does with the data.
type ProcessorKind string

const (
	ProcessorServer   ProcessorKind = "server"   // the machine serve runs on (its disk, the SQLite file, the outbox)
	ProcessorDatabase ProcessorKind = "database" // a PostgreSQL server
	ProcessorStorage  ProcessorKind = "storage"  // S3-compatible file storage
	ProcessorSMTP     ProcessorKind = "smtp"     // the mail relay
)

// Processor is one place personal data is sent or kept.
type Processor struct {
	ID      string        // stable id, the settings key of its country
	Kind    ProcessorKind //
	Host    string        // host (and port) only; "" for the site's own server
	Country string        // ISO 3166-1 alpha-2, upper case; "" = unknown
}

// Domestic reports whether the processor is known to be in Kazakhstan.
func (p Processor) Domestic() bool { return p.Country == "KZ" }

// NeedsReview is true when the processor is abroad or its country is
// unknown (law L7, L18).
func (p Processor) NeedsReview() bool { return !p.Domestic() }

// hostOf returns host[:port] of a configured address, never its user
// information or query (where secrets live).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Host
}

// ProcessorsFromConfig lists the processors the configuration names:
// the site's server always; dbDSN when it is PostgreSQL; storage when it
// is S3 (the endpoint host, or AWS's default when none is given); smtp
// when mail is relayed (else mail stays in the server's outbox).
func ProcessorsFromConfig(dbDSN, storage, smtp string) []Processor {
	out := []Processor{{ID: "server", Kind: ProcessorServer}}
	if strings.HasPrefix(dbDSN, "postgres://") || strings.HasPrefix(dbDSN, "postgresql://") {
		out = append(out, Processor{ID: "database", Kind: ProcessorDatabase, Host: hostOf(dbDSN)})
	} else if dbDSN != "" && !strings.HasPrefix(dbDSN, "sqlite:") {
		// A key=value PostgreSQL string: find host=.
		h := "?"
		for _, f := range strings.Fields(dbDSN) {
			if v, ok := strings.CutPrefix(f, "host="); ok {
				h = v
			}
		}
		out = append(out, Processor{ID: "database", Kind: ProcessorDatabase, Host: h})
	}
	if strings.HasPrefix(storage, "s3://") {
		h := "s3.amazonaws.com"
		if u, err := url.Parse(storage); err == nil {
			if ep := u.Query().Get("endpoint"); ep != "" {
				h = ep
			}
		} else {
			h = "?"
		}
		out = append(out, Processor{ID: "storage", Kind: ProcessorStorage, Host: h})
	}
	if smtp != "" {
		out = append(out, Processor{ID: "smtp", Kind: ProcessorSMTP, Host: hostOf(smtp)})
	}
	return out
}

// Local reports whether the host is the site's own machine (loopback),
// so it shares the server's country.
func (p Processor) local() bool {
	h := p.Host
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

const setProcessorCountry = "privacy.processor_country."

// Registry is the processors with their countries.
type Registry struct {
	db    *db.DB
	audit *audit.Log
	base  []Processor
}

// NewRegistry returns the register of the configured processors base.
func NewRegistry(d *db.DB, a *audit.Log, base []Processor) *Registry {
	return &Registry{db: d, audit: a, base: base}
}

// List returns the processors with the countries set by administrators.
// A processor on the loopback address is on the site's server and takes
// its country.
func (r *Registry) List(ctx context.Context) ([]Processor, error) {
	vals, err := readSettings(ctx, r.db, setProcessorCountry)
	if err != nil {
		return nil, fmt.Errorf("privacy: processors: %w", err)
	}
	out := make([]Processor, len(r.base))
	server := vals[setProcessorCountry+"server"]
	for i, p := range r.base {
		p.Country = vals[setProcessorCountry+p.ID]
		if p.Country == "" && p.local() {
			p.Country = server
		}
		out[i] = p
	}
	return out, nil
}

// ParseCountry reads an ISO 3166-1 alpha-2 code from a form; "" means
// unknown.
func ParseCountry(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return "", apperr.Field("country", "privacy.processors.country_bad")
	}
	return s, nil
}

// SetCountry records the country of processor id, audited.
func (r *Registry) SetCountry(ctx context.Context, id, country string, by, session int64) error {
	found := false
	for _, p := range r.base {
		found = found || p.ID == id
	}
	if !found {
		return apperr.New(apperr.NotFound, "privacy.processors.not_found")
	}
	c, err := ParseCountry(country)
	if err != nil {
		return err
	}
	err = r.db.InTx(ctx, func(tx *db.Tx) error {
		if err := putSetting(ctx, tx, setProcessorCountry+id, c); err != nil {
			return err
		}
		_, err := r.audit.AppendTx(ctx, tx, audit.Entry{ActorID: by, ActorSessionID: session, Action: audit.ActionSettingsChange,
			Detail: fmt.Sprintf("processor %s country=%q", id, c)})
		return err
	})
	if err != nil {
		return fmt.Errorf("privacy: processor country: %w", err)
	}
	return nil
}
