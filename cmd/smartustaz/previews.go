package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/preview"
)

// newQueue opens the durable job queue of serve (internal/jobs) with every
// kind of job registered — a node rescues lost jobs of any kind, so it
// must know them all — and makes this node draw page images unless they
// are turned off here.
func newQueue(d *db.DB, log *slog.Logger, pv *preview.Service, pageImages bool, dataDir string) (*jobs.Queue, error) {
	q, err := jobs.New(d, jobs.Options{Log: log, Node: nodeName(dataDir)})
	if err != nil {
		return nil, err
	}
	if err := pv.Register(q); err != nil {
		return nil, err
	}
	if pageImages {
		if err := q.Work(preview.Queue, pv.Workers()); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// nodeName is this node's name in the jobs it takes: the same at every
// start (the host and the data folder, which no two running nodes share),
// so that after a crash the restarted node takes back at once the jobs it
// was running (jobs.Queue.Start) instead of waiting for their lease.
func nodeName(dataDir string) string {
	host, _ := os.Hostname()
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return fmt.Sprintf("%s-%x", host, sum[:4])
}

// newPreviews makes the page image service of serve (internal/preview)
// and says on start which optional tools it found, so an operator sees
// at once why material pages have no page images.
func newPreviews(d *db.DB, store blob.Store, log *slog.Logger, stdout io.Writer, enabled bool, drawn func(materialID int64)) *preview.Service {
	// Off: the service behaves as on a server without the tools (and
	// says it was turned off), and serve does not start its worker.
	o := preview.Options{Log: log, Drawn: drawn, Off: !enabled}
	pv := preview.New(d, store, o)
	t := pv.Tools()
	switch {
	case !enabled:
		fmt.Fprintln(stdout, "smartustaz: page images turned off (--page-images=false): material pages show the text preview")
	case t.LibreOffice.Installed() && t.Poppler.Installed():
		fmt.Fprintf(stdout, "smartustaz: page images with %s and %s\n", t.LibreOffice.Path, t.Poppler.Path)
	case t.Poppler.Installed():
		fmt.Fprintln(stdout, "smartustaz: LibreOffice (soffice) not found: office documents show their text only; PDFs get page images")
	default:
		fmt.Fprintln(stdout, "smartustaz: poppler (pdftoppm) not found: no page images, material pages show the text preview (see /admin/status)")
	}
	return pv
}
