package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// demoDir runs "rmf demo -o out" in a fresh folder and returns the folder
// and the --db argument of the demo database.
func demoDir(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	mustRMF(t, dir, "demo", "-o", "out")
	return dir, "--db=" + filepath.Join("out", "demo.db")
}

func TestReportE2E(t *testing.T) {
	onEngines(t, testReportE2E) // both engines: e2e_engines_test.go
}

func testReportE2E(t *testing.T) {
	dir, db := demoDir(t)
	for _, f := range []string{"report.md", "report.json"} {
		b, err := os.ReadFile(filepath.Join(dir, "out", f))
		if err != nil {
			t.Fatalf("demo did not write %s: %v", f, err)
		}
		if len(b) == 0 {
			t.Errorf("demo wrote an empty %s", f)
		}
	}

	out := mustRMF(t, dir, db, "report", "--period", "2021Q3", "--format", "json")
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report --format json is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"project", "period", "elapsed", "results", "findings"} {
		if _, ok := r[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
	if got := r["period"].(map[string]any)["code"]; got != "2021Q3" {
		t.Errorf("period.code = %v, want 2021Q3", got)
	}
	codes := map[string]bool{}
	for _, x := range r["results"].([]any) {
		res := x.(map[string]any)
		codes[res["code"].(string)] = true
		for _, k := range []string{"code", "level", "statement", "status", "status_counts", "indicators"} {
			if _, ok := res[k]; !ok {
				t.Errorf("result %v lacks %q", res["code"], k)
			}
		}
		for _, y := range res["indicators"].([]any) {
			ind := y.(map[string]any)
			for _, k := range []string{"code", "name", "unit", "direction", "baseline", "target", "milestone", "period_value",
				"actual", "progress", "expected", "status", "projection", "likely", "disaggregated", "verified", "warnings"} {
				if _, ok := ind[k]; !ok {
					t.Errorf("indicator %v lacks %q", ind["code"], k)
				}
			}
		}
	}
	for _, c := range []string{"OO", "O1", "O2", "O3"} {
		if !codes[c] {
			t.Errorf("JSON report lacks result %s", c)
		}
	}

	for _, format := range []string{"md", "text"} {
		out := mustRMF(t, dir, db, "report", "--period", "2021Q3", "--format", format)
		for _, c := range []string{"O1", "O2", "O3", "2021Q3"} {
			if !strings.Contains(out, c) {
				t.Errorf("--format %s: report lacks %s", format, c)
			}
		}
	}
	// Text is the default format; the text report fits 100 columns.
	out = mustRMF(t, dir, db, "report", "--period", "2021Q3")
	if !strings.Contains(out, "Outcome O1") || strings.Contains(out, "\x1b[") {
		t.Errorf("default report is not the plain text tree:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 100 {
			t.Errorf("text report line %d has %d columns: %q", i+1, n, line)
		}
	}
}

func TestReportPeriodsE2E(t *testing.T) {
	dir, db := demoDir(t)
	tests := []struct{ arg, code, start, end string }{
		{"2021Q3", "2021Q3", "2021-07-01", "2021-09-30"},
		{"Q3 2021", "2021Q3", "2021-07-01", "2021-09-30"},
		{"2021-Q3", "2021Q3", "2021-07-01", "2021-09-30"},
		{"2021S1", "2021S1", "2021-01-01", "2021-06-30"},
		{"2020-09-01..2021-02-28", "2020-09-01..2021-02-28", "2020-09-01", "2021-02-28"},
	}
	for _, tc := range tests {
		t.Run(tc.arg, func(t *testing.T) {
			out := mustRMF(t, dir, db, "report", "--period", tc.arg, "--format", "json")
			var r struct {
				Period struct{ Code, Start, End string }
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if r.Period.Code != tc.code || r.Period.Start != tc.start || r.Period.End != tc.end {
				t.Errorf("period = %+v, want %s %s..%s", r.Period, tc.code, tc.start, tc.end)
			}
		})
	}
}

func TestReportOutputFileE2E(t *testing.T) {
	dir, db := demoDir(t)
	out := mustRMF(t, dir, db, "report", "--period", "2021Q3", "-o", "r.md")
	if out != "" {
		t.Errorf("with -o the report went to stdout too: %q", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "r.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "# ") || !strings.Contains(string(b), "## Summary") {
		t.Errorf("-o r.md did not get the Markdown report:\n%.300s", b)
	}
	mustRMF(t, dir, db, "report", "--period", "2021Q3", "--format", "json", "-o", "r.txt")
	b, _ = os.ReadFile(filepath.Join(dir, "r.txt"))
	if !json.Valid(b) {
		t.Error("--format json -o r.txt: --format must win over the extension")
	}
}

func TestReportUsageE2E(t *testing.T) {
	dir, db := demoDir(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no period", []string{"report"}, 2, "--period is required"},
		{"bad period", []string{"report", "--period", "2021Q5"}, 2, "2021Q5"},
		{"bad range", []string{"report", "--period", "2021-03-01..2021-02-01"}, 2, "--period"},
		{"bad format", []string{"report", "--period", "2021Q3", "--format", "pdf"}, 2, "unknown format \"pdf\""},
		{"extra argument", []string{"report", "--period", "2021Q3", "extra"}, 2, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := rmf(t, dir, append([]string{db}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errs)
			}
			if !strings.Contains(errs, tc.want) {
				t.Errorf("stderr %q lacks %q", errs, tc.want)
			}
			if tc.code == 2 && !strings.Contains(errs, "usage: rmf report") {
				t.Errorf("stderr %q lacks the usage line", errs)
			}
		})
	}
	// A period outside the project: exit 1, naming the project's dates.
	_, errs, code := rmf(t, dir, db, "report", "--period", "2031Q1")
	if code != 1 || !strings.Contains(errs, "outside the project MIG-MN, which runs 2019-09-01..2023-08-31") {
		t.Errorf("period after the project: exit %d, stderr %q", code, errs)
	}
	// No database: exit 1 with a clear message.
	_, errs, code = rmf(t, t.TempDir(), "report", "--period", "2021Q3")
	if code != 1 || !strings.Contains(errs, "does not exist") {
		t.Errorf("without a database: exit %d, stderr %q", code, errs)
	}
}

// TestReportExampleGolden pins the example project's Markdown and text
// reports at mid-term (2021Q3), at 2022Q2 (after the review, with its
// follow-up) and for a custom window:
// go test ./cmd/rmf -run ReportExampleGolden -update rewrites them.
func TestReportExampleGolden(t *testing.T) {
	onEngines(t, testReportExampleGolden) // both engines: e2e_engines_test.go
}

func testReportExampleGolden(t *testing.T) {
	dir, db := demoDir(t)
	for _, tc := range []struct{ period, format, file string }{
		{"2021Q3", "md", "report_2021Q3.md"},
		{"2021Q3", "text", "report_2021Q3.txt"},
		{"2022Q2", "md", "report_2022Q2.md"}, // with the follow-up of the mid-term review
		{"2020-09-01..2021-02-28", "text", "report_window.txt"},
	} {
		out := mustRMF(t, dir, db, "report", "--period", tc.period, "--format", tc.format)
		golden(t, tc.file, out)
	}
}

// TestReportEveryQuarterE2E: the report of the example project works for
// every quarter from the project's start to 2022Q2 (the last with data) and
// for an interim window, in every format; the JSON holds the 23 reported
// indicators, their statuses are SPEC words, and the cumulative actual of a
// sum indicator never goes down from one quarter to the next.
func TestReportEveryQuarterE2E(t *testing.T) {
	t.Parallel()
	dir, db := demoDir(t)
	statuses := map[string]bool{"achieved": true, "on track": true, "at risk": true, "off track": true, "not due": true, "no data": true, "no target": true, "reported": true}
	last := map[string]float64{}
	periods := []string{"2019Q3", "2019Q4", "2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2", "2021Q3", "2021Q4", "2022Q1", "2022Q2", "2020-09-01..2021-02-28"}
	for _, p := range periods {
		out := mustRMF(t, dir, db, "report", "--period", p, "--format", "json")
		var r struct {
			Results []struct {
				Indicators []struct {
					Code        string   `json:"code"`
					Status      string   `json:"status"`
					Aggregation string   `json:"aggregation"`
					Actual      *float64 `json:"actual"`
				} `json:"indicators"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: not JSON: %v", p, err)
		}
		n := 0
		for _, res := range r.Results {
			for _, ind := range res.Indicators {
				n++
				if !statuses[ind.Status] {
					t.Errorf("%s, %s: status %q", p, ind.Code, ind.Status)
				}
				if ind.Aggregation == "sum" && ind.Actual != nil && !strings.Contains(p, "..") {
					if prev, ok := last[ind.Code]; ok && *ind.Actual < prev {
						t.Errorf("%s, %s: cumulative actual %v went down from %v", p, ind.Code, *ind.Actual, prev)
					}
					last[ind.Code] = *ind.Actual
				}
			}
		}
		if n != 23 {
			t.Errorf("%s: %d indicators in the report, want 23", p, n)
		}
		for _, format := range []string{"text", "md", "html"} {
			if out := mustRMF(t, dir, db, "report", "--period", p, "--format", format); !strings.Contains(out, "O3") {
				t.Errorf("%s, %s report does not mention outcome O3", p, format)
			}
		}
		xlsx := filepath.Join(dir, "r.xlsx")
		mustRMF(t, dir, db, "report", "--period", p, "--format", "xlsx", "-o", xlsx)
		if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
			t.Errorf("%s: no xlsx report (%v)", p, err)
		}
	}
}
