package indicators

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestIPTTTables: a two-year quarterly project (2026-2027) at P = 2027Q1
// with a quarterly indicator A (yearly cumulative milestone 40 in 2026,
// target 120), an annual one B (target 100, an annual figure of 30 for
// 2026) and one measured at the end, C.
func TestIPTTTables(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	fw := &Framework{
		Project: Project{Code: "P", Title: "T", Start: d("2026-01-01"), End: d("2027-12-31"), Reporting: "quarterly"},
		Results: []Result{{Code: "O1", Level: Outcome, Statement: "s"}},
		Indicators: []Indicator{
			{Code: "A", Result: "O1", Name: "a", Unit: Number, Baseline: fp(0), Target: fp(120), Frequency: "quarterly", Milestones: MilestonesCumulative},
			{Code: "B", Result: "O1", Name: "b", Unit: Number, Baseline: fp(0), Target: fp(100), Frequency: "annual"},
			{Code: "C", Result: "O1", Name: "c", Unit: YesNo, Baseline: fp(0), Target: fp(1), Frequency: "end"},
		},
		Milestones: []Milestone{{Indicator: "A", Period: Year(2026), Target: 40}},
	}
	figs := []Measurement{
		{Indicator: "A", Period: Quarter(2026, 1), Value: fp(5)},
		{Indicator: "A", Period: Quarter(2026, 2), Value: fp(7)},
		{Indicator: "B", Period: Year(2026), Value: fp(30)},
	}
	in := ReportInput{Framework: fw, Figures: figs, Period: Quarter(2027, 1)}
	r, err := BuildReport(in)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := IPTTTables(in, r)
	if err != nil {
		t.Fatal(err)
	}
	var freqs []string
	for _, tb := range tables {
		freqs = append(freqs, tb.Frequency+":"+strings.Join(tb.Indicators, ","))
	}
	// The project's reporting first, then the others, then end.
	if got := strings.Join(freqs, " "); got != "quarterly:A annual:B end:C" {
		t.Fatalf("tables %s, want quarterly:A annual:B end:C", got)
	}
	label := func(tb IPTTTable) string {
		var ls []string
		for _, p := range tb.Periods {
			ls = append(ls, p.Label)
		}
		return strings.Join(ls, " ")
	}
	if got := label(tables[0]); got != "2026Q1 2026Q2 2026Q3 2026Q4 2027Q1" {
		t.Errorf("quarterly periods %s", got)
	}
	// 2027 has begun by the end of 2027Q1: cut there.
	if got := label(tables[1]); got != "2026 2027 to 2027-03-31" || !tables[1].Periods[1].Cut || tables[1].Periods[1].End != "2027-03-31" {
		t.Errorf("annual periods %s %+v", got, tables[1].Periods)
	}
	if len(tables[2].Periods) != 0 {
		t.Errorf("end table has periods %v", tables[2].Periods)
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	near := func(what string, got *float64, want float64) {
		t.Helper()
		g := val(got)
		if math.IsNaN(want) != math.IsNaN(g) || (!math.IsNaN(want) && math.Abs(g-want) > 1e-9) {
			t.Errorf("%s = %v, want %v", what, g, want)
		}
	}
	nan := math.NaN()
	a := tables[0].Points["A"]
	// A: 5 in Q1 and 7 in Q2 add up (sum) to 12 by the end of Q2 and stay
	// there; Q3, Q4 and 2027Q1 have no figure of their own.
	near("A 2026Q1 in period", a[0].PeriodValue, 5)
	near("A 2026Q1 cumulative", a[0].Actual, 5)
	near("A 2026Q2 in period", a[1].PeriodValue, 7)
	near("A 2026Q2 cumulative", a[1].Actual, 12)
	near("A 2026Q4 in period", a[3].PeriodValue, nan)
	// The path passes through the milestone: 40 at the end of 2026.
	near("A 2026Q4 target", a[3].Target, 40)
	// Every quarter has a target on the path, the one the domain gives.
	for k, p := range tables[0].Periods {
		want, _ := fw.ExpectedAt("A", d(p.End))
		near("A "+p.Label+" target", a[k].Target, want)
	}
	// Between (2026-01-01, 0) and (2026-12-31, 40) the path rises: the
	// targets grow quarter by quarter below 40, then on towards 120.
	for k := 1; k < len(a); k++ {
		if val(a[k].Target) <= val(a[k-1].Target) {
			t.Errorf("A target %s %v not above %s %v", tables[0].Periods[k].Label, val(a[k].Target), tables[0].Periods[k-1].Label, val(a[k-1].Target))
		}
	}
	b := tables[1].Points["B"]
	// B's annual figure of 30 is 2026's; nothing yet in 2027.
	near("B 2026 in period", b[0].PeriodValue, 30)
	near("B 2026 cumulative", b[0].Actual, 30)
	near("B 2027 in period", b[1].PeriodValue, nan)
	near("B 2027 cumulative", b[1].Actual, 30)
	// No milestones: a straight line from 0 at the start to 100 at the end.
	wantB, _ := fw.ExpectedAt("B", d("2026-12-31"))
	near("B 2026 target", b[0].Target, wantB)
	if wantB < 49 || wantB > 51 {
		t.Errorf("B expected at the end of 2026 = %v, want about half of 100", wantB)
	}

	// The two ways to a column agree: 2026 (not one of the report's
	// slots) comes from the report of 2026; 2026Q2 from the report's own
	// series is what the report of 2026Q2 says.
	in2 := in
	in2.Period = Quarter(2026, 2)
	r2, err := BuildReport(in2)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range r2.Results {
		for _, ind := range res.Indicators {
			if ind.Code == "A" {
				near("A 2026Q2 target, own series vs report of 2026Q2", a[1].Target, val(ind.Milestone))
				near("A 2026Q2 actual, own series vs report of 2026Q2", a[1].Actual, val(ind.Actual))
				near("A 2026Q2 in period, own series vs report of 2026Q2", a[1].PeriodValue, val(ind.PeriodValue))
			}
		}
	}
}

// TestIPTTTablesOf: the reports of the periods outside the report's own
// series are asked of reportOf, once each with the indicators they are
// needed for (the annual table's 2026 for B; not
// 2027 to 2027-03-31, which is the report's own slot 2027Q1, nor any of
// the quarterly table), and the tables are those IPTTTables makes from the
// figures; reportOf's error is returned naming the table and period.
func TestIPTTTablesOf(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	fw := &Framework{
		Project: Project{Code: "P", Title: "T", Start: d("2026-01-01"), End: d("2027-12-31"), Reporting: "quarterly"},
		Results: []Result{{Code: "O1", Level: Outcome, Statement: "s"}},
		Indicators: []Indicator{
			{Code: "A", Result: "O1", Name: "a", Unit: Number, Baseline: fp(0), Target: fp(120), Frequency: "quarterly"},
			{Code: "B", Result: "O1", Name: "b", Unit: Number, Baseline: fp(0), Target: fp(100), Frequency: "annual"},
		},
	}
	figs := []Measurement{{Indicator: "A", Period: Quarter(2026, 1), Value: fp(5)}, {Indicator: "B", Period: Year(2026), Value: fp(30)}}
	in := ReportInput{Framework: fw, Figures: figs, Period: Quarter(2027, 1)}
	r, err := BuildReport(in)
	if err != nil {
		t.Fatal(err)
	}
	want, err := IPTTTables(in, r)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	got, err := IPTTTablesOf(fw, r, func(p Period, codes []string) (*Report, error) {
		asked = append(asked, p.String()+" for "+strings.Join(codes, ","))
		pin := in
		pin.Period = p
		return BuildReport(pin)
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(asked, " "); s != "2026 for B" {
		t.Errorf("reports asked for %s, want 2026 for B only", s)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("IPTTTablesOf:\n%+v\nIPTTTables:\n%+v", got, want)
	}
	_, err = IPTTTablesOf(fw, r, func(Period, []string) (*Report, error) { return nil, errors.New("no figures today") })
	if err == nil || err.Error() != "IPTT annual, 2026: no figures today" {
		t.Errorf("error %v, want IPTT annual, 2026: no figures today", err)
	}
}

// TestIPTTPeriodsProjectYears: annual means project years when they do
// not start in January (as for what is due).
func TestIPTTPeriodsProjectYears(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	p := Project{Start: d("2019-09-01"), End: d("2023-08-31"), YearStart: 9}
	var got []string
	for _, q := range ipttPeriods(p, KindYear, d("2021-09-30")) {
		got = append(got, q.Label+"="+q.Start+".."+q.End)
	}
	want := "PY1=2019-09-01..2020-08-31 PY2=2020-09-01..2021-08-31 PY3 to 2021-09-30=2021-09-01..2021-09-30"
	if strings.Join(got, " ") != want {
		t.Errorf("periods %s, want %s", strings.Join(got, " "), want)
	}
	// Semesters are calendar halves, from the one holding the start.
	got = nil
	for _, q := range ipttPeriods(p, KindSemester, d("2020-06-30")) {
		got = append(got, q.Label)
	}
	if strings.Join(got, " ") != "2019S2 2020S1" {
		t.Errorf("semesters %v", got)
	}
}
