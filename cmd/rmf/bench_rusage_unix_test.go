//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// childUsage is the peak resident set (bytes) and the CPU time (user +
// system) of a finished child process, as the kernel counted them.
func childUsage(ps *os.ProcessState) (peakRSS int64, cpu time.Duration, ok bool) {
	ru, isRU := ps.SysUsage().(*syscall.Rusage)
	if !isRU || ru == nil {
		return 0, 0, false
	}
	peakRSS = int64(ru.Maxrss) * 1024 // KB on Linux and the BSDs
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		peakRSS = int64(ru.Maxrss) // bytes on macOS
	}
	return peakRSS, time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
