package web

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
)

// sessionTTL is how long a node trusts what a session cookie resolved to
// without asking the database again. Every signed-in form empties these
// on every node at once (with the page cache: PagesChanged, the cluster
// bus), and so does a password reset by its emailed link, so signing out,
// a reset, a block, a role change or a deletion made through the site
// takes effect at once; what changes without a form (a session that
// expires, the consent term's hourly job, a command-line change) takes
// effect within this second. It is what
// makes a signed-in reader's cached page cheap (issue 13 §6): without it,
// every page costs a session read, an account read and the agreement
// gate's query.
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
