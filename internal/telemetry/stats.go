package telemetry

import (
	"context"
	"fmt"

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
func Top(ctx context.Context, d *db.DB, dim, from, to string, limit int) ([]Count, error) {
	rows, err := d.Query(ctx, `SELECT value, SUM(views) AS v, SUM(visitors) FROM telemetry_daily
		WHERE dim = ? AND day >= ? AND day <= ? GROUP BY value ORDER BY v DESC, value LIMIT ?`, dim, from, to, limit)
	if err != nil {
		return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Value, &c.Views, &c.Visitors); err != nil {
			return nil, fmt.Errorf("telemetry: top %s: %w", dim, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
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
