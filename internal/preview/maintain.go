package preview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/jobs"
)

// The page images' work in the job queue (internal/jobs): drawing a file,
// a page of the catch-up, a page of the pruning.

// drawArgs asks for the images of one file (ids as strings: see
// jobs.Args). The job is unique while it waits or runs, so a file asked
// for by its publication and by a catch-up is drawn by one job; Retry
// (an id of each time an administrator asks to retry failed files) makes a retry a
// new request, not a duplicate of a job that may be past reading the
// outcome the retry cleared.
type drawArgs struct {
	FileID     int64  `json:"file_id,string"`
	MaterialID int64  `json:"material_id,string"`
	SHA256     string `json:"sha256"`
	FileKind   string `json:"kind"`
	Size       int64  `json:"size,string"`
	Retry      int64  `json:"retry,string"`
}

func newDraw(f File, retry int64) drawArgs {
	return drawArgs{FileID: f.ID, MaterialID: f.MaterialID, SHA256: f.SHA256, FileKind: f.Kind, Size: f.Size, Retry: retry}
}

func (a drawArgs) file() File {
	return File{ID: a.FileID, MaterialID: a.MaterialID, SHA256: a.SHA256, Kind: a.FileKind, Size: a.Size}
}

func (drawArgs) Kind() string { return "preview.draw" }

// catchUpArgs asks for a page of the catch-up: published files with ids
// below Before (0: from the newest); Retry is passed on to the drawings.
type catchUpArgs struct {
	Before int64 `json:"before,string"`
	Retry  int64 `json:"retry,string"`
}

func (catchUpArgs) Kind() string { return "preview.catchup" }

// pruneArgs asks for a page of the pruning: outcome rows of files with
// ids above After.
type pruneArgs struct {
	After int64 `json:"after,string"`
}

func (pruneArgs) Kind() string { return "preview.prune" }

// Register puts the page images' work on q: every node registers it (the
// leader that rescues a lost job must know its kind), and the nodes that
// draw work Queue and call Start. The pruning runs every six hours, once
// across the nodes.
func (s *Service) Register(q *jobs.Queue) error {
	s.mu.Lock()
	s.q = q
	s.mu.Unlock()
	// An attempt may run LibreOffice and then poppler, each up to Timeout.
	draw := jobs.Kind{Queue: Queue, Unique: true, MaxAttempts: 5, Timeout: 2*s.o.Timeout + time.Minute}
	jobs.Register(q, draw, func(ctx context.Context, a drawArgs) error {
		select {
		case <-s.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
		return s.Make(ctx, a.file())
	})
	walk := jobs.Kind{Queue: Queue, Unique: true, MaxAttempts: 5}
	jobs.Register(q, walk, s.catchUpPage)
	jobs.Register(q, walk, s.prunePage)
	return q.Every(pruneEvery, pruneArgs{})
}

func (s *Service) queue() *jobs.Queue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.q
}

// EnqueueTx asks, inside the transaction that publishes a material, for
// the images of its files: a job per file that can ever have images,
// enqueued only if the transaction commits, and not twice while one
// waits. The library calls it (library.Options.Published).
func (s *Service) EnqueueTx(ctx context.Context, tx *db.Tx, files []File) error {
	q := s.queue()
	if q == nil {
		return nil
	}
	for _, f := range files {
		if !Previewable(f.Kind) || !blob.ValidSHA(f.SHA256) {
			continue
		}
		if err := q.EnqueueTx(ctx, tx, newDraw(f, 0)); err != nil {
			return fmt.Errorf("preview: enqueue: %w", err)
		}
	}
	return nil
}

// CatchUp asks for a catch-up: a walk over every published file, newest
// first, a keyset page per job, that enqueues those without an outcome —
// files published before the tools were installed, by a bulk load, or
// whose failure was cleared for a retry. Their drawings wait behind newly
// published files.
func (s *Service) CatchUp(ctx context.Context) error { return s.catchUp(ctx, 0) }

func (s *Service) catchUp(ctx context.Context, retry int64) error {
	q := s.queue()
	if q == nil {
		return nil
	}
	if err := q.Enqueue(ctx, catchUpArgs{Retry: retry}); err != nil {
		return fmt.Errorf("preview: catch-up: %w", err)
	}
	return nil
}

// catchUpPage is one page of the catch-up: it enqueues the page's files
// without an outcome and the next page, in one transaction.
func (s *Service) catchUpPage(ctx context.Context, a catchUpArgs) error {
	c := s.cat()
	if c == nil {
		return errors.New("preview: catch-up before Start")
	}
	files, err := c.RecentFiles(ctx, a.Before, catchUpBatch)
	if err != nil || len(files) == 0 {
		return err
	}
	byID := map[int64]File{}
	var ids []int64
	for _, f := range files {
		if s.Can(f.Kind) && blob.ValidSHA(f.SHA256) {
			byID[f.ID] = f
			ids = append(ids, f.ID)
		}
	}
	missing, err := s.withoutOutcome(ctx, ids)
	if err != nil {
		return err
	}
	q := s.queue()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range missing {
			if err := q.EnqueueTx(ctx, tx, newDraw(byID[id], a.Retry), jobs.Later()); err != nil {
				return err
			}
		}
		if len(files) < catchUpBatch {
			return nil
		}
		return q.EnqueueTx(ctx, tx, catchUpArgs{Before: files[len(files)-1].ID, Retry: a.Retry}, jobs.Later())
	})
}

