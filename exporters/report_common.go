package exporters

// Formatting shared by the report writers (text, Markdown, JSON): numbers
// by unit, shares as percentages, statuses with their marks, and the
// lookups of results and indicators the writers need.

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// repNoValue is what the text and Markdown reports print for no data.
const repNoValue = indicators.NoValue

// repMark is the one-character mark of a status in the text report and
// the Markdown summary.
func repMark(s indicators.Status) string {
	switch s {
	case indicators.StatusAchieved:
		return "✔"
	case indicators.StatusOnTrack:
		return "●"
	case indicators.StatusAtRisk:
		return "▲"
	case indicators.StatusOffTrack:
		return "✖"
	case indicators.StatusNotDue:
		return "○"
	case indicators.StatusNoData:
		return "?"
	case indicators.StatusNoTarget:
		return "∅"
	case indicators.StatusReported:
		return "✎"
	}
	return "·"
}

// repPlural is "1 finding", "2 findings" (word + s).
func repPlural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// repDelivery is " · delivery ✖ off track" for a result whose delivery
// (the worst status below it) is known, "" otherwise; plain, without marks
// when mark is false.
func repDelivery(res *indicators.ReportResult, mark bool) string {
	if res.Delivery == "" {
		return ""
	}
	if !mark {
		return " · delivery " + string(res.Delivery)
	}
	return " · delivery " + repMark(res.Delivery) + " " + string(res.Delivery)
}

// repMissingGroup is the missing reports of one responsible party.
type repMissingGroup struct {
	Responsible string
	Items       []indicators.MissingReport
}

// repMissing groups r.Missing by responsible party, in the order each
// party first appears (framework order); within a party, in framework
// then period order.
func repMissing(r *indicators.Report) []repMissingGroup {
	var out []repMissingGroup
	at := map[string]int{}
	for _, m := range r.Missing {
		i, ok := at[m.Responsible]
		if !ok {
			i = len(out)
			at[m.Responsible] = i
			out = append(out, repMissingGroup{Responsible: m.Responsible})
		}
		out[i].Items = append(out[i].Items, m)
	}
	return out
}

// repMissingLine is "1.2.1 Kitchens built: 2026Q2, 2026Q3" for the missing
// periods of one indicator in a group, one line per indicator.
func repMissingLines(g repMissingGroup) []string {
	var lines []string
	var cur string
	var periods []string
	flush := func(name string) {
		if cur != "" {
			lines = append(lines, cur+": "+strings.Join(periods, ", "))
		}
		cur, periods = name, nil
	}
	last := ""
	for _, m := range g.Items {
		if m.Indicator != last {
			flush(m.Indicator + " " + repMDText(m.Name))
			last = m.Indicator
		}
		periods = append(periods, m.Period)
	}
	flush("")
	return lines
}

// repStatusName is the status as printed; an empty status (a result without
// indicators) reads "no indicators".
func repStatusName(s indicators.Status) string {
	if s == "" {
		return "no indicators"
	}
	return string(s)
}

// repCounts lists the non-zero counts in the order of indicators.Statuses:
// "2 on track, 1 at risk". Unknown statuses come last, sorted.
func repCounts(c map[indicators.Status]int) string {
	return strings.Join(countParts(c, indicators.Statuses, true), ", ")
}

// countParts lists the non-zero counts of c as "2 on track", in the order
// of order; with rest, the counts of keys not in order follow, sorted. The
// status, action status and response counts of every writer use it.
func countParts[S ~string](c map[S]int, order []S, rest bool) []string {
	var parts []string
	for _, s := range order {
		if n := c[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if !rest {
		return parts
	}
	var extra []string
	for s, n := range c {
		if n > 0 && !slices.Contains(order, s) {
			extra = append(extra, fmt.Sprintf("%d %s", n, s))
		}
	}
	sort.Strings(extra)
	return append(parts, extra...)
}

// repReportCounts returns r.StatusCounts, or the counts of every indicator
// of the report when the model left it empty.
func repReportCounts(r *indicators.Report) map[indicators.Status]int {
	if len(r.StatusCounts) > 0 {
		return r.StatusCounts
	}
	c := map[indicators.Status]int{}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			c[ind.Status]++
		}
	}
	return c
}

