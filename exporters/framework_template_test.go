package exporters

// The blank framework workbook (rmf framework template): its sheets,
// columns, drop-downs and instructions, and the round trip an officer
// makes: fill it in, import it. (A test-only import of importers, as in
// framework_test.go.)

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

func writeTemplateBook(t *testing.T) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteFrameworkTemplateXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("excelize cannot read the template back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// header returns the first row of sheet, and the column letter of each
// heading.
func header(t *testing.T, f *excelize.File, sheet string) ([]string, map[string]string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: no rows (%v)", sheet, err)
	}
	cols := map[string]string{}
	for j, h := range rows[0] {
		c, _ := excelize.ColumnNumberToName(j + 1)
		cols[h] = c
	}
	return rows[0], cols
}

func TestFrameworkTemplateLayout(t *testing.T) {
	f := writeTemplateBook(t)
	want := "Instructions,Project,Results,Indicators,Milestones,Dimensions,Rules,Budget"
	if got := strings.Join(f.GetSheetList(), ","); got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	// Every column of SPEC section 2 (and the definition the export adds).
	spec := map[string][]string{
		"Results": {"code", "level", "parent", "statement", "assumptions", "contributes_to"},
		"Indicators": {"code", "result", "name", "definition", "unit", "direction", "baseline", "baseline_date", "target",
			"aggregation", "disaggregations", "formula", "numerator", "denominator", "status_rule", "milestones", "path",
			"data_source", "collection_method", "frequency", "responsible", "means_of_verification", "notes"},
		"Milestones": {"indicator", "period", "target", "disaggregation"},
		"Dimensions": {"dimension", "value"},
		"Rules":      {"code", "check", "severity", "message"},
		"Budget":     {"budget_line", "result", "category", "amount", "currency", "description"},
	}
	instr, err := f.GetRows("Instructions")
	if err != nil {
		t.Fatal(err)
	}
	explained := map[string]string{} // sheet|column -> what to write
	for _, r := range instr {
		if len(r) >= 4 {
			explained[r[0]+"|"+r[1]] = r[3]
		}
	}
	for sheet, cols := range spec {
		_, have := header(t, f, sheet)
		for _, c := range cols {
			if have[c] == "" {
				t.Errorf("%s has no column %s", sheet, c)
			}
			if explained[sheet+"|"+c] == "" {
				t.Errorf("Instructions do not explain %s column %s", sheet, c)
			}
		}
	}
	// The Project sheet: every key, values blank, what to write beside.
	proj, err := f.GetRows("Project")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, r := range proj[1:] {
		keys[r[0]] = true
		if len(r) > 1 && r[1] != "" {
			t.Errorf("Project %s has the value %q, want it blank", r[0], r[1])
		}
		if len(r) < 4 || r[3] == "" {
			t.Errorf("Project %s: no example", r[0])
		}
		if explained["Project|"+r[0]] == "" {
			t.Errorf("Instructions do not explain Project key %s", r[0])
		}
	}
	for _, k := range []string{"code", "title", "start", "end", "donor", "currency", "reporting", "year_start", "iati_identifier",
		"reporting_org", "reporting_org_id", "reporting_org_type", "total_budget"} {
		if !keys[k] {
			t.Errorf("Project sheet has no key %s", k)
		}
	}
	// The explanations the issue asks for.
	all := ""
	for _, r := range instr {
		all += strings.Join(r, " ") + "\n"
	}
	for _, want := range []string{"sum adds", "last takes the latest", "cumulative", "per period", "ratio of sums",
		"supporting measure", "PY1", "2026Q3", "Q3 2026", "e.g."} {
		if !strings.Contains(all, want) {
			t.Errorf("Instructions do not mention %q", want)
		}
	}
	// Drop-downs.
	lists := map[string]string{ // sheet|column -> a word of its list
		"Results|level": "outcome", "Indicators|unit": "yes/no", "Indicators|direction": "decrease",
		"Indicators|aggregation": "last", "Indicators|milestones": "per period", "Indicators|frequency": "semiannual",
		"Indicators|path": "steps", "Rules|severity": "warning", "Budget|category": "equipment",
	}
	for key, word := range lists {
		sheet, col, _ := strings.Cut(key, "|")
		_, have := header(t, f, sheet)
		dvs, err := f.GetDataValidations(sheet)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, dv := range dvs {
			if strings.HasPrefix(dv.Sqref, have[col]+"2:") && dv.Type == "list" && strings.Contains(dv.Formula1, word) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s column %s (%s) has no drop-down offering %q", sheet, col, have[col], word)
		}
	}
	// Example rows: marked, grey, on every list sheet.
	for sheet := range spec {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 2 || !strings.HasPrefix(rows[1][0], "e.g. ") {
			t.Errorf("%s: no example row under the header", sheet)
			continue
		}
		st := cellStyle(t, f, sheet, "A2")
		if st.Font == nil || !st.Font.Italic || st.Font.Color != "7F7F7F" {
			t.Errorf("%s!A2: style %+v, want grey italics", sheet, st.Font)
		}
	}
	// The cumulative milestones of the example as an officer writes them.
	rows, _ := f.GetRows("Milestones")
	if got := rows[1][0] + " " + rows[1][1] + " " + rows[1][2]; got != "e.g. 1.1.1 PY1 40" {
		t.Errorf("first example milestone %q, want e.g. 1.1.1 PY1 40", got)
	}
}

