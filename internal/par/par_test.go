package par

import (
	"runtime"
	"sync/atomic"
	"testing"
)

// TestEach: every index is given once, whatever the number of cores, a
// worker's calls one at a time, and Each returns only when every call has.
func TestEach(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 4, 16} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 3, 100, 1000} {
			seen := make([]atomic.Int32, n)
			var done atomic.Int64
			busy := make([]atomic.Int32, MaxWorkers)
			EachWorker(n, func(w, i int) {
				if busy[w].Add(1) != 1 {
					t.Errorf("worker %d called twice at once", w)
				}
				seen[i].Add(1)
				done.Add(1)
				busy[w].Add(-1)
			})
			if done.Load() != int64(n) {
				t.Errorf("GOMAXPROCS %d, n %d: %d calls returned before Each did", procs, n, done.Load())
			}
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Errorf("GOMAXPROCS %d, n %d: index %d given %d times", procs, n, i, c)
				}
			}
		}
	}
}

// TestEachPanics: a panic in a worker comes back on the caller's
// goroutine (not a crash of the process) once the workers are done.
func TestEachPanics(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want boom", p)
			}
		}()
		Each(1000, func(i int) {
			if i == 10 {
				panic("boom")
			}
		})
		t.Error("Each returned after a panic")
	}()
}