// repTotal is the sentence of the reports' summary on every indicator:
// "12 indicators: 2 achieved, 7 on track, 3 at risk."
func repTotal(r *indicators.Report) string {
	total := repReportCounts(r)
	n := 0
	for _, c := range total {
		n += c
	}
	if n == 0 {
		return "The framework has no indicators on its results."
	}
	return fmt.Sprintf("%s: %s.", repPlural(n, "indicator"), repCounts(total))
}

// repResultIndex maps each result code of r to its index in r.Results.
func repResultIndex(r *indicators.Report) map[string]int {
	m := make(map[string]int, len(r.Results))
	for i, res := range r.Results {
		m[res.Code] = i
	}
	return m
}

// repAncestor returns the code of the ancestor of result code (or code
// itself) at level lv, or "" when there is none.
func repAncestor(r *indicators.Report, idx map[string]int, code string, lv indicators.Level) string {
	for i := 0; i < 64 && code != ""; i++ { // bounded: a cyclic model must not hang the writer
		j, ok := idx[code]
		if !ok {
			return ""
		}
		if r.Results[j].Level == lv {
			return code
		}
		code = r.Results[j].Parent
	}
	return ""
}

// repShown reports whether a result gets its own section or tree node:
// every goal, outcome and output, and activities that have indicators.
func repShown(res *indicators.ReportResult) bool {
	return res.Level != indicators.Activity || len(res.Indicators) > 0
}

// repNum prints x with at most dec decimals, trailing zeros dropped, and
// thousands separated by commas: 10753 -> "10,753", 71.43 -> "71.43".
func repNum(x float64, dec int) string { return indicators.FormatRounded(x, dec) }

// repValue prints a figure of an indicator of unit u as every report
// shows it (indicators.Unit.Format): "10,753", "71.4%", "yes"; repNoValue
// when v is nil.
func repValue(v *float64, u indicators.Unit) string {
	if v == nil {
		return repNoValue
	}
	return u.Format(*v)
}

// repDelta prints the change from a to b in the unit u: "+3", "-1.5
// points" for percent, "" when either is nil. For yes/no: "no -> yes".
func repDelta(a, b *float64, u indicators.Unit) string {
	if a == nil || b == nil {
		return ""
	}
	d := *b - *a
	if u == indicators.YesNo {
		if repValue(a, u) == repValue(b, u) {
			return "no change"
		}
		return "now " + repValue(b, u)
	}
	if math.Abs(d) < 1e-9 {
		return "no change"
	}
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	return sign + repDiff(math.Abs(d), u)
}

// repDiff prints a difference d >= 0 between figures of unit u: "1,200";
// in points for percent ("12.5 points").
func repDiff(d float64, u indicators.Unit) string {
	if u == indicators.Percent {
		return repNum(d, 1) + " points"
	}
	return repValue(&d, u)
}

// repShare prints a share as a whole percentage: 0.894 -> "89%".
func repShare(v *float64) string {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return repNoValue
	}
	return repNum(math.Round(*v*100), 0) + "%"
}

// repLikely prints the likely flag: "yes", "no" or repNoValue.
func repLikely(b *bool) string {
	switch {
	case b == nil:
		return repNoValue
	case *b:
		return "yes"
	}
	return "no"
}

// repIsText reports whether the indicator is a text (qualitative) one.
func repIsText(ind *indicators.ReportIndicator) bool { return ind.Unit == indicators.Text }

// repActual is the actual of an indicator as printed: its value, or its
// latest reported text for text indicators.
func repActual(ind *indicators.ReportIndicator) string {
	if repIsText(ind) {
		if ind.ActualText == "" {
			return repNoValue
		}
		return ind.ActualText
	}
	return repValue(ind.Actual, ind.Unit)
}

// repBaseline and repTarget likewise.
func repBaseline(ind *indicators.ReportIndicator) string {
	if repIsText(ind) {
		return repOr(ind.BaselineText)
	}
	return repValue(ind.Baseline, ind.Unit)
}

func repTarget(ind *indicators.ReportIndicator) string {
	if repIsText(ind) {
		return repOr(ind.TargetText)
	}
	return repValue(ind.Target, ind.Unit)
}

func repOr(s string) string {
	if strings.TrimSpace(s) == "" {
		return repNoValue
	}
	return s
}

