package sqltest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// TestCurrentRevisions: the current figures with the import each came
// from, the same figures in the same order as Measurements.
func testCurrentRevisions(t *testing.T) {
	ctx := context.Background()
	db, c := frameworkDB(t)
	q1 := fig(t, "1.1a", "2021Q1", 5, 7)
	other := fig(t, "1.1a", "2021Q2", 9, 8)
	b1, err := runImport(t, db, "q.xlsx", false, q1, other)
	if err != nil {
		t.Fatal(err)
	}
	c.step(48 * time.Hour)
	fixed := fig(t, "1.1a", "2021Q1", 6, 9)
	fixed.Loc.File = "q-fixed.xlsx"
	b2, err := runImport(t, db, "q-fixed.xlsx", false, fixed)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.CurrentRevisions(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []indicators.Revision{
		{Measurement: fixed, Revision: 2, BatchID: b2.ID, Imported: b2.Imported, Current: true},
		{Measurement: other, Revision: 1, BatchID: b1.ID, Imported: b1.Imported, Current: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("CurrentRevisions:\n got %+v\nwant %+v", got, want)
	}
	ms, err := db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != len(got) {
		t.Fatalf("%d figures from Measurements, %d from CurrentRevisions", len(ms), len(got))
	}
	for i := range ms {
		if !reflect.DeepEqual(ms[i], got[i].Measurement) {
			t.Errorf("figure %d: Measurements %+v, CurrentRevisions %+v", i, ms[i], got[i].Measurement)
		}
	}
	upto, err := db.CurrentRevisions(ctx, MeasurementFilter{Indicator: "1.1a", Upto: indicators.Quarter(2021, 1).End})
	if err != nil || len(upto) != 1 || upto[0].Period.String() != "2021Q1" {
		t.Errorf("filtered: %+v, %v", upto, err)
	}
}
