package importers

// The measurement import (SPEC §3): the quarterly workbooks (.xlsx) and CSV
// files that partners fill in, in the long layout (one row per figure) or
// the wide layout (one column per period), streamed row by row.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/rmf-project/rmf/indicators"
)

// MeasurementOptions tune ImportMeasurements.
type MeasurementOptions struct {
	// DecimalComma reads numbers typed as text with a decimal comma and
	// spaces or points between thousands: "1 234,5", "1.234,5".
	DecimalComma bool
	// UnzipSizeLimit caps the uncompressed size of a workbook, so that a
	// zip bomb is refused; 0 means DefaultUnzipSizeLimit.
	UnzipSizeLimit int64
	// Source, when set, is the file at path opened once (OpenSource):
	// read through it rather than by opening path again.
	Source *Source
	// Progress, when not nil, is called with the number of data rows read
	// so far, every ProgressEvery rows and once at the end.
	Progress func(rows int)
	// Context, when not nil, stops the reading when it is done (Ctrl-C):
	// ImportMeasurements then returns its error (context.Canceled).
	Context context.Context
	// MaxProblems is how many problems are listed (0:
	// indicators.DefaultMaxProblems); beyond it one last problem says how
	// many more were found.
	MaxProblems int
	// Words name the options that messages advise as the caller's user
	// sets them (cmd/rmf: its flags); nil: in the library's words.
	Words OptionWords
}

// ProgressEvery is how often (in data rows) MeasurementOptions.Progress is called.
const ProgressEvery = 10000

// ErrUnsupportedFile is wrapped by the error returned for a file that is
// neither a workbook (.xlsx) nor a CSV file.
var ErrUnsupportedFile = errors.New("unsupported file type")

// ImportMeasurements reads every sheet of an .xlsx or .csv file that has an
// indicator column, validates every row against fw, and calls sink.Add for
// each valid figure. It returns indicators.Problems (each a
// *indicators.CellError: file, sheet, cell, value seen, expected) when any
// row is invalid; the caller then rolls the import back. rows is the number
// of data rows read (rows below a header row that are not wholly empty).
//
// Rows are streamed: memory holds one row at a time, whatever the size of
// the file. Duplicates within the file are left to the sink (the store
// detects them when the import finishes).
func ImportMeasurements(path string, fw *indicators.Framework, sink indicators.MeasurementSink, opt MeasurementOptions) (rows int, err error) {
	if fw == nil {
		return 0, &indicators.CellError{File: path, Err: errors.New("no framework: import the framework first")}
	}
	im := newMeasurementImporter(path, fw, sink, opt)
	switch kind, err := fileKindOf(path, opt.Source); {
	case err != nil:
		return 0, err
	case kind == "csv":
		f, err := openFile(path, opt.Source)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		rr, _ := newCSVRows(f)
		im.semicolon = rr.r.Comma == ';'
		if err := im.readSheetOrLayout("", rr); err != nil { // layout_figures.go
			return im.rows, err
		}
	default:
		b, err := openXLSXOf(path, opt.Source, opt.UnzipSizeLimit)
		if err != nil {
			return 0, indicators.Problems{&indicators.CellError{File: path, Err: err}}
		}
		defer b.Close()
		for _, sh := range b.sheets {
			rr, err := b.rows(sh)
			if err != nil {
				return im.rows, im.fatal(sh.Name, err)
			}
			im.date1904 = b.date1904
			err = im.readSheetOrLayout(sh.Name, rr) // layout_figures.go
			rr.Close()
			if err != nil {
				return im.rows, err
			}
		}
	}
	if opt.Progress != nil {
		opt.Progress(im.rows)
	}
	if im.sheets == 0 && im.probs.Len() == 0 && len(im.refSheets) > 0 {
		what := "no sheet has figures: sheet " + strings.Join(im.refSheets, ", ") + " lists indicators but has"
		if im.refSheets[0] == "" {
			what = "the file lists indicators but has no figures:"
		}
		im.probs.Add(&indicators.CellError{File: path, Err: fmt.Errorf(
			"%w: %s neither period and value columns (long layout) nor columns headed by periods such as 2021Q1 (wide layout)",
			indicators.ErrMissingColumn, what)})
	}
	if im.sheets == 0 && im.probs.Len() == 0 {
		im.probs.Add(&indicators.CellError{File: path, Err: fmt.Errorf(
			"%w: no sheet has a header row naming an indicator column within its first %d rows, expected a heading such as %s",
			indicators.ErrMissingColumn, MaxHeaderScan, headingList(fieldIndicator))})
	}
	return im.rows, im.probs.Problems(path).Err()
}

// fileKind decides from the name (and, for other names, the first bytes)
// whether path is a workbook ("xlsx") or a CSV file ("csv").
func fileKind(path string) (string, error) { return fileKindOf(path, nil) }

// fileKindOf is fileKind reading through src when it is not nil.
func fileKindOf(path string, src *Source) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".xltx", ".xltm":
		return "xlsx", nil
	case ".csv", ".tsv", ".txt":
		return "csv", nil
	case ".xml", ".yaml", ".yml":
		return "", &indicators.CellError{File: path, Err: fmt.Errorf("%w: a %s file holds a framework (or an IATI activity), expected an .xlsx workbook or a .csv file of figures; "+
			"read it with \"rmf framework import %s\"", ErrUnsupportedFile, strings.ToLower(filepath.Ext(path)), path)}
	case ".xls", ".ods":
		return "", &indicators.CellError{File: path, Err: fmt.Errorf("%w: expected an .xlsx workbook or a .csv file; save the file as .xlsx (Excel Workbook)", ErrUnsupportedFile)}
	}
	f, err := openFile(path, src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "xlsx", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "csv", nil // UTF-16 text
	case n > 0 && (bytes.IndexByte(head, 0) >= 0 || bytes.HasPrefix(head, cfbMagic) || bytes.HasPrefix(head, []byte("%PDF"))):
		what := strings.TrimPrefix(notWorkbook(head, int64(n)).Error(), indicators.ErrInvalid.Error()+": ")
		return "", &indicators.CellError{File: path, Err: fmt.Errorf("%w: %s", ErrUnsupportedFile,
			strings.Replace(what, "expected an .xlsx workbook", "expected an .xlsx workbook or a .csv file", 1))}
	}
	return "csv", nil
}

