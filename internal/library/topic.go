package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Topic is the subject, grade and type of a published material, for the
// statistics of what is viewed (internal/telemetry; clause 1.2 (d));
// ok is false for a material that is not published.
func (s *Service) Topic(ctx context.Context, id int64) (subject, grade, typ string, ok bool, err error) {
	err = s.db.QueryRow(ctx, `SELECT subject, grade, type FROM materials WHERE id = ? AND status = ?`, id, StatusPublished).
		Scan(&subject, &grade, &typ)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", "", false, nil
	}
	if err != nil {
		return "", "", "", false, fmt.Errorf("library: topic: %w", err)
	}
	return subject, grade, typ, true, nil
}
