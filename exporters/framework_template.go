package exporters

// The blank framework workbook (issue 11, item 6): `rmf framework template`
// writes the framework workbook of SPEC section 2 with no project in it,
// for an officer who sets up a logframe from scratch. Every sheet and
// column the importer reads is there, in the order `rmf framework export`
// writes them (the tables come from frameworkTables), with:
//
//   - an Instructions sheet first: what each column holds, whether it is
//     required, and an example; then how aggregation, cumulative or
//     per-period milestones, numerators and denominators, supporting
//     measures and period spellings work;
//   - drop-downs on the columns that take a fixed word (level, unit,
//     direction, aggregation, milestones, path, frequency, severity,
//     category), text format on the code columns;
//   - worked example rows in grey italics, one small school-feeding
//     project across the sheets. The importer skips a row whose first
//     column starts with "e.g." (ExampleMarker): that text is not a valid
//     code, so no real row is ever skipped, and the marker travels with the
//     row when it is sorted, moved, copied or recoloured. Typing over the
//     code makes the row a real one.
//
// The Project sheet is key/value: the values are left blank and a third
// column shows an example and whether the key is required (the importer
// reads only the cell right of the key).

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// ExampleMarker starts the first cell of the template's example rows; the
// framework importer skips such rows (importers.IsExampleCode).
const ExampleMarker = "e.g."

// templateProjectHelp explains each Project key: required, and an example.
var templateProjectHelp = map[string][2]string{
	"code":                 {"required", "SF-KH: a short code for the project (letters, digits, . - _)"},
	"title":                {"required", "School feeding in Khovd and Uvs"},
	"start":                {"required", "2026-01-01: the first day of the project"},
	"end":                  {"required", "2028-12-31: the last day of the project"},
	"donor":                {"", "Ministry of Foreign Affairs"},
	"currency":             {"", "USD: the currency of budgets and targets in money"},
	"reporting":            {"", "quarterly: monthly, quarterly, semiannual or annual (how often partners report; default quarterly)"},
	"year_start":           {"", "1: the month project years (PY1, Year 1) and fiscal years start in; 9 for September"},
	"status_rule":          {"", `blank for the usual rule; else an expression such as progress >= expected ? "on track" : "off track"`},
	"iati_identifier":      {"", "XM-DAC-41114-SF-KH: the activity's IATI identifier (for rmf export iati)"},
	"reporting_org":        {"", "School Feeding Trust: who publishes the IATI file"},
	"reporting_org_id":     {"", "XM-DAC-41114: its IATI organisation identifier (needed for rmf export iati)"},
	"reporting_org_type":   {"", "22: IATI organisation type (10 government, 21 international NGO, 22 national NGO, ...)"},
	"description":          {"", "What the project does, in a few sentences"},
	"total_budget":         {"", "450000: the whole budget in the project's currency (when there is a Budget sheet)"},
	"in_kind":              {"", "20000: in-kind contributions, in the same currency"},
	"efficiency_threshold": {"", "20: flag spending that runs ahead of time or results by more than 20 points"},
}