// rowSource is a sheet read row by row: Next returns the 1-based row
// number and the cells by 0-based column (the slice is reused), io.EOF at
// the end.
type rowSource interface {
	Next() (int, []Cell, error)
}

// The columns of a measurement sheet. Declared dimension names are
// columns too (matched at run time against the framework).
var (
	fieldIndicator = Field{Name: "indicator", Headings: []string{"indicator", "code", "indicator code", "indicator id", "indicator ref", "indicator no"}}
	measureFields  = []Field{
		fieldIndicator,
		{Name: "period", Headings: []string{"period", "quarter", "reporting period", "date", "reporting quarter", "reporting month", "month", "year"}},
		{Name: "start", Headings: []string{"start", "start date", "period start", "from"}},
		{Name: "end", Headings: []string{"end", "end date", "period end", "to"}},
		{Name: "value", Headings: []string{"value", "actual", "result", "achieved", "actual value", "achievement", "actuals"}},
		{Name: "numerator", Headings: []string{"numerator"}},
		{Name: "denominator", Headings: []string{"denominator"}},
		{Name: "comment", Headings: []string{"comment", "comments", "remarks", "remark", "notes", "note"}},
		{Name: "source", Headings: []string{"source", "data source", "sources"}},
		{Name: "verified", Headings: []string{"verified", "verification", "verification status", "verified?"}},
		{Name: "disaggregation", Headings: []string{"disaggregation", "disaggregations", "breakdown", "disaggregated by"}},
	}
)

// measurementImporter holds the state of one ImportMeasurements call.
type measurementImporter struct {
	file     string
	fw       *indicators.Framework
	sink     indicators.MeasurementSink
	opt      MeasurementOptions
	codes    map[string]*indicators.Indicator
	folded   map[string]string // lower-cased code -> code, for suggestions
	cal      indicators.Calendar
	project  indicators.Period
	date1904 bool
	// semicolon: a CSV file separated by semicolons, as Excel writes it where
	// the comma is the decimal separator: "1,234" there may mean 1.234.
	semicolon bool
	byNumber  map[float64][]string // numberCodes

	rows   int
	sheets int // sheets with an indicator column
	// refSheets list indicators without figures (skipped)
	refSheets []string
	probs     indicators.ProblemCap // capped at opt.MaxProblems

	periods map[string]periodResult
}

type periodResult struct {
	p   indicators.Period
	err error
}

func newMeasurementImporter(file string, fw *indicators.Framework, sink indicators.MeasurementSink, opt MeasurementOptions) *measurementImporter {
	im := &measurementImporter{file: file, fw: fw, sink: sink, opt: opt,
		codes: map[string]*indicators.Indicator{}, folded: map[string]string{},
		cal: fw.Project.Calendar(), periods: map[string]periodResult{},
		probs: indicators.ProblemCap{Max: opt.MaxProblems}}
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		im.codes[ind.Code] = ind
		im.folded[strings.ToLower(ind.Code)] = ind.Code
	}
	if !fw.Project.Start.IsZero() && !fw.Project.End.IsZero() {
		im.project = fw.Project.Period()
	}
	return im
}

func (im *measurementImporter) problem(e *indicators.CellError) {
	im.probs.Add(e)
}

// fatal wraps an error that stops the reading of the file.
func (im *measurementImporter) fatal(sheet string, err error) error {
	var ce *indicators.CellError
	if errors.As(err, &ce) {
		if ce.File == "" {
			ce.File = im.file
		}
		if ce.Sheet == "" {
			ce.Sheet = sheet
		}
		im.probs.Add(ce)
		return im.probs.Problems(im.file)
	}
	im.probs.Add(&indicators.CellError{File: im.file, Sheet: sheet, Err: err})
	return im.probs.Problems(im.file)
}

// sheetLayout is what the header row of a sheet says.
type sheetLayout struct {
	sheet  string
	row    int // the header row
	cols   map[string]int
	dims   []dimColumn
	wide   []wideColumn
	isWide bool
	// reference: the sheet lists indicators (code, name, definition) and
	// has no figures; it is skipped.
	reference bool
}

// descriptiveHeadings are the columns of a list of indicators.
var descriptiveHeadings = map[string]bool{}

func init() {
	for _, h := range []string{"name", "indicator name", "indicator", "title", "definition", "description", "unit", "unit of measure",
		"result", "result code", "level", "baseline", "target", "end target", "notes", "note", "data source", "source", "frequency",
		"responsible", "means of verification", "collection method", "disaggregation", "disaggregations", "direction", "type"} {
		descriptiveHeadings[indicators.Norm(h)] = true
	}
}

// referenceSheet is true when the headings found beside the indicator
// column only describe indicators.
func referenceSheet(found []string) bool {
	if len(found) == 0 {
		return false
	}
	for _, h := range found {
		if !descriptiveHeadings[indicators.Norm(h)] {
			return false
		}
	}
	return true
}

type dimColumn struct {
	col  int
	name string // as declared
}

type wideColumn struct {
	col    int
	period indicators.Period
	ok     bool // the period lies within the project
}

func (l *sheetLayout) col(field string) (int, bool) {
	c, ok := l.cols[field]
	return c, ok
}

