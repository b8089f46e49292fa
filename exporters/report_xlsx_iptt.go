package exporters

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// dwPeriods lists the reporting periods of the report's series, in order.
func dwPeriods(r *indicators.Report) []indicators.SeriesPoint {
	seen := map[string]bool{}
	var out []indicators.SeriesPoint
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			for _, pt := range ind.Series {
				if !seen[pt.Period] {
					seen[pt.Period] = true
					out = append(out, indicators.SeriesPoint{Period: pt.Period, Start: pt.Start, End: pt.End})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].End != out[j].End {
			return out[i].End < out[j].End
		}
		return out[i].Start > out[j].Start
	})
	return out
}

// dwMet is the share of the way from the baseline to target that actual
// covers (nil when it cannot be said).
func dwMet(ind *indicators.ReportIndicator, target, actual *float64) *float64 {
	if target == nil || actual == nil || repIsText(ind) {
		return nil
	}
	base := 0.0
	if ind.Baseline != nil {
		base = *ind.Baseline
	}
	d := *target - base
	if d == 0 {
		return nil
	}
	x := (*actual - base) / d
	return &x
}

// dwIPTTFixed are the IPTT columns before the periods.
var dwIPTTFixed = []string{"Code", "Result / indicator", "Unit", "Direction", "Baseline", "End target", "Actual to date",
	"% of target", "Status", "Likely"}

// dwIPTTPeriodCols are the columns of each period: the target and actual
// to the end of the period (cumulative from the project start, on the
// same footing), the period's own figure, and the share of the target met.
var dwIPTTPeriodCols = []string{"Cumulative target", "Actual in period", "Cumulative actual", "% met"}

// dwFrequencyWords say how often a table's indicators are reported.
var dwFrequencyWords = map[string]string{"monthly": "monthly", "quarterly": "quarterly", "semiannual": "every six months",
	"annual": "yearly", "end": "once, at the end of the project"}

// dwIPTTName is the name of the i-th IPTT sheet: IPTT for the first, then
// after the frequency (IPTT annual, IPTT end of project).
func dwIPTTName(i int, t indicators.IPTTTable) string {
	if i == 0 {
		return dwIPTT
	}
	if t.Frequency == "end" {
		return dwIPTT + " end of project"
	}
	return dwIPTT + " " + t.Frequency
}

// dwSeriesTable is the IPTT table of every indicator of r over r's own
// series (when the caller gives no tables by frequency).
func dwSeriesTable(r *indicators.Report) indicators.IPTTTable {
	t := indicators.IPTTTable{Frequency: r.Project.Reporting, Points: map[string][]indicators.SeriesPoint{}}
	periods := dwPeriods(r)
	for _, p := range periods {
		t.Periods = append(t.Periods, indicators.IPTTPeriod{Label: p.Period,
			ReportPeriod: indicators.ReportPeriod{Code: p.Period, Start: p.Start, End: p.End}})
	}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			t.Indicators = append(t.Indicators, ind.Code)
			pts := map[string]indicators.SeriesPoint{}
			for _, pt := range ind.Series {
				pts[pt.Period] = pt
			}
			for _, p := range periods {
				t.Points[ind.Code] = append(t.Points[ind.Code], pts[p.Period])
			}
		}
	}
	return t
}