// templateExample is the worked example of the template: a school-feeding
// project with yearly cumulative milestones (issue 11's story).
func templateExample() *indicators.Framework {
	f := func(x float64) *float64 { return &x }
	py := func(n int) indicators.Period {
		// PY1..PY3 of a project starting 2026-01-01 are the calendar years.
		return indicators.Year(2025 + n)
	}
	bd := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	return &indicators.Framework{
		Results: []indicators.Result{
			{Code: "OO", Level: indicators.Goal, Statement: "Children in Khovd and Uvs learn better"},
			{Code: "O1", Level: indicators.Outcome, Parent: "OO", Statement: "Pupils of the target schools attend school regularly",
				Assumptions: "Families keep children at home no more than before"},
			{Code: "1.1", Level: indicators.Output, Parent: "O1", Statement: "Target schools serve a hot meal every school day"},
			{Code: "A1.1.1", Level: indicators.Activity, Parent: "1.1", Statement: "Equip school kitchens"},
		},
		Indicators: []indicators.Indicator{
			{Code: "1.1.1", Result: "1.1", Name: "Schools with a working kitchen", Definition: "Schools whose kitchen served meals on 4 days of 5 in the quarter",
				Unit: indicators.Number, Direction: indicators.Increase, Baseline: f(0), BaselineDate: &bd, Target: f(120),
				Aggregation: indicators.Sum, Milestones: indicators.MilestonesCumulative, Path: indicators.PathLine,
				Disaggregations: []string{"province"}, DataSource: "Partner kitchen log",
				CollectionMethod: "Visit report", Frequency: "quarterly", Responsible: "Partner A", MeansOfVerification: "Signed visit reports",
				Notes: "Milestones are where the count should stand: 40 by the end of year 1, 90 by year 2, 120 by the end"},
			{Code: "O1.1", Result: "O1", Name: "Share of pupils attending 80% of school days or more", Unit: indicators.Percent,
				Direction: indicators.Increase, Baseline: f(62), BaselineDate: &bd, Target: f(85), Aggregation: indicators.Last,
				Numerator: "n.attend", Denominator: "n.enrolled", DataSource: "School registers", CollectionMethod: "Register count",
				Frequency: "semiannual", Responsible: "Partner B"},
			{Code: "n.attend", Name: "Pupils attending 80% of school days or more", Unit: indicators.Number, Aggregation: indicators.Last,
				Frequency: "semiannual", Responsible: "Partner B", Notes: "Supporting measure: no result, used as the numerator of O1.1"},
			{Code: "n.enrolled", Name: "Pupils enrolled", Unit: indicators.Number, Aggregation: indicators.Last,
				Frequency: "semiannual", Responsible: "Partner B", Notes: "Supporting measure: the denominator of O1.1"},
			{Code: "1.1.2", Result: "1.1", Name: "School-feeding guideline adopted by the province", Unit: indicators.YesNo,
				Direction: indicators.Increase, Baseline: f(0), Target: f(1), Path: indicators.PathSteps, Frequency: "annual", Responsible: "Project team"},
		},
		Milestones: []indicators.Milestone{
			{Indicator: "1.1.1", Period: py(1), Target: 40},
			{Indicator: "1.1.1", Period: py(2), Target: 90},
			{Indicator: "1.1.1", Period: py(3), Target: 120},
			{Indicator: "1.1.1", Period: py(1), Target: 25, Dims: indicators.Disagg{"province": "Khovd"}},
			{Indicator: "O1.1", Period: py(2), Target: 75},
			{Indicator: "1.1.2", Period: py(2), Target: 1},
		},
		Dimensions: []indicators.Dimension{{Name: "province", Values: []string{"Khovd", "Uvs"}}},
		Rules: []indicators.Rule{{Code: "R1", Check: `value("n.attend") <= value("n.enrolled")`, Severity: indicators.SevError,
			Message: "more pupils attending than enrolled"}},
		Budget: []indicators.BudgetLine{{Code: "BL-01", Result: "1.1", Category: indicators.CategoryEquipment, Amount: 180000,
			Currency: "USD", Description: "Kitchen equipment"}},
	}
}

// templateExamplePeriods are the milestone periods of the example as an
// officer writes them (the export writes the canonical 2026).
var templateExamplePeriods = map[string]string{"2026": "PY1", "2027": "Year 2", "2028": "PY3"}

// WriteFrameworkTemplateXLSX writes the blank framework workbook.
func WriteFrameworkTemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	grey, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "Instructions"); err != nil {
		return err
	}
	tables := templateTables()
	for _, t := range tables {
		if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		if t.name == "Project" {
			if err := writeTemplateProject(f, t, bold, grey); err != nil {
				return fmt.Errorf("sheet Project: %w", err)
			}
			continue
		}
		if err := writeTable(f, t, bold); err != nil {
			return fmt.Errorf("sheet %s: %w", t.name, err)
		}
		if len(t.rows) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(t.header), len(t.rows)+1)
			if err := f.SetCellStyle(t.name, "A2", last, grey); err != nil {
				return err
			}
		}
	}
	if err := writeInstructions(f, tables, bold); err != nil {
		return fmt.Errorf("sheet Instructions: %w", err)
	}
	// Printed (to discuss a draft logframe on paper): landscape, one page
	// wide.
	for _, t := range tables {
		land, a4, one, zero, yes := "landscape", 9, 1, 0, true
		if err := f.SetPageLayout(t.name, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &one, FitToHeight: &zero}); err != nil {
			return err
		}
		if err := f.SetSheetProps(t.name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Results framework (logframe) - blank workbook for rmf", Creator: "rmf"}); err != nil {
		return err
	}
	return f.Write(w)
}

