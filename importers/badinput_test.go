package importers

// Bad input as partners' files carry it: formulas without saved values,
// N/A and dashes in value cells, codes typed as numbers (1.10 -> 1.1),
// semicolon CSV files with commas in numbers, UTF-16 and non-UTF-8 text,
// and files that are not workbooks at all.

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

func TestImportMeasurementsBadInput(t *testing.T) {
	fw := testFramework()
	fw.Indicators = append(fw.Indicators, indicators.Indicator{Code: "1.10", Result: "1", Name: "Tenth", Unit: indicators.Number},
		indicators.Indicator{Code: "3.20", Result: "1", Name: "Only 3.20", Unit: indicators.Number})
	tests := []struct {
		name string
		rows [][]any
		want []string // figures staged
		errs []string // problems, in order (substrings)
	}{
		{
			name: "formula without a saved value is an error, with a saved value it is read",
			rows: [][]any{
				{"indicator", "period", "value", "helper (not read)"},
				{"1.1", "2021Q1", xf{"SUM(1,2)", nil}, xf{"C2*2", nil}},
				{"1.1", "2021Q2", xf{"1+1", 2}, nil},
				{"1.1", "2021Q3", 5, xf{"C4*2", nil}},
			},
			want: []string{"1.1 2021Q2 =2 @Q!C3", "1.1 2021Q3 =5 @Q!C4"},
			errs: []string{`data.xlsx: sheet Q, cell C2 (value): invalid value: the cell holds the formula =SUM(1,2) but no calculated value was saved with the file (it was written by a program that does not calculate), expected a value: open the file in Excel or LibreOffice and save it, or type the value`},
		},
		{
			name: "formula without a saved value in a period column of the wide layout",
			rows: [][]any{
				{"indicator", "2021Q1", "2021Q2"},
				{"1.1", 4, xf{"B2+1", nil}},
			},
			errs: []string{"sheet Q, cell C2 (value): invalid value: the cell holds the formula =B2+1 but no calculated value"},
		},
		{
			name: "N/A and its spellings are no data; a dash is an error",
			rows: [][]any{
				{"indicator", "period", "value", "numerator", "denominator"},
				{"1.1", "2021Q1", "N/A"},
				{"1.1", "2021Q2", "n/a"},
				{"1.1", "2021Q3", "n.a."},
				{"1.3", "2021Q1", "NA"},
				{"1.4", "2021Q1", "not applicable"},
				{"1.7", "2021Q1", nil, "N/A", 10},
				{"1.1", "2021Q4", "-"},
				{"1.1", "2022Q1", "\u2013"},
				{"1.1", "2022Q2", " 7\u00a0"},
			},
			want: []string{"1.7 2021Q1 den=10 @Q!C7", "1.1 2022Q2 =7 @Q!C10"},
			errs: []string{
				`cell C8 (value): invalid value: 1.1 is a number indicator and the value is "-", expected a number such as 1250, 1,250 or 12.5 (a dash may mean zero or nothing`,
				`cell C9 (value): invalid value: 1.1 is a number indicator and the value is "–"`,
			},
		},
		{
			name: "headings with notes; dates in text are day first",
			rows: [][]any{
				{"Report", nil, nil},
				{"Indicator code *", "Reporting period (quarter)", "Value (number)"},
				{"1.1", "7/15/2021", 1},
				{"1.1", "15/07/2021", 2},
			},
			want: []string{"1.1 2021-07-15 =2 @Q!C4"},
			errs: []string{`cell B3 (period): invalid value: period "7/15/2021" cannot be read, expected a period such as 2021Q3, Q3 2021, 2021-07, 2021 or a date (dates in text are read day first: write 15/07/2021 or 2021-07-15)`},
		},
		{
			name: "a code and its name in one cell",
			rows: [][]any{
				{"indicator", "period", "value"},
				{"1.1 People served", "2021Q1", 4},
				{"1.2: Share satisfied", "2021Q1", 50},
				{"9.9 Unknown", "2021Q1", 1},
			},
			want: []string{"1.1 2021Q1 =4 @Q!C2", "1.2 2021Q1 =50 @Q!C3"},
			errs: []string{`cell A4 (indicator): unknown code: indicator "9.9 Unknown" is not in the framework`},
		},
		{
			name: "a total row at the bottom",
			rows: [][]any{
				{"indicator", "period", "value"},
				{"1.1", "2021Q1", 4},
				{"Total", nil, 4},
			},
			want: []string{"1.1 2021Q1 =4 @Q!C2"},
			errs: []string{`cell A3 (indicator): unknown code: indicator "Total" is not in the framework (a total row: rmf adds up the figures itself`},
		},
		{
			name: "two columns for the same period",
			rows: [][]any{
				{"indicator", "2021Q1", "Q1 2021"},
				{"1.1", 4, 5},
			},
			errs: []string{`sheet Q, cell C1 (period): duplicate: period heading "Q1 2021" is 2021Q1, like the heading of column B1, expected one column per period`},
		},
		{
			name: "a percent-formatted cell is not a count nor an amount",
			rows: [][]any{
				{"indicator", "period", "value"},
				{"1.1", "2021Q1", xc{0.5, 9}},
				{"1.6", "2021Q1", xc{0.25, 10}},
				{"1.5", "2021Q1", xc{0.25, 9}},
			},
			want: []string{"1.5 2021Q1 =0.25 @Q!C4"},
			errs: []string{
				`cell C2 (value): invalid value: 1.1 counts a number and the value is the percentage "0.5" (50%), expected a number such as 1250`,
				`cell C3 (value): invalid value: 1.6 is an amount of money and the value is the percentage "0.25" (25%)`,
			},
		},
		{
			name: "codes typed as numbers: one match is that code, several are ambiguous",
			rows: [][]any{
				{"indicator", "period", "value"},
				{1.1, "2021Q1", 1},    // 1.1 or 1.10
				{3.2, "2021Q1", 2},    // only 3.20
				{"1.10", "2021Q1", 3}, // text: as typed
				{1.2, "2021Q1", 50},   // only 1.2
			},
			want: []string{"3.20 2021Q1 =2 @Q!C3", "1.10 2021Q1 =3 @Q!C4", "1.2 2021Q1 =50 @Q!C5"},
			errs: []string{"cell A2 (indicator): invalid value: the cell holds the number 1.1, which may be the code 1.1 or 1.10 (Excel drops trailing zeros: 1.10 becomes 1.1), expected the code as text"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeBook(t, []string{"Q"}, map[string][][]any{"Q": tc.rows})
			var sink sliceSink
			_, err := ImportMeasurements(p, fw, &sink, MeasurementOptions{})
			var probs indicators.Problems
			if len(tc.errs) == 0 && err != nil {
				t.Fatalf("import: %v", err)
			}
			if len(tc.errs) > 0 && !errors.As(err, &probs) {
				t.Fatalf("err = %v, want problems %q", err, tc.errs)
			}
			if len(probs) != len(tc.errs) {
				t.Errorf("%d problems, want %d:\n%v", len(probs), len(tc.errs), err)
			}
			for i, w := range tc.errs {
				if i < len(probs) && !strings.Contains(probs[i].Error(), w) {
					t.Errorf("problem %d:\n got %s\nwant it to contain %s", i, probs[i], w)
				}
			}
			sameLines(t, figs(sink.ms), tc.want)
		})
	}
}

