package importers

import (
	"fmt"
	"io"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

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
