package importers

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/iati"
	"github.com/rmf-project/rmf/indicators"
)

// IATI import: an activity of an IATI 2.0x activity file read as a
// logframe (its results and indicators, baselines, period targets as
// milestones) and its actuals as measurements.
//
// IATI has no aggregation, parent links or units beyond its measure codes.
// Files written by rmf carry them as rmf: attributes on the references
// (see exporters.WriteIATI), so that their import gives back the same
// framework. For other publishers' files:
//   - results: impact → goal, outcome → outcome, output and other → output,
//     without parents (IATI does not link results);
//   - codes: a reference of vocabulary 99 (the reporting organisation's own
//     code) when there is one, else generated (G1, OC1, OP1 for results,
//     RESULT.n for indicators); codes shared by a result and an indicator
//     get a suffix;
//   - unit from the measure: 1 unit → number, 2 percentage → percent,
//     3 nominal and 4 ordinal → number, 5 qualitative → text;
//   - aggregation "last": publishers report period values as levels or as
//     totals to date as often as per period, and "last" never counts a
//     figure twice;
//   - the end-of-project target is the target of the period that covers
//     the whole activity, else that of the last period;
//   - values such as "£13,594,502" or "1 234" are read as numbers; values
//     that are not numbers ("N=35;P=55") are kept as notes and reported.
//   - the baseline is the first one without dimensions: rmf has no
//     baseline by dimension, so one for sex=female is not taken for the
//     total (the indicator may then have none); those left are noted;
//   - a text (qualitative) indicator's baseline, targets and actuals are
//     their value as written, else their comment (rmf's export writes
//     text as a comment);
//   - a dimension without a name or a value is left out, with a note;
//   - a parent the file does not hold (rmf's export leaves out a result
//     without indicators) is dropped, with a note.

// IATIActivity names one activity of a file.
type IATIActivity struct {
	Identifier string
	Title      string
	Results    int
}

// IATIImport is what ReadIATI read.
type IATIImport struct {
	Framework *indicators.Framework
	Figures   []indicators.Measurement
	// Activity is the activity read; Others the other activities of the file.
	Activity IATIActivity
	Others   []IATIActivity
	// Notes are things the import could not carry over as they were
	// (values that are not numbers, disaggregated baselines, ...), one
	// line each, naming the indicator.
	Notes []string
}

// ErrIATI is wrapped by errors about the shape of an IATI file.
var ErrIATI = errors.New("not a readable IATI activity file")

// The elements whose line messages name record it as they are decoded
// (the decoder's position is then just past the start tag).

// ReadIATI reads activity id of an IATI file ("" for the first activity
// that has results, else the first) as a framework and its figures. The
// framework is validated and its formulas compiled like any other; every
// problem is listed.
func ReadIATI(r io.Reader, name, id string) (*IATIImport, error) {
	doc, err := decodeIATI(r, name)
	if err != nil {
		return nil, err
	}
	pick := -1
	var ids []string
	for i, a := range doc.Activities {
		aid := strings.TrimSpace(a.Identifier)
		ids = append(ids, aid)
		if id != "" && aid == id {
			pick = i
		}
	}
	if id != "" && pick < 0 {
		return nil, &indicators.CellError{File: name, Err: fmt.Errorf("no activity %q; the file has %s", id, strings.Join(ids, ", "))}
	}
	if pick < 0 {
		for i, a := range doc.Activities {
			if len(a.Results) > 0 {
				pick = i
				break
			}
		}
		if pick < 0 {
			pick = 0
		}
	}
	im := &IATIImport{}
	for i, a := range doc.Activities {
		act := IATIActivity{Identifier: strings.TrimSpace(a.Identifier), Title: a.Title.text(), Results: len(a.Results)}
		if i == pick {
			im.Activity = act
		} else {
			im.Others = append(im.Others, act)
		}
	}
	b := &iatiBuilder{name: name, act: &doc.Activities[pick], im: im, codes: map[string]bool{}, dims: map[string][]string{}}
	if err := b.build(); err != nil {
		return nil, err
	}
	return im, nil
}

