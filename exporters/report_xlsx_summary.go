package exporters

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// dwAverages is the mean progress (each capped at 100%) and the mean
// expected share over the indicators that have both of the results keep
// accepts (nil: every result, the whole project); nil when none has.
func dwAverages(r *indicators.Report, keep func(*indicators.ReportResult) bool) (progress, expected *float64) {
	var ps, es float64
	n := 0
	for i := range r.Results {
		res := &r.Results[i]
		if keep != nil && !keep(res) {
			continue
		}
		for _, ind := range res.Indicators {
			if ind.Progress == nil || ind.Expected == nil || math.IsNaN(*ind.Progress) || math.IsNaN(*ind.Expected) {
				continue
			}
			ps += math.Max(0, math.Min(*ind.Progress, 1))
			es += *ind.Expected
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	ps, es = ps/float64(n), es/float64(n)
	return &ps, &es
}

// repAncestorAny reports whether anc is an ancestor of result code.
func repAncestorAny(r *indicators.Report, idx map[string]int, code, anc string) bool {
	for i := 0; i < 64 && code != ""; i++ {
		j, ok := idx[code]
		if !ok {
			return false
		}
		code = r.Results[j].Parent
		if code == anc {
			return true
		}
	}
	return false
}

// dwSummaryCols are the columns of the summary table: the result, its
// status and delivery (the worst status below it), the count of its
// indicators by each status, their total, the mean progress and expected.
func dwSummaryCols() []string {
	cols := []string{"Code", "Level", "Statement", "Status", "Delivery"}
	for _, s := range indicators.Statuses {
		w := repStatusName(s)
		cols = append(cols, strings.ToUpper(w[:1])+w[1:])
	}
	return append(cols, "Indicators", "Progress", "Expected")
}

// Summary columns (1-based) after the status counts.
var (
	dwSumFirstCount = 6
	dwSumTotal      = dwSumFirstCount + len(indicators.Statuses)
	dwSumProgress   = dwSumTotal + 1
	dwSumExpected   = dwSumTotal + 2
)

// summary writes the Summary sheet (in normal mode: it has a chart).
func (b *dwBook) summary(r *indicators.Report) error {
	f, sh := b.f, dwSummary
	w := &dwSummaryWriter{b: b, r: r}
	w.set(1, 1, b.text(fmt.Sprintf("Summary at %s (%s to %s)", r.Period.Code, r.Period.Start, r.Period.End), dwTitle))
	w.set(1, 2, b.text("Project time elapsed", dwStyle{Bold: true}))
	el := r.Elapsed
	w.set(3, 2, b.share(&el, dwStyle{Bold: true, HAlign: "left"}))
	cols := dwSummaryCols()
	for j, h := range cols {
		w.set(j+1, dwSumHead, b.text(h, dwHeader))
	}
	if err := f.SetRowHeight(sh, dwSumHead, 30); err != nil {
		return err
	}
	firstOutcome, lastOutcome := w.results()
	if err := w.layout(len(cols)); err != nil {
		return err
	}
	if lastOutcome >= firstOutcome {
		return w.chart(firstOutcome, lastOutcome)
	}
	return nil
}

// The Summary sheet's header row and the width of its statement column.
const (
	dwSumHead           = 4
	dwSumStatementWidth = 50
)

// dwSummaryWriter writes the Summary sheet's rows; the first error of a
// cell is kept in b.err.
type dwSummaryWriter struct {
	b   *dwBook
	r   *indicators.Report
	row int // the last row written
}

func (w *dwSummaryWriter) set(col, row int, c excelize.Cell) {
	b, f, sh := w.b, w.b.f, dwSummary
	ref, _ := excelize.CoordinatesToCellName(col, row)
	if c.Value != nil {
		if t, ok := c.Value.(string); ok {
			if err := checkCellText(sh, ref, t); err != nil && b.err == nil {
				b.err = err
			}
		}
		if err := f.SetCellValue(sh, ref, c.Value); err != nil && b.err == nil {
			b.err = err
		}
	}
	if err := f.SetCellStyle(sh, ref, ref, c.StyleID); err != nil && b.err == nil {
		b.err = err
	}
}

// writeRow writes one result (or the project) with its statuses, counts,
// progress and expected.
func (w *dwSummaryWriter) writeRow(code, level, statement string, status, delivery indicators.Status, c map[indicators.Status]int, prog, exp *float64, st dwStyle) {
	b := w.b
	w.row++
	row := w.row
	w.set(1, row, b.text(code, st))
	w.set(2, row, b.text(level, st))
	ws := st
	ws.Wrap = true
	statement = strings.Join(strings.Fields(statement), " ")
	w.set(3, row, b.text(statement, ws))
	if n := dwLines(statement, dwSumStatementWidth); n > 1 {
		if err := b.f.SetRowHeight(dwSummary, row, float64(n)*14.5+2); err != nil && b.err == nil {
			b.err = err
		}
	}
	if status != "" {
		w.set(4, row, b.status(status, st))
	} else {
		w.set(4, row, b.text("no indicators", st))
	}
	if delivery != "" {
		w.set(5, row, b.status(delivery, st))
	} else {
		w.set(5, row, b.text("", st))
	}
	total := 0
	nf := st
	nf.NumFmt = dwFmtInt
	for k, s := range indicators.Statuses { // the columns of dwSummaryCols
		n := c[s]
		total += n
		w.set(dwSumFirstCount+k, row, excelize.Cell{StyleID: b.style(nf), Value: n})
	}
	w.set(dwSumTotal, row, excelize.Cell{StyleID: b.style(nf), Value: total})
	w.set(dwSumProgress, row, b.share(prog, st))
	w.set(dwSumExpected, row, b.share(exp, st))
}

// results writes the goals, the outcomes (the rows the chart shows, first
// to last) and the whole project.
func (w *dwSummaryWriter) results() (firstOutcome, lastOutcome int) {
	r := w.r
	var goals, outcomes []*indicators.ReportResult
	for i := range r.Results {
		switch r.Results[i].Level {
		case indicators.Goal:
			goals = append(goals, &r.Results[i])
		case indicators.Outcome:
			outcomes = append(outcomes, &r.Results[i])
		}
	}
	w.row = dwSumHead
	idx := repResultIndex(r)
	rowOf := func(res *indicators.ReportResult) {
		// the result and the results under it
		prog, exp := dwAverages(r, func(x *indicators.ReportResult) bool {
			return x.Code == res.Code || repAncestorAny(r, idx, x.Code, res.Code)
		})
		w.writeRow(res.Code, repLevelTitle(res.Level), res.Statement, res.Status, res.Delivery, res.StatusCounts, prog, exp, dwPlain)
	}
	for _, g := range goals {
		rowOf(g)
	}
	firstOutcome = w.row + 1
	for _, o := range outcomes {
		rowOf(o)
	}
	lastOutcome = w.row
	// The whole project: every indicator of the report.
	prog, exp := dwAverages(r, nil)
	all := repReportCounts(r)
	worst := indicators.Status("")
	for _, s := range []indicators.Status{indicators.StatusAchieved, indicators.StatusOnTrack, indicators.StatusAtRisk, indicators.StatusOffTrack} {
		if all[s] > 0 {
			worst = s
		}
	}
	w.writeRow("All", "Project", "Every indicator of the report", worst, "", all, prog, exp, dwStyle{Border: true, Bold: true, VAlign: "top"})
	return firstOutcome, lastOutcome
}

// layout sizes the ncol columns, freezes the header, writes the note under
// the table and fits the sheet on one landscape page.
func (w *dwSummaryWriter) layout(ncol int) error {
	f, sh := w.b.f, dwSummary
	for c := 1; c <= ncol; c++ {
		wd := 10.0
		switch c {
		case 1:
			wd = 9
		case 3:
			wd = dwSumStatementWidth
		case 4, 5:
			wd = 12
		}
		name := dwColName(c)
		if err := f.SetColWidth(sh, name, name, wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: dwSumHead, TopLeftCell: fmt.Sprintf("A%d", dwSumHead+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	w.row += 2
	// The note wraps across the table's width, so that it prints whole on
	// the sheet's one page.
	noteStyle := dwNote
	noteStyle.Wrap, noteStyle.VAlign = true, "top"
	w.set(1, w.row, w.b.text("Counts include the indicators of the result and of the results under it. Progress is the mean share of the way "+
		"from baseline to end target (each capped at 100%); expected the mean share that should be covered by now; both over the "+
		"indicators that have them.", noteStyle))
	if err := f.MergeCell(sh, fmt.Sprintf("A%d", w.row), fmt.Sprintf("%s%d", dwColName(ncol), w.row)); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, w.row, 32); err != nil {
		return err
	}
	// One landscape page, the chart whole: the chart sits below the
	// table, within its columns.
	land, a4, one, yes := "landscape", 9, 1, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Orientation: &land, Size: &a4, FitToWidth: &one, FitToHeight: &one}); err != nil {
		return err
	}
	return f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &yes})
}

