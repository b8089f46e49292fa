package exporters

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/par"
)

// WriteReportMarkdown writes r as a results-based report in Markdown, in
// the order a steering committee reads it:
//
//   - a title with the project, the period and the share of time elapsed;
//   - a summary: status counts per outcome and the indicators that need
//     attention (off track, at risk, no data), with how far each is from
//     where it should be and whether it is likely to reach its target;
//   - one section per goal, outcome and output (activities only when they
//     have indicators): its statement and status, the indicators table,
//     what changed since the previous period, what is expected by the next
//     period, the disaggregations and the data-quality findings about it;
//   - the data-quality section (unverified figures, totals that do not
//     match their breakdown, rules that do not hold, formulas without data);
//   - the sources: for every indicator, the files, sheets and rows its
//     figures came from;
//   - the follow-up of the evaluations' recommendations, when r has one.
func WriteReportMarkdown(w io.Writer, r *indicators.Report) error {
	bw := bufio.NewWriter(w)
	m := &repMDWriter{w: bw, r: r, idx: repResultIndex(r)}
	m.title()
	m.summary()
	m.results()
	if r.Efficiency != nil { // exporters/efficiency.go (issue 7)
		if err := writeEfficiencyMarkdown(bw, r.Efficiency); err != nil {
			return err
		}
	}
	m.quality()
	writeReviewMarkdown(bw, r) // exporters/report_review.go (issue 16)
	m.sources()
	if err := m.followUp(); err != nil {
		return err
	}
	return bw.Flush()
}

// results writes the sections of the results shown, in order, several
// made at once (each reads the report only: a large programme has a
// thousand indicators).
func (m *repMDWriter) results() {
	r := m.r
	if m.fidx == nil {
		m.fidx = newRepFindingIndex(r.Findings)
	}
	var shown []*indicators.ReportResult
	for i := range r.Results {
		if repShown(&r.Results[i]) {
			shown = append(shown, &r.Results[i])
		}
	}
	out := make([]bytes.Buffer, len(shown))
	par.Each(len(shown), func(i int) {
		sec := &repMDWriter{w: bufio.NewWriter(&out[i]), r: r, idx: m.idx, fidx: m.fidx}
		sec.result(shown[i])
		sec.w.Flush() // into a bytes.Buffer: no error
	})
	for i := range out {
		m.w.Write(out[i].Bytes()) // errors come back at Flush
	}
}

// repFindingShort is the length a finding is cut to in a result's section.
const repFindingShort = 240

type repMDWriter struct {
	w    *bufio.Writer
	r    *indicators.Report
	idx  map[string]int
	fidx *repFindingIndex // made when first needed
}

// p writes format with args; text args are HTML-escaped (repMDHTML): the
// format holds the Markdown, the args the project's texts.
func (m *repMDWriter) p(format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = repMDHTML.Replace(s)
		}
	}
	fmt.Fprintf(m.w, format, args...)
}

// repMDHTML escapes what Markdown would pass through as raw HTML: a
// framework text "<script>alert(1)</script>" shows as that text, as in the
// HTML report, and a link or an image written in a text is not made one.
// The Markdown report writes no HTML and no links of its own. An "&" is
// escaped only where a renderer would read an entity ("&lt;", "&#60;"), so
// that "M&E officer" stays readable in the Markdown file itself.
var repMDHTML = mdHTMLEscaper{}

type mdHTMLEscaper struct{}

// mdEntity matches what CommonMark reads as an entity or a numeric
// character reference.
var mdEntity = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

func (mdHTMLEscaper) Replace(s string) string {
	if !strings.ContainsAny(s, "&<>[]") {
		return s
	}
	s = mdEntity.ReplaceAllStringFunc(s, func(e string) string { return "&amp;" + e[1:] })
	return mdAngles.Replace(s)
}

// mdAngles also escapes brackets: a text "[click](javascript:...)" or
// "![x](http://...)" shows as written instead of a link or a remote image.
var mdAngles = strings.NewReplacer("<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)

// repMDCell escapes a text for a table cell: pipes escaped, line breaks as
// spaces.
func repMDCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, "|", `\|`)
}

// repMDText flattens a text onto one line (for headings and list items):
// strings.Join(strings.Fields(s), " "), without copying a text that is
// already flat (most are: a large report has hundreds of thousands).
func repMDText(s string) string {
	if repFlat(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// repFlat reports whether s is ASCII with words separated by single
// spaces and no space at either end: strings.Fields and a join leave it as
// it is.
func repFlat(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			return false
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		}
	}
	return true
}

