package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/ui"
)

// What search engines and feed readers get (issue 13 §5): robots.txt,
// sitemaps of every published material, Atom feeds of new materials, a
// favicon at the address browsers ask for, and on every page (layout's
// "meta" partial) a description, OpenGraph and hreflang alternates.

// sitemapMax is the most URLs one sitemap file may list (sitemaps.org).
const sitemapMax = 50_000

// feedSize is how many of the newest materials a feed carries.
const feedSize = 50

// robots keeps crawlers out of pages that are personal, one-off or
// count something (downloads, language switches), and names the sitemap.
// The sign-in and registration pages themselves may be listed (a teacher
// looks for "smartustaz тіркелу"); their variants that carry where to go
// next ("/login?next=…") may not.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range []string{"/account", "/admin", "/materials/new", "/materials/*/files/", "/materials/*/edit",
		"/materials/*/certificate", "/lang/", "/login?", "/logout", "/register?", "/reset", "/setup", "/verify?"} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("\nSitemap: " + s.absolute("/sitemap.xml") + "\n")
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	w.Write([]byte(b.String()))
}

// favicon serves the icon at /favicon.ico, where browsers and feed
// readers look without reading the page.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	b, err := ui.File("favicon.ico")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/x-icon")
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "favicon.ico", time.Time{}, bytes.NewReader(b))
}

// absolute is path on the site's public address.
func (s *Server) absolute(path string) string {
	return strings.TrimRight(s.BaseURL, "/") + path
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemapPer is the URLs a sitemap file lists (Deps.SitemapURLs in
// tests, else the protocol's 50,000).
func (s *Server) sitemapPer() int {
	if s.SitemapURLs > 0 && s.SitemapURLs < sitemapMax {
		return s.SitemapURLs
	}
	return sitemapMax
}

// sitemap is /sitemap.xml: the site's fixed pages and every published
// material while they fit one file; past that, an index of files of
// sitemapPer materials each (/sitemaps/{start}.xml), found by keyset.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) {
	per := s.sitemapPer()
	starts, err := s.Library.SitemapStarts(r.Context(), per)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(starts) == 1 {
		s.sitemapFile(w, r, 0, true)
		return
	}
	idx := sitemapIndex{NS: sitemapNS}
	idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: s.absolute("/sitemaps/pages.xml")})
	for _, st := range starts {
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: s.absolute("/sitemaps/" + strconv.FormatInt(st, 10) + ".xml")})
	}
	writeXML(w, "application/xml; charset=utf-8", idx)
}

// sitemapPart is one file of the index: "pages.xml" (the fixed pages)
// or "{start}.xml" (the materials after id start).
func (s *Server) sitemapPart(w http.ResponseWriter, r *http.Request) {
	switch start, kind := sitemapFileOf(r.PathValue("file")); kind {
	case "pages":
		writeXML(w, "application/xml; charset=utf-8", urlset{NS: sitemapNS, URLs: s.fixedPages()})
	case "materials":
		s.sitemapFile(w, r, start, false)
	default:
		s.notFound(w, r)
	}
}

// sitemapFileOf reads a sitemap file's name: "pages", "materials" with
// the id it starts after, or "none".
func sitemapFileOf(file string) (int64, string) {
	name, ok := strings.CutSuffix(file, ".xml")
	if !ok {
		return 0, "none"
	}
	if name == "pages" {
		return 0, "pages"
	}
	start, err := strconv.ParseInt(name, 10, 64)
	if err != nil || start < 0 {
		return 0, "none"
	}
	return start, "materials"
}

// fixedPages are the public pages that are not materials.
func (s *Server) fixedPages() []sitemapURL {
	return []sitemapURL{{Loc: s.absolute("/")}, {Loc: s.absolute("/materials")}, {Loc: s.absolute("/agreement")}}
}

func (s *Server) sitemapFile(w http.ResponseWriter, r *http.Request, start int64, withPages bool) {
	es, err := s.Library.SitemapPage(r.Context(), start, s.sitemapPer())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set := urlset{NS: sitemapNS}
	if withPages {
		set.URLs = s.fixedPages()
	}
	for _, e := range es {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absolute(e.Path()), LastMod: e.Updated.UTC().Format("2006-01-02")})
	}
	writeXML(w, "application/xml; charset=utf-8", set)
}

func writeXML(w http.ResponseWriter, ctype string, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	publicPageHeaders(h)
	w.Write(buf.Bytes())
}

