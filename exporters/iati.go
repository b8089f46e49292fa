package exporters

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/iati"
	"github.com/rmf-project/rmf/indicators"
)

// IATI 2.03 activity export (SPEC section 8).
//
// One iati-activity holds the project, its publisher as the Project keys
// give it (iati_identifier, reporting_org, reporting_org_id,
// reporting_org_type; the export refuses without them) and its activity
// dates, planned and actual apart. Every goal, outcome and output with
// indicators becomes a result (types 3, 2, 1); activities are not results
// in IATI and are left out. Titles are the statements and names as written;
// codes are references of vocabulary 99 (the reporting organisation's).
// Each indicator carries its measure, ascending, baseline, its milestones as
// period targets and every stored figure as an actual of a period with the
// figure's own dates and dimensions (nothing moved into reporting periods,
// no totals or breakdowns added), so that an import of the file gives back
// the same milestones and figures.

// IATIOptions tunes the IATI export.
type IATIOptions struct {
	// Generated is the generated-datetime of the file (zero: now).
	Generated time.Time
	// LastUpdated is the activity's last-updated-datetime (zero: Generated).
	LastUpdated time.Time
}

// iatiActivity is the activity's attributes and details, before its
// results.
type iatiActivity struct {
	LastUpdated  string     `xml:"last-updated-datetime,attr"`
	Lang         string     `xml:"xml:lang,attr"`
	Currency     string     `xml:"default-currency,attr,omitempty"`
	Code         string     `xml:"rmf:code,attr,omitempty"`
	Reporting    string     `xml:"rmf:reporting,attr,omitempty"`
	YearStart    int        `xml:"rmf:year-start,attr,omitempty"`
	Identifier   string     `xml:"iati-identifier"`
	ReportingOrg iatiOrg    `xml:"reporting-org"`
	Title        iatiText   `xml:"title"`
	Description  []iatiText `xml:"description"`
	Participants []iatiOrg  `xml:"participating-org"`
	Status       iatiCode   `xml:"activity-status"`
	Dates        []iatiDate `xml:"activity-date"`
	// The results follow, written one by one (WriteIATI).
}

type iatiNarrative struct {
	Text string `xml:",chardata"`
}

type iatiText struct {
	Type      string          `xml:"type,attr,omitempty"`
	Narrative []iatiNarrative `xml:"narrative"`
}

func narrative(s string) iatiText { return iatiText{Narrative: []iatiNarrative{{s}}} }

type iatiOrg struct {
	Ref       string          `xml:"ref,attr,omitempty"`
	Type      string          `xml:"type,attr,omitempty"`
	Role      string          `xml:"role,attr,omitempty"`
	Secondary string          `xml:"secondary-reporter,attr,omitempty"`
	Narrative []iatiNarrative `xml:"narrative"`
}

type iatiCode struct {
	Code string `xml:"code,attr"`
}

type iatiDate struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
}

type iatiResult struct {
	Type        string          `xml:"type,attr"`
	Aggregation string          `xml:"aggregation-status,attr"`
	Title       iatiText        `xml:"title"`
	Description *iatiText       `xml:"description"`
	Reference   []iatiReference `xml:"reference"`
	Indicators  []iatiIndicator `xml:"indicator"`
}

type iatiReference struct {
	Vocabulary string `xml:"vocabulary,attr"`
	Code       string `xml:"code,attr"`
	// rmf's own attributes (IATI allows attributes of other namespaces
	// here): what a logframe needs and IATI has no element for, so that an
	// import of the file gives back the same framework.
	Level       string `xml:"rmf:level,attr,omitempty"`
	Parent      string `xml:"rmf:parent,attr,omitempty"`
	Unit        string `xml:"rmf:unit,attr,omitempty"`
	Aggregation string `xml:"rmf:aggregation,attr,omitempty"`
	Frequency   string `xml:"rmf:frequency,attr,omitempty"`
}

