package indicators

import (
	"math"
	"testing"
)

// TestFormat: the one formatter of figures, by unit and precision. The
// reports' rule (Format) rounds by size; FormatExact keeps every stored
// digit (history, due, listings); both group thousands with commas and
// read yes/no from 0.5 up.
func TestFormat(t *testing.T) {
	tests := []struct {
		u             Unit
		v             float64
		format, exact string
	}{
		{Number, 10753, "10,753", "10,753"},
		{Number, 10753.25, "10,753", "10,753.25"},
		{Number, -1234567.25, "-1,234,567", "-1,234,567.25"},
		{Number, 999, "999", "999"},
		{Number, 1000, "1,000", "1,000"},
		{Number, 123.456, "123.5", "123.456"},
		{Number, 0.5, "0.5", "0.5"},
		{Number, 71.4286, "71.43", "71.4286"},
		{Number, -0.001, "0", "-0.001"},
		{Currency, 2500.5, "2,500", "2,500.5"}, // half to even, as strconv rounds
		{Percent, 71.4286, "71.4%", "71.4%"},
		{Percent, 100, "100%", "100%"},
		{Percent, 12345.67, "12,345.7%", "12,345.7%"},
		{Ratio, 1.23456, "1.235", "1.23456"},
		{Ratio, 12.3456, "12.35", "12.3456"},
		{Ratio, 123.456, "123.5", "123.456"},
		{YesNo, 1, "yes", "yes"},
		{YesNo, 0, "no", "no"},
		{YesNo, 0.5, "yes", "yes"},
		{YesNo, 0.49, "no", "no"},
		{Number, math.NaN(), NoValue, "NaN"},
	}
	for _, tt := range tests {
		if got := tt.u.Format(tt.v); got != tt.format {
			t.Errorf("%s.Format(%v) = %q, want %q", tt.u, tt.v, got, tt.format)
		}
		if got := tt.u.FormatExact(tt.v); got != tt.exact {
			t.Errorf("%s.FormatExact(%v) = %q, want %q", tt.u, tt.v, got, tt.exact)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		x     float64
		dec   int
		group bool
		want  string
	}{
		{12, 2, false, "12"},
		{0.5, 2, false, "0.5"},
		{71.4286, 2, false, "71.43"},
		{1e15, 2, false, "1000000000000000"},
		{10753.456, 1, true, "10,753.5"},
		{10753.456, -1, true, "10,753.456"},
		{-10753.5, -1, true, "-10,753.5"},
		{100.001, 2, false, "100"},
		{-0.001, 2, false, "-0"}, // FormatRounded prints "0"
	}
	for _, tt := range tests {
		if got := FormatDecimal(tt.x, tt.dec, tt.group); got != tt.want {
			t.Errorf("FormatDecimal(%v, %d, %v) = %q, want %q", tt.x, tt.dec, tt.group, got, tt.want)
		}
	}
	if got := FormatRounded(-0.001, 2); got != "0" {
		t.Errorf("FormatRounded(-0.001, 2) = %q", got)
	}
	if got := FormatRounded(math.Inf(1), 2); got != NoValue {
		t.Errorf("FormatRounded(+Inf) = %q", got)
	}
}
