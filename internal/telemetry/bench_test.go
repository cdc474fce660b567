package telemetry_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/telemetry"
)

// benchEvents makes n page views of a realistic mix: 5,000 visitors (one
// address and browser each), one in ten signed in (200 users), 2,000
// material pages and the catalog, a quarter from a search engine.
func benchEvents(n int, at time.Time) []telemetry.Event {
	r := rand.New(rand.NewPCG(1, 2))
	uas := []string{chromeUA, androidUA, userUA,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 YaBrowser/23.11.0.0 Safari/537.36"}
	out := make([]telemetry.Event, n)
	for i := range out {
		v := r.IntN(5000)
		e := telemetry.Event{At: at.Add(time.Duration(i) * time.Millisecond).UnixMilli(), Host: "smartustaz.kz",
			Remote: fmt.Sprintf("10.%d.%d.%d:5555", v/65536, v/256%256, v%256), UA: uas[v%len(uas)]}
		switch k := r.IntN(10); {
		case k < 6:
			e.Path = fmt.Sprintf("/materials/%d-sabak", 1+r.IntN(2000))
		case k < 8:
			e.Path, e.Query = "/materials", fmt.Sprintf("subject=s%d&grade=%d", r.IntN(20), 1+r.IntN(11))
		case k < 9:
			e.Path = "/"
		default:
			e.Path, e.Download = fmt.Sprintf("/materials/%d/files/1", 1+r.IntN(2000)), true
		}
		if r.IntN(4) == 0 {
			e.Referrer = "https://www.google.kz/search?q=sabak"
		}
		if v%10 == 0 {
			e.UserID = int64(1 + v%200)
		}
		out[i] = e
	}
	return out
}

// BenchmarkIngest writes page views through the writer in batches of
// 10,000, as the recorder does; events/s is the figure of issue 9 §5.
//
//	go test -run '^$' -bench Ingest -benchtime 200000x ./internal/telemetry/
func BenchmarkIngest(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			en := newEnvB(b, d)
			for u := int64(1); u <= 200; u++ {
				en.user(b, u)
			}
			const batch = 10000
			events := benchEvents(batch*10, day0)
			// Warm the per-process caches (salt, agents, topics) as a
			// running site has them.
			if err := en.w.Write(context.Background(), events[:batch]); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			for done := 0; done < b.N; done += batch {
				n := min(batch, b.N-done)
				off := (done/batch%9 + 1) * batch
				if err := en.w.Write(context.Background(), events[off:off+n]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkDashboard reads a 90-day period the way /admin/stats does,
// over a daily table as 100 million page views would leave it: 365 days
// of ~274,000 views each, every dimension's values above k (the rest
// merged into "other").
//
//	go test -run '^$' -bench Dashboard ./internal/telemetry/
func BenchmarkDashboard(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			fillDaily(b, d, 365)
			// What autovacuum does on a running site (the daily table grows
			// by a few thousand rows a day): statistics for the planner and
			// the visibility map for index-only scans.
			if err := d.AfterBulkLoad(context.Background()); err != nil {
				b.Fatal(err)
			}
			dims := []string{"path", "download", "subject", "grade", "type", "section", "referrer", "browser", "os", "device", "country", "provider"}
			from, to := "2026-06-01", "2026-08-29"
			b.ResetTimer()
			for b.Loop() {
				ctx := context.Background()
				if _, err := telemetry.Totals(ctx, d, telemetry.DimTotal, from, to); err != nil {
					b.Fatal(err)
				}
				if _, err := telemetry.Totals(ctx, d, telemetry.DimDownloads, from, to); err != nil {
					b.Fatal(err)
				}
				if _, err := telemetry.Series(ctx, d, telemetry.DimTotal, "", from, to); err != nil {
					b.Fatal(err)
				}
				for _, dim := range dims {
					if _, err := telemetry.Top(ctx, d, dim, from, to, 10); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// fillDaily writes days of aggregates: per day 3,000 material paths and
// downloads above k, and the smaller dimensions.
func fillDaily(b *testing.B, d *db.DB, days int) {
	ctx := context.Background()
	per := map[string]int{"path": 3000, "download": 2000, "subject": 25, "grade": 12, "type": 10, "section": 12,
		"referrer": 200, "browser": 60, "os": 10, "device": 4, "country": 40, "provider": 300, telemetry.DimTotal: 1, telemetry.DimDownloads: 1}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(3, 4))
	rows := 0
	for i := range days {
		day := start.AddDate(0, 0, i).Format(time.DateOnly)
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var args []any
			flush := func() error {
				if len(args) == 0 {
					return nil
				}
				q := `INSERT INTO telemetry_daily (dim, day, value, views, visitors, rank) VALUES `
				for j := 0; j < len(args)/6; j++ {
					if j > 0 {
						q += ", "
					}
					q += "(?, ?, ?, ?, ?, ?)"
				}
				_, err := tx.Exec(ctx, q, args...)
				args = args[:0]
				return err
			}
			for dim, n := range per {
				// Views fall with the value's number (a long tail), with
				// noise, and are ranked as closing a day ranks them.
				type row struct {
					val          string
					views, users int
				}
				rs := make([]row, n)
				for v := range n {
					val := fmt.Sprintf("%s-%d", dim, v)
					if dim == telemetry.DimTotal || dim == telemetry.DimDownloads {
						val = ""
					}
					rs[v] = row{val, 5 + 5000/(v+1) + r.IntN(20), 5 + r.IntN(100)}
				}
				sort.Slice(rs, func(i, j int) bool {
					return rs[i].views > rs[j].views || rs[i].views == rs[j].views && rs[i].val < rs[j].val
				})
				for i, x := range rs {
					args = append(args, dim, day, x.val, x.views, x.users, i+1)
					rows++
					if len(args) >= 500*6 {
						if err := flush(); err != nil {
							return err
						}
					}
				}
			}
			return flush()
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d rows in telemetry_daily", rows)
}

// BenchmarkIngestLoadShape writes what a load generator's requests
// leave: one client, one browser, one page, over and over (as
// scripts/load/telemetry.sh makes). Its cost per event is what recording
// adds to each page of that run, so it is where the writer's per-event
// work shows.
//
//	go test -run '^$' -bench IngestLoadShape -benchtime 200000x ./internal/telemetry/
func BenchmarkIngestLoadShape(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	en := newEnvB(b, d)
	const batch = 10000
	events := make([]telemetry.Event, batch)
	for i := range events {
		events[i] = telemetry.Event{At: day0.Add(time.Duration(i) * time.Millisecond).UnixMilli(), Host: "127.0.0.1:18099",
			Path: "/materials", Remote: "127.0.0.1:40000", UA: "wrk"}
	}
	if err := en.w.Write(context.Background(), events); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for done := 0; done < b.N; done += batch {
		if err := en.w.Write(context.Background(), events[:min(batch, b.N-done)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}
