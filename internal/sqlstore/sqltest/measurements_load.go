package sqltest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// TestMeasurementsStoredPeriodChecked: a figure whose stored kind or dates
// do not match its period's text is an error naming the indicator and the
// period, not a figure of the wrong period.
func testMeasurementsStoredPeriodChecked(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ name, set string }{
		{"kind", `period_kind = 4`},
		{"end", `period_end = '2021-12-30'`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := frameworkDB(t)
			if _, err := runImport(t, db, "p.xlsx", false, fig(t, "1.1a", "2021Q3", 1, 2), fig(t, "1.1a", "2021Q4", 2, 3)); err != nil {
				t.Fatal(err)
			}
			err := db.Tx(ctx, func(tx *sqlstore.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE measurements SET `+tt.set+` WHERE period = '2021Q4'`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.Measurements(ctx, MeasurementFilter{})
			if !errors.Is(err, indicators.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, want := range []string{"1.1a", `"2021Q4"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %s", err, want)
				}
			}
		})
	}
}

// TestMeasurementsValuesDistinct: figures loaded together have their own
// values (the store keeps them in shared slabs) and share equal strings.
func testMeasurementsValuesDistinct(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	var figs []indicators.Measurement
	for i, p := range []string{"2021Q1", "2021Q2", "2021Q3", "2021Q4", "2022Q1"} {
		figs = append(figs, fig(t, "1.1a", p, float64(i+1), i+2))
	}
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	got, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(figs) {
		t.Fatalf("%d figures, want %d", len(got), len(figs))
	}
	for i := range got {
		if got[i].Value == nil || *got[i].Value != float64(i+1) {
			t.Errorf("figure %d: value %v, want %d", i, got[i].Value, i+1)
		}
	}
	*got[0].Value = -1 // a caller changing one figure changes no other
	if *got[1].Value != 2 {
		t.Errorf("figure 1: value %v after figure 0 changed, want 2", *got[1].Value)
	}
}

// TestMeasurementsPackedTexts: texts holding the packing's own characters
// (digits, ':') come back as stored.
func testMeasurementsPackedTexts(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	a := fig(t, "1.1a", "2021Q1", 1, 2, "Location=12:3")
	a.Comment, a.Source, a.Loc.Sheet, a.Loc.File = "3:abc:", "0:", "Q1: 2021", "p:1.xlsx"
	b := fig(t, "1.1a", "2021Q2", 2, 3)
	b.Comment, b.Source, b.Verified = "", "ünïcödé: 5", indicators.VerifiedNo
	if _, err := runImport(t, db, "p:1.xlsx", false, a, b); err != nil {
		t.Fatal(err)
	}
	got, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d figures, want 2", len(got))
	}
	for i, want := range []indicators.Measurement{a, b} {
		g := got[i]
		if g.Comment != want.Comment || g.Source != want.Source || g.Loc.Sheet != want.Loc.Sheet || g.Loc.File != want.Loc.File ||
			g.Verified != want.Verified || g.Dims.Key() != want.Dims.Key() || g.Period != want.Period {
			t.Errorf("figure %d: got %+v, want %+v", i, g, want)
		}
	}
}

func testCountMeasurements(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	if n, err := db.CountMeasurements(ctx, MeasurementFilter{}); err != nil || n != 0 {
		t.Fatalf("empty database: %d, %v", n, err)
	}
	figs := []indicators.Measurement{fig(t, "1.1a", "2021Q1", 1, 2), fig(t, "1.1a", "2021Q2", 2, 3), fig(t, "n", "2021Q2", 3, 4)}
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	figs[0].Value = nil
	figs[0].Text = "corrected" // a new revision: still one current figure
	if _, err := runImport(t, db, "q.xlsx", false, figs[0]); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f    MeasurementFilter
		want int
	}{
		{MeasurementFilter{}, 3},
		{MeasurementFilter{Indicator: "1.1a"}, 2},
		{MeasurementFilter{Upto: day(2021, 3, 31)}, 1},
		{MeasurementFilter{Indicator: "n", Upto: day(2021, 3, 31)}, 0},
	} {
		n, err := db.CountMeasurements(ctx, tt.f)
		if err != nil || n != tt.want {
			t.Errorf("CountMeasurements(%+v) = %d, %v; want %d", tt.f, n, err, tt.want)
		}
		all, _ := db.Measurements(ctx, tt.f)
		if len(all) != n {
			t.Errorf("Measurements(%+v) gives %d figures, CountMeasurements %d", tt.f, len(all), n)
		}
	}
}

// TestEachMeasurements: the figures come one indicator at a time, every
// figure of an indicator in one call, the same figures in the same order
// as Measurements for every filter; what the callback copies stays right
// after the store reuses its slice; the callback's error comes back as it
// is and stops the reading.
func testEachMeasurements(t *testing.T) {
	ctx := context.Background()
	db, _ := frameworkDB(t)
	figs := []indicators.Measurement{fig(t, "1.1a", "2021Q1", 1, 2), fig(t, "1.1a", "2021Q2", 2, 3), fig(t, "n", "2021Q2", 3, 4),
		fig(t, "1.1a", "2021Q3", 4, 5), fig(t, "O1a", "2021Q1", 5, 6)}
	if _, err := runImport(t, db, "p.xlsx", false, figs...); err != nil {
		t.Fatal(err)
	}
	for _, f := range []MeasurementFilter{{}, {Indicator: "1.1a"}, {Upto: day(2021, 3, 31)}, {Indicator: "n", Upto: day(2021, 3, 31)}} {
		want, err := db.Measurements(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []indicators.Measurement
		seen := map[string]bool{}
		err = db.EachMeasurements(ctx, f, func(code string, ms []indicators.Measurement) error {
			if seen[code] {
				t.Errorf("%+v: %s given twice", f, code)
			}
			seen[code] = true
			if len(ms) == 0 {
				t.Errorf("%+v: %s given without figures", f, code)
			}
			for _, m := range ms {
				if m.Indicator != code {
					t.Errorf("%+v: a figure of %s given as %s's", f, m.Indicator, code)
				}
			}
			got = append(got, ms...) // a copy: the store reuses ms
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%+v: %d figures, Measurements gives %d", f, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if g.Indicator != w.Indicator || g.Period != w.Period || g.Dims.Key() != w.Dims.Key() || *g.Value != *w.Value || g.Loc.Row != w.Loc.Row {
				t.Errorf("%+v: figure %d = %s %s %v row %d, Measurements gives %s %s %v row %d", f, i,
					g.Indicator, g.Period, *g.Value, g.Loc.Row, w.Indicator, w.Period, *w.Value, w.Loc.Row)
			}
		}
	}
	stop := errors.New("enough")
	calls := 0
	err := db.EachMeasurements(ctx, MeasurementFilter{}, func(string, []indicators.Measurement) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("callback error: got %v after %d calls, want it as it is after 1", err, calls)
	}
}