// RetryFailed clears the outcome of every file that could not be
// converted (a tool failed, ran out of time, or drew blank pages), so
// the worker draws them again: it asks for a catch-up, which enqueues
// those still published. A fixed tool or a fixed generator of files then
// gets its chance. It returns how many outcomes were cleared.
func (s *Service) RetryFailed(ctx context.Context) (int, error) {
	// A failure is one outcome row (page 0) and no page rows.
	res, err := s.db.Exec(ctx, `DELETE FROM material_previews WHERE status = ?`, statusFailed)
	if err != nil {
		return 0, fmt.Errorf("preview: retry failed: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("preview: retry failed: %w", err)
	}
	return int(n), s.catchUp(ctx, db.NewID())
}

// prunePage looks at a page of files that have images, from a.After,
// removes the rows of files that no longer exist (an edit replaced them)
// and the images nobody refers to any more, and enqueues the next page.
func (s *Service) prunePage(ctx context.Context, a pruneArgs) error {
	c := s.cat()
	if c == nil {
		return errors.New("preview: prune before Start")
	}
	rows, err := s.db.Query(ctx, `SELECT file_id FROM material_previews WHERE page = 0 AND file_id > ? ORDER BY file_id LIMIT ?`,
		a.After, pruneBatch)
	if err != nil {
		return fmt.Errorf("preview: prune: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("preview: prune: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	exist, err := c.ExistingFiles(ctx, ids)
	if err != nil {
		return fmt.Errorf("preview: prune: %w", err)
	}
	for _, id := range ids {
		if !exist[id] {
			if err := s.forget(ctx, c, id); err != nil {
				return fmt.Errorf("preview: prune: %w", err)
			}
		}
	}
	if len(ids) < pruneBatch {
		return nil
	}
	return s.queue().Enqueue(ctx, pruneArgs{After: ids[len(ids)-1]})
}

// forget deletes a gone file's rows, then each of its images that no
// other row shows, no material file is (a jpg's page is the file itself)
// and no upload in progress holds: the library decides (ReleaseBlob).
func (s *Service) forget(ctx context.Context, c Catalog, fileID int64) error {
	var shas []string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT sha256 FROM material_previews WHERE file_id = ? AND page > 0`, fileID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				rows.Close()
				return err
			}
			shas = append(shas, sha)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM material_previews WHERE file_id = ?`, fileID)
		return err
	})
	if err != nil {
		return fmt.Errorf("forget %d: %w", fileID, err)
	}
	for _, sha := range shas {
		if err := c.ReleaseBlob(ctx, sha); err != nil {
			return fmt.Errorf("forget %d: %w", fileID, err)
		}
	}
	return nil
}

// Status is what the administrator's status page shows about previews.
type Status struct {
	Tools Tools
	// Queued files wait to be drawn (on any node); Converting are being
	// drawn now.
	Queued, Converting int
	// CatchingUp: a catch-up is looking through the published files for
	// ones without images.
	CatchingUp bool
	// Done files have images; Failed could not be converted.
	Done, Failed int
	// Workers is how many conversions may run at once; Timeout bounds
	// each tool run; Width and Pages describe the images.
	Workers      int
	Timeout      time.Duration
	Width, Pages int
	// Storage says where files are kept: "local" or "s3".
	Storage string
}

// Status reports the tools, the queue and the outcomes so far.
func (s *Service) Status(ctx context.Context) (Status, error) {
	st := Status{Tools: s.Tools(), Workers: s.o.Workers, Timeout: s.o.Timeout, Width: s.o.Width, Pages: s.o.Pages, Storage: storageKind(s.store)}
	if q := s.queue(); q != nil {
		c, err := q.Counts(ctx)
		if err != nil {
			return st, err
		}
		d, walk := c[drawArgs{}.Kind()], c[catchUpArgs{}.Kind()]
		st.Queued, st.Converting = d.Waiting+d.Retrying, d.Running
		st.CatchingUp = walk.Waiting+walk.Retrying+walk.Running > 0
	}
	var err error
	st.Done, st.Failed, err = s.counts(ctx)
	return st, err
}

// storageKind names the blob store's backend from its description (the
// backends describe themselves as "local folder …" and "s3 bucket …").
func storageKind(store any) string {
	if d, ok := store.(fmt.Stringer); ok && strings.HasPrefix(d.String(), "s3 ") {
		return "s3"
	}
	return "local"
}
