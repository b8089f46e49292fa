package importers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/layoutfix"
)

const dfidTemplate = "testdata/templates/dfid-logframe-template.xlsx"

// describe renders what a logframe read holds, one line per item, for
// comparing with the lines a test expects.
func describe(lf *Logframe) []string {
	fw := lf.Framework
	num := func(p *float64) string {
		if p == nil {
			return "-"
		}
		return fmtNum(*p)
	}
	p := fw.Project
	out := []string{fmt.Sprintf("project %s %q %s..%s iati=%s reporting=%s", p.Code, p.Title, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"), p.IATIIdentifier, p.Reporting)}
	for _, r := range fw.Results {
		out = append(out, fmt.Sprintf("result %s %s parent=%s %q assumptions=%q", r.Code, r.Level, r.Parent, r.Statement, r.Assumptions))
	}
	for _, i := range fw.Indicators {
		bd := "-"
		if i.BaselineDate != nil {
			bd = i.BaselineDate.Format("2006-01-02")
		}
		out = append(out, fmt.Sprintf("indicator %s of %s %q %s %s %s baseline=%s%s (%s) target=%s%s source=%q notes=%q dims=%v",
			i.Code, i.Result, i.Name, i.Unit, i.Direction, i.Aggregation, num(i.Baseline), i.BaselineText, bd, num(i.Target), i.TargetText, i.DataSource, i.Notes, i.Disaggregations))
	}
	for _, m := range fw.Milestones {
		out = append(out, fmt.Sprintf("milestone %s %s %s%s %s", m.Indicator, m.Period, fmtNum(m.Target), m.TargetText, m.Dims))
	}
	for _, d := range fw.Dimensions {
		out = append(out, fmt.Sprintf("dimension %s %v", d.Name, d.Values))
	}
	for _, m := range lf.Figures {
		out = append(out, fmt.Sprintf("figure %s %s %s at %s", m.Indicator, m.Period, num(m.Value), m.Loc.Cell("value")))
	}
	return out
}

// problemLines are the lines of a Problems error with the folder of the
// file dropped.
func problemLines(t *testing.T, err error, dir string) []string {
	t.Helper()
	var probs indicators.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("error %T is not Problems: %v", err, err)
	}
	var out []string
	for _, p := range probs {
		line := p.Error()
		if dir != "" {
			line = strings.ReplaceAll(line, dir+string(filepath.Separator), "")
		}
		out = append(out, line)
	}
	return out
}

// TestReadDFIDTemplate: the shared DFID template filled in at its own
// cells (layoutfix.DFIDTemplateFilled) reads as a logframe: IMPACT is the
// goal G, the OUTCOME O with the first two indicator slots (the third is
// left empty), the OUTPUT 1; milestones dated by their headings; units
// from the figures (45% percent, "12,000 girls" a number); a falling
// dropout rate decreases. The project code and dates come from the
// options, the title from PROGRAMME TITLE (B1).
func TestReadDFIDTemplate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "logframe.xlsx")
	if err := layoutfix.FillDFIDTemplate(dfidTemplate, path, layoutfix.DFIDTemplateFilled()); err != nil {
		t.Fatal(err)
	}
	lf, err := ReadLogframe(path, FrameworkOptions{Code: "GESP", Start: "2012-04-01", End: "2016-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	if lf.Layout != LayoutDFID {
		t.Errorf("layout %s, want dfid", lf.Layout)
	}
	sameLines(t, describe(lf), []string{
		`project GESP "Girls' Education Support Programme" 2012-04-01..2016-03-31 iati= reporting=`,
		`result G goal parent= "More girls complete primary school in the target districts" assumptions=""`,
		`result O outcome parent=G "Girls enrol and stay in school" assumptions=""`,
		`result 1 output parent=O "Teachers trained in inclusive pedagogy" assumptions=""`,
		`indicator G.1 of G "Primary completion rate, girls" percent  last baseline=45 (2011-01-01) target=60 source="EMIS annual school census" notes="" dims=[]`,
		`indicator O.1 of O "Girls enrolled in grades 1-6" number  last baseline=12000 (-) target=24000 source="District education office returns" notes="figures in girls" dims=[]`,
		`indicator O.2 of O "Dropout rate, girls, grades 1-6" percent decrease last baseline=12 (-) target=5 source="EMIS annual school census" notes="" dims=[]`,
		`indicator 1.1 of 1 "Teachers trained" number  last baseline=0 (-) target=2000 source="Training attendance sheets" notes="" dims=[]`,
		`indicator 1.2 of 1 "Schools with a girls' latrine" number  last baseline=20 (-) target=80 source="School inspection reports" notes="" dims=[]`,
		`milestone G.1 2013-03 48 total`,
		`milestone G.1 2014-03 52 total`,
		`milestone O.1 2013-03 15000 total`,
		`milestone O.1 2014-03 18000 total`,
		`milestone O.2 2013-03 10 total`,
		`milestone O.2 2014-03 8 total`,
		`milestone 1.1 2013-03 500 total`,
		`milestone 1.1 2014-03 1200 total`,
		`milestone 1.2 2013-03 35 total`,
		`milestone 1.2 2014-03 50 total`,
	})
}