func (m *repMDWriter) title() {
	r := m.r
	name := repMDText(r.Project.Title)
	if r.Project.Code != "" {
		name = repMDText(r.Project.Code) + ": " + name
	}
	m.p("# %s\n\n", name)
	if strings.Contains(r.Period.Code, "..") { // a custom window
		m.p("**Results report for %s to %s**\n\n", r.Period.Start, r.Period.End)
	} else {
		m.p("**Results report for %s** (%s to %s)\n\n", r.Period.Code, r.Period.Start, r.Period.End)
	}
	var lines []string
	lines = append(lines, fmt.Sprintf("Project period %s to %s; %s of the project's time had elapsed by the end of %s.",
		r.Project.Start, r.Project.End, repShare(&r.Elapsed), r.Period.Code))
	if r.Previous != nil {
		lines = append(lines, fmt.Sprintf("Changes are measured against the previous period, %s (%s to %s).",
			r.Previous.Code, r.Previous.Start, r.Previous.End))
	}
	if r.Project.Donor != "" {
		lines = append(lines, "Donor: "+repMDText(r.Project.Donor)+".")
	}
	if r.Project.Reporting != "" {
		lines = append(lines, "Reporting: "+repMDText(r.Project.Reporting)+".")
	}
	m.p("%s\n\n", strings.Join(lines, "\n"))
	m.p("Progress is the share of the way from the baseline to the end-of-project target; expected is the share " +
		"that should be covered by the end of the period on the expected path (straight lines through the baseline, the milestones and the target, counting days; steps for yes/no and text); the milestone is the value expected then. " +
		"Cumulative figures run from the project start to the end of the period.\n\n")
	if rd := repReadings(m.r); rd != "" {
		m.p("%s\n\n", rd)
	}
}

func (m *repMDWriter) summary() {
	r := m.r
	m.p("## Summary\n\n")
	m.p("%s\n\n", repTotal(r))
	var rows []*indicators.ReportResult
	for i := range r.Results {
		if lv := r.Results[i].Level; lv == indicators.Goal || lv == indicators.Outcome {
			rows = append(rows, &r.Results[i])
		}
	}
	if len(rows) > 0 {
		cols := repSummaryStatuses(r)
		m.p("| Result | Statement | Status | Delivery |")
		for _, st := range cols {
			m.p(" %s |", repTitleCase(string(st)))
		}
		m.p("\n|---|---|---|---|%s\n", strings.Repeat("--:|", len(cols)))
		for _, res := range rows {
			delivery := repNoValue
			if res.Delivery != "" {
				delivery = repMark(res.Delivery) + " " + string(res.Delivery)
			}
			m.p("| %s | %s | %s %s | %s |", repMDCell(res.Code), repMDCell(res.Statement),
				repMark(res.Status), repStatusName(res.Status), delivery)
			for _, st := range cols {
				m.p(" %d |", res.StatusCounts[st])
			}
			m.p("\n")
		}
		m.p("\nStatus comes from the result's own indicators (else from the results under it); delivery is the worst " +
			"status of everything under it. Counts include the indicators of the result and of the results under it.\n\n")
	}
	items := repAttention(r)
	m.p("### Needs attention\n\n")
	if len(items) == 0 {
		m.p("No indicator is off track, at risk or without the data it should have.\n\n")
	} else {
		for _, it := range items {
			where, verb, why := repAttentionParts(r, m.idx, it)
			m.p("- %s **%s** %s (%s) %s **%s**%s.\n", repMark(it.Ind.Status), repMDText(it.Ind.Code), repMDText(it.Ind.Name), where, verb, it.Ind.Status, why)
		}
		m.p("\n")
	}
	m.missing()
}

// missing writes the figures owed by the end of the period and not
// received, grouped by responsible party.
func (m *repMDWriter) missing() {
	r := m.r
	m.p("### Missing reports\n\n")
	groups := repMissing(r)
	if len(groups) == 0 {
		m.p("Every figure owed by the end of %s has arrived.\n\n", r.Period.Code)
		return
	}
	m.p("%s owed by the end of %s did not arrive:\n\n", repTitleCase(repPlural(len(r.Missing), "figure")), r.Period.Code)
	for _, g := range groups {
		m.p("- **%s**\n", repMDText(g.Responsible))
		for _, l := range repMissingLines(g) {
			m.p("  - %s\n", l)
		}
	}
	m.p("\n")
}

