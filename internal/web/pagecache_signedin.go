package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"html/template"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/library"
)

// Signed-in teachers read the same catalog, search results and material
// pages as everyone else; what is theirs is a few small parts (saved,
// their rating, their collections, following the author, the author's
// own controls). Routes wrapped with Server.shared keep one page per class
// of reader — language, scheme, "teacher" or "teacher with an unconfirmed
// address" — rendered for a teacher who is nobody in particular, with a
// marked hole where each personal part goes. Serving it fills the holes
// for the reader who asked, with fresh queries of their own rows; the
// rest comes from memory. Moderators and administrators see staff
// controls throughout and are not served from the cache.

// readerClass names the class of reader whose pages the cache may share
// (part of the key), or reports that this reader's pages are not kept:
// staff, a session cookie that found no session, a signed-in reader on a
// route that keeps anonymous pages only.
func readerClass(u *account.User, sessionCookie, signedIn bool) (string, bool) {
	switch {
	case u == nil && !sessionCookie:
		return "", true
	case u == nil || !signedIn || u.Role != account.RoleUser:
		return "", false
	case !u.EmailVerified:
		return "tu", true // the banner asking to confirm the address
	}
	return "t", true
}

// classReader is the request information of a teacher of ri.User's class
// who is nobody: no id, no session, no name. A page rendered for them
// holds nothing of the real reader's.
func (s *Server) classReader(ri *req) *req {
	c := *ri
	c.User = &account.User{Role: account.RoleUser, Status: account.StatusActive, EmailVerified: ri.User.EmailVerified, Locale: ri.User.Locale}
	c.Session, c.Token = nil, ""
	c.Holes = s.holeMark
	return &c
}

// noteMaterial tells the page cache which material a page rendered for a
// class of readers is about, for its personal parts.
func noteMaterial(r *http.Request, m *library.Material) {
	if n, ok := r.Context().Value(pageNoteKey{}).(*pageNote); ok {
		n.material = m
	}
}

// hole is where a personal part goes in a page rendered for a class of
// readers: an HTML comment with the server's secret mark, which no text a
// user wrote can forge.
func hole(p *page, name string) template.HTML {
	return template.HTML("<!--" + p.Holes + ":" + name + "-->")
}

// pagePart is a run of shared bytes, or a hole (name set).
type pagePart struct {
	hole    string
	plain   []byte
	deflate []byte // plain as a deflate stream, flushed and not final
}

// cutHoles splits a page at its holes; each shared run is compressed once
// here, so a personal page is gzipped by splicing (writePersonal).
func cutHoles(body []byte, mark string) []pagePart {
	open := []byte("<!--" + mark + ":")
	var parts []pagePart
	for {
		i := bytes.Index(body, open)
		if i < 0 {
			break
		}
		end := bytes.Index(body[i:], []byte("-->"))
		if end < 0 {
			break
		}
		if i > 0 {
			parts = append(parts, staticPart(body[:i]))
		}
		parts = append(parts, pagePart{hole: string(body[i+len(open) : i+end])})
		body = body[i+end+3:]
	}
	if len(body) > 0 {
		parts = append(parts, staticPart(body))
	}
	return parts
}

var flatePool = sync.Pool{New: func() any {
	zw, _ := flate.NewWriter(nil, flate.BestSpeed)
	return zw
}}

func staticPart(b []byte) pagePart {
	var out bytes.Buffer
	zw := flatePool.Get().(*flate.Writer)
	zw.Reset(&out)
	zw.Write(b)
	zw.Flush() // ends on a byte boundary, not final: more may follow
	flatePool.Put(zw)
	return pagePart{plain: b, deflate: out.Bytes()}
}

// writePersonal sends a kept page to a signed-in reader with their parts
// filled in: never kept by a browser or proxy, never 304 (the parts are
// fresh each time).
func (s *Server) writePersonal(w http.ResponseWriter, r *http.Request, e *cachedPage) {
	h := w.Header()
	h.Set("Content-Type", e.ctype)
	h.Set("Cache-Control", "no-store")
	f := &filler{s: s, r: r, e: e}
	fills := make([][]byte, len(e.parts))
	for i, p := range e.parts {
		if p.hole != "" {
			b, err := s.personalPart(f, p.hole)
			if err != nil {
				s.fail(w, r, fmt.Errorf("web: personal part %s: %w", p.hole, err))
				return
			}
			fills[i] = b
		}
	}
	if !acceptsGzip(r) {
		n := 0
		for i, p := range e.parts {
			n += len(p.plain) + len(fills[i])
		}
		h.Set("Content-Length", strconv.Itoa(n))
		w.WriteHeader(http.StatusOK)
		// One write, as a visitor's kept page is sent: written part by
		// part, the pieces went out through the connection's small
		// buffer in a system call each, which cost a signed-in page
		// most of its time under load.
		bp := pageBufs.Get().(*[]byte)
		b := (*bp)[:0]
		for i, p := range e.parts {
			if p.hole != "" {
				b = append(b, fills[i]...)
			} else {
				b = append(b, p.plain...)
			}
		}
		w.Write(b)
		if cap(b) <= 1<<20 { // a rare huge page is not kept for the next
			*bp = b
			pageBufs.Put(bp)
		}
		return
	}
	gz := spliceGzip(e.parts, fills)
	h.Set("Content-Encoding", "gzip")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Length", strconv.Itoa(len(gz)))
	w.WriteHeader(http.StatusOK)
	w.Write(gz)
}

