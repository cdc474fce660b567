package web

// A picture per catalog card (issue 13, section 1): a thumbnail of the
// first page of the material's first file where a page image exists
// (internal/preview), a file-type icon otherwise.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/smartustaz/smartustaz/internal/preview"
)

// thumbView is a card's picture: a thumbnail (URL set) or an icon (Kind).
type thumbView struct {
	URL           string
	Width, Height int // CSS pixels: half the image's
	Kind          string
}

// withPictures gives each card its picture. A failure leaves the cards
// with icons only (and is logged): pictures never fail a list.
func (s *Server) withPictures(ctx context.Context, cards []cardView) {
	if len(cards) == 0 {
		return
	}
	ids := make([]int64, len(cards))
	for i, c := range cards {
		ids[i] = c.ID
	}
	files, err := s.Library.FirstFiles(ctx, ids)
	if err != nil {
		s.Log.Warn("card pictures", "err", err)
		return
	}
	pages := map[int64][]preview.Page{}
	if s.Previews != nil {
		fids := make([]int64, 0, len(files))
		for _, f := range files {
			fids = append(fids, f.ID)
		}
		if pages, err = s.Previews.Pages(ctx, fids); err != nil {
			s.Log.Warn("card pictures", "err", err)
			pages = map[int64][]preview.Page{}
		}
	}
	for i := range cards {
		f, ok := files[cards[i].ID]
		if !ok {
			continue
		}
		cards[i].Picture = thumbView{Kind: strings.ToUpper(f.Kind)}
		if ps := pages[f.ID]; len(ps) > 0 && ps[0].N == 1 && preview.Thumbable(ps[0].Width, ps[0].Height) {
			w, h := preview.ThumbSize(ps[0].Width, ps[0].Height)
			cards[i].Picture.URL = fmt.Sprintf("/materials/%d/files/%d/thumb.png", cards[i].ID, f.ID)
			cards[i].Picture.Width, cards[i].Picture.Height = w/2, h/2
		}
	}
}

// thumbs keeps the thumbnails this process made, by page image: a
// thumbnail is derived from immutable bytes, so any process may make its
// own and none needs another's. Browsers keep them a year.
type thumbCache struct {
	mu     sync.Mutex
	m      map[string][]byte
	flight singleflight.Group
}

// thumbCacheMax bounds the cache: about 3 KB a thumbnail of a typical page.
const thumbCacheMax = 8192

func (c *thumbCache) get(sha string, build func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.m[sha]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	v, err, _ := c.flight.Do(sha, func() (any, error) {
		b, err := build()
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= thumbCacheMax {
			c.m = map[string][]byte{}
		}
		c.m[sha] = b
		c.mu.Unlock()
		return b, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// thumbnail serves the thumbnail of page 1 of a file to whoever may see
// the material, with the page image route's headers.
func (s *Server) thumbnail(w http.ResponseWriter, r *http.Request) {
	mid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fid, err := pathID(r, "file")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.Previews == nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	ctx := r.Context()
	_, f, err := s.Library.File(ctx, mid, fid, viewer(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Previews.Page(ctx, f.ID, 1)
	if err == nil && !preview.Thumbable(p.Width, p.Height) {
		err = preview.ErrNotFound
	}
	var b []byte
	if err == nil {
		b, err = s.thumbs.get(p.SHA256, func() ([]byte, error) {
			rc, err := s.Previews.Open(ctx, p)
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return preview.Thumbnail(rc)
		})
	}
	if errors.Is(err, preview.ErrNotFound) || errors.Is(err, preview.ErrTooLarge) {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", `"t`+p.SHA256+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}
