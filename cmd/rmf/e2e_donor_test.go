package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDonorE2E: what the donor receives, from the demo database: the
// workbook (--format xlsx -o FILE), the self-contained HTML report, and
// the demo's copies of both with the IATI activity.
func TestDonorE2E(t *testing.T) {
	onEngines(t, testDonorE2E) // both engines: e2e_engines_test.go
}

func testDonorE2E(t *testing.T) {
	dir, db := demoDir(t)
	for _, f := range []string{"report.html", "report.xlsx", "iati-activity.xml"} {
		if st, err := os.Stat(filepath.Join(dir, "out", f)); err != nil || st.Size() == 0 {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "out", "iati-activity.xml")); err != nil || !strings.Contains(string(b), "<iati-activity") {
		t.Errorf("demo's iati-activity.xml has no iati-activity: %v", err)
	}

	// The workbook.
	out := mustRMF(t, dir, db, "report", "--period", "2021Q3", "--format", "xlsx", "-o", "x.xlsx")
	if strings.Contains(out, "PK\x03\x04") {
		t.Errorf("the workbook went to stdout")
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "x.xlsx"))
	if err != nil {
		t.Fatalf("excelize cannot open the workbook: %v", err)
	}
	defer f.Close()
	// One IPTT sheet per reporting frequency of the example's indicators:
	// semiannual (the project's reporting), annual (project years, from
	// September), end of project.
	want := []string{"IPTT", "IPTT annual", "IPTT end of project", "Summary", "Disaggregation", "Indicators", "Data", "Findings"}
	got := f.GetSheetList()
	if len(got) < len(want) || strings.Join(got[:len(want)], ",") != strings.Join(want, ",") {
		t.Errorf("sheets %v, want %v first", got, want)
	}
	codes := map[string]bool{}
	for _, sh := range want[:3] {
		if v, _ := f.GetCellValue(sh, "A3"); v != "Code" {
			t.Errorf("%s!A3 = %q, want Code", sh, v)
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if len(r) > 0 {
				codes[r[0]] = true
			}
		}
	}
	for sh, cells := range map[string]map[string]string{
		"IPTT":        {"K2": "2019S2", "K3": "Cumulative target", "L3": "Actual in period", "M3": "Cumulative actual", "N3": "% met", "O2": "2020S1", "AA2": "2021S2 to 2021-09-30"},
		"IPTT annual": {"K2": "PY1", "O2": "PY2", "S2": "PY3 to 2021-09-30"},
	} {
		for ref, w := range cells {
			if v, _ := f.GetCellValue(sh, ref); v != w {
				t.Errorf("%s!%s = %q, want %q", sh, ref, v, w)
			}
		}
	}
	for _, c := range []string{"OO", "O1", "O2", "O3", "3.3.2"} {
		if !codes[c] {
			t.Errorf("IPTT has no row for %s", c)
		}
	}
	// The Data sheet lists figures up to 2021Q3 only, each with its file and import time.
	data, err := f.GetRows("Data")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 10 {
		t.Fatalf("Data sheet has %d rows, want the demo's figures", len(data))
	}
	for i, r := range data[1:] {
		if len(r) < 18 {
			t.Errorf("Data row %d: %d cells, want 18 (file, sheet, row, import time): %v", i+2, len(r), r)
			continue
		}
		if r[5] > "2021-09-30" {
			t.Errorf("Data row %d: period %s ends %s, after 2021Q3", i+2, r[3], r[5])
		}
		if r[14] == "" || r[17] == "" {
			t.Errorf("Data row %d: no source file or import time: %v", i+2, r)
		}
		if strings.ContainsAny(r[14], `/\`) {
			t.Errorf("Data row %d: source %q is a path, want the file's name", i+2, r[14])
		}
	}

	// xlsx needs -o FILE; -o FILE.xlsx picks the format.
	if _, errs, code := rmf(t, dir, db, "report", "--period", "2021Q3", "--format", "xlsx"); code != 2 || !strings.Contains(errs, "-o") {
		t.Errorf("--format xlsx without -o: exit %d, stderr %q; want 2 and a hint at -o", code, errs)
	}
	mustRMF(t, dir, db, "report", "--period", "2021Q3", "-o", "y.xlsx")
	if g, err := excelize.OpenFile(filepath.Join(dir, "y.xlsx")); err != nil {
		t.Errorf("-o y.xlsx did not write a workbook: %v", err)
	} else {
		g.Close()
	}

	// The HTML report: self-contained, with every outcome.
	page := mustRMF(t, dir, db, "report", "--period", "2021Q3", "--format", "html")
	checkHTMLReport(t, page)
	mustRMF(t, dir, db, "report", "--period", "2021Q3", "-o", "r.html")
	b, err := os.ReadFile(filepath.Join(dir, "r.html"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != page {
		t.Error("-o r.html differs from --format html on stdout")
	}
}

// resourceLink matches a link that would fetch something from the network.
var resourceLink = regexp.MustCompile(`(?i)(src|href|srcset|action|xlink:href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import`)

func checkHTMLReport(t *testing.T, page string) {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.Contains(page, "</html>") {
		t.Fatalf("not an HTML page:\n%.300s", page)
	}
	if m := resourceLink.FindString(page); m != "" {
		t.Errorf("HTML report loads a resource from the network: %q", m)
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		i := strings.Index(page, "http")
		t.Errorf("HTML report contains a URL: %q", page[max(0, i-40):min(len(page), i+60)])
	}
	if strings.Contains(page, "<script") {
		t.Error("HTML report has a script")
	}
	for _, c := range []string{"O1", "O2", "O3"} {
		if !strings.Contains(page, `id="r-`+c+`"`) || !strings.Contains(page, "Outcome "+c+":") {
			t.Errorf("HTML report has no section for outcome %s", c)
		}
	}
	if n := strings.Count(page, `<svg class="bar"`); n < 10 {
		t.Errorf("%s progress bars, want one per indicator with progress", strconv.Itoa(n))
	}
	if !strings.Contains(page, `<svg class="trend"`) || !strings.Contains(page, "@media print") {
		t.Error("HTML report lacks trend charts or its print stylesheet")
	}
}
