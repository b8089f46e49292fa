package indicators

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// The hand-computed cases of the report. Unless a case says otherwise the
// project runs 2021-01-01..2022-12-31 (730 days), reported quarterly, so
// that the end of 2021Q4 is exactly half of the project time (365/730).

func rpDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func rpPeriod(t *testing.T, s string) Period {
	t.Helper()
	p, err := ParsePeriod(s)
	if err != nil {
		t.Fatalf("ParsePeriod(%q): %v", s, err)
	}
	return p
}

func rpF(v float64) *float64 { return &v }

// rpFramework is the two-year project with the given results (code:level
// or code:level:parent) and indicators.
func rpFramework(inds ...Indicator) *Framework {
	fw := &Framework{
		Project: Project{Code: "P", Title: "Test project", Start: rpDate(2021, 1, 1), End: rpDate(2022, 12, 31), Reporting: "quarterly"},
		Results: []Result{
			{Code: "G", Level: Goal, Statement: "goal"},
			{Code: "O1", Level: Outcome, Parent: "G", Statement: "outcome"},
			{Code: "1.1", Level: Output, Parent: "O1", Statement: "output 1"},
			{Code: "1.2", Level: Output, Parent: "O1", Statement: "output 2"},
		},
		Dimensions: []Dimension{{Name: "sex", Values: []string{"female", "male"}}, {Name: "province", Values: []string{"North", "South", "East"}}},
	}
	for _, ind := range inds {
		if ind.Result == "-" {
			ind.Result = ""
		} else if ind.Result == "" {
			ind.Result = "1.1"
		}
		if ind.Unit == "" {
			ind.Unit = Number
		}
		if ind.Name == "" {
			ind.Name = "indicator " + ind.Code
		}
		fw.Indicators = append(fw.Indicators, ind)
	}
	return fw
}

type rpFig struct {
	code, period string
	v            float64
	dims         string
	num, den     *float64
	verified     Verified
}

func rpFigures(t *testing.T, fs ...rpFig) []Measurement {
	t.Helper()
	var out []Measurement
	for i, f := range fs {
		d, err := ParseDisagg(f.dims)
		if err != nil {
			t.Fatal(err)
		}
		m := Measurement{Indicator: f.code, Period: rpPeriod(t, f.period), Dims: d, Numerator: f.num, Denominator: f.den,
			Verified: f.verified, Loc: Loc{File: "data.xlsx", Sheet: "Data", Row: i + 2}}
		if f.num == nil {
			m.Value = rpF(f.v)
		}
		out = append(out, m)
	}
	return out
}

func rpBuild(t *testing.T, fw *Framework, figs []Measurement, period string) *Report {
	t.Helper()
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		t.Fatalf("Compile: %v", probs)
	}
	r, err := BuildReport(ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: rpPeriod(t, period)})
	if err != nil {
		t.Fatalf("BuildReport: %v", err)
	}
	// the report always marshals
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("json: %v", err)
	}
	return r
}

func rpInd(t *testing.T, r *Report, code string) *ReportIndicator {
	t.Helper()
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			if r.Results[i].Indicators[j].Code == code {
				return &r.Results[i].Indicators[j]
			}
		}
	}
	t.Fatalf("indicator %s not in the report", code)
	return nil
}

func rpRes(t *testing.T, r *Report, code string) *ReportResult {
	t.Helper()
	for i := range r.Results {
		if r.Results[i].Code == code {
			return &r.Results[i]
		}
	}
	t.Fatalf("result %s not in the report", code)
	return nil
}

func rpShow(p *float64) string {
	if p == nil {
		return "null"
	}
	return FormatNumber(*p)
}

// rpEq checks a number of the report (nil want means null).
func rpEq(t *testing.T, what string, got, want *float64) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil || math.Abs(*got-*want) > 1e-9*math.Max(1, math.Abs(*want)):
		t.Errorf("%s = %s, want %s", what, rpShow(got), rpShow(want))
	}
}

func rpFindings(r *Report, kind, code string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Kind == kind && (code == "" || f.Code == code) {
			out = append(out, f)
		}
	}
	return out
}