func cellAt(cells []Cell, col int) Cell {
	if col >= 0 && col < len(cells) {
		return cells[col]
	}
	return Cell{}
}

// rowEmpty is true when every cell of a row is empty.
func rowEmpty(cells []Cell) bool {
	for _, c := range cells {
		if !c.Empty() {
			return false
		}
	}
	return true
}

// readSheet reads one sheet (or the CSV file, with sheet ""): finds its
// header row, then reads its data rows. Sheets without an indicator column
// in their first MaxHeaderScan rows are ignored. It returns an error only
// when the file cannot be read further.
func (im *measurementImporter) readSheet(sheet string, rr rowSource) error {
	var lay *sheetLayout
	for n := 0; ; n++ {
		if n%1024 == 0 && im.opt.Context != nil {
			if err := im.opt.Context.Err(); err != nil {
				return err
			}
		}
		row, cells, err := rr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return im.fatal(sheet, err)
		}
		if lay == nil {
			if row > MaxHeaderScan {
				return nil // not a measurement sheet
			}
			if lay = im.header(sheet, row, cells); lay == nil {
				continue
			}
			if lay.reference {
				im.refSheets = append(im.refSheets, sheet)
				return nil
			}
			im.sheets++
			if lay.cols == nil { // a header problem was reported
				return nil
			}
			continue
		}
		if rowEmpty(cells) {
			continue
		}
		if im.longCells(sheet, row, cells) {
			im.rows++
			continue
		}
		im.rows++
		if im.opt.Progress != nil && im.rows%ProgressEvery == 0 {
			im.opt.Progress(im.rows)
		}
		if err := im.dataRow(lay, row, cells); err != nil {
			return err
		}
	}
}

// longCells reports (as problems) the cells of a data row whose text is
// longer than an Excel cell holds: rmf does not cut text, and such a
// figure could not be exported again whole. It is true when there is one.
func (im *measurementImporter) longCells(sheet string, row int, cells []Cell) bool {
	found := false
	for j, c := range cells {
		if n, long := indicators.TooLongForCell(c.Raw); long {
			im.problem(&indicators.CellError{File: im.file, Sheet: sheet, Row: row, Cell: cellRef(j, row), Err: fmt.Errorf(
				"%w: a text of %d characters, longer than Excel's limit of %d characters per cell; shorten it (rmf does not cut text)",
				indicators.ErrOutOfRange, n, indicators.MaxCellChars)})
			found = true
		}
	}
	return found
}

// header recognises a header row: a row with a cell naming the indicator
// column. It returns nil when the row is not one, and a layout with nil
// cols when it is one but has a problem (reported).
func (im *measurementImporter) header(sheet string, row int, cells []Cell) *sheetLayout {
	indCol := indicatorColumn(cells)
	if indCol < 0 {
		return nil
	}
	lay := &sheetLayout{sheet: sheet, row: row, cols: map[string]int{"indicator": indCol}}
	var found []string
	for j, c := range cells {
		if c.Empty() || j == indCol {
			continue
		}
		found = append(found, strings.TrimSpace(c.Raw))
		if c.Kind == CellText {
			if name, ok := matchField(c.Raw); ok {
				if _, dup := lay.cols[name]; !dup {
					lay.cols[name] = j
				}
				continue
			}
			if dim, ok := im.fw.Dimension(strings.TrimSpace(c.Raw)); ok {
				lay.dims = append(lay.dims, dimColumn{col: j, name: dim.Name})
				continue
			}
			if dim, ok := im.dimensionByNorm(c.Raw); ok {
				lay.dims = append(lay.dims, dimColumn{col: j, name: dim.Name})
				continue
			}
		}
		// Any other heading may be a period (wide layout).
		if p, err := im.cellPeriod(c); err == nil {
			lay.wide = append(lay.wide, wideColumn{col: j, period: p, ok: im.within(p)})
		}
	}
	_, hasPeriod := lay.col("period")
	_, hasStart := lay.col("start")
	_, hasEnd := lay.col("end")
	_, hasValue := lay.col("value")
	_, hasNum := lay.col("numerator")
	_, hasDen := lay.col("denominator")
	switch {
	case (hasPeriod || hasStart || hasEnd) && (hasValue || hasNum || hasDen):
		if !hasPeriod && !(hasStart && hasEnd) {
			missing := "end"
			if !hasStart {
				missing = "start"
			}
			im.problem(im.errAt(sheet, row, -1, missing, indicators.ErrMissingColumn,
				"the header row has a start or end column but no %s column (found: %s), expected either a period column or both start and end",
				missing, strings.Join(found, ", ")))
			lay.cols = nil
		}
	case len(lay.wide) > 0:
		lay.isWide = true
		seen := map[string]int{}
		for _, wc := range lay.wide {
			key := wc.period.String()
			if prev, dup := seen[key]; dup {
				im.problem(im.errAt(sheet, row, wc.col, "period", indicators.ErrDuplicate,
					"period heading %s is %s, like the heading of column %s, expected one column per period", im.shown(cellAt(cells, wc.col)), key, cellRef(prev, row)))
				lay.cols = nil
				continue
			}
			seen[key] = wc.col
		}
		for _, wc := range lay.wide {
			if !wc.ok {
				c := cellAt(cells, wc.col)
				im.problem(im.errAt(sheet, row, wc.col, "period", indicators.ErrOutOfRange,
					"period heading %s (%s) lies outside the project, expected a period within %s", im.shown(c), wc.period, im.project))
			}
		}
	case referenceSheet(found):
		// A list of indicators (code, name, definition...), not figures.
		lay.cols, lay.reference = nil, true
	default:
		im.problem(im.errAt(sheet, row, -1, "", indicators.ErrMissingColumn,
			"the header row names an indicator column but neither period and value columns (long layout) nor columns headed by periods such as 2021Q1 (wide layout); found: %s",
			strings.Join(found, ", ")))
		lay.cols = nil
	}
	return lay
}

