//go:build !unix

package blob

import (
	"errors"
	"os"
)

// Without flock, the sweep goes by a temporary file's age alone.
func lockFile(*os.File) {}

func tryLock(*os.File) (bool, error) { return false, errors.New("blob: no file locks here") }
