package importers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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

var resultFields = []Field{
	{Name: "code", Required: true, Headings: []string{"Result code", "Code", "ID", "Ref", "Reference", "No"}},
	{Name: "level", Required: true, Headings: []string{"Level", "Type", "Result level", "Result type", "Level of result", "Hierarchy"}},
	{Name: "parent", Headings: []string{"Parent", "Parent code", "Parent result", "Parent ID", "Parent result code", "Contributes to parent"}},
	{Name: "statement", Required: true, Headings: []string{"Statement", "Result statement", "Description", "Narrative", "Result description", "Objective", "Result", "Intervention logic", "Results chain", "Narrative summary"}},
	{Name: "assumptions", Headings: []string{"Assumptions", "Assumption", "Assumptions and risks", "Risks"}},
	{Name: "contributes_to", Headings: []string{"Contributes to", "Also contributes to", "Contributes"}},
}

func (b *builder) buildResult(r record) {
	if !b.require(r, "the result", "code") {
		return
	}
	res := indicators.Result{
		Code:          r.text("code"),
		Parent:        r.text("parent"),
		Statement:     r.text("statement"),
		Assumptions:   r.text("assumptions"),
		ContributesTo: r.list("contributes_to"),
		Loc:           b.loc(r),
	}
	// level and statement are required, and the level must be known:
	// Framework.Validate says so, naming the result. An unknown level is
	// kept as written for that message.
	if r.has("level") {
		l, err := indicators.ParseLevel(r.text("level"))
		if err != nil {
			l = indicators.Level(r.text("level"))
		}
		res.Level = l
	}
	b.fw.Results = append(b.fw.Results, res)
}

var indicatorFields = []Field{
	{Name: "code", Required: true, Headings: []string{"Indicator code", "Code", "ID", "Indicator ID", "Indicator ref", "Ref", "No"}},
	{Name: "result", Required: true, Headings: []string{"Result", "Result code", "Linked result", "Result ref"}},
	{Name: "name", Required: true, Headings: []string{"Indicator", "Name", "Indicator name", "Title", "Indicator title", "Indicator statement", "Indicator description", "Indicator text"}},
	{Name: "definition", Headings: []string{"Definition", "Indicator definition"}},
	{Name: "unit", Required: true, Headings: []string{"Unit", "Unit of measure", "Unit of measurement", "UoM", "Measure"}},
	{Name: "direction", Headings: []string{"Direction", "Desired direction", "Polarity"}},
	{Name: "baseline", Headings: []string{"Baseline", "Baseline value", "Baseline figure", "Baseline (value)"}},
	{Name: "baseline_date", Headings: []string{"Baseline date", "Baseline year", "Baseline period", "Date of baseline"}},
	{Name: "target", Headings: []string{"End-of-project target", "EOP target", "Target", "Final target", "End target", "Target value", "Project target", "Target (end of project)", "Target (EOP)", "Overall target"}},
	{Name: "aggregation", Headings: []string{"Aggregation", "Aggregate", "Aggregation method", "Aggregation rule"}},
	{Name: "disaggregations", Headings: []string{"Disaggregations", "Disaggregation", "Disaggregation(s)", "Disaggregated by", "Disaggregate by"}},
	{Name: "formula", Headings: []string{"Formula", "Calculation", "Computation"}},
	{Name: "numerator", Headings: []string{"Numerator"}},
	{Name: "denominator", Headings: []string{"Denominator"}},
	{Name: "status_rule", Headings: []string{"Status rule", "Status"}},
	{Name: "milestones", Headings: []string{"Milestones", "Milestone reading", "Milestones are", "Milestone type"}},
	{Name: "path", Headings: []string{"Path", "Expected path", "Path shape"}},
	{Name: "data_source", Headings: []string{"Data source", "Source", "Source of data", "Data sources", "Data source(s)", "Source(s) of data"}},
	{Name: "collection_method", Headings: []string{"Collection method", "Method", "Data collection method", "Data collection"}},
	{Name: "frequency", Headings: []string{"Frequency", "Reporting frequency", "Collection frequency", "Frequency of collection", "Frequency of reporting", "Data collection frequency"}},
	{Name: "responsible", Headings: []string{"Responsible", "Responsibility", "Who", "Responsible person", "Responsible party", "Responsible person/unit", "Responsible unit", "Who is responsible"}},
	{Name: "means_of_verification", Headings: []string{"Means of verification", "MoV", "MoVs", "Verification", "Sources of verification", "Source of verification", "Means of verification (MoV)"}},
	{Name: "notes", Headings: []string{"Notes", "Note", "Comments", "Comment", "Remarks"}},
}

