package exporters

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
)

func rfp(x float64) *float64 { return &x }
func rbp(b bool) *bool       { return &b }

// sampleReport is a small, realistic report built by hand (it does not
// depend on BuildReport): the example project at 2021Q3 with a goal, two
// outcomes, their outputs, an activity without indicators (not shown),
// indicators of every status, yes/no and text indicators, a breakdown by
// sex and province, findings of each kind and missing numbers.
func sampleReport() *indicators.Report {
	S := func(pairs ...any) map[indicators.Status]int {
		m := map[indicators.Status]int{}
		for i := 0; i < len(pairs); i += 2 {
			m[pairs[i].(indicators.Status)] = pairs[i+1].(int)
		}
		return m
	}
	const (
		ach = indicators.StatusAchieved
		on  = indicators.StatusOnTrack
		ar  = indicators.StatusAtRisk
		off = indicators.StatusOffTrack
		nd  = indicators.StatusNoData
		nyd = indicators.StatusNotDue
	)
	src := func(sheet string, rows ...int) []indicators.Source {
		return []indicators.Source{{File: "data/2021Q3.xlsx", Sheet: sheet, Rows: rows, Figures: len(rows)}}
	}
	return &indicators.Report{
		Project: indicators.ReportProject{Code: "MIG-MN", Title: "Internal migration in Mongolia - data, governance and services for internal migrants",
			Start: "2019-09-01", End: "2023-08-31", Donor: "Swiss Agency for Development and Cooperation", Reporting: "semiannual"},
		Period:   indicators.ReportPeriod{Code: "2021Q3", Start: "2021-07-01", End: "2021-09-30"},
		Previous: &indicators.ReportPeriod{Code: "2021Q2", Start: "2021-04-01", End: "2021-06-30"},
		// 761 of 1461 days.
		Elapsed:      0.520876112251882,
		StatusCounts: S(ach, 1, on, 3, ar, 1, off, 2, nd, 1, nyd, 1, indicators.StatusReported, 1),
		Results: []indicators.ReportResult{
			{Code: "OO", Level: indicators.Goal, Statement: "Internal migrants in Mongolia enjoy better socio-economic well-being.",
				Status: off, Delivery: off, StatusCounts: S(ach, 1, on, 3, ar, 1, off, 2, nd, 1, nyd, 1, indicators.StatusReported, 1), Depth: 0, Children: []string{"O1", "O3"},
				Indicators: []indicators.ReportIndicator{{
					Code: "OO.1", Name: "Share of surveyed migrants reporting improved well-being", Unit: indicators.Percent,
					Direction: indicators.Increase, Aggregation: indicators.Last, Baseline: rfp(0), Target: rfp(75),
					Expected: rfp(0), Status: nyd, Verified: "", Frequency: "end", DataSource: "endline survey",
				}}},
			{Code: "O1", Level: indicators.Outcome, Parent: "OO", Statement: "The government has better national data on internal migration.",
				Assumptions: "Trained staff stay in post.", Status: off, Delivery: on, StatusCounts: S(ach, 1, on, 2, off, 1, indicators.StatusReported, 1), Depth: 1,
				Children: []string{"1.1", "1.2"},
				Indicators: []indicators.ReportIndicator{{
					Code: "O1.1", Name: "Migration module included in the labour force survey", Unit: indicators.YesNo,
					Direction: indicators.Increase, Aggregation: indicators.Last, Baseline: rfp(0), Target: rfp(1), Milestone: rfp(1),
					PeriodValue: rfp(0), Actual: rfp(0), PreviousActual: rfp(0), Progress: rfp(0), Expected: rfp(0.5), Status: off,
					Likely: rbp(false), Verified: "yes", Sources: src("Outcome 1", 4),
				}}},
			{Code: "1.1", Level: indicators.Output, Parent: "O1", Statement: "Statistics and emergency-management staff can collect and analyse data on mobile populations.",
				Status: on, StatusCounts: S(ach, 1, on, 2), Depth: 2,
				Indicators: []indicators.ReportIndicator{
					{Code: "1.1.1", Name: "Tracking tools adapted to the capital", Unit: indicators.YesNo, Direction: indicators.Increase,
						Aggregation: indicators.Last, Baseline: rfp(0), Target: rfp(1), Milestone: rfp(1), PeriodValue: rfp(1), Actual: rfp(1),
						PreviousActual: rfp(0), Progress: rfp(1), Expected: rfp(1), Status: ach, Likely: rbp(true), Verified: "yes",
						Sources: src("Output 1.1", 5)},
					{Code: "1.1.2", Name: "Share of trained officers with better knowledge of interpreting mobility data", Unit: indicators.Percent,
						Direction: indicators.Increase, Aggregation: indicators.Last, Baseline: rfp(0), Target: rfp(80), Milestone: rfp(60),
						PeriodValue: rfp(71.42857142857143), Actual: rfp(71.42857142857143), PreviousActual: rfp(65),
						Progress: rfp(0.8928571428571429), Expected: rfp(0.75), Status: on, Projection: rfp(84.0000001), Likely: rbp(true),
						NextMilestone: &indicators.NextMilestone{Period: "2022Q1", Target: 70},
						Disaggregated: []indicators.DisaggActual{
							{Dims: indicators.Disagg{"sex": "female"}, Actual: rfp(75), PeriodValue: rfp(75)},
							{Dims: indicators.Disagg{"sex": "male"}, Actual: rfp(68.18181818), PeriodValue: rfp(68.18181818)},
						},
						Verified: "yes", Numerator: rfp(25), Denominator: rfp(35), Sources: src("Output 1.1", 6, 7, 8, 12)},
					{Code: "1.1.3", Name: "Tracking assessments carried out", Unit: indicators.Number, Direction: indicators.Increase,
						Aggregation: indicators.Sum, Baseline: rfp(0), Target: rfp(12), Milestone: rfp(8), PeriodValue: rfp(2), Actual: rfp(8),
						PreviousActual: rfp(6), Progress: rfp(0.6666666666666666), Expected: rfp(0.6666666666666666), Status: on,
						Projection: rfp(15.2), Likely: rbp(true), NextMilestone: &indicators.NextMilestone{Period: "2022Q1", Target: 10},
						Verified: "yes", Sources: []indicators.Source{
							{File: "data/2021Q2.xlsx", Sheet: "Output 1.1", Rows: []int{9}, Figures: 1},
							{File: "data/2021Q3.xlsx", Sheet: "Output 1.1", Rows: []int{9}, Figures: 1}}},
				}},
			{Code: "1.2", Level: indicators.Output, Parent: "O1", Statement: "A proposal to add migration indicators to the census is submitted to the statistics office.",
				Status: indicators.StatusReported, StatusCounts: S(indicators.StatusReported, 1), Depth: 2,
				Indicators: []indicators.ReportIndicator{{
					Code: "1.2.1", Name: "Census proposal", Unit: indicators.Text, Direction: indicators.Increase, Aggregation: indicators.Last,
					BaselineText: "none", TargetText: "submitted | approved", ActualText: "draft presented to the statistics office",
					MilestoneText: "drafted",
					Status:        indicators.StatusReported, Verified: "yes", Sources: src("Output 1.2", 4),
				}}},
			{Code: "O3", Level: indicators.Outcome, Parent: "OO", Statement: "Migrants are less vulnerable thanks to information, services and targeted programmes.",
				Status: off, Delivery: off, StatusCounts: S(on, 1, ar, 1, off, 1, nd, 1), Depth: 1, Children: []string{"3.2", "3.3"}},
			{Code: "3.2", Level: indicators.Output, Parent: "O3", Statement: "Local staff can inform and serve migrants, especially women.",
				Status: off, StatusCounts: S(off, 1), Depth: 2,
				Indicators: []indicators.ReportIndicator{{
					Code: "3.2.1", Name: "Local staff trained", Unit: indicators.Number, Direction: indicators.Increase, Aggregation: indicators.Sum,
					Baseline: rfp(0), Target: rfp(400), Milestone: rfp(240), PeriodValue: nil, Actual: rfp(80), PreviousActual: rfp(80),
					Progress: rfp(0.2), Expected: rfp(0.6), Status: off, Projection: rfp(150.5), Likely: rbp(false),
					NextMilestone: &indicators.NextMilestone{Period: "2021Q4", Target: 280},
					Disaggregated: []indicators.DisaggActual{
						{Dims: indicators.Disagg{"sex": "female"}, Actual: rfp(52)},
						{Dims: indicators.Disagg{"sex": "male"}, Actual: rfp(28)},
					},
					Verified: "no", Sources: src("Output 3.2", 4, 5, 6),
					// the 2021Q3 figures did not come: never "no change"
					Responsible: "Training coordinator", Missing: []string{"2021Q3"}, PeriodMissing: []string{"2021Q3"},
				}}},
			{Code: "A3.2.1", Level: indicators.Activity, Parent: "3.2", Statement: "Train local officials.", Depth: 3,
				StatusCounts: map[indicators.Status]int{}},
			{Code: "3.3", Level: indicators.Output, Parent: "O3", ContributesTo: []string{"O1"},
				Statement: "NGOs deliver services to migrants.", Status: ar, StatusCounts: S(on, 1, ar, 1, nd, 1), Depth: 2,
				Indicators: []indicators.ReportIndicator{
					{Code: "3.3.1", Name: "NGOs funded", Unit: indicators.Number, Direction: indicators.Increase, Aggregation: indicators.Sum,
						Baseline: rfp(0), Target: rfp(21), Milestone: rfp(17), PeriodValue: rfp(0), Actual: rfp(17), PreviousActual: rfp(17),
						Progress: rfp(0.8095238095238095), Expected: rfp(0.8095238095238095), Status: on, Projection: rfp(21), Likely: rbp(true),
						Verified: "yes", Sources: src("Output 3.3", 4)},
					{Code: "3.3.2", Name: "Migrants served by NGOs", Unit: indicators.Number, Direction: indicators.Increase, Aggregation: indicators.Sum,
						Baseline: rfp(0), Target: rfp(20000), Milestone: rfp(15000), PeriodValue: rfp(1653), Actual: rfp(10753), PreviousActual: rfp(9100),
						Progress: rfp(0.53765), Expected: rfp(0.75), Status: ar, Projection: rfp(16523.456789), Likely: rbp(false),
						Disaggregated: []indicators.DisaggActual{
							{Dims: indicators.Disagg{"sex": "female"}, Actual: rfp(6020), PeriodValue: rfp(950)},
							{Dims: indicators.Disagg{"sex": "male"}, Actual: rfp(4492), PeriodValue: rfp(703)},
							{Dims: indicators.Disagg{"province": "Darkhan-Uul"}, Actual: rfp(3100)},
						},
						Verified: "no", Warnings: []string{"total 10,753 differs from the sum of its breakdown by sex (10,512)"},
						Sources: []indicators.Source{{File: "data/2021Q3.xlsx", Sheet: "Output 3.3", Rows: []int{5, 6, 7, 8, 9, 10, 11, 14}, Figures: 8}}},
					{Code: "3.3.4", Name: "Share of NGO projects completed on time", Unit: indicators.Percent, Direction: indicators.Increase,
						Aggregation: indicators.Last, Baseline: nil, Target: rfp(90), Expected: rfp(0.5), Status: nd, Verified: ""},
				}},
		},
		Findings: []indicators.Finding{
			{Code: "3.3.2", Severity: indicators.SevWarning, Period: "2021Q3", Kind: "unverified",
				Message: "10,753 migrants served as reported by the project; not verified against the NGOs' registers"},
			{Code: "3.3.2", Severity: indicators.SevWarning, Period: "2021Q3", Kind: "mismatch",
				Message: "total 10,753 differs from the sum of its breakdown by sex (10,512)"},
			{Code: "1.1.2", Severity: indicators.SevError, Period: "2021Q3", Kind: "rule",
				Message: "rule \"numerator <= denominator\" does not hold for sex=male: 26 > 22"},
			{Code: "3.3.4", Severity: indicators.SevInfo, Message: "no baseline given"},
			{Code: "3.2.1", Severity: indicators.SevWarning, Period: "2021Q3", Kind: "missing",
				Message: "no figure for 2021Q3 (owed by 2021-09-30, responsible: Training coordinator)"},
		},
		Missing: []indicators.MissingReport{
			{Indicator: "3.2.1", Name: "Local staff trained", Period: "2021Q3", Responsible: "Training coordinator"},
			{Indicator: "3.3.4", Name: "Share of NGO projects completed on time", Period: "2021Q2", Responsible: "NGO grants unit"},
			{Indicator: "3.3.4", Name: "Share of NGO projects completed on time", Period: "2021Q3", Responsible: "NGO grants unit"},
		},
	}
}

