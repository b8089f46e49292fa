package importers

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// Expenditure files: the finance system's export, as .xlsx or .csv, one
// row per transaction (a date) or per budget line and period. Every sheet
// whose header row has an amount column and no indicator column is read.
// Columns (headings matched without regard to case and spaces):
//
//	result       result code (output, outcome or activity) - or
//	budget_line  a budget line code of the framework's Budget sheet
//	category     optional: the line's category, else the result's
//	period       2021S1, 2020-09-01..2021-02-28, Sep 2020 - Feb 2021 - or
//	date         the transaction date
//	amount       in the project's currency, 0 or more
//	currency     optional; must be the project's
//	reference    optional voucher number: tells transactions apart
//	description  optional
var (
	expFieldAmount = Field{Name: "amount", Required: true, Headings: []string{"Amount", "Expenditure", "Expenditures",
		"Spent", "Amount spent", "Actual", "Actuals", "Disbursed", "Disbursement", "Expense", "Expenses", "Amount CHF", "Amount (CHF)"}}
	expFields = []Field{
		{Name: "result", Headings: []string{"Result", "Result code", "Output", "Output code", "Outcome", "Activity", "Activity code"}},
		{Name: "line", Headings: []string{"Budget line", "Budget_line", "Line", "Line code", "Budget line code", "Budget code", "Account"}},
		{Name: "category", Headings: []string{"Category", "Budget category", "Cost category", "Cost type"}},
		{Name: "period", Headings: []string{"Period", "Semester", "Quarter", "Month", "Reporting period", "Fiscal period"}},
		{Name: "date", Headings: []string{"Date", "Transaction date", "Value date", "Posting date", "Booking date"}},
		expFieldAmount,
		{Name: "currency", Headings: []string{"Currency", "Cur", "Ccy"}},
		{Name: "reference", Headings: []string{"Reference", "Ref", "Voucher", "Voucher no", "Document", "Document no", "Transaction", "Transaction id"}},
		{Name: "description", Headings: []string{"Description", "Narrative", "Details", "Text", "Label", "Comment"}},
	}
)

// expFieldIndicator is the column that makes a sheet a measurement sheet.
var expFieldIndicator = Field{Name: "indicator", Headings: []string{"indicator", "indicator code", "indicator id"}}

// ExpenditureOptions tune ImportExpenditures.
type ExpenditureOptions struct {
	UnzipSizeLimit int64 // 0: DefaultUnzipSizeLimit
	// Source, when set, is the file at path opened once (OpenSource).
	Source *Source
	// MaxProblems is how many problems are listed (0:
	// indicators.DefaultMaxProblems); beyond it one last problem says how
	// many more were found.
	MaxProblems int
}

// expHeader finds an expenditure header row in the first MaxHeaderScan
// rows: a row with an amount column and no indicator column.
func expHeader(cells []Cell) (map[string]int, bool) {
	hasAmount, hasIndicator := false, false
	for _, c := range cells {
		if c.Kind != CellText {
			continue
		}
		if expFieldAmount.Matches(c.Raw) {
			hasAmount = true
		}
		if expFieldIndicator.Matches(c.Raw) {
			hasIndicator = true
		}
	}
	if !hasAmount || hasIndicator {
		return nil, false
	}
	cols := map[string]int{}
	for j, c := range cells {
		if c.Kind != CellText {
			continue
		}
		for _, f := range expFields {
			if _, dup := cols[f.Name]; !dup && f.Matches(c.Raw) {
				cols[f.Name] = j
				break
			}
		}
	}
	return cols, true
}

// IsExpenditureFile is true when a sheet of the .xlsx or .csv file at path
// has, within its first rows, a header with an amount column and no
// indicator column: a finance export rather than a measurement workbook.
func IsExpenditureFile(path string) (bool, error) {
	exp, _, err := ClassifySheets(path)
	return len(exp) > 0, err
}

// ClassifySheets names the sheets of the file at path whose header (within
// the first MaxHeaderScan rows) makes them expenditure sheets (an amount
// column, no indicator column) and those that have an indicator column
// (measurement sheets). A CSV file is the sheet "".
func ClassifySheets(path string) (expenditure, measurement []string, err error) {
	return ClassifySource(path, nil)
}

