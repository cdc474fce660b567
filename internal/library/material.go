package library

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
)

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

const materialColumns = `id, author_id, title, description, subject, grade, type, language, tags, status, slug,
	views, downloads, duplicate_of, created_at, updated_at, published_at, moderated_by, moderated_at, reject_reason, reject_note`

func scanMaterial(sc interface{ Scan(...any) error }) (*Material, error) {
	var m Material
	var tags, status string
	var created, updated, published, moderated int64
	if err := sc.Scan(&m.ID, &m.AuthorID, &m.Title, &m.Description, &m.Subject, &m.Grade, &m.Type, &m.Language, &tags,
		&status, &m.Slug, &m.Views, &m.Downloads, &m.DuplicateOf, &created, &updated, &published, &m.ModeratedBy, &moderated,
		&m.RejectReason, &m.RejectNote); err != nil {
		return nil, err
	}
	m.Status = Status(status)
	m.Tags = SplitTags(tags)
	m.CreatedAt, m.UpdatedAt, m.PublishedAt, m.ModeratedAt = db.Time(created), db.Time(updated), db.Time(published), db.Time(moderated)
	return &m, nil
}

// get loads a material with its files, whatever its status.
func (s *Service) get(ctx context.Context, id int64) (*Material, error) {
	return getMaterial(ctx, s.db, id)
}

func getMaterial(ctx context.Context, q db.Querier, id int64) (*Material, error) {
	m, err := scanMaterial(q.QueryRow(ctx, `SELECT `+materialColumns+` FROM materials WHERE id = ?`, id))
	if err != nil {
		return nil, wrap("get", err)
	}
	rows, err := q.Query(ctx, `SELECT id, material_id, sha256, size, kind, name, position, excerpt, downloads
		FROM material_files WHERE material_id = ? ORDER BY position, id`, id)
	if err != nil {
		return nil, wrap("get files", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.MaterialID, &f.SHA256, &f.Size, &f.Kind, &f.Name, &f.Position, &f.Excerpt, &f.Downloads); err != nil {
			return nil, wrap("get files", err)
		}
		m.Files = append(m.Files, f)
	}
	return m, wrap("get files", rows.Err())
}

// Viewer is who looks at a material: its author and staff see it in any
// status, everyone else only once it is published.
type Viewer struct {
	UserID int64
	Staff  bool
}

func (v Viewer) sees(m *Material) bool {
	return m.Status == StatusPublished || v.Staff || (v.UserID != 0 && v.UserID == m.AuthorID)
}

// Get returns a material as viewer may see it, or a not-found error.
func (s *Service) Get(ctx context.Context, id int64, viewer Viewer) (*Material, error) {
	m, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !viewer.sees(m) {
		return nil, errNotFound()
	}
	return m, nil
}

// Preview is the text shown on a material's page: the beginning of the
// text of its files, in order.
func (m *Material) Preview() string {
	var parts []string
	n := 0
	for _, f := range m.Files {
		if f.Excerpt == "" || n >= excerptRunes {
			continue
		}
		e := cut(f.Excerpt, excerptRunes-n)
		n += len([]rune(e))
		parts = append(parts, e)
	}
	return strings.Join(parts, "\n\n")
}

// File returns one file of a material viewer may see.
func (s *Service) File(ctx context.Context, materialID, fileID int64, viewer Viewer) (*Material, *File, error) {
	m, err := s.Get(ctx, materialID, viewer)
	if err != nil {
		return nil, nil, err
	}
	for i := range m.Files {
		if m.Files[i].ID == fileID {
			return m, &m.Files[i], nil
		}
	}
	return nil, nil, errNotFound()
}

// OpenFile opens a file's contents from the store for reading (and
// seeking, for range requests). The caller closes it.
func (s *Service) OpenFile(ctx context.Context, f *File) (io.ReadSeekCloser, error) {
	rc, _, err := s.store.Open(ctx, f.SHA256)
	if err != nil {
		if errors.Is(err, errBlobMissing) {
			return nil, errNotFound()
		}
		return nil, wrap("open file", err)
	}
	return rc, nil
}

// RecordDownload counts one download of f. For a signed-in user the event
// is recorded with the client address and browser sealed with their key
// (clause 1.2 (c)); for a visitor who is not signed in only the counters
// change, so nothing ties the download to a person.
func (s *Service) RecordDownload(ctx context.Context, f *File, userID int64, m Meta) error {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE material_files SET downloads = downloads + 1 WHERE id = ?`, f.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE materials SET downloads = downloads + 1 WHERE id = ?`, f.MaterialID); err != nil {
			return err
		}
		if userID == 0 {
			return nil
		}
		key, err := s.v.UserKey(ctx, tx, userID)
		if err != nil {
			return err
		}
		return s.insertEvent(ctx, tx, key, userID, f.MaterialID, f.ID, "download", m)
	})
	return wrap("record download", err)
}
