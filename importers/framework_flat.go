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