// TestReadDFIDProjectSheet: a Project sheet added to a DFID logframe
// gives the project (every key of rmf's Project sheet); the options still
// win, and a bad date there is named by its cell.
func TestReadDFIDProjectSheet(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "logframe.xlsx")
	if err := layoutfix.FillDFIDTemplate(dfidTemplate, path, layoutfix.DFIDTemplateFilled()); err != nil {
		t.Fatal(err)
	}
	if err := layoutfix.AddProjectSheet(path, [][2]any{{"code", "GB-1-2045"}, {"start", "2012-04-01"}, {"end", "2016-03-31"}, {"reporting", "annual"}, {"donor", "DFID"}}); err != nil {
		t.Fatal(err)
	}
	lf, err := ReadLogframe(path, FrameworkOptions{Title: "Girls' education"})
	if err != nil {
		t.Fatal(err)
	}
	p := lf.Framework.Project
	if got := fmt.Sprintf("%s %q %s..%s %s %s", p.Code, p.Title, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"), p.Reporting, p.Donor); got != `GB-1-2045 "Girls' education" 2012-04-01..2016-03-31 annual DFID` {
		t.Errorf("project %s", got)
	}
	bad := filepath.Join(dir, "bad.xlsx")
	if err := layoutfix.FillDFIDTemplate(dfidTemplate, bad, layoutfix.DFIDTemplateFilled()); err != nil {
		t.Fatal(err)
	}
	if err := layoutfix.AddProjectSheet(bad, [][2]any{{"code", "GB-1-2045"}, {"start", "1 April"}, {"end", "2016-03-31"}}); err != nil {
		t.Fatal(err)
	}
	_, err = ReadLogframe(bad, FrameworkOptions{})
	sameLines(t, problemLines(t, err, dir), []string{
		`bad.xlsx: sheet Project, cell B2 (start): invalid value: start "1 April" is not a date, expected a date such as 2021-07-15 or 15/07/2021 (or a period such as 2021)`,
	})
}

// TestReadDFIDClassic: the classic layout (layoutfix.DFIDClassic): the
// project from its key cells (title, number, start and end), a label
// column with Planned, Achieved and Source (beside or under the label),
// an Assumptions column, numbered outputs and indicator headings, a row of
// dates under the outcome's headings (D11 the year 2011), a
// percent-formatted cell (F22: 0.7 is 70%), a placeholder baseline
// ("[Insert baseline]": none), a yes/no indicator and an empty OUTPUT 3
// slot (skipped). The Achieved cells are figures of their column's date.
func TestReadDFIDClassic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "classic.xlsx")
	if err := layoutfix.WriteDFID(path, layoutfix.DFIDClassic()); err != nil {
		t.Fatal(err)
	}
	lf, err := ReadLogframe(path, FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, describe(lf), []string{
		`project GB-1-204567 "Water for Schools" 2012-04-01..2016-03-31 iati= reporting=`,
		`result G goal parent= "Fewer school days lost to water-borne disease" assumptions="No major drought"`,
		`result O outcome parent=G "Schools have safe water all year" assumptions="District water offices keep funding repairs"`,
		`result 1 output parent=O "Water points built or repaired" assumptions=""`,
		`result 2 output parent=O "Hygiene clubs run in schools" assumptions=""`,
		`indicator G.1 of G "School days lost per pupil per year" number decrease last baseline=9 (2011-01-01) target=4 source="School attendance registers" notes="" dims=[]`,
		`indicator O.1 of O "Schools with a working safe water point" number  last baseline=120 (2011-01-01) target=300 source="District water office survey" notes="figures in schools" dims=[]`,
		`indicator 1.1 of 1 "Water points built or repaired" number  last baseline=0 (-) target=180 source="Contractor completion certificates" notes="" dims=[]`,
		`indicator 1.2 of 1 "Share of water points with a trained caretaker" percent  last baseline=- (-) target=90 source="Caretaker training records" notes="" dims=[]`,
		`indicator 2.1 of 2 "National school hygiene guideline adopted" yes/no   baseline=0 (-) target=1 source="Ministry of Education circulars" notes="" dims=[]`,
		`milestone G.1 2013-03 7.5 total`,
		`milestone G.1 2014-03 6 total`,
		`milestone O.1 2013-03 200 total`,
		`milestone O.1 2014-03 260 total`,
		`milestone 1.1 2013-03 80 total`,
		`milestone 1.1 2014-03 140 total`,
		`milestone 1.2 2013-03 50 total`,
		`milestone 1.2 2014-03 70 total`,
		`milestone 2.1 2013-03 0 total`,
		`milestone 2.1 2014-03 1 total`,
		`figure G.1 2013-03 7.8 at E7`,
		`figure O.1 2013-03 215 at E13`,
		`figure 1.1 2013-03 72 at E18`,
	})
}

