package web

import (
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// TestFig: the pages show figures as the reports do, by unit.
func TestFig(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		v    *float64
		u    indicators.Unit
		want string
	}{
		{nil, indicators.Number, "–"},
		{f(0), indicators.Number, "0"},
		{f(67.857142857142860), indicators.Number, "67.86"},
		{f(12345), indicators.Number, "12,345"},
		{f(1500000.5), indicators.Currency, "1,500,000"},
		{f(71.42857), indicators.Percent, "71.4%"},
		{f(1), indicators.YesNo, "yes"},
		{f(0), indicators.YesNo, "no"},
	} {
		if got := fig(c.v, c.u); got != c.want {
			t.Errorf("fig(%v, %s) = %q, want %q", c.v, c.u, got, c.want)
		}
	}
}

// The chart names its periods and scales to the larger of target and
// actual: a series 0 -> 40 against a target of 100 has its top at 100.
func TestChartSVG(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ind := &indicators.ReportIndicator{Code: `<x>`, Target: f(100), Series: []indicators.SeriesPoint{
		{Period: "2021Q1", Target: f(25), Actual: f(10)},
		{Period: "2021Q2", Target: f(50), Actual: f(40)},
	}}
	svg := string(chartSVG(ind, false))
	for _, want := range []string{"2021Q1", "2021Q2", ">target 100<", ">100<", "&lt;x&gt;", "actual 2021Q2: 40"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<x>") || strings.Contains(svg, "style=") {
		t.Errorf("chart has unescaped text or inline style")
	}
	if got := string(chartSVG(&indicators.ReportIndicator{}, false)); !strings.Contains(got, "No periods") {
		t.Errorf("empty series: %s", got)
	}
}

// An expected path of steps stays level through a period and rises at its
// end; a line path is a ramp. Worked out: the plot runs from x 64 to 860
// (900 wide, margins 64 and 40), so 2021Q1 is at x 64 and 2021Q2 at 860;
// the top is 100 at y 16 and 0 at y 240, so 25 is at y 184 and 50 at 128.
func TestChartSVGSteps(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ind := &indicators.ReportIndicator{Code: "1.1", Target: f(100), Series: []indicators.SeriesPoint{
		{Period: "2021Q1", Target: f(25)},
		{Period: "2021Q2", Target: f(50)},
	}}
	for _, c := range []struct {
		steps bool
		want  string
	}{
		{false, `points="64.0,184.0 860.0,128.0"`},
		{true, `points="64.0,184.0 860.0,184.0 860.0,128.0"`},
	} {
		if svg := string(chartSVG(ind, c.steps)); !strings.Contains(svg, c.want) {
			t.Errorf("steps=%v: expected path lacks %s:\n%s", c.steps, c.want, svg)
		}
	}
}
