package indicators

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzBuildReport feeds arbitrary figures (any period, disaggregation,
// value, numerator and denominator) to a framework with every kind of
// indicator: the report must always be built, marshal to JSON (no NaN or
// infinity) and hold only known statuses.
func FuzzBuildReport(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, uint8(3))
	f.Add([]byte{9, 0, 0, 0, 200, 3, 3, 3, 1, 1, 1, 1, 255, 255, 0, 7}, uint8(0))
	fw := rpFramework(
		Indicator{Code: "S", Baseline: rpF(0), Target: rpF(100), Disaggregations: []string{"sex", "province"}},
		Indicator{Code: "L", Aggregation: Last, Direction: Decrease, Baseline: rpF(50), Target: rpF(10), Disaggregations: []string{"sex"}},
		Indicator{Code: "M", Aggregation: Mean, Baseline: rpF(5), Target: rpF(5), Direction: Maintain},
		Indicator{Code: "X", Aggregation: Max},
		Indicator{Code: "P", Unit: Percent, Baseline: rpF(0), Target: rpF(80), Disaggregations: []string{"sex"}},
		Indicator{Code: "R", Unit: Ratio, Baseline: rpF(0), Target: rpF(2), Numerator: "S", Denominator: "L", Disaggregations: []string{"sex"}},
		Indicator{Code: "C", Unit: Percent, Baseline: rpF(0), Target: rpF(100), Formula: `100 * value("S") / value("L") + previous("X") - cumulative("M")`, Disaggregations: []string{"sex"}},
		Indicator{Code: "Y", Unit: YesNo, Baseline: rpF(0), Target: rpF(1), Frequency: "end"},
		Indicator{Code: "T", Unit: Text, TargetText: "done"},
	)
	fw.Rules = []Rule{{Code: "R1", Check: `value("S") >= value("L")`, Severity: SevWarning, Message: "S below L"}}
	fw.Milestones = []Milestone{{Indicator: "S", Period: Quarter(2021, 4), Target: 40}, {Indicator: "L", Period: Year(2021), Target: 30},
		{Indicator: "S", Period: Quarter(2021, 4), Target: 20, Dims: Disagg{"sex": "female"}}}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		f.Fatal(probs)
	}
	codes := []string{"S", "L", "M", "X", "P", "R", "C", "Y", "T", "unknown"}
	periods := []Period{Quarter(2021, 1), Quarter(2021, 2), Quarter(2021, 3), Year(2021), Month(2022, 5), Semester(2022, 1),
		Range(rpDate(2021, 2, 1), rpDate(2021, 5, 31)), Quarter(2020, 4), Quarter(2023, 1)}
	dims := []Disagg{nil, {"sex": "female"}, {"sex": "male"}, {"sex": "female", "province": "North"}, {"sex": "male", "province": "South"},
		{"province": "East"}, {"sex": "other"}}
	f.Fuzz(func(t *testing.T, data []byte, pi uint8) {
		var figs []Measurement
		for i := 0; i+4 <= len(data) && len(figs) < 200; i += 4 {
			m := Measurement{Indicator: codes[int(data[i])%len(codes)], Period: periods[int(data[i+1])%len(periods)],
				Dims: dims[int(data[i+2])%len(dims)], Verified: []Verified{"", VerifiedYes, VerifiedNo, Unverifiable}[int(data[i+3])%4]}
			v := float64(int(data[i+3])-100) / 4
			switch data[i+2] % 5 {
			case 0:
				m.Numerator, m.Denominator = rpF(v), rpF(float64(data[i]%3))
			case 1:
				m.Text = "done"
			case 2:
				// no value at all
			default:
				m.Value = rpF(v)
			}
			figs = append(figs, m)
		}
		ps := []Period{Quarter(2021, 4), Quarter(2022, 4), Range(rpDate(2021, 2, 1), rpDate(2021, 5, 31)), Quarter(2020, 1), Year(2023)}
		r, err := BuildReport(ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: ps[int(pi)%len(ps)]})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("json: %v", err)
		}
		for _, res := range r.Results {
			if !slices.Contains(Statuses, res.Status) {
				t.Fatalf("result %s: status %q", res.Code, res.Status)
			}
			for _, ind := range res.Indicators {
				if !slices.Contains(Statuses, ind.Status) {
					t.Fatalf("indicator %s: status %q", ind.Code, ind.Status)
				}
			}
		}
	})
}
