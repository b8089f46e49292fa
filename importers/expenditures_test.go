package importers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

type expSink struct{ got []indicators.Expenditure }

func (s *expSink) AddExpenditure(e indicators.Expenditure) error {
	s.got = append(s.got, e)
	return nil
}

func expFramework() *indicators.Framework {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	return &indicators.Framework{
		Project: indicators.Project{Code: "P", Title: "T", Start: d(2019, 9, 1), End: d(2023, 8, 31), Currency: "CHF", YearStart: 9},
		Results: []indicators.Result{
			{Code: "O1", Level: indicators.Outcome},
			{Code: "1.2", Level: indicators.Output, Parent: "O1"},
			{Code: "A1.2.1", Level: indicators.Activity, Parent: "1.2"},
		},
		Budget: []indicators.BudgetLine{
			{Code: "BL-12", Result: "1.2", Category: indicators.CategoryOperational, Amount: 200000},
			{Code: "BL-STAFF", Category: indicators.CategoryStaff, Amount: 100000},
		},
	}
}

func writeExpXLSX(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Expenditures")
	f.SetCellStr("Expenditures", "A1", "Finance export, illustrative")
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow("Expenditures", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "fin.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportExpenditures(t *testing.T) {
	path := writeExpXLSX(t, [][]any{
		{"Budget line", "Result code", "Period", "Amount (CHF)", "Reference", "Description"},
		{"BL-12", "", "2020-09-01..2021-02-28", 15800, "", "census review"},
		{"", "A1.2.1 Review questionnaires", "Sep 2019 - Feb 2020", "1,200.50", "V-1", ""},
		{"BL-STAFF", "", "2021S1", 5000, "", ""},
		{"1.2", "", "PY2", 10, "", "a result code in the budget line column"},
		{},
	})
	fw := expFramework()
	var s expSink
	n, err := ImportExpenditures(path, fw, &s, ExpenditureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 || len(s.got) != 4 {
		t.Fatalf("rows %d, got %+v", n, s.got)
	}
	e := s.got[0]
	if e.Line != "BL-12" || e.Result != "1.2" || e.Category != indicators.CategoryOperational || e.Amount != 15800 ||
		e.Period.String() != "2020-09-01..2021-02-28" || e.Loc.Row != 4 || e.Loc.Cell("amount") != "D4" || e.Description != "census review" {
		t.Errorf("row 4: %+v", e)
	}
	if e := s.got[1]; e.Result != "A1.2.1" || e.Amount != 1200.5 || e.Reference != "V-1" || e.Category != indicators.CategoryOperational {
		t.Errorf("row 5: %+v", e)
	}
	if e := s.got[2]; e.Result != "" || e.Category != indicators.CategoryStaff {
		t.Errorf("row 6: %+v", e)
	}
	if e := s.got[3]; e.Result != "1.2" || e.Period.String() != "2020-09-01..2021-08-31" {
		t.Errorf("row 7: %+v %s", e, e.Period)
	}
	if ok, err := IsExpenditureFile(path); !ok || err != nil {
		t.Errorf("IsExpenditureFile = %v, %v", ok, err)
	}
}

func TestImportExpendituresRefusesBadRows(t *testing.T) {
	path := writeExpXLSX(t, [][]any{
		{"Result", "Date", "Amount", "Currency"},
		{"9.9", "2021-03-01", 10, ""},    // unknown result: A4
		{"1.2", "yesterday", 10, ""},     // bad date: B5
		{"1.2", "2021-03-01", -5, ""},    // negative: C6
		{"1.2", "2021-03-01", "ten", ""}, // not a number: C7
		{"1.2", "2021-03-01", 10, "USD"}, // currency: D8
		{"1.2", "2021-03-01", nil, ""},   // no amount: C9
		{"1.2", "2021-03-01", 10, "chf"}, // fine
	})
	var s expSink
	_, err := ImportExpenditures(path, expFramework(), &s, ExpenditureOptions{})
	if err == nil {
		t.Fatal("bad rows accepted")
	}
	text := err.Error()
	for _, want := range []string{
		"fin.xlsx: sheet Expenditures, cell A4 (result): unknown code: result \"9.9\"",
		"sheet Expenditures, cell B5 (date): invalid value: date \"yesterday\"",
		"sheet Expenditures, cell C6 (amount): out of range",
		"sheet Expenditures, cell C7 (amount): invalid value: amount \"ten\"",
		"sheet Expenditures, cell D8 (currency): invalid value: currency USD, expected the project's currency CHF",
		"sheet Expenditures, cell C9 (amount): required value missing",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if len(strings.Split(text, "\n")) != 6 {
		t.Errorf("want 6 problems:\n%s", text)
	}
}

func TestImportExpendituresCSVAndHeaders(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("fin.csv", "output;semester;spent\n1.2;2021S1;100\nO1;2021S1;50\n")
	var s expSink
	if n, err := ImportExpenditures(good, expFramework(), &s, ExpenditureOptions{}); err != nil || n != 2 || s.got[1].Result != "O1" {
		t.Fatalf("csv: %d %v %+v", n, err, s.got)
	}
	noPeriod := write("np.csv", "result,amount\n1.2,100\n")
	if _, err := ImportExpenditures(noPeriod, expFramework(), &s, ExpenditureOptions{}); err == nil || !strings.Contains(err.Error(), "no period or date column") {
		t.Errorf("no period column: %v", err)
	}
	badPeriod := write("bp.csv", "result,period,amount\n1.2,2021Q5,100\n")
	if _, err := ImportExpenditures(badPeriod, expFramework(), &s, ExpenditureOptions{}); err == nil || !strings.Contains(err.Error(), "bp.csv: cell B2 (period)") {
		t.Errorf("bad period: %v", err)
	}
	meas := write("m.csv", "indicator,period,value,amount\n1.1.1,2021Q1,3,4\n")
	if ok, _ := IsExpenditureFile(meas); ok {
		t.Error("a measurement file (indicator column) taken for an expenditure file")
	}
	if _, err := ImportExpenditures(meas, expFramework(), &s, ExpenditureOptions{}); err == nil || !strings.Contains(err.Error(), "no sheet has a header row with an amount column") {
		t.Errorf("measurement file: %v", err)
	}
}

func TestClassifySheets(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Figures")
	f.SetSheetRow("Figures", "A1", &[]any{"Indicator", "Period", "Value"})
	f.NewSheet("Spending")
	f.SetSheetRow("Spending", "A2", &[]any{"Output", "Date", "Amount"})
	f.NewSheet("Notes")
	f.SetCellStr("Notes", "A1", "nothing here")
	path := filepath.Join(t.TempDir(), "mixed.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	exp, meas, err := ClassifySheets(path)
	if err != nil || strings.Join(exp, ",") != "Spending" || strings.Join(meas, ",") != "Figures" {
		t.Errorf("ClassifySheets = %q, %q, %v", exp, meas, err)
	}
}
