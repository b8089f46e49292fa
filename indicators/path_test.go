package indicators

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The school-feeding project of issue 11: 3 years, 2026-01-01..2028-12-31,
// years starting in January (project year n = calendar year 2025+n).
func pathProject() Project {
	return Project{Code: "SF", Title: "School feeding", Start: rpDate(2026, 1, 1), End: rpDate(2028, 12, 31), Reporting: "quarterly"}
}

func pathMilestones(t *testing.T, p Project, code string, pairs ...any) []Milestone {
	t.Helper()
	var out []Milestone
	for i := 0; i+1 < len(pairs); i += 2 {
		per, err := p.Calendar().ParsePeriod(pairs[i].(string))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Milestone{Indicator: code, Period: per, Target: float64(pairs[i+1].(int))})
	}
	return out
}

func pnear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestExpectedPath works the expected path by hand (SPEC 5).
func TestExpectedPath(t *testing.T) {
	p := pathProject()
	d := rpDate
	kitchens := &Indicator{Code: "K", Unit: Number, Baseline: rpF(0), Target: rpF(120)}
	type at struct {
		day  time.Time
		want float64
	}
	tests := []struct {
		name string
		ind  *Indicator
		ms   []Milestone
		ats  []at
	}{
		{
			// "40 by the end of year 1, 90 by year 2, 120 by the end":
			// cumulative (never down, last = target). Points: (2025-12-31, 0),
			// (2026-12-31, 40), (2027-12-31, 90), (2028-12-31, 120).
			name: "cumulative yearly milestones",
			ind:  kitchens,
			ms:   pathMilestones(t, p, "K", "Year 1", 40, "PY2", 90, "2028", 120),
			ats: []at{
				// mid-year 1: 181 of 365 days from 2025-12-31 to 2026-06-30:
				// 40 x 181/365 = 19.8356...
				{d(2026, 6, 30), 40.0 * 181 / 365},
				// end of 2026Q1: 90 days: 40 x 90/365 = 9.863...
				{d(2026, 3, 31), 40.0 * 90 / 365},
				{d(2026, 12, 31), 40},
				// mid-year 2: 40 + 50 x 181/365 = 64.794...
				{d(2027, 6, 30), 40 + 50.0*181/365},
				{d(2028, 12, 31), 120},
				// before the project: the baseline; after: the target
				{d(2025, 6, 30), 0},
				{d(2029, 3, 31), 120},
			},
		},
		{
			// "10, 20, 30, 30, 30 water points a semester" over 2.5 years:
			// 120 in all = the target: per period. Cumulative points 10 at
			// 2026-06-30, 30 at 2026-12-31, 60 at 2027-06-30, 90 at
			// 2027-12-31, 120 at 2028-06-30, then the target 120 at the end.
			name: "per period semester milestones",
			ind:  &Indicator{Code: "W", Unit: Number, Target: rpF(120)},
			ms:   pathMilestones(t, p, "W", "2026S1", 10, "2026S2", 20, "2027S1", 30, "2027S2", 30, "2028S1", 30),
			ats: []at{
				// 2026Q1: 90 of the 181 days to 2026-06-30: 10 x 90/181
				{d(2026, 3, 31), 10.0 * 90 / 181},
				{d(2026, 6, 30), 10},
				// 2026Q3 ends 92 days after 2026-06-30, of 184 to 2026-12-31:
				// 10 + 20 x 92/184 = 20
				{d(2026, 9, 30), 20},
				{d(2027, 12, 31), 90},
				{d(2028, 9, 30), 120},
			},
		},
		{
			// No milestones: the straight line from baseline 10 to target 50
			// over 1,096 days (2026-2028, 2028 a leap year): at 2026-12-31,
			// 365 days: 10 + 40 x 365/1096 = the time elapsed.
			name: "no milestones: time elapsed",
			ind:  &Indicator{Code: "L", Unit: Percent, Baseline: rpF(10), Target: rpF(50)},
			ats:  []at{{d(2026, 12, 31), 10 + 40.0*365/1096}, {d(2028, 12, 31), 50}},
		},
		{
			// yes/no "yes by the end of year 1": steps, the last point due:
			// nothing (the baseline, no = 0) before 2026-12-31, yes after.
			name: "yes/no steps",
			ind:  &Indicator{Code: "Y", Unit: YesNo, Baseline: rpF(0), Target: rpF(1)},
			ms:   pathMilestones(t, p, "Y", "PY1", 1),
			ats:  []at{{d(2026, 12, 30), 0}, {d(2026, 12, 31), 1}, {d(2027, 6, 30), 1}},
		},
		{
			// path: steps on a number: 40 by PY1, 90 by PY2, 120 at the end;
			// mid-year 2 expects the last point due, 40.
			name: "number with path steps",
			ind:  &Indicator{Code: "S", Unit: Number, Target: rpF(120), Path: PathSteps},
			ms:   pathMilestones(t, p, "S", "PY1", 40, "PY2", 90, "PY3", 120),
			ats:  []at{{d(2026, 6, 30), 0}, {d(2027, 6, 30), 40}, {d(2027, 12, 31), 90}},
		},
		{
			// a level (aggregation last) with a decreasing target: baseline
			// 30%, milestone 20% by 2027 (a level), target 15%. Points
			// (2025-12-31, 30), (2027-12-31, 20), (2028-12-31, 15): 2027-06-30
			// is 546 of 730 days: 30 - 10 x 546/730; 2028-06-30 is 182 of the
			// 366 days of 2028: 20 - 5 x 182/366.
			name: "level, decreasing",
			ind:  &Indicator{Code: "D", Unit: Percent, Direction: Decrease, Baseline: rpF(30), Target: rpF(15)},
			ms:   pathMilestones(t, p, "D", "2027", 20),
			ats:  []at{{d(2027, 6, 30), 30 - 10.0*546/730}, {d(2028, 6, 30), 20 - 5.0*182/366}},
		},
	}
	for _, tc := range tests {
		path := PathOf(p, tc.ind, tc.ms, "")
		for _, a := range tc.ats {
			got, ok := path.At(a.day)
			if !ok || !pnear(got, a.want) {
				t.Errorf("%s: At(%s) = %v, %v; want %v", tc.name, a.day.Format(time.DateOnly), got, ok, a.want)
			}
		}
	}
	// expected = (expected value - baseline) / (target - baseline): the
	// kitchens at mid-year 1 expect 19.8356/120 = 0.1653.
	path := PathOf(p, kitchens, pathMilestones(t, p, "K", "PY1", 40, "PY2", 90, "PY3", 120), "")
	if s, ok := path.Share(d(2026, 6, 30)); !ok || !pnear(s, 40.0*181/365/120) {
		t.Errorf("kitchens share at mid-year 1 = %v, %v; want %v", s, ok, 40.0*181/365/120)
	}
	// the points print the periods as written: PY1, not 2026-01-01..2026-12-31
	var labels []string
	for _, pt := range path.Points {
		labels = append(labels, pt.Label)
	}
	if got := strings.Join(labels, " "); got != "baseline PY1 PY2 PY3" {
		// PY3 ends on the project's last day: the target replaces it
		if got != "baseline PY1 PY2 target" {
			t.Errorf("labels = %q", got)
		}
	}
	// neither milestones nor target: nothing expected
	if _, ok := PathOf(p, &Indicator{Code: "N", Unit: Number}, nil, "").At(d(2027, 1, 1)); ok {
		t.Error("a path without milestones and target expects something")
	}
	// the framework's ExpectedAt gives the same as the path
	fw := &Framework{Project: p, Indicators: []Indicator{*kitchens}, Milestones: pathMilestones(t, p, "K", "PY1", 40, "PY2", 90, "PY3", 120)}
	if v, ok := fw.ExpectedAt("K", d(2026, 6, 30)); !ok || !pnear(v, 40.0*181/365) {
		t.Errorf("ExpectedAt = %v, %v", v, ok)
	}
}