func TestWriteReportGolden(t *testing.T) {
	r := sampleReport()
	var js, md, txt, col bytes.Buffer
	if err := WriteReportJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportText(&txt, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportText(&col, r, TextOptions{Color: true, Width: 80}); err != nil {
		t.Fatal(err)
	}
	golden(t, "report/sample.json", js.Bytes())
	golden(t, "report/sample.md", md.Bytes())
	golden(t, "report/sample.txt", txt.Bytes())
	golden(t, "report/sample_color80.txt", col.Bytes())
}

func TestWriteReportJSONShape(t *testing.T) {
	r := sampleReport()
	var buf bytes.Buffer
	if err := WriteReportJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, k := range []string{"project", "period", "elapsed", "results", "findings"} {
		if _, ok := got[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	if e := got["elapsed"].(float64); e != 0.5209 {
		t.Errorf("elapsed = %v, want 0.5209 (4 decimals)", e)
	}
	results := got["results"].([]any)
	var codes []string
	inds := map[string]map[string]any{}
	for _, x := range results {
		res := x.(map[string]any)
		codes = append(codes, res["code"].(string))
		for _, k := range []string{"code", "level", "statement", "status", "status_counts", "indicators"} {
			if _, ok := res[k]; !ok {
				t.Errorf("result %v: key %q missing", res["code"], k)
			}
		}
		for _, y := range res["indicators"].([]any) {
			ind := y.(map[string]any)
			inds[ind["code"].(string)] = ind
		}
	}
	if want := "OO O1 1.1 1.2 O3 3.2 A3.2.1 3.3"; strings.Join(codes, " ") != want {
		t.Errorf("results in order %q, want logframe order %q", strings.Join(codes, " "), want)
	}
	specKeys := []string{"code", "name", "unit", "direction", "baseline", "target", "milestone", "period_value", "actual",
		"progress", "expected", "status", "projection", "likely", "disaggregated", "verified", "warnings"}
	for code, ind := range inds {
		for _, k := range specKeys {
			if _, ok := ind[k]; !ok {
				t.Errorf("indicator %s: key %q missing", code, k)
			}
		}
		if _, ok := ind["warnings"].([]any); !ok {
			t.Errorf("indicator %s: warnings = %v, want a list", code, ind["warnings"])
		}
	}
	tests := []struct {
		code, key string
		want      any
	}{
		{"1.1.2", "actual", 71.4286},
		{"1.1.2", "progress", 0.8929},
		{"1.1.2", "expected", 0.75},
		{"1.1.2", "projection", 84.0},
		{"1.1.2", "status", "on track"},
		{"1.1.2", "likely", true},
		{"3.3.2", "projection", 16523.4568},
		{"3.3.2", "status", "at risk"},
		{"3.3.4", "actual", nil},
		{"3.3.4", "baseline", nil},
		{"3.3.4", "progress", nil},
		{"3.3.4", "likely", nil},
		{"3.3.4", "status", "no data"},
		{"OO.1", "status", "not due"},
		{"OO.1", "expected", 0.0},
		{"3.2.1", "period_value", nil},
		{"3.2.1", "status", "off track"},
	}
	for _, tc := range tests {
		ind, ok := inds[tc.code]
		if !ok {
			t.Errorf("indicator %s missing", tc.code)
			continue
		}
		v, ok := ind[tc.key]
		if !ok {
			t.Errorf("%s.%s missing", tc.code, tc.key)
			continue
		}
		if v != tc.want {
			t.Errorf("%s.%s = %#v, want %#v", tc.code, tc.key, v, tc.want)
		}
	}
	dis := inds["1.1.2"]["disaggregated"].([]any)
	d0 := dis[0].(map[string]any)
	if d0["dims"].(map[string]any)["sex"] != "female" || d0["actual"] != 75.0 {
		t.Errorf("disaggregated[0] = %v", d0)
	}
	// The writer must not change the report it is given.
	if *r.Results[2].Indicators[1].Actual != 71.42857142857143 {
		t.Error("WriteReportJSON changed the report's numbers")
	}
}

func TestWriteReportJSONNonFinite(t *testing.T) {
	r := sampleReport()
	nan, inf := 0.0, 1.0
	nan /= nan * 0 // NaN without a constant expression
	inf /= 0 * inf
	r.Results[2].Indicators[1].Progress = &nan
	r.Results[2].Indicators[1].Projection = &inf
	var buf bytes.Buffer
	if err := WriteReportJSON(&buf, r); err != nil {
		t.Fatalf("NaN/Inf must become null, got error %v", err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatal("invalid JSON")
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestWriteReportTextWidth(t *testing.T) {
	for _, w := range []int{0, 60, 80, 100, 140} {
		for _, color := range []bool{false, true} {
			var buf bytes.Buffer
			if err := WriteReportText(&buf, sampleReport(), TextOptions{Color: color, Width: w}); err != nil {
				t.Fatal(err)
			}
			limit := w
			if limit == 0 {
				limit = 100
			}
			out := buf.String()
			if !color && strings.Contains(out, "\x1b[") {
				t.Errorf("width %d: ANSI codes without Color", w)
			}
			if color && !strings.Contains(out, "\x1b[") {
				t.Errorf("width %d: no ANSI codes with Color", w)
			}
			for i, line := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(ansi.ReplaceAllString(line, "")); n > limit {
					t.Errorf("width %d color %v: line %d has %d columns: %q", w, color, i+1, n, line)
				}
			}
			for _, code := range []string{"O1", "O3", "1.1.2", "3.3.2", "OO.1"} {
				if !strings.Contains(out, code) {
					t.Errorf("width %d: %s missing", w, code)
				}
			}
			if strings.Contains(out, "A3.2.1") {
				t.Errorf("width %d: an activity without indicators is shown", w)
			}
		}
	}
}

func TestWriteReportMarkdownContent(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReportMarkdown(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"# MIG-MN: Internal migration in Mongolia",
		"## Summary",
		"## Outcome O1: ",
		"### Output 3.3: ",
		"| 3.3.2 | Migrants served by NGOs | number | 0 | 20,000 | 15,000 | 10,753 | 54% | 75% | ▲ at risk | no |",
		"**3.3.2** Migrants served by NGOs: 9,100 → 10,753 (+1,653); 1,653 in 2021Q3",
		"**1.1.3** Tracking assessments carried out: 10 by 2022Q1 (now 8; 2 to go)",
		"| 1.1.2 | sex: female | 75% | 75% | – |",
		"| 3.3.2 | sex: female | 6,020 | 950 | 56% |",
		"submitted \\| approved",
		"## Data quality",
		"### Unverified figures",
		"- **3.2.1** Local staff trained: 80 (verified: no)",
		"### Totals that do not match their breakdown",
		"### Rules that do not hold",
		"## Sources",
		"| 3.3.2 | 2021Q3.xlsx | Output 3.3 | 5-11, 14 | 8 |",
		"is **off track**: progress 20% against 60% expected (40 points behind)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if strings.Contains(out, "A3.2.1") {
		t.Error("an activity without indicators has a section")
	}
}

func TestRepHelpers(t *testing.T) {
	tests := []struct{ got, want string }{
		{repNum(10753, 0), "10,753"},
		{repNum(-1234567.5, 1), "-1,234,567.5"},
		{repNum(71.40, 2), "71.4"},
		{repNum(-0.0001, 2), "0"},
		{repValue(rfp(71.4286), indicators.Percent), "71.4%"},
		{repValue(rfp(1), indicators.YesNo), "yes"},
		{repValue(nil, indicators.Number), "–"},
		{repValue(rfp(0.4567), indicators.Ratio), "0.457"},
		{repShare(rfp(0.8929)), "89%"},
		{repDelta(rfp(65), rfp(71.43), indicators.Percent), "+6.4 points"},
		{repDelta(rfp(8), rfp(6), indicators.Number), "-2"},
		{repDelta(rfp(0), rfp(1), indicators.YesNo), "now yes"},
		{repRows([]int{9, 4, 5, 6, 12, 13}), "4-6, 9, 12-13"},
		{repRows(nil), "–"},
		{repClip("abcdef", 4), "abc…"},
		{repClip("abc", 4), "abc"},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("case %d: got %q, want %q", i, tc.got, tc.want)
		}
	}
}

// largeReport is a report of the size of the import issue's large project:
// 200 outputs of 5 indicators each (1,000), each with a breakdown by sex
// and 21 provinces and 20 quarters of series.
func largeReport() *indicators.Report {
	base := sampleReport()
	proto := base.Results[7].Indicators[1] // 3.3.2
	var dis []indicators.DisaggActual
	for _, s := range []string{"female", "male"} {
		dis = append(dis, indicators.DisaggActual{Dims: indicators.Disagg{"sex": s}, Actual: rfp(5000.5), PeriodValue: rfp(700)})
	}
	for i := 0; i < 21; i++ {
		dis = append(dis, indicators.DisaggActual{Dims: indicators.Disagg{"province": "P" + strconv.Itoa(i)}, Actual: rfp(500.25)})
	}
	var ser []indicators.SeriesPoint
	for q := 0; q < 20; q++ {
		ser = append(ser, indicators.SeriesPoint{Period: "Q" + strconv.Itoa(q), Target: rfp(float64(q) * 100), Actual: rfp(float64(q) * 90.5)})
	}
	r := &indicators.Report{Project: base.Project, Period: base.Period, Previous: base.Previous, Elapsed: base.Elapsed,
		StatusCounts: map[indicators.Status]int{}, Findings: base.Findings}
	for o := 0; o < 200; o++ {
		res := indicators.ReportResult{Code: "R" + strconv.Itoa(o), Level: indicators.Output, Statement: "A large output",
			Status: indicators.StatusAtRisk, StatusCounts: map[indicators.Status]int{indicators.StatusAtRisk: 5}, Depth: 1}
		for k := 0; k < 5; k++ {
			ind := proto
			ind.Code = res.Code + "." + strconv.Itoa(k)
			ind.Disaggregated, ind.Series = dis, ser
			res.Indicators = append(res.Indicators, ind)
			r.StatusCounts[ind.Status]++
		}
		r.Results = append(r.Results, res)
	}
	return r
}

// BenchmarkWriteReport times each writer on a 1,000-indicator report.
func BenchmarkWriteReport(b *testing.B) {
	r := largeReport()
	writers := []struct {
		name string
		fn   func(io.Writer) error
	}{
		{"json", func(w io.Writer) error { return WriteReportJSON(w, r) }},
		{"md", func(w io.Writer) error { return WriteReportMarkdown(w, r) }},
		{"text", func(w io.Writer) error { return WriteReportText(w, r, TextOptions{}) }},
	}
	for _, wr := range writers {
		b.Run(wr.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := wr.fn(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWriteReportFollowUp checks that the follow-up of the recommendations
// is printed when the report has one (its own layout is tested with
// exporters/followup.go), and that actions linked to a result show there.
func TestWriteReportFollowUp(t *testing.T) {
	r := sampleReport()
	act := indicators.FollowUpAction{Recommendation: "3", Number: "3.1", Text: "Train NGOs in four regions",
		Deadline: "2022-04", Due: "2022-04-30", Status: indicators.Ongoing, Links: []string{"3.3.2"}}
	r.FollowUp = &indicators.FollowUp{AsOf: "2021-09-30",
		Evaluations: []indicators.FollowUpEvaluation{{Title: "Mid-term review", Date: "2021-06-30"}},
		Recommendations: []indicators.FollowUpRecommendation{{Evaluation: "Mid-term review", Number: "3",
			Text: "Continue NGO capacity building", Priority: 2, Response: indicators.Accepted, Actions: []indicators.FollowUpAction{act}}},
		ResponseCounts: map[indicators.Response]int{indicators.Accepted: 1},
		StatusCounts:   map[indicators.ActionStatus]int{indicators.Ongoing: 1}, Actions: 1,
		Overdue: []indicators.FollowUpAction{},
		ByCode: []indicators.FollowUpCode{{Code: "3.3.2", Actions: []string{"3.1"},
			StatusCounts: map[indicators.ActionStatus]int{indicators.Ongoing: 1}}},
	}
	var md, txt, js bytes.Buffer
	if err := WriteReportMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportText(&txt, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Follow-up of recommendations", "**Follow-up of recommendations**\n\n- **3.3.2**: key actions 3.1 (1 ongoing)"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if !strings.Contains(txt.String(), "Continue NGO capacity building") {
		t.Error("text report lacks the follow-up")
	}
	var got map[string]any
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["recommendations"]; !ok {
		t.Error("JSON report lacks \"recommendations\"")
	}
}

// TestWriteReportEmpty: a report without results, findings or previous
// period is written without failing, and its JSON lists are [] not null.
func TestWriteReportEmpty(t *testing.T) {
	r := &indicators.Report{Project: indicators.ReportProject{Code: "P", Title: "Empty"},
		Period: indicators.ReportPeriod{Code: "2020-01-01..2020-02-15", Start: "2020-01-01", End: "2020-02-15"}}
	var js, md, txt bytes.Buffer
	if err := WriteReportJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportText(&txt, r, TextOptions{Width: 30}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"results": []`, `"findings": []`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, js.String())
		}
	}
	for _, want := range []string{"**Results report for 2020-01-01 to 2020-02-15**", "no indicators", "No findings", "No figures were reported"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md.String())
		}
	}
	if !strings.Contains(txt.String(), "0 indicators") {
		t.Errorf("text: %q", txt.String())
	}
}

// TestWriteReportMarkdownEscapesHTML puts HTML in the project's texts: the
// Markdown report shows it as text, escaped as in the HTML report (it
// passed "<script>" through raw, which a Markdown viewer runs as HTML).
func TestWriteReportMarkdownEscapesHTML(t *testing.T) {
	r := sampleReport()
	r.Project.Title = "<script>alert(1)</script>"
	r.Project.Donor = "R&D <b>fund</b> &lt;i&gt;" // "&lt;" typed as text stays that text
	r.Results[0].Statement = `<img src=x onerror="alert(2)">`
	r.Results[0].Indicators[0].Name = "<iframe src=//evil>"
	r.Results[1].Statement = "![x](http://evil.example/p.png) [click](javascript:alert(1))"
	var buf bytes.Buffer
	if err := WriteReportMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, raw := range []string{"<script", "<img", "<iframe", "<b>", "[x](", "[click]("} {
		if strings.Contains(md, raw) {
			t.Errorf("Markdown report holds raw HTML %q", raw)
		}
	}
	for _, want := range []string{"# MIG-MN: &lt;script&gt;alert(1)&lt;/script&gt;\n", "Donor: R&D &lt;b&gt;fund&lt;/b&gt; &amp;lt;i&amp;gt;.",
		`&lt;img src=x onerror="alert(2)"&gt;`, "&lt;iframe src=//evil&gt;",
		`!\[x\](http://evil.example/p.png) \[click\](javascript:alert(1))`} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown report lacks %q", want)
		}
	}
}

// TestReportsSayMilestoneReading: every text format says how each
// indicator's milestones are read (SPEC 5), as the JSON does per indicator.
func TestReportsSayMilestoneReading(t *testing.T) {
	r := sampleReport()
	n := 0
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			ind := &r.Results[i].Indicators[j]
			ind.MilestoneReading = []string{"per period", "cumulative"}[n%2]
			n++
		}
	}
	want := repReadings(r)
	if !strings.HasPrefix(want, "Milestones read as per period (amounts that add up to the target): ") ||
		!strings.Contains(want, "; as cumulative (where the indicator should stand by the end of each period): ") {
		t.Fatalf("repReadings: %q", want)
	}
	var md, txt, html bytes.Buffer
	if err := WriteReportMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportText(&txt, r, TextOptions{Width: 10000}); err != nil {
		t.Fatal(err)
	}
	if err := WriteReportHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"md": md.String(), "text": txt.String(), "html": html.String()} {
		if !strings.Contains(out, "Milestones read as per period") || !strings.Contains(out, "as cumulative (where the indicator should stand") {
			t.Errorf("%s report does not say how milestones are read", name)
		}
	}
}
