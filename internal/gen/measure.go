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

// PeakRSS is the largest resident set size of the process so far (bytes;
// 0 when unknown): with the Go heap, SQLite's page cache and everything
// else the process holds. It covers the whole process's life: an upper
// bound for what a benchmark used.
func PeakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024 // kilobytes on Linux
}

// PeakHeap samples the Go heap in use every 100 ms until stopped, and
// reports the largest sample as the benchmark metric peak-heap-MB, the
// CPU time used meanwhile as cpu-s (a figure less disturbed than the wall
// time by other work on the machine) and the process's peak resident set
// as peak-rss-MB (PeakRSS: SQLite's own memory is outside the Go heap).
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
		if rss := PeakRSS(); rss > 0 {
			b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
		}
	}
}
