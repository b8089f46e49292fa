package sqltest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// collectRevisions runs each (an EachCurrentRevisions or EachRevisionsIn
// call) and returns the figures given, copied, checking that each call
// gives one indicator's figures, each indicator once.
func collectRevisions(t *testing.T, what string, each func(fn func(string, []indicators.Revision) error) error) []indicators.Revision {
	t.Helper()
	var got []indicators.Revision
	seen := map[string]bool{}
	err := each(func(code string, revs []indicators.Revision) error {
		if seen[code] {
			t.Errorf("%s: %s given twice", what, code)
		}
		seen[code] = true
		if len(revs) == 0 {
			t.Errorf("%s: %s given without figures", what, code)
		}
		for _, r := range revs {
			if r.Indicator != code {
				t.Errorf("%s: a figure of %s given as %s's", what, r.Indicator, code)
			}
		}
		got = append(got, revs...) // a copy: the store reuses revs
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return got
}

// TestEachRevisions: EachCurrentRevisions gives the figures of
// CurrentRevisions and EachRevisionsIn those of RevisionsIn (with their
// revisions and imports), one indicator at a time, in the same order, for
// every filter, state, end and order; the callback's error comes back as
// it is and stops the reading. LatestFigureEnd is the latest current
// figure's end.
func testEachRevisions(t *testing.T) {
	ctx := context.Background()
	db, c := frameworkDB(t)
	if end, err := db.LatestFigureEnd(ctx); err != nil || !end.IsZero() {
		t.Errorf("LatestFigureEnd without figures = %v, %v; want zero", end, err)
	}
	first := []indicators.Measurement{fig(t, "1.1a", "2021Q1", 1, 2), fig(t, "1.1a", "2021Q2", 2, 3), fig(t, "n", "2021Q2", 3, 4),
		fig(t, "1.1a", "2021", 4, 5), fig(t, "O1a", "2021Q1", 5, 6), fig(t, "d", "2021Q1", 6, 7, "sex=f"), fig(t, "d", "2021Q1", 7, 8)}
	b1, err := runImport(t, db, "p.xlsx", false, first...)
	if err != nil {
		t.Fatal(err)
	}
	then := State{At: c.now(), Batch: b1.ID} // as StateAt gives it (whose clock is the real one)
	c.step(48 * time.Hour)
	fixed := fig(t, "1.1a", "2021Q1", 10, 9)
	fixed.Loc.File = "p-fixed.xlsx"
	b2, err := runImport(t, db, "p-fixed.xlsx", false, fixed, fig(t, "n", "2021Q4", 11, 10))
	if err != nil {
		t.Fatal(err)
	}
	now := State{At: c.now(), Batch: b2.ID}
	for _, f := range []MeasurementFilter{{}, {Indicator: "1.1a"}, {Upto: day(2021, 3, 31)}, {Indicator: "n", Upto: day(2021, 6, 30)}, {Indicator: "O2t"}} {
		want, err := db.CurrentRevisions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got := collectRevisions(t, "EachCurrentRevisions", func(fn func(string, []indicators.Revision) error) error {
			return db.EachCurrentRevisions(ctx, f, fn)
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("EachCurrentRevisions(%+v):\n got %+v\nwant (CurrentRevisions) %+v", f, got, want)
		}
	}
	order := []string{"1.1a", "O1a", "O1b", "O2t", "n", "d"}
	for _, tt := range []struct {
		name  string
		st    State
		upto  time.Time
		order []string
	}{
		{"then", then, time.Time{}, order},
		{"now", now, time.Time{}, order},
		{"now to 2021Q2", now, day(2021, 6, 30), order},
		{"now, reversed", now, time.Time{}, []string{"d", "n", "O1a", "1.1a"}},
		{"now, some codes outside the order", now, time.Time{}, []string{"O1a"}},
		{"now, no order", now, day(2021, 3, 31), nil},
	} {
		want, err := db.RevisionsIn(ctx, tt.st, tt.upto, tt.order)
		if err != nil {
			t.Fatal(err)
		}
		got := collectRevisions(t, "EachRevisionsIn "+tt.name, func(fn func(string, []indicators.Revision) error) error {
			return db.EachRevisionsIn(ctx, tt.st, tt.upto, tt.order, fn)
		})
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("EachRevisionsIn %s:\n got %+v\nwant (RevisionsIn) %+v", tt.name, got, want)
		}
	}
	stop := errors.New("enough")
	calls := 0
	err = db.EachCurrentRevisions(ctx, MeasurementFilter{}, func(string, []indicators.Revision) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("EachCurrentRevisions, callback error: got %v after %d calls, want it as it is after 1", err, calls)
	}
	calls = 0
	err = db.EachRevisionsIn(ctx, now, time.Time{}, order, func(string, []indicators.Revision) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("EachRevisionsIn, callback error: got %v after %d calls, want it as it is after 1", err, calls)
	}
	if end, err := db.LatestFigureEnd(ctx); err != nil || !end.Equal(day(2021, 12, 31)) {
		t.Errorf("LatestFigureEnd = %v, %v; want 2021-12-31", end, err)
	}
}

// TestEachMeasurementsOf: the figures of the codes named, in their order
// (each indicator's as Measurements gives them), none of the others; a
// code without figures is not given; a filter naming an indicator is
// refused.
func testEachMeasurementsOf(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	figs := []indicators.Measurement{fig(t, "1.1a", "2021Q1", 1, 2), fig(t, "1.1a", "2021", 2, 3), fig(t, "n", "2021Q2", 3, 4),
		fig(t, "1.1a", "2021Q3", 4, 5), fig(t, "O1a", "2021Q1", 5, 6), fig(t, "d", "2021Q1", 6, 7, "sex=f"), fig(t, "d", "2021Q1", 7, 8)}
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	for _, f := range []MeasurementFilter{{}, {Upto: day(2021, 3, 31)}} {
		codes := []string{"d", "O2t", "1.1a", "n"}
		var want []indicators.Measurement
		for _, c := range codes {
			ms, err := db.Measurements(ctx, MeasurementFilter{Indicator: c, Upto: f.Upto})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, ms...)
		}
		var got []indicators.Measurement
		var given []string
		err := db.EachMeasurementsOf(ctx, f, codes, func(code string, ms []indicators.Measurement) error {
			given = append(given, code)
			for _, m := range ms {
				if m.Indicator != code {
					t.Errorf("a figure of %s given as %s's", m.Indicator, code)
				}
			}
			got = append(got, ms...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("EachMeasurementsOf(%+v, %v) gives (for %v)\n%+v\nwant\n%+v", f, codes, given, got, want)
		}
		for _, c := range given {
			if c == "O2t" || c == "O1a" {
				t.Errorf("EachMeasurementsOf(%+v) gave %s (no figures, or not asked for)", f, c)
			}
		}
	}
	err := db.EachMeasurementsOf(ctx, MeasurementFilter{Indicator: "n"}, []string{"n"}, func(string, []indicators.Measurement) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "name it in the codes") {
		t.Errorf("a filter naming an indicator: %v", err)
	}
	calls := 0
	if err := db.EachMeasurementsOf(ctx, MeasurementFilter{}, nil, func(string, []indicators.Measurement) error { calls++; return nil }); err != nil || calls != 0 {
		t.Errorf("no codes: %d calls, %v", calls, err)
	}
}
