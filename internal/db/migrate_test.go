package db_test

import (
	"context"
	"sync"
	"testing"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
)

// Nodes started together on a fresh PostgreSQL database all migrate it:
// one applies the migrations and the others find them applied, none
// exits with a duplicate key from creating schema_migrations at once.
func TestConcurrentMigrateOnFreshDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.DSN(t, db.Postgres)
	const nodes = 6
	handles := make([]*db.DB, nodes)
	for i := range handles {
		d, err := db.Open(ctx, dsn, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		handles[i] = d
	}
	ms, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	applied := make([][]string, nodes)
	errs := make([]error, nodes)
	start := make(chan struct{})
	for i, d := range handles {
		wg.Go(func() {
			<-start
			applied[i], errs[i] = d.Migrate(ctx)
		})
	}
	close(start)
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: migrate: %v", i, err)
		}
		total += len(applied[i])
	}
	if total != len(ms) {
		t.Fatalf("%d migrations applied across the nodes, want each of the %d once", total, len(ms))
	}
}