type iatiBuilder struct {
	name  string
	act   *xActivity
	im    *IATIImport
	fw    *indicators.Framework
	codes map[string]bool
	dims  map[string][]string // dimension → values, in order seen
	probs indicators.Problems
	// elements names the element of each line items came from.
	elements map[int]string
	// bare lists the dimensions without a name or value of the indicator
	// being read, for its note.
	bare      []string
	bareCount int
}

var iatiCodeBad = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// code makes s a valid code, unique in the framework.
func (b *iatiBuilder) code(s, fallback string) string {
	c := strings.Trim(iatiCodeBad.ReplaceAllString(strings.TrimSpace(s), "-"), "-")
	if c == "" {
		c = fallback
	}
	u := c
	for n := 2; b.codes[u]; n++ {
		u = fmt.Sprintf("%s-%d", c, n)
	}
	b.codes[u] = true
	return u
}

func (b *iatiBuilder) note(format string, args ...any) {
	b.im.Notes = append(b.im.Notes, fmt.Sprintf(format, args...))
}

// loc is where an item of the framework came from: the file and the line
// of its element. Framework.Validate's problems about it are reworded for
// XML by xmlProblems.
func (b *iatiBuilder) loc(line int, element string) indicators.Loc {
	if b.elements == nil {
		b.elements = map[int]string{}
	}
	if prev, ok := b.elements[line]; !ok {
		b.elements[line] = element
	} else if prev != element {
		b.elements[line] = "" // several elements on one line (a file without line breaks): the message names the code
	}
	return indicators.Loc{File: b.name, Row: line}
}

// figLoc is where a figure came from, for its history: the file and the
// line of its <period>.
func (b *iatiBuilder) figLoc(line int) indicators.Loc {
	return indicators.Loc{File: b.name, Row: line}
}

// errf is a problem of the file: its line, the activity, the element.
func (b *iatiBuilder) errf(line int, element string, sentinel error, format string, args ...any) {
	b.probs = append(b.probs, &indicators.CellError{File: b.name, Line: line, Err: fmt.Errorf("activity %s, %s: %w: %s",
		strings.TrimSpace(b.act.Identifier), element, sentinel, fmt.Sprintf(format, args...))})
}

var sheetWords = []*regexp.Regexp{
	regexp.MustCompile(`;[^;]*\b(sheet|column)\b[^;]*$`),
	regexp.MustCompile(` (of|in) the [A-Z][a-z]+ sheet`),
}

// xmlProblem is a problem of Framework.Validate reworded for XML; it
// still wraps the original error's sentinel.
type xmlProblem struct {
	text string
	err  error
}

func (e *xmlProblem) Error() string { return e.text }
func (e *xmlProblem) Unwrap() error { return e.err }

// xmlProblems rewords Framework.Validate's problems for an XML file: the
// line and element instead of a sheet and cell, without advice about
// sheets and columns.
func (b *iatiBuilder) xmlProblems(probs indicators.Problems) indicators.Problems {
	out := make(indicators.Problems, 0, len(probs))
	for _, p := range probs {
		var ce *indicators.CellError
		if !errors.As(p, &ce) {
			out = append(out, p)
			continue
		}
		msg := ce.Err.Error()
		for _, re := range sheetWords {
			msg = re.ReplaceAllString(msg, "")
		}
		el, known := b.elements[ce.Row]
		if !known {
			el = "<iati-activity>"
		}
		if el != "" {
			el = ", " + el
		}
		if ce.Field != "" {
			el += " (" + ce.Field + ")"
		}
		out = append(out, &indicators.CellError{File: b.name, Line: ce.Row,
			Err: &xmlProblem{text: fmt.Sprintf("activity %s%s: %s", strings.TrimSpace(b.act.Identifier), el, msg), err: ce.Err}})
	}
	return out
}

