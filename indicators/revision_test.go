package indicators

import (
	"errors"
	"testing"
)

func TestParseReasonCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"  ", ""}, {"Changes in context", "changes in context"}, {"changes_in_context", "changes in context"},
		{"COVID-19", "COVID-19"}, {"covid19", "COVID-19"}, {"Covid", "COVID-19"}, {"budget realignment", "budget realignment"},
		{"Costed extension", "costed extension"}, {"DONOR REQUIREMENT", "donor requirement"}, {"implementation-delays", "implementation delays"},
		{"adaptive management", "adaptive management"}, {"other", "other"},
	} {
		got, err := ParseReasonCode(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseReasonCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"mid-term review", "because", "covid-20"} {
		if _, err := ParseReasonCode(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseReasonCode(%q): %v, want ErrInvalid", bad, err)
		}
	}
}
