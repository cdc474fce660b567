package telemetry

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// CloseGrace is how long after midnight (UTC) a day stays open, so the
// last events of every node (written within a second) are in before the
// day's salt is destroyed.
const CloseGrace = 10 * time.Minute

// CloseDays closes every day that ended more than CloseGrace before now:
// in one transaction its counts become the daily aggregates, every value
// seen by fewer than K visitors merged into "other" (k-anonymity), and
// the day's visitor hashes and its salt are deleted, so nobody can ever
// compute those hashes again. Any node may run it (a scheduled job);
// running it twice changes nothing. It returns the days closed.
func CloseDays(ctx context.Context, d *db.DB, now time.Time) ([]string, error) {
	last := Day(now.Add(-CloseGrace).UnixMilli()) // days before this one have ended
	rows, err := d.Query(ctx, `SELECT day FROM telemetry_salts WHERE day < ? UNION SELECT DISTINCT day FROM telemetry_live WHERE day < ?`, last, last)
	if err != nil {
		return nil, fmt.Errorf("telemetry: days to close: %w", err)
	}
	var days []string
	for rows.Next() {
		var day string
		if err := rows.Scan(&day); err != nil {
			rows.Close()
			return nil, fmt.Errorf("telemetry: days to close: %w", err)
		}
		days = append(days, day)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("telemetry: days to close: %w", err)
	}
	sort.Strings(days)
	for _, day := range days {
		if err := d.InTx(ctx, func(tx *db.Tx) error { return closeDay(ctx, tx, day) }); err != nil {
			return nil, fmt.Errorf("telemetry: close %s: %w", day, err)
		}
	}
	return days, nil
}

type liveRow struct {
	dim, value string
	views      int64
	visitors   int64
}

func closeDay(ctx context.Context, tx *db.Tx, day string) error {
	// Another node may be closing the same day: the salt row is the lock
	// (PostgreSQL: FOR UPDATE; SQLite has one writer anyway).
	var one int
	_ = tx.QueryRow(ctx, `SELECT 1 FROM telemetry_salts WHERE day = ?`+db.ForUpdate(tx.Engine()), day).Scan(&one)
	rows, err := tx.Query(ctx, `SELECT l.dim, l.value, l.views,
		(SELECT COUNT(*) FROM telemetry_live_visitors v WHERE v.day = l.day AND v.dim = l.dim AND v.value = l.value)
		FROM telemetry_live l WHERE l.day = ?`, day)
	if err != nil {
		return err
	}
	var live []liveRow
	for rows.Next() {
		var r liveRow
		if err := rows.Scan(&r.dim, &r.value, &r.views, &r.visitors); err != nil {
			rows.Close()
			return err
		}
		live = append(live, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	type dv struct{ dim, value string }
	out := map[dv]*liveRow{}
	small := map[string][]string{} // dimension → its values under K
	for i := range live {
		r := &live[i]
		if r.dim != DimTotal && r.dim != DimDownloads && r.visitors < K {
			small[r.dim] = append(small[r.dim], r.value)
			o := out[dv{r.dim, Other}]
			if o == nil {
				o = &liveRow{dim: r.dim, value: Other}
				out[dv{r.dim, Other}] = o
			}
			o.views += r.views
			continue
		}
		k := dv{r.dim, r.value}
		if o := out[k]; o != nil { // a value literally named "other"
			o.views += r.views
			o.visitors += r.visitors
			continue
		}
		c := *r
		out[k] = &c
	}
	// "other" counts each of its visitors once, however many of its
	// values they saw.
	for dim, values := range small {
		seen := map[string]bool{}
		for len(values) > 0 {
			part := values
			if len(part) > 300 {
				part = part[:300]
			}
			values = values[len(part):]
			args := []any{day, dim}
			for _, v := range part {
				args = append(args, v)
			}
			rows, err := tx.Query(ctx, `SELECT hash FROM telemetry_live_visitors WHERE day = ? AND dim = ? AND value IN (?`+
				strings.Repeat(", ?", len(part)-1)+`)`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var h []byte
				if err := rows.Scan(&h); err != nil {
					rows.Close()
					return err
				}
				seen[string(h)] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		out[dv{dim, Other}].visitors += int64(len(seen))
	}
	// Each value's rank among its dimension's values of the day.
	byDim := map[string][]*liveRow{}
	for _, r := range out {
		byDim[r.dim] = append(byDim[r.dim], r)
	}
	var args []any
	for _, rs := range byDim {
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].views != rs[j].views {
				return rs[i].views > rs[j].views
			}
			return rs[i].value < rs[j].value
		})
		for i, r := range rs {
			args = append(args, r.dim, day, r.value, r.views, r.visitors, i+1)
		}
	}
	if err := insertMany(ctx, tx, `INSERT INTO telemetry_daily (dim, day, value, views, visitors, rank) VALUES `,
		` ON CONFLICT (dim, day, value) DO UPDATE SET views = telemetry_daily.views + excluded.views,
		visitors = telemetry_daily.visitors + excluded.visitors`, 6, args); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM telemetry_live WHERE day = ?`,
		`DELETE FROM telemetry_live_visitors WHERE day = ?`,
		`DELETE FROM telemetry_salts WHERE day = ?`,
	} {
		if _, err := tx.Exec(ctx, q, day); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO telemetry_days (day, closed_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING`, day, db.Now())
	return err
}

