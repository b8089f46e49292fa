package main

// End-to-end tests: TestMain builds the rmf binary once, and the tests run
// it as a user would, in a temporary folder, checking stdout, stderr, the
// exit status and the files left behind. Other helpers' e2e_<area>_test.go
// files use rmf, mustRMF and examplePath from here.

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// rmfBin is the binary built by TestMain.
var rmfBin string

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, lineDiff(string(want), got))
	}
}

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "rmf-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	rmfBin = filepath.Join(tmp, "rmf")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	cmd := exec.Command(goTool, "build", "-o", rmfBin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build of rmf for the end-to-end tests failed: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// rmf runs the binary with args in folder dir, with $RMF_DB unset, and
// returns what it printed and its exit status.
func rmf(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return rmfEnv(t, dir, nil, args...)
}

// rmfEnv is rmf with extra environment variables ("RMF_DB=x.db"). In the
// PostgreSQL run of onEngines the databases become projects.
func rmfEnv(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if r := onPostgres(t); r != nil {
		args, env = r.rewrite(dir, args, env) // e2e_engines_test.go
	}
	cmd := exec.Command(rmfBin, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RMF_DB=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("rmf %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// mustRMF runs rmf and fails the test unless it exits 0; it returns stdout.
func mustRMF(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errs, code := rmf(t, dir, args...)
	if code != 0 {
		t.Fatalf("rmf %s: exit status %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// examplePath is the absolute path of a file in the repository's examples/ folder.
func examplePath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// exportYAML returns the stored framework as YAML.
func exportYAML(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return mustRMF(t, dir, append(args, "framework", "export")...)
}

func TestInitIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := mustRMF(t, dir, "init")
	if !strings.Contains(out, "created database rmf.db") {
		t.Errorf("first init: %q, want it to say it created rmf.db", out)
	}
	if !exists(filepath.Join(dir, "rmf.db")) {
		t.Fatal("rmf.db not created")
	}
	out = mustRMF(t, dir, "init")
	if !strings.Contains(out, "rmf.db already exists (empty)") {
		t.Errorf("second init: %q, want it to say rmf.db already exists", out)
	}
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	before := exportYAML(t, dir)
	out = mustRMF(t, dir, "init")
	if !strings.Contains(out, "holds a framework") {
		t.Errorf("init on a full database: %q", out)
	}
	if after := exportYAML(t, dir); after != before {
		t.Error("init changed the stored framework")
	}
}

func TestFrameworkImportYAML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	if !regexp.MustCompile(`^imported framework MIG-MN from .*framework\.yaml into rmf\.db: \d+ results, \d+ indicators, \d+ milestones`).MatchString(out) {
		t.Errorf("import said %q", out)
	}
	// The same file again changes nothing.
	out = mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	if !strings.Contains(out, "no change") {
		t.Errorf("re-import of the same file said %q, want no change", out)
	}
}

func TestFrameworkImportXLSX(t *testing.T) {
	t.Parallel()
	onEngines(t, testFrameworkImportXLSX)
}

func testFrameworkImportXLSX(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	want := exportYAML(t, dir)
	files := []string{filepath.Join(dir, "exported.xlsx")}
	mustRMF(t, dir, "framework", "export", "-o", files[0])
	if p := examplePath(t, "framework.xlsx"); exists(p) {
		files = append(files, p)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d := t.TempDir()
			out := mustRMF(t, d, "framework", "import", f)
			if !strings.HasPrefix(out, "imported framework MIG-MN") {
				t.Errorf("import said %q", out)
			}
			if got := exportYAML(t, d); got != want {
				t.Errorf("framework from %s differs from the YAML one:\n%s", f, lineDiff(want, got))
			}
		})
	}
}

func TestFrameworkReimportUpdatesInPlace(t *testing.T) {
	t.Parallel()
	onEngines(t, testFrameworkReimportUpdatesInPlace) // both engines: e2e_engines_test.go
}

func testFrameworkReimportUpdatesInPlace(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	// Edit the example: a new target for O3.1, a new statement for O1 and
	// a new indicator under output 1.1.
	src, err := os.ReadFile(examplePath(t, "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	edited := replaceOnce(t, string(src), "    baseline: 28\n    baseline_date: 2019-10-15\n    target: 15\n", "    baseline: 28\n    baseline_date: 2019-10-15\n    target: 12\n")
	edited = replaceOnce(t, edited, "The government has better national data on internal migration.", "The government has much better national data on internal migration.")
	edited = replaceOnce(t, edited, "\nindicators:\n", "\nindicators:\n  - {code: 1.1.9, result: \"1.1\", name: Tracking reports published, unit: number, baseline: 0, target: 3, data_source: Reports, collection_method: Count}\n")
	path := filepath.Join(dir, "edited.yaml")
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRMF(t, dir, "framework", "import", "edited.yaml")
	for _, want := range []string{"updated framework MIG-MN from edited.yaml", "  updated indicator O3.1\n", "  updated result O1\n", "  added indicator 1.1.9\n", "1 added, 2 updated, 0 removed"} {
		if !strings.Contains(out, want) {
			t.Errorf("re-import output lacks %q:\n%s", want, out)
		}
	}
	// The database now holds exactly what a fresh import of the edited file gives.
	fresh := t.TempDir()
	mustRMF(t, fresh, "framework", "import", path)
	if got, want := exportYAML(t, dir), exportYAML(t, fresh); got != want {
		t.Errorf("after the re-import the framework differs from a fresh import of the edited file:\n%s", lineDiff(want, got))
	}
	if !strings.Contains(exportYAML(t, dir), "much better national data") {
		t.Error("the edited statement is not in the export")
	}
}

// badFramework has one problem on each marked line.
const badFramework = `project:
  code: BAD
  title: A broken framework
  start: 2020-01-01
  end: 2021-12-31
results:
  - {code: G, level: goal, statement: Goal}
  - {code: O1, level: outcome, parent: G, statement: Outcome}
  - {code: O1, level: outcome, parent: G, statement: Outcome again}   # duplicate code
  - {code: X1, level: output, parent: NOPE, statement: Orphan}         # unknown parent
indicators:
  - {code: I1, result: O1, name: People, unit: people}                 # unknown unit
  - {code: I2, result: O1, name: Share, unit: percent, baseline: lots} # non-numeric baseline
`

func TestFrameworkImportBadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(badFramework), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("fresh folder", func(t *testing.T) {
		out, errs, code := rmf(t, dir, "framework", "import", "bad.yaml")
		if code != 1 {
			t.Fatalf("exit status %d, want 1\nstdout: %s\nstderr: %s", code, out, errs)
		}
		if exists(filepath.Join(dir, "rmf.db")) {
			t.Error("a rejected import created rmf.db")
		}
	})
	t.Run("existing framework", func(t *testing.T) {
		mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
		before := exportYAML(t, dir)
		out, errs, code := rmf(t, dir, "framework", "import", "bad.yaml")
		if code != 1 {
			t.Fatalf("exit status %d, want 1\nstdout: %s\nstderr: %s", code, out, errs)
		}
		if out != "" {
			t.Errorf("stdout should be empty, got %q", out)
		}
		lines := strings.Split(strings.TrimRight(errs, "\n"), "\n")
		// One line per problem, each naming the file and line.
		wants := []struct{ line, text string }{
			{"bad.yaml:9", "O1"},
			{"bad.yaml:10", "NOPE"},
			{"bad.yaml:12", "people"},
			{"bad.yaml:13", "lots"},
		}
		for _, w := range wants {
			found := false
			for _, l := range lines {
				if strings.Contains(l, w.line) && strings.Contains(l, w.text) {
					found = true
				}
			}
			if !found {
				t.Errorf("no stderr line names %s and %q:\n%s", w.line, w.text, errs)
			}
		}
		for _, l := range lines {
			if !strings.Contains(l, "bad.yaml:") {
				t.Errorf("stderr line does not say where: %q", l)
			}
		}
		if after := exportYAML(t, dir); after != before {
			t.Errorf("a rejected import changed the database:\n%s", lineDiff(before, after))
		}
	})
}

func TestFrameworkExportRoundTrip(t *testing.T) {
	t.Parallel()
	onEngines(t, testFrameworkExportRoundTrip)
}

func testFrameworkExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	a := exportYAML(t, dir)
	for _, name := range []string{"fw.yaml", "fw.yml", "fw.xlsx"} {
		t.Run(name, func(t *testing.T) {
			out := mustRMF(t, dir, "framework", "export", "-o", name)
			if want := "wrote framework MIG-MN to " + name; !strings.Contains(out, want) {
				t.Errorf("export said %q, want %q", out, want)
			}
			d := t.TempDir()
			mustRMF(t, d, "framework", "import", filepath.Join(dir, name))
			if b := exportYAML(t, d); b != a {
				t.Errorf("round trip through %s changed the framework:\n%s", name, lineDiff(a, b))
			}
		})
	}
	if b := mustRMF(t, dir, "framework", "export", "-o", "-"); b != a {
		t.Error("-o - differs from the default stdout export")
	}
	// No half-written or temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

var findingLine = regexp.MustCompile(`^(error|warning|info) ([A-Za-z0-9._-]+: |: ).+$`)

func TestCheck(t *testing.T) {
	t.Parallel()
	onEngines(t, testCheck)
}

func testCheck(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	out, errs, code := rmf(t, dir, "check")
	if code != 0 {
		t.Errorf("check of the example: exit status %d, want 0\n%s%s", code, out, errs)
	}
	checkFindingLines(t, out)
	if !strings.Contains(errs, "check: framework MIG-MN, no figures imported: 0 errors") {
		t.Errorf("summary on stderr: %q", errs)
	}

	// A target that moves against the indicator's direction is an error:
	// O3.1 is a decrease from 28.
	src, err := os.ReadFile(examplePath(t, "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := replaceOnce(t, string(src), "    baseline: 28\n    baseline_date: 2019-10-15\n    target: 15\n", "    baseline: 28\n    baseline_date: 2019-10-15\n    target: 35\n")
	if err := os.WriteFile(filepath.Join(dir, "against.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, dir, "framework", "import", "against.yaml")
	out, errs, code = rmf(t, dir, "check")
	if code != 1 {
		t.Errorf("check with an error finding: exit status %d, want 1", code)
	}
	checkFindingLines(t, out)
	if !regexp.MustCompile(`(?m)^error O3\.1: .+$`).MatchString(out) {
		t.Errorf("no error line for O3.1:\n%s", out)
	}
	if !strings.Contains(errs, "check: framework MIG-MN, no figures imported: 1 error") {
		t.Errorf("summary on stderr: %q", errs)
	}
}

// TestCheckData: once figures are imported, rmf check also runs the
// framework's rules over them.
func TestCheckData(t *testing.T) {
	t.Parallel()
	onEngines(t, testCheckData)
}

func testCheckData(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	// Rule R1: value("1.1.2n") <= value("1.1.2d"), severity error.
	csv := "indicator,period,value\n1.1.2n,2020S1,10\n1.1.2d,2020S1,5\n"
	if err := os.WriteFile(filepath.Join(dir, "r1.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, dir, "import", "r1.csv")
	out, errs, code := rmf(t, dir, "check")
	if code != 1 {
		t.Errorf("check with a broken rule: exit status %d, want 1\n%s%s", code, out, errs)
	}
	checkFindingLines(t, out)
	if !regexp.MustCompile(`(?m)^error R1: .*2020S1.*$`).MatchString(out) {
		t.Errorf("no error line for rule R1 in 2020S1:\n%s", out)
	}
	if !strings.Contains(errs, "check: framework MIG-MN, 2 figures: 1 error") {
		t.Errorf("summary on stderr: %q", errs)
	}
}

func checkFindingLines(t *testing.T, out string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if l != "" && !findingLine.MatchString(l) {
			t.Errorf("finding line %q is not \"SEVERITY CODE: message\"", l)
		}
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := mustRMF(t, dir, "demo", "-o", "out")
	for _, want := range []string{
		"imported framework MIG-MN",
		"\n  goal OO: ",
		"\n    outcome O1: ",
		"\n      output 1.1: ",
		"\n        activity A1.1.1: ",
		"\n      - O3.1 Share of migrants without civil registration in the target districts [percent, decrease] 28% -> 15%\n",
		"\ncheck: 0 errors",
		"demo database: out/demo.db",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if !exists(filepath.Join(dir, "out", "demo.db")) {
		t.Fatal("out/demo.db not written")
	}
	// The tree, from the project line to the check summary.
	start := strings.Index(out, "\nMIG-MN  ")
	end := strings.Index(out, "\ncheck: ")
	if start < 0 || end < start {
		t.Fatalf("no tree in the demo output:\n%s", out)
	}
	golden(t, "demo_tree.txt", out[start+1:end+1])
	// Again: the old demo database is replaced, not added to.
	again := mustRMF(t, dir, "demo", "-o", "out")
	if !strings.Contains(again, "imported framework MIG-MN") {
		t.Errorf("second demo run: %s", again)
	}
	// The demo database is an ordinary one.
	mustRMF(t, dir, "--db", "out/demo.db", "check")

	t.Run("default dir", func(t *testing.T) {
		d := t.TempDir()
		mustRMF(t, d, "demo")
		if !exists(filepath.Join(d, "demo", "demo.db")) {
			t.Error("rmf demo did not write demo/demo.db")
		}
	})
	t.Run("--db", func(t *testing.T) {
		d := t.TempDir()
		mustRMF(t, d, "--db", "mine.db", "demo", "-o", "o")
		if !exists(filepath.Join(d, "mine.db")) || exists(filepath.Join(d, "o", "demo.db")) {
			t.Error("rmf --db mine.db demo did not use mine.db")
		}
		// $RMF_DB is not --db: the demo keeps to DIR/demo.db and leaves the user's database alone.
		if _, errs, code := rmfEnv(t, d, []string{"RMF_DB=mine.db"}, "demo", "-o", "o"); code != 0 || !exists(filepath.Join(d, "o", "demo.db")) {
			t.Errorf("demo with $RMF_DB set: exit %d, %s", code, errs)
		}
		// A database that already holds a framework is never overwritten.
		_, errs, code := rmf(t, d, "--db", "mine.db", "demo", "-o", "o")
		if code != 1 || !strings.Contains(errs, "already holds a framework") {
			t.Errorf("demo into a full database: exit %d, stderr %q", code, errs)
		}
	})
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string // in stderr
	}{
		{nil, "usage: rmf [--db FILE|URL] COMMAND"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--bogus", "init"}, "flag provided but not defined: -bogus"},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "init", "check"}, "expected one command name"},
		{[]string{"init", "extra"}, `unexpected argument "extra"`},
		{[]string{"check", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"framework"}, "expected a subcommand: import, export, history or template"},
		{[]string{"framework", "delete"}, `unknown subcommand "delete"`},
		{[]string{"framework", "import"}, "expects one FILE, got 0"},
		{[]string{"framework", "import", "a.yaml", "b.yaml"}, "expects one FILE, got 2"},
		{[]string{"framework", "import", "fw.yaml", "--activity", "X"}, "--activity is for IATI .xml files"},
		{[]string{"framework", "export", "-o", "fw.txt"}, `cannot tell the format of "fw.txt"`},
		{[]string{"framework", "export", "extra"}, `unexpected argument "extra"`},
		{[]string{"demo", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errs, code := rmf(t, dir, tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2\nstdout: %s\nstderr: %s", code, out, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q lacks %q", errs, tt.want)
			}
			if out != "" {
				t.Errorf("stdout should be empty, got %q", out)
			}
		})
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("a usage error created rmf.db")
	}
}

func TestMissingDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"check"}, {"framework", "export"}} {
		_, errs, code := rmf(t, dir, args...)
		if code != 1 || !strings.Contains(errs, "database rmf.db does not exist") || strings.Count(errs, "\n") != 1 {
			t.Errorf("rmf %s without a database: exit %d, stderr %q", strings.Join(args, " "), code, errs)
		}
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("a read command created rmf.db")
	}
	// An empty database has no framework to export or check.
	mustRMF(t, dir, "init")
	_, errs, code := rmf(t, dir, "check")
	if code != 1 || !strings.Contains(errs, "no framework") {
		t.Errorf("check of an empty database: exit %d, stderr %q", code, errs)
	}
}

// commandsListed returns the command names "rmf help" lists.
func commandsListed(t *testing.T) []string {
	t.Helper()
	out := mustRMF(t, t.TempDir(), "help")
	_, list, ok := strings.Cut(out, "commands:\n")
	if !ok {
		t.Fatalf("rmf help has no command list:\n%s", out)
	}
	var names []string
	for _, l := range strings.Split(list, "\n") {
		if !strings.HasPrefix(l, "  ") {
			break
		}
		if f := strings.Fields(l); f[0] != "help" {
			names = append(names, f[0])
		}
	}
	return names
}

func TestHelp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		out, errs, code := rmf(t, dir, args...)
		if code != 0 || !strings.Contains(out, "usage: rmf [--db FILE|URL] COMMAND") || errs != "" {
			t.Errorf("rmf %s: exit %d, stdout %q, stderr %q", args[0], code, out, errs)
		}
	}
	names := commandsListed(t)
	for _, want := range []string{"check", "demo", "framework", "init"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("rmf help does not list %s: %v", want, names)
		}
	}
	// -h on every command (and "rmf help CMD") prints its usage, exits 0
	// and does nothing else: no database appears.
	for _, name := range names {
		for _, args := range [][]string{{name, "-h"}, {"help", name}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				out, errs, code := rmf(t, dir, args...)
				if code != 0 || !strings.HasPrefix(out, "usage: rmf") || errs != "" {
					t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
				}
			})
		}
	}
	for _, args := range [][]string{{"framework", "import", "-h"}, {"framework", "export", "-h"}} {
		out, _, code := rmf(t, dir, args...)
		if code != 0 || !strings.HasPrefix(out, "usage: rmf "+strings.Join(args[:2], " ")) {
			t.Errorf("rmf %s: exit %d, stdout %q", strings.Join(args, " "), code, out)
		}
	}
	if exists(filepath.Join(dir, "rmf.db")) {
		t.Error("-h created rmf.db")
	}
}

func TestDatabaseChoice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRMF(t, dir, "--db", "flag.db", "init")
	_, _, _ = rmfEnv(t, dir, []string{"RMF_DB=env.db"}, "init")
	_, _, _ = rmfEnv(t, dir, []string{"RMF_DB=env.db"}, "--db", "both.db", "init")
	for name, want := range map[string]bool{"flag.db": true, "env.db": true, "both.db": true, "rmf.db": false} {
		if exists(filepath.Join(dir, name)) != want {
			t.Errorf("%s exists: %v, want %v", name, !want, want)
		}
	}
	if _, errs, code := rmf(t, dir, "--db", "no/such/folder.db", "init"); code != 1 || !strings.Contains(errs, "folder no/such does not exist") {
		t.Errorf("init in a missing folder: exit %d, %s", code, errs)
	}
	// $RMF_DB is read by every command.
	if _, errs, code := rmfEnv(t, dir, []string{"RMF_DB=env.db"}, "framework", "import", examplePath(t, "framework.yaml")); code != 0 {
		t.Fatalf("import with $RMF_DB: %s", errs)
	}
	out, errs, code := rmfEnv(t, dir, []string{"RMF_DB=env.db"}, "check")
	if code != 0 || !strings.Contains(errs, "MIG-MN") {
		t.Errorf("check with $RMF_DB: exit %d, %s%s", code, out, errs)
	}
	if _, errs, code := rmf(t, dir, "--db", "flag.db", "check"); code != 1 || !strings.Contains(errs, "no framework") {
		t.Errorf("--db flag.db check: exit %d, %s", code, errs)
	}
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n  - %s\n  + %s", i+1, x, y))
			if len(out) == 5 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not found", old)
	}
	return strings.Replace(s, old, new, 1)
}