// ClassifySource is ClassifySheets reading through src (the file at path
// opened once) when it is not nil.
func ClassifySource(path string, src *Source) (expenditure, measurement []string, err error) {
	err = eachSheetOf(path, src, 0, func(sheet string, rr rowSource, date1904 bool) error {
		for i := 0; i < MaxHeaderScan; i++ {
			_, cells, err := rr.Next()
			if err != nil {
				return nil // io.EOF or unreadable: the import says why
			}
			if layoutRow(cells) { // a DFID logframe or flat IATI results rows: layout_figures.go
				measurement = append(measurement, sheet)
				return nil
			}
			if _, ok := expHeader(cells); ok {
				expenditure = append(expenditure, sheet)
				return nil
			}
			if indicatorColumn(cells) >= 0 {
				measurement = append(measurement, sheet)
				return nil
			}
		}
		return nil
	})
	return expenditure, measurement, err
}

// eachSheetOf calls fn for every sheet of an .xlsx file, or once (sheet
// "") for a .csv file, reading through src when it is not nil.
func eachSheetOf(path string, src *Source, limit int64, fn func(sheet string, rr rowSource, date1904 bool) error) error {
	kind, err := fileKindOf(path, src)
	if err != nil {
		return err
	}
	if kind == "csv" {
		f, err := openFile(path, src)
		if err != nil {
			return err
		}
		defer f.Close()
		rr, _ := newCSVRows(f)
		return fn("", rr, false)
	}
	b, err := openXLSXOf(path, src, limit)
	if err != nil {
		return indicators.Problems{&indicators.CellError{File: path, Err: err}}
	}
	defer b.Close()
	for _, sh := range b.sheets {
		rr, err := b.rows(sh)
		if err != nil {
			return indicators.Problems{&indicators.CellError{File: path, Sheet: sh.Name, Err: err}}
		}
		err = fn(sh.Name, rr, b.date1904)
		rr.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// ImportExpenditures reads every expenditure sheet of the .xlsx or .csv
// file at path, checks each row against fw (known result or budget line,
// a period or date, an amount of 0 or more in the project's currency), and
// calls sink.AddExpenditure for each valid row. It returns
// indicators.Problems listing every invalid row (file, sheet, cell, what
// was seen and what was expected); the caller then rolls the import back,
// so that nothing is written. rows is the number of data rows read.
func ImportExpenditures(path string, fw *indicators.Framework, sink indicators.ExpenditureSink, opt ExpenditureOptions) (rows int, err error) {
	if fw == nil {
		return 0, &indicators.CellError{File: path, Err: errors.New("no framework: import the framework first")}
	}
	probs := indicators.ProblemCap{Max: opt.MaxProblems}
	sheets := 0
	add := probs.Add
	err = eachSheetOf(path, opt.Source, opt.UnzipSizeLimit, func(sheet string, rr rowSource, date1904 bool) error {
		var cols map[string]int
		cr, isCSV := rr.(*csvRows)
		semicolon := isCSV && cr.r.Comma == ';'
		for {
			row, cells, err := rr.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				var ce *indicators.CellError
				if errors.As(err, &ce) {
					ce.File, ce.Sheet = path, sheet
					add(ce)
					return nil
				}
				add(&indicators.CellError{File: path, Sheet: sheet, Row: row, Err: err})
				return nil
			}
			if cols == nil {
				if row > MaxHeaderScan {
					return nil // not an expenditure sheet
				}
				if c, ok := expHeader(cells); ok {
					cols = c
					sheets++
					_, hasResult := cols["result"]
					_, hasLine := cols["line"]
					_, hasCat := cols["category"]
					_, hasPeriod := cols["period"]
					_, hasDate := cols["date"]
					if !hasResult && !hasLine && !hasCat {
						add(&indicators.CellError{File: path, Sheet: sheet, Row: row, Field: "result", Err: fmt.Errorf(
							"%w: the header row %d has an amount column but no result, budget line or category column, expected a heading such as \"result code\" or \"budget line\"", indicators.ErrMissingColumn, row)})
						return nil
					}
					if !hasPeriod && !hasDate {
						add(&indicators.CellError{File: path, Sheet: sheet, Row: row, Field: "period", Err: fmt.Errorf(
							"%w: the header row %d has no period or date column, expected a heading such as \"period\" or \"date\"", indicators.ErrMissingColumn, row)})
						return nil
					}
				}
				continue
			}
			if rowEmpty(cells) {
				continue
			}
			rows++
			if j, ok := cols["amount"]; ok && semicolon && j < len(cells) && strings.Contains(cells[j].Raw, ",") {
				// Excel writes semicolons where the comma is the decimal separator.
				add(&indicators.CellError{File: path, Sheet: sheet, Row: row, Cell: cellRef(j, row), Field: "amount", Err: fmt.Errorf(
					"%w: amount %q is ambiguous in a file separated by semicolons, where the comma is usually the decimal separator (15,800 may be 15.8 or 15800), "+
						"expected an amount without thousands separators and with a decimal point, such as 15800.50", indicators.ErrInvalid, strings.TrimSpace(cells[j].Raw))})
				continue
			}
			e, errs := expenditureRow(fw, path, sheet, row, cells, cols, date1904)
			for _, x := range errs {
				add(x)
			}
			if len(errs) > 0 {
				continue
			}
			if err := sink.AddExpenditure(e); err != nil {
				add(err)
			}
		}
	})
	if err != nil {
		return rows, err
	}
	if sheets == 0 && probs.Len() == 0 {
		probs.Add(&indicators.CellError{File: path, Err: fmt.Errorf(
			"%w: no sheet has a header row with an amount column (and no indicator column) within its first %d rows, expected headings such as result code, period, amount",
			indicators.ErrMissingColumn, MaxHeaderScan)})
	}
	return rows, probs.Problems(path).Err()
}

// expenditureRow reads and checks one data row.
func expenditureRow(fw *indicators.Framework, file, sheet string, row int, cells []Cell, cols map[string]int, date1904 bool) (indicators.Expenditure, []error) {
	r := &expRow{fw: fw, file: file, sheet: sheet, row: row, cells: cells, cols: cols,
		loc: indicators.Loc{File: file, Sheet: sheet, Row: row, Cells: map[string]string{}}}
	for f := range cols {
		r.get(f)
	}
	e := indicators.Expenditure{Loc: r.loc}
	for _, f := range []string{"result", "line", "category", "period", "date", "amount", "currency", "reference", "description"} {
		if j, ok := cols[f]; ok && j < len(cells) && cells[j].Kind == CellUncomputed {
			r.fail(f, indicators.ErrInvalid, "%s", trimSentinel(cells[j].UncomputedError(), indicators.ErrInvalid))
		}
	}
	if len(r.errs) > 0 {
		return e, r.errs
	}
	r.resultLineCategory(&e)
	e.Period = r.period(date1904)
	e.Amount = r.amount()
	if c, ok := r.get("currency"); ok && !c.Empty() {
		e.Currency = strings.ToUpper(c.Text())
	}
	if c, ok := r.get("reference"); ok {
		e.Reference = c.Text()
	}
	if c, ok := r.get("description"); ok {
		e.Description = c.Text()
	}
	if len(r.errs) > 0 {
		return e, r.errs
	}
	fw.ResolveExpenditure(&e)
	e.Loc = r.loc
	if err := fw.ValidateExpenditure(e); err != nil {
		return e, []error{err}
	}
	return e, nil
}

// expRow reads one data row of an expenditure sheet.
type expRow struct {
	fw    *indicators.Framework
	file  string
	sheet string
	row   int
	cells []Cell
	cols  map[string]int
	loc   indicators.Loc
	errs  []error
}

// get is the cell of field, recording its reference; ok is false when the
// sheet has no such column.
func (r *expRow) get(field string) (Cell, bool) {
	j, ok := r.cols[field]
	if !ok {
		return Cell{}, false
	}
	r.loc.Cells[field] = cellRef(j, r.row)
	if j < len(r.cells) {
		return r.cells[j], true
	}
	return Cell{}, true
}

func (r *expRow) fail(field string, sentinel error, format string, args ...any) {
	r.errs = append(r.errs, r.loc.Errorf(field, sentinel, format, args...))
}

// resultLineCategory reads the result, the budget line (or a result code
// in the budget line column) and the category.
func (r *expRow) resultLineCategory(e *indicators.Expenditure) {
	fw := r.fw
	if c, ok := r.get("result"); ok && !c.Empty() {
		e.Result = resultCode(fw, c.Text())
		if e.Result == "" {
			r.fail("result", indicators.ErrUnknownCode, "result %q is not a result of the framework, expected an output, outcome or activity code such as %s", c.Text(), exampleResults(fw))
		}
	}
	if c, ok := r.get("line"); ok && !c.Empty() {
		t := c.Text()
		switch bl, isLine := fw.BudgetLine(t); {
		case isLine:
			e.Line = bl.Code
		case resultCode(fw, t) != "" && e.Result == "":
			e.Result = resultCode(fw, t) // a "budget line" column holding result codes
			r.loc.Cells["result"] = r.loc.Cells["line"]
		default:
			r.fail("line", indicators.ErrUnknownCode, "budget line %q is neither a budget line code nor a result code of the framework", t)
		}
	}
	if c, ok := r.get("category"); ok && !c.Empty() {
		cat, err := indicators.ParseCategory(c.Text())
		if err != nil {
			r.fail("category", indicators.ErrInvalid, "%v", err)
		}
		e.Category = cat
	}
}

// period reads the row's period, or the day of its transaction date.
func (r *expRow) period(date1904 bool) indicators.Period {
	pc, hasP := r.get("period")
	dc, hasD := r.get("date")
	switch {
	case hasP && !pc.Empty():
		if pc.Kind == CellDate {
			if d, err := pc.Date(date1904); err == nil {
				return indicators.Day(d)
			}
			r.fail("period", indicators.ErrInvalid, "period %q is not a valid date", pc.Raw)
		} else if p, err := r.fw.Project.Calendar().ParsePeriod(pc.Text()); err == nil {
			return p
		} else {
			r.errs = append(r.errs, &indicators.CellError{File: r.file, Sheet: r.sheet, Row: r.row, Cell: r.loc.Cells["period"], Field: "period", Err: err})
		}
	case hasD && !dc.Empty():
		if d, err := dc.Date(date1904); err == nil {
			return indicators.Day(d)
		}
		r.fail("date", indicators.ErrInvalid, "date %q is not a date, expected a date such as 2021-03-15 or 15/03/2021", dc.Text())
	default:
		field := "period"
		if !hasP {
			field = "date"
		}
		r.fail(field, indicators.ErrRequired, "no %s, expected a period such as 2021S1 or a transaction date", field)
	}
	return indicators.Period{}
}

// amount reads the row's amount: a number of 0 or more.
func (r *expRow) amount() float64 {
	c, _ := r.get("amount")
	if c.Empty() {
		r.fail("amount", indicators.ErrRequired, "no amount, expected an amount such as 15800")
	} else if x, err := c.Plain(); err != nil {
		r.fail("amount", indicators.ErrInvalid, "amount %q is not a number, expected an amount such as 15800 or 15,800.50", c.Text())
	} else if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		r.fail("amount", indicators.ErrOutOfRange, "amount %s is negative, expected 0 or more (net a reversal into its period's row)", c.Text())
	} else if indicators.CheckValue(x) != nil {
		r.fail("amount", indicators.ErrOutOfRange, "amount %s is beyond the largest number rmf accepts, expected at most 1e15 (a million billion)", c.Text())
	} else {
		return x
	}
	return 0
}

// resultCode matches text to a result code: exactly, or by its first word
// ("1.2 Proposal to the statistics office").
func resultCode(fw *indicators.Framework, text string) string {
	if _, ok := fw.Result(text); ok {
		return text
	}
	if f := strings.Fields(text); len(f) > 1 {
		c := strings.TrimRight(f[0], ":.-")
		if _, ok := fw.Result(c); ok {
			return c
		}
	}
	return ""
}

func exampleResults(fw *indicators.Framework) string {
	var cs []string
	for _, r := range fw.Results {
		if r.Level == indicators.Output && len(cs) < 3 {
			cs = append(cs, r.Code)
		}
	}
	if len(cs) == 0 {
		return "1.1"
	}
	return strings.Join(cs, ", ")
}
