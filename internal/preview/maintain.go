package preview

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// catchUps runs a catch-up pass at start and whenever one is asked for
// (a full queue dropped a material, or failed files are to be retried),
// one pass at a time.
func (s *Service) catchUps(ctx context.Context) {
	select {
	case <-s.ready:
	case <-ctx.Done():
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		}
		s.catchingUp.Store(true)
		s.catchUp(ctx)
		s.catchingUp.Store(false)
	}
}

// catchUp walks every published file, newest first, a keyset page at a
// time, and hands those without an outcome to the workers — materials
// published while the site was down, before the tools were installed,
// dropped from a full queue, or whose failure was cleared for a retry.
// It waits for the workers rather than skipping files, so a library
// installed with the tools long after its files were published is drawn
// in full, with one page of files in memory.
func (s *Service) catchUp(ctx context.Context) {
	var before int64
	for {
		files, err := s.catalog.RecentFiles(ctx, before, catchUpBatch)
		if err != nil {
			if ctx.Err() == nil {
				s.o.Log.Warn("preview: catch-up", "err", err)
			}
			return
		}
		if len(files) == 0 {
			return
		}
		before = files[len(files)-1].ID
		byID := map[int64]File{}
		var ids []int64
		for _, f := range files {
			if s.Can(f.Kind) {
				byID[f.ID] = f
				ids = append(ids, f.ID)
			}
		}
		missing, err := s.withoutOutcome(ctx, ids)
		if err != nil {
			if ctx.Err() == nil {
				s.o.Log.Warn("preview: catch-up", "err", err)
			}
			return
		}
		for _, id := range missing {
			f := byID[id]
			select {
			case s.backlog <- job{file: &f}:
			case <-ctx.Done():
				return
			}
		}
	}
}

// RetryFailed clears the outcome of every file that could not be
// converted (a tool failed, ran out of time, or drew blank pages), so
// the worker draws them again: it starts a catch-up pass, which hands
// those still published to the workers. A fixed tool or a fixed
// generator of files then gets its chance. It returns how many outcomes
// were cleared.
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
	s.wake()
	return int(n), nil
}

// prune looks at up to limit files that have images, from where the last
// pass stopped, and removes the rows of files that no longer exist (an
// edit replaced them) and the images nobody refers to any more.
func (s *Service) prune(ctx context.Context, limit int) {
	for looked := 0; looked < limit; {
		rows, err := s.db.Query(ctx, `SELECT file_id FROM material_previews WHERE page = 0 AND file_id > ? ORDER BY file_id LIMIT ?`,
			s.pruneAfter, min(500, limit-looked))
		if err != nil {
			s.pruneFailed(ctx, err)
			return
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				s.pruneFailed(ctx, err)
				return
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			s.pruneAfter = 0 // the end: the next pass starts over
			return
		}
		looked += len(ids)
		s.pruneAfter = ids[len(ids)-1]
		exist, err := s.catalog.ExistingFiles(ctx, ids)
		if err != nil {
			s.pruneFailed(ctx, err)
			return
		}
		for _, id := range ids {
			if !exist[id] {
				if err := s.forget(ctx, id); err != nil {
					s.pruneFailed(ctx, err)
					return
				}
			}
		}
	}
}

func (s *Service) pruneFailed(ctx context.Context, err error) {
	if ctx.Err() == nil {
		s.o.Log.Warn("preview: prune", "err", err)
	}
}

// forget deletes a gone file's rows, then each of its images that no
// other row shows, no material file is (a jpg's page is the file itself)
// and no upload in progress holds: the library decides (ReleaseBlob).
func (s *Service) forget(ctx context.Context, fileID int64) error {
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
		if err := s.catalog.ReleaseBlob(ctx, sha); err != nil {
			return fmt.Errorf("forget %d: %w", fileID, err)
		}
	}
	return nil
}

// Status is what the administrator's status page shows about previews.
type Status struct {
	Tools Tools
	// Queued files (or materials) wait; Converting are being drawn now.
	Queued, Converting int
	// CatchingUp: the worker is looking through the published files for
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
	st := Status{Tools: s.Tools(), Queued: len(s.queue) + len(s.backlog), Converting: int(s.running.Load()), CatchingUp: s.catchingUp.Load(),
		Workers: s.o.Workers, Timeout: s.o.Timeout, Width: s.o.Width, Pages: s.o.Pages, Storage: storageKind(s.store)}
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