func (m *repMDWriter) result(res *indicators.ReportResult) {
	r := m.r
	hashes := "###"
	switch res.Level {
	case indicators.Goal, indicators.Outcome:
		hashes = "##"
	case indicators.Activity:
		hashes = "####"
	}
	m.p("%s %s %s: %s\n\n", hashes, repLevelTitle(res.Level), repMDText(res.Code), repMDText(res.Statement))
	status := fmt.Sprintf("**Status: %s %s**", repMark(res.Status), repStatusName(res.Status)) + repDelivery(res, true)
	if c := repCounts(res.StatusCounts); c != "" {
		status += " (" + c + ")"
	}
	m.p("%s\n", status)
	if res.Parent != "" {
		m.p("Contributes to %s", repMDText(res.Parent))
		if len(res.ContributesTo) > 0 {
			m.p(" and also to %s", strings.Join(res.ContributesTo, ", "))
		}
		m.p(".\n")
	} else if len(res.ContributesTo) > 0 {
		m.p("Contributes to %s.\n", strings.Join(res.ContributesTo, ", "))
	}
	if res.Assumptions != "" {
		m.p("Assumptions: %s\n", repMDText(res.Assumptions))
	}
	m.p("\n")
	if len(res.Indicators) == 0 {
		m.p("No indicator measures this result directly.\n\n")
	} else {
		m.indicatorTable(res)
		m.changes(res)
		m.next(res)
		m.disagg(res)
	}
	codes, linked := repResultCodes(r, res)
	m.linkedActions(linked)
	if m.fidx == nil {
		m.fidx = newRepFindingIndex(r.Findings)
	}
	fs := repFindingsFor(m.fidx, codes)
	var warn []string
	for _, w := range repResultWarnings(res, fs) {
		warn = append(warn, fmt.Sprintf("- **%s**: %s\n", repMDText(w.Code), w.Text))
	}
	if len(fs) > 0 || len(warn) > 0 {
		m.p("**Data quality**\n\n")
		for _, f := range fs {
			line := repFindingLine(f)
			if utf8.RuneCountInString(line) > repFindingShort {
				line = repClip(line, repFindingShort) + " (in full under Data quality)"
			}
			m.p("- %s\n", line)
		}
		for _, w := range warn {
			m.p("%s", w)
		}
		m.p("\n")
	}
}

func repFindingLine(f indicators.Finding) string {
	s := fmt.Sprintf("**%s** (%s", repMDText(f.Code), f.Severity)
	if f.Period != "" {
		s += ", " + f.Period
	}
	return s + "): " + repMDText(f.Message)
}

func (m *repMDWriter) indicatorTable(res *indicators.ReportResult) {
	m.p("| Code | Indicator | Unit | Baseline | Target | Milestone | Actual | Progress | Expected | Status | Likely |\n")
	m.p("|---|---|---|--:|--:|--:|--:|--:|--:|---|---|\n")
	for i := range res.Indicators {
		ind := &res.Indicators[i]
		milestone := repValue(ind.Milestone, ind.Unit)
		if repIsText(ind) {
			milestone = repMDCell(repOr(repMDText(ind.MilestoneText))) // the stage due by now
		}
		m.p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %s | %s |\n",
			repMDCell(ind.Code), repMDCell(ind.Name), repMDCell(string(ind.Unit)),
			repMDCell(repBaseline(ind)), repMDCell(repTarget(ind)), milestone, repMDCell(repActual(ind)),
			repShare(ind.Progress), repShare(ind.Expected), repMark(ind.Status), repStatusName(ind.Status), repLikely(ind.Likely))
	}
	m.p("\n")
}

// changes writes what changed since the previous period.
func (m *repMDWriter) changes(res *indicators.ReportResult) {
	r := m.r
	prev := "the previous period"
	if r.Previous != nil {
		prev = r.Previous.Code
	}
	var lines []string
	for i := range res.Indicators {
		ind := &res.Indicators[i]
		if c := repChange(r, ind); c != "" {
			lines = append(lines, fmt.Sprintf("- **%s** %s", repMDText(ind.Code), c))
		}
	}
	m.p("**What changed since %s**\n\n", prev)
	if len(lines) == 0 {
		m.p("No figures reported yet for these indicators.\n\n")
		return
	}
	m.p("%s\n\n", strings.Join(lines, "\n"))
}

