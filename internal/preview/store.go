package preview

// The SQL of material_previews (0006_previews.sql): outcome rows (page 0)
// and page rows (1..Pages).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Outcomes of a file, in the status column.
const (
	statusDone   = "done"
	statusFailed = "failed"
)

// ErrNotFound is a page that has no image.
var ErrNotFound = errors.New("preview: no such page image")

// Page is one page image of a file.
type Page struct {
	FileID        int64
	N             int
	SHA256        string
	Width, Height int
}

// tried reports whether a file has an outcome already.
func (s *Service) tried(ctx context.Context, fileID int64) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM material_previews WHERE file_id = ? AND page = 0`, fileID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("preview: tried: %w", err)
	}
	return n > 0, nil
}

// reuse copies the outcome of another file with the same content: a
// duplicate, or a file an edit kept, is not converted twice.
func (s *Service) reuse(ctx context.Context, f File) (bool, error) {
	var from int64
	err := s.db.QueryRow(ctx, `SELECT file_id FROM material_previews WHERE source_sha256 = ? AND page = 0 AND file_id <> ? LIMIT 1`,
		f.SHA256, f.ID).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("preview: reuse: %w", err)
	}
	now := s.o.Now().UnixMilli()
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO material_previews (file_id, page, source_sha256, sha256, width, height, status, note, created_at)
			SELECT ?, page, source_sha256, sha256, width, height, status, note, ? FROM material_previews WHERE file_id = ?
			ON CONFLICT (file_id, page) DO NOTHING`, f.ID, now, from)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("preview: reuse: %w", err)
	}
	return true, nil
}

// record writes a file's outcome: its pages, or a failure with its note.
// It reports whether this was the file's first outcome: another node (or
// a duplicate job) may have recorded one meanwhile, and the first stays.
func (s *Service) record(ctx context.Context, f File, pages []page, note string) (bool, error) {
	now := s.o.Now().UnixMilli()
	status := statusDone
	if note != "" {
		status = statusFailed
	}
	first := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO material_previews (file_id, page, source_sha256, status, note, created_at)
			VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT (file_id, page) DO NOTHING`, f.ID, f.SHA256, status, note, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		first = true
		for i, p := range pages {
			if _, err := tx.Exec(ctx, `INSERT INTO material_previews (file_id, page, source_sha256, sha256, width, height, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, i+1, f.SHA256, p.sha, p.width, p.height, statusDone, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("preview: record: %w", err)
	}
	return first, nil
}

// Pages returns the page images of the given files, by file, in page
// order; files without images are absent.
func (s *Service) Pages(ctx context.Context, fileIDs []int64) (map[int64][]Page, error) {
	out := map[int64][]Page{}
	if len(fileIDs) == 0 {
		return out, nil
	}
	marks := make([]string, len(fileIDs))
	args := make([]any, len(fileIDs))
	for i, id := range fileIDs {
		marks[i], args[i] = "?", id
	}
	rows, err := s.db.Query(ctx, `SELECT file_id, page, sha256, width, height FROM material_previews
		WHERE file_id IN (`+strings.Join(marks, ",")+`) AND page > 0 AND status = ? ORDER BY file_id, page`, append(args, statusDone)...)
	if err != nil {
		return nil, fmt.Errorf("preview: pages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Page
		if err := rows.Scan(&p.FileID, &p.N, &p.SHA256, &p.Width, &p.Height); err != nil {
			return nil, fmt.Errorf("preview: pages: %w", err)
		}
		out[p.FileID] = append(out[p.FileID], p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("preview: pages: %w", err)
	}
	return out, nil
}

// Page returns page n of a file, or ErrNotFound.
func (s *Service) Page(ctx context.Context, fileID int64, n int) (Page, error) {
	p := Page{FileID: fileID, N: n}
	if n < 1 {
		return p, ErrNotFound
	}
	err := s.db.QueryRow(ctx, `SELECT sha256, width, height FROM material_previews WHERE file_id = ? AND page = ? AND status = ?`,
		fileID, n, statusDone).Scan(&p.SHA256, &p.Width, &p.Height)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("preview: page: %w", err)
	}
	return p, nil
}

// Open returns a page image's bytes; ErrNotFound when the blob is gone.
func (s *Service) Open(ctx context.Context, p Page) (io.ReadSeekCloser, error) {
	rc, _, err := s.store.Open(ctx, p.SHA256)
	if errors.Is(err, blob.ErrNotFound) || errors.Is(err, blob.ErrInvalidSHA) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("preview: open: %w", err)
	}
	return rc, nil
}

// counts returns how many files have images and how many failed.
func (s *Service) counts(ctx context.Context) (done, failed int, err error) {
	rows, err := s.db.Query(ctx, `SELECT status, COUNT(*) FROM material_previews WHERE page = 0 GROUP BY status`)
	if err != nil {
		return 0, 0, fmt.Errorf("preview: counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return 0, 0, fmt.Errorf("preview: counts: %w", err)
		}
		switch st {
		case statusDone:
			done = n
		case statusFailed:
			failed = n
		}
	}
	return done, failed, rows.Err()
}

// withoutOutcome returns those of ids that have no outcome yet.
func (s *Service) withoutOutcome(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	rows, err := s.db.Query(ctx, `SELECT file_id FROM material_previews WHERE page = 0 AND file_id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("preview: outcomes: %w", err)
	}
	defer rows.Close()
	has := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("preview: outcomes: %w", err)
		}
		has[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("preview: outcomes: %w", err)
	}
	var out []int64
	for _, id := range ids {
		if !has[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// BlobsInUse reports which of shas a page image row refers to, read
// through q (the library asks inside the transaction that decides whether
// a stored file may be deleted).
func BlobsInUse(ctx context.Context, q db.Querier, shas []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(shas) == 0 {
		return out, nil
	}
	marks := make([]string, len(shas))
	args := make([]any, len(shas))
	for i, sha := range shas {
		marks[i], args[i] = "?", sha
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT sha256 FROM material_previews WHERE sha256 IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("preview: blobs in use: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, fmt.Errorf("preview: blobs in use: %w", err)
		}
		out[sha] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("preview: blobs in use: %w", err)
	}
	return out, nil
}

// DropFilesTx deletes, inside the caller's transaction, the page image
// rows of files that are going (an author withdrawing everything as they
// delete their account) and returns the images' stored files, for the
// library to delete after the commit where nothing else refers to them.
func DropFilesTx(ctx context.Context, tx *db.Tx, fileIDs []int64) ([]string, error) {
	if len(fileIDs) == 0 {
		return nil, nil
	}
	marks := make([]string, len(fileIDs))
	args := make([]any, len(fileIDs))
	for i, id := range fileIDs {
		marks[i], args[i] = "?", id
	}
	in := strings.Join(marks, ",")
	rows, err := tx.Query(ctx, `SELECT DISTINCT sha256 FROM material_previews WHERE page > 0 AND file_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("preview: drop files: %w", err)
	}
	var shas []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			rows.Close()
			return nil, fmt.Errorf("preview: drop files: %w", err)
		}
		shas = append(shas, sha)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("preview: drop files: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM material_previews WHERE file_id IN (`+in+`)`, args...); err != nil {
		return nil, fmt.Errorf("preview: drop files: %w", err)
	}
	return shas, nil
}
