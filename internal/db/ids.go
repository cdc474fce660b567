package db

import (
	"sync"
	"time"
)

// Row ids are made by the application, not the database, because the
// vault binds each ciphertext to its row id and so needs the id before
// the row is written. An id is a positive int64:
//
//	bit 63: 0 | 41 bits: milliseconds since 2025-01-01 UTC | 10 bits: node number | 12 bits: sequence
//
// The milliseconds stay in the bits they always had, so ids keep their
// time order and every new id is above the ids made before (the earlier
// layout had a 22-bit random-start sequence where node and sequence are
// now). The node number is leased from the database by each process
// (nodes.go), so two processes on one database never make the same id;
// the sequence counts the ids of one millisecond, and when its 4,096 are
// used up the next millisecond is waited for. The ids say nothing useful
// about how many users the site has.
const (
	idEpoch  = 1735689600000 // 2025-01-01T00:00:00Z in Unix milliseconds
	seqBits  = 12
	nodeBits = 10
	seqMask  = 1<<seqBits - 1
	// MaxNode is the highest node number; 0 is never leased: it is what a
	// process that holds no lease uses.
	MaxNode = 1<<nodeBits - 1
	// aheadMax is how far the clock may be behind the last millisecond
	// used before a used-up sequence stops waiting for it and takes the
	// next millisecond anyway (a clock stepped back, or a number taken
	// over from a node whose clock was ahead).
	aheadMax = 10
)

// idGen makes ids for one sequence.
type idGen struct {
	mu   sync.Mutex
	ms   int64 // the millisecond of the last id
	seq  int64 // the next sequence number in ms
	node int64 // the node number of the last id
}

// next returns an id for node. floor is the node number's id floor
// (nodes.go): when the number is new to this generator, its ids start
// above that millisecond.
func (g *idGen) next(node, floor int64) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	if node != g.node {
		g.node = node
		if g.ms <= floor {
			g.ms, g.seq = floor, seqMask+1
		}
	}
	now := time.Now().UnixMilli()
	if now > g.ms {
		g.ms, g.seq = now, 0
	}
	if g.seq > seqMask {
		if g.ms-now < aheadMax {
			for now <= g.ms {
				time.Sleep(100 * time.Microsecond)
				now = time.Now().UnixMilli()
			}
			g.ms = now
		} else {
			g.ms++
		}
		g.seq = 0
	}
	id := (g.ms-idEpoch)<<(nodeBits+seqBits) | node<<seqBits | g.seq
	g.seq++
	return id
}

// last is the millisecond of the last id made.
func (g *idGen) last() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ms
}

// procIDs is the process's sequence: every id NewID makes.
var procIDs idGen

// NewID returns a new row id with the number of the process's node lease
// (the one taken by the last Migrate of a database still open; see
// nodes.go), or node 0 before any lease — a process alone on its
// database. Every command of the binary migrates, and so leases, before
// it writes.
func NewID() int64 {
	if l := currentLease(); l != nil {
		n, floor := l.current()
		return procIDs.next(n, floor)
	}
	return procIDs.next(0, 0)
}

// IDNode returns the node number an id was made with.
func IDNode(id int64) int { return int(id >> seqBits & MaxNode) }

// IDTime returns when an id was made.
func IDTime(id int64) time.Time { return time.UnixMilli(id>>(nodeBits+seqBits) + idEpoch).UTC() }