// indicatorColumn is the column of cells whose heading names the
// indicator: the first exact heading, else the first with a note
// ("Indicator code *"); -1 when there is none.
func indicatorColumn(cells []Cell) int {
	for _, match := range []func(string) bool{fieldIndicator.Matches, fieldIndicator.MatchesNoted} {
		for j, c := range cells {
			if c.Kind == CellText && match(c.Raw) {
				return j
			}
		}
	}
	return -1
}

func matchField(heading string) (string, bool) {
	for _, f := range measureFields {
		if f.Matches(heading) {
			return f.Name, true
		}
	}
	for _, f := range measureFields {
		if f.MatchesNoted(heading) {
			return f.Name, true
		}
	}
	return "", false
}

func (im *measurementImporter) dimensionByNorm(heading string) (*indicators.Dimension, bool) {
	h := indicators.Norm(heading)
	for i := range im.fw.Dimensions {
		if indicators.Norm(im.fw.Dimensions[i].Name) == h {
			return &im.fw.Dimensions[i], true
		}
	}
	return nil, false
}

// within is true when p lies within the project (always when the project
// has no dates).
func (im *measurementImporter) within(p indicators.Period) bool {
	if im.project.IsZero() {
		return true
	}
	return im.project.Contains(p)
}

// errAt builds a problem at the 0-based column col (-1: the whole row) of
// row; field names the column in the message.
func (im *measurementImporter) errAt(sheet string, row, col int, field string, sentinel error, format string, args ...any) *indicators.CellError {
	ref := ""
	if col >= 0 {
		ref = cellRef(col, row)
	}
	return &indicators.CellError{File: im.file, Sheet: sheet, Row: row, Cell: ref, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// cellPeriod reads a period from a cell: a date cell is its day; text and
// numbers are read by the project calendar's ParsePeriod (2021Q3, Q3 2021,
// Jul 2021, 2021, 2021-07-15, PY2, ...).
func (im *measurementImporter) cellPeriod(c Cell) (indicators.Period, error) {
	switch c.Kind {
	case CellEmpty:
		return indicators.Period{}, fmt.Errorf("empty")
	case CellDate:
		t, err := c.Date(im.date1904)
		if err != nil {
			return indicators.Period{}, err
		}
		return indicators.Day(t), nil
	}
	s := strings.TrimSpace(c.Raw)
	if r, ok := im.periods[s]; ok {
		return r.p, r.err
	}
	p, err := im.cal.ParsePeriod(s)
	if err == nil {
		p = indicators.Normalize(p)
	}
	if len(im.periods) < 10000 {
		im.periods[s] = periodResult{p, err}
	}
	return p, err
}

// rowCtx is one data row being read.
type rowCtx struct {
	lay   *sheetLayout
	row   int
	cells []Cell
	bad   bool
}

func (im *measurementImporter) fail(rc *rowCtx, col int, field string, sentinel error, format string, args ...any) {
	rc.bad = true
	im.problem(im.errAt(rc.lay.sheet, rc.row, col, field, sentinel, format, args...))
}

// shown is how a cell's value is quoted in messages, a date cell read in
// the 1900 date system (the measurement reader uses im.shown, which knows
// the workbook's).
func shown(c Cell) string { return shownIn(c, false) }

// shown is shown(c) in the date system of the workbook being read.
func (im *measurementImporter) shown(c Cell) string { return shownIn(c, im.date1904) }

// shownIn is shown for a cell of a workbook that counts dates from 1904
// when date1904.
func shownIn(c Cell, date1904 bool) string {
	s := strings.TrimSpace(c.Raw)
	switch c.Kind {
	case CellPercent:
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return fmt.Sprintf("%q (%s%%)", s, strconv.FormatFloat(Round15(v*100), 'f', -1, 64))
		}
	case CellDate:
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			if t, err := indicators.DateFromExcelSerial(v, date1904); err == nil {
				return fmt.Sprintf("%q (the date %s)", s, t.Format("2006-01-02"))
			}
		}
	}
	return strconv.Quote(s)
}