// TestMilestoneUse: the reading of milestones (SPEC 5), given or inferred.
func TestMilestoneUse(t *testing.T) {
	p := pathProject()
	sum := func(target float64) *Indicator { return &Indicator{Code: "X", Unit: Number, Target: rpF(target)} }
	tests := []struct {
		name string
		ind  *Indicator
		ms   []Milestone
		want string // MilestoneUse.String, or "unclear" prefix
	}{
		// 40 + 90 + 120 = 250 != 120; never down and the last (120) = target
		{"cumulative inferred", sum(120), pathMilestones(t, p, "X", "PY1", 40, "PY2", 90, "PY3", 120),
			"cumulative (inferred: they never go down and the last, 120, equals the target)"},
		// 10 + 20 + 30 + 30 + 30 = 120 = target
		{"per period inferred", sum(120), pathMilestones(t, p, "X", "2026S1", 10, "2026S2", 20, "2027S1", 30, "2027S2", 30, "2028S1", 30),
			"per period (inferred: they add up to the target, 120)"},
		// within 1%: 40 + 40 + 40.9... use 119 + 1% tolerance: 40+40+39 = 119, |119-120| = 1 <= 1.2
		{"per period within 1%", sum(120), pathMilestones(t, p, "X", "PY1", 40, "PY2", 40, "PY3", 39),
			"per period (inferred: they add up to the target, 120)"},
		// 40 + 90 + 100 = 230, last 100: neither
		{"neither", sum(120), pathMilestones(t, p, "X", "PY1", 40, "PY2", 90, "PY3", 100), "unclear"},
		// 40, 30, 120: goes down, sum 190: neither
		{"goes down", sum(120), pathMilestones(t, p, "X", "PY1", 40, "PY2", 30, "PY3", 120), "unclear"},
		{"given", &Indicator{Code: "X", Unit: Number, Target: rpF(120), Milestones: MilestonesPerPeriod},
			pathMilestones(t, p, "X", "PY1", 40, "PY2", 90, "PY3", 100), "per period (given)"},
		{"single", sum(120), pathMilestones(t, p, "X", "PY1", 40), "cumulative (inferred: a single milestone reads the same both ways)"},
		{"level", &Indicator{Code: "X", Unit: Percent, Target: rpF(80)}, pathMilestones(t, p, "X", "PY1", 40, "PY2", 60),
			"cumulative (levels: aggregation last)"},
		{"yes/no", &Indicator{Code: "X", Unit: YesNo, Target: rpF(1)}, pathMilestones(t, p, "X", "PY1", 1), "cumulative (levels: yes/no)"},
		{"none", sum(120), nil, "none"},
	}
	for _, tc := range tests {
		got := milestoneUse(tc.ind, tc.ms).String()
		if tc.want == "unclear" {
			if !strings.HasPrefix(got, "unclear: ") {
				t.Errorf("%s: %q, want unclear", tc.name, got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// the two readings give different paths: 40, 90, 120 per period is
	// 40, 130, 250 (given per period), cumulative 40, 90, 120.
	ms := pathMilestones(t, p, "X", "PY1", 40, "PY2", 90, "PY3", 120)
	per := &Indicator{Code: "X", Unit: Number, Target: rpF(250), Milestones: MilestonesPerPeriod}
	if v, _ := PathOf(p, per, ms, "").At(rpDate(2027, 12, 31)); v != 130 {
		t.Errorf("per period at end of PY2 = %v, want 130", v)
	}
	cum := &Indicator{Code: "X", Unit: Number, Target: rpF(120), Milestones: MilestonesCumulative}
	if v, _ := PathOf(p, cum, ms, "").At(rpDate(2027, 12, 31)); v != 90 {
		t.Errorf("cumulative at end of PY2 = %v, want 90", v)
	}
}

func TestParseMilestoneReadingAndPath(t *testing.T) {
	for in, want := range map[string]MilestoneReading{"": "", "Cumulative": MilestonesCumulative, "per period": MilestonesPerPeriod,
		"Per-period": MilestonesPerPeriod, "per year": MilestonesPerPeriod} {
		if got, err := ParseMilestoneReading(in); err != nil || got != want {
			t.Errorf("ParseMilestoneReading(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseMilestoneReading("sometimes"); err == nil || !strings.Contains(err.Error(), "expected cumulative or per period") {
		t.Errorf("bad word: %v", err)
	}
	for in, want := range map[string]PathShape{"": "", "line": PathLine, "Linear": PathLine, "steps": PathSteps, "Step": PathSteps} {
		if got, err := ParsePathShape(in); err != nil || got != want {
			t.Errorf("ParsePathShape(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParsePathShape("curve"); err == nil || !strings.Contains(err.Error(), "expected line or steps") {
		t.Errorf("bad word: %v", err)
	}
}

func TestCalendarLabel(t *testing.T) {
	c := Calendar{Start: rpDate(2019, 9, 1), YearStart: 9}
	for in, want := range map[string]string{"Year 1": "PY1", "PY2": "PY2", "2021": "2021", "2021S2": "2021S2",
		"2020-09-01..2021-02-28": "2020-09-01..2021-02-28", "2020-09-01..2021-08-31": "PY2"} {
		p, err := c.ParsePeriod(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Label(p); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
}
