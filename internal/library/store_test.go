package library_test

import (
	"path/filepath"
	"testing"

	"github.com/smartustaz/smartustaz/internal/blob"
)

// openStore opens the default local store in dir, as serve does, and
// returns it with the folder its files are in.
func openStore(t testing.TB, dir string) (blob.Store, string) {
	t.Helper()
	s, err := blob.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(dir, "files")
}
