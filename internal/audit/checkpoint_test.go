package audit_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/audit"
	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/vault"
)

// anchored is a log with both kinds of anchor: a file in the data folder
// and a named object of a (local) blob store.
type anchored struct {
	l       *audit.Log
	v       *vault.Vault
	file    string
	objects blob.Named
}

func newAnchored(t *testing.T, d *db.DB) anchored { return newAnchoredTB(t, d) }

func newAnchoredTB(t testing.TB, d *db.DB) anchored {
	t.Helper()
	dir := t.TempDir()
	v, _, err := vault.Open(d, dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	store, err := blob.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	a := anchored{l: audit.New(d, v), v: v, file: filepath.Join(dir, audit.CheckpointFileName), objects: store.(blob.Named)}
	a.l.AnchorTo(audit.FileAnchor(a.file), audit.ObjectAnchor(a.objects, "the file storage"))
	return a
}

func (a anchored) checkpoint(t *testing.T) {
	t.Helper()
	if _, err := a.l.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (a anchored) verify(t *testing.T) audit.Report {
	t.Helper()
	r, err := a.l.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// stored reads back what both anchors hold.
func (a anchored) stored(t *testing.T) (file, object string) {
	t.Helper()
	f, err := os.ReadFile(a.file)
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.objects.GetNamed(context.Background(), audit.CheckpointObjectName)
	if err != nil {
		t.Fatal(err)
	}
	return string(f), string(o)
}

type headRow struct {
	seq       int64
	hash, mac []byte
}

func saveHead(t *testing.T, d *db.DB) headRow {
	t.Helper()
	var h headRow
	if err := d.QueryRow(context.Background(), `SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&h.seq, &h.hash, &h.mac); err != nil {
		t.Fatal(err)
	}
	return h
}

// cutBackTo removes the entries after h and puts back h, a genuine head
// row kept from when the log ended there (a backup).
func cutBackTo(t *testing.T, d *db.DB, h headRow) {
	t.Helper()
	exec(t, d, `DELETE FROM audit_log WHERE seq > ?`, h.seq)
	exec(t, d, `UPDATE audit_head SET seq = ?, hash = ?, mac = ? WHERE id = 1`, h.seq, h.hash, h.mac)
}

func wantProblem(t *testing.T, r audit.Report, problem string, firstBad int64) {
	t.Helper()
	if r.OK || r.Problem != problem || r.FirstBad != firstBad {
		t.Fatalf("report %+v, want problem %q at entry %d", r, problem, firstBad)
	}
	if !i18n.Has(r.MessageKey()) {
		t.Errorf("report message %q is not translated", r.MessageKey())
	}
}

// Issue 8 §2: emptying the log, or cutting it back to an older genuine
// head, is refused once a checkpoint outside the database exists.
func TestCheckpointRefusesCutBack(t *testing.T) {
	ctx := context.Background()
	t.Run("emptied", func(t *testing.T) {
		dbtest.Engines(t, func(t *testing.T, d *db.DB) {
			a := newAnchored(t, d)
			fill(t, a.l, 10)
			a.checkpoint(t)
			if r := a.verify(t); !r.OK || r.Checkpoint != 10 || len(r.Anchors) != 2 {
				t.Fatalf("intact anchored log: %+v", r)
			}
			exec(t, d, `DELETE FROM audit_log`)
			exec(t, d, `DELETE FROM audit_head`)
			wantProblem(t, a.verify(t), audit.ProblemBehindCheckpoint, 1)
			key, seq, err := a.l.AnchorProblem(ctx)
			if err != nil || key != "audit.verify.behind_checkpoint" || seq != 1 {
				t.Errorf("AnchorProblem: %q %d %v", key, seq, err)
			}
		})
	})
	t.Run("cut back to an older genuine head", func(t *testing.T) {
		dbtest.Engines(t, func(t *testing.T, d *db.DB) {
			a := newAnchored(t, d)
			fill(t, a.l, 7)
			old := saveHead(t, d)
			for i := 8; i <= 10; i++ {
				if _, err := a.l.Append(ctx, entry(i)); err != nil {
					t.Fatal(err)
				}
			}
			a.checkpoint(t)
			cutBackTo(t, d, old)
			// The database alone cannot tell: this is what passed before.
			if r, _ := audit.New(d, a.v).Verify(ctx); !r.OK {
				t.Fatalf("the cut-back chain does not verify on its own: %+v", r)
			}
			wantProblem(t, a.verify(t), audit.ProblemBehindCheckpoint, 8)
			key, seq, err := a.l.AnchorProblem(ctx)
			if err != nil || key != "audit.verify.behind_checkpoint" || seq != 8 {
				t.Errorf("AnchorProblem: %q %d %v", key, seq, err)
			}
		})
	})
	t.Run("cut back, then appended past the checkpoint", func(t *testing.T) {
		dbtest.Engines(t, func(t *testing.T, d *db.DB) {
			a := newAnchored(t, d)
			fill(t, a.l, 7)
			old := saveHead(t, d)
			for i := 8; i <= 10; i++ {
				if _, err := a.l.Append(ctx, entry(i)); err != nil {
					t.Fatal(err)
				}
			}
			a.checkpoint(t)
			fileBefore, objBefore := a.stored(t)
			cutBackTo(t, d, old)
			// The site goes on: new genuine entries take seqs 8 to 12.
			for i := 100; i < 105; i++ {
				if _, err := a.l.Append(ctx, entry(i)); err != nil {
					t.Fatal(err)
				}
			}
			wantProblem(t, a.verify(t), audit.ProblemCheckpointMismatch, 10)
			// A later checkpoint must not paper over it.
			if _, err := a.l.Checkpoint(ctx); !errors.Is(err, audit.ErrBehindCheckpoint) {
				t.Fatalf("checkpoint over a rewritten chain: %v, want ErrBehindCheckpoint", err)
			}
			if f, o := a.stored(t); f != fileBefore || o != objBefore {
				t.Errorf("a checkpoint was moved sideways")
			}
			wantProblem(t, a.verify(t), audit.ProblemCheckpointMismatch, 10)
		})
	})
	t.Run("never backwards", func(t *testing.T) {
		dbtest.Engines(t, func(t *testing.T, d *db.DB) {
			a := newAnchored(t, d)
			fill(t, a.l, 7)
			old := saveHead(t, d)
			fill2 := func(from, to int) {
				for i := from; i <= to; i++ {
					if _, err := a.l.Append(ctx, entry(i)); err != nil {
						t.Fatal(err)
					}
				}
			}
			fill2(8, 10)
			a.checkpoint(t)
			fileBefore, objBefore := a.stored(t)
			cutBackTo(t, d, old)
			if _, err := a.l.Checkpoint(ctx); !errors.Is(err, audit.ErrBehindCheckpoint) {
				t.Fatalf("checkpoint of a shorter chain: %v, want ErrBehindCheckpoint", err)
			}
			if f, o := a.stored(t); f != fileBefore || o != objBefore {
				t.Errorf("a checkpoint went backwards")
			}
		})
	})
	t.Run("checkpoint forged or damaged", func(t *testing.T) {
		dbtest.Engines(t, func(t *testing.T, d *db.DB) {
			a := newAnchored(t, d)
			fill(t, a.l, 10)
			a.checkpoint(t)
			f, _ := a.stored(t)
			// Moving the checkpoint back to entry 3 without the key.
			forged := strings.Replace(f, `"seq": 10`, `"seq": 3`, 1)
			if forged == f {
				t.Fatalf("checkpoint file has no seq 10: %s", f)
			}
			if err := os.WriteFile(a.file, []byte(forged), 0o600); err != nil {
				t.Fatal(err)
			}
			r := a.verify(t)
			if r.OK || r.Problem != audit.ProblemCheckpointInvalid || !i18n.Has(r.MessageKey()) {
				t.Fatalf("forged checkpoint: %+v", r)
			}
			if _, err := a.l.Checkpoint(ctx); !errors.Is(err, audit.ErrCheckpointInvalid) {
				t.Errorf("checkpoint over a forged one: %v, want ErrCheckpointInvalid", err)
			}
			if b, _ := os.ReadFile(a.file); string(b) != forged {
				t.Errorf("the forged checkpoint was overwritten: the evidence is gone")
			}
		})
	})
}

// A checkpoint follows the log forward, and one behind the head is no
// problem: entries made since are simply not anchored yet.
func TestCheckpointAdvances(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newAnchored(t, d)
		if r := a.verify(t); !r.OK || r.Entries != 0 || r.Checkpoint != 0 {
			t.Fatalf("empty log without checkpoint: %+v", r)
		}
		a.checkpoint(t) // nothing to anchor: writes nothing
		if _, err := os.Stat(a.file); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a checkpoint of an empty log was written: %v", err)
		}
		fill(t, a.l, 3)
		a.checkpoint(t)
		if _, err := a.l.Append(ctx, entry(4)); err != nil {
			t.Fatal(err)
		}
		if r := a.verify(t); !r.OK || r.Checkpoint != 3 || r.Entries != 4 {
			t.Fatalf("log past its checkpoint: %+v", r)
		}
		cp, err := a.l.Checkpoint(ctx)
		if err != nil || cp.Seq != 4 {
			t.Fatalf("checkpoint: %+v %v", cp, err)
		}
		if r := a.verify(t); !r.OK || r.Checkpoint != 4 {
			t.Fatalf("after the second checkpoint: %+v", r)
		}
		if key, _, err := a.l.AnchorProblem(ctx); key != "" || err != nil {
			t.Errorf("AnchorProblem on an intact log: %q %v", key, err)
		}
	})
}

// KeepCheckpoints anchors at start, soon after appends, and at stop.
func TestKeepCheckpoints(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newAnchored(t, d)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		fill(t, a.l, 2)
		stop := a.l.KeepCheckpoints(ctx, 20*time.Millisecond, log)
		if r := a.verify(t); r.Checkpoint != 2 {
			t.Errorf("no checkpoint at start: %+v", r)
		}
		if _, err := a.l.Append(ctx, entry(3)); err != nil {
			t.Fatal(err)
		}
		for i := 0; a.verify(t).Checkpoint != 3; i++ {
			if i == 250 {
				t.Fatalf("no checkpoint of entry 3 after 5 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop()

		stop = a.l.KeepCheckpoints(ctx, time.Hour, log)
		if _, err := a.l.Append(ctx, entry(4)); err != nil {
			t.Fatal(err)
		}
		stop()
		if r := a.verify(t); !r.OK || r.Checkpoint != 4 {
			t.Errorf("no checkpoint of entry 4 at stop: %+v", r)
		}
	})
}

// A stored checkpoint is outside data: parsing any bytes never panics,
// and what parses is signed by the key.
func FuzzParseCheckpoint(f *testing.F) {
	d := dbtest.Open(f, db.SQLite)
	a := newAnchoredTB(f, d)
	fill(f, a.l, 1)
	if _, err := a.l.Checkpoint(context.Background()); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(a.file)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"v":1,"seq":1,"hash":"","at_ms":0,"sig":""}`))
	f.Add([]byte(`null`))
	pub := a.v.PublicKey()
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := audit.ParseCheckpoint(b, pub)
		if err != nil {
			if !errors.Is(err, audit.ErrCheckpointInvalid) {
				t.Fatalf("error %v does not wrap ErrCheckpointInvalid", err)
			}
			return
		}
		if c.Seq < 1 || len(c.Hash) != 32 {
			t.Fatalf("accepted %+v", c)
		}
	})
}