// templateTables are the sheets of the template: those of the framework
// export with the worked example as grey rows, the first cell of each
// marked ExampleMarker: every column of SPEC 2, as the export writes them.
func templateTables() []table {
	ex := templateExample()
	tables := frameworkTables(ex)
	for i := range tables {
		t := &tables[i]
		if t.name == "Milestones" {
			if at := indexOf(t.header, "period"); at >= 0 {
				for _, row := range t.rows {
					if p, ok := row[at].(string); ok && templateExamplePeriods[p] != "" {
						row[at] = templateExamplePeriods[p]
					}
				}
			}
		}
		if t.name == "Project" {
			continue // key/value rows: see writeTemplateProject
		}
		for _, row := range t.rows {
			if len(row) > 0 {
				if s, ok := row[0].(string); ok {
					row[0] = ExampleMarker + " " + s
				}
			}
		}
	}
	return tables
}

func contains(xs []string, s string) bool { return indexOf(xs, s) >= 0 }

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// writeTemplateProject writes the Project sheet: key, a blank value, and
// what to write (required or not, an example).
func writeTemplateProject(f *excelize.File, t table, bold, grey int) error {
	const sh = "Project"
	for j, h := range []string{"key", "value", "required", "what to write (example)"} {
		ref, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(sh, ref, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, "A1", "D1", bold); err != nil {
		return err
	}
	keys := projectKeysOf(t)
	textFmt, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	for i, k := range keys {
		row := i + 2
		if err := f.SetCellStr(sh, fmt.Sprintf("A%d", row), k); err != nil {
			return err
		}
		help := templateProjectHelp[k]
		if err := f.SetCellStr(sh, fmt.Sprintf("C%d", row), help[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(sh, fmt.Sprintf("D%d", row), help[1]); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, fmt.Sprintf("C%d", row), fmt.Sprintf("D%d", row), grey); err != nil {
			return err
		}
		if k == "code" || k == "start" || k == "end" || k == "iati_identifier" || k == "reporting_org_id" {
			if err := f.SetCellStyle(sh, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), textFmt); err != nil {
				return err
			}
		}
		if k == "reporting" {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("B%d", row))
			if err := dv.SetDropList([]string{"monthly", "quarterly", "semiannual", "annual"}); err != nil {
				return err
			}
			if err := f.AddDataValidation(sh, dv); err != nil {
				return err
			}
		}
	}
	for col, w := range map[string]float64{"A": 22, "B": 40, "C": 10, "D": 90} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomLeft"}}})
}

