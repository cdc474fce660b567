package web

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/smartustaz/smartustaz/internal/cluster"
	"github.com/smartustaz/smartustaz/internal/library"
)

// pageCache keeps the public pages that visitors who are not signed in
// read most — the catalog, material pages, author pages, the home page —
// as rendered, gzipped bytes. Most of a portal's readers never sign in,
// and a page the next reader asks for within the TTL then costs a map
// lookup instead of database queries and a template (docs/benchmarks.md).
//
// What it may keep is narrow by construction: only GET responses with
// status 200 to requests with no session, that set no cookie, for routes
// wrapped with Server.public in routes.go. Such a page holds nothing but
// what is public (clause 1.4): a signed-in reader's page (their name,
// staff controls, their own pending material) is never stored, and never
// served from here.
//
// Freshness: any request by a signed-in user that is not GET or HEAD may
// have changed what a public page shows (a material published, approved,
// taken down, a profile made public or private, an account deleted), so
// it empties the cache when it ends (invalidatePages); so does a page image
// drawn in the background (Server.MaterialChanged). Both reach every other
// serve process of the site through the cluster bus (PostgreSQL NOTIFY),
// which empties theirs too. What changes without such a signal — counters
// of views and downloads, the command line writing the database — shows
// within the TTL, which is also the fallback when a notification is lost.
type pageCache struct {
	ttl    time.Duration
	budget int64 // bytes of bodies kept, plain and gzipped

	mu   sync.Mutex
	gen  uint64
	used int64
	lru  *list.List // of *cachedPage, most recently used first
	m    map[string]*list.Element
	// byView finds the kept pages of a material (in every language), to
	// forget them when only that material's page changed.
	byView map[int64][]*list.Element
	// seq counts forgetMaterial calls; forgot holds each material's last,
	// so a page whose rendering began before it is not kept.
	seq    uint64
	forgot map[int64]uint64

	fill   singleflight.Group
	result *prometheus.CounterVec
}

// cachedPage is one stored response.
type cachedPage struct {
	key     string
	gen     uint64
	seq     uint64 // pageCache.seq when its rendering began
	expires time.Time
	ctype   string
	body    []byte
	gz      []byte // nil when gzip saved nothing
	etag    string
	// view is the material whose page this is, when showing it counts as
	// a view: each reader served from the cache is counted as well.
	view int64
	// For signed-in readers (pagecache_signedin.go): the page cut at its
	// holes, each part with its deflate stream, and the material the
	// holes are about.
	parts    []pagePart
	material *library.Material
}

func (e *cachedPage) size() int64 {
	n := int64(len(e.body)+len(e.gz)+len(e.key)) + 200
	for _, p := range e.parts {
		n += int64(len(p.deflate)) + 40
	}
	return n
}

func newPageCache(ttl time.Duration, budget int64, reg *prometheus.Registry) *pageCache {
	c := &pageCache{ttl: ttl, budget: budget, lru: list.New(), m: map[string]*list.Element{}, byView: map[int64][]*list.Element{}, forgot: map[int64]uint64{},
		result: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smartustaz_page_cache_total", Help: "Public pages asked of the page cache, by result (hit, miss, bypass).",
		}, []string{"result"})}
	reg.MustRegister(c.result)
	return c
}

// get returns the fresh entry for key, or nil.
func (c *pageCache) get(key string, now time.Time) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil
	}
	e := el.Value.(*cachedPage)
	if e.gen != c.gen || now.After(e.expires) {
		c.remove(el)
		return nil
	}
	c.lru.MoveToFront(el)
	return e
}

// generation is read before a page is rendered: an entry made from data
// read before a change must not outlive the change.
func (c *pageCache) generation() (gen, seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, c.seq
}

