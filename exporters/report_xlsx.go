package exporters

// The donor workbook (SPEC section 8, issue 5): the report of a period as
// an .xlsx file a donor opens without rmf. Sheets:
//
//   - IPTT: the indicator performance tracking table: results as group
//     rows indented by level, one row per indicator (code, indicator, unit,
//     direction, baseline, end target, actual to date, % of target,
//     status, likely), then for every period up to P its target, actual and
//     % met; status cells coloured; frozen header and code columns;
//     autofilter; number formats by unit; landscape print, fit to width,
//     header rows repeated on every page.
//   - Summary: status counts per goal and outcome, and a chart of progress
//     against expected per outcome.
//   - Disaggregation: the actuals by each dimension (sex, province, ...).
//   - Indicators: the measurement plan.
//   - Data: every figure with where it came from.
//   - Findings: the data-quality findings.
//   - Recommendations (when the report has a follow-up): the management
//     response matrix, one block per recommendation, one row per action.
//
// Numbers are written as numbers with number formats, never as text:
// percent indicators as shares formatted 0.0% (71.4 is written 0.714),
// yes/no as 1/0 formatted yes/no, counts with thousands separators.

import (
	"archive/zip"
	"cmp"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// DonorWorkbook is what the donor workbook is written from.
type DonorWorkbook struct {
	// Report is the report of the period P (required).
	Report *indicators.Report
	// Framework gives the measurement plan (definitions, milestones,
	// collection method, ...). When nil, the Indicators sheet lists what
	// the report knows of each indicator.
	Framework *indicators.Framework
	// Figures are the current figures to list on the Data sheet, each
	// with the import it came from (Imported zero when unknown). They are
	// written as given, in order: pass those up to the end of P.
	Figures []indicators.Revision
	// Source, when its Each is set, gives the figures instead of Figures,
	// as they are written: a large project's figures are never all held.
	Source RevisionSource
	// TargetRevisions are the baselines, targets and milestones revised
	// since the framework was first imported: original and revised, on a
	// sheet of their own when there are any (exporters/report_xlsx_revisions.go).
	TargetRevisions []TargetRevision
	// IPTT are the IPTT tables by reporting frequency
	// (indicators.IPTTTables): one IPTT sheet each, the first named IPTT,
	// the others after their frequency (IPTT annual). When nil, one IPTT
	// sheet shows every indicator over the report's own series.
	IPTT []indicators.IPTTTable
	// maxRows is the most rows of a Data sheet (0: Excel's 1,048,576) and
	// widthSample how many figures set its column widths (0: 10,000):
	// smaller in tests, to see the figures go on to a second sheet and
	// past the sample.
	maxRows, widthSample int
}

// Sheet names of the donor workbook.
const (
	dwIPTT            = "IPTT"
	dwSummary         = "Summary"
	dwDisagg          = "Disaggregation"
	dwIndicators      = "Indicators"
	dwData            = "Data"
	dwFindings        = "Findings"
	dwRecommendations = "Recommendations"
)

// dwStatusFill is the fill colour of a status cell: green, amber, red,
// grey for not due and no data.
var dwStatusFill = map[indicators.Status]string{
	indicators.StatusAchieved: "63BE7B",
	indicators.StatusOnTrack:  "C6EFCE",
	indicators.StatusAtRisk:   "FFD966",
	indicators.StatusOffTrack: "F4B6B6",
	indicators.StatusNoData:   "D9D9D9",
	indicators.StatusNotDue:   "D9D9D9",
	indicators.StatusNoTarget: "D9D9D9",
	indicators.StatusReported: "D9D9D9",
}

// dwLevelFill is the fill of a result's group row on the IPTT.
var dwLevelFill = map[indicators.Level]string{
	indicators.Goal:     "BDD7EE",
	indicators.Outcome:  "DDEBF7",
	indicators.Output:   "F2F2F2",
	indicators.Activity: "FAFAFA",
}

// Number formats.
const (
	dwFmtInt     = "#,##0"
	dwFmtDec     = "#,##0.00"
	dwFmtPercent = "0.0%"
	dwFmtShare   = "0%"
	dwFmtRatio   = "0.000"
	dwFmtYesNo   = `"yes";"yes";"no"`
	dwFmtDate    = "yyyy-mm-dd"
	dwFmtTime    = "yyyy-mm-dd hh:mm"
)

// dwBuiltin maps formats to Excel's built-in number format ids.
var dwBuiltin = map[string]int{"#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}

// dwStyle is a cell style; equal styles share one id.
type dwStyle struct {
	NumFmt string
	Bold   bool
	Italic bool
	Size   float64
	Fill   string
	Color  string // font colour
	Indent int
	Wrap   bool
	Border bool
	HAlign string
	VAlign string
}

// dwBook wraps the file with a style cache and the first error.
type dwBook struct {
	f      *excelize.File
	styles map[dwStyle]int
	wraps  map[int]bool // style ids that wrap text
	err    error
	// revised is what the IPTT says under an indicator whose baseline or
	// end target was revised ("End target revised from 360 to 840 on
	// 2021-12-01"), by indicator code (exporters/report_xlsx_revisions.go).
	revised map[string]string
	// maxRows and widthSample: see DonorWorkbook.
	maxRows, widthSample int
}

func (b *dwBook) style(s dwStyle) int {
	if id, ok := b.styles[s]; ok {
		return id
	}
	st := &excelize.Style{}
	if s.Bold || s.Italic || s.Color != "" || s.Size != 0 {
		st.Font = &excelize.Font{Bold: s.Bold, Italic: s.Italic, Color: s.Color, Size: s.Size}
	}
	if s.Fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{s.Fill}}
	}
	if s.Indent > 0 || s.Wrap || s.HAlign != "" || s.VAlign != "" {
		st.Alignment = &excelize.Alignment{Indent: s.Indent, WrapText: s.Wrap, Horizontal: s.HAlign, Vertical: s.VAlign}
	}
	if s.Border {
		for _, side := range []string{"left", "right", "top", "bottom"} {
			st.Border = append(st.Border, excelize.Border{Type: side, Color: "BFBFBF", Style: 1})
		}
	}
	if s.NumFmt != "" {
		if id, ok := dwBuiltin[s.NumFmt]; ok {
			st.NumFmt = id
		} else {
			f := s.NumFmt
			st.CustomNumFmt = &f
		}
	}
	id, err := b.f.NewStyle(st)
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("cell style: %w", err)
	}
	b.styles[s] = id
	if s.Wrap {
		if b.wraps == nil {
			b.wraps = map[int]bool{}
		}
		b.wraps[id] = true
	}
	return id
}