// repGap says how far an indicator is from where it should be: "progress
// 20% against 52% expected (32 points behind); 2,150 against a milestone of
// 5,000". "" when there is nothing to say.
func repGap(ind *indicators.ReportIndicator) string {
	var parts []string
	if ind.Progress != nil && ind.Expected != nil {
		behind := math.Round((*ind.Expected - *ind.Progress) * 100)
		s := fmt.Sprintf("progress %s against %s expected", repShare(ind.Progress), repShare(ind.Expected))
		if behind > 0 {
			s += fmt.Sprintf(" (%s points behind)", repNum(behind, 0))
		}
		parts = append(parts, s)
	}
	if ind.Milestone != nil && ind.Actual != nil && !repIsText(ind) && ind.Unit != indicators.YesNo {
		parts = append(parts, fmt.Sprintf("actual %s against a milestone of %s", repValue(ind.Actual, ind.Unit), repValue(ind.Milestone, ind.Unit)))
	}
	return strings.Join(parts, "; ")
}

// repLikelyText says whether the target will be reached at the current
// trend: "likely to reach the target (projection 84%)", "" when unknown.
func repLikelyText(ind *indicators.ReportIndicator) string {
	if ind.Likely == nil {
		return ""
	}
	s := "not likely to reach the target"
	if *ind.Likely {
		s = "likely to reach the target"
	}
	if ind.Projection != nil {
		s += " (projection " + repValue(ind.Projection, ind.Unit) + " at the end)"
	}
	return s
}

// repRows compresses row numbers, in any order, into ranges: 4-9, 12.
func repRows(rows []int) string {
	if len(rows) == 0 {
		return repNoValue
	}
	rs := append([]int(nil), rows...)
	sort.Ints(rs)
	return indicators.FormatRanges(rs)
}

// repFindingIndex finds the findings of given codes without reading them
// all: a large project has hundreds of thousands of findings, and every
// result's section asks for those of its codes.
type repFindingIndex struct {
	fs     []indicators.Finding
	byCode map[string][]int // positions in fs, in order
}

func newRepFindingIndex(fs []indicators.Finding) *repFindingIndex {
	x := &repFindingIndex{fs: fs, byCode: map[string][]int{}}
	for i, f := range fs {
		x.byCode[f.Code] = append(x.byCode[f.Code], i)
	}
	return x
}

// repFindingsFor returns the findings whose code is one of codes, in order
// (nil when none).
func repFindingsFor(x *repFindingIndex, codes map[string]bool) []indicators.Finding {
	var at []int
	for c := range codes {
		at = append(at, x.byCode[c]...)
	}
	if len(at) == 0 {
		return nil
	}
	slices.Sort(at)
	out := make([]indicators.Finding, len(at))
	for i, k := range at {
		out[i] = x.fs[k]
	}
	return out
}

