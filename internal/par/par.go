// Package par runs the iterations of a loop on the machine's cores.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// MaxWorkers bounds the goroutines of Each.
const MaxWorkers = 8

// Each calls fn(i) for every i in [0, n), each once, on up to
// min(GOMAXPROCS, MaxWorkers, n) goroutines taking the next i as they
// finish one (the iterations need not take the same time), and returns
// when every call has returned. fn must be safe to run at the same time
// for different i: it writes only what belongs to its i.
func Each(n int, fn func(i int)) { EachWorker(n, func(_, i int) { fn(i) }) }

// EachWorker is Each telling fn which of the goroutines calls it (from 0:
// a worker's calls run one after the other, so that it may reuse memory of
// its own). Worker 0 runs on the caller's goroutine. A panic in fn stops
// the other workers from taking more and is raised again on the caller's
// goroutine once they are done (where a server's recovery sees it).
func EachWorker(n int, fn func(worker, i int)) {
	workers := min(runtime.GOMAXPROCS(0), MaxWorkers, n)
	var next atomic.Int64
	var once sync.Once
	var panicked any
	work := func(w int) {
		defer func() {
			if p := recover(); p != nil {
				once.Do(func() { panicked = p })
				next.Store(int64(n)) // no more work
			}
		}()
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			fn(w, i)
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	work(0)
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}
