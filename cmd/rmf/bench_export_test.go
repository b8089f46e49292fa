package main

// Benchmarks of the exports as commands on the large project (issue 17):
// rmf report --format xlsx (the donor workbook, every figure on its Data
// sheet) and rmf export iati, run as a user runs them on the cached large
// database (largeDB). Their floor, excelize's StreamWriter writing the
// Data sheet's rows and cells, is exporters' BenchmarkLargeDonorWorkbookFloor:
// run both in one go test to compare them in the same run,
//
//	go test -p 1 ./exporters ./cmd/rmf -run '^$' -bench 'LargeDonorWorkbookFloor|ReportXLSXLarge|ExportIATILarge' -benchtime 1x

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkReportXLSXLarge runs rmf --db X report --period 2023Q4
// --format xlsx -o FILE and reports the wall time per run, the child's
// peak resident set (peak-MB), its CPU time (cpu-ms/op) and the file's
// size (file-MB).
func BenchmarkReportXLSXLarge(b *testing.B) {
	benchCommand(b, largeDB(b), "report.xlsx", "report", "--period", benchPeriod, "--format", "xlsx")
}

// BenchmarkExportIATILarge runs rmf --db X export iati --period 2023Q4
// -o FILE, measured as BenchmarkReportXLSXLarge.
func BenchmarkExportIATILarge(b *testing.B) {
	benchCommand(b, largeDB(b), "activity.xml", "export", "iati", "--period", benchPeriod)
}

// benchCommand runs rmf --db path ARGS -o FILE (FILE named name in a
// temporary folder) b.N times.
func benchCommand(b *testing.B, path, name string, args ...string) {
	if rmfBin == "" {
		b.Skip("no rmf binary: TestMain did not build it")
	}
	out := filepath.Join(b.TempDir(), name)
	var peak, size int64
	var cpu time.Duration
	haveRSS := true
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(rmfBin, append(append([]string{"--db", path}, args...), "-o", out)...)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil {
			b.Fatalf("rmf %v: %v\n%s", args, err, errb.String())
		}
		rss, c, ok := childUsage(cmd.ProcessState)
		haveRSS = haveRSS && ok
		peak = max(peak, rss)
		cpu += c
		b.StopTimer()
		fi, err := os.Stat(out)
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
		os.Remove(out)
		b.StartTimer()
	}
	b.StopTimer()
	if haveRSS {
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}