func (b *iatiBuilder) build() error {
	a := b.act
	id := strings.TrimSpace(a.Identifier)
	if id == "" {
		return &indicators.CellError{File: b.name, Err: fmt.Errorf("%w: the activity has no iati-identifier", ErrIATI)}
	}
	fw := &indicators.Framework{}
	b.fw = fw
	b.im.Framework = fw
	p := &fw.Project
	p.Code = b.code(nonBlank(a.RMFCode, id), "ACTIVITY")
	p.YearStart = a.YearStart
	p.Title = nonBlank(a.Title.text(), id)
	p.IATIIdentifier = id
	p.ReportingOrg = a.ReportingOrg.text()
	p.ReportingOrgID = strings.TrimSpace(a.ReportingOrg.Ref)
	p.ReportingOrgType = strings.TrimSpace(a.ReportingOrg.Type)
	switch strings.ToLower(strings.TrimSpace(a.ReportingOrg.Secondary)) {
	case "1", "true":
		yes := true
		p.SecondaryReporter = &yes
	case "0", "false":
		no := false
		p.SecondaryReporter = &no
	}
	p.Currency = strings.ToUpper(strings.TrimSpace(a.Currency))
	p.Loc = b.loc(a.Line, "<iati-activity>")
	for _, d := range a.Descriptions {
		if t := d.text(); t != "" {
			p.Description = t
			break
		}
	}
	for _, o := range a.Orgs {
		if strings.TrimSpace(o.Role) == "1" {
			if t := nonBlank(o.text(), o.Ref); t != "" {
				p.Donor = t
				break
			}
		}
	}
	if !b.dates() {
		return b.probs
	}

	var lengths []int
	for ri := range a.Results {
		b.result(&a.Results[ri], ri, &lengths)
	}
	b.missingParents()
	b.fillDates(lengths)
	for _, name := range sortedKeys(b.dims) {
		fw.Dimensions = append(fw.Dimensions, indicators.Dimension{Name: name, Values: b.dims[name], Loc: b.loc(a.Line, "<iati-activity>")})
	}
	b.endTargets()
	if len(b.probs) > 0 {
		return b.probs
	}
	if probs := fw.Validate(); len(probs) > 0 {
		return b.xmlProblems(probs)
	}
	return nil
}

// missingParents drops the parent link of a result whose parent the file
// does not hold: rmf's export leaves out a result without indicators (IATI
// requires one per result), and its children still name it. The results
// are read without a parent, so that every figure comes back; one note per
// missing parent names the activity and the results. A parent that names
// an indicator of the file is still a problem (Framework.Validate).
func (b *iatiBuilder) missingParents() {
	fw := b.fw
	known := map[string]bool{}
	for _, r := range fw.Results {
		known[r.Code] = true
	}
	for _, ind := range fw.Indicators {
		known[ind.Code] = true
	}
	children := map[string][]string{}
	var missing []string
	for i := range fw.Results {
		r := &fw.Results[i]
		if r.Parent == "" || known[r.Parent] {
			continue
		}
		if _, ok := children[r.Parent]; !ok {
			missing = append(missing, r.Parent)
		}
		children[r.Parent] = append(children[r.Parent], r.Code)
		r.Parent = ""
	}
	for _, p := range missing {
		rs := children[p]
		names, read := "names", "it is read"
		if len(rs) > 1 {
			names, read = "name", "they are read"
		}
		b.note("activity %s: %s %s %s parent %q, which is not in the file (rmf does not export to IATI a result without indicators, as IATI requires an indicator per result): %s without a parent",
			strings.TrimSpace(b.act.Identifier), map[bool]string{true: "result", false: "results"}[len(rs) == 1], strings.Join(rs, ", "), names, p, read)
	}
}

