package engine

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// TestMissingFigures: approve lists the figures of P owed and missing by
// the rules of the report's missing reports. Worked by hand for a project
// of 2021 reporting quarterly, P = 2021S1 (2021Q1 and 2021Q2 end in it):
//   - 1.1 (quarterly) has a figure for 2021Q1 only: 2021Q2 is missing;
//   - 1.2 (annual) owes 2021, which ends after P: nothing;
//   - 1.3 (semiannual) has a figure for 2021Q2, which overlaps 2021S1:
//     received (a figure of 2021 would not count: it ends after P, and
//     the report of P reads no figure ending after it);
//   - 1.4 is computed from the supporting measure S1 (no result): S1 is
//     owed through 1.4, under 1.4's code, for both quarters (a rule the
//     old list did not follow: it skipped 1.4 and listed S1);
//   - 1.5 is computed from 1.1, an indicator reported on its own: it owes
//     nothing itself.
func TestMissingFigures(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	v := func(x float64) *float64 { return &x }
	fw := &indicators.Framework{
		Project: indicators.Project{Code: "P", Title: "T", Start: day(2021, 1, 1), End: day(2021, 12, 31), Reporting: "quarterly"},
		Results: []indicators.Result{{Code: "O1", Level: indicators.Outcome, Statement: "s"}},
		Indicators: []indicators.Indicator{
			{Code: "1.1", Result: "O1", Name: "a", Unit: indicators.Number, Target: v(10), Responsible: "Partner A"},
			{Code: "1.2", Result: "O1", Name: "b", Unit: indicators.Number, Target: v(10), Frequency: "annual"},
			{Code: "1.3", Result: "O1", Name: "c", Unit: indicators.Number, Target: v(10), Frequency: "semiannual"},
			{Code: "1.4", Result: "O1", Name: "d", Unit: indicators.Number, Target: v(10), Formula: `2 * value("S1")`},
			{Code: "1.5", Result: "O1", Name: "e", Unit: indicators.Number, Target: v(10), Formula: `value("1.1") + 1`},
			{Code: "S1", Name: "supporting", Unit: indicators.Number},
		},
	}
	figs := []indicators.Measurement{
		{Indicator: "1.1", Period: indicators.Quarter(2021, 1), Value: v(3)},
		{Indicator: "1.3", Period: indicators.Quarter(2021, 2), Value: v(4)},
	}
	got, err := missingFigures(fw, figs, indicators.Semester(2021, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1.1 2021Q2 (quarterly, responsible: Partner A)",
		"1.4 2021Q1 (quarterly)",
		"1.4 2021Q2 (quarterly)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("missing:\n got %q\nwant %q", got, want)
	}
}

// missingFigures is missingFiguresIn of figures held in memory: the
// rules of the report's missing reports (indicators.DueItem, SPEC 5 "What
// is due"): for each indicator of the report, every period of its
// frequency (blank: the project's reporting) that lies inside the project
// and ends within p, and that no figure behind the indicator overlaps; an
// indicator computed from other reported indicators owes nothing itself,
// one computed from supporting measures owes them under its own code.
func missingFigures(fw *indicators.Framework, figs []indicators.Measurement, p indicators.Period) ([]string, error) {
	r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Figures: figs, Period: p})
	if err != nil {
		return nil, fmt.Errorf("figures owed for %s: %w", p, err)
	}
	return missingIn(fw, r), nil
}
