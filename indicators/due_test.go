package indicators

import (
	"strings"
	"testing"
)

// sfFramework is the school-feeding project (2026-01-01..2028-12-31,
// quarterly) with the given indicators under output 1.1 unless they say.
func sfFramework(t *testing.T, inds []Indicator, ms ...any) *Framework {
	t.Helper()
	fw := &Framework{
		Project: Project{Code: "SF", Title: "School feeding", Start: rpDate(2026, 1, 1), End: rpDate(2028, 12, 31), Reporting: "quarterly"},
		Results: []Result{{Code: "O1", Level: Outcome, Statement: "o"}, {Code: "1.1", Level: Output, Parent: "O1", Statement: "a"},
			{Code: "1.2", Level: Output, Parent: "O1", Statement: "b"}},
	}
	for _, ind := range inds {
		if ind.Result == "" {
			ind.Result = "1.1"
		}
		if ind.Unit == "" {
			ind.Unit = Number
		}
		fw.Indicators = append(fw.Indicators, ind)
	}
	for i := 0; i+2 < len(ms)+1; i += 3 {
		p, err := fw.Project.Calendar().ParsePeriod(ms[i+1].(string))
		if err != nil {
			t.Fatal(err)
		}
		m := Milestone{Indicator: ms[i].(string), Period: p}
		switch v := ms[i+2].(type) {
		case int:
			m.Target = float64(v)
		case string:
			m.TargetText = v
		}
		fw.Milestones = append(fw.Milestones, m)
	}
	return fw
}

// TestReportDue works the missing reports, not due and no data by hand
// (SPEC 5 "What is due").
func TestReportDue(t *testing.T) {
	fw := sfFramework(t, []Indicator{
		// quarterly (the project's reporting): 2026Q1 came, 2026Q2 did not
		{Code: "K", Target: rpF(120), Responsible: "Partner B"},
		// semiannual: 2026S1 owed by 2026-06-30, never came: no data
		{Code: "S", Target: rpF(10), Frequency: "semiannual", Responsible: "Partner A"},
		// annual: 2026 not owed before 2026-12-31: not due
		{Code: "Y", Target: rpF(10), Frequency: "annual", Responsible: "Partner A"},
		// end of project: not due
		{Code: "E", Unit: Percent, Target: rpF(75), Frequency: "end"},
		// monthly: reported for January only; Feb..Jun missing (5)
		{Code: "M", Target: rpF(100), Frequency: "monthly", Responsible: "Partner C"},
	})
	figs := rpFigures(t, rpFig{code: "K", period: "2026Q1", v: 8}, rpFig{code: "M", period: "2026-01", v: 3})
	r := rpBuild(t, fw, figs, "2026Q2")
	want := map[string]Status{"K": "", "S": StatusNoData, "Y": StatusNotDue, "E": StatusNotDue, "M": ""}
	for code, st := range want {
		if st != "" && rpInd(t, r, code).Status != st {
			t.Errorf("%s status %q, want %q", code, rpInd(t, r, code).Status, st)
		}
	}
	var got []string
	for _, m := range r.Missing {
		got = append(got, m.Indicator+" "+m.Period+" "+m.Responsible)
	}
	wantMissing := "K 2026Q2 Partner B|S 2026S1 Partner A|M 2026-02 Partner C|M 2026-03 Partner C|M 2026-04 Partner C|M 2026-05 Partner C|M 2026-06 Partner C"
	if strings.Join(got, "|") != wantMissing {
		t.Errorf("missing:\n got %s\nwant %s", strings.Join(got, "|"), wantMissing)
	}
	// K's own quarter is missing: "what changed" must not say no change
	if k := rpInd(t, r, "K"); strings.Join(k.PeriodMissing, ",") != "2026Q2" || strings.Join(k.Missing, ",") != "2026Q2" {
		t.Errorf("K missing %v, period missing %v", k.Missing, k.PeriodMissing)
	}
	// each missing figure is a finding naming indicator, period and party
	n := 0
	for _, f := range r.Findings {
		if f.Kind == "missing" {
			n++
			if f.Code == "K" && f.Message != "no figure for 2026Q2 (owed by 2026-06-30, responsible: Partner B)" {
				t.Errorf("K finding %q", f.Message)
			}
		}
	}
	if n != 7 {
		t.Errorf("%d missing findings, want 7", n)
	}
	// at 2026-01 (a month) no quarter has ended: K not due; M's January came
	r = rpBuild(t, fw, figs, "2026-01")
	if len(r.Missing) != 0 || rpInd(t, r, "K").Status != StatusNotDue {
		t.Errorf("2026-01: missing %v, K %q", r.Missing, rpInd(t, r, "K").Status)
	}
	// the annual figure is owed once 2026 ends; a figure for the year answers it
	r = rpBuild(t, fw, rpFigures(t, rpFig{code: "Y", period: "2026", v: 2}), "2026Q4")
	for _, m := range r.Missing {
		if m.Indicator == "Y" {
			t.Errorf("Y missing %v although 2026 came", m)
		}
	}
}

