package importers

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
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

type xIATI struct {
	XMLName    xml.Name    `xml:"iati-activities"`
	Version    string      `xml:"version,attr"`
	Activities []xActivity `xml:"iati-activity"`
}

type xNarr struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text string `xml:",chardata"`
}

type xText struct {
	Type       string  `xml:"type,attr"`
	Narratives []xNarr `xml:"narrative"`
	// Chardata is text directly in the element: IATI 1.x wrote names and
	// titles so (2.0x puts them in narratives).
	Chardata string `xml:",chardata"`
}

// text is the English narrative, else the one without a language, else the first.
func (t *xText) text() string {
	if t == nil {
		return ""
	}
	if len(t.Narratives) == 0 {
		return strings.Join(strings.Fields(t.Chardata), " ") // text without a narrative, as 1.x wrote it
	}
	best := ""
	for i, n := range t.Narratives {
		s := strings.Join(strings.Fields(n.Text), " ")
		switch {
		case strings.EqualFold(n.Lang, "en"):
			return s
		case n.Lang == "" && best == "", i == 0:
			best = s
		}
	}
	return best
}

type xOrg struct {
	Ref       string `xml:"ref,attr"`
	Type      string `xml:"type,attr"`
	Role      string `xml:"role,attr"`
	Secondary string `xml:"secondary-reporter,attr"`
	xText
	Line int `xml:"-"`
}

