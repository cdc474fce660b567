package telemetry

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
)

// DayCount is one closed day's visits and unique visitors.
type DayCount struct {
	Day      string
	Views    int64
	Visitors int64
}

// Series reads the closed days between from and to (inclusive, "2006-01-02")
// of one dimension's value (DimTotal, "" for the site's visits; "download"
// and a material id for its downloads). Only the daily aggregates are read.
func Series(ctx context.Context, d *db.DB, dim, value, from, to string) ([]DayCount, error) {
	rows, err := d.Query(ctx, `SELECT day, views, visitors FROM telemetry_daily WHERE dim = ? AND day >= ? AND day <= ? AND value = ? ORDER BY day`,
		dim, from, to, value)
	if err != nil {
		return nil, fmt.Errorf("telemetry: series: %w", err)
	}
	defer rows.Close()
	var out []DayCount
	for rows.Next() {
		var c DayCount
		if err := rows.Scan(&c.Day, &c.Views, &c.Visitors); err != nil {
			return nil, fmt.Errorf("telemetry: series: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Count is a value of a dimension over a period: its views, and the sum of
// its daily unique visitors (a visitor who came on two days counts twice:
// the days' salts are gone, so no one can tell it was the same visitor).
type Count struct {
	Value    string
	Views    int64
	Visitors int64
}

// Top reads the most viewed values of a dimension between from and to.
// It does not sum every value of every day (a quarter of a year of a big
// site is hundreds of thousands of daily rows): the candidates are the
// values ranked within the first max(10·limit, 100) of at least one day
// of the period (an index range per day), and only they are summed,
// exactly, through the (dim, value, day) index. A value that was never
// near the top of any single day is not a candidate; for dimensions with
// fewer values than that a day, every value is one and the result is exact.
func Top(ctx context.Context, d *db.DB, dim, from, to string, limit int) ([]Count, error) {
	cut := max(10*limit, 100)
	rows, err := d.Query(ctx, `SELECT DISTINCT value FROM telemetry_daily WHERE dim = ? AND day >= ? AND day <= ? AND rank <= ?`,
		dim, from, to, cut)
	if err != nil {
		return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
	}
	var cands []any
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
		}
		cands = append(cands, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
	}
	var out []Count
	for len(cands) > 0 {
		part := cands[:min(len(cands), 500)]
		cands = cands[len(part):]
		args := append([]any{dim, from, to}, part...)
		rows, err := d.Query(ctx, `SELECT value, SUM(views), SUM(visitors) FROM telemetry_daily
			WHERE dim = ? AND day >= ? AND day <= ? AND value IN (?`+strings.Repeat(", ?", len(part)-1)+`) GROUP BY value`, args...)
		if err != nil {
			return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Value, &c.Views, &c.Visitors); err != nil {
				rows.Close()
				return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Views != out[j].Views {
			return out[i].Views > out[j].Views
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Totals sums a dimension over the period (all values).
func Totals(ctx context.Context, d *db.DB, dim, from, to string) (Count, error) {
	var c Count
	err := d.QueryRow(ctx, `SELECT COALESCE(SUM(views), 0), COALESCE(SUM(visitors), 0) FROM telemetry_daily
		WHERE dim = ? AND day >= ? AND day <= ?`, dim, from, to).Scan(&c.Views, &c.Visitors)
	if err != nil {
		return c, fmt.Errorf("telemetry: totals: %w", err)
	}
	return c, nil
}