// TestReportStatusesSPEC5 works the new statuses and the two milestone
// readings through BuildReport (SPEC 5).
func TestReportStatusesSPEC5(t *testing.T) {
	fw := sfFramework(t, []Indicator{
		// cumulative 40, 90, 120 (inferred)
		{Code: "C", Target: rpF(120)},
		// per period 40, 40, 40 (inferred: they add up to 120)
		{Code: "P", Target: rpF(120)},
		// no end target: its figures are shown, status no target
		{Code: "N"},
		// text without status rule: reported unless it equals the target
		{Code: "T", Unit: Text, TargetText: "adopted"},
		{Code: "U", Unit: Text, TargetText: "adopted"},
		// yes/no, yes by the end of year 1: steps
		{Code: "Y", Unit: YesNo, Baseline: rpF(0), Target: rpF(1)},
	}, "C", "PY1", 40, "C", "PY2", 90, "C", "PY3", 120,
		"P", "PY1", 40, "P", "PY2", 40, "P", "PY3", 40,
		"Y", "PY1", 1, "T", "PY1", "drafted", "T", "PY3", "adopted")
	figs := rpFigures(t, rpFig{code: "C", period: "2027Q2", v: 60}, rpFig{code: "P", period: "2027Q2", v: 60},
		rpFig{code: "N", period: "2027Q2", v: 5}, rpFig{code: "Y", period: "2027Q2", v: 0})
	figs = append(figs, Measurement{Indicator: "T", Period: rpPeriod(t, "2027Q2"), Text: "drafted"},
		Measurement{Indicator: "U", Period: rpPeriod(t, "2027Q2"), Text: "Adopted"})
	r := rpBuild(t, fw, figs, "2027Q2")
	// End of 2027Q2 = 2027-06-30, 181 days after 2026-12-31 (of 365 to
	// 2027-12-31).
	// C cumulative: 40 + 50 x 181/365 = 64.79; expected 0.5399; progress
	// 60/120 = 0.5 >= 0.85 x 0.5399: on track.
	c := rpInd(t, r, "C")
	rpEq(t, "C milestone", c.Milestone, rpF(40+50*181.0/365))
	if c.Status != StatusOnTrack || c.MilestoneReading != "cumulative" {
		t.Errorf("C %q %q", c.Status, c.MilestoneReading)
	}
	// P per period: 40 by PY1, 80 by PY2: 40 + 40 x 181/365 = 59.84;
	// progress 0.5 >= 0.85 x 0.4986: on track.
	p := rpInd(t, r, "P")
	rpEq(t, "P milestone", p.Milestone, rpF(40+40*181.0/365))
	if p.Status != StatusOnTrack || p.MilestoneReading != "per period" {
		t.Errorf("P %q %q", p.Status, p.MilestoneReading)
	}
	// next milestones on the same footing: C 90 by PY2, P 80 by PY2
	if c.NextMilestone == nil || c.NextMilestone.Period != "PY2" || c.NextMilestone.Target != 90 {
		t.Errorf("C next %+v", c.NextMilestone)
	}
	if p.NextMilestone == nil || p.NextMilestone.Target != 80 {
		t.Errorf("P next %+v", p.NextMilestone)
	}
	// N: figures shown, no progress, no target
	n := rpInd(t, r, "N")
	rpEq(t, "N actual", n.Actual, rpF(5))
	if n.Status != StatusNoTarget || n.Progress != nil || n.Expected != nil {
		t.Errorf("N %q progress %v expected %v", n.Status, n.Progress, n.Expected)
	}
	if s := rpInd(t, r, "T").Status; s != StatusReported {
		t.Errorf("T %q, want reported", s)
	}
	// the stage due by the end of 2027Q2: drafted (PY1), not yet adopted (PY3)
	if m := rpInd(t, r, "T").MilestoneText; m != "drafted" {
		t.Errorf("T milestone text %q, want drafted", m)
	}
	if s := rpInd(t, r, "U").Status; s != StatusAchieved {
		t.Errorf("U %q, want achieved (the text equals the target)", s)
	}
	// Y: yes was due by 2026-12-31 (steps): expected 1, actual no: off track
	y := rpInd(t, r, "Y")
	rpEq(t, "Y expected", y.Expected, rpF(1))
	if y.Status != StatusOffTrack {
		t.Errorf("Y %q", y.Status)
	}
	// before the end of year 1 the yes/no expects nothing: at 2026Q2
	// expected 0
	r = rpBuild(t, fw, rpFigures(t, rpFig{code: "Y", period: "2026Q2", v: 0}), "2026Q2")
	rpEq(t, "Y expected at 2026Q2", rpInd(t, r, "Y").Expected, rpF(0))
}

