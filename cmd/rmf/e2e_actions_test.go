package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// actionsSetup loads the example framework and management response into a
// fresh database in a temporary folder.
func actionsSetup(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	out := mustRMF(t, dir, "actions", "import", examplePath(t, "actions.xlsx"))
	if !strings.Contains(out, "12 recommendations, 18 key actions") {
		t.Fatalf("first import: %s", out)
	}
	return dir
}

// dataLines are the lines of a list after its header, without the summary.
func dataLines(out string) []string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		return nil
	}
	return lines[1 : len(lines)-1]
}

func TestActionsImportIdempotent(t *testing.T) {
	onEngines(t, testActionsImportIdempotent) // both engines: e2e_engines_test.go
}

func testActionsImportIdempotent(t *testing.T) {
	dir := actionsSetup(t)
	before := mustRMF(t, dir, "actions", "show", "1.2")
	out := mustRMF(t, dir, "actions", "import", examplePath(t, "actions.xlsx"))
	if !strings.Contains(out, "unchanged, nothing written") || !strings.Contains(out, "comments already in the log") {
		t.Errorf("re-import: %s", out)
	}
	if after := mustRMF(t, dir, "actions", "show", "1.2"); after != before {
		t.Errorf("re-import changed the log:\n%s\nwas\n%s", after, before)
	}
	// A dry run of a changed title would add a new evaluation but writes nothing.
	out = mustRMF(t, dir, "actions", "import", examplePath(t, "actions.xlsx"), "--dry-run", "--title", "Other review")
	if !strings.Contains(out, "dry run, nothing written") {
		t.Errorf("dry run: %s", out)
	}
	if out := mustRMF(t, dir, "actions", "--as-of", "2022-06-30"); !strings.Contains(out, "18 of 18 key actions") {
		t.Errorf("the dry run wrote: %s", out)
	}
}

