package importers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// flatResult is a result of the rows, flatIndicator one of its
// indicators, flatPeriod one row of that indicator (a period).
type flatResult struct {
	level      indicators.Level
	typeCell   Cell
	title      Cell
	desc       string
	ref        string
	code       string
	row        int
	indicators []*flatIndicator
	byKey      map[string]*flatIndicator // by reference, or by title
}

type flatIndicator struct {
	res       *flatResult
	ref       string
	title     Cell
	desc      string
	measure   Cell
	ascending Cell
	baseline  Cell
	blYear    Cell
	code      string
	row       int
	periods   []flatPeriod
}

type flatPeriod struct {
	row           int
	start, end    Cell
	period        indicators.Period
	dims, actDims indicators.Disagg
	target        Cell
	actual        Cell
	tComment      string
	aComment      string
}

// flatFile is the rows of sh under header h read into results and
// indicators, grouped as the layout says, for the activity read; with the
// activities found (in order) and the problems of the rows.
type flatFile struct {
	sh         *Sheet
	h          Header
	results    []*flatResult
	activities []string
	actNames   map[string]Cell
	activity   string // the activity read
	probs      indicators.Problems
}

func (ff *flatFile) cell(r int, field string) Cell {
	c, ok := ff.h.Get(ff.sh, r, field)
	if !ok {
		return Cell{}
	}
	return c
}

func (ff *flatFile) text(r int, field string) string {
	c := ff.cell(r, field)
	if c.Empty() {
		return ""
	}
	return strings.TrimSpace(c.Raw)
}