// repLevelTitle is the level as a heading word: Goal, Outcome, Output.
func repLevelTitle(l indicators.Level) string {
	s := string(l)
	if s == "" {
		return "Result"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// repAttention lists the indicators that need the steering committee's
// repAttention, worst first: off track, at risk, then no data.
func repAttention(r *indicators.Report) []repAttentionItem {
	var out []repAttentionItem
	for _, st := range []indicators.Status{indicators.StatusOffTrack, indicators.StatusAtRisk, indicators.StatusNoData} {
		for i := range r.Results {
			res := &r.Results[i]
			for j := range res.Indicators {
				if res.Indicators[j].Status == st {
					out = append(out, repAttentionItem{Result: res, Ind: &res.Indicators[j]})
				}
			}
		}
	}
	return out
}

type repAttentionItem struct {
	Result *indicators.ReportResult
	Ind    *indicators.ReportIndicator
}

// repWhy explains an repAttention item in one sentence (without the code).
func repWhy(r *indicators.Report, it repAttentionItem) string {
	ind := it.Ind
	if ind.Status == indicators.StatusNoData {
		s := "nothing reported although something was due by the end of " + r.Period.Code
		if ind.Expected != nil {
			s += " (" + repShare(ind.Expected) + " of the way expected)"
		}
		return s
	}
	var parts []string
	if g := repGap(ind); g != "" {
		parts = append(parts, g)
	}
	if l := repLikelyText(ind); l != "" {
		parts = append(parts, l)
	}
	return strings.Join(parts, "; ")
}

// repQualityGroup is one group of the data-quality section of the HTML and
// Markdown reports: the findings of one kind and, in the "unverified"
// group, the indicators whose figures are not verified but have no finding
// of their own.
type repQualityGroup struct {
	Title      string
	Unverified []indicators.ReportIndicator
	Findings   []indicators.Finding
}

// repQualityKinds are the kinds of finding in the order of the section;
// findings of any other kind go to the last group.
var repQualityKinds = []struct{ kind, title string }{
	{"unverified", "Unverified figures"},
	{"mismatch", "Totals that do not match their breakdown"},
	{"rule", "Rules that do not hold"},
	{"formula", "Formulas without data"},
	{"", "Other findings"},
}

// repQualitySkips are the kinds of finding that have their own section
// ("missing": Missing reports) rather than a group of Data quality.
var repQualitySkips = map[string]bool{"missing": true}

// repQuality groups the findings of r by kind, leaving out empty groups;
// none when every figure is verified and every check holds.
func repQuality(r *indicators.Report) []repQualityGroup {
	hasFinding := map[string]bool{}
	for _, f := range r.Findings {
		if f.Kind == "unverified" {
			hasFinding[f.Code] = true
		}
	}
	var unverified []indicators.ReportIndicator
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			if !hasFinding[ind.Code] && ind.Verified != "" && ind.Verified != string(indicators.VerifiedYes) && (ind.Actual != nil || ind.ActualText != "") {
				unverified = append(unverified, ind)
			}
		}
	}
	known := map[string]bool{}
	for _, g := range repQualityKinds {
		known[g.kind] = true
	}
	kindOf := func(f *indicators.Finding) (string, bool) {
		if repQualitySkips[f.Kind] {
			return "", false
		}
		if !known[f.Kind] {
			return "", true
		}
		return f.Kind, true
	}
	// counted first, so that each group is made once (a large project has
	// hundreds of thousands of findings)
	count := map[string]int{}
	for i := range r.Findings {
		if k, ok := kindOf(&r.Findings[i]); ok {
			count[k]++
		}
	}
	byKind := map[string][]indicators.Finding{}
	for k, n := range count {
		byKind[k] = make([]indicators.Finding, 0, n)
	}
	for i := range r.Findings {
		if k, ok := kindOf(&r.Findings[i]); ok {
			byKind[k] = append(byKind[k], r.Findings[i])
		}
	}
	var out []repQualityGroup
	for _, g := range repQualityKinds {
		qg := repQualityGroup{Title: g.title, Findings: byKind[g.kind]}
		if g.kind == "unverified" {
			qg.Unverified = unverified
		}
		if len(qg.Unverified)+len(qg.Findings) > 0 {
			out = append(out, qg)
		}
	}
	return out
}

// repSourceRow is one line of the sources table of the HTML and Markdown
// reports: a file and sheet behind an indicator, or the formula of a
// computed indicator without figures of its own.
type repSourceRow struct {
	Code     string // "" on the further lines of the same indicator
	Computed string // "(computed: FORMULA)"; then the other fields are empty
	File     string // "(unknown file)" when the figures do not say
	Sheet    string
	Rows     string
	Figures  int
}

// repSources lists where every indicator's figures came from.
func repSources(r *indicators.Report) []repSourceRow {
	var out []repSourceRow
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			if len(ind.Sources) == 0 {
				if ind.Formula != "" {
					out = append(out, repSourceRow{Code: ind.Code, Computed: "(computed: " + ind.Formula + ")"})
				}
				continue
			}
			for j, s := range ind.Sources {
				row := repSourceRow{Code: ind.Code, File: indicators.BaseName(s.File), Sheet: repOr(s.Sheet), Rows: repRows(s.Rows), Figures: s.Figures}
				if j > 0 {
					row.Code = "" // the same indicator as the line above
				}
				if row.File == "" {
					row.File = "(unknown file)"
				}
				out = append(out, row)
			}
		}
	}
	return out
}

// repResultCodes are the codes a result's section speaks for in the HTML
// and Markdown reports: the result and its indicators (codes: their
// findings show there), and those with the result's activities that have
// no section of their own (linked: their key actions show there).
func repResultCodes(r *indicators.Report, res *indicators.ReportResult) (codes, linked map[string]bool) {
	codes = map[string]bool{res.Code: true}
	linked = map[string]bool{res.Code: true}
	for _, ind := range res.Indicators {
		codes[ind.Code] = true
		linked[ind.Code] = true
	}
	for i := range r.Results {
		if ch := &r.Results[i]; ch.Parent == res.Code && !repShown(ch) {
			linked[ch.Code] = true
		}
	}
	return codes, linked
}

