package examples_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/examples"
	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// update rewrites framework.xlsx from framework.yaml:
//
//	go test ./examples -update
var update = flag.Bool("update", false, "rewrite framework.xlsx from framework.yaml")

func readExample(t *testing.T, name string) *indicators.Framework {
	t.Helper()
	fw, err := importers.ReadFramework(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return fw
}

// stripLocs clears the input locations, which differ between the files.
func stripLocs(fw *indicators.Framework) {
	fw.Project.Loc = indicators.Loc{}
	for i := range fw.Results {
		fw.Results[i].Loc = indicators.Loc{}
	}
	for i := range fw.Indicators {
		fw.Indicators[i].Loc = indicators.Loc{}
	}
	for i := range fw.Milestones {
		fw.Milestones[i].Loc = indicators.Loc{}
	}
	for i := range fw.Dimensions {
		fw.Dimensions[i].Loc = indicators.Loc{}
	}
	for i := range fw.Rules {
		fw.Rules[i].Loc = indicators.Loc{}
	}
	for i := range fw.Budget { // issue 7
		fw.Budget[i].Loc = indicators.Loc{}
	}
}

// TestFrameworkXLSXMatchesYAML: the workbook is the YAML file exported by
// the exporter; they must not drift apart. With -update the workbook is
// rewritten from the YAML file.
func TestFrameworkXLSXMatchesYAML(t *testing.T) {
	y := readExample(t, examples.FrameworkYAML)
	if *update {
		var b bytes.Buffer
		if err := exporters.WriteFrameworkXLSX(&b, y); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(examples.FrameworkXLSX, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	x := readExample(t, examples.FrameworkXLSX)
	stripLocs(y)
	stripLocs(x)
	// The exporter groups milestones by indicator, in period order.
	sortMilestones(y)
	for _, c := range []struct {
		what string
		a, b any
	}{
		{"project", y.Project, x.Project},
		{"results", y.Results, x.Results},
		{"indicators", y.Indicators, x.Indicators},
		{"milestones", y.Milestones, x.Milestones},
		{"dimensions", y.Dimensions, x.Dimensions},
		{"rules", y.Rules, x.Rules},
	} {
		if !reflect.DeepEqual(c.a, c.b) {
			t.Errorf("framework.xlsx and framework.yaml differ in their %s; run go test ./examples -update after editing framework.yaml\nyaml: %+v\nxlsx: %+v", c.what, c.a, c.b)
		}
	}
}

func sortMilestones(fw *indicators.Framework) {
	var out []indicators.Milestone
	for _, ind := range fw.Indicators {
		out = append(out, fw.MilestonesOf(ind.Code)...)
	}
	fw.Milestones = out
}

// TestFrameworkEmbedded: the files are reachable through examples.FS.
func TestFrameworkEmbedded(t *testing.T) {
	for _, name := range []string{examples.FrameworkYAML, examples.FrameworkXLSX} {
		b, err := fs.ReadFile(examples.FS(), name)
		if err != nil || len(b) == 0 {
			t.Errorf("%s not embedded: %v", name, err)
		}
	}
}

// TestExampleProject checks the example against what it must show
// (issue 2, item 8; DOMAIN.md).
func TestExampleProject(t *testing.T) {
	fw := readExample(t, examples.FrameworkYAML)
	p := fw.Project
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	if day(p.Start) != "2019-09-01" || day(p.End) != "2023-08-31" || p.YearStart != 9 || p.Currency != "CHF" ||
		p.Donor == "" || p.IATIIdentifier == "" || p.ReportingOrg == "" || p.ReportingOrgID == "" {
		t.Errorf("project = %+v", p)
	}
	levels := map[indicators.Level]int{}
	for _, r := range fw.Results {
		levels[r.Level]++
	}
	if levels[indicators.Goal] != 1 || levels[indicators.Outcome] != 3 || levels[indicators.Output] < 8 || levels[indicators.Activity] == 0 {
		t.Errorf("levels = %v, want 1 goal, 3 outcomes, >= 8 outputs, activities", levels)
	}
	// The activities added after the mid-term review.
	for _, a := range []string{"2.1.10", "2.1.11", "2.1.12", "2.1.13", "3.2.5"} {
		r, ok := fw.Result("A" + a)
		if !ok || r.Level != indicators.Activity || !strings.Contains(r.Statement, "Activity "+a) {
			t.Errorf("activity %s missing", a)
		}
	}
	if len(fw.Indicators) < 20 {
		t.Errorf("%d indicators, want >= 20", len(fw.Indicators))
	}
	units := map[indicators.Unit]bool{}
	var decrease, ratio, formula, sex, province, endOnly bool
	for _, ind := range fw.Indicators {
		units[ind.Unit] = true
		decrease = decrease || ind.Direction == indicators.Decrease
		ratio = ratio || ind.IsRatio()
		formula = formula || ind.Computed()
		endOnly = endOnly || ind.EndOnly()
		for _, d := range ind.Disaggregations {
			sex = sex || d == "sex"
			province = province || d == "province"
		}
	}
	for _, u := range indicators.Units {
		if !units[u] {
			t.Errorf("no %s indicator", u)
		}
	}
	if !decrease || !ratio || !formula || !sex || !province || !endOnly {
		t.Errorf("decrease %v, numerator/denominator %v, formula %v, by sex %v, by province %v, end-only %v",
			decrease, ratio, formula, sex, province, endOnly)
	}
	var semester, yesNo bool
	for _, m := range fw.Milestones {
		semester = semester || m.Period.Kind == indicators.KindSemester
		if ind, ok := fw.Indicator(m.Indicator); ok && ind.Unit == indicators.YesNo {
			yesNo = true
		}
	}
	if !semester || !yesNo {
		t.Errorf("semester milestones %v, yes/no milestones %v", semester, yesNo)
	}
	if !strings.Contains(strings.ToLower(p.Description+fw.Indicators[1].Notes), "illustrative") {
		t.Errorf("illustrative targets are not marked as such")
	}
	// rmf check: warnings at most, no errors.
	for _, f := range fw.Check() {
		if f.Severity == indicators.SevError {
			t.Errorf("check error on the example: %s: %s", f.Code, f.Message)
		}
	}
}