// pageBufs holds the buffers a signed-in reader's plain page is joined in.
var pageBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// personalPart is one reader's part of a kept page, itself kept: under
// the page's key and the reader's id, so no other reader can be given it,
// and emptied with the pages. What it shows changes only by the reader's
// own forms (save, rate, collections, follow), and every form a signed-in
// user sends empties the cache here and on every other node; a change
// made otherwise (the command line) shows within the TTL, as on the
// pages.
func (s *Server) personalPart(f *filler, name string) ([]byte, error) {
	c := s.pages
	key := f.e.key + "|u" + strconv.FormatInt(info(f.r).User.ID, 10) + "|" + name
	if k := c.get(key, time.Now()); k != nil {
		return k.body, nil
	}
	gen, seq := c.generation()
	b, err := f.fill(name)
	if err != nil {
		return nil, err
	}
	k := &cachedPage{key: key, gen: gen, seq: seq, expires: f.e.expires, body: b}
	c.put(k)
	return b, nil
}

// spliceGzip makes one gzip member (RFC 1952) of the shared runs'
// deflate streams and the holes' bytes as stored blocks (RFC 1951 §3.2.4):
// each run was flushed to a byte boundary, so the pieces join into one
// valid stream without compressing the page again.
func spliceGzip(parts []pagePart, fills [][]byte) []byte {
	n := 20
	for i, p := range parts {
		n += len(p.deflate) + len(fills[i]) + 5
	}
	out := make([]byte, 0, n)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff)
	crc, size := uint32(0), uint32(0)
	for i, p := range parts {
		if p.hole == "" {
			out = append(out, p.deflate...)
			crc = crc32.Update(crc, crc32.IEEETable, p.plain)
			size += uint32(len(p.plain))
			continue
		}
		b := fills[i]
		crc = crc32.Update(crc, crc32.IEEETable, b)
		size += uint32(len(b))
		for len(b) > 0 {
			c := b[:min(len(b), 0xffff)]
			l := uint16(len(c))
			out = append(out, 0, byte(l), byte(l>>8), byte(^l), byte(^l>>8))
			out = append(out, c...)
			b = b[len(c):]
		}
	}
	out = append(out, 1, 0, 0, 0xff, 0xff) // the final block, empty
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, size)
}

// filler renders the personal parts of one kept page for one reader,
// reading their rows once for all its holes.
type filler struct {
	s    *Server
	r    *http.Request
	e    *cachedPage
	data *materialData
}

func (f *filler) fill(name string) ([]byte, error) {
	switch name {
	case "mat-social", "mat-yours":
		return f.material(name)
	}
	return nil, nil // a hole of a newer node's page during a rolling upgrade
}

// material renders a part of the material page for the reader: the
// social actions (saved, rating, collections, following) for a reader,
// the author's own controls for its author.
func (f *filler) material(name string) ([]byte, error) {
	m := f.e.material
	if m == nil {
		return nil, nil
	}
	ri := info(f.r)
	if f.data == nil {
		d := &materialData{M: m, IsAuthor: ri.User.ID == m.AuthorID}
		if !d.IsAuthor {
			so := socialData{Stars: []int{5, 4, 3, 2, 1}, Moderated: !f.s.Library.PublishesImmediately()}
			if err := f.s.personalSocial(f.r.Context(), ri.User, m, &so); err != nil {
				return nil, err
			}
			d.Social = so
		}
		f.data = d
	}
	t, ok := f.s.tmpl[ri.Lang]["materials_show"]
	if !ok {
		return nil, fmt.Errorf("web: no materials_show template for %s", ri.Lang)
	}
	var buf bytes.Buffer
	p := &page{Lang: ri.Lang, User: ri.User, Data: *f.data}
	if err := t.ExecuteTemplate(&buf, name, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// personalSocial fills what of the material page's social part is the
// reader's own.
func (s *Server) personalSocial(ctx context.Context, u *account.User, m *library.Material, d *socialData) error {
	var err error
	if d.Saved, err = s.Library.IsFavourite(ctx, u.ID, m.ID); err != nil {
		return err
	}
	if d.MyStars, err = s.Library.MyRating(ctx, u.ID, m.ID); err != nil {
		return err
	}
	if d.Following, err = s.Library.IsFollowing(ctx, u.ID, m.AuthorID); err != nil {
		return err
	}
	d.Collections, err = s.Library.Collections(ctx, u.ID, false)
	return err
}
