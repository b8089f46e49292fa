package main

// End-to-end tests of the logframe layouts officers already have
// (importers/framework_layouts.go): the DFID/FCDO logframe and flat IATI
// results rows (spreadsheets2iati, AidStream), read by "rmf framework
// import", their achieved figures by "rmf import", and a report that runs
// on them. The files are the shared templates (importers/testdata/
// templates) filled in as an officer would (internal/layoutfix).

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/internal/layoutfix"
)

// templatePath is a shared template of importers/testdata/templates.
func templatePath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "importers", "testdata", "templates", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// layoutIndicator is an indicator of the JSON report.
type layoutIndicator struct {
	Code          string   `json:"code"`
	Direction     string   `json:"direction"`
	Baseline      *float64 `json:"baseline"`
	Target        *float64 `json:"target"`
	Milestone     *float64 `json:"milestone"`
	Actual        *float64 `json:"actual"`
	Progress      *float64 `json:"progress"`
	Status        string   `json:"status"`
	Disaggregated []struct {
		Dims   map[string]string `json:"dims"`
		Actual *float64          `json:"actual"`
	} `json:"disaggregated"`
}

// layoutReport runs "rmf report --period P --format json" and returns its
// indicators by code, in report order.
func layoutReport(t *testing.T, dir, period string) (map[string]layoutIndicator, []string) {
	t.Helper()
	var rep struct {
		Results []struct {
			Code       string            `json:"code"`
			Indicators []layoutIndicator `json:"indicators"`
		} `json:"results"`
	}
	out := mustRMF(t, dir, "report", "--period", period, "--format", "json")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report --format json: %v\n%s", err, out)
	}
	inds := map[string]layoutIndicator{}
	var codes []string
	for _, r := range rep.Results {
		for _, i := range r.Indicators {
			inds[i.Code] = i
			codes = append(codes, i.Code)
		}
	}
	return inds, codes
}

// wantNum checks a number of the report (nil: no number).
func wantNum(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: null, want %v", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-9 {
		t.Errorf("%s: %v, want %v", what, *got, want)
	}
}

// TestE2EDFIDTemplate: the shared DFID template filled in at its own cells
// (layoutfix.DFIDTemplateFilled). Without --code, --start and --end the
// import says what to give and creates nothing; with them it loads 3
// results and 5 indicators, and the report of 2013Q1 shows each indicator
// on its milestone of March 2013 (no figures yet: the template has no
// Achieved row).
func TestE2EDFIDTemplate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "logframe.xlsx")
	if err := layoutfix.FillDFIDTemplate(templatePath(t, "dfid-logframe-template.xlsx"), file, layoutfix.DFIDTemplateFilled()); err != nil {
		t.Fatal(err)
	}
	_, errs, code := rmf(t, dir, "framework", "import", "logframe.xlsx")
	want := "rmf framework: logframe.xlsx: code: required value missing: the file gives no project code; give it with --code CODE or in a sheet Project, row code\n" +
		"rmf framework: logframe.xlsx: start: required value missing: the file gives no project start; give it with --start DATE or in a sheet Project, row start\n" +
		"rmf framework: logframe.xlsx: end: required value missing: the file gives no project end; give it with --end DATE (the latest target heading is due by 2016-03) or in a sheet Project, row end\n"
	if code != 1 || errs != want {
		t.Errorf("without the project keys: exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("a failed import created rmf.db")
	}
	out, errs, code := rmf(t, dir, "framework", "import", "logframe.xlsx", "--code", "GESP", "--start", "2012-04-01", "--end", "2016-03-31")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "imported framework GESP from logframe.xlsx into rmf.db: 3 results, 5 indicators, 10 milestones, 0 dimensions, 0 rules\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if !strings.Contains(errs, "note: read sheet RESULTS FRAMEWORK as a DFID logframe") {
		t.Errorf("stderr lacks the note on the layout:\n%s", errs)
	}
	inds, codes := layoutReport(t, dir, "2013Q1")
	if got := strings.Join(codes, " "); got != "G.1 O.1 O.2 1.1 1.2" {
		t.Errorf("indicators %s, want G.1 O.1 O.2 1.1 1.2", got)
	}
	// At the end of March 2013 each expects its Milestone 1 (Mar 2013).
	for code, m := range map[string][3]float64{"G.1": {45, 48, 60}, "O.1": {12000, 15000, 24000}, "O.2": {12, 10, 5}, "1.1": {0, 500, 2000}, "1.2": {20, 35, 80}} {
		i := inds[code]
		wantNum(t, code+" baseline", i.Baseline, m[0])
		wantNum(t, code+" milestone", i.Milestone, m[1])
		wantNum(t, code+" target", i.Target, m[2])
		if i.Actual != nil {
			t.Errorf("%s: actual %v without figures", code, *i.Actual)
		}
	}
	if d := inds["O.2"].Direction; d != "decrease" {
		t.Errorf("O.2 (dropout rate 12%% to 5%%) direction %q, want decrease", d)
	}
}