// chart adds the chart of progress against expected per outcome (rows
// firstOutcome to lastOutcome) below the note.
func (w *dwSummaryWriter) chart(firstOutcome, lastOutcome int) error {
	sh, head := dwSummary, dwSumHead
	ref := func(col string, a, z int) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sh, col, a, col, z) }
	maxY := 1.0
	chart := &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{
			{Name: fmt.Sprintf("'%s'!$%s$%d", sh, dwColName(dwSumProgress), head), Categories: ref("A", firstOutcome, lastOutcome),
				Values: ref(dwColName(dwSumProgress), firstOutcome, lastOutcome),
				Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2E75B6"}}},
			{Name: fmt.Sprintf("'%s'!$%s$%d", sh, dwColName(dwSumExpected), head), Categories: ref("A", firstOutcome, lastOutcome),
				Values: ref(dwColName(dwSumExpected), firstOutcome, lastOutcome),
				Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"BFBFBF"}}},
		},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Progress against expected per outcome, " + w.r.Period.Code}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
		YAxis:     excelize.ChartAxis{Maximum: &maxY, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
	}
	if err := w.b.f.AddChart(sh, fmt.Sprintf("C%d", w.row+2), chart); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

// disagg lists the actuals of every indicator that has a breakdown, one
// block per dimension (sex, province, ...), one column per value.
func (b *dwBook) disagg(r *indicators.Report, fw *indicators.Framework) *dwSheet {
	s := &dwSheet{name: dwDisagg, maxW: map[int]float64{2: 50}, wide: true, noWidth: map[int]bool{0: true}}
	s.add([]excelize.Cell{b.text("Actuals to the end of "+r.Period.Code+" by disaggregation", dwTitle)})
	type entry struct {
		ind *indicators.ReportIndicator
		by  map[string]*float64
	}
	var dims []string
	values := map[string][]string{}
	seenVal := map[string]map[string]bool{}
	rows := map[string][]*entry{}
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			ind := &r.Results[i].Indicators[j]
			var cur map[string]*entry
			for _, d := range ind.Disaggregated {
				if d.Dims.Total() {
					continue
				}
				dim := strings.Join(d.Dims.Dims(), " × ")
				val := strings.Join(d.Dims.Values(), ", ")
				if _, ok := values[dim]; !ok {
					dims = append(dims, dim)
					seenVal[dim] = map[string]bool{}
				}
				if !seenVal[dim][val] {
					seenVal[dim][val] = true
					values[dim] = append(values[dim], val)
				}
				if cur == nil {
					cur = map[string]*entry{}
				}
				e := cur[dim]
				if e == nil {
					e = &entry{ind: ind, by: map[string]*float64{}}
					cur[dim] = e
					rows[dim] = append(rows[dim], e)
				}
				e.by[val] = d.Actual
			}
		}
	}
	// Values in the framework's order when it lists them.
	for _, dim := range dims {
		if fw == nil {
			continue
		}
		if d, ok := fw.Dimension(dim); ok {
			pos := map[string]int{}
			for i, v := range d.Values {
				pos[v] = i + 1
			}
			vs := values[dim]
			sort.SliceStable(vs, func(i, j int) bool {
				pi, pj := pos[vs[i]], pos[vs[j]]
				if pi == 0 || pj == 0 {
					return pi != 0 && pj == 0
				}
				return pi < pj
			})
		}
	}
	if len(dims) == 0 {
		s.add([]excelize.Cell{b.text("No indicator of this report has figures by sex, province or another breakdown.", dwNote)})
		return s
	}
	for _, dim := range dims {
		s.add(nil)
		s.add([]excelize.Cell{b.text("By "+dim, dwStyle{Bold: true, Size: 12})})
		head := []excelize.Cell{b.text("Code", dwHeader), b.text("Indicator", dwHeader), b.text("Unit", dwHeader), b.text("Total", dwHeader)}
		for _, v := range values[dim] {
			head = append(head, b.text(v, dwHeader))
		}
		s.add(head)
		for _, e := range rows[dim] {
			row := []excelize.Cell{b.text(e.ind.Code, dwPlain), b.text(e.ind.Name, dwWrap), b.text(string(e.ind.Unit), dwPlain),
				b.num(e.ind.Actual, e.ind.Unit, dwStyle{Border: true, VAlign: "top", Bold: true})}
			for _, v := range values[dim] {
				row = append(row, b.num(e.by[v], e.ind.Unit, dwPlain))
			}
			s.add(row)
		}
	}
	s.add(nil)
	s.skipWidth()
	s.add([]excelize.Cell{b.text("Cumulative actuals from the project start to the end of "+r.Period.Code+
		"; empty cells: nothing reported for that value.", dwNote)})
	return s
}
