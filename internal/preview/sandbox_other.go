//go:build !linux

package preview

import (
	"os"
	"syscall"
)

// canIsolate: only Linux offers a private network namespace here.
func canIsolate() bool { return false }

func sysProcAttr(bool) *syscall.SysProcAttr { return nil }

// killGroup kills the tool itself (no process groups here).
func killGroup(p *os.Process) {
	if p != nil {
		p.Kill()
	}
}