// iptt is the IPTT sheet name of table t: results as group rows, one row
// per indicator of t, then per period of t its target and actual to date,
// the period's own figure and the share met. It prints landscape over as
// many pages as the periods need, the code and indicator columns and the
// header rows repeated on each.
func (b *dwBook) iptt(r *indicators.Report, t indicators.IPTTTable, name string) *dwSheet {
	s := &dwSheet{name: name, freeze: "C4", titles: "$2:$3", titleCols: "$A:$B", across: true,
		noWidth: map[int]bool{0: true, 1: true}}
	ncol := len(dwIPTTFixed) + len(dwIPTTPeriodCols)*len(t.Periods)
	b.ipttHead(s, r, t, ncol)
	on := map[string]bool{}
	for _, c := range t.Indicators {
		on[c] = true
	}
	for i := range r.Results {
		res := &r.Results[i]
		if !repShown(res) {
			continue
		}
		var inds []*indicators.ReportIndicator
		for j := range res.Indicators {
			if on[res.Indicators[j].Code] {
				inds = append(inds, &res.Indicators[j])
			}
		}
		if len(inds) == 0 {
			continue
		}
		s.skipWidth() // the statement overflows into the empty cells
		s.add(b.ipttResultRow(res, ncol))
		for _, ind := range inds {
			s.add(b.ipttIndicatorRow(res, ind, t, ncol))
		}
	}
	last := len(s.rows)
	lastCol, _ := excelize.ColumnNumberToName(ncol)
	s.filter = fmt.Sprintf("A3:%s%d", lastCol, max(last, 4))
	s.add(nil)
	b.ipttNotes(s, r, t)
	return s
}

// ipttHead writes the title, the band of periods and the header rows of
// IPTT sheet s, and sets its column widths and page breaks.
func (b *dwBook) ipttHead(s *dwSheet, r *indicators.Report, t indicators.IPTTTable, ncol int) {
	periods := t.Periods
	np := len(dwIPTTPeriodCols)
	title := r.Project.Title
	if r.Project.Code != "" {
		title = r.Project.Code + ": " + title
	}
	freq := dwFrequencyWords[t.Frequency]
	if freq == "" {
		freq = t.Frequency
	}
	heading := fmt.Sprintf("%s - indicator performance tracking table, %s (%s to %s)", title, r.Period.Code, r.Period.Start, r.Period.End)
	if freq != "" {
		heading += ": indicators reported " + freq
	}
	titleStyle := dwTitle
	titleStyle.Wrap, titleStyle.VAlign = true, "top"
	// 14-point bold: about 0.6 of a column character each.
	s.add([]excelize.Cell{b.text(heading, titleStyle)}, excelize.RowOpts{Height: float64(dwLines(heading, 118*0.6))*19 + 4})
	s.merge(1, 1, 1, len(dwIPTTFixed)) // printed whole on the first page
	band := make([]excelize.Cell, ncol)
	for j := range band {
		band[j] = excelize.Cell{StyleID: b.style(dwBand)}
	}
	band[4] = b.text("Cumulative to the end of "+r.Period.Code, dwBand)
	s.merge(2, 5, 2, 8)
	for i, p := range periods {
		c := len(dwIPTTFixed) + np*i
		band[c] = b.text(p.Label, dwBand)
		s.merge(2, c+1, 2, c+np)
	}
	s.add(band)
	head := make([]excelize.Cell, 0, ncol)
	for _, h := range dwIPTTFixed {
		head = append(head, b.text(h, dwHeader))
	}
	for range periods {
		for _, h := range dwIPTTPeriodCols {
			head = append(head, b.text(h, dwHeader))
		}
	}
	s.add(head, excelize.RowOpts{Height: 45})
	s.widths = map[int]float64{1: 9, 2: 32, 3: 9, 4: 10, 5: 10, 6: 10, 7: 10, 8: 9, 9: 11, 10: 8}
	var starts []int
	for j := len(dwIPTTFixed) + 1; j <= ncol; j++ {
		s.widths[j] = 10.5
		if (j-len(dwIPTTFixed)-1)%np == 0 {
			starts = append(starts, j)
		}
	}
	// Printed across pages: each period's columns on one page.
	s.colBreaks = dwColBreaks(s.widths, ncol, 2, starts, dwAcrossScale)
}

// ipttResultRow is the group row of result res.
func (b *dwBook) ipttResultRow(res *indicators.ReportResult, ncol int) []excelize.Cell {
	g := dwStyle{Bold: true, Fill: dwLevelFill[res.Level], Border: true}
	row := make([]excelize.Cell, ncol)
	for j := range row {
		row[j] = excelize.Cell{StyleID: b.style(g)}
	}
	gc := g
	gc.Indent = res.Depth
	row[0] = b.text(res.Code, gc)
	row[1] = b.text(repLevelTitle(res.Level)+": "+strings.Join(strings.Fields(res.Statement), " "), gc)
	if res.Status != "" {
		row[8] = b.status(res.Status, g)
	}
	return row
}

