package db

import (
	"context"
	"errors"
	"fmt"
)

// ErrCheckpointBusy means a reader kept the WAL in use, so it could not
// be emptied this time; the caller tries again later.
var ErrCheckpointBusy = errors.New("db: checkpoint: readers still use the WAL")

// Checkpoint copies SQLite's write-ahead log into the database file and
// truncates it to nothing, so the page versions from before a deletion
// (the deleted ciphertexts and wrapped key) stay in neither file. It
// waits for readers up to the busy timeout. On PostgreSQL it does
// nothing: its old row versions are not reachable through the site and
// are left to VACUUM.
func (d *DB) Checkpoint(ctx context.Context) error {
	if d.engine != SQLite {
		return nil
	}
	var busy, logFrames, done int
	if err := d.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("db: checkpoint: %w", err)
	}
	if busy != 0 {
		return ErrCheckpointBusy
	}
	return nil
}
