package exporters

// Round trips of the framework export: write, read back with the importers
// and compare every field. (A test-only import: importers and exporters do
// not import each other.)

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// stripLocs returns a copy of fw without the input locations, which differ
// between files by design.
func stripLocs(fw *indicators.Framework) *indicators.Framework {
	out := *fw
	out.Project.Loc = indicators.Loc{}
	out.Results = append([]indicators.Result(nil), fw.Results...)
	for i := range out.Results {
		out.Results[i].Loc = indicators.Loc{}
	}
	out.Indicators = append([]indicators.Indicator(nil), fw.Indicators...)
	for i := range out.Indicators {
		out.Indicators[i].Loc = indicators.Loc{}
	}
	out.Milestones = append([]indicators.Milestone(nil), fw.Milestones...)
	for i := range out.Milestones {
		out.Milestones[i].Loc = indicators.Loc{}
	}
	out.Dimensions = append([]indicators.Dimension(nil), fw.Dimensions...)
	for i := range out.Dimensions {
		out.Dimensions[i].Loc = indicators.Loc{}
	}
	out.Rules = append([]indicators.Rule(nil), fw.Rules...)
	for i := range out.Rules {
		out.Rules[i].Loc = indicators.Loc{}
	}
	out.Budget = append([]indicators.BudgetLine(nil), fw.Budget...) // issue 7
	for i := range out.Budget {
		out.Budget[i].Loc = indicators.Loc{}
	}
	return &out
}

// frameworkDiff describes the first differences between two frameworks,
// item by item, or returns "" when they are equal (locations ignored).
func frameworkDiff(want, got *indicators.Framework) string {
	a, b := stripLocs(want), stripLocs(got)
	if reflect.DeepEqual(a, b) {
		return ""
	}
	var d []string
	if !reflect.DeepEqual(a.Project, b.Project) {
		d = append(d, fmt.Sprintf("project:\n want %+v\n  got %+v", a.Project, b.Project))
	}
	cmp := func(what string, x, y any) {
		xv, yv := reflect.ValueOf(x), reflect.ValueOf(y)
		if xv.Len() != yv.Len() {
			d = append(d, fmt.Sprintf("%s: want %d, got %d", what, xv.Len(), yv.Len()))
			return
		}
		for i := 0; i < xv.Len() && len(d) < 5; i++ {
			if !reflect.DeepEqual(xv.Index(i).Interface(), yv.Index(i).Interface()) {
				d = append(d, fmt.Sprintf("%s[%d]:\n want %s\n  got %s", what, i, show(xv.Index(i).Interface()), show(yv.Index(i).Interface())))
			}
		}
	}
	cmp("results", a.Results, b.Results)
	cmp("indicators", a.Indicators, b.Indicators)
	cmp("milestones", a.Milestones, b.Milestones)
	cmp("dimensions", a.Dimensions, b.Dimensions)
	cmp("rules", a.Rules, b.Rules)
	if len(d) == 0 {
		return "frameworks differ"
	}
	return strings.Join(d, "\n")
}

// show prints an item with its pointer fields dereferenced.
func show(x any) string {
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Struct {
		return fmt.Sprintf("%+v", x)
	}
	var parts []string
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		s := fmt.Sprintf("%+v", f.Interface())
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			s = fmt.Sprintf("&%+v", f.Elem().Interface())
		}
		parts = append(parts, v.Type().Field(i).Name+":"+s)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func writeXLSX(t *testing.T, fw *indicators.Framework) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteFrameworkXLSX(&b, fw); err != nil {
		t.Fatalf("WriteFrameworkXLSX: %v", err)
	}
	return b.Bytes()
}

func writeYAML(t *testing.T, fw *indicators.Framework) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteFrameworkYAML(&b, fw); err != nil {
		t.Fatalf("WriteFrameworkYAML: %v", err)
	}
	return b.Bytes()
}

// roundTrip runs fw through xlsx -> read -> yaml -> read -> xlsx -> read
// and checks that every step gives back fw.
func roundTrip(t *testing.T, fw *indicators.Framework) {
	t.Helper()
	x1, err := importers.ReadFrameworkXLSX(bytes.NewReader(writeXLSX(t, fw)), "step1.xlsx")
	if err != nil {
		t.Fatalf("reading the exported workbook: %v", err)
	}
	if d := frameworkDiff(fw, x1); d != "" {
		t.Fatalf("yaml -> xlsx changed the framework:\n%s", d)
	}
	y, err := importers.ReadFrameworkYAML(bytes.NewReader(writeYAML(t, x1)), "step2.yaml")
	if err != nil {
		t.Fatalf("reading the exported YAML: %v", err)
	}
	if d := frameworkDiff(fw, y); d != "" {
		t.Fatalf("xlsx -> yaml changed the framework:\n%s", d)
	}
	x2, err := importers.ReadFrameworkXLSX(bytes.NewReader(writeXLSX(t, y)), "step3.xlsx")
	if err != nil {
		t.Fatalf("reading the second exported workbook: %v", err)
	}
	if d := frameworkDiff(fw, x2); d != "" {
		t.Fatalf("yaml -> xlsx (second time) changed the framework:\n%s", d)
	}
}

