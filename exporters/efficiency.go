package exporters

// The Efficiency section of the reports (issue 7): money spent against time
// elapsed and results reached, for the project, the operational budget and
// each outcome with its outputs. The text and Markdown renderers call these
// when r.Efficiency is set; writeEfficiencyHTML is for the HTML report.

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// effPct prints a share with one decimal: 0.277 -> "27.7%".
func effPct(v *float64) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

// effPoints prints a gap in percentage points with a sign: "+24.4".
func effPoints(v *float64) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return "-"
	}
	x := math.Round(*v*1000) / 10
	if x == 0 {
		return "0.0"
	}
	return fmt.Sprintf("%+.1f", x)
}

func effFlags(b indicators.ResultBudget) string {
	f := b.Flags()
	if len(f) == 0 {
		return ""
	}
	return strings.Join(f, "; ")
}

// effRow is one line of the efficiency tables.
type effRow struct {
	label  string
	depth  int
	b      indicators.ResultBudget
	result bool // a result (has progress), not a project total
}

// effRows lays the efficiency out: the project, the operational budget,
// then each outcome followed by its outputs (outputs without an outcome
// last).
func effRows(ef *indicators.Efficiency) (totals []effRow, groups [][]effRow) {
	totals = []effRow{
		{label: "Project (all lines)", b: ef.Project},
		{label: "Operational budget", b: ef.Operational},
	}
	placed := map[string]bool{}
	for _, x := range ef.Results {
		if x.Level != indicators.Outcome {
			continue
		}
		g := []effRow{{label: "Outcome " + x.Code, b: x.ResultBudget, result: true}}
		placed[x.Code] = true
		for _, y := range ef.Results {
			if y.Level == indicators.Output && y.Parent == x.Code {
				g = append(g, effRow{label: "Output " + y.Code, depth: 1, b: y.ResultBudget, result: true})
				placed[y.Code] = true
			}
		}
		groups = append(groups, g)
	}
	var rest []effRow
	for _, y := range ef.Results {
		if !placed[y.Code] {
			rest = append(rest, effRow{label: repLevelTitle(y.Level) + " " + y.Code, b: y.ResultBudget, result: true})
		}
	}
	if len(rest) > 0 {
		groups = append(groups, rest)
	}
	return totals, groups
}

func effProgress(r effRow) string {
	if !r.result {
		return ""
	}
	if r.b.Progress == nil {
		return "no data"
	}
	return effPct(r.b.Progress)
}

func effHeadline(ef *indicators.Efficiency) string {
	e := ef.Elapsed
	var s string
	if ef.Operational.Budget > 0 {
		s = fmt.Sprintf("At %s, %s of the project's time has elapsed and %s of the operational budget is spent (%s of all budget lines).",
			ef.AsOf, effPct(&e), effPct(ef.Operational.Rate), effPct(ef.Project.Rate))
	} else {
		s = fmt.Sprintf("At %s, %s of the project's time has elapsed and %s of the budget is spent.", ef.AsOf, effPct(&e), effPct(ef.Project.Rate))
	}
	if ef.TotalBudget != nil {
		s += fmt.Sprintf(" Total budget %s %s", repOr(ef.Currency), indicators.FormatAmount(*ef.TotalBudget))
		if ef.InKind != nil {
			s += fmt.Sprintf(", plus in-kind contributions of %s", indicators.FormatAmount(*ef.InKind))
		}
		s += "."
	}
	return s
}

func effNote(ef *indicators.Efficiency) string {
	return fmt.Sprintf("Gap = time elapsed minus disbursement rate, in points; flagged when spending lags time, or indicator progress lags spending, by more than %g points. Amounts in %s.",
		ef.Threshold, repOr(ef.Currency))
}

