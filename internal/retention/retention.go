// Package retention destroys what the site keeps past its declared
// period (law L8: data is kept only until its purpose is achieved) and
// keeps the register of what it destroyed. The periods are not written
// here: they are the Retention values of internal/datamap's declarations
// (datamap.Rules), the same values /privacy/data-map and the Privacy
// Policy show, so the published period and the enforced one are one
// value. Each purge writes a destruction record (table, categories,
// count, date, rule), never whose data it was.
package retention

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/datamap"
	"github.com/smartustaz/smartustaz/internal/db"
)

// Batch is how many rows one statement purges, so a first run over
// years of rows does not hold the writer for long.
const Batch = 1000

// Record is one line of the destruction register.
type Record struct {
	ID         int64
	At         time.Time
	Table      string
	Categories string // comma-separated datamap categories
	Rule       string // datamap.Rule.Name, or the owner's job ("telemetry.retain")
	Count      int64
}

// Purger runs the declared rules over a database.
type Purger struct {
	db    *db.DB
	rules []datamap.Rule
	now   func() time.Time
}

// New returns a Purger of the declared rules; now is the clock (nil:
// time.Now). It fails when a declaration makes no valid rule.
func New(d *db.DB, now func() time.Time) (*Purger, error) {
	rules, err := datamap.Rules()
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Purger{db: d, rules: rules, now: now}, nil
}

// Rules are the rules the purger enforces.
func (p *Purger) Rules() []datamap.Rule { return p.rules }

// Run purges every rule past its period and returns the records it
// wrote, one per rule that destroyed something. A batch and its record
// commit together, so the register never misses a destruction.
func (p *Purger) Run(ctx context.Context) ([]Record, error) {
	now := p.now()
	var out []Record
	for _, r := range p.rules {
		cutoff := now.Add(-time.Duration(r.Retention.N) * 24 * time.Hour).UnixMilli()
		q, args := purgeSQL(r, cutoff)
		var total int64
		for {
			var n int64
			err := p.db.InTx(ctx, func(tx *db.Tx) error {
				res, err := tx.Exec(ctx, q, args...)
				if err != nil {
					return err
				}
				n, _ = res.RowsAffected()
				if n == 0 {
					return nil
				}
				return insert(ctx, tx, Record{At: now, Table: r.Table, Categories: categories(r.Categories), Rule: r.Name(), Count: n})
			})
			if err != nil {
				return out, fmt.Errorf("retention: %s: %w", r.Name(), err)
			}
			total += n
			if n < Batch {
				break
			}
		}
		if total > 0 {
			out = append(out, Record{At: now, Table: r.Table, Categories: categories(r.Categories), Rule: r.Name(), Count: total})
		}
	}
	return out, nil
}

// purgeSQL is one batch of rule r. The names come from the declarations
// (checked against the migrated schema by datamap's tests), never from
// input.
func purgeSQL(r datamap.Rule, cutoff int64) (string, []any) {
	var due string
	switch r.Retention.Kind {
	case datamap.AfterAccountKind:
		due = r.Retention.From + ` IN (SELECT id FROM users WHERE deleted_at > 0 AND deleted_at < ?)`
	default:
		due = r.Retention.From + ` > 0 AND ` + r.Retention.From + ` < ?`
	}
	if r.Purge == datamap.EmptySealed {
		set := make([]string, len(r.Columns))
		kept := make([]string, len(r.Columns))
		for i, c := range r.Columns {
			set[i] = c + ` = NULL`
			kept[i] = c + ` IS NOT NULL`
		}
		due += ` AND (` + strings.Join(kept, ` OR `) + `)`
		return `UPDATE ` + r.Table + ` SET ` + strings.Join(set, ", ") +
			` WHERE id IN (SELECT id FROM ` + r.Table + ` WHERE ` + due + fmt.Sprintf(` LIMIT %d)`, Batch), []any{cutoff}
	}
	return `DELETE FROM ` + r.Table + ` WHERE id IN (SELECT id FROM ` + r.Table + ` WHERE ` + due + fmt.Sprintf(` LIMIT %d)`, Batch), []any{cutoff}
}

func categories(cs []datamap.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func insert(ctx context.Context, q db.Querier, r Record) error {
	_, err := q.Exec(ctx, `INSERT INTO destructions (id, at, table_name, categories, rule, count) VALUES (?, ?, ?, ?, ?, ?)`,
		db.NewID(), r.At.UnixMilli(), r.Table, r.Categories, r.Rule, r.Count)
	return err
}

// Log writes the record of a purge another package's own job made (the
// telemetry's records, the mail outbox), so the register is complete.
func Log(ctx context.Context, q db.Querier, r Record) error {
	if r.Count <= 0 {
		return nil
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	if err := insert(ctx, q, r); err != nil {
		return fmt.Errorf("retention: log: %w", err)
	}
	return nil
}

// List returns the newest destruction records first, at most limit.
func List(ctx context.Context, d *db.DB, limit int) ([]Record, error) {
	rows, err := d.Query(ctx, `SELECT id, at, table_name, categories, rule, count FROM destructions ORDER BY at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("retention: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var at int64
		if err := rows.Scan(&r.ID, &at, &r.Table, &r.Categories, &r.Rule, &r.Count); err != nil {
			return nil, fmt.Errorf("retention: list: %w", err)
		}
		r.At = db.Time(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("retention: list: %w", err)
	}
	return out, nil
}