// put stores e unless the cache was emptied while e was being rendered.
func (c *pageCache) put(e *cachedPage) {
	if e.size() > c.budget/8 {
		return // one page must not push out a hundred others
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.gen != c.gen || e.view != 0 && c.forgot[e.view] > e.seq {
		return
	}
	if el, ok := c.m[e.key]; ok {
		c.remove(el)
	}
	el := c.lru.PushFront(e)
	c.m[e.key] = el
	if e.view != 0 {
		c.byView[e.view] = append(c.byView[e.view], el)
	}
	c.used += e.size()
	for c.used > c.budget {
		c.remove(c.lru.Back())
	}
}

func (c *pageCache) remove(el *list.Element) {
	e := el.Value.(*cachedPage)
	c.lru.Remove(el)
	delete(c.m, e.key)
	c.used -= e.size()
	if e.view != 0 {
		els := c.byView[e.view]
		for i, x := range els {
			if x == el {
				els = append(els[:i], els[i+1:]...)
				break
			}
		}
		if len(els) == 0 {
			delete(c.byView, e.view)
		} else {
			c.byView[e.view] = els
		}
	}
}

// forgetMaterial drops the kept pages of one material, and keeps out
// those whose rendering began before now.
func (c *pageCache) forgetMaterial(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.forgot[id] = c.seq
	if len(c.forgot) > 100000 {
		// A pass over a big library: forget all instead of remembering
		// each material.
		c.clearLocked()
		return
	}
	for _, el := range append([]*list.Element(nil), c.byView[id]...) {
		c.remove(el)
	}
}

// clear forgets every page, including those being rendered now.
func (c *pageCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
}

func (c *pageCache) clearLocked() {
	c.gen++
	c.forgot = map[int64]uint64{}
	c.m = map[string]*list.Element{}
	c.byView = map[int64][]*list.Element{}
	c.lru.Init()
	c.used = 0
}

// pageNote lets a handler behind Server.public say what the wrapper
// cannot see: that the page counted a view, or that it must not be kept.
type pageNote struct {
	view    int64
	noStore bool
	// shared: the page is rendered for a class of signed-in readers; the
	// page cache counts its views, and material is what its personal
	// part is about (pagecache_signedin.go).
	shared   bool
	material *library.Material
}

type pageNoteKey struct{}

// noteView tells the page cache that serving this page counts a view of
// material id, so a reader served from the cache is counted too. It
// reports whether the cache counts this rendering's view as well (a page
// rendered for signed-in readers), so the handler must not.
func noteView(r *http.Request, id int64) bool {
	if n, ok := r.Context().Value(pageNoteKey{}).(*pageNote); ok {
		n.view = id
		return n.shared
	}
	return false
}

// public serves h through the page cache to readers who are not signed
// in (see pageCache). Everyone else, and every request when the cache is
// off, goes straight to h.
func (s *Server) public(h http.HandlerFunc) http.HandlerFunc { return s.cached(h, false) }

// shared serves h through the page cache to readers who are not signed in
// and to signed-in teachers: they get the page kept for their class of
// reader with their own part added (pagecache_signedin.go).
func (s *Server) shared(h http.HandlerFunc) http.HandlerFunc { return s.cached(h, true) }

func (s *Server) cached(h http.HandlerFunc, signedIn bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := s.pages
		ri := info(r)
		class, ok := readerClass(ri.User, hasSessionCookie(r), signedIn)
		if c == nil || r.Method != http.MethodGet || !ok {
			if c != nil {
				c.result.WithLabelValues("bypass").Inc()
			}
			h(w, r)
			return
		}
		// The language is part of the page; the scheme is part of the
		// links a page may carry; the class of reader is part of its
		// header, footer and forms.
		key := string(ri.Lang) + "|" + map[bool]string{true: "s", false: "p"}[ri.TLS] + "|" + class + "|" + r.URL.RequestURI()
		if e := c.get(key, time.Now()); e != nil {
			c.result.WithLabelValues("hit").Inc()
			s.serveEntry(w, r, e, false)
			return
		}
		c.result.WithLabelValues("miss").Inc()
		// Readers who ask for the same page at once wait for one
		// rendering (singleflight) instead of each querying the database:
		// the first reader's request renders it for all.
		var first *recorder
		v, _, shared := c.fill.Do(key, func() (any, error) {
			gen, seq := c.generation()
			note := &pageNote{shared: ri.User != nil}
			rec := newRecorder()
			// The page is kept plain and gzipped once here, so the
			// handler must not compress it for this reader.
			ctx := context.WithValue(r.Context(), pageNoteKey{}, note)
			if ri.User != nil {
				ctx = context.WithValue(ctx, ctxKey{}, s.classReader(ri))
			}
			plain := r.WithContext(ctx)
			plain.Header = r.Header.Clone()
			plain.Header.Del("Accept-Encoding")
			h(rec, plain)
			first = rec
			e := rec.entry(key, gen, time.Now().Add(c.ttl), note, s.holeMark)
			if e != nil {
				e.seq = seq
				c.put(e)
			}
			return e, nil
		})
		e, _ := v.(*cachedPage)
		switch {
		case first != nil && e != nil:
			// This request rendered the page (and, for an anonymous
			// reader, counted its view).
			s.serveEntry(w, r, e, ri.User == nil)
			return
		case first != nil && ri.User == nil:
			first.replay(w, r, s)
			return
		case shared && e != nil:
			s.serveEntry(w, r, e, false)
			return
		}
		// Someone else's rendering could not be kept (an error page, a
		// redirect), or this reader's class could not have this page (the
		// author's own pending material): render this one for this reader.
		h(w, r)
	}
}

