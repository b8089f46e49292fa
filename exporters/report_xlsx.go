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
	"fmt"
	"io"
	"math"
	"sort"
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
	// TargetRevisions are the baselines, targets and milestones revised
	// since the framework was first imported: original and revised, on a
	// sheet of their own when there are any (exporters/report_xlsx_revisions.go).
	TargetRevisions []TargetRevision
	// IPTT are the IPTT tables by reporting frequency
	// (indicators.IPTTTables): one IPTT sheet each, the first named IPTT,
	// the others after their frequency (IPTT annual). When nil, one IPTT
	// sheet shows every indicator over the report's own series.
	IPTT []indicators.IPTTTable
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

// dwStream writes a sheet's rows to its StreamWriter as they come: the
// rows of the sheet (dwSheet.rows) set its column widths and the heights
// of wrapped rows; begin starts it, row writes the next row, end merges
// the cells and flushes.
type dwStream struct {
	b      *dwBook
	s      *dwSheet
	sw     *excelize.StreamWriter
	colW   func(c int) float64
	merged map[[2]int]bool // (row, col) of merged cells, 1-based
	cells  []any           // reused for each row
	empty  map[int]any     // an empty cell of each style, boxed once
	n      int             // rows written
}

// begin sets the sheet's page settings, starts its StreamWriter and sets
// the column widths from the rows of s (all of them, or the sample of a
// sheet whose other rows follow) and the frozen panes.
func (b *dwBook) begin(s *dwSheet) (*dwStream, error) {
	f := b.f
	if s.filter != "" {
		if err := f.AutoFilter(s.name, s.filter, nil); err != nil {
			return nil, fmt.Errorf("sheet %s: autofilter %s: %w", s.name, s.filter, err)
		}
	}
	if s.wide {
		land, one, zero, yes := "landscape", 1, 0, true
		if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &land, FitToWidth: &one, FitToHeight: &zero}); err != nil {
			return nil, fmt.Errorf("sheet %s: page layout: %w", s.name, err)
		}
		if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return nil, fmt.Errorf("sheet %s: fit to page: %w", s.name, err)
		}
	}
	if s.fitWide > 0 {
		land, a4, n, zero, yes := "landscape", 9, s.fitWide, 0, true
		if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &n, FitToHeight: &zero}); err != nil {
			return nil, fmt.Errorf("sheet %s: page layout: %w", s.name, err)
		}
		if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return nil, fmt.Errorf("sheet %s: fit to page: %w", s.name, err)
		}
	}
	if s.across {
		land, a4, scale := "landscape", 9, uint(dwAcrossScale)
		if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, AdjustTo: &scale}); err != nil {
			return nil, fmt.Errorf("sheet %s: page layout: %w", s.name, err)
		}
	}
	if s.onePage {
		land, a4, one, yes := "landscape", 9, 1, true
		if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &one, FitToHeight: &one}); err != nil {
			return nil, fmt.Errorf("sheet %s: page layout: %w", s.name, err)
		}
		if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return nil, fmt.Errorf("sheet %s: fit to page: %w", s.name, err)
		}
	}
	if s.titles != "" || s.titleCols != "" {
		var refs []string
		for _, t := range []string{s.titleCols, s.titles} {
			if t != "" {
				refs = append(refs, "'"+s.name+"'!"+t)
			}
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(refs, ","), Scope: s.name}); err != nil {
			return nil, fmt.Errorf("sheet %s: print titles: %w", s.name, err)
		}
	}
	// Page breaks go in before the stream writer, which writes the
	// sheet's settings as they are when it starts.
	for _, c := range s.colBreaks {
		ref, _ := excelize.CoordinatesToCellName(c, 1)
		if err := f.InsertPageBreak(s.name, ref); err != nil {
			return nil, fmt.Errorf("sheet %s: page break before %s: %w", s.name, ref, err)
		}
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return nil, err
	}
	// Column widths: the longest value, within the caps.
	width := map[int]float64{}
	for i, row := range s.rows {
		if s.noWidth[i] {
			continue
		}
		for j, c := range row {
			width[j+1] = max(width[j+1], dwTextWidth(c.Value))
		}
	}
	cols := make([]int, 0, len(width))
	for c := range width {
		cols = append(cols, c)
	}
	for c := range s.widths {
		if _, ok := width[c]; !ok {
			cols = append(cols, c)
		}
	}
	sort.Ints(cols)
	for _, c := range cols {
		w, ok := s.widths[c]
		if !ok {
			w = min(max(width[c]+2, 8), 60)
			if m, ok := s.maxW[c]; ok {
				w = min(w, m)
			}
		}
		if err := sw.SetColWidth(c, c, w); err != nil {
			return nil, err
		}
	}
	if s.freeze != "" {
		col, row, err := excelize.CellNameToCoordinates(s.freeze)
		if err != nil {
			return nil, err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: col - 1, YSplit: row - 1, TopLeftCell: s.freeze,
			ActivePane: dwActivePane(col, row), Selection: []excelize.Selection{{SQRef: s.freeze, ActiveCell: s.freeze, Pane: dwActivePane(col, row)}}}); err != nil {
			return nil, err
		}
	}
	colW := func(c int) float64 {
		if w, ok := s.widths[c]; ok {
			return w
		}
		w := min(max(width[c]+2, 8), 60)
		if m, ok := s.maxW[c]; ok {
			w = min(w, m)
		}
		return w
	}
	merged := map[[2]int]bool{}
	for _, m := range s.merges {
		c1, r1, _ := excelize.CellNameToCoordinates(m[0])
		c2, r2, _ := excelize.CellNameToCoordinates(m[1])
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				merged[[2]int{r, c}] = true
			}
		}
	}
	return &dwStream{b: b, s: s, sw: sw, colW: colW, merged: merged}, nil
}

// row writes the next row of the sheet.
func (st *dwStream) row(row []excelize.Cell, opt excelize.RowOpts) error {
	st.n++
	i, s := st.n-1, st.s
	if err := checkCellsText(s.name, i+1, row); err != nil {
		return err
	}
	// A cell of the default style with a value goes in as its value (the
	// same XML, without boxing a Cell for each); an empty cell as the one
	// boxed Cell of its style.
	cells := st.cells[:0]
	for _, c := range row {
		switch {
		case c.Formula != "":
			cells = append(cells, c)
		case c.StyleID == 0 && c.Value != nil:
			cells = append(cells, c.Value)
		case c.Value == nil:
			e, ok := st.empty[c.StyleID]
			if !ok {
				if st.empty == nil {
					st.empty = map[int]any{}
				}
				e = c
				st.empty[c.StyleID] = e
			}
			cells = append(cells, e)
		default:
			cells = append(cells, c)
		}
	}
	st.cells = cells
	if opt.Height == 0 {
		// Spreadsheets do not all grow a row to its wrapped text when
		// they open a file (LibreOffice prints it cut): set the height
		// from the longest wrapped cell.
		lines := 1
		for j, c := range row {
			if !st.b.wraps[c.StyleID] || st.merged[[2]int{i + 1, j + 1}] {
				continue
			}
			lines = max(lines, dwLines(c.Value, st.colW(j+1)))
		}
		if lines > 1 {
			opt.Height = float64(lines)*14.5 + 2
		}
	}
	ref, _ := excelize.CoordinatesToCellName(1, i+1)
	if err := st.sw.SetRow(ref, cells, opt); err != nil {
		return fmt.Errorf("sheet %s row %d: %w", s.name, i+1, err)
	}
	return nil
}

