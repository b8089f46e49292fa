package main

// End-to-end tests of rmf import, history, imports and template, run on
// the example project's data files (examples/data).

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// exampleDataFiles are the example data files, sorted by name (the order
// they are meant to be imported in).
func exampleDataFiles(t *testing.T) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(examplePath(t, "data"), "*"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if ext := filepath.Ext(f); ext == ".xlsx" || ext == ".csv" {
			files = append(files, f)
		}
	}
	if len(files) < 10 {
		t.Fatalf("expected the example data files in examples/data, found %d", len(files))
	}
	sort.Strings(files)
	return files
}

// projectDir is a temporary folder with rmf.db holding the example framework.
func projectDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	return dir
}

func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestImportExampleData(t *testing.T) {
	onEngines(t, testImportExampleData) // both engines: e2e_engines_test.go
}

func testImportExampleData(t *testing.T) {
	dir := projectDir(t)
	files := exampleDataFiles(t)
	out := mustRMF(t, dir, append([]string{"import"}, files...)...)
	got := lines(out)
	if len(got) != len(files) {
		t.Fatalf("want one line per file (%d), got %d:\n%s", len(files), len(got), out)
	}
	report := regexp.MustCompile(`^(.+): (\d+) rows read, (\d+) added, (\d+) changed, (\d+) unchanged$`)
	changed := 0
	for i, l := range got {
		m := report.FindStringSubmatch(l)
		if m == nil || m[1] != files[i] {
			t.Errorf("line %d: %q, want %q: N rows read, A added, C changed, U unchanged", i+1, l, files[i])
			continue
		}
		if m[2] == "0" {
			t.Errorf("%s: no rows read", files[i])
		}
		if m[4] != "0" {
			changed++
			if !strings.Contains(files[i], "corrections") {
				t.Errorf("%s changed figures; only the corrections file should: %s", filepath.Base(files[i]), l)
			}
		}
	}
	if changed != 1 {
		t.Errorf("want exactly one file (the corrections) to change figures, got %d", changed)
	}

	// Idempotent: the same files again change nothing and say so.
	again := mustRMF(t, dir, append([]string{"import"}, files...)...)
	for i, l := range lines(again) {
		if want := files[i] + ": already imported, nothing changed"; l != want {
			t.Errorf("re-import: %q, want %q", l, want)
		}
	}

	// Merging an old file anew would undo the correction made since: that
	// is why the same bytes are skipped, unless --force.
	var ngo2020 string
	for _, f := range files {
		if filepath.Base(f) == "2020q4_ngo_grants.xlsx" {
			ngo2020 = f
		}
	}
	if got := mustRMF(t, dir, "import", "--dry-run", "--force", ngo2020); !strings.Contains(got, "0 added, 1 changed, 31 unchanged") {
		t.Errorf("--force --dry-run of the 2020Q4 NGO file after the corrections: %q", got)
	}

	// The corrections are revisions: both versions are in the history, the
	// later one current, each with the file it came from.
	hist := mustRMF(t, dir, "history", "3.3.5", "--period", "2020Q4")
	var rev1, rev2 string
	for _, l := range lines(hist) {
		switch {
		case strings.Contains(l, "64,500"):
			rev1 = l
		case strings.Contains(l, "68,200"):
			rev2 = l
		}
		if strings.Contains(l, "2021Q") {
			t.Errorf("history --period 2020Q4 shows another period: %q", l)
		}
	}
	if rev1 == "" || rev2 == "" {
		t.Fatalf("history of 3.3.5 in 2020Q4 lacks the original (64,500) or the correction (68,200):\n%s", hist)
	}
	for _, c := range []struct {
		line, file, rev string
		current         bool
	}{{rev1, "2020q4_ngo_grants.xlsx", " 1 ", false}, {rev2, "2021q3_ngo_grants_corrections.xlsx", " 2 ", true}} {
		if !strings.Contains(c.line, c.file) || !strings.Contains(c.line, c.rev) || strings.Contains(c.line, " * ") != c.current {
			t.Errorf("history line %q: want file %s, revision%s, current %v", c.line, c.file, c.rev, c.current)
		}
	}
	if !strings.Contains(rev1, "Grants") {
		t.Errorf("history line %q does not name the sheet Grants", rev1)
	}

	// Unverifiable figures say so.
	served := mustRMF(t, dir, "history", "3.3.2", "--period", "2021Q2")
	if !strings.Contains(served, "unverifiable") || !strings.Contains(served, "province=Ulaanbaatar") {
		t.Errorf("history of 3.3.2 in 2021Q2 should show unverifiable figures by province:\n%s", served)
	}
	// Text and yes/no figures print as such.
	stage := mustRMF(t, dir, "history", "2.2.2")
	if !strings.Contains(stage, `"consultation"`) {
		t.Errorf("history of 2.2.2 lacks the stage \"consultation\":\n%s", stage)
	}

	// Every file is recorded as a batch.
	imports := mustRMF(t, dir, "imports")
	for _, f := range files {
		if !strings.Contains(imports, f) {
			t.Errorf("rmf imports does not list %s:\n%s", f, imports)
		}
	}
}

