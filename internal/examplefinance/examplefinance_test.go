package examplefinance

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite examples/finance/expenditures.xlsx")

const committed = "../../examples/finance/expenditures.xlsx"

func rowsOf(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(Sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestCommittedFileIsGenerated: the committed workbook is what WriteXLSX
// writes (compared cell by cell).
func TestCommittedFileIsGenerated(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(committed, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fresh := filepath.Join(t.TempDir(), "expenditures.xlsx")
	if err := os.WriteFile(fresh, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := rowsOf(t, committed), rowsOf(t, fresh); !reflect.DeepEqual(got, want) {
		t.Errorf("%s differs from the generated file; run go test ./internal/examplefinance -update", committed)
	}
}

type sink struct{ got []indicators.Expenditure }

func (s *sink) AddExpenditure(e indicators.Expenditure) error { s.got = append(s.got, e); return nil }

// TestReviewFigures: imported against the example framework, the file
// gives the review's figures at 2021Q3.
func TestReviewFigures(t *testing.T) {
	fw, err := importers.ReadFramework("../../examples/framework.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s sink
	if _, err := importers.ImportExpenditures(committed, fw, &s, importers.ExpenditureOptions{}); err != nil {
		t.Fatal(err)
	}
	if total := fw.BudgetTotal(); total != 3336140 {
		t.Errorf("budget lines add up to %v, want 3,336,140", total)
	}
	end := time.Date(2021, 9, 30, 0, 0, 0, 0, time.UTC)
	r := &indicators.Report{Period: indicators.ReportPeriod{Code: "2021Q3", Start: "2021-07-01", End: "2021-09-30"},
		Elapsed: indicators.Elapsed(fw.Project.Period(), end)}
	for _, res := range fw.Results {
		r.Results = append(r.Results, indicators.ReportResult{Code: res.Code, Level: res.Level})
	}
	if err := indicators.AddEfficiency(r, fw, s.got); err != nil {
		t.Fatal(err)
	}
	ef := r.Efficiency
	pct := func(p *float64) float64 { return math.Round(*p*1000) / 10 }
	if op := ef.Operational; op.Budget != 2001684 || op.Spent != 554467 || pct(op.Rate) != 27.7 || !op.SpendingLags {
		t.Errorf("operational: budget %v spent %v rate %v lags %v, want 2,001,684, 554,467, 27.7%%, flagged", op.Budget, op.Spent, pct(op.Rate), op.SpendingLags)
	}
	// Spending is known to 2021-08-31 (the fourth semester's end), so time
	// is taken at that day: 731 of 1,461 days = 50.0%, the review's "at 50%
	// of the time, 27.7% spent" (not 52.1% at 2021-09-30).
	if e := math.Round(ef.Elapsed*1000) / 10; e != 50.0 || ef.AsOf != "2021-08-31" {
		t.Errorf("elapsed %v%% as of %s, want 50.0%% as of 2021-08-31", e, ef.AsOf)
	}
	want := map[string]float64{"1.2": 7.9, "3.2": 12.8, "3.3": 12.8, "O3": 26.3}
	for _, x := range ef.Results {
		if w, ok := want[x.Code]; ok {
			if got := pct(x.Rate); got != w {
				t.Errorf("%s: %v%%, want %v%%", x.Code, got, w)
			}
			delete(want, x.Code)
		}
	}
	if len(want) > 0 {
		t.Errorf("results missing: %v", want)
	}
	// The outcome 3 budget is half of the operational budget.
	for _, x := range ef.Results {
		if x.Code == "O3" && x.Budget*2 != ef.Operational.Budget {
			t.Errorf("outcome 3 budget %v, operational %v", x.Budget, ef.Operational.Budget)
		}
	}
	// The fifth semester (September 2021 to February 2022) is not over at
	// the end of 2021Q3: left out, and said so.
	if len(ef.Warnings) != 2 || ef.Warnings[0] != "10 expenditure rows (470,000 CHF) cover periods that end after 2021-09-30 and are not counted" ||
		ef.Warnings[1] != "spending is known up to 2021-08-31: time elapsed is taken at that day (50.0%), not at 2021-09-30" {
		t.Errorf("warnings at 2021Q3: %q", ef.Warnings)
	}
}
