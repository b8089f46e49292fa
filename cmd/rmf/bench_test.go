package main

// Benchmarks of "rmf report" on the large project of internal/gen: 1,000
// indicators (100 computed) in 10 outcomes x 10 outputs, 20 quarters
// (2019Q1..2023Q4), 900 measured indicators disaggregated by sex x 25
// districts: the 1,000,000 figures of its long workbook. The
// database is built once, through sqlite.BeginImport/Add/Finish, and
// cached in os.TempDir() under a name that carries benchDBVersion, so that
// later runs reuse it. Nothing here runs in a plain "go test": only the
// benchmarks call largeDB.
//
//	go test ./cmd/rmf -run '^$' -bench Large -benchtime 3x
//
// Targets (issue 4): the end-to-end report under 2 s and under 300 MB.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/gen"
	"github.com/rmf-project/rmf/sqlite"
)

// benchDBVersion names the cached databases: change it when the figures
// written by writeLargeDB or internal/gen's framework change.
const benchDBVersion = "v3"

// benchPeriod is the period reported: the last quarter of the project.
const benchPeriod = "2023Q4"

// largeFigures is the number of figures of the large database.
const largeFigures = gen.LargeRows

// A cached database of the large project: its file name and figures.
type benchDB struct {
	name    string
	figures func(rows int, fn func(indicators.Measurement) error) error
	once    sync.Once
	path    string
	err     error
}

var (
	// large is the large project (its totals the sums of their breakdowns).
	large = &benchDB{name: "rmf-bench-report-" + benchDBVersion + ".db", figures: gen.LargeFigures}
	// worst is the same project with totals that do not match their
	// breakdowns: a finding for most figures (the worst case).
	worst = &benchDB{name: "rmf-bench-worst-" + benchDBVersion + ".db", figures: gen.LargeFiguresWorst}
)

// largeDB returns the path of the cached large database, building it on
// first use.
func largeDB(b *testing.B) string { return large.get(b) }

// worstDB returns the path of the cached worst-case database.
func worstDB(b *testing.B) string { return worst.get(b) }

