package importers

// "rmf import" of the logframe layouts of framework_layouts.go: the
// Achieved rows of a DFID logframe and the Actual cells of flat IATI
// results rows are figures, read with the codes "rmf framework import"
// gave the indicators from the same file.

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// replayRows yields rows read ahead, then the rest of a rowSource.
type replayRows struct {
	head []peekedRow
	rest rowSource
}

func (r *replayRows) Next() (int, []Cell, error) {
	if len(r.head) > 0 {
		p := r.head[0]
		r.head = r.head[1:]
		return p.row, p.cells, nil
	}
	return r.rest.Next()
}

// readSheetOrLayout reads a sheet of a measurement file: a DFID logframe
// or flat IATI results rows (recognised from the first MaxHeaderScan
// rows) give their actuals; any other sheet is read by readSheet.
func (im *measurementImporter) readSheetOrLayout(sheet string, rr rowSource) error {
	var head []peekedRow
	probe := &Sheet{File: im.file, Name: sheet, Date1904: im.date1904}
	for len(head) < MaxHeaderScan {
		row, cells, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return im.fatal(sheet, err)
		}
		cp := make([]Cell, len(cells))
		for j, c := range cells {
			c.Ref = cellRef(j, row)
			cp[j] = c
		}
		head = append(head, peekedRow{row: row, cells: cp})
		for len(probe.Rows) < row {
			probe.Rows = append(probe.Rows, nil)
		}
		probe.Rows[row-1] = cp
	}
	flat, dfid := flatScore(probe).ok(), dfidScore(probe).ok()
	if dfid && !flat && measurementHeaderRow(probe) > 0 {
		// A partner's sheet under a title such as "Output 1: ..." with
		// Baseline and Target columns beside its period and value
		// columns is figures in rmf's layout, not a DFID logframe.
		dfid = false
	}
	if !flat && !dfid {
		return im.readSheet(sheet, &replayRows{head: head, rest: rr})
	}
	sh, err := collectSheet(im.file, sheet, rr, head, im.date1904)
	if err != nil {
		return im.fatal(sheet, err)
	}
	im.sheets++
	var figs []indicators.Measurement
	if flat {
		var probs indicators.Problems
		figs, probs = flatFigures(sh, im.fw)
		for _, p := range probs {
			im.addProblem(sheet, p)
		}
	} else {
		p := im.fw.Project
		if c, ok := sheetProject(sh, 12)["code"]; ok && strings.TrimSpace(c.Raw) != p.Code {
			im.problem(&indicators.CellError{File: im.file, Sheet: sheet, Row: rowOf(c.Ref), Cell: c.Ref, Field: "code", Err: fmt.Errorf(
				"%w: the logframe is of project %s, but the database holds project %s, expected a logframe of %s", indicators.ErrUnknownCode, im.shown(c), p.Code, p.Code)})
			return nil
		}
		lf, err := readDFID(sh, nil, FrameworkOptions{Code: p.Code, Title: p.Title, Start: p.Start.Format(time.DateOnly), End: p.End.Format(time.DateOnly)})
		if err != nil {
			var probs indicators.Problems
			if errors.As(err, &probs) {
				for _, p := range probs {
					im.addProblem(sheet, p)
				}
				return nil
			}
			return im.fatal(sheet, err)
		}
		figs = lf.Figures
		for _, m := range figs {
			ind, ok := im.codes[m.Indicator]
			c := m.Loc.Cell("value")
			switch {
			case !ok:
				im.problem(&indicators.CellError{File: im.file, Sheet: sheet, Row: m.Loc.Row, Cell: c, Field: "indicator", Err: fmt.Errorf(
					"%w: indicator %s of this logframe is not in the framework, expected an indicator of the project: import the framework from this file first with rmf framework import %s",
					indicators.ErrUnknownCode, m.Indicator, im.file)})
			case !im.within(m.Period):
				im.problem(&indicators.CellError{File: im.file, Sheet: sheet, Row: m.Loc.Row, Cell: c, Field: "period", Err: fmt.Errorf(
					"%w: the achieved figure of %s is for %s, which lies outside the project, expected a period within %s", indicators.ErrOutOfRange, ind.Code, m.Period, im.project)})
			}
		}
	}
	if im.probs.Len() > 0 {
		return nil
	}
	for _, m := range figs {
		im.rows++
		if err := im.sink.Add(m); err != nil {
			var ce *indicators.CellError
			var ps indicators.Problems
			switch {
			case errors.As(err, &ps):
				for _, e := range ps {
					im.addProblem(sheet, e)
				}
			case errors.As(err, &ce):
				im.problem(ce)
			default:
				return &indicators.CellError{File: im.file, Sheet: sheet, Row: m.Loc.Row, Err: fmt.Errorf("storing the figure: %w", err)}
			}
		}
	}
	return nil
}

// addProblem records p, a CellError or not.
func (im *measurementImporter) addProblem(sheet string, p error) {
	var ce *indicators.CellError
	if errors.As(p, &ce) {
		im.problem(ce)
		return
	}
	im.problem(&indicators.CellError{File: im.file, Sheet: sheet, Err: p})
}

// layoutRow is true for a header row of flat IATI results rows or an
// indicator heading row of a DFID logframe: such a sheet holds figures
// (read by readSheetOrLayout), not expenditures.
func layoutRow(cells []Cell) bool {
	if _, ok := readDFIDHeader(1, cells); ok {
		return true
	}
	sh := &Sheet{Rows: [][]Cell{cells}}
	h, _ := flatHeader(sh)
	return h.Row > 0
}
