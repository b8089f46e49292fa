package importers

// The classic DFID/FCDO logframe (see framework_layouts.go).
//
// A sheet of blocks, one per result: a marker cell IMPACT, OUTCOME or
// OUTPUT (OUTPUT 1, OUTPUT 2, ...) with the result statement below it,
// and beside it one heading row per indicator ("Impact Indicator 1",
// "Baseline", "Milestone 1 (Mar 2013)", ..., "Target (Mar 2015)",
// optionally "Assumptions"), followed by the indicator's rows: its name
// (in the cell under the Indicator heading, often merged down), an
// optional row of dates, its Planned figures (labelled or not), an
// optional Achieved row, and a "Source" label with the data source under
// it. Other labels in the marker column (PRIMARY THEME, OUTPUT WEIGHTING
// (%), RISK RATING) and the cell under each are not read.
//
// Mapping to rmf: IMPACT is the goal G, the OUTCOME the outcome O (O1, O2
// when there are several), OUTPUT n the output n; the indicators of a
// result are numbered after it by the number of their heading ("Output
// Indicator 1.2" under OUTPUT 1 is 1.2), else in order. The outcome's
// parent is the goal and the outputs' the outcome when there is one of
// each. Milestones in a DFID logframe are where the indicator should stand
// by their date, so the indicators are levels (aggregation last) and the
// Achieved figures are readings of that level; the unit is inferred from
// the figures (45% percent, £2.5m currency, yes/no, text when none is a
// number); an indicator whose target is below its baseline decreases.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/rmf-project/rmf/indicators"
)

// dfidMarker reads a block marker: IMPACT, GOAL, OUTCOME, PURPOSE,
// OUTPUT, OUTPUT 2 (also "Output 2:") as the whole text of a cell, or
// followed by the statement after a colon or dash ("Output 1: Teachers
// trained", returned as stmt).
func dfidMarker(c Cell) (lv indicators.Level, num int, stmt string, ok bool) {
	if c.Kind != CellText {
		return "", 0, "", false
	}
	t := strings.TrimSpace(c.Raw)
	head := t
	if i := strings.IndexAny(t, ":–—"); i > 0 {
		head, stmt = t[:i], strings.TrimSpace(strings.TrimLeft(t[i:], ":–— "))
	} else if i := strings.Index(t, " - "); i > 0 {
		head, stmt = t[:i], strings.TrimSpace(t[i+3:])
	}
	k := key(head)
	word := strings.TrimRightFunc(k, unicode.IsDigit)
	if d := k[len(word):]; d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n > 999 {
			return "", 0, "", false
		}
		num = n
	}
	switch word {
	case "impact", "goal":
		return indicators.Goal, num, stmt, true
	case "outcome", "purpose":
		return indicators.Outcome, num, stmt, true
	case "output":
		return indicators.Output, num, stmt, true
	}
	return "", 0, "", false
}

// dfidMs is a milestone column.
type dfidMs struct {
	col, n int
	period indicators.Period // from the heading; zero when it has none
}

// dfidHeader is an indicator heading row.
type dfidHeader struct {
	row                int
	ind, base, target  int
	assump             int // -1 when none
	ms                 []dfidMs
	basePer, targetPer indicators.Period
	k                  int    // the indicator number of the heading, 0 when none
	name               string // the indicator written in its heading after a colon
}

var (
	lastNumber      = regexp.MustCompile(`(\d+)\D*$`)
	milestoneNumber = regexp.MustCompile(`(?i)milestone\s*(\d+)`)
)

// headingPeriod reads the date of a heading: "Milestone 1 (Mar 2013)",
// "Milestone 1\nMarch 2013", "Target - Mar 2015", "Baseline 2011".
func headingPeriod(h, word string) indicators.Period {
	t := strings.TrimSpace(h)
	if i := strings.Index(t, "("); i >= 0 {
		if j := strings.LastIndex(t, ")"); j > i {
			if p, ok := periodText(t[i+1 : j]); ok {
				return p
			}
		}
	}
	// Drop the word and a milestone number: "Milestone 1 Mar 2013".
	lower := strings.ToLower(t)
	if i := strings.Index(lower, word); i >= 0 {
		rest := strings.TrimSpace(t[i+len(word):])
		if word == "milestone" {
			rest = strings.TrimLeftFunc(rest, unicode.IsDigit)
		}
		rest = strings.Trim(strings.TrimSpace(rest), "()[]-–:, \n")
		if rest == "" {
			return indicators.Period{}
		}
		if p, ok := periodText(rest); ok {
			return p
		}
		for _, pre := range []string{"by ", "due ", "date ", "at "} {
			if strings.HasPrefix(strings.ToLower(rest), pre) {
				if p, ok := periodText(rest[len(pre):]); ok {
					return p
				}
			}
		}
	}
	return indicators.Period{}
}