func TestReportAggregations(t *testing.T) {
	// Figures 10 (2021Q1), 30 (2021Q2), 20 (2021Q3) for each aggregation.
	// At 2021Q3: sum 10+30+20 = 60; last 20; max 30; min 10; mean 60/3 = 20.
	// At 2021Q2: sum 40; last 30; max 30; min 10; mean 40/2 = 20.
	// period_value is the figure of the period alone: 20 at Q3, 30 at Q2.
	aggs := []Aggregation{Sum, Last, Max, Min, Mean}
	var inds []Indicator
	var fs []rpFig
	for _, a := range aggs {
		inds = append(inds, Indicator{Code: string(a), Aggregation: a, Baseline: rpF(0), Target: rpF(100)})
		fs = append(fs, rpFig{code: string(a), period: "2021Q1", v: 10}, rpFig{code: string(a), period: "2021Q2", v: 30}, rpFig{code: string(a), period: "2021Q3", v: 20})
	}
	fw := rpFramework(inds...)
	figs := rpFigures(t, fs...)
	want := map[string]map[Aggregation][2]float64{ // actual, period_value
		"2021Q3": {Sum: {60, 20}, Last: {20, 20}, Max: {30, 20}, Min: {10, 20}, Mean: {20, 20}},
		"2021Q2": {Sum: {40, 30}, Last: {30, 30}, Max: {30, 30}, Min: {10, 30}, Mean: {20, 30}},
	}
	for period, ws := range want {
		r := rpBuild(t, fw, figs, period)
		for a, w := range ws {
			ind := rpInd(t, r, string(a))
			rpEq(t, period+" "+string(a)+" actual", ind.Actual, rpF(w[0]))
			rpEq(t, period+" "+string(a)+" period_value", ind.PeriodValue, rpF(w[1]))
		}
	}
	// the series of the sum indicator at 2021Q3: cumulative 10, 40, 60
	r := rpBuild(t, fw, figs, "2021Q3")
	ind := rpInd(t, r, "sum")
	if len(ind.Series) != 3 {
		t.Fatalf("series has %d points, want 3 (2021Q1..2021Q3): %+v", len(ind.Series), ind.Series)
	}
	for i, w := range []float64{10, 40, 60} {
		rpEq(t, "series "+ind.Series[i].Period, ind.Series[i].Actual, rpF(w))
	}
	if ind.Series[0].Period != "2021Q1" || ind.Series[2].Period != "2021Q3" {
		t.Errorf("series periods %s..%s, want 2021Q1..2021Q3", ind.Series[0].Period, ind.Series[2].Period)
	}
	// previous period 2021Q2, cumulative 40
	if r.Previous == nil || r.Previous.Code != "2021Q2" {
		t.Errorf("previous = %+v, want 2021Q2", r.Previous)
	}
	rpEq(t, "previous_actual", ind.PreviousActual, rpF(40))
	// sources: three rows of data.xlsx, sheet Data
	if len(ind.Sources) != 1 || ind.Sources[0].Figures != 3 || ind.Sources[0].File != "data.xlsx" {
		t.Errorf("sources = %+v", ind.Sources)
	}
}

func TestReportRatioOfSums(t *testing.T) {
	// 2021Q1: women 30 of 40, men 10 of 60. The total is a ratio of sums:
	// (30+10)/(40+60) = 40%; the average of the ratios would be
	// (75% + 16.67%)/2 = 45.83%, which is wrong.
	// 2021Q2: total 5 of 20 = 25%. Cumulative (aggregation not given, so a
	// ratio of sums over time): (40+5)/(100+20) = 37.5%; the average of the
	// period ratios would be (40+25)/2 = 32.5%.
	// The same numbers given as supporting measures N and D of indicator R
	// give the same results.
	fw := rpFramework(
		Indicator{Code: "P", Unit: Percent, Baseline: rpF(0), Target: rpF(80), Disaggregations: []string{"sex"}},
		Indicator{Code: "R", Unit: Percent, Baseline: rpF(0), Target: rpF(80), Disaggregations: []string{"sex"}, Numerator: "N", Denominator: "D"},
		Indicator{Code: "N", Result: "-", Disaggregations: []string{"sex"}},
		Indicator{Code: "D", Result: "-", Disaggregations: []string{"sex"}},
	)
	figs := rpFigures(t,
		rpFig{code: "P", period: "2021Q1", dims: "sex=female", num: rpF(30), den: rpF(40)},
		rpFig{code: "P", period: "2021Q1", dims: "sex=male", num: rpF(10), den: rpF(60)},
		rpFig{code: "P", period: "2021Q2", num: rpF(5), den: rpF(20)},
		rpFig{code: "N", period: "2021Q1", dims: "sex=female", v: 30},
		rpFig{code: "N", period: "2021Q1", dims: "sex=male", v: 10},
		rpFig{code: "D", period: "2021Q1", dims: "sex=female", v: 40},
		rpFig{code: "D", period: "2021Q1", dims: "sex=male", v: 60},
		rpFig{code: "N", period: "2021Q2", v: 5},
		rpFig{code: "D", period: "2021Q2", v: 20},
	)
	for _, code := range []string{"P", "R"} {
		r := rpBuild(t, fw, figs, "2021Q1")
		ind := rpInd(t, r, code)
		rpEq(t, code+" 2021Q1 actual", ind.Actual, rpF(40))
		if math.Abs(*ind.Actual-45.833333) < 0.01 {
			t.Errorf("%s: average of ratios", code)
		}
		rpEq(t, code+" numerator", ind.Numerator, rpF(40))
		rpEq(t, code+" denominator", ind.Denominator, rpF(100))
		if len(ind.Disaggregated) != 2 {
			t.Fatalf("%s disaggregated = %+v", code, ind.Disaggregated)
		}
		rpEq(t, code+" female", ind.Disaggregated[0].Actual, rpF(75))
		rpEq(t, code+" male", ind.Disaggregated[1].Actual, rpF(100.0/6))

		r = rpBuild(t, fw, figs, "2021Q2")
		ind = rpInd(t, r, code)
		rpEq(t, code+" 2021Q2 actual", ind.Actual, rpF(37.5))
		rpEq(t, code+" 2021Q2 period_value", ind.PeriodValue, rpF(25))
		// by sex: women 30/40 cumulated (nothing by sex in Q2) = 75%
		rpEq(t, code+" 2021Q2 female", ind.Disaggregated[0].Actual, rpF(75))
		rpEq(t, code+" 2021Q2 female period", ind.Disaggregated[0].PeriodValue, nil)
	}
}

