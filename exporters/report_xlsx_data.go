package exporters

import (
	"fmt"
	"math"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

func dwColName(n int) string {
	c, _ := excelize.ColumnNumberToName(n)
	return c
}

// dwDataCols are the columns of the Data sheet.
var dwDataCols = []string{"Code", "Indicator", "Unit", "Period", "Start", "End", "Disaggregation", "Value", "Numerator", "Denominator",
	"Text", "Verified", "Comment", "Source", "File", "Sheet", "Row", "Imported"}

// dwWidthSample is how many figures of a Data sheet its column widths are
// measured on: the rows after them are written as they are made, and any
// wider value overflows or wraps within the capped width.
const dwWidthSample = 10_000

// dwDataSheets splits n figures over Data sheets: each sheet holds its
// header row and the figures, and, when more follow on the next sheet, a
// note saying so on its last row, within maxRows rows (Excel: 1,048,576). It
// returns the number of figures of each sheet (one sheet at least).
func dwDataSheets(n, maxRows int) []int {
	var out []int
	for n > maxRows-1 {
		k := maxRows - 2 // the header and the note
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
func (b *dwBook) data(r *indicators.Report, fw *indicators.Framework, n int, fig func() (*indicators.Revision, error), name, next string) error {
	s := &dwSheet{name: name, freeze: "A2", titles: "$1:$1", wide: true, maxW: map[int]float64{2: 40, 11: 40, 13: 40, 14: 30, 15: 40}}
	head := make([]excelize.Cell, len(dwDataCols))
	for j, h := range dwDataCols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	fr := newDWFigureRows(b, r, fw, n > 0)
	sample := min(n, b.widthSample)
	for range sample {
		f, err := fig()
		if err != nil {
			return err
		}
		s.add(fr.row(make([]excelize.Cell, 0, len(dwDataCols)), f))
	}
	s.filter = fmt.Sprintf("A1:%s%d", dwColName(len(dwDataCols)), max(1+n, 2))
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
	for range n - sample {
		f, err := fig()
		if err != nil {
			return err
		}
		row = fr.row(row, f)
		if err := st.row(row, excelize.RowOpts{}); err != nil {
			return err
		}
	}
	if next != "" {
		note := fmt.Sprintf("The figures continue on sheet %s: an Excel sheet holds at most %s rows.", next, repNum(float64(b.maxRows), 0))
		if err := st.row([]excelize.Cell{b.text(note, dwNote)}, excelize.RowOpts{}); err != nil {
			return err
		}
	}
	return st.end()
}

// dwFigureRows makes the Data sheet's rows, one per figure, with the
// styles of their cells looked up once and the period's name and the
// file's base name made once per run of figures (they come grouped by
// period and file), not per row.
type dwFigureRows struct {
	b                          *dwBook
	known                      map[string]dwIndInfo
	date, stamp                int
	plain, whole, dec          int // -1: not looked up yet
	lastPeriod                 indicators.Period
	lastFile, periodName, file string
}

// dwIndInfo is what a figure's row shows of its indicator.
type dwIndInfo struct {
	name string
	unit indicators.Unit
}

func newDWFigureRows(b *dwBook, r *indicators.Report, fw *indicators.Framework, hasFigs bool) *dwFigureRows {
	fr := &dwFigureRows{b: b, known: map[string]dwIndInfo{}, plain: -1, whole: -1, dec: -1}
	if fw != nil {
		for _, ind := range fw.Indicators {
			fr.known[ind.Code] = dwIndInfo{ind.Name, ind.Unit}
		}
	}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			if _, ok := fr.known[ind.Code]; !ok {
				fr.known[ind.Code] = dwIndInfo{ind.Name, ind.Unit}
			}
		}
	}
	// In the order the cells first need them: the style ids stay as they
	// were.
	fr.date = b.style(dwStyle{NumFmt: dwFmtDate})
	fr.stamp = b.style(dwStyle{NumFmt: dwFmtTime})
	if hasFigs {
		fr.plain = b.style(dwStyle{})
	}
	return fr
}

func (fr *dwFigureRows) text(v string) excelize.Cell {
	if v == "" {
		return excelize.Cell{StyleID: fr.plain}
	}
	return excelize.Cell{StyleID: fr.plain, Value: v}
}

func (fr *dwFigureRows) num(v *float64) excelize.Cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return excelize.Cell{}
	}
	if dwNumFormat(indicators.Number, *v) == dwFmtInt {
		if fr.whole < 0 {
			fr.whole = fr.b.style(dwStyle{NumFmt: dwFmtInt})
		}
		return excelize.Cell{StyleID: fr.whole, Value: *v}
	}
	if fr.dec < 0 {
		fr.dec = fr.b.style(dwStyle{NumFmt: dwFmtDec})
	}
	return excelize.Cell{StyleID: fr.dec, Value: *v}
}

// row is figure f's row, made in row's memory.
func (fr *dwFigureRows) row(row []excelize.Cell, f *indicators.Revision) []excelize.Cell {
	in := fr.known[f.Indicator]
	if fr.periodName == "" || f.Period != fr.lastPeriod {
		fr.lastPeriod, fr.periodName = f.Period, f.Period.String()
	}
	if f.Loc.File != fr.lastFile || fr.file == "" {
		fr.lastFile, fr.file = f.Loc.File, indicators.BaseName(f.Loc.File)
	}
	row = append(row[:0], fr.text(f.Indicator), fr.text(in.name), fr.text(string(in.unit)), fr.text(fr.periodName))
	if f.Period.Start.IsZero() {
		row = append(row, excelize.Cell{}, excelize.Cell{})
	} else {
		row = append(row, excelize.Cell{StyleID: fr.date, Value: f.Period.Start}, excelize.Cell{StyleID: fr.date, Value: f.Period.End})
	}
	dims := ""
	if !f.Dims.Total() {
		dims = f.Dims.String()
	}
	row = append(row, fr.text(dims), fr.num(f.Value), fr.num(f.Numerator), fr.num(f.Denominator), fr.text(f.Text),
		fr.text(string(f.Verified)), fr.text(f.Comment), fr.text(f.Source), fr.text(fr.file), fr.text(f.Loc.Sheet))
	if f.Loc.Row > 0 {
		row = append(row, excelize.Cell{Value: f.Loc.Row})
	} else {
		row = append(row, excelize.Cell{})
	}
	if f.Imported.IsZero() {
		row = append(row, excelize.Cell{})
	} else {
		row = append(row, excelize.Cell{StyleID: fr.stamp, Value: f.Imported.UTC()})
	}
	return row
}