// templateColumnHelp explains the columns of the list sheets: required,
// what to write, an example.
var templateColumnHelp = map[string]map[string][3]string{
	"Results": {
		"code":           {"required", "A unique code for the result: letters, digits, . - _ (the column is formatted as text so that 1.10 stays 1.10).", "O1"},
		"level":          {"required", "goal, outcome, output or activity.", "outcome"},
		"parent":         {"", "The code of the result one level higher (blank for the goal).", "OO"},
		"statement":      {"required", "The change the result describes, as a sentence.", "Pupils of the target schools attend school regularly"},
		"assumptions":    {"", "What must hold outside the project for the result to lead to the next one.", "Families keep children at home no more than before"},
		"contributes_to": {"", "Other outcomes an output also feeds, codes separated by ;", "O2; O3"},
	},
	"Indicators": {
		"code":                  {"required", "A unique code, not used by any result.", "1.1.1"},
		"result":                {"", "The code of the result the indicator measures. Leave it blank for a supporting measure: a figure collected only to compute another indicator (as its numerator or denominator, or in a formula). Supporting measures are imported and checked but not reported.", "1.1"},
		"name":                  {"required", "What is counted, as the report should say it.", "Schools with a working kitchen"},
		"definition":            {"", "Exactly what counts, so that every partner counts the same way.", "Kitchen served meals on 4 days of 5"},
		"unit":                  {"required", "number, percent, ratio, currency, yes/no or text.", "number"},
		"direction":             {"", "increase (higher is better; the default), decrease or maintain.", "increase"},
		"baseline":              {"", "The value before the project. Percent as 62 or 62%; yes/no as yes or no; text as words.", "0"},
		"baseline_date":         {"", "When the baseline was measured: a date or a year.", "2025-11-01"},
		"target":                {"", "The end-of-project target, on the same footing as the actual to date (for a sum indicator the total over the project).", "120"},
		"aggregation":           {"", "How the figures of several periods make the actual to date: sum adds them up (schools equipped, people trained: the default for number and currency), last takes the latest (rates, shares, levels, yes/no: the default for the others), max, min or mean.", "sum"},
		"disaggregations":       {"", "The dimensions (Dimensions sheet) the figures are broken down by, separated by ;", "sex; province"},
		"formula":               {"", `A computed indicator: an expression over other indicators with value(code), cumulative(code), baseline(code), target(code), previous(code).`, `100 * value("n.attend") / value("n.enrolled")`},
		"numerator":             {"", "For a percent or ratio: the code of the supporting measure counted on top. Totals and cumulative values are then ratios of sums, never averages of percentages.", "n.attend"},
		"denominator":           {"", "The code of the supporting measure counted below.", "n.enrolled"},
		"status_rule":           {"", "Blank for the usual rule; else an expression over progress, expected, actual, baseline, target, milestone, elapsed returning a status.", `actual >= target ? "achieved" : "on track"`},
		"milestones":            {"", "How the Milestones sheet's figures of this indicator are read. cumulative: where the indicator should stand by the end of each period (40 schools by year 1, 90 by year 2, 120 by the end). per period: what each period should add (10, 20, 30, 30, 30 water points a semester, adding up to the target). Blank: rmf infers it for a sum indicator (per period when the milestones add up to the target, cumulative when they never go back and the last equals the target) and says which it used; milestones of other aggregations are always levels.", "cumulative"},
		"path":                  {"", "What is expected between milestones. line (the default): a straight line through the baseline at the project start, each milestone at the end of its period and the target at the project end, counted in days, so a year-1 milestone of 40 expects about 20 at mid-year. steps: nothing more is expected until a milestone's period ends (the default for yes/no and text).", "line"},
		"data_source":           {"", "Where the figure comes from.", "Partner kitchen log"},
		"collection_method":     {"", "How it is collected.", "Visit report"},
		"frequency":             {"", "How often a figure is owed: monthly, quarterly, semiannual, annual or end (once, at the end). Blank: the project's reporting. A figure not received when its period has ended is listed as a missing report.", "quarterly"},
		"responsible":           {"", "Who reports the figure; missing reports are listed under this name.", "Partner A"},
		"means_of_verification": {"", "The evidence behind the figure.", "Signed visit reports"},
		"notes":                 {"", "Anything else.", ""},
	},
	"Milestones": {
		"indicator":      {"required", "The indicator's code.", "1.1.1"},
		"period":         {"required", "The period the milestone is due by (see the period spellings below).", "PY1"},
		"target":         {"required", "The milestone, read as the indicator's milestones column says (cumulative or per period).", "40"},
		"disaggregation": {"", "For a milestone of one breakdown only: dimension=value pairs separated by ;", "province=Khovd"},
	},
	"Dimensions": {
		"dimension": {"required", "The name of a breakdown, used in the indicators' disaggregations column.", "sex"},
		"value":     {"required", "One allowed value per row (or several separated by ;).", "female"},
	},
	"Rules": {
		"code":     {"required", "A code for the check.", "R1"},
		"check":    {"required", "A formula that must be true in every period.", `value("n.attend") <= value("n.enrolled")`},
		"severity": {"", "error or warning (or info).", "error"},
		"message":  {"", "What the report says when the check fails.", "more pupils attending than enrolled"},
	},
	"Budget": {
		"budget_line": {"", "The budget line's code in the finance system.", "BL-01"},
		"result":      {"", "The output or outcome the money is for (an activity rolls up to its output); blank for project-wide costs such as staff and office.", "1.1"},
		"category":    {"required", "operational, staff, equipment, M&E or other.", "equipment"},
		"amount":      {"required", "The budgeted amount.", "180000"},
		"currency":    {"", "Blank for the project's currency.", "USD"},
		"description": {"", "What the line pays for.", "Kitchen equipment"},
	},
}

