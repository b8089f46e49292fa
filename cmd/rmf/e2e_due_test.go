package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The school-feeding project of issue 11, as a new officer sets it up: 3
// years (2026-01-01..2028-12-31, quarterly reporting), yearly milestones
// written as officers write them ("40 kitchens by the end of year 1, 90 by
// year 2, 120 by the end": cumulative, the column left blank), two quarters
// imported from two partners, and Partner B skipped the second quarter.
const schoolFeedingYAML = `project:
  code: SF-26
  title: School feeding in three provinces
  start: 2026-01-01
  end: 2028-12-31
  reporting: quarterly
results:
  - {code: G, level: goal, statement: Children learn better.}
  - {code: O1, level: outcome, parent: G, statement: Children attend school every day.}
  - {code: "1.1", level: output, parent: O1, statement: Schools have a working kitchen.}
  - {code: "1.2", level: output, parent: O1, statement: Children get a hot meal.}
indicators:
  - code: O1.1
    result: O1
    name: Attendance rate
    unit: percent
    baseline: 70
    target: 90
    data_source: School registers
    collection_method: Register review
    responsible: Partner A
  - code: "1.1.1"
    result: "1.1"
    name: Kitchens built
    unit: number
    baseline: 0
    target: 120
    data_source: Partner reports
    collection_method: Site visits
    responsible: Partner B
  - code: "1.2.1"
    result: "1.2"
    name: Meals served
    unit: number
    baseline: 0
    target: 1000000
    data_source: Partner reports
    collection_method: Distribution records
    responsible: Partner A
milestones:
  - {indicator: "1.1.1", period: Year 1, target: 40}
  - {indicator: "1.1.1", period: PY2, target: 90}
  - {indicator: "1.1.1", period: "2028", target: 120}
`

// TestSchoolFeedingE2E is the end-to-end case. Workings (project
// 2026-01-01..2028-12-31 = 1,096 days; end of 2026Q2 = 2026-06-30, day 181):
//
//   - 1.1.1 kitchens: milestones 40, 90, 120 never go down and the last is
//     the target: cumulative. The expected path runs from (2025-12-31, 0)
//     to (2026-12-31, 40): at 2026-06-30, 40 x 181/365 = 19.836 (milestone);
//     expected 19.836/120 = 0.1653. Partner B sent 8 for 2026Q1 and nothing
//     for 2026Q2: actual 8, progress 8/120 = 0.0667 < 0.6 x 0.1653 = 0.0992:
//     off track; 2026Q2 missing under Partner B.
//   - 1.2.1 meals: no milestones, the time elapsed: expected 181/1096 =
//     0.1651; 100,000 + 110,000 = 210,000: progress 0.21: on track.
//   - O1.1 attendance (a level): 2026Q2 75%: progress (75-70)/(90-70) =
//     0.25 >= 0.85 x 0.1651: on track.
//   - Output 1.1 off track (its kitchens); output 1.2 on track; outcome O1
//     on track from its own indicator, delivery off track (output 1.1).
func TestSchoolFeedingE2E(t *testing.T) {
	t.Parallel()
	onEngines(t, testSchoolFeedingE2E) // both engines: e2e_engines_test.go
}

