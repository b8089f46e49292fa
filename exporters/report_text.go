package exporters

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
)

// TextOptions are the options of the text report.
type TextOptions struct {
	// Color adds ANSI colours (for a terminal).
	Color bool
	// Width is the line width in columns; 0 means 100. Below 60 it is 60.
	Width int
}

// textPctW is the width of the progress column of an indicator line.
const textPctW = 5

// WriteReportText writes r as a compact tree for a terminal: a header
// with the period and the time elapsed, the counts by status, then each
// goal, outcome and output with its status mark and counts, and under it
// one line per indicator: its mark, code and name, a progress bar with the
// expected point marked ┃, "actual / target" and the progress; at the end
// the indicators that need attention and the number of data-quality
// findings. Marks: ✔ achieved, ● on track, ▲ at risk, ✖ off track,
// ○ not due, ? no data, ∅ no target, ✎ reported. A result's line also
// gives its delivery (the worst status below it). Then the missing reports
// by responsible party. Lines fit opt.Width columns.
func WriteReportText(w io.Writer, r *indicators.Report, opt TextOptions) error {
	width := opt.Width
	if width == 0 {
		width = 100
	}
	if width < 60 {
		width = 60
	}
	bw := bufio.NewWriter(w)
	t := &repTextWriter{w: bw, r: r, color: opt.Color, width: width}
	// Right of an indicator's name: a bar of barCells cells in brackets,
	// "actual / target" in numsW columns and the progress.
	switch {
	case width >= 90:
		t.barCells, t.numsW = 20, 17
	case width >= 70:
		t.barCells, t.numsW = 12, 15
	default:
		t.barCells, t.numsW = 8, 15
	}
	t.rightW = t.barCells + 2 + 1 + t.numsW + 1 + textPctW
	t.header()
	for i := range r.Results {
		if repShown(&r.Results[i]) {
			t.result(&r.Results[i])
		}
	}
	t.footer()
	t.missing()
	// The review of the figures: exporters/report_review.go (issue 16).
	writeReviewText(bw, r, width)
	if r.Efficiency != nil { // exporters/efficiency.go (issue 7)
		if err := writeEfficiencyText(bw, r.Efficiency, width); err != nil {
			return err
		}
	}
	if r.FollowUp != nil {
		if err := writeFollowUpText(bw, r.FollowUp); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type repTextWriter struct {
	w     *bufio.Writer
	r     *indicators.Report
	color bool
	width int
	// Layout of the indicator lines.
	barCells, numsW, rightW int
}

// ansiSeq matches an ANSI colour sequence (to measure painted text).
var ansiSeq = regexp.MustCompile("\x1b\\[[0-9;]*m")

// ANSI colour of each status.
func repStatusColor(s indicators.Status) string {
	switch s {
	case indicators.StatusAchieved:
		return "1;32"
	case indicators.StatusOnTrack:
		return "32"
	case indicators.StatusAtRisk:
		return "33"
	case indicators.StatusOffTrack:
		return "31"
	case indicators.StatusNoData:
		return "35"
	case indicators.StatusNotDue, indicators.StatusNoTarget, indicators.StatusReported:
		return "90"
	}
	return ""
}

// paint wraps s in the colour code c when colours are on.
func (t *repTextWriter) paint(c, s string) string {
	if !t.color || c == "" || s == "" {
		return s
	}
	return "\x1b[" + c + "m" + s + "\x1b[0m"
}

func (t *repTextWriter) mark(s indicators.Status) string {
	return t.paint(repStatusColor(s), repMark(s))
}

// clip shortens s to at most n columns, ending with … when cut.
func repClip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return strings.TrimRight(string(rs[:n-1]), " ") + "…"
}

// pad pads s with spaces to n columns (left-aligned) or, with right,
// right-aligned.
func repPad(s string, n int, right bool) string {
	k := utf8.RuneCountInString(s)
	if k >= n {
		return s
	}
	if right {
		return strings.Repeat(" ", n-k) + s
	}
	return s + strings.Repeat(" ", n-k)
}

func (t *repTextWriter) header() {
	r := t.r
	title := r.Project.Title
	if r.Project.Code != "" {
		title = r.Project.Code + "  " + title
	}
	fmt.Fprintln(t.w, t.paint("1", repClip(title, t.width)))
	period := r.Period.Code
	if !strings.Contains(period, "..") { // a custom window's code already is its dates
		period += " (" + r.Period.Start + ".." + r.Period.End + ")"
	}
	line := fmt.Sprintf("Period %s · project %s..%s, %s of its time elapsed", period, r.Project.Start, r.Project.End,
		repShare(&r.Elapsed))
	if r.Previous != nil {
		line += " · changes since " + r.Previous.Code
	}
	t.wrap("", line)
	c := repReportCounts(r)
	n := 0
	var parts []string
	for _, s := range indicators.Statuses {
		n += c[s]
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d %s", t.mark(s), c[s], s))
		}
	}
	line = fmt.Sprintf("%s: %s", repPlural(n, "indicator"), strings.Join(parts, "  "))
	if utf8.RuneCountInString(ansiSeq.ReplaceAllString(line, "")) > t.width {
		_, compact := t.compactCounts(c)
		line = fmt.Sprintf("%s: %s", repPlural(n, "indicator"), compact)
	}
	fmt.Fprintln(t.w, line)
	if rd := repReadings(r); rd != "" {
		t.wrap("", rd)
	}
}

