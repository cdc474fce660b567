//go:build linux

package preview

import (
	"os"
	"syscall"
)

// canIsolate: Linux can give a child its own (empty) network namespace,
// inside a user namespace so no privilege is needed — where the kernel
// allows unprivileged user namespaces; detectVersions finds out.
func canIsolate() bool { return true }

// sysProcAttr puts a tool in its own process group (so a timeout kills
// LibreOffice's helper processes too) and, when isolated, in a private
// network namespace where no address, not even the host's loopback, can
// be reached: a document that links to http://169.254.169.254/ or to an
// internal service fetches nothing. Uids map to themselves, so files the
// tool writes belong to this process.
func sysProcAttr(isolated bool) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if isolated {
		uid, gid := os.Getuid(), os.Getgid()
		a.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNET
		a.UidMappings = []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}}
		a.GidMappings = []syscall.SysProcIDMap{{ContainerID: gid, HostID: gid, Size: 1}}
		a.GidMappingsEnableSetgroups = false
	}
	return a
}

// killGroup kills the process group a tool leads; a group already gone
// is not an error.
func killGroup(p *os.Process) {
	if p != nil && p.Pid > 0 {
		syscall.Kill(-p.Pid, syscall.SIGKILL)
	}
}