// end merges the sheet's cells and flushes its StreamWriter.
func (st *dwStream) end() error {
	for _, m := range st.s.merges {
		if err := st.sw.MergeCell(m[0], m[1]); err != nil {
			return fmt.Errorf("sheet %s: merge %s:%s: %w", st.s.name, m[0], m[1], err)
		}
	}
	return st.sw.Flush()
}

// dwAcrossScale is the print scale (percent) of sheets printed across
// pages.
const dwAcrossScale = 75

// dwColMM is the printed width in millimetres of a column of width w (in
// characters of the default font) at 100%: Excel gives a character 7
// pixels (at 96 an inch) and a column 5 more; LibreOffice, without
// Calibri, about 9.3. The wider measure is taken, so that a group of
// columns never splits over two pages in either.
func dwColMM(w float64) float64 { return (w*9.3 + 5) * 25.4 / 96 }

// dwPageMM is the printable width of a landscape A4 page at the default
// margins (0.7 inch left and right), less a safety margin, at scale
// percent, in unscaled millimetres.
func dwPageMM(scale float64) float64 { return (297 - 2*17.78) * 0.95 * 100 / scale }

// dwColBreaks returns the columns a new printed page should start with so
// that no group of columns is split: widths are the column widths
// (1-based: widths[1] is column A), the first repeat columns are printed
// on every page, and starts are the first columns of the groups, in
// order (a page may only start with one of them).
func dwColBreaks(widths map[int]float64, ncol, repeat int, starts []int, scale float64) []int {
	page := dwPageMM(scale)
	rep := 0.0
	for c := 1; c <= repeat; c++ {
		rep += dwColMM(widths[c])
	}
	groupEnd := func(i int) int {
		if i+1 < len(starts) {
			return starts[i+1] - 1
		}
		return ncol
	}
	used := 0.0
	for c := 1; len(starts) > 0 && c < starts[0]; c++ {
		used += dwColMM(widths[c])
	}
	var out []int
	for i, st := range starts {
		w := 0.0
		for c := st; c <= groupEnd(i); c++ {
			w += dwColMM(widths[c])
		}
		if used+w > page && used > rep {
			out = append(out, st)
			used = rep
		}
		used += w
	}
	return out
}

// dwLines is how many lines a wrapped cell value takes in a column of
// width w (in characters): words are not cut, a line holds about w-1
// characters of ordinary text.
func dwLines(v any, w float64) int {
	text, ok := v.(string)
	if !ok || text == "" {
		return 1
	}
	per := max(int(w)-1, 4)
	n := 0
	for _, para := range strings.Split(text, "\n") {
		lines, cur := 1, 0
		for _, word := range strings.Fields(para) {
			l := utf8.RuneCountInString(word)
			switch {
			case cur == 0:
				cur = l
			case cur+1+l <= per:
				cur += 1 + l
			default:
				lines++
				cur = l
			}
			for cur > per { // a word longer than the line breaks anywhere
				lines++
				cur -= per
			}
		}
		n += lines
	}
	return max(n, 1)
}

// dwActivePane names the pane that scrolls when the panes are frozen at
// the cell of col and row.
func dwActivePane(col, row int) string {
	switch {
	case col > 1 && row > 1:
		return "bottomRight"
	case col > 1:
		return "topRight"
	}
	return "bottomLeft"
}

// WriteReportXLSX writes the donor workbook of in.Report.
func WriteReportXLSX(w io.Writer, in DonorWorkbook) error {
	r := in.Report
	if r == nil {
		return fmt.Errorf("donor workbook: no report")
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &dwBook{f: f, styles: map[dwStyle]int{}, revised: revisedNotes(in.TargetRevisions)}
	tables := in.IPTT
	if len(tables) == 0 {
		tables = []indicators.IPTTTable{dwSeriesTable(r)}
	}
	var names []string
	for i, t := range tables {
		names = append(names, dwIPTTName(i, t))
	}
	names = append(names, dwSummary, dwDisagg, dwIndicators)
	// The Data sheets: Data, then Data (2) and so on past Excel's rows.
	firstData := len(names)
	perData := dwDataSheets(len(in.Figures))
	for i := range perData {
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
	lo := 0
	for i, n := range perData {
		figs, next := in.Figures[lo:lo+n], ""
		if i+1 < len(perData) {
			next = names[firstData+i+1]
		}
		lo += n
		sheets = append(sheets, func() error { return b.data(r, in.Framework, figs, names[firstData+i], next) })
	}
	sheets = append(sheets, func() error { return b.write(b.findings(r)) })
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

// dwPeriods lists the reporting periods of the report's series, in order.
func dwPeriods(r *indicators.Report) []indicators.SeriesPoint {
	seen := map[string]bool{}
	var out []indicators.SeriesPoint
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			for _, pt := range ind.Series {
				if !seen[pt.Period] {
					seen[pt.Period] = true
					out = append(out, indicators.SeriesPoint{Period: pt.Period, Start: pt.Start, End: pt.End})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].End != out[j].End {
			return out[i].End < out[j].End
		}
		return out[i].Start > out[j].Start
	})
	return out
}

// dwMet is the share of the way from the baseline to target that actual
// covers (nil when it cannot be said).
func dwMet(ind *indicators.ReportIndicator, target, actual *float64) *float64 {
	if target == nil || actual == nil || repIsText(ind) {
		return nil
	}
	base := 0.0
	if ind.Baseline != nil {
		base = *ind.Baseline
	}
	d := *target - base
	if d == 0 {
		return nil
	}
	x := (*actual - base) / d
	return &x
}

// dwIPTTFixed are the IPTT columns before the periods.
var dwIPTTFixed = []string{"Code", "Result / indicator", "Unit", "Direction", "Baseline", "End target", "Actual to date",
	"% of target", "Status", "Likely"}

// dwIPTTPeriodCols are the columns of each period: the target and actual
// to the end of the period (cumulative from the project start, on the
// same footing), the period's own figure, and the share of the target met.
var dwIPTTPeriodCols = []string{"Cumulative target", "Actual in period", "Cumulative actual", "% met"}

// dwFrequencyWords say how often a table's indicators are reported.
var dwFrequencyWords = map[string]string{"monthly": "monthly", "quarterly": "quarterly", "semiannual": "every six months",
	"annual": "yearly", "end": "once, at the end of the project"}

// dwIPTTName is the name of the i-th IPTT sheet: IPTT for the first, then
// after the frequency (IPTT annual, IPTT end of project).
func dwIPTTName(i int, t indicators.IPTTTable) string {
	if i == 0 {
		return dwIPTT
	}
	if t.Frequency == "end" {
		return dwIPTT + " end of project"
	}
	return dwIPTT + " " + t.Frequency
}

// dwSeriesTable is the IPTT table of every indicator of r over r's own
// series (when the caller gives no tables by frequency).
func dwSeriesTable(r *indicators.Report) indicators.IPTTTable {
	t := indicators.IPTTTable{Frequency: r.Project.Reporting, Points: map[string][]indicators.SeriesPoint{}}
	periods := dwPeriods(r)
	for _, p := range periods {
		t.Periods = append(t.Periods, indicators.IPTTPeriod{Label: p.Period,
			ReportPeriod: indicators.ReportPeriod{Code: p.Period, Start: p.Start, End: p.End}})
	}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			t.Indicators = append(t.Indicators, ind.Code)
			pts := map[string]indicators.SeriesPoint{}
			for _, pt := range ind.Series {
				pts[pt.Period] = pt
			}
			for _, p := range periods {
				t.Points[ind.Code] = append(t.Points[ind.Code], pts[p.Period])
			}
		}
	}
	return t
}

