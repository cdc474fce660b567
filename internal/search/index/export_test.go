package index

import "github.com/smartustaz/smartustaz/internal/db"

// WithPlan returns an index that always takes one plan, so the tests run
// each on a small library: "join" (SQLite: from FTS5 to the materials;
// PostgreSQL: every match from the GIN index, looked up by key), "in"
// (SQLite: the sort's index walked against the set of matches;
// PostgreSQL: a walk of one material, then the GIN index in a CTE) or
// "scan" (SQLite: the sort's index walked, each material's terms tested;
// PostgreSQL: the same, with room for every material).
func WithPlan(d *db.DB, plan string) *Index {
	x := New(d)
	switch plan {
	case "join":
		x.joinMax, x.probeCap, x.pgFew = 1<<30, 1<<30+1, 1<<30
	case "in":
		x.joinMax, x.probeCap, x.pgFew, x.pgWalk = 0, 1<<30, 0, 1
	case "scan":
		x.joinMax, x.probeCap, x.pgFew, x.pgWalk = 0, 1, 0, 1<<30
	}
	return x
}