// writeXLSX writes a one-sheet workbook with the given rows (row 1 first).
func writeXLSX(t *testing.T, path, sheet string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestImportBadFileChangesNothing(t *testing.T) {
	onEngines(t, testImportBadFileChangesNothing) // both engines: e2e_engines_test.go
}

func testImportBadFileChangesNothing(t *testing.T) {
	dir := projectDir(t)
	good := exampleDataFiles(t)
	var ngo string
	for _, f := range good {
		if filepath.Base(f) == "2020q4_ngo_grants.xlsx" {
			ngo = f
		}
	}
	if ngo == "" {
		t.Fatal("examples/data/2020q4_ngo_grants.xlsx is missing")
	}
	mustRMF(t, dir, "import", ngo)
	beforeImports := mustRMF(t, dir, "imports")
	beforeHistory := mustRMF(t, dir, "history", "3.3.5")

	bad := filepath.Join(dir, "bad.xlsx")
	writeXLSX(t, bad, "Data", [][]any{
		{"Quarterly return with mistakes"},
		{},
		{"Indicator", "Period", "Sex", "Value"},
		{"9.9.9", "2021Q1", nil, 5},           // row 4: unknown code
		{"3.3.5", "2021Q5", nil, 1000},        // row 5: no such quarter
		{"1.1.1", "2021Q1", nil, "maybe"},     // row 6: not yes or no
		{"3.3.2", "2021Q1", "female", "many"}, // row 7: not a number
		{"3.3.5", "2021Q3", nil, 2500},        // row 8: valid, must not be written
	})
	out, errs, code := rmf(t, dir, "import", bad)
	if code != 1 {
		t.Fatalf("import of a bad file: exit status %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	t.Logf("problems listed:\n%s", errs)
	for _, c := range []struct{ cell, what string }{
		{"A4", "9.9.9"}, {"B5", "2021Q5"}, {"D6", "maybe"}, {"D7", "many"},
	} {
		found := false
		for _, l := range lines(errs) {
			if strings.Contains(l, "bad.xlsx") && strings.Contains(l, "sheet Data") &&
				strings.Contains(l, "cell "+c.cell) && strings.Contains(l, c.what) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem line naming bad.xlsx, sheet Data, cell %s and %q in:\n%s", c.cell, c.what, errs)
		}
	}
	if got := mustRMF(t, dir, "imports"); got != beforeImports {
		t.Errorf("rmf imports changed after a failed import:\nbefore:\n%s\nafter:\n%s", beforeImports, got)
	}
	if got := mustRMF(t, dir, "history", "3.3.5"); got != beforeHistory {
		t.Errorf("history of 3.3.5 changed after a failed import:\nbefore:\n%s\nafter:\n%s", beforeHistory, got)
	}

	// With a good file on the same command line: the good one is imported,
	// the bad one is not, and the exit status says something failed.
	var csvFile string
	for _, f := range good {
		if strings.HasSuffix(f, ".csv") {
			csvFile = f
		}
	}
	out, errs, code = rmf(t, dir, "import", bad, csvFile)
	if code != 1 || !strings.Contains(out, csvFile+": ") || !strings.Contains(errs, "1 of 2 files had problems") {
		t.Errorf("import bad + good: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if got := mustRMF(t, dir, "history", "3.3.5"); got != beforeHistory {
		t.Errorf("history of 3.3.5 changed after a failed import:\n%s", got)
	}
	if got := mustRMF(t, dir, "history", "3.4.2"); !strings.Contains(got, "610") {
		t.Errorf("the good file was not imported next to the bad one:\n%s", got)
	}
}

func TestImportDryRun(t *testing.T) {
	onEngines(t, testImportDryRun) // both engines: e2e_engines_test.go
}

func testImportDryRun(t *testing.T) {
	dir := projectDir(t)
	files := exampleDataFiles(t)
	out := mustRMF(t, dir, "import", "--dry-run", files[0])
	if !strings.HasPrefix(out, "dry run: "+files[0]+": ") || !strings.Contains(out, " added") {
		t.Errorf("dry run output: %q", out)
	}
	if got := mustRMF(t, dir, "imports"); !strings.Contains(got, "no files imported") {
		t.Errorf("a dry run recorded an import:\n%s", got)
	}
	real := mustRMF(t, dir, "import", files[0])
	if strings.TrimPrefix(out, "dry run: ") != real {
		t.Errorf("the dry run said %q, the import %q", out, real)
	}
}

func TestImportUsage(t *testing.T) {
	dir := projectDir(t)
	for _, args := range [][]string{
		{"import"},
		{"import", "x.xlsx", "--unzip-limit", "lots"},
		{"history"},
		{"history", "1.1.1", "1.1.2"},
		{"history", "1.1.1", "--period", "2021Q9"},
		{"template", "-o", "t.xlsx"},
		{"template", "--period", "2021Q3", "-o", "t.txt"},
	} {
		if _, errs, code := rmf(t, dir, args...); code != 2 {
			t.Errorf("rmf %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), code, errs)
		}
	}
	if _, errs, code := rmf(t, dir, "history", "no-such-code"); code != 1 || !strings.Contains(errs, "no-such-code") {
		t.Errorf("history of an unknown code: exit %d\n%s", code, errs)
	}
	if _, errs, code := rmf(t, dir, "import", filepath.Join(dir, "missing.xlsx")); code != 1 || !strings.Contains(errs, "missing.xlsx") {
		t.Errorf("import of a missing file: exit %d\n%s", code, errs)
	}
}

// TestTemplateRoundTrip writes the template, fills its value column as a
// partner would and imports it back.
func TestTemplateRoundTrip(t *testing.T) {
	onEngines(t, testTemplateRoundTrip) // both engines: e2e_engines_test.go
}

func testTemplateRoundTrip(t *testing.T) {
	dir := projectDir(t)
	tpl := filepath.Join(dir, "q.xlsx")
	mustRMF(t, dir, "template", "--period", "2021Q4", "-o", tpl)
	fw, err := importers.ReadFramework(examplePath(t, "framework.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	filled := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		hdr, codeCol, valCol := -1, -1, -1
		for i, r := range rows {
			for j, c := range r {
				switch indicators.Norm(c) {
				case "indicator", "code", "indicatorcode":
					if codeCol < 0 {
						codeCol = j
					}
				case "value", "actual":
					valCol = j
				}
			}
			if codeCol >= 0 && valCol >= 0 {
				hdr = i
				break
			}
			codeCol, valCol = -1, -1
		}
		if hdr < 0 {
			continue
		}
		for i := hdr + 1; i < len(rows); i++ {
			if codeCol >= len(rows[i]) {
				continue
			}
			ind, ok := fw.Indicator(strings.TrimSpace(rows[i][codeCol]))
			if !ok {
				continue
			}
			var v any
			switch ind.Unit {
			case indicators.YesNo:
				v = "yes"
			case indicators.Text:
				v = "drafting"
			case indicators.Percent:
				v = 50
			default:
				v = 7
			}
			cell, _ := excelize.CoordinatesToCellName(valCol+1, i+1)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
			filled++
		}
	}
	if filled == 0 {
		t.Fatal("found no rows to fill in the template")
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := mustRMF(t, dir, "import", tpl)
	if !strings.Contains(out, " added") || strings.Contains(out, " 0 added") {
		t.Errorf("import of the filled template: %q (filled %d cells)", out, filled)
	}
	if got := mustRMF(t, dir, "history", "3.3.5", "--period", "2021Q4"); !strings.Contains(got, "q.xlsx") {
		t.Errorf("history of 3.3.5 does not show the figure from the template:\n%s", got)
	}
}

func TestImportUnzipLimit(t *testing.T) {
	dir := projectDir(t)
	file := exampleDataFiles(t)[0]
	out, errs, code := rmf(t, dir, "import", "--unzip-limit", "2KB", file)
	if code != 1 || !strings.Contains(errs, file) || !strings.Contains(errs, "2048 bytes") {
		t.Errorf("import with a 2KB unzip limit: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if got := mustRMF(t, dir, "imports"); !strings.Contains(got, "no files imported") {
		t.Errorf("a refused file was recorded:\n%s", got)
	}
	mustRMF(t, dir, "import", "--unzip-limit", "10MB", file)
}

func TestProgress(t *testing.T) {
	var buf strings.Builder
	p := newProgress(&Env{Interactive: true, Stderr: &buf}, "big.xlsx")
	p.update(10000)
	if !strings.Contains(buf.String(), "big.xlsx: 10000 rows read (") || !strings.Contains(buf.String(), "rows/s)") {
		t.Errorf("progress: %q", buf.String())
	}
	p.done()
	if !strings.HasSuffix(buf.String(), "\r\033[K") {
		t.Errorf("progress not cleared at the end: %q", buf.String())
	}
	var quiet strings.Builder
	q := newProgress(&Env{Stderr: &quiet}, "big.xlsx")
	q.update(10000)
	q.done()
	if quiet.Len() != 0 {
		t.Errorf("progress shown when stderr is not a terminal: %q", quiet.String())
	}
}

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1048576", 1 << 20, true}, {"500MB", 500 << 20, true}, {"2gb", 2 << 30, true},
		{"64K", 64 << 10, true}, {"0", 0, false}, {"-5", 0, false}, {"lots", 0, false}, {"", 0, false},
	} {
		got, err := parseBytes(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
	if got := formatBytes(1 << 30); got != "1GB" {
		t.Errorf("formatBytes(1<<30) = %q", got)
	}
}

// TestDemoImportsExampleData: rmf demo imports every example data file (one
// line each) into its database, with the corrections as revisions.
func TestDemoImportsExampleData(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := rmf(t, dir, "demo", "-o", "out")
	if code != 0 {
		t.Fatalf("rmf demo: exit %d\n%s\n%s", code, out, errs)
	}
	for _, f := range exampleDataFiles(t) {
		name := filepath.Base(f)
		re := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(filepath.Join("out", "data", name)) + `: \d+ rows read, \d+ added, \d+ changed, \d+ unchanged$`)
		if !re.MatchString(out) {
			t.Errorf("demo output has no import line for %s", name)
		}
		if !exists(filepath.Join(dir, "out", "data", name)) {
			t.Errorf("demo did not leave a copy of %s in out/data", name)
		}
	}
	hist := mustRMF(t, dir, "--db", filepath.Join("out", "demo.db"), "history", "3.3.3", "--period", "2021Q2")
	if !strings.Contains(hist, "141") || !strings.Contains(hist, "144") {
		t.Errorf("demo database lacks the corrected service types of 2021Q2:\n%s", hist)
	}
}

func TestImportDecimalComma(t *testing.T) {
	dir := projectDir(t)
	csv := filepath.Join(dir, "comma.csv")
	if err := os.WriteFile(csv, []byte("indicator;period;value\n3.3.5;2021Q3;1 234,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := rmf(t, dir, "import", csv); code != 1 || !strings.Contains(errs, "1 234,5") {
		t.Errorf("a decimal comma without --decimal-comma: exit %d\n%s%s", code, out, errs)
	}
	mustRMF(t, dir, "import", "--decimal-comma", csv)
	if got := mustRMF(t, dir, "history", "3.3.5"); !strings.Contains(got, "1,234.5 CHF") {
		t.Errorf("history after --decimal-comma:\n%s", got)
	}
}

func TestFigureText(t *testing.T) {
	fw := &indicators.Framework{Project: indicators.Project{Currency: "CHF"}}
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		unit indicators.Unit
		m    indicators.Measurement
		want string
	}{
		{indicators.Number, indicators.Measurement{Value: f(10753)}, "10,753"},
		{indicators.Percent, indicators.Measurement{Value: f(44)}, "44%"},
		{indicators.Percent, indicators.Measurement{Numerator: f(18), Denominator: f(25)}, "18/25 (72%)"},
		{indicators.Percent, indicators.Measurement{Numerator: f(14), Denominator: f(19)}, "14/19 (73.7%)"},
		{indicators.Ratio, indicators.Measurement{Numerator: f(3), Denominator: f(0)}, "3/0"},
		{indicators.YesNo, indicators.Measurement{Value: f(1)}, "yes"},
		{indicators.YesNo, indicators.Measurement{Value: f(0)}, "no"},
		{indicators.Currency, indicators.Measurement{Value: f(68200)}, "68,200 CHF"},
		{indicators.Text, indicators.Measurement{Text: "drafting"}, `"drafting"`},
		{indicators.Number, indicators.Measurement{}, "-"},
	} {
		ind := &indicators.Indicator{Code: "x", Unit: c.unit}
		if got := exporters.FigureText(fw, ind, c.m); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.unit, c.m, got, c.want)
		}
	}
}
