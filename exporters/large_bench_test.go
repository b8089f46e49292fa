package exporters

// Benchmarks of the exports on the large project of internal/gen (issue
// 17): 1,000 indicators in 10 outcomes × 10 outputs, sex × 25 districts,
// 20 quarters, 1,000,000 figures (RMF_BENCH_ROWS for fewer), each beside
// its bare floor measured in the same run:
//
//	go test ./exporters -run '^$' -bench Large -benchtime 1x
//
// The inputs (the figures, the report of 2023Q4 and its IPTT tables) are
// made in memory once, as cmd/rmf would load them; each benchmark reports
// its time, the heap it keeps live beyond them at its peak (extra-live-MB),
// its CPU time (cpu-s) and the size of what it wrote. The whole command's
// peak memory is measured by running it (internal/gen/bench.sh).
// internal/gen/bench.sh prints them side by side with the floors.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/gen"
	"github.com/xuri/excelize/v2"
)

// largeInput is what the large exports are written from.
type largeInput struct {
	fw     *indicators.Framework
	figs   []indicators.Measurement // in framework order, as a store gives them
	revs   []indicators.Revision
	runs   [][2]int // figs[lo:hi] of each indicator in turn
	report *indicators.Report
	tables []indicators.IPTTTable
}

// revisionSource gives the exporter the figures as the store does: one
// indicator's at a time, copied into a slice reused from call to call.
func (in *largeInput) revisionSource() RevisionSource {
	return RevisionSource{Count: len(in.revs), Each: func(fn func([]indicators.Revision) error) error {
		var buf []indicators.Revision
		for _, r := range in.runs {
			buf = append(buf[:0], in.revs[r[0]:r[1]]...)
			if err := fn(buf); err != nil {
				return err
			}
		}
		return nil
	}}
}

// iatiFigures is revisionSource for the IATI export: the figures in the
// order of IATIFigureOrder, as the store's EachMeasurementsOf gives them.
func (in *largeInput) iatiFigures() IATIFigures {
	byCode := map[string][2]int{}
	for _, r := range in.runs {
		byCode[in.figs[r[0]].Indicator] = r
	}
	return func(fn func(string, []indicators.Measurement) error) error {
		var buf []indicators.Measurement
		for _, c := range IATIFigureOrder(in.fw) {
			r, ok := byCode[c]
			if !ok {
				continue
			}
			buf = append(buf[:0], in.figs[r[0]:r[1]]...)
			if err := fn(c, buf); err != nil {
				return err
			}
		}
		return nil
	}
}

var (
	largeOnce sync.Once
	large     largeInput
	largeErr  error
)

func largeRows() int {
	if n, err := strconv.Atoi(os.Getenv("RMF_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return gen.LargeRows
}

// loadLarge makes the large project's figures, report and IPTT tables
// once per process.
func loadLarge(b *testing.B) *largeInput {
	b.Helper()
	largeOnce.Do(func() {
		t0 := time.Now()
		fw := gen.LargeFramework()
		comp, probs := fw.Compile()
		if len(probs) > 0 {
			largeErr = probs
			return
		}
		rows := largeRows()
		figs := make([]indicators.Measurement, 0, rows)
		if largeErr = gen.LargeFigures(rows, func(m indicators.Measurement) error { figs = append(figs, m); return nil }); largeErr != nil {
			return
		}
		// In framework order, as the store gives them (each indicator's
		// figures as generated).
		pos := map[string]int{}
		for i, ind := range fw.Indicators {
			pos[ind.Code] = i
		}
		slices.SortStableFunc(figs, func(a, b indicators.Measurement) int { return pos[a.Indicator] - pos[b.Indicator] })
		var runs [][2]int
		for lo := 0; lo < len(figs); {
			hi := lo + 1
			for hi < len(figs) && figs[hi].Indicator == figs[lo].Indicator {
				hi++
			}
			runs = append(runs, [2]int{lo, hi})
			lo = hi
		}
		imported := time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)
		revs := make([]indicators.Revision, len(figs))
		for i, m := range figs {
			revs[i] = indicators.Revision{Measurement: m, Revision: 1, BatchID: 1, Imported: imported, Current: true}
		}
		p, err := fw.Project.Calendar().ParsePeriod("2023Q4")
		if err != nil {
			largeErr = err
			return
		}
		in := indicators.ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: p}
		r, err := indicators.BuildReport(in)
		if err != nil {
			largeErr = err
			return
		}
		tables, err := indicators.IPTTTables(in, r)
		if err != nil {
			largeErr = err
			return
		}
		large = largeInput{fw: fw, figs: figs, revs: revs, runs: runs, report: r, tables: tables}
		fmt.Fprintf(os.Stderr, "bench: the large project's %d figures and report made in %v\n", len(figs), time.Since(t0).Round(time.Millisecond))
	})
	if largeErr != nil {
		b.Fatal(largeErr)
	}
	return &large
}

// liveHeap is the heap the last garbage collection found live.
func liveHeap() uint64 {
	m := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(m)
	return m[0].Value.Uint64()
}