func (b *builder) buildIndicator(r record) {
	if !b.require(r, "the indicator", "code") {
		return
	}
	ind := indicators.Indicator{
		Code:                r.text("code"),
		Result:              r.text("result"),
		Name:                r.text("name"),
		Definition:          r.text("definition"),
		Disaggregations:     r.list("disaggregations"),
		Formula:             r.text("formula"),
		Numerator:           r.text("numerator"),
		Denominator:         r.text("denominator"),
		StatusRule:          r.text("status_rule"),
		DataSource:          r.text("data_source"),
		CollectionMethod:    r.text("collection_method"),
		Frequency:           r.text("frequency"),
		Responsible:         r.text("responsible"),
		MeansOfVerification: r.text("means_of_verification"),
		Notes:               r.text("notes"),
		Loc:                 b.loc(r),
	}
	// name and unit are required and unit, direction and aggregation must
	// be known words: Framework.Validate says so, naming the indicator.
	// Unknown words are kept as written for that message.
	unitOK := false
	if r.has("unit") {
		u, err := indicators.ParseUnit(r.text("unit"))
		if err != nil {
			u = indicators.Unit(r.text("unit"))
		} else {
			unitOK = true
		}
		ind.Unit = u
	}
	d, err := indicators.ParseDirection(r.text("direction"))
	if err != nil {
		d = indicators.Direction(r.text("direction"))
	}
	ind.Direction = d
	a, err := indicators.ParseAggregation(r.text("aggregation"))
	if err != nil {
		a = indicators.Aggregation(r.text("aggregation"))
	}
	ind.Aggregation = a
	mr, err := indicators.ParseMilestoneReading(r.text("milestones"))
	if err != nil {
		mr = indicators.MilestoneReading(r.text("milestones"))
	}
	ind.Milestones = mr
	ps, err := indicators.ParsePathShape(r.text("path"))
	if err != nil {
		ps = indicators.PathShape(r.text("path"))
	}
	ind.Path = ps
	if unitOK {
		ind.Baseline, ind.BaselineText, _ = b.amount(r, "baseline", ind.Unit)
		ind.Target, ind.TargetText, _ = b.amount(r, "target", ind.Unit)
	}
	if r.has("baseline_date") {
		if bd, ok := b.baselineDate(r); ok {
			ind.BaselineDate = &bd
		}
	}
	b.fw.Indicators = append(b.fw.Indicators, ind)
}

// baselineDate reads a baseline date: a date, or a year (2020, as number or
// text) or other period taken as its first day.
func (b *builder) baselineDate(r record) (time.Time, bool) {
	v := r.vals["baseline_date"]
	if v.Kind == CellNumber {
		if n, err := strconv.ParseFloat(v.Text(), 64); err == nil && n == float64(int(n)) && n >= indicators.MinYear && n <= indicators.MaxYear {
			return time.Date(int(n), 1, 1, 0, 0, 0, 0, time.UTC), true
		}
	}
	d, err := b.dateOrPeriod(r, "baseline_date", false)
	return d, err == nil
}

