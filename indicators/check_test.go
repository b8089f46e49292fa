package indicators

import (
	"strings"
	"testing"
	"time"
)

// lintBase is a small framework that Check finds clean: a goal, an outcome
// fed by an output, each with a complete indicator.
func lintBase() *Framework {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	ind := func(code, result string) Indicator {
		return Indicator{Code: code, Result: result, Name: "n " + code, Unit: Number, Direction: Increase,
			Baseline: chkF(0), Target: chkF(10), DataSource: "records", CollectionMethod: "count"}
	}
	return &Framework{
		Project: Project{Code: "P", Title: "T", Start: d("2020-01-01"), End: d("2021-12-31")},
		Results: []Result{
			{Code: "G", Level: Goal, Statement: "g"},
			{Code: "O1", Level: Outcome, Parent: "G", Statement: "o"},
			{Code: "1.1", Level: Output, Parent: "O1", Statement: "p"},
		},
		Indicators: []Indicator{ind("G.1", "G"), ind("O1.1", "O1"), ind("1.1.1", "1.1")},
		Dimensions: []Dimension{{Name: "sex", Values: []string{"female", "male"}}},
	}
}

func TestCheckClean(t *testing.T) {
	if got := lintBase().Check(); len(got) != 0 {
		t.Fatalf("clean framework: %v", got)
	}
}