// TestReadFlat: flat IATI results rows, in the spreadsheets2iati columns
// (.xlsx, with its legend row) and in AidStream's (.csv, its header
// twice, further periods in rows with the result and indicator cells
// empty). Codes: the indicator reference when given (STV-1, CS-1), else
// result and number (O1.1, 1.2); each period's target a milestone, the
// last period's the end-of-project target (a milestone due at the
// project's end is that target); the female target of 1.2 a milestone of
// sex=female, declared as a dimension.
func TestReadFlat(t *testing.T) {
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "results.xlsx")
	if err := layoutfix.WriteFlatXLSX(xlsx, layoutfix.FlatHeader, true, layoutfix.FlatRows()); err != nil {
		t.Fatal(err)
	}
	lf, err := ReadLogframe(xlsx, FrameworkOptions{Start: "2020-01-01", End: "2021-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, describe(lf), []string{
		`project XM-DAC-41114-PRJ-001 "Clean Cookstoves for Households" 2020-01-01..2021-12-31 iati=XM-DAC-41114-PRJ-001 reporting=annual`,
		`result O1 outcome parent= "Households cook with clean stoves" assumptions=""`,
		`result 1 output parent=O1 "Stoves sold" assumptions=""`,
		`indicator O1.1 of O1 "Share of households using a clean stove" percent  last baseline=5 (2019-01-01) target=40 source="" notes="" dims=[]`,
		`indicator STV-1 of 1 "Stoves sold" number  last baseline=0 (2019-01-01) target=2500 source="" notes="" dims=[]`,
		`indicator 1.2 of 1 "Retailers trained" number  last baseline=0 (2019-01-01) target=80 source="" notes="" dims=[sex]`,
		`milestone O1.1 2020 20 total`,
		`milestone STV-1 2020 1000 total`,
		`milestone 1.2 2020 40 total`,
		`milestone 1.2 2020 20 sex=female`,
		`dimension sex [female]`,
		`figure O1.1 2020 - at `,
		`figure STV-1 2020 - at `,
		`figure 1.2 2020 - at `,
		`figure 1.2 2020 - at `,
	})

	csv := filepath.Join(dir, "result.csv")
	if err := layoutfix.WriteCSV(csv, layoutfix.AidStreamHeader, true, layoutfix.AidStreamRows()); err != nil {
		t.Fatal(err)
	}
	lf, err = ReadLogframe(csv, FrameworkOptions{Code: "CS", Title: "Cookstoves", Start: "2020", End: "2021"})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, describe(lf), []string{
		`project CS "Cookstoves" 2020-01-01..2021-12-31 iati= reporting=annual`,
		`result O1 outcome parent= "Households cook with clean stoves" assumptions=""`,
		`result 1 output parent=O1 "Stoves sold" assumptions=""`,
		`indicator CS-1 of O1 "Share of households using a clean stove" percent  last baseline=5 (2019-01-01) target=40 source="" notes="" dims=[]`,
		`indicator STV-1 of 1 "Stoves sold" number  last baseline=0 (2019-01-01) target=2500 source="" notes="" dims=[]`,
		`milestone CS-1 2020 20 total`,
		`milestone STV-1 2020 1000 total`,
		`figure CS-1 2020 - at `,
		`figure STV-1 2020 - at `,
		`figure STV-1 2021 - at `,
	})
}

