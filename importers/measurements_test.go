package importers

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// sliceSink is a MeasurementSink that keeps every figure.
type sliceSink struct{ ms []indicators.Measurement }

func (s *sliceSink) Add(m indicators.Measurement) error { s.ms = append(s.ms, m); return nil }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// testFramework is a small project of 2021-2022 with every unit.
func testFramework() *indicators.Framework {
	return &indicators.Framework{
		Project: indicators.Project{Code: "P", Title: "Test", Start: day(2021, 1, 1), End: day(2022, 12, 31), Reporting: "quarterly"},
		Results: []indicators.Result{{Code: "1", Level: indicators.Outcome, Statement: "s"}},
		Indicators: []indicators.Indicator{
			{Code: "1.1", Result: "1", Name: "People served", Unit: indicators.Number, Disaggregations: []string{"sex", "province"}},
			{Code: "1.2", Result: "1", Name: "Share satisfied", Unit: indicators.Percent},
			{Code: "1.3", Result: "1", Name: "Law passed", Unit: indicators.YesNo},
			{Code: "1.4", Result: "1", Name: "Story", Unit: indicators.Text},
			{Code: "1.5", Result: "1", Name: "Ratio", Unit: indicators.Ratio},
			{Code: "1.6", Result: "1", Name: "Spent", Unit: indicators.Currency},
			{Code: "1.7", Result: "1", Name: "Pass rate", Unit: indicators.Percent, Numerator: "N1", Denominator: "D1"},
			{Code: "2.1", Result: "1", Name: "Half served", Unit: indicators.Number, Formula: `value("1.1") / 2`},
			{Code: "N1", Name: "Passed", Unit: indicators.Number},
			{Code: "D1", Name: "Sat", Unit: indicators.Number},
			{Code: "IND-a", Result: "1", Name: "Lower case code", Unit: indicators.Number},
		},
		Dimensions: []indicators.Dimension{
			{Name: "sex", Values: []string{"female", "male"}},
			{Name: "province", Values: []string{"Darkhan", "Erdenet", "Ulaanbaatar"}},
		},
	}
}

// xc is a cell to write: a value with an optional built-in number format.
type xc struct {
	v   any
	fmt int // 0: none; 9/10 percent; 14 date
}

// xf is a formula cell with its cached value (nil: none).
type xf struct {
	f string
	v any
}