// iptt is the IPTT sheet name of table t: results as group rows, one row
// per indicator of t, then per period of t its target and actual to date,
// the period's own figure and the share met. It prints landscape over as
// many pages as the periods need, the code and indicator columns and the
// header rows repeated on each.
func (b *dwBook) iptt(r *indicators.Report, t indicators.IPTTTable, name string) *dwSheet {
	s := &dwSheet{name: name, freeze: "C4", titles: "$2:$3", titleCols: "$A:$B", across: true,
		noWidth: map[int]bool{0: true, 1: true}}
	periods := t.Periods
	np := len(dwIPTTPeriodCols)
	ncol := len(dwIPTTFixed) + np*len(periods)
	title := r.Project.Title
	if r.Project.Code != "" {
		title = r.Project.Code + ": " + title
	}
	freq := dwFrequencyWords[t.Frequency]
	if freq == "" {
		freq = t.Frequency
	}
	heading := fmt.Sprintf("%s - indicator performance tracking table, %s (%s to %s)", title, r.Period.Code, r.Period.Start, r.Period.End)
	if freq != "" {
		heading += ": indicators reported " + freq
	}
	titleStyle := dwTitle
	titleStyle.Wrap, titleStyle.VAlign = true, "top"
	// 14-point bold: about 0.6 of a column character each.
	s.add([]excelize.Cell{b.text(heading, titleStyle)}, excelize.RowOpts{Height: float64(dwLines(heading, 118*0.6))*19 + 4})
	s.merge(1, 1, 1, len(dwIPTTFixed)) // printed whole on the first page
	band := make([]excelize.Cell, ncol)
	for j := range band {
		band[j] = excelize.Cell{StyleID: b.style(dwBand)}
	}
	band[4] = b.text("Cumulative to the end of "+r.Period.Code, dwBand)
	s.merge(2, 5, 2, 8)
	for i, p := range periods {
		c := len(dwIPTTFixed) + np*i
		band[c] = b.text(p.Label, dwBand)
		s.merge(2, c+1, 2, c+np)
	}
	s.add(band)
	head := make([]excelize.Cell, 0, ncol)
	for _, h := range dwIPTTFixed {
		head = append(head, b.text(h, dwHeader))
	}
	for range periods {
		for _, h := range dwIPTTPeriodCols {
			head = append(head, b.text(h, dwHeader))
		}
	}
	s.add(head, excelize.RowOpts{Height: 45})
	s.widths = map[int]float64{1: 9, 2: 32, 3: 9, 4: 10, 5: 10, 6: 10, 7: 10, 8: 9, 9: 11, 10: 8}
	var starts []int
	for j := len(dwIPTTFixed) + 1; j <= ncol; j++ {
		s.widths[j] = 10.5
		if (j-len(dwIPTTFixed)-1)%np == 0 {
			starts = append(starts, j)
		}
	}
	// Printed across pages: each period's columns on one page.
	s.colBreaks = dwColBreaks(s.widths, ncol, 2, starts, dwAcrossScale)
	on := map[string]bool{}
	for _, c := range t.Indicators {
		on[c] = true
	}
	for i := range r.Results {
		res := &r.Results[i]
		if !repShown(res) {
			continue
		}
		var inds []*indicators.ReportIndicator
		for j := range res.Indicators {
			if on[res.Indicators[j].Code] {
				inds = append(inds, &res.Indicators[j])
			}
		}
		if len(inds) == 0 {
			continue
		}
		g := dwStyle{Bold: true, Fill: dwLevelFill[res.Level], Border: true}
		row := make([]excelize.Cell, ncol)
		for j := range row {
			row[j] = excelize.Cell{StyleID: b.style(g)}
		}
		gc := g
		gc.Indent = res.Depth
		row[0] = b.text(res.Code, gc)
		row[1] = b.text(repLevelTitle(res.Level)+": "+strings.Join(strings.Fields(res.Statement), " "), gc)
		if res.Status != "" {
			row[8] = b.status(res.Status, g)
		}
		s.skipWidth() // the statement overflows into the empty cells
		s.add(row)
		for _, ind := range inds {
			row := make([]excelize.Cell, 0, ncol)
			name := dwWrap
			name.Indent = res.Depth + 1
			label := ind.Name
			if note := b.revised[ind.Code]; note != "" {
				label += "\n" + note
			}
			row = append(row, b.text(ind.Code, dwStyle{Border: true, VAlign: "top", Indent: res.Depth}), b.text(label, name),
				b.text(string(ind.Unit), dwPlain), b.text(string(ind.Direction), dwPlain))
			if repIsText(ind) {
				row = append(row, b.text(ind.BaselineText, dwWrap), b.text(ind.TargetText, dwWrap), b.text(ind.ActualText, dwWrap),
					b.text("", dwPlain))
			} else {
				row = append(row, b.num(ind.Baseline, ind.Unit, dwPlain), b.num(ind.Target, ind.Unit, dwPlain),
					b.num(ind.Actual, ind.Unit, dwPlain), b.share(ind.Progress, dwPlain))
			}
			likely := ""
			if ind.Likely != nil {
				likely = repLikely(ind.Likely)
			}
			row = append(row, b.status(ind.Status, dwPlain), b.text(likely, dwStyle{Border: true, VAlign: "top", HAlign: "center"}))
			pts := t.Points[ind.Code]
			for k := range periods {
				var pt indicators.SeriesPoint
				if k < len(pts) {
					pt = pts[k]
				}
				if repIsText(ind) {
					row = append(row, b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain))
					continue
				}
				row = append(row, b.pathNum(pt.Target, ind, dwPlain), b.num(pt.PeriodValue, ind.Unit, dwPlain),
					b.num(pt.Actual, ind.Unit, dwPlain), b.share(dwMet(ind, pt.Target, pt.Actual), dwPlain))
			}
			s.add(row)
		}
	}
	last := len(s.rows)
	lastCol, _ := excelize.ColumnNumberToName(ncol)
	s.filter = fmt.Sprintf("A3:%s%d", lastCol, max(last, 4))
	s.add(nil)
	notes := []string{
		"Baseline, targets and actuals are cumulative from the project start (by each indicator's aggregation: sum adds the periods, last takes the latest).",
		"Per period: Cumulative target is where the indicator is expected to stand at the period's end, on the straight line through the baseline, " +
			"the milestones and the end target (so every period has one, even with yearly milestones); Actual in period is the period's own figure; " +
			"Cumulative actual the actual from the project start to the period's end; % met the share of the way from the baseline to that target covered by the cumulative actual.",
		fmt.Sprintf("%s of the project's time had elapsed by the end of %s. Status colours: green achieved / on track, amber at risk, red off track, grey no data, not due, no target or reported.",
			repShare(&r.Elapsed), r.Period.Code),
	}
	if len(periods) == 0 && t.Frequency == "end" {
		notes = append(notes, "These indicators are measured once, at the end of the project: they have no period columns.")
	}
	for _, p := range periods {
		if p.Cut {
			notes = append(notes, fmt.Sprintf("%s: the period runs past %s; its columns hold the figures up to %s.", p.Label, r.Period.Code, r.Period.End))
		}
	}
	// Notes wrap in the code and indicator columns, which print on every
	// page.
	noteStyle := dwNote
	noteStyle.Wrap, noteStyle.VAlign = true, "top"
	for _, n := range notes {
		s.skipWidth()
		row := s.add([]excelize.Cell{b.text(n, noteStyle)}, excelize.RowOpts{Height: float64(dwLines(n, s.widths[1]+s.widths[2]))*14.5 + 2})
		s.merge(row, 1, row, 2)
	}
	return s
}