// readDFIDHeader recognises an indicator heading row.
func readDFIDHeader(row int, cells []Cell) (dfidHeader, bool) {
	h := dfidHeader{row: row, ind: -1, base: -1, target: -1, assump: -1}
	for j, c := range cells {
		if c.Kind != CellText {
			continue
		}
		k := key(c.Raw)
		switch {
		case h.ind < 0 && strings.Contains(k, "indicator"):
			h.ind = j
			head, name, _ := strings.Cut(c.Raw, ":")
			if !strings.Contains(key(head), "indicator") {
				head, name = c.Raw, ""
			}
			h.name = strings.TrimSpace(name) // "Output Indicator 1.1: Teachers trained"
			if m := lastNumber.FindStringSubmatch(head); m != nil {
				h.k, _ = strconv.Atoi(m[1])
			}
		case h.ind >= 0 && h.base < 0 && strings.HasPrefix(k, "baseline"):
			h.base = j
			h.basePer = headingPeriod(c.Raw, "baseline")
		case h.base >= 0 && strings.HasPrefix(k, "milestone"):
			n := len(h.ms) + 1
			if m := milestoneNumber.FindStringSubmatch(c.Raw); m != nil {
				n, _ = strconv.Atoi(m[1])
			}
			h.ms = append(h.ms, dfidMs{col: j, n: n, period: headingPeriod(c.Raw, "milestone")})
		case h.base >= 0 && h.target < 0 && strings.HasPrefix(k, "target"):
			h.target = j
			h.targetPer = headingPeriod(c.Raw, "target")
		case h.target >= 0 && h.assump < 0 && strings.HasPrefix(k, "assumption"):
			h.assump = j
		}
	}
	return h, h.ind >= 0 && h.base > h.ind && h.target > h.base
}

// dfidScore says how much of a DFID logframe sh shows.
func dfidScore(sh *Sheet) layoutScore {
	s := layoutScore{need: 4}
	var marker, ind, base, target bool
	headerAbove := 0 // a heading row seen before any marker
	for i, row := range sh.Rows {
		for _, c := range row {
			if _, _, _, ok := dfidMarker(c); ok {
				marker = true
			}
			k := key(c.Raw)
			if c.Kind == CellText {
				ind = ind || strings.Contains(k, "indicator")
				base = base || strings.HasPrefix(k, "baseline")
				target = target || strings.HasPrefix(k, "target")
			}
		}
		if _, ok := readDFIDHeader(i+1, row); ok {
			if marker {
				s.found = 4
				s.where = sheetWhere(sh)
				return s
			}
			if headerAbove == 0 {
				headerAbove = i + 1
			}
		}
	}
	for _, m := range []struct {
		ok   bool
		what string
	}{
		{marker, "an IMPACT, OUTCOME or OUTPUT cell"},
		{ind, "an Indicator heading"},
		{base, "a Baseline heading"},
		{target, "a Target heading"},
	} {
		if m.ok {
			s.found++
		} else {
			s.lacks = append(s.lacks, m.what)
		}
	}
	if s.found == 4 {
		s.found = 3
		s.lacks = []string{"a heading row with Indicator, Baseline and Target in that order"}
		if headerAbove > 0 {
			s.lacks = []string{fmt.Sprintf("a heading row in the row of each IMPACT, OUTCOME and OUTPUT cell or below it (its one heading row, row %d, is above them: "+
				"a logframe matrix with one heading row is not read; copy the headings to each block as the DFID template has them, or use rmf's workbook)", headerAbove)}
		}
	}
	s.where = sheetWhere(sh)
	return s
}

// dfidBlock is one result of the logframe.
type dfidBlock struct {
	level   indicators.Level
	num     int
	marker  Cell
	row     int // the marker's row
	col     int // the marker's column
	end     int // the last row of the block
	headers []dfidHeader
	code    string
	stmt    string // a statement written in the marker's cell ("Output 1: ...")
}

