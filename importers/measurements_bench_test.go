package importers

// Benchmarks of the measurement import on the large generated workbook
// (internal/gen): 1,000,000 rows of eight columns, written once per machine
// into os.TempDir() and reused. Run them once:
//
//	go test ./importers/ -run '^$' -bench 'Large' -benchtime=1x
//
// RMF_BENCH_ROWS sets a smaller number of rows for a quick run.

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/gen"
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

// BenchmarkLargeExcelizeRaw is the reference: excelize alone streaming
// every row of the large workbook with raw cell values (open included).
func BenchmarkLargeExcelizeRaw(b *testing.B) {
	p, want := largeFile(b)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		stop := gen.PeakHeap(b)
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
		stop := gen.PeakHeap(b)
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

// BenchmarkLargeImportSource is the import of the same file as the engine
// runs it: opened once (OpenSource), hashed, its sheets sorted
// (ClassifySource) and read through that source into a discarding sink.
// Its peak heap includes the file's bytes when OpenSource holds them in
// memory (files up to MaxSourceInMemory).
func BenchmarkLargeImportSource(b *testing.B) {
	p, want := largeFile(b)
	fw := gen.LargeFramework()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		stop := gen.PeakHeap(b)
		start := time.Now()
		src, err := OpenSource(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := src.SHA256(context.Background()); err != nil {
			b.Fatal(err)
		}
		if _, _, err := ClassifySource(p, src); err != nil {
			b.Fatal(err)
		}
		var sink discardSink
		rows, err := ImportMeasurements(p, fw, &sink, MeasurementOptions{Source: src})
		src.Close()
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
