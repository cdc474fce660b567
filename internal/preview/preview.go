// Package preview makes page images of material files (issue 3 §3: "a
// preview: the text of the first pages, and page images where LibreOffice
// and poppler are installed"). The first pages (at most three) of a PDF
// are drawn as PNG by poppler's pdftoppm; office documents (doc, docx,
// ppt, pptx, xls, xlsx, odt, odp, rtf) are first turned into a PDF by
// LibreOffice (soffice --headless --convert-to pdf); a jpg or png needs
// no tool, the file itself is shown. Both tools are optional: without
// them nothing is drawn, the material page shows the text preview, and the
// administrator's status page says what is missing.
//
// The files are untrusted, so a conversion runs in a private temporary
// folder (removed afterwards) with a fixed input name, an empty
// environment, its own LibreOffice profile that blocks external links and
// macros, a timeout that kills the whole process group, no network where
// the kernel allows a private network namespace, and bounded output; no
// shell is involved. At most Options.Workers conversions run at once, in
// the background: a request never waits for one.
//
// The images are stored in the blob store under their SHA-256 and recorded
// in material_previews, whose SQL lives here. The drawing is work in the
// durable job queue (internal/jobs): the library enqueues a job per file
// in the transaction that publishes a material (EnqueueTx), any node that
// draws takes it, and a node killed mid-job leaves it to another after
// the lease. A catch-up (at each drawing node's start, and when an
// administrator retries failed files) walks the published files a page
// per job for those without images; a pruning pass every six hours, once
// across the nodes, removes images of files that no longer exist.
package preview

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"runtime"
	"sync"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
)

// File is a material file as the library stores it: its id, the SHA-256
// it is stored under, its kind as internal/extract sniffed it, its size.
type File struct {
	ID         int64
	MaterialID int64 // the material it belongs to (0 when not known)
	SHA256     string
	Kind       string
	Size       int64
}

// Catalog is what the worker asks the library (library.Service answers).
type Catalog interface {
	// PublishedFiles lists the files of a material if it is published,
	// none otherwise.
	PublishedFiles(ctx context.Context, materialID int64) ([]File, error)
	// RecentFiles lists files of published materials, newest first, whose
	// ids are below before (0: from the newest): a keyset page, so the
	// catch-up walks the whole library a page at a time.
	RecentFiles(ctx context.Context, before int64, limit int) ([]File, error)
	// ExistingFiles reports which of ids are still files of a material.
	ExistingFiles(ctx context.Context, ids []int64) (map[int64]bool, error)
	// ReleaseBlob deletes the stored file sha unless a material file, a
	// page image or an upload in progress on any node refers to it.
	ReleaseBlob(ctx context.Context, sha string) error
	// HoldBlob keeps sha from being deleted by any node from before it is
	// stored until release is called (after its rows are written).
	HoldBlob(ctx context.Context, sha string) (release func(), err error)
}

// Options configure the service; zero values take the defaults.
type Options struct {
	// LookPath finds a program (default exec.LookPath); tests pass one
	// that finds nothing to run the site as it is without the tools.
	LookPath func(string) (string, error)
	// Off: the operator turned page images off (--page-images=false). No
	// tool is looked for, so the service behaves as without them, and
	// Tools says why.
	Off bool
	// Workers is how many files this node converts at once (default:
	// half the processors, at least one — one on a two-core machine, so
	// the site keeps a core for its visitors).
	Workers int
	// Timeout bounds each tool run (default 2 minutes).
	Timeout time.Duration
	// Width is the width of a page image in pixels (default 800).
	Width int
	// Pages is how many first pages are drawn (default 3).
	Pages int
	// TempDir is where conversions run ("" = the system's).
	TempDir string
	// Log receives conversion failures; nil discards them.
	Log *slog.Logger
	// Now is the clock.
	Now func() time.Time
	// Drawn is told the material whose file just got page images (drawn,
	// or copied from a file of the same content), so a cache of the
	// material's page can forget it: the web server's page cache keeps
	// material pages for readers who are not signed in.
	Drawn func(materialID int64)
}

// Defaults.
const (
	DefaultTimeout = 2 * time.Minute
	DefaultWidth   = 800
	DefaultPages   = 3
)

// Limits of what a conversion may produce; anything larger is a failure.
const (
	maxInput     = 256 << 20 // bytes of a stored file copied out for a tool
	maxPDF       = 200 << 20 // bytes of the PDF LibreOffice writes
	maxPNG       = 16 << 20  // bytes of one page image
	heightFactor = 3         // a page image is at most 3 × Width tall
	pruneEvery   = 6 * time.Hour
	pruneBatch   = 500 // outcome rows looked at per pruning job
	catchUpBatch = 500 // files looked at per catch-up job (a keyset page)
)

// Queue is the job queue (internal/jobs) of page images: a node draws
// only if it works this queue (serve does unless --page-images=false).
const Queue = "previews"

// Service makes and serves page images.
type Service struct {
	db    *db.DB
	store blob.Store
	o     Options
	// q is the job queue the drawing is done through (Register); nil
	// draws nothing in the background.
	q *jobs.Queue

	mu      sync.Mutex
	tools   Tools
	catalog Catalog
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	// ready is closed once the tools' versions and isolation are known;
	// no conversion starts before.
	ready chan struct{}
}

