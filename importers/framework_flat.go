package importers

// Flat IATI results rows (see framework_layouts.go): one row per indicator
// period, as the spreadsheets2iati results template and AidStream's result
// CSV write them: result (type, title), indicator (reference, measure,
// title, ascending), baseline (year, value), period start and end,
// dimension name and value, target, actual and comments.
//
// Rows whose result columns are empty continue the result above, rows
// whose indicator columns are empty the indicator above (AidStream writes
// further periods so). A row right under the header whose figures are
// words (spreadsheets2iati's legend row) and a second copy of the header
// (AidStream's template) are skipped.
//
// Mapping to rmf: result type 3 (impact) is the goal G (G1, G2 when
// several), 2 (outcome) O1, O2 ..., 1 (output) 1, 2 ... in order of first
// appearance, unless the file gives a results reference code; the
// indicator's code is its "Indicator reference" (or "Reference Code"),
// else its result's code and its number within the result (1.2). Each
// period's target is a milestone for that period and the target of the
// last period the end-of-project target; each period's actual is a figure
// of that period, read by "rmf import". IATI compares each period's
// actual with that period's target, so the indicators are levels
// (aggregation last). Measure 1 is number, 2 percent, 5 (qualitative)
// text; ascending N is a decreasing indicator. The project code is the
// IATI activity identifier and its title the activity name when the file
// has them (a file with several activities is read one at a time, chosen
// with --activity); its start and end are given with --start and --end;
// its reporting frequency is the periods' when they are all years,
// semesters, quarters or months.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

var flatFields = []Field{
	{Name: "activity", Headings: []string{"IATI activity identifier", "Activity identifier", "IATI identifier", "iati-identifier", "Activity ID", "IATI activity ID"}},
	{Name: "activity_name", Headings: []string{"Activity name", "Activity title", "Project title", "Programme title"}},
	{Name: "result_type", Headings: []string{"Result type", "Type", "Results type"}},
	{Name: "result_title", Headings: []string{"Result title", "Title", "Results title"}},
	{Name: "result_description", Headings: []string{"Result description", "Description", "Results description"}},
	{Name: "result_ref", Headings: []string{"Results Reference Code", "Result reference", "Result reference code", "Result code"}},
	{Name: "measure", Headings: []string{"Indicator measure", "Measure"}},
	{Name: "ind_ref", Headings: []string{"Indicator reference", "Reference Code", "Indicator reference code", "Indicator code", "Indicator ref"}},
	{Name: "ind_title", Headings: []string{"Indicator title", "Indicator name"}},
	{Name: "ind_description", Headings: []string{"Indicator description"}},
	{Name: "ascending", Headings: []string{"Ascending", "Indicator ascending"}},
	{Name: "baseline_year", Headings: []string{"Baseline year", "Baseline iso-date", "Baseline date"}},
	{Name: "baseline", Headings: []string{"Baseline", "Baseline value"}},
	{Name: "baseline_comment", Headings: []string{"Baseline comment"}},
	{Name: "start", Headings: []string{"Start date", "Period start", "Period start date", "Period-start"}},
	{Name: "end", Headings: []string{"End date", "Period end", "Period end date", "Period-end"}},
	{Name: "dim1_name", Headings: []string{"Dimension 1 name", "Dimension name", "Target dimension name"}},
	{Name: "dim1_value", Headings: []string{"Dimension 1 value", "Dimension value", "Target dimension value"}},
	{Name: "dim2_name", Headings: []string{"Dimension 2 name"}},
	{Name: "dim2_value", Headings: []string{"Dimension 2 value"}},
	{Name: "actual_dim_name", Headings: []string{"Actual dimension name"}},
	{Name: "actual_dim_value", Headings: []string{"Actual dimension value"}},
	{Name: "target", Headings: []string{"Target", "Target value"}},
	{Name: "target_comment", Headings: []string{"Target comment"}},
	{Name: "actual", Headings: []string{"Actual", "Actual value"}},
	{Name: "actual_comment", Headings: []string{"Actual comment"}},
}