// TestE2EDFIDClassic: a classic DFID logframe with its project keys and
// Achieved rows: framework import, rmf import of the same file (its
// achieved figures), and the report of 2013Q1.
func TestE2EDFIDClassic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := layoutfix.WriteDFID(filepath.Join(dir, "classic.xlsx"), layoutfix.DFIDClassic()); err != nil {
		t.Fatal(err)
	}
	out, errs, code := rmf(t, dir, "framework", "import", "classic.xlsx")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if want := "imported framework GB-1-204567 from classic.xlsx into rmf.db: 4 results, 5 indicators, 10 milestones, 0 dimensions, 0 rules\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if !strings.Contains(errs, "note: the file also holds 3 achieved figures: import them with rmf import classic.xlsx") {
		t.Errorf("stderr does not point to rmf import:\n%s", errs)
	}
	if out := mustRMF(t, dir, "import", "classic.xlsx"); out != "classic.xlsx: 3 rows read, 3 added, 0 changed, 0 unchanged\n" {
		t.Errorf("rmf import: %q", out)
	}
	inds, _ := layoutReport(t, dir, "2013Q1")
	// G.1 falls from 9 to 4 days: progress (7.8-9)/(4-9) = 0.24.
	wantNum(t, "G.1 actual", inds["G.1"].Actual, 7.8)
	wantNum(t, "G.1 milestone", inds["G.1"].Milestone, 7.5)
	wantNum(t, "G.1 progress", inds["G.1"].Progress, 0.24)
	// O.1: (215-120)/(300-120) = 95/180 = 0.5278 (the report rounds to 4 places).
	wantNum(t, "O.1 actual", inds["O.1"].Actual, 215)
	wantNum(t, "O.1 milestone", inds["O.1"].Milestone, 200)
	wantNum(t, "O.1 progress", inds["O.1"].Progress, 0.5278)
	// 1.1: 72 of 180 from 0 = 0.4.
	wantNum(t, "1.1 actual", inds["1.1"].Actual, 72)
	wantNum(t, "1.1 milestone", inds["1.1"].Milestone, 80)
	wantNum(t, "1.1 progress", inds["1.1"].Progress, 0.4)
	// 1.2: milestones 50% and 70% (F22 is a percent-formatted 0.7).
	wantNum(t, "1.2 target", inds["1.2"].Target, 90)
	wantNum(t, "1.2 milestone", inds["1.2"].Milestone, 50)

	// Again: the codes are the same, so nothing changes.
	if out := mustRMF(t, dir, "framework", "import", "classic.xlsx"); !strings.HasPrefix(out, "framework GB-1-204567 from classic.xlsx: no change") {
		t.Errorf("framework import again: %q", out)
	}
	if out := mustRMF(t, dir, "import", "classic.xlsx"); out != "classic.xlsx: already imported, nothing changed\n" {
		t.Errorf("import again: %q", out)
	}
}

