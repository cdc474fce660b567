package vault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
)

// How serving processes tell which master keys they hold (vault_nodes).
const (
	// NodeReportEvery is how often a serving node reports while nothing
	// changes.
	NodeReportEvery = 30 * time.Second
	// NodeGoneAfter is how long after its last report a node counts as
	// gone (a node stopped with kill -9 removes no row).
	NodeGoneAfter = 2 * time.Minute
	// keyFileCheckEvery is how often a node looks at its key file's
	// modification time: a copied file is held and reported within it.
	keyFileCheckEvery = 2 * time.Second
)

// Node is one serving process as it last reported.
type Node struct {
	ProcessID string
	Host      string
	PID       int64
	// KeySource is the key file's path, or KeyringEnv.
	KeySource string
	// Keys maps each master key id it holds to the key's fingerprint.
	Keys map[string]string
	// FileActive is its keyring's own active id (used only while the
	// database names none).
	FileActive string
	StartedAt  time.Time
	SeenAt     time.Time
}

// String names the node for the operator.
func (n Node) String() string {
	src := "key file " + n.KeySource
	if n.KeySource == KeyringEnv {
		src = KeyringEnv
	}
	return fmt.Sprintf("%s pid %d (%s)", n.Host, n.PID, src)
}

// KeyIDs lists the ids it holds, in order.
func (n Node) KeyIDs() []string { return sortedIDs(n.Keys) }

// Holds reports whether the node holds master key id with fingerprint fp.
func (n Node) Holds(id, fp string) bool { f, ok := n.Keys[id]; return ok && f == fp }

func sortedIDs(m map[string]string) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return lessID(ids[i], ids[j]) })
	return ids
}

// lessID orders master key ids as numbers (10 after 9).
func lessID(x, y string) bool {
	a, errA := strconv.Atoi(x)
	b, errB := strconv.Atoi(y)
	if errA == nil && errB == nil {
		return a < b
	}
	return x < y
}

func encodeKeys(m map[string]string) string {
	var b strings.Builder
	for i, id := range sortedIDs(m) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(id + ":" + m[id])
	}
	return b.String()
}

func decodeKeys(s string) map[string]string {
	m := map[string]string{}
	for _, p := range strings.Split(s, ",") {
		if id, fp, ok := strings.Cut(p, ":"); ok {
			m[id] = fp
		}
	}
	return m
}

// nodeSelf is this process's identity in vault_nodes.
type nodeSelf struct {
	once    sync.Once
	serving atomic.Bool // Report was called: this process is a node
	// reported is what the last report said (master keys and active id),
	// so a change is reported however it was noticed.
	reported atomic.Value
	id       string
	host     string
	started  int64
}

func (v *Vault) self() *nodeSelf {
	v.node.once.Do(func() {
		var b [8]byte
		rand.Read(b[:])
		v.node.id = hex.EncodeToString(b[:])
		v.node.host, _ = os.Hostname()
		v.node.started = db.Now()
	})
	return &v.node
}

// Report records in the database which master keys this process holds
// (as a serving node), and forgets nodes gone for NodeGoneAfter.
func (v *Vault) Report(ctx context.Context) error {
	me := v.self()
	me.serving.Store(true)
	now := db.Now()
	keys, active := v.holdingsNow()
	if _, err := v.db.Exec(ctx, `INSERT INTO vault_nodes (process_id, host, pid, key_source, master_keys, file_active, started_at, seen_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (process_id) DO UPDATE SET key_source = excluded.key_source, master_keys = excluded.master_keys,
			file_active = excluded.file_active, seen_at = excluded.seen_at`,
		me.id, me.host, os.Getpid(), v.kr.source(), keys, active, me.started, now); err != nil {
		return fmt.Errorf("vault: report node: %w", err)
	}
	me.reported.Store(keys + "|" + active)
	if _, err := v.db.Exec(ctx, `DELETE FROM vault_nodes WHERE seen_at < ?`, now-NodeGoneAfter.Milliseconds()); err != nil {
		return fmt.Errorf("vault: report node: %w", err)
	}
	return nil
}

// holdingsNow is what a report says: the master keys held and the
// keyring's active id.
func (v *Vault) holdingsNow() (keys, active string) {
	keys = encodeKeys(v.kr.holdings())
	v.kr.mu.RLock()
	defer v.kr.mu.RUnlock()
	return keys, v.kr.active
}

// unreported tells whether the keys held changed since the last report
// (the key file was re-read by the loop, or on meeting an unknown key).
func (v *Vault) unreported() bool {
	keys, active := v.holdingsNow()
	last, _ := v.self().reported.Load().(string)
	return last != keys+"|"+active
}

// Refresh re-reads the key file if it changed since it was read (an
// operator copied a newer one here) and reports what changed. It is what
// the serving loop does every few seconds.
func (v *Vault) Refresh(ctx context.Context) (changed bool, err error) {
	changed, err = v.kr.refresh()
	if err != nil {
		return changed, err
	}
	if v.self().serving.Load() && v.unreported() {
		return changed, v.Report(ctx)
	}
	return changed, nil
}

// reportChange reports again after this process changed its own key
// file, if it is a serving node.
func (v *Vault) reportChange(ctx context.Context) error {
	if !v.self().serving.Load() {
		return nil
	}
	return v.Report(ctx)
}