// flatIndex maps a normalised heading to the field of flatFields it names
// (the first one, in order).
var flatIndex = func() map[string]string {
	idx := map[string]string{}
	for _, f := range flatFields {
		for _, h := range append([]string{f.Name}, f.Headings...) {
			if k := indicators.Norm(h); k != "" {
				if _, dup := idx[k]; !dup {
					idx[k] = f.Name
				}
			}
		}
	}
	return idx
}()

// maxSniffCols is how many cells of a row are looked at to recognise a
// layout: a header row is far shorter, and a mutated file with a row of
// 100,000 cells must not make recognition slow.
const maxSniffCols = 256

// flatHeader finds the header row of flat results rows in sh: the first
// row (within MaxHeaderScan) naming an indicator (title or reference) and
// a period start or end. It returns the columns found.
func flatHeader(sh *Sheet) (Header, []string) {
	for r := 1; r <= len(sh.Rows) && r <= MaxHeaderScan; r++ {
		h := Header{Row: r, Cols: map[string]int{}}
		var found []string
		for j, c := range sh.Rows[r-1] {
			if c.Kind != CellText || c.Empty() {
				continue
			}
			if j >= maxSniffCols {
				break
			}
			found = append(found, strings.TrimSpace(c.Raw))
			if name, ok := flatIndex[indicators.Norm(c.Raw)]; ok {
				if _, dup := h.Cols[name]; !dup {
					h.Cols[name] = j
				}
			}
		}
		// The columns that set results rows apart from rmf's own
		// measurement sheets: a result, an indicator, a period and a
		// target, actual or baseline.
		if (h.Has("ind_title") || h.Has("ind_ref")) && (h.Has("start") || h.Has("end")) &&
			(h.Has("result_type") || h.Has("result_title")) && (h.Has("target") || h.Has("actual") || h.Has("baseline")) {
			return h, found
		}
	}
	return Header{}, nil
}

// flatScore says how much of the flat results layout sh shows.
func flatScore(sh *Sheet) layoutScore {
	s := layoutScore{need: 5, where: sheetWhere(sh)}
	h, _ := flatHeader(sh)
	if h.Row > 0 {
		s.where = fmt.Sprintf("%s, header row %d", sheetWhere(sh), h.Row)
		s.found = 5
		return s
	}
	// The best row: how many of result, indicator, start, end, target or actual.
	best := layoutScore{need: 5, where: sheetWhere(sh)}
	for r := 1; r <= len(sh.Rows) && r <= MaxHeaderScan; r++ {
		has := map[string]bool{}
		for j, c := range sh.Rows[r-1] {
			if j >= maxSniffCols {
				break
			}
			if name, ok := flatIndex[indicators.Norm(c.Raw)]; ok && c.Kind == CellText {
				has[name] = true
			}
		}
		cur := layoutScore{need: 5, where: fmt.Sprintf("%s, row %d", sheetWhere(sh), r)}
		for _, m := range []struct {
			ok   bool
			what string
		}{
			{has["result_type"] || has["result_title"], "a Result type or Result title column"},
			{has["ind_title"] || has["ind_ref"], "an Indicator title or Indicator reference column"},
			{has["start"], "a Start date (Period start) column"},
			{has["end"], "an End date (Period end) column"},
			{has["target"] || has["actual"] || has["baseline"], "a Target or Actual column"},
		} {
			if m.ok {
				cur.found++
			} else {
				cur.lacks = append(cur.lacks, m.what)
			}
		}
		if cur.found > best.found {
			best = cur
		}
	}
	if best.found == 0 {
		best.lacks = []string{"a header row with Indicator title, Start date, End date and Target columns"}
	}
	return best
}

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