// After an operator restores an older backup on purpose, Reanchor accepts
// the log as it is, with an entry recording what the checkpoints said.
func TestReanchor(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newAnchored(t, d)
		fill(t, a.l, 7)
		old := saveHead(t, d)
		for i := 8; i <= 10; i++ {
			if _, err := a.l.Append(ctx, entry(i)); err != nil {
				t.Fatal(err)
			}
		}
		a.checkpoint(t)
		cutBackTo(t, d, old) // the restore
		if _, err := a.l.Reanchor(ctx, ""); err == nil {
			t.Fatal("reanchored without a reason")
		}
		cp, err := a.l.Reanchor(ctx, "restored the backup of 2 March")
		if err != nil || cp.Seq != 8 {
			t.Fatalf("reanchor: %+v %v", cp, err)
		}
		if r := a.verify(t); !r.OK || r.Checkpoint != 8 {
			t.Fatalf("after reanchor: %+v", r)
		}
		list, err := a.l.List(ctx, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if e := list[0]; e.Action != audit.ActionReanchor || !strings.Contains(e.Detail, "held entry 10") ||
			!strings.Contains(e.Detail, "log ended at entry 7") || !strings.Contains(e.Detail, "2 March") {
			t.Errorf("reanchor entry %+v", e)
		}

		// A log altered in itself is not reanchored: that would hide it.
		exec(t, d, `UPDATE audit_log SET detail = 'x' WHERE seq = 3`)
		if _, err := a.l.Reanchor(ctx, "again"); err == nil {
			t.Fatal("reanchored an altered log")
		}
	})
}
