package telemetry

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ParseProxies reads the --trusted-proxy list: CIDRs or single addresses,
// separated by commas or spaces.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, &ProxyError{Value: f}
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// ProxyError is a --trusted-proxy entry that is neither a CIDR nor an
// address.
type ProxyError struct{ Value string }

func (e *ProxyError) Error() string {
	return "telemetry: --trusted-proxy: " + strconv.Quote(e.Value) + " is neither an address nor a CIDR (10.0.0.0/8)"
}

func trusted(a netip.Addr, proxies []netip.Prefix) bool {
	for _, p := range proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr is the visitor's address: the connection's peer, or, when
// that peer is one of the trusted proxies, the right-most address of
// X-Forwarded-For that is not itself a trusted proxy (each proxy appends
// the address it saw; only the entries our own proxies added can be
// believed, anything further left is what the client sent). A spoofed
// X-Forwarded-For from a peer that is not trusted is ignored. The zero
// Addr when nothing parses.
func ClientAddr(remote, xff string, proxies []netip.Prefix) netip.Addr {
	host := remote
	if h, _, err := net.SplitHostPort(remote); err == nil {
		host = h
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	peer = peer.Unmap().WithZone("")
	if xff == "" || !trusted(peer, proxies) {
		return peer
	}
	client := peer
	for rest := xff; rest != ""; {
		var part string
		if i := strings.LastIndexByte(rest, ','); i >= 0 {
			part, rest = rest[i+1:], rest[:i]
		} else {
			part, rest = rest, ""
		}
		a, err := netip.ParseAddr(strings.TrimSpace(part))
		if err != nil {
			return client // garbage: stop at the last address we can believe
		}
		client = a.Unmap().WithZone("")
		if !trusted(client, proxies) {
			return client
		}
	}
	return client
}

// ReferrerDomain is the host a visitor came from, lower-cased, without
// "www."; "" for none, for this site itself (host) and for anything that
// is not an http(s) address.
func ReferrerDomain(ref, host string) string {
	if ref == "" || len(ref) > 2048 {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if h == "" || strings.ContainsAny(h, " /\\@") || len(h) > 253 {
		return ""
	}
	own := strings.ToLower(host)
	if oh, _, err := net.SplitHostPort(own); err == nil {
		own = oh
	}
	if h == own {
		return ""
	}
	return strings.TrimPrefix(h, "www.")
}

// Section is the part of the site a path is in: its first segment
// ("materials", "authors", "account", …; "home" for "/").
func Section(path string) string {
	p := strings.TrimPrefix(path, "/")
	if p == "" {
		return "home"
	}
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[:i]
	}
	if len(p) > 32 {
		p = p[:32]
	}
	return p
}

// MaterialID is the material a path shows or downloads from
// (/materials/{id}-{slug}, /materials/{id}/files/{file}); 0 for others.
func MaterialID(path string) int64 {
	rest, ok := strings.CutPrefix(path, "/materials/")
	if !ok {
		return 0
	}
	end := 0
	for end < len(rest) && end < 19 && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	if end == 0 || (end < len(rest) && rest[end] != '-' && rest[end] != '/') {
		return 0
	}
	id, err := strconv.ParseInt(rest[:end], 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// CatalogTopic reads the catalog's filters (subject, grade, type) from a
// query string; values longer than 64 bytes are dropped.
func CatalogTopic(rawQuery string) Topic {
	q, _ := url.ParseQuery(rawQuery)
	clip := func(s string) string {
		if len(s) > 64 {
			return ""
		}
		return s
	}
	return Topic{Subject: clip(q.Get("subject")), Grade: clip(q.Get("grade")), Type: clip(q.Get("type"))}
}

// Topic is what a page is about: a material's (or the catalog filter's)
// subject, grade and type.
type Topic struct{ Subject, Grade, Type string }

func (t Topic) String() string {
	var parts []string
	for _, s := range []string{t.Subject, t.Grade, t.Type} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " / ")
}

// IsTrusted reports whether a is one of the trusted proxies.
func IsTrusted(a netip.Addr, proxies []netip.Prefix) bool { return trusted(a, proxies) }
