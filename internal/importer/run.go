package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// DefaultBatch is how many users one transaction writes: large enough
// that commits (an fsync each) and round trips are few, small enough that
// a writer never holds SQLite's lock for long and an interrupted import
// loses little.
const DefaultBatch = 500

// maxReported bounds the failures a report lists one by one; the count
// covers the rest.
const maxReported = 1000

// Conflict policies.
const (
	OnConflictSkip   = "skip"
	OnConflictUpdate = "update"
)

// Batch statuses.
const (
	StatusUploaded  = "uploaded"
	StatusPending   = "pending"
	StatusRunning   = "running"
	StatusDone      = "done"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Service imports users.
type Service struct {
	db       *db.DB
	v        *vault.Vault
	accounts *account.Service
	audit    *audit.Log
	now      func() time.Time
	jobs     *Jobs // nil: no background import (the command line)
}

// New returns the import service.
func New(d *db.DB, v *vault.Vault, accounts *account.Service, a *audit.Log) *Service {
	return &Service{db: d, v: v, accounts: accounts, audit: a, now: time.Now}
}

// Options say how to run one import.
type Options struct {
	// Source names where the users come from (recorded with each user and
	// in the audit log); no personal data.
	Source string
	// Format is csv, jsonl or sql, for the record; Encoding a CSV's.
	Format, Encoding string
	// OnConflict is OnConflictSkip (default) or OnConflictUpdate.
	OnConflict string
	// DryRun checks every row and reports what would happen, writing
	// nothing at all.
	DryRun bool
	// ActorID is the administrator who runs it (0: the operator's console).
	ActorID int64
	// BatchID continues a batch made by Prepare (the web upload's job);
	// 0 starts a new one.
	BatchID int64
	// BatchSize overrides DefaultBatch.
	BatchSize int
	// Progress, when not nil, is told after each batch.
	Progress func(Progress)
}

// Progress is the state of a running import.
type Progress struct {
	Read                              int64
	Created, Updated, Skipped, Failed int64
	// Done and Total are the source's own measure (bytes of a file, rows
	// of a table); Total 0 means unknown.
	Done, Total int64
}

// Failure is one row not imported: where it is and why, never a value.
type Failure struct {
	Where  string `json:"where"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"` // an i18n key
}

// Report is the outcome of an import.
type Report struct {
	BatchID                           int64
	Source                            string
	DryRun                            bool
	Created, Updated, Skipped, Failed int64
	Failures                          []Failure // the first maxReported
}

// Summary is the report's last line.
func (r *Report) Summary() string {
	return fmt.Sprintf("created %d, updated %d, skipped %d, failed %d", r.Created, r.Updated, r.Skipped, r.Failed)
}

// pending is a checked row waiting for its batch.
type pending struct {
	where      string
	rec        account.ImportRecord
	registered int64
}

// Run imports every row of src. Each batch is one transaction that
// writes its users, their import_users rows and the batch's counts, so a
// run killed at any moment leaves whole rows and a re-run (addresses
// already there are skipped or updated) finishes the job without
// duplicates. Bad rows are counted and reported and do not stop the
// rest; an error reading the source or writing the database does (the
// report so far is returned with it). At the end the batch is marked done
// and the import audited (audit.ActionImport: who, from where, counts).
func (s *Service) Run(ctx context.Context, src Source, o Options) (*Report, error) {
	if o.OnConflict == "" {
		o.OnConflict = OnConflictSkip
	}
	if o.OnConflict != OnConflictSkip && o.OnConflict != OnConflictUpdate {
		return nil, fmt.Errorf("importer: --on-conflict must be skip or update")
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatch
	}
	rep := &Report{Source: o.Source, DryRun: o.DryRun, BatchID: o.BatchID}
	if !o.DryRun {
		if rep.BatchID == 0 {
			id, err := s.newBatch(ctx, o, StatusRunning)
			if err != nil {
				return nil, err
			}
			rep.BatchID = id
		} else if err := s.setStatus(ctx, rep.BatchID, StatusRunning, nil); err != nil {
			return nil, err
		}
		if _, total := src.Progress(); total > 0 {
			if _, err := s.db.Exec(ctx, `UPDATE import_batches SET total = ? WHERE id = ?`, total, rep.BatchID); err != nil {
				return nil, fmt.Errorf("importer: batch total: %w", err)
			}
		}
	}
	// Batches are written by a pool of writers while the next batch is
	// read and checked: on PostgreSQL two transactions at once overlap
	// this process's sealing with the server's work; SQLite has one
	// writer, so one. Two batches holding the same address cannot both
	// create it: the unique blind index refuses the second, which is
	// retried and finds the address taken.
	workers := 1
	if s.db.Engine() == db.Postgres && !o.DryRun {
		workers = 2
	}
	var mu sync.Mutex // guards rep and read
	var read int64
	progress := func() {
		if o.Progress != nil {
			done, total := src.Progress()
			mu.Lock()
			p := Progress{Read: read, Created: rep.Created, Updated: rep.Updated, Skipped: rep.Skipped,
				Failed: rep.Failed, Done: done, Total: total}
			mu.Unlock()
			o.Progress(p)
		}
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	type work struct {
		batch  []pending
		nfails int64
		at     [2]int64
	}
	queue := make(chan work)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range queue {
				if err := s.flush(wctx, rep, &mu, w.batch, w.nfails, w.at, o); err != nil {
					errs <- err
					stop()
					return
				}
				progress()
			}
		}()
	}
	batch := make([]pending, 0, o.BatchSize)
	var nfails int64
	dispatch := func() error {
		done, _ := src.Progress()
		mu.Lock()
		w := work{batch: batch, nfails: nfails, at: [2]int64{read, done}}
		mu.Unlock()
		batch, nfails = make([]pending, 0, o.BatchSize), 0
		select {
		case queue <- w:
			return nil
		case <-wctx.Done():
			return wctx.Err()
		}
	}
	err := func() error {
		for {
			if err := wctx.Err(); err != nil {
				return err
			}
			row, err := src.Next()
			if errors.Is(err, io.EOF) {
				return dispatch()
			}
			if err != nil {
				return err
			}
			p, f := check(row)
			mu.Lock()
			read++
			if f != nil {
				// Counted in the order read, so the report lists the bad
				// rows in file order whichever writer is faster.
				rep.Failed++
				if len(rep.Failures) < maxReported {
					rep.Failures = append(rep.Failures, *f)
				}
				nfails++
			} else {
				batch = append(batch, p)
			}
			mu.Unlock()
			if len(batch) >= o.BatchSize || nfails >= int64(o.BatchSize) {
				if err := dispatch(); err != nil {
					return err
				}
			}
		}
	}()
	close(queue)
	wg.Wait()
	close(errs)
	if werr := <-errs; werr != nil && (err == nil || errors.Is(err, context.Canceled) && ctx.Err() == nil) {
		err = werr // a writer's failure, not the stop it caused
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if !o.DryRun {
			st := StatusFailed
			if ctx.Err() != nil {
				st = StatusCancelled
			}
			// The context may be cancelled: the mark must still be made.
			_ = s.setStatus(context.WithoutCancel(ctx), rep.BatchID, st, rep)
		}
		return rep, fmt.Errorf("importer: %w", err)
	}
	if o.DryRun {
		return rep, nil
	}
	if err := s.setStatus(ctx, rep.BatchID, StatusDone, rep); err != nil {
		return rep, err
	}
	if _, err := s.audit.Append(ctx, audit.Entry{ActorID: o.ActorID, Action: audit.ActionImport,
		Detail: fmt.Sprintf("batch %d from %s (%s, on conflict %s): %s", rep.BatchID, safeSource(o.Source), o.Format, o.OnConflict, rep.Summary())}); err != nil {
		return rep, fmt.Errorf("importer: audit: %w", err)
	}
	return rep, nil
}