// readFlat reads flat IATI results rows from sh as a framework.
func readFlat(sh *Sheet, projSheet *Sheet, opt FrameworkOptions) (*Logframe, error) {
	ff := readFlatFile(sh, opt.Activity)
	fw := &indicators.Framework{}
	lf := &Logframe{Layout: LayoutFlat, Framework: fw}
	probs := ff.requiredColumns("target")
	if len(probs) > 0 {
		return nil, probs
	}
	if opt.Activity != "" && !containsString(ff.activities, opt.Activity) {
		return nil, indicators.Problems{&indicators.CellError{File: sh.File, Sheet: sh.Name, Field: "activity", Err: fmt.Errorf(
			"%w: no activity %s in the file, expected one of: %s", indicators.ErrUnknownCode, opt.Activity, strings.Join(ff.activities, ", "))}}
	}
	probs = append(probs, ff.probs...)
	probs = append(probs, ff.project(&fw.Project, opt, projSheet)...)
	if len(ff.activities) > 1 {
		var others []string
		for _, a := range ff.activities {
			if a != ff.activity {
				others = append(others, a)
			}
		}
		what := "activities"
		if len(others) == 1 {
			what = "activity"
		}
		lf.Notes = append(lf.Notes, fmt.Sprintf("the file holds %d other %s (%s); read %s (choose with %s)", len(others), what, strings.Join(others, ", "), ff.activity, opt.Words.Say(OptActivity, "")))
	}
	probs = append(probs, ff.readResults(lf)...)
	if len(ff.results) == 0 && len(ff.probs) == 0 {
		what := ""
		if ff.activity != "" {
			what = " for activity " + ff.activity
		}
		probs = append(probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Err: fmt.Errorf("%w: no results rows under the header row %d%s, expected a row per indicator period with its result, indicator, dates and target", indicators.ErrRequired, ff.h.Row, what)})
	}
	if len(lf.Figures) > 0 {
		lf.Notes = append(lf.Notes, fmt.Sprintf("the file also holds %s: import %s with rmf import %s", counted(len(lf.Figures), "actual figure", "actual figures"), map[bool]string{true: "it", false: "them"}[len(lf.Figures) == 1], sh.File))
	}
	lf.Notes = append(lf.Notes, fmt.Sprintf("read %s as flat IATI results rows: each period's target is a milestone, the last one the end-of-project target; indicators are levels (aggregation last)", sheetWhere(sh)))
	return finishLayout(lf, sh, probs)
}

// project reads the project into p: the activity identifier and name, a
// Project-like cell or sheet, and the options; its reporting frequency is
// the periods' own when they are all years, semesters, quarters or
// months, and the periods' first and last days help when its dates are
// missing.
func (ff *flatFile) project(p *indicators.Project, opt FrameworkOptions, projSheet *Sheet) indicators.Problems {
	sh := ff.sh
	found := map[string]Cell{}
	if ff.activity != "" {
		c := Cell{Raw: ff.activity, Kind: CellText}
		if col, ok := ff.h.Cols["activity"]; ok {
			for r := ff.h.Row + 1; r <= len(sh.Rows); r++ {
				if strings.TrimSpace(sh.Cell(r, col).Raw) == ff.activity {
					c = sh.Cell(r, col)
					break
				}
			}
		}
		found["code"] = c
		p.IATIIdentifier = ff.activity
	}
	if n, ok := ff.actNames[ff.activity]; ok {
		found["title"] = n
	}
	var first, last time.Time
	kinds := map[indicators.PeriodKind]bool{}
	for _, res := range ff.results {
		for _, in := range res.indicators {
			for _, fp := range in.periods {
				if fp.period.IsZero() {
					continue
				}
				kinds[fp.period.Kind] = true
				if first.IsZero() || fp.period.Start.Before(first) {
					first = fp.period.Start
				}
				if fp.period.End.After(last) {
					last = fp.period.End
				}
			}
		}
	}
	if len(kinds) == 1 {
		for k := range kinds {
			p.Reporting = map[indicators.PeriodKind]string{indicators.KindYear: "annual", indicators.KindSemester: "semiannual",
				indicators.KindQuarter: "quarterly", indicators.KindMonth: "monthly"}[k]
		}
	}
	hint := map[string]string{}
	if !first.IsZero() {
		hint["start"] = "its periods start on " + first.Format(time.DateOnly)
		hint["end"] = "its periods end on " + last.Format(time.DateOnly)
	}
	if ff.h.Has("activity") {
		hint["code"] = "or fill in the IATI activity identifier column"
	}
	return projectFrom(p, sh.File, found, sh.Date1904, opt, hint, sh.Name, projSheet)
}