// New returns the service over d and store and finds the tools (a PATH
// lookup, no process is started; versions are read by Start).
func New(d *db.DB, store blob.Store, o Options) *Service {
	if o.LookPath == nil {
		o.LookPath = exec.LookPath
	}
	if o.Workers <= 0 {
		o.Workers = max(1, runtime.NumCPU()/2)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	if o.Pages <= 0 {
		o.Pages = DefaultPages
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{db: d, store: store, o: o, ready: make(chan struct{})}
	if o.Off {
		s.tools = Tools{LibreOffice: Tool{Name: "soffice"}, Poppler: Tool{Name: "pdftoppm"}, Off: true, Checked: true}
	} else {
		s.tools = findTools(o.LookPath)
	}
	return s
}

// Workers is how many files this node converts at once: serve works
// Queue with this many.
func (s *Service) Workers() int { return s.o.Workers }

// Start readies this node to draw until ctx ends or Stop is called: it
// removes what killed conversions left behind, reads the tools' versions,
// then asks for a catch-up over c's published files (files published
// before the tools were installed, or by a bulk load) and a pruning pass.
// Both only read where there is nothing to do, and a file is drawn once
// however many nodes start. Call it once, on nodes that draw.
func (s *Service) Start(ctx context.Context, c Catalog) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return
	}
	s.started = true
	s.catalog = c
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Go(func() {
		s.removeStale()
		s.detectVersions(ctx)
		close(s.ready)
		if err := s.CatchUp(ctx); err != nil && ctx.Err() == nil {
			s.o.Log.Warn("preview: catch-up", "err", err)
		}
		if q := s.queue(); q != nil {
			if err := q.Enqueue(ctx, pruneArgs{}); err != nil && ctx.Err() == nil {
				s.o.Log.Warn("preview: prune", "err", err)
			}
		}
	})
}

// Stop waits for Start's work (a running conversion is the job queue's:
// stopping the queue cancels it, and the file is drawn again by any node).
func (s *Service) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	s.wg.Wait()
}

// cat is the catalog Start was given (nil before).
func (s *Service) cat() Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.catalog
}

// Can reports whether images of a file of this kind can be made with the
// tools installed.
func (s *Service) Can(kind string) bool {
	t := s.Tools()
	switch {
	case imageKinds[kind]:
		return true
	case kind == "pdf":
		return t.Poppler.Installed()
	case officeKinds[kind]:
		return t.Poppler.Installed() && t.LibreOffice.Installed()
	}
	return false
}

// Previewable reports whether a kind ever gets page images (with every
// tool installed): documents and images, not text or zip files.
func Previewable(kind string) bool {
	return imageKinds[kind] || kind == "pdf" || officeKinds[kind]
}

var (
	imageKinds  = map[string]bool{"jpg": true, "png": true}
	officeKinds = map[string]bool{"doc": true, "docx": true, "ppt": true, "pptx": true, "xls": true, "xlsx": true,
		"odt": true, "odp": true, "rtf": true}
)

// Make draws the images of one file now, unless it was tried before, its
// content was drawn for another file (the rows are copied), or the tools
// it needs are missing (nothing is recorded, so installing them later
// makes its images). A file the tools cannot convert is recorded as
// failed and not tried again until an administrator asks (RetryFailed).
func (s *Service) Make(ctx context.Context, f File) error {
	if !s.Can(f.Kind) || !blob.ValidSHA(f.SHA256) {
		return nil
	}
	// The queue runs one job per file at a time; a second Make of the
	// same file (another job, another node) finds the outcome, or
	// records nothing over the first one's.
	if done, err := s.tried(ctx, f.ID); err != nil || done {
		return err
	}
	if ok, err := s.reuse(ctx, f); err != nil || ok {
		if ok {
			s.drawn(f)
		}
		return err
	}
	pages, err := s.render(ctx, f)
	// Held from before they were stored until their rows exist, so that
	// pruning the same image elsewhere cannot delete it in between.
	defer releasePages(pages)
	var fail *failure
	switch {
	case ctx.Err() != nil:
		// Stopped: not the file's fault; tried again at a later start.
		return ctx.Err()
	case errors.As(err, &fail):
		s.o.Log.Info("preview: file not converted", "file", f.ID, "kind", f.Kind, "why", fail.note, "err", fail.err)
		_, err := s.record(ctx, f, nil, fail.note)
		return err
	case err != nil:
		return fmt.Errorf("preview: %w", err)
	}
	first, err := s.record(ctx, f, pages, "")
	if err != nil {
		return err
	}
	if first {
		s.drawn(f)
	}
	return nil
}

func (s *Service) drawn(f File) {
	if s.o.Drawn != nil && f.MaterialID != 0 {
		s.o.Drawn(f.MaterialID)
	}
}

// failure is a file the tools could not convert: recorded, and not
// retried unless RetryFailed clears it.
type failure struct {
	note string
	err  error
}

func (f *failure) Error() string { return "preview: " + f.note + ": " + f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func failed(note string, err error) error { return &failure{note: note, err: err} }

// page is one drawn page ready to record.
type page struct {
	sha           string
	width, height int
	release       func() // the hold on a stored image, dropped once recorded
}

// releasePages drops the holds on drawn pages' images.
func releasePages(pages []page) {
	for _, p := range pages {
		if p.release != nil {
			p.release()
		}
	}
}
