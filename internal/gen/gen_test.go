package gen

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/pgtest"
	"github.com/rmf-project/rmf/internal/sqlstore"
	"github.com/rmf-project/rmf/postgres"
	"github.com/rmf-project/rmf/sqlite"
)

func TestLargeFramework(t *testing.T) {
	fw := LargeFramework()
	if len(fw.Indicators) != Indicators {
		t.Fatalf("%d indicators", len(fw.Indicators))
	}
	levels := map[indicators.Level]int{}
	for _, r := range fw.Results {
		levels[r.Level]++
	}
	if levels[indicators.Outcome] != 10 || levels[indicators.Output] != 100 || len(fw.Dimensions[1].Values) != 25 {
		t.Errorf("results by level %v, %d districts; want 10 outcomes, 100 outputs, 25 districts", levels, len(fw.Dimensions[1].Values))
	}
	computed := 0
	for _, ind := range fw.Indicators {
		if ind.Computed() {
			computed++
		}
	}
	if computed != Computed {
		t.Errorf("%d computed indicators, want %d", computed, Computed)
	}
	if got := indicators.Periods(fw.Project.Start, fw.Project.End, indicators.KindQuarter); len(got) != Quarters || got[0].String() != "2019Q1" || got[Quarters-1].String() != "2023Q4" {
		t.Errorf("quarters %v", got)
	}
	if probs := fw.Validate(); len(probs) > 0 {
		t.Errorf("the large framework does not validate:\n%v", probs)
	}
}

type countSink struct {
	n    int
	seen map[string]bool
}

func (c *countSink) Add(m indicators.Measurement) error {
	key := m.Indicator + " " + m.Period.String() + " " + m.Dims.Key()
	if c.seen[key] {
		return &indicators.CellError{Row: m.Loc.Row, Err: indicators.ErrDuplicate}
	}
	c.seen[key] = true
	c.n++
	return nil
}