// DefaultRetention is how long personalised technical records are kept.
const DefaultRetention = 90 * 24 * time.Hour

// Retain deletes personalised records older than keep; the aggregates
// stay. It returns how many were deleted.
func Retain(ctx context.Context, d *db.DB, now time.Time, keep time.Duration) (int64, error) {
	res, err := d.Exec(ctx, `DELETE FROM telemetry_records WHERE at < ?`, now.Add(-keep).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("telemetry: retention: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// EraseUser deletes a user's personalised records and preferences inside
// the account deletion's transaction (account.Eraser); their data key is
// destroyed in the same transaction, so any copy left in a backup does
// not open either.
func EraseUser(ctx context.Context, tx *db.Tx, userID int64) error {
	for _, q := range []string{
		`DELETE FROM telemetry_records WHERE user_id = ?`,
		`DELETE FROM telemetry_preferences WHERE user_id = ?`,
	} {
		if _, err := tx.Exec(ctx, q, userID); err != nil {
			return fmt.Errorf("telemetry: erase a user: %w", err)
		}
	}
	return nil
}

// Record is one personalised record, opened.
type Record struct {
	At     time.Time
	Values [nDefs]string
}

// Value is the opened value of a Def by name.
func (r Record) Value(name string) string {
	for f, d := range Defs {
		if d.Name == name {
			return r.Values[f]
		}
	}
	return ""
}

// PersonalDefs are the Defs kept in a personalised record, in order.
func PersonalDefs() []Def {
	var out []Def
	for _, f := range recordColumns {
		out = append(out, Defs[f])
	}
	return out
}

// UserRecordCount is how many technical records the user has: what makes
// an account's data large (the data ZIP is built in the background above
// a threshold).
func UserRecordCount(ctx context.Context, d *db.DB, userID int64) (int, error) {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM telemetry_records WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("telemetry: count records: %w", err)
	}
	return n, nil
}

// UserRecords opens the user's newest records (limit ≤ 0: all), newest
// first.
func UserRecords(ctx context.Context, d *db.DB, v *vault.Vault, userID int64, limit int) ([]Record, error) {
	k, err := v.ReadKey(ctx, d, userID)
	if err != nil {
		return nil, fmt.Errorf("telemetry: records: %w", err)
	}
	var cols strings.Builder
	for _, f := range recordColumns {
		cols.WriteString(", " + Defs[f].Name + "_enc")
	}
	q := `SELECT id, at` + cols.String() + ` FROM telemetry_records WHERE user_id = ? ORDER BY at DESC, id DESC`
	args := []any{userID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := d.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("telemetry: records: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var id, at int64
		enc := make([][]byte, len(recordColumns))
		dest := []any{&id, &at}
		for i := range enc {
			dest = append(dest, &enc[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("telemetry: records: %w", err)
		}
		r := Record{At: time.UnixMilli(at).UTC()}
		for i, f := range recordColumns {
			s, err := k.Open(vault.Field{Table: "telemetry_records", Column: Defs[f].Name, Row: id}, enc[i])
			if err != nil {
				return nil, fmt.Errorf("telemetry: records: %w", err)
			}
			r.Values[f] = s.Reveal()
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Preference is one monthly count of a user's views of a subject, grade
// or type.
type Preference struct {
	Month string `json:"month"`
	Kind  string `json:"kind"`
	Value string `json:"value"`
	Views int64  `json:"views"`
}

// UserPreferences opens the user's monthly preference counts, newest
// month first, most viewed first.
func UserPreferences(ctx context.Context, d *db.DB, v *vault.Vault, userID int64) ([]Preference, error) {
	k, err := v.ReadKey(ctx, d, userID)
	if err != nil {
		return nil, fmt.Errorf("telemetry: preferences: %w", err)
	}
	rows, err := d.Query(ctx, `SELECT month, kind, value_enc, views FROM telemetry_preferences WHERE user_id = ?
		ORDER BY month DESC, kind, views DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("telemetry: preferences: %w", err)
	}
	defer rows.Close()
	var out []Preference
	for rows.Next() {
		var p Preference
		var enc []byte
		if err := rows.Scan(&p.Month, &p.Kind, &enc, &p.Views); err != nil {
			return nil, fmt.Errorf("telemetry: preferences: %w", err)
		}
		s, err := k.Open(vault.Field{Table: "telemetry_preferences", Column: p.Kind}, enc)
		if err != nil {
			return nil, fmt.Errorf("telemetry: preferences: %w", err)
		}
		p.Value = s.Reveal()
		out = append(out, p)
	}
	return out, rows.Err()
}