// next writes what is expected by the next period: the next milestones.
func (m *repMDWriter) next(res *indicators.ReportResult) {
	var lines []string
	for i := range res.Indicators {
		ind := &res.Indicators[i]
		if n := repNext(ind); n != "" {
			lines = append(lines, fmt.Sprintf("- **%s** %s", repMDText(ind.Code), n))
		}
	}
	if len(lines) == 0 {
		return
	}
	m.p("**Expected next**\n\n%s\n\n", strings.Join(lines, "\n"))
}

// disagg writes the disaggregated actuals: one table per indicator and
// dimension set, e.g. sex: female, male.
func (m *repMDWriter) disagg(res *indicators.ReportResult) {
	type row struct {
		code string
		repDisaggRow
	}
	var rows []row
	for i := range res.Indicators {
		ind := &res.Indicators[i]
		for _, d := range repDisaggRows(ind) {
			rows = append(rows, row{ind.Code, d})
		}
	}
	if len(rows) == 0 {
		return
	}
	m.p("**Disaggregation**\n\n")
	m.p("| Indicator | Breakdown | Actual | In %s | Share of total |\n", m.r.Period.Code)
	m.p("|---|---|--:|--:|--:|\n")
	for _, rw := range rows {
		m.p("| %s | %s: %s | %s | %s | %s |\n", repMDCell(rw.code), repMDCell(rw.Dims), repMDCell(rw.Values),
			rw.Actual, rw.InPeriod, rw.Share)
	}
	m.p("\n")
}

// quality writes the data-quality section: findings grouped by kind.
func (m *repMDWriter) quality() {
	m.p("## Data quality\n\n")
	groups := repQuality(m.r)
	if len(groups) == 0 {
		m.p("No findings: every figure is verified and every check holds.\n\n")
		return
	}
	for _, g := range groups {
		m.p("### %s\n\n", g.Title)
		if len(g.Unverified) > 0 {
			var lines []string
			for _, ind := range g.Unverified {
				lines = append(lines, fmt.Sprintf("- **%s** %s: %s (verified: %s)", repMDText(ind.Code),
					repMDText(ind.Name), repActual(&ind), ind.Verified))
			}
			m.p("Figures counted in this report that are not verified against their means of verification:\n\n%s\n", strings.Join(lines, "\n"))
		}
		for _, f := range g.Findings {
			m.p("- %s\n", repFindingLine(f))
		}
		m.p("\n")
	}
}

// sources writes where every indicator's figures came from.
func (m *repMDWriter) sources() {
	r := m.r
	m.p("## Sources\n\n")
	var rows []string
	for _, s := range repSources(r) {
		if s.Computed != "" {
			rows = append(rows, fmt.Sprintf("| %s | %s | | | |", repMDCell(s.Code), repMDCell(s.Computed)))
			continue
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %d |", repMDCell(s.Code), repMDCell(s.File),
			repMDCell(s.Sheet), s.Rows, s.Figures))
	}
	if len(rows) == 0 {
		m.p("No figures were reported up to the end of %s.\n\n", r.Period.Code)
		return
	}
	m.p("Every figure counted in this report, by indicator: the file, the sheet and the rows it was read from " +
		"(`rmf history CODE` shows every revision).\n\n")
	m.p("| Indicator | File | Sheet | Rows | Figures |\n|---|---|---|---|--:|\n")
	m.p("%s\n\n", strings.Join(rows, "\n"))
}

// followUp writes the follow-up of the evaluations' recommendations, when
// the report has one (exporters/followup.go).
func (m *repMDWriter) followUp() error {
	if m.r.FollowUp == nil {
		return nil
	}
	return writeFollowUpMarkdown(m.w, m.r.FollowUp)
}

// linkedActions writes the key actions of the follow-up linked to the
// result or its indicators: "Follow-up: key actions 2.1, 2.3 (2 ongoing); 1 overdue."
func (m *repMDWriter) linkedActions(codes map[string]bool) {
	var lines []string
	for _, c := range repKeyActions(m.r, codes) {
		line := fmt.Sprintf("- **%s**: %s", repMDText(c.Code), repKeyActionText(c))
		if c.Overdue > 0 {
			line += fmt.Sprintf("; **%d overdue**", c.Overdue)
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		m.p("**Follow-up of recommendations**\n\n%s\n\n", strings.Join(lines, "\n"))
	}
}