// dfidLabel reads the row label of an indicator row: planned, achieved,
// source or date, from the cells between the indicator and baseline
// columns (inclusive of the baseline column).
func dfidLabel(cells []Cell, h dfidHeader) (string, int) {
	for j := h.ind + 1; j <= h.base && j < len(cells); j++ {
		c := cells[j]
		if c.Kind != CellText {
			continue
		}
		k := key(c.Raw)
		switch {
		case strings.HasPrefix(k, "planned") || k == "plan" || k == "milestones" || k == "targets":
			return "planned", j
		case strings.HasPrefix(k, "achieved") || strings.HasPrefix(k, "actual") || k == "progress" || k == "results":
			return "achieved", j
		case strings.HasPrefix(k, "source") || strings.HasPrefix(k, "datasource") || strings.HasPrefix(k, "meansofverification"):
			return "source", j
		case k == "date" || k == "dates" || k == "due" || k == "duedate" || k == "datedue":
			return "date", j
		}
	}
	return "", -1
}

// dfidMarkerLabel is true for a label in the marker column that is not a
// statement: PRIMARY THEME, OUTPUT WEIGHTING (%), RISK RATING.
func dfidMarkerLabel(c Cell) bool {
	t := strings.TrimSpace(c.Raw)
	if c.Kind != CellText || t == "" {
		return false
	}
	if strings.Contains(t, "(%)") || strings.HasSuffix(t, ":") {
		return true
	}
	hasLetter := false
	for _, r := range t {
		if unicode.IsLower(r) {
			return false
		}
		hasLetter = hasLetter || unicode.IsLetter(r)
	}
	return hasLetter && len(strings.Fields(t)) <= 5
}

// readDFID reads a DFID logframe from sh.
func readDFID(sh *Sheet, projSheet *Sheet, opt FrameworkOptions) (*Logframe, error) {
	if opt.Activity != "" {
		return nil, indicators.Problems{&indicators.CellError{File: sh.File, Err: fmt.Errorf(
			"%w: %s picks an activity of flat IATI results rows or an IATI .xml file; a DFID logframe holds one project", indicators.ErrInvalid, opt.Words.Say(OptActivity, ""))}}
	}
	fw := &indicators.Framework{}
	lf := &Logframe{Layout: LayoutDFID, Framework: fw}
	blocks, probs := dfidBlocks(sh)
	dfidCodes(blocks)
	// The project: key cells of the sheet (PROGRAMME TITLE ...) or a
	// Project sheet; the options win.
	found := sheetProject(sh, 12)
	probs = append(probs, projectFrom(&fw.Project, sh.File, found, sh.Date1904, opt, dfidHint(blocks), sh.Name, projSheet)...)

	var goals, outcomes []string
	for _, b := range blocks {
		switch b.level {
		case indicators.Goal:
			goals = append(goals, b.code)
		case indicators.Outcome:
			outcomes = append(outcomes, b.code)
		}
	}
	words := map[string]bool{}
	for _, b := range blocks {
		probs = append(probs, readDFIDBlock(sh, b, lf, goals, outcomes, words)...)
	}
	if len(fw.Results) == 0 && len(probs) == 0 || len(fw.Results) == 0 && onlyProjectProblems(probs) {
		probs = append(probs, &indicators.CellError{File: sh.File, Sheet: sh.Name, Err: fmt.Errorf(
			"%w: the DFID logframe is not filled in: no IMPACT, OUTCOME or OUTPUT block has a statement or an indicator", indicators.ErrRequired)})
	}
	if len(words) > 0 {
		var ws []string
		for w := range words {
			ws = append(ws, w)
		}
		lf.Notes = append(lf.Notes, "unit words after figures were kept in the indicators' notes: "+strings.Join(sortedStrings(ws), ", "))
	}
	if len(lf.Figures) > 0 {
		lf.Notes = append(lf.Notes, fmt.Sprintf("the file also holds %d achieved figures: import them with rmf import %s", len(lf.Figures), sh.File))
	}
	lf.Notes = append(lf.Notes, fmt.Sprintf("read %s as a DFID logframe: codes G (impact), O (outcome) and 1, 2 ... (outputs), indicators numbered after their result; milestones are levels (aggregation last)", sheetWhere(sh)))
	return finishLayout(lf, sh, probs)
}

