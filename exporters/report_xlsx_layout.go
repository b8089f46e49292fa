package exporters

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

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
	if err := b.pageSetup(s); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(s.name)
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
		if err := sw.SetColWidth(c, c, colW(c)); err != nil {
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

// pageSetup sets sheet s's filter, page layout, print titles and page
// breaks: before the stream writer, which writes the sheet's settings as
// they are when it starts.
func (b *dwBook) pageSetup(s *dwSheet) error {
	f := b.f
	if s.filter != "" {
		if err := f.AutoFilter(s.name, s.filter, nil); err != nil {
			return fmt.Errorf("sheet %s: autofilter %s: %w", s.name, s.filter, err)
		}
	}
	if err := b.pageLayout(s); err != nil {
		return err
	}
	if s.titles != "" || s.titleCols != "" {
		var refs []string
		for _, t := range []string{s.titleCols, s.titles} {
			if t != "" {
				refs = append(refs, "'"+s.name+"'!"+t)
			}
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(refs, ","), Scope: s.name}); err != nil {
			return fmt.Errorf("sheet %s: print titles: %w", s.name, err)
		}
	}
	for _, c := range s.colBreaks {
		ref, _ := excelize.CoordinatesToCellName(c, 1)
		if err := f.InsertPageBreak(s.name, ref); err != nil {
			return fmt.Errorf("sheet %s: page break before %s: %w", s.name, ref, err)
		}
	}
	return nil
}

// pageLayout prints s landscape: fitted to the width (wide), to fitWide
// pages across, at dwAcrossScale over as many pages as it needs (across)
// or on one page (onePage).
func (b *dwBook) pageLayout(s *dwSheet) error {
	f := b.f
	fit := func(o *excelize.PageLayoutOptions) error {
		if err := f.SetPageLayout(s.name, o); err != nil {
			return fmt.Errorf("sheet %s: page layout: %w", s.name, err)
		}
		yes := true
		if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
			return fmt.Errorf("sheet %s: fit to page: %w", s.name, err)
		}
		return nil
	}
	land, a4, one, zero := "landscape", 9, 1, 0
	if s.wide {
		if err := fit(&excelize.PageLayoutOptions{Orientation: &land, FitToWidth: &one, FitToHeight: &zero}); err != nil {
			return err
		}
	}
	if s.fitWide > 0 {
		n := s.fitWide
		if err := fit(&excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &n, FitToHeight: &zero}); err != nil {
			return err
		}
	}
	if s.across {
		scale := uint(dwAcrossScale)
		if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, AdjustTo: &scale}); err != nil {
			return fmt.Errorf("sheet %s: page layout: %w", s.name, err)
		}
	}
	if s.onePage {
		if err := fit(&excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &one, FitToHeight: &one}); err != nil {
			return err
		}
	}
	return nil
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