func TestFrameworkRoundTripExample(t *testing.T) {
	fw, err := importers.ReadFramework("../examples/framework.yaml")
	if err != nil {
		t.Fatalf("examples/framework.yaml: %v", err)
	}
	roundTrip(t, fw)
}

func ptrF(x float64) *float64 { return &x }

// fullFramework sets every field of every item, with values that are easy
// to lose on the way: codes that read as numbers, multi-line text, text
// that reads as yes/no or a date, decimals, negative and large figures,
// text and yes/no milestones, disaggregated milestones.
func fullFramework() *indicators.Framework {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	bd := day("2019-10-15")
	return &indicators.Framework{
		Project: indicators.Project{
			Code: "P-1", Title: "A project: with colons, # hashes and 'quotes'", Start: day("2019-09-01"), End: day("2023-08-31"),
			Donor: "Donor agency", Currency: "CHF", Reporting: "quarterly", YearStart: 9,
			StatusRule:     `progress >= 1 ? "achieved" : "on track"`,
			IATIIdentifier: "CH-4-123", ReportingOrg: "SDC", ReportingOrgID: "CH-4", ReportingOrgType: "10",
			Description: "First line.\nSecond line.",
		},
		Results: []indicators.Result{
			{Code: "OO", Level: indicators.Goal, Statement: "Goal", Assumptions: "yes"},
			{Code: "1", Level: indicators.Outcome, Parent: "OO", Statement: "Outcome one", Assumptions: "2021-01-01"},
			{Code: "2", Level: indicators.Outcome, Parent: "OO", Statement: "Outcome two"},
			{Code: "1.10", Level: indicators.Output, Parent: "1", Statement: "Output\nwith two lines", ContributesTo: []string{"2"}},
			{Code: "1.10.1", Level: indicators.Activity, Parent: "1.10", Statement: "true"},
		},
		Indicators: []indicators.Indicator{
			{Code: "1.1", Result: "1", Name: "Share", Definition: "Num over den", Unit: indicators.Percent, Direction: indicators.Decrease,
				Baseline: ptrF(42.5), BaselineDate: &bd, Target: ptrF(0.1), Aggregation: indicators.Mean,
				Disaggregations: []string{"sex", "province"}, Numerator: "1.1n", Denominator: "1.1d",
				StatusRule: `actual == nil ? "no data" : "on track"`, DataSource: "Survey", CollectionMethod: "Sample",
				Frequency: "end", Responsible: "M&E", MeansOfVerification: "Report", Notes: "Illustrative: 1,000"},
			{Code: "1.1n", Name: "Numerator", Unit: indicators.Number, Direction: indicators.Increase, Disaggregations: []string{"sex", "province"}},
			{Code: "1.1d", Name: "Denominator", Unit: indicators.Number, Direction: indicators.Increase, Disaggregations: []string{"sex", "province"}},
			{Code: "1.2", Result: "1.10", Name: "Done", Unit: indicators.YesNo, Direction: indicators.Increase,
				Baseline: ptrF(0), Target: ptrF(1), Aggregation: indicators.Last, DataSource: "Records", CollectionMethod: "Review"},
			{Code: "1.3", Result: "1.10", Name: "Stage", Unit: indicators.Text, Direction: indicators.Maintain,
				BaselineText: "no", TargetText: "2022", DataSource: "Minutes", CollectionMethod: "Review"},
			{Code: "1.4", Result: "1.10", Name: "Money", Unit: indicators.Currency, Direction: indicators.Increase,
				Baseline: ptrF(-1250.75), Target: ptrF(3336140), Aggregation: indicators.Sum, DataSource: "Ledger", CollectionMethod: "Sum",
				Milestones: indicators.MilestonesPerPeriod, Path: indicators.PathSteps},
			{Code: "1.5", Result: "2", Name: "Per unit", Unit: indicators.Ratio, Direction: indicators.Increase,
				Formula: `round(cumulative("1.4") / max(1, value("1.1n")))`, Baseline: ptrF(0), Target: ptrF(1e-7), Aggregation: indicators.Max},
			{Code: "1.6", Result: "2", Name: "Lowest", Unit: indicators.Number, Direction: indicators.Increase,
				Aggregation: indicators.Min, Baseline: ptrF(1), Target: ptrF(12345678901), Milestones: indicators.MilestonesCumulative, Path: indicators.PathLine},
		},
		Milestones: []indicators.Milestone{
			{Indicator: "1.1", Period: indicators.Semester(2020, 2), Target: 40},
			{Indicator: "1.1", Period: indicators.Semester(2021, 1), Target: 30, Dims: indicators.Disagg{"province": "Uvs", "sex": "female"}},
			{Indicator: "1.2", Period: indicators.Quarter(2021, 3), Target: 1},
			{Indicator: "1.3", Period: indicators.Year(2022), TargetText: "drafting"},
			{Indicator: "1.4", Period: indicators.Month(2022, 7), Target: 0.25},
			{Indicator: "1.4", Period: indicators.Range(day("2020-09-01"), day("2021-02-28")), Target: 100},
			{Indicator: "1.6", Period: indicators.Day(day("2021-07-15")), Target: 3},
			// the second project year (September to August), written PY2
			{Indicator: "1.6", Period: indicators.Range(day("2020-09-01"), day("2021-08-31")), Target: 4},
		},
		Dimensions: []indicators.Dimension{
			{Name: "sex", Values: []string{"female", "male"}},
			{Name: "province", Values: []string{"Uvs", "Bayan-Olgii", "Ulaanbaatar"}},
		},
		Rules: []indicators.Rule{
			{Code: "R1", Check: `value("1.1n") <= value("1.1d")`, Severity: indicators.SevError, Message: "More than all"},
			{Code: "R2", Check: `value("1.4") >= 0`, Severity: indicators.SevWarning, Message: "Negative"},
			{Code: "R3", Check: `value("1.6") < 100`, Severity: indicators.SevInfo},
		},
	}
}