// dwNumFormat is the number format of a value of unit u.
func dwNumFormat(u indicators.Unit, x float64) string {
	switch u {
	case indicators.Percent:
		return dwFmtPercent
	case indicators.Ratio:
		return dwFmtRatio
	case indicators.YesNo:
		return dwFmtYesNo
	}
	if x == math.Trunc(x) {
		return dwFmtInt
	}
	return dwFmtDec
}

// dwCellValue is a figure of unit u as a cell value: nil for no value,
// percent as a share (71.4 -> 0.714), others as they are.
func dwCellValue(v *float64, u indicators.Unit) any {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return nil
	}
	if u == indicators.Percent {
		return *v / 100
	}
	return *v
}

// dwNum is a value cell of unit u with style base plus the unit's format.
func (b *dwBook) num(v *float64, u indicators.Unit, base dwStyle) excelize.Cell {
	val := dwCellValue(v, u)
	if val == nil {
		return excelize.Cell{StyleID: b.style(base)}
	}
	base.NumFmt = dwNumFormat(u, *v)
	base.HAlign = ""
	return excelize.Cell{StyleID: b.style(base), Value: val}
}

// pathNum is a value on the expected path of ind: shown with the decimals
// of the indicator's end target and baseline (a path of whole counts
// shows 1,246, not 1,245.90), the exact value kept in the cell.
func (b *dwBook) pathNum(v *float64, ind *indicators.ReportIndicator, base dwStyle) excelize.Cell {
	c := b.num(v, ind.Unit, base)
	if v == nil || ind.Unit == indicators.Percent || ind.Unit == indicators.Ratio || ind.Unit == indicators.YesNo {
		return c
	}
	whole := func(x *float64) bool { return x == nil || *x == math.Trunc(*x) }
	if whole(ind.Target) && whole(ind.Baseline) {
		base.NumFmt, base.HAlign = dwFmtInt, ""
		c.StyleID = b.style(base)
	}
	return c
}

// share is a share cell (0.5 shown as 50%).
func (b *dwBook) share(v *float64, base dwStyle) excelize.Cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return excelize.Cell{StyleID: b.style(base)}
	}
	base.NumFmt = dwFmtShare
	return excelize.Cell{StyleID: b.style(base), Value: *v}
}