func TestCheckLints(t *testing.T) {
	sem := func(y, s int) Period { return Semester(y, s) }
	tests := []struct {
		name   string
		edit   func(fw *Framework)
		code   string
		sev    Severity
		substr []string // all must appear in the message
	}{
		{"output without indicator", func(fw *Framework) { fw.Indicators = fw.Indicators[:2] },
			"1.1", SevWarning, []string{"output 1.1 has no indicator", "Indicators sheet"}},
		{"activity without indicator", func(fw *Framework) {
			fw.Results = append(fw.Results, Result{Code: "A1", Level: Activity, Parent: "1.1", Statement: "a"})
		}, "A1", SevInfo, []string{"activity A1 has no indicator", "output 1.1"}},
		{"outcome without output", func(fw *Framework) {
			fw.Results[2].Parent, fw.Results[2].Level = "", Output
			fw.Results[2].Parent = "O2"
			fw.Results = append(fw.Results, Result{Code: "O2", Level: Outcome, Parent: "G", Statement: "o2"})
			fw.Indicators = append(fw.Indicators, Indicator{Code: "O2.1", Result: "O2", Name: "x", Unit: Number, Target: chkF(1), DataSource: "a", CollectionMethod: "b"})
		}, "O1", SevWarning, []string{"outcome O1 has no output feeding it", "contributes_to"}},
		{"contributes_to feeds an outcome", func(fw *Framework) {
			fw.Results = append(fw.Results, Result{Code: "O2", Level: Outcome, Parent: "G", Statement: "o2"})
			fw.Results[2].ContributesTo = []string{"O2"}
			fw.Indicators = append(fw.Indicators, Indicator{Code: "O2.1", Result: "O2", Name: "x", Unit: Number, Target: chkF(1), DataSource: "a", CollectionMethod: "b"})
		}, "", "", nil},
		{"no baseline, level indicator", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline = Percent, nil
		}, "O1.1", SevWarning, []string{"O1.1 has no baseline", "baseline_date"}},
		{"no baseline, sum indicator counts as 0", func(fw *Framework) { fw.Indicators[1].Baseline = nil }, "", "", nil},
		{"no target", func(fw *Framework) { fw.Indicators[2].Target = nil }, "1.1.1", SevWarning, []string{"1.1.1 has no end-of-project target", "column target"}},
		{"no text target", func(fw *Framework) {
			fw.Indicators[2].Unit, fw.Indicators[2].Target, fw.Indicators[2].Baseline = Text, nil, nil
			fw.Indicators[2].BaselineText = "none"
		}, "1.1.1", SevWarning, []string{"1.1.1 has no end-of-project target"}},
		{"no data source", func(fw *Framework) { fw.Indicators[0].DataSource = "" }, "G.1", SevWarning, []string{"G.1 has no data source", "data_source"}},
		{"no collection method", func(fw *Framework) { fw.Indicators[0].CollectionMethod = " " }, "G.1", SevWarning, []string{"G.1 has no collection method", "collection_method"}},
		{"supporting measure needs no baseline or target", func(fw *Framework) {
			fw.Indicators = append(fw.Indicators, Indicator{Code: "s", Name: "s", Unit: Percent, DataSource: "a", CollectionMethod: "b"})
		}, "", "", nil},
		{"computed indicator needs no data source", func(fw *Framework) {
			fw.Indicators[2].Formula, fw.Indicators[2].DataSource, fw.Indicators[2].CollectionMethod = `2 * value("O1.1")`, "", ""
		}, "", "", nil},
		{"target below baseline for increase", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline, fw.Indicators[1].Target = Percent, chkF(40), chkF(30)
		}, "O1.1", SevError, []string{"should increase", "target (30%) is lower than its baseline (40%)", "direction"}},
		{"target above baseline for decrease", func(fw *Framework) {
			fw.Indicators[1].Direction = Decrease
		}, "O1.1", SevError, []string{"should decrease", "target (10) is higher than its baseline (0)"}},
		{"target equals baseline", func(fw *Framework) { fw.Indicators[1].Target = chkF(0) }, "O1.1", SevWarning, []string{"equal to its baseline", "maintain"}},
		{"maintain allows anything", func(fw *Framework) {
			fw.Indicators[1].Direction, fw.Indicators[1].Target = Maintain, chkF(0)
		}, "", "", nil},
		{"milestone after the project", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: Year(2023), Target: 3}}
		}, "1.1.1", SevError, []string{"milestone of indicator 1.1.1 for 2023", "outside the project (2020-01-01 to 2021-12-31)"}},
		{"milestone before the project", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: sem(2019, 2), Target: 3}}
		}, "1.1.1", SevError, []string{"2019S2", "outside the project"}},
		{"milestone due after the end", func(fw *Framework) {
			fw.Project.End = time.Date(2021, 8, 31, 0, 0, 0, 0, time.UTC)
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: sem(2021, 2), Target: 3}}
		}, "1.1.1", SevWarning, []string{"2021S2 is due 2021-12-31, after the project ends (2021-08-31)", "2021-07-01..2021-08-31"}},
		{"level milestones move down", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Target = Percent, chkF(80)
			fw.Milestones = []Milestone{
				{Indicator: "O1.1", Period: sem(2020, 2), Target: 50},
				{Indicator: "O1.1", Period: sem(2020, 1), Target: 60},
			}
		}, "O1.1", SevWarning, []string{"for 2020S2 (50%) is lower than the milestone for 2020S1 (60%)", "should increase"}},
		{"level milestone below baseline", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline, fw.Indicators[1].Target = Percent, chkF(20), chkF(80)
			fw.Milestones = []Milestone{{Indicator: "O1.1", Period: sem(2020, 2), Target: 10}}
		}, "O1.1", SevWarning, []string{"(10%) is lower than the baseline (20%)"}},
		{"level milestone beyond target", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Target = Percent, chkF(80)
			fw.Milestones = []Milestone{{Indicator: "O1.1", Period: sem(2021, 1), Target: 90}}
		}, "O1.1", SevWarning, []string{"end-of-project target (80%) lower than the milestone for 2021S1 (90%)"}},
		{"decrease milestones move up", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Direction = Percent, Decrease
			fw.Indicators[1].Baseline, fw.Indicators[1].Target = chkF(30), chkF(10)
			fw.Milestones = []Milestone{
				{Indicator: "O1.1", Period: sem(2020, 2), Target: 20},
				{Indicator: "O1.1", Period: sem(2021, 1), Target: 25},
			}
		}, "O1.1", SevWarning, []string{"(25%) is higher than the milestone for 2020S2 (20%)", "should decrease"}},
		{"disaggregated milestones compared among themselves", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline, fw.Indicators[1].Target = Percent, chkF(50), chkF(80)
			fw.Indicators[1].Disaggregations = []string{"sex"}
			fw.Milestones = []Milestone{
				{Indicator: "O1.1", Period: sem(2020, 2), Target: 40, Dims: Disagg{"sex": "female"}},
				{Indicator: "O1.1", Period: sem(2021, 1), Target: 35, Dims: Disagg{"sex": "female"}},
				{Indicator: "O1.1", Period: sem(2021, 1), Target: 90, Dims: Disagg{"sex": "male"}},
			}
		}, "O1.1", SevWarning, []string{"for 2021S1 (sex=female) (35%) is lower than the milestone for 2020S2 (40%)"}},
		{"yes/no milestone goes back to no", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline, fw.Indicators[1].Target = YesNo, chkF(0), chkF(1)
			fw.Milestones = []Milestone{
				{Indicator: "O1.1", Period: sem(2020, 2), Target: 1},
				{Indicator: "O1.1", Period: sem(2021, 1), Target: 0},
			}
		}, "O1.1", SevWarning, []string{"(no) is lower than the milestone for 2020S2 (yes)"}},
		{"negative share of a sum indicator", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: sem(2020, 2), Target: -2}}
		}, "1.1.1", SevWarning, []string{"negative (-2)"}},
		{"sum milestones may go down period to period", func(fw *Framework) {
			fw.Milestones = []Milestone{
				{Indicator: "1.1.1", Period: sem(2020, 2), Target: 6},
				{Indicator: "1.1.1", Period: sem(2021, 1), Target: 4},
			}
		}, "", "", nil},
		{"formula does not compile", func(fw *Framework) {
			fw.Indicators[2].Formula = `value("O1.1") +* 2`
		}, "1.1.1", SevError, []string{"indicator 1.1.1: column formula does not compile at 1:", `value(\"O1.1\") +* 2`, "fix the formula"}},
		{"unknown code in a formula", func(fw *Framework) {
			fw.Indicators[2].Formula = `value("O1.1") + value("9.9")`
		}, "1.1.1", SevError, []string{"refers to an unknown code at 1:", `"9.9"`, "Indicators sheet"}},
		{"status rule does not compile", func(fw *Framework) {
			fw.Indicators[0].StatusRule = `progress > 1 ? "great" : "on track"`
		}, "G.1", SevError, []string{"column status_rule", "great"}},
		{"project status rule does not compile", func(fw *Framework) {
			fw.Project.StatusRule = `progress >`
		}, "P", SevError, []string{"project P: column status_rule"}},
		{"rule check with unknown code", func(fw *Framework) {
			fw.Rules = []Rule{{Code: "R1", Check: `value("nope") > 0`, Severity: SevWarning}}
		}, "R1", SevError, []string{"rule R1: column check refers to an unknown code", "nope"}},
		{"cycle between formulas", func(fw *Framework) {
			fw.Indicators[1].Formula = `value("1.1.1") + 1`
			fw.Indicators[2].Formula = `value("O1.1") * 2`
		}, "O1.1", SevError, []string{"O1.1 is computed from itself through O1.1 -> 1.1.1 -> O1.1", "remove one"}},
		{"cycle through a numerator", func(fw *Framework) {
			fw.Indicators[1].Unit = Percent
			fw.Indicators[1].Numerator, fw.Indicators[1].Denominator = "O1.1", "1.1.1"
		}, "O1.1", SevError, []string{"O1.1 -> O1.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fw := lintBase()
			tt.edit(fw)
			got := withoutReadings(fw.Check())
			if tt.code == "" {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one finding, got %d: %v", len(got), got)
			}
			f := got[0]
			if f.Code != tt.code || f.Severity != tt.sev || f.Kind != "lint" {
				t.Errorf("got code %q severity %q kind %q, want %q %q lint", f.Code, f.Severity, f.Kind, tt.code, tt.sev)
			}
			for _, s := range tt.substr {
				if !strings.Contains(f.Message, s) {
					t.Errorf("message %q\n does not contain %q", f.Message, s)
				}
			}
			if !strings.Contains(f.Message, tt.code) {
				t.Errorf("message %q does not name %s", f.Message, tt.code)
			}
		})
	}
}

