package datamap

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/smartustaz/smartustaz/internal/db"
)

// LiveColumn is one column found in a migrated database.
type LiveColumn struct {
	Table, Column, Type string
}

// Ignored reports whether a table is outside the data map, and why.
// River's own tables (river_job, river_leader, river_queue,
// river_client, river_client_queue, river_migration) are made and
// migrated by River itself, not by our migrations: they hold job
// arguments, which our jobs keep free of personal values (ids only; see
// internal/jobs), and their shape changes with River's version.
// schema_migrations is the migrator's own bookkeeping (file names and
// times). SQLite's internal tables (sqlite_*) and the FTS5 shadow tables
// (the *_data, *_idx, *_content, *_docsize, *_config tables an FTS5
// virtual table creates) are storage internals of a declared table.
func Ignored(table string) (bool, string) {
	switch {
	case strings.HasPrefix(table, "river_"):
		return true, "River's own job tables (made and migrated by River; job arguments carry ids only)"
	case table == "schema_migrations":
		return true, "the migrator's bookkeeping: migration names and times"
	case strings.HasPrefix(table, "sqlite_"):
		return true, "SQLite's internal tables"
	}
	return false, ""
}

// Live lists every table and column of the database d, with the ignored
// tables left out, sorted by table and column.
func Live(ctx context.Context, d *db.DB) ([]LiveColumn, error) {
	var q string
	if d.Engine() == db.SQLite {
		// Virtual tables (FTS5) have shadow tables of their own; those are
		// left out through fts5Shadow below.
		q = `SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p
		     WHERE m.type = 'table' ORDER BY m.name, p.name`
	} else {
		q = `SELECT table_name, column_name, data_type FROM information_schema.columns
		     WHERE table_schema = current_schema() ORDER BY table_name, column_name`
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("datamap: list columns: %w", err)
	}
	defer rows.Close()
	var out []LiveColumn
	var all []LiveColumn
	for rows.Next() {
		var c LiveColumn
		if err := rows.Scan(&c.Table, &c.Column, &c.Type); err != nil {
			return nil, fmt.Errorf("datamap: list columns: %w", err)
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("datamap: list columns: %w", err)
	}
	virtual := map[string]bool{}
	if d.Engine() == db.SQLite {
		vr, err := d.Query(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
		if err != nil {
			return nil, fmt.Errorf("datamap: list virtual tables: %w", err)
		}
		for vr.Next() {
			var n string
			if err := vr.Scan(&n); err != nil {
				vr.Close()
				return nil, fmt.Errorf("datamap: list virtual tables: %w", err)
			}
			virtual[n] = true
		}
		vr.Close()
	}
	for _, c := range all {
		if ig, _ := Ignored(c.Table); ig {
			continue
		}
		if shadowOf(c.Table, virtual) {
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Table != out[j].Table {
			return out[i].Table < out[j].Table
		}
		return out[i].Column < out[j].Column
	})
	return out, nil
}

// shadowOf reports whether table is one of the shadow tables SQLite's
// FTS5 makes for a virtual table (name_data, name_idx, name_content,
// name_docsize, name_config): storage of the declared virtual table.
func shadowOf(table string, virtual map[string]bool) bool {
	for _, suf := range []string{"_data", "_idx", "_content", "_docsize", "_config"} {
		if base, ok := strings.CutSuffix(table, suf); ok && virtual[base] {
			return true
		}
	}
	return false
}
