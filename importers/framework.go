package importers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// ReadFramework reads a framework (logframe) file, choosing the reader by
// extension: .xlsx, .yaml or .yml (or an IATI activity file, .xml). It returns either the framework or an
// indicators.Problems listing every problem found, parse-level and semantic
// (Framework.Validate), each naming where it is.
func ReadFramework(path string) (*indicators.Framework, error) {
	ext := strings.ToLower(filepath.Ext(path))
	var read func(f *os.File) (*indicators.Framework, error)
	switch ext {
	case ".xlsx", ".xlsm", ".csv":
		// rmf's workbook, a DFID logframe or flat IATI results rows
		// (framework_layouts.go), recognised from the content.
		lf, err := ReadLogframe(path, FrameworkOptions{})
		if err != nil {
			return nil, err
		}
		return lf.Framework, nil
	case ".yaml", ".yml":
		read = func(f *os.File) (*indicators.Framework, error) { return ReadFrameworkYAML(f, path) }
	case ".xml":
		// An IATI activity file: the framework of its first activity with
		// results (ReadIATI also gives the figures and picks an activity).
		read = func(f *os.File) (*indicators.Framework, error) {
			im, err := ReadIATI(f, path, "")
			if err != nil {
				return nil, err
			}
			return im.Framework, nil
		}
	case ".xls":
		return nil, &indicators.CellError{File: path, Err: errors.New("the old .xls format is not supported; save the workbook as .xlsx")}
	default:
		return nil, &indicators.CellError{File: path, Err: fmt.Errorf("unknown framework file type %q, expected .xlsx, .csv, .yaml or .yml (or IATI .xml)", ext)}
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &indicators.CellError{File: path, Err: errors.New("no such file")}
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &indicators.CellError{File: path, Err: err}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, &indicators.CellError{File: path, Err: errors.New("is a folder, expected a framework file (.xlsx, .yaml or .yml)")}
	}
	return read(f)
}

// value is one field of an input item as read from a workbook cell or a
// YAML scalar, with where it was found.
type value struct {
	Cell            // Ref is the cell reference (workbook) or "" (YAML)
	Line   int      // YAML line; 0 for workbooks
	List   []string // YAML sequences (contributes_to, disaggregations)
	IsList bool
	Map    map[string]string // YAML mappings (a milestone's disaggregation)
}

// record is one item (a row, or a YAML mapping) as field → value.
type record struct {
	loc  indicators.Loc
	vals map[string]value
}

func (r record) has(field string) bool {
	v, ok := r.vals[field]
	return ok && !v.empty()
}

func (v value) empty() bool {
	if v.IsList {
		return len(v.List) == 0
	}
	if v.Map != nil {
		return len(v.Map) == 0
	}
	return v.Cell.Empty()
}

func (r record) text(field string) string {
	v, ok := r.vals[field]
	if !ok {
		return ""
	}
	if v.IsList {
		return strings.Join(v.List, "; ")
	}
	return v.Text()
}

