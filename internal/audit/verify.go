package audit

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Problems Verify can report.
const (
	ProblemAltered      = "altered"       // an entry's content or hash no longer matches its MAC
	ProblemRemoved      = "removed"       // a seq is missing from the middle of the log
	ProblemReordered    = "reordered"     // an entry does not follow the one before it
	ProblemHeadMismatch = "head mismatch" // entries were cut from the end, or the head was changed
	// ProblemBehindCheckpoint: the log ends before a checkpoint kept
	// outside the database (entries cut back, or an older backup restored).
	ProblemBehindCheckpoint = "behind checkpoint"
	// ProblemCheckpointMismatch: the entry at a checkpoint's seq is not
	// the one the checkpoint signed (the log was rewritten from there).
	ProblemCheckpointMismatch = "checkpoint mismatch"
	// ProblemCheckpointInvalid: a stored checkpoint is damaged or forged.
	ProblemCheckpointInvalid = "checkpoint invalid"
)

// Report is the result of Verify.
type Report struct {
	Entries  int64  // entries read
	OK       bool   // the whole chain, the head and every checkpoint check out
	FirstBad int64  // seq of the first entry that does not check out; 0 when OK
	Problem  string // one of the Problem… constants; "" when OK
	// Checkpoint is the highest seq signed by a checkpoint outside the
	// database (0: none yet); Anchors says where they were looked for.
	Checkpoint int64
	Anchors    []string
	// Detail names the anchor of a checkpoint problem, for the operator.
	Detail string
}

// MessageKey is the i18n key describing the report to an administrator.
func (r Report) MessageKey() string {
	switch r.Problem {
	case "":
		return "audit.verify.ok"
	case ProblemHeadMismatch:
		return "audit.verify.head_mismatch"
	case ProblemBehindCheckpoint:
		return "audit.verify.behind_checkpoint"
	case ProblemCheckpointMismatch:
		return "audit.verify.checkpoint_mismatch"
	case ProblemCheckpointInvalid:
		return "audit.verify.checkpoint_invalid"
	default:
		return "audit.verify." + r.Problem
	}
}

type head struct {
	found bool
	seq   int64
	hash  []byte
	macOK bool
}

func (l *Log) readHead(ctx context.Context) (head, error) {
	var h head
	var mac []byte
	err := l.db.QueryRow(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&h.seq, &h.hash, &mac)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	if err != nil {
		return h, err
	}
	h.found = true
	h.macOK = hmac.Equal(mac, l.headMAC(h.seq, h.hash))
	return h, nil
}

// Verify walks the whole log from the first entry and reports the first
// entry that was altered, removed or reordered, a head that does not
// match the end of the chain (entries cut from the end), or a chain that
// does not reach a checkpoint kept outside the database (AnchorTo): one
// shorter than the checkpoint, empty while a checkpoint exists, or holding
// another entry at its seq. It reads the checkpoints, then the head, then
// the entries, so appends and checkpoints made while it runs are not
// mistaken for tampering: they chain on validly, which only the audit key
// can do.
func (l *Log) Verify(ctx context.Context) (Report, error) {
	r, headMissing, err := l.verify(ctx)
	if err == nil && headMissing && r.Entries > 0 {
		// The very first append may have committed between reading the
		// head and reading the entries; look once more.
		r, _, err = l.verify(ctx)
	}
	return r, err
}

func (l *Log) verify(ctx context.Context) (r Report, headMissing bool, err error) {
	cps, err := l.loadCheckpoints(ctx)
	if errors.Is(err, ErrCheckpointInvalid) {
		return Report{Problem: ProblemCheckpointInvalid, Detail: err.Error()}, false, nil
	}
	if err != nil {
		return Report{}, false, fmt.Errorf("audit: verify: %w", err)
	}
	at := map[int64][]byte{} // the chain's hash at each checkpoint's seq
	for _, s := range cps {
		r.Anchors = append(r.Anchors, s.where)
		if s.cp != nil {
			at[s.cp.Seq] = nil
			r.Checkpoint = max(r.Checkpoint, s.cp.Seq)
		}
	}
	h, err := l.readHead(ctx)
	if err != nil {
		return Report{}, false, fmt.Errorf("audit: verify: %w", err)
	}
	rows, err := l.db.Query(ctx, `SELECT `+entryColumns+`, prev_hash, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return Report{}, false, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()

	bad := func(seq int64, problem string) {
		if r.Problem == "" {
			r.FirstBad, r.Problem = seq, problem
		}
	}
	expect, prev, last := int64(1), zeroHash, int64(0)
	for rows.Next() {
		var storedPrev, hash []byte
		e, err := scanEntry(rows, &storedPrev, &hash)
		if err != nil {
			return Report{}, false, fmt.Errorf("audit: verify: %w", err)
		}
		r.Entries++
		last = e.Seq
		if r.Problem != "" {
			continue // keep counting; only the first problem is reported
		}
		switch {
		case e.Seq > expect:
			bad(expect, ProblemRemoved)
		case e.Seq < expect:
			bad(expect, ProblemAltered) // a seq no append would write
		case !hmac.Equal(storedPrev, prev):
			// The link to the entry before is broken while the seqs run on:
			// this entry's content belongs elsewhere in the chain.
			bad(e.Seq, ProblemReordered)
		case !hmac.Equal(l.entryHash(storedPrev, e), hash):
			bad(e.Seq, ProblemAltered)
		case h.found && e.Seq == h.seq && !hmac.Equal(hash, h.hash):
			bad(e.Seq, ProblemHeadMismatch)
		}
		if _, ok := at[e.Seq]; ok {
			at[e.Seq] = hash
		}
		prev, expect = hash, e.Seq+1
	}
	if err := rows.Err(); err != nil {
		return Report{}, false, fmt.Errorf("audit: verify: %w", err)
	}
	switch {
	case !h.found:
		if r.Entries > 0 {
			headMissing = true
			bad(last+1, ProblemHeadMismatch)
		}
	case !h.macOK:
		bad(last+1, ProblemHeadMismatch)
	case h.seq > last:
		bad(last+1, ProblemHeadMismatch)
	}
	for _, s := range cps {
		switch {
		case s.cp == nil:
		case s.cp.Seq > last:
			bad(last+1, ProblemBehindCheckpoint)
		case !hmac.Equal(at[s.cp.Seq], s.cp.Hash):
			bad(s.cp.Seq, ProblemCheckpointMismatch)
		default:
			continue
		}
		if r.Detail == "" && (r.Problem == ProblemBehindCheckpoint || r.Problem == ProblemCheckpointMismatch) {
			r.Detail = fmt.Sprintf("checkpoint of entry %d in %s, signed %s", s.cp.Seq, s.where, s.cp.At.UTC().Format(time.RFC3339))
		}
	}
	r.OK = r.Problem == ""
	return r, headMissing, nil
}
