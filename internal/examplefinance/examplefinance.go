// Package examplefinance generates the example project's finance export,
// examples/finance/expenditures.xlsx: the expenditures by budget line and
// project semester (September to February, March to August) from the start
// of the project to February 2022, as the finance system exports them (one
// row per budget line and semester).
//
// The figures are illustrative, chosen so that the report at 2021Q3 shows
// what the mid-term review found: at about half of the project's time
// (52% at 2021-09-30; exactly 50% at the end of the fourth semester, the
// last one counted), 27.7% of the operational budget spent, output 1.2 at
// 7.9% and outputs 3.2 and 3.3 at 12.8%. The budget lines are those of
// examples/framework.yaml.
//
// Regenerate the file after changing the figures with
//
//	go test ./internal/examplefinance -update
//
// and the test (without -update) fails when the committed file differs from
// what this package writes.
package examplefinance

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Semesters are the project semesters, as periods rmf reads.
var Semesters = []string{
	"2019-09-01..2020-02-29",
	"2020-03-01..2020-08-31",
	"2020-09-01..2021-02-28",
	"2021-03-01..2021-08-31",
	"2021-09-01..2022-02-28",
}

// Line is one budget line's spending per semester (same order as Semesters).
type Line struct {
	Code, Result, Description string
	Spent                     [5]float64
}

// Lines are the expenditures of examples/framework.yaml's budget lines.
var Lines = []Line{
	{"OP-1.1", "1.1", "Tracking tools, officer training, assessments", [5]float64{10000, 25000, 40000, 45000, 40000}}, // 120,000 by 2021-08: 40.0% of 300,000
	{"OP-1.2", "1.2", "Census and survey proposal", [5]float64{0, 3000, 4800, 8000, 30000}},                           // 15,800: 7.9% of 200,000
	{"OP-2.1", "2.1", "Thematic studies, policy staff training", [5]float64{5000, 20000, 35000, 45000, 45000}},        // 105,000: 34.9%
	{"OP-2.2", "2.2", "Action plan consultations", [5]float64{0, 10000, 15000, 25000, 30000}},                         // 50,000: 25.0%
	{"OP-3.1", "3.1", "Information campaign and KAP survey", [5]float64{0, 20000, 35000, 40000, 35000}},               // 95,000: 38.0%
	{"OP-3.2", "3.2", "Training of local staff", [5]float64{0, 4200, 6000, 9000, 25000}},                              // 19,200: 12.8% of 150,000
	{"OP-3.3", "3.3", "NGO grants", [5]float64{0, 7600, 20000, 30000, 60000}},                                         // 57,600: 12.8% of 450,000
	{"OP-3.4", "3.4", "Food packages and coal (COVID-19 response)", [5]float64{0, 41867, 30000, 20000, 15000}},        // 91,867: 60.9%
	{"SO-01", "", "Project team and office", [5]float64{130000, 140000, 145000, 145000, 150000}},                      // 560,000: 46.7%
	{"ME-01", "", "Monitoring; mid-term review in the fourth semester", [5]float64{5000, 5000, 5000, 15000, 40000}},   // 30,000: 22.3%
}

// Sheet is the name of the data sheet.
const Sheet = "Expenditures"

// WriteXLSX writes the finance export: a title row, a note, then a header
// (Budget line, Result code, Period, Amount (CHF), Description) and one row
// per line and semester with spending, semester by semester.
func WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return err
	}
	set := func(ref string, v any) error { return f.SetCellValue(Sheet, ref, v) }
	if err := set("A1", "MIG-MN: expenditures by budget line and project semester (finance system export)"); err != nil {
		return err
	}
	if err := set("A2", "Illustrative figures for the rmf example; amounts in CHF."); err != nil {
		return err
	}
	header := []any{"Budget line", "Result code", "Period", "Amount (CHF)", "Description"}
	if err := f.SetSheetRow(Sheet, "A4", &header); err != nil {
		return err
	}
	row := 5
	for s, sem := range Semesters {
		for _, l := range Lines {
			if l.Spent[s] == 0 {
				continue
			}
			vals := []any{l.Code, l.Result, sem, l.Spent[s], l.Description}
			if err := f.SetSheetRow(Sheet, fmt.Sprintf("A%d", row), &vals); err != nil {
				return err
			}
			row++
		}
	}
	for col, width := range map[string]float64{"A": 12, "B": 12, "C": 24, "D": 14, "E": 50} {
		if err := f.SetColWidth(Sheet, col, col, width); err != nil {
			return err
		}
	}
	numFmt := "#,##0"
	st, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(Sheet, "D5", fmt.Sprintf("D%d", row-1), st); err != nil {
		return err
	}
	return f.Write(w)
}
