package library

// Seams for reindex_test.go (package library_test): a small batch, so that
// a handful of materials spans several, and a hook where an edit can fall.

// SetReindexBatch makes Reindex write n materials a transaction until the
// returned function restores the default.
func SetReindexBatch(n int) (restore func()) {
	old := reindexBatch
	reindexBatch = n
	return func() { reindexBatch = old }
}

// OnReindexWrite runs f between computing a batch's terms and writing them.
func OnReindexWrite(f func()) (restore func()) {
	reindexBeforeWrite = f
	return func() { reindexBeforeWrite = nil }
}
