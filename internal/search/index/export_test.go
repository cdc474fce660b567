package index

import "github.com/smartustaz/smartustaz/internal/db"

// WithPlan returns an index that always takes one plan, so the tests run
// each on a small library: "join" (SQLite: from FTS5 to the materials;
// PostgreSQL: a walk of one material, then the GIN index), "in" (SQLite
// only: the sort's index walked against the set of matches) or "scan"
// (SQLite: the sort's index walked, each material's terms tested;
// PostgreSQL: the same, with room for every material).
func WithPlan(d *db.DB, plan string) *Index {
	x := New(d)
	switch plan {
	case "join":
		x.joinMax, x.probeCap, x.pgWalk = 1<<30, 1<<30+1, 1
	case "in":
		x.joinMax, x.probeCap = 0, 1<<30
	case "scan":
		x.joinMax, x.probeCap, x.pgWalk = 0, 1, 1<<30
	}
	return x
}