func TestReportTotalWinsOverBreakdown(t *testing.T) {
	// 2021Q1: total 100, women 60, men 50 (sum 110): the total 100 wins,
	// with a mismatch finding and a warning on the indicator.
	// 2021Q2: no total, women 10, men 15: the total is 25.
	// Cumulative at 2021Q2: 100 + 25 = 125; women 60 + 10 = 70.
	// 2021Q1 also gives sex x province for indicator B with no sex rows:
	// women = 1+2+3 = 6, men = 4+5+6 = 15, total = 21.
	fw := rpFramework(
		Indicator{Code: "A", Baseline: rpF(0), Target: rpF(500), Disaggregations: []string{"sex"}},
		Indicator{Code: "B", Baseline: rpF(0), Target: rpF(500), Disaggregations: []string{"sex", "province"}},
	)
	figs := rpFigures(t,
		rpFig{code: "A", period: "2021Q1", v: 100},
		rpFig{code: "A", period: "2021Q1", v: 60, dims: "sex=female"},
		rpFig{code: "A", period: "2021Q1", v: 50, dims: "sex=male"},
		rpFig{code: "A", period: "2021Q2", v: 10, dims: "sex=female"},
		rpFig{code: "A", period: "2021Q2", v: 15, dims: "sex=male"},
		rpFig{code: "B", period: "2021Q1", v: 1, dims: "sex=female; province=North"},
		rpFig{code: "B", period: "2021Q1", v: 2, dims: "sex=female; province=South"},
		rpFig{code: "B", period: "2021Q1", v: 3, dims: "sex=female; province=East"},
		rpFig{code: "B", period: "2021Q1", v: 4, dims: "sex=male; province=North"},
		rpFig{code: "B", period: "2021Q1", v: 5, dims: "sex=male; province=South"},
		rpFig{code: "B", period: "2021Q1", v: 6, dims: "sex=male; province=East"},
	)
	r := rpBuild(t, fw, figs, "2021Q2")
	a := rpInd(t, r, "A")
	rpEq(t, "A actual", a.Actual, rpF(125))
	rpEq(t, "A period_value", a.PeriodValue, rpF(25))
	rpEq(t, "A female", a.Disaggregated[0].Actual, rpF(70))
	mm := rpFindings(r, "mismatch", "A")
	if len(mm) != 1 || mm[0].Period != "2021Q1" || mm[0].Severity != SevWarning || !strings.Contains(mm[0].Message, "100") || !strings.Contains(mm[0].Message, "110") {
		t.Errorf("mismatch findings = %+v", mm)
	}
	if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "does not match") {
		t.Errorf("A warnings = %q", a.Warnings)
	}
	b := rpInd(t, r, "B")
	rpEq(t, "B actual", b.Actual, rpF(21))
	rpEq(t, "B female", b.Disaggregated[0].Actual, rpF(6))
	rpEq(t, "B male", b.Disaggregated[1].Actual, rpF(15))
	rpEq(t, "B North", b.Disaggregated[2].Actual, rpF(5))
	if len(rpFindings(r, "mismatch", "B")) != 0 {
		t.Errorf("B has no total, so no mismatch")
	}
}

func TestReportMilestones(t *testing.T) {
	// S (sum): milestones 10 (2021Q1), 20 (2021Q2), 30 (2021Q4), target 60.
	//   At 2021Q2 the milestone is 10+20 = 30, expected 30/60 = 0.5; actual
	//   12+13 = 25, progress 25/60 = 0.4167 >= 0.85*0.5 = 0.425? no;
	//   >= 0.6*0.5 = 0.3: at risk. Next milestone 2021Q4: 60.
	// L (last, percent): baseline 20, milestones 40 (2021Q1), 50 (2021Q2),
	//   70 (2021Q4), target 80. At 2021Q2 the milestone is the latest due,
	//   50; expected (50-20)/(80-20) = 0.5; actual 47: progress 27/60 = 0.45
	//   >= 0.425: on track. Next milestone 2021Q4: 70.
	fw := rpFramework(
		Indicator{Code: "S", Baseline: rpF(0), Target: rpF(60)},
		Indicator{Code: "L", Unit: Percent, Baseline: rpF(20), Target: rpF(80)},
	)
	for _, m := range []struct {
		code, p string
		v       float64
	}{{"S", "2021Q1", 10}, {"S", "2021Q2", 20}, {"S", "2021Q4", 30}, {"L", "2021Q1", 40}, {"L", "2021Q2", 50}, {"L", "2021Q4", 70}} {
		fw.Milestones = append(fw.Milestones, Milestone{Indicator: m.code, Period: rpPeriod(t, m.p), Target: m.v})
	}
	figs := rpFigures(t, rpFig{code: "S", period: "2021Q1", v: 12}, rpFig{code: "S", period: "2021Q2", v: 13},
		rpFig{code: "L", period: "2021Q1", v: 35}, rpFig{code: "L", period: "2021Q2", v: 47})
	r := rpBuild(t, fw, figs, "2021Q2")
	s := rpInd(t, r, "S")
	rpEq(t, "S milestone", s.Milestone, rpF(30))
	rpEq(t, "S expected", s.Expected, rpF(0.5))
	rpEq(t, "S progress", s.Progress, rpF(25.0/60))
	if s.Status != StatusAtRisk {
		t.Errorf("S status %q, want at risk", s.Status)
	}
	if s.NextMilestone == nil || s.NextMilestone.Period != "2021Q4" || s.NextMilestone.Target != 60 {
		t.Errorf("S next milestone %+v, want 2021Q4 60", s.NextMilestone)
	}
	rpEq(t, "S series target 2021Q1", s.Series[0].Target, rpF(10))
	l := rpInd(t, r, "L")
	rpEq(t, "L milestone", l.Milestone, rpF(50))
	rpEq(t, "L expected", l.Expected, rpF(0.5))
	rpEq(t, "L progress", l.Progress, rpF(0.45))
	if l.Status != StatusOnTrack {
		t.Errorf("L status %q, want on track", l.Status)
	}
	if l.NextMilestone == nil || l.NextMilestone.Target != 70 {
		t.Errorf("L next milestone %+v, want 70", l.NextMilestone)
	}
	// before any milestone is due (none in 2020), expected is 0
	r = rpBuild(t, fw, figs, "2020Q4")
	rpEq(t, "S expected before milestones", rpInd(t, r, "S").Expected, rpF(0))
	if st := rpInd(t, r, "S").Status; st != StatusNotDue {
		t.Errorf("S before the project: %q, want not due", st)
	}
}