// dwAverages is the mean progress (each capped at 100%) and the mean
// expected share over the indicators that have both of the results keep
// accepts (nil: every result, the whole project); nil when none has.
func dwAverages(r *indicators.Report, keep func(*indicators.ReportResult) bool) (progress, expected *float64) {
	var ps, es float64
	n := 0
	for i := range r.Results {
		res := &r.Results[i]
		if keep != nil && !keep(res) {
			continue
		}
		for _, ind := range res.Indicators {
			if ind.Progress == nil || ind.Expected == nil || math.IsNaN(*ind.Progress) || math.IsNaN(*ind.Expected) {
				continue
			}
			ps += math.Max(0, math.Min(*ind.Progress, 1))
			es += *ind.Expected
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	ps, es = ps/float64(n), es/float64(n)
	return &ps, &es
}

// repAncestorAny reports whether anc is an ancestor of result code.
func repAncestorAny(r *indicators.Report, idx map[string]int, code, anc string) bool {
	for i := 0; i < 64 && code != ""; i++ {
		j, ok := idx[code]
		if !ok {
			return false
		}
		code = r.Results[j].Parent
		if code == anc {
			return true
		}
	}
	return false
}

// dwSummaryCols are the columns of the summary table: the result, its
// status and delivery (the worst status below it), the count of its
// indicators by each status, their total, the mean progress and expected.
func dwSummaryCols() []string {
	cols := []string{"Code", "Level", "Statement", "Status", "Delivery"}
	for _, s := range indicators.Statuses {
		w := repStatusName(s)
		cols = append(cols, strings.ToUpper(w[:1])+w[1:])
	}
	return append(cols, "Indicators", "Progress", "Expected")
}

// Summary columns (1-based) after the status counts.
var (
	dwSumFirstCount = 6
	dwSumTotal      = dwSumFirstCount + len(indicators.Statuses)
	dwSumProgress   = dwSumTotal + 1
	dwSumExpected   = dwSumTotal + 2
)

// summary writes the Summary sheet (in normal mode: it has a chart).
func (b *dwBook) summary(r *indicators.Report) error {
	f, sh := b.f, dwSummary
	set := func(col, row int, c excelize.Cell) {
		ref, _ := excelize.CoordinatesToCellName(col, row)
		if c.Value != nil {
			if t, ok := c.Value.(string); ok {
				if err := checkCellText(sh, ref, t); err != nil && b.err == nil {
					b.err = err
				}
			}
			if err := f.SetCellValue(sh, ref, c.Value); err != nil && b.err == nil {
				b.err = err
			}
		}
		if err := f.SetCellStyle(sh, ref, ref, c.StyleID); err != nil && b.err == nil {
			b.err = err
		}
	}
	set(1, 1, b.text(fmt.Sprintf("Summary at %s (%s to %s)", r.Period.Code, r.Period.Start, r.Period.End), dwTitle))
	set(1, 2, b.text("Project time elapsed", dwStyle{Bold: true}))
	el := r.Elapsed
	set(3, 2, b.share(&el, dwStyle{Bold: true, HAlign: "left"}))
	const head = 4
	cols := dwSummaryCols()
	for j, h := range cols {
		set(j+1, head, b.text(h, dwHeader))
	}
	if err := f.SetRowHeight(sh, head, 30); err != nil {
		return err
	}
	var goals, outcomes []*indicators.ReportResult
	for i := range r.Results {
		switch r.Results[i].Level {
		case indicators.Goal:
			goals = append(goals, &r.Results[i])
		case indicators.Outcome:
			outcomes = append(outcomes, &r.Results[i])
		}
	}
	row := head
	const statementWidth = 50
	writeRow := func(code, level, statement string, status, delivery indicators.Status, c map[indicators.Status]int, prog, exp *float64, st dwStyle) {
		row++
		set(1, row, b.text(code, st))
		set(2, row, b.text(level, st))
		ws := st
		ws.Wrap = true
		statement = strings.Join(strings.Fields(statement), " ")
		set(3, row, b.text(statement, ws))
		if n := dwLines(statement, statementWidth); n > 1 {
			if err := f.SetRowHeight(sh, row, float64(n)*14.5+2); err != nil && b.err == nil {
				b.err = err
			}
		}
		if status != "" {
			set(4, row, b.status(status, st))
		} else {
			set(4, row, b.text("no indicators", st))
		}
		if delivery != "" {
			set(5, row, b.status(delivery, st))
		} else {
			set(5, row, b.text("", st))
		}
		total := 0
		for k, s := range indicators.Statuses { // the columns of dwSummaryCols
			n := c[s]
			total += n
			nf := st
			nf.NumFmt = dwFmtInt
			set(dwSumFirstCount+k, row, excelize.Cell{StyleID: b.style(nf), Value: n})
		}
		nf := st
		nf.NumFmt = dwFmtInt
		set(dwSumTotal, row, excelize.Cell{StyleID: b.style(nf), Value: total})
		set(dwSumProgress, row, b.share(prog, st))
		set(dwSumExpected, row, b.share(exp, st))
	}
	idx := repResultIndex(r)
	rowOf := func(res *indicators.ReportResult) {
		// the result and the results under it
		prog, exp := dwAverages(r, func(x *indicators.ReportResult) bool {
			return x.Code == res.Code || repAncestorAny(r, idx, x.Code, res.Code)
		})
		writeRow(res.Code, repLevelTitle(res.Level), res.Statement, res.Status, res.Delivery, res.StatusCounts, prog, exp, dwPlain)
	}
	for _, g := range goals {
		rowOf(g)
	}
	firstOutcome := row + 1
	for _, o := range outcomes {
		rowOf(o)
	}
	lastOutcome := row
	// The whole project: every indicator of the report.
	prog, exp := dwAverages(r, nil)
	all := repReportCounts(r)
	worst := indicators.Status("")
	for _, s := range []indicators.Status{indicators.StatusAchieved, indicators.StatusOnTrack, indicators.StatusAtRisk, indicators.StatusOffTrack} {
		if all[s] > 0 {
			worst = s
		}
	}
	writeRow("All", "Project", "Every indicator of the report", worst, "", all, prog, exp, dwStyle{Border: true, Bold: true, VAlign: "top"})
	for c := 1; c <= len(cols); c++ {
		w := 10.0
		switch c {
		case 1:
			w = 9
		case 3:
			w = statementWidth
		case 4, 5:
			w = 12
		}
		name := dwColName(c)
		if err := f.SetColWidth(sh, name, name, w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: head, TopLeftCell: fmt.Sprintf("A%d", head+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row += 2
	// The note wraps across the table's width, so that it prints whole on
	// the sheet's one page.
	noteStyle := dwNote
	noteStyle.Wrap, noteStyle.VAlign = true, "top"
	set(1, row, b.text("Counts include the indicators of the result and of the results under it. Progress is the mean share of the way "+
		"from baseline to end target (each capped at 100%); expected the mean share that should be covered by now; both over the "+
		"indicators that have them.", noteStyle))
	if err := f.MergeCell(sh, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", dwColName(len(cols)), row)); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, row, 32); err != nil {
		return err
	}
	// One landscape page, the chart whole: the chart sits below the
	// table, within its columns.
	land, a4, one, yes := "landscape", 9, 1, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &one, FitToHeight: &one}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if lastOutcome >= firstOutcome {
		ref := func(col string, a, z int) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sh, col, a, col, z) }
		maxY := 1.0
		chart := &excelize.Chart{
			Type: excelize.Col,
			Series: []excelize.ChartSeries{
				{Name: fmt.Sprintf("'%s'!$%s$%d", sh, dwColName(dwSumProgress), head), Categories: ref("A", firstOutcome, lastOutcome),
					Values: ref(dwColName(dwSumProgress), firstOutcome, lastOutcome),
					Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}},
				{Name: fmt.Sprintf("'%s'!$%s$%d", sh, dwColName(dwSumExpected), head), Categories: ref("A", firstOutcome, lastOutcome),
					Values: ref(dwColName(dwSumExpected), firstOutcome, lastOutcome),
					Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"BFBFBF"}}},
			},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Progress against expected per outcome, " + r.Period.Code}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 720, Height: 360},
			YAxis:     excelize.ChartAxis{Maximum: &maxY, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		}
		if err := f.AddChart(sh, fmt.Sprintf("C%d", row+2), chart); err != nil {
			return fmt.Errorf("chart: %w", err)
		}
	}
	return nil
}

