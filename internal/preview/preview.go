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
// in material_previews, whose SQL lives here. The library tells the
// worker when a material is published (Enqueue) and answers the questions
// in Catalog; at start the worker pages through every published file
// for those without images yet (and again when an administrator asks to
// retry failed files), and prunes images of files that no longer exist.
package preview

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
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
	// Workers is how many files are converted at once (default: half the
	// processors, at least one — one on a two-core machine, so the site
	// keeps a core for its visitors).
	Workers int
	// Queue bounds the materials waiting (default 1000); when it is full
	// a newly published material waits for the next catch-up pass.
	Queue int
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
	DefaultQueue   = 1000
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
	pruneBatch   = 5000
	catchUpBatch = 500 // files looked at per keyset page of the catch-up
)

// Service makes and serves page images.
type Service struct {
	db    *db.DB
	store blob.Store
	o     Options

	mu    sync.Mutex
	tools Tools
	// making holds the files being drawn in this process now: a file
	// queued twice (at publication and by the catch-up) is drawn by one
	// worker while the other moves on. Across nodes, record keeps the
	// first outcome; only the work is done twice there.
	making map[int64]bool

	queue chan job
	// backlog holds files the catch-up found without an outcome. Workers
	// take newly published materials (queue) first; the catch-up waits
	// for room here, so walking a large library holds one page of files
	// in memory and never crowds out new work.
	backlog chan job
	// kick asks for a catch-up pass (buffered: a request made during a
	// pass runs one more pass after it).
	kick       chan struct{}
	catchingUp atomic.Bool
	running    atomic.Int32
	catalog    Catalog
	started    atomic.Bool
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	// ready is closed once the tools' versions and isolation are known;
	// no conversion starts before.
	ready chan struct{}
	// pruneAfter is where the next pruning pass resumes (a file id).
	pruneAfter int64
}

// job is one material to look at, or one file (from the catch-up).
type job struct {
	material int64
	file     *File
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
	if o.Queue <= 0 {
		o.Queue = DefaultQueue
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
	s := &Service{db: d, store: store, o: o, queue: make(chan job, o.Queue), backlog: make(chan job, o.Workers),
		kick: make(chan struct{}, 1), ready: make(chan struct{})}
	s.kick <- struct{}{} // the first pass, once Start runs
	if o.Off {
		s.tools = Tools{LibreOffice: Tool{Name: "soffice"}, Poppler: Tool{Name: "pdftoppm"}, Off: true, Checked: true}
	} else {
		s.tools = findTools(o.LookPath)
	}
	return s
}

// Start runs the workers until ctx ends or Stop is called: first it reads
// the tools' versions, then catches up on published files without images
// and prunes images of files that are gone (and again every few hours).
// Call it once.
func (s *Service) Start(ctx context.Context, c Catalog) {
	if !s.started.CompareAndSwap(false, true) {
		return
	}
	s.catalog = c
	ctx, s.cancel = context.WithCancel(ctx)
	for range s.o.Workers {
		s.wg.Go(func() { s.work(ctx) })
	}
	s.wg.Go(func() { s.catchUps(ctx) })
	s.wg.Go(func() {
		s.removeStale()
		s.detectVersions(ctx)
		close(s.ready)
		t := time.NewTicker(pruneEvery)
		defer t.Stop()
		for {
			s.prune(ctx, pruneBatch)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}

// Stop ends the workers (a running conversion is killed; its file is
// tried again at a later start) and waits for them.
func (s *Service) Stop() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

// Enqueue asks for the images of a material's files; it never blocks.
// The library calls it when a material enters the catalog.
func (s *Service) Enqueue(materialID int64) {
	if !s.started.Load() {
		return // no worker (page images turned off): nothing would take it
	}
	select {
	case s.queue <- job{material: materialID}:
	default:
		s.o.Log.Warn("preview: queue full; the material waits for the next catch-up", "material", materialID)
		s.wake()
	}
}

// wake asks for a catch-up pass without waiting for it.
func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default: // one is already asked for
	}
}

func (s *Service) work(ctx context.Context) {
	select {
	case <-s.ready:
	case <-ctx.Done():
		return
	}
	for {
		var j job
		// Newly published materials first, then the catch-up's files.
		select {
		case j = <-s.queue:
		default:
			select {
			case <-ctx.Done():
				return
			case j = <-s.queue:
			case j = <-s.backlog:
			}
		}
		s.running.Add(1)
		s.do(ctx, j)
		s.running.Add(-1)
	}
}

func (s *Service) do(ctx context.Context, j job) {
	files := []File{}
	if j.file != nil {
		files = append(files, *j.file)
	} else {
		var err error
		if files, err = s.catalog.PublishedFiles(ctx, j.material); err != nil {
			if ctx.Err() == nil {
				s.o.Log.Warn("preview: list files", "material", j.material, "err", err)
			}
			return
		}
	}
	for _, f := range files {
		if err := s.Make(ctx, f); err != nil && ctx.Err() == nil {
			s.o.Log.Warn("preview: make", "file", f.ID, "kind", f.Kind, "err", err)
		}
	}
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
	if !s.claim(f.ID) {
		return nil // another worker is drawing it now
	}
	defer s.unclaim(f.ID)
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
		return s.record(ctx, f, nil, fail.note)
	case err != nil:
		return fmt.Errorf("preview: %w", err)
	}
	if err := s.record(ctx, f, pages, ""); err != nil {
		return err
	}
	s.drawn(f)
	return nil
}

// claim marks a file as being drawn by the caller, unless another
// caller is drawing it.
func (s *Service) claim(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.making[id] {
		return false
	}
	if s.making == nil {
		s.making = map[int64]bool{}
	}
	s.making[id] = true
	return true
}

func (s *Service) unclaim(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.making, id)
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
