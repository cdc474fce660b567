package library

import (
	"context"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// FileEvent is one upload or download by a user, as their data export
// shows it (clause 1.2 (c)).
type FileEvent struct {
	ID, MaterialID, FileID int64
	Action                 string // "upload" or "download"
	At                     time.Time
	IP, UserAgent          vault.Secret
}

// FileEvents lists a user's uploads and downloads, newest first.
func (s *Service) FileEvents(ctx context.Context, userID int64) ([]FileEvent, error) {
	key, err := s.v.ReadKey(ctx, s.db, userID) // nil for a deleted user: address and browser read as empty
	if err != nil {
		return nil, wrap("file events", err)
	}
	rows, err := s.db.Query(ctx, `SELECT id, material_id, file_id, action, at, ip_enc, ua_enc FROM file_events
		WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT 10000`, userID)
	if err != nil {
		return nil, wrap("file events", err)
	}
	defer rows.Close()
	var out []FileEvent
	for rows.Next() {
		var e FileEvent
		var at int64
		var ip, ua []byte
		if err := rows.Scan(&e.ID, &e.MaterialID, &e.FileID, &e.Action, &at, &ip, &ua); err != nil {
			return nil, wrap("file events", err)
		}
		e.At = db.Time(at)
		if e.IP, err = key.Open(vault.Field{Table: "file_events", Column: "ip_enc", Row: e.ID}, ip); err != nil {
			return nil, wrap("file events", err)
		}
		if e.UserAgent, err = key.Open(vault.Field{Table: "file_events", Column: "ua_enc", Row: e.ID}, ua); err != nil {
			return nil, wrap("file events", err)
		}
		out = append(out, e)
	}
	return out, wrap("file events", rows.Err())
}