// safeSource keeps a source name printable and short for the audit log.
func safeSource(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200]
	}
	return strconv.Quote(s)
}

// check turns a row into a record for account.ImportUsersTx, or says why
// it cannot be imported.
func check(row Row) (pending, *Failure) {
	if row.Problem != "" {
		return pending{}, &Failure{Where: row.Where, Reason: row.Problem}
	}
	v := row.Values
	rec := account.ImportRecord{
		Email:        v[0],
		Profile:      account.Profile{FullName: v[1], Phone: v[2], Organization: v[3], Position: v[4], Region: v[5]},
		PasswordHash: v[6],
	}
	if strings.TrimSpace(rec.Email) == "" {
		return pending{}, &Failure{Where: row.Where, Field: FieldEmail, Reason: ReasonNoEmail}
	}
	if err := account.CheckImport(&rec); err != nil {
		var fs apperr.Fields
		if errors.As(err, &fs) && len(fs) > 0 {
			e := fs[0]
			f := &Failure{Where: row.Where, Field: e.Field, Reason: ReasonFieldInvalid}
			switch {
			case e.Key == "account.field.charset":
				f.Reason = ReasonCharset
			case e.Field == account.FieldEmail:
				f.Reason = ReasonEmailInvalid
			case e.Field == account.FieldPassword:
				f.Field, f.Reason = FieldPasswordHash, ReasonHashUnknown
			case e.Key == "account.field.too_long":
				f.Reason = ReasonTooLong
			}
			return pending{}, f
		}
		return pending{}, &Failure{Where: row.Where, Reason: ReasonMalformed}
	}
	reg, ok := parseTime(v[7])
	if !ok {
		return pending{}, &Failure{Where: row.Where, Field: FieldRegisteredAt, Reason: ReasonDateInvalid}
	}
	return pending{where: row.Where, rec: rec, registered: reg}, nil
}