// TestReadFlatTemplate: the spreadsheets2iati template as published, with
// its legend row and example rows of two activities: the first activity
// is read unless --activity names another; the other is named in a note.
func TestReadFlatTemplate(t *testing.T) {
	const tpl = "testdata/templates/spreadsheets2iati-results-template.xlsx"
	lf, err := ReadLogframe(tpl, FrameworkOptions{Activity: "XE-EXAMPLE-AIDA-XYZ", Start: "2017-01-01", End: "2020-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, describe(lf), []string{
		`project XE-EXAMPLE-AIDA-XYZ "Project XYZ in Kenya" 2017-01-01..2020-12-31 iati=XE-EXAMPLE-AIDA-XYZ reporting=annual`,
		`result 1 output parent= "New users" assumptions=""`,
		`indicator 1.1 of 1 "# of new users" number  last baseline=0 (2017-01-01) target=500 source="" notes="" dims=[]`,
		`milestone 1.1 2017 500 total`,
		`milestone 1.1 2018 500 total`,
		`milestone 1.1 2019 500 total`,
		`figure 1.1 2017 - at `,
		`figure 1.1 2018 - at `,
		`figure 1.1 2019 - at `,
		`figure 1.1 2020 - at `,
	})
	if !strings.Contains(strings.Join(lf.Notes, "\n"), "the file holds 1 other activity (XE-EXAMPLE-AIDA-ABC); read XE-EXAMPLE-AIDA-XYZ (choose with the activity option)") {
		t.Errorf("notes %q do not name the other activity", lf.Notes)
	}
	if !strings.Contains(strings.Join(lf.Notes, "\n"), "the file also holds 4 actual figures: import them with rmf import "+tpl) {
		t.Errorf("notes %q do not name the 4 actual figures", lf.Notes)
	}
	lf, err = ReadLogframe(tpl, FrameworkOptions{Start: "2017-01-01", End: "2017-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	if got := lf.Framework.Project.Code; got != "XE-EXAMPLE-AIDA-ABC" {
		t.Errorf("without --activity read %s, want the first activity XE-EXAMPLE-AIDA-ABC", got)
	}
	// One figure: "1 actual figure", not "1 actual figures".
	if !strings.Contains(strings.Join(lf.Notes, "\n"), "the file also holds 1 actual figure: import it with rmf import "+tpl) {
		t.Errorf("notes %q do not name the 1 actual figure", lf.Notes)
	}
	_, err = ReadLogframe(tpl, FrameworkOptions{})
	sameLines(t, problemLines(t, err, ""), []string{
		"testdata/templates/spreadsheets2iati-results-template.xlsx: start: required value missing: the file gives no project start; give it with the start option (its periods start on 2017-01-01) or in a sheet Project, row start",
		"testdata/templates/spreadsheets2iati-results-template.xlsx: end: required value missing: the file gives no project end; give it with the end option (its periods end on 2017-12-31) or in a sheet Project, row end",
	})
}

// TestReadLayoutsBadInput: every problem of a file is listed, with its
// sheet and cell, what was seen and what was expected; nothing is
// returned.
func TestReadLayoutsBadInput(t *testing.T) {
	classic := func(change layoutfix.Cells) func(string) error {
		return func(p string) error {
			c := layoutfix.DFIDClassic()
			for k, v := range change {
				if v == nil {
					delete(c, k)
				} else {
					c[k] = v
				}
			}
			return layoutfix.WriteDFID(p, c)
		}
	}
	flat := func(header []string, change func([][]string)) func(string) error {
		return func(p string) error {
			rows := layoutfix.FlatRows()
			change(rows)
			return layoutfix.WriteFlatXLSX(p, header, true, rows)
		}
	}
	noTarget := append([]string(nil), layoutfix.FlatHeader...)
	noTarget[21] = "Planned value"
	flatOpt := FrameworkOptions{Start: "2020-01-01", End: "2021-12-31"}
	const S = "sheet RESULTS FRAMEWORK"
	tests := []struct {
		name  string
		file  string
		write func(string) error
		opt   FrameworkOptions
		want  []string
	}{
		{"milestone not a number, a statement missing and an undated milestone", "lf.xlsx",
			classic(layoutfix.Cells{"E17": "about 80", "A27": nil, "E26": "Milestone 1"}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell E17 (milestone 1): invalid value: milestone 1 \"about 80\" of indicator 1.1 is not a number, expected a number like the indicator's other figures (D17 holds \"0\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell)",
				"lf.xlsx: " + S + ", cell A27 (statement): required value missing: OUTPUT 2 has indicators but no statement, expected the result statement under A26 in A27",
				"lf.xlsx: " + S + ", cell E27 (milestone 1): required value missing: milestone 1 of indicator 2.1 has no date, expected it in the heading E26 (such as \"Milestone 1 (Mar 2013)\"), in a row of dates under the headings or after the figure (500 (Mar 2013))",
			}},
		{"achieved not a number, a dash as baseline", "lf.xlsx",
			classic(layoutfix.Cells{"E18": "n/k", "D6": "-"}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell D6 (baseline): invalid value: baseline \"-\" of indicator G.1 is not a number, expected a number like the indicator's other figures (E6 holds \"7.5\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell); " + DashHelp,
				"lf.xlsx: " + S + ", cell E18 (milestone 1): invalid value: achieved milestone 1 \"n/k\" of indicator 1.1 is not a number, expected a number like the indicator's other figures (D17 holds \"0\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell)",
			}},
		{"figures without an indicator name, two indicators numbered 1.1", "lf.xlsx",
			classic(layoutfix.Cells{"B17": nil, "B21": "Output Indicator 1.1"}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell B17 (name): required value missing: indicator 1.1 has figures but no name, expected the indicator under its heading \"Output Indicator 1.1\"",
				"lf.xlsx: " + S + ", cell B21 (code): duplicate: code 1.1 of this indicator is already used by an indicator (RESULTS FRAMEWORK row 16); codes must be unique across results and indicators",
			}},
		{"a bad date in the dates row, a bad project start", "lf.xlsx",
			classic(layoutfix.Cells{"E11": "Marsh 2013", "B3": "soon"}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell B3 (start): invalid value: project start \"soon\" is not a date, expected a date such as 2021-07-01 or 01/07/2021",
				"lf.xlsx: " + S + ", cell E11 (date): invalid value: date \"Marsh 2013\" of milestone 1 cannot be read, expected a date such as 31/03/2013, a month such as Mar 2013 or a year",
			}},
		{"dates written with the figures; one without", "lf.xlsx",
			classic(layoutfix.Cells{"E26": "Milestone 1", "F26": "Milestone 2", "E27": "No (Dec 2013)", "F27": "Yes", "A27": "Hygiene clubs run in schools"}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell F27 (milestone 2): required value missing: milestone 2 of indicator 2.1 has no date, expected it in the heading F26 (such as \"Milestone 2 (Mar 2013)\"), in a row of dates under the headings or after the figure (500 (Mar 2013))",
			}},
		{"a formula without a saved value", "lf.xlsx", func(p string) error {
			c := layoutfix.DFIDClassic()
			delete(c, "F17") // the formula below has no saved value
			if err := layoutfix.WriteDFID(p, c); err != nil {
				return err
			}
			f, err := excelize.OpenFile(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := f.SetCellFormula(layoutfix.DFIDSheet, "F17", "E17*2"); err != nil {
				return err
			}
			return f.Save()
		}, FrameworkOptions{}, []string{
			"lf.xlsx: " + S + ", cell F17 (milestone 2): invalid value: the cell holds the formula =E17*2 but no calculated value was saved with the file (it was written by a program that does not calculate), " +
				"expected a value: open the file in Excel or LibreOffice and save it, or type the value",
		}},
		{"the blank DFID template", "blank.xlsx",
			func(p string) error { return copyFile(dfidTemplate, p) }, FrameworkOptions{}, []string{
				"blank.xlsx: code: required value missing: the file gives no project code; give it with the code option or in a sheet Project, row code",
				"blank.xlsx: title: required value missing: the file gives no project title; give it with the title option or in a sheet Project, row title",
				"blank.xlsx: start: required value missing: the file gives no project start; give it with the start option or in a sheet Project, row start",
				"blank.xlsx: end: required value missing: the file gives no project end; give it with the end option or in a sheet Project, row end",
				"blank.xlsx: sheet RESULTS FRAMEWORK: required value missing: the DFID logframe is not filled in: no IMPACT, OUTCOME or OUTPUT block has a statement or an indicator",
			}},
		{"flat: no target column", "r.xlsx", flat(noTarget, func([][]string) {}), flatOpt, []string{
			"r.xlsx: sheet Results, row 1 (target): missing column: no target column in the header row 1 of the results rows (found: " + strings.Join(noTarget, ", ") + "), expected a heading such as \"Target\" or \"Target value\"",
		}},
		{"flat: bad figures, dates, type and measure", "r.xlsx", flat(layoutfix.FlatHeader, func(rows [][]string) {
			rows[0][21] = "twenty"     // V3: target
			rows[1][15] = "31-02-2021" // P4: start
			rows[2][23] = "1150 units" // X5: actual
			rows[4][16] = "31-12-2019" // Q7: end before start
			rows[4][4] = "9"           // E7: other
			rows[0][6] = "7"           // G3: measure
		}), flatOpt, []string{
			"r.xlsx: sheet Results, cell G3 (unit): invalid value: indicator measure \"7\", expected 1 (unit), 2 (percentage), 3 (nominal), 4 (ordinal) or 5 (qualitative)",
			"r.xlsx: sheet Results, cell V3 (target): invalid value: target \"twenty\" of indicator O1.1 is not a number, expected a number for a number indicator (such as 1250, 1,250 or 12.5)",
			"r.xlsx: sheet Results, cell G4 (measure): invalid value: measure \"2\" of indicator \"Share of households using a clean stove\" differs from \"7\" given in G3 for the same indicator, expected one measure per indicator",
			"r.xlsx: sheet Results, cell P4 (start): invalid value: period start date \"31-02-2021\" is not a date, expected a date such as 31-12-2021 or 2021-12-31",
			"r.xlsx: sheet Results, cell X5 (actual): invalid value: actual \"1150 units\" of indicator STV-1 is not a number, expected a number for a number indicator (such as 1250, 1,250 or 12.5)",
			"r.xlsx: sheet Results, cell E7 (level): invalid value: result type \"9\", expected 1 (output), 2 (outcome) or 3 (impact)",
			"r.xlsx: sheet Results, cell Q7 (end): invalid value: period end 2019-12-31 is before its start 2020-01-01, expected an end on or after the start",
		}},
		{"flat: an activity the file does not hold", "r.xlsx", flat(layoutfix.FlatHeader, func([][]string) {}),
			FrameworkOptions{Activity: "XM-OTHER", Start: "2020", End: "2021"}, []string{
				"r.xlsx: sheet Results (activity): unknown code: no activity XM-OTHER in the file, expected one of: XM-DAC-41114-PRJ-001",
			}},
		{"the indicator in its heading, a second unlabelled row of figures", "lf.xlsx",
			classic(layoutfix.Cells{"B17": nil, "B16": "Output Indicator 1.1: Water points built", "C18": nil}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell E18: invalid value: a second row of figures for indicator 1.1 (the first is row 17), expected one Planned row: label the rows Planned and Achieved",
			}},
		{"an unlabelled row of dates (2011 a number) with a bad date", "lf.xlsx",
			classic(layoutfix.Cells{"C11": nil, "G11": "Marsh 2016"}), FrameworkOptions{}, []string{
				"lf.xlsx: " + S + ", cell G11 (date): invalid value: date \"Marsh 2016\" of target cannot be read, expected a date such as 31/03/2013, a month such as Mar 2013 or a year",
			}},
		{"not a logframe: a matrix with one heading row", "matrix.xlsx", func(p string) error {
			return os.WriteFile(p, buildXLSX(t, []sheetData{{"Logframe", [][]any{
				{"Level", "Indicator", "Baseline", "Milestone 1", "Target"},
				{"IMPACT", "Rate", 1, 2, 3},
				{"OUTPUT 1", "Wells", 0, 5, 10},
			}}}), 0o644)
		}, FrameworkOptions{}, []string{
			"matrix.xlsx: invalid value: not a logframe rmf reads; rmf reads " + LayoutsRead + ". Closest: a DFID logframe (sheet Logframe), which lacks a heading row in the row of each IMPACT, OUTCOME and OUTPUT cell or below it " +
				"(its one heading row, row 1, is above them: a logframe matrix with one heading row is not read; copy the headings to each block as the DFID template has them, or use rmf's workbook)",
		}},
		{"not a logframe: a workbook", "notes.xlsx", func(p string) error {
			return os.WriteFile(p, buildXLSX(t, []sheetData{{"Notes", [][]any{{"Meeting", "Date"}, {"Kick-off", "2021-01-05"}}}}), 0o644)
		}, FrameworkOptions{}, []string{
			"notes.xlsx: invalid value: not a logframe rmf reads; rmf reads " + LayoutsRead + ". Closest: none: no sheet has IMPACT/OUTCOME/OUTPUT blocks or a header row of IATI results columns, and there is no Project, Results or Indicators sheet (sheets found: Notes)",
		}},
		{"not a logframe: results rows without dates", "rows.csv", func(p string) error {
			return os.WriteFile(p, []byte("Result title,Indicator title,Target\nR,I,5\n"), 0o644)
		}, FrameworkOptions{}, []string{
			"rows.csv: invalid value: not a logframe rmf reads; rmf reads " + LayoutsRead + ". Closest: flat IATI results rows (the file, row 1), which lacks a Start date (Period start) column and an End date (Period end) column",
		}},
		{"not a logframe: a DFID sheet without blocks", "lf.xlsx", classic(layoutfix.Cells{"A5": "Goal statement", "A10": nil, "A16": nil, "A26": nil, "A31": nil}), FrameworkOptions{}, []string{
			"lf.xlsx: invalid value: not a logframe rmf reads; rmf reads " + LayoutsRead + ". Closest: a DFID logframe (sheet RESULTS FRAMEWORK), which lacks an IMPACT, OUTCOME or OUTPUT cell",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, tt.file)
			if err := tt.write(p); err != nil {
				t.Fatal(err)
			}
			lf, err := ReadLogframe(p, tt.opt)
			if err == nil {
				t.Fatalf("no error; read %v", describe(lf))
			}
			if lf != nil {
				t.Error("a logframe was returned with the error")
			}
			sameLines(t, problemLines(t, err, dir), tt.want)
		})
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// TestLayoutFigures: "rmf import" of a DFID logframe gives its Achieved
// figures and of flat results rows their actuals, with the codes the
// framework import gave; an indicator the framework lacks is named.
func TestLayoutFigures(t *testing.T) {
	dir := t.TempDir()
	classic := filepath.Join(dir, "classic.xlsx")
	if err := layoutfix.WriteDFID(classic, layoutfix.DFIDClassic()); err != nil {
		t.Fatal(err)
	}
	lf, err := ReadLogframe(classic, FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sink := &sliceSink{}
	rows, err := ImportMeasurements(classic, lf.Framework, sink, MeasurementOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range sink.ms {
		got = append(got, fmt.Sprintf("%s %s %s %s!%s", m.Indicator, m.Period, fmtNum(*m.Value), m.Loc.Sheet, m.Loc.Cell("value")))
	}
	sameLines(t, got, []string{
		"G.1 2013-03 7.8 RESULTS FRAMEWORK!E7",
		"O.1 2013-03 215 RESULTS FRAMEWORK!E13",
		"1.1 2013-03 72 RESULTS FRAMEWORK!E18",
	})
	if rows != 3 {
		t.Errorf("rows %d, want 3", rows)
	}
	// The logframe of another project: named, nothing added.
	other := *lf.Framework
	other.Project.Code = "GB-1-999999"
	sink = &sliceSink{}
	_, err = ImportMeasurements(classic, &other, sink, MeasurementOptions{})
	sameLines(t, problemLines(t, err, dir), []string{
		`classic.xlsx: sheet RESULTS FRAMEWORK, cell B2 (code): unknown code: the logframe is of project "GB-1-204567", but the database holds project GB-1-999999, expected a logframe of GB-1-999999`,
	})
	if len(sink.ms) != 0 {
		t.Errorf("%d figures added from another project's logframe", len(sink.ms))
	}

	csv := filepath.Join(dir, "result.csv")
	if err := layoutfix.WriteCSV(csv, layoutfix.AidStreamHeader, true, layoutfix.AidStreamRows()); err != nil {
		t.Fatal(err)
	}
	lf, err = ReadLogframe(csv, FrameworkOptions{Code: "CS", Title: "Cookstoves", Start: "2020", End: "2021"})
	if err != nil {
		t.Fatal(err)
	}
	sink = &sliceSink{}
	if _, err := ImportMeasurements(csv, lf.Framework, sink, MeasurementOptions{}); err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, m := range sink.ms {
		got = append(got, fmt.Sprintf("%s %s %s %s", m.Indicator, m.Period, fmtNum(*m.Value), m.Loc.Cell("value")))
	}
	sameLines(t, got, []string{"CS-1 2020 18 AI3", "STV-1 2020 1150 AI5", "STV-1 2021 2100 AI6"})

	// A framework without STV-1: its actuals are named, nothing is added.
	fw := lf.Framework
	fw.Indicators = fw.Indicators[:1]
	sink = &sliceSink{}
	_, err = ImportMeasurements(csv, fw, sink, MeasurementOptions{})
	sameLines(t, problemLines(t, err, dir), []string{
		"result.csv: cell AI5 (indicator): unknown code: indicator STV-1 (STV-1) is not in the framework, expected an indicator of the project: import the framework from this file first with rmf framework import result.csv",
		"result.csv: cell AI6 (indicator): unknown code: indicator STV-1 (STV-1) is not in the framework, expected an indicator of the project: import the framework from this file first with rmf framework import result.csv",
	})
	if len(sink.ms) != 0 {
		t.Errorf("%d figures added from a file with problems", len(sink.ms))
	}
}

// TestDFIDMarker: the cells that open a block, and the cells that do not.
func TestDFIDMarker(t *testing.T) {
	for _, tt := range []struct {
		text string
		want string // level number statement, or "" for no marker
	}{
		{"IMPACT", "goal 0 "},
		{"Goal", "goal 0 "},
		{"OUTCOME", "outcome 0 "},
		{"PURPOSE", "outcome 0 "},
		{"OUTPUT", "output 0 "},
		{"OUTPUT 2", "output 2 "},
		{"Output 12:", "output 12 "},
		{"Output 1: Teachers trained", "output 1 Teachers trained"},
		{"OUTPUT 3 - Hygiene clubs run", "output 3 Hygiene clubs run"},
		{"Outcome – girls stay in school", "outcome 0 girls stay in school"},
		{"Output Indicator 1.1", ""},
		{"OUTPUT WEIGHTING (%)", ""},
		{"Outputs delivered on time", ""},
		{"IMPACT WEIGHTING", ""},
		{"Output 1234", ""},
		{"", ""},
	} {
		lv, n, stmt, ok := dfidMarker(Cell{Raw: tt.text, Kind: CellText})
		got := ""
		if ok {
			got = fmt.Sprintf("%s %d %s", lv, n, stmt)
		}
		if got != tt.want {
			t.Errorf("%q: %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestReadFigure: figures as officers type them in a logframe.
func TestReadFigure(t *testing.T) {
	for _, tt := range []struct {
		raw  string
		want string // value and flags, or "text" or "empty"
	}{
		{"1,250", "1250"},
		{"45%", "45 %"},
		{"45 %", "45 %"},
		{"50 percent", "50 %"},
		{"£2.5m", "2500000 £"},
		{"$ 1,200", "1200 £"},
		{"1.2bn", "1200000000"},
		{"12k", "12000"},
		{"12,000 girls", "12000 [girls]"},
		{"45% (2011)", "45 %"},
		{"120 (est.)", "120"},
		{"Yes", "1 yes"},
		{"no", "0 yes"},
		{"TBC", "empty"},
		{"TBC (survey Q2 2013)", "empty"},
		{"to be determined", "empty"},
		{"N/A", "empty"},
		{"[Insert baseline]", "empty"},
		{"<value>", "empty"},
		{"-", "text"},
		{"12 / 40", "text"},
		{"about 80", "text"},
		{"5-10", "text"},
		{"Draft policy submitted", "text"},
		{"Yes (Dec 2013)", "1 yes (Dec 2013)"},
		{"500 (Mar 2013)", "500 (Mar 2013)"},
	} {
		f := readFigure(Cell{Raw: tt.raw, Kind: CellText})
		got := "text"
		if !f.number && !f.empty && f.text != tt.raw {
			t.Errorf("%q: text %q, want it whole", tt.raw, f.text)
		}
		switch {
		case f.empty:
			got = "empty"
		case f.number:
			got = fmtNum(f.v)
			if f.percent {
				got += " %"
			}
			if f.currency {
				got += " £"
			}
			if f.yesno {
				got += " yes"
			}
			if f.words != "" {
				got += " [" + f.words + "]"
			}
			if f.note != "" && f.note != "2011" && f.note != "est." {
				got += " (" + f.note + ")"
			}
		}
		if got != tt.want {
			t.Errorf("%q: %s, want %s", tt.raw, got, tt.want)
		}
	}
}

// TestLayoutFiguresNotTaken: a partner's measurement sheet titled like a
// DFID block ("Output 1: ...") with Baseline and Target columns beside its
// period and value columns is read as figures in rmf's layout.
func TestLayoutFiguresNotTaken(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "q1.xlsx")
	if err := os.WriteFile(p, buildXLSX(t, []sheetData{{"Output 1", [][]any{
		{"Output 1: People served"},
		{"Indicator", "Baseline", "Target", "Period", "Value"},
		{"1.1", 0, 100, "2021Q1", 12},
	}}}), 0o644); err != nil {
		t.Fatal(err)
	}
	sink := &sliceSink{}
	if _, err := ImportMeasurements(p, testFramework(), sink, MeasurementOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(sink.ms) != 1 || sink.ms[0].Indicator != "1.1" || *sink.ms[0].Value != 12 {
		t.Errorf("figures %v, want 1.1 = 12 in 2021Q1", figs(sink.ms))
	}
	// Read as a framework, it is named as a measurement workbook.
	_, err := ReadLogframe(p, FrameworkOptions{})
	sameLines(t, problemLines(t, err, dir), []string{
		"q1.xlsx: invalid value: not a logframe rmf reads; rmf reads " + LayoutsRead + ". Closest: a measurement workbook (sheet Output 1, header row 2, has indicator, period and value columns), which holds figures, not a logframe: read it with rmf import q1.xlsx",
	})
}