func testSchoolFeedingE2E(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fwFile := write("logframe.yaml", schoolFeedingYAML)
	out := mustRMF(t, dir, "--db", "sf.db", "framework", "import", fwFile)
	// import says how the kitchens' milestones are read
	if !strings.Contains(out, "milestones of 1.1.1: cumulative (inferred: they never go down and the last, 120, equals the target)") {
		t.Errorf("framework import does not say how 1.1.1's milestones are read:\n%s", out)
	}
	// the milestones print as the officer wrote them
	y := exportYAML(t, dir, "--db", "sf.db")
	for _, want := range []string{"period: PY1", "period: PY2", `period: "2028"`} {
		if !strings.Contains(y, want) {
			t.Errorf("framework export lacks %q:\n%s", want, y)
		}
	}
	if strings.Contains(y, "2026-01-01..2026-12-31") {
		t.Errorf("framework export prints a project year as a date range")
	}
	// Partner A: both quarters; Partner B: 2026Q1 only.
	a1 := write("2026q1_partner_a.csv", "indicator,period,value\nO1.1,2026Q1,72\n1.2.1,2026Q1,100000\n")
	a2 := write("2026q2_partner_a.csv", "indicator,period,value\nO1.1,2026Q2,75\n1.2.1,2026Q2,110000\n")
	b1 := write("2026q1_partner_b.csv", "indicator,period,value\n1.1.1,2026Q1,8\n")
	mustRMF(t, dir, "--db", "sf.db", "import", a1, a2, b1)

	var r struct {
		Results []struct {
			Code, Status, Delivery string
			Indicators             []map[string]any
		}
		Missing []map[string]any
	}
	js := mustRMF(t, dir, "report", "--db", "sf.db", "--period", "2026Q2", "--format", "json")
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	res := map[string][2]string{}
	inds := map[string]map[string]any{}
	for _, x := range r.Results {
		res[x.Code] = [2]string{x.Status, x.Delivery}
		for _, i := range x.Indicators {
			inds[i["code"].(string)] = i
		}
	}
	num := func(code, field string, want float64) {
		t.Helper()
		g, ok := inds[code][field].(float64)
		if !ok || math.Abs(g-want) > 1e-4 {
			t.Errorf("%s %s = %v, want %v", code, field, inds[code][field], want)
		}
	}
	num("1.1.1", "actual", 8)
	num("1.1.1", "milestone", 40.0*181/365)
	num("1.1.1", "expected", 40.0*181/365/120)
	num("1.1.1", "progress", 8.0/120)
	num("1.2.1", "expected", 181.0/1096)
	num("O1.1", "progress", 0.25)
	for code, want := range map[string]string{"1.1.1": "off track", "1.2.1": "on track", "O1.1": "on track"} {
		if got := inds[code]["status"]; got != want {
			t.Errorf("%s status %v, want %s", code, got, want)
		}
	}
	if inds["1.1.1"]["milestone_reading"] != "cumulative" {
		t.Errorf("1.1.1 milestone_reading %v", inds["1.1.1"]["milestone_reading"])
	}
	for code, want := range map[string][2]string{"1.1": {"off track", ""}, "1.2": {"on track", ""}, "O1": {"on track", "off track"}, "G": {"on track", "off track"}} {
		if res[code] != want {
			t.Errorf("result %s: status, delivery = %q, want %q", code, res[code], want)
		}
	}
	if len(r.Missing) != 1 || r.Missing[0]["indicator"] != "1.1.1" || r.Missing[0]["period"] != "2026Q2" || r.Missing[0]["responsible"] != "Partner B" {
		t.Errorf("missing = %v, want 1.1.1 2026Q2 Partner B", r.Missing)
	}
	// every format: the missing quarter under the partner's name, the
	// outcome's delivery, and never "no change" for the skipped quarter
	txt := mustRMF(t, dir, "--db", "sf.db", "report", "--period", "2026Q2")
	for _, want := range []string{"on track · delivery ✖ off track", "Missing reports", "  Partner B:", "1.1.1 Kitchens built: 2026Q2"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text report lacks %q:\n%s", want, txt)
		}
	}
	md := mustRMF(t, dir, "--db", "sf.db", "report", "--period", "2026Q2", "--format", "md")
	for _, want := range []string{"### Missing reports", "- **Partner B**\n  - 1.1.1 Kitchens built: 2026Q2",
		"**Status: ● on track** · delivery ✖ off track", "Kitchens built: no figure for 2026Q2 (missing report from Partner B); 8 to date"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown report lacks %q:\n%s", want, md)
		}
	}
	html := mustRMF(t, dir, "--db", "sf.db", "report", "--period", "2026Q2", "--format", "html")
	for _, want := range []string{"<h3>Missing reports</h3>", "<li><strong>Partner B</strong><ul><li>1.1.1 Kitchens built: 2026Q2</li></ul></li>",
		"<strong>delivery</strong> <span class=\"badge st-off-track\">✖ off track</span>"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	for name, s := range map[string]string{"md": md, "html": html} {
		if strings.Contains(s, "8 → 8") || strings.Contains(s, "(no change)") {
			t.Errorf("%s report reads the skipped quarter as no change", name)
		}
	}
	// the partner tracker
	due := mustRMF(t, dir, "--db", "sf.db", "due", "--period", "2026Q2")
	for _, want := range []string{"Partner A\n  2026Q2: 2 of 2 figures arrived", "✔ O1.1 Attendance rate (2026Q2): 2026q2_partner_a.csv",
		"Partner B\n  2026Q2: 0 of 1 figure arrived\n    ✖ 1.1.1 Kitchens built (2026Q2): missing"} {
		if !strings.Contains(due, want) {
			t.Errorf("rmf due lacks %q:\n%s", want, due)
		}
	}
	// at 2026Q3 the skipped quarter is still owed, listed as earlier
	due = mustRMF(t, dir, "--db", "sf.db", "due", "--period", "2026Q3")
	if !strings.Contains(due, "still missing from earlier periods: 1 figure\n    ✖ 1.1.1 Kitchens built: 2026Q2") {
		t.Errorf("rmf due 2026Q3 does not chase the skipped quarter:\n%s", due)
	}
	var dj struct {
		Parties []struct {
			Responsible string
			Period      []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(mustRMF(t, dir, "--db", "sf.db", "due", "--period", "2026Q2", "--format", "json")), &dj); err != nil {
		t.Fatal(err)
	}
	if len(dj.Parties) != 2 || dj.Parties[1].Responsible != "Partner B" || dj.Parties[1].Period[0]["received"] != false {
		t.Errorf("rmf due json: %+v", dj)
	}
	// check -v says how the milestones are read; missing reports belong to
	// a period (report, due), not to check
	chk, _, code := rmf(t, dir, "check", "-v", "--db", "sf.db")
	if code != 0 || !strings.Contains(chk, "info 1.1.1: milestones of indicator 1.1.1 are read as cumulative (inferred: they never go down and the last, 120, equals the target)") ||
		strings.Contains(chk, "no figure for") {
		t.Errorf("check -v: exit %d\n%s", code, chk)
	}
	// before the first quarter ends nothing is owed: not due
	js = mustRMF(t, dir, "--db", "sf.db", "report", "--period", "2026-01")
	if !strings.Contains(js, "○") {
		t.Errorf("2026-01: no indicator is not due:\n%s", js)
	}
	// a re-import names the changed milestone's period as written
	write("logframe.yaml", strings.Replace(schoolFeedingYAML, "period: PY2, target: 90", "period: PY2, target: 95", 1))
	if out := mustRMF(t, dir, "--db", "sf.db", "framework", "import", fwFile); !strings.Contains(out, "milestone 1.1.1 PY2") {
		t.Errorf("re-import does not name the milestone PY2:\n%s", out)
	}
}

// TestDueBadUsage: rmf due needs --period; a bad format is wrong usage.
func TestDueBadUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, errs, code := rmf(t, dir, "due"); code != 2 || !strings.Contains(errs, "--period is required") {
		t.Errorf("due without --period: exit %d, %s", code, errs)
	}
	if _, errs, code := rmf(t, dir, "due", "--period", "2026Q2", "--format", "pdf"); code != 2 || !strings.Contains(errs, "expected text or json") {
		t.Errorf("due --format pdf: exit %d, %s", code, errs)
	}
}

