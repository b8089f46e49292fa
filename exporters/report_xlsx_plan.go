package exporters

import (
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// dwPlanCols are the columns of the measurement plan.
var dwPlanCols = []string{"Code", "Result", "Indicator", "Definition", "Unit", "Direction", "Aggregation", "Baseline", "Baseline date",
	"End target", "Milestones", "Milestones read as", "Expected path", "Disaggregations", "Data source", "Collection method", "Frequency", "Responsible",
	"Means of verification", "Formula", "Notes"}

// plan is the Indicators sheet: the measurement plan.
func (b *dwBook) plan(r *indicators.Report, fw *indicators.Framework) *dwSheet {
	s := &dwSheet{name: dwIndicators, freeze: "B2", titles: "$1:$1", titleCols: "$A:$A", fitWide: 2,
		maxW: map[int]float64{2: 12, 3: 40, 4: 40, 11: 24, 12: 24, 14: 18, 15: 30, 16: 30, 18: 20, 19: 30, 20: 30, 21: 35}}
	head := make([]excelize.Cell, len(dwPlanCols))
	for j, h := range dwPlanCols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	if fw != nil {
		for i := range fw.Indicators {
			ind := &fw.Indicators[i]
			res := ind.Result
			if res == "" {
				res = "(supporting measure)"
			}
			var ms []string
			for _, m := range fw.MilestonesOf(ind.Code) {
				v := m.TargetText
				if ind.Unit != indicators.Text {
					t := m.Target
					v = repValue(&t, ind.Unit)
				}
				line := fw.Project.PeriodLabel(m.Period) + ": " + v
				if !m.Dims.Total() {
					line += " (" + m.Dims.String() + ")"
				}
				ms = append(ms, line)
			}
			row := []excelize.Cell{b.text(ind.Code, dwPlain), b.text(res, dwWrap), b.text(ind.Name, dwWrap), b.text(ind.Definition, dwWrap),
				b.text(string(ind.Unit), dwPlain), b.text(string(ind.Direction), dwPlain), b.text(string(ind.AggregationOrDefault()), dwPlain)}
			if ind.Unit == indicators.Text {
				row = append(row, b.text(ind.BaselineText, dwWrap))
			} else {
				row = append(row, b.num(ind.Baseline, ind.Unit, dwPlain))
			}
			if ind.BaselineDate != nil && !ind.BaselineDate.IsZero() {
				row = append(row, excelize.Cell{StyleID: b.style(dwStyle{Border: true, VAlign: "top", NumFmt: dwFmtDate}), Value: *ind.BaselineDate})
			} else {
				row = append(row, b.text("", dwPlain))
			}
			if ind.Unit == indicators.Text {
				row = append(row, b.text(ind.TargetText, dwWrap))
			} else {
				row = append(row, b.num(ind.Target, ind.Unit, dwPlain))
			}
			use := ""
			if len(ms) > 0 {
				use = fw.MilestoneUse(ind).String()
			}
			row = append(row, b.text(strings.Join(ms, "\n"), dwWrap), b.text(use, dwWrap), b.text(string(ind.PathShapeOrDefault()), dwPlain),
				b.text(strings.Join(ind.Disaggregations, ", "), dwWrap),
				b.text(ind.DataSource, dwWrap), b.text(ind.CollectionMethod, dwWrap), b.text(ind.Frequency, dwPlain),
				b.text(ind.Responsible, dwWrap), b.text(ind.MeansOfVerification, dwWrap), b.text(ind.Formula, dwWrap), b.text(ind.Notes, dwWrap))
			s.add(row)
		}
	} else {
		for i := range r.Results {
			for j := range r.Results[i].Indicators {
				ind := &r.Results[i].Indicators[j]
				row := []excelize.Cell{b.text(ind.Code, dwPlain), b.text(r.Results[i].Code, dwPlain), b.text(ind.Name, dwWrap), b.text("", dwWrap),
					b.text(string(ind.Unit), dwPlain), b.text(string(ind.Direction), dwPlain), b.text(string(ind.Aggregation), dwPlain)}
				if repIsText(ind) {
					row = append(row, b.text(ind.BaselineText, dwWrap), b.text("", dwPlain), b.text(ind.TargetText, dwWrap))
				} else {
					row = append(row, b.num(ind.Baseline, ind.Unit, dwPlain), b.text("", dwPlain), b.num(ind.Target, ind.Unit, dwPlain))
				}
				row = append(row, b.text("", dwWrap), b.text(ind.MilestoneReading, dwWrap), b.text("", dwPlain), b.text("", dwWrap),
					b.text(ind.DataSource, dwWrap), b.text("", dwWrap),
					b.text(ind.Frequency, dwPlain), b.text(ind.Responsible, dwWrap), b.text(ind.Means, dwWrap), b.text(ind.Formula, dwWrap), b.text("", dwWrap))
				s.add(row)
			}
		}
	}
	s.filter = fmt.Sprintf("A1:%s%d", dwColName(len(dwPlanCols)), max(len(s.rows), 2))
	return s
}