// disagg lists the actuals of every indicator that has a breakdown, one
// block per dimension (sex, province, ...), one column per value.
func (b *dwBook) disagg(r *indicators.Report, fw *indicators.Framework) *dwSheet {
	s := &dwSheet{name: dwDisagg, maxW: map[int]float64{2: 50}, wide: true, noWidth: map[int]bool{0: true}}
	s.add([]excelize.Cell{b.text("Actuals to the end of "+r.Period.Code+" by disaggregation", dwTitle)})
	type entry struct {
		ind *indicators.ReportIndicator
		by  map[string]*float64
	}
	var dims []string
	values := map[string][]string{}
	seenVal := map[string]map[string]bool{}
	rows := map[string][]*entry{}
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			ind := &r.Results[i].Indicators[j]
			var cur map[string]*entry
			for _, d := range ind.Disaggregated {
				if d.Dims.Total() {
					continue
				}
				dim := strings.Join(d.Dims.Dims(), " × ")
				val := strings.Join(d.Dims.Values(), ", ")
				if _, ok := values[dim]; !ok {
					dims = append(dims, dim)
					seenVal[dim] = map[string]bool{}
				}
				if !seenVal[dim][val] {
					seenVal[dim][val] = true
					values[dim] = append(values[dim], val)
				}
				if cur == nil {
					cur = map[string]*entry{}
				}
				e := cur[dim]
				if e == nil {
					e = &entry{ind: ind, by: map[string]*float64{}}
					cur[dim] = e
					rows[dim] = append(rows[dim], e)
				}
				e.by[val] = d.Actual
			}
		}
	}
	// Values in the framework's order when it lists them.
	for _, dim := range dims {
		if fw == nil {
			continue
		}
		if d, ok := fw.Dimension(dim); ok {
			pos := map[string]int{}
			for i, v := range d.Values {
				pos[v] = i + 1
			}
			vs := values[dim]
			sort.SliceStable(vs, func(i, j int) bool {
				pi, pj := pos[vs[i]], pos[vs[j]]
				if pi == 0 || pj == 0 {
					return pi != 0 && pj == 0
				}
				return pi < pj
			})
		}
	}
	if len(dims) == 0 {
		s.add([]excelize.Cell{b.text("No indicator of this report has figures by sex, province or another breakdown.", dwNote)})
		return s
	}
	for _, dim := range dims {
		s.add(nil)
		s.add([]excelize.Cell{b.text("By "+dim, dwStyle{Bold: true, Size: 12})})
		head := []excelize.Cell{b.text("Code", dwHeader), b.text("Indicator", dwHeader), b.text("Unit", dwHeader), b.text("Total", dwHeader)}
		for _, v := range values[dim] {
			head = append(head, b.text(v, dwHeader))
		}
		s.add(head)
		for _, e := range rows[dim] {
			row := []excelize.Cell{b.text(e.ind.Code, dwPlain), b.text(e.ind.Name, dwWrap), b.text(string(e.ind.Unit), dwPlain),
				b.num(e.ind.Actual, e.ind.Unit, dwStyle{Border: true, VAlign: "top", Bold: true})}
			for _, v := range values[dim] {
				row = append(row, b.num(e.by[v], e.ind.Unit, dwPlain))
			}
			s.add(row)
		}
	}
	s.add(nil)
	s.skipWidth()
	s.add([]excelize.Cell{b.text("Cumulative actuals from the project start to the end of "+r.Period.Code+
		"; empty cells: nothing reported for that value.", dwNote)})
	return s
}

