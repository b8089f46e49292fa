package importers

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// sheetData is one sheet of a test workbook: its name and rows of cells
// (string, float64, int, bool, time.Time or nil).
type sheetData struct {
	name string
	rows [][]any
}

// buildXLSX writes sheets into an in-memory workbook.
func buildXLSX(t testing.TB, sheets []sheetData) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			ref, _ := excelize.CoordinatesToCellName(1, r+1)
			vals := make([]any, len(row))
			copy(vals, row)
			if err := f.SetSheetRow(s.name, ref, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// baseSheets is a small valid framework workbook. Column letters matter to
// the bad-input tests: Indicators A code, B result, C name, D unit,
// E direction, F baseline, G target, H aggregation, I disaggregations,
// J formula, K numerator, L denominator, M data_source, N collection_method,
// O baseline_date.
func baseSheets() []sheetData {
	return []sheetData{
		{"Project", [][]any{
			{"code", "MIG"},
			{"title", "Migration project"},
			{"start", "2020-01-01"},
			{"end", "2022-12-31"},
			{"year_start", 9},
		}},
		{"Results", [][]any{
			{"code", "level", "parent", "statement", "assumptions", "contributes_to"},
			{"G", "goal", nil, "Better well-being"},
			{"O1", "outcome", "G", "Better data"},
			{"1.1", "output", "O1", "Staff trained"},
			{"A1", "activity", "1.1", "Train staff"},
		}},
		{"Indicators", [][]any{
			{"code", "result", "name", "unit", "direction", "baseline", "target", "aggregation", "disaggregations",
				"formula", "numerator", "denominator", "data_source", "collection_method", "baseline_date"},
			{"G.1", "G", "Well-being", "percent", "increase", 10, 75, nil, nil, nil, nil, nil, "survey", "household survey", "2020-01-01"},
			{"1.1.1", "1.1", "Staff trained", "number", nil, 0, 100, nil, "sex", nil, nil, nil, "lists", "count", nil},
			{"1.1.2", "1.1", "Trained per site", "ratio", nil, nil, 10, nil, nil, `value("1.1.1") / 2`, nil, nil, nil, nil, nil},
		}},
		{"Milestones", [][]any{
			{"indicator", "period", "target", "disaggregation"},
			{"1.1.1", "2021S1", 40},
			{"1.1.1", "2021S1", 20, "sex=female"},
			{"G.1", "2021", 50},
		}},
		{"Dimensions", [][]any{
			{"dimension", "value"},
			{"sex", "female"},
			{"sex", "male"},
		}},
		{"Rules", [][]any{
			{"code", "check", "severity", "message"},
			{"R1", `value("1.1.1") >= 0`, "warning", "negative"},
		}},
	}
}

func readXLSX(t testing.TB, sheets []sheetData) (*indicators.Framework, error) {
	t.Helper()
	return ReadFrameworkXLSX(bytes.NewReader(buildXLSX(t, sheets)), "fw.xlsx")
}

func TestReadFrameworkXLSXBase(t *testing.T) {
	fw, err := readXLSX(t, baseSheets())
	if err != nil {
		t.Fatalf("base workbook: %v", err)
	}
	if len(fw.Results) != 4 || len(fw.Indicators) != 3 || len(fw.Milestones) != 3 || len(fw.Dimensions) != 1 || len(fw.Rules) != 1 {
		t.Fatalf("counts: %d results, %d indicators, %d milestones, %d dimensions, %d rules",
			len(fw.Results), len(fw.Indicators), len(fw.Milestones), len(fw.Dimensions), len(fw.Rules))
	}
	g := fw.Indicators[0]
	if g.Unit != indicators.Percent || *g.Baseline != 10 || *g.Target != 75 || g.BaselineDate == nil || g.BaselineDate.Format(time.DateOnly) != "2020-01-01" {
		t.Errorf("G.1 = %+v", g)
	}
	if fw.Project.YearStart != 9 || fw.Project.Start.Format(time.DateOnly) != "2020-01-01" {
		t.Errorf("project = %+v", fw.Project)
	}
	if c := fw.Indicators[1].Loc.Cell("target"); c != "G3" {
		t.Errorf("1.1.1 target cell = %q, want G3", c)
	}
	if m := fw.Milestones[1]; m.Dims["sex"] != "female" || m.Period.String() != "2021S1" {
		t.Errorf("milestone = %+v", m)
	}
}

// TestReadFrameworkXLSXVariants: sheet names and headings are matched
// without regard to case, spaces and underscores, with common variants;
// title rows above the header and unknown columns are skipped.
func TestReadFrameworkXLSXVariants(t *testing.T) {
	sheets := []sheetData{
		{"PROJECT INFO", [][]any{
			{"Project information"},
			{"Field", "Value"},
			{"Project Code", "MIG"},
			{"Project_Title", "Migration project"},
			{"Start date", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
			{"End Date", "31/12/2022"},
			{"Reporting frequency", "Semi-annual"},
			{"Fiscal year start", "September"},
			{"IATI identifier", "CH-4-1"},
			{"Reporting organisation", "SDC"},
		}},
		{"results_", [][]any{
			{"Logframe of the project"},
			{},
			{"Result code", "Level", "Parent code", "Result statement", "Assumptions", "Also contributes to", "Comments"},
			{"G", "Overall objective", nil, "Better well-being"},
			{"O1", "Outcome", "G", "Better data"},
			{"O2", "Specific objective", "G", "Better policy"},
			{"1.1", "Output", "O1", "Staff trained", nil, "O2"},
		}},
		{"indicators", [][]any{
			{"Indicator code", "Result code", "Indicator name", "Unit of measure", "Desired direction",
				"Baseline value", "Baseline year", "End-of-project target", "Aggregation method", "Disaggregated by",
				"Data source", "Data collection method", "Reporting frequency", "Responsible person", "Means of verification", "Remarks"},
			{"G.1", "G", "Well-being", "%", "Higher is better", "10%", 2020, "75%", "Latest", "Sex",
				"survey", "household survey", "End of project", "M&E officer", "Survey report", "illustrative"},
			{"1.1.1", "1.1", "Staff trained", "#", "up", "0", nil, "1,250", "Cumulative", "sex",
				"lists", "count", "Quarterly", "Trainer", "Attendance lists"},
		}},
		{"Milestone targets", [][]any{
			{"Indicator ID", "Due period", "Milestone target", "Dims"},
			{"1.1.1", "Q3 2021", 400, "Sex = Female"},
			{"G.1", "2021-S1", "50%"},
		}},
		{"DISAGGREGATIONS", [][]any{
			{"Dimension name", "Values"},
			{"Sex", "female; male"},
		}},
	}
	fw, err := readXLSX(t, sheets)
	if err != nil {
		t.Fatalf("variants: %v", err)
	}
	p := fw.Project
	if p.Code != "MIG" || p.Title != "Migration project" || p.Start.Format(time.DateOnly) != "2020-01-01" ||
		p.End.Format(time.DateOnly) != "2022-12-31" || p.Reporting != "semiannual" || p.YearStart != 9 ||
		p.IATIIdentifier != "CH-4-1" || p.ReportingOrg != "SDC" {
		t.Errorf("project = %+v", p)
	}
	if len(fw.Results) != 4 || fw.Results[0].Level != indicators.Goal || fw.Results[2].Level != indicators.Outcome ||
		len(fw.Results[3].ContributesTo) != 1 || fw.Results[3].ContributesTo[0] != "O2" {
		t.Errorf("results = %+v", fw.Results)
	}
	if len(fw.Indicators) != 2 {
		t.Fatalf("indicators = %+v", fw.Indicators)
	}
	g := fw.Indicators[0]
	if g.Result != "G" || g.Unit != indicators.Percent || *g.Baseline != 10 || *g.Target != 75 ||
		g.Aggregation != indicators.Last || g.BaselineDate.Year() != 2020 || !g.EndOnly() ||
		g.MeansOfVerification != "Survey report" || g.Notes != "illustrative" || g.Responsible != "M&E officer" ||
		g.CollectionMethod != "household survey" || len(g.Disaggregations) != 1 {
		t.Errorf("G.1 = %+v", g)
	}
	n := fw.Indicators[1]
	if n.Unit != indicators.Number || *n.Target != 1250 || n.Aggregation != indicators.Sum || n.Frequency != "Quarterly" {
		t.Errorf("1.1.1 = %+v", n)
	}
	if len(fw.Milestones) != 2 || fw.Milestones[0].Period.String() != "2021Q3" || fw.Milestones[0].Dims["sex"] != "female" ||
		fw.Milestones[1].Period.String() != "2021S1" || fw.Milestones[1].Target != 50 {
		t.Errorf("milestones = %+v", fw.Milestones)
	}
	if d, ok := fw.Dimension("sex"); !ok || len(d.Values) != 2 {
		t.Errorf("dimensions = %+v", fw.Dimensions)
	}
}

// setCell sets the cell at ref of sheet name in sheets (growing rows).
func setCell(sheets []sheetData, name, ref string, v any) {
	col, row, err := excelize.CellNameToCoordinates(ref)
	if err != nil {
		panic(err)
	}
	for i := range sheets {
		if sheets[i].name != name {
			continue
		}
		for len(sheets[i].rows) < row {
			sheets[i].rows = append(sheets[i].rows, nil)
		}
		r := sheets[i].rows[row-1]
		for len(r) < col {
			r = append(r, nil)
		}
		r[col-1] = v
		sheets[i].rows[row-1] = r
		return
	}
	panic("no sheet " + name)
}

func dropSheet(sheets []sheetData, name string) []sheetData {
	var out []sheetData
	for _, s := range sheets {
		if s.name != name {
			out = append(out, s)
		}
	}
	return out
}

func appendRow(sheets []sheetData, name string, row ...any) {
	for i := range sheets {
		if sheets[i].name == name {
			sheets[i].rows = append(sheets[i].rows, row)
			return
		}
	}
	panic("no sheet " + name)
}

// TestReadFrameworkXLSXBadInput: each bad input is rejected with a problem
// that names the sheet and the cell (or row, for a missing column), says
// what was seen and what was expected, and wraps the right sentinel.
func TestReadFrameworkXLSXBadInput(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(s []sheetData) []sheetData
		sentinel error
		sheet    string
		cell     string // "" for a problem of the whole sheet or header row
		want     []string
	}{
		{"missing required sheet",
			func(s []sheetData) []sheetData { return dropSheet(s, "Indicators") },
			indicators.ErrMissingSheet, "Indicators", "",
			[]string{"no sheet named Indicators", "sheets found: Project, Results, Milestones", "expected the sheets Project, Results and Indicators"}},
		{"missing required column",
			func(s []sheetData) []sheetData { setCell(s, "Results", "B1", "kind"); return s },
			indicators.ErrMissingColumn, "Results", "",
			[]string{"row 1", "no column level", "found: code, kind, parent", `expected a heading such as "Level"`}},
		{"missing project key",
			func(s []sheetData) []sheetData { setCell(s, "Project", "A2", "name of it"); return s },
			indicators.ErrRequired, "Project", "",
			[]string{"the project has no title"}},
		{"duplicate code",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "A4", "1.1.1"); return s },
			indicators.ErrDuplicate, "Indicators", "A4", // and no spurious cycle 1.1.1 -> 1.1.1
			[]string{"code 1.1.1", "already used by an indicator (Indicators row 3)", "must be unique"}},
		{"duplicate code across sheets",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "A4", "O1"); return s },
			indicators.ErrDuplicate, "Indicators", "A4",
			[]string{"code O1", "already used by a result (Results row 3)"}},
		{"unknown parent",
			func(s []sheetData) []sheetData { setCell(s, "Results", "C4", "O9"); return s },
			indicators.ErrUnknownCode, "Results", "C4",
			[]string{`parent "O9"`, "not a result code"}},
		{"wrong-level parent",
			func(s []sheetData) []sheetData { setCell(s, "Results", "C5", "O1"); return s },
			indicators.ErrLevel, "Results", "C5",
			[]string{"result A1 is an activity but its parent O1 is an outcome", "must be an output"}},
		{"unknown level",
			func(s []sheetData) []sheetData { setCell(s, "Results", "B5", "task"); return s },
			indicators.ErrInvalid, "Results", "B5",
			[]string{`level "task"`, "expected goal, outcome, output or activity"}},
		{"unknown result of an indicator",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "B3", "9.9"); return s },
			indicators.ErrUnknownCode, "Indicators", "B3",
			[]string{`result "9.9"`, "not a result code"}},
		{"unknown unit",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "D3", "kilograms"); return s },
			indicators.ErrInvalid, "Indicators", "D3",
			[]string{`unit "kilograms"`, "expected number, percent, ratio, currency, yes/no or text"}},
		{"unknown direction",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "E3", "sideways"); return s },
			indicators.ErrInvalid, "Indicators", "E3",
			[]string{`direction "sideways"`, "expected increase, decrease or maintain"}},
		{"unknown aggregation",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "H3", "median"); return s },
			indicators.ErrInvalid, "Indicators", "H3",
			[]string{`aggregation "median"`, "expected sum, last, max, min or mean"}},
		{"non-numeric baseline",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "F3", "about ten"); return s },
			indicators.ErrInvalid, "Indicators", "F3",
			[]string{`baseline "about ten" is not a number`, "expected a number for a number indicator"}},
		{"non-numeric target",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "G2", "most"); return s },
			indicators.ErrInvalid, "Indicators", "G2",
			[]string{`target "most" is not a number`, "percent indicator", "or 75%"}},
		{"yes/no target not yes or no",
			func(s []sheetData) []sheetData {
				appendRow(s, "Indicators", "1.1.3", "1.1", "Tools adapted", "yes/no", nil, "no", "done")
				return s
			},
			indicators.ErrInvalid, "Indicators", "G5",
			[]string{`target "done" is not yes or no`, "expected yes, no"}},
		{"unparseable milestone period",
			func(s []sheetData) []sheetData { setCell(s, "Milestones", "B2", "2021Q5"); return s },
			indicators.ErrInvalid, "Milestones", "B2",
			[]string{`period "2021Q5"`, "quarter 5", "expected Q1 to Q4"}},
		{"unparseable project date",
			func(s []sheetData) []sheetData { setCell(s, "Project", "B3", "next spring"); return s },
			indicators.ErrInvalid, "Project", "B3",
			[]string{`start "next spring" is not a date`, "expected a date such as 2021-07-15"}},
		{"unparseable baseline date",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "O2", "31/02/2020"); return s },
			indicators.ErrInvalid, "Indicators", "O2",
			[]string{`baseline_date "31/02/2020" is not a date`, "expected a date"}},
		{"non-numeric milestone target",
			func(s []sheetData) []sheetData { setCell(s, "Milestones", "C2", "forty"); return s },
			indicators.ErrInvalid, "Milestones", "C2",
			[]string{`target "forty" is not a number`}},
		{"milestone for an unknown indicator",
			func(s []sheetData) []sheetData { setCell(s, "Milestones", "A3", "7.7"); return s },
			indicators.ErrUnknownCode, "Milestones", "A3",
			[]string{`milestone for "7.7"`, "not an indicator code of the Indicators sheet"}},
		{"formula that does not compile",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "J4", `value("1.1.1") / / 2`); return s },
			indicators.ErrFormula, "Indicators", "J4",
			[]string{"indicator 1.1.2, column formula at 1:", `value(\"1.1.1\") / / 2`}},
		{"formula of the wrong type",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "J4", `value("1.1.1") > 2`); return s },
			indicators.ErrFormula, "Indicators", "J4",
			[]string{"indicator 1.1.2, column formula"}},
		{"unknown code in a formula",
			func(s []sheetData) []sheetData {
				setCell(s, "Indicators", "J4", `value("1.1.1") / value("X9")`)
				return s
			},
			indicators.ErrUnknownCode, "Indicators", "J4",
			[]string{"indicator 1.1.2, column formula at 1:", `"X9" is not an indicator`}},
		{"unknown code in a rule check",
			func(s []sheetData) []sheetData { setCell(s, "Rules", "B2", `value("nope") >= 0`); return s },
			indicators.ErrUnknownCode, "Rules", "B2",
			[]string{"rule R1, column check", `"nope"`}},
		{"cycle between formulas",
			func(s []sheetData) []sheetData {
				setCell(s, "Indicators", "J2", `value("1.1.2") * 10`)
				setCell(s, "Indicators", "J3", `value("G.1") + 1`)
				setCell(s, "Indicators", "J4", `value("1.1.1") / 2`)
				return s
			},
			indicators.ErrCycle, "Indicators", "J2",
			[]string{"G.1 -> 1.1.2 -> 1.1.1 -> G.1"}},
		{"undeclared dimension",
			func(s []sheetData) []sheetData { setCell(s, "Indicators", "I3", "sex; age"); return s },
			indicators.ErrDimension, "Indicators", "I3",
			[]string{`disaggregated by "age"`, "not declared in the Dimensions sheet (declared: sex)"}},
		{"milestone for an undeclared dimension",
			func(s []sheetData) []sheetData { setCell(s, "Milestones", "D3", "province=Uvs"); return s },
			indicators.ErrDimension, "Milestones", "D3",
			[]string{"province=Uvs", `"province" is not a declared dimension (declared: sex)`}},
		{"milestone for a value not declared",
			func(s []sheetData) []sheetData { setCell(s, "Milestones", "D3", "sex=other"); return s },
			indicators.ErrDimension, "Milestones", "D3",
			[]string{`"other" is not a value of dimension sex (expected one of: female, male)`}},
		{"unknown numerator",
			func(s []sheetData) []sheetData {
				setCell(s, "Indicators", "K2", "n1")
				setCell(s, "Indicators", "L2", "1.1.1")
				return s
			},
			indicators.ErrUnknownCode, "Indicators", "K2",
			[]string{`numerator "n1"`, "not an indicator code"}},
		{"unknown rule severity",
			func(s []sheetData) []sheetData { setCell(s, "Rules", "C2", "fatal"); return s },
			indicators.ErrInvalid, "Rules", "C2",
			[]string{`severity "fatal"`, "expected error or warning"}},
		{"contributes to an output",
			func(s []sheetData) []sheetData { setCell(s, "Results", "F4", "1.1"); return s },
			indicators.ErrLevel, "Results", "F4",
			[]string{"contributes to 1.1, which is an output", "must name outcomes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fw, err := readXLSX(t, tt.edit(baseSheets()))
			if err == nil {
				t.Fatalf("no error; read %d indicators", len(fw.Indicators))
			}
			if fw != nil {
				t.Errorf("a framework was returned with the error")
			}
			var probs indicators.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("error is %T, want indicators.Problems: %v", err, err)
			}
			if len(probs) != 1 {
				t.Fatalf("want exactly one problem, got %d:\n%v", len(probs), err)
			}
			var ce *indicators.CellError
			if !errors.As(probs[0], &ce) {
				t.Fatalf("problem is %T, want *indicators.CellError", probs[0])
			}
			if !errors.Is(ce, tt.sentinel) {
				t.Errorf("problem %q does not wrap %v", ce, tt.sentinel)
			}
			if ce.File != "fw.xlsx" || ce.Sheet != tt.sheet || ce.Cell != tt.cell {
				t.Errorf("located at file %q sheet %q cell %q, want fw.xlsx %q %q", ce.File, ce.Sheet, ce.Cell, tt.sheet, tt.cell)
			}
			msg := ce.Error()
			wantPlace := "sheet " + tt.sheet
			if tt.cell != "" {
				wantPlace += ", cell " + tt.cell
			}
			if !strings.Contains(msg, "fw.xlsx: "+wantPlace) {
				t.Errorf("message %q does not start with the place %q", msg, wantPlace)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q\n does not contain %q", msg, w)
				}
			}
		})
	}
}

