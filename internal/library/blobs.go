package library

// Who still needs a stored file, kept in the database so that every node
// sees it (0009_blob_holds.sql): material_files and material_previews
// rows, and the holds of uploads in progress. A file is deleted only by
// deleteIfUnused, which re-checks all three inside one transaction and
// marks the deletion, so an upload of the same content on another node
// waits for it and stores the file again. No lock of this process is held
// across a call to storage. docs/architecture.md, "Blobs".

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/preview"
)

const (
	// holdTTL is how long an upload's hold lasts: well past the longest an
	// upload may take (internal/web gives one 30 minutes to arrive, then
	// it is checked and published in seconds). A node that dies leaves its
	// holds to expire.
	holdTTL = 2 * time.Hour
	// deletionTTL bounds a deletion mark, for a node that dies between
	// marking and unmarking; the deletion itself is one storage call of at
	// most deleteTimeout.
	deletionTTL   = 2 * time.Minute
	deleteTimeout = time.Minute
	// deletionPoll is how often an upload looks whether a deletion of its
	// content elsewhere has finished.
	deletionPoll = 50 * time.Millisecond
	// OrphanAge is how old an unreferenced stored file must be before the
	// janitor deletes it. Uploads and page images hold their files before
	// storing them, so this is a margin: for the clocks of the nodes and
	// of an S3 server, and for a node of an older version during a rolling
	// upgrade, which stores files without holding them.
	OrphanAge = time.Hour
	// orphanBatch is how many listed files are checked in one query.
	orphanBatch = 500
)

// lockBlob serialises, on PostgreSQL, the transactions that take a hold on
// sha and those that decide to delete it: without it, each could miss the
// other's uncommitted row. SQLite's BEGIN IMMEDIATE already serialises
// every writer.
func lockBlob(ctx context.Context, tx *db.Tx, sha string) error {
	if tx.Engine() != db.Postgres {
		return nil
	}
	b, err := hex.DecodeString(sha[:16])
	if err != nil {
		return fmt.Errorf("lock blob: %w", err)
	}
	_, err = tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, int64(binary.BigEndian.Uint64(b)))
	return err
}

// hold records that upload uploadID holds the file sha, before the file
// is stored. When another node is deleting that content at this moment,
// hold waits until it is done, so that the caller's Commit stores it again.
func (s *Service) hold(ctx context.Context, uploadID int64, sha string) (int64, error) {
	if !blob.ValidSHA(sha) {
		return 0, blob.ErrInvalidSHA
	}
	id := db.NewID()
	deleting := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := lockBlob(ctx, tx, sha); err != nil {
			return err
		}
		now := s.nowMS()
		if _, err := tx.Exec(ctx, `INSERT INTO blob_holds (id, upload_id, sha256, expires_at) VALUES (?, ?, ?, ?)`,
			id, uploadID, sha, now+holdTTL.Milliseconds()); err != nil {
			return err
		}
		var err error
		deleting, err = s.beingDeleted(ctx, tx, sha)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("library: hold: %w", err)
	}
	for deleting {
		select {
		case <-ctx.Done():
			s.unhold(context.WithoutCancel(ctx), id)
			return 0, ctx.Err()
		case <-time.After(deletionPoll):
		}
		if deleting, err = s.beingDeleted(ctx, s.db, sha); err != nil {
			s.unhold(context.WithoutCancel(ctx), id)
			return 0, fmt.Errorf("library: hold: %w", err)
		}
	}
	return id, nil
}

