package library

// Recomputing the stored index terms after the search analysis changes
// (search.AnalysisVersion), for `smartustaz reindex`.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/search"
)

// AnalysisKey is the settings row that holds the search.AnalysisVersion the
// stored terms were made with. Reindex writes it when it has gone through
// every material.
const AnalysisKey = "search.analysis_version"

// reindexBatch is how many materials one transaction rewrites: large enough
// that commits do not dominate, small enough that a transaction holds the
// SQLite writer for well under a second.
var reindexBatch = 1000

// reindexBeforeWrite, when set (by tests), runs between computing a batch's
// terms and writing them: where an edit by the site can fall.
var reindexBeforeWrite func()

// reindexTextCache bounds the extracted file texts kept between materials
// (demo libraries and copies share files), in bytes.
const reindexTextCache = 64 << 20

// Reindex recomputes the index terms of every material, whatever its
// status, with the analysis this binary has, through the code that
// computes them when a material is published (title, description, tags,
// the names of its subject and type, and the text extracted again from its
// stored files). It walks the materials by id in batches; each batch's
// terms are computed outside any transaction and written in one
// transaction. A material edited meanwhile is computed again. progress,
// when not nil, is called after every batch with the materials done and
// the total.
//
// A file that cannot be read from storage stops the run (a wrong
// --storage would otherwise strip every material of its files' words);
// a file whose text cannot be extracted is indexed without it, as at
// publishing. The site may keep serving: until its batch is written a
// material is found by its old terms.
func (s *Service) Reindex(ctx context.Context, progress func(done, total int)) error {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM materials`).Scan(&total); err != nil {
		return fmt.Errorf("library: reindex: %w", err)
	}
	r := &reindexer{s: s, texts: map[string]string{}}
	done := 0
	var after int64
	first := true
	for {
		q := `SELECT id, title, description, subject, grade, type, language, tags, updated_at FROM materials`
		args := []any{}
		if !first {
			q += ` WHERE id > ?`
			args = append(args, after)
		}
		rows, err := r.load(ctx, q+` ORDER BY id LIMIT ?`, append(args, reindexBatch)...)
		if err != nil {
			return fmt.Errorf("library: reindex: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		first, after = false, rows[len(rows)-1].id
		if err := r.run(ctx, rows); err != nil {
			return fmt.Errorf("library: reindex: %w", err)
		}
		done += len(rows)
		if progress != nil {
			progress(done, max(total, done))
		}
	}
	_, err := s.db.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, AnalysisKey, strconv.Itoa(search.AnalysisVersion))
	if err != nil {
		return fmt.Errorf("library: reindex: %w", err)
	}
	return nil
}

// AnalysisState tells whether the stored terms were made by this binary's
// analysis: the version recorded (0 when none is), and whether a reindex is
// due. A database without materials is recorded as current, since there is
// nothing to recompute. One without a record predates the record (version
// 1), unless its terms already hold a tagged Russian stem, which version 1
// never made: then it was filled by this version and is recorded as such.
// It costs one or two queries, for `serve` to warn at start.
func (s *Service) AnalysisState(ctx context.Context) (stored int, due bool, err error) {
	var v string
	err = s.db.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, AnalysisKey).Scan(&v)
	switch {
	case err == nil:
		n, convErr := strconv.Atoi(v)
		if convErr != nil {
			return 0, true, nil
		}
		return n, n != search.AnalysisVersion, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, false, fmt.Errorf("library: analysis version: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT terms FROM material_search LIMIT 20`)
	if err != nil {
		return 0, false, fmt.Errorf("library: analysis version: %w", err)
	}
	var samples []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, false, fmt.Errorf("library: analysis version: %w", err)
		}
		samples = append(samples, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, fmt.Errorf("library: analysis version: %w", err)
	}
	current := len(samples) == 0
	for _, t := range samples {
		if search.HasTaggedTerm(t) {
			current = true
			break
		}
	}
	if !current {
		return 0, true, nil
	}
	_, err = s.db.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		AnalysisKey, strconv.Itoa(search.AnalysisVersion))
	if err != nil {
		return 0, false, fmt.Errorf("library: analysis version: %w", err)
	}
	return search.AnalysisVersion, false, nil
}

// reindexer is one Reindex run.
type reindexer struct {
	s *Service
	// texts caches extracted file texts by hash, up to reindexTextCache
	// bytes, then starts over.
	mu        sync.Mutex
	texts     map[string]string
	textBytes int
}

// reindexRow is a material as the index sees it.
type reindexRow struct {
	id      int64
	c       clean
	updated int64
	files   []File
	writes  deferredExecs
}

