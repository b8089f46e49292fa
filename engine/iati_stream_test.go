package engine

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// orderStore is a Store whose EachMeasurementsOf gives the batches of the
// codes asked for, in their order, through one slice it scribbles over
// once fn returns, then fails with err when set; it records the codes
// asked for and whether it returned.
type orderStore struct {
	Store
	byCode   map[string][]indicators.Measurement
	approved map[string][]indicators.Measurement // EachApprovedRevisions's
	stamp    string                              // Stamp's
	err      error
	asked    []string
	returned chan error
}

func (s *orderStore) EachMeasurementsOf(_ context.Context, _ MeasurementFilter, codes []string, fn func(string, []indicators.Measurement) error) (err error) {
	defer func() { s.returned <- err }()
	s.asked = codes
	var buf []indicators.Measurement
	for _, c := range codes {
		if len(s.byCode[c]) == 0 {
			continue
		}
		buf = append(buf[:0], s.byCode[c]...)
		if err := fn(c, buf); err != nil {
			return err
		}
		for i := range buf {
			buf[i] = indicators.Measurement{Indicator: "scribbled"}
		}
	}
	return s.err
}

func (s *orderStore) EachApprovedRevisions(_ context.Context, st *State, upto time.Time, codes []string, fn func(string, []indicators.Revision) error) (err error) {
	defer func() { s.returned <- err }()
	s.asked = codes
	for _, c := range codes {
		var revs []indicators.Revision
		for _, m := range s.approved[c] {
			revs = append(revs, indicators.Revision{Measurement: m, Revision: 1})
		}
		if len(revs) > 0 {
			if err := fn(c, revs); err != nil {
				return err
			}
		}
	}
	return s.err
}

func (s *orderStore) Stamp(context.Context) (string, error) { return s.stamp, nil }

// TestStoreFigures: the IATI export's figures, read on another goroutine,
// come in the order of the results (exporters.IATIFigureOrder), intact
// however the store reuses its slice, only the latest approved revisions
// when asked (Store.EachApprovedRevisions); the writer's error ends the reading and is returned as
// it is, and so is the store's.
func TestStoreFigures(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	fw := &indicators.Framework{
		Results: []indicators.Result{{Code: "O1", Level: indicators.Outcome}, {Code: "O2", Level: indicators.Outcome}},
		Indicators: []indicators.Indicator{
			{Code: "b", Result: "O2", Unit: indicators.Number},
			{Code: "a", Result: "O1", Unit: indicators.Number},
			{Code: "r", Result: "O1", Unit: indicators.Percent, Numerator: "n", Denominator: "d"},
			{Code: "n", Unit: indicators.Number},
			{Code: "d", Unit: indicators.Number},
		},
	}
	q := indicators.Quarter(2021, 1)
	byCode := map[string][]indicators.Measurement{}
	for i, c := range []string{"a", "a", "b", "n", "d", "d"} {
		byCode[c] = append(byCode[c], indicators.Measurement{Indicator: c, Period: q, Value: v(float64(i)), Dims: indicators.Disagg{"k": string(rune('p' + i))}})
	}
	read := func(s *orderStore, approvedOnly bool, fn func(string, []indicators.Measurement) error) error {
		return storeFigures(context.Background(), s, fw, q, approvedOnly, "s1")(fn)
	}
	s := &orderStore{byCode: byCode, returned: make(chan error, 1), stamp: "s1"}
	var got []indicators.Measurement
	var codes []string
	if err := read(s, false, func(code string, figs []indicators.Measurement) error {
		codes = append(codes, code)
		got = append(got, figs...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	<-s.returned
	if !reflect.DeepEqual(s.asked, []string{"a", "n", "d", "b"}) || !reflect.DeepEqual(codes, []string{"a", "n", "d", "b"}) {
		t.Errorf("asked for %v, given %v; want a n d b (O1's, its ratio's measures, then O2's)", s.asked, codes)
	}
	var want []indicators.Measurement
	for _, c := range []string{"a", "n", "d", "b"} {
		want = append(want, byCode[c]...)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figures\n%+v\nwant\n%+v", got, want)
	}
	// Only the approved ones, read in the same order; an indicator without
	// any is not given.
	s.approved = map[string][]indicators.Measurement{"a": byCode["a"][1:], "b": byCode["b"][:1]}
	got, codes = nil, nil
	if err := read(s, true, func(code string, figs []indicators.Measurement) error {
		codes = append(codes, code)
		got = append(got, figs...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	<-s.returned
	if !reflect.DeepEqual(s.asked, []string{"a", "n", "d", "b"}) || !reflect.DeepEqual(codes, []string{"a", "b"}) || len(got) != 2 || !reflect.DeepEqual(got[0], byCode["a"][1]) || !reflect.DeepEqual(got[1], byCode["b"][0]) {
		t.Errorf("kept: %v %+v", codes, got)
	}
	// Something written while the figures were read (the stamp moved):
	// refused.
	s.stamp = "s2"
	if err := read(s, false, func(string, []indicators.Measurement) error { return nil }); !errors.Is(err, ErrDatabaseChanged) {
		t.Errorf("database changed during the export: %v, want ErrDatabaseChanged", err)
	}
	<-s.returned
	s.stamp = "s1"
	// The writer's error ends the reading.
	stop := errors.New("disk full")
	calls := 0
	err := read(s, false, func(string, []indicators.Measurement) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("writer's error: %v after %d calls, want it as it is after 1", err, calls)
	}
	<-s.returned // the reading ended (it may have read ahead before it saw the error)
	// The store's error.
	lost := errors.New("connection lost")
	s.err = lost
	if err := read(s, false, func(string, []indicators.Measurement) error { return nil }); err != lost {
		t.Errorf("store's error: %v, want it as it is", err)
	}
	<-s.returned
}