// effWrap breaks text into lines of at most width columns.
func effWrap(text string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// effShortFlags are the flags of the text table.
func effShortFlags(b indicators.ResultBudget) string {
	var f []string
	if b.SpendingLags {
		f = append(f, "slow spending")
	}
	if b.ResultsLag {
		f = append(f, "slow results")
	}
	return strings.Join(f, ", ")
}

// writeEfficiencyText writes the Efficiency section of the text report,
// in lines of at most width columns (100 when 0).
func writeEfficiencyText(w io.Writer, ef *indicators.Efficiency, width int) error {
	if ef == nil {
		return nil
	}
	if width <= 0 {
		width = 100
	}
	var b strings.Builder
	b.WriteString("\nEFFICIENCY\n")
	b.WriteString(effWrap(effHeadline(ef), width) + "\n")
	b.WriteString(effWrap(fmt.Sprintf("Rate: spent / budget. Gap: time elapsed minus rate, in points. Progress: mean progress of the "+
		"result's indicators. Slow spending: the gap exceeds %g points; slow results: progress is more than %g points below the rate. "+
		"Amounts in %s.", ef.Threshold, ef.Threshold, repOr(ef.Currency)), width) + "\n\n")
	lw, aw := 22, 10 // label and amount columns
	if width < 80 {
		lw, aw = 14, 9
	}
	fit := func(label string, n int) string {
		if r := []rune(label); len(r) > n {
			return string(r[:n-1]) + "…"
		}
		return label
	}
	row := func(label, budget, spent, rate, gap, progress string) string {
		return strings.TrimRight(fmt.Sprintf("%-*s %*s %*s %6s %6s %8s", lw, fit(label, lw), aw, budget, aw, spent, rate, gap, progress), " ")
	}
	line := func(r effRow) {
		s := row(strings.Repeat("  ", r.depth)+r.label, indicators.FormatAmount(r.b.Budget), indicators.FormatAmount(r.b.Spent),
			effPct(r.b.Rate), effPoints(r.b.Gap), effProgress(r))
		if f := effShortFlags(r.b); f != "" {
			if pad := lw + 2*aw + 27; pad+len([]rune(f)) <= width {
				s = fmt.Sprintf("%-*s%s", pad, s, f)
			} else {
				s += "\n" + strings.Repeat(" ", lw+2) + f
			}
		}
		b.WriteString(s + "\n")
	}
	head := row("", "Budget", "Spent", "Rate", "Gap", "Progress")
	if lw+2*aw+27+len("Flags") <= width {
		head += "  Flags"
	}
	b.WriteString(head + "\n")
	totals, groups := effRows(ef)
	for _, r := range totals {
		line(r)
	}
	for _, g := range groups {
		b.WriteString("\n")
		for _, r := range g {
			line(r)
		}
	}
	if len(ef.Categories) > 0 {
		b.WriteString("\nBy category:\n")
		for _, c := range ef.Categories {
			fmt.Fprintf(&b, "  %-*s %*s %*s %6s\n", lw+4, fit(c.Category, lw+4), aw, indicators.FormatAmount(c.Budget), aw, indicators.FormatAmount(c.Spent), effPct(c.Rate))
		}
	}
	for _, x := range ef.Warnings {
		b.WriteString(effWrap("Note: "+x, width) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeEfficiencyMarkdown writes the Efficiency section of the Markdown
// report: the headline, the project table, and a table per outcome with its
// outputs.
func writeEfficiencyMarkdown(w io.Writer, ef *indicators.Efficiency) error {
	if ef == nil {
		return nil
	}
	var b strings.Builder
	b.WriteString("## Efficiency\n\n")
	b.WriteString(effHeadline(ef) + "\n\n")
	b.WriteString(effNote(ef) + "\n\n")
	head := "| | Budget | Spent | Disbursed | Time elapsed | Gap (points) | Indicator progress | Flags |\n|---|---:|---:|---:|---:|---:|---:|---|\n"
	e := ef.Elapsed
	row := func(r effRow) {
		label := r.label
		if r.depth == 0 && r.result {
			label = "**" + label + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label, indicators.FormatAmount(r.b.Budget),
			indicators.FormatAmount(r.b.Spent), effPct(r.b.Rate), effPct(&e), effPoints(r.b.Gap), effProgress(r), repMDCell(effFlags(r.b)))
	}
	totals, groups := effRows(ef)
	b.WriteString(head)
	for _, r := range totals {
		row(r)
	}
	b.WriteString("\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "### Efficiency: %s\n\n", g[0].label)
		b.WriteString(head)
		for _, r := range g {
			row(r)
		}
		b.WriteString("\n")
	}
	if len(ef.Categories) > 0 {
		b.WriteString("| Category | Budget | Spent | Disbursed |\n|---|---:|---:|---:|\n")
		for _, c := range ef.Categories {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", repMDCell(c.Category), indicators.FormatAmount(c.Budget), indicators.FormatAmount(c.Spent), effPct(c.Rate))
		}
		b.WriteString("\n")
	}
	for _, x := range ef.Warnings {
		b.WriteString("- Note: " + repMDText(x) + "\n")
	}
	if len(ef.Warnings) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, repMDHTML.Replace(b.String())) // texts HTML-escaped; the section has no HTML of its own
	return err
}

// writeEfficiencyHTML writes the Efficiency section for the HTML report: a
// table per outcome with its outputs and a bar chart (inline SVG) of each
// result's disbursement rate against the time elapsed (the dashed line).
func writeEfficiencyHTML(w io.Writer, ef *indicators.Efficiency) error {
	if ef == nil {
		return nil
	}
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString(`<section class="efficiency"><h2>Efficiency</h2>` + "\n")
	fmt.Fprintf(&b, "<p>%s</p>\n<p class=\"note\">%s</p>\n", esc(effHeadline(ef)), esc(effNote(ef)))
	e := ef.Elapsed
	table := func(rows []effRow) {
		b.WriteString("<table><thead><tr><th></th><th>Budget</th><th>Spent</th><th>Disbursed</th><th>Time elapsed</th><th>Gap (points)</th><th>Indicator progress</th><th>Flags</th></tr></thead><tbody>\n")
		for _, r := range rows {
			cls := ""
			if len(r.b.Flags()) > 0 {
				cls = ` class="flagged"`
			}
			fmt.Fprintf(&b, "<tr%s><td style=\"padding-left:%dem\">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
				cls, r.depth, esc(r.label), indicators.FormatAmount(r.b.Budget), indicators.FormatAmount(r.b.Spent),
				effPct(r.b.Rate), effPct(&e), effPoints(r.b.Gap), esc(effProgress(r)), esc(effFlags(r.b)))
		}
		b.WriteString("</tbody></table>\n")
	}
	totals, groups := effRows(ef)
	table(totals)
	var bars []effRow
	for _, g := range groups {
		fmt.Fprintf(&b, "<h3>%s</h3>\n", esc(g[0].label))
		table(g)
		bars = append(bars, g...)
	}
	bars = append([]effRow{totals[1]}, bars...)
	b.WriteString(effSVG(bars, ef.Elapsed))
	for _, x := range ef.Warnings {
		fmt.Fprintf(&b, "<p class=\"note\">Note: %s</p>\n", esc(x))
	}
	b.WriteString("</section>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// effSVG draws one horizontal bar per row (its disbursement rate, 0-100%)
// and a dashed vertical line at the time elapsed.
func effSVG(rows []effRow, elapsed float64) string {
	const labelW, barW, rowH = 190, 400, 22
	h := len(rows)*rowH + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg width="%d" height="%d" role="img" aria-label="Disbursement rate against time elapsed">`+"\n", labelW+barW+70, h)
	for i, r := range rows {
		y := i*rowH + 5
		rate := 0.0
		if r.b.Rate != nil {
			rate = math.Max(0, math.Min(1, *r.b.Rate))
		}
		color := "#4a7ebb"
		if r.b.SpendingLags {
			color = "#d9822b"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>`, labelW-6, y+14, html.EscapeString(r.label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, labelW, y+2, rate*barW, rowH-8, color)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%s</text>`+"\n", float64(labelW)+rate*barW+4, y+14, effPct(r.b.Rate))
	}
	x := float64(labelW) + math.Max(0, math.Min(1, elapsed))*barW
	fmt.Fprintf(&b, `<line x1="%.1f" y1="0" x2="%.1f" y2="%d" stroke="#333" stroke-dasharray="4 3"/>`, x, x, h-20)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle">time elapsed %s</text>`+"\n</svg>\n", x, h-6, effPct(&elapsed))
	return b.String()
}
