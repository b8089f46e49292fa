package web

import (
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

func TestShowNum(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{67.857142857142860, "67.86"},
		{0.78429073856975384, "0.784"},
		{1234, "1234"},
		{12345, "12\u202f345"},
		{1500000.5, "1\u202f500\u202f000.5"},
		{-25000, "-25\u202f000"},
	} {
		if got := showNum(c.v); got != c.want {
			t.Errorf("showNum(%v) = %q, want %q", c.v, got, c.want)
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
