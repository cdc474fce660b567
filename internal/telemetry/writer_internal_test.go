package telemetry

import (
	"context"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// A process keeps only the newest day's salt: once a later day has begun
// here, an earlier day's salt is read for a late event but not kept, so
// closing the day (which deletes it from the database) leaves no copy in
// any process.
func TestWriterKeepsOnlyTheNewestSalt(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		v, _, err := vault.Open(d, t.TempDir(), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		w := NewWriter(d, v, WriterOptions{})
		day0 := time.Date(2026, 11, 20, 23, 59, 0, 0, time.UTC)
		ev := func(at time.Time) Event {
			return Event{At: at.UnixMilli(), Path: "/", Remote: "198.51.100.1:1", UA: "x"}
		}
		ctx := context.Background()
		for _, at := range []time.Time{day0, day0.Add(2 * time.Minute), day0} {
			if err := w.Write(ctx, []Event{ev(at)}); err != nil {
				t.Fatal(err)
			}
		}
		if len(w.salts) != 1 || w.salts["2026-11-21"] == nil {
			t.Fatalf("salts kept in memory: %d, want the newest day's only", len(w.salts))
		}
	})
}