// TestWriteLargeWorkbook writes a small version of the large workbook and
// imports it: every row is a valid, distinct figure.
func TestWriteLargeWorkbook(t *testing.T) {
	const rows = 20000
	var buf bytes.Buffer
	if err := WriteLargeWorkbook(&buf, rows); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "large.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sink := &countSink{seen: map[string]bool{}}
	n, err := importers.ImportMeasurements(p, LargeFramework(), sink, importers.MeasurementOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n != rows || sink.n != rows {
		t.Errorf("rows %d, figures %d, want %d", n, sink.n, rows)
	}
	// LargeFigures gives the same figures as the workbook holds.
	n = 0
	err = LargeFigures(rows, func(m indicators.Measurement) error {
		n++
		if key := m.Indicator + " " + m.Period.String() + " " + m.Dims.Key(); !sink.seen[key] {
			t.Errorf("LargeFigures gives %s, which the workbook does not hold", key)
		}
		return nil
	})
	if err != nil || n != rows {
		t.Errorf("LargeFigures: %d figures, %v; want %d", n, err, rows)
	}
	if MaxRows != Quarters*(Indicators-Computed)*len(Disaggs()) {
		t.Errorf("MaxRows %d", MaxRows)
	}
	if err := WriteLargeWorkbook(&buf, MaxRows+1); err == nil {
		t.Error("too many rows: no error")
	}
}

// BenchmarkLargeImportEngine imports the large workbook end to end into a
// new SQLite database in one transaction: read (the sheet unzipped and
// scanned in a goroutine), validate, stage every figure (a loader
// goroutine, 16 rows per INSERT), then store them in key order (a first
// import: no comparison with current figures) and commit.
//
//	go test ./internal/gen/ -run '^$' -bench . -benchtime=1x
func BenchmarkLargeImportEngine(b *testing.B) {
	dir := b.TempDir()
	benchLargeImport(b, func(n int) *sqlstore.DB {
		db, err := sqlite.Open(context.Background(), filepath.Join(dir, "bench"+strconv.Itoa(n)+".db"))
		if err != nil {
			b.Fatal(err)
		}
		return db
	})
}

// BenchmarkLargeImportPostgres is BenchmarkLargeImportEngine into a new
// project of the PostgreSQL database of $RMF_TEST_POSTGRES (figures staged
// with COPY); skipped without one.
func BenchmarkLargeImportPostgres(b *testing.B) {
	benchLargeImport(b, func(n int) *sqlstore.DB {
		db, _, err := postgres.CreateAt(context.Background(), pgtest.URL(b), nil)
		if err != nil {
			b.Fatal(err)
		}
		return db
	})
}

func benchLargeImport(b *testing.B, open func(n int) *sqlstore.DB) {
	rows := LargeRows
	if n, err := strconv.Atoi(os.Getenv("RMF_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	p, err := LargeWorkbookFile("", rows)
	if err != nil {
		b.Fatal(err)
	}
	fw := LargeFramework()
	ctx := context.Background()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		db := open(n)
		if _, err := db.SaveFramework(ctx, fw); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		stop := PeakHeap(b)
		start := time.Now()
		im, err := db.BeginImport(ctx, indicators.Batch{File: p})
		if err != nil {
			b.Fatal(err)
		}
		read, err := importers.ImportMeasurements(p, fw, im, importers.MeasurementOptions{})
		if err != nil {
			b.Fatal(err)
		}
		readDone := time.Since(start)
		batch, err := im.Finish(false)
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		stop()
		b.StopTimer()
		im.Rollback()
		db.Close()
		if read != rows || batch.Added != rows {
			b.Fatalf("read %d, added %d, want %d", read, batch.Added, rows)
		}
		b.ReportMetric(float64(rows)/el.Seconds(), "rows/s")
		b.ReportMetric(readDone.Seconds(), "read+stage-s")
		b.ReportMetric((el - readDone).Seconds(), "finish-s")
		b.StartTimer()
	}
}

// BenchmarkLargeLoadEngine loads the large project's current figures
// (Measurements, what a report reads) from a SQLite database the
// benchmark imported first (not timed).
//
//	go test ./internal/gen/ -run '^$' -bench LargeLoad -benchtime=3x
func BenchmarkLargeLoadEngine(b *testing.B) {
	dir := b.TempDir()
	benchLargeLoad(b, func() *sqlstore.DB {
		db, err := sqlite.Open(context.Background(), filepath.Join(dir, "load.db"))
		if err != nil {
			b.Fatal(err)
		}
		return db
	})
}

// BenchmarkLargeLoadPostgres is BenchmarkLargeLoadEngine from a new
// project of the PostgreSQL database of $RMF_TEST_POSTGRES.
func BenchmarkLargeLoadPostgres(b *testing.B) {
	benchLargeLoad(b, func() *sqlstore.DB {
		db, _, err := postgres.CreateAt(context.Background(), pgtest.URL(b), nil)
		if err != nil {
			b.Fatal(err)
		}
		return db
	})
}

func benchLargeLoad(b *testing.B, open func() *sqlstore.DB) {
	rows := LargeRows
	if n, err := strconv.Atoi(os.Getenv("RMF_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	fw := LargeFramework()
	ctx := context.Background()
	db := open()
	defer db.Close()
	if _, err := db.SaveFramework(ctx, fw); err != nil {
		b.Fatal(err)
	}
	im, err := db.BeginImport(ctx, indicators.Batch{File: "large.xlsx"})
	if err != nil {
		b.Fatal(err)
	}
	if err := LargeFigures(rows, im.Add); err != nil {
		b.Fatal(err)
	}
	if _, err := im.Finish(false); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		figs, err := db.Measurements(ctx, sqlstore.MeasurementFilter{})
		if err != nil {
			b.Fatal(err)
		}
		if len(figs) != rows {
			b.Fatalf("loaded %d figures, want %d", len(figs), rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "figures/s")
}
