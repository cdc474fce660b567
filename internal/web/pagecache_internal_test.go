package web

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func testEntry(c *pageCache, key string, view int64, size int) *cachedPage {
	gen, seq := c.generation()
	return &cachedPage{key: key, gen: gen, seq: seq, expires: time.Now().Add(time.Minute), body: make([]byte, size), view: view}
}

// The cache keeps to its budget by dropping the least recently used page.
func TestPageCacheBudget(t *testing.T) {
	c := newPageCache(time.Minute, 10*1300, prometheus.NewRegistry())
	for i := range 20 {
		c.put(testEntry(c, fmt.Sprint("/p", i), 0, 1000))
		if i == 5 {
			c.get("/p0", time.Now()) // used: kept over /p1…
		}
	}
	if c.used > c.budget {
		t.Fatalf("%d bytes kept, budget %d", c.used, c.budget)
	}
	if c.get("/p19", time.Now()) == nil {
		t.Errorf("the newest page was dropped")
	}
	if c.get("/p1", time.Now()) != nil {
		t.Errorf("an old unused page was kept")
	}
	if big := testEntry(c, "/big", 0, 5000); true {
		c.put(big)
		if c.get("/big", time.Now()) != nil {
			t.Errorf("a page over an eighth of the budget was kept")
		}
	}
}

// A page past its TTL, or rendered before the cache was emptied, is not
// served (what a reader sees of it: TestPageCacheFreshness).
func TestPageCacheEntryExpiry(t *testing.T) {
	c := newPageCache(time.Minute, 1<<20, prometheus.NewRegistry())
	e := testEntry(c, "/a", 0, 10)
	c.put(e)
	if c.get("/a", time.Now().Add(2*time.Minute)) != nil {
		t.Errorf("served past its TTL")
	}
	stale := testEntry(c, "/b", 0, 10) // rendering began…
	c.clear()                          // …a write request ended…
	c.put(stale)                       // …and the old rendering ends
	if c.get("/b", time.Now()) != nil {
		t.Errorf("a page rendered before the cache was emptied was kept")
	}
}

// Forgetting one material drops its pages in every language and keeps
// out a rendering that began before; other pages stay.
func TestPageCacheForgetMaterial(t *testing.T) {
	c := newPageCache(time.Minute, 1<<20, prometheus.NewRegistry())
	c.put(testEntry(c, "kk|/materials/7-a", 7, 10))
	c.put(testEntry(c, "ru|/materials/7-a", 7, 10))
	c.put(testEntry(c, "kk|/materials/8-b", 8, 10))
	c.put(testEntry(c, "kk|/materials", 0, 10))
	inFlight := testEntry(c, "en|/materials/7-a", 7, 10)
	c.forgetMaterial(7)
	c.put(inFlight)
	for key, want := range map[string]bool{"kk|/materials/7-a": false, "ru|/materials/7-a": false, "en|/materials/7-a": false,
		"kk|/materials/8-b": true, "kk|/materials": true} {
		if got := c.get(key, time.Now()) != nil; got != want {
			t.Errorf("%s kept = %v, want %v", key, got, want)
		}
	}
	// Rendered after the change: kept.
	c.put(testEntry(c, "kk|/materials/7-a", 7, 10))
	if c.get("kk|/materials/7-a", time.Now()) == nil {
		t.Errorf("a page rendered after the change was not kept")
	}
	if n := len(c.byView[7]); n != 1 {
		t.Errorf("%d index entries for material 7, want 1", n)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.8": true, "gzip;q=0": false,
		"identity": false, "x-gzip": true, "GZIP": true, "deflate, gzip;q=0.0": false,
	} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", h)
		if got := acceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: gzip = %v, want %v", h, got, want)
		}
	}
}

func TestEtagMatch(t *testing.T) {
	for h, want := range map[string]bool{`"abc"`: true, `W/"abc"`: true, `"x", "abc"`: true, `*`: true, `"abd"`: false, ``: false} {
		if got := etagMatch(h, `"abc"`); got != want {
			t.Errorf("If-None-Match %q: %v, want %v", h, got, want)
		}
	}
}
