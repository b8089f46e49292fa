package indicators

import (
	"strings"
	"testing"
)

// Regression tests from the hand check of the report numbers (qa-numbers).
// Every figure below is worked out by hand in the comments.

// TestReportWindowPeriodValue: the value of a report period alone counts the
// figures that END in the period and are not longer than it, so that quarter
// figures that start before a custom window or a project year (September to
// August, while partners report calendar quarters) are not lost between the
// previous period and this one. Before the fix the demo's PY2 report showed
// 3.3.1 with previous_actual null, period_value null and actual 17 (the 17
// NGOs funded in 2020Q3 = Jul-Sep 2020 were in neither period), and 3.1.1
// with 29,500 + 59,500 != 109,500.
func TestReportWindowPeriodValue(t *testing.T) {
	// Project 2021-01-01..2022-12-31, quarterly. A is a sum indicator by sex,
	// B a level (aggregation last), R a percent from its own numerator and
	// denominator.
	fw := rpFramework(
		Indicator{Code: "A", Baseline: rpF(0), Target: rpF(200), Disaggregations: []string{"sex"}},
		Indicator{Code: "B", Baseline: rpF(0), Target: rpF(10), Aggregation: Last},
		Indicator{Code: "R", Unit: Percent, Baseline: rpF(0), Target: rpF(80)},
	)
	n1, d1, n3, d3 := 6.0, 10.0, 9.0, 10.0
	figs := rpFigures(t,
		rpFig{code: "A", period: "2021Q1", v: 4, dims: "sex=female"}, rpFig{code: "A", period: "2021Q1", v: 6, dims: "sex=male"},
		rpFig{code: "A", period: "2021Q2", v: 20},
		rpFig{code: "A", period: "2021Q3", v: 30},
		rpFig{code: "A", period: "2021Q4", v: 15, dims: "sex=female"}, rpFig{code: "A", period: "2021Q4", v: 25, dims: "sex=male"},
		rpFig{code: "B", period: "2021Q3", v: 5},
		rpFig{code: "R", period: "2021Q1", num: &n1, den: &d1},
		rpFig{code: "R", period: "2021Q3", num: &n3, den: &d3},
	)
	tests := []struct {
		period, code              string
		periodValue, prev, actual *float64
	}{
		// Window Mar-Aug 2021: Q1 (ends 31 March) and Q2 end in it: 10 + 20 = 30;
		// before it (to 28 Feb) nothing ended: null; cumulative 30.
		{"2021-03-01..2021-08-31", "A", rpF(30), nil, rpF(30)},
		// Window Sep 2021-Feb 2022: Q3 (Jul-Sep, ends 30 Sep) + Q4: 30 + 40 = 70;
		// previous window (Mar-Aug) cumulative: 30; actual 30 + 70 = 100.
		{"2021-09-01..2022-02-28", "A", rpF(70), rpF(30), rpF(100)},
		// The level B = 5 was measured in 2021Q3, which ends in the window.
		{"2021-09-01..2022-02-28", "B", rpF(5), nil, rpF(5)},
		// R in the window: only 2021Q3 ends in it: 100 x 9/10 = 90; the
		// cumulative is the ratio of sums 100 x (6+9)/(10+10) = 75.
		{"2021-09-01..2022-02-28", "R", rpF(90), rpF(60), rpF(75)},
		// Calendar periods are unchanged: 2021Q3 alone is 30; the year 2021 is
		// 10+20+30+40 = 100.
		{"2021Q3", "A", rpF(30), rpF(30), rpF(60)},
		{"2021", "A", rpF(100), nil, rpF(100)},
	}
	for _, tc := range tests {
		r := rpBuild(t, fw, figs, tc.period)
		ri := rpInd(t, r, tc.code)
		rpEq(t, tc.period+" "+tc.code+" period_value", ri.PeriodValue, tc.periodValue)
		rpEq(t, tc.period+" "+tc.code+" previous_actual", ri.PreviousActual, tc.prev)
		rpEq(t, tc.period+" "+tc.code+" actual", ri.Actual, tc.actual)
	}
	// Disaggregated period values follow the same rule: sex=female in the
	// window Sep 2021-Feb 2022 is only Q4's 15 (Q3 was given as a total).
	r := rpBuild(t, fw, figs, "2021-09-01..2022-02-28")
	var female *DisaggActual
	for i, d := range rpInd(t, r, "A").Disaggregated {
		if d.Dims["sex"] == "female" {
			female = &rpInd(t, r, "A").Disaggregated[i]
		}
	}
	if female == nil {
		t.Fatal("A has no sex=female line")
	}
	rpEq(t, "A sex=female period_value", female.PeriodValue, rpF(15))
	rpEq(t, "A sex=female actual", female.Actual, rpF(19)) // 4 + 15
}

