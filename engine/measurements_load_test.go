package engine

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// TestMeasurementsStoredPeriodChecked: a figure whose stored kind or dates
// do not match its period's text is an error naming the indicator and the
// period, not a figure of the wrong period.
func TestMeasurementsStoredPeriodChecked(t *testing.T) {
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
			err := db.Tx(ctx, func(tx *sql.Tx) error {
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
func TestMeasurementsValuesDistinct(t *testing.T) {
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
