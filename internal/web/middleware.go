package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// maxBody bounds every request body but the upload forms'; forms here
// are small.
const maxBody = 1 << 20

// sessionCookie is the session cookie's name; over TLS it gets the
// __Host- prefix, which browsers only accept with Secure, Path=/ and no
// Domain, so a sibling subdomain cannot plant or read it.
func sessionCookie(tls bool) string {
	if tls {
		return "__Host-sid"
	}
	return "sid"
}

// deviceCookie is the name of the device cookie (account.TrustDevice): a
// browser that has signed in before is not slowed by failures sent from
// elsewhere. __Host- over TLS, as the session cookie.
func deviceCookie(tls bool) string {
	if tls {
		return "__Host-device"
	}
	return "device"
}

// deviceCookieAge is how long a browser is remembered as one that has
// signed in (browsers cap cookies at 400 days).
const deviceCookieAge = 365 * 24 * time.Hour

type ctxKey struct{}

// req is what the middleware learns about a request.
type req struct {
	ID      string
	Lang    i18n.Lang
	TLS     bool
	IP      string
	UA      string
	User    *account.User
	Session *account.Session
	Token   string
	// Holes: the page is rendered for a class of signed-in readers, with
	// this mark where each personal part goes (pagecache_signedin.go).
	Holes string
	// hit is the session cache's entry the user came from or was put in
	// (nil: not a reading page, or not signed in).
	hit *sessionHit
}

func info(r *http.Request) *req {
	if v, ok := r.Context().Value(ctxKey{}).(*req); ok {
		return v
	}
	return &req{Lang: i18n.Default}
}

func (s *Server) meta(r *http.Request) account.Meta {
	ri := info(r)
	m := account.Meta{IP: ri.IP, UserAgent: ri.UA}
	if c, err := r.Cookie(deviceCookie(ri.TLS)); err == nil {
		m.Device = c.Value
	}
	if ri.User != nil {
		m.ActorID = ri.User.ID
	}
	if ri.Session != nil {
		m.SessionID = ri.Session.ID
	}
	return m
}

// middleware wraps the mux, outermost first: recover → request info
// (id, client address, scheme) → security headers → metrics → page-view
// capture (telemetry.go) → body limit → CSRF → session → locale → agreement gate → page cache emptied after
// writes.
func (s *Server) middleware(h http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "web.error.csrf")
	}))
	h = s.invalidatePages(h)
	h = s.consentGate(h)
	h = s.session(h)
	h = csrf.Handler(h)
	h = s.limitBody(h)
	h = s.capture(h)
	h = s.metrics.wrap(h)
	h = securityHeaders(h)
	h = s.requestInfo(h)
	return s.recoverer(h)
}

func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The stack says where, never what a user typed.
				s.Log.Error("panic", "request_id", info(r).ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError, "web.error.internal")
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (s *Server) requestInfo(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		ri := &req{ID: hex.EncodeToString(b[:]), UA: r.UserAgent(), TLS: r.TLS != nil}
		ri.IP, _, _ = net.SplitHostPort(r.RemoteAddr)
		if s.TrustProxy {
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
				parts := strings.Split(xff, ",")
				// The last hop is the one our own proxy added.
				if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
					ri.IP = ip.String()
				}
			}
			if r.Header.Get("X-Forwarded-Proto") == "https" {
				ri.TLS = true
			}
		}
		ri.Lang = i18n.FromRequest(r)
		// ?hl= names a page's language in its address: the hreflang
		// alternates search engines follow (issue 13 §5). It changes
		// this page only, not the reader's choice.
		if l, ok := i18n.Parse(r.URL.Query().Get("hl")); ok {
			ri.Lang = l
		}
		w.Header().Set("X-Request-Id", ri.ID)
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, ri)))
	})
}

// securityHeaders: a CSP with no inline script or style and nothing from
// other origins (every asset is embedded), no framing, no sniffing, no
// referrer to other sites, HSTS when on TLS. The values are shared
// slices put in the map as they are: Header.Set would make each anew on
// every request (a tenth of a cached page's allocations). Nothing
// changes a header value in place: Set replaces the slice, and Add
// appends to a slice of one, which copies it.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		for _, kv := range securityValues {
			hd[kv.name] = kv.value
		}
		if info(r).TLS {
			hd["Strict-Transport-Security"] = hstsValue
		}
		h.ServeHTTP(w, r)
	})
}