// TestReadFrameworkXLSXAllProblems: every problem is listed at once, in
// sheet order.
func TestReadFrameworkXLSXAllProblems(t *testing.T) {
	s := baseSheets()
	setCell(s, "Results", "C4", "O9")          // unknown parent
	setCell(s, "Indicators", "D3", "kg")       // unknown unit
	setCell(s, "Indicators", "G2", "lots")     // non-numeric target
	setCell(s, "Milestones", "A3", "7.7")      // unknown indicator
	setCell(s, "Milestones", "B4", "sometime") // bad period
	appendRow(s, "Indicators", "G.1", "G", "dup", "number")
	_, err := readXLSX(t, s)
	var probs indicators.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("error %v is not Problems", err)
	}
	var cells []string
	for _, p := range probs {
		var ce *indicators.CellError
		if errors.As(p, &ce) {
			cells = append(cells, ce.Sheet+"!"+ce.Cell)
		}
	}
	want := []string{"Results!C4", "Indicators!G2", "Indicators!D3", "Indicators!A5", "Milestones!A3", "Milestones!B4"}
	if strings.Join(cells, " ") != strings.Join(want, " ") {
		t.Errorf("problems at %v, want %v\n%v", cells, want, err)
	}
	if lines := strings.Count(err.Error(), "\n") + 1; lines != len(want) {
		t.Errorf("error text has %d lines, want %d:\n%v", lines, len(want), err)
	}
}

func TestReadFrameworkXLSXNotAWorkbook(t *testing.T) {
	_, err := ReadFrameworkXLSX(strings.NewReader("code,level\n"), "fw.xlsx")
	if err == nil || !strings.Contains(err.Error(), "fw.xlsx") || !strings.Contains(err.Error(), `the file is text (it begins "code,level"), not a workbook; expected an .xlsx workbook, or a CSV file named .csv`) {
		t.Fatalf("err = %v", err)
	}
}
