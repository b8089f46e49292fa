package exporters

import (
	"fmt"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// dwEfficiency is the donor workbook's Efficiency sheet (issue 7).
const dwEfficiency = "Efficiency"

// efficiency lays out the donor workbook's Efficiency sheet: the headline,
// then one row for the project, the operational budget, and each outcome
// followed by its outputs: budget, spent, disbursement rate, time elapsed,
// gap in points, mean indicator progress and the flags; then the budget
// by category. WriteReportXLSX adds it when r.Efficiency is not nil.
func (b *dwBook) efficiency(ef *indicators.Efficiency) *dwSheet {
	s := &dwSheet{name: dwEfficiency, freeze: "A4", titles: "$4:$4", wide: true,
		widths: map[int]float64{1: 34, 2: 14, 3: 14, 4: 11, 5: 11, 6: 11, 7: 12, 8: 40}}
	s.skipWidth()
	s.add([]excelize.Cell{b.text(effHeadline(ef), dwTitle)})
	s.skipWidth()
	s.add([]excelize.Cell{b.text(effNote(ef), dwNote)})
	s.add(nil)
	head := []string{"", "Budget (" + repOr(ef.Currency) + ")", "Spent", "Disbursed", "Time elapsed", "Gap (points)", "Indicator progress", "Flags"}
	cells := make([]excelize.Cell, len(head))
	for j, h := range head {
		cells[j] = b.text(h, dwHeader)
	}
	s.add(cells)
	money := dwStyle{Border: true, VAlign: "top", NumFmt: dwFmtInt}
	pct := dwStyle{Border: true, VAlign: "top", NumFmt: dwFmtPercent}
	pts := dwStyle{Border: true, VAlign: "top", NumFmt: "+0.0;-0.0;0.0"}
	elapsed := ef.Elapsed
	row := func(r effRow, fill string) {
		label := dwStyle{Border: true, VAlign: "top", Indent: r.depth, Bold: r.depth == 0 && r.result, Fill: fill}
		flags := dwStyle{Border: true, VAlign: "top", Wrap: true}
		if len(r.b.Flags()) > 0 {
			flags.Fill = dwStatusFill[indicators.StatusAtRisk]
		}
		var gap, progress excelize.Cell
		if r.b.Gap != nil {
			gap = excelize.Cell{StyleID: b.style(pts), Value: *r.b.Gap * 100}
		} else {
			gap = b.text("", dwPlain)
		}
		switch {
		case !r.result:
			progress = b.text("", dwPlain)
		case r.b.Progress == nil:
			progress = b.text("no data", dwPlain)
		default:
			progress = excelize.Cell{StyleID: b.style(pct), Value: *r.b.Progress}
		}
		rate := b.text("", dwPlain)
		if r.b.Rate != nil {
			rate = excelize.Cell{StyleID: b.style(pct), Value: *r.b.Rate}
		}
		s.add([]excelize.Cell{b.text(r.label, label), {StyleID: b.style(money), Value: r.b.Budget},
			{StyleID: b.style(money), Value: r.b.Spent}, rate, {StyleID: b.style(pct), Value: elapsed}, gap, progress,
			b.text(effFlags(r.b), flags)})
	}
	totals, groups := effRows(ef)
	for _, r := range totals {
		row(r, "")
	}
	for _, g := range groups {
		for i, r := range g {
			fill := ""
			if i == 0 {
				fill = dwLevelFill[indicators.Outcome]
			}
			row(r, fill)
		}
	}
	if len(ef.Categories) > 0 {
		s.add(nil)
		s.add([]excelize.Cell{b.text("Category", dwHeader), b.text("Budget", dwHeader), b.text("Spent", dwHeader), b.text("Disbursed", dwHeader)})
		for _, c := range ef.Categories {
			rate := b.text("", dwPlain)
			if c.Rate != nil {
				rate = excelize.Cell{StyleID: b.style(pct), Value: *c.Rate}
			}
			s.add([]excelize.Cell{b.text(c.Category, dwPlain), {StyleID: b.style(money), Value: c.Budget}, {StyleID: b.style(money), Value: c.Spent}, rate})
		}
	}
	for _, w := range ef.Warnings {
		s.skipWidth()
		s.add([]excelize.Cell{b.text(fmt.Sprintf("Note: %s", w), dwNote)})
	}
	return s
}
