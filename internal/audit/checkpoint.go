package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/smartustaz/smartustaz/internal/blob"
	"github.com/smartustaz/smartustaz/internal/db"
)

// The head row, however well MACed, lives in the database: someone who can
// write the database and kept an old genuine head row (a backup) can cut the
// chain back to it. A checkpoint anchors the chain outside the database: the
// head's seq and hash, signed with the site's Ed25519 key by the vault, kept
// in the data folder and, with S3 storage, in the bucket. Verify then
// refuses a chain that ends before a checkpoint or differs at its seq.

// Checkpoint is a signed statement that the chain had reached entry Seq,
// whose hash was Hash, at time At.
type Checkpoint struct {
	Seq  int64
	Hash []byte
	At   time.Time
}

// checkpointFile is a checkpoint as stored: JSON, so an operator can read it.
type checkpointFile struct {
	Version int    `json:"v"`
	Seq     int64  `json:"seq"`
	Hash    string `json:"hash"`
	At      int64  `json:"at_ms"`
	Sig     string `json:"sig"`
}

// checkpointPayload is what is signed: a fixed prefix (so that no other
// signed message of the site reads as a checkpoint), then seq, time and hash.
func checkpointPayload(c Checkpoint) []byte {
	b := []byte("smartustaz/audit-checkpoint/v1\n")
	b = append(b, be(c.Seq)...)
	b = append(b, be(c.At.UnixMilli())...)
	return append(b, c.Hash...)
}

// ErrCheckpointInvalid means a stored checkpoint is unreadable or not
// signed by this site's key: it was damaged or forged.
var ErrCheckpointInvalid = errors.New("audit: checkpoint is not validly signed")

// ParseCheckpoint reads a stored checkpoint and checks its signature with pub.
func ParseCheckpoint(b []byte, pub ed25519.PublicKey) (Checkpoint, error) {
	var f checkpointFile
	if err := json.Unmarshal(b, &f); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: %v", ErrCheckpointInvalid, err)
	}
	hash, err1 := hex.DecodeString(f.Hash)
	sig, err2 := base64.StdEncoding.DecodeString(f.Sig)
	if f.Version != 1 || f.Seq < 1 || len(hash) != 32 || err1 != nil || err2 != nil || len(pub) != ed25519.PublicKeySize {
		return Checkpoint{}, ErrCheckpointInvalid
	}
	c := Checkpoint{Seq: f.Seq, Hash: hash, At: db.Time(f.At)}
	if !ed25519.Verify(pub, checkpointPayload(c), sig) {
		return Checkpoint{}, ErrCheckpointInvalid
	}
	return c, nil
}

func (l *Log) encodeCheckpoint(c Checkpoint) []byte {
	b, _ := json.MarshalIndent(checkpointFile{Version: 1, Seq: c.Seq, Hash: hex.EncodeToString(c.Hash),
		At: c.At.UnixMilli(), Sig: base64.StdEncoding.EncodeToString(l.v.Sign(checkpointPayload(c)))}, "", "  ")
	return append(b, '\n')
}

// Anchor is a place outside the database that keeps the newest checkpoint.
type Anchor interface {
	// Load returns the stored checkpoint, or nil when there is none yet.
	Load(ctx context.Context) ([]byte, error)
	// Store replaces it.
	Store(ctx context.Context, b []byte) error
	// String names the place for messages.
	String() string
}

// CheckpointFileName is the checkpoint's name in the data folder.
const CheckpointFileName = "audit-checkpoint.json"

// CheckpointObjectName is the checkpoint's name in the file storage.
const CheckpointObjectName = "audit/checkpoint.json"

type fileAnchor struct{ path string }

// FileAnchor keeps the checkpoint in the file at path.
func FileAnchor(path string) Anchor { return fileAnchor{path} }

func (a fileAnchor) String() string { return a.path }

