package gen

import (
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// CPUTime is the CPU time (user and system) the process has used so far.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakHeap samples the Go heap in use every 100 ms until stopped, and
// reports the largest sample as the benchmark metric peak-heap-MB and the
// CPU time used meanwhile as cpu-s (a figure less disturbed than the wall
// time by other work on the machine). SQLite's own memory is outside the
// Go heap: see the process's maximum resident set size for it.
func PeakHeap(b *testing.B) (stop func()) {
	runtime.GC()
	cpu0 := CPUTime()
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric((CPUTime() - cpu0).Seconds(), "cpu-s")
	}
}