func TestFrameworkRoundTripEveryField(t *testing.T) {
	fw := fullFramework()
	if probs := fw.Validate(); len(probs) > 0 {
		t.Fatalf("the test framework is invalid:\n%v", probs)
	}
	// The milestones are read back grouped by indicator, in period order.
	sorted := *fw
	sorted.Milestones = milestonesGrouped(fw)
	roundTrip(t, &sorted)
	// the project year prints as the officer wrote it, in both formats;
	// the readings and path shapes are written as words
	y := string(writeYAML(t, fw))
	for _, want := range []string{"period: PY2", "milestones: per period", "path: steps", "milestones: cumulative", "path: line"} {
		if !strings.Contains(y, want) {
			t.Errorf("the YAML export has no %q", want)
		}
	}
	if strings.Contains(y, "2020-09-01..2021-08-31") {
		t.Error("the YAML export prints PY2 as a date range")
	}
	f, err := importers.OpenWorkbook(bytes.NewReader(writeXLSX(t, fw)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Milestones")
	found := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "1.6" && r[1] == "PY2" {
			found = true
		}
	}
	if !found {
		t.Errorf("the Milestones sheet has no 1.6 PY2 row: %v", rows)
	}
}

// TestFrameworkYAMLGolden pins the YAML export of the example project:
// go test ./exporters -run Golden -update rewrites it.
func TestFrameworkYAMLGolden(t *testing.T) {
	fw, err := importers.ReadFramework("../examples/framework.yaml")
	if err != nil {
		t.Fatalf("examples/framework.yaml: %v", err)
	}
	golden(t, "framework.yaml.golden", writeYAML(t, fw))
}

// TestFrameworkXLSXLayout: the workbook has the sheets of SPEC §2, in
// order, with canonical headers.
func TestFrameworkXLSXLayout(t *testing.T) {
	f, err := importers.OpenWorkbook(bytes.NewReader(writeXLSX(t, fullFramework())))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Project,Results,Indicators,Milestones,Dimensions,Rules" {
		t.Errorf("sheets = %s", got)
	}
	rows, _ := f.GetRows("Indicators")
	if len(rows) != 9 || rows[0][0] != "code" || rows[0][6] != "baseline" || rows[0][8] != "target" {
		t.Errorf("Indicators header = %v (%d rows)", rows[0], len(rows))
	}
	if v, _ := f.GetCellValue("Indicators", "G5"); v != "no" { // yes/no baseline written as a word
		t.Errorf("1.2 baseline cell = %q, want no", v)
	}
	if v, _ := f.GetCellValue("Milestones", "B3"); v != "2021S1" {
		t.Errorf("milestone period cell = %q", v)
	}
	// Drop-downs of the canonical words, and code columns formatted as
	// text so that 1.10 typed in Excel stays 1.10.
	dvs, err := f.GetDataValidations("Indicators")
	if err != nil || len(dvs) != 6 { // unit, direction, aggregation, milestones, path, frequency
		t.Fatalf("Indicators data validations: %v, %v", dvs, err)
	}
	found := false
	for _, dv := range dvs {
		if dv.Sqref == "E2:E1000" && strings.Contains(dv.Formula1, "yes/no") {
			found = true
		}
	}
	if !found {
		t.Errorf("no unit drop-down on E2:E1000: %+v", dvs[0])
	}
	style, _ := f.GetCellStyle("Results", "A500")
	if st, err := f.GetStyle(style); err != nil || st.NumFmt != 49 {
		t.Errorf("Results!A500 is not formatted as text: %+v %v", st, err)
	}
}