// TestResultStatusVersusDelivery: a result's status comes from its own
// indicators first, its delivery is the worst below (SPEC 5).
func TestResultStatusVersusDelivery(t *testing.T) {
	fw := sfFramework(t, []Indicator{
		// O1's own indicator: 60 of 100 by a target at the end, no
		// milestones; at 2027Q2 (546 of 1,096 days) expected 0.4982:
		// progress 0.6: on track
		{Code: "O", Result: "O1", Target: rpF(100)},
		// output 1.1: 10 of 100: 0.1 < 0.6 x 0.4982: off track
		{Code: "A", Target: rpF(100)},
		// output 1.2: no target: no target (not a performance status)
		{Code: "B", Result: "1.2"},
	})
	figs := rpFigures(t, rpFig{code: "O", period: "2027Q2", v: 60}, rpFig{code: "A", period: "2027Q2", v: 10},
		rpFig{code: "B", period: "2027Q2", v: 1})
	// figures for every earlier quarter too, so that nothing is missing
	for _, q := range []string{"2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1"} {
		figs = append(figs, rpFigures(t, rpFig{code: "O", period: q, v: 0}, rpFig{code: "A", period: q, v: 0}, rpFig{code: "B", period: q, v: 0})...)
	}
	r := rpBuild(t, fw, figs, "2027Q2")
	for code, want := range map[string][2]Status{
		"O1":  {StatusOnTrack, StatusOffTrack},
		"1.1": {StatusOffTrack, ""},
		"1.2": {StatusNoTarget, ""},
	} {
		res := rpRes(t, r, code)
		if res.Status != want[0] || res.Delivery != want[1] {
			t.Errorf("%s: status %q delivery %q, want %q %q", code, res.Status, res.Delivery, want[0], want[1])
		}
	}
	if c := rpRes(t, r, "O1").StatusCounts; c[StatusOnTrack] != 1 || c[StatusOffTrack] != 1 || c[StatusNoTarget] != 1 {
		t.Errorf("O1 counts %v", c)
	}
	if len(r.Missing) != 0 {
		t.Errorf("missing %v", r.Missing)
	}
}

// TestDisaggMilestone: a disaggregation's milestone. Project 2021-2022.
// A percent level by sex with sex=female 80 by 2022S1: nothing expected
// for women at 2021Q4 (not due, no baseline of their own), 80 at 2022Q2.
// A sum by sex with sex=female 10 by 2021S1 and 20 by 2021S2 (per period,
// given): from 0 at the start, 10 by 2021-06-30, 30 by 2021-12-31: at
// 2021Q3 (92 of 184 days after 2021-06-30) 10 + 20 x 92/184 = 20.
func TestDisaggMilestone(t *testing.T) {
	fw := rpFramework(
		Indicator{Code: "L", Unit: Percent, Baseline: rpF(0), Target: rpF(80), Disaggregations: []string{"sex"}},
		Indicator{Code: "S", Target: rpF(60), Disaggregations: []string{"sex"}, Milestones: MilestonesPerPeriod},
	)
	f := Disagg{"sex": "female"}
	fw.Milestones = []Milestone{
		{Indicator: "L", Period: Semester(2022, 1), Target: 80, Dims: f},
		{Indicator: "S", Period: Semester(2021, 1), Target: 10, Dims: f},
		{Indicator: "S", Period: Semester(2021, 2), Target: 20, Dims: f},
	}
	female := func(r *Report, code string) *float64 {
		for _, d := range rpInd(t, r, code).Disaggregated {
			if d.Dims["sex"] == "female" {
				return d.Milestone
			}
		}
		return nil
	}
	figs := rpFigures(t, rpFig{code: "L", period: "2021Q3", v: 50, dims: "sex=female"}, rpFig{code: "S", period: "2021Q3", v: 5, dims: "sex=female"})
	rpEq(t, "L female 2021Q4", female(rpBuild(t, fw, figs, "2021Q4"), "L"), nil)
	rpEq(t, "L female 2022Q2", female(rpBuild(t, fw, figs, "2022Q2"), "L"), rpF(80))
	rpEq(t, "S female 2021Q3", female(rpBuild(t, fw, figs, "2021Q3"), "S"), rpF(20))
}

