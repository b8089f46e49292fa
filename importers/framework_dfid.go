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
