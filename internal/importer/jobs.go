package importer

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mailq"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// MaxUpload bounds a file uploaded at /admin/import; bigger lists are
// imported with the command (smartustaz import users), which streams.
const MaxUpload = 64 << 20

// chunkSize is how much of an uploaded file one sealed row holds.
const chunkSize = 1 << 20

// invitePage is how many users one invitation job writes to.
const invitePage = 100

// runArgs is the job that imports an uploaded file (its batch).
type runArgs struct {
	BatchID int64 `json:"batch_id,string"`
}

func (runArgs) Kind() string { return "import.run" }

// inviteArgs is one page of the invitation of a batch's users: those
// with ids above After.
type inviteArgs struct {
	BatchID int64 `json:"batch_id,string"`
	After   int64 `json:"after,string"`
	// Run tells one press of the button from the next: the job kind is
	// unique by arguments among jobs waiting or running, and the last
	// page of a run is still "running" for a moment after it marked the
	// batch done, so without it a second press then would be dropped and
	// the batch left pending for ever.
	Run int64 `json:"run,string,omitempty"`
}

func (inviteArgs) Kind() string { return "import.invite" }

// Jobs are what the import needs to work in the background.
type Jobs struct {
	Queue *jobs.Queue
	Mail  mailq.BulkSender // the paced bulk send, shown with its progress on /admin/mail
	// Undeliverable, when set, reports an address that bounced: it gets
	// no invitation (the correspondence's suppression list).
	Undeliverable func(ctx context.Context, email string) (bool, error)
	// Base is the site's public address, for the links in invitations.
	Base func() string
	Log  *slog.Logger
}

// UseJobs registers the import's jobs (an uploaded file's import, the
// invitations) with j.Queue; Start and Invite enqueue them. Call it
// before the queue starts.
func (s *Service) UseJobs(j Jobs) {
	if j.Log == nil {
		j.Log = slog.New(slog.DiscardHandler)
	}
	s.jobs = &j
	// One attempt: a run that fails has marked its batch failed with the
	// report so far; running it again is the administrator's decision.
	// A node that dies mid-run has its job rescued and the batch resumed
	// (whole batches only, addresses already there skipped).
	jobs.Register(j.Queue, jobs.Kind{Unique: true, Timeout: 6 * time.Hour, MaxAttempts: 3}, s.runJob)
	jobs.Register(j.Queue, jobs.Kind{Unique: true, Timeout: 10 * time.Minute}, s.invitePage)
}

// OpenFile opens an uploaded or local file as a Source: format csv or
// jsonl, encoding for CSV ("" detects).
func OpenFile(r io.Reader, size int64, format, encoding string) (Source, error) {
	switch format {
	case "jsonl":
		return NewJSONL(r, nil, size), nil
	case "csv", "":
		return NewCSV(r, CSVOptions{Encoding: encoding, Size: size})
	}
	return nil, fmt.Errorf("importer: unknown format %q", format)
}

// FormatOf guesses a file's format from its name.
func FormatOf(name string) string {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".jsonl") || strings.HasSuffix(n, ".ndjson") {
		return "jsonl"
	}
	return "csv"
}

// PreviewRow is one row as the import would take it.
type PreviewRow struct {
	Where  string
	Values [len(Fields)]string
	// Field and Reason say why the row would be refused ("" when it is good).
	Field, Reason string
}

// Value returns the value of the named field.
func (p PreviewRow) Value(field string) string { return p.Values[fieldIndex(field)] }

// Preview reads up to n rows of src, each checked as the import will.
// The values are for the administrator's eyes on the preview page only.
func Preview(src Source, n int) ([]PreviewRow, error) {
	var out []PreviewRow
	for len(out) < n {
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, err
		}
		p := PreviewRow{Where: row.Where, Values: row.Values}
		if _, f := check(row); f != nil {
			p.Field, p.Reason = f.Field, f.Reason
		}
		out = append(out, p)
	}
	return out, nil
}

