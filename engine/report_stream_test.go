package engine

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// figureStore is a Store whose EachMeasurements gives batches through one
// slice it reuses, scribbling over it once fn returns (as a store may),
// then fails with err when err is set; nothing else of Store is used.
type figureStore struct {
	Store
	batches [][]indicators.Measurement
	err     error
}

func (s *figureStore) EachMeasurements(_ context.Context, _ MeasurementFilter, fn func(string, []indicators.Measurement) error) error {
	var buf []indicators.Measurement
	for _, b := range s.batches {
		buf = append(buf[:0], b...)
		if err := fn(b[0].Indicator, buf); err != nil {
			return err
		}
		for i := range buf {
			buf[i] = indicators.Measurement{Indicator: "scribbled", Period: buf[i].Period, Value: new(float64)}
		}
	}
	return s.err
}

// TestBuildFromFigures: the figures read one indicator at a time and
// given to the report's builder in another goroutine make the report
// BuildReport makes of them all; an error of the builder (an indicator
// given twice) or of the store is returned as it is.
func TestBuildFromFigures(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	v := func(x float64) *float64 { return &x }
	fw := &indicators.Framework{
		Project:    indicators.Project{Code: "P", Title: "T", Start: day(2021, 1, 1), End: day(2021, 12, 31), Reporting: "quarterly"},
		Results:    []indicators.Result{{Code: "O1", Level: indicators.Outcome, Statement: "s"}},
		Dimensions: []indicators.Dimension{{Name: "sex", Values: []string{"female", "male"}}},
		Indicators: []indicators.Indicator{
			{Code: "1.1", Result: "O1", Name: "a", Unit: indicators.Number, Target: v(10), Disaggregations: []string{"sex"}},
			{Code: "1.2", Result: "O1", Name: "b", Unit: indicators.Number, Target: v(10)},
			{Code: "1.3", Result: "O1", Name: "c", Unit: indicators.Number, Target: v(10), Formula: `value("1.1") + value("1.2")`},
		},
	}
	female, male := indicators.Disagg{"sex": "female"}, indicators.Disagg{"sex": "male"}
	loc := func(row int) indicators.Loc { return indicators.Loc{File: "data/a.xlsx", Sheet: "Data", Row: row} }
	b11 := []indicators.Measurement{
		{Indicator: "1.1", Period: indicators.Quarter(2021, 1), Value: v(5), Loc: loc(2), Verified: indicators.VerifiedYes},
		{Indicator: "1.1", Period: indicators.Quarter(2021, 1), Dims: female, Value: v(2), Loc: loc(3), Verified: indicators.VerifiedNo},
		{Indicator: "1.1", Period: indicators.Quarter(2021, 1), Dims: male, Value: v(2), Loc: loc(4)},
		{Indicator: "1.1", Period: indicators.Quarter(2021, 2), Dims: female, Value: v(1), Loc: loc(5)},
	}
	b12 := []indicators.Measurement{
		{Indicator: "1.2", Period: indicators.Quarter(2021, 1), Value: v(3), Loc: loc(6), Verified: indicators.Unverifiable},
		{Indicator: "1.2", Period: indicators.Quarter(2021, 2), Value: v(4), Loc: loc(7)},
	}
	p := indicators.Quarter(2021, 2)
	want, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Period: p, Figures: append(append([]indicators.Measurement(nil), b11...), b12...)})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Findings) == 0 {
		t.Fatal("the case has no findings: it would not show figures lost or scribbled over")
	}
	storeErr := errors.New("disk on fire")
	tests := []struct {
		name    string
		store   *figureStore
		wantErr string
	}{
		{"one indicator at a time", &figureStore{batches: [][]indicators.Measurement{b11, b12}}, ""},
		{"an indicator twice", &figureStore{batches: [][]indicators.Measurement{b11, b12, b11[:1], b12}}, "indicator 1.1 given twice"},
		{"the store fails", &figureStore{batches: [][]indicators.Measurement{b11}, err: storeErr}, storeErr.Error()},
	}
	for _, tc := range tests {
		rb, err := indicators.NewReportBuilder(indicators.ReportInput{Framework: fw, Period: p})
		if err != nil {
			t.Fatal(err)
		}
		err = buildFromFigures(context.Background(), tc.store, fw, p, reportView{}, rb)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: got %v, expected an error with %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := rb.Report()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the report differs from BuildReport's of the same figures", tc.name)
		}
	}
}