type xActivity struct {
	Line         int       `xml:"-"`
	Lang         string    `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Currency     string    `xml:"default-currency,attr"`
	RMFCode      string    `xml:"https://github.com/rmf-project/rmf/iati code,attr"`
	Reporting    string    `xml:"https://github.com/rmf-project/rmf/iati reporting,attr"`
	YearStart    int       `xml:"https://github.com/rmf-project/rmf/iati year-start,attr"`
	Identifier   string    `xml:"iati-identifier"`
	ReportingOrg xOrg      `xml:"reporting-org"`
	Title        xText     `xml:"title"`
	Descriptions []xText   `xml:"description"`
	Orgs         []xOrg    `xml:"participating-org"`
	Dates        []xDate   `xml:"activity-date"`
	Results      []xResult `xml:"result"`
}

type xDate struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
	Line    int    `xml:"-"`
}

type xRef struct {
	Vocabulary  string `xml:"vocabulary,attr"`
	Code        string `xml:"code,attr"`
	Level       string `xml:"https://github.com/rmf-project/rmf/iati level,attr"`
	Parent      string `xml:"https://github.com/rmf-project/rmf/iati parent,attr"`
	Unit        string `xml:"https://github.com/rmf-project/rmf/iati unit,attr"`
	Aggregation string `xml:"https://github.com/rmf-project/rmf/iati aggregation,attr"`
	Frequency   string `xml:"https://github.com/rmf-project/rmf/iati frequency,attr"`
}

type xResult struct {
	Line        int          `xml:"-"`
	Type        string       `xml:"type,attr"`
	Title       xText        `xml:"title"`
	Description *xText       `xml:"description"`
	Refs        []xRef       `xml:"reference"`
	Indicators  []xIndicator `xml:"indicator"`
}

type xIndicator struct {
	Line        int         `xml:"-"`
	Measure     string      `xml:"measure,attr"`
	Ascending   string      `xml:"ascending,attr"`
	Title       xText       `xml:"title"`
	Description *xText      `xml:"description"`
	Refs        []xRef      `xml:"reference"`
	Baselines   []xBaseline `xml:"baseline"`
	Periods     []xPeriod   `xml:"period"`
}

type xDim struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type xBaseline struct {
	Year    string `xml:"year,attr"`
	ISODate string `xml:"iso-date,attr"`
	Value   string `xml:"value,attr"`
	Dims    []xDim `xml:"dimension"`
	Comment *xText `xml:"comment"`
}

type xValue struct {
	Value *string `xml:"value,attr"`
	Ratio *struct {
		Numerator   string `xml:"numerator,attr"`
		Denominator string `xml:"denominator,attr"`
	} `xml:"https://github.com/rmf-project/rmf/iati ratio"`
	Dims    []xDim `xml:"dimension"`
	Comment *xText `xml:"comment"`
}

type xPeriod struct {
	Line    int      `xml:"-"`
	Start   xDate    `xml:"period-start"`
	End     xDate    `xml:"period-end"`
	Targets []xValue `xml:"target"`
	Actuals []xValue `xml:"actual"`
}

// The elements whose line messages name record it as they are decoded
// (the decoder's position is then just past the start tag).

func (x *xActivity) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xActivity
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

func (x *xOrg) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xOrg
	line, _ := d.InputPos()
	err := d.DecodeElement((*plain)(x), &start)
	x.Line = line
	return err
}

func (x *xDate) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xDate
	line, _ := d.InputPos()
	err := d.DecodeElement((*plain)(x), &start)
	x.Line = line
	return err
}

func (x *xResult) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xResult
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

func (x *xIndicator) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xIndicator
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

func (x *xPeriod) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain xPeriod
	x.Line, _ = d.InputPos()
	return d.DecodeElement((*plain)(x), &start)
}

// ReadIATIActivities lists the activities of an IATI file.
func ReadIATIActivities(r io.Reader, name string) ([]IATIActivity, error) {
	doc, err := decodeIATI(r, name)
	if err != nil {
		return nil, err
	}
	out := make([]IATIActivity, 0, len(doc.Activities))
	for _, a := range doc.Activities {
		out = append(out, IATIActivity{Identifier: strings.TrimSpace(a.Identifier), Title: a.Title.text(), Results: len(a.Results)})
	}
	return out, nil
}

func decodeIATI(r io.Reader, name string) (*xIATI, error) {
	var doc xIATI
	dec := xml.NewDecoder(r)
	dec.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q: only UTF-8 is read", charset)
	}
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			msg := se.Msg
			if msg == "unexpected EOF" {
				msg = "the file ends before the XML document does (it may be cut short: copy or download it again)"
			}
			return nil, &indicators.CellError{File: name, Line: se.Line, Err: fmt.Errorf("%w: %s", ErrIATI, msg)}
		}
		if errors.Is(err, io.EOF) {
			return nil, &indicators.CellError{File: name, Err: fmt.Errorf("%w: the file is empty or holds no XML element, expected an <iati-activities> document", ErrIATI)}
		}
		return nil, &indicators.CellError{File: name, Err: fmt.Errorf("%w: %v (expected an <iati-activities> document)", ErrIATI, err)}
	}
	if v := strings.TrimSpace(doc.Version); strings.HasPrefix(v, "1") {
		return nil, iati1Error(name, fmt.Sprintf("<iati-activities version=%q>", v))
	}
	if sign := iati1Structure(&doc); sign != "" && strings.TrimSpace(doc.Version) == "" {
		return nil, iati1Error(name, sign)
	}
	if len(doc.Activities) == 0 {
		return nil, &indicators.CellError{File: name, Err: fmt.Errorf("%w: no <iati-activity> in the file", ErrIATI)}
	}
	return &doc, nil
}

// IATI1Guide is IATI's guide to moving a file from version 1.x to 2.
const IATI1Guide = "https://iatistandard.org/en/iati-standard/upgrades/upgrade-changelogs/integer-upgrade-to-2-01/migrating/"

// iati1Error is the one message for an IATI 1.x file.
func iati1Error(name, sign string) error {
	return &indicators.CellError{File: name, Err: fmt.Errorf("%w: this is an IATI 1.x activity file (%s); rmf reads IATI 2.01 to 2.03: have the publisher (or its IATI tool) write the activity as IATI 2.03, or upgrade the file following IATI's guide %s, then import it again",
		ErrIATI, sign, IATI1Guide)}
}

// iati1Words are IATI 1.x codes that 2.0x replaced with numbers.
var iati1Words = map[string]bool{"start-planned": true, "start-actual": true, "end-planned": true, "end-actual": true,
	"output": true, "outcome": true, "impact": true}

// iati1Structure names the first sign of IATI 1.x in a file without a
// version attribute ("" when there is none): activity-date or result types
// in words (1.x) instead of codes (2.0x), or a title or reporting-org whose
// text is not in a <narrative>.
func iati1Structure(doc *xIATI) string {
	bare := func(t *xText) bool { return len(t.Narratives) == 0 && strings.TrimSpace(t.Chardata) != "" }
	for _, a := range doc.Activities {
		for _, d := range a.Dates {
			if iati1Words[strings.ToLower(strings.TrimSpace(d.Type))] {
				return fmt.Sprintf("line %d: <activity-date type=%q>, a 1.x type; 2.0x writes 1 to 4", d.Line, d.Type)
			}
		}
		for _, r := range a.Results {
			if iati1Words[strings.ToLower(strings.TrimSpace(r.Type))] {
				return fmt.Sprintf("line %d: <result type=%q>, a 1.x type; 2.0x writes 1, 2, 3 or 9", r.Line, r.Type)
			}
		}
		if bare(&a.Title) {
			return fmt.Sprintf("line %d: activity %s: <title> holds its text without a <narrative>", a.Line, strings.TrimSpace(a.Identifier))
		}
		if bare(&a.ReportingOrg.xText) {
			return fmt.Sprintf("line %d: activity %s: <reporting-org> holds its name without a <narrative>", a.ReportingOrg.Line, strings.TrimSpace(a.Identifier))
		}
	}
	return ""
}

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

	b.bare, b.bareCount = b.bare[:0], 0
	b.baseline(&ind, x.Baselines)

	used := map[string]bool{}
	// seen: the value and line of each target and actual by period and
	// disaggregation; an identical repeat is read once, another value is
	// a problem naming both lines.
	type seenAt struct {
		val  string
		line int
	}
	seen := map[string]seenAt{}
	dup := func(what string, per indicators.Period, dims indicators.Disagg, val string, line int) bool {
		k := what + "|" + per.String() + "|" + dims.Key()
		prev, ok := seen[k]
		if !ok {
			seen[k] = seenAt{val, line}
			return false
		}
		if prev.val != val {
			d := "the total"
			if len(dims) > 0 {
				d = dims.Key()
			}
			b.errf(line, fmt.Sprintf("indicator %s, <period> %s, <%s>", code, per, what), indicators.ErrDuplicate,
				"a second %s for %s, %s here and %s at line %d; expected one %s per period and dimensions",
				what, d, val, prev.val, prev.line, what)
		}
		return true
	}
	for _, xp := range x.Periods {
		per, ok := b.period(code, xp)
		if !ok {
			continue
		}
		if len(xp.Actuals) > 0 {
			*lengths = append(*lengths, per.Days()) // reporting periods are those with actuals
		}
		for _, t := range xp.Targets {
			dims := b.disagg(t.Dims, used, "the target of "+per.String())
			m := indicators.Milestone{Indicator: code, Period: per, Dims: dims, Loc: b.loc(xp.Line, fmt.Sprintf("<indicator> %s, <period> %s", code, per))}
			if ind.Unit == indicators.Text {
				var comment string
				m.TargetText, comment = textOf(strOf(t.Value), t.Comment)
				if m.TargetText == "" {
					continue
				}
				if comment != "" {
					b.note("indicator %s, target of %s: its comment %q is not kept (the target is its value, %q)", code, per, comment, m.TargetText)
				}
			} else {
				v, ok := b.number(&ind, "target "+per.String(), strOf(t.Value))
				if !ok || v == nil {
					continue
				}
				m.Target = *v
			}
			if dup("target", per, dims, strconv.FormatFloat(m.Target, 'g', -1, 64)+m.TargetText, xp.Line) {
				continue
			}
			b.fw.Milestones = append(b.fw.Milestones, m)
		}
		for _, ac := range xp.Actuals {
			dims := b.disagg(ac.Dims, used, "the actual of "+per.String())
			fig := indicators.Measurement{Indicator: code, Period: per, Dims: dims, Source: "IATI", Loc: b.figLoc(xp.Line)}
			if ind.Unit == indicators.Text {
				// The value, else the comment; a comment besides a value
				// is the figure's comment.
				fig.Text, fig.Comment = textOf(strOf(ac.Value), ac.Comment)
				if fig.Text == "" {
					continue
				}
			} else {
				v, ok := b.number(&ind, "actual "+per.String(), strOf(ac.Value))
				if !ok || v == nil {
					continue
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
			if dup("actual", per, dims, val, xp.Line) {
				continue
			}
			b.im.Figures = append(b.im.Figures, fig)
		}
	}
	ind.Disaggregations = sortedKeys(used)
	if len(b.bare) > 0 {
		b.note("indicator %s: %s without a name or a value left out (IATI requires both; such a dimension does not say which part of the total a figure is): %s",
			code, counted(b.bareCount, "dimension", "dimensions"), strings.Join(b.bare, ", "))
	}
	b.fw.Indicators = append(b.fw.Indicators, ind)
}

// counted is "1 baseline", "2 baselines".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// textOf is a text indicator's baseline, target or actual: its value as
// written, else its comment (rmf's export writes text as a comment, with
// no value). A comment besides a value is returned apart.
func textOf(value string, comment *xText) (text, other string) {
	v, c := strings.TrimSpace(value), comment.text()
	if v == "" {
		return c, ""
	}
	if c == v {
		c = ""
	}
	return v, c
}

// baseline sets the indicator's baseline from the file's baselines. rmf
// has one baseline per indicator, a total: it is taken from the first
// baseline without dimensions. A baseline for some dimensions is not a
// total and is not taken for one (the indicator then has no baseline,
// which check reports); it and any further baseline are named in one note
// with their values and dimensions. A text indicator's baseline is its
// value as written, else its comment.
func (b *iatiBuilder) baseline(ind *indicators.Indicator, xs []xBaseline) {
	if len(xs) == 0 {
		return
	}
	var kept *xBaseline
	var keptVal string
	var left []string
	for i := range xs {
		bl := &xs[i]
		dims := b.cleanDims(bl.Dims, "the baseline")
		val := strings.TrimSpace(bl.Value)
		var comment string
		if ind.Unit == indicators.Text {
			val, comment = textOf(bl.Value, bl.Comment)
		}
		shown := "no value"
		if val != "" {
			shown = strconv.Quote(val)
			if _, err := strconv.ParseFloat(val, 64); err == nil {
				shown = val
			}
		}
		when := ""
		if w := nonBlank(bl.ISODate, bl.Year); w != "" {
			when = " (" + w + ")"
		}
		switch {
		case len(dims) > 0:
			left = append(left, shown+" for "+dims.Key()+when)
			continue
		case kept != nil:
			left = append(left, shown+when+", a further baseline without dimensions")
			continue
		}
		shown += when
		kept, keptVal = bl, shown
		if t, err := time.Parse(time.DateOnly, strings.TrimSpace(bl.ISODate)); err == nil {
			ind.BaselineDate = &t
		}
		if ind.Unit == indicators.Text {
			ind.BaselineText = val
			if comment != "" {
				b.note("indicator %s: the baseline's comment %q is not kept (the baseline is its value, %q)", ind.Code, comment, val)
			}
		} else if v, ok := b.number(ind, "baseline", bl.Value); ok {
			ind.Baseline = v
		}
	}
	if len(left) == 0 {
		return
	}
	kept2 := "the indicator has no baseline (rmf has no disaggregated baselines, and the file gives none without dimensions)"
	if kept != nil {
		kept2 = "kept the baseline without dimensions, " + keptVal
	}
	b.note("indicator %s: %s not kept: %s; %s", ind.Code, counted(len(left), "baseline", "baselines"), strings.Join(left, "; "), kept2)
}

func strOf(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// disagg records the dimensions of a target or actual (what names it).
func (b *iatiBuilder) disagg(xs []xDim, used map[string]bool, what string) indicators.Disagg {
	d := b.cleanDims(xs, what)
	for n, v := range d {
		used[n] = true
		if !containsFold(b.dims[n], v) {
			b.dims[n] = append(b.dims[n], v)
		}
	}
	return d
}

// cleanDims reads the dimensions of a baseline, target or actual (what
// names it). A dimension without a name or a value (schema-invalid) is
// left out; the indicator's note names it and what the figure is read as:
// the total, or for its other dimensions.
func (b *iatiBuilder) cleanDims(xs []xDim, what string) indicators.Disagg {
	if len(xs) == 0 {
		return nil
	}
	d := indicators.Disagg{}
	var bare []string
	for _, x := range xs {
		n, v := strings.TrimSpace(x.Name), strings.TrimSpace(x.Value)
		switch {
		case n != "" && v != "":
			d[n] = v
		case n != "":
			bare = append(bare, fmt.Sprintf("%q", n))
		case v != "":
			bare = append(bare, fmt.Sprintf("one of value %q", v))
		default:
			bare = append(bare, "an empty one")
		}
	}
	if len(d) == 0 {
		d = nil
	}
	if len(bare) > 0 {
		as := "read as the total"
		if len(d) > 0 {
			as = "read for " + d.Key()
		}
		b.bare = append(b.bare, fmt.Sprintf("%s on %s (%s)", strings.Join(bare, " and "), what, as))
		b.bareCount += len(bare)
	}
	return d
}

func (b *iatiBuilder) period(code string, xp xPeriod) (indicators.Period, bool) {
	s, err1 := time.Parse(time.DateOnly, strings.TrimSpace(xp.Start.ISODate))
	e, err2 := time.Parse(time.DateOnly, strings.TrimSpace(xp.End.ISODate))
	if err1 != nil || err2 != nil || e.Before(s) {
		b.errf(xp.Line, fmt.Sprintf("indicator %s, <period>", code), indicators.ErrInvalid,
			"period %s..%s (<period-start iso-date=%q>, <period-end iso-date=%q>), expected two ISO dates, the end not before the start",
			xp.Start.ISODate, xp.End.ISODate, xp.Start.ISODate, xp.End.ISODate)
		return indicators.Period{}, false
	}
	return indicators.Normalize(indicators.Range(s, e)), true
}

var (
	iatiMoney      = regexp.MustCompile(`^\s*(?:[£$€¥₮]|[A-Z]{3}\s?)`)
	iatiThousands  = regexp.MustCompile(`^[+-]?\d{1,3}(?:[, \x{00a0}']\d{3})+(?:\.\d+)?$`)
	iatiNumberJunk = regexp.MustCompile(`^[^\d+\-.]+|[^\d.]+$`)
)

// number reads an IATI value: plain numbers, with a currency sign or code
// ("£13,594,502", "USD 1000": the indicator is then a currency one),
// thousands separators, a percent sign. Empty is no value. Anything else
// is noted and left out.
func (b *iatiBuilder) number(ind *indicators.Indicator, what, s string) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		return &v, true
	}
	t := s
	if loc := iatiMoney.FindStringIndex(t); loc != nil {
		t = strings.TrimSpace(t[loc[1]:])
		if ind.Unit == indicators.Number {
			ind.Unit = indicators.Currency
			b.note("indicator %s: values are amounts of money (%q): read as a currency indicator", ind.Code, s)
		}
	}
	t = strings.TrimSuffix(t, "%")
	if iatiThousands.MatchString(t) {
		t = strings.NewReplacer(",", "", " ", "", "\u00a0", "", "'", "").Replace(t)
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		return &v, true
	}
	if u := iatiNumberJunk.ReplaceAllString(t, ""); u != "" {
		if v, err := strconv.ParseFloat(u, 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
			b.note("indicator %s, %s: read %q as %s", ind.Code, what, s, strconv.FormatFloat(v, 'f', -1, 64))
			return &v, true
		}
	}
	b.note("indicator %s, %s: %q is not a number (%s); left out", ind.Code, what, s, ind.Unit)
	return nil, false
}