func (d *benchDB) get(b *testing.B) string {
	b.Helper()
	d.once.Do(func() {
		d.path = filepath.Join(os.TempDir(), d.name)
		if largeDBValid(d.path) {
			return
		}
		t0 := time.Now()
		d.err = writeLargeDB(d.path, d.figures)
		if d.err == nil {
			fmt.Fprintf(os.Stderr, "bench: built %s (%d figures) in %v\n", d.path, largeFigures, time.Since(t0).Round(time.Millisecond))
		}
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
	return d.path
}

// largeDBValid is true when path holds the large framework and one import
// of all its figures.
func largeDBValid(path string) bool {
	if _, err := os.Stat(path); err != nil {
		return false
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return false
	}
	defer db.Close()
	fw, err := db.Framework(ctx)
	if err != nil || fw.Project.Code != gen.LargeFramework().Project.Code || len(fw.Indicators) != gen.Indicators {
		return false
	}
	imps, err := db.Imports(ctx)
	return err == nil && len(imps) == 1 && imps[0].Added == largeFigures
}

// writeLargeDB builds the large database in a fresh folder next to path
// and renames it into place.
func writeLargeDB(path string, figures func(int, func(indicators.Measurement) error) error) error {
	dir, err := os.MkdirTemp(filepath.Dir(path), "rmf-bench-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "large.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	fw := gen.LargeFramework()
	if _, err := db.SaveFramework(ctx, fw); err != nil {
		return fmt.Errorf("save the large framework: %w", err)
	}
	im, err := db.BeginImport(ctx, indicators.Batch{File: "large.xlsx"})
	if err != nil {
		return err
	}
	defer im.Rollback()
	if err := figures(largeFigures, im.Add); err != nil {
		return err
	}
	batch, err := im.Finish(false)
	if err != nil {
		return err
	}
	if batch.Added != largeFigures {
		return fmt.Errorf("large database: %d figures added, expected %d", batch.Added, largeFigures)
	}
	if err := db.Close(); err != nil {
		return err
	}
	if fi, err := os.Stat(tmp + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("large database: %s-wal left behind after close", tmp)
	}
	return os.Rename(tmp, path)
}

// BenchmarkReportJSONLarge runs the built binary, as a user would:
// rmf --db X report --period 2023Q4 --format F -o /dev/null, for each
// text format F (sub-benchmarks json, text, md, html). It reports the
// wall time per run, the child's peak resident set (peak-MB) and its CPU
// time (cpu-ms/op, user + system: the wall time of a loaded machine
// grows, this does not).
func BenchmarkReportJSONLarge(b *testing.B) {
	path := largeDB(b)
	for _, f := range []string{"json", "text", "md", "html"} {
		b.Run(f, func(b *testing.B) { benchReportFormat(b, path, f) })
	}
}

// benchReportJSON is BenchmarkReportJSONLarge's JSON report on the
// database path (a file or a PostgreSQL URL: bench_pg_test.go).
func benchReportJSON(b *testing.B, path string) {
	benchReportFormat(b, path, "json")
}

// benchReportFormat runs rmf report --format format on path b.N times.
func benchReportFormat(b *testing.B, path, format string) {
	if rmfBin == "" {
		b.Skip("no rmf binary: TestMain did not build it")
	}
	out := os.DevNull
	var peak int64
	var cpu time.Duration
	haveRSS := true
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(rmfBin, "--db", path, "report", "--period", benchPeriod, "--format", format, "-o", out)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Run(); err != nil {
			b.Fatalf("rmf report: %v\n%s", err, errb.String())
		}
		rss, c, ok := childUsage(cmd.ProcessState)
		haveRSS = haveRSS && ok
		peak = max(peak, rss)
		cpu += c
	}
	b.StopTimer()
	if haveRSS {
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkReportPipelineLarge is the same report in process, stage by
// stage as cmd/rmf/report.go runs it: the framework read and compiled
// (framework-ms); the figures read alone through Store.EachMeasurements,
// nothing done with them (read-ms: the store's floor); the report built
// as engine.Report builds it, the figures read and given to the report's
// builder one indicator at a time, overlapped on two cores, then the
// computed indicators, findings and missing reports (build-ms); and the
// report written in each text format to io.Discard (json-ms, text-ms,
// md-ms, html-ms). heap-MB is the heap in use while the report is held.
func BenchmarkReportPipelineLarge(b *testing.B) { benchPipeline(b, largeDB(b)) }

// BenchmarkReportPipelineWorst is BenchmarkReportPipelineLarge on the
// worst case: the same project whose totals do not match their
// breakdowns (a finding for most figures).
func BenchmarkReportPipelineWorst(b *testing.B) { benchPipeline(b, worstDB(b)) }

func benchPipeline(b *testing.B, path string) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	formats := []string{"json", "text", "md", "html"}
	var tFw, tRead, tBuild time.Duration
	tWrite := make([]time.Duration, len(formats))
	var heap uint64
	nFigs := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		e := engine.New(sqlite.NewStore(db), engine.Options{})
		fw, _, err := e.Compiled(ctx)
		if err != nil {
			b.Fatal(err)
		}
		p, err := fw.Project.Calendar().ParsePeriod(benchPeriod)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		nFigs = 0
		err = db.EachMeasurements(ctx, engine.MeasurementFilter{Upto: p.End}, func(_ string, figs []indicators.Measurement) error { // as the report reads them
			nFigs += len(figs)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		rr, err := e.Report(ctx, engine.ReportRequest{Period: benchPeriod})
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		for k, f := range formats {
			t := time.Now()
			if err := engine.WriteReport(io.Discard, rr.Report, f, engine.TextOptions{Width: 100}); err != nil {
				b.Fatal(err)
			}
			tWrite[k] += time.Since(t)
		}
		tFw += t1.Sub(t0)
		tRead += t2.Sub(t1)
		tBuild += t3.Sub(t2)
		if i == b.N-1 {
			b.StopTimer()
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heap = ms.HeapInuse
			runtime.KeepAlive(rr)
			b.StartTimer()
		}
	}
	b.StopTimer()
	if nFigs != largeFigures {
		b.Fatalf("%d figures read, expected %d", nFigs, largeFigures)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(tFw), "framework-ms")
	b.ReportMetric(ms(tRead), "read-ms")
	b.ReportMetric(ms(tBuild), "build-ms")
	for k, f := range formats {
		b.ReportMetric(ms(tWrite[k]), f+"-ms")
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
}
