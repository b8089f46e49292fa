package indicators

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rmf-project/rmf/internal/par"
)

// The numbers of a report (SPEC sections 4, 5 and 7).
//
// Time is cut into slots: the project's reporting periods from the one that
// contains the project start to the one that contains the end of the
// reporting period P, each split where P starts, where the previous period
// ends and where P ends, so that every slot lies either inside P or before
// it. Computed indicators (formulas, and numerator/denominator indicators)
// are evaluated per slot and per disaggregation; imported figures are
// aggregated directly from the figures. A figure belongs to the slot in
// which its period ends (an annual figure to the last quarter of its year),
// so a formula's value() sees figures coarser than the slots.
//
// Decisions where the SPEC is silent:
//   - A result's status comes from its own indicators (the worst
//     performance status: achieved, on track, at risk, off track), else
//     from its children's statuses; when neither has one, the first of no
//     data, reported, no target and not due found among them. Its delivery
//     is the same over the indicators of its child results, recursively
//     ("" when nothing is below it). SPEC 5.
//   - Projection: least squares over the cumulative actuals of the last
//     ProjectionPoints slots that have a cumulative actual (at least 2; a
//     slot without figures of its own carries the cumulative over, so a
//     finished one-off such as 3.4.1 projects flat), extrapolated to
//     the project end day; at or after the project end it is the actual.
//     likely is true when the projection's progress reaches 1.
//   - A numerator/denominator indicator whose aggregation is not given (or
//     is sum or mean) is cumulated as a ratio of sums over time; an explicit
//     last, max or min takes that period's own numerator and denominator.
//   - Status boundaries are compared with a tolerance of 1e-9 so that
//     progress = 0.85 x expected is on track whatever the rounding.
//   - A missing baseline counts as 0 (with a warning unless the indicator
//     is a sum indicator); a missing target leaves progress without basis:
//     status "no target" (SPEC 5).
//   - milestone and expected come from the expected path (indicators/
//     path.go); a status rule is applied only when the indicator has data
//     (not due and no data stand whatever the rule).
//   - Disaggregated lists the values of the indicator's dimensions that have
//     figures or a milestone up to P.
//   - When target = baseline, progress is 1 once the actual is at or past
//     the target in the indicator's direction (at or above for increase and
//     maintain), else 0.

// ReportInput is what BuildReport needs.
type ReportInput struct {
	Framework *Framework
	Compiled  *Compiled     // nil: compiled here
	Figures   []Measurement // current figures, any period; those ending after P are ignored
	Period    Period        // P: a calendar period or a custom range
	FollowUp  *FollowUp     // optional; copied to Report.FollowUp
	// Expenditures, when the framework has a budget and any were
	// imported, give the report its Efficiency section (AddEfficiency).
	Expenditures []Expenditure
}

// ProjectionPoints is how many of the latest slots with data the
// projection's trend is fitted to.
const ProjectionPoints = 4

// statusTol is the tolerance of status boundaries.
const statusTol = 1e-9

// BuildReport computes the report of the framework at period P.
func BuildReport(in ReportInput) (*Report, error) {
	rb, err := NewReportBuilder(in)
	if err != nil {
		return nil, err
	}
	return rb.Report()
}

// ReportBuilder builds the report of a period from figures given a few
// indicators at a time (Add), so that a large project's figures need not
// all be held at once: a report keeps, of each figure, only where it came
// from and whether it was verified (a few tens of bytes), not the figure.
// It is not safe for concurrent use; Add builds the series of the
// indicators of one call in parallel.
type ReportBuilder struct {
	in    ReportInput
	b     *rbuilder
	pos   map[string]int32 // indicator code -> index of its first entry in the framework
	raw   []*rtrack        // by index of the framework: the track of an imported indicator, else nil
	given []bool           // by index of the framework: figures of the indicator were given
	sc    *aggScratch
	ptrs  []*Measurement
	done  bool
}