// dataRow reads one data row of a sheet.
func (im *measurementImporter) dataRow(lay *sheetLayout, row int, cells []Cell) error {
	rc := &rowCtx{lay: lay, row: row, cells: cells}
	if im.uncomputed(rc) {
		return nil
	}
	indCol := lay.cols["indicator"]
	codeCell := cellAt(cells, indCol)
	code := strings.TrimSpace(codeCell.Raw)
	if codeCell.Kind == CellNumber || codeCell.Kind == CellPercent {
		// A code such as 1.1 typed as a number: keep it as written. Excel
		// drops trailing zeros (1.10 becomes 1.1): a number that matches one
		// code of the framework is that code; one that matches several is
		// ambiguous.
		if v, err := strconv.ParseFloat(code, 64); err == nil {
			v = Round15(v)
			code = strconv.FormatFloat(v, 'f', -1, 64)
			switch cands := im.numberCodes()[v]; {
			case len(cands) == 1:
				code = cands[0]
			case len(cands) > 1:
				if im.rowHasData(lay, cells) {
					im.fail(rc, indCol, "indicator", indicators.ErrInvalid,
						"the cell holds the number %s, which may be the code %s (Excel drops trailing zeros: 1.10 becomes 1.1), expected the code as text: format the column as Text and type the code again",
						code, strings.Join(cands, " or "))
				}
				return nil
			}
		}
	}
	hasData := im.rowHasData(lay, cells)
	if code == "" {
		if hasData {
			im.fail(rc, indCol, "indicator", indicators.ErrRequired,
				"no indicator code on a row with figures, expected one of the framework's indicator codes")
		}
		return nil
	}
	ind, ok := im.codes[code]
	if !ok && codeCell.Kind == CellText {
		// "3.3.2 NGOs funded", "3.3.2 - NGOs funded": a code and its name
		// in one cell, as dropdown lists give them.
		if i := strings.IndexFunc(code, unicode.IsSpace); i > 0 && strings.TrimSpace(code[i:]) != "" {
			ind, ok = im.codes[strings.TrimRight(code[:i], ":")]
		}
	}
	if !ok {
		if !hasData {
			return nil // a heading or note row of the sheet, not a figure
		}
		hint := ""
		if c, ok := im.folded[strings.ToLower(code)]; ok {
			hint = fmt.Sprintf(" (did you mean %s? codes are case-sensitive)", c)
		}
		switch indicators.Norm(strings.TrimRight(code, ":")) {
		case "total", "totals", "subtotal", "grandtotal", "sum", "overall":
			hint = " (a total row: rmf adds up the figures itself, or give the total on a row with the indicator's code and no disaggregation; delete this row)"
		}
		im.fail(rc, indCol, "indicator", indicators.ErrUnknownCode,
			"indicator %q is not in the framework%s, expected one of the framework's indicator codes", code, hint)
		return nil
	}
	if !hasData {
		return nil
	}
	dims := im.rowDims(rc, ind)
	base := indicators.Measurement{Indicator: ind.Code, Dims: dims}
	base.Comment = strings.TrimSpace(im.text(lay, cells, "comment"))
	base.Source = strings.TrimSpace(im.text(lay, cells, "source"))
	if col, ok := lay.col("verified"); ok {
		c := cellAt(cells, col)
		if !c.Empty() {
			v, err := parseVerified(c)
			if err != nil {
				im.fail(rc, col, "verified", indicators.ErrInvalid, "verified %s, expected yes, no or unverifiable", im.shown(c))
			}
			base.Verified = v
		}
	}
	if lay.isWide {
		for _, wc := range lay.wide {
			c := cellAt(cells, wc.col)
			if noData(c) || !wc.ok {
				continue
			}
			m := base
			m.Period = wc.period
			if !im.value(rc, ind, wc.col, c, &m) {
				continue
			}
			if err := im.add(rc, wc.col, m); err != nil {
				return err
			}
		}
		return nil
	}
	m := base
	p, pcol, ok := im.rowPeriod(rc)
	if !ok {
		return nil
	}
	m.Period = p
	valCol, hasVal := lay.col("value")
	if hasVal {
		if c := cellAt(cells, valCol); !noData(c) {
			im.value(rc, ind, valCol, c, &m)
		}
	}
	im.numDen(rc, ind, &m)
	if rc.bad || (m.Value == nil && m.Text == "" && m.Numerator == nil && m.Denominator == nil) {
		return nil
	}
	if !hasVal {
		valCol = pcol
	}
	return im.add(rc, valCol, m)
}

// numberCodes maps the value of every indicator code that reads as a
// number ("1.1", "1.10") to those codes, built on first use.
func (im *measurementImporter) numberCodes() map[float64][]string {
	if im.byNumber == nil {
		im.byNumber = map[float64][]string{}
		for _, ind := range im.fw.Indicators {
			if v, err := strconv.ParseFloat(ind.Code, 64); err == nil && allDigitsDot(ind.Code) {
				im.byNumber[Round15(v)] = append(im.byNumber[Round15(v)], ind.Code)
			}
		}
		for _, cs := range im.byNumber {
			sort.Strings(cs)
		}
	}
	return im.byNumber
}

// allDigitsDot is true for codes of digits and at most one point.
func allDigitsDot(s string) bool {
	return s != "" && strings.Count(s, ".") <= 1 && allDigits(strings.Replace(s, ".", "", 1))
}

// monthFirstHint explains a date written month first (7/15/2021): dates
// in text are read day first.
func monthFirstHint(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) == 3 && len(parts[2]) == 4 {
		m, err1 := strconv.Atoi(parts[0])
		d, err2 := strconv.Atoi(parts[1])
		if err1 == nil && err2 == nil && m >= 1 && m <= 12 && d > 12 && d <= 31 {
			return fmt.Sprintf(" (dates in text are read day first: write %02d/%02d/%s or %s-%02d-%02d)", d, m, parts[2], parts[2], m, d)
		}
	}
	return ""
}

// noData is true for a value cell that holds no figure: empty, or N/A
// and its spellings (NotAvailable).
func noData(c Cell) bool { return c.Empty() || NotAvailable(c) }

// uncomputed reports every cell of a column the importer reads that holds
// a formula without a saved value, and is true when there is one.
func (im *measurementImporter) uncomputed(rc *rowCtx) bool {
	found := false
	for _, c := range rc.cells {
		found = found || c.Kind == CellUncomputed
	}
	if !found {
		return false
	}
	names := map[int]string{}
	for f, col := range rc.lay.cols {
		names[col] = f
	}
	for _, d := range rc.lay.dims {
		names[d.col] = d.name
	}
	for _, w := range rc.lay.wide {
		names[w.col] = "value"
	}
	for j, c := range rc.cells {
		if c.Kind != CellUncomputed {
			continue
		}
		if f, ok := names[j]; ok {
			im.fail(rc, j, f, indicators.ErrInvalid, "%s", trimSentinel(c.UncomputedError(), indicators.ErrInvalid))
		}
	}
	return rc.bad
}