// Unreport removes this process's row: a node stopped cleanly does not
// hold up a rotation.
func (v *Vault) Unreport(ctx context.Context) error {
	me := v.self()
	me.serving.Store(false)
	if _, err := v.db.Exec(ctx, `DELETE FROM vault_nodes WHERE process_id = ?`, me.id); err != nil {
		return fmt.Errorf("vault: unreport node: %w", err)
	}
	return nil
}

// LiveNodes lists the serving processes that reported within
// NodeGoneAfter, oldest first.
func (v *Vault) LiveNodes(ctx context.Context) ([]Node, error) {
	rows, err := v.db.Query(ctx, `SELECT process_id, host, pid, key_source, master_keys, file_active, started_at, seen_at
		FROM vault_nodes WHERE seen_at >= ? ORDER BY started_at, process_id`, db.Now()-NodeGoneAfter.Milliseconds())
	if err != nil {
		return nil, fmt.Errorf("vault: live nodes: %w", err)
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		var n Node
		var keys string
		var started, seen int64
		if err := rows.Scan(&n.ProcessID, &n.Host, &n.PID, &n.KeySource, &keys, &n.FileActive, &started, &seen); err != nil {
			return nil, fmt.Errorf("vault: live nodes: %w", err)
		}
		n.Keys, n.StartedAt, n.SeenAt = decodeKeys(keys), db.Time(started), db.Time(seen)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vault: live nodes: %w", err)
	}
	return out, nil
}

// StartNode reports this serving process now and then keeps reporting:
// every NodeReportEvery, and at once when the key file changed (checked
// every few seconds). stop ends the loop and removes the row.
func (v *Vault) StartNode(ctx context.Context, log *slog.Logger) (stop func(), err error) {
	if err := v.Report(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		check := time.NewTicker(keyFileCheckEvery)
		defer check.Stop()
		last := time.Now()
		for {
			select {
			case <-ctx.Done():
				return
			case <-check.C:
			}
			changed, err := v.kr.refresh()
			if err != nil {
				// The keys in memory stay valid; the next tick retries
				// (a file caught half-copied reads whole then).
				log.Warn("vault: the key file changed but cannot be read", "err", err)
				continue
			}
			if changed {
				log.Info("vault: the key file changed: master keys re-read", "keys", strings.Join(sortedIDs(v.kr.holdings()), ","))
			}
			if !v.unreported() && time.Since(last) < NodeReportEvery {
				continue
			}
			if err := v.Report(ctx); err != nil {
				if ctx.Err() == nil {
					log.Warn("vault: could not report the master keys held", "err", err)
				}
				continue
			}
			last = time.Now()
		}
	}()
	return func() {
		cancel()
		<-done
		uctx, ucancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer ucancel()
		if err := v.Unreport(uctx); err != nil {
			log.Warn("vault: could not remove this node's row", "err", err)
		}
	}, nil
}

// KeyUse is how many data keys one master key wraps.
type KeyUse struct {
	ID    string
	Count int
}

// DataKeysByMaster counts the data keys wrapped by each master key.
func (v *Vault) DataKeysByMaster(ctx context.Context) ([]KeyUse, error) {
	rows, err := v.db.Query(ctx, `SELECT kek_id, COUNT(*) FROM user_keys GROUP BY kek_id`)
	if err != nil {
		return nil, fmt.Errorf("vault: data keys by master key: %w", err)
	}
	defer rows.Close()
	var out []KeyUse
	for rows.Next() {
		var u KeyUse
		if err := rows.Scan(&u.ID, &u.Count); err != nil {
			return nil, fmt.Errorf("vault: data keys by master key: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vault: data keys by master key: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return lessID(out[i].ID, out[j].ID) })
	return out, nil
}

// KeyWarnings says where the live nodes disagree about master keys: a
// node that lacks the database's active key (it refuses to register
// anyone), or a key that wraps data keys (those users get "try again
// later" there), and nodes that hold different sets of keys.
func (v *Vault) KeyWarnings(ctx context.Context, nodes []Node, used []KeyUse) ([]string, error) {
	id, fp, inDB, err := readActive(ctx, v.db, false)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range nodes {
		if inDB && !n.Holds(id, fp) {
			out = append(out, fmt.Sprintf("%s does not hold the active master key %s: it refuses to register anyone; copy the current key file to it", n, id))
		}
		for _, u := range used {
			if inDB && u.ID == id {
				continue // said above
			}
			if _, ok := n.Keys[u.ID]; !ok {
				out = append(out, fmt.Sprintf("%s does not hold master key %s, which wraps %d data keys: those users get \"try again later\" there; copy the current key file to it", n, u.ID, u.Count))
			}
		}
	}
	if len(nodes) > 1 {
		first, differ := encodeKeys(nodes[0].Keys), false
		actives := map[string]bool{}
		for _, n := range nodes {
			differ = differ || encodeKeys(n.Keys) != first
			actives[n.FileActive] = true
		}
		if differ {
			var list []string
			for _, n := range nodes {
				list = append(list, fmt.Sprintf("%s holds %s", n, strings.Join(n.KeyIDs(), ",")))
			}
			out = append(out, "the live nodes do not hold the same master keys (a key with the same id but another fingerprint counts as different): "+strings.Join(list, "; "))
		}
		if !inDB && len(actives) > 1 {
			out = append(out, "the live nodes' key files name different active keys and the database names none: copy one key file to every node")
		}
	}
	return out, nil
}