func (b *dwBook) text(s string, st dwStyle) excelize.Cell {
	if s == "" {
		return excelize.Cell{StyleID: b.style(st)}
	}
	return excelize.Cell{StyleID: b.style(st), Value: s}
}

// status is a status cell coloured by the status.
func (b *dwBook) status(s indicators.Status, base dwStyle) excelize.Cell {
	if f, ok := dwStatusFill[s]; ok {
		base.Fill = f
	}
	base.HAlign = "center"
	return excelize.Cell{StyleID: b.style(base), Value: repStatusName(s)}
}

// dwSheet is a sheet's rows, written with a StreamWriter once complete
// (the column widths must be set before the first row).
type dwSheet struct {
	name    string
	rows    [][]excelize.Cell
	opts    []excelize.RowOpts
	merges  [][2]string
	widths  map[int]float64 // fixed widths by column (1-based)
	maxW    map[int]float64 // width caps by column
	freeze  string          // top-left cell of the unfrozen pane, "" for none
	filter  string          // autofilter range, "" for none
	titles  string          // rows repeated on printed pages, e.g. "$2:$3"
	wide    bool            // print landscape, fit to width
	noWidth map[int]bool    // rows (0-based) left out of the width measure
	// across prints landscape on A4 over as many pages as the columns
	// need (not squeezed to one page wide), with the columns titleCols
	// (e.g. "$A:$B") repeated on every page as well as the rows titles.
	across    bool
	titleCols string
	// onePage fits the printed sheet on one page.
	onePage bool
	// colBreaks are the columns (1-based) a printed page starts with,
	// after the first: groups of columns are not split over two pages.
	colBreaks []int
	// fitWide prints landscape this many pages wide (0: not set).
	fitWide int
}

func (s *dwSheet) add(cells []excelize.Cell, opt ...excelize.RowOpts) int {
	s.rows = append(s.rows, cells)
	o := excelize.RowOpts{}
	if len(opt) > 0 {
		o = opt[0]
	}
	s.opts = append(s.opts, o)
	return len(s.rows) // the 1-based row number
}

// skipWidth leaves the next row out of the column widths (titles and
// notes that may overflow into empty cells).
func (s *dwSheet) skipWidth() {
	if s.noWidth == nil {
		s.noWidth = map[int]bool{}
	}
	s.noWidth[len(s.rows)] = true
}

// merge merges cells of row (1-based) from column c1 to c2 (1-based).
func (s *dwSheet) merge(row, c1, row2, c2 int) {
	a, _ := excelize.CoordinatesToCellName(c1, row)
	z, _ := excelize.CoordinatesToCellName(c2, row2)
	s.merges = append(s.merges, [2]string{a, z})
}

// dwTextWidth is the width a cell's value needs, in characters.
func dwTextWidth(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		n := 0
		for _, line := range strings.Split(x, "\n") {
			n = max(n, utf8.RuneCountInString(line))
		}
		return float64(n)
	case float64:
		return float64(len(repNum(x, 2))) + 1
	case int:
		return float64(len(fmt.Sprint(x))) + 1
	case time.Time:
		return 16
	}
	return 10
}

// write writes the sheet into the book (the sheet must exist).
func (b *dwBook) write(s *dwSheet) error {
	st, err := b.begin(s)
	if err != nil {
		return err
	}
	for i, row := range s.rows {
		if err := st.row(row, s.opts[i]); err != nil {
			return err
		}
	}
	return st.end()
}

// dwSheetNames are the donor workbook's sheets in order, and the index of
// the first Data sheet (Data, then Data (2) and so on past Excel's rows:
// nData of them).
func dwSheetNames(in DonorWorkbook, tables []indicators.IPTTTable, nData int) (names []string, firstData int) {
	r := in.Report
	for i, t := range tables {
		names = append(names, dwIPTTName(i, t))
	}
	names = append(names, dwSummary, dwDisagg, dwIndicators)
	firstData = len(names)
	for i := 0; i < nData; i++ {
		names = append(names, dwDataName(i))
	}
	names = append(names, dwFindings)
	if r.Efficiency != nil {
		names = append(names, dwEfficiency)
	}
	if r.FollowUp != nil {
		names = append(names, dwRecommendations)
	}
	if len(in.TargetRevisions) > 0 {
		names = append(names, dwRevisions)
	}
	return names, firstData
}