var (
	securityValues = []struct {
		name  string
		value []string
	}{
		{"Content-Security-Policy", []string{"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}},
		{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	}
	hstsValue = []string{"max-age=63072000; includeSubDomains"}
)

// limitBody bounds request bodies: 1 MiB, except the material upload
// forms, which may carry the configured number of files at the
// configured size (their parser streams, so the limit is on the wire,
// not in memory).
func (s *Server) limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := int64(maxBody)
			if isUploadPath(r) {
				limit = s.uploadLimit()
			} else if isMessagePath(r) || isComplaintPath(r) {
				limit = messageBodyLimit
			}
			if r.Method == http.MethodPost && r.URL.Path == "/admin/import" {
				limit = importer.MaxUpload + 1<<20 // the file and the form's few fields
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		h.ServeHTTP(w, r)
	})
}

// session loads the signed-in user from the session cookie, and the
// user's language preference over the browser's.
func (s *Server) session(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r)
		if strings.HasPrefix(r.URL.Path, "/static/") {
			h.ServeHTTP(w, r)
			return
		}
		c, err := r.Cookie(sessionCookie(ri.TLS))
		if err == nil && c.Value != "" {
			signedIn := func(u *account.User, sess *account.Session) {
				ri.User, ri.Session, ri.Token = u, sess, c.Value
				if _, noCookie := r.Cookie("lang"); noCookie != nil { // no explicit choice in this browser: the account's language wins
					if l, ok := i18n.Parse(u.Locale); ok {
						ri.Lang = l
					}
				}
			}
			reading := readingPage(r)
			if hit := s.readingHit(reading, c.Value); hit != nil {
				// Copies: a handler may change its request's user.
				u, sess := hit.user, hit.sess
				signedIn(&u, &sess)
				ri.hit = hit
				h.ServeHTTP(w, r)
				return
			}
			u, sess, err := s.Accounts.Authenticate(r.Context(), c.Value)
			switch {
			case err == nil:
				signedIn(u, sess)
				if reading {
					ri.hit = s.sessionHits.put(c.Value, u, sess)
				}
			case errors.Is(err, vault.ErrUnknownMasterKey):
				// The session is fine; this node lacks the key that opens
				// the user's data: "try again later", still signed in.
				s.masterKeyMissing(w, r, err)
				return
			case isCode(err, apperr.Unauthorized):
				// Expired or ended elsewhere: forget the cookie, and the
				// reading pages forget the session too.
				s.sessionHits.drop(c.Value)
				s.clearSessionCookie(w, r)
			default:
				// The session could not be looked up (the database failed):
				// the cookie may well be good, so it is kept, and the request
				// is refused rather than served as if signed out.
				s.Log.Error("session lookup failed", "request_id", ri.ID, "path", r.URL.Path, "err", err)
				w.Header().Set("Retry-After", "5")
				s.renderError(w, r, http.StatusServiceUnavailable, "web.error.unavailable")
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	tls := info(r).TLS
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie(tls), Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: tls, SameSite: http.SameSiteLaxMode,
	})
}

// setDeviceCookie remembers this browser as one that has signed in to
// the user's account (with the accounts it was remembered for before).
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, userID int64) {
	tls := info(r).TLS
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookie(tls), Value: s.Accounts.TrustDevice(userID, s.meta(r).Device), Path: "/",
		MaxAge: int(deviceCookieAge / time.Second), HttpOnly: true, Secure: tls, SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	tls := info(r).TLS
	http.SetCookie(w, &http.Cookie{Name: sessionCookie(tls), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: tls, SameSite: http.SameSiteLaxMode})
}

// consentGate sends a signed-in user who has not accepted the current
// versions of the documents to the acceptance page before anything else
// (clause 3.4, preamble P.4). Pages needed to read, decide or leave stay open.
func (s *Server) consentGate(h http.Handler) http.Handler {
	open := []string{"/account/consent", "/logout", "/agreement", "/static/", "/account/delete", "/account/export.json", "/healthz", "/lang/",
		"/contacts", "/consent/"} // who answers, and checking a receipt, before deciding
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r)
		if ri.User == nil {
			h.ServeHTTP(w, r)
			return
		}
		if ri.User.Blocked != "" {
			// A blocked account (handlers_control.go) opens only its own
			// short list; consent is given again from the blocked page.
			if !s.blockedGate(w, r, ri.User) {
				h.ServeHTTP(w, r)
			}
			return
		}
		for _, p := range open {
			if strings.HasPrefix(r.URL.Path, p) {
				h.ServeHTTP(w, r)
				return
			}
		}
		if ri.hit != nil && ri.hit.accepted.Load() {
			h.ServeHTTP(w, r)
			return
		}
		accepted, err := s.Consent.AllAccepted(r.Context(), ri.User.ID)
		if err != nil {
			s.fail(w, r, fmt.Errorf("web: consent gate: %w", err))
			return
		}
		if accepted && ri.hit != nil {
			ri.hit.accepted.Store(true)
		}
		if !accepted {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/account/consent?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusConflict, "web.consent.required")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// safeNext turns a "next" parameter into a path on this site, so that it
// cannot send the user to another one (open redirect). The target is
// rebuilt from the parsed reference, never passed through: only the path
// and query of a relative reference, re-encoded, so no control
// character, backslash or doubled slash (which browsers read as another
// host) survives. Anything doubtful gives "/"; no parameter gives the
// default landing page.
func safeNext(p string) string {
	if p == "" {
		return "/account"
	}
	u, err := url.Parse(p) // refuses control characters
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsRune(u.Path, '\\') {
		return "/"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "/"
	}
	// Dot segments are resolved here as http.Redirect would; the trailing
	// slash is kept.
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	out := (&url.URL{Path: clean, RawQuery: q.Encode()}).RequestURI()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return "/"
	}
	return out
}

var errNotSignedIn = errors.New("web: not signed in")

// isCode reports whether err is an apperr of code c.
func isCode(err error, c apperr.Code) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == c
}