// writeBook writes a workbook with the given sheets (in order) and returns its path.
func writeBook(t testing.TB, sheets []string, data map[string][][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	styles := map[int]int{}
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range data[name] {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if x, ok := v.(xc); ok {
					if err := f.SetCellValue(name, ref, x.v); err != nil {
						t.Fatal(err)
					}
					if x.fmt != 0 {
						st, ok := styles[x.fmt]
						if !ok {
							var err error
							if st, err = f.NewStyle(&excelize.Style{NumFmt: x.fmt}); err != nil {
								t.Fatal(err)
							}
							styles[x.fmt] = st
						}
						if err := f.SetCellStyle(name, ref, ref, st); err != nil {
							t.Fatal(err)
						}
					}
					continue
				}
				if x, ok := v.(xf); ok {
					if x.v != nil {
						if err := f.SetCellValue(name, ref, x.v); err != nil {
							t.Fatal(err)
						}
					}
					if err := f.SetCellFormula(name, ref, x.f); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if v == nil {
					continue
				}
				if err := f.SetCellValue(name, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	p := filepath.Join(t.TempDir(), "data.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeCSV(t testing.TB, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fig is a figure in a compact form for comparison.
func fig(m indicators.Measurement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", m.Indicator, m.Period)
	if !m.Dims.Total() {
		fmt.Fprintf(&b, " [%s]", m.Dims.Key())
	}
	if m.Value != nil {
		fmt.Fprintf(&b, " =%s", strconv.FormatFloat(*m.Value, 'f', -1, 64))
	}
	if m.Text != "" {
		fmt.Fprintf(&b, " text=%q", m.Text)
	}
	if m.Numerator != nil {
		fmt.Fprintf(&b, " num=%s", strconv.FormatFloat(*m.Numerator, 'f', -1, 64))
	}
	if m.Denominator != nil {
		fmt.Fprintf(&b, " den=%s", strconv.FormatFloat(*m.Denominator, 'f', -1, 64))
	}
	if m.Verified != "" {
		fmt.Fprintf(&b, " verified=%s", m.Verified)
	}
	if m.Comment != "" {
		fmt.Fprintf(&b, " comment=%q", m.Comment)
	}
	if m.Source != "" {
		fmt.Fprintf(&b, " source=%q", m.Source)
	}
	fmt.Fprintf(&b, " @%s!%s", m.Loc.Sheet, m.Loc.Cell("value"))
	return b.String()
}

func figs(ms []indicators.Measurement) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fig(m)
	}
	return out
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("figures:\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestImportMeasurementsLayouts(t *testing.T) {
	date := func(y int, m time.Month, d int) xc { return xc{v: day(y, m, d), fmt: 14} }
	tests := []struct {
		name   string
		sheets []string
		data   map[string][][]any
		want   []string
		rows   int
	}{
		{
			name:   "long with title rows, aliases and dimension columns",
			sheets: []string{"Q3"},
			data: map[string][][]any{"Q3": {
				{"Partner X quarterly report"},
				{"Fill in the Actual column"},
				{},
				{"Indicator Code", "Indicator name", "Reporting period", "Sex", "PROVINCE", "Actual", "Remarks", "Data source", "Verified"},
				{"1.1", "People served", "2021Q3", nil, nil, 120, nil, nil, nil},
				{"1.1", "People served", "Q3 2021", "female", "darkhan", 70, "ok", "register", "yes"},
				{"1.1", "People served", "2021-Q3", "Male", "Darkhan", "1,234", nil, nil, "unverifiable"},
				{},
				{"1.2", "Share", "Jul 2021", nil, nil, xc{0.75, 9}, nil, nil, "no"},
				{"1.2", "Share", "2021Q3", nil, nil, "75%", nil, nil, nil},
				{"1.2", "Share", "2021Q4", nil, nil, " 12 ", nil, nil, nil},
				{"1.3", "Law", "2021", nil, nil, "Yes", nil, nil, nil},
				{"1.3", "Law", "2022", nil, nil, true, nil, nil, nil},
				{"1.4", "Story", "2021Q3", nil, nil, "A village got water", nil, nil, nil},
				{"1.5", "Ratio", "2021Q3", nil, nil, "50%", nil, nil, nil},
				{"1.5", "Ratio", "2021Q4", nil, nil, xc{0.25, 10}, nil, nil, nil},
				{"1.6", "Spent", date(2021, 7, 15), nil, nil, 12500.5, nil, nil, nil},
				{"1.1", "empty value: no data", "2021Q3", nil, nil, nil, nil, nil, nil},
				{"1.1", "formula: cached value", "2021Q4", nil, nil, xf{"10*2", 20}, nil, nil, nil},
			}},
			want: []string{
				"1.1 2021Q3 =120 @Q3!F5",
				`1.1 2021Q3 [province=Darkhan; sex=female] =70 verified=yes comment="ok" source="register" @Q3!F6`,
				"1.1 2021Q3 [province=Darkhan; sex=male] =1234 verified=unverifiable @Q3!F7",
				"1.2 2021-07 =75 verified=no @Q3!F9",
				"1.2 2021Q3 =75 @Q3!F10",
				"1.2 2021Q4 =12 @Q3!F11",
				"1.3 2021 =1 @Q3!F12",
				"1.3 2022 =1 @Q3!F13",
				`1.4 2021Q3 text="A village got water" @Q3!F14`,
				"1.5 2021Q3 =0.5 @Q3!F15",
				"1.5 2021Q4 =0.25 @Q3!F16",
				"1.6 2021-07-15 =12500.5 @Q3!F17",
				"1.1 2021Q4 =20 @Q3!F19",
			},
			rows: 14, // a formula without a cached value is an error: TestImportMeasurementsBadInput
		},
		{
			name:   "wide with dimension columns between, several sheets, others ignored",
			sheets: []string{"Notes", "IPTT", "Lists"},
			data: map[string][][]any{
				"Notes": {{"This workbook has notes"}, {"Nothing to read here", 12}},
				"IPTT": {
					{"Indicator Performance Tracking Table"},
					{"Code", "Name", "Sex", "2021Q1", "Baseline", "Q2 2021", "2021-Q3", "Disaggregation"},
					{"1.1", "Served", "female", 10, 5, 20, nil, "province=Erdenet"},
					{"1.1", "Served", nil, 30, nil, "40", 50, nil},
					{"Outcome 2 heading", nil, nil, nil, nil, nil, nil, nil},
					{"1.2", "Share", nil, xc{0.5, 9}, nil, nil, "60%", nil},
				},
				"Lists": {{"female"}, {"male"}},
			},
			want: []string{
				"1.1 2021Q1 [province=Erdenet; sex=female] =10 @IPTT!D3",
				"1.1 2021Q2 [province=Erdenet; sex=female] =20 @IPTT!F3",
				"1.1 2021Q1 =30 @IPTT!D4",
				"1.1 2021Q2 =40 @IPTT!F4",
				"1.1 2021Q3 =50 @IPTT!G4",
				"1.2 2021Q1 =50 @IPTT!D6",
				"1.2 2021Q3 =60 @IPTT!G6",
			},
			rows: 4,
		},
		{
			name:   "long with start and end, numerator and denominator",
			sheets: []string{"Data"},
			data: map[string][][]any{"Data": {
				{"Indicator ID", "Start date", "End date", "Numerator", "Denominator", "Result"},
				{"1.7", date(2021, 7, 1), date(2021, 9, 30), 30, 40, nil},
				{"1.7", "2021-01-01", "2021-06-30", 5, 10, xc{0.5, 9}},
				{"N1", "01/10/2021", "15/10/2021", nil, nil, 12},
			}},
			want: []string{
				"1.7 2021Q3 num=30 den=40 @Data!F2",
				"1.7 2021S1 =50 num=5 den=10 @Data!F3",
				"N1 2021-10-01..2021-10-15 =12 @Data!F4",
			},
			rows: 3,
		},
		{
			name:   "header with dates in the wide layout",
			sheets: []string{"W"},
			data: map[string][][]any{"W": {
				{"indicator", date(2021, 3, 31), "2021-04"},
				{"1.6", 100, 200},
			}},
			want: []string{"1.6 2021-03-31 =100 @W!B2", "1.6 2021-04 =200 @W!C2"},
			rows: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeBook(t, tc.sheets, tc.data)
			var sink sliceSink
			rows, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if rows != tc.rows {
				t.Errorf("rows = %d, want %d", rows, tc.rows)
			}
			sameLines(t, figs(sink.ms), tc.want)
			for _, m := range sink.ms {
				if m.Loc.File != p || m.Loc.Row == 0 {
					t.Errorf("%s: Loc %+v lacks file or row", fig(m), m.Loc)
				}
			}
		})
	}
}

func TestImportMeasurementsCSV(t *testing.T) {
	tests := []struct {
		name string
		text string
		opt  MeasurementOptions
		want []string
		errs []string
	}{
		{
			name: "comma",
			text: "\ufeffReport of partner X\n\nindicator,period,disaggregation,value,comment\n1.1,2021Q3,sex=female; province=Ulaanbaatar,\"1,234\",\"a, b\"\n1.2,2021Q4,,75%,\n1.1,2021Q4,,,\n,,,,\n",
			want: []string{
				`1.1 2021Q3 [province=Ulaanbaatar; sex=female] =1234 comment="a, b" @!D4`,
				"1.2 2021Q4 =75 @!D5",
			},
		},
		{
			name: "semicolon and decimal comma",
			text: "code;quarter;value\n1.6;2021Q1;1 234,5\n1.6;2021Q2;1.234,5\n1.2;2021Q3;12,5 %\n",
			opt:  MeasurementOptions{DecimalComma: true},
			want: []string{"1.6 2021Q1 =1234.5 @!C2", "1.6 2021Q2 =1234.5 @!C3", "1.2 2021Q3 =12.5 @!C4"},
		},
		{
			name: "decimal comma refused without the option",
			text: "code;quarter;value\n1.6;2021Q1;1 234,5\n1.6;2021Q2;12,5\n",
			errs: []string{
				`data.csv: cell C2 (value): invalid value: 1.6 is a currency indicator and the value is "1 234,5", expected an amount`,
				"import it with the decimal comma option",
				`data.csv: cell C3 (value): invalid value: 1.6 is a currency indicator and the value is "12,5"`,
			},
		},
		{
			name: "semicolons: a comma in a number is ambiguous (1,234 may be 1.234)",
			text: "code;quarter;value\n1.6;2021Q1;1,234\n1.6;2021Q2;1234\n",
			errs: []string{
				`data.csv: cell C2 (value): invalid value: 1.6 is a currency indicator and the value is "1,234", expected an amount such as 12500 or 12,500.50 ("1,234" is ambiguous in a file separated by semicolons`,
				"import it with the decimal comma option if commas are decimals",
			},
		},
		{
			name: "semicolons with --decimal-comma: 1,234 is 1.234",
			text: "code;quarter;value\n1.6;2021Q1;1,234\n",
			opt:  MeasurementOptions{DecimalComma: true},
			want: []string{"1.6 2021Q1 =1.234 @!C2"},
		},
		{
			name: "tabs, wide",
			text: "indicator\t2021Q1\t2021Q2\n1.1\t1\t2\n",
			want: []string{"1.1 2021Q1 =1 @!B2", "1.1 2021Q2 =2 @!C2"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeCSV(t, tc.text)
			var sink sliceSink
			_, err := ImportMeasurements(p, testFramework(), &sink, tc.opt)
			if len(tc.errs) > 0 {
				if err == nil {
					t.Fatalf("no error, want %q", tc.errs)
				}
				for _, w := range tc.errs {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			sameLines(t, figs(sink.ms), tc.want)
		})
	}
}

// TestImportMeasurementsValidation checks that every problem is listed at
// once, with file, sheet, cell, the value seen and what was expected.
func TestImportMeasurementsValidation(t *testing.T) {
	data := map[string][][]any{"Q1": {
		{"Quarterly report"},
		{"indicator", "period", "sex", "province", "value", "numerator", "denominator", "verified", "disaggregation"},
		{"9.9", "2021Q1", nil, nil, 5},                                         // 3 unknown code
		{"ind-a", "2021Q1", nil, nil, 5},                                       // 4 case
		{"1.1", "2021Q1", nil, nil, "many"},                                    // 5 not a number
		{"1.1", "2021Q5", nil, nil, 5},                                         // 6 bad period
		{"1.1", "2019Q1", nil, nil, 5},                                         // 7 outside the project
		{"1.1", "2021Q1", "other", nil, 5},                                     // 8 undeclared value
		{"1.2", "2021Q1", "female", nil, 5},                                    // 9 not disaggregated by sex
		{"1.1", "2021Q1", nil, nil, 5, nil, nil, nil, "age=young"},             // 10 undeclared dimension
		{"1.2", "2021Q1", nil, nil, 120},                                       // 11 percent above 100
		{"1.2", "2021Q2", nil, nil, xc{1.5, 9}},                                // 12 percent cell above 100
		{"1.7", "2021Q1", nil, nil, nil, 50, 40},                               // 13 numerator above denominator
		{"1.1", "2021Q2", nil, nil, -3},                                        // 14 negative count
		{"2.1", "2021Q1", nil, nil, 7},                                         // 15 computed
		{"1.3", "2021Q1", nil, nil, "maybe"},                                   // 16 yes/no
		{"1.1", "2021Q3", nil, nil, 5, nil, nil, "perhaps"},                    // 17 verified
		{nil, "2021Q1", nil, nil, 5},                                           // 18 no code
		{"1.1", nil, nil, nil, 5},                                              // 19 no period
		{"1.1", "2021Q4", nil, nil, "1 234,5"},                                 // 20 decimal comma
		{"1.1", "2021Q4", nil, nil, 3, nil, nil, nil, "sex=female, sex=male"},  // 21 bad disaggregation text
		{"1.1", "2021Q4", "male", nil, 3, nil, nil, nil, "sex=female"},         // 22 conflict
		{"1.1", "2022Q1", nil, nil, 5},                                         // 23 fine
		{"1.6", "2021Q1", nil, nil, xc{day(2021, 1, 1), 14}},                   // 24 a date as a value
		{"1.7", "2021Q2", nil, nil, nil, "-1", 40},                             // 25 negative numerator
		{"1.1", "2022Q2", nil, nil, "12%"},                                     // 26 percentage for a count
		{"1.1", "2022Q3", nil, nil, 5, nil, nil, nil, "province=Darkhan; x=y"}, // 27 undeclared dimension in text
	}}
	p := writeBook(t, []string{"Q1"}, data)
	var sink sliceSink
	_, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
	var probs indicators.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v, want Problems", err)
	}
	want := []struct {
		cell     string
		sentinel error
		text     string
	}{
		{"A3", indicators.ErrUnknownCode, `indicator "9.9" is not in the framework, expected one of the framework's indicator codes`},
		{"A4", indicators.ErrUnknownCode, `did you mean IND-a?`},
		{"E5", indicators.ErrInvalid, `1.1 is a number indicator and the value is "many", expected a number`},
		{"B6", indicators.ErrInvalid, `period "2021Q5" cannot be read, expected a period such as 2021Q3`},
		{"B7", indicators.ErrOutOfRange, `period "2019Q1" (2019Q1) lies outside the project, expected a period within 2021-01-01..2022-12-31`},
		{"C8", indicators.ErrDimension, `sex "other": "other" is not a value of dimension sex (expected one of: female, male)`},
		{"C9", indicators.ErrDimension, `indicator 1.2 is not disaggregated by sex`},
		{"I10", indicators.ErrDimension, `"age" is not a declared dimension`},
		{"E11", indicators.ErrOutOfRange, `1.2 is a percentage and the value is "120", expected a percentage from 0 to 100`},
		{"E12", indicators.ErrOutOfRange, `1.2 is a percentage and the value is "1.5" (150%), expected a percentage from 0 to 100`},
		{"F13", indicators.ErrOutOfRange, `numerator 50 is above its denominator 40 (cell G13), expected a numerator no larger than the denominator`},
		{"E14", indicators.ErrOutOfRange, `1.1 counts a number and the value is "-3", expected zero or more`},
		{"E15", indicators.ErrInvalid, `indicator 2.1 was given the value "7", expected no value: it is computed from its formula value("1.1") / 2`},
		{"E16", indicators.ErrInvalid, `1.3 is a yes/no indicator and the value is "maybe", expected yes or no`},
		{"H17", indicators.ErrInvalid, `verified "perhaps", expected yes, no or unverifiable`},
		{"A18", indicators.ErrRequired, `no indicator code on a row with figures`},
		{"B19", indicators.ErrRequired, `no period, expected a period such as 2021Q3`},
		{"E20", indicators.ErrInvalid, `value is "1 234,5", expected a number such as 1250, 1,250 or 12.5 ("1 234,5" has spaces inside`},
		{"I21", indicators.ErrInvalid, `disaggregation "sex=female, sex=male", expected dimension=value pairs`},
		{"I22", indicators.ErrInvalid, `disaggregation "sex=female" says sex=female but the sex column says male, expected one value per dimension`},
		{"E24", indicators.ErrInvalid, `1.6 is a currency indicator and the value is "44197" (the date 2021-01-01)`},
		{"F25", indicators.ErrOutOfRange, `numerator "-1", expected zero or more`},
		{"E26", indicators.ErrInvalid, `1.1 counts a number and the value is the percentage "12%", expected a number such as 1250`},
		{"I27", indicators.ErrDimension, `"x" is not a declared dimension`},
	}
	if len(probs) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(probs), len(want), err)
	}
	for i, w := range want {
		if i >= len(probs) {
			break
		}
		var ce *indicators.CellError
		if !errors.As(probs[i], &ce) {
			t.Errorf("problem %d is %T, want *CellError", i, probs[i])
			continue
		}
		msg := ce.Error()
		if ce.File != p || ce.Sheet != "Q1" || ce.Cell != w.cell {
			t.Errorf("problem %d at %s/%s/%s, want %s/Q1/%s: %s", i, ce.File, ce.Sheet, ce.Cell, p, w.cell, msg)
		}
		if !strings.HasPrefix(msg, p+": sheet Q1, cell "+w.cell+" (") {
			t.Errorf("problem %d message does not start with file, sheet and cell: %s", i, msg)
		}
		if !errors.Is(ce, w.sentinel) {
			t.Errorf("problem %d (%s) does not wrap %v", i, msg, w.sentinel)
		}
		if !strings.Contains(msg, w.text) {
			t.Errorf("problem %d:\n got %s\nwant it to contain %s", i, msg, w.text)
		}
	}
	// Valid rows are still staged (the caller rolls back); the invalid ones are not.
	sameLines(t, figs(sink.ms), []string{"1.1 2022Q1 =5 @Q1!E23"})
}

func TestImportMeasurementsHeaderProblems(t *testing.T) {
	tests := []struct {
		name string
		data [][]any
		want string
	}{
		{"no value column", [][]any{{"indicator", "name", "figure"}, {"1.1", "x", 3}},
			"sheet S, row 1: missing column: the header row names an indicator column but neither period and value columns"},
		{"a list of indicators only", [][]any{{"indicator", "name", "unit"}, {"1.1", "x", "number"}},
			"missing column: no sheet has figures: sheet S lists indicators but has neither period and value columns"},
		{"start without end", [][]any{{"indicator", "start", "value"}, {"1.1", "2021-01-01", 3}},
			"sheet S, row 1 (end): missing column: the header row has a start or end column but no end column"},
		{"wide period outside the project", [][]any{{"indicator", "2020Q4", "2021Q1"}, {"1.1", 1, 2}},
			`sheet S, cell B1 (period): out of range: period heading "2020Q4" (2020Q4) lies outside the project`},
		{"no indicator column", [][]any{{"code?"}, {"1.1"}},
			"no sheet has a header row naming an indicator column"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeBook(t, []string{"S"}, map[string][][]any{"S": tc.data})
			var sink sliceSink
			_, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestImportMeasurementsTooManyProblems(t *testing.T) {
	p := writeCSV(t, "indicator,period,value\nX,2021Q1,1\nX,2021Q1,1\nX,2021Q1,1\nX,2021Q1,1\nX,2021Q1,1\n")
	_, err := ImportMeasurements(p, testFramework(), &sliceSink{}, MeasurementOptions{MaxProblems: 3})
	var probs indicators.Problems
	if !errors.As(err, &probs) || len(probs) != 4 || !strings.Contains(probs[3].Error(), "2 more problems not listed") {
		t.Fatalf("err = %v", err)
	}
}

func TestImportMeasurementsProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("indicator,period,value\n")
	for i := 0; i < ProgressEvery+5; i++ {
		b.WriteString("1.1,2021Q1,1\n")
	}
	p := writeCSV(t, b.String())
	var calls []int
	rows, err := ImportMeasurements(p, testFramework(), &sliceSink{}, MeasurementOptions{Progress: func(n int) { calls = append(calls, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if rows != ProgressEvery+5 || len(calls) != 2 || calls[0] != ProgressEvery || calls[1] != rows {
		t.Errorf("rows %d, progress calls %v", rows, calls)
	}
}

// sinkErr is a sink that refuses some figures.
type sinkErr struct{ err error }

func (s sinkErr) Add(m indicators.Measurement) error { return s.err }

func TestImportMeasurementsSinkErrors(t *testing.T) {
	p := writeCSV(t, "indicator,period,value\n1.1,2021Q1,1\n")
	ce := &indicators.CellError{File: p, Row: 2, Err: indicators.ErrDuplicate}
	_, err := ImportMeasurements(p, testFramework(), sinkErr{ce}, MeasurementOptions{})
	if !errors.Is(err, indicators.ErrDuplicate) {
		t.Errorf("cell error from the sink: %v", err)
	}
	_, err = ImportMeasurements(p, testFramework(), sinkErr{errors.New("disk full")}, MeasurementOptions{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("storage error: %v", err)
	}
}

func TestImportMeasurementsFileKinds(t *testing.T) {
	dir := t.TempDir()
	xls := filepath.Join(dir, "old.xls")
	os.WriteFile(xls, []byte("x"), 0o644)
	if _, err := ImportMeasurements(xls, testFramework(), &sliceSink{}, MeasurementOptions{}); !errors.Is(err, ErrUnsupportedFile) {
		t.Errorf(".xls: %v", err)
	}
	bad := filepath.Join(dir, "bad.xlsx")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	if _, err := ImportMeasurements(bad, testFramework(), &sliceSink{}, MeasurementOptions{}); err == nil || !strings.Contains(err.Error(), `bad.xlsx: invalid value: the file is text (it begins "not a zip"), not a workbook; expected an .xlsx workbook`) {
		t.Errorf("not a zip: %v", err)
	}
	if _, err := ImportMeasurements(filepath.Join(dir, "missing.csv"), testFramework(), &sliceSink{}, MeasurementOptions{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

// bombXLSX writes a small workbook whose sheet XML inflates to size bytes
// (a long run of blanks inside the sheet data).
func bombXLSX(t *testing.T, size int) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c></row>`))
	blank := bytes.Repeat([]byte(" "), 1<<20)
	for n := 0; n < size; n += len(blank) {
		w.Write(blank)
	}
	w.Write([]byte(`</sheetData></worksheet>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bomb.xlsx")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportMeasurementsZipBomb(t *testing.T) {
	p := bombXLSX(t, 64<<20) // 64 MiB of blanks, about 64 KiB compressed
	if fi, _ := os.Stat(p); fi.Size() > 1<<20 {
		t.Fatalf("the bomb is %d bytes, expected a small file", fi.Size())
	}
	_, err := ImportMeasurements(p, testFramework(), &sliceSink{}, MeasurementOptions{UnzipSizeLimit: 8 << 20})
	if !errors.Is(err, ErrUnzipLimit) {
		t.Fatalf("err = %v, want ErrUnzipLimit", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "bomb.xlsx: ") || !strings.Contains(msg, "more than the limit of 8388608 bytes") {
		t.Errorf("message %q should name the file and the limit", msg)
	}
	// Under a limit it fits, it is read (and has no data).
	if _, err := ImportMeasurements(p, testFramework(), &sliceSink{}, MeasurementOptions{UnzipSizeLimit: 128 << 20}); err == nil || errors.Is(err, ErrUnzipLimit) {
		t.Errorf("within the limit: %v, want a header problem", err)
	}
}

// TestXLSXStreamCells checks the cell kinds and values of the streaming reader.
func TestXLSXStreamCells(t *testing.T) {
	p := writeBook(t, []string{"S"}, map[string][][]any{"S": {
		{"text", 12.5, xc{0.25, 9}, xc{day(2021, 7, 15), 14}, true, nil, xf{"1+1", nil}, " "},
		nil,
		{nil, nil, "x"},
	}})
	b, err := openXLSX(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rr, err := b.rows(b.sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	var got []string
	for {
		row, cells, err := rr.Next()
		if err != nil {
			break
		}
		for j, c := range cells {
			if c.Kind != CellEmpty {
				got = append(got, fmt.Sprintf("%s=%s:%q", cellRef(j, row), c.Kind, c.Raw))
			}
		}
	}
	sort.Strings(got)
	want := []string{`A1=text:"text"`, `B1=number:"12.5"`, `C1=percent:"0.25"`, `C3=text:"x"`, `D1=date:"44392"`, `E1=boolean:"1"`, `G1=formula without a saved value:""`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("cells\n got %v\nwant %v", got, want)
	}
}

func TestParseDecimalComma(t *testing.T) {
	for _, tc := range []struct {
		in  string
		v   float64
		pct bool
		ok  bool
	}{
		{"1 234,5", 1234.5, false, true}, {"1.234,5", 1234.5, false, true}, {"12,5", 12.5, false, true},
		{"1234", 1234, false, true}, {"-3,25", -3.25, false, true}, {"75 %", 75, true, true},
		{"1\u00a0234\u00a0567,8", 1234567.8, false, true},
		{"12.5", 0, false, false}, {"1,2,3", 0, false, false}, {"1 23,5", 0, false, false}, {"abc", 0, false, false},
		{"", 0, false, false}, {"1 234.567,5", 0, false, false}, {"12,", 0, false, false},
	} {
		v, pct, err := parseDecimalComma(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (v != tc.v || pct != tc.pct)) {
			t.Errorf("parseDecimalComma(%q) = %v, %v, %v", tc.in, v, pct, err)
		}
	}
}

func TestCellRef(t *testing.T) {
	for col, want := range map[int]string{0: "A1", 25: "Z1", 26: "AA1", 701: "ZZ1", 702: "AAA1"} {
		if got := cellRef(col, 1); got != want {
			t.Errorf("cellRef(%d) = %s, want %s", col, got, want)
		}
		if got := colOfRef([]byte(want)); got != col+1 {
			t.Errorf("colOfRef(%s) = %d, want %d", want, got, col+1)
		}
	}
}

// FuzzImportMeasurementsCSV feeds arbitrary CSV text to the import: it
// must never panic, and every figure it accepts must be valid.
func FuzzImportMeasurementsCSV(f *testing.F) {
	for _, seed := range []string{
		"indicator,period,value\n1.1,2021Q1,5\n",
		"code;quarter;value;sex;disaggregation\n1.1;Q2 2021;1 234,5;female;province=Darkhan\n",
		"title\n\nindicator\t2021Q1\t2021Q2\n1.2\t75%\t\n",
		"indicator,start,end,numerator,denominator\n1.7,2021-01-01,2021-03-31,3,4\n",
		"\"indicator\",\"value\"\n\"1.1\",\"\"\"\n",
		"indicator,period,value,verified\n1.3,2021,yes,unverifiable\n1.4,2021Q1,text,\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	fw := testFramework()
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, comma bool) {
		p := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var sink sliceSink
		_, err := ImportMeasurements(p, fw, &sink, MeasurementOptions{DecimalComma: comma})
		if err != nil {
			var probs indicators.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("error is %T, want Problems: %v", err, err)
			}
			for _, e := range probs {
				var ce *indicators.CellError
				if !errors.As(e, &ce) || ce.File != p {
					t.Fatalf("problem without a file: %v", e)
				}
			}
		}
		for _, m := range sink.ms {
			ind, ok := fw.Indicator(m.Indicator)
			if !ok || ind.Computed() || !m.Period.Valid() || m.Loc.Row < 1 {
				t.Fatalf("invalid figure accepted: %+v", m)
			}
			if m.Value != nil && ind.Unit == indicators.Percent && (*m.Value < 0 || *m.Value > 100) {
				t.Fatalf("percent out of range accepted: %+v", m)
			}
		}
	})
}

// FuzzXLSXRows feeds arbitrary worksheet XML to the streaming row reader:
// it must never panic, and rows must come in with sane numbers.
func FuzzXLSXRows(f *testing.F) {
	for _, seed := range []string{
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1"><v>0.5</v></c></row><row><c t="inlineStr"><is><t>x</t><rPh><t>y</t></rPh></is></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="3"/><row r="4"><c r="XFD4" t="b"><v>1</v></c><c r="B4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData></worksheet>`,
		`<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row><x:c r="A1" s="2"><x:v>44392</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>`,
	} {
		f.Add([]byte(seed))
	}
	for _, seed := range []string{
		`<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>12.5</v></c><c r="C2" t="str"><v>a&amp;b</v></c><c r="D2"><v>x]]>y</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c><v>1</v></c ><c><v>2</v> </c><c><v>3</v></c></row><row><c/><c><v>` + "\r\n" + `</v></c><c><v></v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>1.1a</t></is></c><c r="B3" t="inlineStr"><is><t></t></is></c><c t="inlineStr"><is><t xml:space="preserve"> x </t></is></c><c t="inlineStr"><is><t>a</t><t>b</t></is></c><c t="inlineStr"><is><r><t>c</t></r></is></c></row></sheetData></worksheet>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b := &xlsxBook{sst: newSharedStrings("indicator"), xfKind: []CellKind{CellNumber, CellPercent, CellDate}, limit: 1 << 20}
		r := newXLSXRows(b, bytes.NewReader(data), nil)
		// The same XML read event by event: the same rows and error.
		slow := newXLSXRows(b, bytes.NewReader(data), nil)
		slow.slowCells = true
		for i := 0; i < 10000; i++ {
			row, cells, err := r.Next()
			srow, scells, serr := slow.Next()
			if (err == nil) != (serr == nil) || err != nil && err.Error() != serr.Error() {
				t.Fatalf("row %d: error %v, read event by event %v", i+1, err, serr)
			}
			if row != srow || !slices.Equal(cells, scells) {
				t.Fatalf("row %d: %d %+v, read event by event %d %+v", i+1, row, cells, srow, scells)
			}
			if err != nil {
				return
			}
			if row < 1 || len(cells) > 16384 {
				t.Fatalf("row %d with %d cells", row, len(cells))
			}
		}
	})
}

// xmlEvents lists the events of the scanner (text kept everywhere,
// adjacent text merged), or of encoding/xml's RawToken, in one form.
func scannerEvents(data []byte) ([]string, error) {
	s := newXMLScanner(bytes.NewReader(data))
	var out []string
	for {
		ev, err := s.next(true)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch ev.kind {
		case evStart:
			out = append(out, "<"+string(ev.local)+">")
		case evEnd:
			out = append(out, "</"+string(ev.local)+">")
		case evText:
			if n := len(out); n > 0 && strings.HasPrefix(out[n-1], "text:") {
				out[n-1] += string(ev.text)
			} else {
				out = append(out, "text:"+string(ev.text))
			}
		}
	}
}

func stdEvents(data []byte) ([]string, map[int][]xml.Attr, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var out []string
	attrs := map[int][]xml.Attr{}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, attrs, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attrs[len(out)] = t.Attr
			out = append(out, "<"+t.Name.Local+">")
		case xml.EndElement:
			out = append(out, "</"+t.Name.Local+">")
		case xml.CharData:
			if len(t) == 0 {
				continue
			}
			if n := len(out); n > 0 && strings.HasPrefix(out[n-1], "text:") {
				out[n-1] += string(t)
			} else {
				out = append(out, "text:"+string(t))
			}
		}
	}
}

// markupError reports whether err, from encoding/xml, is about a comment,
// a CDATA section or a processing instruction.
func markupError(err error) bool {
	msg := err.Error()
	for _, m := range []string{
		`invalid sequence "--" not allowed in comments`, "invalid sequence <!- not part of <!--",
		"invalid <![ sequence", "unexpected EOF in CDATA section", "unescaped ]]> not in CDATA section",
		"expected target name after <?",
	} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// TestXMLScannerMarkup checks comments, CDATA sections and processing
// instructions against XML 1.0 (as encoding/xml reads them): "<!-->" does
// not end the comment it opens (it used to, so a row hidden in a comment
// from Excel was imported by rmf), nor does "<?>" end a PI.
func TestXMLScannerMarkup(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // events joined by '|', or "error"
	}{
		{"0<!-->-->", "text:0"},
		{"<a><!--><b>999</b>--></a>", "<a>|</a>"},
		{"<a><!---><b/>--></a>", "<a>|</a>"},
		{"<a><!----><b/></a>", "<a>|<b>|</b>|</a>"},
		{"<a><!-- x -- y --></a>", "error"},
		{"<a><!-- x ---></a>", "error"},
		{"<a><!-- never closed <b/></a>", "error"},
		{"<a><?>?><b/></a>", "error"},
		{"<a><?pi ><b/>?><c/></a>", "<a>|<c>|</c>|</a>"},
		{"<a><?pi?>x</a>", "<a>|text:x|</a>"},
		{"<a><![CDATA[]]]]><![CDATA[>]]></a>", "<a>|text:]]>|</a>"},
		{"<a><![CDATA[<b/>-->]]></a>", "<a>|text:<b/>-->|</a>"},
		{"<a><![CDATA[x]]</a>", "error"},
		{"<!DOCTYPE a [<!ENTITY e \"]>\">]><a>x</a>", "error"},
		{"<a><!-x--><b/></a>", "error"},
	} {
		got, err := scannerEvents([]byte(tc.in))
		s := strings.Join(got, "|")
		if err != nil {
			s = "error"
		}
		if s != tc.want {
			t.Errorf("%q: scanner %s (%v), want %s", tc.in, s, err, tc.want)
		}
		// encoding/xml agrees with what is wanted (DOCTYPE aside: the
		// scanner refuses what encoding/xml reads).
		if strings.HasPrefix(tc.in, "<!DOCTYPE") {
			continue
		}
		std, _, err := stdEvents([]byte(tc.in))
		ss := strings.Join(std, "|")
		if err != nil {
			ss = "error"
		}
		if ss != tc.want {
			t.Errorf("%q: encoding/xml %s (%v), want %s", tc.in, ss, err, tc.want)
		}
	}
}

// FuzzXMLScanner compares the scanner with encoding/xml on every input
// that encoding/xml reads without error: same elements, same text, same
// attribute values.
func FuzzXMLScanner(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0"?><!-- c > d --><a x="1>2" y='&amp;&#65;'><b/>t&lt;&#x263A;<![CDATA[<raw>]]>u</a>`,
		`<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t xml:space="preserve"> a\r\nb </x:t></x:is></x:c></x:row>`,
		`<!DOCTYPE a [<!ELEMENT a ANY>]><a>x</a>`,
		"\ufeff<a>\r</a>",
		"0<!-->-->",
		"<a><!--><b>1</b>--><?>?><?p?><![CDATA[]]]]><![CDATA[>]]></a>",
		"<a><!-- x -- y --></a>",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, attrs, err := stdEvents(data)
		if err != nil {
			// Where encoding/xml refuses a comment, CDATA section or
			// processing instruction, the scanner must refuse too: reading
			// on would show rmf other cells than Excel.
			if markupError(err) {
				if got, serr := scannerEvents(data); serr == nil {
					t.Fatalf("scanner reads %q; encoding/xml refuses it: %v", got, err)
				}
			}
			return
		}
		if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
			return // encoding/xml reads a byte order mark as text
		}
		if bytes.Contains(bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("<!--"), nil), []byte("<![CDATA["), nil), []byte("<!")) {
			return // DOCTYPE and other directives: skipped, not compared (worksheets have none)
		}
		got, err := scannerEvents(data)
		if err != nil {
			t.Fatalf("scanner: %v; encoding/xml reads it as %q", err, want)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("events\n got %q\nwant %q", got, want)
		}
		// Attributes, by local name, when it is unique in its tag.
		s := newXMLScanner(bytes.NewReader(data))
		i := 0
		for {
			ev, err := s.next(true)
			if err != nil {
				break
			}
			if ev.kind == evText && i > 0 && strings.HasPrefix(got[i-1], "text:") {
				continue // merged with the previous text
			}
			if ev.kind == evStart {
				seen := map[string]int{}
				for _, a := range attrs[i] {
					seen[a.Name.Local]++
				}
				for _, a := range attrs[i] {
					if seen[a.Name.Local] > 1 || a.Name.Local == "" {
						continue
					}
					if v := attrValue(ev.attrs, a.Name.Local); string(v) != a.Value {
						t.Fatalf("element %s attribute %s = %q, want %q", ev.local, a.Name.Local, v, a.Value)
					}
				}
				// The one-pass reader of a cell's attributes agrees.
				r, st, ty := cellAttrs(ev.attrs)
				for name, v := range map[string][]byte{"r": r, "s": st, "t": ty} {
					if w := attrValue(ev.attrs, name); (v == nil) != (w == nil) || string(v) != string(w) {
						t.Fatalf("element %s: cellAttrs gives %s = %q, attrValue %q", ev.local, name, v, w)
					}
				}
			}
			i++
		}
	})
}

// TestImportMeasurementsFormats reads custom percent and date formats and
// a workbook that counts dates from 1904.
func TestImportMeasurementsFormats(t *testing.T) {
	f := excelize.NewFile()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	pct := "0.0%"
	month := `[$-409]mmm\ yyyy;@`
	pctStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &pct})
	dateStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &month})
	rows := [][]any{
		{"indicator", "period", "value"},
		{"1.2", day(2021, 8, 1), 0.125},
		{"1.5", day(2022, 12, 31), 0.5},
	}
	for r, row := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Sheet1", ref, &row); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellStyle("Sheet1", "B2", "B3", dateStyle)
	f.SetCellStyle("Sheet1", "C2", "C3", pctStyle)
	p := filepath.Join(t.TempDir(), "fmt.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	var sink sliceSink
	if _, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{}); err != nil {
		t.Fatal(err)
	}
	sameLines(t, figs(sink.ms), []string{"1.2 2021-08-01 =12.5 @Sheet1!C2", "1.5 2022-12-31 =0.5 @Sheet1!C3"})
}

