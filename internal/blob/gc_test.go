package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Stage tells the hash before anything is stored; Commit stores it once;
// Close leaves no temporary file. A staged copy of content already stored
// commits without a second copy.
func TestStageThenCommit(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		st, err := b.store.Stage(ctx, bytes.NewReader(lessonPlan), -1)
		if err != nil {
			t.Fatal(err)
		}
		if st.SHA256 != sum(lessonPlan) || st.Size != int64(len(lessonPlan)) {
			t.Fatalf("Stage = %+v", st.Object)
		}
		if ok, _ := b.store.Exists(ctx, st.SHA256); ok {
			t.Fatal("staged content is already stored before Commit")
		}
		if err := st.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, b.store, sum(lessonPlan)); !bytes.Equal(got, lessonPlan) {
			t.Fatal("committed content differs")
		}
		again, err := b.store.Stage(ctx, bytes.NewReader(lessonPlan), -1)
		if err != nil {
			t.Fatal(err)
		}
		if err := again.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		again.Close()
		if got := b.stored(t); len(got) != 1 {
			t.Fatalf("stored %q, want one copy", got)
		}
		// Closed without Commit: nothing stored, nothing left.
		dropped, err := b.store.Stage(ctx, strings.NewReader("a refused upload"), -1)
		if err != nil {
			t.Fatal(err)
		}
		dropped.Close()
		if ok, _ := b.store.Exists(ctx, dropped.SHA256); ok {
			t.Fatal("content closed without Commit is stored")
		}
		if err := dropped.Commit(ctx); err == nil {
			t.Fatal("Commit after Close succeeded")
		}
		noLeftovers(t, b)
	})
}

// List shows every stored object with its size and a modification time
// close to when it was written, and nothing of uploads in progress.
func TestList(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		before := time.Now().Add(-time.Minute)
		want := map[string]int64{}
		for _, c := range [][]byte{lessonPlan, []byte("Презентация"), {0}} {
			o := mustPut(t, b.store, c)
			want[o.SHA256] = o.Size
		}
		inProgress, err := b.store.Stage(ctx, strings.NewReader("still arriving"), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer inProgress.Close()
		got := map[string]int64{}
		err = b.store.List(ctx, func(i Info) error {
			got[i.SHA256] = i.Size
			if i.Modified.Before(before) || i.Modified.After(time.Now().Add(time.Minute)) {
				t.Errorf("%s modified %v, want about now", i.SHA256[:8], i.Modified)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("listed %v, want %v", got, want)
		}
		for sha, size := range want {
			if got[sha] != size {
				t.Errorf("listed %s with size %d, want %d", sha[:8], got[sha], size)
			}
		}
		stop := errors.New("stop")
		n := 0
		if err := b.store.List(ctx, func(Info) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Fatalf("List with fn failing = %v after %d calls, want stop after 1", err, n)
		}
	})
}

// SweepTemp removes the temporary file of an upload whose process died
// (nobody holds it locked) as soon as it is a minute old, and never the
// file of an upload in progress, however old, nor one just created.
func TestSweepTemp(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		// An upload in progress: its reader blocks until the test ends.
		pr, pw := io.Pipe()
		staged := make(chan error, 1)
		go func() {
			st, err := b.store.Stage(ctx, pr, -1)
			if err == nil {
				st.Close()
			}
			staged <- err
		}()
		pw.Write([]byte("the first half of a slow upload"))
		var live string
		for deadline := time.Now().Add(10 * time.Second); live == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if m, _ := filepath.Glob(filepath.Join(b.temp, "put-*")); len(m) == 1 {
				live = m[0]
			}
		}
		if live == "" {
			t.Fatal("the upload in progress has no temporary file")
		}
		crashed := filepath.Join(b.temp, "put-crashed")
		fresh := filepath.Join(b.temp, "put-just-created")
		for _, p := range []string{crashed, fresh} {
			if err := os.WriteFile(p, []byte("half an upload"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-2 * time.Hour)
		for _, p := range []string{crashed, live} {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		n, err := b.store.SweepTemp(ctx)
		if err != nil || n != 1 {
			t.Errorf("SweepTemp = %d, %v; want 1 removed", n, err)
		}
		var left []string
		for _, p := range []string{crashed, live, fresh} {
			if _, err := os.Stat(p); err == nil {
				left = append(left, filepath.Base(p))
			} else if !errors.Is(err, fs.ErrNotExist) {
				t.Fatal(err)
			}
		}
		sort.Strings(left)
		if want := []string{filepath.Base(live), "put-just-created"}; strings.Join(left, ",") != strings.Join(want, ",") {
			t.Errorf("after the sweep %q are left, want %q", left, want)
		}
		pw.Close()
		if err := <-staged; err != nil {
			t.Fatalf("the upload in progress failed after the sweep: %v", err)
		}
	})
}