// parseTime reads a registration date as other sites store it: RFC 3339,
// "2006-01-02 15:04:05" (MySQL, taken as UTC), a date alone, or Unix
// seconds. "" and MySQL's zero date are unknown (0).
func parseTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "0000-00-00") {
		return 0, true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 && n < 1e11 {
		return n * 1000, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02", "02.01.2006 15:04:05", "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}

// flush writes one batch (or, in a dry run, looks its addresses up) and
// adds its outcome to rep; nfails is how many rows read with it were
// refused (already in rep), for the batch's stored count.
func (s *Service) flush(ctx context.Context, rep *Report, mu *sync.Mutex, batch []pending, nfails int64, at [2]int64, o Options) error {
	if o.DryRun {
		return s.dryRun(ctx, rep, mu, batch, o)
	}
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		var out []account.ImportResult
		err = s.db.InTx(ctx, func(tx *db.Tx) error {
			var err error
			out, err = s.writeBatch(ctx, tx, rep.BatchID, batch, nfails, at, o)
			return err
		})
		if err == nil {
			mu.Lock()
			tally(rep, out)
			mu.Unlock()
			return nil
		}
		if !account.IsImportConflict(err) || ctx.Err() != nil {
			break
		}
		// Another writer took an address (or an id) meanwhile: the batch
		// was rolled back; the next attempt's lookup finds what it took.
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(batch) == 0 {
		return err
	}
	if len(batch) == 1 {
		mu.Lock()
		rep.Failed++
		if len(rep.Failures) < maxReported {
			rep.Failures = append(rep.Failures, Failure{Where: batch[0].where, Reason: ReasonDatabase})
		}
		mu.Unlock()
		return s.flush(ctx, rep, mu, nil, nfails+1, at, o)
	}
	// One row the database refuses must not sink the others: each is
	// written alone, and the one that fails is reported.
	for i := range batch {
		var n int64
		if i == len(batch)-1 {
			n = nfails
		}
		if err := s.flush(ctx, rep, mu, batch[i:i+1], n, at, o); err != nil {
			return err
		}
	}
	return nil
}

func tally(rep *Report, out []account.ImportResult) {
	for _, r := range out {
		switch r.Outcome {
		case account.ImportCreated:
			rep.Created++
		case account.ImportUpdated:
			rep.Updated++
		case account.ImportSkipped:
			rep.Skipped++
		}
	}
}

// writeBatch is one batch's transaction: the users, where each new one
// came from, and the batch's running counts (what the progress page reads).
func (s *Service) writeBatch(ctx context.Context, tx *db.Tx, batchID int64, batch []pending, nfails int64, at [2]int64, o Options) ([]account.ImportResult, error) {
	recs := make([]account.ImportRecord, len(batch))
	for i := range batch {
		recs[i] = batch[i].rec
	}
	out, err := s.accounts.ImportUsersTx(ctx, tx, recs, o.OnConflict == OnConflictUpdate)
	if err != nil {
		return nil, err
	}
	now := s.now().UnixMilli()
	var q strings.Builder
	var args []any
	for i, r := range out {
		if r.Outcome != account.ImportCreated {
			continue
		}
		if len(args) > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?, ?, ?, ?, ?)")
		args = append(args, r.UserID, batchID, o.Source, now, batch[i].registered)
	}
	if len(args) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO import_users (user_id, batch_id, source, imported_at, registered_at) VALUES `+q.String(), args...); err != nil {
			return nil, fmt.Errorf("importer: record source: %w", err)
		}
	}
	var c Report
	tally(&c, out)
	// Increments, as two writers commit batches in either order.
	_, err = tx.Exec(ctx, `UPDATE import_batches SET rows_read = CASE WHEN rows_read < ? THEN ? ELSE rows_read END,
		done = CASE WHEN done < ? THEN ? ELSE done END,
		created = created + ?, updated = updated + ?, skipped = skipped + ?, failed = failed + ?, seen_at = ? WHERE id = ?`,
		at[0], at[0], at[1], at[1], c.Created, c.Updated, c.Skipped, nfails, s.now().UnixMilli(), batchID)
	if err != nil {
		return nil, fmt.Errorf("importer: batch counts: %w", err)
	}
	return out, nil
}

// dryRun counts what a batch would do without writing.
func (s *Service) dryRun(ctx context.Context, rep *Report, mu *sync.Mutex, batch []pending, o Options) error {
	if len(batch) == 0 {
		return nil
	}
	emails := make([]string, len(batch))
	for i := range batch {
		emails[i] = batch[i].rec.Email
	}
	taken, err := s.accounts.Registered(ctx, emails)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	for _, t := range taken {
		switch {
		case !t:
			rep.Created++
		case o.OnConflict == OnConflictUpdate:
			rep.Updated++
		default:
			rep.Skipped++
		}
	}
	return nil
}

// reportJSON is the stored form of a report's failures.
func reportJSON(rep *Report) string {
	if rep == nil || len(rep.Failures) == 0 {
		return ""
	}
	b, _ := json.Marshal(rep.Failures)
	return string(b)
}