// readResults reads the results, their indicators and milestones into lf's
// framework, with the dimensions the periods use and, as figures to
// import apart, the actuals.
func (ff *flatFile) readResults(lf *Logframe) indicators.Problems {
	sh, fw := ff.sh, lf.Framework
	var probs indicators.Problems
	goals, outcomes := ff.assignCodes()
	dims := map[string][]string{}
	var dimOrder []string
	addDim := func(d indicators.Disagg) {
		for n, v := range d {
			if _, ok := dims[n]; !ok {
				dimOrder = append(dimOrder, n)
			}
			if !containsFold(dims[n], v) {
				dims[n] = append(dims[n], v)
			}
		}
	}
	for _, res := range ff.results {
		r := indicators.Result{Code: res.code, Level: res.level, Statement: strings.TrimSpace(res.title.Raw),
			Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: res.row, Cells: map[string]string{"code": res.title.Ref, "level": res.typeCell.Ref, "statement": res.title.Ref}}}
		if res.title.Ref == "" {
			r.Loc.Cells["statement"] = sh.Cell(res.row, firstCol(ff.h, "result_title")).Ref
			r.Loc.Cells["code"] = res.typeCell.Ref
		}
		if r.Statement == "" && res.desc != "" {
			r.Statement = res.desc
		}
		switch {
		case res.level == indicators.Outcome && len(goals) == 1:
			r.Parent = goals[0]
		case res.level == indicators.Output && len(outcomes) == 1:
			r.Parent = outcomes[0]
		}
		fw.Results = append(fw.Results, r)
		for _, in := range res.indicators {
			ind, ms, ps := ff.indicator(in, &fw.Project)
			probs = append(probs, ps...)
			fw.Indicators = append(fw.Indicators, ind)
			fw.Milestones = append(fw.Milestones, ms...)
			for _, p := range in.periods {
				addDim(p.dims)
				addDim(p.actDims)
				if !p.actual.Empty() && !NotAvailable(p.actual) {
					lf.Figures = append(lf.Figures, indicators.Measurement{Indicator: in.code, Period: p.period})
				}
			}
		}
	}
	sort.Strings(dimOrder)
	for _, n := range dimOrder {
		fw.Dimensions = append(fw.Dimensions, indicators.Dimension{Name: n, Values: dims[n], Loc: indicators.Loc{File: sh.File, Sheet: sh.Name}})
	}
	return probs
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// requiredColumns lists a problem for each column the reading needs that
// the header row lacks: the indicator (title or reference), start, end,
// and figure (target for a framework, actual for figures).
func (ff *flatFile) requiredColumns(figure string) indicators.Problems {
	var found []string
	for _, c := range ff.sh.Rows[ff.h.Row-1] {
		if !c.Empty() {
			found = append(found, strings.TrimSpace(c.Raw))
		}
	}
	var probs indicators.Problems
	need := []struct {
		ok     bool
		field  string
		expect string
	}{
		{ff.h.Has("result_type") || ff.h.Has("result_title"), "result", `"Result type" and "Result title" (or "Type" and "Title")`},
		{ff.h.Has("start"), "start", `"Start date" or "Period start"`},
		{ff.h.Has("end"), "end", `"End date" or "Period end"`},
		{ff.h.Has(figure), figure, map[string]string{"target": `"Target" or "Target value"`, "actual": `"Actual" or "Actual value"`}[figure]},
	}
	for _, n := range need {
		if !n.ok {
			probs = append(probs, &indicators.CellError{File: ff.sh.File, Sheet: ff.sh.Name, Row: ff.h.Row, Field: n.field, Err: fmt.Errorf(
				"%w: no %s column in the header row %d of the results rows (found: %s), expected a heading such as %s",
				indicators.ErrMissingColumn, n.field, ff.h.Row, strings.Join(found, ", "), n.expect)})
		}
	}
	return probs
}

