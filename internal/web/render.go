package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/vault"
	"github.com/smartustaz/smartustaz/ui"
)

// page is what every template receives.
type page struct {
	Lang    i18n.Lang
	Langs   []i18n.Lang
	Path    string
	User    *account.User
	Title   string
	Notice  string            // a one-line message at the top (already translated)
	Error   string            // the form's general error (translated)
	Errors  map[string]string // field name → translated error
	Form    url.Values        // what the user typed, to show it again
	Data    any
	Static  func(string) string
	NowYear int
	// For the head (issue 13 §5): the page's description for search
	// results and link previews ("" = the site's), its address without
	// and with each language, and its OpenGraph type.
	Description string
	URL         string
	Alternates  []altLink
	OGType      string
	OGImage     string
	// Holes: rendered for a class of signed-in readers, the personal
	// parts left as marked holes (pagecache_signedin.go).
	Holes string
}

// para is one paragraph of a published document.
type para struct {
	Text    string
	Heading bool // a line in capitals, shown as a heading
}

// autolink matches the <https://…> form the agreement's original text uses
// for addresses; the angle brackets are markup, not text to show.
var autolink = regexp.MustCompile(`<(https?://[^<>\s]+)>`)

// paragraphs splits a document's text at blank lines for display.
func paragraphs(s string) []para {
	var out []para
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		p = strings.TrimSpace(autolink.ReplaceAllString(p, "$1"))
		if p == "" {
			continue
		}
		out = append(out, para{Text: p, Heading: len([]rune(p)) < 200 && strings.ToUpper(p) == p && strings.ToLower(p) != p})
	}
	return out
}

// fieldArgs feeds the "field" partial: one labelled input with its hint
// and error, wired for screen readers.
type fieldArgs struct {
	P                             *page
	Name, Label, Type, Auto, Hint string
	Req                           bool
	Max                           int
}

func (p *page) IsAdmin() bool { return p.User != nil && p.User.Role == account.RoleAdmin }
func (p *page) IsStaff() bool {
	return p.User != nil && (p.User.Role == account.RoleAdmin || p.User.Role == account.RoleModerator)
}

