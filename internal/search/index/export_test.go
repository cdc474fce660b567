package index

import (
	"context"

	"github.com/smartustaz/smartustaz/internal/db"
)

// WithPlan returns an index that always takes one plan, so the tests run
// each on a small library.
//
// SQLite: "join" (from FTS5 to the materials), "in" (the sort's index
// walked against the set of matches), "scan" (the sort's index walked,
// each material's terms tested), "walk" (taken for common: the walk
// first, with room for every material) and "walk-short" (the walk first,
// of one material, then the count and its plans).
//
// PostgreSQL: "join" (every match from the GIN index, looked up by key),
// "in" (the matches a set in memory, the sort's index walked against it a
// material at a time), "set-lookup" (the same, giving up after the first
// material and looking the rest up by key), "chunks" (the sort's index
// walked a material at a time, each probed against the GIN index; newest
// first too), "windows" (newest first: windows of publication times from
// one material on, each ANDed with the GIN index), "cte" (the chunks
// giving up after the first, the rest from every match in a CTE), "dense" (taken for common: a walk testing terms, of no
// material, then the rest as usual) and "dense-all" (the walk testing
// terms, with room for every material).
func WithPlan(d *db.DB, plan string) *Index {
	x := New(d)
	switch plan {
	case "join":
		x.joinMax, x.probeCap, x.sqWalk, x.pgFew, x.pgDenseAt = 1<<30, 1<<30+1, 0, 1<<30, 2
	case "in":
		x.joinMax, x.probeCap, x.sqWalk = 0, 1<<30, 0
		x.pgFew, x.pgSet, x.pgSetAt, x.pgChunk, x.pgSetRows, x.pgWindow, x.pgDenseAt = 0, 1<<30, 2, 1, 1<<30, 0, 2
	case "scan":
		x.joinMax, x.probeCap, x.sqWalk = 0, 1, 0
	case "walk":
		x.sqDenseAt, x.sqWalkAt, x.sqWalk = -1, -1, 1<<30
	case "walk-short":
		x.sqDenseAt, x.sqWalkAt, x.sqWalk = -1, -1, 1
	case "set-lookup":
		x.pgFew, x.pgSet, x.pgSetAt, x.pgChunk, x.pgSetRows, x.pgWindow, x.pgDenseAt = 0, 1<<30, 2, 1, 0, 0, 2
	case "chunks":
		x.pgFew, x.pgSetAt, x.pgChunk, x.pgWindow, x.pgDenseAt = 0, -1, 1, 0, 2
	case "windows":
		x.pgFew, x.pgSetAt, x.pgWindow, x.pgDenseAt = 0, -1, 1, 2
	case "cte":
		x.pgFew, x.pgSetAt, x.pgChunk, x.pgChunkRows, x.pgWindow, x.pgDenseAt = 0, -1, 1, 0, 0, 2
	case "dense":
		x.pgDenseAt, x.pgWalkAt, x.pgWalk = -1, -1, 0
	case "dense-all":
		x.pgDenseAt, x.pgWalkAt, x.pgWalk = -1, -1, 1<<30
	}
	return x
}

// PGDense and SQDense are the densities from which PostgreSQL and SQLite
// walk first.
const (
	PGDense = pgDense
	SQDense = sqDense
)

// SQDensity is the share of the materials the index expects groups to
// match (SQLite, from FTS5's vocabulary).
func SQDensity(x *Index, groups [][]string) float64 {
	return x.sqDensity(context.Background(), groups)
}

// PGDensity is the share of the materials the index expects groups to
// match (PostgreSQL).
func PGDensity(x *Index, groups [][]string) float64 {
	return x.pgDensity(context.Background(), groups)
}