// indicator builds one indicator and its milestones.
func (ff *flatFile) indicator(in *flatIndicator, proj *indicators.Project) (indicators.Indicator, []indicators.Milestone, indicators.Problems) {
	sh := ff.sh
	fi := &flatIndReader{ff: ff, in: in}
	titleRef := in.title.Ref
	if titleRef == "" {
		titleRef = sh.Cell(in.row, firstCol(ff.h, "ind_title", "ind_ref")).Ref
	}
	fi.codeRef = titleRef
	if c, ok := ff.h.Cols["ind_ref"]; ok && in.ref != "" {
		fi.codeRef = sh.Cell(in.row, c).Ref
	}
	ind := indicators.Indicator{Code: in.code, Result: in.res.code, Name: strings.TrimSpace(in.title.Raw), Definition: in.desc,
		Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: in.row, Cells: map[string]string{"code": fi.codeRef, "name": titleRef, "result": titleRef}}}
	if ind.Name == "" {
		ind.Name = in.ref
	}
	fi.unitDirection(&ind)
	if in.baseline.Ref != "" {
		ind.Loc.Cells["baseline"] = in.baseline.Ref
		ind.Baseline, ind.BaselineText, _ = fi.num(in.baseline, "baseline", "baseline")
	}
	fi.baselineDate(&ind)
	ms := fi.milestones(&ind)
	for _, p := range in.periods {
		for d := range p.actDims {
			if !containsString(ind.Disaggregations, d) {
				ind.Disaggregations = append(ind.Disaggregations, d)
			}
		}
		if !p.actual.Empty() && !NotAvailable(p.actual) {
			fi.num(p.actual, "actual", "actual")
		}
	}
	sort.Strings(ind.Disaggregations)
	// A milestone due at the project's end is the target itself.
	if !proj.End.IsZero() {
		kept := ms[:0]
		for _, m := range ms {
			if len(m.Dims) == 0 && !m.Period.End.Before(proj.End) && ind.Target != nil && *ind.Target == m.Target {
				continue
			}
			kept = append(kept, m)
		}
		ms = kept
	}
	return ind, ms, fi.probs
}

// flatIndReader reads one indicator of a flat IATI results file.
type flatIndReader struct {
	ff      *flatFile
	in      *flatIndicator
	codeRef string
	unit    indicators.Unit
	probs   indicators.Problems
}

func (fi *flatIndReader) errAt(c Cell, field string, sentinel error, format string, args ...any) {
	sh := fi.ff.sh
	fi.probs = append(fi.probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
}

// unitDirection reads the indicator's measure (its unit) and ascending
// flag (its direction).
func (fi *flatIndReader) unitDirection(ind *indicators.Indicator) {
	in := fi.in
	unit, ok := flatUnit(in.measure)
	if !ok {
		fi.errAt(in.measure, "unit", indicators.ErrInvalid, "indicator measure %s, expected 1 (unit), 2 (percentage), 3 (nominal), 4 (ordinal) or 5 (qualitative)", shown(in.measure))
		unit = indicators.Number
	}
	if in.measure.Ref != "" {
		ind.Loc.Cells["unit"] = in.measure.Ref
	}
	ind.Unit, fi.unit = unit, unit
	if unit != indicators.Text {
		ind.Aggregation = indicators.Last
	}
	if !in.ascending.Empty() {
		ind.Loc.Cells["direction"] = in.ascending.Ref
		if v, err := ParseYesNo(in.ascending.Raw); err != nil {
			fi.errAt(in.ascending, "direction", indicators.ErrInvalid, "ascending %s, expected Y (the indicator should go up) or N (down), or 1/0, true/false", shown(in.ascending))
		} else if v == 0 {
			ind.Direction = indicators.Decrease
		}
	}
}

// num reads figure c (field, named what in messages) in the indicator's
// unit: a number, or the text of a text indicator; ok is false after a
// problem.
func (fi *flatIndReader) num(c Cell, field, what string) (*float64, string, bool) {
	sh, unit := fi.ff.sh, fi.unit
	if c.Kind == CellUncomputed {
		fi.probs = append(fi.probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field, Err: c.UncomputedError()})
		return nil, "", false
	}
	f := readFigure(c)
	if f.empty {
		return nil, "", true
	}
	if unit == indicators.Text {
		return nil, strings.TrimSpace(c.Raw), true
	}
	if !f.number || f.words != "" {
		dash := ""
		if IsDash(c.Text()) {
			dash = "; " + DashHelp
		}
		fi.errAt(c, field, indicators.ErrInvalid, "%s %s of indicator %s is not a number, expected a number for a %s indicator (such as 1250, 1,250 or 12.5)%s", what, shown(c), fi.in.code, unit, dash)
		return nil, "", false
	}
	v := f.v
	if unit != indicators.Percent && f.percent {
		v = Round15(v / 100)
	}
	return &v, "", true
}