func TestActionsList(t *testing.T) {
	dir := actionsSetup(t)
	out := mustRMF(t, dir, "actions", "--as-of", "2022-06-30")
	lines := dataLines(out)
	if len(lines) != 18 || !strings.Contains(out, "18 of 18 key actions, 1 overdue, as of 2022-06-30") {
		t.Fatalf("list:\n%s", out)
	}
	if f := strings.Fields(lines[0]); f[1] != "6.1" || !strings.Contains(lines[0], "30 days") {
		t.Errorf("overdue action not first: %q", lines[0])
	}
	if f := strings.Fields(lines[1]); f[1] != "1.1" {
		t.Errorf("then matrix order: %q", lines[1])
	}
	// Later, more actions are overdue, longest first.
	out = mustRMF(t, dir, "actions", "--overdue", "--as-of", "2022-10-15")
	lines = dataLines(out)
	if len(lines) != 5 || strings.Fields(lines[0])[1] != "6.1" {
		t.Errorf("overdue at 2022-10-15:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		n    int
	}{
		{[]string{"--status", "completed"}, 4},
		{[]string{"--status", "Not started"}, 3},
		{[]string{"--priority", "2"}, 1},
		{[]string{"--responsible", "LABOUR MINISTRY"}, 2},
		{[]string{"--overdue", "--responsible", "donor"}, 1},
	} {
		out := mustRMF(t, dir, append([]string{"actions", "--as-of", "2022-06-30"}, tc.args...)...)
		if got := len(dataLines(out)); got != tc.n {
			t.Errorf("actions %v: %d lines, want %d:\n%s", tc.args, got, tc.n, out)
		}
	}
	if out := mustRMF(t, dir, "actions", "--status", "cancelled", "--as-of", "2022-06-30"); !strings.Contains(out, "no key action matches (of 18") {
		t.Errorf("no match: %s", out)
	}
}

func TestActionsUpdateAppends(t *testing.T) {
	onEngines(t, testActionsUpdateAppends) // both engines: e2e_engines_test.go
}

func testActionsUpdateAppends(t *testing.T) {
	dir := actionsSetup(t)
	before := mustRMF(t, dir, "actions", "show", "6.1")
	out := mustRMF(t, dir, "actions", "update", "6.1", "--status", "completed", "--comment", "Budget revision approved by the donor.", "--date", "2 July 2022")
	if !strings.Contains(out, "status ongoing -> completed with a comment dated 2022-07-02") {
		t.Errorf("update: %s", out)
	}
	mustRMF(t, dir, "actions", "update", "6.1", "--comment", "Funds moved.", "--date", "2022-07-10")
	after := mustRMF(t, dir, "actions", "show", "6.1")
	// Every earlier line is still there, in the same order: appended, not overwritten.
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	bl := strings.Split(strings.TrimSpace(before), "\n")
	for _, line := range bl[3:] {
		if strings.HasPrefix(line, "log (") {
			continue
		}
		if !strings.Contains(squeeze(after), squeeze(line)) {
			t.Errorf("log line lost: %q\n%s", line, after)
		}
	}
	if !strings.Contains(after, "log (4 entries") || !strings.Contains(squeeze(after), "2022-07-02 completed Budget revision approved by the donor.") ||
		!strings.Contains(after, "status: completed") {
		t.Errorf("after the updates:\n%s", after)
	}
	// As of 2022-06-30 it was still overdue; on 2022-07-05 it is completed.
	if out := mustRMF(t, dir, "actions", "--overdue", "--as-of", "2022-06-30"); len(dataLines(out)) != 1 {
		t.Errorf("history lost:\n%s", out)
	}
	if out := mustRMF(t, dir, "actions", "--overdue", "--as-of", "2022-07-05"); !strings.Contains(out, "no key action matches") {
		t.Errorf("still overdue after completion:\n%s", out)
	}
	// Re-importing the old matrix neither undoes the update nor repeats comments.
	if out := mustRMF(t, dir, "actions", "import", examplePath(t, "actions.xlsx")); !strings.Contains(out, "unchanged") {
		t.Errorf("re-import after update: %s", out)
	}
	if again := mustRMF(t, dir, "actions", "show", "6.1"); again != after {
		t.Errorf("re-import changed the log:\n%s", again)
	}
	// The numeric id works too.
	id := strings.Fields(dataLines(mustRMF(t, dir, "actions", "--as-of", "2022-06-30"))[0])[0]
	if out := mustRMF(t, dir, "actions", "show", id); !strings.Contains(out, "key action 6.1 ("+id+")") {
		t.Errorf("show %s: %s", id, out)
	}
}

func TestActionsBadInput(t *testing.T) {
	dir := actionsSetup(t)
	f, err := excelize.OpenFile(examplePath(t, "actions.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	sh := "Management response"
	for cell, v := range map[string]any{
		"K6":  "halfway",             // unknown status of action 1.1
		"L7":  "A2.2.3; 9.9",         // unknown linked code
		"D8":  5,                     // priority of recommendation 2 (merged D8:D10)
		"B11": "",                    // recommendation 3 without text
		"H12": "some day",            // bad deadline of action 4.1
		"E13": "will think about it", // unknown response
	} {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(dir, "bad.xlsx")
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	before := mustRMF(t, dir, "actions", "--as-of", "2022-06-30")
	out, errs, code := rmf(t, dir, "actions", "import", bad)
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		"sheet Management response, cell K6 (status)", `status "halfway"`,
		"sheet Management response, cell L7 (links)", `"9.9"`,
		"sheet Management response, cell D8 (priority)", "priority 5",
		"sheet Management response, cell B11 (recommendation)", "recommendation 3 has no text",
		"sheet Management response, cell H12 (deadline)", `deadline "some day"`,
		"sheet Management response, cell E13 (response)", `response "will think about it"`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if after := mustRMF(t, dir, "actions", "--as-of", "2022-06-30"); after != before {
		t.Errorf("a bad file changed the database")
	}
	if _, errs, code := rmf(t, dir, "actions", "import", filepath.Join(dir, "missing.xlsx")); code != 1 || !strings.Contains(errs, "missing.xlsx") {
		t.Errorf("missing file: %d %s", code, errs)
	}
}

func TestActionsUsage(t *testing.T) {
	dir := actionsSetup(t)
	for _, args := range [][]string{
		{"actions", "update", "6.1"},
		{"actions", "update", "6.1", "--status", "halfway"},
		{"actions", "update", "6.1", "--comment", "x", "--date", "someday"},
		{"actions", "update"},
		{"actions", "--priority", "4"},
		{"actions", "--status", "nope"},
		{"actions", "import"},
		{"actions", "stray"},
	} {
		if _, errs, code := rmf(t, dir, args...); code != 2 || !strings.Contains(errs, "usage:") {
			t.Errorf("rmf %v: exit %d, stderr %q; want 2 and the usage", args, code, errs)
		}
	}
	if _, errs, code := rmf(t, dir, "actions", "update", "9.9", "--comment", "x"); code != 1 || !strings.Contains(errs, `no key action "9.9"`) {
		t.Errorf("unknown action: %d %s", code, errs)
	}
	if out := mustRMF(t, dir, "actions", "-h"); !strings.Contains(out, "rmf actions update ID") {
		t.Errorf("help: %s", out)
	}
	// Without any evaluation stored.
	empty := t.TempDir()
	mustRMF(t, empty, "framework", "import", examplePath(t, "framework.yaml"))
	if out := mustRMF(t, empty, "actions"); !strings.Contains(out, "no evaluation stored yet") {
		t.Errorf("empty: %s", out)
	}
}
