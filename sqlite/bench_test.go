package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

const (
	benchIndicators = 100
	benchDays       = 10000
	benchRows       = benchIndicators * benchDays
)

// benchFramework has benchIndicators number indicators B00..B99.
func benchFramework() *indicators.Framework {
	fw := &indicators.Framework{Project: indicators.Project{Code: "B", Title: "bench", Start: day(2000, 1, 1), End: day(2030, 12, 31)}}
	for i := 0; i < benchIndicators; i++ {
		c := fmt.Sprintf("B%02d", i)
		fw.Indicators = append(fw.Indicators, indicators.Indicator{Code: c, Name: c, Unit: indicators.Number})
	}
	return fw
}

// benchImport imports benchRows figures (every indicator × benchDays days,
// in that order, as a long sheet would list them); value(row) gives each
// figure's value.
func benchImport(b *testing.B, db *DB, fw *indicators.Framework, periods []indicators.Period, value func(row int) float64) indicators.Batch {
	im, err := db.BeginImport(context.Background(), indicators.Batch{File: "big.xlsx"})
	if err != nil {
		b.Fatal(err)
	}
	defer im.Rollback()
	row := 1
	for _, ind := range fw.Indicators {
		for _, p := range periods {
			row++
			v := value(row)
			if err := im.Add(indicators.Measurement{Indicator: ind.Code, Period: p, Value: &v, Comment: "ok",
				Loc: indicators.Loc{File: "big.xlsx", Sheet: "Data", Row: row}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	batch, err := im.Finish(false)
	if err != nil {
		b.Fatal(err)
	}
	return batch
}

func benchSetup(b *testing.B, n int) (*DB, *indicators.Framework, []indicators.Period) {
	b.Helper()
	fw := benchFramework()
	periods := make([]indicators.Period, benchDays)
	for d := range periods {
		periods[d] = indicators.Day(day(2000, 1, 1).AddDate(0, 0, d))
	}
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", n)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.SaveFramework(context.Background(), fw); err != nil {
		b.Fatal(err)
	}
	return db, fw, periods
}

// BenchmarkImportInsert imports 1,000,000 new figures (100 indicators ×
// 10,000 days) through Add and Finish, in one transaction, into a new
// database file. Each iteration is one whole import; rows/s is reported.
func BenchmarkImportInsert(b *testing.B) {
	var total float64
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		db, fw, periods := benchSetup(b, n)
		b.StartTimer()
		batch := benchImport(b, db, fw, periods, func(row int) float64 { return float64(row) })
		b.StopTimer()
		if batch.Added != benchRows {
			b.Fatalf("added %d, want %d", batch.Added, benchRows)
		}
		total += benchRows
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportCorrect imports the same 1,000,000 figures a second time
// with every other value corrected: half stored as new revisions, half
// unchanged. Only the second import is timed.
func BenchmarkImportCorrect(b *testing.B) {
	var total float64
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		db, fw, periods := benchSetup(b, n)
		benchImport(b, db, fw, periods, func(row int) float64 { return float64(row) })
		b.StartTimer()
		batch := benchImport(b, db, fw, periods, func(row int) float64 { return float64(row + row%2) })
		b.StopTimer()
		if batch.Changed != benchRows/2 || batch.Unchanged != benchRows/2 {
			b.Fatalf("changed %d, unchanged %d, want %d each", batch.Changed, batch.Unchanged, benchRows/2)
		}
		total += benchRows
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(total/b.Elapsed().Seconds(), "rows/s")
}
