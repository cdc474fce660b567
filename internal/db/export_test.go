package db

// SetReadConns bounds the reading pool to n connections, so a test knows
// which connection the next read takes.
func SetReadConns(d *DB, n int) {
	d.read.SetMaxOpenConns(n)
	d.read.SetMaxIdleConns(n)
}

// PauseRenewal stops (or lets again) a lease's renewals, as if its node
// hung.
func PauseRenewal(l *NodeLease, paused bool) { l.paused.Store(paused) }
