package importer_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/account"
	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/importer"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// TestMain runs the child of TestImportSIGKILLAndResume when asked to: an
// import in a process of its own, killed by the test.
func TestMain(m *testing.M) {
	if dsn := os.Getenv("IMPORTER_TEST_CHILD_DSN"); dsn != "" {
		if err := killChild(dsn, os.Getenv("IMPORTER_TEST_CHILD_DIR"), os.Getenv("IMPORTER_TEST_CHILD_FILE")); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// killChild imports file into the database at dsn, with the vault's key
// file in dir, as `smartustaz import users` does, until it is killed.
func killChild(dsn, dir, file string) error {
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, dir)
	if err != nil {
		return err
	}
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	src, err := importer.NewCSV(f, importer.CSVOptions{})
	if err != nil {
		return err
	}
	imp := importer.New(d, v, account.New(d, v, account.Options{}), audit.New(d, v))
	_, err = imp.Run(ctx, src, importer.Options{Source: "killed", BatchSize: 200})
	return err
}

// TestImportSIGKILLAndResume (issue 11 §4): an import whose process is
// killed with SIGKILL in the middle leaves whole transactions of users,
// each with its import record, and the same import run again finishes the
// job: every user once.
func TestImportSIGKILLAndResume(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			const total = 20000
			dsn, dir := dbtest.DSN(t, e), t.TempDir()
			d, err := db.Open(context.Background(), dsn, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			env := newEnvIn(t, d, dir)
			data := usersCSV(1, total, ";")
			file := filepath.Join(t.TempDir(), "users.csv")
			if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "IMPORTER_TEST_CHILD_DSN="+dsn, "IMPORTER_TEST_CHILD_DIR="+dir, "IMPORTER_TEST_CHILD_FILE="+file)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			deadline := time.Now().Add(time.Minute)
			for count(t, d, `SELECT COUNT(*) FROM users`) < 400 {
				select {
				case err := <-exited:
					t.Fatalf("the import ended before it was killed: %v %s", err, stderr.String())
				default:
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("the child imported nobody within a minute")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-exited
			got := count(t, d, `SELECT COUNT(*) FROM users`)
			if got >= total || got%200 != 0 {
				t.Fatalf("%d users after SIGKILL: want whole transactions of 200, not all", got)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM import_users`); n != got {
				t.Fatalf("%d import records for %d users after SIGKILL", n, got)
			}
			t.Logf("killed at %d users", got)
			// The killed import's batch: "running" while it may be alive,
			// interrupted once it has shown no sign of life for StaleAfter,
			// and then its users can be invited.
			var killed int64
			if err := d.QueryRow(context.Background(), `SELECT id FROM import_batches WHERE status = 'running'`).Scan(&killed); err != nil {
				t.Fatal(err)
			}
			if b, err := env.imp.Batch(context.Background(), killed); err != nil || !b.Running() || b.Invitable() {
				t.Fatalf("the batch just killed: err %v, running %v, invitable %v; want running, not invitable", err, b.Running(), b.Invitable())
			}
			if _, err := d.Exec(context.Background(), `UPDATE import_batches SET seen_at = ? WHERE id = ?`,
				time.Now().Add(-importer.StaleAfter-time.Minute).UnixMilli(), killed); err != nil {
				t.Fatal(err)
			}
			if b, err := env.imp.Batch(context.Background(), killed); err != nil || b.Running() || b.State() != importer.StatusCancelled || !b.Invitable() {
				t.Fatalf("the batch silent for StaleAfter: err %v, running %v, state %q, invitable %v; want interrupted and invitable", err, b.Running(), b.State(), b.Invitable())
			}
			rep := runCSV(t, env, data, importer.Options{Source: "killed"})
			if rep.Created != int64(total-got) || rep.Skipped != int64(got) || rep.Failed != 0 {
				t.Fatalf("the run after the kill: %s, want created %d, skipped %d", rep.Summary(), total-got, got)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM users`); n != total {
				t.Fatalf("%d users after the second run, want %d", n, total)
			}
			if n := count(t, d, `SELECT COUNT(DISTINCT email_bidx) FROM users`); n != total {
				t.Fatalf("%d distinct addresses among the users, want %d", n, total)
			}
		})
	}
}
