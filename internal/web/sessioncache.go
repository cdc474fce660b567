package web

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
)

// sessionTTL is how long a node trusts what a session cookie resolved to
// without asking the database again, and only for the reading pages
// (readingPage): the home page, the catalog and search, and a material's
// page, which a signed-in teacher gets from the shared page cache with
// their own parts added (issue 13 §6). Everything else — the account, the
// administration, every form, a download — looks the session up afresh,
// so what a user or an administrator changes is in force there at once.
// On the reading pages, every signed-in form and a password reset by its
// link empty this cache on every node (PagesChanged, the cluster bus), and
// so does a deletion (the user's key topic); what changes without a form
// (a session that expires, the consent term's hourly job, a command-line
// change) reaches them within this second. Without it every reading page
// costs a session read, an account read with its decryption and the
// agreement gate's query.
const sessionTTL = time.Second

// sessionCacheMax bounds the entries kept; past it the cache starts over.
const sessionCacheMax = 100_000

// sessionHit is what one session cookie resolved to, kept sessionTTL.
type sessionHit struct {
	user  account.User
	sess  account.Session
	until time.Time
	// accepted is the agreement gate's answer once it was yes (a new
	// version is published through a signed-in form, which empties the
	// cache).
	accepted atomic.Bool
}

// sessionCache is one process's memory of recent session lookups.
type sessionCache struct {
	mu  sync.RWMutex
	m   map[string]*sessionHit
	now func() time.Time
}

func newSessionCache() *sessionCache {
	return &sessionCache{m: map[string]*sessionHit{}, now: time.Now}
}

// get returns the live entry of token, or nil.
func (c *sessionCache) get(token string) *sessionHit {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	h := c.m[token]
	c.mu.RUnlock()
	if h == nil || !c.now().Before(h.until) {
		return nil
	}
	return h
}

// put keeps what token resolved to, for sessionTTL or until the session
// expires, whichever is sooner.
func (c *sessionCache) put(token string, u *account.User, sess *account.Session) *sessionHit {
	if c == nil {
		return nil
	}
	until := c.now().Add(sessionTTL)
	if !sess.ExpiresAt.IsZero() && sess.ExpiresAt.Before(until) {
		until = sess.ExpiresAt
	}
	h := &sessionHit{user: *u, sess: *sess, until: until}
	c.mu.Lock()
	if len(c.m) >= sessionCacheMax {
		clear(c.m)
	}
	c.m[token] = h
	c.mu.Unlock()
	return h
}

// readingPage reports whether r asks for a page a signed-in teacher may be
// served on a cached session: GET or HEAD of the home page, the catalog
// (with a search) or a material's page (routes.go, s.shared).
func readingPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	if p == "/" || p == "/materials" {
		return true
	}
	ref, ok := strings.CutPrefix(p, "/materials/")
	return ok && ref != "" && ref != "new" && !strings.Contains(ref, "/")
}

// readingHit is token's live entry when the request is for a reading
// page (readingPage), else nil: other pages never use the cache.
func (s *Server) readingHit(reading bool, token string) *sessionHit {
	if !reading {
		return nil
	}
	return s.sessionHits.get(token)
}

// drop forgets token's entry: a fresh lookup found its session ended.
func (c *sessionCache) drop(token string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	delete(c.m, token)
	c.mu.Unlock()
}

// clear forgets every entry: something a session depends on may have
// changed.
func (c *sessionCache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
