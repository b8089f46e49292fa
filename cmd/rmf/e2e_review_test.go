package main

// End-to-end test of the reporting cycle (issue 16) on the example project:
// report 2021Q3, approve and lock it, import the corrections (refused while
// the corrected period is locked), revise the targets after the mid-term
// review with their reasons, then regenerate 2021Q3 as reported (byte for
// byte) and the current reports that show what was revised.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// at runs rmf in dir at the fixed time now ($RMF_NOW) as the officer.
func at(t *testing.T, dir, now string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return rmfEnv(t, dir, []string{"RMF_NOW=" + now, "RMF_USER=officer"}, args...)
}

func mustAt(t *testing.T, dir, now string, args ...string) string {
	t.Helper()
	out, errs, code := at(t, dir, now, args...)
	if code != 0 {
		t.Fatalf("rmf %s at %s: exit status %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), now, code, out, errs)
	}
	return out
}

// preReviewFramework is the example framework as it stood before the
// mid-term review (examples/framework-2019.yaml, which rmf demo imports
// first): without the activities the review added, 3.2.1's target at 360
// staff (80 by 2022S2) and 3.3.1 at 17 NGOs.
func preReviewFramework(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(examplePath(t, "framework-2019.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "framework-2019.yaml")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// exampleData lists the example's data files whose names start with one
// of the prefixes, in name order.
func exampleData(t *testing.T, prefixes ...string) []string {
	t.Helper()
	dir := examplePath(t, "data")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Name(), p) && !strings.HasSuffix(e.Name(), ".md") {
				out = append(out, filepath.Join(dir, e.Name()))
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// postReviewWorkbook writes the example framework (as revised after the
// review) as a workbook with a RECORD OF CHANGES sheet holding rows.
func postReviewWorkbook(t *testing.T, dir, name string, rows [][]any) string {
	t.Helper()
	scratch := filepath.Join(dir, "scratch-"+name+".db")
	mustRMF(t, dir, "--db", scratch, "framework", "import", examplePath(t, "framework.yaml"))
	path := filepath.Join(dir, name)
	mustRMF(t, dir, "--db", scratch, "framework", "export", "-o", path)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Record of changes"); err != nil {
		t.Fatal(err)
	}
	all := append([][]any{{"Date", "Version", "Level", "Reason for change", "Reason code", "Approved by"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Record of changes", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestReportingCycleStory(t *testing.T) {
	onEngines(t, testReportingCycleStory) // both engines: e2e_engines_test.go
}

func testReportingCycleStory(t *testing.T) {
	dir := t.TempDir()
	// September 2019: the original logframe.
	mustAt(t, dir, "2019-09-15T09:00:00Z", "framework", "import", preReviewFramework(t, dir))
	// October 2021: the returns up to 2021Q3 (the corrections come later).
	var files []string
	for _, f := range exampleData(t, "2019", "2020", "2021q1", "2021q2", "2021q3") {
		if !strings.Contains(f, "corrections") {
			files = append(files, f)
		}
	}
	mustAt(t, dir, "2021-10-05T09:00:00Z", append([]string{"import"}, files...)...)

	// Review: one figure goes back to its partner; 2021Q3 is approved.
	out := mustAt(t, dir, "2021-10-12T09:00:00Z", "return", "--period", "2021Q2", "--indicator", "3.3.3",
		"--reason", "the service catalogue counts some services twice: check the headings")
	if !strings.Contains(out, "returned 1 figure of 2021Q2 of indicator 3.3.3") || !strings.Contains(out, "3.3.3 2021Q2 total 141 (was submitted)") {
		t.Errorf("return:\n%s", out)
	}
	// Locking before approval is refused and writes nothing.
	_, errs, code := at(t, dir, "2021-10-13T09:00:00Z", "lock", "--period", "2021Q3")
	if code != 1 || !strings.Contains(errs, "period 2021Q3 has 2 figures not approved") || !strings.Contains(errs, "--force --reason TEXT") {
		t.Errorf("lock before approval: exit %d\n%s", code, errs)
	}
	out = mustAt(t, dir, "2021-10-14T09:00:00Z", "approve", "--period", "2021Q3")
	if !strings.Contains(out, "approved 2 figures of 2021Q3 (0 already approved)") {
		t.Errorf("approve 2021Q3:\n%s", out)
	}
	out = mustAt(t, dir, "2021-10-14T09:30:00Z", "approve", "--period", "2021S1", "--indicator", "3.2.1")
	if !strings.Contains(out, "approved 1 figure of 2021S1 of indicator 3.2.1") {
		t.Errorf("approve 3.2.1 2021S1:\n%s", out)
	}
	// Approving a period with figures owed and missing is allowed and says
	// what is missing (here nothing is left to approve: nothing is logged).
	out = mustAt(t, dir, "2021-10-14T09:45:00Z", "approve", "--period", "2021S2")
	for _, want := range []string{"nothing to approve: the 2 figures of 2021S2 are already approved", "not received for 2021S2",
		"3.3.1 2021S2 (semiannual, responsible: NGO grants manager)"} {
		if !strings.Contains(out, want) {
			t.Errorf("approve 2021S2 does not say %q:\n%s", want, out)
		}
	}

	// The report of 2021Q3 as it goes to the donor, in every format.
	formats := []string{"md", "json", "txt", "html"}
	sent := map[string]string{}
	for _, f := range formats {
		name := "sent-2021Q3." + f
		mustAt(t, dir, "2021-10-15T08:00:00Z", "report", "--period", "2021Q3", "-o", name)
		sent[f] = readFile(t, filepath.Join(dir, name))
	}
	if !strings.Contains(sent["md"], "figures up to the end of 2021Q3 approved") || !strings.Contains(sent["md"], ", 1 returned to their partners.") {
		t.Errorf("the report sent does not show the review of the figures:\n%s", sectionOf(sent["md"], "## Review of the figures"))
	}
	// The donor workbook too: its cells are compared (a workbook's zip
	// holds the time it was written, so its bytes differ).
	mustAt(t, dir, "2021-10-15T08:00:00Z", "report", "--period", "2021Q3", "-o", "sent-2021Q3.xlsx")
	mustAt(t, dir, "2021-10-15T09:00:00Z", "lock", "--period", "2021Q3", "--reason", "sent to the donor 2021-10-15")
	// 2021Q2 was reported in the semester report: locked although figures are not approved.
	if _, errs, code := at(t, dir, "2021-10-15T10:00:00Z", "lock", "--period", "2021Q2", "--force"); code != 2 || !strings.Contains(errs, "--force needs --reason") {
		t.Errorf("forced lock without reason: exit %d\n%s", code, errs)
	}
	mustAt(t, dir, "2021-10-15T10:00:00Z", "lock", "--period", "2021Q2", "--force", "--reason", "reported in the 2021S1 report")

	// November 2021: the ledger audit's corrections touch 2021Q2, which is
	// locked: refused, naming the figures, the lock and how to reopen.
	corrections := exampleData(t, "2021q3_ngo_grants_corrections")[0]
	_, errs, code = at(t, dir, "2021-11-02T09:00:00Z", "import", corrections)
	for _, want := range []string{"indicator 3.3.5, period 2021Q2, total: would change 41300 to 38900",
		"indicator 3.3.3, period 2021Q2, total: would change 141 to 144", "reported in the 2021S1 report",
		"rmf unlock --period 2021Q2 --reason TEXT"} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("import into a locked period: exit %d, want %q in:\n%s", code, want, errs)
		}
	}
	if out := mustRMF(t, dir, "imports"); strings.Contains(out, "corrections") {
		t.Errorf("a refused import was recorded:\n%s", out)
	}
	if _, errs, code := at(t, dir, "2021-11-02T10:00:00Z", "unlock", "--period", "2021Q2"); code != 2 || !strings.Contains(errs, "--reason is required") {
		t.Errorf("unlock without reason: exit %d\n%s", code, errs)
	}
	mustAt(t, dir, "2021-11-02T10:00:00Z", "unlock", "--period", "2021Q2", "--reason", "ledger audit of July 2021")
	// The corrections answer the figure returned in October.
	out = mustAt(t, dir, "2021-11-02T11:00:00Z", "import", corrections)
	if !strings.Contains(out, "answers the return of 3.3.3 2021Q2 total (log entry #1: the service catalogue counts some services twice") {
		t.Errorf("the corrections do not say they answer the return:\n%s", out)
	}

	// December 2021: the logframe revised after the mid-term review. A
	// record of changes without a reason is refused, naming the cell.
	bad := postReviewWorkbook(t, dir, "framework-2021-bad.xlsx", [][]any{
		{"2021-11-20", "2.0", "output 3.2", "", "changes in context", "Steering committee"}})
	_, errs, code = at(t, dir, "2021-12-01T09:00:00Z", "framework", "import", bad)
	if code != 1 || !strings.Contains(errs, "sheet Record of changes, cell D2") || !strings.Contains(errs, "a change without a reason") {
		t.Errorf("record of changes without a reason: exit %d\n%s", code, errs)
	}
	if out := mustRMF(t, dir, "framework", "history"); strings.Contains(out, "version 2") {
		t.Errorf("a refused framework import recorded a version:\n%s", out)
	}
	revised := postReviewWorkbook(t, dir, "framework-2021.xlsx", [][]any{
		{"2021-11-20", "2.0", "outputs 2.1, 3.2, 3.3", "Mid-term review: local staff in all 21 provinces (activity 3.2.5), four more NGOs, policy activities 2.1.10-2.1.13",
			"changes in context", "Steering committee"}})
	out = mustAt(t, dir, "2021-12-01T09:00:00Z", "framework", "import", revised)
	for _, want := range []string{"recorded as framework version 2", "3.2.1 target: 360 -> 840", "3.2.1 milestone 2022S2: 80 -> 280",
		"3.3.1 target: 17 -> 21", "activity A3.2.5 added",
		"reason: 2021-11-20, version 2.0, outputs 2.1, 3.2, 3.3 [changes in context]: Mid-term review"} {
		if !strings.Contains(out, want) {
			t.Errorf("framework import after the review does not say %q:\n%s", want, out)
		}
	}
	hist := mustRMF(t, dir, "framework", "history", "3.2.1")
	if !strings.Contains(hist, "version 2  2021-12-01 09:00 UTC") || !strings.Contains(hist, "by officer") ||
		!strings.Contains(hist, "3.2.1 target: 360 -> 840") || strings.Contains(hist, "3.3.1") {
		t.Errorf("framework history 3.2.1:\n%s", hist)
	}
	// The rest of the returns, through 2022Q2 (late figures of 2021Q3 are added).
	mustAt(t, dir, "2022-01-15T09:00:00Z", append([]string{"import"}, exampleData(t, "2021q4", "2022q1")...)...)
	mustAt(t, dir, "2022-07-05T09:00:00Z", append([]string{"import"}, exampleData(t, "2022q2")...)...)

	// July 2022: 2021Q3 as reported, byte for byte, in every format; and as
	// of the morning it was sent.
	for _, f := range formats {
		name := "again-2021Q3." + f
		mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--as-reported", "-o", name)
		if got := readFile(t, filepath.Join(dir, name)); got != sent[f] {
			t.Errorf("2021Q3 as reported (%s) differs from the report sent:\n%s", f, lineDiff(sent[f], got))
		}
		name = "asof-2021Q3." + f
		mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--as-of", "2021-10-15T08:30", "-o", name)
		if got := readFile(t, filepath.Join(dir, name)); got != sent[f] {
			t.Errorf("2021Q3 as of 2021-10-15T08:30 (%s) differs from the report sent:\n%s", f, lineDiff(sent[f], got))
		}
	}
	mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--as-reported", "-o", "again-2021Q3.xlsx")
	if a, b := workbookCells(t, filepath.Join(dir, "sent-2021Q3.xlsx")), workbookCells(t, filepath.Join(dir, "again-2021Q3.xlsx")); a != b {
		t.Errorf("the donor workbook as reported differs from the one sent:\n%s", lineDiff(a, b))
	}
	// The target in force then (360) and now (840).
	if !strings.Contains(sent["md"], "| 3.2.1 | Local staff trained to inform and serve migrants | number | 0 | 360 |") {
		t.Errorf("the report sent does not use the original target of 3.2.1:\n%s", grepLines(sent["md"], "| 3.2.1 |"))
	}
	now21 := mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--format", "md")
	if !strings.Contains(now21, "| 3.2.1 | Local staff trained to inform and serve migrants | number | 0 | 840 |") {
		t.Errorf("the current report of 2021Q3 does not use the revised target of 3.2.1:\n%s", grepLines(now21, "| 3.2.1 |"))
	}
	// 3.3.5 reported 242,800 (64,500 + 41,300 + ... by 2021Q3); the audit
	// moved 3,700 into 2020Q4 (64,500 -> 68,200) and took 2,400 off 2021Q2
	// (41,300 -> 38,900), and 18,000 for 2021Q3 itself arrived late with the
	// 2021Q4 return: 242,800 + 3,700 - 2,400 + 18,000 = 262,100.
	for _, want := range []string{"**Actuals revised since 2021Q3 was reported**",
		"- 3.3.5 262,100 (reported 242,800 on 2021-10-15, corrected by 2021q3_ngo_grants_corrections.xlsx, 2021q4_ngo_grants.xlsx)",
		"- 3.3.3 144 (reported 141 on 2021-10-15, corrected by 2021q3_ngo_grants_corrections.xlsx)"} {
		if !strings.Contains(now21, want) {
			t.Errorf("current 2021Q3 report lacks %q:\n%s", want, sectionOf(now21, "## Review of the figures"))
		}
	}
	now22 := mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2022Q2", "--format", "md")
	for _, want := range []string{"## Review of the figures",
		// 2021Q2 was locked (forced) on 2021-10-15 and unlocked for the audit:
		// its report is the first that gave these figures.
		"- 3.3.5 2021Q2: 38,900 (reported 41,300 on 2021-10-15 with 2021Q2, corrected by 2021q3_ngo_grants_corrections.xlsx on 2021-11-02)",
		"- 3.3.5 2020Q4: 68,200 (reported 64,500 on 2021-10-15 with 2021Q2, corrected by 2021q3_ngo_grants_corrections.xlsx on 2021-11-02)",
		"after 2021Q3 was reported on 2021-10-15)"} {
		if !strings.Contains(now22, want) {
			t.Errorf("current 2022Q2 report lacks %q:\n%s", want, sectionOf(now22, "## Review of the figures"))
		}
	}
	js := mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2022Q2", "--format", "json")
	if !strings.Contains(js, `"review": {`) || !strings.Contains(js, `"corrected_by": "`) {
		t.Errorf("JSON report has no review:\n%s", js[max(0, strings.Index(js, `"review"`)):])
	}

	// The donor workbook shows the original and revised targets; as
	// reported, before the revision, it has none.
	mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2022Q2", "-o", "donor-2022Q2.xlsx")
	rows := sheetRows(t, filepath.Join(dir, "donor-2022Q2.xlsx"), "Target revisions")
	found := false
	for _, r := range rows {
		if len(r) >= 6 && r[0] == "3.2.1" && r[2] == "target" {
			found = true
			if r[3] != "360" || r[4] != "840" || !strings.HasPrefix(r[5], "2021-12-01: 360 -> 840 (changes in context: Mid-term review") {
				t.Errorf("target revision of 3.2.1: %q", r)
			}
		}
	}
	if !found {
		t.Errorf("no target revision of 3.2.1 in the donor workbook: %q", rows)
	}
	// The IPTT says under 3.2.1 that its end target was revised, from what
	// (the end-target cell holds the revised number).
	if label, target := iptRow(t, filepath.Join(dir, "donor-2022Q2.xlsx"), "3.2.1"); !strings.HasSuffix(label,
		"\nEnd target revised from 360 to 840 on 2021-12-01 (sheet Target revisions)") || target != "840" {
		t.Errorf("IPTT row of 3.2.1: indicator %q, end target %q", label, target)
	}
	mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--as-reported", "-o", "donor-2021Q3.xlsx")
	if rows := sheetRows(t, filepath.Join(dir, "donor-2021Q3.xlsx"), "Target revisions"); rows != nil {
		t.Errorf("the donor workbook as reported shows revisions made later: %q", rows)
	}
	// Only approved figures: of the figures up to 2021Q3, only the
	// statistics office's two of 2021Q3 and 3.2.1's of 2021Q2 (41 staff
	// trained, approved with 2021S1) were approved; none of 3.3.5's.
	js = mustAt(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--approved-only", "--format", "json")
	if a := jsonActual(t, js, "3.3.5"); a != "null" {
		t.Errorf("approved only: 3.3.5 actual %s, want null (not approved)", a)
	}
	if a := jsonActual(t, js, "3.2.1"); a != "41" {
		t.Errorf("approved only: 3.2.1 actual %s, want 41 (its figure of 2021Q2, approved with 2021S1)", a)
	}
	all := mustAt(t, dir, "2022-07-10T09:00:00Z", "export", "iati", "-o", "-")
	approved := mustAt(t, dir, "2022-07-10T09:00:00Z", "export", "iati", "--approved-only", "-o", "-")
	if na, nb := strings.Count(all, "<actual"), strings.Count(approved, "<actual"); nb == 0 || nb >= na {
		t.Errorf("IATI approved only: %d actuals, all: %d", nb, na)
	}

	// Every action is in the log, with who, when and why.
	log := mustRMF(t, dir, "log")
	want := []string{
		"#1 2021-10-12 09:00 UTC return 2021Q2 indicator 3.3.3 (1 figures) by officer: the service catalogue counts some services twice",
		"#2 2021-10-14 09:00 UTC approve 2021Q3 (2 figures) by officer",
		"#3 2021-10-14 09:30 UTC approve 2021S1 indicator 3.2.1 (1 figures) by officer",
		"#4 2021-10-15 09:00 UTC lock 2021Q3 by officer: sent to the donor 2021-10-15",
		"#5 2021-10-15 10:00 UTC lock 2021Q2 (forced, ",
		"#6 2021-11-02 10:00 UTC unlock 2021Q2 by officer: ledger audit of July 2021",
	}
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != len(want) {
		t.Fatalf("log has %d entries, want %d:\n%s", len(lines), len(want), log)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("log entry %d:\n got %s\nwant %s...", i+1, lines[i], w)
		}
	}
	// Bad input: a date before the database existed, a period never locked.
	if _, errs, code := at(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2021Q3", "--as-of", "2019-01-01"); code != 1 ||
		!strings.Contains(errs, "is before the database was created (2019-09-15T09:00:00Z)") {
		t.Errorf("as of a date before the database: exit %d\n%s", code, errs)
	}
	if _, errs, code := at(t, dir, "2022-07-10T09:00:00Z", "report", "--period", "2022Q1", "--as-reported"); code != 1 ||
		!strings.Contains(errs, "period 2022Q1 was never locked") {
		t.Errorf("as reported, never locked: exit %d\n%s", code, errs)
	}
	// The database refuses to rewrite the log.
	ctx := context.Background()
	db := openTestDB(t, dir, "rmf.db") // the file, or its PostgreSQL project
	for _, q := range []string{`UPDATE review_log SET reason = 'nothing happened'`, `DELETE FROM review_log WHERE action = 'unlock'`,
		`DELETE FROM review_figures`, `UPDATE framework_versions SET body = '{}'`, `DELETE FROM framework_revisions`} {
		_, err := db.SQL().ExecContext(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the database to refuse", q, err)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sectionOf is the text from heading to the next heading of its level.
func sectionOf(s, heading string) string {
	i := strings.Index(s, heading)
	if i < 0 {
		return "(no section " + heading + ")"
	}
	rest := s[i+len(heading):]
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return heading + rest
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// sheetRows reads the rows of a sheet of a workbook (nil when it has no such sheet).
func sheetRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// jsonActual is the text of the "actual" of indicator code in a JSON report.
func jsonActual(t *testing.T, js, code string) string {
	t.Helper()
	var rep struct {
		Results []struct {
			Indicators []struct {
				Code   string          `json:"code"`
				Actual json.RawMessage `json:"actual"`
			} `json:"indicators"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		for _, ind := range r.Indicators {
			if ind.Code == code {
				return string(ind.Actual)
			}
		}
	}
	t.Fatalf("no indicator %s in the JSON report", code)
	return ""
}

func TestReviewBadInput(t *testing.T) {
	dir := t.TempDir()
	fw := examplePath(t, "framework.yaml")
	// An unknown reason code: a usage error, and not even a database is made.
	if _, errs, code := at(t, dir, "2021-01-01", "framework", "import", fw, "--reason-code", "mid-term review"); code != 2 ||
		!strings.Contains(errs, `reason code "mid-term review", expected one of: adaptive management, budget realignment`) {
		t.Errorf("unknown reason code: exit %d\n%s", code, errs)
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("a refused framework import created the database")
	}
	mustAt(t, dir, "2021-01-01", "framework", "import", fw)
	mustAt(t, dir, "2021-01-02", append([]string{"import"}, exampleData(t, "2020q4_ngo_grants")...)...)
	if out := mustRMF(t, dir, "log"); !strings.Contains(out, "the review log is empty") {
		t.Errorf("empty log: %s", out)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"approve"}, 2, "--period is required"},
		{[]string{"approve", "--period", "2030Q1"}, 1, "is outside the project"},
		{[]string{"approve", "--period", "2020Q4", "--indicator", "9.9.9"}, 1, `--indicator "9.9.9" is not an indicator of the framework`},
		{[]string{"approve", "--period", "2020Q1", "--indicator", "3.3.5"}, 1, "no figures of 2020Q1 of indicator 3.3.5 in the database: nothing to approve"},
		{[]string{"return", "--period", "2020Q4"}, 2, "--reason is required"},
		{[]string{"unlock", "--period", "2020Q4", "--reason", "x"}, 1, "period 2020Q4 is not locked"},
		{[]string{"lock", "--period", "2020Q4"}, 1, "period 2020Q4 has 16 figures not approved"},
		{[]string{"report", "--period", "2020Q4", "--as-of", "yesterday"}, 2, `--as-of: "yesterday" is not a time`},
		{[]string{"report", "--period", "2020Q4", "--as-of", "2021-01-01", "--as-reported"}, 2, "--as-of and --as-reported exclude each other"},
	} {
		_, errs, code := at(t, dir, "2021-01-03", tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("rmf %s: exit %d, want %d and %q:\n%s", strings.Join(tc.args, " "), code, tc.code, tc.want, errs)
		}
	}
	if out := mustRMF(t, dir, "log"); !strings.Contains(out, "the review log is empty") {
		t.Errorf("refused commands wrote to the log:\n%s", out)
	}
	mustAt(t, dir, "2021-01-04", "lock", "--period", "2020Q4", "--force", "--reason", "annual report sent")
	if _, errs, code := at(t, dir, "2021-01-05", "lock", "--period", "2020Q4", "--force", "--reason", "again"); code != 1 ||
		!strings.Contains(errs, "period 2020Q4 is already locked (2021-01-04 00:00 UTC lock 2020Q4 (forced, 16 figures not approved) by officer: annual report sent)") {
		t.Errorf("second lock: exit %d\n%s", code, errs)
	}
	// $RMF_NOW that is not a time.
	if _, errs, code := at(t, dir, "soon", "log"); code != 1 || !strings.Contains(errs, `$RMF_NOW: "soon" is not a time`) {
		t.Errorf("bad $RMF_NOW: exit %d\n%s", code, errs)
	}
}

// workbookCells is every sheet of a workbook, a line per row, cells
// separated by tabs.
func workbookCells(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("== " + sh + "\n")
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}

// iptRow is the indicator cell (its name and any revision line) and the
// end target of indicator code on the IPTT sheet.
func iptRow(t *testing.T, path, code string) (label, target string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("IPTT", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for _, r := range rows {
		for j, c := range r {
			if c == "End target" && col < 0 {
				col = j
			}
		}
		if col >= 0 && len(r) > col && r[0] == code {
			return r[1], r[col]
		}
	}
	t.Fatalf("IPTT has no End target column or no row %s", code)
	return "", ""
}

// TestRevisedAfterRelock: the donor got 2026Q1 with 8 kitchens; the
// officer unlocked the quarter, imported a correction (12) and locked it
// again. What the donor was first told stays visible: the current report
// marks the figure as revised since 2026Q1 was reported (it used to look
// only at the lock in force, taken after the correction, and showed
// nothing).
func TestRevisedAfterRelock(t *testing.T) {
	t.Parallel()
	onEngines(t, testRevisedAfterRelock) // both engines: e2e_engines_test.go
}

func testRevisedAfterRelock(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "logframe.yaml"), []byte(schoolFeedingYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	mustAt(t, dir, "2026-01-05T09:00:00Z", "framework", "import", "logframe.yaml")
	mustAt(t, dir, "2026-04-10T09:00:00Z", "import", write("q1.csv", "indicator,period,value\n1.1.1,2026Q1,8\n"))
	mustAt(t, dir, "2026-04-12T09:00:00Z", "approve", "--period", "2026Q1")
	mustAt(t, dir, "2026-04-15T09:00:00Z", "lock", "--period", "2026Q1", "--reason", "sent to the donor")
	mustAt(t, dir, "2026-05-02T09:00:00Z", "unlock", "--period", "2026Q1", "--reason", "site visit counted 12 kitchens")
	mustAt(t, dir, "2026-05-02T10:00:00Z", "import", write("q1-corrected.csv", "indicator,period,value\n1.1.1,2026Q1,12\n"))
	mustAt(t, dir, "2026-05-02T11:00:00Z", "approve", "--period", "2026Q1")
	mustAt(t, dir, "2026-05-02T12:00:00Z", "lock", "--period", "2026Q1", "--reason", "corrected report sent")
	md := mustAt(t, dir, "2026-07-10T09:00:00Z", "report", "--period", "2026Q2", "--format", "md")
	want := "1.1.1 2026Q1: 12 (reported 8 on 2026-04-15 with 2026Q1, corrected by q1-corrected.csv on 2026-05-02)"
	if !strings.Contains(md, want) {
		t.Errorf("the 2026Q2 report does not say %q:\n%s", want, sectionOf(md, "## Review of the figures"))
	}
}

// TestApprovedOnlyKeepsApprovedValue: a figure corrected after its
// approval counts, in the reports and exports of approved figures only,
// with the value that was approved (the correction waits for its own
// approval; returning it changes nothing) instead of disappearing; once
// the correction is approved it counts.
func TestApprovedOnlyKeepsApprovedValue(t *testing.T) {
	t.Parallel()
	onEngines(t, testApprovedOnlyKeepsApprovedValue)
}

func testApprovedOnlyKeepsApprovedValue(t *testing.T) {
	dir := t.TempDir()
	yaml := strings.Replace(schoolFeedingYAML, "  reporting: quarterly\n", `  reporting: quarterly
  iati_identifier: XM-DAC-41114-SF26
  reporting_org: School Feeding Trust
  reporting_org_id: XM-DAC-41114
  reporting_org_type: "21"
`, 1)
	if err := os.WriteFile(filepath.Join(dir, "logframe.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	mustAt(t, dir, "2026-01-05T09:00:00Z", "framework", "import", "logframe.yaml")
	mustAt(t, dir, "2026-04-10T09:00:00Z", "import", write("q1.csv", "indicator,period,value\n1.1.1,2026Q1,8\n"))
	mustAt(t, dir, "2026-04-12T09:00:00Z", "approve", "--period", "2026Q1")
	mustAt(t, dir, "2026-05-02T10:00:00Z", "import", write("q1-corrected.csv", "indicator,period,value\n1.1.1,2026Q1,12\n"))
	actual := func(now string, args ...string) string {
		t.Helper()
		js := mustAt(t, dir, now, append([]string{"report", "--period", "2026Q1", "--format", "json"}, args...)...)
		return jsonActual(t, js, "1.1.1")
	}
	for _, tt := range []struct {
		now, what string
		prep      []string
		all, appr string
	}{
		{"2026-05-03T09:00:00Z", "corrected, not yet approved", nil, "12", "8"},
		{"2026-05-04T09:00:00Z", "the correction returned", []string{"return", "--period", "2026Q1", "--reason", "the register says 8"}, "12", "8"},
		{"2026-05-05T09:00:00Z", "the correction approved", []string{"approve", "--period", "2026Q1"}, "12", "12"},
	} {
		if tt.prep != nil {
			mustAt(t, dir, tt.now, tt.prep...)
		}
		if got := actual(tt.now); got != tt.all {
			t.Errorf("%s: actual %s, want %s", tt.what, got, tt.all)
		}
		if got := actual(tt.now, "--approved-only"); got != tt.appr {
			t.Errorf("%s: approved-only actual %s, want %s", tt.what, got, tt.appr)
		}
		xml := mustAt(t, dir, tt.now, "export", "iati", "--approved-only", "-o", "-")
		if want := `<actual value="` + tt.appr + `"`; !strings.Contains(xml, want) {
			t.Errorf("%s: approved-only IATI has no %s:\n%s", tt.what, want, xml[max(0, strings.Index(xml, "<actual")-200):])
		}
	}
}