// NewReportBuilder starts the report that in describes. in.Figures, when
// given, are added as by a first call of Add.
func NewReportBuilder(in ReportInput) (*ReportBuilder, error) {
	figs := in.Figures
	in.Figures = nil
	b, err := newRBuilder(in)
	if err != nil {
		return nil, err
	}
	fw := in.Framework
	rb := &ReportBuilder{in: in, b: b, pos: make(map[string]int32, len(fw.Indicators)),
		raw: make([]*rtrack, len(fw.Indicators)), given: make([]bool, len(fw.Indicators)), sc: newAggScratch(fw)}
	for i := range fw.Indicators {
		code := fw.Indicators[i].Code
		if _, dup := rb.pos[code]; dup {
			continue
		}
		rb.pos[code] = int32(i)
		if t := b.tracks[code]; t != nil && t.s != nil {
			rb.raw[i] = t
		}
	}
	if len(figs) > 0 {
		if err := rb.Add(figs); err != nil {
			return nil, err
		}
	}
	return rb, nil
}

// Add gives the builder figures: every figure of an indicator in one call
// (a call may hold several indicators; giving figures of an indicator a
// second time is an error naming it, and adds nothing). Figures of codes
// the framework does not have, of computed indicators and those ending
// after P are ignored, as BuildReport ignores them. figs is not kept:
// the caller may reuse it once Add returns.
func (rb *ReportBuilder) Add(figs []Measurement) error {
	if rb.done {
		return fmt.Errorf("%w: figures given to a report builder after its report was built", ErrInvalid)
	}
	if len(figs) == 0 {
		return nil
	}
	// one indicator: the common case of a store read indicator by indicator
	one := true
	for i := range figs {
		if figs[i].Indicator != figs[0].Indicator {
			one = false
			break
		}
	}
	if one {
		k, ok := rb.pos[figs[0].Indicator]
		if !ok {
			return nil
		}
		if rb.given[k] {
			return rb.twice(figs[0].Indicator)
		}
		rb.given[k] = true
		t := rb.raw[k]
		if t == nil {
			return nil
		}
		ptrs := rb.ptrs[:0]
		for i := range figs {
			if !figs[i].Period.End.After(rb.b.p.End) {
				ptrs = append(ptrs, &figs[i])
			}
		}
		t.s = newSeries(t.ind, rb.sc, ptrs)
		clear(ptrs) // the caller's figures are not kept
		rb.ptrs = ptrs[:0]
		return nil
	}
	fw := rb.in.Framework
	seen := make([]bool, len(fw.Indicators))
	for i := range figs {
		k, ok := rb.pos[figs[i].Indicator]
		if !ok {
			continue
		}
		if rb.given[k] {
			return rb.twice(figs[i].Indicator)
		}
		seen[k] = true
	}
	for k, s := range seen {
		rb.given[k] = rb.given[k] || s
	}
	byInd := figuresByIndicator(fw, figs, rb.b.p)
	var raw []*rtrack
	var rawFigs [][]*Measurement
	for k, t := range rb.raw {
		if t != nil && seen[k] {
			raw = append(raw, t)
			rawFigs = append(rawFigs, byInd[k])
		}
	}
	// the series of the indicators, built in parallel (each worker with
	// its own scratch; each series is written by one worker only)
	scratch := make([]*aggScratch, par.MaxWorkers)
	scratch[0] = rb.sc
	par.EachWorker(len(raw), func(w, i int) {
		if scratch[w] == nil {
			scratch[w] = newAggScratch(fw)
		}
		raw[i].s = newSeries(raw[i].ind, scratch[w], rawFigs[i])
	})
	return nil
}

func (rb *ReportBuilder) twice(code string) error {
	return fmt.Errorf("%w: figures of indicator %s given twice to the report builder: every figure of an indicator must come in one call of Add", ErrInvalid, code)
}

