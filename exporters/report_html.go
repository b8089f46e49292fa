package exporters

// The HTML report: the Markdown report's content as one self-contained
// page (inline CSS and SVG, no scripts, nothing fetched from the network)
// with a progress bar per indicator marking the expected share, status
// badges, a small trend chart per indicator (cumulative actual against the
// cumulative target over the reporting periods) and a print stylesheet.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/par"
)

// WriteReportHTML writes r as a self-contained HTML page.
func WriteReportHTML(w io.Writer, r *indicators.Report) error {
	v, err := htmlBuildView(r)
	if err != nil {
		return err
	}
	// Written as the template runs, not held whole in memory.
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlReportTmpl.Execute(bw, v); err != nil {
		return fmt.Errorf("HTML report: %w", err)
	}
	return bw.Flush()
}

// htmlView is what the template shows.
type htmlView struct {
	Title   string
	Name    string
	Heading string
	Lines   []string
	Intro   string
	Total   string
	Summary []htmlSumRow
	// SumCols are the status columns of the summary table.
	SumCols   []string
	Attention []htmlItem
	// Missing are the missing reports by responsible party; MissingTitle
	// introduces them ("2 figures owed by the end of 2026Q2 did not arrive").
	Missing      []htmlMissing
	MissingTitle string
	Results      []template.HTML // each result's section (htmlResultTmpl)
	Quality      []htmlGroup
	Sources      []htmlSource
	Period       string
	FollowUp     template.HTML
	// Efficiency is the efficiency section (money spent against time and
	// results), written by writeEfficiencyHTML.
	Efficiency template.HTML
	// Review is the review section (exporters/report_review.go, issue 16).
	Review template.HTML
	CSS    template.CSS
}

type htmlSumRow struct {
	Code, Statement, Anchor string
	Status                  htmlBadge
	Delivery                *htmlBadge
	Counts                  []int
}

// htmlMissing is one responsible party and what it owes.
type htmlMissing struct {
	Responsible string
	Lines       []string
}

// htmlBadge is a status badge: its mark, its words and its CSS class.
type htmlBadge struct{ Mark, Name, Class string }

func htmlStatus(s indicators.Status) htmlBadge {
	name := repStatusName(s)
	return htmlBadge{Mark: repMark(s), Name: name, Class: "st-" + strings.ReplaceAll(name, " ", "-")}
}

// htmlItem is a list item: a code in bold, then text.
type htmlItem struct {
	Badge *htmlBadge
	Code  string
	Text  string
}

type htmlResult struct {
	Anchor, Level, Code, Statement string
	H                              int // heading level 2..4
	Status                         htmlBadge
	Delivery                       *htmlBadge
	Counts                         string
	Context                        []string
	Indicators                     []htmlIndicator
	Trends                         []htmlTrend
	ChangesTitle                   string
	Changes                        []htmlItem
	NoChanges                      bool
	Next                           []htmlItem
	Disagg                         []htmlDisagg
	Actions                        []htmlItem
	// Quality is the data-quality findings about the result (a large
	// project has hundreds of thousands): htmlList.
	Quality htmlList
}

type htmlIndicator struct {
	Code, Name, Unit, Baseline, Target, Milestone, Actual string
	Progress, Expected, Likely                            string
	// Against is "89% of 75%": progress of expected, as far as known.
	Against string
	Bar     template.HTML
	Status  htmlBadge
}

type htmlTrend struct {
	Code, Name string
	SVG        template.HTML
}

type htmlDisagg struct{ Code, Breakdown, Actual, InPeriod, Share string }

type htmlGroup struct {
	Title string
	Intro string
	Items htmlList
}

type htmlSource struct {
	Code, File, Sheet, Rows string
	Figures                 string
}

