package main

import "syscall"

func init() {
	// The kernel sends SIGKILL to a started process when the test binary
	// exits, so that a test that dies without running its Cleanup (a
	// timeout's panic) leaves no server behind.
	childAttrs = func() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
}
