package importers

import "testing"

// TestIsExample: the marker of the blank workbook's example rows, and
// codes that must never be taken for it.
func TestIsExample(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"e.g. 1.1.1", true},
		{"E.G. O1", true},
		{"  e.g.O1", true},
		{"e.g.", true},
		{"eg 1.1", false},
		{"1.1.1", false},
		{"example", false},
		{"EG-1", false},
		{"", false},
	} {
		if got := IsExample(c.text); got != c.want {
			t.Errorf("IsExample(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
