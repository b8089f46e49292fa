//go:build unix

package indicators

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used (user + system):
// benchmarks report it next to the wall time, which the load of a shared
// machine inflates.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