// dfidErr is a problem at cell c of sheet sh.
func dfidErr(sh *Sheet, c Cell, field string, sentinel error, format string, args ...any) *indicators.CellError {
	return &indicators.CellError{File: sh.File, Sheet: sh.Name, Row: rowOf(c.Ref), Cell: c.Ref, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// dfidBlocks finds the IMPACT, OUTCOME and OUTPUT blocks of sh and their
// indicator heading rows.
func dfidBlocks(sh *Sheet) ([]*dfidBlock, indicators.Problems) {
	var probs indicators.Problems
	var blocks []*dfidBlock
	var cur *dfidBlock
	for i, row := range sh.Rows {
		r := i + 1
		h, isHeader := readDFIDHeader(r, row)
		for j, c := range row {
			if isHeader && j >= h.ind {
				break
			}
			if lv, n, stmt, ok := dfidMarker(c); ok && !(stmt != "" && cur != nil && cur.level == lv && len(cur.headers) == 0 && !isHeader) {
				// (A cell "Outcome - ..." under the OUTCOME marker is its
				// statement, not a second outcome.)
				if cur != nil {
					cur.end = r - 1
				}
				cur = &dfidBlock{level: lv, num: n, marker: c, row: r, col: j, stmt: stmt}
				blocks = append(blocks, cur)
				break
			}
			if cur != nil && j <= cur.col && strings.HasPrefix(key(c.Raw), "input") && c.Kind == CellText {
				// INPUTS (£), INPUTS (HR): the budget rows under the last
				// output end its block.
				cur.end = r - 1
				cur = nil
				break
			}
			if !c.Empty() {
				break // only the first cell of a row may be a marker
			}
		}
		if isHeader {
			if cur == nil {
				probs = append(probs, dfidErr(sh, row[h.ind], "indicator", indicators.ErrInvalid, "indicator heading %s is not under an IMPACT, OUTCOME or OUTPUT cell, expected the block's marker in its heading row or above it", shown(row[h.ind])))
				continue
			}
			cur.headers = append(cur.headers, h)
		}
	}
	if cur != nil {
		cur.end = len(sh.Rows)
	}
	return blocks, probs
}

// dfidCodes gives the blocks their codes: IMPACT G, OUTCOME O (O1.. when
// several), OUTPUT n.
func dfidCodes(blocks []*dfidBlock) {
	count := map[indicators.Level]int{}
	for _, b := range blocks {
		count[b.level]++
	}
	seq := map[indicators.Level]int{}
	for _, b := range blocks {
		seq[b.level]++
		n := b.num
		if n == 0 {
			n = seq[b.level]
		}
		switch b.level {
		case indicators.Goal:
			b.code = "G"
			if count[b.level] > 1 {
				b.code = "G" + strconv.Itoa(n)
			}
		case indicators.Outcome:
			b.code = "O"
			if count[b.level] > 1 {
				b.code = "O" + strconv.Itoa(n)
			}
		default:
			b.code = strconv.Itoa(n)
		}
	}
}

// dfidHint helps the officer with the project's end when the file does
// not say it: the latest target heading.
func dfidHint(blocks []*dfidBlock) map[string]string {
	hint := map[string]string{}
	var dueBy indicators.Period
	for _, b := range blocks {
		for _, h := range b.headers {
			if !h.targetPer.IsZero() && h.targetPer.End.After(dueBy.End) {
				dueBy = h.targetPer
			}
		}
	}
	if !dueBy.IsZero() {
		hint["end"] = "the latest target heading is due by " + dueBy.String()
	}
	return hint
}

// dfidStatement is the statement of block b: the first cell under the
// marker, above the first label of the marker column (or the marker's own
// text, "Outcome - ..."), and the cell it is expected in.
func dfidStatement(sh *Sheet, b *dfidBlock) (stmt Cell, stmtRef string) {
	if b.stmt != "" {
		stmt = b.marker
		stmt.Raw = b.stmt
		return stmt, b.marker.Ref
	}
	for r := b.row + 1; r <= b.end; r++ {
		c := sh.Cell(r, b.col)
		if stmtRef == "" {
			stmtRef = c.Ref
		}
		if c.Empty() {
			continue
		}
		if dfidMarkerLabel(c) {
			break
		}
		if !placeholder(c.Raw) {
			stmt = c
		}
		break
	}
	return stmt, stmtRef
}

// readDFIDBlock reads block b into lf: its result (the parent is the
// only goal or outcome above it), its indicators, milestones and
// achieved figures. An empty block of the template is skipped.
func readDFIDBlock(sh *Sheet, b *dfidBlock, lf *Logframe, goals, outcomes []string, words map[string]bool) indicators.Problems {
	fw := lf.Framework
	var probs indicators.Problems
	stmt, stmtRef := dfidStatement(sh, b)
	res := indicators.Result{Code: b.code, Level: b.level, Statement: strings.TrimSpace(stmt.Raw),
		Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: b.row, Cells: map[string]string{"code": b.marker.Ref, "level": b.marker.Ref, "statement": stmtRef}}}
	if stmt.Ref != "" {
		res.Loc.Cells["statement"] = stmt.Ref
	}
	switch {
	case b.level == indicators.Outcome && len(goals) == 1:
		res.Parent = goals[0]
	case b.level == indicators.Output && len(outcomes) == 1:
		res.Parent = outcomes[0]
	}
	var inds []indicators.Indicator
	k := 0
	for hi, h := range b.headers {
		end := b.end
		if hi+1 < len(b.headers) {
			end = b.headers[hi+1].row - 1
		}
		k++
		num := k
		if h.k > 0 {
			num = h.k
		}
		ind, ms, figs, assump, ps := readDFIDIndicator(sh, b, h, end, b.code+"."+strconv.Itoa(num), &fw.Project, words)
		probs = append(probs, ps...)
		if assump != "" && res.Assumptions == "" {
			res.Assumptions = assump
		}
		if ind == nil {
			continue
		}
		inds = append(inds, *ind)
		fw.Milestones = append(fw.Milestones, ms...)
		lf.Figures = append(lf.Figures, figs...)
	}
	if res.Statement == "" && len(inds) == 0 {
		// An empty block of the template: nothing filled in.
		return probs
	}
	if res.Statement == "" {
		probs = append(probs, dfidErr(sh, sh.Cell(b.row+1, b.col), "statement", indicators.ErrRequired, "%s has indicators but no statement, expected the result statement under %s in %s",
			strings.TrimSpace(b.marker.Raw), b.marker.Ref, sh.Cell(b.row+1, b.col).Ref))
	}
	fw.Results = append(fw.Results, res)
	fw.Indicators = append(fw.Indicators, inds...)
	return probs
}

func onlyProjectProblems(ps indicators.Problems) bool {
	for _, p := range ps {
		if ce, ok := p.(*indicators.CellError); !ok || ce.Sheet != "" {
			return false
		}
	}
	return true
}

func sortedStrings(xs []string) []string {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	return xs
}

// readDFIDIndicator reads the rows of one indicator heading h (up to row
// end). It returns nil for an empty slot of the template.
func readDFIDIndicator(sh *Sheet, b *dfidBlock, h dfidHeader, end int, code string, p *indicators.Project, words map[string]bool) (*indicators.Indicator, []indicators.Milestone, []indicators.Measurement, string, indicators.Problems) {
	r := &dfidIndReader{sh: sh, h: h, code: code, words: words}
	r.valueCols = append(r.valueCols, h.base)
	for _, m := range h.ms {
		r.valueCols = append(r.valueCols, m.col)
	}
	r.valueCols = append(r.valueCols, h.target)
	r.scanRows(end)
	heading := sh.Cell(h.row, h.ind)
	if r.name.Ref == "" && h.name != "" && !placeholder(h.name) {
		r.name = heading
		r.name.Raw = h.name
	}
	if r.name.Ref == "" && (r.planned == nil || !r.hasVals(r.planned)) && (r.achieved == nil || !r.hasVals(r.achieved)) {
		return nil, nil, nil, r.assump, r.probs // an empty slot of the template
	}
	ind := r.indicator(b)
	r.readFigures()
	ind.Unit = r.unit
	if r.unit != indicators.Text && r.unit != indicators.YesNo {
		ind.Aggregation = indicators.Last
	}
	r.periods()
	r.baselineTarget(ind)
	ms := r.milestones(p)
	out := r.achievedFigures()
	return ind, ms, out, r.assump, r.probs
}

// dfidIndReader reads one indicator block of a DFID logframe: the rows
// under its heading (name, source, dates, Planned and Achieved figures),
// then the indicator, its milestones and its achieved figures.
type dfidIndReader struct {
	sh    *Sheet
	h     dfidHeader
	code  string
	words map[string]bool // number words seen ("figures in millions")
	probs indicators.Problems

	valueCols []int // baseline, milestones, target
	name      Cell
	source    string
	assump    string

	planned, achieved, dates []Cell
	figs, ach, all           []figure // planned, achieved, both
	unit                     indicators.Unit
	pers                     []indicators.Period // the period of each value column
	badDate                  []bool              // the column's date could not be read (reported once)
}

func (r *dfidIndReader) errAt(c Cell, field string, sentinel error, format string, args ...any) {
	r.probs = append(r.probs, dfidErr(r.sh, c, field, sentinel, format, args...))
}

// rowVals are row r's cells of the value columns.
func (r *dfidIndReader) rowVals(row int) []Cell {
	out := make([]Cell, len(r.valueCols))
	for i, col := range r.valueCols {
		out[i] = r.sh.Cell(row, col)
	}
	return out
}

// hasVals is true when any of cs holds something.
func (r *dfidIndReader) hasVals(cs []Cell) bool {
	for _, c := range cs {
		if !c.Empty() {
			return true
		}
	}
	return false
}

// scanRows reads the rows of the block up to end: the name, the
// assumptions, the source, and the rows of dates, Planned and Achieved
// figures (labelled, or told apart by their place).
func (r *dfidIndReader) scanRows(end int) {
	sh, h := r.sh, r.h
	takeSource := false
	for row := h.row + 1; row <= end; row++ {
		if c := sh.Cell(row, h.ind); r.name.Ref == "" && !c.Empty() && !placeholder(c.Raw) {
			r.name = c
		}
		if h.assump >= 0 && r.assump == "" {
			if c := sh.Cell(row, h.assump); !c.Empty() && !placeholder(c.Raw) {
				r.assump = strings.TrimSpace(c.Raw)
			}
		}
		cells := sh.Rows[min(row, len(sh.Rows))-1]
		label, lcol := dfidLabel(cells, h)
		if takeSource && label == "" {
			if s := r.sourceText(cells); s != "" {
				r.source = s
				takeSource = false
			}
			continue
		}
		vals := r.rowVals(row)
		if lcol >= 0 {
			for i, col := range r.valueCols {
				if col == lcol {
					vals[i] = Cell{Ref: vals[i].Ref}
				}
			}
		}
		switch label {
		case "source":
			lc := cells[lcol]
			if _, rest, ok := strings.Cut(lc.Raw, ":"); ok && strings.TrimSpace(rest) != "" {
				r.source = strings.TrimSpace(rest)
			} else {
				takeSource = true
			}
			continue
		case "date":
			r.dates = vals
			continue
		case "planned":
			r.planned = vals
			continue
		case "achieved":
			r.achieved = vals
			continue
		}
		if !r.hasVals(vals) {
			continue
		}
		if r.planned == nil && r.dates == nil && datesRow(vals, sh.Date1904) {
			r.dates = vals
			continue
		}
		if r.planned == nil {
			r.planned = vals
			continue
		}
		for _, c := range vals {
			if !c.Empty() {
				r.errAt(c, "", indicators.ErrInvalid, "a second row of figures for indicator %s (the first is row %d), expected one Planned row: label the rows Planned and Achieved", r.code, rowOf(r.planned[0].Ref))
				break
			}
		}
	}
}

// sourceText is the source written on the row after a "Source" label: its
// cells right of the indicator column (not the assumptions), joined.
func (r *dfidIndReader) sourceText(cells []Cell) string {
	var parts []string
	for j := r.h.ind + 1; j < len(cells); j++ {
		if j == r.h.assump {
			continue
		}
		if c := cells[j]; !c.Empty() && !placeholder(c.Raw) {
			parts = append(parts, strings.TrimSpace(c.Raw))
		}
	}
	return strings.Join(parts, "; ")
}

// indicator is the indicator of the block, with its name and source.
func (r *dfidIndReader) indicator(b *dfidBlock) *indicators.Indicator {
	sh, h := r.sh, r.h
	heading := sh.Cell(h.row, h.ind)
	nameRef := r.name.Ref
	if nameRef == "" {
		nameRef = sh.Cell(h.row+1, h.ind).Ref
	}
	ind := &indicators.Indicator{Code: r.code, Result: b.code, Name: strings.TrimSpace(r.name.Raw), DataSource: r.source,
		Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: h.row, Cells: map[string]string{"code": heading.Ref, "name": nameRef}}}
	if r.name.Ref == "" {
		r.errAt(sh.Cell(h.row+1, h.ind), "name", indicators.ErrRequired, "indicator %s has figures but no name, expected the indicator under its heading %s", r.code, shown(heading))
	}
	return ind
}

