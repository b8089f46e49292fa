// Package gen generates a large project and its measurement workbook, for
// benchmarks: 1,000 indicators (100 of them computed), 20 quarters
// (2019Q1..2023Q4), disaggregated by sex and 21 provinces, and a
// 1,000,000-row workbook in the long layout written with excelize's
// StreamWriter.
package gen

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// Sizes of the large project.
const (
	Indicators  = 1000
	Computed    = 100 // the last Computed indicators have a formula
	Quarters    = 20  // 2019Q1..2023Q4
	LargeRows   = 1_000_000
	firstYear   = 2019
	largeSheet  = "Data"
	percentStep = 10 // every 10th measured indicator is a percentage
)

// Provinces are the 21 provinces of the large project.
var Provinces = []string{
	"Arkhangai", "Bayan-Olgii", "Bayankhongor", "Bulgan", "Darkhan-Uul", "Dornod", "Dornogovi",
	"Dundgovi", "Govi-Altai", "Govisumber", "Khentii", "Khovd", "Khovsgol", "Omnogovi",
	"Orkhon", "Ovorkhangai", "Selenge", "Sukhbaatar", "Tov", "Uvs", "Zavkhan",
}

// Sexes are the values of the sex dimension.
var Sexes = []string{"female", "male"}

func code(i int) string { return fmt.Sprintf("I%04d", i) }

// LargeFramework returns the large project: a goal, 10 outcomes, 50
// outputs and 1,000 indicators, 900 measured (every 10th a percentage, the
// others counts, all disaggregated by sex and province) and 100 computed
// from two measured ones each.
func LargeFramework() *indicators.Framework {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	fw := &indicators.Framework{
		Project: indicators.Project{Code: "LARGE", Title: "Large benchmark project", Start: d(firstYear, 1, 1),
			End: d(firstYear+Quarters/4-1, 12, 31), Reporting: "quarterly", Donor: "Benchmark donor", Currency: "USD"},
		Results: []indicators.Result{{Code: "G", Level: indicators.Goal, Statement: "Everyone is better off"}},
		Dimensions: []indicators.Dimension{
			{Name: "sex", Values: append([]string(nil), Sexes...)},
			{Name: "province", Values: append([]string(nil), Provinces...)},
		},
	}
	var outputs []string
	for o := 1; o <= 10; o++ {
		oc := fmt.Sprintf("O%d", o)
		fw.Results = append(fw.Results, indicators.Result{Code: oc, Level: indicators.Outcome, Parent: "G", Statement: "Outcome " + oc})
		for k := 1; k <= 5; k++ {
			c := fmt.Sprintf("%s.%d", oc, k)
			outputs = append(outputs, c)
			fw.Results = append(fw.Results, indicators.Result{Code: c, Level: indicators.Output, Parent: oc, Statement: "Output " + c})
		}
	}
	measured := Indicators - Computed
	for i := 1; i <= Indicators; i++ {
		ind := indicators.Indicator{
			Code: code(i), Result: outputs[(i-1)%len(outputs)], Name: fmt.Sprintf("Indicator %d", i),
			Unit: indicators.Number, Direction: indicators.Increase, DataSource: "Partner reports",
			CollectionMethod: "Quarterly workbook", Frequency: "quarterly",
		}
		base, target := 0.0, 1000.0
		switch {
		case i > measured:
			a, b := 1+(i*7)%measured, 1+(i*13)%measured
			ind.Formula = fmt.Sprintf("value(%q) + value(%q)", code(a), code(b))
			target = 2000
		case i%percentStep == 0:
			ind.Unit = indicators.Percent
			ind.Aggregation = indicators.Last
			target = 80
			ind.Disaggregations = []string{"sex", "province"}
		default:
			ind.Disaggregations = []string{"sex", "province"}
		}
		ind.Baseline, ind.Target = &base, &target
		fw.Indicators = append(fw.Indicators, ind)
	}
	return fw
}

// Disaggs are the disaggregations of a measured indicator in the order the
// workbook uses them: the total, each sex, each province, then each sex
// and province (66 in all).
func Disaggs() [][2]string {
	out := [][2]string{{"", ""}}
	for _, s := range Sexes {
		out = append(out, [2]string{s, ""})
	}
	for _, p := range Provinces {
		out = append(out, [2]string{"", p})
	}
	for _, s := range Sexes {
		for _, p := range Provinces {
			out = append(out, [2]string{s, p})
		}
	}
	return out
}

// WriteLargeWorkbook writes a measurement workbook of the given number of
// data rows for LargeFramework, in the long layout with eight columns
// (indicator, period, sex, province, value, comment, source, verified):
// quarter by quarter, every measured indicator gets the same share of the
// rows (its total first, then its breakdowns), all valid and distinct.
func WriteLargeWorkbook(w io.Writer, rows int) error {
	fw := LargeFramework()
	measured := Indicators - Computed
	pairs := measured * Quarters
	dis := Disaggs()
	if rows > pairs*len(dis) {
		return fmt.Errorf("gen: at most %d distinct rows, asked for %d", pairs*len(dis), rows)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", largeSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(largeSheet)
	if err != nil {
		return err
	}
	header := []any{"indicator", "period", "sex", "province", "value", "comment", "source", "verified"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	base, extra := rows/pairs, rows%pairs
	r, pair := 1, 0
	cells := make([]any, 8)
	for q := 0; q < Quarters; q++ {
		period := fmt.Sprintf("%dQ%d", firstYear+q/4, q%4+1)
		for i := 1; i <= measured; i++ {
			n := base
			if pair < extra {
				n++
			}
			pair++
			ind := &fw.Indicators[i-1]
			for k := 0; k < n; k++ {
				r++
				v := (i*31 + q*17 + k*7) % 500
				if ind.Unit == indicators.Percent {
					v %= 101
				}
				cells[0], cells[1], cells[2], cells[3] = ind.Code, period, dis[k][0], dis[k][1]
				cells[4], cells[5], cells[6], cells[7] = v, "as reported", "register", "yes"
				ref, _ := excelize.CoordinatesToCellName(1, r)
				if err := sw.SetRow(ref, cells); err != nil {
					return err
				}
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// LargeWorkbookFile returns the path of a cached large workbook of the
// given number of rows in dir (os.TempDir() when empty), writing it when
// it does not exist yet.
func LargeWorkbookFile(dir string, rows int) (string, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	p := filepath.Join(dir, fmt.Sprintf("rmf-large-v1-%d.xlsx", rows))
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	tmp, err := os.CreateTemp(dir, "rmf-large-*.xlsx.tmp")
	if err != nil {
		return "", err
	}
	if err := WriteLargeWorkbook(tmp, rows); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return p, os.Rename(tmp.Name(), p)
}