func TestReportDecrease(t *testing.T) {
	// Baseline 50, target 30 (decrease), last figure 40 at 2021Q4, when half
	// the project time has elapsed (365/730). progress = (40-50)/(30-50) =
	// 0.5, expected 0.5: on track. 45 would be progress 0.25 < 0.3 = 0.6 *
	// 0.5: off track.
	fw := rpFramework(
		Indicator{Code: "D", Direction: Decrease, Aggregation: Last, Baseline: rpF(50), Target: rpF(30)},
		Indicator{Code: "E", Direction: Decrease, Aggregation: Last, Baseline: rpF(50), Target: rpF(30)},
	)
	figs := rpFigures(t, rpFig{code: "D", period: "2021Q4", v: 40}, rpFig{code: "E", period: "2021Q4", v: 45})
	r := rpBuild(t, fw, figs, "2021Q4")
	if r.Elapsed != 0.5 {
		t.Errorf("elapsed %v, want 0.5", r.Elapsed)
	}
	d := rpInd(t, r, "D")
	rpEq(t, "progress", d.Progress, rpF(0.5))
	rpEq(t, "expected", d.Expected, rpF(0.5))
	if d.Status != StatusOnTrack {
		t.Errorf("D status %q, want on track", d.Status)
	}
	if e := rpInd(t, r, "E"); e.Status != StatusOffTrack {
		t.Errorf("E status %q, want off track", e.Status)
	}
}

func TestReportEndOnly(t *testing.T) {
	// Frequency end: nothing is expected before the end. At 2021Q4 with no
	// data: expected 0, not due (not off track). At 2022Q4 (the end) with no
	// data: expected 1 (all the time elapsed), no data.
	fw := rpFramework(Indicator{Code: "E", Unit: Percent, Baseline: rpF(0), Target: rpF(75), Frequency: "end"})
	r := rpBuild(t, fw, nil, "2021Q4")
	e := rpInd(t, r, "E")
	rpEq(t, "mid expected", e.Expected, rpF(0))
	if e.Status != StatusNotDue {
		t.Errorf("mid-term status %q, want not due", e.Status)
	}
	r = rpBuild(t, fw, nil, "2022Q4")
	e = rpInd(t, r, "E")
	rpEq(t, "end expected", e.Expected, rpF(1))
	if e.Status != StatusNoData {
		t.Errorf("end status %q, want no data", e.Status)
	}
	rpEq(t, "end actual", e.Actual, nil)
}

func TestReportStatusBoundaries(t *testing.T) {
	// Last-aggregated indicators, baseline 0, target 100, no milestones.
	// At 2022Q4 expected = 1: 85 -> on track (0.85 exactly), 84.99 -> at
	// risk, 60 -> at risk (0.6 exactly), 59.99 -> off track, 100 -> achieved,
	// 120 -> achieved.
	// At 2021Q4 expected = 0.5: 42.5 -> progress 0.425 = 0.85*0.5, on track;
	// 30 -> 0.3 = 0.6*0.5, at risk; 29.9 -> off track.
	cases := []struct {
		period string
		v      float64
		want   Status
	}{
		{"2022Q4", 85, StatusOnTrack}, {"2022Q4", 84.99, StatusAtRisk}, {"2022Q4", 60, StatusAtRisk},
		{"2022Q4", 59.99, StatusOffTrack}, {"2022Q4", 100, StatusAchieved}, {"2022Q4", 120, StatusAchieved},
		{"2021Q4", 42.5, StatusOnTrack}, {"2021Q4", 30, StatusAtRisk}, {"2021Q4", 29.9, StatusOffTrack},
	}
	for _, c := range cases {
		fw := rpFramework(Indicator{Code: "X", Aggregation: Last, Baseline: rpF(0), Target: rpF(100)})
		r := rpBuild(t, fw, rpFigures(t, rpFig{code: "X", period: c.period, v: c.v}), c.period)
		if got := rpInd(t, r, "X").Status; got != c.want {
			t.Errorf("%s actual %v: %q, want %q", c.period, c.v, got, c.want)
		}
	}
}

