package main

// End-to-end tests of bad input as an M&E officer meets it: files of the
// wrong kind, Excel habits (N/A, dashes, formulas without saved values,
// semicolon CSV files, UTF-16 "Unicode text"), wrong periods and codes,
// and output paths that cannot be written. Each case checks the exit
// status, that every problem line names the file (and the cell) with what
// was seen and what was expected, that no Go-internal text leaks, and that
// the database is unchanged after a failed command.

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// dbState is what a failed command must leave unchanged.
func dbState(t *testing.T, dir string) string {
	t.Helper()
	return mustRMF(t, dir, "framework", "export") + mustRMF(t, dir, "imports") +
		mustRMF(t, dir, "history", "3.3.2") + mustRMF(t, dir, "history", "3.4.1")
}

// leaks are texts of Go internals that must never reach the user.
var leaks = []string{"panic", "goroutine", "sql: ", "EOF", "strconv.", "zip: ", "runtime error", "invalid memory", ".tmp"}

func checkNoLeak(t *testing.T, stderr string) {
	t.Helper()
	for _, l := range leaks {
		if strings.Contains(stderr, l) {
			t.Errorf("stderr shows Go-internal text %q:\n%s", l, stderr)
		}
	}
}

// writeBadXLSX writes a workbook whose cells are given as strings: "=F"
// is a formula without a saved value, "#n:1.1" a number; others are text.
func writeBadXLSX(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			switch {
			case v == "":
			case strings.HasPrefix(v, "="):
				err = f.SetCellFormula("Sheet1", ref, v[1:])
			case strings.HasPrefix(v, "#n:"):
				err = f.SetCellValue("Sheet1", ref, mustFloat(t, v[3:]))
			default:
				err = f.SetCellStr("Sheet1", ref, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// zipOf is a zip archive of the given parts.
func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, text := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(text))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBadInputImport(t *testing.T) {
	dir := projectDir(t)
	mustRMF(t, dir, "import", filepath.Join(examplePath(t, "data"), "2021q1_emergency_response.csv"))
	before := dbState(t, dir)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A Word document renamed .xlsx.
	docx := write("minutes.xlsx", zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}))
	formulas := filepath.Join(dir, "generated.xlsx")
	writeBadXLSX(t, formulas, [][]string{
		{"Indicator", "Period", "Sex", "Value", "Total (not read)"},
		{"3.4.1", "2021Q3", "female", "=10+2", "=SUM(D2:D3)"},
		{"3.4.1", "2021Q3", "male", "#n:7", ""},
	})
	encrypted := filepath.Join(dir, "locked.xlsx")
	{
		f := excelize.NewFile()
		f.SetCellStr("Sheet1", "A1", "Indicator")
		if err := f.SaveAs(encrypted, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	tests := []struct {
		name string
		file string
		args []string
		want []string // each must appear on a problem line
	}{
		{"empty workbook", write("empty.xlsx", nil), nil,
			[]string{"empty.xlsx: invalid value: the file is empty (0 bytes), expected an .xlsx workbook"}},
		{"Word document renamed", docx, nil,
			[]string{"minutes.xlsx: invalid value: the file is a Word document, expected an .xlsx workbook"}},
		{"password-protected", encrypted, nil,
			[]string{"locked.xlsx: invalid value: the file is a password-protected workbook or an old Excel 97-2003 (.xls) file", "remove the password"}},
		{"truncated", write("cut.xlsx", []byte("PK\x03\x04\x14\x00\x00\x00")), nil,
			[]string{"cut.xlsx: invalid value: the file is damaged or incomplete"}},
		{"web page named .xlsx", write("export.xlsx", []byte("<html><table><tr><td>1</td></tr></table></html>")), nil,
			[]string{"export.xlsx: invalid value: the file is an HTML or XML page named like a workbook", "save it as Excel Workbook (.xlsx)"}},
		{"PDF", write("report.pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")), nil,
			[]string{"report.pdf: unsupported file type: the file is a PDF document, expected an .xlsx workbook or a .csv file"}},
		{"formulas without saved values", formulas, nil,
			[]string{"generated.xlsx: sheet Sheet1, cell D2 (value): invalid value: the cell holds the formula =10+2 but no calculated value was saved with the file"}},
		{"semicolons with a thousands comma", write("semi.csv", []byte("\ufeffIndicator;Period;Sex;Value\r\n3.4.1;2021Q3;female;1,234\r\n")), nil,
			[]string{`semi.csv: cell D2 (value): invalid value: 3.4.1 is a number indicator and the value is "1,234"`, "is ambiguous in a file separated by semicolons", "--decimal-comma"}},
		{"not UTF-8", write("latin1.csv", []byte("Indicator,Period,Sex,Value,Comment\n3.4.1,2021Q3,female,5,r\xe9vis\xe9\n")), nil,
			[]string{"latin1.csv: cell E2: invalid value: the text", `is not UTF-8, expected a file saved as UTF-8: in Excel, save it as "CSV UTF-8 (Comma delimited)"`}},
		{"dashes and Excel errors", write("dash.csv", []byte("Indicator,Period,Sex,Value\n3.4.1,2021Q3,female,-\n3.4.1,2021Q3,male,#DIV/0!\n")), nil,
			[]string{`dash.csv: cell D2 (value): invalid value: 3.4.1 is a number indicator and the value is "-", expected a number such as 1250, 1,250 or 12.5 (a dash may mean zero or nothing: write 0 for zero, or leave the cell empty (or write N/A) when there is no figure)`,
				`dash.csv: cell D3 (value): invalid value: 3.4.1 is a number indicator and the value is "#DIV/0!"`}},
		{"wrong period, unknown code, unknown value", write("codes.csv", []byte("Indicator,Period,Sex,Value\n9.9.9,2021Q3,,5\n3.4.1,2021Q5,female,5\n3.4.1,2021Q3,f,5\n")), nil,
			[]string{`codes.csv: cell A2 (indicator): unknown code: indicator "9.9.9" is not in the framework`,
				`codes.csv: cell B3 (period): invalid value: period "2021Q5" cannot be read, expected a period such as 2021Q3`,
				`codes.csv: cell C4 (sex): undeclared dimension: sex "f": "f" is not a value of dimension sex (expected one of: female, male)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := rmf(t, dir, append([]string{"import", tc.file}, tc.args...)...)
			if code != 1 {
				t.Fatalf("exit status %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if !strings.Contains(errs, "nothing was written") {
				t.Errorf("stderr does not say nothing was written:\n%s", errs)
			}
			checkNoLeak(t, errs)
			if got := dbState(t, dir); got != before {
				t.Errorf("the database changed after a failed import:\n%s", lineDiff(before, got))
			}
		})
	}
}

// TestBadInputNotAvailable: N/A (and n/a, n.a., NA) in a value cell is no
// data, like an empty cell; the other figures of the file are imported.
func TestBadInputNotAvailable(t *testing.T) {
	dir := projectDir(t)
	p := filepath.Join(dir, "na.csv")
	os.WriteFile(p, []byte("Indicator,Period,Sex,Value\n3.4.1,2021Q3,female,N/A\n3.4.1,2021Q3,male,n.a.\n3.4.1,2021Q4,female,NA\n3.4.1,2021Q4,male,12\n"), 0o644)
	out := mustRMF(t, dir, "import", p)
	if !strings.Contains(out, "4 rows read, 1 added") {
		t.Errorf("import said %q, want 4 rows read, 1 added", out)
	}
	h := mustRMF(t, dir, "history", "3.4.1")
	if strings.Count(h, "2021Q") != 1 || !strings.Contains(h, "12") {
		t.Errorf("history of 3.4.1 should hold the one figure 12 of 2021Q4:\n%s", h)
	}
}

// TestBadInputUTF16: Excel's "Unicode text" is UTF-16 with tabs.
func TestBadInputUTF16(t *testing.T) {
	dir := projectDir(t)
	text := "Indicator\tPeriod\tSex\tValue\r\n3.4.1\t2021Q3\tfemale\t9\r\n"
	b := []byte{0xFF, 0xFE}
	for _, r := range text {
		b = append(b, byte(r), 0)
	}
	p := filepath.Join(dir, "unicode.txt")
	os.WriteFile(p, b, 0o644)
	if out := mustRMF(t, dir, "import", p); !strings.Contains(out, "1 row read, 1 added") {
		t.Errorf("import said %q", out)
	}
}

func TestBadInputFrameworkImport(t *testing.T) {
	dir := projectDir(t)
	before := dbState(t, dir)
	fw := filepath.Join(dir, "logframe.xlsx")
	writeBadXLSXSheets(t, fw, map[string][][]string{
		"Project": {{"key", "value"}, {"code", "MIG-MN"}, {"title", "T"}, {"start", "2019-09-01"}, {"end", "2023-08-31"}},
		"Results": {{"code", "level", "parent", "statement"}, {"OO", "goal", "", "g"}, {"O1", "outcome", "OO", "o"},
			{"#n:1.1", "output", "O1", "a"}, {"#n:1.10", "output", "O1", "b"}},
		"Indicators": {{"code", "result", "name", "unit", "baseline", "target"}, {"1.1.1", "#n:1.1", "n", "number", "N/A", "10"}},
		"Milestones": {{"indicator", "period", "target"}, {"1.1.1", "2021Q3", "N/A"}, {"1.1.1", "2022Q5", "3"}, {"1.1.1", "2022Q2", "-"}},
	})
	out, errs, code := rmf(t, dir, "framework", "import", fw)
	if code != 1 {
		t.Fatalf("exit status %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, w := range []string{
		"logframe.xlsx: sheet Results, cell A5 (code): duplicate: code 1.1", "cell A5 holds the number 1.1, and Excel drops a code's trailing zeros",
		`logframe.xlsx: sheet Milestones, cell C2 (target): invalid value: milestone target "N/A", expected a number`,
		`logframe.xlsx: sheet Milestones, cell B3 (period): invalid value: period "2022Q5"`,
		`logframe.xlsx: sheet Milestones, cell C4 (target): invalid value: target "-" is not a number`, "a dash may mean zero or nothing",
	} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	if strings.Contains(errs, "cell E2") {
		t.Errorf("baseline N/A is no baseline, not an error:\n%s", errs)
	}
	checkNoLeak(t, errs)
	for _, f := range []string{"empty.yaml", "none.xlsx", "missing.yaml"} {
		p := filepath.Join(dir, f)
		if f != "missing.yaml" {
			os.WriteFile(p, nil, 0o644)
		}
		_, errs, code := rmf(t, dir, "framework", "import", p)
		if code != 1 || !strings.Contains(errs, p+": ") {
			t.Errorf("framework import %s: exit %d, stderr %s", f, code, errs)
		}
		checkNoLeak(t, errs)
	}
	if got := dbState(t, dir); got != before {
		t.Errorf("the database changed after a failed framework import:\n%s", lineDiff(before, got))
	}
}

func writeBadXLSXSheets(t *testing.T, path string, sheets map[string][][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for name, rows := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				switch {
				case v == "":
				case strings.HasPrefix(v, "#n:"):
					f.SetCellValue(name, ref, mustFloat(t, v[3:]))
				default:
					f.SetCellStr(name, ref, v)
				}
			}
		}
	}
	f.DeleteSheet("Sheet1")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestBadInputUsage: wrong usage is exit status 2 with the usage line;
// bad values and unknown codes are 1; nothing leaks.
func TestBadInputUsage(t *testing.T) {
	dir := projectDir(t)
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "activity.xml"), []byte("<iati-activities/>"), 0o644)
	before := dbState(t, dir)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--period", "2021Q3", "-o", "report.pdf"}, 2, "cannot tell the format of -o report.pdf from its extension"},
		{[]string{"report", "--period", "2021Q3", "-o", "nodir/r.md"}, 1, "cannot write nodir/r.md: folder nodir does not exist"},
		{[]string{"report", "--period", "2021Q3", "-o", "out"}, 1, "cannot write out: it is a folder"},
		{[]string{"framework", "export", "-o", "nodir/fw.yaml"}, 1, "cannot write nodir/fw.yaml: folder nodir does not exist"},
		{[]string{"template", "--period", "2021Q4", "-o", "nodir/q.xlsx"}, 1, "cannot write nodir/q.xlsx: folder nodir does not exist"},
		{[]string{"template", "--period", "2021Q3", "-o", "q3.xlsx"}, 1, "rmf template: no indicator of the framework is due in 2021Q3"},
		{[]string{"export", "iati", "-o", "nodir/a.xml"}, 1, "cannot write nodir/a.xml: folder nodir does not exist"},
		{[]string{"history", "O1"}, 1, "O1 is a result of project MIG-MN, not an indicator"},
		{[]string{"history", "3.3.2", "--period", "2030"}, 1, "period 2030 (2030-01-01..2030-12-31) is outside the project MIG-MN"},
		{[]string{"export", "iati", "--period", "2010", "-o", "a.xml"}, 1, "period 2010 (2010-01-01..2010-12-31) is outside the project MIG-MN"},
		{[]string{"import", "activity.xml"}, 1, `read it with "rmf framework import activity.xml"`},
		{[]string{"expenditures", "ZZ"}, 1, `"ZZ" is neither a result nor a budget line of project MIG-MN`},
		{[]string{"framework", "import", "nofile.yaml"}, 1, "nofile.yaml: no such file"},
		{[]string{"import", "nofile.xlsx"}, 1, "nofile.xlsx: no such file"},
		{[]string{"report", "--period", "2021Q9"}, 2, `period "2021Q9"`},
		{[]string{"import"}, 2, "usage: rmf"},
		{[]string{"demo", "-o", "activity.xml"}, 1, "-o activity.xml: a file of that name exists, expected a folder"},
	}
	for _, tc := range tests {
		out, errs, code := rmf(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("rmf %s: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant stderr to contain %q", strings.Join(tc.args, " "), code, tc.code, out, errs, tc.want)
		}
		if strings.Contains(errs, "template: template:") {
			t.Errorf("doubled prefix: %s", errs)
		}
		checkNoLeak(t, errs)
	}
	if exists(filepath.Join(dir, "report.pdf")) || exists(filepath.Join(dir, "q3.xlsx")) || exists(filepath.Join(dir, "a.xml")) {
		t.Error("a failed command left an output file behind")
	}
	if got := dbState(t, dir); got != before {
		t.Errorf("the database changed:\n%s", lineDiff(before, got))
	}
}

// TestCheckSharesTypedForPercent: a partner types 0.45 in a plain cell for
// a percent indicator whose target is 80; the import accepts it (0.45% is a
// valid percentage) and rmf check warns, naming the indicator and the file.
func TestCheckSharesTypedForPercent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRMF(t, dir, "framework", "import", examplePath(t, "framework.yaml"))
	csv := filepath.Join(dir, "shares.csv")
	if err := os.WriteFile(csv, []byte("indicator,period,value\n3.1.2,2021Q1,0.45\n3.1.2,2021Q2,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRMF(t, dir, "import", csv)
	out, _, code := rmf(t, dir, "check")
	if code != 0 {
		t.Errorf("check exit %d, want 0 (a warning is not an error)", code)
	}
	if !strings.Contains(out, "warning 3.1.2: all 2 figures of this percent indicator lie between 0 and 1") || !strings.Contains(out, "shares.csv") {
		t.Errorf("check output lacks the shares warning:\n%s", out)
	}
}

// A database without a framework: the engine says so without naming a
// command (the web shows the same error), the command line adds how to
// load one.
func TestReportNoFramework(t *testing.T) {
	dir := t.TempDir()
	mustRMF(t, dir, "init")
	_, errs, code := rmf(t, dir, "report", "--period", "2021Q1")
	if want := "rmf report: database rmf.db holds no framework yet: load one with \"rmf framework import FILE\"\n"; code != 1 || errs != want {
		t.Errorf("report on an empty database: exit %d, %q; want 1, %q", code, errs, want)
	}
}