// TestImportReferenceSheet: a sheet that lists the indicators (code, name,
// definition) beside the data sheet is skipped, not an error.
func TestImportReferenceSheet(t *testing.T) {
	p := writeBook(t, []string{"Data", "Indicator list"}, map[string][][]any{
		"Data":           {{"indicator", "period", "value"}, {"1.1", "2021Q1", 3}},
		"Indicator list": {{"Code", "Name", "Definition", "Unit"}, {"1.1", "People served", "...", "number"}},
	})
	var sink sliceSink
	if _, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{}); err != nil {
		t.Fatal(err)
	}
	sameLines(t, figs(sink.ms), []string{"1.1 2021Q1 =3 @Data!C2"})
	csv := writeCSV(t, "code,name\n1.1,People served\n")
	if _, err := ImportMeasurements(csv, testFramework(), &sink, MeasurementOptions{}); err == nil ||
		!strings.Contains(err.Error(), "missing column: the file lists indicators but has no figures: neither period and value columns") {
		t.Errorf("csv list: %v", err)
	}
}

func TestImportCSVEncodings(t *testing.T) {
	utf16 := func(s string, big bool) []byte {
		b := []byte{0xFF, 0xFE}
		if big {
			b = []byte{0xFE, 0xFF}
		}
		for _, r := range s {
			if big {
				b = append(b, byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8))
			}
		}
		return b
	}
	text := "indicator\tperiod\tvalue\tcomment\r\n1.1\t2021Q1\t4\tÖvörkhangai\r\n"
	for _, tc := range []struct {
		name string
		data []byte
		want []string
		err  string
	}{
		{"UTF-16 little-endian (Excel Unicode text)", utf16(text, false), []string{`1.1 2021Q1 =4 comment="Övörkhangai" @!C2`}, ""},
		{"UTF-16 big-endian", utf16(text, true), []string{`1.1 2021Q1 =4 comment="Övörkhangai" @!C2`}, ""},
		{"Windows-1252 is refused, naming the cell", []byte("indicator,period,value,comment\n1.1,2021Q1,4,\xd6v\xf6rkhangai\n"), nil,
			"data.csv: cell D2: invalid value: the text \"\ufffdv\ufffdrkhangai\" is not UTF-8, expected a file saved as UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "data.csv")
			os.WriteFile(p, tc.data, 0o644)
			var sink sliceSink
			_, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, figs(sink.ms), tc.want)
		})
	}
}