// compactCounts is "✔2 ●1 ▲1" for a result's status counts.
func (t *repTextWriter) compactCounts(c map[indicators.Status]int) (plain, painted string) {
	var ps, cs []string
	for _, s := range indicators.Statuses {
		if c[s] > 0 {
			ps = append(ps, fmt.Sprintf("%s%d", repMark(s), c[s]))
			cs = append(cs, fmt.Sprintf("%s%d", t.mark(s), c[s]))
		}
	}
	return strings.Join(ps, " "), strings.Join(cs, " ")
}

func (t *repTextWriter) result(res *indicators.ReportResult) {
	fmt.Fprintln(t.w)
	indent := strings.Repeat("  ", res.Depth)
	head := fmt.Sprintf("%s %s", repLevelTitle(res.Level), res.Code)
	plain, painted := t.compactCounts(res.StatusCounts)
	status := repStatusName(res.Status)
	tail := status
	tailPainted := t.paint(repStatusColor(res.Status), status)
	if res.Delivery != "" {
		// the worst status below: "on track · delivery ✖ off track"
		tail += repDelivery(res, true)
		tailPainted += " · delivery " + t.mark(res.Delivery) + " " + t.paint(repStatusColor(res.Delivery), string(res.Delivery))
	}
	// the counts go when the line has no room for them
	if minLine := utf8.RuneCountInString(indent) + 2 + utf8.RuneCountInString(head) + 4 + utf8.RuneCountInString(tail) + 2 + utf8.RuneCountInString(plain); plain != "" && minLine <= t.width {
		tail += "  " + plain
		tailPainted += "  " + painted
	}
	room := t.width - utf8.RuneCountInString(indent) - 2 - utf8.RuneCountInString(head) - 2 - utf8.RuneCountInString(tail) - 2
	stmt := repClip(res.Statement, room)
	left := fmt.Sprintf("%s%s %s  %s", indent, t.mark(res.Status), t.paint("1", head), stmt)
	gap := t.width - (utf8.RuneCountInString(indent) + 2 + utf8.RuneCountInString(head) + 2 + utf8.RuneCountInString(stmt)) - utf8.RuneCountInString(tail)
	if gap < 2 {
		gap = 2
	}
	fmt.Fprintf(t.w, "%s%s%s\n", left, strings.Repeat(" ", gap), tailPainted)
	codeW := 0
	for _, ind := range res.Indicators {
		codeW = max(codeW, utf8.RuneCountInString(ind.Code))
	}
	codeW = min(codeW, 10)
	for i := range res.Indicators {
		t.indicator(&res.Indicators[i], res.Depth, codeW)
	}
}

func (t *repTextWriter) indicator(ind *indicators.ReportIndicator, depth, codeW int) {
	indent := strings.Repeat("  ", depth) + "    "
	nameW := max(t.width-t.rightW-1-utf8.RuneCountInString(indent)-2-codeW-1, 0)
	code := repPad(repClip(ind.Code, codeW), codeW, false)
	name := repPad(repClip(ind.Name, nameW), nameW, false)
	var right string
	if repIsText(ind) {
		right = repPad(repClip(repActual(ind), t.rightW), t.rightW, false)
	} else {
		nums := repActual(ind) + " / " + repTarget(ind)
		right = t.bar(ind) + " " + repPad(repClip(nums, t.numsW), t.numsW, true) + " " + repPad(repShare(ind.Progress), textPctW, true)
	}
	fmt.Fprintf(t.w, "%s%s %s %s %s\n", indent, t.mark(ind.Status), code, name, strings.TrimRight(right, " "))
}

