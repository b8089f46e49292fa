package indicators

import (
	"strings"
	"testing"
)

func TestPlausibilityFindings(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	fw := &Framework{Indicators: []Indicator{
		{Code: "P", Unit: Percent, Baseline: f(10), Target: f(80)},       // shares typed: flagged
		{Code: "OK", Unit: Percent, Baseline: f(10), Target: f(80)},      // one figure above 1: fine
		{Code: "S", Unit: Percent, Baseline: f(0.1), Target: f(0.8)},     // the framework itself uses shares
		{Code: "N", Unit: Number, Baseline: f(0), Target: f(10)},         // not a percent
		{Code: "Z", Unit: Percent, Baseline: f(0), Target: f(50)},        // only zeros: no evidence
		{Code: "C", Unit: Percent, Target: f(80), Formula: `value("P")`}, // computed: not imported
	}}
	fig := func(code string, v float64, row int) Measurement {
		return Measurement{Indicator: code, Value: &v, Loc: Loc{File: "q3.xlsx", Sheet: "Data", Row: row}}
	}
	figures := []Measurement{
		fig("P", 0.45, 5), fig("P", 0.6, 6), fig("P", 1, 7),
		fig("OK", 0.5, 5), fig("OK", 60, 6),
		fig("S", 0.4, 5), fig("N", 0.5, 5), fig("Z", 0, 5), fig("C", 0.5, 5),
	}
	got := PlausibilityFindings(fw, figures)
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1 (for P): %+v", len(got), got)
	}
	g := got[0]
	if g.Code != "P" || g.Severity != SevWarning || g.Kind != "plausibility" {
		t.Errorf("finding %+v", g)
	}
	for _, want := range []string{"all 3 figures", "the largest is 1", "target is 80", "q3.xlsx, sheet Data, row 5", "enter percentage points (75)"} {
		if !strings.Contains(g.Message, want) {
			t.Errorf("message %q lacks %q", g.Message, want)
		}
	}
}
