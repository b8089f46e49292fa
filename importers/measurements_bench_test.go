package importers

// Benchmarks of the measurement import on the large generated workbook
// (internal/gen): 1,000,000 rows of eight columns, written once per machine
// into os.TempDir() and reused. Run them once:
//
//	go test ./importers/ -run '^$' -bench 'Large' -benchtime=1x
//
// RMF_BENCH_ROWS sets a smaller number of rows for a quick run.

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/gen"
	"github.com/xuri/excelize/v2"
)

func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("RMF_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return gen.LargeRows
}

func largeFile(b *testing.B) (string, int) {
	b.Helper()
	rows := benchRows()
	p, err := gen.LargeWorkbookFile("", rows)
	if err != nil {
		b.Fatal(err)
	}
	return p, rows
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap samples the heap in use every 100 ms until stopped, and reports
// the largest sample as the metric peak-heap-MB, and the CPU time used
// meanwhile as cpu-s (a figure less disturbed than the wall-clock time by
// other work on the machine).
func peakHeap(b *testing.B) (stop func()) {
	runtime.GC()
	cpu0 := cpuTime()
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
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s")
	}
}

// BenchmarkLargeExcelizeRaw is the reference: excelize alone streaming
// every row of the large workbook with raw cell values (open included).
func BenchmarkLargeExcelizeRaw(b *testing.B) {
	p, want := largeFile(b)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		stop := peakHeap(b)
		start := time.Now()
		f, err := excelize.OpenFile(p, excelize.Options{UnzipSizeLimit: DefaultUnzipSizeLimit, UnzipXMLSizeLimit: 16 << 20})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Data")
		if err != nil {
			b.Fatal(err)
		}
		count, cells := 0, 0
		for rows.Next() {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			count++
			cells += len(cols)
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		el := time.Since(start)
		stop()
		if count != want+1 {
			b.Fatalf("read %d rows, want %d", count, want+1)
		}
		b.ReportMetric(float64(want)/el.Seconds(), "rows/s")
	}
}

type discardSink struct{ n int }

func (d *discardSink) Add(indicators.Measurement) error { d.n++; return nil }

// BenchmarkLargeImportDiscard is the measurement import of the same file,
// read, interpreted and validated, into a sink that discards the figures.
func BenchmarkLargeImportDiscard(b *testing.B) {
	p, want := largeFile(b)
	fw := gen.LargeFramework()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		stop := peakHeap(b)
		start := time.Now()
		var sink discardSink
		rows, err := ImportMeasurements(p, fw, &sink, MeasurementOptions{})
		el := time.Since(start)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if rows != want || sink.n != want {
			b.Fatalf("rows %d, figures %d, want %d", rows, sink.n, want)
		}
		b.ReportMetric(float64(want)/el.Seconds(), "rows/s")
	}
}
