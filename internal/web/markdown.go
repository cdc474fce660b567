package web

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// A material's description is Markdown written by its author and shown to
// everyone, so it is untrusted HTML waiting to happen. goldmark (a
// CommonMark parser: no hand-written parser here) turns it into HTML with
// raw HTML left escaped; bluemonday then keeps only an allowlist of
// elements and attributes. The second pass is the guarantee: whatever a
// parser version or extension lets through (a javascript: link, an event
// attribute, an <iframe>), the allowlist does not. Images are dropped: an
// image from another site would tell that site who reads the page (and
// the CSP would block it anyway).
var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Table, extension.Linkify))
	sanitize = func() *bluemonday.Policy {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "hr", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote",
			"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td")
		p.AllowStandardURLs()
		p.AllowAttrs("href").OnElements("a")
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		return p
	}()
)

// renderMarkdown turns an author's Markdown into safe HTML.
func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitize.SanitizeBytes(buf.Bytes()))
}

// descriptionPreview renders a description as the material page will
// show it, for the editor's Preview (issue 13 §4). Signed-in users only
// (anyone else has nothing to preview), same-origin by the CSRF layer;
// the answer is the sanitised fragment, never cached.
func (s *Server) descriptionPreview(w http.ResponseWriter, r *http.Request) {
	if _, err := user(r); err != nil {
		s.fail(w, r, err)
		return
	}
	src := r.PostFormValue("description")
	if len(src) > maxDescriptionBytes {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "web.error.badform")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write([]byte(renderMarkdown(src)))
}

// maxDescriptionBytes bounds a preview: the form's 20,000 characters in
// the widest UTF-8 (4 bytes each).
const maxDescriptionBytes = 80_000