// readFigures reads the Planned and Achieved cells and the unit they
// show.
func (r *dfidIndReader) readFigures() {
	if r.planned == nil {
		r.planned = make([]Cell, len(r.valueCols))
	}
	r.figs = make([]figure, len(r.planned))
	for i, c := range r.planned {
		r.figs[i] = readFigure(c)
		r.all = append(r.all, r.figs[i])
	}
	for _, c := range r.achieved {
		f := readFigure(c)
		r.ach = append(r.ach, f)
		r.all = append(r.all, f)
	}
	r.unit = unitOf(r.all)
}

// colName names value column i in messages.
func (r *dfidIndReader) colName(i int) string {
	switch {
	case i == 0:
		return "baseline"
	case i == len(r.valueCols)-1:
		return "target"
	}
	return fmt.Sprintf("milestone %d", r.h.ms[i-1].n)
}

// ok is true when figure f of column i holds a usable value; a formula
// without a value or a text where numbers are expected is a problem.
func (r *dfidIndReader) ok(f figure, i int, what string) bool {
	if f.cell.Kind == CellUncomputed {
		r.probs = append(r.probs, &indicators.CellError{File: r.sh.File, Sheet: r.sh.Name, Row: rowOf(f.cell.Ref), Cell: f.cell.Ref, Field: r.colName(i), Err: f.cell.UncomputedError()})
		return false
	}
	if f.empty {
		return false
	}
	if r.unit == indicators.Text || f.number {
		if f.words != "" {
			r.words[f.words] = true
		}
		return true
	}
	other := ""
	for _, g := range r.all {
		if g.number && !g.empty {
			other = fmt.Sprintf(" (%s holds %s)", g.cell.Ref, strconv.Quote(g.cell.Text()))
			break
		}
	}
	dash := ""
	if IsDash(f.cell.Text()) {
		dash = "; " + DashHelp
	}
	r.errAt(f.cell, r.colName(i), indicators.ErrInvalid, "%s %s of indicator %s is not a number, expected a number like the indicator's other figures%s, such as 1250, 1,250, 45%% or £2.5m (a text indicator has no number in any cell)%s",
		what, shown(f.cell), r.code, other, dash)
	return false
}