func (s *Service) beingDeleted(ctx context.Context, q db.Querier, sha string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM blob_deletions WHERE sha256 = ? AND expires_at > ?`, sha, s.nowMS()).Scan(&n)
	return n > 0, err
}

// unhold drops one hold; its file is then deleted by the caller or, if
// the caller fails to, by the janitor.
func (s *Service) unhold(ctx context.Context, holdID int64) {
	if _, err := s.db.Exec(ctx, `DELETE FROM blob_holds WHERE id = ?`, holdID); err != nil {
		s.o.Log.Warn("library: drop an upload's hold (it expires)", "err", err)
	}
}

// takeHolds turns an upload's holds into the file rows just written in
// tx: they go in the same transaction, so a deletion on any node sees one
// or the other. Holds that expired (an upload older than holdTTL) may have
// let their files go: the upload is refused.
func (s *Service) takeHolds(ctx context.Context, tx *db.Tx, up *Upload) error {
	ids := make([]string, len(up.files))
	args := []any{s.nowMS()}
	for i, f := range up.files {
		ids[i] = "?"
		args = append(args, f.hold)
	}
	res, err := tx.Exec(ctx, `DELETE FROM blob_holds WHERE expires_at > ? AND id IN (`+strings.Join(ids, ",")+`)`, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(up.files)) {
		return errors.Join(err, fmt.Errorf("take holds: %d of the upload's %d holds are left (it took longer than %v)", n, len(up.files), holdTTL))
	}
	return nil
}

// blobUsed reports whether anything refers to sha: a live hold, a
// material file, a page image. Holds are read first: on PostgreSQL each
// statement sees the latest commits, and a hold turns into a file row in
// one transaction, so reading files first could miss both.
func (s *Service) blobUsed(ctx context.Context, q db.Querier, sha string) (bool, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM blob_holds WHERE sha256 = ? AND expires_at > ?`, sha, s.nowMS()).Scan(&n); err != nil || n > 0 {
		return n > 0, err
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM material_files WHERE sha256 = ?`, sha).Scan(&n); err != nil || n > 0 {
		return n > 0, err
	}
	pages, err := preview.BlobsInUse(ctx, q, []string{sha})
	return pages[sha], err
}

// deleteIfUnused deletes the stored file sha when nothing refers to it.
// The check and the deletion mark are one transaction; the storage call
// comes after it, so no lock is held across the network.
func (s *Service) deleteIfUnused(ctx context.Context, sha string) (deleted bool, err error) {
	if !blob.ValidSHA(sha) {
		return false, blob.ErrInvalidSHA
	}
	ctx = context.WithoutCancel(ctx) // a cleanup outlives the request that started it
	marked := false
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := lockBlob(ctx, tx, sha); err != nil {
			return err
		}
		used, err := s.blobUsed(ctx, tx, sha)
		if err != nil || used {
			return err
		}
		now := s.nowMS()
		// A live mark of another node means it is deleting the file now.
		res, err := tx.Exec(ctx, `INSERT INTO blob_deletions (sha256, expires_at) VALUES (?, ?)
			ON CONFLICT (sha256) DO UPDATE SET expires_at = excluded.expires_at WHERE blob_deletions.expires_at <= ?`,
			sha, now+deletionTTL.Milliseconds(), now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		marked = n == 1
		return err
	})
	if err != nil || !marked {
		return false, wrapBlob(err)
	}
	dctx, cancel := context.WithTimeout(ctx, deleteTimeout)
	derr := s.store.Delete(dctx, sha)
	cancel()
	_, uerr := s.db.Exec(ctx, `DELETE FROM blob_deletions WHERE sha256 = ?`, sha)
	if err := errors.Join(derr, uerr); err != nil {
		return false, wrapBlob(err)
	}
	return true, nil
}

func wrapBlob(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("library: delete stored file: %w", err)
}

// release deletes each of shas that nothing refers to any more. A failure
// only leaves an unreferenced file, which the janitor collects later
// (CollectBlobs): it is logged, not returned.
func (s *Service) release(ctx context.Context, shas ...string) {
	seen := map[string]bool{}
	for _, sha := range shas {
		if seen[sha] {
			continue
		}
		seen[sha] = true
		if _, err := s.deleteIfUnused(ctx, sha); err != nil {
			s.o.Log.Warn("library: an unreferenced file stays until the janitor collects it", "err", err)
		}
	}
}

// ReleaseBlob deletes the stored file sha unless a material file, a page
// image or an upload in progress on any node refers to it
// (preview.Catalog: a page image no row shows any more).
func (s *Service) ReleaseBlob(ctx context.Context, sha string) error {
	_, err := s.deleteIfUnused(ctx, sha)
	return err
}

// HoldBlob holds sha as an upload of its own would, until release
// (preview.Catalog: a page image from before it is stored until its rows
// are written).
func (s *Service) HoldBlob(ctx context.Context, sha string) (release func(), err error) {
	id, err := s.hold(ctx, db.NewID(), sha)
	if err != nil {
		return nil, err
	}
	return func() { s.unhold(context.WithoutCancel(ctx), id) }, nil
}

// BlobsCollected is what one CollectBlobs pass removed.
type BlobsCollected struct {
	// Holds and Deletions are expired rows of uploads and deletions that
	// a dead node left.
	Holds, Deletions int64
	// Temp is temporary files of uploads that no live process writes.
	Temp int
	// Orphans is stored files older than OrphanAge that nothing refers to.
	Orphans int
}

// SweepTemp removes this node's temporary files of dead uploads (each node
// spools its own uploads, so each node sweeps; CollectBlobs also does).
func (s *Service) SweepTemp(ctx context.Context) (int, error) {
	n, err := s.store.SweepTemp(ctx)
	if err != nil {
		return n, fmt.Errorf("library: sweep temporary files: %w", err)
	}
	return n, nil
}

// CollectBlobs is the janitor's pass over stored files: it drops expired
// holds and deletion marks, sweeps dead uploads' temporary files, and
// deletes every stored file older than OrphanAge that no row and no live
// upload refers to (a crash between storing a file and writing its row,
// a deletion that failed). It walks the whole store, a batch of listed
// files a query.
func (s *Service) CollectBlobs(ctx context.Context) (BlobsCollected, error) {
	var c BlobsCollected
	now := s.nowMS()
	res, err := s.db.Exec(ctx, `DELETE FROM blob_holds WHERE expires_at <= ?`, now)
	if err != nil {
		return c, fmt.Errorf("library: collect: %w", err)
	}
	c.Holds, _ = res.RowsAffected()
	if res, err = s.db.Exec(ctx, `DELETE FROM blob_deletions WHERE expires_at <= ?`, now); err != nil {
		return c, fmt.Errorf("library: collect: %w", err)
	}
	c.Deletions, _ = res.RowsAffected()
	if c.Temp, err = s.store.SweepTemp(ctx); err != nil {
		return c, fmt.Errorf("library: collect: %w", err)
	}
	before := s.now().Add(-OrphanAge)
	var batch []string
	flush := func() error {
		n, err := s.collectOrphans(ctx, batch)
		c.Orphans += n
		batch = batch[:0]
		return err
	}
	err = s.store.List(ctx, func(i blob.Info) error {
		if !i.Modified.Before(before) {
			return nil
		}
		if batch = append(batch, i.SHA256); len(batch) == orphanBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return c, fmt.Errorf("library: collect: %w", err)
	}
	return c, nil
}

// collectOrphans deletes those of shas that nothing refers to: one query
// per table finds the few candidates, each of which deleteIfUnused
// checks again under its lock.
func (s *Service) collectOrphans(ctx context.Context, shas []string) (int, error) {
	if len(shas) == 0 {
		return 0, nil
	}
	used, err := preview.BlobsInUse(ctx, s.db, shas)
	if err != nil {
		return 0, err
	}
	marks := make([]string, len(shas))
	args := make([]any, len(shas))
	for i, sha := range shas {
		marks[i], args[i] = "?", sha
	}
	in := strings.Join(marks, ",")
	for _, q := range []string{
		`SELECT DISTINCT sha256 FROM material_files WHERE sha256 IN (` + in + `)`,
		`SELECT DISTINCT sha256 FROM blob_holds WHERE sha256 IN (` + in + `)`,
	} {
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				rows.Close()
				return 0, err
			}
			used[sha] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, sha := range shas {
		if used[sha] {
			continue
		}
		deleted, err := s.deleteIfUnused(ctx, sha)
		if err != nil {
			return n, err
		}
		if deleted {
			n++
		}
	}
	return n, nil
}
