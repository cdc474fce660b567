package privacy_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/apperr"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/jobs"
	"github.com/smartustaz/smartustaz/internal/privacy"
)

// Issue 12 §1 (law L10): a large account's ZIP is built by a job of the
// shared queue, which reports its progress (pending, running with a
// percentage, ready at 100), stores it sealed under the user's data key in
// parts (nothing of it readable in the database), tells the user once in
// the transaction that stores it, and hands it to its owner only; it
// expires after ExportLifetime and goes with the account — on both
// engines.
func TestDataExportJob(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		owner, stranger := e.register(t), e.register(t)
		// A ZIP larger than one part, with a marker that must never be
		// stored in plaintext.
		const marker = "Әбілқасымова-ZIP-маркер"
		zip := []byte(strings.Repeat(marker, (3<<20)/len(marker)))
		x := privacy.NewExports(d, e.v)
		var mu sync.Mutex
		var seen []string // the states read while the job ran
		var mails []string
		release := make(chan struct{})
		q, err := jobs.New(d, jobs.Options{Poll: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 20 * time.Millisecond }})
		if err != nil {
			t.Fatal(err)
		}
		err = x.Register(q, func(ctx context.Context, uid int64, lang string, progress func(int)) ([]byte, error) {
			if uid != owner || lang != "ru" {
				return nil, errors.New("built for the wrong user or language")
			}
			progress(40)
			if l, err := x.Latest(ctx, uid); err == nil {
				mu.Lock()
				seen = append(seen, l.State+"/"+strconv.Itoa(l.Progress))
				mu.Unlock()
			}
			<-release
			return zip, nil
		}, func(ctx context.Context, tx *db.Tx, uid int64, lang string) error {
			mu.Lock()
			mails = append(mails, strconv.Itoa(int(uid))+"/"+lang)
			mu.Unlock()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		qctx, cancel := context.WithCancel(ctx)
		if err := q.Start(qctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.Stop(5 * time.Second); cancel() })

		if _, err := x.Latest(ctx, owner); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("before any: %v", err)
		}
		started, err := x.Start(ctx, owner, "ru")
		if err != nil || started.State != privacy.ExportPending {
			t.Fatalf("start: %+v, %v", started, err)
		}
		again, err := x.Start(ctx, owner, "ru")
		if err != nil || again.ID != started.ID {
			t.Errorf("a second start while one runs made another export (%v)", err)
		}
		if _, err := x.Download(ctx, owner, started.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("download before ready: %v, want not found", err)
		}
		waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) > 0 })
		close(release)
		var done *privacy.Export
		waitFor(t, func() bool {
			done, err = x.Latest(ctx, owner)
			return err == nil && done.State == privacy.ExportReady
		})
		mu.Lock()
		if len(seen) != 1 || seen[0] != "running/40" {
			t.Errorf("states while building: %v, want running/40", seen)
		}
		if len(mails) != 1 || mails[0] != strconv.Itoa(int(owner))+"/ru" {
			t.Errorf("mails: %v, want one to the owner in their language", mails)
		}
		mu.Unlock()
		if done.Progress != 100 || done.Size != int64(len(zip)) || done.ExpiresAt.Sub(done.ReadyAt) != privacy.ExportLifetime {
			t.Errorf("ready: progress %d, size %d, kept %s", done.Progress, done.Size, done.ExpiresAt.Sub(done.ReadyAt))
		}
		got, err := x.Download(ctx, owner, done.ID)
		if err != nil || !bytes.Equal(got, zip) {
			t.Fatalf("owner's download: %d bytes, err %v", len(got), err)
		}
		if _, err := x.Download(ctx, stranger, done.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("another user's download: %v, want not found", err)
		}
		var parts int
		rows, err := d.Query(ctx, `SELECT data_enc FROM data_export_parts WHERE export_id = ?`, done.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			parts++
			if bytes.Contains(b, []byte(marker)) || bytes.Contains(b, []byte("ZIP-маркер")) {
				t.Errorf("a part of the ZIP is stored in plaintext")
			}
		}
		rows.Close()
		if parts < 3 {
			t.Errorf("%d parts for a 3 MiB ZIP, want it split", parts)
		}

		// Six days later it is still there; after seven it is deleted.
		x.SetClock(func() time.Time { return time.Now().Add(6 * 24 * time.Hour) })
		if n, err := x.Expire(ctx); err != nil || n != 0 {
			t.Errorf("expire after 6 days: %d, %v", n, err)
		}
		x.SetClock(func() time.Time { return time.Now().Add(privacy.ExportLifetime + time.Minute) })
		if n, err := x.Expire(ctx); err != nil || n != 1 {
			t.Errorf("expire after 7 days: %d, %v", n, err)
		}
		if c := count(t, d, `SELECT COUNT(*) FROM data_export_parts`); c != 0 {
			t.Errorf("%d parts left after expiry", c)
		}

		// Deleting the account deletes its exports (privacy.EraseUser).
		x.SetClock(time.Now)
		if _, err := d.Exec(ctx, `INSERT INTO data_exports (id, user_id, lang, state, created_at, expires_at) VALUES (?, ?, 'kk', 'failed', ?, ?)`,
			db.NewID(), owner, time.Now().UnixMilli(), time.Now().Add(time.Hour).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return privacy.EraseUser(ctx, tx, owner) }); err != nil {
			t.Fatal(err)
		}
		if c := count(t, d, `SELECT COUNT(*) FROM data_exports`); c != 0 {
			t.Errorf("%d exports left after the account's deletion", c)
		}
	})
}

func count(t *testing.T, d *db.DB, q string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 500 {
		if ok() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("timed out")
}

// A build that fails leaves the export "failed" (the page says so), and
// the user may start another — on both engines.
func TestDataExportJobFails(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := setup(t, d)
		owner := e.register(t)
		x := privacy.NewExports(d, e.v)
		q, err := jobs.New(d, jobs.Options{Poll: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 20 * time.Millisecond }})
		if err != nil {
			t.Fatal(err)
		}
		notified := false
		if err := x.Register(q, func(context.Context, int64, string, func(int)) ([]byte, error) {
			return nil, errors.New("the disk is full")
		}, func(context.Context, *db.Tx, int64, string) error { notified = true; return nil }); err != nil {
			t.Fatal(err)
		}
		qctx, cancel := context.WithCancel(ctx)
		if err := q.Start(qctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { q.Stop(5 * time.Second); cancel() })
		first, err := x.Start(ctx, owner, "kk")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool {
			l, err := x.Latest(ctx, owner)
			return err == nil && l.State == privacy.ExportFailed
		})
		if _, err := x.Download(ctx, owner, first.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("download of a failed export: %v", err)
		}
		second, err := x.Start(ctx, owner, "kk")
		if err != nil || second.ID == first.ID || second.State != privacy.ExportPending {
			t.Errorf("a new start after a failure: %+v, %v", second, err)
		}
		q.Stop(5 * time.Second)
		if notified {
			t.Error("the user was told a failed ZIP is ready")
		}
	})
}