// TestImportMeasurements1904 writes the serial of 2021-07-01 in each date
// system (worked by hand: 44378 counting from 1900, 44378 - 1462 = 42916
// counting from 1904) into a date cell of a workbook that declares that
// system (<workbookPr date1904="1"/> or not), and the same serial into a
// workbook of the other system, which reads as another day.
func TestImportMeasurements1904(t *testing.T) {
	tests := []struct {
		date1904 bool
		serial   float64
		want     string
	}{
		{false, 44378, "1.1 2021-07-01 =5"},
		{true, 42916, "1.1 2021-07-01 =5"},
		{true, 44378, "1.1 2025-07-02 =5"},  // 1462 days later: outside the project
		{false, 42916, "1.1 2017-06-30 =5"}, // 1462 days earlier
	}
	for _, tt := range tests {
		f := excelize.NewFile()
		v := tt.date1904
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
			t.Fatal(err)
		}
		dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		f.SetSheetRow("Sheet1", "A1", &[]any{"indicator", "period", "value"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"1.1", tt.serial, 5})
		f.SetCellStyle("Sheet1", "B2", "B2", dateStyle)
		p := filepath.Join(t.TempDir(), "dates.xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		var sink sliceSink
		_, err := ImportMeasurements(p, testFramework(), &sink, MeasurementOptions{})
		if strings.HasPrefix(tt.want, "1.1 2021") {
			if err != nil {
				t.Fatalf("1904 %v, serial %v: %v", tt.date1904, tt.serial, err)
			}
			if got := figs(sink.ms); len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("1904 %v, serial %v: %q, want %s", tt.date1904, tt.serial, got, tt.want)
			}
			continue
		}
		day := strings.Fields(tt.want)[1]
		if err == nil || !strings.Contains(err.Error(), day) {
			t.Errorf("1904 %v, serial %v: err %v, want the day %s outside the project", tt.date1904, tt.serial, err, day)
		}
	}
}

// TestOptionWords: messages name an option in the caller's words when it
// gives them (cmd/rmf: its flags), in the library's otherwise.
func TestOptionWords(t *testing.T) {
	p := writeCSV(t, "indicator;period;value\n1.6;2021Q1;1,234\n")
	for _, tt := range []struct {
		words OptionWords
		want  string
	}{
		{nil, "import it with the decimal comma option if commas are decimals"},
		{OptionWords{OptDecimalComma: "--decimal-comma"}, "import it with --decimal-comma if commas are decimals"},
	} {
		_, err := ImportMeasurements(p, testFramework(), &sliceSink{}, MeasurementOptions{Words: tt.words})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("words %v: err %v, want %q", tt.words, err, tt.want)
		}
	}
	if got := (OptionWords{OptCode: "--code"}).Say(OptCode, "CODE"); got != "--code CODE" {
		t.Errorf("Say = %q", got)
	}
	if got := OptionWords(nil).Say(OptCode, "CODE"); got != "the code option" {
		t.Errorf("Say = %q", got)
	}
}