// periods works out the period of each column: the dates row, else the
// heading; a date that cannot be read is reported once, and its column
// has no period.
func (r *dfidIndReader) periods() {
	h := r.h
	r.pers = make([]indicators.Period, len(r.valueCols))
	r.badDate = make([]bool, len(r.valueCols))
	for i := range r.valueCols {
		if r.dates != nil {
			if c := r.dates[i]; !c.Empty() {
				if p, ok := cellPeriodOf(c, r.sh.Date1904); ok {
					r.pers[i] = p
				} else {
					r.badDate[i] = true
					r.errAt(c, "date", indicators.ErrInvalid, "date %s of %s cannot be read, expected a date such as 31/03/2013, a month such as Mar 2013 or a year", shown(c), r.colName(i))
				}
				continue
			}
		}
		switch {
		case i == 0:
			r.pers[i] = h.basePer
		case i == len(r.valueCols)-1:
			r.pers[i] = h.targetPer
		default:
			r.pers[i] = h.ms[i-1].period
		}
	}
}

// baselineTarget sets ind's baseline (and its date), target, direction
// and notes from the Planned row.
func (r *dfidIndReader) baselineTarget(ind *indicators.Indicator) {
	var notes []string
	for i, f := range r.figs {
		if !r.ok(f, i, r.colName(i)) {
			continue
		}
		if f.words != "" {
			notes = append(notes, f.words)
		}
		ind.Loc.Cells[strings.ReplaceAll(r.colName(i), " ", "_")] = f.cell.Ref
		switch {
		case i == 0:
			if r.unit == indicators.Text {
				ind.BaselineText = f.text
			} else {
				v := f.v
				ind.Baseline = &v
			}
			if bp := r.pers[0]; !bp.IsZero() {
				d := bp.Start
				ind.BaselineDate = &d
			}
		case i == len(r.valueCols)-1:
			if r.unit == indicators.Text {
				ind.TargetText = f.text
			} else {
				v := f.v
				ind.Target = &v
			}
		}
	}
	ind.Loc.Cells["baseline"] = r.planned[0].Ref
	ind.Loc.Cells["target"] = r.planned[len(r.planned)-1].Ref
	if ind.Baseline != nil && ind.Target != nil && *ind.Target < *ind.Baseline {
		ind.Direction = indicators.Decrease
	}
	if len(notes) > 0 {
		ind.Notes = "figures in " + notes[0]
	}
}