func htmlBuildView(r *indicators.Report) (*htmlView, error) {
	v := &htmlView{CSS: template.CSS(htmlCSS), Period: r.Period.Code}
	name := strings.Join(strings.Fields(r.Project.Title), " ")
	if r.Project.Code != "" {
		name = r.Project.Code + ": " + name
	}
	v.Name = name
	v.Title = name + " - results report " + r.Period.Code
	if strings.Contains(r.Period.Code, "..") {
		v.Heading = fmt.Sprintf("Results report for %s to %s", r.Period.Start, r.Period.End)
		v.Title = name + " - results report " + r.Period.Start + " to " + r.Period.End
	} else {
		v.Heading = fmt.Sprintf("Results report for %s (%s to %s)", r.Period.Code, r.Period.Start, r.Period.End)
	}
	v.Lines = append(v.Lines, fmt.Sprintf("Project period %s to %s; %s of the project's time had elapsed by the end of %s.",
		r.Project.Start, r.Project.End, repShare(&r.Elapsed), r.Period.Code))
	if r.Previous != nil {
		v.Lines = append(v.Lines, fmt.Sprintf("Changes are measured against the previous period, %s (%s to %s).",
			r.Previous.Code, r.Previous.Start, r.Previous.End))
	}
	if r.Project.Donor != "" {
		v.Lines = append(v.Lines, "Donor: "+repMDText(r.Project.Donor)+".")
	}
	if r.Project.Reporting != "" {
		v.Lines = append(v.Lines, "Reporting: "+repMDText(r.Project.Reporting)+".")
	}
	v.Intro = "Progress is the share of the way from the baseline to the end-of-project target; expected is the share " +
		"that should be covered by the end of the period on the expected path (straight lines through the baseline, the milestones and the target, counting days; steps for yes/no and text), marked on each bar; the milestone is the value expected then. " +
		"Cumulative figures run from the project start to the end of the period."
	if rd := repReadings(r); rd != "" {
		v.Intro += " " + rd
	}
	// Summary.
	v.Total = repTotal(r)
	for i := range r.Results {
		res := &r.Results[i]
		if res.Level != indicators.Goal && res.Level != indicators.Outcome {
			continue
		}
		cols := repSummaryStatuses(r) // the columns of the summary table
		counts := make([]int, len(cols))
		for k, st := range cols {
			counts[k] = res.StatusCounts[st]
		}
		v.Summary = append(v.Summary, htmlSumRow{Code: res.Code, Statement: repMDText(res.Statement), Anchor: htmlAnchor(res.Code),
			Status: htmlStatus(res.Status), Delivery: htmlDelivery(res), Counts: counts})
	}
	for _, st := range repSummaryStatuses(r) {
		v.SumCols = append(v.SumCols, repTitleCase(string(st)))
	}
	if groups := repMissing(r); len(groups) > 0 {
		v.MissingTitle = repTitleCase(repPlural(len(r.Missing), "figure")) + " owed by the end of " + r.Period.Code + " did not arrive:"
		for _, g := range groups {
			v.Missing = append(v.Missing, htmlMissing{Responsible: g.Responsible, Lines: repMissingLines(g)})
		}
	} else {
		v.MissingTitle = "Every figure owed by the end of " + r.Period.Code + " has arrived."
	}
	idx := repResultIndex(r)
	for _, it := range repAttention(r) {
		where, verb, why := repAttentionParts(r, idx, it)
		b := htmlStatus(it.Ind.Status)
		v.Attention = append(v.Attention, htmlItem{Badge: &b, Code: it.Ind.Code,
			Text: fmt.Sprintf("%s (%s) %s %s%s.", repMDText(it.Ind.Name), where, verb, it.Ind.Status, why)})
	}
	var err error
	if v.Results, err = htmlBuildResults(r); err != nil {
		return nil, fmt.Errorf("HTML report: %w", err)
	}
	v.Quality = htmlQuality(r)
	v.Sources = htmlSources(r)
	if r.Efficiency != nil {
		var eb bytes.Buffer
		if err := writeEfficiencyHTML(&eb, r.Efficiency); err != nil {
			return nil, err
		}
		v.Efficiency = template.HTML(eb.String()) // writeEfficiencyHTML escapes every text it writes
	}
	v.Review = template.HTML(reviewHTML(r)) // reviewHTML escapes every text it writes
	if r.FollowUp != nil {
		var fb bytes.Buffer
		if err := writeFollowUpHTML(&fb, r.FollowUp); err != nil {
			return nil, err
		}
		v.FollowUp = template.HTML(fb.String()) // writeFollowUpHTML escapes every text it writes
	}
	return v, nil
}