// TestFrameworkImportOtherProject: a database holds one project (SPEC 6);
// importing another project's framework is refused naming both codes,
// exit 1, and nothing is written.
func TestFrameworkImportOtherProject(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	before := exportYAML(t, dir)
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte(schoolFeedingYAML), 0o644)
	_, errs, code := rmf(t, dir, "framework", "import", other)
	if code != 1 || !strings.Contains(errs, "project SF-26") || !strings.Contains(errs, "holds project MIG-MN") {
		t.Errorf("import of another project: exit %d, %s", code, errs)
	}
	if after := exportYAML(t, dir); after != before {
		t.Errorf("the refused import changed the framework:\n%s", lineDiff(before, after))
	}
}

// TestDBFlagAfterCommand: --db is accepted after the command and listed by
// every -h (SPEC 6).
func TestDBFlagAfterCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRMF(t, dir, "init", "--db", "after.db")
	if !exists(filepath.Join(dir, "after.db")) || exists(filepath.Join(dir, "rmf.db")) {
		t.Error("rmf init --db after.db did not create after.db")
	}
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"), "--db", "after.db")
	if _, errs, code := rmf(t, dir, "check", "--db", "after.db"); code != 0 || !strings.Contains(errs, "MIG-MN") {
		t.Errorf("check --db after.db: exit %d, %s", code, errs)
	}
	for _, name := range commandsListed(t) {
		out, _, _ := rmf(t, dir, name, "-h")
		if !strings.Contains(out, "-db FILE") {
			t.Errorf("rmf %s -h does not list --db", name)
		}
	}
}

// TestMilestonesNeitherReading: milestones that neither add up to the
// target nor end on it are a check error naming the indicator, where it is
// and what to write; import says so too (SPEC 5).
func TestMilestonesNeitherReading(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "logframe.yaml")
	os.WriteFile(p, []byte(strings.Replace(schoolFeedingYAML, `period: "2028", target: 120`, `period: "2028", target: 100`, 1)), 0o644)
	// Refused at import: the expected path would be a guess. Nothing is
	// written (not even the database).
	_, errs, code := rmf(t, dir, "framework", "import", "logframe.yaml")
	if code != 1 || !strings.Contains(errs, "milestones of indicator 1.1.1 cannot be read: its milestones add up to 230 and the last is 100, neither equals the target 120; write in column milestones cumulative") {
		t.Errorf("import: exit %d\n%s", code, errs)
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("a refused framework import created the database")
	}
	// Saying which reading makes it import.
	os.WriteFile(p, []byte(strings.Replace(strings.Replace(schoolFeedingYAML, `period: "2028", target: 120`, `period: "2028", target: 100`, 1),
		"    target: 120\n", "    target: 120\n    milestones: cumulative\n", 1)), 0o644)
	out := mustRMF(t, dir, "framework", "import", "logframe.yaml")
	if !strings.Contains(out, "imported framework SF-26") {
		t.Errorf("import with milestones: cumulative:\n%s", out)
	}
}