// milestones are the Planned figures between the baseline and the
// target, each at the period of its column (or written with the figure).
func (r *dfidIndReader) milestones(p *indicators.Project) []indicators.Milestone {
	sh, h := r.sh, r.h
	heading := sh.Cell(h.row, h.ind)
	var ms []indicators.Milestone
	for i := 1; i < len(r.valueCols); i++ {
		f := r.figs[i]
		last := i == len(r.valueCols)-1
		if f.empty || !f.number && r.unit != indicators.Text {
			continue
		}
		pr := r.pers[i]
		if r.badDate[i] {
			continue
		}
		if p, ok := periodText(f.note); pr.IsZero() && ok {
			pr = p // "500 (Mar 2013)": the date written with the figure
		}
		if pr.IsZero() {
			if last {
				continue // the end-of-project target
			}
			hc := sh.Cell(h.row, h.ms[i-1].col)
			r.errAt(f.cell, r.colName(i), indicators.ErrRequired, "milestone %d of indicator %s has no date, expected it in the heading %s (such as \"Milestone %d (Mar 2013)\"), in a row of dates under the headings or after the figure (500 (Mar 2013))",
				h.ms[i-1].n, r.code, hc.Ref, h.ms[i-1].n)
			continue
		}
		if last && !p.End.IsZero() && !pr.End.Before(p.End) {
			continue // due at the end of the project: the target itself
		}
		m := indicators.Milestone{Indicator: r.code, Period: pr, Target: f.v,
			Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: rowOf(f.cell.Ref), Cells: map[string]string{"target": f.cell.Ref, "period": f.cell.Ref, "indicator": heading.Ref}}}
		if r.unit == indicators.Text {
			m.TargetText, m.Target = f.text, 0
		}
		ms = append(ms, m)
	}
	return ms
}

