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
	"path/filepath"
	"strconv"
	"strings"

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
			// The sheet is unzipped and scanned a batch of rows ahead, in
			// a goroutine of its own (prefetch.go).
			pr := newPrefetchRows(rr)
			err = im.readSheetOrLayout(sh.Name, pr) // layout_figures.go
			pr.Close()
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

// fileKindOf decides from the name (and, for other names, the first
// bytes, read through src when it is not nil) whether path is a workbook
// ("xlsx") or a CSV file ("csv").
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
