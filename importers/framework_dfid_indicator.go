package importers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

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