// TestReportUnverifiedAmount: the data-quality findings say how much of the
// actual rests on figures that are not verified, the evaluators' "10,753
// migrants served could not be verified". Before, the findings only said
// "14 figures of 2020Q3 marked unverifiable" and no report showed 10,753.
func TestReportUnverifiedAmount(t *testing.T) {
	fw := rpFramework(Indicator{Code: "M", Baseline: rpF(0), Target: rpF(15000), Disaggregations: []string{"sex"}})
	figs := rpFigures(t,
		// 2021Q1: both cells unverifiable: 900 + 750 = 1,650 in all
		rpFig{code: "M", period: "2021Q1", v: 900, dims: "sex=female", verified: Unverifiable},
		rpFig{code: "M", period: "2021Q1", v: 750, dims: "sex=male", verified: Unverifiable},
		// 2021Q2: a total not verified: 9,103
		rpFig{code: "M", period: "2021Q2", v: 9103, verified: VerifiedNo},
		// 2021Q3: one cell verified, one unverifiable: the period is only
		// partly unverified, so no amount is claimed for it (count only)
		rpFig{code: "M", period: "2021Q3", v: 400, dims: "sex=female", verified: VerifiedYes},
		rpFig{code: "M", period: "2021Q3", v: 240, dims: "sex=male", verified: Unverifiable},
	)
	r := rpBuild(t, fw, figs, "2021Q3")
	// actual 1,650 + 9,103 + 640 = 11,393; unverified 1,650 + 9,103 = 10,753 = 94.4%
	want := []string{
		"2 figures of 2021Q1 marked unverifiable: 1,650 in all",
		"figure of 2021Q2 marked not verified: 9,103 in all",
		"figure of 2021Q3 marked unverifiable (",
		"10,753 of the 11,393 counted up to the end of 2021Q3 (94%) rest on figures not verified or unverifiable (2021Q1 to 2021Q2)",
	}
	got := rpFindings(r, "unverified", "M")
	if len(got) != len(want) {
		t.Fatalf("findings: got %d, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if !strings.Contains(got[i].Message, w) {
			t.Errorf("finding %d = %q, want it to contain %q", i, got[i].Message, w)
		}
	}
	if got[3].Period != "2021Q3" {
		t.Errorf("summary finding period = %q, want 2021Q3", got[3].Period)
	}
}

func TestGroupedNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {10753, "10,753"}, {-1234567.5, "-1,234,567.5"}, {71.43, "71.43"}} {
		if got := groupedNumber(tc.v); got != tc.want {
			t.Errorf("groupedNumber(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestGroupThousands(t *testing.T) {
	for in, want := range map[string]string{"": "", "0": "0", "-0": "-0", "123": "123", "1234": "1,234", "-123456": "-123,456",
		"1234567.125": "1,234,567.125", "12.": "12", "NaN": "NaN"} {
		if got := GroupThousands(in); got != want {
			t.Errorf("GroupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAddEfficiencySpendingCutOff: when the expenditure periods straddle the
// report's end, spending is known only to the end of the last period
// counted, and time is taken at that same day. The demo at 2021Q3 thus says
// "at 2021-08-31, 50.0% of the time, 27.7% of the operational budget spent"
// (the mid-term review's comparison), where it said 52.1% at 2021-09-30
// while September's spending was left out.
func TestAddEfficiencySpendingCutOff(t *testing.T) {
	fw := effFramework() // 2020-01-01..2023-12-31: 1,461 days; output 1.2 budget 2,000
	exp := []Expenditure{
		effExp(t, "1.2", "", CategoryOperational, "2020-09-01..2021-02-28", 100),
		effExp(t, "1.2", "", CategoryOperational, "2021-03-01..2021-08-31", 100),
		effExp(t, "1.2", "", CategoryOperational, "2021-09-01..2022-02-28", 500), // straddles 2021-09-30
	}
	r := &Report{Period: ReportPeriod{Code: "2021Q3", Start: "2021-07-01", End: "2021-09-30"},
		Elapsed: Elapsed(fw.Project.Period(), rpDate(2021, 9, 30)), Results: []ReportResult{{Code: "1.2", Level: Output}}}
	if err := AddEfficiency(r, fw, exp); err != nil {
		t.Fatal(err)
	}
	ef := r.Efficiency
	// 2020-01-01..2021-08-31 is 366 + 243 = 609 days: 609 / 1461 = 0.41684
	if ef.AsOf != "2021-08-31" || !near(ef.Elapsed, 609.0/1461) {
		t.Errorf("as_of %s elapsed %v, want 2021-08-31 and 609/1461", ef.AsOf, ef.Elapsed)
	}
	var b *ResultBudget
	for i := range ef.Results {
		if ef.Results[i].Code == "1.2" {
			b = &ef.Results[i].ResultBudget
		}
	}
	// spent 100 + 100 = 200 of 2,000 = 10%; gap 0.41684 - 0.1 = 0.31684 > 0.2
	if b == nil || b.Spent != 200 || b.Rate == nil || !near(*b.Rate, 0.1) || !near(*b.Gap, 609.0/1461-0.1) || !b.SpendingLags {
		t.Errorf("1.2 = %+v", b)
	}
	if len(ef.Warnings) != 2 || !strings.Contains(ef.Warnings[0], "1 expenditure rows (500 CHF)") ||
		!strings.Contains(ef.Warnings[1], "spending is known up to 2021-08-31: time elapsed is taken at that day (41.7%), not at 2021-09-30") {
		t.Errorf("warnings %q", ef.Warnings)
	}
	// Without a straddling row the period's end stands.
	r.Efficiency = nil
	if err := AddEfficiency(r, fw, exp[:2]); err != nil {
		t.Fatal(err)
	}
	if r.Efficiency.AsOf != "2021-09-30" || r.Efficiency.Elapsed != r.Elapsed {
		t.Errorf("as_of %s elapsed %v without a straddling row", r.Efficiency.AsOf, r.Efficiency.Elapsed)
	}
}
