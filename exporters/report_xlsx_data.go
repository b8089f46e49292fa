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
