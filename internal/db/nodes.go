package db

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// A node number is leased for DefaultLease and renewed every quarter of
// it, so a process that dies frees its number a minute later at most; a
// process that cannot renew in time (the database unreachable, the
// process paused) stops using the number when its lease runs out, since
// another may then take it.
const DefaultLease = time.Minute

// renewWait is how long NewID waits for a lapsed lease to be renewed
// before it makes its id with node 0.
const renewWait = 2 * time.Second

// nodeLock is the advisory lock key that serialises claims on PostgreSQL.
const nodeLock = 7012

// ErrNoFreeNode is returned when every node number is held by a live
// lease.
var ErrNoFreeNode = fmt.Errorf("db: every node number (1–%d) is leased by a running process", MaxNode)

// NodeLease is a process's lease of a node number (ids.go), renewed in
// the background until Close.
type NodeLease struct {
	d      *DB
	owner  int64
	length time.Duration
	st     atomic.Pointer[leaseState]
	gen    idGen // for NewID of the lease itself
	kickc  chan struct{}
	stopc  chan struct{}
	done   chan struct{}
	paused atomic.Bool // tests: a node that stopped renewing
	warned atomic.Bool
	close  sync.Once
}

// leaseState is one holding of a number.
type leaseState struct {
	number, floor int64
	validUntil    time.Time // on this process's monotonic clock
}

// LeaseNode claims the lowest node number that is free or whose lease
// expired, and renews it every quarter of length until Close. Migrate
// takes the process's lease itself; this is for tests that stand in for
// several nodes in one process.
func (d *DB) LeaseNode(ctx context.Context, length time.Duration) (*NodeLease, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("db: lease node: %w", err)
	}
	l := &NodeLease{d: d, owner: int64(binary.BigEndian.Uint64(b[:]) >> 1), length: length,
		kickc: make(chan struct{}, 1), stopc: make(chan struct{}), done: make(chan struct{})}
	st, err := l.claim(ctx)
	if err != nil {
		return nil, err
	}
	l.st.Store(st)
	go l.heartbeat()
	return l, nil
}

// Number is the node number held now.
func (l *NodeLease) Number() int { return int(l.st.Load().number) }

// NewID makes an id with this lease's number from a sequence of the
// lease's own: a test's stand-in for another node. The process's ids come
// from the package's NewID.
func (l *NodeLease) NewID() int64 {
	n, floor := l.current()
	return l.gen.next(n, floor)
}

// current is the number to make ids with, and its floor. A lapsed lease
// is renewed first (or the number is replaced by a free one); if that
// does not happen within renewWait, node 0 is used, the number of a
// process with no lease, until a renewal succeeds: the lapsed number may
// already be another's.
func (l *NodeLease) current() (number, floor int64) {
	st := l.st.Load()
	if time.Now().Before(st.validUntil) {
		return st.number, st.floor
	}
	l.kick()
	if l.warned.Load() {
		return 0, 0 // waited once already in this lapse: do not stall every id
	}
	for deadline := time.Now().Add(renewWait); time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		if st = l.st.Load(); time.Now().Before(st.validUntil) {
			return st.number, st.floor
		}
	}
	if !l.warned.Swap(true) {
		l.d.log.Load().Error("db: node lease lapsed and not renewed; new ids use node 0 until it is", "node", st.number)
	}
	return 0, 0
}

func (l *NodeLease) kick() {
	select {
	case l.kickc <- struct{}{}:
	default:
	}
}

func (l *NodeLease) heartbeat() {
	defer close(l.done)
	t := time.NewTicker(l.length / 4)
	defer t.Stop()
	for {
		select {
		case <-l.stopc:
			return
		case <-t.C:
		case <-l.kickc:
		}
		if l.paused.Load() {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), l.length/4)
		err := l.renew(ctx)
		cancel()
		if err != nil {
			l.d.log.Load().Warn("db: node lease not renewed; trying again", "node", l.Number(), "err", err)
		}
	}
}

// renew extends the lease, or, when the number was lost (the lease
// expired and another process took it), claims another.
func (l *NodeLease) renew(ctx context.Context) error {
	st := l.st.Load()
	sent := time.Now()
	now, err := l.d.dbNow(ctx, l.d)
	if err != nil {
		return err
	}
	res, err := l.d.Exec(ctx, `UPDATE nodes SET expires_at = ?, id_floor = ? WHERE number = ? AND owner = ?`,
		now+l.length.Milliseconds(), l.floorMS(sent), st.number, l.owner)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		l.st.Store(&leaseState{number: st.number, floor: st.floor, validUntil: sent.Add(l.length)})
		if l.warned.Swap(false) {
			l.d.log.Load().Info("db: node lease renewed", "node", st.number)
		}
		return nil
	}
	nst, err := l.claim(ctx)
	if err != nil {
		return err
	}
	l.st.Store(nst)
	l.warned.Store(false)
	l.d.log.Load().Warn("db: node number lost (its lease expired and another process took it); a new one taken", "lost", st.number, "node", nst.number)
	return nil
}

