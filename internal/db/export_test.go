package db

// SetReadConns bounds the reading pool to n connections, so a test knows
// which connection the next read takes.
func SetReadConns(d *DB, n int) {
	d.read.SetMaxOpenConns(n)
	d.read.SetMaxIdleConns(n)
}