// templateNotes are the Instructions sheet's explanations after the column
// list.
var templateNotes = [][2]string{
	{"Example rows", "The grey rows whose first cell starts with \"e.g.\" are a worked example: rmf skips them when it imports the workbook. " +
		"Type your own rows below them, or over them (once the first cell no longer starts with \"e.g.\" the row is read), or delete them."},
	{"Aggregation", "An indicator's actual to date is built from the figures of every period by its aggregation. sum adds them up: 12 schools equipped in Q1 and 8 in Q2 " +
		"make 20. last takes the latest: an attendance rate of 70% in S1 and 74% in S2 is 74%, not 144%. The target, the milestones and the baseline are on the " +
		"same footing as the actual to date."},
	{"Milestones: cumulative or per period", "Officers write milestones both ways. Cumulative: \"40 schools by the end of year 1, 90 by year 2, 120 by the end\": " +
		"each is where the indicator should stand, and the last one equals the target. Per period: \"10, 20, 30, 30, 30 water points a semester\": each is what " +
		"the period adds, and together they make the target. Say which in the indicator's milestones column; when it is blank rmf infers it for sum indicators " +
		"and rmf check asks you to say which when neither reading fits. Read the wrong way, 40 + 90 + 120 would make 250 against a target of 120."},
	{"The expected path", "Between milestones rmf expects a straight line by days, from the baseline at the project start through each milestone to the target " +
		"at the project end: every quarter has a target even when the milestones are yearly. Write steps in the path column when nothing should be expected " +
		"before a milestone's period ends (a guideline adopted by year 2)."},
	{"Numerator and denominator", "For a percent or ratio collected as two counts, add the two counts as supporting measures (no result) and name them in the " +
		"indicator's numerator and denominator columns. rmf then adds numerators and denominators over partners, provinces and periods and divides once: " +
		"the ratio of sums, never the average of percentages."},
	{"Supporting measures", "An indicator row with a blank result is a supporting measure: partners report it and rmf checks it, but it is not reported on its own. " +
		"Use them for numerators, denominators and the inputs of formulas."},
	{"Periods", "Write periods as 2026 (a year), 2026S1 or 2026S2 (semesters), 2026Q3 (a quarter), 2026-07 (a month), 2026-07-15 (a day) or a range " +
		"2026-09-01..2027-02-28. Common spellings are read too: Q3 2026, 2026-Q3, H1 2026, Jul 2026, an Excel date. Project years are PY1, PY 2, Year 2 or " +
		"Project year 2, counted from the project start by the year_start month; fiscal years FY2026/27. rmf prints the period as you wrote it."},
	{"Codes", "Codes are case-sensitive and unique across results and indicators. The code columns are formatted as text: Excel would turn 1.10 typed in a " +
		"number cell into 1.1."},
	{"Importing", "rmf framework import logframe.xlsx reads the workbook. A file with any problem is refused whole, naming the sheet, the cell, what it found " +
		"and what to write instead; then rmf check lints the logframe (results without indicators, indicators without baseline or target, ...)."},
}

