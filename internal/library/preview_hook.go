package library

// What internal/preview needs from the library: to be told, inside the
// transaction, when a material enters the catalog (Options.Published),
// and answers about
// material files (preview.Catalog). The page images' own table is
// internal/preview's.

import (
	"context"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/preview"
)

// publishedTx tells Options.Published, inside tx, the files of material
// id, which is entering the catalog.
func (s *Service) publishedTx(ctx context.Context, tx *db.Tx, id int64) error {
	if s.o.Published == nil {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id, material_id, sha256, kind, size FROM material_files WHERE material_id = ? ORDER BY position`, id)
	if err != nil {
		return err
	}
	var files []preview.File
	for rows.Next() {
		var f preview.File
		if err := rows.Scan(&f.ID, &f.MaterialID, &f.SHA256, &f.Kind, &f.Size); err != nil {
			rows.Close()
			return err
		}
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.o.Published(ctx, tx, files)
}

var _ preview.Catalog = (*Service)(nil)

// PublishedFiles lists the files of a material if it is published (none
// otherwise: a material taken down before its turn gets no images).
func (s *Service) PublishedFiles(ctx context.Context, materialID int64) ([]preview.File, error) {
	// "|| ''": newest files first by their key, each material looked up by
	// its key; on status's indexes SQLite walked every published material.
	return s.previewFiles(ctx, `SELECT f.id, f.material_id, f.sha256, f.kind, f.size FROM material_files f JOIN materials m ON m.id = f.material_id
		WHERE m.id = ? AND m.status = ? ORDER BY f.position`, materialID, string(StatusPublished))
}

// RecentFiles lists files of published materials, newest first, with
// ids below before (0: from the newest). File ids grow with time, so
// this walks the primary key backwards.
func (s *Service) RecentFiles(ctx context.Context, before int64, limit int) ([]preview.File, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.previewFiles(ctx, `SELECT f.id, f.material_id, f.sha256, f.kind, f.size FROM material_files f JOIN materials m ON m.id = f.material_id
		WHERE f.id < ? AND m.status || '' = ? ORDER BY f.id DESC LIMIT ?`, before, string(StatusPublished), limit)
}

func (s *Service) previewFiles(ctx context.Context, q string, args ...any) ([]preview.File, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("preview files", err)
	}
	defer rows.Close()
	var out []preview.File
	for rows.Next() {
		var f preview.File
		if err := rows.Scan(&f.ID, &f.MaterialID, &f.SHA256, &f.Kind, &f.Size); err != nil {
			return nil, wrap("preview files", err)
		}
		out = append(out, f)
	}
	return out, wrap("preview files", rows.Err())
}

// ExistingFiles reports which of ids are still files of a material (an
// edit that replaces files deletes the old rows).
func (s *Service) ExistingFiles(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM material_files WHERE id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, wrap("existing files", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("existing files", err)
		}
		out[id] = true
	}
	return out, wrap("existing files", rows.Err())
}
