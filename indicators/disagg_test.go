package indicators

import (
	"slices"
	"testing"
)

func TestDisaggValues(t *testing.T) {
	for _, tc := range []struct {
		d    Disagg
		want []string
	}{
		{nil, []string{}},
		{Disagg{"sex": "female"}, []string{"female"}},
		{Disagg{"sex": "female", "location": "Darkhan"}, []string{"Darkhan", "female"}},
	} {
		if got := tc.d.Values(); !slices.Equal(got, tc.want) {
			t.Errorf("%v.Values() = %q, want %q", tc.d, got, tc.want)
		}
	}
}