// bar draws the progress of ind in t.barCells cells, filled up to the
// progress, with the expected point marked ┃.
func (t *repTextWriter) bar(ind *indicators.ReportIndicator) string {
	cells := func(v *float64) int {
		if v == nil || math.IsNaN(*v) {
			return -1
		}
		x := math.Max(0, math.Min(1, *v))
		return int(math.Round(x * float64(t.barCells)))
	}
	filled := max(cells(ind.Progress), 0)
	exp := cells(ind.Expected)
	if exp == 0 {
		exp = -1 // nothing expected yet: no mark
	}
	var b strings.Builder
	b.WriteString("[")
	fill, rest := strings.Builder{}, strings.Builder{}
	for i := 0; i < t.barCells; i++ {
		target := &rest
		ch := "·"
		if i < filled {
			target, ch = &fill, "█"
		}
		if exp > 0 && i == exp-1 {
			ch = "┃"
		}
		target.WriteString(ch)
	}
	b.WriteString(t.paint(repStatusColor(ind.Status), fill.String()))
	b.WriteString(rest.String())
	b.WriteString("]")
	return b.String()
}

func (t *repTextWriter) footer() {
	r := t.r
	items := repAttention(r)
	if len(items) > 0 {
		fmt.Fprintf(t.w, "\n%s\n", t.paint("1", "Needs attention"))
		for _, it := range items {
			why := repWhy(r, it)
			line := fmt.Sprintf("%s %s %s", repMark(it.Ind.Status), it.Ind.Code, it.Ind.Status)
			if why != "" {
				line += ": " + why
			}
			// Colour the mark only: it is the first rune of the line.
			_, n := utf8.DecodeRuneInString(line)
			t.wrap("  "+t.mark(it.Ind.Status), line[n:])
		}
	}
	kinds := map[string]int{}
	for _, f := range r.Findings {
		k := f.Kind
		if k == "" {
			k = string(f.Severity)
		}
		kinds[k]++
	}
	if len(r.Findings) > 0 {
		var parts []string
		for _, k := range []string{"unverified", "mismatch", "rule", "formula", "missing", "error", "warning", "info"} {
			if kinds[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
				delete(kinds, k)
			}
		}
		rest := 0
		for _, n := range kinds {
			rest += n
		}
		if rest > 0 {
			parts = append(parts, fmt.Sprintf("%d other", rest))
		}
		fmt.Fprintln(t.w)
		them := "them"
		if len(r.Findings) == 1 {
			them = "it"
		}
		t.wrap("", fmt.Sprintf("Data quality: %s (%s); the Markdown report (--format md) lists %s.",
			repPlural(len(r.Findings), "finding"), strings.Join(parts, ", "), them))
	}
}

// missing writes the figures owed and not received, by responsible party.
func (t *repTextWriter) missing() {
	groups := repMissing(t.r)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(t.w, "\n%s\n", t.paint("1", "Missing reports"))
	t.wrap("", fmt.Sprintf("%s owed by the end of %s did not arrive:", repTitleCase(repPlural(len(t.r.Missing), "figure")), t.r.Period.Code))
	for _, g := range groups {
		t.wrap("  ", g.Responsible+":")
		for _, l := range repMissingLines(g) {
			t.wrap("    ", l)
		}
	}
}

// wrap writes first followed by text, wrapped at word boundaries to the
// line width; continuation lines are indented under the text. first may
// hold ANSI sequences (they take no columns).
func (t *repTextWriter) wrap(first, text string) {
	lead := utf8.RuneCountInString(ansiSeq.ReplaceAllString(first, ""))
	room := max(t.width-lead, 20)
	line, n := first, 0
	for _, word := range strings.Fields(text) {
		k := utf8.RuneCountInString(word)
		switch {
		case n == 0:
		case n+1+k <= room:
			line += " "
			n++
		default:
			fmt.Fprintln(t.w, line)
			line, n = strings.Repeat(" ", lead), 0
			if lead > 0 && !strings.HasSuffix(first, " ") {
				line += " "
				n++
			}
		}
		if n == 0 && lead > 0 && line == first && !strings.HasSuffix(first, " ") {
			line += " "
			n++
		}
		line += repClip(word, room-n)
		n += min(k, room-n)
	}
	fmt.Fprintln(t.w, line)
}