// rowHasData is true when the row has anything in a value column (value,
// numerator, denominator, or a period column of the wide layout).
func (im *measurementImporter) rowHasData(lay *sheetLayout, cells []Cell) bool {
	if lay.isWide {
		for _, wc := range lay.wide {
			if !noData(cellAt(cells, wc.col)) {
				return true
			}
		}
		return false
	}
	for _, f := range []string{"value", "numerator", "denominator"} {
		if col, ok := lay.col(f); ok && !noData(cellAt(cells, col)) {
			return true
		}
	}
	return false
}

func (im *measurementImporter) text(lay *sheetLayout, cells []Cell, field string) string {
	if col, ok := lay.col(field); ok {
		return cellAt(cells, col).Raw
	}
	return ""
}

// add stages a figure, with where it came from.
func (im *measurementImporter) add(rc *rowCtx, col int, m indicators.Measurement) error {
	if rc.bad {
		return nil
	}
	m.Loc = indicators.Loc{File: im.file, Sheet: rc.lay.sheet, Row: rc.row,
		Cells: map[string]string{"value": cellRef(col, rc.row), "indicator": cellRef(rc.lay.cols["indicator"], rc.row)}}
	if err := im.sink.Add(m); err != nil {
		var ce *indicators.CellError
		var ps indicators.Problems
		switch {
		case errors.As(err, &ps):
			for _, e := range ps {
				if errors.As(e, &ce) {
					im.problem(ce)
				} else {
					im.problem(&indicators.CellError{File: im.file, Sheet: rc.lay.sheet, Row: rc.row, Err: e})
				}
			}
		case errors.As(err, &ce):
			im.problem(ce)
		default:
			return &indicators.CellError{File: im.file, Sheet: rc.lay.sheet, Row: rc.row, Err: fmt.Errorf("storing the figure: %w", err)}
		}
	}
	return nil
}

// rowPeriod reads the period of a long-layout row: the period column, or
// the start and end columns.
func (im *measurementImporter) rowPeriod(rc *rowCtx) (indicators.Period, int, bool) {
	lay := rc.lay
	if col, ok := lay.col("period"); ok {
		c := cellAt(rc.cells, col)
		if c.Empty() {
			im.fail(rc, col, "period", indicators.ErrRequired, "no period, expected a period such as 2021Q3, Q3 2021, Jul 2021 or a date")
			return indicators.Period{}, col, false
		}
		p, err := im.cellPeriod(c)
		if err != nil && errors.Is(err, indicators.ErrOutOfRange) {
			im.fail(rc, col, "period", indicators.ErrOutOfRange, "period %s is outside the years rmf accepts (%d to %d), expected a period within the project %s",
				im.shown(c), indicators.MinYear, indicators.MaxYear, im.project)
			return indicators.Period{}, col, false
		}
		if err != nil {
			im.fail(rc, col, "period", indicators.ErrInvalid, "period %s cannot be read, expected a period such as 2021Q3, Q3 2021, 2021-07, 2021 or a date%s", im.shown(c), monthFirstHint(c.Text()))
			return indicators.Period{}, col, false
		}
		if !im.within(p) {
			seen := im.shown(c)
			if c.Kind != CellDate {
				seen += " (" + p.String() + ")"
			}
			im.fail(rc, col, "period", indicators.ErrOutOfRange, "period %s lies outside the project, expected a period within %s", seen, im.project)
			return indicators.Period{}, col, false
		}
		return p, col, true
	}
	sc, ec := lay.cols["start"], lay.cols["end"]
	var ends [2]indicators.Period
	for i, col := range []int{sc, ec} {
		field := [2]string{"start", "end"}[i]
		c := cellAt(rc.cells, col)
		if c.Empty() {
			im.fail(rc, col, field, indicators.ErrRequired, "no %s date, expected a date such as 2021-07-01", field)
			return indicators.Period{}, sc, false
		}
		p, err := im.cellPeriod(c)
		if err != nil && errors.Is(err, indicators.ErrOutOfRange) {
			im.fail(rc, col, field, indicators.ErrOutOfRange, "%s date %s is outside the years rmf accepts (%d to %d), expected a date within the project %s",
				field, im.shown(c), indicators.MinYear, indicators.MaxYear, im.project)
			return indicators.Period{}, sc, false
		}
		if err != nil {
			im.fail(rc, col, field, indicators.ErrInvalid, "%s date %s cannot be read, expected a date such as 2021-07-01", field, im.shown(c))
			return indicators.Period{}, sc, false
		}
		ends[i] = p
	}
	if ends[1].End.Before(ends[0].Start) {
		im.fail(rc, ec, "end", indicators.ErrInvalid, "end %s is before start %s, expected an end on or after the start", ends[1], ends[0])
		return indicators.Period{}, sc, false
	}
	p := indicators.Normalize(indicators.Range(ends[0].Start, ends[1].End))
	if !im.within(p) {
		im.fail(rc, sc, "start", indicators.ErrOutOfRange, "period %s lies outside the project, expected a period within %s", p, im.project)
		return indicators.Period{}, sc, false
	}
	return p, sc, true
}

