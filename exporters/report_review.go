package exporters

// The review section of reports (issue 16): the share of figures approved,
// the figures of the period not approved and what was revised since it was
// reported. Written only when the report has one (indicators.ReportReview).

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// reviewLines is the section as a headline and groups of lines.
type reviewGroup struct {
	title string
	lines []string
}

func reviewContent(r *indicators.Report) (string, []reviewGroup) {
	rv := r.Review
	units := map[string]indicators.Unit{}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			units[ind.Code] = ind.Unit
		}
	}
	val := func(code string, v *float64, text string) string {
		if v == nil && text != "" {
			return fmt.Sprintf("%q", text)
		}
		u, ok := units[code]
		if !ok {
			u = indicators.Number
		}
		return repValue(v, u)
	}
	label := func(code, period, dims string) string {
		s := code + " " + period
		if dims != "" {
			s += " " + dims
		}
		return s
	}
	share := "–"
	if rv.Figures > 0 {
		share = fmt.Sprintf("%.0f%%", 100*float64(rv.Approved)/float64(rv.Figures))
	}
	head := fmt.Sprintf("%d of %d figures up to the end of %s approved (%s); %d submitted, %d returned to their partners.",
		rv.Approved, rv.Figures, r.Period.Code, share, rv.Submitted, rv.Returned)
	var groups []reviewGroup
	if len(rv.Unapproved) > 0 {
		g := reviewGroup{title: fmt.Sprintf("Figures of %s not approved", r.Period.Code)}
		for _, f := range rv.Unapproved {
			s := label(f.Indicator, f.Period, f.Dims) + ": " + val(f.Indicator, f.Value, f.Text) + ", " + f.State
			if f.Reason != "" {
				s += " (" + f.Reason + ")"
			}
			g.lines = append(g.lines, s)
		}
		groups = append(groups, g)
	}
	if len(rv.RevisedActuals) > 0 {
		g := reviewGroup{title: fmt.Sprintf("Actuals revised since %s was reported", r.Period.Code)}
		for _, a := range rv.RevisedActuals {
			s := fmt.Sprintf("%s %s (reported %s on %s", a.Indicator, repValue(a.Actual, a.Unit), repValue(a.Reported, a.Unit), a.ReportedOn)
			if a.Reported == nil {
				s = fmt.Sprintf("%s %s (no data when reported on %s", a.Indicator, repValue(a.Actual, a.Unit), a.ReportedOn)
			}
			var files []string
			for _, f := range a.CorrectedBy {
				files = append(files, filepath.Base(f))
			}
			if len(files) > 0 {
				s += ", corrected by " + strings.Join(files, ", ")
			}
			g.lines = append(g.lines, s+")")
		}
		groups = append(groups, g)
	}
	if len(rv.Revised) > 0 {
		g := reviewGroup{title: "Figures revised or added since their period was reported"}
		for _, f := range rv.Revised {
			s := label(f.Indicator, f.Period, f.Dims) + ": " + val(f.Indicator, f.Value, f.Text)
			if f.Reported != nil || f.ReportedText != "" {
				s += fmt.Sprintf(" (reported %s on %s with %s, corrected by %s on %s)", val(f.Indicator, f.Reported, f.ReportedText),
					f.ReportedOn, f.LockedPeriod, filepath.Base(f.CorrectedBy), f.CorrectedOn)
			} else {
				s += fmt.Sprintf(" (arrived on %s from %s, after %s was reported on %s)", f.CorrectedOn, filepath.Base(f.CorrectedBy),
					f.LockedPeriod, f.ReportedOn)
			}
			g.lines = append(g.lines, s)
		}
		groups = append(groups, g)
	}
	return head, groups
}

// writeReviewMarkdown writes the section "## Review of the figures".
func writeReviewMarkdown(w *bufio.Writer, r *indicators.Report) {
	if r.Review == nil {
		return
	}
	head, groups := reviewContent(r)
	fmt.Fprintf(w, "## Review of the figures\n\n%s\n\n", head)
	for _, g := range groups {
		fmt.Fprintf(w, "**%s**\n\n", g.title)
		for _, l := range g.lines {
			fmt.Fprintf(w, "- %s\n", repMDText(l))
		}
		w.WriteString("\n")
	}
}

// writeReviewText writes the section REVIEW OF THE FIGURES.
func writeReviewText(w io.Writer, r *indicators.Report, width int) {
	if r.Review == nil {
		return
	}
	head, groups := reviewContent(r)
	fmt.Fprintf(w, "\nREVIEW OF THE FIGURES\n%s\n", effWrap(head, width))
	for _, g := range groups {
		fmt.Fprintf(w, "%s:\n", g.title)
		for _, l := range g.lines {
			fmt.Fprintf(w, "%s\n", reviewWrap(l, width))
		}
	}
}

// reviewWrap wraps text to width, the first line indented by two spaces
// and the next ones by four.
func reviewWrap(text string, width int) string {
	var b strings.Builder
	line := "  "
	for _, w := range strings.Fields(text) {
		if len(line) > 4 && len(line)+1+len(w) > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = "    "
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += w
	}
	b.WriteString(line)
	return b.String()
}

// reviewHTML is the section as HTML, every text escaped.
func reviewHTML(r *indicators.Report) string {
	if r.Review == nil {
		return ""
	}
	head, groups := reviewContent(r)
	var b strings.Builder
	fmt.Fprintf(&b, "<section class=\"review\">\n<h2>Review of the figures</h2>\n<p>%s</p>\n", html.EscapeString(head))
	for _, g := range groups {
		fmt.Fprintf(&b, "<h3>%s</h3>\n<ul>\n", html.EscapeString(g.title))
		for _, l := range g.lines {
			fmt.Fprintf(&b, "<li>%s</li>\n", html.EscapeString(l))
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</section>")
	return b.String()
}