// parseTemplates parses every page for readers of lang: date and day
// write times in Kazakhstan with the month names of lang (issue 13 §5).
func parseTemplates(lang i18n.Lang) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"t": func(l i18n.Lang, key string, args ...any) string { return i18n.T(l, key, args...) },
		// jobName is a kind of background job by its name in l, or "" for
		// a kind without one (a newer node's, during a rolling upgrade).
		"jobName": func(l i18n.Lang, kind string) string {
			if !i18n.Has("jobs.kind." + kind) {
				return ""
			}
			return i18n.T(l, "jobs.kind."+kind)
		},
		"date": func(t time.Time) string { return i18n.DateTime(lang, t) },
		"day":  func(t time.Time) string { return i18n.Date(lang, t) },
		"langName": func(l i18n.Lang) string {
			return map[i18n.Lang]string{i18n.KK: "Қазақша", i18n.RU: "Русский", i18n.EN: "English"}[l]
		},
		"paragraphs": paragraphs,
		"hole":       hole,
		// ratingOf is a card's rating in l ("" when nobody rated it).
		"ratingOf": func(l i18n.Lang, c library.Card) string { return ratingText(l, c.Rating()) },
		"field": func(p *page, name, label, typ, auto string, req bool, max int, hint string) fieldArgs {
			return fieldArgs{P: p, Name: name, Label: label, Type: typ, Auto: auto, Req: req, Max: max, Hint: hint}
		},
		"corrArgs": corrArgs,
		"list":     func(xs ...any) []any { return xs },
		// kv builds a partial's arguments from name, value pairs.
		"kv": func(pairs ...any) map[string]any {
			m := make(map[string]any, len(pairs)/2)
			for i := 0; i+1 < len(pairs); i += 2 {
				m[fmt.Sprint(pairs[i])] = pairs[i+1]
			}
			return m
		},
		"sub1": func(n int) int { return n - 1 },
		"auditArgs": func(p *page, es []audit.Entry) any {
			return struct {
				Lang    i18n.Lang
				Entries []audit.Entry
			}{p.Lang, es}
		},
		"upper": strings.ToUpper,
		"ogLocale": func(l i18n.Lang) string {
			return map[i18n.Lang]string{i18n.KK: "kk_KZ", i18n.RU: "ru_RU", i18n.EN: "en_US"}[l]
		},
		"size": humanSize,
		"sel": func(p *page, name, label string, terms []library.Term) any {
			return struct {
				P           *page
				Name, Label string
				Terms       []library.Term
			}{p, name, label, terms}
		},
		"reportArgs": func(p *page, rs []library.ReportEntry, admin bool) any {
			return struct {
				P       *page
				Reports []library.ReportEntry
				Admin   bool
			}{p, rs, admin}
		},
		"terms": func(t *library.Taxonomy, kind string) []library.Term {
			switch library.TermKind(kind) {
			case library.KindSubject:
				return t.Subjects
			case library.KindGrade:
				return t.Grades
			}
			return t.Types
		},
		"val": func(f url.Values, k string) string {
			if f == nil {
				return ""
			}
			return f.Get(k)
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(ui.Templates, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	pages, err := fs.Glob(ui.Templates, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list pages: %w", err)
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(ui.Templates, p)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", p, err)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return out, nil
}

// humanSize writes a file size the way people read it (KB, MB).
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// newPage fills the common fields.
func (s *Server) newPage(r *http.Request, titleKey string) *page {
	ri := info(r)
	p := &page{
		Lang: ri.Lang, Langs: i18n.Langs, Path: r.URL.RequestURI(), User: ri.User,
		Title: i18n.T(ri.Lang, titleKey), Static: ui.StaticPath, NowYear: time.Now().In(i18n.Zone).Year(),
		Holes: ri.Holes,
	}
	s.pageMeta(p, r)
	return p
}

// render executes a page template into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.tmpl[p.Lang][name]
	if !ok {
		t, ok = s.tmpl[i18n.Default][name]
	}
	if !ok {
		s.Log.Error("unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if p.User != nil && p.Holes == "" {
		// Pages with someone's data must not be kept by shared caches
		// or shown again from the back button after logout.
		h.Set("Cache-Control", "no-store")
	} else {
		publicPageHeaders(h)
	}
	s.writeBody(w, r, status, buf.Bytes())
}

// renderError shows a one-message error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	p := s.newPage(r, "web.error.title")
	p.Error = i18n.T(p.Lang, key, args...)
	s.render(w, r, status, "error", p)
}

// statusOf maps an error code to an HTTP status, in this one place.
func statusOf(c apperr.Code) int {
	switch c {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.Gone:
		return http.StatusGone
	case apperr.Malformed:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// fail renders an unexpected or domain error as a page. The log gets the
// cause (domain errors never carry personal values); the user gets a
// translated sentence.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errNotSignedIn) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	if e, ok := apperr.As(err); ok {
		s.renderError(w, r, statusOf(e.Code), e.Key, e.Args...)
		return
	}
	if errors.Is(err, vault.ErrUnknownMasterKey) {
		s.masterKeyMissing(w, r, err)
		return
	}
	s.Log.Error("request failed", "request_id", info(r).ID, "path", r.URL.Path, "err", err)
	s.renderError(w, r, http.StatusInternalServerError, "web.error.internal")
}

// formError re-renders a form page with its errors: field errors next to
// their fields, anything else on top. Unexpected errors go to fail.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, name string, p *page, err error) {
	var fields apperr.Fields
	if errors.As(err, &fields) {
		p.Errors = map[string]string{}
		for _, f := range fields {
			if _, seen := p.Errors[f.Field]; !seen {
				p.Errors[f.Field] = i18n.T(p.Lang, f.Key, f.Args...)
			}
		}
		p.Error = i18n.T(p.Lang, "web.form.fix")
		s.render(w, r, http.StatusUnprocessableEntity, name, p)
		return
	}
	if e, ok := apperr.As(err); ok {
		if e.Field != "" {
			p.Errors = map[string]string{e.Field: i18n.T(p.Lang, e.Key, e.Args...)}
			p.Error = i18n.T(p.Lang, "web.form.fix")
		} else {
			p.Error = i18n.T(p.Lang, e.Key, e.Args...)
		}
		if e.Code == apperr.TooMany {
			w.Header().Set("Retry-After", "60")
		}
		s.render(w, r, statusOf(e.Code), name, p)
		return
	}
	s.fail(w, r, err)
}

// user returns the signed-in user or errNotSignedIn.
func user(r *http.Request) (*account.User, error) {
	if u := info(r).User; u != nil {
		return u, nil
	}
	return nil, errNotSignedIn
}
