package index

import (
	"context"

	"github.com/smartustaz/smartustaz/internal/db"
)

// WithPlan returns an index that always takes one plan, so the tests run
// each on a small library: "join" (SQLite: from FTS5 to the materials;
// PostgreSQL: every match from the GIN index, looked up by key), "in"
// (SQLite: the sort's index walked against the set of matches;
// PostgreSQL: a walk of one material, then the GIN index in a CTE),
// "scan" (SQLite: the sort's index walked, each material's terms tested;
// PostgreSQL: the same, with room for every material), and on PostgreSQL
// "dense" (a query taken for common: the walk first, of no material,
// then the index) and "dense-all" (the walk first, with room for every
// material).
func WithPlan(d *db.DB, plan string) *Index {
	x := New(d)
	switch plan {
	case "join":
		x.joinMax, x.probeCap, x.pgFew, x.pgDenseAt = 1<<30, 1<<30+1, 1<<30, 2
	case "in":
		x.joinMax, x.probeCap, x.pgFew, x.pgWalk, x.pgDenseAt = 0, 1<<30, 0, 1, 2
	case "scan":
		x.joinMax, x.probeCap, x.pgFew, x.pgWalk, x.pgDenseAt = 0, 1, 0, 1<<30, 2
	case "dense":
		x.pgDenseAt, x.pgWalk = -1, 0 // a walk of no material, then the index
	case "dense-all":
		x.pgDenseAt, x.pgWalk = -1, 1<<30
	}
	return x
}

// PGDensity is the share of the materials the index expects groups to
// match (PostgreSQL).
func PGDensity(x *Index, groups [][]string) float64 {
	return x.pgDensity(context.Background(), groups)
}
