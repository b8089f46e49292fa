package exporters

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// The logframe as a tree and the revisions of a figure, as the command
// line prints them (rmf demo, rmf history).

// WriteTree prints the logframe: the project, then each result under its
// parent (goal > outcomes > outputs > activities), each followed by its
// indicators (code, name, unit, baseline -> target); supporting measures last.
func WriteTree(w io.Writer, fw *indicators.Framework) {
	p := fw.Project
	fmt.Fprintf(w, "%s  %s  (%s .. %s)\n", p.Code, p.Title, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"))
	seen := map[string]bool{}
	var walk func(r *indicators.Result, depth int)
	walk = func(r *indicators.Result, depth int) {
		if seen[r.Code] {
			return
		}
		seen[r.Code] = true
		pad := strings.Repeat("  ", depth)
		line := fmt.Sprintf("%s%s %s: %s", pad, r.Level, r.Code, r.Statement)
		if len(r.ContributesTo) > 0 {
			line += fmt.Sprintf(" (also contributes to %s)", strings.Join(r.ContributesTo, ", "))
		}
		fmt.Fprintln(w, line)
		for _, ind := range fw.IndicatorsOf(r.Code) {
			fmt.Fprintf(w, "%s  - %s\n", pad, indicatorLine(fw, ind))
		}
		for _, c := range fw.Children(r.Code) {
			walk(c, depth+1)
		}
	}
	for _, r := range fw.Children("") {
		walk(r, 1)
	}
	for i := range fw.Results { // results whose parent is missing: still shown
		walk(&fw.Results[i], 1)
	}
	var support []*indicators.Indicator
	for i := range fw.Indicators {
		if fw.Indicators[i].Result == "" {
			support = append(support, &fw.Indicators[i])
		}
	}
	if len(support) > 0 {
		fmt.Fprintln(w, "  supporting measures (used in formulas):")
		for _, ind := range support {
			fmt.Fprintf(w, "    - %s\n", indicatorLine(fw, ind))
		}
	}
}

// indicatorLine is "1.1.2 Share of trained officers [percent] 0% -> 80%".
func indicatorLine(fw *indicators.Framework, ind *indicators.Indicator) string {
	s := fmt.Sprintf("%s %s [%s", ind.Code, ind.Name, ind.Unit)
	if ind.Direction == indicators.Decrease || ind.Direction == indicators.Maintain {
		s += ", " + string(ind.Direction)
	}
	if ind.Computed() {
		s += ", computed"
	}
	s += "] "
	s += amount(fw, ind.Unit, ind.Baseline, ind.BaselineText) + " -> " + amount(fw, ind.Unit, ind.Target, ind.TargetText)
	return s
}

// amount prints a baseline or target in its unit; "?" when not given.
func amount(fw *indicators.Framework, u indicators.Unit, v *float64, text string) string {
	if v == nil {
		if text != "" {
			return strconv.Quote(text)
		}
		return "?"
	}
	// The tree prints every digit ungrouped (its golden files fix it:
	// "0 -> 200000"), where history groups them (Unit.FormatExact).
	var n string
	switch u {
	case indicators.YesNo:
		n = indicators.YesNoText(*v)
	case indicators.Percent:
		n = indicators.FormatDecimal(*v, -1, false) + "%"
	default:
		n = indicators.FormatDecimal(*v, -1, false)
	}
	if u == indicators.Currency && fw.Project.Currency != "" {
		return n + " " + fw.Project.Currency
	}
	return n
}

// WriteHistory prints the revisions as a table, ordered by period,
// disaggregation and revision.
func WriteHistory(w io.Writer, fw *indicators.Framework, ind *indicators.Indicator, revs []indicators.Revision) {
	revs = append([]indicators.Revision(nil), revs...)
	sort.SliceStable(revs, func(i, j int) bool {
		a, b := revs[i], revs[j]
		if c := a.Period.Compare(b.Period); c != 0 {
			return c < 0
		}
		if ak, bk := a.Dims.Key(), b.Dims.Key(); ak != bk {
			return ak < bk
		}
		return a.Revision < b.Revision
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PERIOD\tDISAGGREGATION\tVALUE\tVERIFIED\tREV\tCURRENT\tFILE\tSHEET\tROW\tIMPORTED")
	for _, r := range revs {
		dims := "total"
		if !r.Dims.Total() {
			dims = r.Dims.String()
		}
		cur := ""
		if r.Current {
			cur = "*"
		}
		row := ""
		if r.Loc.Row > 0 {
			row = strconv.Itoa(r.Loc.Row)
		}
		sheet := r.Loc.Sheet
		if sheet == "" {
			sheet = "-"
		}
		verified := string(r.Verified)
		if verified == "" {
			verified = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n",
			r.Period, dims, FigureText(fw, ind, r.Measurement), verified, r.Revision, cur,
			r.Loc.File, sheet, row, r.Imported.Local().Format(time.DateTime))
	}
	tw.Flush()
}

// FigureText prints a figure in its unit: 44%, yes, "drafting", 18/25 (72%),
// 68,200 CHF.
func FigureText(fw *indicators.Framework, ind *indicators.Indicator, m indicators.Measurement) string {
	if ind.Unit == indicators.Text {
		if m.Text != "" || m.Value == nil {
			return strconv.Quote(m.Text)
		}
	}
	var nd string
	if m.Numerator != nil && m.Denominator != nil {
		nd = indicators.Number.FormatExact(*m.Numerator) + "/" + indicators.Number.FormatExact(*m.Denominator)
		if m.Value == nil && *m.Denominator != 0 {
			v := *m.Numerator / *m.Denominator
			if ind.Unit == indicators.Percent {
				v *= 100
			}
			m.Value = &v
		}
	}
	if m.Value == nil {
		if nd != "" {
			return nd
		}
		if m.Text != "" {
			return strconv.Quote(m.Text)
		}
		return "-"
	}
	s := ind.Unit.FormatExact(*m.Value)
	if ind.Unit == indicators.Currency && fw.Project.Currency != "" {
		s += " " + fw.Project.Currency
	}
	if nd != "" {
		s = nd + " (" + s + ")"
	}
	return s
}
