package library

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// SitemapEntry is one published material as a sitemap lists it.
type SitemapEntry struct {
	ID      int64
	Slug    string
	Updated time.Time
}

// Path is the material's address.
func (e SitemapEntry) Path() string { return MaterialPath(e.ID, e.Slug) }

// SitemapPage returns up to limit published materials with ids above
// after, in id order: a keyset range scan of materials_sitemap (status,
// id), so the last page of a million costs what the first does.
func (s *Service) SitemapPage(ctx context.Context, after int64, limit int) ([]SitemapEntry, error) {
	rows, err := s.db.Query(ctx, `SELECT id, slug, updated_at FROM materials
		WHERE status = ? AND id > ? ORDER BY id LIMIT ?`, string(StatusPublished), after, limit)
	if err != nil {
		return nil, wrap("sitemap", err)
	}
	defer rows.Close()
	var out []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		var upd int64
		if err := rows.Scan(&e.ID, &e.Slug, &upd); err != nil {
			return nil, wrap("sitemap", err)
		}
		e.Updated = db.Time(upd)
		out = append(out, e)
	}
	return out, wrap("sitemap", rows.Err())
}

// SitemapStarts returns where each sitemap of per materials starts: 0,
// then the id of every per-th published material (each file lists the
// ids above its start). One index step of per entries a file, no count
// and no OFFSET from the beginning: at a million materials and 50,000 a
// file, 20 short range scans.
func (s *Service) SitemapStarts(ctx context.Context, per int) ([]int64, error) {
	starts := []int64{0}
	for {
		var id int64
		err := s.db.QueryRow(ctx, `SELECT id FROM materials WHERE status = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ?`,
			string(StatusPublished), starts[len(starts)-1], per-1).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return starts, nil
		}
		if err != nil {
			return nil, wrap("sitemap", err)
		}
		// The file starting here would be empty when id is the last one.
		var more int
		err = s.db.QueryRow(ctx, `SELECT 1 FROM materials WHERE status = ? AND id > ? LIMIT 1`, string(StatusPublished), id).Scan(&more)
		if errors.Is(err, sql.ErrNoRows) {
			return starts, nil
		}
		if err != nil {
			return nil, wrap("sitemap", err)
		}
		starts = append(starts, id)
	}
}
