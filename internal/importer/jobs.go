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
}

func (inviteArgs) Kind() string { return "import.invite" }

// Jobs are what the import needs to work in the background.
type Jobs struct {
	Queue *jobs.Queue
	Mail  mail.Sender
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

// Invite queues an invitation by email of every user batchID created.
func (s *Service) Invite(ctx context.Context, batchID int64) error {
	if s.jobs == nil {
		return fmt.Errorf("importer: no job queue")
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM import_users WHERE batch_id = ?`, batchID).Scan(&n); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE import_batches SET invite_status = ?, invite_total = ?, invite_sent = 0
			WHERE id = ? AND status = ? AND invite_status NOT IN (?, ?)`, StatusPending, n, batchID, StatusDone, StatusPending, StatusRunning)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return apperr.New(apperr.Conflict, "import.status.running")
		}
		return s.jobs.Queue.EnqueueTx(ctx, tx, inviteArgs{BatchID: batchID})
	})
	if err != nil {
		return fmt.Errorf("importer: invite: %w", err)
	}
	return nil
}

// invitePage mails one page of a batch's users their invitation, through
// the mail sender (the durable mail queue), and enqueues the next page.
// A page interrupted is taken again; the letters of its users already
// sent may go twice (the mail queue makes each message once).
func (s *Service) invitePage(ctx context.Context, a inviteArgs) error {
	rows, err := s.db.Query(ctx, `SELECT user_id FROM import_users WHERE batch_id = ? AND user_id > ? ORDER BY user_id LIMIT ?`,
		a.BatchID, a.After, invitePage)
	if err != nil {
		return fmt.Errorf("import invite: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("import invite: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import invite: %w", err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE import_batches SET invite_status = ? WHERE id = ?`, StatusRunning, a.BatchID); err != nil {
		return fmt.Errorf("import invite: %w", err)
	}
	base := s.jobs.Base()
	sent := 0
	for _, id := range ids {
		u, tok, err := s.accounts.Invitation(ctx, id)
		if apperr.CodeOf(err) == apperr.Gone {
			continue // deleted since the import
		}
		if err != nil {
			return fmt.Errorf("import invite: %w", err)
		}
		l, ok := i18n.Parse(u.Locale)
		if !ok {
			l = i18n.Default
		}
		link := base + "/reset/confirm?token=" + tok
		if err := s.jobs.Mail.Send(ctx, mail.ImportInvite(l, u.Email.Reveal(), link)); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.jobs.Log.Error("import invite: mail not sent", "user_id", id, "err", err)
			continue
		}
		sent++
		if _, err := s.db.Exec(ctx, `UPDATE import_users SET invited_at = ? WHERE user_id = ?`, s.now().UnixMilli(), id); err != nil {
			return fmt.Errorf("import invite: %w", err)
		}
	}
	if _, err := s.db.Exec(ctx, `UPDATE import_batches SET invite_sent = invite_sent + ? WHERE id = ?`, sent, a.BatchID); err != nil {
		return fmt.Errorf("import invite: %w", err)
	}
	if len(ids) == invitePage {
		return s.jobs.Queue.Enqueue(ctx, inviteArgs{BatchID: a.BatchID, After: ids[len(ids)-1]})
	}
	_, err = s.db.Exec(ctx, `UPDATE import_batches SET invite_status = ? WHERE id = ?`, StatusDone, a.BatchID)
	return err
}