// writeInstructions writes the Instructions sheet.
func writeInstructions(f *excelize.File, tables []table, bold int) error {
	w := &instrWriter{f: f, row: 1}
	if err := w.styles(); err != nil {
		return err
	}
	w.put("How to fill in this logframe workbook")
	w.style("A1", "A1", w.title)
	w.row++
	w.put("Fill in the sheets Project, Results, Indicators, Milestones and Dimensions (Rules and Budget if you need them), then run: rmf framework import FILE.xlsx")
	w.row += 2
	w.put("sheet", "column", "required", "what to write", "example")
	w.style(fmt.Sprintf("A%d", w.row), fmt.Sprintf("E%d", w.row), w.head)
	first := w.row + 1
	w.columns(tables)
	w.style(fmt.Sprintf("A%d", first), fmt.Sprintf("E%d", w.row), w.wrap)
	w.style(fmt.Sprintf("B%d", first), fmt.Sprintf("B%d", w.row), w.boldTop)
	w.row += 2
	w.notes()
	for col, wd := range map[string]float64{"A": 14, "B": 22, "C": 10, "D": 80, "E": 34} {
		w.keep(f.SetColWidth(instrSheet, col, col, wd))
	}
	if w.err != nil {
		return w.err
	}
	land := "portrait"
	one, zero, yes := 1, 0, true
	if err := f.SetPageLayout(instrSheet, &excelize.PageLayoutOptions{Orientation: &land, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	return f.SetSheetProps(instrSheet, &excelize.SheetPropsOptions{FitToPage: &yes})
}

const instrSheet = "Instructions"

// instrWriter writes the Instructions sheet row by row, keeping the first
// error.
type instrWriter struct {
	f                          *excelize.File
	row                        int
	err                        error
	title, head, wrap, boldTop int
}

func (w *instrWriter) keep(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *instrWriter) styles() error {
	var err error
	f := w.f
	if w.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return err
	}
	if w.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E78"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return err
	}
	if w.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return err
	}
	w.boldTop, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	return err
}

// put writes cells on the current row.
func (w *instrWriter) put(cells ...string) {
	// Rows do not grow with wrapped text in every spreadsheet: set the
	// height from the longest cell (D holds about 78 characters a line, E
	// about 32).
	if len(cells) == 5 {
		lines := max(1, (len(cells[3])+77)/78, (len(cells[4])+31)/32)
		if lines > 1 {
			w.keep(w.f.SetRowHeight(instrSheet, w.row, float64(15*lines)))
		}
	}
	for j, c := range cells {
		if c == "" {
			continue
		}
		ref, _ := excelize.CoordinatesToCellName(j+1, w.row)
		w.keep(w.f.SetCellStr(instrSheet, ref, c))
	}
}

func (w *instrWriter) style(from, to string, id int) {
	w.keep(w.f.SetCellStyle(instrSheet, from, to, id))
}

// columns writes a row per column of every sheet (per key of the Project
// sheet): whether it is required, what to write and an example.
func (w *instrWriter) columns(tables []table) {
	for _, t := range tables {
		if t.name == "Project" {
			for _, k := range projectKeysOf(t) {
				w.row++
				h := templateProjectHelp[k]
				what, example := h[1], ""
				if i := strings.Index(what, ": "); i > 0 && !strings.Contains(what[:i], " ") {
					example, what = what[:i], what[i+2:]
				}
				w.put("Project", k, h[0], what, example)
			}
			continue
		}
		help := templateColumnHelp[t.name]
		for _, c := range t.header {
			w.row++
			h := help[c]
			what := h[1]
			if words, ok := t.lists[c]; ok && what == "" {
				what = strings.Join(words, ", ")
			}
			w.put(t.name, c, h[0], what, h[2])
		}
	}
}

// notes writes the notes under the table, each merged across B:E.
func (w *instrWriter) notes() {
	for _, n := range templateNotes {
		w.put(n[0], n[1])
		w.style(fmt.Sprintf("A%d", w.row), fmt.Sprintf("A%d", w.row), w.boldTop)
		w.style(fmt.Sprintf("B%d", w.row), fmt.Sprintf("B%d", w.row), w.wrap)
		w.keep(w.f.MergeCell(instrSheet, fmt.Sprintf("B%d", w.row), fmt.Sprintf("E%d", w.row)))
		// Merged cells do not grow with their text: set the height (about
		// 110 characters a line across B:E).
		lines := len(n[1])/110 + 1
		w.keep(w.f.SetRowHeight(instrSheet, w.row, float64(15*lines+3)))
		w.row++
	}
}

// projectKeysOf lists every Project key: those of the Project table and
// the budget's (budgetProjectRows lists only those set).
func projectKeysOf(t table) []string {
	var keys []string
	for _, kv := range t.rows {
		keys = append(keys, kv[0].(string))
	}
	one := 1.0
	for _, kv := range budgetProjectRows(indicators.Project{TotalBudget: &one, InKind: &one, EfficiencyThreshold: &one}) {
		if k := kv[0].(string); !contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