// baseFramework is a small valid framework; the bad-input cases below each
// change one line of it.
const baseFramework = `project:
  code: T
  title: Test
  start: 2020-01-01
  end: 2021-12-31
dimensions:
  sex: [female, male]
results:
  - {code: G, level: goal, statement: Goal}
  - {code: O1, level: outcome, parent: G, statement: Outcome}
  - {code: "1.1", level: output, parent: O1, statement: Output}
indicators:
  - {code: I1, result: O1, name: People, unit: number, baseline: 0, target: 10}
  - {code: I2, result: "1.1", name: Share, unit: percent, baseline: 0, target: 50, disaggregations: [sex]}
  - {code: I3, result: "1.1", name: Per, unit: ratio, formula: 'value("I1") / 2'}
milestones:
  - {indicator: I1, period: 2020S2, target: 5}
`

// TestFrameworkBadInput: every kind of bad framework input of issue 2 is
// rejected with exit status 1, one line naming the place and the problem,
// and leaves the stored framework as it was.
func TestFrameworkBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new string
		want           []string // in one stderr line
	}{
		{"missing section", "results:\n", "resultz:\n", []string{"t.yaml"}},
		{"duplicate code", `{code: I3, result`, `{code: I1, result`, []string{"t.yaml:15", "I1"}},
		{"unknown parent", `parent: O1, statement: Output`, `parent: O9, statement: Output`, []string{"t.yaml:11", "O9"}},
		{"wrong-level parent", `parent: O1, statement: Output`, `parent: G, statement: Output`, []string{"t.yaml:11", "G"}},
		{"unknown unit", `name: People, unit: number`, `name: People, unit: people`, []string{"t.yaml:13", "people"}},
		{"unknown direction", `name: People, unit: number,`, `name: People, unit: number, direction: sideways,`, []string{"t.yaml:13", "sideways"}},
		{"unknown aggregation", `name: People, unit: number,`, `name: People, unit: number, aggregation: median,`, []string{"t.yaml:13", "median"}},
		{"non-numeric target", `target: 10}`, `target: ten}`, []string{"t.yaml:13", "ten"}},
		{"bad period", `period: 2020S2`, `period: 2020S3`, []string{"t.yaml:17", "2020S3"}},
		{"bad date", `start: 2020-01-01`, `start: 2020-13-01`, []string{"t.yaml:4", "2020-13-01"}},
		{"milestone of unknown indicator", `{indicator: I1, period`, `{indicator: I9, period`, []string{"t.yaml:17", "I9"}},
		{"formula does not compile", `formula: 'value("I1") / 2'`, `formula: 'value("I1") / '`, []string{"t.yaml:15", "I3", "formula"}},
		{"unknown code in formula", `formula: 'value("I1") / 2'`, `formula: 'value("I7") / 2'`, []string{"t.yaml:15", "I7"}},
		{"cycle", `name: People, unit: number, baseline: 0, target: 10}`, `name: People, unit: number, baseline: 0, target: 10, formula: 'value("I3") * 2'}`, []string{"I1", "I3", "cycle"}},
		{"undeclared dimension", `disaggregations: [sex]`, `disaggregations: [age]`, []string{"t.yaml:14", "age"}},
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(baseFramework), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, dir, "framework", "import", "t.yaml")
	before := exportYAML(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := replaceOnce(t, baseFramework, tt.old, tt.new)
			if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errs, code := rmf(t, dir, "framework", "import", "t.yaml")
			if code != 1 || out != "" {
				t.Fatalf("exit status %d (want 1), stdout %q, stderr:\n%s", code, out, errs)
			}
			found := false
			for _, l := range strings.Split(strings.TrimRight(errs, "\n"), "\n") {
				all := true
				for _, w := range tt.want {
					all = all && strings.Contains(l, w)
				}
				found = found || all
			}
			if !found {
				t.Errorf("no stderr line has all of %q:\n%s", tt.want, errs)
			}
			if after := exportYAML(t, dir); after != before {
				t.Errorf("the rejected import changed the database:\n%s", lineDiff(before, after))
			}
		})
	}
}
