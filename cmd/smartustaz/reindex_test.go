package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// `smartustaz reindex` on a library whose terms an older analysis made:
// --check says a reindex is due, the run shows its progress and restores
// exactly the terms the materials get now, and --check then says the terms
// are up to date.
func TestReindexCommand(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			env := map[string]string{"SMARTUSTAZ_DATA": t.TempDir(), "SMARTUSTAZ_DB": dbtest.DSN(t, e)}
			cmd := func(args ...string) (string, string) {
				t.Helper()
				var stdout, stderr strings.Builder
				err := run(ctx, append([]string{"smartustaz"}, args...),
					func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
				if err != nil {
					t.Fatalf("%v: %v\n%s", args, err, stderr.String())
				}
				return stdout.String(), stderr.String()
			}
			cmd("demo", "--users", "3", "--materials", "8")

			d, err := db.Open(ctx, env["SMARTUSTAZ_DB"], env["SMARTUSTAZ_DATA"])
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			terms := func() map[int64][]string {
				t.Helper()
				rows, err := d.Query(ctx, `SELECT material_id, terms FROM material_search`)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				out := map[int64][]string{}
				for rows.Next() {
					var id int64
					var s string
					if err := rows.Scan(&id, &s); err != nil {
						t.Fatal(err)
					}
					ts := strings.Fields(s)
					slices.Sort(ts)
					out[id] = ts
				}
				return out
			}
			fresh := terms()
			if len(fresh) != 8 {
				t.Fatalf("%d materials indexed, want 8", len(fresh))
			}
			// Turn the index into what the first analysis stored: Russian
			// stems untagged, no version recorded.
			for id, ts := range fresh {
				var old []string
				for _, x := range ts {
					x, _ = strings.CutSuffix(x, "0")
					old = append(old, x)
				}
				if _, err := d.Exec(ctx, `UPDATE material_search SET terms = ? WHERE material_id = ?`, strings.Join(old, " "), id); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.Exec(ctx, `DELETE FROM settings WHERE key LIKE 'search.%'`); err != nil {
				t.Fatal(err)
			}

			if out, _ := cmd("reindex", "--check"); !strings.Contains(out, "run `smartustaz reindex`") {
				t.Errorf("reindex --check on old terms says:\n%s", out)
			}
			out, progress := cmd("reindex")
			if !strings.Contains(out, "reindexed 8 materials") {
				t.Errorf("reindex output lacks the count:\n%s", out)
			}
			if !strings.Contains(progress, "materials: 8 of 8 (100.0%)\n") || strings.Contains(progress, "\r") {
				t.Errorf("no final progress line on stderr:\n%q", progress)
			}
			got := terms()
			for id, want := range fresh {
				if !slices.Equal(got[id], want) {
					t.Errorf("material %d: terms after reindex differ from the demo's:\n%v\nwant\n%v", id, got[id], want)
				}
			}
			if out, _ := cmd("reindex", "--check"); !strings.Contains(out, "up to date") {
				t.Errorf("reindex --check after the run says:\n%s", out)
			}
		})
	}
}