// dates reads the activity dates, planned and actual apart (kept as the
// file gives them, for the export); the project runs from the actual
// start, else the planned one, to the actual end, else the planned one.
// An end before its start is a problem naming both elements.
func (b *iatiBuilder) dates() bool {
	p := &b.fw.Project
	type dated struct {
		t    time.Time
		line int
	}
	got := map[string]dated{}
	for _, d := range b.act.Dates {
		typ := strings.TrimSpace(d.Type)
		if iati.DateTypeNames[typ] == "" {
			continue // not a start or end (IATI has none other in 2.03)
		}
		s := strings.TrimSpace(d.ISODate)
		if len(s) > 10 && s[10] == 'T' {
			s = s[:10] // a date-time: its day
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			b.errf(d.Line, fmt.Sprintf("<activity-date type=%q> (%s)", typ, iati.DateTypeNames[typ]), indicators.ErrInvalid,
				"iso-date %q is not a date, expected YYYY-MM-DD such as 2021-07-15", d.ISODate)
			continue
		}
		if _, dup := got[typ]; !dup {
			got[typ] = dated{t, d.Line}
		}
	}
	if len(b.probs) > 0 {
		return false
	}
	p.PlannedStart, p.ActualStart, p.PlannedEnd, p.ActualEnd = got["1"].t, got["2"].t, got["3"].t, got["4"].t
	start, sType := got["2"], "2"
	if start.t.IsZero() {
		start, sType = got["1"], "1"
	}
	end, eType := got["4"], "4"
	if end.t.IsZero() {
		end, eType = got["3"], "3"
	}
	p.Start, p.End = start.t, end.t
	for _, pair := range [][2]string{{"1", "3"}, {"2", "4"}, {sType, eType}} {
		s, e := got[pair[0]], got[pair[1]]
		if s.t.IsZero() || e.t.IsZero() || !e.t.Before(s.t) {
			continue
		}
		b.errf(e.line, fmt.Sprintf("<activity-date type=%q> (%s)", pair[1], iati.DateTypeNames[pair[1]]), indicators.ErrInvalid,
			"the %s %s is before the %s %s (<activity-date type=%q>, line %d), expected an end on or after the start: fix the dates in the file",
			iati.DateTypeNames[pair[1]], e.t.Format(time.DateOnly), iati.DateTypeNames[pair[0]], s.t.Format(time.DateOnly), pair[0], s.line)
		return false
	}
	return true
}