// htmlBuildResults builds the sections of the results shown, in order,
// several at once (each reads the report only: a large programme has a
// thousand indicators, each with its trend drawn).
func htmlBuildResults(r *indicators.Report) ([]template.HTML, error) {
	fidx := newRepFindingIndex(r.Findings)
	var shown []*indicators.ReportResult
	for i := range r.Results {
		if repShown(&r.Results[i]) {
			shown = append(shown, &r.Results[i])
		}
	}
	out := make([]template.HTML, len(shown))
	errs := make([]error, len(shown))
	par.Each(len(shown), func(i int) {
		res := htmlBuildResult(r, fidx, shown[i])
		var b strings.Builder
		errs[i] = htmlResultTmpl.Execute(&b, htmlResultData{&res, r.Period.Code})
		out[i] = template.HTML(b.String()) // htmlResultTmpl escaped every text
	})
	return out, errors.Join(errs...)
}

// htmlDelivery is the badge of a result's delivery, nil when unknown.
func htmlDelivery(res *indicators.ReportResult) *htmlBadge {
	if res.Delivery == "" {
		return nil
	}
	b := htmlStatus(res.Delivery)
	return &b
}

// htmlAnchor is the id of a result's section.
func htmlAnchor(code string) string {
	var b strings.Builder
	b.WriteString("r-")
	for _, c := range code {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

func htmlBuildResult(r *indicators.Report, fidx *repFindingIndex, res *indicators.ReportResult) htmlResult {
	h := htmlResult{Anchor: htmlAnchor(res.Code), Level: repLevelTitle(res.Level), Code: res.Code, Statement: repMDText(res.Statement),
		H: 3, Status: htmlStatus(res.Status), Delivery: htmlDelivery(res), Counts: repCounts(res.StatusCounts)}
	switch res.Level {
	case indicators.Goal, indicators.Outcome:
		h.H = 2
	case indicators.Activity:
		h.H = 4
	}
	switch {
	case res.Parent != "" && len(res.ContributesTo) > 0:
		h.Context = append(h.Context, fmt.Sprintf("Contributes to %s and also to %s.", res.Parent, strings.Join(res.ContributesTo, ", ")))
	case res.Parent != "":
		h.Context = append(h.Context, "Contributes to "+res.Parent+".")
	case len(res.ContributesTo) > 0:
		h.Context = append(h.Context, "Contributes to "+strings.Join(res.ContributesTo, ", ")+".")
	}
	if res.Assumptions != "" {
		h.Context = append(h.Context, "Assumptions: "+repMDText(res.Assumptions))
	}
	prev := "the previous period"
	if r.Previous != nil {
		prev = r.Previous.Code
	}
	h.ChangesTitle = "What changed since " + prev
	for i := range res.Indicators {
		ind := &res.Indicators[i]
		milestone := repValue(ind.Milestone, ind.Unit)
		if repIsText(ind) {
			milestone = repOr(repMDText(ind.MilestoneText)) // the stage due by now
		}
		hi := htmlIndicator{Code: ind.Code, Name: repMDText(ind.Name), Unit: string(ind.Unit), Baseline: repBaseline(ind),
			Target: repTarget(ind), Milestone: milestone, Actual: repActual(ind), Progress: repShare(ind.Progress),
			Expected: repShare(ind.Expected), Likely: repLikely(ind.Likely), Status: htmlStatus(ind.Status)}
		hi.Bar = htmlBar(ind)
		switch {
		case ind.Progress != nil && ind.Expected != nil:
			hi.Against = hi.Progress + " of " + hi.Expected
		case ind.Progress != nil:
			hi.Against = hi.Progress
		case ind.Expected != nil && *ind.Expected == 0, ind.Status == indicators.StatusNotDue:
			hi.Against = "nothing expected yet"
		case ind.Expected != nil:
			hi.Against = "no data; " + hi.Expected + " expected"
		default:
			hi.Against = repNoValue
		}
		h.Indicators = append(h.Indicators, hi)
		if svg := htmlTrendSVG(ind); svg != "" {
			h.Trends = append(h.Trends, htmlTrend{Code: ind.Code, Name: repMDText(ind.Name), SVG: svg})
		}
		if c := repChange(r, ind); c != "" {
			h.Changes = append(h.Changes, htmlItem{Code: ind.Code, Text: c})
		}
		if n := repNext(ind); n != "" {
			h.Next = append(h.Next, htmlItem{Code: ind.Code, Text: n})
		}
		for _, d := range repDisaggRows(ind) {
			h.Disagg = append(h.Disagg, htmlDisagg{Code: ind.Code, Breakdown: d.Dims + ": " + d.Values,
				Actual: d.Actual, InPeriod: d.InPeriod, Share: d.Share})
		}
	}
	h.NoChanges = len(res.Indicators) > 0 && len(h.Changes) == 0
	// Follow-up actions linked to the result, its indicators and its
	// activities without a section; data quality about the result.
	codes, linked := repResultCodes(r, res)
	for _, c := range repKeyActions(r, linked) {
		line := repKeyActionText(c)
		if c.Overdue > 0 {
			line += fmt.Sprintf("; %d overdue", c.Overdue)
		}
		h.Actions = append(h.Actions, htmlItem{Code: c.Code, Text: line})
	}
	fs := repFindingsFor(fidx, codes)
	h.Quality.fs = fs
	for _, w := range repResultWarnings(res, fs) {
		h.Quality.post = append(h.Quality.post, htmlItem{Code: w.Code, Text: w.Text})
	}
	return h
}

// htmlList is a list of items (pre), findings (fs) and items (post),
// written by the template through HTML: only as it is written, so that
// the long lists of a large report are not all held as HTML at once.
type htmlList struct {
	pre  []htmlItem
	fs   []indicators.Finding
	post []htmlItem
}

// Any reports whether the list has an item.
func (l htmlList) Any() bool { return len(l.pre)+len(l.fs)+len(l.post) > 0 }

// HTML is the list's items, each on a line of its own.
func (l htmlList) HTML() template.HTML {
	n := 0
	for _, it := range l.pre {
		n += len(it.Code) + len(it.Text)
	}
	for _, f := range l.fs {
		n += len(f.Code) + len(f.Severity) + len(f.Period) + len(f.Message) + 8
	}
	for _, it := range l.post {
		n += len(it.Code) + len(it.Text)
	}
	var items htmlItems
	items.b.Grow(n + n/8 + 32*(len(l.pre)+len(l.fs)+len(l.post)))
	for _, it := range l.pre {
		items.add(it.Code, it.Text)
	}
	for _, f := range l.fs {
		items.finding(f)
	}
	for _, it := range l.post {
		items.add(it.Code, it.Text)
	}
	return items.html()
}

// htmlItems writes list items "<li><strong>CODE</strong> TEXT</li>", each
// on a line of its own, with the bytes the report's template writes for
// them (htmlEscapeText): the long lists of findings are made here rather
// than by the template, whose reflection took most of the time of a large
// report.
type htmlItems struct{ b strings.Builder }

func (l *htmlItems) add(code string, text ...string) {
	l.b.WriteString("\n<li><strong>")
	htmlEscapeText(&l.b, code)
	l.b.WriteString("</strong> ")
	for _, t := range text {
		htmlEscapeText(&l.b, t)
	}
	l.b.WriteString("</li>")
}

// finding adds a finding: its code, then (severity, period): message.
func (l *htmlItems) finding(f indicators.Finding) {
	if f.Period != "" {
		l.add(f.Code, "(", string(f.Severity), ", ", f.Period, "): ", repMDText(f.Message))
	} else {
		l.add(f.Code, "(", string(f.Severity), "): ", repMDText(f.Message))
	}
}

func (l *htmlItems) html() template.HTML {
	return template.HTML(l.b.String()) // every text escaped by htmlEscapeText
}

// htmlEscapeText writes s escaped as html/template escapes a text between
// tags: NUL as U+FFFD, and " & ' + < > as &#34; &amp; &#39; &#43; &lt;
// &gt;; every other byte as it is (the bytes of multi-byte characters,
// and invalid UTF-8, are never ASCII).
func htmlEscapeText(b *strings.Builder, s string) {
	from := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[from:i])
		b.WriteString(r)
		from = i + 1
	}
	b.WriteString(s[from:])
}

