package importers

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/rmf-project/rmf/indicators"
)

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

// dataRow reads one data row of a sheet.
func (im *measurementImporter) dataRow(lay *sheetLayout, row int, cells []Cell) error {
	rc := &rowCtx{lay: lay, row: row, cells: cells}
	if im.uncomputed(rc) {
		return nil
	}
	ind := im.rowIndicator(rc)
	if ind == nil {
		return nil
	}
	return im.rowFigures(rc, ind)
}

// rowIndicator is the indicator of a row with figures: its code as text,
// a number Excel made of it, or a code followed by its name; nil for a
// row without figures or with a problem (recorded).
func (im *measurementImporter) rowIndicator(rc *rowCtx) *indicators.Indicator {
	lay, cells := rc.lay, rc.cells
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
	return ind
}

// rowFigures reads the figures of a row of indicator ind: one per period
// column of a wide sheet, else the row's period, value (or numerator and
// denominator) and its other columns.
func (im *measurementImporter) rowFigures(rc *rowCtx, ind *indicators.Indicator) error {
	lay, cells := rc.lay, rc.cells
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