// WriteReportXLSX writes the donor workbook of in.Report.
func WriteReportXLSX(w io.Writer, in DonorWorkbook) error {
	r := in.Report
	if r == nil {
		return fmt.Errorf("donor workbook: no report")
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &dwBook{f: f, styles: map[dwStyle]int{}, revised: revisedNotes(in.TargetRevisions),
		maxRows: cmp.Or(in.maxRows, excelize.TotalRows), widthSample: cmp.Or(in.widthSample, dwWidthSample)}
	tables := in.IPTT
	if len(tables) == 0 {
		tables = []indicators.IPTTTable{dwSeriesTable(r)}
	}
	src := in.Source
	if src.Each == nil {
		src = RevisionsOf(in.Figures)
	}
	perData := dwDataSheets(src.Count, b.maxRows)
	names, firstData := dwSheetNames(in, tables, len(perData))
	if err := f.SetSheetName("Sheet1", names[0]); err != nil {
		return err
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return err
		}
	}
	title := r.Project.Title
	if r.Project.Code != "" {
		title = r.Project.Code + ": " + title
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title + " - results at " + r.Period.Code,
		Subject: "Indicator performance tracking table", Creator: "rmf"}); err != nil {
		return err
	}
	var sheets []func() error
	for i, t := range tables {
		sheets = append(sheets, func() error { return b.write(b.iptt(r, t, names[i])) })
	}
	sheets = append(sheets,
		func() error { return b.summary(r) },
		func() error { return b.write(b.disagg(r, in.Framework)) },
		func() error { return b.write(b.plan(r, in.Framework)) },
	)
	// The figures are pulled from the source as the Data sheets are
	// written, one sheet after the other.
	figs := newRevisionPuller(src)
	defer figs.stop()
	for i, n := range perData {
		next := ""
		if i+1 < len(perData) {
			next = names[firstData+i+1]
		}
		sheets = append(sheets, func() error {
			if err := b.data(r, in.Framework, n, figs.next, names[firstData+i], next); err != nil {
				return err
			}
			if i+1 == len(perData) {
				return figs.end()
			}
			return nil
		})
	}
	sheets = append(sheets, func() error { return b.findings(r) })
	if r.Efficiency != nil {
		sheets = append(sheets, func() error { return b.write(b.efficiency(r.Efficiency)) })
	}
	if r.FollowUp != nil {
		sheets = append(sheets, func() error { return b.write(b.recommendations(r.FollowUp)) })
	}
	if len(in.TargetRevisions) > 0 {
		sheets = append(sheets, func() error { return b.write(b.revisions(in.TargetRevisions)) })
	}
	for i, fn := range sheets {
		if err := fn(); err != nil {
			return fmt.Errorf("donor workbook, sheet %s: %w", names[i], err)
		}
		if b.err != nil {
			return fmt.Errorf("donor workbook, sheet %s: %w", names[i], b.err)
		}
	}
	// The first sheet is the active one as the new file has it: no
	// SetActiveSheet, which would read back every stream-written sheet (as
	// much of it as is still in memory, up to 16 MiB of XML each) only to
	// encode it again for nothing.
	return dwWriteZip(f, w)
}

// dwWriteZip writes the workbook's zip straight to w: excelize's Write
// builds the whole zip in memory first (as large as the file), the zip
// writer given here writes each part to w as excelize makes it, the
// stream-written sheets copied from their temporary files. (What excelize
// skips this way is only its fix of the local headers of parts over 4 GiB,
// which a workbook of rmf does not have: a sheet holds at most 1,048,576
// rows.)
func dwWriteZip(f *excelize.File, w io.Writer) error {
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	if buf.Len() > 0 { // excelize wrote to its buffer after all
		_, err = buf.WriteTo(w)
	}
	return err
}

// Styles used on every sheet.
var (
	dwTitle  = dwStyle{Bold: true, Size: 14}
	dwNote   = dwStyle{Italic: true, Color: "595959"}
	dwHeader = dwStyle{Bold: true, Fill: "1F4E78", Color: "FFFFFF", Wrap: true, Border: true, VAlign: "center", HAlign: "center"}
	dwBand   = dwStyle{Bold: true, Fill: "2E75B6", Color: "FFFFFF", Border: true, HAlign: "center"}
	dwPlain  = dwStyle{Border: true, VAlign: "top"}
	dwWrap   = dwStyle{Border: true, VAlign: "top", Wrap: true}
)