// repWarning is a warning of an indicator as the reports print it.
type repWarning struct{ Code, Text string }

// repResultWarnings lists the warnings of the indicators of res that none
// of the findings fs already says: a warning that is also a finding is
// listed once.
func repResultWarnings(res *indicators.ReportResult, fs []indicators.Finding) []repWarning {
	said := make(map[repWarning]bool, len(fs))
	for _, f := range fs {
		said[repWarning{f.Code, repMDText(f.Message)}] = true
	}
	var out []repWarning
	for _, ind := range res.Indicators {
		for _, w := range ind.Warnings {
			if t := repMDText(w); !said[repWarning{ind.Code, t}] {
				out = append(out, repWarning{Code: ind.Code, Text: t})
			}
		}
	}
	return out
}

// repKeyActions lists the follow-up codes of r among linked that have key
// actions, in follow-up order.
func repKeyActions(r *indicators.Report, linked map[string]bool) []indicators.FollowUpCode {
	if r.FollowUp == nil {
		return nil
	}
	var out []indicators.FollowUpCode
	for _, c := range r.FollowUp.ByCode {
		if linked[c.Code] && len(c.Actions) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// repKeyActionText is "key actions 2.1, 2.3 (2 ongoing)", without the
// overdue count (each writer marks it its own way).
func repKeyActionText(c indicators.FollowUpCode) string {
	s := "key actions " + strings.Join(c.Actions, ", ")
	if st := countParts(c.StatusCounts, indicators.ActionStatuses, false); len(st) > 0 {
		s += " (" + strings.Join(st, ", ") + ")"
	}
	return s
}

// repAttentionParts are the pieces of a "needs attention" line of the
// HTML and Markdown reports: where the indicator sits ("Output 1.2,
// outcome 1"), its verb ("is" off track, "has" no data) and why (": ...",
// or "" when repWhy has nothing to say). idx is repResultIndex(r).
func repAttentionParts(r *indicators.Report, idx map[string]int, it repAttentionItem) (where, verb, why string) {
	where = repLevelTitle(it.Result.Level) + " " + it.Result.Code
	if oc := repAncestor(r, idx, it.Result.Code, indicators.Outcome); oc != "" && oc != it.Result.Code {
		where += ", outcome " + oc
	}
	if why = repWhy(r, it); why != "" {
		why = ": " + why
	}
	verb = "is"
	if it.Ind.Status == indicators.StatusNoData {
		verb = "has"
	}
	return where, verb, why
}

// repChange is the "what changed since the previous period" sentence of an
// indicator, without its code ("Name: 12 → 20 (+8); 8 in 2021Q3"; for a
// text indicator "Name: the text"), or "" when it has nothing to say.
// The Markdown and HTML reports both use it.
func repChange(r *indicators.Report, ind *indicators.ReportIndicator) string {
	if len(ind.PeriodMissing) > 0 {
		// the figure of the period did not come: never "no change"
		s := fmt.Sprintf("%s: no figure for %s (missing report", repMDText(ind.Name), strings.Join(ind.PeriodMissing, ", "))
		if ind.Responsible != "" {
			s += " from " + repMDText(ind.Responsible)
		}
		s += ")"
		if ind.Actual != nil && !repIsText(ind) {
			s += "; " + repValue(ind.Actual, ind.Unit) + " to date"
		}
		return s
	}
	if repIsText(ind) {
		if ind.ActualText == "" {
			return ""
		}
		return repMDText(ind.Name) + ": " + repMDText(ind.ActualText)
	}
	if ind.PreviousActual == nil && ind.Actual == nil {
		return ""
	}
	s := fmt.Sprintf("%s: %s → %s", repMDText(ind.Name), repValue(ind.PreviousActual, ind.Unit), repValue(ind.Actual, ind.Unit))
	if d := repDelta(ind.PreviousActual, ind.Actual, ind.Unit); d != "" {
		s += " (" + d + ")"
	} else if ind.PreviousActual == nil {
		s += " (first figures)"
	}
	if ind.PeriodValue != nil && ind.Aggregation == indicators.Sum {
		s += "; " + repValue(ind.PeriodValue, ind.Unit) + " in " + r.Period.Code
	}
	return s
}

// repNext is the "expected next" sentence of an indicator, without its
// code ("Name: 360 by 2022S2 (now 150; 210 to go)"), or "" when it has no
// next milestone.
func repNext(ind *indicators.ReportIndicator) string {
	nm := ind.NextMilestone
	if nm == nil {
		return ""
	}
	t := nm.Target
	s := fmt.Sprintf("%s: %s by %s", repMDText(ind.Name), repValue(&t, ind.Unit), nm.Period)
	if ind.Actual != nil && ind.Unit != indicators.YesNo && !repIsText(ind) {
		gap := t - *ind.Actual
		if ind.Direction == indicators.Decrease {
			gap = -gap
		}
		if gap > 0 {
			s += fmt.Sprintf(" (now %s; %s to go)", repValue(ind.Actual, ind.Unit), repDiff(gap, ind.Unit))
		} else {
			s += fmt.Sprintf(" (now %s: already reached)", repValue(ind.Actual, ind.Unit))
		}
	}
	return s
}

// repDisaggRow is one disaggregated actual of an indicator as the reports
// show it.
type repDisaggRow struct {
	Dims     string // "sex", "sex, province"
	Values   string // "female", "female, Khovd"
	Actual   string
	InPeriod string
	Share    string // of the indicator's total, for counts and money
}

// repDisaggRows lists the disaggregated actuals of an indicator that have
// figures, ordered by dimension set; the total is in the indicators table.
func repDisaggRows(ind *indicators.ReportIndicator) []repDisaggRow {
	ds := append([]indicators.DisaggActual(nil), ind.Disaggregated...)
	sort.SliceStable(ds, func(a, b int) bool {
		return strings.Join(ds[a].Dims.Dims(), ",") < strings.Join(ds[b].Dims.Dims(), ",")
	})
	var out []repDisaggRow
	for _, d := range ds {
		if d.Dims.Total() || (d.Actual == nil && d.PeriodValue == nil) {
			continue // values without figures say nothing
		}
		share := repNoValue
		if u := ind.Unit; (u == indicators.Number || u == indicators.Currency) && d.Actual != nil && ind.Actual != nil && *ind.Actual != 0 {
			s := *d.Actual / *ind.Actual
			share = repShare(&s)
		}
		out = append(out, repDisaggRow{Dims: strings.Join(d.Dims.Dims(), ", "), Values: strings.Join(d.Dims.Values(), ", "),
			Actual: repValue(d.Actual, ind.Unit), InPeriod: repValue(d.PeriodValue, ind.Unit), Share: share})
	}
	return out
}

// repSummaryStatuses are the status columns of the summary tables of the
// Markdown and HTML reports: the six of every report, then no target and
// reported when some result of r counts them.
func repSummaryStatuses(r *indicators.Report) []indicators.Status {
	out := []indicators.Status{indicators.StatusAchieved, indicators.StatusOnTrack, indicators.StatusAtRisk,
		indicators.StatusOffTrack, indicators.StatusNoData, indicators.StatusNotDue}
	for _, st := range []indicators.Status{indicators.StatusNoTarget, indicators.StatusReported} {
		for i := range r.Results {
			if r.Results[i].StatusCounts[st] > 0 {
				out = append(out, st)
				break
			}
		}
	}
	return out
}

// repTitleCase is "No target" for "no target".
func repTitleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// repReadings says how each indicator's milestones are read (SPEC 5: the
// reports say which reading was used): "Milestones read as per period
// (amounts that add up to the target): 1.1.3, 2.1.1; as cumulative (where
// the indicator should stand): 1.1.2, 3.1.2." Empty when no indicator has
// milestones.
func repReadings(r *indicators.Report) string {
	var per, cum []string
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			switch ind.MilestoneReading {
			case string(indicators.MilestonesPerPeriod):
				per = append(per, ind.Code)
			case string(indicators.MilestonesCumulative):
				cum = append(cum, ind.Code)
			}
		}
	}
	var parts []string
	if len(per) > 0 {
		parts = append(parts, "as per period (amounts that add up to the target): "+strings.Join(per, ", "))
	}
	if len(cum) > 0 {
		parts = append(parts, "as cumulative (where the indicator should stand by the end of each period): "+strings.Join(cum, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Milestones read " + strings.Join(parts, "; ") + "."
}