func htmlQuality(r *indicators.Report) []htmlGroup {
	var out []htmlGroup
	for _, g := range repQuality(r) {
		hg := htmlGroup{Title: g.Title}
		if len(g.Unverified) > 0 {
			hg.Intro = "Figures counted in this report that are not verified against their means of verification:"
		}
		for _, ind := range g.Unverified {
			hg.Items.pre = append(hg.Items.pre, htmlItem{Code: ind.Code, Text: fmt.Sprintf("%s: %s (verified: %s)", repMDText(ind.Name), repActual(&ind), ind.Verified)})
		}
		hg.Items.fs = g.Findings
		out = append(out, hg)
	}
	return out
}

func htmlSources(r *indicators.Report) []htmlSource {
	var out []htmlSource
	for _, s := range repSources(r) {
		if s.Computed != "" {
			out = append(out, htmlSource{Code: s.Code, File: s.Computed})
			continue
		}
		out = append(out, htmlSource{Code: s.Code, File: s.File, Sheet: s.Sheet, Rows: s.Rows, Figures: fmt.Sprint(s.Figures)})
	}
	return out
}

// htmlStatusColour is the colour of a status in bars and charts.
var htmlStatusColour = map[indicators.Status]string{
	indicators.StatusAchieved: "#1e7b34",
	indicators.StatusOnTrack:  "#3a9a4e",
	indicators.StatusAtRisk:   "#d69a00",
	indicators.StatusOffTrack: "#c0392b",
	indicators.StatusNoData:   "#8c8c8c",
	indicators.StatusNotDue:   "#8c8c8c",
}

