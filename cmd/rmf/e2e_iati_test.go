package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// reportNumbers runs "rmf report --format json" and returns, per
// indicator code, the numbers and words of SPEC section 7.
func reportNumbers(t *testing.T, dir, db, period string) map[string]map[string]any {
	t.Helper()
	out := mustRMF(t, dir, "--db", db, "report", "--period", period, "--format", "json")
	var rep struct {
		Results []struct {
			Code       string           `json:"code"`
			Indicators []map[string]any `json:"indicators"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report %s of %s is not JSON: %v", period, db, err)
	}
	keys := []string{"baseline", "target", "milestone", "period_value", "actual", "progress", "expected", "status", "projection", "likely"}
	nums := map[string]map[string]any{}
	for _, r := range rep.Results {
		for _, ind := range r.Indicators {
			m := map[string]any{"result": r.Code}
			for _, k := range keys {
				m[k] = ind[k]
			}
			nums[ind["code"].(string)] = m
		}
	}
	return nums
}

// TestIATIRoundTrip exports the example project to IATI, checks the file
// against the IATI 2.03 schema (when xmllint is installed), imports it into
// a new database and compares the reports: every indicator's numbers must
// be the same.
func TestIATIRoundTrip(t *testing.T) {
	t.Parallel()
	onEngines(t, testIATIRoundTrip) // both engines: e2e_engines_test.go
}

func testIATIRoundTrip(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "demo", "-o", "demo")
	for _, period := range []string{"2021Q3", "2022Q2"} {
		xmlFile := "activity-" + period + ".xml"
		mustRMF(t, dir, "--db", "demo/demo.db", "export", "iati", "--period", period, "-o", xmlFile)
		if xmllint, err := exec.LookPath("xmllint"); err == nil {
			schema, _ := filepath.Abs(filepath.Join("..", "..", "exporters", "testdata", "iati", "iati-activities-schema.xsd"))
			if out, err := exec.Command(xmllint, "--noout", "--schema", schema, filepath.Join(dir, xmlFile)).CombinedOutput(); err != nil {
				t.Fatalf("%s does not validate against the IATI schema: %v\n%s", xmlFile, err, out)
			}
		}
		db := "iati-" + period + ".db"
		out := mustRMF(t, dir, "--db", db, "framework", "import", xmlFile)
		if !strings.Contains(out, "actuals read") {
			t.Errorf("framework import of %s did not import actuals:\n%s", xmlFile, out)
		}
		want := reportNumbers(t, dir, "demo/demo.db", period)
		got := reportNumbers(t, dir, db, period)
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d indicators after the round trip, want %d", period, len(got), len(want))
		}
		for code, w := range want {
			g := got[code]
			for k, wv := range w {
				if gb, _ := json.Marshal(g[k]); string(gb) != mustJSON(wv) {
					t.Errorf("%s, indicator %s, %s: %s after the IATI round trip, want %s", period, code, k, gb, mustJSON(wv))
				}
			}
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestIATIImportPublishedFiles imports the three reference activity files
// (a real published one with money values, the IATI annotated example, a
// publisher tool's test file) and checks the report shows their targets
// and actuals.
func TestIATIImportPublishedFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file, activity, period, code string
		target, actual               float64
	}{
		// AT2030 Cluster 1, first indicator: targets 7, 14, 50; actuals
		// 13, 47, 60 (aggregation last): at 2022-03-31 the actual is 60.
		{"gdihub-at2030-GB-COH-11126312.xml", "", "2018-10-01..2022-04-01", "OP1.1", 50, 60},
		// Cluster 4 holds money: £13,000,000 target, £13,594,502 actual.
		{"gdihub-at2030-GB-COH-11126312.xml", "GB-COH-11126312-Cluster4", "2018-10-01..2022-03-31", "OP1.4", 13000000, 13594502},
		{"iati-standard-example-annotated-2.03.xml", "", "2013Q1", "B1-2", 0, 11},
		// The publisher tool's file has a baseline of 1234 and only
		// disaggregated targets and actuals.
		{"iatipublisher-test-complete.xml", "", "2022-12", "2345.1", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.file+c.activity, func(t *testing.T) {
			dir := t.TempDir()
			src, err := filepath.Abs(filepath.Join("..", "..", "importers", "testdata", "iati", c.file))
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"--db", "x.db", "framework", "import", src}
			if c.activity != "" {
				args = append(args, "--activity", c.activity)
			}
			mustRMF(t, dir, args...)
			nums := reportNumbers(t, dir, "x.db", c.period)
			if c.code == "" {
				// any indicator with a target and an actual
				for code, n := range nums {
					if n["target"] != nil && n["actual"] != nil {
						c.code = code
						break
					}
				}
				if c.code == "" {
					t.Fatalf("no indicator with a target and an actual in the report: %v", nums)
				}
			}
			n, ok := nums[c.code]
			if !ok {
				t.Fatalf("no indicator %s in the report; got %v", c.code, nums)
			}
			if c.actual != 0 && n["actual"] != c.actual {
				t.Errorf("%s actual %v, want %v", c.code, n["actual"], c.actual)
			}
			if c.target != 0 && n["target"] != c.target {
				t.Errorf("%s target %v, want %v", c.code, n["target"], c.target)
			}
			if c.target == 0 && c.actual == 0 && n["baseline"] != 1234.0 {
				t.Errorf("%s baseline %v, want 1234", c.code, n["baseline"])
			}
		})
	}
}

// TestExportIATIUsage: the format word and -o are required.
func TestExportIATIUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"export"}, {"export", "iati"}, {"export", "csv", "-o", "x"}} {
		_, errs, code := rmf(t, dir, args...)
		if code != 2 || !strings.Contains(errs, "usage:") {
			t.Errorf("rmf %s: exit %d, stderr %q; want 2 with usage", strings.Join(args, " "), code, errs)
		}
	}
	_, errs, code := rmf(t, dir, "export", "iati", "-o", "a.xml")
	if code != 1 || !strings.Contains(errs, "does not exist") {
		t.Errorf("export without a database: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.xml")); err == nil {
		t.Error("a failed export left a file behind")
	}
}