func TestNotWorkbook(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "the file is empty (0 bytes), expected an .xlsx workbook"},
		{"encrypted or .xls", append(append([]byte{}, cfbMagic...), 0, 0, 0), "the file is a password-protected workbook or an old Excel 97-2003 (.xls) file"},
		{"truncated zip", []byte("PK\x03\x04\x14\x00"), "the file is damaged or incomplete (its zip archive cannot be read), expected an .xlsx workbook: copy or download it again"},
		{"PDF", []byte("%PDF-1.7\n"), "the file is a PDF document, expected an .xlsx workbook"},
		{"HTML", []byte("\ufeff  <html><body><table>"), "the file is an HTML or XML page named like a workbook"},
		{"CSV text", []byte("indicator,period,value\n1.1,2021Q1,3\n"), `the file is text (it begins "indicator,period,value"), not a workbook; expected an .xlsx workbook, or a CSV file named .csv`},
		{"binary", []byte{0x01, 0x00, 0x02, 0x03}, "the file is not a zip archive, expected an .xlsx workbook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.xlsx")
			os.WriteFile(p, tc.data, 0o644)
			_, err := ImportMeasurements(p, testFramework(), &sliceSink{}, MeasurementOptions{})
			if err == nil || !strings.Contains(err.Error(), "f.xlsx: invalid value: "+tc.want) {
				t.Errorf("measurements: %v\nwant %s", err, tc.want)
			}
			if _, err := ReadFramework(p); err == nil || !strings.Contains(err.Error(), "f.xlsx: invalid value: "+tc.want) {
				t.Errorf("framework: %v\nwant %s", err, tc.want)
			}
			if _, err := ReadActions(p, testFramework()); err == nil || !strings.Contains(err.Error(), "f.xlsx: invalid value: "+tc.want) {
				t.Errorf("actions: %v\nwant %s", err, tc.want)
			}
		})
	}
	// A Word document renamed .xlsx.
	p := filepath.Join(t.TempDir(), "minutes.xlsx")
	f := excelize.NewFile()
	f.SaveAs(p)
	f.Close()
	data, _ := os.ReadFile(p)
	if err := openWorkbookError(data, errors.New("x")); err == nil || strings.Contains(err.Error(), "Word") {
		t.Errorf("a real workbook taken for a Word document: %v", err)
	}
	// A framework or IATI file given to the measurement import.
	xml := filepath.Join(t.TempDir(), "activity.xml")
	os.WriteFile(xml, []byte("<iati-activities/>"), 0o644)
	if _, err := ImportMeasurements(xml, testFramework(), &sliceSink{}, MeasurementOptions{}); !errors.Is(err, ErrUnsupportedFile) ||
		!strings.Contains(err.Error(), `read it with "rmf framework import `) {
		t.Errorf("xml: %v", err)
	}
	// Unknown extensions: binary files are refused, text is read as CSV.
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4\n\x00"), 0o644)
	if _, err := ImportMeasurements(pdf, testFramework(), &sliceSink{}, MeasurementOptions{}); !errors.Is(err, ErrUnsupportedFile) ||
		!strings.Contains(err.Error(), "the file is a PDF document, expected an .xlsx workbook or a .csv file") {
		t.Errorf("pdf: %v", err)
	}
}