// htmlF prints a coordinate with at most 1 decimal.
func htmlF(x float64) string { return repNum(math.Round(x*10)/10, 1) }

// htmlBar is the progress bar of an indicator: the progress filled in the
// status colour, the expected share as a dark mark; "" when the
// indicator has neither.
func htmlBar(ind *indicators.ReportIndicator) template.HTML {
	if ind.Progress == nil && ind.Expected == nil {
		return ""
	}
	const w, hgt = 120.0, 12.0
	clamp := func(x float64) float64 {
		if math.IsNaN(x) {
			return 0
		}
		return math.Max(0, math.Min(x, 1))
	}
	var b strings.Builder
	label := "progress " + repShare(ind.Progress) + ", expected " + repShare(ind.Expected)
	fmt.Fprintf(&b, `<svg class="bar" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-label="%s"><title>%s</title>`,
		htmlF(w), htmlF(hgt+4), htmlF(w), htmlF(hgt+4), html.EscapeString(label), html.EscapeString(label))
	fmt.Fprintf(&b, `<rect x="0" y="2" width="%s" height="%s" rx="2" fill="#e6e6e6"/>`, htmlF(w), htmlF(hgt))
	if ind.Progress != nil {
		colour := htmlStatusColour[ind.Status]
		if colour == "" {
			colour = "#5b7fa6"
		}
		fmt.Fprintf(&b, `<rect x="0" y="2" width="%s" height="%s" rx="2" fill="%s"/>`, htmlF(w*clamp(*ind.Progress)), htmlF(hgt), colour)
	}
	if ind.Expected != nil {
		x := w * clamp(*ind.Expected)
		x = math.Max(1, math.Min(x, w-1))
		fmt.Fprintf(&b, `<line x1="%s" y1="0" x2="%s" y2="%s" stroke="#222" stroke-width="2"/>`, htmlF(x), htmlF(x), htmlF(hgt+4))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// htmlTrendSVG draws the cumulative actual (solid, with dots) against the
// cumulative target (dashed) over the periods of ind.Series; "" when the
// series has fewer than two periods or no number to draw.
func htmlTrendSVG(ind *indicators.ReportIndicator) template.HTML {
	if repIsText(ind) || len(ind.Series) < 2 {
		return ""
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(p *float64) {
		if p != nil && !math.IsNaN(*p) && !math.IsInf(*p, 0) {
			lo, hi = math.Min(lo, *p), math.Max(hi, *p)
		}
	}
	actuals := 0
	for _, pt := range ind.Series {
		see(pt.Target)
		see(pt.Actual)
		if pt.Actual != nil {
			actuals++
		}
	}
	if math.IsInf(lo, 1) {
		return ""
	}
	see(ind.Baseline)
	see(ind.Target)
	lo = math.Min(lo, 0)
	if hi <= lo {
		hi = lo + 1
	}
	const W, H, left, right, top, bottom = 260.0, 110.0, 46.0, 8.0, 8.0, 20.0
	pw, ph := W-left-right, H-top-bottom
	n := len(ind.Series)
	x := func(i int) float64 { return left + pw*float64(i)/float64(n-1) }
	y := func(v float64) float64 { return top + ph*(1-(v-lo)/(hi-lo)) }
	var b strings.Builder
	label := fmt.Sprintf("%s: cumulative actual against target, %s to %s", ind.Code, ind.Series[0].Period, ind.Series[n-1].Period)
	fmt.Fprintf(&b, `<svg class="trend" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-label="%s"><title>%s</title>`,
		htmlF(W), htmlF(H), htmlF(W), htmlF(H), html.EscapeString(label), html.EscapeString(label))
	// Axes and the scale.
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999"/>`, htmlF(left), htmlF(top), htmlF(left), htmlF(top+ph))
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999"/>`, htmlF(left), htmlF(top+ph), htmlF(left+pw), htmlF(top+ph))
	if ind.Target != nil && !math.IsNaN(*ind.Target) {
		ty := y(*ind.Target)
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#bbb" stroke-dasharray="1 3"/>`, htmlF(left), htmlF(ty), htmlF(left+pw), htmlF(ty))
	}
	for _, v := range []float64{lo, hi} {
		vv := v
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="9" fill="#555">%s</text>`,
			htmlF(left-4), htmlF(y(v)+3), html.EscapeString(repValue(&vv, ind.Unit)))
	}
	fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="9" fill="#555">%s</text>`, htmlF(left), htmlF(H-6), html.EscapeString(ind.Series[0].Period))
	fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="9" fill="#555">%s</text>`, htmlF(left+pw), htmlF(H-6),
		html.EscapeString(ind.Series[n-1].Period))
	// Lines: runs of consecutive points with values.
	line := func(get func(indicators.SeriesPoint) *float64, attrs string, dots bool) {
		var run []string
		flush := func() {
			if len(run) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" %s points="%s"/>`, attrs, strings.Join(run, " "))
			}
			run = run[:0]
		}
		for i, pt := range ind.Series {
			v := get(pt)
			if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
				flush()
				continue
			}
			run = append(run, htmlF(x(i))+","+htmlF(y(*v)))
			if dots {
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="2.2" fill="#1f4e78"/>`, htmlF(x(i)), htmlF(y(*v)))
			}
		}
		flush()
	}
	line(func(p indicators.SeriesPoint) *float64 { return p.Target }, `stroke="#888" stroke-width="1.5" stroke-dasharray="4 3"`, false)
	line(func(p indicators.SeriesPoint) *float64 { return p.Actual }, `stroke="#1f4e78" stroke-width="2"`, true)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// htmlResultTmpl is a result's section; the sections are written several
// at once (htmlBuildResults) and put in the page as they are.
var htmlResultTmpl = template.Must(template.New("result").Parse(`
<section class="result level-{{.H}}" id="{{.Anchor}}">
{{if eq .H 2}}<h2>{{else if eq .H 3}}<h3>{{else}}<h4>{{end}}{{.Level}} {{.Code}}: {{.Statement}}{{if eq .H 2}}</h2>{{else if eq .H 3}}</h3>{{else}}</h4>{{end}}
<p><strong>Status:</strong> <span class="badge {{.Status.Class}}">{{.Status.Mark}} {{.Status.Name}}</span>{{with .Delivery}} · <strong>delivery</strong> <span class="badge {{.Class}}">{{.Mark}} {{.Name}}</span>{{end}}{{if .Counts}} ({{.Counts}}){{end}}{{range .Context}}<br>{{.}}{{end}}</p>
{{- if not .Indicators}}
<p>No indicator measures this result directly.</p>
{{- else}}
<table class="indicators">
<thead><tr><th>Code</th><th>Indicator</th><th>Unit</th><th class="n">Baseline</th><th class="n">Target</th><th class="n">Milestone</th><th class="n">Actual</th><th>Progress against expected</th><th>Status</th><th>Likely</th></tr></thead>
<tbody>
{{- range .Indicators}}
<tr><td>{{.Code}}</td><td>{{.Name}}</td><td>{{.Unit}}</td><td class="n">{{.Baseline}}</td><td class="n">{{.Target}}</td><td class="n">{{.Milestone}}</td><td class="n">{{.Actual}}</td><td class="progress">{{.Bar}}<span class="pct">{{.Against}}</span></td><td><span class="badge {{.Status.Class}}">{{.Status.Mark}} {{.Status.Name}}</span></td><td>{{.Likely}}</td></tr>
{{- end}}
</tbody>
</table>
{{- if .Trends}}
<div class="trends">
{{- range .Trends}}
<figure>{{.SVG}}<figcaption><strong>{{.Code}}</strong> {{.Name}}</figcaption></figure>
{{- end}}
</div>
<p class="note">Trend: cumulative actual (solid line) against the cumulative target (dashed); the dotted line is the end-of-project target.</p>
{{- end}}
<h5>{{.ChangesTitle}}</h5>
{{- if .NoChanges}}
<p>No figures reported yet for these indicators.</p>
{{- else}}
<ul>
{{- range .Changes}}
<li><strong>{{.Code}}</strong> {{.Text}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Next}}
<h5>Expected next</h5>
<ul>
{{- range .Next}}
<li><strong>{{.Code}}</strong> {{.Text}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Disagg}}
<h5>Disaggregation</h5>
<table class="disagg">
<thead><tr><th>Indicator</th><th>Breakdown</th><th class="n">Actual</th><th class="n">In {{$.Period}}</th><th class="n">Share of total</th></tr></thead>
<tbody>
{{- range .Disagg}}
<tr><td>{{.Code}}</td><td>{{.Breakdown}}</td><td class="n">{{.Actual}}</td><td class="n">{{.InPeriod}}</td><td class="n">{{.Share}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- end}}
{{- if .Actions}}
<h5>Follow-up of recommendations</h5>
<ul>
{{- range .Actions}}
<li><strong>{{.Code}}</strong>: {{.Text}}</li>
{{- end}}
</ul>
{{- end}}
{{- if .Quality.Any}}
<h5>Data quality</h5>
<ul class="quality">{{.Quality.HTML}}
</ul>
{{- end}}
</section>`))

// htmlResultData is what htmlResultTmpl shows: the result, and the
// period's code (the heading of the disaggregation's period column).
type htmlResultData struct {
	*htmlResult
	Period string
}

var htmlReportTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>{{.Name}}</h1>
<p class="sub"><strong>{{.Heading}}</strong></p>
<p>{{range $i, $l := .Lines}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>
<p class="note">{{.Intro}}</p>
<p class="legend"><span class="badge st-achieved">✔ achieved</span> <span class="badge st-on-track">● on track</span> <span class="badge st-at-risk">▲ at risk</span> <span class="badge st-off-track">✖ off track</span> <span class="badge st-no-data">? no data</span> <span class="badge st-not-due">○ not due</span> <span class="badge st-no-target">∅ no target</span> <span class="badge st-reported">✎ reported</span></p>
</header>
<main>
<section class="summary">
<h2>Summary</h2>
<p>{{.Total}}</p>
{{- if .Summary}}
<table>
<thead><tr><th>Result</th><th>Statement</th><th>Status</th><th>Delivery</th>{{range .SumCols}}<th class="n">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Summary}}
<tr><td><a href="#{{.Anchor}}">{{.Code}}</a></td><td>{{.Statement}}</td><td><span class="badge {{.Status.Class}}">{{.Status.Mark}} {{.Status.Name}}</span></td><td>{{with .Delivery}}<span class="badge {{.Class}}">{{.Mark}} {{.Name}}</span>{{else}}–{{end}}</td>{{range .Counts}}<td class="n">{{.}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<p class="note">Status comes from the result's own indicators (else from the results under it); delivery is the worst status of everything under it. Counts include the indicators of the result and of the results under it.</p>
{{- end}}
<h3>Needs attention</h3>
{{- if .Attention}}
<ul class="attention">
{{- range .Attention}}
<li><span class="badge {{.Badge.Class}}">{{.Badge.Mark}}</span> <strong>{{.Code}}</strong> {{.Text}}</li>
{{- end}}
</ul>
{{- else}}
<p>No indicator is off track, at risk or without the data it should have.</p>
{{- end}}
<h3>Missing reports</h3>
<p>{{.MissingTitle}}</p>
{{- if .Missing}}
<ul class="missing">
{{- range .Missing}}
<li><strong>{{.Responsible}}</strong><ul>{{range .Lines}}<li>{{.}}</li>{{end}}</ul></li>
{{- end}}
</ul>
{{- end}}
</section>
{{range .Results}}{{.}}{{end}}
<section class="quality">
<h2>Data quality</h2>
{{- if not .Quality}}
<p>No findings: every figure is verified and every check holds.</p>
{{- end}}
{{- range .Quality}}
<h3>{{.Title}}</h3>
{{- if .Intro}}
<p>{{.Intro}}</p>
{{- end}}
<ul>{{.Items.HTML}}
</ul>
{{- end}}
</section>
<section class="sources">
<h2>Sources</h2>
{{- if .Sources}}
<p>Every figure counted in this report, by indicator: the file, the sheet and the rows it was read from (<code>rmf history CODE</code> shows every revision).</p>
<table>
<thead><tr><th>Indicator</th><th>File</th><th>Sheet</th><th>Rows</th><th class="n">Figures</th></tr></thead>
<tbody>
{{- range .Sources}}
<tr><td>{{.Code}}</td><td>{{.File}}</td><td>{{.Sheet}}</td><td>{{.Rows}}</td><td class="n">{{.Figures}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>No figures were reported up to the end of {{.Period}}.</p>
{{- end}}
</section>
{{.Efficiency}}
{{- if .Review}}
{{.Review}}
{{- end}}
{{.FollowUp}}
</main>
</body>
</html>
`))

