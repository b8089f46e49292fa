package main

import (
	"encoding/json"
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReportNumbersE2E pins figures of the example project that were worked
// out by hand from `rmf history CODE` and examples/framework.yaml (the
// qa-numbers check), for indicators of every kind and periods of every
// kind, so that a regression in the numbers fails CI. The working is in the
// comments. Project 2019-09-01..2023-08-31 = 1,461 days.
func TestReportNumbersE2E(t *testing.T) {
	dir, db := demoDir(t)
	reports := map[string]map[string]any{}
	report := func(p string) map[string]any {
		if r, ok := reports[p]; ok {
			return r
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(mustRMF(t, dir, db, "report", "--period", p, "--format", "json")), &r); err != nil {
			t.Fatalf("report %s: %v", p, err)
		}
		reports[p] = r
		return r
	}
	ind := func(p, code string) map[string]any {
		for _, r := range report(p)["results"].([]any) {
			for _, i := range r.(map[string]any)["indicators"].([]any) {
				if m := i.(map[string]any); m["code"] == code {
					return m
				}
			}
		}
		t.Fatalf("%s: indicator %s not in the report", p, code)
		return nil
	}
	// want: a number (compared to 4 decimals, as the JSON rounds), nil for
	// null, a string or a bool.
	var check func(p, what string, got, want any)
	check = func(p, what string, got, want any) {
		t.Helper()
		switch w := want.(type) {
		case float64:
			g, ok := got.(float64)
			if !ok || math.Abs(g-w) > 0.00006*math.Max(1, math.Abs(w)) {
				t.Errorf("%s %s = %v, want %v", p, what, got, w)
			}
		case int:
			check(p, what, got, float64(w))
		default:
			if got != want {
				t.Errorf("%s %s = %v, want %v", p, what, got, want)
			}
		}
	}
	type fig struct {
		period, code, field string
		want                any
	}
	for _, f := range []fig{
		// 2021Q3, mid-term. Elapsed: 2019-09-01..2021-09-30 = 761 days, 761/1461.
		{"2021Q3", "", "elapsed", 761.0 / 1461},
		// 3.3.2 migrants served (sum, by sex and province; no explicit totals):
		// 2020Q3 1,650 + 2020Q4 2,480 + 2021Q1 3,105 + 2021Q2 3,518 (all
		// unverifiable: 10,753) + 2021Q3 640 (verified) = 11,393. Milestones
		// due: 2020S2 2,000 + 2021S1 4,000 = 6,000. Progress 11,393/15,000;
		// expected 6,000/15,000 = 0.4; 0.7595 >= 0.85 x 0.4: on track.
		{"2021Q3", "3.3.2", "period_value", 640},
		{"2021Q3", "3.3.2", "actual", 11393},
		{"2021Q3", "3.3.2", "previous_actual", 10753},
		{"2021Q3", "3.3.2", "milestone", 6000},
		{"2021Q3", "3.3.2", "progress", 11393.0 / 15000},
		{"2021Q3", "3.3.2", "expected", 0.4},
		{"2021Q3", "3.3.2", "status", "on track"},
		{"2021Q3", "3.3.2", "verified", "partly"},
		// Least squares through the cumulative actuals at the slot ends
		// 2020-12-31 (4,130), 2021-06-30 (10,753), 2021-09-30 (11,393),
		// extrapolated to 2023-08-31.
		{"2021Q3", "3.3.2", "projection", 31760.5774},
		{"2021Q3", "3.3.2", "likely", true},
		// 1.1.2 percent from 1.1.2n / 1.1.2d, a ratio of sums: (12+8+21+17) /
		// (24+21+30+26) = 58/101 = 57.43%; nothing measured in 2021Q3 itself.
		// Milestone 2021S1: 60; expected 60/80 = 0.75; progress 0.7178 >= 0.6375.
		{"2021Q3", "1.1.2", "actual", 100 * 58.0 / 101},
		{"2021Q3", "1.1.2", "numerator", 58},
		{"2021Q3", "1.1.2", "denominator", 101},
		{"2021Q3", "1.1.2", "period_value", nil},
		{"2021Q3", "1.1.2", "milestone", 60},
		{"2021Q3", "1.1.2", "progress", 58.0 / 101 / 0.8},
		{"2021Q3", "1.1.2", "expected", 0.75},
		{"2021Q3", "1.1.2", "status", "on track"},
		// 1.2.1 yes/no: yes since 2021Q2, milestone yes due 2021S1: achieved.
		{"2021Q3", "1.2.1", "actual", 1},
		{"2021Q3", "1.2.1", "milestone", 1},
		{"2021Q3", "1.2.1", "period_value", nil},
		{"2021Q3", "1.2.1", "status", "achieved"},
		// O3.1 decrease, baseline 28, target 15: 26% (2020Q4 survey):
		// progress (26-28)/(15-28) = 2/13; first milestone 2021S2 not due:
		// expected 0, on track; two flat points: projection 26, not likely.
		{"2021Q3", "O3.1", "actual", 26},
		{"2021Q3", "O3.1", "progress", 2.0 / 13},
		{"2021Q3", "O3.1", "expected", 0},
		{"2021Q3", "O3.1", "status", "on track"},
		{"2021Q3", "O3.1", "projection", 26},
		{"2021Q3", "O3.1", "likely", false},
		// OO.1 end-only survey: no data and nothing expected before the end.
		{"2021Q3", "OO.1", "actual", nil},
		{"2021Q3", "OO.1", "expected", 0},
		{"2021Q3", "OO.1", "status", "not due"},
		// 3.3.4 = cumulative(3.3.2)/cumulative(3.3.1) = 11,393/17; no
		// milestones: expected = elapsed 761/1461.
		{"2021Q3", "3.3.4", "actual", 11393.0 / 17},
		{"2021Q3", "3.3.4", "previous_actual", 10753.0 / 17},
		{"2021Q3", "3.3.4", "progress", 11393.0 / 17 / 700},
		{"2021Q3", "3.3.4", "expected", 761.0 / 1461},
		{"2021Q3", "3.3.4", "status", "on track"},
		// 3.3.5 currency, with two corrections (revision 2 wins): 85,000 +
		// 68,200 + 52,000 + 38,900 + 18,000 = 262,100; milestones 150,000 +
		// 150,000; 0.4368 >= 0.85 x 0.5 = 0.425: on track.
		{"2021Q3", "3.3.5", "actual", 262100},
		{"2021Q3", "3.3.5", "period_value", 18000},
		{"2021Q3", "3.3.5", "milestone", 300000},
		{"2021Q3", "3.3.5", "progress", 262100.0 / 600000},
		{"2021Q3", "3.3.5", "status", "on track"},
		// 3.2.1: 38 + 41 = 79 against 60 + 60: 0.094 / 0.1429 = 0.66: at risk.
		{"2021Q3", "3.2.1", "actual", 79},
		{"2021Q3", "3.2.1", "status", "at risk"},
		// 2.2.2 text: the latest stage reported.
		{"2021Q3", "2.2.2", "actual_text", "drafting"},
		// 2022Q2. 3.2.1: 79 + 22 + 24 + 25 = 150 against 360: 0.1786 < 0.6 x
		// 0.4286: off track. 2.1.1: 2 of 4 against milestones 1+1+1 = 3: 0.5 <
		// 0.85 x 0.75: at risk.
		{"2022Q2", "3.2.1", "actual", 150},
		{"2022Q2", "3.2.1", "milestone", 360},
		{"2022Q2", "3.2.1", "status", "off track"},
		{"2022Q2", "2.1.1", "status", "at risk"},
		{"2022Q2", "3.3.2", "actual", 12908},
		{"2022Q2", "3.3.2", "milestone", 11000},
		// 1.1.2 at 2022Q2: period (21+16)/(26+22) = 37/48; cumulative 126/191.
		{"2022Q2", "1.1.2", "period_value", 100 * 37.0 / 48},
		{"2022Q2", "1.1.2", "actual", 100 * 126.0 / 191},
		// O3.1 at 2022Q2: 23% (2021Q4), milestone 24 due 2021S2: expected
		// (24-28)/(15-28) = 4/13, progress 5/13.
		{"2022Q2", "O3.1", "actual", 23},
		{"2022Q2", "O3.1", "expected", 4.0 / 13},
		{"2022Q2", "O3.1", "progress", 5.0 / 13},
		// A semester, 2021S1: 3,105 + 3,518 = 6,623 in it; 10,753 to date.
		{"2021S1", "3.3.2", "period_value", 6623},
		{"2021S1", "3.3.2", "actual", 10753},
		{"2021S1", "1.1.2", "period_value", 100 * 38.0 / 56},
		// The year 2021: 3,105 + 3,518 + 640 + 520 = 7,783; milestones to
		// 2021S2: 2,000 + 4,000 + 3,000 = 9,000.
		{"2021", "3.3.2", "period_value", 7783},
		{"2021", "3.3.2", "actual", 11913},
		{"2021", "3.3.2", "milestone", 9000},
		// Project year PY2 = 2020-09-01..2021-08-31 (the project's year starts
		// in September). Partners report calendar quarters: 2020Q3 (Jul-Sep)
		// ends in PY2 and counts there, so previous + period = actual.
		{"PY2", "", "elapsed", 731.0 / 1461},
		{"PY2", "3.3.1", "previous_actual", nil},
		{"PY2", "3.3.1", "period_value", 17},
		{"PY2", "3.3.1", "actual", 17},
		{"PY2", "3.1.1", "previous_actual", 29500}, // 2020Q1 11,300 + 2020Q2 18,200
		{"PY2", "3.1.1", "period_value", 80000},    // 20,500 + 23,500 + 19,200 + 16,800
		{"PY2", "3.1.1", "actual", 109500},
		{"PY2", "1.1.3", "previous_actual", 2},
		{"PY2", "1.1.3", "period_value", 5},
		{"PY2", "1.1.3", "actual", 7},
		// Custom window 2020-09-01..2021-02-28: 2020Q3 and 2020Q4 end in it.
		{"2020-09-01..2021-02-28", "3.3.2", "period_value", 4130},
		{"2020-09-01..2021-02-28", "3.3.2", "milestone", 2000},
		{"2020-09-01..2021-02-28", "3.1.1", "previous_actual", 29500},
		{"2020-09-01..2021-02-28", "3.1.1", "period_value", 44000},
		{"2020-09-01..2021-02-28", "3.1.1", "actual", 73500},
		// 2020Q4: 3.4.2 coal 610 of the 1,000 due by 2020S2: 0.61 >= 0.6: at risk.
		{"2020Q4", "3.4.2", "actual", 610},
		{"2020Q4", "3.4.2", "status", "at risk"},
	} {
		if f.code == "" {
			check(f.period, f.field, report(f.period)[f.field], f.want)
			continue
		}
		check(f.period, f.code+" "+f.field, ind(f.period, f.code)[f.field], f.want)
	}

	// Roll-up at 2021Q3: 23 indicators; OO is the worst of its tree (at
	// risk: 3.2.1); 3.4 has both its indicators achieved.
	r := report("2021Q3")
	counts, _ := json.Marshal(r["status_counts"])
	if string(counts) != `{"achieved":4,"at risk":1,"not due":5,"on track":13}` {
		t.Errorf("2021Q3 status counts %s", counts)
	}
	for _, res := range r["results"].([]any) {
		m := res.(map[string]any)
		switch m["code"] {
		case "OO":
			check("2021Q3", "OO status", m["status"], "at risk")
		case "3.4":
			check("2021Q3", "3.4 status", m["status"], "achieved")
		}
	}
	// Disaggregated actuals at 2021Q3: 3.3.2 women 959 + 1,496 + 1,804 +
	// 2,040 + 311 = 6,610 (2020Q3..2021Q3); Ulaanbaatar 743 + 1,116 + 1,397 +
	// 1,583 + 288 = 5,127; 1.1.2 women (12+21)/(24+30) = 61.11%.
	dis := func(code, dim, val string) any {
		for _, d := range ind("2021Q3", code)["disaggregated"].([]any) {
			m := d.(map[string]any)
			if m["dims"].(map[string]any)[dim] == val {
				return m["actual"]
			}
		}
		return "missing"
	}
	check("2021Q3", "3.3.2 sex=female", dis("3.3.2", "sex", "female"), 6610)
	check("2021Q3", "3.3.2 sex=male", dis("3.3.2", "sex", "male"), 4783)
	check("2021Q3", "3.3.2 province=Ulaanbaatar", dis("3.3.2", "province", "Ulaanbaatar"), 5127)
	check("2021Q3", "1.1.2 sex=female", dis("1.1.2", "sex", "female"), 100*33.0/54)

	// Data quality: how much of 3.3.2 rests on unverifiable figures.
	var summary string
	for _, f := range r["findings"].([]any) {
		m := f.(map[string]any)
		if m["code"] == "3.3.2" && m["period"] == "2021Q3" {
			summary, _ = m["message"].(string)
		}
	}
	if !strings.Contains(summary, "10,753 of the 11,393 counted up to the end of 2021Q3 (94%)") {
		t.Errorf("2021Q3 3.3.2 unverified summary %q", summary)
	}

	// Efficiency at 2021Q3: spending is known to 2021-08-31 (731 of 1,461
	// days, 50.0%): operational 554,467 / 2,001,684 = 27.7%; output 1.2
	// 15,800 / 200,000 = 7.9%; 3.2 19,200 / 150,000 and 3.3 57,600 / 450,000
	// = 12.8%.
	ef := r["efficiency"].(map[string]any)
	check("2021Q3", "efficiency as_of", ef["as_of"], "2021-08-31")
	check("2021Q3", "efficiency elapsed", ef["elapsed"], 731.0/1461)
	check("2021Q3", "operational rate", ef["operational"].(map[string]any)["disbursement_rate"], 554467.0/2001684)
	for _, x := range ef["results"].([]any) {
		m := x.(map[string]any)
		switch m["code"] {
		case "1.2":
			check("2021Q3", "1.2 rate", m["disbursement_rate"], 0.079)
		case "3.2", "3.3":
			check("2021Q3", m["code"].(string)+" rate", m["disbursement_rate"], 0.128)
		}
	}

	// The other formats show the same numbers.
	md := mustRMF(t, dir, db, "report", "--period", "2021Q3", "--format", "md")
	for _, want := range []string{
		"| 3.3.2 | Migrants served by funded NGOs | number | 0 | 15,000 | 6,000 | 11,393 | 76% | 40% | ● on track | yes |",
		"| 1.1.2 | Share of trained officers with better knowledge of interpreting mobility data | percent | 0% | 80% | 60% | 57.4% | 72% | 75% | ● on track | yes |",
		"| O3.1 | Share of migrants without civil registration in the target districts | percent | 28% | 15% | – | 26% | 15% | 0% | ● on track | no |",
		"10,753 → 11,393 (+640); 640 in 2021Q3",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown report at 2021Q3 lacks %q", want)
		}
	}
	// IATI: 3.3.2's figures are stored by province and sex (no totals):
	// the export gives them as stored, each quarter's breakdown adding up
	// to its total: 1,650 + 2,480 + 3,105 + 3,518 + 640 = 11,393; no
	// undimensioned total or one-dimension figure is invented.
	mustRMF(t, dir, db, "export", "iati", "--period", "2021Q3", "-o", "x.xml")
	b, err := os.ReadFile(filepath.Join(dir, "x.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Indicators []struct {
			Ref struct {
				Code string `xml:"code,attr"`
			} `xml:"reference"`
			Periods []struct {
				Actuals []struct {
					Value string `xml:"value,attr"`
					Dims  []struct {
						Name string `xml:"name,attr"`
					} `xml:"dimension"`
				} `xml:"actual"`
			} `xml:"period"`
		} `xml:"iati-activity>result>indicator"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var total float64
	var found bool
	for _, in := range doc.Indicators {
		if in.Ref.Code != "3.3.2" {
			continue
		}
		found = true
		for _, p := range in.Periods {
			for _, a := range p.Actuals {
				if len(a.Dims) != 2 {
					t.Errorf("IATI 3.3.2 actual %s with %d dimensions, want the stored province and sex", a.Value, len(a.Dims))
					continue
				}
				v, err := strconv.ParseFloat(a.Value, 64)
				if err != nil {
					t.Fatalf("IATI 3.3.2 actual %q", a.Value)
				}
				total += v
			}
		}
	}
	if !found || total != 11393 {
		t.Errorf("IATI 3.3.2 actuals add up to %v (found %v), want 11,393", total, found)
	}
}
