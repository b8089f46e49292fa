// Package gen generates a large project and its measurement workbook, for
// benchmarks, shaped like a national programme (issue 17): 1,000
// indicators (100 of them computed) in 10 outcomes × 10 outputs, 20
// quarters (2019Q1..2023Q4), disaggregated by sex and 25 districts, and
// 1,000,000 figures: in a workbook of the long layout written with
// excelize's StreamWriter (WriteLargeWorkbook), or one by one for a store
// or an exporter (LargeFigures).
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
	Outcomes    = 10
	OutputsPer  = 10 // outputs of each outcome
	LargeRows   = 1_000_000
	firstYear   = 2019
	largeSheet  = "Data"
	percentStep = 10 // every 10th measured indicator is a percentage
)

// Districts are the 25 districts of the large project.
var Districts = []string{
	"Arkhangai", "Bayan-Olgii", "Bayankhongor", "Bulgan", "Darkhan-Uul", "Dornod", "Dornogovi",
	"Dundgovi", "Govi-Altai", "Govisumber", "Khentii", "Khovd", "Khovsgol", "Omnogovi",
	"Orkhon", "Ovorkhangai", "Selenge", "Sukhbaatar", "Tov", "Uvs", "Zavkhan",
	"Bayanzurkh", "Chingeltei", "Khan-Uul", "Songinokhairkhan",
}

// Sexes are the values of the sex dimension.
var Sexes = []string{"female", "male"}

func code(i int) string { return fmt.Sprintf("I%04d", i) }

// LargeFramework returns the large project: a goal, 10 outcomes, 100
// outputs (10 per outcome) and 1,000 indicators (10 per output), 900
// measured (every 10th a percentage, the others counts, all disaggregated
// by sex and district) and 100 computed from two measured ones each.
func LargeFramework() *indicators.Framework {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	fw := &indicators.Framework{
		Project: indicators.Project{Code: "LARGE", Title: "Large benchmark project", Start: d(firstYear, 1, 1),
			End: d(firstYear+Quarters/4-1, 12, 31), Reporting: "quarterly", Donor: "Benchmark donor", Currency: "USD",
			IATIIdentifier: "XM-DAC-00000-LARGE", ReportingOrg: "Benchmark publisher", ReportingOrgID: "XM-DAC-00000",
			ReportingOrgType: "21"},
		Results: []indicators.Result{{Code: "G", Level: indicators.Goal, Statement: "Everyone is better off"}},
		Dimensions: []indicators.Dimension{
			{Name: "sex", Values: append([]string(nil), Sexes...)},
			{Name: "district", Values: append([]string(nil), Districts...)},
		},
	}
	var outputs []string
	for o := 1; o <= Outcomes; o++ {
		oc := fmt.Sprintf("O%d", o)
		fw.Results = append(fw.Results, indicators.Result{Code: oc, Level: indicators.Outcome, Parent: "G", Statement: "Outcome " + oc})
		for k := 1; k <= OutputsPer; k++ {
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
			ind.Disaggregations = []string{"sex", "district"}
		default:
			ind.Disaggregations = []string{"sex", "district"}
		}
		ind.Baseline, ind.Target = &base, &target
		fw.Indicators = append(fw.Indicators, ind)
	}
	return fw
}

// Disaggs are the disaggregations of a measured indicator in the order the
// workbook uses them: the total, each sex, each district, then each sex
// and district (78 in all).
func Disaggs() [][2]string {
	out := [][2]string{{"", ""}}
	for _, s := range Sexes {
		out = append(out, [2]string{s, ""})
	}
	for _, p := range Districts {
		out = append(out, [2]string{"", p})
	}
	for _, s := range Sexes {
		for _, p := range Districts {
			out = append(out, [2]string{s, p})
		}
	}
	return out
}

// MaxRows is the number of distinct figures the large project can hold:
// every disaggregation of every measured indicator in every quarter.
const MaxRows = (Indicators - Computed) * Quarters * (1 + 2 + 25 + 2*25)

// LargeFigures gives fn the figures of the large project, rows of them,
// in the order of the workbook WriteLargeWorkbook writes (Loc.Row is the
// figure's row there, in sheet Data of file large.xlsx): quarter by
// quarter, every measured indicator gets the same share of the rows (its
// total first, then its breakdowns), all valid and distinct, and as a
// national programme reports them: the total, each sex and each district
// the sums of their sex-and-district cells (of which the workbook has
// some, the rest left out). It stops at fn's first error and returns it.
func LargeFigures(rows int, fn func(indicators.Measurement) error) error {
	return largeFigures(rows, false, fn)
}