// achievedFigures are the Achieved figures after the baseline, each at
// the period of its column.
func (r *dfidIndReader) achievedFigures() []indicators.Measurement {
	sh, h := r.sh, r.h
	heading := sh.Cell(h.row, h.ind)
	var out []indicators.Measurement
	for i, f := range r.ach {
		if i == 0 || f.empty {
			continue // an achieved baseline is the baseline
		}
		if !r.ok(f, i, "achieved "+r.colName(i)) {
			continue
		}
		pr := r.pers[i]
		if r.badDate[i] {
			continue
		}
		if p, ok := periodText(f.note); pr.IsZero() && ok {
			pr = p
		}
		if pr.IsZero() {
			r.errAt(f.cell, r.colName(i), indicators.ErrRequired, "achieved %s of indicator %s has no date, expected the date in the heading %s or in a row of dates under the headings",
				r.colName(i), r.code, sh.Cell(h.row, r.valueCols[i]).Ref)
			continue
		}
		m := indicators.Measurement{Indicator: r.code, Period: pr, Source: r.source,
			Loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: rowOf(f.cell.Ref), Cells: map[string]string{"value": f.cell.Ref, "indicator": heading.Ref}}}
		if r.unit == indicators.Text {
			m.Text = f.text
		} else {
			v := f.v
			m.Value = &v
		}
		out = append(out, m)
	}
	return out
}

// datesRow is true for a row of dates under the headings: at least one
// cell is a date cell or text that reads as a date or month, the numbers
// are years (1990..2100), and the other text is read as dates that cannot
// be read (reported by the caller). A row of figures has no such cell.
func datesRow(cs []Cell, date1904 bool) bool {
	dates := 0
	for _, c := range cs {
		if c.Empty() {
			continue
		}
		if c.Kind == CellDate {
			dates++
			continue
		}
		if v, _, err := c.Number(); err == nil {
			if v == float64(int(v)) && v >= 1990 && v <= 2100 && !strings.ContainsAny(c.Raw, ",.%") {
				continue
			}
			return false
		}
		if c.Kind == CellText {
			if p, ok := periodText(c.Raw); ok && p.Kind != indicators.KindYear {
				dates++
			}
		}
	}
	return dates > 0
}