func (a fileAnchor) Load(context.Context) ([]byte, error) {
	b, err := os.ReadFile(a.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// Store writes a temporary file and renames it over the old one, so a
// crash never leaves half a checkpoint.
func (a fileAnchor) Store(_ context.Context, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(a.path), ".audit-checkpoint-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), a.path)
}

type objectAnchor struct {
	n    blob.Named
	what string
}

// ObjectAnchor keeps the checkpoint as the named object
// CheckpointObjectName of n; what names n in messages.
func ObjectAnchor(n blob.Named, what string) Anchor { return objectAnchor{n, what} }

func (a objectAnchor) String() string { return CheckpointObjectName + " in " + a.what }

func (a objectAnchor) Load(ctx context.Context) ([]byte, error) {
	b, err := a.n.GetNamed(ctx, CheckpointObjectName)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, nil
	}
	return b, err
}

func (a objectAnchor) Store(ctx context.Context, b []byte) error {
	return a.n.PutNamed(ctx, CheckpointObjectName, b)
}

// AnchorTo makes the log keep checkpoints in anchors and check against
// them. Call it before the log is used.
func (l *Log) AnchorTo(anchors ...Anchor) { l.anchors = append(l.anchors, anchors...) }

// stored is what one anchor holds: a valid checkpoint, or nothing.
type stored struct {
	where string
	cp    *Checkpoint
}

// loadCheckpoints reads every anchor. A checkpoint that does not verify
// is an error wrapping ErrCheckpointInvalid, naming the anchor.
func (l *Log) loadCheckpoints(ctx context.Context) ([]stored, error) {
	var out []stored
	for _, a := range l.anchors {
		b, err := a.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("audit: checkpoint in %s: %w", a, err)
		}
		s := stored{where: a.String()}
		if b != nil {
			c, err := ParseCheckpoint(b, l.v.PublicKey())
			if err != nil {
				return nil, fmt.Errorf("audit: checkpoint in %s: %w", a, err)
			}
			s.cp = &c
		}
		out = append(out, s)
	}
	return out, nil
}

// hashAt returns the stored hash of entry seq, or nil when there is none.
func hashAt(ctx context.Context, q db.Querier, seq int64) ([]byte, error) {
	var h []byte
	err := q.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return h, err
}

// ErrBehindCheckpoint means the chain in the database is shorter than a
// checkpoint kept outside it, or differs at the checkpoint's entry: entries
// were removed, or the database was restored from an older backup.
var ErrBehindCheckpoint = errors.New("audit: the log does not reach its checkpoint")

// Checkpoint signs the current head and stores it in every anchor whose
// checkpoint the chain still reaches. It never moves an anchor backwards
// or sideways: when the chain ends before an anchor's checkpoint, or holds
// another hash at its seq, that anchor is left as it is (it is the
// evidence) and the error wraps ErrBehindCheckpoint. Several processes may
// call it at once; the newest head wins, and a checkpoint that another
// process overwrote with an older head is moved forward at the next call.
func (l *Log) Checkpoint(ctx context.Context) (Checkpoint, error) {
	h, err := l.readHead(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: checkpoint: %w", err)
	}
	if h.found && !h.macOK {
		return Checkpoint{}, fmt.Errorf("audit: checkpoint: %w", ErrHeadTampered)
	}
	cur := Checkpoint{Seq: h.seq, Hash: h.hash, At: db.Time(db.Now())}
	var errs []error
	for _, a := range l.anchors {
		if err := l.advance(ctx, a, cur); err != nil {
			errs = append(errs, err)
		}
	}
	return cur, errors.Join(errs...)
}

func (l *Log) advance(ctx context.Context, a Anchor, cur Checkpoint) error {
	b, err := a.Load(ctx)
	if err != nil {
		return fmt.Errorf("audit: checkpoint in %s: %w", a, err)
	}
	if b != nil {
		old, err := ParseCheckpoint(b, l.v.PublicKey())
		if err != nil {
			// Overwriting it would hide what happened; an operator looks.
			return fmt.Errorf("audit: checkpoint in %s: %w", a, err)
		}
		if old.Seq >= cur.Seq {
			if old.Seq == cur.Seq && hmac.Equal(old.Hash, cur.Hash) {
				return nil
			}
			if old.Seq > cur.Seq {
				return fmt.Errorf("%w: %s holds entry %d, the log ends at %d", ErrBehindCheckpoint, a, old.Seq, cur.Seq)
			}
		}
		h, err := hashAt(ctx, l.db, old.Seq)
		if err != nil {
			return fmt.Errorf("audit: checkpoint: %w", err)
		}
		if !hmac.Equal(h, old.Hash) {
			return fmt.Errorf("%w: entry %d differs from the one %s signed", ErrBehindCheckpoint, old.Seq, a)
		}
	}
	if cur.Seq == 0 {
		return nil // nothing to anchor yet
	}
	if err := a.Store(ctx, l.encodeCheckpoint(cur)); err != nil {
		return fmt.Errorf("audit: checkpoint in %s: %w", a, err)
	}
	return nil
}