// measure runs write b.N times into a file of b's temporary folder and
// reports the heap it keeps live beyond its inputs at its peak
// (extra-live-MB: the live heap of each garbage collection meanwhile,
// sampled every 20 ms, less the live heap before; the garbage not yet
// collected is left out, which with the inputs' large heap would be most
// of the heap in use), its CPU time and the file's size.
func measure(b *testing.B, write func(w io.Writer) error) {
	b.ReportAllocs()
	dir := b.TempDir()
	var peak uint64
	var cpu time.Duration
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		base := liveHeap()
		path := filepath.Join(dir, "out"+strconv.Itoa(i))
		fh, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		sampled := make(chan uint64)
		go func() {
			var hi uint64
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				hi = max(hi, liveHeap())
				select {
				case <-done:
					sampled <- hi
					return
				case <-t.C:
				}
			}
		}()
		c0 := gen.CPUTime()
		b.StartTimer()
		err = write(fh)
		if err == nil {
			err = fh.Close()
		}
		b.StopTimer()
		cpu += gen.CPUTime() - c0
		close(done)
		hi := <-sampled
		if err != nil {
			b.Fatal(err)
		}
		if hi > base {
			peak = max(peak, hi-base)
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
		os.Remove(path)
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(peak)/(1<<20), "extra-live-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
	b.ReportMetric(float64(size)/(1<<20), "file-MB")
}

// BenchmarkLargeDonorWorkbook writes the donor workbook of 2023Q4 with
// every figure on its Data sheet (report --format xlsx), the figures
// given as the store gives them, one indicator's at a time.
func BenchmarkLargeDonorWorkbook(b *testing.B) {
	in := loadLarge(b)
	measure(b, func(w io.Writer) error {
		return WriteReportXLSX(w, DonorWorkbook{Report: in.report, Framework: in.fw, Source: in.revisionSource(), IPTT: in.tables})
	})
}

// BenchmarkLargeDonorWorkbookFloor is the bare floor of the donor
// workbook: excelize's StreamWriter writing the cells of its two sheets
// that grow with the data, the same values without styles, then the file,
// as the excelize documentation shows it: the Data sheet (a row per
// figure) and the Findings sheet (a row per missing report, finding and
// warning: a few on the large project, whose totals are the sums of their
// breakdowns). The small sheets (results, IPTT, revisions) are left out.
func BenchmarkLargeDonorWorkbookFloor(b *testing.B) { benchDonorFloor(b, true) }

// BenchmarkLargeDonorWorkbookFloorData is BenchmarkLargeDonorWorkbookFloor
// with the Data sheet alone (the floor bench.sh measured until the
// Findings sheet was counted in).
func BenchmarkLargeDonorWorkbookFloorData(b *testing.B) { benchDonorFloor(b, false) }

func benchDonorFloor(b *testing.B, withFindings bool) {
	in := loadLarge(b)
	measure(b, func(w io.Writer) error {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return err
		}
		row := make([]any, len(dwDataCols))
		for j, h := range dwDataCols {
			row[j] = h
		}
		if err := sw.SetRow("A1", row); err != nil {
			return err
		}
		names := map[string]string{}
		for _, ind := range in.fw.Indicators {
			names[ind.Code] = ind.Name
		}
		for i := range in.revs {
			r := &in.revs[i]
			row = append(row[:0], r.Indicator, names[r.Indicator], "number", r.Period.String(), r.Period.Start, r.Period.End,
				r.Dims.String(), *r.Value, nil, nil, nil, string(r.Verified), r.Comment, r.Source, r.Loc.File, r.Loc.Sheet, r.Loc.Row, r.Imported)
			ref, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(ref, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		if withFindings {
			if err := floorFindings(f, in.report); err != nil {
				return err
			}
		}
		return f.Write(w)
	})
}

// floorFindings writes the Findings sheet's cells (dwFindingsOf's lists,
// as findingsRows orders them) with a bare StreamWriter.
func floorFindings(f *excelize.File, r *indicators.Report) error {
	if _, err := f.NewSheet(dwFindings); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(dwFindings)
	if err != nil {
		return err
	}
	n := 0
	var werr error
	add := func(cells ...any) {
		n++
		ref, _ := excelize.CoordinatesToCellName(1, n)
		if werr == nil {
			werr = sw.SetRow(ref, cells)
		}
	}
	l := dwFindingsOf(r)
	add("Code", "Severity", "Kind", "Period", "Indicator", "Finding")
	for _, resp := range l.resps {
		add(fmt.Sprintf("Missing reports: %s (%s)", resp, dwCount(len(l.byResp[resp]), "figure", "figures")), "", "", "", "", "")
		for _, m := range l.byResp[resp] {
			add(m.Indicator, string(indicators.SevWarning), "missing", m.Period, m.Name, l.msg[m.Indicator+"\x00"+m.Period])
		}
	}
	for _, x := range r.Findings {
		if x.Kind != "missing" || !l.listed[x.Code+"\x00"+x.Period] {
			add(x.Code, string(x.Severity), x.Kind, x.Period, l.names[x.Code], x.Message)
		}
	}
	for _, x := range l.warns {
		add(x.ind.Code, string(indicators.SevWarning), "warning", r.Period.Code, x.ind.Name, x.w)
	}
	if werr != nil {
		return werr
	}
	return sw.Flush()
}

// BenchmarkLargeIATI writes the IATI activity with every figure up to
// 2023Q4 (export iati), the figures given as the store gives them, one
// indicator's at a time in framework order.
func BenchmarkLargeIATI(b *testing.B) {
	in := loadLarge(b)
	measure(b, func(w io.Writer) error {
		return WriteIATIFrom(w, in.fw, in.iatiFigures(), in.report, IATIOptions{Generated: time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC)})
	})
}

// BenchmarkLargeReportJSON writes the JSON report of 2023Q4.
func BenchmarkLargeReportJSON(b *testing.B) {
	in := loadLarge(b)
	measure(b, func(w io.Writer) error { return WriteReportJSON(w, in.report) })
}

// BenchmarkLargeReportHTML writes the HTML report of 2023Q4.
func BenchmarkLargeReportHTML(b *testing.B) {
	in := loadLarge(b)
	measure(b, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := WriteReportHTML(bw, in.report); err != nil {
			return err
		}
		return bw.Flush()
	})
}