func (ff *flatFile) errAt(c Cell, field string, sentinel error, format string, args ...any) {
	ff.probs = append(ff.probs, &indicators.CellError{File: ff.sh.File, Sheet: ff.sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
}

// legendRow is true for a row of explanations under the header: its
// figure cells hold words without digits ("target value").
func (ff *flatFile) legendRow(r int) bool {
	words := 0
	for _, f := range []string{"target", "actual", "start", "end", "baseline"} {
		c := ff.cell(r, f)
		if c.Empty() {
			continue
		}
		if c.Kind != CellText || strings.ContainsAny(c.Raw, "0123456789") && !strings.Contains(strings.ToUpper(c.Raw), "YYYY") {
			return false
		}
		words++
	}
	return words > 0
}

// headerAgain is true for a second copy of the header row.
func (ff *flatFile) headerAgain(r int) bool {
	for _, col := range ff.h.Cols {
		if key(ff.sh.Cell(r, col).Raw) != key(ff.sh.Cell(ff.h.Row, col).Raw) {
			return false
		}
	}
	return true
}

func parseResultType(s string) (indicators.Level, bool) {
	switch key(s) {
	case "1", "output", "outputs", "output1":
		return indicators.Output, true
	case "2", "outcome", "outcomes", "outcome2":
		return indicators.Outcome, true
	case "3", "impact", "goal", "impact3":
		return indicators.Goal, true
	}
	return "", false
}

func readFlatFile(sh *Sheet, activity string) *flatFile {
	h, _ := flatHeader(sh)
	ff := &flatFile{sh: sh, h: h, actNames: map[string]Cell{}}
	var curAct string
	var curRes *flatResult
	var curInd *flatIndicator
	resByKey := map[string]*flatResult{}
	seenAct := map[string]bool{}
	legendOK := true
	for r := h.Row + 1; r <= len(sh.Rows); r++ {
		if sh.RowEmpty(r) {
			continue
		}
		if legendOK && ff.legendRow(r) || ff.headerAgain(r) {
			continue
		}
		legendOK = false
		if a := ff.text(r, "activity"); a != "" {
			if a != curAct {
				curRes, curInd = nil, nil
			}
			curAct = a
		}
		if !seenAct[curAct] {
			seenAct[curAct] = true
			ff.activities = append(ff.activities, curAct)
			if n := ff.cell(r, "activity_name"); !n.Empty() {
				ff.actNames[curAct] = n
			}
		}
		if activity == "" && len(ff.activities) > 0 {
			activity = ff.activities[0]
		}
		if curAct != activity {
			continue
		}
		// The result: a new one when its type or title is given.
		tc, tt := ff.cell(r, "result_type"), ff.cell(r, "result_title")
		if !tc.Empty() || !tt.Empty() {
			if res := ff.resultAt(r, tc, tt, resByKey); res != curRes {
				curRes, curInd = res, nil
			}
		}
		if curRes == nil {
			ff.errAt(ff.sh.Cell(r, firstCol(ff.h, "result_title", "result_type")), "result_title", indicators.ErrRequired,
				"the row has no result and there is no result above it, expected the result type and title")
			continue
		}
		// The indicator: a new one when its reference or title is given.
		ref, title := ff.text(r, "ind_ref"), ff.cell(r, "ind_title")
		if ref != "" || !title.Empty() {
			curInd = ff.indicatorAt(r, curRes, ref, title)
		}
		if curInd == nil {
			ff.errAt(ff.sh.Cell(r, firstCol(ff.h, "ind_title", "ind_ref")), "ind_title", indicators.ErrRequired,
				"the row has no indicator and there is no indicator above it in its result, expected the indicator title or reference")
			continue
		}
		if curInd.title.Empty() && !title.Empty() {
			curInd.title = title
		}
		ff.indicatorCells(r, curInd)
		if p, ok := ff.periodRow(r); ok {
			curInd.periods = append(curInd.periods, p)
		}
	}
	ff.activity = activity
	return ff
}

// resultAt is the result that row r names by its type cell tc and title
// cell tt: one seen before, else a new one.
func (ff *flatFile) resultAt(r int, tc, tt Cell, resByKey map[string]*flatResult) *flatResult {
	k := key(tc.Raw) + "\x00" + strings.TrimSpace(tt.Raw)
	if res, ok := resByKey[k]; ok {
		return res
	}
	res := &flatResult{typeCell: tc, title: tt, desc: ff.text(r, "result_description"), ref: ff.text(r, "result_ref"), row: r}
	if tc.Empty() {
		ff.errAt(tc, "level", indicators.ErrRequired, "result %s has no type, expected 1 (output), 2 (outcome) or 3 (impact)", shown(tt))
	} else if lv, ok := parseResultType(tc.Raw); ok {
		res.level = lv
	} else {
		ff.errAt(tc, "level", indicators.ErrInvalid, "result type %s, expected 1 (output), 2 (outcome) or 3 (impact)", shown(tc))
	}
	resByKey[k] = res
	ff.results = append(ff.results, res)
	return res
}

// indicatorAt is the indicator of res that row r names: the same one
// again by its reference (or its title when it has no reference), else a
// new one.
func (ff *flatFile) indicatorAt(r int, res *flatResult, ref string, title Cell) *flatIndicator {
	k := "ref\x00" + ref
	if ref == "" {
		k = "title\x00" + strings.TrimSpace(title.Raw)
	}
	found, ok := res.byKey[k]
	if !ok {
		found = &flatIndicator{res: res, ref: ref, title: title, desc: ff.text(r, "ind_description"), row: r}
		res.indicators = append(res.indicators, found)
		if res.byKey == nil {
			res.byKey = map[string]*flatIndicator{}
		}
		res.byKey[k] = found
	}
	return found
}

// indicatorCells reads the indicator-wide cells of row r: the first row
// that gives each; a later row that gives another value is a problem.
func (ff *flatFile) indicatorCells(r int, curInd *flatIndicator) {
	for _, f := range []struct {
		field string
		dst   *Cell
		what  string
	}{
		{"measure", &curInd.measure, "measure"},
		{"ascending", &curInd.ascending, "ascending"},
		{"baseline", &curInd.baseline, "baseline"},
		{"baseline_year", &curInd.blYear, "baseline year"},
	} {
		c := ff.cell(r, f.field)
		if c.Empty() {
			continue
		}
		if f.dst.Ref == "" {
			*f.dst = c
			continue
		}
		if strings.TrimSpace(f.dst.Raw) != strings.TrimSpace(c.Raw) {
			ff.errAt(c, f.field, indicators.ErrInvalid, "%s %s of indicator %s differs from %s given in %s for the same indicator, expected one %s per indicator",
				f.what, shown(c), indicatorName(curInd), shown(*f.dst), f.dst.Ref, f.what)
		}
	}
}

// periodRow is the period that row r gives (dates, target, actual and
// their dimensions); ok is false for an indicator's row without one.
func (ff *flatFile) periodRow(r int) (flatPeriod, bool) {
	p := flatPeriod{row: r, start: ff.cell(r, "start"), end: ff.cell(r, "end"), target: ff.cell(r, "target"), actual: ff.cell(r, "actual"),
		tComment: ff.text(r, "target_comment"), aComment: ff.text(r, "actual_comment")}
	p.dims = ff.dims(r, [][2]string{{"dim1_name", "dim1_value"}, {"dim2_name", "dim2_value"}})
	p.actDims = p.dims
	if ff.h.Has("actual_dim_name") {
		p.actDims = ff.dims(r, [][2]string{{"actual_dim_name", "actual_dim_value"}})
	}
	if p.start.Empty() && p.end.Empty() && p.target.Empty() && p.actual.Empty() {
		return p, false
	}
	if pr, ok := ff.period(p); ok {
		p.period = pr
	}
	return p, true
}

func firstCol(h Header, fields ...string) int {
	for _, f := range fields {
		if c, ok := h.Cols[f]; ok {
			return c
		}
	}
	return 0
}

func indicatorName(in *flatIndicator) string {
	if in.ref != "" {
		return in.ref
	}
	return strconv.Quote(strings.TrimSpace(in.title.Raw))
}

// dims reads the dimension name/value pairs of row r.
func (ff *flatFile) dims(r int, pairs [][2]string) indicators.Disagg {
	var d indicators.Disagg
	for _, p := range pairs {
		n, v := ff.cell(r, p[0]), ff.cell(r, p[1])
		if n.Empty() && v.Empty() {
			continue
		}
		if n.Empty() || v.Empty() {
			var c Cell
			what := "name"
			if n.Empty() {
				c = ff.sh.Cell(r, ff.h.Cols[p[0]])
			} else {
				c, what = ff.sh.Cell(r, ff.h.Cols[p[1]]), "value"
			}
			ff.errAt(c, p[0], indicators.ErrRequired, "a dimension without its %s, expected both the dimension name (such as sex) and its value (such as female)", what)
			continue
		}
		if d == nil {
			d = indicators.Disagg{}
		}
		d[strings.ToLower(strings.TrimSpace(n.Raw))] = strings.TrimSpace(v.Raw)
	}
	return d
}

// period reads a row's period from its start and end dates (DD-MM-YYYY
// in spreadsheets2iati, YYYY-MM-DD in AidStream, or date cells).
func (ff *flatFile) period(p flatPeriod) (indicators.Period, bool) {
	var ends [2]time.Time
	for i, c := range []Cell{p.start, p.end} {
		field := [2]string{"start", "end"}[i]
		if c.Empty() {
			if !ff.h.Has(field) {
				continue
			}
			ff.errAt(c, field, indicators.ErrRequired, "the period has no %s date, expected a date such as 31-12-2021 or 2021-12-31", field)
			return indicators.Period{}, false
		}
		d, err := c.Date(ff.sh.Date1904)
		if err != nil {
			ff.errAt(c, field, indicators.ErrInvalid, "period %s date %s is not a date, expected a date such as 31-12-2021 or 2021-12-31", field, shown(c))
			return indicators.Period{}, false
		}
		ends[i] = d
	}
	if ends[0].IsZero() || ends[1].IsZero() {
		field := "start"
		if ends[1].IsZero() {
			field = "end"
		}
		ff.errAt(ff.sh.Cell(p.row, 0), field, indicators.ErrMissingColumn, "the file has no period %s column, expected both Start date and End date columns", field)
		return indicators.Period{}, false
	}
	if ends[1].Before(ends[0]) {
		ff.errAt(p.end, "end", indicators.ErrInvalid, "period end %s is before its start %s, expected an end on or after the start", ends[1].Format(time.DateOnly), ends[0].Format(time.DateOnly))
		return indicators.Period{}, false
	}
	return indicators.Normalize(indicators.Range(ends[0], ends[1])), true
}

// flatUnit reads an indicator's measure: 1 number, 2 percent, 3 and 4
// (nominal, ordinal) number, 5 qualitative (text); words too.
func flatUnit(c Cell) (indicators.Unit, bool) {
	switch key(c.Raw) {
	case "", "1", "unit", "number", "numeric", "units":
		return indicators.Number, true
	case "2", "percentage", "percent":
		return indicators.Percent, true
	case "3", "nominal", "4", "ordinal":
		return indicators.Number, true
	case "5", "qualitative", "text":
		return indicators.Text, true
	}
	return "", false
}