var milestoneFields = []Field{
	{Name: "indicator", Required: true, Headings: []string{"Indicator", "Indicator code", "Code", "Indicator ID", "ID"}},
	{Name: "period", Required: true, Headings: []string{"Period", "Due", "Due period", "Due by", "By", "Date", "Quarter", "Year", "Milestone period", "Reporting period"}},
	{Name: "target", Required: true, Headings: []string{"Target", "Milestone", "Milestone target", "Milestone value", "Value", "Target value"}},
	{Name: "disaggregation", Headings: []string{"Disaggregation", "Disaggregations", "Dims", "For"}},
}

func (b *builder) buildMilestone(r record) {
	m := indicators.Milestone{Indicator: r.text("indicator"), Loc: b.loc(r)}
	if !b.require(r, "the milestone", "indicator", "period", "target") {
		return
	}
	p, okP := b.period(r, "period")
	m.Period = p
	ok := okP
	unit := indicators.Number
	if ind, found := b.fw.Indicator(m.Indicator); found && ind.Unit != "" {
		unit = ind.Unit
	}
	if v, has := r.vals["target"]; has && NotAvailable(v.Cell) {
		b.errAt(r, "target", indicators.ErrInvalid, "milestone target %q, expected a number: delete the row of a milestone that has no target", v.Text())
		return
	}
	t, txt, okT := b.amount(r, "target", unit)
	ok = ok && okT
	if t != nil {
		m.Target = *t
	}
	m.TargetText = txt
	if v, has := r.vals["disaggregation"]; has && v.Map != nil {
		m.Dims = indicators.Disagg{}
		for k, x := range v.Map {
			m.Dims[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(x)
		}
	} else if r.has("disaggregation") {
		d, err := indicators.ParseDisagg(r.text("disaggregation"))
		if err != nil {
			b.wrapErr(r, "disaggregation", err)
			ok = false
		}
		m.Dims = d
	}
	if len(m.Dims) == 0 {
		m.Dims = nil
	}
	if ok {
		b.fw.Milestones = append(b.fw.Milestones, m)
	}
}

var dimensionFields = []Field{
	{Name: "dimension", Required: true, Headings: []string{"Dimension", "Name", "Disaggregation", "Category", "Dimension name"}},
	{Name: "value", Required: true, Headings: []string{"Value", "Values", "Option", "Options", "Category value"}},
}

// addDimensionValue adds one value (or several, ;-separated) to dimension
// name, creating it on first sight.
func (b *builder) addDimensionValue(r record) {
	if !b.require(r, "the dimension row", "dimension") {
		return
	}
	name := strings.ToLower(r.text("dimension"))
	vals := r.list("value")
	if len(vals) == 0 {
		b.errAt(r, "value", indicators.ErrRequired, "dimension %s row has no value", name)
		return
	}
	d, ok := b.fw.Dimension(name)
	if !ok {
		b.fw.Dimensions = append(b.fw.Dimensions, indicators.Dimension{Name: name, Loc: b.loc(r)})
		d = &b.fw.Dimensions[len(b.fw.Dimensions)-1]
	}
	for _, v := range vals {
		if containsFold(d.Values, v) {
			b.errAt(r, "value", indicators.ErrDuplicate, "dimension %s lists value %q twice", d.Name, v)
			continue
		}
		d.Values = append(d.Values, v)
	}
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

var ruleFields = []Field{
	{Name: "code", Required: true, Headings: []string{"Rule code", "Code", "Rule", "ID"}},
	{Name: "check", Required: true, Headings: []string{"Check", "Formula", "Condition", "Rule check", "Expression"}},
	{Name: "severity", Headings: []string{"Severity", "Level"}},
	{Name: "message", Headings: []string{"Message", "Description", "Explanation"}},
}

func (b *builder) buildRule(r record) {
	if !b.require(r, "the rule", "code", "check") {
		return
	}
	sev, err := indicators.ParseSeverity(r.text("severity"))
	if err != nil { // Framework.Validate names the rule and the value
		sev = indicators.Severity(r.text("severity"))
	}
	b.fw.Rules = append(b.fw.Rules, indicators.Rule{
		Code: r.text("code"), Check: r.text("check"), Severity: sev, Message: r.text("message"), Loc: b.loc(r),
	})
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
