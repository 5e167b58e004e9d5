//go:build unix

package compiler_test

import "syscall"

// processCPU returns the CPU time the process has used (user and system,
// all threads, the garbage collector's included), in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