// list reads a field holding several codes or names, separated by ; or ,
// in a cell (a YAML sequence is taken as is).
func (r record) list(field string) []string {
	v, ok := r.vals[field]
	if !ok {
		return nil
	}
	var parts []string
	if v.IsList {
		parts = v.List
	} else {
		parts = strings.FieldsFunc(v.Raw, func(r rune) bool { return r == ';' || r == ',' || r == '\n' })
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// builder turns records into framework items, collecting problems.
type builder struct {
	fw       *indicators.Framework
	date1904 bool
	probs    indicators.Problems
	// sheetRank orders problems by sheet (workbooks): Project first.
	sheetRank map[string]int
	// lines maps an item's line and a field to the line of the field
	// (YAML), so that semantic problems name the line of the field.
	lines map[lineKey]int
	// numberCodes are the code cells ("Results!A5") that hold numbers:
	// Excel turns a code typed as 1.10 into the number 1.1.
	numberCodes map[string]string
}

type lineKey struct {
	file  string
	line  int
	field string
}

// loc returns r's Loc with the cell of every field read, and remembers
// the line of each field of a YAML item.
func (b *builder) loc(r record) indicators.Loc {
	for f, v := range r.vals {
		if n, long := indicators.TooLongForCell(r.text(f)); long {
			b.errAt(r, f, indicators.ErrOutOfRange, "%s is a text of %d characters, longer than Excel's limit of %d characters per cell; "+
				"shorten it (rmf does not cut text, and a workbook could not hold it)", f, n, indicators.MaxCellChars)
		}
		switch f {
		case "code", "parent", "result", "indicator", "contributes_to":
			if v.Ref != "" && v.Kind == CellNumber {
				if b.numberCodes == nil {
					b.numberCodes = map[string]string{}
				}
				b.numberCodes[r.loc.Sheet+"!"+v.Ref] = v.Text()
			}
		}
		if v.Line > 0 {
			if b.lines == nil {
				b.lines = map[lineKey]int{}
			}
			b.lines[lineKey{r.loc.File, r.loc.Row, f}] = v.Line
		}
	}
	return r.withCells()
}

// errAt records a problem at field of r: the cell (workbook) or the line of
// the field (YAML).
func (b *builder) errAt(r record, field string, sentinel error, format string, args ...any) {
	b.probs = append(b.probs, r.errorf(field, sentinel, format, args...))
}

func (r record) errorf(field string, sentinel error, format string, args ...any) *indicators.CellError {
	e := &indicators.CellError{File: r.loc.File, Sheet: r.loc.Sheet, Row: r.loc.Row, Field: field}
	if v, ok := r.vals[field]; ok {
		e.Cell = v.Ref
		if v.Ref != "" {
			e.Row = rowOf(v.Ref)
		}
		if v.Line > 0 {
			e.Row = v.Line
		}
	}
	if sentinel != nil {
		e.Err = fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
	} else {
		e.Err = fmt.Errorf(format, args...)
	}
	return e
}

// wrapErr records err (from a parser of the indicators package, which
// already wraps a sentinel and says what it expected) at field of r.
func (b *builder) wrapErr(r record, field string, err error) {
	e := r.errorf(field, nil, "%s", "")
	e.Err = err
	b.probs = append(b.probs, e)
}

// withCells returns r's Loc with the cell of every field read.
func (r record) withCells() indicators.Loc {
	l := r.loc
	for f, v := range r.vals {
		if v.Ref != "" {
			if l.Cells == nil {
				l.Cells = map[string]string{}
			}
			l.Cells[f] = v.Ref
		}
	}
	return l
}

func (b *builder) require(r record, what string, fields ...string) bool {
	ok := true
	for _, f := range fields {
		if !r.has(f) {
			b.errAt(r, f, indicators.ErrRequired, "%s has no %s", what, f)
			ok = false
		}
	}
	return ok
}

// projectKeys maps the normalised keys of the Project sheet (or YAML
// project mapping) to field names.
var projectKeys = map[string]string{
	"code": "code", "projectcode": "code", "id": "code", "projectid": "code",
	"title": "title", "projecttitle": "title", "name": "title", "projectname": "title",
	"start": "start", "startdate": "start", "projectstart": "start", "from": "start",
	"end": "end", "enddate": "end", "projectend": "end", "to": "end",
	"donor": "donor", "funder": "donor",
	"currency":  "currency",
	"reporting": "reporting", "reportingfrequency": "reporting", "reportingperiod": "reporting",
	"yearstart": "year_start", "projectyearstart": "year_start", "fiscalyearstart": "year_start", "financialyearstart": "year_start",
	"statusrule":     "status_rule",
	"iatiidentifier": "iati_identifier", "iatiid": "iati_identifier", "iatiactivityidentifier": "iati_identifier",
	"reportingorg": "reporting_org", "reportingorganisation": "reporting_org", "reportingorganization": "reporting_org",
	"reportingorgid": "reporting_org_id", "reportingorgref": "reporting_org_id",
	"reportingorgtype": "reporting_org_type", "reportingorganisationtype": "reporting_org_type", "reportingorganizationtype": "reporting_org_type",
	"description": "description", "summary": "description",
}

// buildProject reads the project record.
func (b *builder) buildProject(r record) {
	p := &b.fw.Project
	p.Loc = b.loc(r)
	// code, title, start and end are required: Framework.Validate says so.
	p.Code = r.text("code")
	p.Title = r.text("title")
	p.Donor = r.text("donor")
	p.Currency = r.text("currency")
	p.StatusRule = r.text("status_rule")
	p.IATIIdentifier = r.text("iati_identifier")
	p.ReportingOrg = r.text("reporting_org")
	p.ReportingOrgID = r.text("reporting_org_id")
	p.ReportingOrgType = r.text("reporting_org_type")
	p.Description = r.text("description")
	if r.has("start") {
		if d, err := b.dateOrPeriod(r, "start", false); err == nil {
			p.Start = d
		}
	}
	if r.has("end") {
		if d, err := b.dateOrPeriod(r, "end", true); err == nil {
			p.End = d
		}
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		b.errAt(r, "end", indicators.ErrInvalid, "project end %s is before its start %s, expected an end on or after the start",
			p.End.Format(time.DateOnly), p.Start.Format(time.DateOnly))
	}
	if r.has("reporting") {
		if f, ok := ParseReporting(r.text("reporting")); ok {
			p.Reporting = f
		} else {
			b.errAt(r, "reporting", indicators.ErrInvalid, "reporting frequency %q, expected monthly, quarterly, semiannual or annual", r.text("reporting"))
		}
	}
	if r.has("year_start") {
		if m, ok := parseMonth(r.vals["year_start"]); ok {
			p.YearStart = m
		} else {
			b.errAt(r, "year_start", indicators.ErrInvalid, "year start %q, expected a month number 1 to 12 or a month name such as July", r.text("year_start"))
		}
	}
	b.buildProjectBudget(r) // importers/budget.go (issue 7)
	b.buildProjectIATI(r)   // importers/iati_project.go (issue 12)
}

// ParseReporting reads a reporting frequency: monthly, quarterly,
// semiannual or annual, as people write them.
func ParseReporting(s string) (string, bool) {
	switch indicators.Norm(s) {
	case "monthly", "month", "m":
		return "monthly", true
	case "quarterly", "quarter", "q":
		return "quarterly", true
	case "semiannual", "semiannually", "semester", "biannual", "biannually", "halfyearly", "halfyear", "sixmonthly", "s":
		return "semiannual", true
	case "annual", "annually", "yearly", "year", "y", "a":
		return "annual", true
	}
	return "", false
}

func parseMonth(v value) (int, bool) {
	if n, _, err := v.Number(); err == nil {
		if n == float64(int(n)) && n >= 1 && n <= 12 {
			return int(n), true
		}
		return 0, false
	}
	t := strings.ToLower(v.Text())
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if t == name || (len(t) >= 3 && strings.HasPrefix(name, t)) {
			return int(m), true
		}
	}
	return 0, false
}

// dateOrPeriod reads a date field: a date cell, a date text, or a period
// (2021, 2021Q3, Jul 2021) taken as its first day (or last day, with end).
func (b *builder) dateOrPeriod(r record, field string, end bool) (time.Time, error) {
	v := r.vals[field]
	d, err := v.Date(b.date1904)
	if err == nil {
		if err := indicators.CheckYear(field, d); err != nil {
			// A year 1 is not "no date": say what is wrong with it.
			b.errAt(r, field, indicators.ErrOutOfRange, "%s %s is outside the years rmf accepts (%d to %d)",
				field, d.Format(time.DateOnly), indicators.MinYear, indicators.MaxYear)
			return time.Time{}, err
		}
		return d, nil
	}
	p, perr := indicators.ParsePeriod(v.Text())
	if perr == nil {
		if end {
			return p.End, nil
		}
		return p.Start, nil
	}
	if errors.Is(perr, indicators.ErrOutOfRange) {
		b.errAt(r, field, indicators.ErrOutOfRange, "%s %q is outside the years rmf accepts (%d to %d)",
			field, v.Text(), indicators.MinYear, indicators.MaxYear)
		return time.Time{}, perr
	}
	b.errAt(r, field, indicators.ErrInvalid, "%s %q is not a date, expected a date such as 2021-07-15 or 15/07/2021 (or a period such as 2021)", field, v.Text())
	return time.Time{}, err
}

// period reads a period field: a date cell is the day it holds; text is
// read by the project calendar (2021Q3, Q3 2021, PY2, ...).
func (b *builder) period(r record, field string) (indicators.Period, bool) {
	v := r.vals[field]
	if v.Kind == CellDate {
		d, err := v.Date(b.date1904)
		if err != nil {
			b.errAt(r, field, indicators.ErrInvalid, "period %q is not a valid date, expected a period such as 2021Q3 or a date", v.Raw)
			return indicators.Period{}, false
		}
		if err := indicators.CheckYear(field, d); err != nil {
			b.errAt(r, field, indicators.ErrOutOfRange, "%s %s is outside the years rmf accepts (%d to %d)",
				field, d.Format(time.DateOnly), indicators.MinYear, indicators.MaxYear)
			return indicators.Period{}, false
		}
		return indicators.Day(d), true
	}
	p, err := b.fw.Project.Calendar().ParsePeriod(v.Text())
	if err != nil {
		// err names the text and the spellings expected.
		b.wrapErr(r, field, err)
		return indicators.Period{}, false
	}
	return p, true
}

// amount reads a baseline or target field for unit: numbers for numeric
// units (percent in percent points: 75, "75%" and a percent-formatted 0.75
// are all 75; yes/no as 1/0), text for text indicators.
func (b *builder) amount(r record, field string, unit indicators.Unit) (*float64, string, bool) {
	v, ok := r.vals[field]
	if !ok || v.empty() || NotAvailable(v.Cell) {
		return nil, "", true // N/A: no baseline or target, as when empty
	}
	if unit == indicators.Text {
		return nil, v.Text(), true
	}
	var x float64
	var err error
	switch unit {
	case indicators.YesNo:
		if v.Kind == CellBool {
			x, _, err = v.Number()
		} else {
			x, err = ParseYesNo(v.Text())
			if err != nil {
				b.errAt(r, field, indicators.ErrInvalid, "%s %q is not yes or no, expected yes, no, true, false, y, n, 1 or 0", field, v.Text())
				return nil, "", false
			}
		}
	case indicators.Percent:
		x, err = v.PercentPoints()
	default:
		x, err = v.Plain()
	}
	if err != nil {
		dash := ""
		if IsDash(v.Text()) {
			dash = "; " + DashHelp
		}
		b.errAt(r, field, indicators.ErrInvalid, "%s %q is not a number, expected a number for a %s indicator (such as 1250, 1,250 or 12.5%s)%s",
			field, v.Text(), unit, map[bool]string{true: " or 75%", false: ""}[unit == indicators.Percent], dash)
		return nil, "", false
	}
	return &x, "", true
}

// finish validates the framework and returns it, or every problem found,
// in file order (sheet by sheet, row by row, column by column; or line by
// line).
func (b *builder) finish() (*indicators.Framework, error) {
	b.merge(validate(b.fw))
	if len(b.probs) > 0 {
		return nil, b.sorted()
	}
	// Spell milestone disaggregations as declared (Sex=Female -> sex=female).
	for i := range b.fw.Milestones {
		m := &b.fw.Milestones[i]
		if len(m.Dims) == 0 {
			continue
		}
		ind, _ := b.fw.Indicator(m.Indicator)
		if d, err := b.fw.CheckDisagg(ind, m.Dims); err == nil {
			m.Dims = d
		}
	}
	return b.fw, nil
}

// problemKey identifies the place of a problem: the cell of a workbook,
// or the line and field of a YAML file.
type problemKey struct {
	file, sheet, cell, field string
	row                      int
}

func keyOf(ce *indicators.CellError) problemKey {
	k := problemKey{file: ce.File, sheet: ce.Sheet, field: ce.Field}
	if ce.Cell != "" {
		k.cell = ce.Cell
	} else {
		k.row = ce.Row
	}
	return k
}

// merge adds the semantic problems to the parse problems. A YAML problem is
// moved to the line of its field. A "required value missing" problem at a
// place that already has a parse problem (an unreadable date is also a
// missing one) is dropped.
func (b *builder) merge(sem indicators.Problems) {
	parsed := map[problemKey]bool{}
	for _, p := range b.probs {
		var ce *indicators.CellError
		if errors.As(p, &ce) {
			parsed[keyOf(ce)] = true
		}
	}
	for _, p := range sem {
		var ce *indicators.CellError
		if errors.As(p, &ce) {
			if ce.Sheet == "" && ce.Field != "" {
				if l, ok := b.lines[lineKey{ce.File, ce.Row, ce.Field}]; ok {
					ce.Row = l
				}
			}
			if parsed[keyOf(ce)] && errors.Is(ce, indicators.ErrRequired) {
				continue
			}
			if n, ok := b.numberCodes[ce.Sheet+"!"+ce.Cell]; ok && ce.Cell != "" &&
				(errors.Is(ce, indicators.ErrDuplicate) || errors.Is(ce, indicators.ErrUnknownCode)) {
				ce.Err = fmt.Errorf("%w (cell %s holds the number %s, and Excel drops a code's trailing zeros: 1.10 becomes 1.1; "+
					"format the column as Text and type the code again)", ce.Err, ce.Cell, n)
			}
		}
		b.probs = append(b.probs, p)
	}
}

// sorted returns the problems in file order.
func (b *builder) sorted() indicators.Problems {
	type place struct{ sheet, row, col int }
	at := func(p error) place {
		var ce *indicators.CellError
		if !errors.As(p, &ce) {
			return place{-1, 0, 0}
		}
		pl := place{sheet: -1, row: ce.Row}
		if r, ok := b.sheetRank[ce.Sheet]; ok {
			pl.sheet = r
		}
		if ce.Cell != "" {
			if c, r, err := excelize.CellNameToCoordinates(ce.Cell); err == nil {
				pl.row, pl.col = r, c
			}
		}
		return pl
	}
	out := append(indicators.Problems(nil), b.probs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, c := at(out[i]), at(out[j])
		if a.sheet != c.sheet {
			return a.sheet < c.sheet
		}
		if a.row != c.row {
			return a.row < c.row
		}
		return a.col < c.col
	})
	return out
}

// validate runs the framework's semantic checks (Framework.Validate).
func validate(fw *indicators.Framework) indicators.Problems {
	return append(fw.Validate(), fw.ValidateBudget()...) // budget: issue 7
}