// TestE2EFlatTemplate: the spreadsheets2iati template as published, with
// its legend row and the example rows of two activities: the framework of
// XE-EXAMPLE-AIDA-XYZ (--activity), its actuals through rmf import, and
// the report of 2018: 100 new users against a target of 500 that year.
func TestE2EFlatTemplate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tpl := templatePath(t, "spreadsheets2iati-results-template.xlsx")
	out, errs, code := rmf(t, dir, "framework", "import", tpl, "--activity", "XE-EXAMPLE-AIDA-XYZ", "--start", "2017-01-01", "--end", "2020-12-31")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "imported framework XE-EXAMPLE-AIDA-XYZ from ") || !strings.Contains(out, " 3 milestones, 0 dimensions, 0 rules\n") {
		t.Errorf("stdout %q", out)
	}
	if out := mustRMF(t, dir, "import", tpl); !strings.HasSuffix(out, ": 4 rows read, 4 added, 0 changed, 0 unchanged\n") {
		t.Errorf("rmf import: %q", out)
	}
	inds, codes := layoutReport(t, dir, "2018")
	if strings.Join(codes, " ") != "1.1" {
		t.Errorf("indicators %v, want 1.1", codes)
	}
	i := inds["1.1"]
	wantNum(t, "1.1 actual", i.Actual, 100)
	wantNum(t, "1.1 milestone", i.Milestone, 500)
	wantNum(t, "1.1 target", i.Target, 500)
	wantNum(t, "1.1 progress", i.Progress, 0.2) // (100-0)/(500-0)
}

// TestE2EFlatFixtures: results rows filled in as officers do, in the
// spreadsheets2iati columns (.xlsx) and in AidStream's (.csv): framework,
// actuals and report.
func TestE2EFlatFixtures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := layoutfix.WriteFlatXLSX(filepath.Join(dir, "results.xlsx"), layoutfix.FlatHeader, true, layoutfix.FlatRows()); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, dir, "framework", "import", "results.xlsx", "--start", "2020-01-01", "--end", "2021-12-31")
	if out := mustRMF(t, dir, "import", "results.xlsx"); out != "results.xlsx: 4 rows read, 4 added, 0 changed, 0 unchanged\n" {
		t.Errorf("rmf import: %q", out)
	}
	inds, codes := layoutReport(t, dir, "2020")
	if got := strings.Join(codes, " "); got != "O1.1 STV-1 1.2" {
		t.Errorf("indicators %s, want O1.1 STV-1 1.2", got)
	}
	wantNum(t, "O1.1 actual", inds["O1.1"].Actual, 18)
	wantNum(t, "O1.1 milestone", inds["O1.1"].Milestone, 20)
	wantNum(t, "STV-1 actual", inds["STV-1"].Actual, 1150)
	wantNum(t, "STV-1 milestone", inds["STV-1"].Milestone, 1000)
	wantNum(t, "1.2 actual", inds["1.2"].Actual, 35)
	female := false
	for _, d := range inds["1.2"].Disaggregated {
		if d.Dims["sex"] == "female" {
			female = true
			wantNum(t, "1.2 female actual", d.Actual, 12)
		}
	}
	if !female {
		t.Errorf("1.2 has no female figure: %+v", inds["1.2"].Disaggregated)
	}

	csvDir := t.TempDir()
	if err := layoutfix.WriteCSV(filepath.Join(csvDir, "result.csv"), layoutfix.AidStreamHeader, true, layoutfix.AidStreamRows()); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, csvDir, "framework", "import", "result.csv", "--code", "CS", "--title", "Cookstoves", "--start", "2020", "--end", "2021")
	if out := mustRMF(t, csvDir, "import", "result.csv"); out != "result.csv: 3 rows read, 3 added, 0 changed, 0 unchanged\n" {
		t.Errorf("rmf import: %q", out)
	}
	inds, _ = layoutReport(t, csvDir, "2021")
	wantNum(t, "STV-1 actual", inds["STV-1"].Actual, 2100)
	wantNum(t, "STV-1 progress", inds["STV-1"].Progress, 0.84) // 2100/2500
	wantNum(t, "CS-1 actual", inds["CS-1"].Actual, 18)         // the 2020 figure, none in 2021
}