// dwPlanCols are the columns of the measurement plan.
var dwPlanCols = []string{"Code", "Result", "Indicator", "Definition", "Unit", "Direction", "Aggregation", "Baseline", "Baseline date",
	"End target", "Milestones", "Milestones read as", "Expected path", "Disaggregations", "Data source", "Collection method", "Frequency", "Responsible",
	"Means of verification", "Formula", "Notes"}

// plan is the Indicators sheet: the measurement plan.
func (b *dwBook) plan(r *indicators.Report, fw *indicators.Framework) *dwSheet {
	s := &dwSheet{name: dwIndicators, freeze: "B2", titles: "$1:$1", titleCols: "$A:$A", fitWide: 2,
		maxW: map[int]float64{2: 12, 3: 40, 4: 40, 11: 24, 12: 24, 14: 18, 15: 30, 16: 30, 18: 20, 19: 30, 20: 30, 21: 35}}
	head := make([]excelize.Cell, len(dwPlanCols))
	for j, h := range dwPlanCols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	if fw != nil {
		for i := range fw.Indicators {
			ind := &fw.Indicators[i]
			res := ind.Result
			if res == "" {
				res = "(supporting measure)"
			}
			var ms []string
			for _, m := range fw.MilestonesOf(ind.Code) {
				v := m.TargetText
				if ind.Unit != indicators.Text {
					t := m.Target
					v = repValue(&t, ind.Unit)
				}
				line := fw.Project.PeriodLabel(m.Period) + ": " + v
				if !m.Dims.Total() {
					line += " (" + m.Dims.String() + ")"
				}
				ms = append(ms, line)
			}
			row := []excelize.Cell{b.text(ind.Code, dwPlain), b.text(res, dwWrap), b.text(ind.Name, dwWrap), b.text(ind.Definition, dwWrap),
				b.text(string(ind.Unit), dwPlain), b.text(string(ind.Direction), dwPlain), b.text(string(ind.AggregationOrDefault()), dwPlain)}
			if ind.Unit == indicators.Text {
				row = append(row, b.text(ind.BaselineText, dwWrap))
			} else {
				row = append(row, b.num(ind.Baseline, ind.Unit, dwPlain))
			}
			if ind.BaselineDate != nil && !ind.BaselineDate.IsZero() {
				row = append(row, excelize.Cell{StyleID: b.style(dwStyle{Border: true, VAlign: "top", NumFmt: dwFmtDate}), Value: *ind.BaselineDate})
			} else {
				row = append(row, b.text("", dwPlain))
			}
			if ind.Unit == indicators.Text {
				row = append(row, b.text(ind.TargetText, dwWrap))
			} else {
				row = append(row, b.num(ind.Target, ind.Unit, dwPlain))
			}
			use := ""
			if len(ms) > 0 {
				use = fw.MilestoneUse(ind).String()
			}
			row = append(row, b.text(strings.Join(ms, "\n"), dwWrap), b.text(use, dwWrap), b.text(string(ind.PathShapeOrDefault()), dwPlain),
				b.text(strings.Join(ind.Disaggregations, ", "), dwWrap),
				b.text(ind.DataSource, dwWrap), b.text(ind.CollectionMethod, dwWrap), b.text(ind.Frequency, dwPlain),
				b.text(ind.Responsible, dwWrap), b.text(ind.MeansOfVerification, dwWrap), b.text(ind.Formula, dwWrap), b.text(ind.Notes, dwWrap))
			s.add(row)
		}
	} else {
		for i := range r.Results {
			for j := range r.Results[i].Indicators {
				ind := &r.Results[i].Indicators[j]
				row := []excelize.Cell{b.text(ind.Code, dwPlain), b.text(r.Results[i].Code, dwPlain), b.text(ind.Name, dwWrap), b.text("", dwWrap),
					b.text(string(ind.Unit), dwPlain), b.text(string(ind.Direction), dwPlain), b.text(string(ind.Aggregation), dwPlain)}
				if repIsText(ind) {
					row = append(row, b.text(ind.BaselineText, dwWrap), b.text("", dwPlain), b.text(ind.TargetText, dwWrap))
				} else {
					row = append(row, b.num(ind.Baseline, ind.Unit, dwPlain), b.text("", dwPlain), b.num(ind.Target, ind.Unit, dwPlain))
				}
				row = append(row, b.text("", dwWrap), b.text(ind.MilestoneReading, dwWrap), b.text("", dwPlain), b.text("", dwWrap),
					b.text(ind.DataSource, dwWrap), b.text("", dwWrap),
					b.text(ind.Frequency, dwPlain), b.text(ind.Responsible, dwWrap), b.text(ind.Means, dwWrap), b.text(ind.Formula, dwWrap), b.text("", dwWrap))
				s.add(row)
			}
		}
	}
	s.filter = fmt.Sprintf("A1:%s%d", dwColName(len(dwPlanCols)), max(len(s.rows), 2))
	return s
}

func dwColName(n int) string {
	c, _ := excelize.ColumnNumberToName(n)
	return c
}

// dwDataCols are the columns of the Data sheet.
var dwDataCols = []string{"Code", "Indicator", "Unit", "Period", "Start", "End", "Disaggregation", "Value", "Numerator", "Denominator",
	"Text", "Verified", "Comment", "Source", "File", "Sheet", "Row", "Imported"}

// dwMaxRows is the number of rows an Excel sheet holds (a variable, so
// that tests can split the Data sheet without a million figures).
var dwMaxRows = excelize.TotalRows

// dwWidthSample is how many figures of a Data sheet its column widths are
// measured on: the rows after them are written as they are made, and any
// wider value overflows or wraps within the capped width.
var dwWidthSample = 10_000

// dwDataSheets splits n figures over Data sheets: each sheet holds its
// header row and the figures, and, when more follow on the next sheet, a
// note saying so on its last row, within Excel's dwMaxRows rows. It
// returns the number of figures of each sheet (one sheet at least).
func dwDataSheets(n int) []int {
	var out []int
	for n > dwMaxRows-1 {
		k := dwMaxRows - 2 // the header and the note
		out = append(out, k)
		n -= k
	}
	return append(out, n)
}