func TestReportRollup(t *testing.T) {
	// At 2022Q4 (expected 1, target 100, last):
	//   1.1: A1 = 90 on track, A2 end-only... at the end it is due, so use a
	//        milestone-free indicator with no figures: no data.
	//   1.2: B1 = 70 at risk.
	//   O1:  C1 = 100 achieved.
	// SPEC 5: O1's status comes from its own indicator first: C1 achieved;
	// its delivery is the worst below it (1.1 on track, 1.2 at risk; no
	// data ignored): at risk. G has no indicators: its status is its
	// children's worst, O1's achieved; its delivery the worst below: at
	// risk. Counts: on track 1, no data 1, at risk 1, achieved 1. A2 has no
	// figure although 2021Q1..2022Q4 were owed: no data.
	// At 2021Q4 a project where 1.2 has only a not-due indicator: 1.2 is not due.
	mk := func(code, res string) Indicator {
		return Indicator{Code: code, Result: res, Aggregation: Last, Baseline: rpF(0), Target: rpF(100)}
	}
	fw := rpFramework(mk("A1", "1.1"), mk("A2", "1.1"), mk("B1", "1.2"), mk("C1", "O1"))
	figs := rpFigures(t, rpFig{code: "A1", period: "2022Q4", v: 90}, rpFig{code: "B1", period: "2022Q4", v: 70}, rpFig{code: "C1", period: "2022Q4", v: 100})
	r := rpBuild(t, fw, figs, "2022Q4")
	if s := rpRes(t, r, "1.1"); s.Status != StatusOnTrack || s.StatusCounts[StatusOnTrack] != 1 || s.StatusCounts[StatusNoData] != 1 {
		t.Errorf("1.1: %q %v, want on track with 1 on track, 1 no data", s.Status, s.StatusCounts)
	}
	wantCounts := map[Status]int{StatusOnTrack: 1, StatusNoData: 1, StatusAtRisk: 1, StatusAchieved: 1}
	for _, code := range []string{"O1", "G"} {
		s := rpRes(t, r, code)
		if s.Status != StatusAchieved || s.Delivery != StatusAtRisk {
			t.Errorf("%s status %q delivery %q, want achieved, delivery at risk", code, s.Status, s.Delivery)
		}
		for st, n := range wantCounts {
			if s.StatusCounts[st] != n {
				t.Errorf("%s counts %v, want %v", code, s.StatusCounts, wantCounts)
				break
			}
		}
	}
	if r.StatusCounts[StatusAtRisk] != 1 || r.StatusCounts[StatusAchieved] != 1 {
		t.Errorf("report counts %v", r.StatusCounts)
	}
	if g := rpRes(t, r, "G"); g.Depth != 0 || rpRes(t, r, "1.1").Depth != 2 {
		t.Errorf("depths wrong")
	}
	// only not-due / no-data indicators
	fw = rpFramework(Indicator{Code: "E", Result: "1.2", Baseline: rpF(0), Target: rpF(10), Frequency: "end"},
		Indicator{Code: "F", Result: "1.1", Baseline: rpF(0), Target: rpF(10)})
	r = rpBuild(t, fw, nil, "2021Q4")
	if s := rpRes(t, r, "1.2").Status; s != StatusNotDue {
		t.Errorf("1.2 %q, want not due", s)
	}
	if s := rpRes(t, r, "1.1").Status; s != StatusNoData {
		t.Errorf("1.1 %q, want no data", s)
	}
	if s := rpRes(t, r, "O1").Status; s != StatusNoData {
		t.Errorf("O1 %q, want no data (no data below it)", s)
	}
}

func TestReportProjection(t *testing.T) {
	// 10 per quarter in 2021: cumulative 10, 20, 30, 40 at the ends of the
	// quarters, days 89, 180, 272, 364 after 2021-01-01. Least squares:
	// mean x 226.25, mean y 25, slope 4585/42044.75 = 0.1090505 per day;
	// at the project end (day 729): 25 + 0.1090505*(729-226.25) = 79.8251.
	// Target 80: not likely; target 75: likely.
	fw := rpFramework(Indicator{Code: "A", Baseline: rpF(0), Target: rpF(80)}, Indicator{Code: "B", Baseline: rpF(0), Target: rpF(75)})
	var fs []rpFig
	for _, q := range []string{"2021Q1", "2021Q2", "2021Q3", "2021Q4"} {
		fs = append(fs, rpFig{code: "A", period: q, v: 10}, rpFig{code: "B", period: q, v: 10})
	}
	r := rpBuild(t, fw, rpFigures(t, fs...), "2021Q4")
	a, b := rpInd(t, r, "A"), rpInd(t, r, "B")
	if a.Projection == nil || math.Abs(*a.Projection-79.8251) > 1e-3 {
		t.Errorf("projection %s, want 79.8251", rpShow(a.Projection))
	}
	if a.Likely == nil || *a.Likely {
		t.Errorf("A likely %v, want false", a.Likely)
	}
	if b.Likely == nil || !*b.Likely {
		t.Errorf("B likely %v, want true", b.Likely)
	}
	// one point only: no projection
	r = rpBuild(t, fw, rpFigures(t, fs...), "2021Q1")
	if p := rpInd(t, r, "A"); p.Projection != nil || p.Likely != nil {
		t.Errorf("one point: projection %s likely %v, want null", rpShow(p.Projection), p.Likely)
	}
}

