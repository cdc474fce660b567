package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/telemetry"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// BenchmarkCapture is what recording adds to a request: the Event made
// from the request's own strings and handed to the buffer (issue 9 §1:
// no allocation, no parsing, no waiting in the request).
//
//	go test -run '^$' -bench Capture -benchmem ./internal/web/
func BenchmarkCapture(b *testing.B) {
	d := dbtest.Open(b, db.SQLite)
	v, _, err := vault.Open(d, b.TempDir(), func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	rec := telemetry.NewRecorder(telemetry.NewWriter(d, v, telemetry.WriterOptions{}), telemetry.Options{Interval: 100 * time.Millisecond})
	defer rec.Close(context.Background())
	for _, on := range []bool{false, true} {
		name := "off"
		s := &Server{}
		if on {
			name, s.Telemetry = "on", rec
		}
		b.Run(name, func(b *testing.B) {
			h := s.capture(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
			r := httptest.NewRequest(http.MethodGet, "/materials?subject=math", nil)
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, &req{})) // as requestInfo leaves it
			r.Pattern = "GET /materials"
			r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
			r.Header.Set("Referer", "https://www.google.kz/")
			w := &statusWriter{ResponseWriter: httptest.NewRecorder()}
			b.ReportAllocs()
			for b.Loop() {
				w.code = 0
				h.ServeHTTP(w, r)
			}
		})
	}
}