// Upload keeps an uploaded file for its import: a batch in state
// uploaded, and the file sealed under the uploading administrator's data
// key (the vault), a chunk a row, so no node writes it to disk in
// plaintext and any node can run its job.
func (s *Service) Upload(ctx context.Context, data []byte, o Options) (int64, error) {
	if len(data) > MaxUpload {
		return 0, apperr.New(apperr.Invalid, "import.file.too_big")
	}
	if o.OnConflict != OnConflictUpdate {
		o.OnConflict = OnConflictSkip
	}
	id := db.NewID()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		key, err := s.v.UserKey(ctx, tx, o.ActorID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO import_batches (id, source, format, encoding, actor_user_id, on_conflict, status, started_at, total)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, o.Source, o.Format, o.Encoding, o.ActorID, o.OnConflict, StatusUploaded, s.now().UnixMilli(), len(data))
		if err != nil {
			return err
		}
		for seq := 0; seq*chunkSize < len(data) || seq == 0; seq++ {
			part := data[seq*chunkSize : min(len(data), (seq+1)*chunkSize)]
			cid := db.NewID()
			if _, err := tx.Exec(ctx, `INSERT INTO import_chunks (id, batch_id, user_id, seq, data_enc) VALUES (?, ?, ?, ?, ?)`,
				cid, id, o.ActorID, seq, key.Seal(chunkField(cid), string(part))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("importer: upload: %w", err)
	}
	return id, nil
}

func chunkField(id int64) vault.Field {
	return vault.Field{Table: "import_chunks", Column: "data_enc", Row: id}
}

// Start queues the import of an uploaded batch.
func (s *Service) Start(ctx context.Context, batchID int64) error {
	if s.jobs == nil {
		return fmt.Errorf("importer: no job queue")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE import_batches SET status = ? WHERE id = ? AND status = ?`, StatusPending, batchID, StatusUploaded)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "import.status.running")
		}
		return s.jobs.Queue.EnqueueTx(ctx, tx, runArgs{BatchID: batchID})
	})
	if err != nil {
		return fmt.Errorf("importer: start: %w", err)
	}
	return nil
}

// chunkReader reads an uploaded file back, a chunk at a time.
type chunkReader struct {
	ctx   context.Context
	s     *Service
	key   *vault.UserKey
	batch int64
	seq   int
	buf   *bytes.Reader
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for c.buf == nil || c.buf.Len() == 0 {
		var id int64
		var enc []byte
		err := c.s.db.QueryRow(c.ctx, `SELECT id, data_enc FROM import_chunks WHERE batch_id = ? AND seq = ?`, c.batch, c.seq).Scan(&id, &enc)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
		sec, err := c.key.Open(chunkField(id), enc)
		if err != nil {
			return 0, err
		}
		c.buf = bytes.NewReader([]byte(sec.Reveal()))
		c.seq++
	}
	return c.buf.Read(p)
}

// runJob imports an uploaded batch. Taken again after a node died, it
// goes through the file again: users written before are skipped.
func (s *Service) runJob(ctx context.Context, a runArgs) error {
	b, err := s.Batch(ctx, a.BatchID)
	if err != nil {
		return jobs.Permanent(err)
	}
	if b.Status != StatusPending && b.Status != StatusRunning {
		return nil
	}
	key, err := s.v.UserKey(ctx, s.db, b.ActorID)
	if err != nil {
		_ = s.setStatus(ctx, b.ID, StatusFailed, &Report{})
		return jobs.Permanent(fmt.Errorf("importer: the uploader's key: %w", err))
	}
	src, err := OpenFile(&chunkReader{ctx: ctx, s: s, key: key, batch: b.ID}, b.Total, b.Format, b.Encoding)
	if err == nil {
		_, err = s.Run(ctx, src, Options{BatchID: b.ID, Source: b.Source, Format: b.Format, OnConflict: b.OnConflict, ActorID: b.ActorID})
	} else {
		_ = s.setStatus(ctx, b.ID, StatusFailed, &Report{})
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the job is taken again
	}
	// Done or failed for good: the file is no longer needed.
	if _, derr := s.db.Exec(context.WithoutCancel(ctx), `DELETE FROM import_chunks WHERE batch_id = ?`, b.ID); derr != nil {
		s.jobs.Log.Error("import: uploaded file not deleted", "batch", b.ID, "err", derr)
	}
	if err != nil {
		s.jobs.Log.Error("import failed", "batch", b.ID, "err", err)
		return jobs.Permanent(err)
	}
	return nil
}

// Invite queues an invitation by email of every user batchID created
// who has not been invited yet: a second run sends nobody a second
// letter (nor a new link that would kill the first).
func (s *Service) Invite(ctx context.Context, batchID int64) error {
	if s.jobs == nil {
		return fmt.Errorf("importer: no job queue")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var n, invited int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN invited_at > 0 THEN 1 ELSE 0 END), 0)
			FROM import_users WHERE batch_id = ?`, batchID).Scan(&n, &invited); err != nil {
			return err
		}
		// Any batch that ended (see Batch.Invitable), a killed one too.
		res, err := tx.Exec(ctx, `UPDATE import_batches SET invite_status = ?, invite_total = ?, invite_sent = ?
			WHERE id = ? AND (status IN (?, ?, ?) OR (status = ? AND seen_at > 0 AND seen_at < ?)) AND invite_status NOT IN (?, ?)`,
			StatusPending, n, invited, batchID, StatusDone, StatusCancelled, StatusFailed, StatusRunning, s.now().Add(-StaleAfter).UnixMilli(),
			StatusPending, StatusRunning)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.New(apperr.Conflict, "import.status.running")
		}
		return s.jobs.Queue.EnqueueTx(ctx, tx, inviteArgs{BatchID: batchID, Run: db.NewID()})
	})
	if err != nil {
		return fmt.Errorf("importer: invite: %w", err)
	}
	return nil
}

