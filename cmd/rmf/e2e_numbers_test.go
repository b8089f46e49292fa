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
		// per period (SPEC 5, the expected path): 2,000 by 2020-12-31, 6,000
		// by 2021-06-30, 9,000 by 2021-12-31; 2021-09-30 is 92 of those 184
		// days: 6,000 + 3,000 x 92/184 = 7,500. Progress 11,393/15,000 =
		// 0.7595; expected 7,500/15,000 = 0.5; 0.7595 >= 0.85 x 0.5: on track.
		{"2021Q3", "3.3.2", "period_value", 640},
		{"2021Q3", "3.3.2", "actual", 11393},
		{"2021Q3", "3.3.2", "previous_actual", 10753},
		{"2021Q3", "3.3.2", "milestone", 7500},
		{"2021Q3", "3.3.2", "progress", 11393.0 / 15000},
		{"2021Q3", "3.3.2", "expected", 0.5},
		{"2021Q3", "3.3.2", "status", "on track"},
		{"2021Q3", "3.3.2", "verified", "partly"},
		// Least squares through the cumulative actuals at the slot ends
		// 2020-12-31 (4,130), 2021-06-30 (10,753), 2021-09-30 (11,393),
		// extrapolated to 2023-08-31.
		{"2021Q3", "3.3.2", "projection", 31760.5774},
		{"2021Q3", "3.3.2", "likely", true},
		// 1.1.2 percent from 1.1.2n / 1.1.2d, a ratio of sums: (12+8+21+17) /
		// (24+21+30+26) = 58/101 = 57.43%; nothing measured in 2021Q3 itself.
		// Milestones are levels: 60 by 2021-06-30, 70 by 2022-06-30; 2021-09-30
		// is 92 of those 365 days: 60 + 10 x 92/365 = 62.5205; expected
		// 62.5205/80 = 0.7815; progress 0.7178 >= 0.85 x 0.7815 = 0.6643.
		{"2021Q3", "1.1.2", "actual", 100 * 58.0 / 101},
		{"2021Q3", "1.1.2", "numerator", 58},
		{"2021Q3", "1.1.2", "denominator", 101},
		{"2021Q3", "1.1.2", "period_value", nil},
		{"2021Q3", "1.1.2", "milestone", 60 + 10*92.0/365},
		{"2021Q3", "1.1.2", "progress", 58.0 / 101 / 0.8},
		{"2021Q3", "1.1.2", "expected", (60 + 10*92.0/365) / 80},
		{"2021Q3", "1.1.2", "status", "on track"},
		// 1.2.1 yes/no: yes since 2021Q2, milestone yes due 2021S1: achieved.
		{"2021Q3", "1.2.1", "actual", 1},
		{"2021Q3", "1.2.1", "milestone", 1},
		{"2021Q3", "1.2.1", "period_value", nil},
		{"2021Q3", "1.2.1", "status", "achieved"},
		// O3.1 decrease, baseline 28, target 15: 26% (2020Q4 survey):
		// progress (26-28)/(15-28) = 2/13 = 0.1538. The path runs from 28 on
		// 2019-08-31 to the milestone 24 on 2021-12-31 (853 days); 2021-09-30
		// is day 761: 28 - 4 x 761/853 = 24.4314; expected (28 - 24.4314)/13
		// = 0.2745; 0.1538 < 0.6 x 0.2745 = 0.1647: off track (before the
		// path, nothing was expected until the milestone was due: on track).
		// Two flat points: projection 26, not likely.
		{"2021Q3", "O3.1", "actual", 26},
		{"2021Q3", "O3.1", "progress", 2.0 / 13},
		{"2021Q3", "O3.1", "milestone", 28 - 4*761.0/853},
		{"2021Q3", "O3.1", "expected", 4 * 761.0 / 853 / 13},
		{"2021Q3", "O3.1", "status", "off track"},
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
		// 68,200 + 52,000 + 38,900 + 18,000 = 262,100; milestones per period:
		// 300,000 by 2021-06-30, 400,000 by 2021-12-31: at 2021-09-30 (92 of
		// 184 days) 350,000; expected 350,000/600,000 = 0.5833; progress
		// 0.4368 < 0.85 x 0.5833 = 0.4958, >= 0.6 x 0.5833 = 0.35: at risk.
		{"2021Q3", "3.3.5", "actual", 262100},
		{"2021Q3", "3.3.5", "period_value", 18000},
		{"2021Q3", "3.3.5", "milestone", 350000},
		{"2021Q3", "3.3.5", "progress", 262100.0 / 600000},
		{"2021Q3", "3.3.5", "status", "at risk"},
		// 3.2.1: 38 + 41 = 79; milestones per period: 120 by 2021-06-30, 200
		// by 2021-12-31: 160 at 2021-09-30; expected 160/840 = 0.1905;
		// progress 79/840 = 0.0940 < 0.6 x 0.1905 = 0.1143: off track.
		{"2021Q3", "3.2.1", "actual", 79},
		{"2021Q3", "3.2.1", "milestone", 160},
		{"2021Q3", "3.2.1", "status", "off track"},
		// 2.2.2 text: the latest stage reported, not the target (endorsed by
		// the ministry), no status rule: reported (SPEC 5).
		{"2021Q3", "2.2.2", "actual_text", "drafting"},
		{"2021Q3", "2.2.2", "status", "reported"},
		// O1.1 (annual: project years Sep-Aug) has no figure for PY1 or PY2,
		// both ended by 2021-09-30: no data, both missing.
		{"2021Q3", "O1.1", "status", "no data"},
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
		// O3.1 at 2022Q2: 23% (2021Q4). The path from 24 (2021-12-31) to 19
		// (2022-12-31): 2022-06-30 is 181 of 365 days: 24 - 5 x 181/365 =
		// 21.5205; expected (28 - 21.5205)/13 = 0.4984; progress 5/13 = 0.3846
		// < 0.85 x 0.4984, >= 0.6 x 0.4984: at risk.
		{"2022Q2", "O3.1", "actual", 23},
		{"2022Q2", "O3.1", "expected", (4 + 5*181.0/365) / 13},
		{"2022Q2", "O3.1", "progress", 5.0 / 13},
		{"2022Q2", "O3.1", "status", "at risk"},
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
		// Milestone: 2,000 by 2020-12-31, 6,000 by 2021-06-30; 2021-02-28 is
		// 59 of 181 days: 2,000 + 4,000 x 59/181 = 3,303.87.
		{"2020-09-01..2021-02-28", "3.3.2", "period_value", 4130},
		{"2020-09-01..2021-02-28", "3.3.2", "milestone", 2000 + 4000*59.0/181},
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

	// Roll-up at 2021Q3: 23 indicators. Achieved: 1.1.1, 1.2.1, 3.4.1,
	// 3.4.2; at risk: 3.3.5; off track: O3.1, 3.2.1; no data (owed, never
	// came): O1.1, 1.2.2, O2.1, 3.1.2; not due: OO.1 (end of project);
	// reported: 2.2.2; on track: the other 10. OO's own indicator is not due,
	// so its status is its children's worst (O3 off track) and so is its
	// delivery; O3's own O3.1 is off track; O1's own O1.1 has no data, so
	// its status comes from 1.1 and 1.2 (on track, achieved): on track,
	// delivery on track; 3.4 has both its indicators achieved.
	r := report("2021Q3")
	counts, _ := json.Marshal(r["status_counts"])
	if string(counts) != `{"achieved":4,"at risk":1,"no data":4,"not due":1,"off track":2,"on track":10,"reported":1}` {
		t.Errorf("2021Q3 status counts %s", counts)
	}
	for _, res := range r["results"].([]any) {
		m := res.(map[string]any)
		switch m["code"] {
		case "OO":
			check("2021Q3", "OO status", m["status"], "off track")
			check("2021Q3", "OO delivery", m["delivery"], "off track")
		case "O1":
			check("2021Q3", "O1 status", m["status"], "on track")
			check("2021Q3", "O1 delivery", m["delivery"], "on track")
		case "O3":
			check("2021Q3", "O3 status", m["status"], "off track")
		case "3.4":
			check("2021Q3", "3.4 status", m["status"], "achieved")
		}
	}
	// Missing reports at 2021Q3 (semesters and project years inside the
	// project that ended by 2021-09-30 without a figure): 24, among them
	// O1.1 for PY1 and PY2 (printed as the project years, not as dates).
	// 3.3.4 (served per NGO, computed from 3.3.2 and 3.3.1) is not one:
	// its inputs are owed and listed themselves.
	missing := r["missing"].([]any)
	if len(missing) != 24 {
		t.Errorf("2021Q3: %d missing reports, want 24", len(missing))
	}
	for _, m := range missing {
		if m.(map[string]any)["indicator"] == "3.3.4" {
			t.Errorf("2021Q3: the computed 3.3.4 is listed as a missing report: %v", m)
		}
	}
	if m := missing[0].(map[string]any); m["indicator"] != "O1.1" || m["period"] != "PY1" || m["responsible"] != "M&E officer" {
		t.Errorf("2021Q3: first missing report %v", m)
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
		"| 3.3.2 | Migrants served by funded NGOs | number | 0 | 15,000 | 7,500 | 11,393 | 76% | 50% | ● on track | yes |",
		"| 1.1.2 | Share of trained officers with better knowledge of interpreting mobility data | percent | 0% | 80% | 62.5% | 57.4% | 72% | 78% | ● on track | yes |",
		"| O3.1 | Share of migrants without civil registration in the target districts | percent | 28% | 15% | 24.4% | 26% | 15% | 27% | ✖ off track | no |",
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