// TestCheckOrder: findings come in framework order (results, then each
// indicator with its milestones and formulas, then rules), whatever the
// order they were found in.
func TestCheckOrder(t *testing.T) {
	fw := lintBase()
	fw.Rules = []Rule{{Code: "R1", Check: `value("x") > 0`}}
	fw.Indicators[2].Formula = `value("y")`
	fw.Indicators[2].Target = nil
	fw.Indicators[0].DataSource = ""
	fw.Milestones = []Milestone{{Indicator: "G.1", Period: Year(2030), Target: 1}}
	fw.Results = append(fw.Results, Result{Code: "1.2", Level: Output, Parent: "O1", Statement: "q"})
	var got []string
	for _, f := range withoutReadings(fw.Check()) {
		got = append(got, f.Code+" "+string(f.Severity))
	}
	want := []string{"1.2 warning", "G.1 warning", "G.1 error", "1.1.1 warning", "1.1.1 error", "R1 error"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
}

func chkF(x float64) *float64 { return &x }

// withoutReadings leaves out the notes saying how milestones are read
// (TestCheckMilestoneReadings covers them).
func withoutReadings(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity == SevInfo && strings.Contains(f.Message, " are read as ") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// TestCheckMilestoneReadings: check says how a sum indicator's milestones
// are read, and asks the officer to say which when neither reading fits
// (SPEC 5).
func TestCheckMilestoneReadings(t *testing.T) {
	p := Project{Code: "SF", Title: "School feeding", Start: rpDate(2026, 1, 1), End: rpDate(2028, 12, 31)}
	mk := func(target float64, reading MilestoneReading, vals ...float64) *Framework {
		fw := &Framework{Project: p, Results: []Result{{Code: "O1", Level: Outcome, Statement: "o"}},
			Indicators: []Indicator{{Code: "K", Result: "O1", Name: "kitchens", Unit: Number, Baseline: chkF(0), Target: chkF(target),
				DataSource: "d", CollectionMethod: "c", Milestones: reading}}}
		for i, v := range vals {
			fw.Milestones = append(fw.Milestones, Milestone{Indicator: "K", Period: Year(2026 + i), Target: v})
		}
		return fw
	}
	find := func(fw *Framework, sev Severity) string {
		for _, f := range fw.Check() {
			if f.Code == "K" && f.Severity == sev && strings.Contains(f.Message, "milestones of indicator K") {
				return f.Message
			}
		}
		return ""
	}
	// 40, 90, 120 of 120: cumulative (never down, last = target)
	if got := find(mk(120, "", 40, 90, 120), SevInfo); got != "milestones of indicator K are read as cumulative (inferred: they never go down and the last, 120, equals the target)" {
		t.Errorf("cumulative: %q", got)
	}
	// 40 + 40 + 40 = 120: per period
	if got := find(mk(120, "", 40, 40, 40), SevInfo); !strings.Contains(got, "per period (inferred: they add up to the target, 120)") {
		t.Errorf("per period: %q", got)
	}
	// 40, 90, 100 of 120: neither (sum 230, last 100): an error saying where
	// and what to write
	fw := mk(120, "", 40, 90, 100)
	fw.Indicators[0].Loc = Loc{File: "logframe.xlsx", Sheet: "Indicators", Row: 7}
	got := find(fw, SevError)
	for _, w := range []string{"add up to 230 and the last is 100, neither equals the target 120", "column milestones of the Indicators sheet (Indicators row 7)", "cumulative", "per period"} {
		if !strings.Contains(got, w) {
			t.Errorf("neither: %q lacks %q", got, w)
		}
	}
	// said in the column: no error, and the direction check follows the
	// reading (cumulative 40, 30 goes down: a warning)
	if got := find(mk(120, MilestonesPerPeriod, 40, 90, 100), SevError); got != "" {
		t.Errorf("given: %q", got)
	}
	fw = mk(120, MilestonesCumulative, 40, 30, 120)
	warned := false
	for _, f := range fw.Check() {
		if f.Severity == SevWarning && strings.Contains(f.Message, "is lower than the milestone for 2026") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("cumulative milestones going down: no warning in %v", fw.Check())
	}
}

// TestCheckFrequencyFits: an annual frequency in a project shorter than any
// whole year owes nothing: a warning saying what to write.
func TestCheckFrequencyFits(t *testing.T) {
	fw := lintBase()
	fw.Project.Start, fw.Project.End = rpDate(2026, 3, 1), rpDate(2026, 11, 30)
	fw.Indicators[0].Frequency = "annual"
	var got []string
	for _, f := range withoutReadings(fw.Check()) {
		if strings.Contains(f.Message, "frequency") {
			got = append(got, f.Message)
		}
	}
	want := "has frequency annual, but no annual period lies wholly inside the project (2026-03-01 to 2026-11-30), so no figure is ever owed; use end, or a shorter frequency in column frequency"
	if len(got) != 1 || !strings.Contains(got[0], want) {
		t.Errorf("got %q", got)
	}
	fw.Indicators[0].Frequency = "quarterly" // 2026Q2 and 2026Q3 lie inside
	for _, f := range fw.Check() {
		if strings.Contains(f.Message, "no figure is ever owed") {
			t.Errorf("quarterly: %s", f.Message)
		}
	}
}