// ipttIndicatorRow is the row of indicator ind of result res: its
// cumulative figures, then per period of t its target, figure, actual and
// share met.
func (b *dwBook) ipttIndicatorRow(res *indicators.ReportResult, ind *indicators.ReportIndicator, t indicators.IPTTTable, ncol int) []excelize.Cell {
	row := make([]excelize.Cell, 0, ncol)
	name := dwWrap
	name.Indent = res.Depth + 1
	label := ind.Name
	if note := b.revised[ind.Code]; note != "" {
		label += "\n" + note
	}
	row = append(row, b.text(ind.Code, dwStyle{Border: true, VAlign: "top", Indent: res.Depth}), b.text(label, name),
		b.text(string(ind.Unit), dwPlain), b.text(string(ind.Direction), dwPlain))
	if repIsText(ind) {
		row = append(row, b.text(ind.BaselineText, dwWrap), b.text(ind.TargetText, dwWrap), b.text(ind.ActualText, dwWrap),
			b.text("", dwPlain))
	} else {
		row = append(row, b.num(ind.Baseline, ind.Unit, dwPlain), b.num(ind.Target, ind.Unit, dwPlain),
			b.num(ind.Actual, ind.Unit, dwPlain), b.share(ind.Progress, dwPlain))
	}
	likely := ""
	if ind.Likely != nil {
		likely = repLikely(ind.Likely)
	}
	row = append(row, b.status(ind.Status, dwPlain), b.text(likely, dwStyle{Border: true, VAlign: "top", HAlign: "center"}))
	pts := t.Points[ind.Code]
	for k := range t.Periods {
		var pt indicators.SeriesPoint
		if k < len(pts) {
			pt = pts[k]
		}
		if repIsText(ind) {
			row = append(row, b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain), b.text("", dwPlain))
			continue
		}
		row = append(row, b.pathNum(pt.Target, ind, dwPlain), b.num(pt.PeriodValue, ind.Unit, dwPlain),
			b.num(pt.Actual, ind.Unit, dwPlain), b.share(dwMet(ind, pt.Target, pt.Actual), dwPlain))
	}
	return row
}

// ipttNotes writes the notes under the table, wrapped in the code and
// indicator columns, which print on every page.
func (b *dwBook) ipttNotes(s *dwSheet, r *indicators.Report, t indicators.IPTTTable) {
	notes := []string{
		"Baseline, targets and actuals are cumulative from the project start (by each indicator's aggregation: sum adds the periods, last takes the latest).",
		"Per period: Cumulative target is where the indicator is expected to stand at the period's end, on the straight line through the baseline, " +
			"the milestones and the end target (so every period has one, even with yearly milestones); Actual in period is the period's own figure; " +
			"Cumulative actual the actual from the project start to the period's end; % met the share of the way from the baseline to that target covered by the cumulative actual.",
		fmt.Sprintf("%s of the project's time had elapsed by the end of %s. Status colours: green achieved / on track, amber at risk, red off track, grey no data, not due, no target or reported.",
			repShare(&r.Elapsed), r.Period.Code),
	}
	if len(t.Periods) == 0 && t.Frequency == "end" {
		notes = append(notes, "These indicators are measured once, at the end of the project: they have no period columns.")
	}
	for _, p := range t.Periods {
		if p.Cut {
			notes = append(notes, fmt.Sprintf("%s: the period runs past %s; its columns hold the figures up to %s.", p.Label, r.Period.Code, r.Period.End))
		}
	}
	noteStyle := dwNote
	noteStyle.Wrap, noteStyle.VAlign = true, "top"
	for _, n := range notes {
		s.skipWidth()
		row := s.add([]excelize.Cell{b.text(n, noteStyle)}, excelize.RowOpts{Height: float64(dwLines(n, s.widths[1]+s.widths[2]))*14.5 + 2})
		s.merge(row, 1, row, 2)
	}
}