// baselineDate reads the baseline year: a date, a year or a period.
func (fi *flatIndReader) baselineDate(ind *indicators.Indicator) {
	in, sh := fi.in, fi.ff.sh
	if in.blYear.Empty() {
		return
	}
	ind.Loc.Cells["baseline_date"] = in.blYear.Ref
	if d, err := in.blYear.Date(sh.Date1904); err == nil && in.blYear.Kind != CellNumber {
		ind.BaselineDate = &d
	} else if y, err := strconv.Atoi(in.blYear.Text()); err == nil && y >= 1900 && y <= 2200 {
		d := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		ind.BaselineDate = &d
	} else if p, ok := periodText(in.blYear.Raw); ok {
		d := p.Start
		ind.BaselineDate = &d
	} else {
		fi.errAt(in.blYear, "baseline_date", indicators.ErrInvalid, "baseline year %s, expected a year such as 2017 or a date", shown(in.blYear))
	}
}

// milestones reads the targets: a milestone per period (and dims); the
// end-of-project target is the target of the last period (the total).
func (fi *flatIndReader) milestones(ind *indicators.Indicator) []indicators.Milestone {
	in, sh := fi.in, fi.ff.sh
	var ms []indicators.Milestone
	seen := map[string]string{}
	var lastEnd time.Time
	for _, p := range in.periods {
		if p.target.Empty() || NotAvailable(p.target) || p.period.IsZero() {
			if !p.target.Empty() && !NotAvailable(p.target) {
				fi.num(p.target, "target", "target") // still report a bad number
			}
			continue
		}
		v, txt, ok := fi.num(p.target, "target", "target")
		if !ok {
			continue
		}
		k := p.period.String() + " " + p.dims.String()
		if prev, dup := seen[k]; dup {
			fi.errAt(p.target, "target", indicators.ErrDuplicate, "a second target of indicator %s for %s (the first is in %s), expected one target per period", in.code, strings.TrimSpace(p.period.String()+" "+p.dims.String()), prev)
			continue
		}
		seen[k] = p.target.Ref
		m := indicators.Milestone{Indicator: in.code, Period: p.period, Dims: p.dims, TargetText: txt,
			Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: p.row, Cells: map[string]string{"target": p.target.Ref, "period": p.start.Ref, "indicator": fi.codeRef}}}
		if v != nil {
			m.Target = *v
		}
		ms = append(ms, m)
		if len(p.dims) == 0 && !p.period.End.Before(lastEnd) {
			lastEnd = p.period.End
			ind.Target, ind.TargetText = v, txt
			ind.Loc.Cells["target"] = p.target.Ref
		}
		for d := range p.dims {
			if !containsString(ind.Disaggregations, d) {
				ind.Disaggregations = append(ind.Disaggregations, d)
			}
		}
	}
	return ms
}