type iatiIndicator struct {
	Measure     string          `xml:"measure,attr"`
	Ascending   string          `xml:"ascending,attr"`
	Aggregation string          `xml:"aggregation-status,attr"`
	Title       iatiText        `xml:"title"`
	Description *iatiText       `xml:"description"`
	Reference   []iatiReference `xml:"reference"`
	Baseline    *iatiBaseline   `xml:"baseline"`
	Periods     []iatiPeriod    `xml:"period"`
}

type iatiBaseline struct {
	ISODate string    `xml:"iso-date,attr,omitempty"`
	Year    int       `xml:"year,attr"`
	Value   string    `xml:"value,attr,omitempty"`
	Comment *iatiText `xml:"comment"`
}

type iatiPeriod struct {
	Start   iatiISO     `xml:"period-start"`
	End     iatiISO     `xml:"period-end"`
	Targets []iatiValue `xml:"target"`
	Actuals []iatiValue `xml:"actual"`
}

type iatiISO struct {
	ISODate string `xml:"iso-date,attr"`
}

type iatiValue struct {
	Value     string          `xml:"value,attr,omitempty"`
	Dimension []iatiDimension `xml:"dimension"`
	Comment   *iatiText       `xml:"comment"`
	// Ratio is the numerator and denominator of a ratio figure, an element
	// of rmf's namespace (IATI allows them at the end of an actual).
	Ratio *iatiRatio `xml:"rmf:ratio"`
}

type iatiRatio struct {
	Numerator   string `xml:"numerator,attr"`
	Denominator string `xml:"denominator,attr"`
}

type iatiDimension struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// IATIMissingError is the error of an export refused because the project
// lacks a Project key the IATI activity needs (SPEC 8): rmf never writes
// an invalid file or invents a publisher.
type IATIMissingError struct {
	Project string
	Missing []indicators.IATIKey
}

func (e *IATIMissingError) Error() string {
	lines := make([]string, len(e.Missing))
	for i, k := range e.Missing {
		lines[i] = fmt.Sprintf("IATI export: project %s has no %s, which the IATI activity needs; fill %s in the Project sheet (project: in YAML) with %s, import the framework again (rmf framework import) and export again",
			e.Project, k.Key, k.Key, k.What)
	}
	return strings.Join(lines, "\n")
}

func (e *IATIMissingError) Unwrap() error { return indicators.ErrRequired }

// WriteIATI writes fw as one IATI 2.03 activity with every figure of
// figures (SPEC 8: the current figures to export, in any order; those of
// indicators that are not results' indicators in IATI, such as supporting
// measures and activities' indicators, are not written). Each figure is an
// actual of a period with the figure's own dates and its dimensions as
// stored; milestones and actuals of the same dates share a period. Figures
// are read in one pass and grouped by indicator.
//
// Indicators computed by rmf have no figures of their own: a
// numerator/denominator indicator gets, for every period and
// disaggregation where both its measures have a figure, their ratio (with
// the numerator and denominator as rmf:ratio); a formula indicator gets the
// period values of report (the report of the last period exported, whose
// series has one point per reporting period), when report is not nil.
//
// The project must fill the IATI keys (Project.MissingIATI); otherwise
// nothing is written and the error (an *IATIMissingError) names the keys.
func WriteIATI(w io.Writer, fw *indicators.Framework, figures []indicators.Measurement, report *indicators.Report, opt IATIOptions) error {
	return WriteIATIFrom(w, fw, IATIFiguresOf(fw, figures), report, opt)
}

// iatiResultsByHand writes the results with xmlOut (false: with
// encoding/xml, which the tests compare it with).
var iatiResultsByHand = true