func TestParseFrequency(t *testing.T) {
	for in, want := range map[string]PeriodKind{"Quarterly": KindQuarter, "semi-annual": KindSemester, "Bi-annually": KindSemester,
		"every 6 months": KindSemester, "Annual": KindYear, "monthly": KindMonth, "": KindRange} {
		if k, end, err := ParseFrequency(in); err != nil || end || k != want {
			t.Errorf("ParseFrequency(%q) = %v, %v, %v", in, k, end, err)
		}
	}
	if _, end, err := ParseFrequency("End of project"); err != nil || !end {
		t.Errorf("end of project: %v %v", end, err)
	}
	if _, _, err := ParseFrequency("weekly"); err == nil || !strings.Contains(err.Error(), "expected monthly, quarterly, semiannual, annual or end") {
		t.Errorf("weekly: %v", err)
	}
}

// TestComputedIndicatorsAreNotMissingReports: an indicator computed from
// other results' indicators is not a report anyone sends; its inputs are
// owed and listed, it is not (it was listed under the M&E officer as well,
// next to the partner who owes the inputs). Computed from supporting
// measures (no result of their own), it stands for them and is listed.
func TestComputedIndicatorsAreNotMissingReports(t *testing.T) {
	fw := sfFramework(t, []Indicator{
		{Code: "N", Target: rpF(20), Responsible: "Partner A"},                                                                    // NGOs funded
		{Code: "S", Target: rpF(1000), Responsible: "Partner A"},                                                                  // migrants served
		{Code: "P", Target: rpF(50), Aggregation: Last, Formula: `cumulative("S") / cumulative("N")`, Responsible: "M&E officer"}, // served per NGO
		{Code: "R", Unit: Percent, Target: rpF(80), Numerator: "Rn", Denominator: "Rd", Responsible: "Partner B"},
		{Code: "Rn", Result: "-"}, {Code: "Rd", Result: "-"},
	})
	for i := range fw.Indicators { // supporting measures have no result
		if fw.Indicators[i].Result == "-" {
			fw.Indicators[i].Result = ""
		}
	}
	// 2026Q1: N and S came; 2026Q2: nothing came.
	figs := rpFigures(t, rpFig{code: "N", period: "2026Q1", v: 4}, rpFig{code: "S", period: "2026Q1", v: 120})
	r := rpBuild(t, fw, figs, "2026Q2")
	var got []string
	for _, m := range r.Missing {
		got = append(got, m.Indicator+" "+m.Period+" "+m.Responsible)
	}
	// P is not listed (N and S are, for 2026Q2); R stands for Rn and Rd,
	// which never came (2026Q1 and 2026Q2).
	want := "N 2026Q2 Partner A|S 2026Q2 Partner A|R 2026Q1 Partner B|R 2026Q2 Partner B"
	if strings.Join(got, "|") != want {
		t.Errorf("missing:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	p := rpInd(t, r, "P")
	if len(p.Missing) != 0 || len(p.PeriodMissing) != 0 {
		t.Errorf("P (computed) missing %v, period missing %v", p.Missing, p.PeriodMissing)
	}
	// P still has its value from 2026Q1's inputs: 120 / 4 = 30.
	if p.Actual == nil || *p.Actual != 30 {
		t.Errorf("P actual %v, want 30", fval(p.Actual))
	}
	for _, d := range p.Due {
		if !d.Computed || d.Missing() {
			t.Errorf("P due item %+v: want computed, never missing", d)
		}
	}
}

func fval(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