// flatFigures reads the actuals of flat results rows in sh as figures of
// fw: the indicators are found by the codes the framework import gives
// them (the reference, or result and number). The rows of other
// activities than the project's are left out.
func flatFigures(sh *Sheet, fw *indicators.Framework) ([]indicators.Measurement, indicators.Problems) {
	activity := ""
	h, _ := flatHeader(sh)
	ff0 := &flatFile{sh: sh, h: h}
	if probs := ff0.requiredColumns("actual"); len(probs) > 0 {
		return nil, probs
	}
	if h.Has("activity") {
		ffAll := readFlatFile(sh, "")
		for _, a := range ffAll.activities {
			if a == fw.Project.IATIIdentifier || a == fw.Project.Code {
				activity = a
			}
		}
		if activity == "" && len(ffAll.activities) > 0 {
			return nil, indicators.Problems{&indicators.CellError{File: sh.File, Sheet: sh.Name, Field: "activity", Err: fmt.Errorf(
				"%w: the file's activities (%s) are not the project's (code %s, IATI identifier %s), expected the rows of the project's activity",
				indicators.ErrUnknownCode, strings.Join(ffAll.activities, ", "), fw.Project.Code, orNone(fw.Project.IATIIdentifier))}}
		}
	}
	ff := readFlatFile(sh, activity)
	probs := ff.probs
	ff.assignCodes()
	var out []indicators.Measurement
	errAt := func(c Cell, field string, sentinel error, format string, args ...any) {
		probs = append(probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field,
			Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
	}
	proj := fw.Project.Period()
	for _, res := range ff.results {
		for _, in := range res.indicators {
			code := in.code
			ind, ok := fw.Indicator(code)
			for _, p := range in.periods {
				if p.actual.Empty() || NotAvailable(p.actual) || p.period.IsZero() {
					continue
				}
				if !ok {
					errAt(p.actual, "indicator", indicators.ErrUnknownCode, "indicator %s (%s) is not in the framework, expected an indicator of the project: import the framework from this file first with rmf framework import %s",
						code, indicatorName(in), sh.File)
					continue
				}
				if !fw.Project.Start.IsZero() && !proj.Contains(p.period) {
					errAt(p.start, "start", indicators.ErrOutOfRange, "period %s lies outside the project, expected a period within %s", p.period, proj)
					continue
				}
				m := indicators.Measurement{Indicator: code, Period: p.period, Dims: p.actDims, Comment: p.aComment,
					Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: p.row, Cells: map[string]string{"value": p.actual.Ref, "indicator": ind.Loc.Cell("code")}}}
				if len(p.actDims) > 0 {
					d, err := fw.CheckDisagg(ind, p.actDims)
					if err != nil {
						errAt(p.actual, "disaggregation", indicators.ErrDimension, "actual %s of indicator %s: %v", shown(p.actual), code, err)
						continue
					}
					m.Dims = d
				}
				if ind.Unit == indicators.Text {
					m.Text = strings.TrimSpace(p.actual.Raw)
					out = append(out, m)
					continue
				}
				f := readFigure(p.actual)
				if !f.number || f.words != "" {
					errAt(p.actual, "actual", indicators.ErrInvalid, "actual %s of indicator %s is not a number, expected a number for a %s indicator (such as 1250, 1,250 or 12.5)", shown(p.actual), code, ind.Unit)
					continue
				}
				v := f.v
				if ind.Unit == indicators.YesNo && !f.yesno && v != 0 && v != 1 {
					errAt(p.actual, "actual", indicators.ErrInvalid, "actual %s of indicator %s, expected yes or no (1 or 0)", shown(p.actual), code)
					continue
				}
				if ind.Unit != indicators.Percent && f.percent {
					v = Round15(v / 100)
				}
				m.Value = &v
				out = append(out, m)
			}
		}
	}
	return out, probs
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// assignCodes gives the results and indicators their codes: the file's
// reference codes, else G (G1, G2 ...), O1, O2 ..., 1, 2 ... by level in
// order of appearance, and result code "." number for indicators. It
// returns the codes of the goals and of the outcomes.
func (ff *flatFile) assignCodes() (goals, outcomes []string) {
	count := map[indicators.Level]int{}
	for _, res := range ff.results {
		count[res.level]++
	}
	seq := map[indicators.Level]int{}
	for _, res := range ff.results {
		seq[res.level]++
		switch {
		case res.ref != "":
			res.code = res.ref
		case res.level == "":
			res.code = "R" + strconv.Itoa(res.row) // a type not read (a problem already)
		case res.level == indicators.Goal && count[res.level] == 1:
			res.code = "G"
		case res.level == indicators.Goal:
			res.code = "G" + strconv.Itoa(seq[res.level])
		case res.level == indicators.Outcome:
			res.code = "O" + strconv.Itoa(seq[res.level])
		default:
			res.code = strconv.Itoa(seq[res.level])
		}
		switch res.level {
		case indicators.Goal:
			goals = append(goals, res.code)
		case indicators.Outcome:
			outcomes = append(outcomes, res.code)
		}
		for k, in := range res.indicators {
			in.code = in.ref
			if in.code == "" {
				in.code = res.code + "." + strconv.Itoa(k+1)
			}
		}
	}
	return goals, outcomes
}