func TestReportCustomWindow(t *testing.T) {
	// Monthly figures 1..6 for January..June 2021 of a sum indicator M, and
	// a computed C = 2 * value("M"). P = 2021-02-01..2021-05-31:
	// period_value(M) = 2+3+4+5 = 14, actual(M) = 1+...+5 = 15.
	// C is evaluated per slot: 2021-01 (Q1 cut where P starts),
	// 2021-02-01..2021-03-31 and 2021-04-01..2021-05-31 (Q2 cut where P
	// ends): 2, 10, 18; period_value 28, actual 30.
	// The previous period is the 4 months before: 2020-10-01..2021-01-31,
	// whose cumulative actual of M is 1.
	fw := rpFramework(Indicator{Code: "M", Baseline: rpF(0), Target: rpF(100)},
		Indicator{Code: "C", Baseline: rpF(0), Target: rpF(100), Formula: `2 * value("M")`})
	var fs []rpFig
	for m := 1; m <= 6; m++ {
		fs = append(fs, rpFig{code: "M", period: time.Date(2021, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), v: float64(m)})
	}
	r := rpBuild(t, fw, rpFigures(t, fs...), "2021-02-01..2021-05-31")
	if r.Period.Code != "2021-02-01..2021-05-31" || r.Period.Start != "2021-02-01" {
		t.Errorf("period %+v", r.Period)
	}
	m := rpInd(t, r, "M")
	rpEq(t, "M period_value", m.PeriodValue, rpF(14))
	rpEq(t, "M actual", m.Actual, rpF(15))
	rpEq(t, "M previous", m.PreviousActual, rpF(1))
	c := rpInd(t, r, "C")
	rpEq(t, "C period_value", c.PeriodValue, rpF(28))
	rpEq(t, "C actual", c.Actual, rpF(30))
	if r.Previous == nil || r.Previous.Code != "2020-10-01..2021-01-31" {
		t.Errorf("previous %+v", r.Previous)
	}
	var ps []string
	for _, s := range c.Series {
		ps = append(ps, s.Period)
	}
	if got := strings.Join(ps, " "); got != "2021-01 2021-02-01..2021-03-31 2021-04-01..2021-05-31" {
		t.Errorf("slots %s", got)
	}
}

func TestReportStatusRule(t *testing.T) {
	// Actual 55 of 100 at the end (expected 1): progress 0.55 is off track by
	// the default rule. X's own rule says on track from 0.5; the project rule
	// (at risk from 0.5) applies to Y; Z's rule compares with the milestone,
	// the expected value at the end (the target 100): at risk. W has no
	// target: its rule reads a variable without data (target) and the
	// default stands: no target.
	fw := rpFramework(
		Indicator{Code: "X", Aggregation: Last, Baseline: rpF(0), Target: rpF(100), StatusRule: `progress >= 0.5 ? "on track" : "off track"`},
		Indicator{Code: "Y", Aggregation: Last, Baseline: rpF(0), Target: rpF(100)},
		Indicator{Code: "Z", Aggregation: Last, Baseline: rpF(0), Target: rpF(100), StatusRule: `actual >= milestone ? "on track" : "at risk"`},
		Indicator{Code: "W", Aggregation: Last, Baseline: rpF(0), StatusRule: `actual >= target ? "achieved" : "off track"`},
	)
	fw.Project.StatusRule = `progress >= 0.5 ? "at risk" : "off track"`
	figs := rpFigures(t, rpFig{code: "X", period: "2022Q4", v: 55}, rpFig{code: "Y", period: "2022Q4", v: 55}, rpFig{code: "Z", period: "2022Q4", v: 55},
		rpFig{code: "W", period: "2022Q4", v: 55})
	r := rpBuild(t, fw, figs, "2022Q4")
	for code, want := range map[string]Status{"X": StatusOnTrack, "Y": StatusAtRisk, "Z": StatusAtRisk, "W": StatusNoTarget} {
		if got := rpInd(t, r, code).Status; got != want {
			t.Errorf("%s status %q, want %q", code, got, want)
		}
	}
}

