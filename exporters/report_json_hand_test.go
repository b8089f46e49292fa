package exporters

import (
	"html/template"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// handStrings are texts whose JSON needs escapes, for the hand encoder of
// the report's findings.
var handStrings = []string{
	"", "plain", `q"uo\te`, "tab\there", "line\nbreak\r\n", "\b\f\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "é ü 漢字 🙂", "\u2028\u2029", "bad \xff\xfe utf-8 \xe2\x82", "\xf0\x9f",
	strings.Repeat("x", 100) + `"`,
}

// TestJSONAppendString: the hand encoder writes a string as
// encoding/json does with SetEscapeHTML(false).
func TestJSONAppendString(t *testing.T) {
	for _, s := range handStrings {
		want, err := jsonCompact(s)
		if err != nil {
			t.Fatal(err)
		}
		got := jsonAppendString([]byte("x"), s)
		if string(got) != "x"+strings.TrimSuffix(string(want), "\n") {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// TestJSONAppendFinding: a finding is encoded as encoding/json encodes it,
// empty period and kind left out.
func TestJSONAppendFinding(t *testing.T) {
	var fs []indicators.Finding
	for i, s := range handStrings {
		f := indicators.Finding{Code: s, Severity: indicators.Severity(handStrings[(i+1)%len(handStrings)]), Message: handStrings[(i+2)%len(handStrings)]}
		if i%2 == 0 {
			f.Period = handStrings[(i+3)%len(handStrings)]
		}
		if i%3 == 0 {
			f.Kind = handStrings[(i+4)%len(handStrings)]
		}
		fs = append(fs, f)
	}
	fs = append(fs, indicators.Finding{}, indicators.Finding{Code: "1.1", Severity: indicators.SevWarning, Message: "m", Period: "2021Q3", Kind: "mismatch"})
	for _, f := range fs {
		want, err := jsonCompact(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonAppendFinding(nil, &f); string(got) != strings.TrimSuffix(string(want), "\n") {
			t.Errorf("%+v: got %s, want %s", f, got, want)
		}
	}
}

// TestRepMDText: repMDText flattens as strings.Fields and a join do, with
// or without its shortcut for texts already flat.
func TestRepMDText(t *testing.T) {
	for _, s := range append(handStrings, " lead", "trail ", "two  spaces", "a b c", "nbsp\u00a0x", "nel\u0085x", "v\vt", "a", " ") {
		if got, want := repMDText(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("repMDText(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestHTMLEscapeText: list items are escaped as the report's template
// (html/template) escapes a text between tags.
func TestHTMLEscapeText(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<li><strong>{{.Code}}</strong> {{.Text}}</li>`))
	for _, s := range append(handStrings, "a+b 'q' \"d\" <i>&</i>\x00", "\xef\xbf\xbe \ufdd0") {
		var want strings.Builder
		if err := tmpl.Execute(&want, htmlItem{Code: s, Text: s + "!"}); err != nil {
			t.Fatal(err)
		}
		var l htmlItems
		l.add(s, s, "!")
		if got := string(l.html()); got != "\n"+want.String() {
			t.Errorf("%q: got %q, want %q", s, got, "\n"+want.String())
		}
	}
}

// TestJSONAppendIndicator: an indicator is encoded as encoding/json
// encodes it, for every indicator of the sample and large reports (as
// given and rounded as the JSON report rounds them) and for indicators
// with every optional part set, left out or nil, and numbers at the
// exponent cutoffs.
func TestJSONAppendIndicator(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	tr, fa := true, false
	inds := []indicators.ReportIndicator{
		{},
		{Code: "c<&>", Name: handStrings[3], Unit: indicators.Percent, Direction: indicators.Decrease, Aggregation: indicators.Mean, Computed: true, Baseline: f(math.Copysign(0, -1)), Target: f(1e21), Milestone: f(1e-7), MilestoneReading: "cumulative",
			MilestoneText: "stage 2", PeriodValue: f(999999999999999999999), Actual: f(0.000001), PreviousActual: f(-1e-6), Progress: f(1.5e300),
			Expected: f(5e-324), Status: indicators.StatusOnTrack, Projection: f(-123.456), Likely: &tr, BaselineText: "b", TargetText: "t\n",
			ActualText: "a\u2028", NextMilestone: &indicators.NextMilestone{Period: "2022Q1", Target: 1e-9},
			Disaggregated: []indicators.DisaggActual{{}, {Dims: indicators.Disagg{"sex": "female", "district": "D\"1", "age": ""}, Actual: f(1), Milestone: f(2)}},
			Verified:      "partly", Warnings: handStrings, Missing: []string{"2021Q1"}, PeriodMissing: []string{"2021Q2", "x"},
			Series:     []indicators.SeriesPoint{{}, {Period: "p", Start: "s", End: "e", Target: f(1), Actual: f(2), PeriodValue: f(3)}},
			Sources:    []indicators.Source{{}, {File: "f.xlsx"}, {Sheet: "S"}, {Rows: []int{1, 2, 1 << 40}}, {File: "f", Sheet: "s", Rows: []int{-3}, Figures: 7}},
			DataSource: "ds", Means: "mv", Frequency: "quarterly", Responsible: "r", Numerator: f(3), Denominator: f(0), Formula: `value("x") + 1`,
			Due: []indicators.DueItem{{Indicator: "not in JSON"}}},
		{Code: "n", Likely: &fa, Disaggregated: []indicators.DisaggActual{}, Warnings: []string{}, Series: []indicators.SeriesPoint{}, Sources: []indicators.Source{}},
	}
	// every field of the second case is set: a field added to the type
	// and not to the encoder shows here
	full := reflect.ValueOf(inds[1])
	for i := 0; i < full.NumField(); i++ {
		if full.Field(i).IsZero() {
			t.Errorf("field %s is not set in the full case", full.Type().Field(i).Name)
		}
	}
	for _, r := range []*indicators.Report{sampleReport(), largeReport()} {
		for _, res := range r.Results {
			for _, ind := range res.Indicators {
				inds = append(inds, ind, repRoundedIndicator(ind))
			}
		}
	}
	for i := range inds {
		want, err := jsonCompact(inds[i])
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonAppendIndicator(nil, &inds[i]); string(got) != strings.TrimSuffix(string(want), "\n") {
			t.Errorf("indicator %d (%s):\n got %s\nwant %s", i, inds[i].Code, got, want)
		}
	}
}