// dwDataName is the name of the i-th Data sheet: Data, Data (2), ...
func dwDataName(i int) string {
	if i == 0 {
		return dwData
	}
	return fmt.Sprintf("%s (%d)", dwData, i+1)
}

// data writes the Data sheet name: the figures figs, one per row, with
// their source; next, when not "", names the sheet where the figures go on
// (a note on the last row says so). The first dwWidthSample rows set the
// column widths; the others go to the StreamWriter as they are made.
func (b *dwBook) data(r *indicators.Report, fw *indicators.Framework, figs []indicators.Revision, name, next string) error {
	s := &dwSheet{name: name, freeze: "A2", titles: "$1:$1", wide: true, maxW: map[int]float64{2: 40, 11: 40, 13: 40, 14: 30, 15: 40}}
	head := make([]excelize.Cell, len(dwDataCols))
	for j, h := range dwDataCols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	type info struct {
		name string
		unit indicators.Unit
	}
	known := map[string]info{}
	if fw != nil {
		for _, ind := range fw.Indicators {
			known[ind.Code] = info{ind.Name, ind.Unit}
		}
	}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			if _, ok := known[ind.Code]; !ok {
				known[ind.Code] = info{ind.Name, ind.Unit}
			}
		}
	}
	// The styles of the figures' cells, looked up once (in the order the
	// cells first need them: the style ids stay as they were).
	date := b.style(dwStyle{NumFmt: dwFmtDate})
	stamp := b.style(dwStyle{NumFmt: dwFmtTime})
	plain, whole, dec := -1, -1, -1
	if len(figs) > 0 {
		plain = b.style(dwStyle{})
	}
	text := func(v string) excelize.Cell {
		if v == "" {
			return excelize.Cell{StyleID: plain}
		}
		return excelize.Cell{StyleID: plain, Value: v}
	}
	numCell := func(v *float64) excelize.Cell {
		if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
			return excelize.Cell{}
		}
		if dwNumFormat(indicators.Number, *v) == dwFmtInt {
			if whole < 0 {
				whole = b.style(dwStyle{NumFmt: dwFmtInt})
			}
			return excelize.Cell{StyleID: whole, Value: *v}
		}
		if dec < 0 {
			dec = b.style(dwStyle{NumFmt: dwFmtDec})
		}
		return excelize.Cell{StyleID: dec, Value: *v}
	}
	// The period's name and the file's base name, as the last figure's
	// (figures come grouped by period and file): made once, not per row.
	var lastPeriod indicators.Period
	var lastFile, periodName, fileName string
	figRow := func(row []excelize.Cell, f *indicators.Revision) []excelize.Cell {
		in := known[f.Indicator]
		if periodName == "" || f.Period != lastPeriod {
			lastPeriod, periodName = f.Period, f.Period.String()
		}
		if f.Loc.File != lastFile || fileName == "" {
			lastFile, fileName = f.Loc.File, indicators.BaseName(f.Loc.File)
		}
		row = append(row[:0], text(f.Indicator), text(in.name), text(string(in.unit)), text(periodName))
		if f.Period.Start.IsZero() {
			row = append(row, excelize.Cell{}, excelize.Cell{})
		} else {
			row = append(row, excelize.Cell{StyleID: date, Value: f.Period.Start}, excelize.Cell{StyleID: date, Value: f.Period.End})
		}
		dims := ""
		if !f.Dims.Total() {
			dims = f.Dims.String()
		}
		row = append(row, text(dims), numCell(f.Value), numCell(f.Numerator), numCell(f.Denominator), text(f.Text),
			text(string(f.Verified)), text(f.Comment), text(f.Source), text(fileName), text(f.Loc.Sheet))
		if f.Loc.Row > 0 {
			row = append(row, excelize.Cell{Value: f.Loc.Row})
		} else {
			row = append(row, excelize.Cell{})
		}
		if f.Imported.IsZero() {
			row = append(row, excelize.Cell{})
		} else {
			row = append(row, excelize.Cell{StyleID: stamp, Value: f.Imported.UTC()})
		}
		return row
	}
	sample := min(len(figs), dwWidthSample)
	for i := range figs[:sample] {
		s.add(figRow(make([]excelize.Cell, 0, len(dwDataCols)), &figs[i]))
	}
	s.filter = fmt.Sprintf("A1:%s%d", dwColName(len(dwDataCols)), max(1+len(figs), 2))
	if b.err != nil {
		return b.err
	}
	st, err := b.begin(s)
	if err != nil {
		return err
	}
	for i, row := range s.rows {
		if err := st.row(row, s.opts[i]); err != nil {
			return err
		}
	}
	s.rows = nil // the sample is written: let it go
	var row []excelize.Cell
	for i := range figs[sample:] {
		row = figRow(row, &figs[sample+i])
		if err := st.row(row, excelize.RowOpts{}); err != nil {
			return err
		}
	}
	if next != "" {
		note := fmt.Sprintf("The figures continue on sheet %s: an Excel sheet holds at most %s rows.", next, repNum(float64(dwMaxRows), 0))
		if err := st.row([]excelize.Cell{b.text(note, dwNote)}, excelize.RowOpts{}); err != nil {
			return err
		}
	}
	return st.end()
}