func TestReportFormulaProblems(t *testing.T) {
	// Q = 100 * value("A") / value("B"). 2021Q1: A 3, B 0: division by zero,
	// no data and a formula finding. 2021Q2: A 3, B 4: 75. 2021Q3: A 1, B
	// missing: no data, a finding (A has data). 2021Q4: nothing: plain no data.
	// Per sex at 2021Q2: A women 1 of B women 2 = 50.
	// Rule R1 value("A") <= value("B") fails in 2021Q1 (3 > 0).
	fw := rpFramework(
		Indicator{Code: "Q", Unit: Percent, Baseline: rpF(0), Target: rpF(100), Formula: `100 * value("A") / value("B")`, Disaggregations: []string{"sex"}},
		Indicator{Code: "A", Result: "-", Disaggregations: []string{"sex"}},
		Indicator{Code: "B", Result: "-", Disaggregations: []string{"sex"}},
	)
	fw.Rules = []Rule{{Code: "R1", Check: `value("A") <= value("B")`, Severity: SevError, Message: "A above B"}}
	figs := rpFigures(t,
		rpFig{code: "A", period: "2021Q1", v: 3}, rpFig{code: "B", period: "2021Q1", v: 0},
		rpFig{code: "A", period: "2021Q2", v: 3}, rpFig{code: "B", period: "2021Q2", v: 4},
		rpFig{code: "A", period: "2021Q2", v: 1, dims: "sex=female"}, rpFig{code: "B", period: "2021Q2", v: 2, dims: "sex=female"},
		rpFig{code: "A", period: "2021Q3", v: 1, verified: VerifiedNo},
	)
	r := rpBuild(t, fw, figs, "2021Q1")
	q := rpInd(t, r, "Q")
	rpEq(t, "Q1 actual", q.Actual, nil)
	if f := rpFindings(r, "formula", "Q"); len(f) != 1 || !strings.Contains(f[0].Message, "division by zero") {
		t.Errorf("Q1 formula findings %+v", f)
	}
	if f := rpFindings(r, "rule", "R1"); len(f) != 1 || f[0].Period != "2021Q1" || f[0].Severity != SevError {
		t.Errorf("rule findings %+v", f)
	}
	r = rpBuild(t, fw, figs, "2021Q2")
	q = rpInd(t, r, "Q")
	rpEq(t, "Q2 period_value", q.PeriodValue, rpF(75))
	rpEq(t, "Q2 female", q.Disaggregated[0].PeriodValue, rpF(50))
	if f := rpFindings(r, "formula", "Q"); len(f) != 0 {
		t.Errorf("Q2 formula findings %+v", f)
	}
	r = rpBuild(t, fw, figs, "2021Q3")
	if f := rpFindings(r, "formula", "Q"); len(f) != 1 || !strings.Contains(f[0].Message, "B") {
		t.Errorf("Q3 formula findings %+v", f)
	}
	// the 2021Q3 figure, then how much of the actual rests on it
	if f := rpFindings(r, "unverified", "A"); len(f) != 2 || f[0].Period != "2021Q3" || !strings.Contains(f[1].Message, "counted up to the end of 2021Q3") {
		t.Errorf("unverified findings %+v", f)
	}
	if v := rpInd(t, r, "Q").Verified; v != "no" {
		t.Errorf("Q verified %q, want no (its only marked input figure is not verified)", v)
	}
	r = rpBuild(t, fw, figs, "2021Q4")
	if f := rpFindings(r, "formula", "Q"); len(f) != 0 {
		t.Errorf("Q4 (nothing reported) formula findings %+v", f)
	}
	rpEq(t, "Q4 period_value", rpInd(t, r, "Q").PeriodValue, nil)
}

