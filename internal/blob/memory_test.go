package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Issue 3, section 7: "upload and download memory flat (a 1 GB file moves
// with under 20 MB of extra memory)". Memory, unlike time, is a property
// the code has or has not on any machine, so TestMemoryFlat asserts it;
// BenchmarkPutLarge and BenchmarkOpenLarge report the figures for bigger
// files.

const memoryBudget = 20 << 20

// genReader produces size pseudo-random bytes from seed without holding
// them: incompressible, reproducible, and never in memory as a whole.
type genReader struct {
	rng  *rand.ChaCha8
	left int64
}

func newGen(seed uint64, size int64) *genReader {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return &genReader{rng: rand.NewChaCha8(s), left: size}
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	g.rng.Read(p)
	g.left -= int64(len(p))
	return len(p), nil
}

// genSHA is the hash of what newGen(seed, size) produces.
func genSHA(seed uint64, size int64) string {
	h := sha256.New()
	io.Copy(h, newGen(seed, size))
	return hex.EncodeToString(h.Sum(nil))
}

// peakHeap runs f and returns how far the heap in use rose above what it
// was before, sampled every millisecond while f runs.
func peakHeap(f func()) (extra uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	peak := base

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&m)
	peak = max(peak, m.HeapInuse)
	return peak - base
}

// TestMemoryFlat moves a 64 MB file through Put and back through Open on
// both backends and checks the heap grew by less than 20 MB (a store that
// buffered the file would grow by 64 MB or more).
func TestMemoryFlat(t *testing.T) {
	const size = 64 << 20
	want := genSHA(1, size)
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		var obj Object
		var err error
		up := peakHeap(func() { obj, err = b.store.Put(ctx, newGen(1, size), size) })
		if err != nil || obj.SHA256 != want || obj.Size != size {
			t.Fatalf("Put = %+v, %v", obj, err)
		}
		t.Logf("upload of 64 MB: heap rose by %.1f MB", float64(up)/(1<<20))
		if up >= memoryBudget {
			t.Errorf("upload of 64 MB raised the heap by %.1f MB, budget 20 MB", float64(up)/(1<<20))
		}

		var got string
		down := peakHeap(func() {
			r, _, oerr := b.store.Open(ctx, obj.SHA256)
			if oerr != nil {
				err = oerr
				return
			}
			defer r.Close()
			h := sha256.New()
			_, err = io.Copy(h, r)
			got = hex.EncodeToString(h.Sum(nil))
		})
		if err != nil || got != want {
			t.Fatalf("download: %v; content intact: %v", err, got == want)
		}
		t.Logf("download of 64 MB: heap rose by %.1f MB", float64(down)/(1<<20))
		if down >= memoryBudget {
			t.Errorf("download of 64 MB raised the heap by %.1f MB, budget 20 MB", float64(down)/(1<<20))
		}
	})
}

// benchBackends runs a benchmark on a fresh local folder and a fresh
// bucket on a real S3 server.
func benchBackends(b *testing.B, f func(b *testing.B, s Store)) {
	b.Run("local", func(b *testing.B) {
		s, err := Open("", b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		f(b, s)
	})
	b.Run("s3", func(b *testing.B) {
		srv := startS3(b)
		s, err := OpenEnv(srv.Spec(srv.NewBucket(b)), b.TempDir(), func(string) string { return "" })
		if err != nil {
			b.Fatal(err)
		}
		f(b, s)
	})
}

// largeSize is the file size of the large benchmarks: 256 MB by default,
// large enough that buffering would show and small enough for a 2-core
// machine; -blob.size=1073741824 checks issue 3's 1 GB figure.
var largeSize = flag.Int64("blob.size", 256<<20, "file size in bytes for BenchmarkPutLarge and BenchmarkOpenLarge")

// BenchmarkPutLarge uploads 256 MB per operation and reports the peak
// extra heap (peak-heap-MB) and the bytes allocated (alloc-MB/op).
func BenchmarkPutLarge(b *testing.B) {
	benchBackends(b, func(b *testing.B, s Store) {
		ctx := context.Background()
		b.SetBytes(*largeSize)
		var peak uint64
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		for i := 0; b.Loop(); i++ {
			var obj Object
			var err error
			// A new seed each time, so no upload is skipped as a duplicate.
			peak = max(peak, peakHeap(func() { obj, err = s.Put(ctx, newGen(uint64(i)+100, *largeSize), -1) }))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := s.Delete(ctx, obj.SHA256); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		runtime.ReadMemStats(&ms1)
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/(1<<20)/float64(b.N), "alloc-MB/op")
	})
}

// BenchmarkOpenLarge downloads a 256 MB file per operation and reports the
// same figures.
func BenchmarkOpenLarge(b *testing.B) {
	benchBackends(b, func(b *testing.B, s Store) {
		ctx := context.Background()
		obj, err := s.Put(ctx, newGen(7, *largeSize), -1)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(*largeSize)
		var peak uint64
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		for b.Loop() {
			peak = max(peak, peakHeap(func() {
				r, _, err := s.Open(ctx, obj.SHA256)
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				if n, err := io.Copy(io.Discard, r); err != nil || n != *largeSize {
					b.Fatalf("read %d bytes: %v", n, err)
				}
			}))
		}
		runtime.ReadMemStats(&ms1)
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/(1<<20)/float64(b.N), "alloc-MB/op")
	})
}