// rowDims reads the disaggregation of a row from the dimension columns and
// the disaggregation column, checked against the framework.
func (im *measurementImporter) rowDims(rc *rowCtx, ind *indicators.Indicator) indicators.Disagg {
	var d indicators.Disagg
	for _, dc := range rc.lay.dims {
		c := cellAt(rc.cells, dc.col)
		v := strings.TrimSpace(c.Raw)
		if c.Empty() || strings.EqualFold(v, "total") || strings.EqualFold(v, "all") {
			continue
		}
		if c.Kind == CellNumber {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				v = strconv.FormatFloat(Round15(f), 'f', -1, 64)
			}
		}
		got, err := im.fw.CheckDisagg(ind, indicators.Disagg{dc.name: v})
		if err != nil {
			im.fail(rc, dc.col, dc.name, indicators.ErrDimension, "%s %s: %v", dc.name, im.shown(c), trimSentinel(err, indicators.ErrDimension))
			continue
		}
		if d == nil {
			d = indicators.Disagg{}
		}
		d[dc.name] = got[dc.name]
	}
	if col, ok := rc.lay.col("disaggregation"); ok {
		c := cellAt(rc.cells, col)
		if !c.Empty() {
			pd, err := indicators.ParseDisagg(c.Raw)
			if err != nil {
				im.fail(rc, col, "disaggregation", indicators.ErrInvalid, "disaggregation %s, expected dimension=value pairs such as sex=female; location=Darkhan", im.shown(c))
				return d
			}
			got, err := im.fw.CheckDisagg(ind, pd)
			if err != nil {
				im.fail(rc, col, "disaggregation", indicators.ErrDimension, "disaggregation %s: %v", im.shown(c), trimSentinel(err, indicators.ErrDimension))
				return d
			}
			for k, v := range got {
				if old, dup := d[k]; dup && old != v {
					im.fail(rc, col, "disaggregation", indicators.ErrInvalid,
						"disaggregation %s says %s=%s but the %s column says %s, expected one value per dimension", im.shown(c), k, v, k, old)
					continue
				}
				if d == nil {
					d = indicators.Disagg{}
				}
				d[k] = v
			}
		}
	}
	return d
}

// trimSentinel drops the sentinel's text from the front of err's message.
func trimSentinel(err, sentinel error) string {
	return strings.TrimPrefix(err.Error(), sentinel.Error()+": ")
}

// numberDetail is the parenthesised detail of a number that did not parse,
// or "" when it only repeats what the message already says.
func numberDetail(err error) string {
	d := trimSentinel(err, ErrNumber)
	if strings.Contains(d, "expected a number such as") {
		return ""
	}
	return " (" + d + ")"
}

// value reads the value cell c (at 0-based column col) into m for
// indicator ind, and reports what is wrong with it. It returns false on a
// problem.
func (im *measurementImporter) value(rc *rowCtx, ind *indicators.Indicator, col int, c Cell, m *indicators.Measurement) bool {
	bad := func(sentinel error, format string, args ...any) bool {
		im.fail(rc, col, "value", sentinel, format, args...)
		return false
	}
	if ind.Computed() {
		return bad(indicators.ErrInvalid, "indicator %s was given the value %s, expected no value: it is computed from its formula %s",
			ind.Code, im.shown(c), ind.Formula)
	}
	switch ind.Unit {
	case indicators.Text:
		m.Text = strings.TrimSpace(c.Raw)
		return true
	case indicators.YesNo:
		var v float64
		var err error
		switch c.Kind {
		case CellBool:
			v, _, err = c.Number()
		default:
			v, err = ParseYesNo(c.Raw)
		}
		if err != nil {
			return bad(indicators.ErrInvalid, "%s is a yes/no indicator and the value is %s, expected yes or no", ind.Code, im.shown(c))
		}
		m.Value = &v
		return true
	}
	if c.Kind == CellText && IsDash(c.Raw) {
		return bad(indicators.ErrInvalid, "%s is a %s indicator and the value is %s, expected %s (%s)", ind.Code, unitName(ind.Unit), im.shown(c), expectedFor(ind.Unit), DashHelp)
	}
	v, pct, err := im.number(c)
	if err != nil {
		return bad(indicators.ErrInvalid, "%s is a %s indicator and the value is %s, expected %s%s", ind.Code, unitName(ind.Unit), im.shown(c), expectedFor(ind.Unit), numberDetail(err))
	}
	if indicators.CheckValue(v) != nil {
		return bad(indicators.ErrOutOfRange, "%s: the value %s is beyond the largest number rmf accepts, expected at most 1e15 (a million billion) in size", ind.Code, im.shown(c))
	}
	switch ind.Unit {
	case indicators.Percent:
		if pct && c.Kind == CellPercent {
			v = Round15(v * 100)
		}
		if v < 0 || v > 100 {
			return bad(indicators.ErrOutOfRange, "%s is a percentage and the value is %s, expected a percentage from 0 to 100",
				ind.Code, im.shown(c))
		}
	case indicators.Number:
		if pct {
			return bad(indicators.ErrInvalid, "%s counts a number and the value is the percentage %s, expected a number such as 1250", ind.Code, im.shown(c))
		}
		if v < 0 {
			return bad(indicators.ErrOutOfRange, "%s counts a number and the value is %s, expected zero or more", ind.Code, im.shown(c))
		}
	case indicators.Ratio:
		if pct && c.Kind != CellPercent {
			v = Round15(v / 100)
		}
	case indicators.Currency:
		if pct {
			return bad(indicators.ErrInvalid, "%s is an amount of money and the value is the percentage %s, expected an amount such as 12500", ind.Code, im.shown(c))
		}
	}
	m.Value = &v
	return true
}

func unitName(u indicators.Unit) string {
	if u == "" {
		return "number"
	}
	return string(u)
}

func expectedFor(u indicators.Unit) string {
	switch u {
	case indicators.Percent:
		return "a percentage such as 75, 75% or a cell formatted as a percentage"
	case indicators.Ratio:
		return "a ratio such as 0.75"
	case indicators.Currency:
		return "an amount such as 12500 or 12,500.50"
	}
	return "a number such as 1250, 1,250 or 12.5"
}