// serveEntry answers from a kept page: as it is to a reader who is not
// signed in, with the reader's own part added to a signed-in one. counted:
// the view was counted while rendering it for this request.
func (s *Server) serveEntry(w http.ResponseWriter, r *http.Request, e *cachedPage, counted bool) {
	u := info(r).User
	if u == nil {
		if !counted {
			s.countView(r.Context(), e)
		}
		s.writeCached(w, r, e)
		return
	}
	if e.material == nil || e.material.AuthorID != u.ID {
		s.countView(r.Context(), e) // an author's own reading is not a view
	}
	s.writePersonal(w, r, e)
}

func hasSessionCookie(r *http.Request) bool {
	for _, name := range []string{sessionCookie(true), sessionCookie(false)} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return true
		}
	}
	return false
}

func (s *Server) countView(ctx context.Context, e *cachedPage) {
	if e.view == 0 {
		return
	}
	if err := s.Library.View(ctx, e.view); err != nil {
		s.Log.Warn("count view", "err", err)
	}
}

// writeCached sends a stored page, gzipped when the reader accepts it,
// or "304 Not Modified" when the reader already holds these bytes.
func (s *Server) writeCached(w http.ResponseWriter, r *http.Request, e *cachedPage) {
	h := w.Header()
	h.Set("Content-Type", e.ctype)
	h.Set("ETag", e.etag)
	publicPageHeaders(h)
	if etagMatch(r.Header.Get("If-None-Match"), e.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if e.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusOK)
		w.Write(e.gz)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(e.body)
}

// publicPageHeaders: a reader's browser may keep a public page but asks
// again each time (no-cache: it sends the ETag and gets 304 when nothing
// changed); shared caches must keep pages apart by language, encoding
// and session.
func publicPageHeaders(h http.Header) {
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding, Accept-Language, Cookie")
}

// etagMatch reports whether an If-None-Match header names etag.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding the way RFC 9110 §12.5.3 says:
// "gzip" (or "x-gzip") listed with a quality above zero.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}

// recorder buffers one rendering so it can be both kept and sent.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(b)
}

