package web

// Page images of material files (internal/preview): the material page's
// part, the image route, and the administrator's status page.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/library"
	"github.com/smartustaz/smartustaz/internal/preview"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// started is when the process started (this package is initialised at
// start), for the status page's uptime.
var started = time.Now()

// previewData is the page images part of the material page.
type previewData struct {
	Files []previewFile
	// Missing: a file of this material could have page images with tools
	// this server lacks (said to staff only).
	Missing bool
}

// previewFile is one file's page images.
type previewFile struct {
	Name  string
	Pages []previewImage
}

// previewImage is one page image as the template shows it.
type previewImage struct {
	URL           string
	Width, Height int
	Alt           string
}

// pageExt is the ending of a file's page image addresses: a jpg file is
// its own page; everything else is drawn as PNG.
func pageExt(kind string) string {
	if kind == "jpg" {
		return "jpg"
	}
	return "png"
}

// materialPreviews gathers the page images of m's files. A failure only
// leaves the page with its text preview (and is logged).
func (s *Server) materialPreviews(ctx context.Context, m *library.Material, lang i18n.Lang) previewData {
	var d previewData
	if s.Previews == nil || len(m.Files) == 0 {
		return d
	}
	ids := make([]int64, len(m.Files))
	for i, f := range m.Files {
		ids[i] = f.ID
		if preview.Previewable(f.Kind) && !s.Previews.Can(f.Kind) {
			d.Missing = true
		}
	}
	pages, err := s.Previews.Pages(ctx, ids)
	if err != nil {
		s.Log.Warn("preview pages", "material", m.ID, "err", err)
		return d
	}
	for _, f := range m.Files {
		ps := pages[f.ID]
		if len(ps) == 0 {
			continue
		}
		pf := previewFile{Name: f.Name}
		for _, p := range ps {
			pf.Pages = append(pf.Pages, previewImage{
				URL:   fmt.Sprintf("/materials/%d/files/%d/pages/%d.%s", m.ID, f.ID, p.N, pageExt(f.Kind)),
				Width: p.Width, Height: p.Height, Alt: i18n.T(lang, "preview.pages.alt", f.Name, p.N),
			})
		}
		d.Files = append(d.Files, pf)
	}
	return d
}

// previewImage serves page n of a file ("2.png") to whoever may see the
// material. The bytes behind an address never change (a file row is
// never updated; an edit makes new files), so browsers keep them a year;
// "private" keeps shared caches out, so a material taken down stops
// being served at once.
func (s *Server) previewImage(w http.ResponseWriter, r *http.Request) {
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
	num, ext, _ := strings.Cut(r.PathValue("page"), ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || s.Previews == nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	ctx := r.Context()
	_, f, err := s.Library.File(ctx, mid, fid, viewer(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ext != pageExt(f.Kind) {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	p, err := s.Previews.Page(ctx, f.ID, n)
	var rc io.ReadSeekCloser
	if err == nil {
		rc, err = s.Previews.Open(ctx, p)
	}
	if errors.Is(err, preview.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", "image/"+map[string]string{"jpg": "jpeg", "png": "png"}[ext])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", `"`+p.SHA256+`"`)
	http.ServeContent(w, r, "", time.Time{}, rc)
}

// statusData is what the status page shows.
type statusData struct {
	Preview            preview.Status
	Engine             string
	GoVersion          string
	Started            time.Time
	Uptime             [3]int // days, hours, minutes
	TimeoutSeconds     int
	PublishImmediately bool
	// CanRetry: the viewer is an administrator and may clear failed
	// page images (and failed jobs) for another try.
	CanRetry bool
	// Admin: the viewer may run failed jobs again.
	Admin bool
	// Processors is the register of processors (handlers_privacy.go),
	// with a warning for one abroad or of unknown country (law L7, L18).
	Processors []privacy.Processor
	// Jobs are the background jobs not done, by kind; JobFailures the
	// latest that failed for good (handlers_jobs.go).
	Jobs        []jobCount
	JobFailures []jobs.Failure
}

// adminStatus shows operators what is installed and how the previews
// are doing, with a few cheap facts about the running site; nothing
// personal.
func (s *Server) adminStatus(w http.ResponseWriter, r *http.Request) {
	d := statusData{Engine: string(s.DB.Engine()), GoVersion: runtime.Version(), Started: started,
		PublishImmediately: s.Library.PublishesImmediately()}
	up := time.Since(started)
	d.Uptime = [3]int{int(up / (24 * time.Hour)), int(up/time.Hour) % 24, int(up/time.Minute) % 60}
	if s.Previews != nil {
		st, err := s.Previews.Status(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Preview = st
		d.TimeoutSeconds = int(st.Timeout / time.Second)
	}
	if err := s.jobStatus(r.Context(), &d); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Admin = adminOnly(info(r).User.Role)
	var err error
	if d.Processors, err = s.privacy.processors.List(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	d.CanRetry = s.Previews != nil && d.Admin
	pg := s.newPage(r, "preview.status.title")
	if n, err := strconv.Atoi(r.URL.Query().Get("retried")); err == nil && n >= 0 {
		pg.Notice = i18n.T(pg.Lang, "preview.status.retried", n)
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("jobs_retried")); err == nil && n >= 0 {
		pg.Notice = i18n.T(pg.Lang, "jobs.status.retried", n)
	}
	pg.Data = d
	s.render(w, r, http.StatusOK, "admin_status", pg)
}

// adminPreviewRetry clears the outcomes of files whose page images could
// not be made (a tool failed or ran out of time, or the pages came out
// blank), so the worker draws them again in the background — after a
// tool was installed or updated, or a generator of such files fixed.
func (s *Server) adminPreviewRetry(w http.ResponseWriter, r *http.Request) {
	if s.Previews == nil {
		s.renderError(w, r, http.StatusNotFound, "library.notfound")
		return
	}
	n, err := s.Previews.RetryFailed(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Log.Info("preview: failed page images cleared for another try", "files", n)
	http.Redirect(w, r, "/admin/status?retried="+strconv.Itoa(n), http.StatusSeeOther)
}