func TestReportVerifiedAndFollowUp(t *testing.T) {
	fw := rpFramework(Indicator{Code: "A", Baseline: rpF(0), Target: rpF(10)}, Indicator{Code: "B", Baseline: rpF(0), Target: rpF(10)})
	figs := rpFigures(t, rpFig{code: "A", period: "2021Q1", v: 1, verified: VerifiedYes}, rpFig{code: "A", period: "2021Q2", v: 1, verified: Unverifiable},
		rpFig{code: "B", period: "2021Q1", v: 1, verified: VerifiedYes})
	comp, _ := fw.Compile()
	fu := &FollowUp{AsOf: "2021-06-30"}
	r, err := BuildReport(ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: rpPeriod(t, "2021Q2"), FollowUp: fu})
	if err != nil {
		t.Fatal(err)
	}
	if v := rpInd(t, r, "A").Verified; v != "partly" {
		t.Errorf("A verified %q, want partly", v)
	}
	if v := rpInd(t, r, "B").Verified; v != "yes" {
		t.Errorf("B verified %q, want yes", v)
	}
	// the 2021Q2 figure (1 of it), then the share: 1 of the 1 + 1 = 2 (50%)
	if f := rpFindings(r, "unverified", "A"); len(f) != 2 || !strings.Contains(f[0].Message, "unverifiable") || !strings.Contains(f[0].Message, "row 3") ||
		!strings.Contains(f[1].Message, "1 of the 2 counted up to the end of 2021Q2 (50%)") {
		t.Errorf("unverified %+v", f)
	}
	if r.FollowUp != fu {
		t.Errorf("follow-up not copied")
	}
	js, _ := json.Marshal(r)
	for _, k := range []string{`"recommendations"`, `"period_value"`, `"status_counts"`, `"findings"`, `"likely"`} {
		if !strings.Contains(string(js), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
	if _, err := BuildReport(ReportInput{Framework: fw}); err == nil {
		t.Errorf("no period: want an error")
	}
}

func TestReportRatioMeasuresAndLast(t *testing.T) {
	// R = N / D (percent): 2021Q1 N 2, D 0: division by zero, no data and a
	// finding. 2021Q2 N 3, D 4: period value 75; cumulative (2+3)/(0+4)
	// = 125 (a ratio of sums: the zero denominator of Q1 no longer matters).
	// L has figures 30/40 (75%) in Q1 and 10/60 (16.67%) in Q2 and an
	// explicit aggregation last: its actual is Q2's own ratio, 16.67; P,
	// the same figures without aggregation, is the ratio of sums 40/100.
	fw := rpFramework(
		Indicator{Code: "R", Unit: Percent, Baseline: rpF(0), Target: rpF(100), Numerator: "N", Denominator: "D"},
		Indicator{Code: "N", Result: "-"}, Indicator{Code: "D", Result: "-"},
		Indicator{Code: "L", Unit: Percent, Aggregation: Last, Baseline: rpF(0), Target: rpF(100)},
		Indicator{Code: "P", Unit: Percent, Baseline: rpF(0), Target: rpF(100)},
	)
	figs := rpFigures(t, rpFig{code: "N", period: "2021Q1", v: 2}, rpFig{code: "D", period: "2021Q1", v: 0},
		rpFig{code: "N", period: "2021Q2", v: 3}, rpFig{code: "D", period: "2021Q2", v: 4},
		rpFig{code: "L", period: "2021Q1", num: rpF(30), den: rpF(40)}, rpFig{code: "L", period: "2021Q2", num: rpF(10), den: rpF(60)},
		rpFig{code: "P", period: "2021Q1", num: rpF(30), den: rpF(40)}, rpFig{code: "P", period: "2021Q2", num: rpF(10), den: rpF(60)})
	r := rpBuild(t, fw, figs, "2021Q1")
	rpEq(t, "R Q1", rpInd(t, r, "R").Actual, nil)
	if f := rpFindings(r, "formula", "R"); len(f) != 1 || !strings.Contains(f[0].Message, "division by zero") {
		t.Errorf("R findings %+v", f)
	}
	r = rpBuild(t, fw, figs, "2021Q2")
	rpEq(t, "R Q2 period", rpInd(t, r, "R").PeriodValue, rpF(75))
	rpEq(t, "R Q2 actual", rpInd(t, r, "R").Actual, rpF(125))
	rpEq(t, "L last", rpInd(t, r, "L").Actual, rpF(100.0/6))
	rpEq(t, "P ratio of sums", rpInd(t, r, "P").Actual, rpF(40))
}

func TestReportFormulaFunctions(t *testing.T) {
	// A: 1 (2021Q1), 2 (2021Q2); baseline 10, target 100.
	// C1 = value("A") * 2: 2, 4 (sum: actual 6 at Q2).
	// C2 = cumulative("C1") + previous("A") + baseline("A") + target("A"),
	// aggregation last: Q1 has no previous period (no data); Q2 =
	// 6 + 1 + 10 + 100 = 117.
	fw := rpFramework(
		Indicator{Code: "A", Baseline: rpF(10), Target: rpF(100)},
		Indicator{Code: "C2", Aggregation: Last, Baseline: rpF(0), Target: rpF(200), Formula: `cumulative("C1") + previous("A") + baseline("A") + target("A")`},
		Indicator{Code: "C1", Baseline: rpF(0), Target: rpF(10), Formula: `value("A") * 2`},
	)
	figs := rpFigures(t, rpFig{code: "A", period: "2021Q1", v: 1}, rpFig{code: "A", period: "2021Q2", v: 2})
	r := rpBuild(t, fw, figs, "2021Q2")
	rpEq(t, "C1", rpInd(t, r, "C1").Actual, rpF(6))
	c2 := rpInd(t, r, "C2")
	rpEq(t, "C2", c2.Actual, rpF(117))
	rpEq(t, "C2 Q1", c2.Series[0].PeriodValue, nil)
	if !c2.Computed || c2.Formula == "" || len(c2.Sources) != 1 || c2.Sources[0].Figures != 2 {
		t.Errorf("C2 computed %v formula %q sources %+v", c2.Computed, c2.Formula, c2.Sources)
	}
}

func TestReportYesNo(t *testing.T) {
	// Y (yes/no, last): no (0) in 2021Q1, yes (1) in 2021Q2; milestone yes by
	// 2021Q2. At Q1 nothing is due yet (expected 0): progress 0 is on track.
	// At Q2 progress 1: achieved.
	fw := rpFramework(Indicator{Code: "Y", Unit: YesNo, Baseline: rpF(0), Target: rpF(1)})
	fw.Milestones = []Milestone{{Indicator: "Y", Period: rpPeriod(t, "2021Q2"), Target: 1}}
	figs := rpFigures(t, rpFig{code: "Y", period: "2021Q1", v: 0}, rpFig{code: "Y", period: "2021Q2", v: 1})
	if s := rpInd(t, rpBuild(t, fw, figs, "2021Q1"), "Y").Status; s != StatusOnTrack {
		t.Errorf("Q1 %q, want on track", s)
	}
	y := rpInd(t, rpBuild(t, fw, figs, "2021Q2"), "Y")
	if y.Status != StatusAchieved || y.Projection != nil {
		t.Errorf("Q2 %q projection %v, want achieved and no projection", y.Status, y.Projection)
	}
}

func TestReportCoarserFigures(t *testing.T) {
	// A is reported for the year 2021 (40) in a quarterly project; C =
	// value("A") / 4. The annual figure belongs to the slot it ends in,
	// 2021Q4: C is 10 there and no data in 2021Q3. A's own period_value at
	// 2021Q4 is null (the year does not lie inside the quarter) while its
	// cumulative actual is 40.
	fw := rpFramework(Indicator{Code: "A", Baseline: rpF(0), Target: rpF(100)},
		Indicator{Code: "C", Baseline: rpF(0), Target: rpF(100), Formula: `value("A") / 4`})
	figs := rpFigures(t, rpFig{code: "A", period: "2021", v: 40})
	r := rpBuild(t, fw, figs, "2021Q4")
	rpEq(t, "C", rpInd(t, r, "C").PeriodValue, rpF(10))
	rpEq(t, "A period_value", rpInd(t, r, "A").PeriodValue, nil)
	rpEq(t, "A actual", rpInd(t, r, "A").Actual, rpF(40))
	r = rpBuild(t, fw, figs, "2021Q3")
	rpEq(t, "C at Q3", rpInd(t, r, "C").Actual, nil)
	if f := rpFindings(r, "formula", "C"); len(f) != 0 {
		t.Errorf("nothing reported yet is not a formula problem: %+v", f)
	}
}
