//go:build !unix

package main

import (
	"os"
	"time"
)

// childUsage reports no peak resident set where the platform's rusage has
// none; the CPU time comes from the process state.
func childUsage(ps *os.ProcessState) (peakRSS int64, cpu time.Duration, ok bool) {
	return 0, ps.UserTime() + ps.SystemTime(), false
}