// fillDates gives the project dates from the periods when the activity
// has no activity dates, and the reporting frequency from the period lengths.
func (b *iatiBuilder) fillDates(lengths []int) {
	p := &b.fw.Project
	var lo, hi time.Time
	see := func(per indicators.Period) {
		if lo.IsZero() || per.Start.Before(lo) {
			lo = per.Start
		}
		if hi.IsZero() || per.End.After(hi) {
			hi = per.End
		}
	}
	for _, m := range b.fw.Milestones {
		see(m.Period)
	}
	for _, f := range b.im.Figures {
		see(f.Period)
	}
	if p.Start.IsZero() {
		p.Start = lo
		if !lo.IsZero() {
			b.note("the activity has no start date: the project starts with its first period, %s", lo.Format(time.DateOnly))
		}
	}
	if p.End.IsZero() {
		p.End = hi
		if !hi.IsZero() {
			b.note("the activity has no end date: the project ends with its last period, %s", hi.Format(time.DateOnly))
		}
	}
	if p.Start.IsZero() || p.End.IsZero() {
		switch {
		case len(b.act.Results) == 0:
			b.errf(b.act.Line, "<activity-date>", indicators.ErrRequired, "the activity has no start or end date and no results, expected <activity-date type=\"1\"> (planned start) and type 3 (planned end) or the actual ones (2 and 4)")
		default:
			b.errf(b.act.Line, "<activity-date>", indicators.ErrRequired, "the activity has no start or end date and its results have no periods with dates to take them from, expected <activity-date type=\"1\"> (planned start) and type 3 (planned end) or the actual ones (2 and 4)")
		}
	}
	// Reporting frequency: as rmf wrote it, else from the median length of
	// the periods with actuals.
	if _, err := indicators.KindFromReporting(b.act.Reporting); err == nil {
		p.Reporting = b.act.Reporting
		return
	}
	p.Reporting = "annual"
	if len(lengths) > 0 {
		sort.Ints(lengths)
		switch d := lengths[len(lengths)/2]; {
		case d <= 31:
			p.Reporting = "monthly"
		case d <= 92:
			p.Reporting = "quarterly"
		case d <= 184:
			p.Reporting = "semiannual"
		}
	}
}

// endTargets sets each indicator's end-of-project target: the total
// target of a period that covers the whole project (rmf writes its end
// targets so; that milestone is then dropped), else the total target of
// the last period.
func (b *iatiBuilder) endTargets() {
	fw := b.fw
	whole := fw.Project.Period()
	var keep []indicators.Milestone
	last := map[string]indicators.Milestone{}
	end := map[string]indicators.Milestone{}
	for _, m := range fw.Milestones {
		if len(m.Dims) == 0 && m.Period.Start.Equal(whole.Start) && m.Period.End.Equal(whole.End) {
			end[m.Indicator] = m
			continue
		}
		if len(m.Dims) == 0 {
			if l, ok := last[m.Indicator]; !ok || m.Period.End.After(l.Period.End) {
				last[m.Indicator] = m
			}
		}
		keep = append(keep, m)
	}
	fw.Milestones = keep
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		m, ok := end[ind.Code]
		if !ok {
			m, ok = last[ind.Code]
		}
		if !ok {
			continue
		}
		if ind.Unit == indicators.Text {
			ind.TargetText = m.TargetText
		} else {
			v := m.Target
			ind.Target = &v
		}
	}
}
