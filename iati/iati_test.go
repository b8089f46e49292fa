package iati

import (
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// TestCodesRoundTrip: what the writer codes, the reader reads back.
func TestCodesRoundTrip(t *testing.T) {
	for _, l := range []indicators.Level{indicators.Goal, indicators.Outcome, indicators.Output} {
		if got, ok := LevelOf(ResultType(l)); !ok || got != l {
			t.Errorf("level %s -> %q -> %s, %v", l, ResultType(l), got, ok)
		}
	}
	if ResultType(indicators.Activity) != "" {
		t.Errorf("an activity has a result type")
	}
	if l, ok := LevelOf(ResultOther); !ok || l != indicators.Output {
		t.Errorf("type 9 reads as %s, %v", l, ok)
	}
	if _, ok := LevelOf("7"); ok {
		t.Errorf("type 7 read")
	}
	for _, u := range []indicators.Unit{indicators.Number, indicators.Percent, indicators.Text} {
		if got := UnitOf(Measure(u)); got != u {
			t.Errorf("unit %s -> %q -> %s", u, Measure(u), got)
		}
	}
	// yes/no and currency travel as nominal and unit measures; rmf's own
	// unit attribute carries them back.
	if Measure(indicators.YesNo) != MeasureNominal || Measure(indicators.Currency) != MeasureUnit || Measure(indicators.Ratio) != MeasureUnit {
		t.Errorf("yes/no, currency, ratio: %q %q %q", Measure(indicators.YesNo), Measure(indicators.Currency), Measure(indicators.Ratio))
	}
}