func nonBlank(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// rmfRef is the vocabulary-99 reference of an item, if any.
func rmfRef(refs []xRef) (xRef, bool) {
	for _, r := range refs {
		if strings.TrimSpace(r.Vocabulary) == iati.VocabularyReporter && strings.TrimSpace(r.Code) != "" {
			return r, true
		}
	}
	return xRef{}, false
}

var iatiLevelCount = map[indicators.Level]string{indicators.Goal: "G", indicators.Outcome: "OC", indicators.Output: "OP"}

// stripCode removes a "CODE: " prefix from the title of an item written
// by rmf (its reference carries rmf's attributes; rmf's export wrote titles
// so before issue 12); other publishers' titles are kept as written.
func stripCode(title, code string, ref xRef) string {
	if ref.Level == "" && ref.Unit == "" {
		return title
	}
	if rest, ok := strings.CutPrefix(title, code+": "); ok {
		return rest
	}
	return title
}

func (b *iatiBuilder) result(x *xResult, ri int, lengths *[]int) {
	fw := b.fw
	level, ok := iati.LevelOf(x.Type)
	if ok && strings.TrimSpace(x.Type) == iati.ResultOther {
		b.note("result %d (%q) has type 9 (other): read as an output", ri+1, x.Title.text())
	}
	if !ok {
		b.errf(x.Line, fmt.Sprintf("result %d", ri+1), indicators.ErrInvalid,
			"<result type=%q>, expected 1 (output), 2 (outcome), 3 (impact) or 9 (other)", x.Type)
		return
	}
	ref, hasRef := rmfRef(x.Refs)
	if hasRef && ref.Level != "" {
		if l, err := indicators.ParseLevel(ref.Level); err == nil && l.Rank() == level.Rank() {
			level = l
		}
	}
	count := 1
	for _, r := range fw.Results {
		if r.Level == level {
			count++
		}
	}
	code := b.code(ref.Code, fmt.Sprintf("%s%d", iatiLevelCount[level], count))
	res := indicators.Result{Code: code, Level: level, Parent: strings.TrimSpace(ref.Parent), Loc: b.loc(x.Line, fmt.Sprintf("<result> %d (%s)", ri+1, code))}
	res.Statement = nonBlank(stripCode(x.Title.text(), code, ref), code)
	if d := x.Description.text(); d != "" {
		if rest, ok := strings.CutPrefix(d, "Assumptions: "); ok {
			res.Assumptions = rest
		} else {
			res.Assumptions = ""
			b.note("result %s: its description is not kept (a logframe result has a statement and assumptions): %q", code, d)
		}
	}
	fw.Results = append(fw.Results, res)
	for ii := range x.Indicators {
		b.indicator(&x.Indicators[ii], code, ii, lengths)
	}
}

func (b *iatiBuilder) indicator(x *xIndicator, result string, ii int, lengths *[]int) {
	ind := b.indicatorHead(x, result, ii)
	code := ind.Code
	b.bare, b.bareCount = b.bare[:0], 0
	b.baseline(&ind, x.Baselines)
	used := map[string]bool{}
	seen := &iatiSeen{b: b, code: code, at: map[string]iatiSeenAt{}}
	for _, xp := range x.Periods {
		per, ok := b.period(code, xp)
		if !ok {
			continue
		}
		if len(xp.Actuals) > 0 {
			*lengths = append(*lengths, per.Days()) // reporting periods are those with actuals
		}
		for _, t := range xp.Targets {
			b.target(&ind, xp, per, t, used, seen)
		}
		for _, ac := range xp.Actuals {
			b.actual(&ind, xp, per, ac, used, seen)
		}
	}
	ind.Disaggregations = sortedKeys(used)
	if len(b.bare) > 0 {
		b.note("indicator %s: %s without a name or a value left out (IATI requires both; such a dimension does not say which part of the total a figure is): %s",
			code, counted(b.bareCount, "dimension", "dimensions"), strings.Join(b.bare, ", "))
	}
	b.fw.Indicators = append(b.fw.Indicators, ind)
}

// indicatorHead is the indicator of <indicator> x (number ii of result):
// its code, name, unit, direction, aggregation and frequency, from the
// IATI attributes and rmf's own reference.
func (b *iatiBuilder) indicatorHead(x *xIndicator, result string, ii int) indicators.Indicator {
	ref, _ := rmfRef(x.Refs)
	code := b.code(ref.Code, fmt.Sprintf("%s.%d", result, ii+1))
	ind := indicators.Indicator{Code: code, Result: result, Loc: b.loc(x.Line, fmt.Sprintf("<indicator> %s", code))}
	ind.Name = nonBlank(stripCode(x.Title.text(), code, ref), code)
	ind.Definition = x.Description.text()
	ind.Unit = iati.UnitOf(x.Measure)
	if ref.Unit != "" {
		if u, err := indicators.ParseUnit(ref.Unit); err == nil {
			ind.Unit = u
		}
	}
	ind.Direction = indicators.Increase
	switch strings.ToLower(strings.TrimSpace(x.Ascending)) {
	case "0", "false":
		ind.Direction = indicators.Decrease
	}
	ind.Aggregation = indicators.Last
	if ref.Unit != "" {
		ind.Aggregation = "" // written by rmf: no aggregation attribute is the default
	}
	if ref.Aggregation != "" {
		if ag, err := indicators.ParseAggregation(ref.Aggregation); err == nil {
			ind.Aggregation = ag
		}
	}
	ind.Frequency = strings.TrimSpace(ref.Frequency)
	ind.DataSource = "IATI activity " + strings.TrimSpace(b.act.Identifier)
	return ind
}

// iatiSeen holds the value and line of each target and actual of an
// indicator by period and disaggregation: an identical repeat is read
// once, another value is a problem naming both lines.
type iatiSeen struct {
	b    *iatiBuilder
	code string
	at   map[string]iatiSeenAt
}

type iatiSeenAt struct {
	val  string
	line int
}

// dup is true when the what (target or actual) of per and dims was seen
// before.
func (s *iatiSeen) dup(what string, per indicators.Period, dims indicators.Disagg, val string, line int) bool {
	k := what + "|" + per.String() + "|" + dims.Key()
	prev, ok := s.at[k]
	if !ok {
		s.at[k] = iatiSeenAt{val, line}
		return false
	}
	if prev.val != val {
		d := "the total"
		if len(dims) > 0 {
			d = dims.Key()
		}
		s.b.errf(line, fmt.Sprintf("indicator %s, <period> %s, <%s>", s.code, per, what), indicators.ErrDuplicate,
			"a second %s for %s, %s here and %s at line %d; expected one %s per period and dimensions",
			what, d, val, prev.val, prev.line, what)
	}
	return true
}

// target reads target t of period per of ind as a milestone.
func (b *iatiBuilder) target(ind *indicators.Indicator, xp xPeriod, per indicators.Period, t xValue, used map[string]bool, seen *iatiSeen) {
	code := ind.Code
	dims := b.disagg(t.Dims, used, "the target of "+per.String())
	m := indicators.Milestone{Indicator: code, Period: per, Dims: dims, Loc: b.loc(xp.Line, fmt.Sprintf("<indicator> %s, <period> %s", code, per))}
	if ind.Unit == indicators.Text {
		var comment string
		m.TargetText, comment = textOf(strOf(t.Value), t.Comment)
		if m.TargetText == "" {
			return
		}
		if comment != "" {
			b.note("indicator %s, target of %s: its comment %q is not kept (the target is its value, %q)", code, per, comment, m.TargetText)
		}
	} else {
		v, ok := b.number(ind, "target "+per.String(), strOf(t.Value))
		if !ok || v == nil {
			return
		}
		m.Target = *v
	}
	if seen.dup("target", per, dims, strconv.FormatFloat(m.Target, 'g', -1, 64)+m.TargetText, xp.Line) {
		return
	}
	b.fw.Milestones = append(b.fw.Milestones, m)
}

// actual reads actual ac of period per of ind as a figure (with its
// numerator and denominator when rmf wrote them).
func (b *iatiBuilder) actual(ind *indicators.Indicator, xp xPeriod, per indicators.Period, ac xValue, used map[string]bool, seen *iatiSeen) {
	dims := b.disagg(ac.Dims, used, "the actual of "+per.String())
	fig := indicators.Measurement{Indicator: ind.Code, Period: per, Dims: dims, Source: "IATI", Loc: b.figLoc(xp.Line)}
	if ind.Unit == indicators.Text {
		// The value, else the comment; a comment besides a value is the
		// figure's comment.
		fig.Text, fig.Comment = textOf(strOf(ac.Value), ac.Comment)
		if fig.Text == "" {
			return
		}
	} else {
		v, ok := b.number(ind, "actual "+per.String(), strOf(ac.Value))
		if !ok || v == nil {
			return
		}
		fig.Value = v
		fig.Comment = ac.Comment.text()
		if ac.Ratio != nil {
			n, err1 := strconv.ParseFloat(strings.TrimSpace(ac.Ratio.Numerator), 64)
			d, err2 := strconv.ParseFloat(strings.TrimSpace(ac.Ratio.Denominator), 64)
			if err1 == nil && err2 == nil {
				fig.Numerator, fig.Denominator = &n, &d
			}
		}
	}
	val := fig.Text
	if fig.Value != nil {
		val = strconv.FormatFloat(*fig.Value, 'g', -1, 64)
	}
	if seen.dup("actual", per, dims, val, xp.Line) {
		return
	}
	b.im.Figures = append(b.im.Figures, fig)
}