// htmlCSS is the inline stylesheet, with the print rules.
const htmlCSS = `
:root { --ink: #1d1d1d; --muted: #5f6368; --line: #d0d7de; --head: #1f4e78; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; color: var(--ink);
  margin: 0 auto; padding: 24px 32px; max-width: 1200px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; color: var(--head); }
h2 { font-size: 20px; margin: 28px 0 8px; color: var(--head); border-bottom: 2px solid var(--head); padding-bottom: 2px; }
h3 { font-size: 16px; margin: 22px 0 6px; color: var(--head); }
h4 { font-size: 15px; margin: 18px 0 6px; }
h5 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
p.sub { font-size: 16px; margin: 0 0 8px; }
.note { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #eef3f8; font-weight: 600; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.overdue td { background: #fdecea; }
a { color: var(--head); }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; white-space: nowrap; border: 1px solid transparent;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.st-achieved { background: #1e7b34; color: #fff; }
.st-on-track { background: #d4edda; color: #155724; border-color: #9fd3ab; }
.st-at-risk { background: #fff3cd; color: #7a5a00; border-color: #f0d27a; }
.st-off-track { background: #f8d7da; color: #8a1c24; border-color: #eea3aa; }
.st-no-data, .st-not-due, .st-no-indicators, .st-no-target, .st-reported { background: #eceff1; color: #4a4f55; border-color: #cfd4d8; }
td.progress { white-space: nowrap; }
td.progress svg { vertical-align: middle; margin-right: 6px; }
.pct { font-size: 12px; color: var(--muted); }
.trends { display: flex; flex-wrap: wrap; gap: 10px 18px; margin: 4px 0; }
.trends figure { margin: 0; width: 262px; }
.trends figcaption { font-size: 11px; color: var(--muted); }
ul { margin: 4px 0 10px; padding-left: 22px; }
ul.attention { list-style: none; padding-left: 0; }
ul.attention li { margin: 3px 0; }
section.result.level-2 { margin-top: 30px; }
code { background: #f3f3f3; padding: 0 3px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
  table, figure, ul.attention li { break-inside: avoid; page-break-inside: avoid; }
  section.result.level-2 { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
  th { background: #eef3f8 !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .legend { display: none; }
}
`
