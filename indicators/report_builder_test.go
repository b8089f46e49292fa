package indicators_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// byIndicator groups the example's figures by indicator (stably: a later
// figure for the same period and disaggregation still replaces an earlier
// one), as a store gives them.
func byIndicator(figs []indicators.Measurement) [][]indicators.Measurement {
	figs = slices.Clone(figs)
	slices.SortStableFunc(figs, func(a, b indicators.Measurement) int { return strings.Compare(a.Indicator, b.Indicator) })
	var out [][]indicators.Measurement
	for lo := 0; lo < len(figs); {
		hi := lo + 1
		for hi < len(figs) && figs[hi].Indicator == figs[lo].Indicator {
			hi++
		}
		out = append(out, figs[lo:hi])
		lo = hi
	}
	return out
}

// TestReportBuilderBatches: the figures given to a ReportBuilder in
// several calls (one indicator at a time in a buffer the caller reuses and
// scribbles over, or a few indicators at a time) make the same report as
// all of them given at once to BuildReport.
func TestReportBuilderBatches(t *testing.T) {
	fw, comp, figs := exampleFigures(t)
	groups := byIndicator(figs)
	if len(groups) < 4 {
		t.Fatalf("the example has figures of %d indicators, expected several", len(groups))
	}
	scribble := func(buf []indicators.Measurement) {
		for i := range buf {
			buf[i] = indicators.Measurement{Indicator: "scribbled", Period: buf[i].Period, Value: new(float64), Verified: indicators.VerifiedNo,
				Loc: indicators.Loc{File: "other.xlsx", Sheet: "X", Row: 99999}}
		}
	}
	ways := []struct {
		name string
		add  func(*indicators.ReportBuilder) error
	}{
		{"one indicator per call, buffer reused", func(rb *indicators.ReportBuilder) error {
			var buf []indicators.Measurement
			for _, g := range groups {
				buf = append(buf[:0], g...)
				if err := rb.Add(buf); err != nil {
					return err
				}
				scribble(buf)
			}
			return nil
		}},
		{"three indicators per call", func(rb *indicators.ReportBuilder) error {
			for lo := 0; lo < len(groups); lo += 3 {
				var batch []indicators.Measurement
				for _, g := range groups[lo:min(lo+3, len(groups))] {
					batch = append(batch, g...)
				}
				if err := rb.Add(batch); err != nil {
					return err
				}
				scribble(batch)
			}
			return nil
		}},
		{"backwards, with empty calls", func(rb *indicators.ReportBuilder) error {
			for i := len(groups) - 1; i >= 0; i-- {
				if err := rb.Add(nil); err != nil {
					return err
				}
				if err := rb.Add(slices.Clone(groups[i])); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, period := range []string{"2021Q1", "2021Q3", "2022Q2", "2020-09-01..2021-02-28"} {
		p, err := indicators.ParsePeriod(period)
		if err != nil {
			t.Fatal(err)
		}
		want, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ways {
			rb, err := indicators.NewReportBuilder(indicators.ReportInput{Framework: fw, Compiled: comp, Period: p})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.add(rb); err != nil {
				t.Fatalf("%s, %s: %v", period, w.name, err)
			}
			got, err := rb.Report()
			if err != nil {
				t.Fatalf("%s, %s: %v", period, w.name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s: the report differs from BuildReport's", period, w.name)
			}
		}
	}
}

// TestReportBuilderRefuses: an indicator's figures given in two calls, and
// figures or a report asked for after the report, are errors that name
// what is wrong; a refused call adds nothing.
func TestReportBuilderRefuses(t *testing.T) {
	fw, comp, figs := exampleFigures(t)
	groups := byIndicator(figs)
	var split []indicators.Measurement // an indicator with at least two figures
	for _, g := range groups {
		if len(g) >= 2 {
			split = g
			break
		}
	}
	if split == nil {
		t.Fatal("no indicator of the example has two figures")
	}
	code := split[0].Indicator
	other := groups[0]
	if other[0].Indicator == code {
		other = groups[1]
	}
	p, err := indicators.ParsePeriod("2022Q2")
	if err != nil {
		t.Fatal(err)
	}
	in := indicators.ReportInput{Framework: fw, Compiled: comp, Period: p}
	tests := []struct {
		name  string
		calls [][]indicators.Measurement
		want  string // in the error of the last call
	}{
		{"same indicator in two calls", [][]indicators.Measurement{split[:1], split[1:]}, "indicator " + code + " given twice"},
		{"again within a call of several indicators", [][]indicators.Measurement{split, append(slices.Clone(other), split...)}, "indicator " + code + " given twice"},
	}
	for _, tc := range tests {
		rb, err := indicators.NewReportBuilder(in)
		if err != nil {
			t.Fatal(err)
		}
		var last error
		for i, c := range tc.calls {
			last = rb.Add(c)
			if i < len(tc.calls)-1 && last != nil {
				t.Fatalf("%s: call %d: %v", tc.name, i+1, last)
			}
		}
		if last == nil || !strings.Contains(last.Error(), tc.want) || !errors.Is(last, indicators.ErrInvalid) {
			t.Errorf("%s: got %v, expected an invalid-input error with %q", tc.name, last, tc.want)
		}
	}
	// the refused call of several indicators added none of them: the other
	// indicator may still be given, and the report is then that of the two
	rb, err := indicators.NewReportBuilder(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := rb.Add(split); err != nil {
		t.Fatal(err)
	}
	if err := rb.Add(append(slices.Clone(other), split...)); err == nil {
		t.Fatal("the second call with " + code + " was accepted")
	}
	if err := rb.Add(other); err != nil {
		t.Fatalf("the indicator of a refused call could not be given afterwards: %v", err)
	}
	got, err := rb.Report()
	if err != nil {
		t.Fatal(err)
	}
	want, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: comp, Period: p, Figures: append(slices.Clone(split), other...)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("after a refused call, the report differs from BuildReport's of the figures accepted")
	}
	if err := rb.Add(other); err == nil || !strings.Contains(err.Error(), "after its report was built") {
		t.Errorf("figures after the report: got %v", err)
	}
	if _, err := rb.Report(); err == nil || !strings.Contains(err.Error(), "asked for twice") {
		t.Errorf("a second report: got %v", err)
	}
}

// TestReportSourcesKeepWideRows: a row number past 32 bits (a report
// keeps most rows in 32 bits) comes out in the sources as it went in, and
// rows of 0 or below are not listed.
func TestReportSourcesKeepWideRows(t *testing.T) {
	fw, comp, figs := exampleFigures(t)
	const wide = 1<<33 + 5
	code := figs[0].Indicator
	n := 0
	for i := range figs {
		if figs[i].Indicator != code {
			continue
		}
		switch n {
		case 0:
			figs[i].Loc.Row = wide
		case 1:
			figs[i].Loc.Row = -3
		}
		n++
	}
	r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: indicators.Quarter(2022, 2)})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			if ind.Code != code {
				continue
			}
			for _, src := range ind.Sources {
				for _, row := range src.Rows {
					if row == wide {
						found = true
					}
					if row <= 0 {
						t.Errorf("%s: row %d listed", code, row)
					}
				}
			}
		}
	}
	if !found {
		t.Errorf("%s: row %d not among the sources", code, wide)
	}
}