func TestImportExpendituresBadInput(t *testing.T) {
	dir := t.TempDir()
	semi := filepath.Join(dir, "fin.csv")
	os.WriteFile(semi, []byte("output;semester;spent\n1.2;2021S1;15,800\n1.2;2021S2;1200\n"), 0o644)
	var s expSink
	_, err := ImportExpenditures(semi, expFramework(), &s, ExpenditureOptions{})
	if err == nil || !strings.Contains(err.Error(), `fin.csv: cell C2 (amount): invalid value: amount "15,800" is ambiguous in a file separated by semicolons`) {
		t.Errorf("semicolon amount: %v", err)
	}
	p := writeExpXLSX(t, [][]any{{"Budget line", "Period", "Amount"}, {"BL-12", "2021S1", nil, "x"}})
	// The amount is a formula without a saved value.
	f, _ := excelize.OpenFile(p)
	f.SetCellFormula("Expenditures", "C4", "50*2")
	f.Save()
	f.Close()
	s = expSink{}
	_, err = ImportExpenditures(p, expFramework(), &s, ExpenditureOptions{})
	if err == nil || !strings.Contains(err.Error(), "sheet Expenditures, cell C4 (amount): invalid value: the cell holds the formula =50*2 but no calculated value was saved") {
		t.Errorf("formula amount: %v", err)
	}
}

func TestFrameworkBadCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet string, rows [][]any) {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			ref, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow(sheet, ref, &r)
		}
	}
	set("Project", [][]any{{"code", "P"}, {"title", "T"}, {"start", "2021-01-01"}, {"end", "2023-12-31"}})
	set("Results", [][]any{{"code", "level", "parent", "statement"}, {"O1", "outcome", nil, "o"}, {1.1, "output", "O1", "a"}, {1.10, "output", "O1", "b"}})
	set("Indicators", [][]any{{"code", "result", "name", "unit", "baseline", "target"}, {"1.1.1", 1.1, "n", "number", "N/A", "n.a."}})
	set("Milestones", [][]any{{"indicator", "period", "target"}, {"1.1.1", "2022Q1", "N/A"}, {"1.1.1", "2022Q2", "-"}})
	f.DeleteSheet("Sheet1")
	p := filepath.Join(t.TempDir(), "fw.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFramework(p)
	var probs indicators.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"fw.xlsx: sheet Results, cell A4 (code): duplicate: code 1.1 of this result is already used by a result (Results row 3); codes must be unique across results and indicators (cell A4 holds the number 1.1, and Excel drops a code's trailing zeros: 1.10 becomes 1.1; format the column as Text and type the code again)",
		`fw.xlsx: sheet Milestones, cell C2 (target): invalid value: milestone target "N/A", expected a number: delete the row of a milestone that has no target`,
		`fw.xlsx: sheet Milestones, cell C3 (target): invalid value: target "-" is not a number, expected a number for a number indicator (such as 1250, 1,250 or 12.5); a dash may mean zero or nothing`,
	}
	if len(probs) != len(want) {
		t.Errorf("%d problems, want %d (baseline and target N/A are no baseline and no target):\n%v", len(probs), len(want), err)
	}
	for i, w := range want {
		if i < len(probs) && !strings.Contains(probs[i].Error(), w) {
			t.Errorf("problem %d:\n got %s\nwant %s", i, probs[i], w)
		}
	}
}

