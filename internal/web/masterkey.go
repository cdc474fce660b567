package web

import (
	"net/http"
	"sync/atomic"
	"time"
)

// masterKeyMissing answers a request that needs a master key this node
// lacks (vault.ErrUnknownMasterKey: a rotation whose key file has not
// reached this node): 503 with the error page, since another node or
// this one with the current key file serves it. The log names the key
// and what to do, at most once a minute.
func (s *Server) masterKeyMissing(w http.ResponseWriter, r *http.Request, err error) {
	if s.keyLog.allow(time.Now()) {
		s.Log.Error("a master key is missing on this node", "request_id", info(r).ID, "path", r.URL.Path, "err", err)
	}
	w.Header().Set("Retry-After", "60")
	s.renderError(w, r, http.StatusServiceUnavailable, "web.error.unavailable")
}

// onceAMinute lets one log line through a minute.
type onceAMinute struct{ last atomic.Int64 }

func (o *onceAMinute) allow(now time.Time) bool {
	last := o.last.Load()
	if last != 0 && now.UnixNano()-last < int64(time.Minute) {
		return false
	}
	return o.last.CompareAndSwap(last, now.UnixNano())
}
