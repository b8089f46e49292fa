package indicators_test

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// The example project (examples/framework.yaml and examples/data, imported
// in name order): the report for every quarter from the start to 2022Q2 and
// for a custom window, with the facts its data tell (internal/exampledata).

type figureList struct{ ms []indicators.Measurement }

func (s *figureList) Add(m indicators.Measurement) error { s.ms = append(s.ms, m); return nil }

func exampleFigures(t *testing.T) (*indicators.Framework, *indicators.Compiled, []indicators.Measurement) {
	t.Helper()
	fw, err := importers.ReadFramework(filepath.Join("..", "examples", "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	files, err := filepath.Glob(filepath.Join("..", "examples", "data", "*"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	s := &figureList{}
	for _, f := range files {
		if ext := filepath.Ext(f); ext != ".xlsx" && ext != ".csv" {
			continue
		}
		if _, err := importers.ImportMeasurements(f, fw, s, importers.MeasurementOptions{}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	// like the store: a later figure for the same indicator, period and
	// disaggregation replaces the earlier one (BuildReport also keeps the last).
	return fw, comp, s.ms
}

func TestExampleReports(t *testing.T) {
	fw, comp, figs := exampleFigures(t)
	report := func(period string) *indicators.Report {
		t.Helper()
		p, err := indicators.ParsePeriod(period)
		if err != nil {
			t.Fatal(err)
		}
		r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: p})
		if err != nil {
			t.Fatalf("%s: %v", period, err)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("%s: json: %v", period, err)
		}
		for _, res := range r.Results {
			if !slices.Contains(indicators.Statuses, res.Status) {
				t.Errorf("%s: result %s status %q", period, res.Code, res.Status)
			}
			for _, ind := range res.Indicators {
				if !slices.Contains(indicators.Statuses, ind.Status) {
					t.Errorf("%s: indicator %s status %q", period, ind.Code, ind.Status)
				}
			}
		}
		return r
	}
	ind := func(r *indicators.Report, code string) indicators.ReportIndicator {
		t.Helper()
		for _, res := range r.Results {
			for _, i := range res.Indicators {
				if i.Code == code {
					return i
				}
			}
		}
		t.Fatalf("%s: no indicator %s", r.Period.Code, code)
		return indicators.ReportIndicator{}
	}
	num := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 1e-6 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	for _, p := range []string{"2019Q3", "2019Q4", "2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2",
		"2021Q3", "2021Q4", "2022Q1", "2022Q2", "2020-09-01..2021-02-28", "2021S1", "2021"} {
		report(p)
	}

	// mid-term (2021Q2): 10,753 migrants served, all unverifiable; the
	// endline survey indicator is not due.
	r := report("2021Q2")
	i := ind(r, "3.3.2")
	num("3.3.2 at 2021Q2", i.Actual, 10753)
	if i.Verified != "unverifiable" {
		t.Errorf("3.3.2 verified %q, want unverifiable", i.Verified)
	}
	unverified := 0
	for _, f := range r.Findings {
		if f.Kind == "unverified" && f.Code == "3.3.2" {
			unverified++
		}
	}
	if unverified == 0 {
		t.Errorf("no unverified findings for 3.3.2 at 2021Q2: %+v", r.Findings)
	}
	if s := ind(r, "OO.1").Status; s != indicators.StatusNotDue {
		t.Errorf("OO.1 at mid-term: %q, want not due", s)
	}

	// 2022Q2: 150 local staff trained against 360 planned: off track; the
	// campaign reached 150,500 people; 1,485 food packages: achieved; no
	// thematic study since mid-term: at risk.
	r = report("2022Q2")
	i = ind(r, "3.2.1")
	num("3.2.1 actual", i.Actual, 150)
	num("3.2.1 milestone", i.Milestone, 360)
	if i.Status != indicators.StatusOffTrack {
		t.Errorf("3.2.1 %q, want off track", i.Status)
	}
	num("3.1.1 actual", ind(r, "3.1.1").Actual, 150500)
	if s := ind(r, "3.4.1").Status; s != indicators.StatusAchieved {
		t.Errorf("3.4.1 %q, want achieved", s)
	}
	if s := ind(r, "2.1.1").Status; s != indicators.StatusAtRisk {
		t.Errorf("2.1.1 %q, want at risk", s)
	}
	// 1.1.2 is a ratio of sums of its supporting measures
	i = ind(r, "1.1.2")
	if i.Numerator == nil || i.Denominator == nil {
		t.Fatalf("1.1.2 without numerator and denominator")
	}
	num("1.1.2 actual", i.Actual, 100**i.Numerator / *i.Denominator)
	if r.Previous == nil || r.Previous.Code != "2022Q1" {
		t.Errorf("previous %+v", r.Previous)
	}
}