// The Atom feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"feed"`
	NS      string      `xml:"xmlns,attr"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Icon    string      `xml:"icon"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Link      atomLink     `xml:"link"`
	Author    *atomPerson  `xml:"author,omitempty"`
	Category  atomCategory `xml:"category"`
	Summary   string       `xml:"summary"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// feed is /feed.atom: the newest published materials, or with
// ?subject= one subject's, in the reader's language (?hl= or the usual
// choice). An unknown subject is a 404, not an empty feed.
func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := info(r).Lang
	tax, err := s.Library.Taxonomy(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	subject := r.URL.Query().Get("subject")
	title := i18n.T(l, "details.feed.title")
	self := "/feed.atom"
	if subject != "" {
		if _, ok := tax.Lookup(library.KindSubject, subject); !ok {
			s.notFound(w, r)
			return
		}
		name := tax.Name(library.KindSubject, subject, l)
		title = i18n.T(l, "details.feed.subject", name)
		self += "?subject=" + url.QueryEscape(subject)
	}
	page, err := s.Library.List(ctx, library.Filter{Subject: subject, Sort: library.SortNew}, library.Cursor{}, feedSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := atomFeed{NS: "http://www.w3.org/2005/Atom", Lang: string(l), ID: s.absolute(self), Title: title,
		Author: atomPerson{Name: "smartustaz"}, Icon: s.absolute("/favicon.ico"),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.absolute(self)},
			{Rel: "alternate", Type: "text/html", Href: s.absolute(catalogFor(subject))}}}
	updated := time.Unix(0, 0)
	for _, c := range page.Items {
		e := atomEntry{ID: s.absolute(library.MaterialPath(c.ID, "")), Title: c.Title,
			Updated: c.PublishedAt.UTC().Format(time.RFC3339), Published: c.PublishedAt.UTC().Format(time.RFC3339),
			Link:     atomLink{Rel: "alternate", Type: "text/html", Href: s.absolute(c.Path())},
			Category: atomCategory{Term: c.Subject, Label: tax.Name(library.KindSubject, c.Subject, l)},
			Summary: fmt.Sprintf("%s · %s · %s", tax.Name(library.KindSubject, c.Subject, l), tax.Name(library.KindGrade, c.Grade, l),
				tax.Name(library.KindType, c.Type, l))}
		if c.AuthorName != "" {
			e.Author = &atomPerson{Name: c.AuthorName}
		}
		if c.PublishedAt.After(updated) {
			updated = c.PublishedAt
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	writeXML(w, "application/atom+xml; charset=utf-8", f)
}

func catalogFor(subject string) string {
	if subject == "" {
		return "/materials"
	}
	return "/materials?subject=" + url.QueryEscape(subject)
}

// altLink is one hreflang alternate of a page.
type altLink struct{ Lang, Href string }

// pageMeta fills what the "meta" partial writes in every page's head:
// the page's address in each language (?hl=, which the language choice
// honours) and without one (x-default), and OpenGraph's locale.
func (s *Server) pageMeta(p *page, r *http.Request) {
	q := r.URL.Query()
	if q.Has("token") {
		// A page opened from an emailed link: its address holds a
		// secret, which is not repeated in the head.
		return
	}
	q.Del("hl")
	base := r.URL.Path
	plain := base
	if enc := q.Encode(); enc != "" {
		plain += "?" + enc
	}
	p.URL = s.absolute(plain)
	p.OGImage = s.absolute(ui.StaticPath("icon-512.png"))
	for _, l := range i18n.Langs {
		q.Set("hl", string(l))
		p.Alternates = append(p.Alternates, altLink{Lang: string(l), Href: s.absolute(base + "?" + q.Encode())})
	}
}

// cacheableType reports whether the page cache may keep an answer of
// this Content-Type: HTML pages, and the sitemaps and feeds, which are
// as public and as often asked for.
func cacheableType(ct string) bool {
	for _, p := range []string{"text/html", "application/xml", "application/atom+xml"} {
		if strings.HasPrefix(ct, p) {
			return true
		}
	}
	return false
}

// plainSummary is a description's first sentences as plain text, for
// <meta name="description"> and og:description (about 160 characters).
func plainSummary(markdown string) string {
	// A space before every closing tag keeps paragraphs and list items
	// apart once the tags are gone.
	marked := strings.ReplaceAll(string(renderMarkdown(markdown)), "</", " </")
	text := html.UnescapeString(stripTags.Sanitize(marked))
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > 160 {
		cut := string(r[:157])
		if i := strings.LastIndex(cut, " "); i > 100 {
			cut = cut[:i]
		}
		text = cut + "…"
	}
	return text
}

var stripTags = bluemonday.StrictPolicy()