// findings is the Findings sheet: the data-quality findings, then the
// indicators' warnings that are not findings.
func (b *dwBook) findings(r *indicators.Report) *dwSheet {
	s := &dwSheet{name: dwFindings, freeze: "A2", titles: "$1:$1", wide: true, maxW: map[int]float64{6: 100}}
	cols := []string{"Code", "Severity", "Kind", "Period", "Indicator", "Finding"}
	head := make([]excelize.Cell, len(cols))
	for j, h := range cols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	names := map[string]string{}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			names[ind.Code] = ind.Name
		}
	}
	sev := map[indicators.Severity]string{indicators.SevError: "F4B6B6", indicators.SevWarning: "FFD966"}
	said := map[string]bool{}
	group := func(text string) {
		row := make([]excelize.Cell, len(cols))
		st := dwStyle{Bold: true, Fill: dwLevelFill[indicators.Outcome], Border: true}
		for j := range row {
			row[j] = b.text("", st)
		}
		row[0] = b.text(text, st)
		n := s.add(row)
		s.merge(n, 1, n, len(cols))
		s.noWidth[n-1] = true
	}
	if s.noWidth == nil {
		s.noWidth = map[int]bool{}
	}
	// Missing reports first, grouped by who owes them (SPEC 5, "What is
	// due"); each is also a finding of kind missing, listed here only.
	listed := map[string]bool{}
	for _, m := range r.Missing {
		listed[m.Indicator+"\x00"+m.Period] = true
	}
	msg := map[string]string{}
	for _, f := range r.Findings {
		if f.Kind == "missing" && listed[f.Code+"\x00"+f.Period] {
			msg[f.Code+"\x00"+f.Period] = f.Message
		}
	}
	byResp := map[string][]indicators.MissingReport{}
	var resps []string
	for _, m := range r.Missing {
		if _, ok := byResp[m.Responsible]; !ok {
			resps = append(resps, m.Responsible)
		}
		byResp[m.Responsible] = append(byResp[m.Responsible], m)
	}
	sort.SliceStable(resps, func(i, j int) bool {
		if (resps[i] == indicators.NoOneNamed) != (resps[j] == indicators.NoOneNamed) {
			return resps[j] == indicators.NoOneNamed
		}
		return strings.ToLower(resps[i]) < strings.ToLower(resps[j])
	})
	for _, resp := range resps {
		ms := byResp[resp]
		group(fmt.Sprintf("Missing reports: %s (%s)", resp, dwCount(len(ms), "figure", "figures")))
		for _, m := range ms {
			text := msg[m.Indicator+"\x00"+m.Period]
			if text == "" {
				text = "no figure for " + m.Period
			}
			name := m.Name
			if name == "" {
				name = names[m.Indicator]
			}
			s.add([]excelize.Cell{b.text(m.Indicator, dwPlain), b.text(string(indicators.SevWarning), dwStyle{Border: true, VAlign: "top", Fill: sev[indicators.SevWarning]}),
				b.text("missing", dwPlain), b.text(m.Period, dwPlain), b.text(name, dwWrap), b.text(text, dwWrap)})
		}
	}
	others := false
	for _, f := range r.Findings {
		if f.Kind == "missing" && listed[f.Code+"\x00"+f.Period] {
			continue // listed above
		}
		if !others && len(resps) > 0 {
			group("Other findings")
		}
		others = true
		said[f.Code+"\x00"+strings.Join(strings.Fields(f.Message), " ")] = true
		s.add([]excelize.Cell{b.text(f.Code, dwPlain), b.text(string(f.Severity), dwStyle{Border: true, VAlign: "top", Fill: sev[f.Severity]}),
			b.text(f.Kind, dwPlain), b.text(f.Period, dwPlain), b.text(names[f.Code], dwWrap), b.text(f.Message, dwWrap)})
	}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			for _, w := range ind.Warnings {
				if said[ind.Code+"\x00"+strings.Join(strings.Fields(w), " ")] {
					continue
				}
				if !others && len(resps) > 0 {
					group("Other findings")
				}
				others = true
				s.add([]excelize.Cell{b.text(ind.Code, dwPlain), b.text(string(indicators.SevWarning), dwStyle{Border: true, VAlign: "top", Fill: sev[indicators.SevWarning]}),
					b.text("warning", dwPlain), b.text(r.Period.Code, dwPlain), b.text(ind.Name, dwWrap), b.text(w, dwWrap)})
			}
		}
	}
	if len(s.rows) == 1 {
		s.add([]excelize.Cell{b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain),
			b.text("No findings: every figure is verified and every check holds.", dwWrap)})
	}
	s.widths = map[int]float64{5: 40}
	s.filter = fmt.Sprintf("A1:F%d", len(s.rows))
	return s
}

// dwCount is "1 figure", "3 figures".
func dwCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// dwRecCols are the columns of the management response matrix (the
// headings the actions importer reads).
var dwRecCols = []string{"Rec. no.", "Recommendation", "Addressed to", "Priority", "Response", "Reason", "Action no.", "Key action",
	"Deadline", "Responsible", "Comments", "Status", "Linked to"}

// recommendations is the Recommendations sheet, laid out like the
// management response matrix: a block per recommendation whose cells are
// merged over its key actions, one row per key action.
func (b *dwBook) recommendations(fu *indicators.FollowUp) *dwSheet {
	s := &dwSheet{name: dwRecommendations, freeze: "A3", titles: "$3:$3", wide: true,
		widths: map[int]float64{1: 9, 2: 50, 3: 18, 4: 9, 5: 14, 6: 30, 7: 9, 8: 50, 9: 22, 10: 20, 11: 40, 12: 13, 13: 16}}
	s.add([]excelize.Cell{b.text(fmt.Sprintf("Follow-up of recommendations as of %s: %s", fu.AsOf, fuSummary(fu)), dwTitle)})
	s.add(nil)
	head := make([]excelize.Cell, len(dwRecCols))
	for j, h := range dwRecCols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	actionFill := map[indicators.ActionStatus]string{}
	for _, st := range indicators.ActionStatuses {
		switch {
		case strings.Contains(string(st), "complete"):
			actionFill[st] = dwStatusFill[indicators.StatusOnTrack]
		case strings.Contains(string(st), "not"):
			actionFill[st] = dwStatusFill[indicators.StatusNoData]
		}
	}
	evaluation := ""
	for _, rec := range fu.Recommendations {
		if rec.Evaluation != evaluation && len(fu.Evaluations) > 1 {
			evaluation = rec.Evaluation
			row := s.add([]excelize.Cell{b.text(rec.Evaluation, dwStyle{Bold: true, Fill: dwLevelFill[indicators.Outcome], Border: true})})
			s.merge(row, 1, row, len(dwRecCols))
		}
		n := max(len(rec.Actions), 1)
		first := len(s.rows) + 1
		for i := 0; i < n; i++ {
			recCells := []excelize.Cell{b.text(rec.Number, dwPlain), b.text(rec.Text, dwWrap), b.text(rec.AddressedTo, dwWrap)}
			if rec.Priority > 0 {
				recCells = append(recCells, excelize.Cell{StyleID: b.style(dwStyle{Border: true, VAlign: "top", HAlign: "center"}), Value: rec.Priority})
			} else {
				recCells = append(recCells, b.text("", dwPlain))
			}
			recCells = append(recCells, b.text(string(rec.Response), dwPlain), b.text(rec.Reason, dwWrap))
			if i > 0 { // merged below the first row: the cells keep only their style
				for j := range recCells {
					recCells[j].Value = nil
				}
			}
			if len(rec.Actions) == 0 {
				s.add(append(recCells, b.text("", dwPlain), b.text("no key action", dwStyle{Border: true, VAlign: "top", Italic: true}),
					b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain)))
				continue
			}
			a := rec.Actions[i]
			status := dwStyle{Border: true, VAlign: "top", Fill: actionFill[a.Status]}
			due := fuDue(a)
			if a.Overdue {
				status.Fill = dwStatusFill[indicators.StatusOffTrack]
			}
			s.add(append(recCells, b.text(a.Number, dwPlain), b.text(a.Text, dwWrap), b.text(due, dwWrap), b.text(a.Responsible, dwWrap),
				b.text(fuLast(a), dwWrap), b.text(string(a.Status), status), b.text(strings.Join(a.Links, ", "), dwWrap)))
		}
		if n > 1 {
			for c := 1; c <= 6; c++ {
				s.merge(first, c, first+n-1, c)
			}
		}
	}
	return s
}