// number reads c as a number: a number cell, or text as people type it
// (ParseNumber, or with a decimal comma when the options say so).
func (im *measurementImporter) number(c Cell) (float64, bool, error) {
	if c.Kind == CellText && im.opt.DecimalComma {
		return parseDecimalComma(c.Raw)
	}
	if c.Kind == CellDate {
		return 0, false, fmt.Errorf("%w: %s is a date", ErrNumber, im.shown(c))
	}
	if im.semicolon && c.Kind == CellText && strings.Contains(c.Raw, ",") {
		if _, _, err := ParseNumber(c.Raw); err == nil {
			return 0, false, fmt.Errorf("%w: %s is ambiguous in a file separated by semicolons, where the comma is usually the decimal separator "+
				"(1,234 may be 1.234 or 1234); import it with %s if commas are decimals, or write the number without thousands separators", ErrNumber, im.shown(c), im.opt.Words.Say(OptDecimalComma, ""))
		}
	}
	v, pct, err := c.Number()
	if err != nil && c.Kind == CellText && looksDecimalComma(c.Raw) {
		err = fmt.Errorf("%w; if the file writes decimals with a comma (1 234,5), import it with %s", err, im.opt.Words.Say(OptDecimalComma, ""))
	}
	return v, pct, err
}

// looksDecimalComma is true for text such as "1 234,5" or "12,5".
func looksDecimalComma(s string) bool {
	_, _, err := parseDecimalComma(s)
	return err == nil && strings.Contains(s, ",")
}

// parseDecimalComma reads a number written with a decimal comma: "12,5",
// "1 234,5", "1.234,5", "1234", "75 %". Thousands may be separated by
// spaces (also no-break spaces) or points, in groups of three.
func parseDecimalComma(s string) (float64, bool, error) {
	t := strings.TrimSpace(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s))
	pct := false
	if strings.HasSuffix(t, "%") {
		pct, t = true, strings.TrimSpace(strings.TrimSuffix(t, "%"))
	}
	bad := fmt.Errorf("%w: %q, expected a number with a decimal comma such as 1234,5 or 1 234,5", ErrNumber, s)
	if t == "" || strings.Count(t, ",") > 1 {
		return 0, false, bad
	}
	intPart, frac, _ := strings.Cut(t, ",")
	sign := ""
	if strings.HasPrefix(intPart, "-") || strings.HasPrefix(intPart, "+") {
		sign, intPart = intPart[:1], intPart[1:]
	}
	groups := strings.FieldsFunc(intPart, func(r rune) bool { return r == ' ' || r == '.' })
	if len(groups) == 0 || strings.HasPrefix(intPart, " ") || strings.HasPrefix(intPart, ".") {
		return 0, false, bad
	}
	if len(groups) > 1 {
		// Separators must come between groups of three digits, one at a time.
		if strings.Contains(intPart, "  ") || strings.Contains(intPart, "..") || (strings.Contains(intPart, " ") && strings.Contains(intPart, ".")) {
			return 0, false, bad
		}
		if len(groups[0]) > 3 {
			return 0, false, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false, bad
			}
		}
	}
	digits := strings.Join(groups, "")
	if !allDigits(digits) || (frac != "" && !allDigits(frac)) || (frac == "" && strings.HasSuffix(t, ",")) {
		return 0, false, bad
	}
	num := sign + digits
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false, bad
	}
	return v, pct, nil
}

// numDen reads the numerator and denominator columns of a long-layout row.
func (im *measurementImporter) numDen(rc *rowCtx, ind *indicators.Indicator, m *indicators.Measurement) {
	var cols [2]int
	for i, field := range []string{"numerator", "denominator"} {
		col, ok := rc.lay.col(field)
		if !ok {
			continue
		}
		cols[i] = col
		c := cellAt(rc.cells, col)
		if noData(c) {
			continue
		}
		if ind.Computed() {
			im.fail(rc, col, field, indicators.ErrInvalid, "indicator %s was given the %s %s, expected none: it is computed from its formula %s",
				ind.Code, field, im.shown(c), ind.Formula)
			continue
		}
		v, pct, err := im.number(c)
		if err == nil && pct {
			err = fmt.Errorf("it is a percentage")
		}
		if err != nil {
			im.fail(rc, col, field, indicators.ErrInvalid, "%s %s, expected a count such as 120%s", field, im.shown(c), numberDetail(err))
			continue
		}
		if v < 0 {
			im.fail(rc, col, field, indicators.ErrOutOfRange, "%s %s, expected zero or more", field, im.shown(c))
			continue
		}
		if indicators.CheckValue(v) != nil {
			im.fail(rc, col, field, indicators.ErrOutOfRange, "%s %s is beyond the largest number rmf accepts, expected at most 1e15 (a million billion)", field, im.shown(c))
			continue
		}
		if i == 0 {
			m.Numerator = &v
		} else {
			m.Denominator = &v
		}
	}
	if m.Numerator != nil && m.Denominator != nil && *m.Numerator > *m.Denominator {
		im.fail(rc, cols[0], "numerator", indicators.ErrOutOfRange, "numerator %s is above its denominator %s (cell %s), expected a numerator no larger than the denominator",
			fmtNum(*m.Numerator), fmtNum(*m.Denominator), cellRef(cols[1], rc.row))
	}
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// parseVerified reads yes, no or unverifiable (and common spellings).
func parseVerified(c Cell) (indicators.Verified, error) {
	if c.Kind == CellBool {
		if strings.TrimSpace(c.Raw) == "1" {
			return indicators.VerifiedYes, nil
		}
		return indicators.VerifiedNo, nil
	}
	switch indicators.Norm(c.Raw) {
	case "yes", "y", "true", "verified", "1", "checked":
		return indicators.VerifiedYes, nil
	case "no", "n", "false", "notverified", "unverified", "0", "notyet", "pending":
		return indicators.VerifiedNo, nil
	case "unverifiable", "cannotbeverified", "notverifiable", "cantverify", "cannotverify":
		return indicators.Unverifiable, nil
	}
	return "", fmt.Errorf("%w: verified %q", indicators.ErrInvalid, c.Raw)
}