// untypedFormulas rewrites the workbook at path so that its formula cells
// have no type and no value, as programs that do not calculate write them
// (openpyxl: <c r="B2"><f>1+1</f></c>).
func untypedFormulas(t *testing.T, path string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	re := regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="str"><f>([^<]*)</f>(<v></v>)?</c>`)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			data = re.ReplaceAll(data, []byte(`<c r="$1"$2><f>$3</f></c>`))
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zr.Close()
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadSheetUncomputedFormulas(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Management response")
	rows := [][]any{
		{"Management response to the review"},
		{},
		{"No.", "Recommendation", "Priority", "Management response", "Action no.", "Key action", "Deadline", "Responsible unit", "Status"},
		{"1", "Do it", 1, "Accepted", "1.1", "Act", "May 2022", "PMU", "Ongoing"},
		{nil, nil, nil, nil, 1.1, "Act 2", nil, "PMU", "Ongoing"},
	}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Management response", ref, &r)
	}
	f.SetCellFormula("Management response", "G5", "DATE(2022,5,1)")
	p := filepath.Join(t.TempDir(), "matrix.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	untypedFormulas(t, p)
	_, err := ReadActions(p, testFramework())
	for _, w := range []string{
		"matrix.xlsx: sheet Management response, cell G5 (deadline): invalid value: the cell holds the formula =DATE(2022,5,1) but no calculated value was saved",
		"cell E5 (action_number): duplicate: key action 1.1 appears twice (first at E4) (cell E5 holds the number 1.1, and Excel drops trailing zeros",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("actions: %v\nwant %s", err, w)
		}
	}

	// The framework's sheets: a target computed by a formula never saved.
	g := excelize.NewFile()
	defer g.Close()
	for name, rows := range map[string][][]any{
		"Project":    {{"code", "P"}, {"title", "T"}, {"start", "2021-01-01"}, {"end", "2023-12-31"}},
		"Results":    {{"code", "level", "parent", "statement"}, {"O1", "outcome", nil, "o"}},
		"Indicators": {{"code", "result", "name", "unit", "baseline", "target"}, {"1.1.1", "O1", "n", "number", 0, nil}},
	} {
		g.NewSheet(name)
		for i, r := range rows {
			ref, _ := excelize.CoordinatesToCellName(1, i+1)
			g.SetSheetRow(name, ref, &r)
		}
	}
	g.DeleteSheet("Sheet1")
	g.SetCellFormula("Indicators", "F2", "10*12")
	q := filepath.Join(t.TempDir(), "fw.xlsx")
	if err := g.SaveAs(q); err != nil {
		t.Fatal(err)
	}
	untypedFormulas(t, q)
	_, err = ReadFramework(q)
	if err == nil || !strings.Contains(err.Error(), "fw.xlsx: sheet Indicators, cell F2 (target): invalid value: the cell holds the formula =10*12 but no calculated value was saved") {
		t.Errorf("framework: %v", err)
	}
}

func TestFrameworkTextFilesBadInput(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"fw.yaml", "project:\n\tcode: P\n", "fw.yaml:2: invalid value: not valid YAML: line 2: found character that cannot start any token; the line is indented with a tab, expected spaces"},
		{"cut.xml", `<?xml version="1.0"?><iati-activities><iati-activity>`, "cut.xml: line 1: not a readable IATI activity file: the file ends before the XML document does (it may be cut short"},
		{"empty.xml", "", "empty.xml: not a readable IATI activity file: the file is empty or holds no XML element"},
		{"missing.yaml", "-", "missing.yaml: no such file"},
	} {
		p := filepath.Join(t.TempDir(), tc.name)
		if tc.body != "-" {
			os.WriteFile(p, []byte(tc.body), 0o644)
		}
		_, err := ReadFramework(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "EOF") {
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

// TestFrameworkBadMilestoneWords: a word the milestones, path or frequency
// column does not know is an error naming the sheet, the cell and what to
// write instead (SPEC 2 and 5), in the workbook and in YAML.
func TestFrameworkBadMilestoneWords(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet string, rows [][]any) {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			ref, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow(sheet, ref, &r)
		}
	}
	set("Project", [][]any{{"code", "P"}, {"title", "T"}, {"start", "2026-01-01"}, {"end", "2028-12-31"}})
	set("Results", [][]any{{"code", "level", "parent", "statement"}, {"O1", "outcome", nil, "o"}})
	set("Indicators", [][]any{{"code", "result", "name", "unit", "target", "milestones", "path", "frequency"},
		{"K", "O1", "kitchens", "number", 120, "by year", "curve", "weekly"},
		{"L", "O1", "schools", "number", 120, "Cumulative", "Steps", "Quarterly"}})
	f.DeleteSheet("Sheet1")
	p := filepath.Join(t.TempDir(), "fw.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFramework(p)
	want := []string{
		`fw.xlsx: sheet Indicators, cell F2 (milestones): invalid value: indicator K has milestones "by year", expected cumulative or per period (blank: rmf infers it)`,
		`fw.xlsx: sheet Indicators, cell G2 (path): invalid value: indicator K has path "curve", expected line or steps`,
		`fw.xlsx: sheet Indicators, cell H2 (frequency): invalid value: indicator K has frequency "weekly", expected monthly, quarterly, semiannual, annual or end`,
	}
	var probs indicators.Problems
	if !errors.As(err, &probs) || len(probs) != len(want) {
		t.Fatalf("err = %v, want %d problems", err, len(want))
	}
	for i, w := range want {
		if !strings.Contains(probs[i].Error(), w) {
			t.Errorf("problem %d:\n got %s\nwant %s", i, probs[i], w)
		}
	}
	y := filepath.Join(t.TempDir(), "fw.yaml")
	os.WriteFile(y, []byte("project: {code: P, title: T, start: 2026-01-01, end: 2028-12-31}\nresults:\n  - {code: O1, level: outcome, statement: o}\nindicators:\n  - code: K\n    result: O1\n    name: kitchens\n    unit: number\n    milestones: sometimes\n"), 0o644)
	_, err = ReadFramework(y)
	if err == nil || !strings.Contains(err.Error(), `fw.yaml:9`) || !strings.Contains(err.Error(), `milestones "sometimes", expected cumulative or per period`) {
		t.Errorf("yaml: %v", err)
	}
}