// TestE2ELayoutsBadInput: a bad DFID logframe or results file is refused
// whole with every problem named by sheet and cell, and the database is
// as it was; a file in no layout rmf reads gets one line naming the
// layouts and the closest one.
func TestE2ELayoutsBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := layoutfix.WriteDFID(filepath.Join(dir, "classic.xlsx"), layoutfix.DFIDClassic()); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, dir, "framework", "import", "classic.xlsx")
	mustRMF(t, dir, "import", "classic.xlsx")
	state := func() string {
		return mustRMF(t, dir, "framework", "export") + mustRMF(t, dir, "imports") + mustRMF(t, dir, "history", "1.1")
	}
	before := state()

	bad := layoutfix.DFIDClassic()
	bad["E17"] = "about 80" // milestone 1 of 1.1
	bad["G12"] = "lots"     // the outcome's target
	if err := layoutfix.WriteDFID(filepath.Join(dir, "bad.xlsx"), bad); err != nil {
		t.Fatal(err)
	}
	rows := layoutfix.FlatRows()
	rows[2][23] = "n/k" // X5: the actual of STV-1 in 2020
	if err := layoutfix.WriteFlatXLSX(filepath.Join(dir, "results.xlsx"), layoutfix.FlatHeader, true, rows); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "list.csv"), []byte("Name,Phone\nAmina,123\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noTarget := append([]string(nil), layoutfix.AidStreamHeader...)
	noTarget[28] = "Planned Value" // was Target Value
	if err := layoutfix.WriteCSV(filepath.Join(dir, "result.csv"), noTarget, false, layoutfix.AidStreamRows()); err != nil {
		t.Fatal(err)
	}
	const S = "sheet RESULTS FRAMEWORK"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"framework", "import", "bad.xlsx"},
			"rmf framework: bad.xlsx: " + S + ", cell G12 (target): invalid value: target \"lots\" of indicator O.1 is not a number, expected a number like the indicator's other figures (D12 holds \"120 schools\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell)\n" +
				"rmf framework: bad.xlsx: " + S + ", cell E17 (milestone 1): invalid value: milestone 1 \"about 80\" of indicator 1.1 is not a number, expected a number like the indicator's other figures (D17 holds \"0\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell)\n"},
		{[]string{"import", "bad.xlsx"},
			"rmf import: bad.xlsx: " + S + ", cell G12 (target): invalid value: target \"lots\" of indicator O.1 is not a number, expected a number like the indicator's other figures (D12 holds \"120 schools\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell)\n" +
				"rmf import: bad.xlsx: " + S + ", cell E17 (milestone 1): invalid value: milestone 1 \"about 80\" of indicator 1.1 is not a number, expected a number like the indicator's other figures (D17 holds \"0\"), such as 1250, 1,250, 45% or £2.5m (a text indicator has no number in any cell)\n" +
				"rmf import: the file has problems; nothing was written from it\n"},
		{[]string{"framework", "import", "results.xlsx", "--start", "2020", "--end", "2021"},
			"rmf framework: results.xlsx: sheet Results, cell X5 (actual): invalid value: actual \"n/k\" of indicator STV-1 is not a number, expected a number for a number indicator (such as 1250, 1,250 or 12.5)\n"},
		{[]string{"framework", "import", "result.csv", "--code", "CS", "--title", "Cookstoves", "--start", "2020", "--end", "2021"},
			"rmf framework: result.csv:1: target: missing column: no target column in the header row 1 of the results rows (found: " + strings.Join(noTarget, ", ") +
				"), expected a heading such as \"Target\" or \"Target value\"\n"},
		{[]string{"framework", "import", "list.csv"},
			"rmf framework: list.csv: invalid value: not a logframe rmf reads; rmf reads rmf's workbook (sheets Project, Results, Indicators), rmf's YAML, " +
				"a DFID/FCDO logframe (IMPACT, OUTCOME and OUTPUT blocks with Indicator, Baseline, Milestone and Target headings), " +
				"flat IATI results rows as spreadsheets2iati and AidStream write them (.xlsx or .csv: result, indicator, period start and end, target, actual) " +
				"and IATI activity XML. Closest: none: the file has no header row naming an indicator, a period and a target or actual (flat IATI results rows)\n"},
		{[]string{"framework", "import", "classic.xlsx", "--activity", "X", "--start", "2012"},
			"rmf framework: classic.xlsx: invalid value: --activity picks an activity of flat IATI results rows or an IATI .xml file; a DFID logframe holds one project\n"},
	} {
		out, errs, code := rmf(t, dir, c.args...)
		if code != 1 || errs != c.want || out != "" {
			t.Errorf("rmf %s: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", strings.Join(c.args, " "), code, out, errs, c.want)
		}
		checkNoLeak(t, errs)
		if after := state(); after != before {
			t.Errorf("rmf %s changed the database", strings.Join(c.args, " "))
		}
	}
}