// LargeFiguresWorst are LargeFigures whose totals, sexes and districts
// are not the sums of their breakdowns (each figure a number of its own):
// a report of them has a finding for most of them (some 323,000 for a
// million rows), the worst case of the report's findings.
func LargeFiguresWorst(rows int, fn func(indicators.Measurement) error) error {
	return largeFigures(rows, true, fn)
}

// cellValue is the figure of the sex-and-district cell (s, d) of
// measured indicator i (from 1) in quarter q (from 0).
func cellValue(i, q, s, d int) int { return (i*31 + q*17 + (s*25+d)*7) % 500 }

// largeValue is the value of the k-th disaggregation (Disaggs) of measured
// indicator ind (number i, from 1) in quarter q: a sum of cells, or with
// worst a number of its own.
func largeValue(ind *indicators.Indicator, i, q, k int, d [2]string, worst bool) float64 {
	if worst || ind.Unit == indicators.Percent {
		v := (i*31 + q*17 + k*7) % 500
		if ind.Unit == indicators.Percent {
			v %= 101
		}
		return float64(v)
	}
	sum := 0
	for s, sex := range Sexes {
		if d[0] != "" && d[0] != sex {
			continue
		}
		for di, dist := range Districts {
			if d[1] != "" && d[1] != dist {
				continue
			}
			sum += cellValue(i, q, s, di)
		}
	}
	return float64(sum)
}

func largeFigures(rows int, worst bool, fn func(indicators.Measurement) error) error {
	fw := LargeFramework()
	measured := Indicators - Computed
	pairs := measured * Quarters
	dis := Disaggs()
	if len(dis)*pairs != MaxRows {
		return fmt.Errorf("gen: %d disaggregations, MaxRows is stale", len(dis))
	}
	if rows > MaxRows {
		return fmt.Errorf("gen: at most %d distinct rows, asked for %d", MaxRows, rows)
	}
	quarters := indicators.Periods(fw.Project.Start, fw.Project.End, indicators.KindQuarter)
	if len(quarters) != Quarters {
		return fmt.Errorf("gen: %d quarters, expected %d", len(quarters), Quarters)
	}
	dims := make([]indicators.Disagg, len(dis))
	for k, d := range dis {
		if d[0] != "" || d[1] != "" {
			dims[k] = indicators.Disagg{}
		}
		if d[0] != "" {
			dims[k]["sex"] = d[0]
		}
		if d[1] != "" {
			dims[k]["district"] = d[1]
		}
	}
	base, extra := rows/pairs, rows%pairs
	r, pair := 1, 0
	for q, per := range quarters {
		for i := 1; i <= measured; i++ {
			n := base
			if pair < extra {
				n++
			}
			pair++
			ind := &fw.Indicators[i-1]
			for k := 0; k < n; k++ {
				r++
				x := largeValue(ind, i, q, k, dis[k], worst)
				m := indicators.Measurement{Indicator: ind.Code, Period: per, Dims: dims[k], Value: &x,
					Comment: "as reported", Source: "register", Verified: indicators.VerifiedYes,
					Loc: indicators.Loc{File: "large.xlsx", Sheet: largeSheet, Row: r}}
				if err := fn(m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// WriteLargeWorkbook writes a measurement workbook of the given number of
// data rows for LargeFramework, in the long layout with eight columns
// (indicator, period, sex, district, value, comment, source, verified):
// the figures of LargeFigures, one per row.
func WriteLargeWorkbook(w io.Writer, rows int) error {
	if rows > MaxRows {
		return fmt.Errorf("gen: at most %d distinct rows, asked for %d", MaxRows, rows)
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
	header := []any{"indicator", "period", "sex", "district", "value", "comment", "source", "verified"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	cells := make([]any, 8)
	err = LargeFigures(rows, func(m indicators.Measurement) error {
		cells[0], cells[1], cells[2], cells[3] = m.Indicator, m.Period.String(), m.Dims["sex"], m.Dims["district"]
		cells[4], cells[5], cells[6], cells[7] = int(*m.Value), m.Comment, m.Source, string(m.Verified)
		ref, _ := excelize.CoordinatesToCellName(1, m.Loc.Row)
		return sw.SetRow(ref, cells)
	})
	if err != nil {
		return err
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
	p := filepath.Join(dir, fmt.Sprintf("rmf-large-v3-%d.xlsx", rows))
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