// WriteIATIFrom is WriteIATI with the figures read from figures as the
// file is written (in one pass; each result written once its indicators'
// figures have gone by), never all held.
func WriteIATIFrom(w io.Writer, fw *indicators.Framework, figures IATIFigures, report *indicators.Report, opt IATIOptions) error {
	p := fw.Project
	if p.Code == "" {
		return fmt.Errorf("IATI export: %w: the project has no code", indicators.ErrRequired)
	}
	if miss := p.MissingIATI(); len(miss) > 0 {
		return &IATIMissingError{Project: p.Code, Missing: miss}
	}
	gen := opt.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	gen = gen.UTC().Truncate(time.Second)
	upd := opt.LastUpdated
	if upd.IsZero() {
		upd = gen
	}
	act := iatiActivityOf(p, gen, upd)
	// Written as it goes: the activity's opening and its details, then
	// each result with its indicators, made and encoded one at a time (the
	// bytes are those of encoding the whole tree at once).
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	root, activity := iatiStartElements(act, gen)
	var hand xmlOut
	elem := func(v any, name string) error {
		if res, ok := v.(iatiResult); ok && name == "result" && iatiResultsByHand {
			// after what the encoder wrote, at the depth of the activity's
			// children (iati_xml.go)
			if err := enc.Flush(); err != nil {
				return err
			}
			hand.b, hand.depth, hand.indentedIn = hand.b[:0], 2, false
			hand.result(&res)
			_, err := w.Write(hand.b)
			return err
		}
		return enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
	}
	err := enc.EncodeToken(root)
	if err == nil {
		err = enc.EncodeToken(activity)
	}
	for _, e := range []struct {
		v    any
		name string
	}{{act.Identifier, "iati-identifier"}, {act.ReportingOrg, "reporting-org"}, {act.Title, "title"}, {act.Description, "description"},
		{act.Participants, "participating-org"}, {act.Status, "activity-status"}, {act.Dates, "activity-date"}} {
		if err == nil {
			err = elem(e.v, e.name)
		}
	}
	if err != nil {
		return fmt.Errorf("IATI export: %w", err)
	}
	if err := iatiWriteResults(fw, figures, report, elem); err != nil {
		return err
	}
	if err := enc.EncodeToken(activity.End()); err != nil {
		return fmt.Errorf("IATI export: %w", err)
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return fmt.Errorf("IATI export: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// iatiActivityOf is the activity's attributes and details (generated at
// gen, last updated at upd), before its results.
func iatiActivityOf(p indicators.Project, gen, upd time.Time) iatiActivity {
	orgName := strings.TrimSpace(p.ReportingOrg)
	act := iatiActivity{
		LastUpdated: upd.UTC().Truncate(time.Second).Format(time.RFC3339),
		Lang:        "en",
		Currency:    strings.ToUpper(strings.TrimSpace(p.Currency)),
		Code:        p.Code,
		Reporting:   p.Reporting,
		YearStart:   p.YearStart,
		Identifier:  strings.TrimSpace(p.IATIIdentifier),
		ReportingOrg: iatiOrg{Ref: strings.TrimSpace(p.ReportingOrgID), Type: strings.TrimSpace(p.ReportingOrgType),
			Narrative: []iatiNarrative{{orgName}}},
		Title:       narrative(nonEmpty(p.Title, p.Code)),
		Description: []iatiText{{Type: "1", Narrative: []iatiNarrative{{nonEmpty(p.Description, p.Title, p.Code)}}}},
		Status:      iatiCode{Code: iatiActivityStatus(p, gen)},
	}
	if s := p.SecondaryReporter; s != nil {
		act.ReportingOrg.Secondary = "0"
		if *s {
			act.ReportingOrg.Secondary = "1"
		}
	}
	for _, d := range p.IATIDates() {
		act.Dates = append(act.Dates, iatiDate{Type: d.Type, ISODate: isoDay(d.Date)})
	}
	if d := strings.TrimSpace(p.Donor); d != "" {
		act.Participants = append(act.Participants, iatiOrg{Role: iati.OrgRoleFunding, Narrative: []iatiNarrative{{d}}})
	}
	act.Participants = append(act.Participants, iatiOrg{Ref: act.ReportingOrg.Ref, Role: iati.OrgRoleImplementing, Narrative: []iatiNarrative{{orgName}}})
	return act
}

// iatiStartElements are the opening tags of <iati-activities> (generated
// at gen) and of act's <iati-activity>, with their attributes.
func iatiStartElements(act iatiActivity, gen time.Time) (root, activity xml.StartElement) {
	attr := func(name, value string) xml.Attr { return xml.Attr{Name: xml.Name{Local: name}, Value: value} }
	root = xml.StartElement{Name: xml.Name{Local: "iati-activities"},
		Attr: []xml.Attr{attr("xmlns:rmf", iati.Namespace), attr("version", "2.03"), attr("generated-datetime", gen.Format(time.RFC3339))}}
	activity = xml.StartElement{Name: xml.Name{Local: "iati-activity"},
		Attr: []xml.Attr{attr("last-updated-datetime", act.LastUpdated), attr("xml:lang", act.Lang)}}
	for _, a := range []xml.Attr{attr("default-currency", act.Currency), attr("rmf:code", act.Code), attr("rmf:reporting", act.Reporting)} {
		if a.Value != "" {
			activity.Attr = append(activity.Attr, a)
		}
	}
	if act.YearStart != 0 {
		activity.Attr = append(activity.Attr, attr("rmf:year-start", strconv.Itoa(act.YearStart)))
	}
	return root, activity
}

// IATIFigures gives the figures of an IATI export: fn is called with
// each indicator's figures in turn (every figure of an indicator in one
// call), the indicators in the order of IATIFigureOrder (codes outside it
// are not written); figs may be reused once fn returns. fn's error is to
// be returned as it is. The store's EachMeasurementsOf gives them so.
type IATIFigures func(fn func(code string, figs []indicators.Measurement) error) error

// IATIFigureOrder lists the indicators whose figures an IATI export of fw
// writes, in the order it needs them: result by result as they are
// written, each result's ratio indicators' numerators and denominators
// and its other indicators with figures of their own (formula indicators
// take their values from the report). Read in this order, each result is
// written as soon as its figures have been read.
func IATIFigureOrder(fw *indicators.Framework) []string {
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for i := range fw.Results {
		r := &fw.Results[i]
		if iati.ResultType(r.Level) == "" {
			continue
		}
		for _, ind := range fw.IndicatorsOf(r.Code) {
			switch {
			case ind.Computed():
			case ind.IsRatio():
				add(ind.Numerator)
				add(ind.Denominator)
			default:
				add(ind.Code)
			}
		}
	}
	return out
}

// IATIFiguresOf gives figures held in memory (in any order) as
// IATIFigures: grouped by indicator in the order of IATIFigureOrder, each
// indicator's in the order given.
func IATIFiguresOf(fw *indicators.Framework, figures []indicators.Measurement) IATIFigures {
	return func(fn func(string, []indicators.Measurement) error) error {
		byInd := map[string][]int{}
		for i := range figures {
			byInd[figures[i].Indicator] = append(byInd[figures[i].Indicator], i)
		}
		var buf []indicators.Measurement
		for _, c := range IATIFigureOrder(fw) {
			if len(byInd[c]) == 0 {
				continue
			}
			buf = buf[:0]
			for _, i := range byInd[c] {
				buf = append(buf, figures[i])
			}
			if err := fn(c, buf); err != nil {
				return err
			}
		}
		return nil
	}
}

// iatiWriteResults writes, through elem, one <result> per goal, outcome
// and output that has indicators, each indicator with its actuals: the
// stored figures, the ratio of its numerator's and denominator's, or its
// formula's values from the report's series. The figures are read in one
// pass in the order of IATIFigureOrder: each result is written as soon as
// the figures of its indicators (and of its ratio indicators' measures)
// have gone by, so that one result's actuals are held at a time (and the
// figures of ratios' measures until the last ratio using them is
// written).
func iatiWriteResults(fw *indicators.Framework, figures IATIFigures, report *indicators.Report, elem func(v any, name string) error) error {
	w := newIATIResults(fw, report, elem)
	if figures != nil {
		if err := figures(w.add); err != nil {
			return err
		}
	}
	return w.flush(true)
}

// iatiResults writes the results as their figures go by.
type iatiResults struct {
	fw      *indicators.Framework
	series  map[string][]indicators.SeriesPoint // the formula indicators'
	elem    func(v any, name string) error
	results []*indicators.Result // those written, in order
	next    int                  // the next result to write
	pos     map[string]int       // of each indicator in IATIFigureOrder
	last    int                  // the position of the latest indicator given (-1: none)
	lastOne string
	// stored holds the actuals of the indicators given whose result is
	// not yet written; kept the figures of ratio indicators' numerators
	// and denominators until the last ratio using them (uses) is written.
	stored map[string][]iatiPeriodValue
	kept   map[string][]indicators.Measurement
	uses   map[string]int
	writes map[string]bool // the indicators written with their own figures
	inds   map[string]*indicators.Indicator
	ptrs   []*indicators.Measurement
}

func newIATIResults(fw *indicators.Framework, report *indicators.Report, elem func(v any, name string) error) *iatiResults {
	w := &iatiResults{fw: fw, elem: elem, series: map[string][]indicators.SeriesPoint{}, pos: make(map[string]int, len(fw.Indicators)), last: -1,
		stored: map[string][]iatiPeriodValue{}, kept: map[string][]indicators.Measurement{}, uses: map[string]int{}, writes: map[string]bool{}}
	if report != nil {
		for _, r := range report.Results {
			for _, ind := range r.Indicators {
				w.series[ind.Code] = ind.Series
			}
		}
	}
	for i, c := range IATIFigureOrder(fw) {
		w.pos[c] = i
	}
	w.inds = make(map[string]*indicators.Indicator, len(fw.Indicators))
	for i := range fw.Indicators {
		w.inds[fw.Indicators[i].Code] = &fw.Indicators[i]
	}
	for i := range fw.Results {
		r := &fw.Results[i]
		inds := fw.IndicatorsOf(r.Code)
		if iati.ResultType(r.Level) == "" || len(inds) == 0 {
			continue // the schema requires at least one indicator per result
		}
		w.results = append(w.results, r)
		for _, ind := range inds {
			switch {
			case ind.Computed():
			case ind.IsRatio():
				w.uses[ind.Numerator]++
				w.uses[ind.Denominator]++
			default:
				w.writes[ind.Code] = true
			}
		}
	}
	return w
}

// add takes the figures of indicator code and writes the results that
// are then complete.
func (w *iatiResults) add(code string, figs []indicators.Measurement) error {
	p, known := w.pos[code]
	if known {
		if p <= w.last {
			return fmt.Errorf("IATI export: the figures of %s came after those of %s: they must come one indicator at a time in the order of the results (IATIFigureOrder)", code, w.lastOne)
		}
		w.last, w.lastOne = p, code
		if ind := w.inds[code]; ind != nil && w.writes[code] {
			w.stored[code] = iatiStoredActuals(ind, w.pointers(figs))
		}
	}
	if known && w.uses[code] > 0 {
		w.kept[code] = append(w.kept[code], figs...)
	}
	return w.flush(false)
}

// pointers points at each of figs (in a slice reused from call to call).
func (w *iatiResults) pointers(figs []indicators.Measurement) []*indicators.Measurement {
	w.ptrs = w.ptrs[:0]
	for i := range figs {
		w.ptrs = append(w.ptrs, &figs[i])
	}
	return w.ptrs
}

// passed tells whether the figures of code have all gone by: those of
// the indicators up to the latest given.
func (w *iatiResults) passed(code string) bool {
	p, ok := w.pos[code]
	return ok && p <= w.last
}

// ready tells whether the figures result r's indicators need have gone by.
func (w *iatiResults) ready(r *indicators.Result) bool {
	for _, ind := range w.fw.IndicatorsOf(r.Code) {
		switch {
		case ind.Computed():
		case ind.IsRatio():
			if !w.passed(ind.Numerator) || !w.passed(ind.Denominator) {
				return false
			}
		default:
			if !w.passed(ind.Code) {
				return false
			}
		}
	}
	return true
}

// flush writes the results in order as long as they are ready (all of
// them at the end).
func (w *iatiResults) flush(end bool) error {
	for ; w.next < len(w.results); w.next++ {
		r := w.results[w.next]
		if !end && !w.ready(r) {
			return nil
		}
		if err := w.write(r); err != nil {
			return err
		}
	}
	return nil
}

// write writes result r with its indicators and lets their figures go.
func (w *iatiResults) write(r *indicators.Result) error {
	res := iatiResult{
		Type:        iati.ResultType(r.Level),
		Aggregation: "0",
		Title:       narrative(nonEmpty(r.Statement, r.Code)),
		Reference:   []iatiReference{{Vocabulary: iati.VocabularyReporter, Code: r.Code, Level: string(r.Level), Parent: r.Parent}},
	}
	if a := strings.TrimSpace(r.Assumptions); a != "" {
		d := narrative("Assumptions: " + a)
		res.Description = &d
	}
	for _, ind := range w.fw.IndicatorsOf(r.Code) {
		var acts []iatiPeriodValue
		switch {
		case ind.Computed():
			acts = iatiFormulaActuals(ind, w.series[ind.Code])
		case ind.IsRatio():
			nums := slices.Clone(w.pointers(w.kept[ind.Numerator]))
			acts = iatiRatioActuals(ind, nums, w.pointers(w.kept[ind.Denominator]))
			for _, c := range []string{ind.Numerator, ind.Denominator} {
				if w.uses[c]--; w.uses[c] <= 0 {
					delete(w.kept, c)
				}
			}
		default:
			acts = w.stored[ind.Code]
			delete(w.stored, ind.Code)
		}
		res.Indicators = append(res.Indicators, iatiIndicatorOf(w.fw, ind, acts))
	}
	if err := w.elem(res, "result"); err != nil {
		return fmt.Errorf("IATI export: result %s: %w", r.Code, err)
	}
	return nil
}

// iatiProjectRows are the Project keys of IATI publisher details that
// rmf keeps from an IATI file (importers/iati_project.go), for the
// framework workbook and YAML: written only when set.
func iatiProjectRows(p indicators.Project) [][2]any {
	var out [][2]any
	for _, d := range []struct {
		key string
		t   time.Time
	}{{"planned_start", p.PlannedStart}, {"actual_start", p.ActualStart}, {"planned_end", p.PlannedEnd}, {"actual_end", p.ActualEnd}} {
		if !d.t.IsZero() {
			out = append(out, [2]any{d.key, isoDate(d.t)})
		}
	}
	if s := p.SecondaryReporter; s != nil {
		out = append(out, [2]any{"secondary_reporter", map[bool]string{true: "yes", false: "no"}[*s]})
	}
	return out
}

func nonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func isoDay(t time.Time) string { return t.Format(time.DateOnly) }

// iatiActivityStatus: pipeline before the start, implementation until the
// end, finalisation after it (as of the export).
func iatiActivityStatus(p indicators.Project, now time.Time) string {
	switch {
	case !p.Start.IsZero() && now.Before(p.Start):
		return iati.StatusPipeline
	case !p.End.IsZero() && now.After(p.End.AddDate(0, 0, 1)):
		return iati.StatusFinalisation
	}
	return iati.StatusImplementation
}

// iatiPeriodValue is one actual with the dates of its period.
type iatiPeriodValue struct {
	start, end string
	v          iatiValue
}

// iatiStoredActuals are an indicator's stored figures as actuals: each
// with its own period and dimensions; a figure given only as numerator and
// denominator gets their ratio as its value.
func iatiStoredActuals(ind *indicators.Indicator, figs []*indicators.Measurement) []iatiPeriodValue {
	scale := 1.0
	if ind.Unit == indicators.Percent {
		scale = 100
	}
	out := make([]iatiPeriodValue, 0, len(figs))
	for _, m := range figs {
		var v iatiValue
		switch {
		case ind.Unit == indicators.Text:
			if strings.TrimSpace(m.Text) == "" {
				continue
			}
			c := narrative(m.Text)
			v.Comment = &c
		case m.Value != nil:
			v.Value = iatiValueText(ind.Unit, m.Value)
		case m.Numerator != nil && m.Denominator != nil && *m.Denominator != 0:
			x := scale * *m.Numerator / *m.Denominator
			v.Value = iatiValueText(ind.Unit, &x)
		default:
			continue // nothing to give as a value (a 0 denominator alone)
		}
		if ind.Unit != indicators.Text && strings.TrimSpace(m.Comment) != "" {
			c := narrative(m.Comment)
			v.Comment = &c
		}
		if m.Numerator != nil && m.Denominator != nil {
			v.Ratio = &iatiRatio{Numerator: strconv.FormatFloat(*m.Numerator, 'f', -1, 64), Denominator: strconv.FormatFloat(*m.Denominator, 'f', -1, 64)}
		}
		v.Dimension = iatiDims(m.Dims)
		out = append(out, iatiPeriodValue{isoDay(m.Period.Start), isoDay(m.Period.End), v})
	}
	return out
}

// iatiRatioActuals are the values of a numerator/denominator indicator:
// for every period and disaggregation where both measures have a figure
// (and the denominator is not 0), scale × numerator / denominator, in the
// numerator's order.
func iatiRatioActuals(ind *indicators.Indicator, nums, dens []*indicators.Measurement) []iatiPeriodValue {
	scale := 1.0
	if ind.Unit == indicators.Percent {
		scale = 100
	}
	key := func(m *indicators.Measurement) string {
		return isoDay(m.Period.Start) + ".." + isoDay(m.Period.End) + "|" + m.Dims.Key()
	}
	den := make(map[string]*indicators.Measurement, len(dens))
	for _, m := range dens {
		den[key(m)] = m
	}
	var out []iatiPeriodValue
	for _, n := range nums {
		d, ok := den[key(n)]
		if !ok || n.Value == nil || d.Value == nil || *d.Value == 0 {
			continue
		}
		x := scale * *n.Value / *d.Value
		v := iatiValue{Value: iatiValueText(ind.Unit, &x), Dimension: iatiDims(n.Dims),
			Ratio: &iatiRatio{Numerator: strconv.FormatFloat(*n.Value, 'f', -1, 64), Denominator: strconv.FormatFloat(*d.Value, 'f', -1, 64)}}
		out = append(out, iatiPeriodValue{isoDay(n.Period.Start), isoDay(n.Period.End), v})
	}
	return out
}

// iatiFormulaActuals are the values of a formula indicator: its period
// value in each reporting period of the report's series.
func iatiFormulaActuals(ind *indicators.Indicator, series []indicators.SeriesPoint) []iatiPeriodValue {
	var out []iatiPeriodValue
	for _, pt := range series {
		if pt.PeriodValue == nil || ind.Unit == indicators.Text {
			continue
		}
		out = append(out, iatiPeriodValue{pt.Start, pt.End, iatiValue{Value: iatiValueText(ind.Unit, pt.PeriodValue)}})
	}
	return out
}

func iatiIndicatorOf(fw *indicators.Framework, ind *indicators.Indicator, actuals []iatiPeriodValue) iatiIndicator {
	out := iatiIndicator{
		Measure:     iati.Measure(ind.Unit),
		Ascending:   "1",
		Aggregation: "0",
		Title:       narrative(nonEmpty(ind.Name, ind.Code)),
		Reference: []iatiReference{{Vocabulary: iati.VocabularyReporter, Code: ind.Code,
			Unit: string(ind.Unit), Aggregation: string(ind.Aggregation), Frequency: ind.Frequency}},
	}
	if ind.Direction == indicators.Decrease {
		out.Ascending = "0"
	}
	if d := strings.TrimSpace(ind.Definition); d != "" {
		t := narrative(d)
		out.Description = &t
	}
	// Baseline: the year is required; without a baseline date, the year
	// the project starts.
	if ind.Baseline != nil || ind.BaselineText != "" {
		b := &iatiBaseline{Year: fw.Project.Start.Year()}
		if ind.BaselineDate != nil {
			b.Year = ind.BaselineDate.Year()
			b.ISODate = isoDay(*ind.BaselineDate)
		}
		if b.Year <= 0 {
			b.Year = time.Now().Year()
		}
		b.Value = iatiValueText(ind.Unit, ind.Baseline)
		if ind.Unit == indicators.Text && ind.BaselineText != "" {
			c := narrative(ind.BaselineText)
			b.Comment = &c
		}
		out.Baseline = b
	}

	// Periods: milestone periods with targets and figures' periods with
	// actuals, merged when they are the same dates, in date order.
	type key struct{ s, e string }
	byKey := map[key]*iatiPeriod{}
	var order []key
	get := func(start, end string) *iatiPeriod {
		k := key{start, end}
		if p, ok := byKey[k]; ok {
			return p
		}
		p := &iatiPeriod{Start: iatiISO{start}, End: iatiISO{end}}
		byKey[k] = p
		order = append(order, k)
		return p
	}
	ms := fw.MilestonesOf(ind.Code)
	// The end-of-project target, as a period covering the whole project
	// (how IATI publishers give a final target; an import reads it back),
	// unless it is the target of the last milestone, which an import takes
	// as the end target anyway (as publishers who give no separate final
	// target write it): no period is added that the source did not have.
	if !endTargetIsLastMilestone(ind, ms) {
		if ind.Unit == indicators.Text && ind.TargetText != "" {
			c := narrative(ind.TargetText)
			p := get(isoDay(fw.Project.Start), isoDay(fw.Project.End))
			p.Targets = append(p.Targets, iatiValue{Comment: &c})
		} else if ind.Unit != indicators.Text && ind.Target != nil {
			p := get(isoDay(fw.Project.Start), isoDay(fw.Project.End))
			p.Targets = append(p.Targets, iatiValue{Value: iatiValueText(ind.Unit, ind.Target)})
		}
	}
	for _, m := range ms {
		v := iatiValue{Value: iatiValueText(ind.Unit, &m.Target)}
		if ind.Unit == indicators.Text {
			v.Value = ""
			if m.TargetText != "" {
				c := narrative(m.TargetText)
				v.Comment = &c
			}
		}
		v.Dimension = iatiDims(m.Dims)
		if v.Value == "" && v.Comment == nil {
			continue
		}
		p := get(isoDay(m.Period.Start), isoDay(m.Period.End))
		p.Targets = append(p.Targets, v)
	}
	for _, a := range actuals {
		p := get(a.start, a.end)
		p.Actuals = append(p.Actuals, a.v)
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].s != order[j].s {
			return order[i].s < order[j].s
		}
		return order[i].e < order[j].e
	})
	out.Periods = make([]iatiPeriod, 0, len(order))
	for _, k := range order {
		out.Periods = append(out.Periods, *byKey[k])
	}
	return out
}

// endTargetIsLastMilestone is true when the indicator's end target is the
// target of its last milestone without disaggregation (the latest end; the
// only one ends that day), as an IATI import reads an end target
// from periods when no period covers the whole activity.
func endTargetIsLastMilestone(ind *indicators.Indicator, ms []indicators.Milestone) bool {
	var last *indicators.Milestone
	ties := 0
	for i := range ms {
		m := &ms[i]
		switch {
		case len(m.Dims) > 0:
		case last == nil || m.Period.End.After(last.Period.End):
			last, ties = m, 1
		case m.Period.End.Equal(last.Period.End):
			ties++
		}
	}
	if last == nil || ties > 1 {
		return false // two milestones end last: which one an import takes depends on their order
	}
	if ind.Unit == indicators.Text {
		return ind.TargetText != "" && ind.TargetText == last.TargetText
	}
	return ind.Target != nil && *ind.Target == last.Target
}

// iatiDims lists a disaggregation as IATI dimensions, by dimension name.
func iatiDims(d indicators.Disagg) []iatiDimension {
	if len(d) == 0 {
		return nil
	}
	names := d.Dims()
	out := make([]iatiDimension, 0, len(names))
	for _, n := range names {
		out = append(out, iatiDimension{Name: n, Value: d[n]})
	}
	return out
}

// iatiValueText prints a figure for a value attribute: plain decimal
// digits, no thousands separators, no exponent ("" for no data; yes/no as
// 1 and 0).
func iatiValueText(u indicators.Unit, v *float64) string {
	if v == nil || u == indicators.Text {
		return ""
	}
	x := *v
	if u == indicators.YesNo {
		if x != 0 {
			return "1"
		}
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