// headSeq is the seq of the head row, 0 when there is none: one indexed
// read, cheap enough to poll.
func (l *Log) headSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := l.db.QueryRow(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// KeepCheckpoints writes a checkpoint now, then whenever the head has moved
// (looked at every interval, so a burst of entries costs one checkpoint and
// a request costs nothing), and once more when stopped. Problems are logged:
// a chain behind its checkpoint as an error, since it means entries were
// removed. stop waits for a checkpoint in progress.
func (l *Log) KeepCheckpoints(ctx context.Context, every time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	tried := int64(-1)
	once := func(ctx context.Context) {
		seq, err := l.headSeq(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("audit checkpoint: reading the head failed", "err", err)
			}
			return
		}
		if seq == tried {
			return
		}
		tried = seq
		cp, err := l.Checkpoint(ctx)
		switch {
		case errors.Is(err, ErrBehindCheckpoint) || errors.Is(err, ErrCheckpointInvalid) || errors.Is(err, ErrHeadTampered):
			log.Error("audit log does not match its checkpoint: entries may have been removed; run smartustaz audit verify", "err", err)
		case err != nil:
			tried = -1 // try again at the next tick
			log.Warn("audit checkpoint not written", "err", err)
		default:
			log.Debug("audit checkpoint written", "seq", cp.Seq)
		}
	}
	once(ctx)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				once(ctx)
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
		// The parent context is usually cancelled by now (shutdown): the
		// last checkpoint gets a few seconds of its own.
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		once(sctx)
	}
}

// AnchorProblem says whether the chain is behind a checkpoint, cheaply
// (each anchor read once, one indexed query each): "" when every anchor's
// checkpoint is reached, otherwise the i18n key of the problem and the
// seq it concerns. The full check is Verify.
func (l *Log) AnchorProblem(ctx context.Context) (key string, seq int64, err error) {
	cps, err := l.loadCheckpoints(ctx)
	if errors.Is(err, ErrCheckpointInvalid) {
		return Report{Problem: ProblemCheckpointInvalid}.MessageKey(), 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	for _, s := range cps {
		if s.cp == nil {
			continue
		}
		h, err := hashAt(ctx, l.db, s.cp.Seq)
		if err != nil {
			return "", 0, fmt.Errorf("audit: %w", err)
		}
		if h == nil {
			var last int64
			if err := l.db.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&last); err != nil {
				return "", 0, fmt.Errorf("audit: %w", err)
			}
			return Report{Problem: ProblemBehindCheckpoint}.MessageKey(), last + 1, nil
		}
		if !hmac.Equal(h, s.cp.Hash) {
			return Report{Problem: ProblemCheckpointMismatch}.MessageKey(), s.cp.Seq, nil
		}
	}
	return "", 0, nil
}

// Reanchor accepts the log as it now is and replaces every checkpoint with
// one of its head, after an operator restored an older database backup
// (which leaves the log behind its checkpoints for good). The log must be
// intact in itself. What the old checkpoints said, and reason, go into an
// audit entry, so the entries lost with the restore stay on the record.
func (l *Log) Reanchor(ctx context.Context, reason string) (Checkpoint, error) {
	if reason == "" {
		return Checkpoint{}, errors.New("audit: reanchor: a reason is required")
	}
	r, err := New(l.db, l.v).Verify(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: reanchor: %w", err)
	}
	if !r.OK {
		return Checkpoint{}, fmt.Errorf("audit: reanchor: the log itself is not intact (entry %d: %s): a new checkpoint would hide it", r.FirstBad, r.Problem)
	}
	var old []string
	for _, a := range l.anchors {
		b, err := a.Load(ctx)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("audit: reanchor: checkpoint in %s: %w", a, err)
		}
		if b == nil {
			continue
		}
		if c, err := ParseCheckpoint(b, l.v.PublicKey()); err == nil {
			old = append(old, fmt.Sprintf("%s held entry %d hash %x signed %s", a, c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339)))
		} else {
			old = append(old, fmt.Sprintf("%s held a checkpoint that is not validly signed", a))
		}
	}
	detail := fmt.Sprintf("log ended at entry %d; %s; reason: %s", r.Entries, strings.Join(old, "; "), reason)
	if len(detail) > MaxText {
		detail = detail[:MaxText]
	}
	if _, err := l.Append(ctx, Entry{Action: ActionReanchor, Detail: strings.ToValidUTF8(detail, "")}); err != nil {
		return Checkpoint{}, fmt.Errorf("audit: reanchor: %w", err)
	}
	h, err := l.readHead(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: reanchor: %w", err)
	}
	cp := Checkpoint{Seq: h.seq, Hash: h.hash, At: db.Time(db.Now())}
	for _, a := range l.anchors {
		if err := a.Store(ctx, l.encodeCheckpoint(cp)); err != nil {
			return cp, fmt.Errorf("audit: reanchor: checkpoint in %s: %w", a, err)
		}
	}
	return cp, nil
}