// load reads materials and their files.
func (r *reindexer) load(ctx context.Context, q string, args ...any) ([]*reindexRow, error) {
	rows, err := r.s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var out []*reindexRow
	byID := map[int64]*reindexRow{}
	for rows.Next() {
		m := &reindexRow{}
		var tags string
		if err := rows.Scan(&m.id, &m.c.title, &m.c.description, &m.c.subject, &m.c.grade, &m.c.typ, &m.c.language, &tags, &m.updated); err != nil {
			rows.Close()
			return nil, err
		}
		m.c.tags = SplitTags(tags)
		out = append(out, m)
		byID[m.id] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	// The batch's files in one query: its ids are a contiguous range.
	lo, hi := out[0].id, out[0].id
	for _, m := range out {
		lo, hi = min(lo, m.id), max(hi, m.id)
	}
	frows, err := r.s.db.Query(ctx, `SELECT material_id, sha256, size, kind FROM material_files
		WHERE material_id >= ? AND material_id <= ? ORDER BY material_id, position, id`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var f File
		if err := frows.Scan(&f.MaterialID, &f.SHA256, &f.Size, &f.Kind); err != nil {
			return nil, err
		}
		if m := byID[f.MaterialID]; m != nil {
			m.files = append(m.files, f)
		}
	}
	return out, frows.Err()
}

// run computes the batch's terms on every core, then writes them in one
// transaction, and computes again (up to three times) the materials that
// were edited or withdrawn in between.
func (r *reindexer) run(ctx context.Context, batch []*reindexRow) error {
	for attempt := 0; len(batch) > 0; attempt++ {
		if attempt == 3 {
			return fmt.Errorf("material %d keeps changing; run reindex again", batch[0].id)
		}
		if err := r.compute(ctx, batch); err != nil {
			return err
		}
		if reindexBeforeWrite != nil {
			reindexBeforeWrite()
		}
		var changed []int64
		err := r.s.db.InTx(ctx, func(tx *db.Tx) error {
			changed = changed[:0]
			now, err := updatedAt(ctx, tx, batch)
			if err != nil {
				return err
			}
			for _, m := range batch {
				updated, ok := now[m.id]
				if !ok {
					continue // deleted meanwhile: nothing to index
				}
				if updated != m.updated {
					changed = append(changed, m.id)
					continue
				}
				for _, w := range m.writes.calls {
					if _, err := tx.Exec(ctx, w.query, w.args...); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		batch = batch[:0]
		for _, id := range changed {
			again, err := r.load(ctx, `SELECT id, title, description, subject, grade, type, language, tags, updated_at
				FROM materials WHERE id = ?`, id)
			if err != nil {
				return err
			}
			batch = append(batch, again...)
		}
	}
	return nil
}

// updatedAt reads the batch's materials' updated_at as the transaction
// sees them.
func updatedAt(ctx context.Context, tx *db.Tx, batch []*reindexRow) (map[int64]int64, error) {
	lo, hi := batch[0].id, batch[0].id
	want := map[int64]bool{}
	for _, m := range batch {
		lo, hi = min(lo, m.id), max(hi, m.id)
		want[m.id] = true
	}
	rows, err := tx.Query(ctx, `SELECT id, updated_at FROM materials WHERE id >= ? AND id <= ?`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var id, u int64
		if err := rows.Scan(&id, &u); err != nil {
			return nil, err
		}
		if want[id] {
			out[id] = u
		}
	}
	return out, rows.Err()
}

// compute fills each material's writes, GOMAXPROCS materials at a time.
func (r *reindexer) compute(ctx context.Context, batch []*reindexRow) error {
	work := make(chan *reindexRow)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				if err := r.one(ctx, m); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, m := range batch {
		if ctx.Err() != nil || len(errs) > 0 {
			break
		}
		work <- m
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	return ctx.Err()
}

// one computes a material's terms with the publish path's index, whose
// writes are kept to run in the batch's transaction.
func (r *reindexer) one(ctx context.Context, m *reindexRow) error {
	var texts []string
	for _, f := range m.files {
		t, err := r.fileText(ctx, f)
		if err != nil {
			return fmt.Errorf("material %d, file %s: %w (is --storage the site's?)", m.id, f.SHA256, err)
		}
		if t != "" {
			texts = append(texts, t)
		}
	}
	m.writes = deferredExecs{Querier: r.s.db}
	return r.s.index(ctx, &m.writes, m.id, &m.c, texts)
}

// fileText is the text the index takes from a stored file, as Edit reads
// it again (fileTexts), "" when none can be extracted; an error only when
// the file cannot be read from storage.
func (r *reindexer) fileText(ctx context.Context, f File) (string, error) {
	r.mu.Lock()
	t, ok := r.texts[f.SHA256]
	r.mu.Unlock()
	if ok {
		return t, nil
	}
	rc, _, err := r.s.store.Open(ctx, f.SHA256)
	if err != nil {
		return "", err
	}
	t, err = extractText(ctx, readerAt(rc), f.Size, f.Kind)
	rc.Close()
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		t = ""
	}
	if len(t) > maxIndexText {
		t = t[:maxIndexText]
	}
	r.mu.Lock()
	if r.textBytes+len(t) > reindexTextCache {
		clear(r.texts)
		r.textBytes = 0
	}
	r.texts[f.SHA256] = t
	r.textBytes += len(t)
	r.mu.Unlock()
	return t, nil
}

// deferredExecs is a Querier whose reads go to the database and whose
// writes are recorded, to be run later in a short transaction: the terms
// are computed by the same code as at publishing without holding the
// writer meanwhile.
type deferredExecs struct {
	db.Querier
	calls []deferredExec
}

type deferredExec struct {
	query string
	args  []any
}

// Exec records the statement.
func (d *deferredExecs) Exec(_ context.Context, q string, args ...any) (sql.Result, error) {
	d.calls = append(d.calls, deferredExec{query: q, args: args})
	return driver.RowsAffected(1), nil
}