// InviteBulk names the bulk send of batchID's invitations in the mail
// queue (/admin/mail).
func InviteBulk(batchID int64) string { return fmt.Sprintf("import/%d/invite", batchID) }

// inviteKey is the idempotency key of one user's invitation from one
// batch: the mail queue takes the same key as the same message.
func inviteKey(batchID, userID int64) string {
	return fmt.Sprintf("import/%d/invite/user/%d", batchID, userID)
}

// invitePage queues the invitations of one page of a batch's users not
// invited yet, as part of the batch's bulk send, and the next page. The
// links, the letters, the users' invited_at and the next page are one
// transaction: a node that dies mid-page leaves nothing of it, and the
// page taken again writes it whole; the letters' keys (inviteKey) make
// the queue send each once whatever happens.
func (s *Service) invitePage(ctx context.Context, a inviteArgs) error {
	bulk := InviteBulk(a.BatchID)
	base := s.jobs.Base()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		ids, err := s.invitePageIDs(ctx, tx, a)
		if err != nil {
			return err
		}
		if a.After == 0 {
			if err := s.jobs.Mail.BeginBulk(ctx, tx, bulk, "import"); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE import_batches SET invite_status = ? WHERE id = ?`, StatusRunning, a.BatchID); err != nil {
			return err
		}
		now := s.now().UnixMilli()
		for _, id := range ids {
			var invited int64
			if err := tx.QueryRow(ctx, `SELECT invited_at FROM import_users WHERE user_id = ?`, id).Scan(&invited); err != nil {
				return err
			}
			if invited > 0 {
				continue // by an earlier run: their link stands
			}
			u, tok, err := s.accounts.InvitationTx(ctx, tx, id)
			if apperr.CodeOf(err) == apperr.Gone {
				continue // deleted since the import
			}
			if err != nil {
				return err
			}
			if s.jobs.Undeliverable != nil {
				bad, err := s.jobs.Undeliverable(ctx, u.Email.Reveal())
				if err != nil {
					return err
				}
				if bad {
					s.jobs.Log.Info("import invite: address bounced before, not invited", "user_id", id)
					continue
				}
			}
			l, ok := i18n.Parse(u.Locale)
			if !ok {
				l = i18n.Default
			}
			m := mail.ImportInvite(l, u.Email.Reveal(), base+"/reset/confirm?token="+tok)
			m.Key = inviteKey(a.BatchID, id)
			if err := s.jobs.Mail.SendTx(ctx, tx, m, mailq.Bulk(bulk)); errors.Is(err, mail.ErrRecipient) {
				// One unusable address is that user's; the page goes on.
				s.jobs.Log.Error("import invite: address refused", "user_id", id)
				continue
			} else if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE import_users SET invited_at = ? WHERE user_id = ?`, now, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE import_batches SET invite_sent =
			(SELECT COUNT(*) FROM import_users WHERE batch_id = ? AND invited_at > 0) WHERE id = ?`, a.BatchID, a.BatchID); err != nil {
			return err
		}
		if len(ids) == invitePage {
			return s.jobs.Queue.EnqueueTx(ctx, tx, inviteArgs{BatchID: a.BatchID, After: ids[len(ids)-1], Run: a.Run})
		}
		if err := s.jobs.Mail.EndBulk(ctx, tx, bulk); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE import_batches SET invite_status = ? WHERE id = ?`, StatusDone, a.BatchID)
		return err
	})
	if err != nil {
		return fmt.Errorf("import invite: batch %d after user %d: %w", a.BatchID, a.After, err)
	}
	return nil
}

// invitePageIDs are the ids of the page of a's batch's users.
func (s *Service) invitePageIDs(ctx context.Context, tx *db.Tx, a inviteArgs) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT user_id FROM import_users WHERE batch_id = ? AND user_id > ? ORDER BY user_id LIMIT ?`,
		a.BatchID, a.After, invitePage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