// TestFrameworkTemplateUntouched: the template as written holds no
// framework: importing it names the project keys to fill and nothing of
// the examples.
func TestFrameworkTemplateUntouched(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrameworkTemplateXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := importers.ReadFrameworkXLSX(bytes.NewReader(buf.Bytes()), "logframe.xlsx")
	var probs indicators.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("import of the blank template: %v, want the missing project keys", err)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Error())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{"cell B2 (code)", "cell B3 (title)", "cell B4 (start)", "cell B5 (end)"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if len(probs) != 4 {
		t.Errorf("%d problems, want the 4 required project keys only:\n%s", len(probs), got)
	}
}

// TestFrameworkTemplateRoundTrip fills the template in as an officer
// would (project keys, rows below the examples, one example typed over,
// one example row moved below the real rows) and imports it.
func TestFrameworkTemplateRoundTrip(t *testing.T) {
	f := writeTemplateBook(t)
	set := func(sheet, ref string, v any) {
		t.Helper()
		if err := f.SetCellValue(sheet, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	// Project: values in column B, found by key.
	proj, _ := f.GetRows("Project")
	projVals := map[string]any{"code": "SF-KH", "title": "School feeding", "start": "2026-01-01", "end": "2028-12-31",
		"reporting": "quarterly", "currency": "USD", "total_budget": 450000}
	for i, r := range proj {
		if v, ok := projVals[r[0]]; ok {
			set("Project", fmt.Sprintf("B%d", i+1), v)
		}
	}
	// fill writes row values (heading -> value) at row n of sheet.
	fill := func(sheet string, n int, vals map[string]any) {
		t.Helper()
		_, cols := header(t, f, sheet)
		for h, v := range vals {
			if cols[h] == "" {
				t.Fatalf("%s has no column %s", sheet, h)
			}
			set(sheet, fmt.Sprintf("%s%d", cols[h], n), v)
		}
	}
	next := func(sheet string) int {
		rows, _ := f.GetRows(sheet)
		return len(rows) + 1
	}
	// Results: the goal typed over the first example row (its code no
	// longer starts with e.g.), the others below the examples.
	fill("Results", 2, map[string]any{"code": "G", "level": "goal", "parent": "", "statement": "Children learn better", "assumptions": "", "contributes_to": ""})
	fill("Results", next("Results"), map[string]any{"code": "O1", "level": "outcome", "parent": "G", "statement": "Pupils attend school"})
	fill("Results", next("Results"), map[string]any{"code": "1.10", "level": "output", "parent": "O1", "statement": "Schools serve meals"})
	// An example row moved below the real rows is still an example.
	fill("Results", next("Results"), map[string]any{"code": "e.g. 9.9", "level": "output", "parent": "O1", "statement": "moved example"})
	fill("Indicators", next("Indicators"), map[string]any{"code": "1.10.1", "result": "1.10", "name": "Schools with a kitchen",
		"unit": "number", "direction": "increase", "baseline": 0, "target": 120, "aggregation": "sum", "disaggregations": "province",
		"frequency": "quarterly", "responsible": "Partner A", "data_source": "kitchen log", "collection_method": "visits",
		"milestones": "cumulative", "path": "line"})
	fill("Indicators", next("Indicators"), map[string]any{"code": "O1.1", "result": "O1", "name": "Attendance", "unit": "percent",
		"baseline": "62%", "target": 85, "numerator": "n.att", "denominator": "n.enr", "frequency": "semiannual", "path": "steps"})
	fill("Indicators", next("Indicators"), map[string]any{"code": "n.att", "name": "Pupils attending", "unit": "number", "aggregation": "last"})
	fill("Indicators", next("Indicators"), map[string]any{"code": "n.enr", "name": "Pupils enrolled", "unit": "number", "aggregation": "last"})
	fill("Milestones", next("Milestones"), map[string]any{"indicator": "1.10.1", "period": "PY1", "target": 40})
	fill("Milestones", next("Milestones"), map[string]any{"indicator": "1.10.1", "period": "2027", "target": 90})
	fill("Milestones", next("Milestones"), map[string]any{"indicator": "1.10.1", "period": "Q2 2026", "target": 10, "disaggregation": "province=Uvs"})
	fill("Dimensions", next("Dimensions"), map[string]any{"dimension": "province", "value": "Khovd"})
	fill("Dimensions", next("Dimensions"), map[string]any{"dimension": "province", "value": "Uvs"})
	fill("Rules", next("Rules"), map[string]any{"code": "R1", "check": `value("n.att") <= value("n.enr")`, "severity": "error", "message": "too many"})
	fill("Budget", next("Budget"), map[string]any{"budget_line": "B1", "result": "1.10", "category": "equipment", "amount": 180000})

	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := importers.ReadFrameworkXLSX(bytes.NewReader(buf.Bytes()), "logframe.xlsx")
	if err != nil {
		t.Fatalf("import of the filled-in template: %v", err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tb := 450000.0
	want := &indicators.Framework{
		Project: indicators.Project{Code: "SF-KH", Title: "School feeding", Start: day("2026-01-01"), End: day("2028-12-31"),
			Currency: "USD", Reporting: "quarterly", TotalBudget: &tb},
		Results: []indicators.Result{
			{Code: "G", Level: indicators.Goal, Statement: "Children learn better"},
			{Code: "O1", Level: indicators.Outcome, Parent: "G", Statement: "Pupils attend school"},
			{Code: "1.10", Level: indicators.Output, Parent: "O1", Statement: "Schools serve meals"},
		},
		Indicators: []indicators.Indicator{
			{Code: "1.10.1", Result: "1.10", Name: "Schools with a kitchen", Unit: indicators.Number, Direction: indicators.Increase,
				Baseline: ptrF(0), Target: ptrF(120), Aggregation: indicators.Sum, Disaggregations: []string{"province"},
				Milestones: indicators.MilestonesCumulative, Path: indicators.PathLine,
				Frequency: "quarterly", Responsible: "Partner A", DataSource: "kitchen log", CollectionMethod: "visits"},
			{Code: "O1.1", Result: "O1", Name: "Attendance", Unit: indicators.Percent, Direction: indicators.Increase, Baseline: ptrF(62), Target: ptrF(85),
				Numerator: "n.att", Denominator: "n.enr", Frequency: "semiannual", Path: indicators.PathSteps},
			{Code: "n.att", Name: "Pupils attending", Unit: indicators.Number, Direction: indicators.Increase, Aggregation: indicators.Last},
			{Code: "n.enr", Name: "Pupils enrolled", Unit: indicators.Number, Direction: indicators.Increase, Aggregation: indicators.Last},
		},
		Milestones: []indicators.Milestone{
			{Indicator: "1.10.1", Period: indicators.Year(2026), Target: 40},
			{Indicator: "1.10.1", Period: indicators.Year(2027), Target: 90},
			{Indicator: "1.10.1", Period: indicators.Quarter(2026, 2), Target: 10, Dims: indicators.Disagg{"province": "Uvs"}},
		},
		Dimensions: []indicators.Dimension{{Name: "province", Values: []string{"Khovd", "Uvs"}}},
		Rules:      []indicators.Rule{{Code: "R1", Check: `value("n.att") <= value("n.enr")`, Severity: indicators.SevError, Message: "too many"}},
		Budget:     []indicators.BudgetLine{{Code: "B1", Result: "1.10", Category: indicators.CategoryEquipment, Amount: 180000}},
	}
	// PY1 is read by the project calendar: the project year that starts
	// 2026-01-01, printed as the officer wrote it or as 2026; compare dates.
	if len(got.Milestones) > 0 {
		m := got.Milestones[0]
		if !m.Period.Start.Equal(day("2026-01-01")) || !m.Period.End.Equal(day("2026-12-31")) {
			t.Errorf("PY1 read as %v..%v, want 2026-01-01..2026-12-31", m.Period.Start, m.Period.End)
		}
		got.Milestones[0].Period = want.Milestones[0].Period
	}
	if d := frameworkDiff(want, got); d != "" {
		t.Errorf("the filled-in template imports as\n%s", d)
	}
	if d := budgetDiff(want.Budget, got.Budget); d != "" {
		t.Errorf("budget: %s", d)
	}
	if got.Project.TotalBudget == nil || *got.Project.TotalBudget != 450000 {
		t.Errorf("total_budget %v, want 450000", got.Project.TotalBudget)
	}
}

func budgetDiff(want, got []indicators.BudgetLine) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d lines, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		g.Loc = indicators.Loc{}
		if fmt.Sprintf("%+v", w) != fmt.Sprintf("%+v", g) {
			return fmt.Sprintf("line %d: got %+v, want %+v", i, g, w)
		}
	}
	return ""
}