// entry makes a cache entry of the rendering, or nil when it must not be
// kept: anything but a plain 200 HTML page, a page that sets a cookie or
// says no-store, or one its handler marked.
func (r *recorder) entry(key string, gen uint64, expires time.Time, note *pageNote, mark string) *cachedPage {
	ct := r.header.Get("Content-Type")
	if r.code != http.StatusOK || note.noStore || len(r.header.Values("Set-Cookie")) > 0 ||
		strings.Contains(r.header.Get("Cache-Control"), "no-store") || !cacheableType(ct) ||
		r.header.Get("Content-Encoding") != "" {
		return nil
	}
	body := bytes.Clone(r.body.Bytes())
	sum := sha256.Sum256(body)
	e := &cachedPage{key: key, gen: gen, expires: expires, ctype: ct, body: body, view: note.view,
		etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
	if note.shared {
		e.parts, e.material = cutHoles(body, mark), note.material
		return e
	}
	if gz := gzipBytes(body); len(gz) < len(body) {
		e.gz = gz
	}
	return e
}

// replay sends a rendering that could not be kept to the reader whose
// request made it, as the handler wrote it.
func (r *recorder) replay(w http.ResponseWriter, req *http.Request, s *Server) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if r.code == 0 {
		r.code = http.StatusOK
	}
	s.writeBody(w, req, r.code, r.body.Bytes())
}

var gzipPool = sync.Pool{New: func() any {
	// BestSpeed: a catalog page shrinks about six times either way, and
	// a page is compressed on every render the cache does not answer.
	// klauspost/compress's gzip writes the same format 2.2 times as fast
	// as compress/gzip (a 42 KB page: 165 µs against 359 µs here).
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(&out)
	zw.Write(b)
	zw.Close()
	gzipPool.Put(zw)
	return out.Bytes()
}

// minGzip: below about one packet gzip saves nothing a reader would
// notice.
const minGzip = 1400

// writeBody sends an HTML (or other) body with the status, gzipped when
// the reader accepts it and it is worth it.
func (s *Server) writeBody(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	if len(body) >= minGzip && status != http.StatusNoContent && status != http.StatusNotModified &&
		h.Get("Content-Encoding") == "" && acceptsGzip(r) {
		if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding") {
			h.Add("Vary", "Accept-Encoding")
		}
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		w.WriteHeader(status)
		w.Write(gzipBytes(body))
		return
	}
	w.WriteHeader(status)
	w.Write(body)
}

// PagesChanged empties the page cache here and on every other serve
// process (through the cluster bus): for a change to what public pages
// show, made by a request or in the background.
func (s *Server) PagesChanged(ctx context.Context) {
	if s.Bus != nil {
		s.Bus.Publish(ctx, cluster.TopicPages, "")
		return
	}
	s.sessionHits.clear()
	if s.pages != nil {
		s.pages.clear()
	}
}

// MaterialChanged forgets the kept pages of one material here and on every
// other process: its page images were drawn in the background
// (preview.Options.Drawn).
func (s *Server) MaterialChanged(ctx context.Context, id int64) {
	if s.Bus != nil {
		s.Bus.Publish(ctx, cluster.TopicMaterial, strconv.FormatInt(id, 10))
		return
	}
	if s.pages != nil {
		s.pages.forgetMaterial(id)
	}
}

// invalidatePages empties the page cache after every request by a
// signed-in user that may have written (anything but GET and HEAD),
// whatever its outcome: a failed request may still have changed
// something. Only signed-in users change what public pages show (they
// publish, moderate, edit profiles and the taxonomy, delete accounts);
// what visitors send — sign-in, registration, reports, certificate name
// checks — does not, and leaving them out keeps a stream of failed
// sign-ins from emptying the cache for everyone.
func (s *Server) invalidatePages(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method != http.MethodGet && r.Method != http.MethodHead && info(r).User != nil {
			// The request's context may be cancelled by now (the client
			// left); the change it made must still be told.
			s.PagesChanged(context.WithoutCancel(r.Context()))
		}
	})
}
