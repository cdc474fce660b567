package web

import (
	"net/http"
	"time"

	"github.com/smartustaz/smartustaz/internal/telemetry"
)

// capture hands every page view to the telemetry recorder (issue 9;
// clauses 1.1, 1.2 (c), 1.2 (d)) after the page is served. It sits inside
// the metrics wrapper, whose statusWriter gives the status without a
// wrapper of its own, and outside the page cache, so readers served from
// the cache are counted too. Nothing is parsed here: the Event carries
// the request's own strings into the recorder's buffer (no allocation, no
// waiting), and the writer parses them (telemetry.Writer).
func (s *Server) capture(h http.Handler) http.Handler {
	if s.Telemetry == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A view is dated when it was asked for: the client may have the
		// whole answer before the handler returns.
		at := time.Now().UnixMilli()
		h.ServeHTTP(w, r)
		if r.Method != http.MethodGet {
			return
		}
		code := http.StatusOK
		if sw, ok := w.(*statusWriter); ok && sw.code != 0 {
			code = sw.code
		}
		download := false
		switch r.Pattern {
		case "GET /materials/{id}/files/{file}":
			download = true
			if code >= 400 {
				return
			}
		case "", "GET /static/", "GET /healthz", "GET /metrics", "GET /lang/{lang}", "GET /materials/{id}/files/{file}/pages/{page}", "/",
			"GET /account/data/exports/status", "GET /admin/import/{id}/status":
			// Not pages: assets, probes, page images, language switches,
			// addresses that name nothing, the data page's and the
			// import page's polling of a job's progress.
			return
		default:
			if code != http.StatusOK && code != http.StatusNotModified {
				return
			}
		}
		ri := info(r)
		var uid int64
		if ri.User != nil && ri.User.Blocked == "" {
			// A blocked account's visits are counted as a visitor's:
			// nothing personal is recorded while it is blocked.
			uid = ri.User.ID
		}
		s.Telemetry.Add(telemetry.Event{
			At: at, Download: download, UserID: uid,
			Path: r.URL.Path, Query: r.URL.RawQuery, Referrer: r.Header.Get("Referer"), Host: r.Host,
			Remote: r.RemoteAddr, XFF: r.Header.Get("X-Forwarded-For"), UA: r.Header.Get("User-Agent"),
		})
	})
}