// Report computes the report from the figures given: the computed
// indicators, the findings, the missing reports and the efficiency
// section. It may be called once; the builder takes no figures after it.
func (rb *ReportBuilder) Report() (*Report, error) {
	if rb.done {
		return nil, fmt.Errorf("%w: a report builder's report was asked for twice", ErrInvalid)
	}
	rb.done = true
	b, in := rb.b, rb.in
	b.evalAll()
	r := b.report()
	if len(in.Expenditures) > 0 && len(in.Framework.Budget) > 0 {
		if err := AddEfficiency(r, in.Framework, in.Expenditures); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// rtrack is one indicator's values over the slots.
type rtrack struct {
	b        *rbuilder
	ind      *Indicator
	u        unitRules
	agg      Aggregation
	explicit bool
	s        *series  // imported figures; nil for computed indicators
	f        *Formula // the formula of a computed indicator
	ratio    bool     // computed as numerator / denominator measures
	num, den *rtrack
	refs     []*rtrack // the tracks of f.Refs
	vals     map[string]*rmemo
	cums     map[string]*rmemo
	buf      []amount

	lastVal, lastCum       *rmemo
	lastValKey, lastCumKey string

	// pre is what report worked out ahead, in parallel (prework): what t
	// owes and the sources of its figures (nil: not worked out)
	pre *trackPre
}

// trackPre is what report works out ahead for a track: what it owes
// (due) and the sources and verification of its figures (sources).
type trackPre struct {
	due      []DueItem
	sources  []Source
	verified string
	// ri is the indicator of an imported track, worked out whole with the
	// findings it made (nil: worked out in order, by indicator)
	ri       *ReportIndicator
	findings []Finding
}

func (t *rtrack) derived() bool { return t.s == nil }

type rbuilder struct {
	fw        *Framework
	comp      *Compiled
	p         Period
	prev      *Period
	prevSlot  int
	slots     []Period
	labels    []ReportPeriod // slots as printed, made once for every indicator
	pLo, pHi  int            // slots[pLo:pHi] lie inside P
	elapsed   float64
	tracks    map[string]*rtrack
	order     []*rtrack // framework order
	findings  []Finding
	followUp  *FollowUp
	envs      []*rEnv
	envDepth  int
	dimKeys   map[string]dimKeys // valueKeys, by dimension name as indicators write it
	dimKeysMu sync.Mutex
	// milestones by indicator, sorted by period
	milestones map[string][]Milestone
}

// newReportBuilder is the builder of the report in describes, with
// in.Figures given (for the package's benchmarks).
func newReportBuilder(in ReportInput) (*rbuilder, error) {
	rb, err := NewReportBuilder(in)
	if err != nil {
		return nil, err
	}
	return rb.b, nil
}

// newRBuilder is the builder of the report in describes, without figures
// yet (in.Figures is not read): every imported indicator has an empty
// series until its figures are given.
func newRBuilder(in ReportInput) (*rbuilder, error) {
	fw := in.Framework
	if fw == nil {
		return nil, fmt.Errorf("%w: report without a framework", ErrInvalid)
	}
	p := in.Period
	if p.IsZero() || p.Start.After(p.End) {
		return nil, fmt.Errorf("%w: report period %q is empty, expected a period such as 2021Q3 or 2020-09-01..2021-02-28", ErrInvalid, p.String())
	}
	comp := in.Compiled
	if comp == nil {
		var probs Problems
		comp, probs = fw.Compile()
		if len(probs) > 0 {
			return nil, probs
		}
	}
	b := &rbuilder{fw: fw, comp: comp, p: p, prevSlot: -1, tracks: make(map[string]*rtrack, len(fw.Indicators)), followUp: in.FollowUp,
		dimKeys: map[string]dimKeys{}}
	proj := fw.Project
	if !proj.Start.IsZero() && !proj.End.IsZero() {
		b.elapsed = Elapsed(proj.Period(), p.End)
		if pr := p.Prev(); !pr.End.Before(proj.Start) {
			b.prev = &pr
		}
	}
	b.makeSlots()
	b.milestones = map[string][]Milestone{}
	for _, m := range fw.Milestones {
		b.milestones[m.Indicator] = append(b.milestones[m.Indicator], m)
	}
	for _, ms := range b.milestones {
		slices.SortStableFunc(ms, func(a, b Milestone) int { return a.Period.Compare(b.Period) })
	}
	b.makeTracks()
	return b, nil
}

// figuresByIndicator groups figs by indicator, in the order of fw's
// indicators, leaving out those ending after P.
func figuresByIndicator(fw *Framework, figs []Measurement, p Period) [][]*Measurement {
	pos := make(map[string]int32, len(fw.Indicators))
	for i := range fw.Indicators {
		if _, dup := pos[fw.Indicators[i].Code]; !dup {
			pos[fw.Indicators[i].Code] = int32(i)
		}
	}
	which := make([]int32, len(figs))
	counts := make([]int, len(fw.Indicators))
	for i := range figs {
		m := &figs[i]
		k, ok := pos[m.Indicator]
		if !ok || m.Period.End.After(p.End) {
			which[i] = -1
			continue
		}
		which[i] = k
		counts[k]++
	}
	byInd := make([][]*Measurement, len(fw.Indicators))
	for i, n := range counts {
		if n > 0 {
			byInd[i] = make([]*Measurement, 0, n)
		}
	}
	for i, k := range which {
		if k >= 0 {
			byInd[k] = append(byInd[k], &figs[i])
		}
	}
	return byInd
}

// makeTracks makes a track per indicator: a formula, a ratio of two
// others, or the series of its figures (empty until they are given: Add);
// then links formulas and ratios to the tracks they read.
func (b *rbuilder) makeTracks() {
	fw, comp := b.fw, b.comp
	var sc *aggScratch
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		if _, dup := b.tracks[ind.Code]; dup {
			continue
		}
		t := &rtrack{b: b, ind: ind, u: rulesOf(ind), agg: ind.AggregationOrDefault(), explicit: ind.Aggregation != "",
			vals: map[string]*rmemo{}, cums: map[string]*rmemo{}}
		switch {
		case ind.Computed():
			t.f = comp.Formulas[ind.Code] // nil when it did not compile: no data
		case ind.IsRatio():
			t.ratio = true
		default:
			if sc == nil {
				sc = newAggScratch(fw)
			}
			t.s = newSeries(ind, sc, nil)
		}
		b.tracks[ind.Code] = t
		b.order = append(b.order, t)
	}
	for _, t := range b.order {
		if t.ratio {
			t.num, t.den = b.tracks[t.ind.Numerator], b.tracks[t.ind.Denominator]
		}
		if t.f != nil {
			t.refs = make([]*rtrack, len(t.f.Refs))
			for i, c := range t.f.Refs {
				t.refs[i] = b.tracks[c]
			}
		}
	}
}

// makeSlots cuts time into the reporting periods up to P, split at P's
// start, the previous period's end and P's end.
func (b *rbuilder) makeSlots() {
	proj := b.fw.Project
	kind := KindQuarter
	if k, err := KindFromReporting(proj.Reporting); err == nil && strings.TrimSpace(proj.Reporting) != "" && k != KindRange {
		kind = k
	}
	start := proj.Start
	if start.IsZero() || start.After(b.p.Start) && b.p.End.Before(start) {
		start = b.p.Start
	}
	cuts := []time.Time{b.p.Start.AddDate(0, 0, -1), b.p.End}
	if b.prev != nil {
		cuts = append(cuts, b.prev.End)
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	for _, q := range Periods(start, b.p.End, kind) {
		cur := q
		for _, c := range cuts {
			if !c.Before(cur.Start) && c.Before(cur.End) {
				b.slots = append(b.slots, Normalize(Range(cur.Start, c)))
				cur = Normalize(Range(c.AddDate(0, 0, 1), cur.End))
			}
		}
		if cur.Start.After(b.p.End) {
			continue
		}
		b.slots = append(b.slots, cur)
	}
	if len(b.slots) == 0 {
		b.slots = []Period{b.p}
	}
	b.pLo, b.pHi = len(b.slots), len(b.slots)
	for j, s := range b.slots {
		if !s.Start.Before(b.p.Start) && !s.End.After(b.p.End) {
			if j < b.pLo {
				b.pLo = j
			}
			b.pHi = j + 1
		}
		if b.prev != nil && s.End.Equal(b.prev.End) {
			b.prevSlot = j
		}
	}
	if b.pLo > b.pHi {
		b.pLo = b.pHi
	}
	b.labels = make([]ReportPeriod, len(b.slots))
	for j, s := range b.slots {
		b.labels[j] = reportPeriod(s)
	}
}

// ---------------------------------------------------------------------------
// Milestones

// ---------------------------------------------------------------------------
// Status

// ---------------------------------------------------------------------------
// The report

// indicator computes one indicator's line of the report.
func (b *rbuilder) indicator(t *rtrack) ReportIndicator {
	ri, fs := b.indicatorFindings(t)
	b.findings = append(b.findings, fs...)
	return ri
}

// indicatorFindings is indicator, the findings it makes returned rather
// than added to the report's: for an imported indicator it reads only its
// own series and the framework, so that report can work out several at
// once (prework).
func (b *rbuilder) indicatorFindings(t *rtrack) (ReportIndicator, []Finding) {
	ind := t.ind
	last := len(b.slots) - 1
	ri := ReportIndicator{Code: ind.Code, Name: ind.Name, Unit: ind.Unit, Direction: ind.Direction,
		Aggregation: t.agg, Computed: ind.Computed() || ind.IsRatio(), Target: ind.Target,
		BaselineText: ind.BaselineText, TargetText: ind.TargetText,
		Disaggregated: []DisaggActual{}, Warnings: []string{}, Series: []SeriesPoint{}, Sources: []Source{},
		DataSource: ind.DataSource, Means: ind.MeansOfVerification, Frequency: ind.Frequency,
		Responsible: ind.Responsible, Formula: ind.Formula}
	if ri.Direction == "" {
		ri.Direction = Increase
	}
	ms := b.milestones[ind.Code]
	actual := t.cum(last, "")
	pv := t.window("")
	if !t.u.text {
		ri.Actual, ri.PeriodValue = actual.ptr(), pv.ptr()
	}
	if actual.nd && actual.ok {
		ri.Numerator, ri.Denominator = fptr(actual.num), fptr(actual.den)
	}
	if b.prevSlot >= 0 && !t.u.text {
		ri.PreviousActual = t.cum(b.prevSlot, "").ptr()
	}
	if t.u.text && t.s != nil {
		ri.ActualText = t.s.textAt(b.p.End)
	}
	base := baselineOrZero(ind)
	ri.Baseline = base // 0 for a sum indicator without one, as progress counts from it
	if base == nil && ind.Unit.Numeric() {
		base = fptr(0)
		ri.Warnings = append(ri.Warnings, "no baseline: progress is counted from 0")
	}
	path := PathOf(b.fw.Project, ind, ms, "")
	ri.MilestoneReading = string(path.Use.Reading)
	if v, ok := path.At(b.p.End); ok {
		ri.Milestone = fptr(v)
	}
	if t.u.text {
		ri.MilestoneText = textMilestoneAt(ms, b.p.End)
	}
	// progress and expected
	if ri.Actual != nil && ri.Target != nil && base != nil {
		ri.Progress = fptr(progressOf(*ri.Actual, *base, *ri.Target, ri.Direction))
	}
	if v, ok := path.Share(b.p.End); ok {
		ri.Expected = fptr(v)
	}
	owed := b.dueItems(t, &ri)
	hasData := actual.ok || (t.u.text && ri.ActualText != "")
	fs := b.status(t, &ri, base, hasData, owed)
	// projection
	if ind.Unit.Numeric() && ind.Unit != YesNo {
		b.projection(t, &ri, base)
	}
	b.series(t, &ri, path)
	b.disaggregated(t, &ri, ms)
	// sources and verification
	if t.pre != nil {
		ri.Sources, ri.Verified = t.pre.sources, t.pre.verified
	} else {
		b.sources(t, &ri)
	}
	if t.s != nil {
		for _, m := range t.s.mism {
			ri.Warnings = append(ri.Warnings, m.text)
		}
	}
	if !actual.ok && actual.reason != reasonNoFigures && actual.reason != "" && t.derived() {
		ri.Warnings = append(ri.Warnings, "no data: "+actual.reason)
	}
	return ri, fs
}

// dueItems sets what t owes by the end of P and which of it is missing;
// owed is true when anything is owed.
func (b *rbuilder) dueItems(t *rtrack, ri *ReportIndicator) (owed bool) {
	if t.pre != nil {
		ri.Due = t.pre.due
	} else {
		ri.Due = b.due(t)
	}
	for _, d := range ri.Due {
		owed = true
		if d.Missing() {
			ri.Missing = append(ri.Missing, d.Period)
			if d.InPeriod {
				ri.PeriodMissing = append(ri.PeriodMissing, d.Period)
			}
		}
	}
	return owed
}

// status sets ri's status: not due or no data without figures, the text
// rule for text indicators, no target, else the default rule or the
// indicator's (or project's) status rule.
func (b *rbuilder) status(t *rtrack, ri *ReportIndicator, base *float64, hasData, owed bool) (findings []Finding) {
	ind := t.ind
	switch {
	case !hasData && owed:
		ri.Status = StatusNoData
	case !hasData:
		ri.Status = StatusNotDue
	case t.u.text:
		if ind.TargetText != "" && strings.EqualFold(strings.TrimSpace(ri.ActualText), strings.TrimSpace(ind.TargetText)) {
			ri.Status = StatusAchieved
		} else {
			ri.Status = StatusReported
		}
	case ri.Target == nil:
		ri.Status = StatusNoTarget
	default:
		ri.Status = defaultStatus(ri.Progress, ri.Expected, hasData)
	}
	rule := b.comp.StatusRules[ind.Code]
	if rule == nil {
		rule = b.comp.ProjectRule
	}
	if rule == nil || !hasData { // not due and no data stand whatever the rule
		return
	}
	st, err := rule.EvalStatus(StatusVars{Progress: ri.Progress, Expected: ri.Expected, Actual: ri.Actual,
		Baseline: base, Target: ri.Target, Milestone: ri.Milestone, Elapsed: fptr(b.elapsed)})
	switch {
	case err == nil:
		ri.Status = st
	case errors.Is(err, ErrNoData):
		// a variable without data: the default rule stands
	default:
		findings = append(findings, Finding{Code: ind.Code, Severity: SevWarning, Kind: "formula", Period: b.p.String(),
			Message: fmt.Sprintf("status rule could not be applied, the default rule was used: %v", err)})
		ri.Warnings = append(ri.Warnings, "status rule failed; default rule used")
	}
	return findings
}

// series sets ri's next milestone (the first point of the path after P
// that is a milestone, with its cumulative value) and its series: per
// slot, the expected value at its end, the cumulative actual and the
// slot's own figure.
func (b *rbuilder) series(t *rtrack, ri *ReportIndicator, path ExpectedPath) {
	for _, pt := range path.Points {
		if pt.Day.After(b.p.End) && pt.Label != "baseline" && pt.Label != "target" {
			ri.NextMilestone = &NextMilestone{Period: pt.Label, Target: pt.Value}
			break
		}
	}
	for j, s := range b.slots {
		l := &b.labels[j]
		pt := SeriesPoint{Period: l.Code, Start: l.Start, End: l.End}
		if v, ok := path.At(s.End); ok {
			pt.Target = fptr(v)
		}
		if !t.u.text {
			pt.Actual, pt.PeriodValue = t.cum(j, "").ptr(), t.val(j, "").ptr()
		}
		ri.Series = append(ri.Series, pt)
	}
}

// disaggregated sets the actuals (and milestones) of each value of t's
// disaggregations that has any.
func (b *rbuilder) disaggregated(t *rtrack, ri *ReportIndicator, ms []Milestone) {
	ind := t.ind
	last := len(b.slots) - 1
	for _, name := range ind.Disaggregations {
		dim, keys := b.valueKeys(name)
		if dim == nil {
			continue
		}
		for i, key := range keys {
			da := DisaggActual{Actual: t.cum(last, key).ptr(), PeriodValue: t.window(key).ptr()}
			// a disaggregation's path has no baseline of its own: a level
			// expects nothing before its first milestone is due
			if hasMilestones(ms, key) && (addsUp(ind) || dueBy(ms, key, b.p.End)) {
				if v, ok := PathOf(b.fw.Project, ind, ms, key).At(b.p.End); ok {
					da.Milestone = fptr(v)
				}
			}
			if da.Actual == nil && da.PeriodValue == nil && da.Milestone == nil {
				continue // nothing reported for this value, and no target
			}
			da.Dims = Disagg{dim.Name: dim.Values[i]}
			ri.Disaggregated = append(ri.Disaggregated, da)
		}
	}
}

// projection fits the trend of the cumulative actuals.
func (b *rbuilder) projection(t *rtrack, ri *ReportIndicator, base *float64) {
	end := b.fw.Project.End
	if end.IsZero() || ri.Actual == nil {
		return
	}
	var proj float64
	if !b.p.End.Before(end) {
		proj = *ri.Actual
	} else {
		var xs, ys []float64
		for j := len(b.slots) - 1; j >= 0 && len(xs) < ProjectionPoints; j-- {
			a := t.cum(j, "")
			if !a.ok {
				continue
			}
			xs = append(xs, dayNum(b.slots[j].End))
			ys = append(ys, a.val)
		}
		a, s, ok := fitLine(xs, ys)
		if !ok {
			return
		}
		proj = a + s*dayNum(end)
	}
	ri.Projection = fptr(proj)
	if ri.Target != nil && base != nil {
		l := progressOf(proj, *base, *ri.Target, ri.Direction) >= 1-statusTol
		ri.Likely = &l
	}
}
