package importer_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// genCSV streams a CSV of n teachers without holding it in memory.
type genCSV struct {
	n, i int
	buf  strings.Reader
}

func (g *genCSV) Read(p []byte) (int, error) {
	for g.buf.Len() == 0 {
		if g.i > g.n {
			return 0, io.EOF
		}
		var line string
		if g.i == 0 {
			line = "email,full_name,phone,organization,position,region,password_hash,registered_at\n"
		} else {
			line = fmt.Sprintf("bench%d@old-portal.kz,Мұратова Айгүл Серікқызы %d,+7 (701) 123-45-67,№12 мектеп-гимназия,математика пәнінің мұғалімі,Алматы облысы,$2y$10$abcdefghijklmnopqrstuu5Ez7Ib3DGm3n1vMy5QU1ZP5Qn0hY9q6,2019-05-01 10:00:00\n", g.i, g.i)
		}
		g.i++
		g.buf.Reset(line)
	}
	return g.buf.Read(p)
}

// BenchmarkImportCSV imports b.N users from a generated CSV (streamed)
// into each engine, with the encryption and blind indexes of a real
// import, and reports users/s and the peak heap in use.
func BenchmarkImportCSV(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			v, _, err := vault.Open(d, b.TempDir(), func(string) string { return "" })
			if err != nil {
				b.Fatal(err)
			}
			imp := importer.New(d, v, account.New(d, v, account.Options{}), audit.New(d, v))
			src, err := importer.NewCSV(&genCSV{n: b.N}, importer.CSVOptions{Encoding: importer.EncodingUTF8})
			if err != nil {
				b.Fatal(err)
			}
			var peak uint64
			var ms runtime.MemStats
			b.ResetTimer()
			rep, err := imp.Run(context.Background(), src, importer.Options{Source: "bench", Progress: func(importer.Progress) {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}})
			b.StopTimer()
			if err != nil || rep.Created != int64(b.N) {
				b.Fatalf("%v: %s", err, rep.Summary())
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "users/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}