// floorMS is the id floor written with a lease taken or renewed at sent:
// the lease is used no later than sent+length, and ids of this process
// run ahead of its clock (or of the last id made) by aheadMax at most.
func (l *NodeLease) floorMS(sent time.Time) int64 {
	return max(sent.UnixMilli(), l.gen.last(), procIDs.last()) + l.length.Milliseconds() + aheadMax
}

// claim takes the lowest free or expired number, in one transaction
// serialised with other claims.
func (l *NodeLease) claim(ctx context.Context) (*leaseState, error) {
	var st *leaseState
	err := l.d.InTx(ctx, func(tx *Tx) error {
		if l.d.engine == Postgres {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, nodeLock); err != nil {
				return err
			}
		}
		sent := time.Now()
		now, err := l.d.dbNow(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT number, expires_at, id_floor FROM nodes ORDER BY number`)
		if err != nil {
			return err
		}
		type row struct{ number, expires, floor int64 }
		held := map[int64]row{}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.number, &r.expires, &r.floor); err != nil {
				rows.Close()
				return err
			}
			held[r.number] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for n := int64(1); n <= MaxNode; n++ {
			r, taken := held[n]
			if taken && r.expires > now {
				continue
			}
			expires, floor := now+l.length.Milliseconds(), l.floorMS(sent)
			if taken {
				_, err = tx.Exec(ctx, `UPDATE nodes SET owner = ?, expires_at = ?, id_floor = ? WHERE number = ?`, l.owner, expires, floor, n)
			} else {
				_, err = tx.Exec(ctx, `INSERT INTO nodes (number, owner, expires_at, id_floor) VALUES (?, ?, ?, ?)`, n, l.owner, expires, floor)
			}
			if err != nil {
				return err
			}
			st = &leaseState{number: n, floor: r.floor, validUntil: sent.Add(l.length)}
			return nil
		}
		return ErrNoFreeNode
	})
	if err != nil {
		return nil, fmt.Errorf("db: lease node: %w", err)
	}
	return st, nil
}

// Close stops renewing and gives the number back: it expires now, with
// the floor of the ids made under it, so the next holder makes ids above
// them.
func (l *NodeLease) Close(ctx context.Context) error {
	var err error
	l.close.Do(func() {
		unregister(l)
		close(l.stopc)
		<-l.done
		st := l.st.Load()
		floor := max(time.Now().UnixMilli(), l.gen.last(), procIDs.last()) + aheadMax
		_, err = l.d.Exec(ctx, `UPDATE nodes SET expires_at = 0, id_floor = ? WHERE number = ? AND owner = ?`, floor, st.number, l.owner)
		if err != nil {
			err = fmt.Errorf("db: release node %d: %w", st.number, err)
		}
	})
	return err
}

// dbNow is the time leases are measured on: PostgreSQL's clock, which
// every node shares; SQLite's users are on one machine.
func (d *DB) dbNow(ctx context.Context, q Querier) (int64, error) {
	if d.engine != Postgres {
		return Now(), nil
	}
	var ms int64
	err := q.QueryRow(ctx, `SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT`).Scan(&ms)
	return ms, err
}

// The leases NewID may use, newest last. A process has one (its
// database's); a test process opens many databases at once, and NewID
// then takes the newest: the process's single sequence keeps its ids
// apart whatever number they carry.
var leases struct {
	mu   sync.Mutex
	list []*NodeLease
}

func register(l *NodeLease) {
	leases.mu.Lock()
	defer leases.mu.Unlock()
	leases.list = append(leases.list, l)
}

func unregister(l *NodeLease) {
	leases.mu.Lock()
	defer leases.mu.Unlock()
	for i, x := range leases.list {
		if x == l {
			leases.list = append(leases.list[:i], leases.list[i+1:]...)
			return
		}
	}
}

func currentLease() *NodeLease {
	leases.mu.Lock()
	defer leases.mu.Unlock()
	if len(leases.list) == 0 {
		return nil
	}
	return leases.list[len(leases.list)-1]
}

// errNoLease is what Node reports before Migrate.
var errNoLease = errors.New("db: no node number leased (Migrate takes one)")

// Node is the node number this database handle leased in Migrate.
func (d *DB) Node() (int, error) {
	if d.lease == nil {
		return 0, errNoLease
	}
	return d.lease.Number(), nil
}
