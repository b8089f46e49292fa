package indicators

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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
	b, err := newReportBuilder(in)
	if err != nil {
		return nil, err
	}
	b.evalAll()
	r := b.report()
	if len(in.Expenditures) > 0 && len(in.Framework.Budget) > 0 {
		if err := AddEfficiency(r, in.Framework, in.Expenditures); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// rmemo caches a value per slot.
type rmemo struct {
	val   []amount
	state []uint8 // 0 not computed, 1 in progress, 2 done
}

func newMemo(n int) *rmemo { return &rmemo{val: make([]amount, n), state: make([]uint8, n)} }

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
}

func (t *rtrack) derived() bool { return t.s == nil }

type rbuilder struct {
	fw       *Framework
	comp     *Compiled
	p        Period
	prev     *Period
	prevSlot int
	slots    []Period
	labels   []ReportPeriod // slots as printed, made once for every indicator
	pLo, pHi int            // slots[pLo:pHi] lie inside P
	elapsed  float64
	tracks   map[string]*rtrack
	order    []*rtrack // framework order
	findings []Finding
	followUp *FollowUp
	envs     []*rEnv
	envDepth int
	dimKeys  map[string]dimKeys // valueKeys, by dimension name as indicators write it
	// milestones by indicator, sorted by period
	milestones map[string][]Milestone
}

func newReportBuilder(in ReportInput) (*rbuilder, error) {
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
	// figures by indicator, those ending after P left out
	pos := make(map[string]int32, len(fw.Indicators))
	for i := range fw.Indicators {
		if _, dup := pos[fw.Indicators[i].Code]; !dup {
			pos[fw.Indicators[i].Code] = int32(i)
		}
	}
	which := make([]int32, len(in.Figures))
	counts := make([]int, len(fw.Indicators))
	for i := range in.Figures {
		m := &in.Figures[i]
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
			byInd[k] = append(byInd[k], &in.Figures[i])
		}
	}
	var raw []*rtrack
	var rawFigs [][]*Measurement
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
			raw = append(raw, t)
			rawFigs = append(rawFigs, byInd[i])
		}
		b.tracks[ind.Code] = t
		b.order = append(b.order, t)
	}
	// the series of imported figures, built in parallel (each worker with
	// its own scratch; each series is written by one worker only)
	workers := min(runtime.GOMAXPROCS(0), 8, len(raw))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := newAggScratch(fw)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(raw) {
					return
				}
				raw[i].s = newSeries(raw[i].ind, sc, rawFigs[i])
			}
		}()
	}
	wg.Wait()
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
	return b, nil
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

func (t *rtrack) memo(m map[string]*rmemo, key string) *rmemo {
	mm := m[key]
	if mm == nil {
		mm = newMemo(len(t.b.slots))
		m[key] = mm
	}
	return mm
}

// valMemo is memo(t.vals, key), remembering the last key asked for: the
// formulas are evaluated one disaggregation at a time.
func (t *rtrack) valMemo(key string) *rmemo {
	if t.lastVal != nil && t.lastValKey == key {
		return t.lastVal
	}
	t.lastVal, t.lastValKey = t.memo(t.vals, key), key
	return t.lastVal
}

func (t *rtrack) cumMemo(key string) *rmemo {
	if t.lastCum != nil && t.lastCumKey == key {
		return t.lastCum
	}
	t.lastCum, t.lastCumKey = t.memo(t.cums, key), key
	return t.lastCum
}

// val is the value of slot j for disaggregation key.
func (t *rtrack) val(j int, key string) amount {
	if j < 0 || j >= len(t.b.slots) {
		return noAmount(reasonNoFigures)
	}
	mm := t.valMemo(key)
	switch mm.state[j] {
	case 2:
		return mm.val[j]
	case 1:
		return noAmount(fmt.Sprintf("indicator %s is computed from itself", t.ind.Code))
	}
	mm.state[j] = 1
	var a amount
	slot := t.b.slots[j]
	switch {
	case t.s != nil:
		// the figures that end in the slot belong to it (those ending
		// before the first slot to the first), so that every figure up to
		// P counts once in a computed indicator's cumulative value
		from := slot.Start
		if j == 0 {
			from = time.Time{}
		}
		a = t.s.overEnding(key, from, slot.End)
	case t.ratio:
		a = t.ratioAt(t.num.valOrNone(j, key), t.den.valOrNone(j, key))
	case t.f != nil:
		env := t.b.env(j, key)
		env.refs, env.rt = t.f.Refs, t.refs
		x, err := t.f.EvalNumber(env)
		t.b.envDepth--
		if err != nil {
			a = noAmount(err.Error())
		} else {
			a = amount{ok: true, val: x}
		}
	default:
		a = noAmount("formula did not compile")
	}
	mm.val[j], mm.state[j] = a, 2
	return a
}

func (t *rtrack) valOrNone(j int, key string) amount {
	if t == nil {
		return noAmount("supporting measure missing")
	}
	return t.val(j, key)
}

// ratioAt combines numerator and denominator amounts into the ratio's.
func (t *rtrack) ratioAt(n, d amount) amount {
	switch {
	case !n.ok && !d.ok && n.reason == reasonNoFigures && d.reason == reasonNoFigures:
		return noAmount(reasonNoFigures)
	case !n.ok:
		return noAmount(fmt.Sprintf("no data for the numerator %s", t.ind.Numerator))
	case !d.ok:
		return noAmount(fmt.Sprintf("no data for the denominator %s", t.ind.Denominator))
	}
	a := ndAmount(n.val, d.val, t.u.scale)
	if !a.ok {
		a.reason = fmt.Sprintf("division by zero: the denominator %s is 0", t.ind.Denominator)
	}
	return a
}

// cum is the cumulative value from the start to the end of slot j.
func (t *rtrack) cum(j int, key string) amount {
	if j < 0 || j >= len(t.b.slots) {
		return noAmount(reasonNoFigures)
	}
	if t.s != nil {
		return t.s.over(key, time.Time{}, t.b.slots[j].End)
	}
	mm := t.cumMemo(key)
	if mm.state[j] == 2 {
		return mm.val[j]
	}
	t.buf = t.buf[:0]
	for k := 0; k <= j; k++ {
		t.buf = append(t.buf, t.val(k, key))
	}
	a := aggOver(t.buf, t.u, t.ind.Unit, t.agg, t.explicit)
	mm.val[j], mm.state[j] = a, 2
	return a
}

// cumCached is cum, remembered also for imported figures (formulas ask
// for the same cumulative values many times).
func (t *rtrack) cumCached(j int, key string) amount {
	if t.s == nil || j < 0 || j >= len(t.b.slots) {
		return t.cum(j, key)
	}
	mm := t.cumMemo(key)
	if mm.state[j] != 2 {
		mm.val[j], mm.state[j] = t.cum(j, key), 2
	}
	return mm.val[j]
}

// window is the value of the period P alone: the figures that end in P and
// are not longer than P (see series.overWindow). A quarter's figure thus
// counts in the project year or custom window it ends in even when it
// starts a little before it (2020Q3 in PY2 = 2020-09-01..2021-08-31), so
// that for a sum indicator previous_actual + period_value = actual and the
// period values of consecutive windows add up to the total; a year's figure
// is not the figure of its last quarter alone (null there).
func (t *rtrack) window(key string) amount {
	b := t.b
	if t.s != nil {
		return t.s.overWindow(key, b.p.Start, b.p.End)
	}
	t.buf = t.buf[:0]
	for j := b.pLo; j < b.pHi; j++ {
		t.buf = append(t.buf, t.val(j, key))
	}
	return aggOver(t.buf, t.u, t.ind.Unit, t.agg, t.explicit)
}

// env returns the formula environment of slot j and key; the caller
// decrements b.envDepth when the evaluation is done. Environments are
// reused: a computed indicator's input may itself be computed, so they
// form a stack.
func (b *rbuilder) env(j int, key string) *rEnv {
	if b.envDepth == len(b.envs) {
		b.envs = append(b.envs, &rEnv{b: b})
	}
	e := b.envs[b.envDepth]
	b.envDepth++
	e.j, e.key, e.refs, e.rt = j, key, nil, nil
	return e
}

// rEnv is the formula environment at one slot and disaggregation.
type rEnv struct {
	b   *rbuilder
	j   int
	key string
	// refs are the codes of the formula being evaluated and rt their
	// tracks: looked up before the map of all tracks.
	refs []string
	rt   []*rtrack
}

func (e *rEnv) track(c string) *rtrack {
	for i, r := range e.refs {
		if r == c {
			return e.rt[i]
		}
	}
	return e.b.tracks[c]
}

func (e *rEnv) Value(c string) (float64, error) {
	t := e.track(c)
	if t == nil {
		return 0, ErrNoData
	}
	a := t.val(e.j, e.key)
	if !a.ok {
		return 0, ErrNoData
	}
	return a.val, nil
}

func (e *rEnv) Cumulative(c string) (float64, error) {
	t := e.track(c)
	if t == nil {
		return 0, ErrNoData
	}
	a := t.cumCached(e.j, e.key)
	if !a.ok {
		return 0, ErrNoData
	}
	return a.val, nil
}

func (e *rEnv) Baseline(c string) (float64, error) {
	t := e.track(c)
	if t == nil {
		return 0, ErrNoData
	}
	if b := baselineOrZero(t.ind); b != nil {
		return *b, nil
	}
	return 0, ErrNoData
}

func (e *rEnv) Target(c string) (float64, error) {
	t := e.track(c)
	if t == nil || t.ind.Target == nil {
		return 0, ErrNoData
	}
	return *t.ind.Target, nil
}

func (e *rEnv) Previous(c string) (float64, error) {
	t := e.track(c)
	if t == nil || e.j == 0 {
		return 0, ErrNoData
	}
	a := t.val(e.j-1, e.key)
	if !a.ok {
		return 0, ErrNoData
	}
	return a.val, nil
}

// evalKeys are the disaggregations a computed indicator is evaluated for:
// the total and each value of each of its dimensions.
func (b *rbuilder) evalKeys(ind *Indicator) []string {
	keys := []string{""}
	for _, name := range ind.Disaggregations {
		_, ks := b.valueKeys(name)
		keys = append(keys, ks...)
	}
	return keys
}

// dimKeys is a declared dimension and the keys of its values.
type dimKeys struct {
	dim  *Dimension
	keys []string // "sex=female", in the order of dim.Values
}

// valueKeys returns the dimension called name and the keys of its values,
// made once for every indicator; nil when it is not declared.
func (b *rbuilder) valueKeys(name string) (*Dimension, []string) {
	if dk, ok := b.dimKeys[name]; ok {
		return dk.dim, dk.keys
	}
	var dk dimKeys
	if dim, ok := b.fw.Dimension(name); ok {
		dk.dim = dim
		for _, v := range dim.Values {
			dk.keys = append(dk.keys, dim.Name+"="+v)
		}
	}
	b.dimKeys[name] = dk
	return dk.dim, dk.keys
}

// evalAll evaluates the computed indicators at every slot and
// disaggregation, in dependency order.
func (b *rbuilder) evalAll() {
	done := map[string]bool{}
	run := func(t *rtrack) {
		if t == nil || !t.derived() || done[t.ind.Code] {
			return
		}
		done[t.ind.Code] = true
		for _, key := range b.evalKeys(t.ind) {
			for j := range b.slots {
				t.val(j, key)
			}
		}
	}
	for _, c := range b.comp.Order {
		run(b.tracks[c])
	}
	for _, t := range b.order {
		run(t)
	}
}

// ---------------------------------------------------------------------------
// Milestones

// textMilestoneAt is the text of the last milestone of the total due by
// the end of to; "" when none is.
func textMilestoneAt(ms []Milestone, to time.Time) string {
	txt := ""
	for i := range ms {
		if len(ms[i].Dims) == 0 && !ms[i].Period.End.After(to) && ms[i].TargetText != "" {
			txt = ms[i].TargetText
		}
	}
	return txt
}

// dueBy is true when a milestone of key is due by the end of day to.
func dueBy(ms []Milestone, key string, to time.Time) bool {
	for i := range ms {
		if dkey(ms[i].Dims) == key && !ms[i].Period.End.After(to) {
			return true
		}
	}
	return false
}

func hasMilestones(ms []Milestone, key string) bool {
	for i := range ms {
		if dkey(ms[i].Dims) == key {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Status

// defaultStatus is the status rule of SPEC section 5.
func defaultStatus(progress, expected *float64, hasData bool) Status {
	if progress != nil && *progress >= 1-statusTol {
		return StatusAchieved
	}
	if !hasData {
		if expected == nil || *expected <= 0 {
			return StatusNotDue
		}
		return StatusNoData
	}
	if progress == nil {
		return StatusNoData
	}
	e := 0.0
	if expected != nil {
		e = *expected
	}
	switch {
	case *progress >= 0.85*e-statusTol:
		return StatusOnTrack
	case *progress >= 0.6*e-statusTol:
		return StatusAtRisk
	}
	return StatusOffTrack
}

// statusRank orders the performance statuses from best to worst; -1 for
// not due and no data.
func statusRank(s Status) int {
	switch s {
	case StatusAchieved:
		return 0
	case StatusOnTrack:
		return 1
	case StatusAtRisk:
		return 2
	case StatusOffTrack:
		return 3
	}
	return -1
}

// progressOf is (actual - baseline) / (target - baseline).
func progressOf(actual, base, target float64, dir Direction) float64 {
	if d := target - base; d != 0 {
		return (actual - base) / d
	}
	switch {
	case actual == target:
		return 1
	case dir == Decrease && actual < target, dir != Decrease && actual > target:
		return 1
	}
	return 0
}

// fitLine returns the least-squares line y = a + b x.
func fitLine(xs, ys []float64) (a, b float64, ok bool) {
	n := float64(len(xs))
	if len(xs) < 2 {
		return 0, 0, false
	}
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	if sxx == 0 {
		return 0, 0, false
	}
	b = sxy / sxx
	return my - b*mx, b, true
}

func dayNum(t time.Time) float64 { return float64(pdDayNum(t)) }

// fptr points to v; nil when v is not a finite number (JSON has none).
func fptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// ---------------------------------------------------------------------------
// The report

func reportPeriod(p Period) ReportPeriod {
	return ReportPeriod{Code: p.String(), Start: p.Start.Format(time.DateOnly), End: p.End.Format(time.DateOnly)}
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (b *rbuilder) report() *Report {
	fw := b.fw
	r := &Report{
		Project: ReportProject{Code: fw.Project.Code, Title: fw.Project.Title, Start: dateOrEmpty(fw.Project.Start),
			End: dateOrEmpty(fw.Project.End), Donor: fw.Project.Donor, Reporting: fw.Project.Reporting},
		Period:       reportPeriod(b.p),
		Elapsed:      b.elapsed,
		Results:      []ReportResult{},
		StatusCounts: map[Status]int{},
		FollowUp:     b.followUp,
	}
	if b.followUp != nil {
		r.Recommendations = b.followUp.Recommendations
	}
	if r.Recommendations == nil {
		r.Recommendations = []FollowUpRecommendation{} // an array in JSON, empty without a follow-up
	}
	if b.prev != nil {
		pp := reportPeriod(*b.prev)
		r.Previous = &pp
	}
	// indicators, and their data-quality findings, in framework order
	inds := map[string]*ReportIndicator{}
	for _, t := range b.order {
		b.dataFindings(t)
		if t.ind.Result == "" {
			continue
		}
		ri := b.indicator(t)
		inds[t.ind.Code] = &ri
	}
	b.ruleFindings()
	// results in tree order
	children := map[string][]string{}
	var roots []string
	known := map[string]bool{}
	for _, res := range fw.Results {
		known[res.Code] = true
	}
	for _, res := range fw.Results {
		if res.Parent != "" && known[res.Parent] && res.Parent != res.Code {
			children[res.Parent] = append(children[res.Parent], res.Code)
		} else {
			roots = append(roots, res.Code)
		}
	}
	seen := map[string]bool{}
	// sub is what lies in a subtree: the counts of its indicators by
	// status, its own status and the worst performance rank of its
	// indicators (-1: none has a performance status).
	type sub struct {
		worst  int
		counts map[Status]int
		status Status
	}
	var visit func(code string, depth int) sub
	visit = func(code string, depth int) sub {
		res, _ := fw.Result(code)
		seen[code] = true
		pos := len(r.Results)
		rr := ReportResult{Code: res.Code, Level: res.Level, Parent: res.Parent, Statement: res.Statement,
			Assumptions: res.Assumptions, ContributesTo: res.ContributesTo, Depth: depth,
			Children: children[code], Indicators: []ReportIndicator{}, StatusCounts: map[Status]int{}}
		r.Results = append(r.Results, rr)
		own := sub{worst: -1, counts: map[Status]int{}}
		for _, ind := range fw.IndicatorsOf(code) {
			ri := inds[ind.Code]
			if ri == nil {
				continue
			}
			r.Results[pos].Indicators = append(r.Results[pos].Indicators, *ri)
			r.StatusCounts[ri.Status]++
			own.counts[ri.Status]++
			own.worst = max(own.worst, statusRank(ri.Status))
		}
		below := sub{worst: -1, counts: map[Status]int{}} // the children's subtrees
		childWorst := -1
		childStatus := map[Status]int{}
		for _, c := range children[code] {
			if seen[c] {
				continue
			}
			cs := visit(c, depth+1)
			for st, n := range cs.counts {
				below.counts[st] += n
			}
			below.worst = max(below.worst, cs.worst)
			childWorst = max(childWorst, statusRank(cs.status))
			childStatus[cs.status]++
		}
		all := sub{worst: max(own.worst, below.worst), counts: map[Status]int{}}
		for _, m := range []map[Status]int{own.counts, below.counts} {
			for st, n := range m {
				all.counts[st] += n
			}
		}
		// status: from the result's own indicators first, else from its
		// children's statuses (SPEC 5)
		switch {
		case own.worst >= 0:
			all.status = Statuses[own.worst]
		case childWorst >= 0:
			all.status = Statuses[childWorst]
		default:
			for st, n := range childStatus {
				own.counts[st] += n
			}
			all.status = rollupStatus(-1, own.counts)
		}
		r.Results[pos].Status = all.status
		// delivery: the worst status of everything below
		if n := countAll(below.counts); n > 0 {
			r.Results[pos].Delivery = rollupStatus(below.worst, below.counts)
		}
		r.Results[pos].StatusCounts = all.counts
		return all
	}
	for _, c := range roots {
		if !seen[c] {
			visit(c, 0)
		}
	}
	for _, res := range fw.Results { // parents in a loop: shown anyway
		if !seen[res.Code] {
			visit(res.Code, 0)
		}
	}
	// missing reports, in framework order
	r.Missing = []MissingReport{}
	for _, t := range b.order {
		ri := inds[t.ind.Code]
		if ri == nil {
			continue
		}
		for _, d := range ri.Due {
			if !d.Missing() {
				continue
			}
			r.Missing = append(r.Missing, MissingReport{Indicator: d.Indicator, Name: d.Name, Period: d.Period, Responsible: d.Responsible})
			b.findings = append(b.findings, Finding{Code: d.Indicator, Severity: SevWarning, Kind: "missing", Period: d.Period,
				Message: fmt.Sprintf("no figure for %s (owed by %s, responsible: %s)", d.Period, d.End, d.Responsible)})
		}
	}
	if r.Findings = b.findings; r.Findings == nil {
		r.Findings = []Finding{}
	}
	return r
}

// rollupStatus is the worst performance status, else the first of no
// data, reported, no target and not due that counts has.
func rollupStatus(worst int, counts map[Status]int) Status {
	if worst >= 0 {
		return Statuses[worst] // statusRank's order is that of Statuses
	}
	for _, st := range []Status{StatusNoData, StatusReported, StatusNoTarget} {
		if counts[st] > 0 {
			return st
		}
	}
	return StatusNotDue
}

func countAll(m map[Status]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// indicator computes one indicator's line of the report.
func (b *rbuilder) indicator(t *rtrack) ReportIndicator {
	ind := t.ind
	fw := b.fw
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
	path := PathOf(fw.Project, ind, ms, "")
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
	// what is due
	ri.Due = b.due(t)
	owed := false
	for _, d := range ri.Due {
		owed = true
		if d.Missing() {
			ri.Missing = append(ri.Missing, d.Period)
			if d.InPeriod {
				ri.PeriodMissing = append(ri.PeriodMissing, d.Period)
			}
		}
	}
	hasData := actual.ok || (t.u.text && ri.ActualText != "")
	// status
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
	if rule != nil && hasData { // not due and no data stand whatever the rule
		st, err := rule.EvalStatus(StatusVars{Progress: ri.Progress, Expected: ri.Expected, Actual: ri.Actual,
			Baseline: base, Target: ri.Target, Milestone: ri.Milestone, Elapsed: fptr(b.elapsed)})
		switch {
		case err == nil:
			ri.Status = st
		case errors.Is(err, ErrNoData):
			// a variable without data: the default rule stands
		default:
			b.findings = append(b.findings, Finding{Code: ind.Code, Severity: SevWarning, Kind: "formula", Period: b.p.String(),
				Message: fmt.Sprintf("status rule could not be applied, the default rule was used: %v", err)})
			ri.Warnings = append(ri.Warnings, "status rule failed; default rule used")
		}
	}
	// projection
	if ind.Unit.Numeric() && ind.Unit != YesNo {
		b.projection(t, &ri, base)
	}
	// next milestone: the first point of the path after P that is a
	// milestone, with its cumulative value
	for _, pt := range path.Points {
		if pt.Day.After(b.p.End) && pt.Label != "baseline" && pt.Label != "target" {
			ri.NextMilestone = &NextMilestone{Period: pt.Label, Target: pt.Value}
			break
		}
	}
	// series: the expected value at the end of each slot
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
	// disaggregations
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
				if v, ok := PathOf(fw.Project, ind, ms, key).At(b.p.End); ok {
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
	// sources and verification
	b.sources(t, &ri)
	if t.s != nil {
		for _, m := range t.s.mism {
			ri.Warnings = append(ri.Warnings, mismatchText(m))
		}
	}
	if !actual.ok && actual.reason != reasonNoFigures && actual.reason != "" && t.derived() {
		ri.Warnings = append(ri.Warnings, "no data: "+actual.reason)
	}
	return ri
}

func mismatchText(m mismatch) string {
	what := "total"
	if m.key != "" {
		what = m.key
	}
	return fmt.Sprintf("%s: the %s given (%s) does not match the sum of its breakdown (%s); the %s given is used",
		m.period, what, formatNumber(m.total), formatNumber(m.sum), what)
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

// figuresOf calls fn for every figure behind t (for computed indicators,
// the figures of their inputs).
func (b *rbuilder) figuresOf(t *rtrack, seen map[string]bool, fn func(*Measurement)) {
	if t == nil || seen[t.ind.Code] {
		return
	}
	seen[t.ind.Code] = true
	switch {
	case t.s != nil:
		for _, m := range t.s.figs {
			fn(m)
		}
	case t.ratio:
		b.figuresOf(t.num, seen, fn)
		b.figuresOf(t.den, seen, fn)
	case t.f != nil:
		for _, r := range t.refs {
			b.figuresOf(r, seen, fn)
		}
	}
}

// sources fills Sources and Verified from the figures behind t.
func (b *rbuilder) sources(t *rtrack, ri *ReportIndicator) {
	type fs struct{ file, sheet string }
	rows := map[fs][]int{}
	counts := map[fs]int{}
	var keys []fs
	var n, yes, no, unv int
	var last fs
	var lastRows []int
	lastN := 0
	flush := func() {
		if lastN > 0 {
			counts[last] += lastN
			rows[last] = lastRows
		}
	}
	b.figuresOf(t, map[string]bool{}, func(m *Measurement) {
		k := fs{m.Loc.File, m.Loc.Sheet}
		if lastN == 0 || k != last {
			flush()
			if _, ok := counts[k]; !ok {
				keys = append(keys, k)
			}
			last, lastRows, lastN = k, rows[k], 0
		}
		lastN++
		if m.Loc.Row > 0 {
			lastRows = append(lastRows, m.Loc.Row)
		}
		n++
		switch m.Verified {
		case VerifiedYes:
			yes++
		case VerifiedNo:
			no++
		case Unverifiable:
			unv++
		}
	})
	flush()
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].file != keys[j].file {
			return keys[i].file < keys[j].file
		}
		return keys[i].sheet < keys[j].sheet
	})
	for _, k := range keys {
		rs := rows[k]
		sort.Ints(rs)
		u := rs[:0]
		for i, r := range rs {
			if i == 0 || r != rs[i-1] {
				u = append(u, r)
			}
		}
		ri.Sources = append(ri.Sources, Source{File: baseName(k.file), Sheet: k.sheet, Rows: u, Figures: counts[k]})
	}
	switch {
	case n == 0 || yes+no+unv == 0:
		ri.Verified = ""
	case yes == n:
		ri.Verified = string(VerifiedYes)
	case yes > 0:
		ri.Verified = "partly"
	case unv == n:
		ri.Verified = string(Unverifiable)
	case no > 0:
		ri.Verified = string(VerifiedNo)
	default:
		ri.Verified = string(Unverifiable)
	}
}

// dataFindings lists the mismatches, unverified figures and formula
// failures of t.
func (b *rbuilder) dataFindings(t *rtrack) {
	code := t.ind.Code
	if t.s != nil {
		for _, m := range t.s.mism {
			b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "mismatch", Period: m.period.String(),
				Message: mismatchText(m)})
		}
		type pk struct {
			p Period
			v Verified
		}
		var order []pk
		where := map[pk][]*Measurement{}
		for _, m := range t.s.figs {
			if m.Verified != VerifiedNo && m.Verified != Unverifiable {
				continue
			}
			k := pk{m.Period, m.Verified}
			if _, ok := where[k]; !ok {
				order = append(order, k)
			}
			where[k] = append(where[k], m)
		}
		if len(order) == 0 {
			return // every figure verified (or not said): no finding, and no totals to count
		}
		sort.SliceStable(order, func(i, j int) bool { return order[i].p.Compare(order[j].p) < 0 })
		// the amount behind the findings, when every figure of a period is
		// unverified: that period's total, counted in a sum indicator's actual
		// (the evaluators' "10,753 migrants served could not be verified")
		nfig, nunv := map[Period]int{}, map[Period]int{}
		for _, m := range t.s.figs {
			nfig[m.Period]++
			if m.Verified == VerifiedNo || m.Verified == Unverifiable {
				nunv[m.Period]++
			}
		}
		sums := t.s.u.add && t.agg == Sum
		row := -1
		if r, ok := t.s.kidx[""]; ok {
			row = r
		}
		periodTotal := func(p Period) (float64, bool) {
			if !sums || row < 0 || nunv[p] != nfig[p] {
				return 0, false
			}
			for i, q := range t.s.periods {
				if q.Compare(p) == 0 {
					a := t.s.vals[row][i]
					return a.val, a.ok
				}
			}
			return 0, false
		}
		var unvSum float64
		var unvFrom, unvTo string
		done := map[Period]bool{}
		for _, k := range order {
			ms := where[k]
			what := "not verified"
			if k.v == Unverifiable {
				what = "unverifiable"
			}
			fig := "figure"
			if len(ms) > 1 {
				fig = fmt.Sprintf("%d figures", len(ms))
			}
			msg := fmt.Sprintf("%s of %s marked %s", fig, k.p, what)
			if v, ok := periodTotal(k.p); ok {
				msg += ": " + groupedNumber(v) + " in all"
				if !done[k.p] {
					done[k.p] = true
					unvSum += v
					if unvFrom == "" {
						unvFrom = k.p.String()
					}
					unvTo = k.p.String()
				}
			}
			if w := locsText(ms); w != "" {
				msg += " (" + w + ")"
			}
			b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "unverified", Period: k.p.String(), Message: msg})
		}
		// how much of the actual rests on such figures
		if act := t.cum(len(b.slots)-1, ""); len(done) > 0 && act.ok && act.val != 0 {
			span := unvFrom
			if unvTo != unvFrom {
				span += " to " + unvTo
			}
			b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "unverified", Period: b.p.String(),
				Message: fmt.Sprintf("%s of the %s counted up to %s (%.0f%%) rest on figures not verified or unverifiable (%s)",
					groupedNumber(unvSum), groupedNumber(act.val), upTo(b.p), 100*unvSum/act.val, span)})
		}
		return
	}
	// computed: the total in the slots of P
	var first string
	var nfail int
	for j := b.pLo; j < b.pHi; j++ {
		a := t.val(j, "")
		if a.ok || a.reason == reasonNoFigures || !b.problemReason(t, j, a.reason) {
			continue
		}
		if nfail == 0 {
			first = fmt.Sprintf("%s: no data: %s", b.slots[j], a.reason)
		}
		nfail++
	}
	if nfail > 0 {
		if nfail > 1 {
			first += fmt.Sprintf(" (and %d more periods)", nfail-1)
		}
		b.findings = append(b.findings, Finding{Code: code, Severity: SevWarning, Kind: "formula", Period: b.p.String(), Message: first})
	}
}

// problemReason tells whether a computed indicator's missing value at slot
// j is a problem worth a finding: a division by zero or a formula error, or
// missing inputs while some of its inputs have data (nothing reported at
// all is plain no data).
func (b *rbuilder) problemReason(t *rtrack, j int, reason string) bool {
	if strings.Contains(reason, "division by zero") || !strings.Contains(reason, ErrNoData.Error()) && !strings.HasPrefix(reason, "no data for") {
		return true
	}
	refs := t.refs // nil unless t has a formula
	if t.ratio {
		refs = []*rtrack{t.num, t.den}
	}
	for _, r := range refs {
		if r != nil && r.val(j, "").ok {
			return true
		}
	}
	return false
}

// locsText says where figures came from: "file.xlsx, sheet Data, rows
// 5-18, 21" per file and sheet.
func locsText(ms []*Measurement) string {
	type fs struct{ file, sheet string }
	var keys []fs
	rows := map[fs][]int{}
	for _, m := range ms {
		k := fs{m.Loc.File, m.Loc.Sheet}
		if _, ok := rows[k]; !ok {
			keys = append(keys, k)
			rows[k] = nil
		}
		if m.Loc.Row > 0 {
			rows[k] = append(rows[k], m.Loc.Row)
		}
	}
	var parts []string
	for _, k := range keys {
		var p []string
		if k.file != "" {
			p = append(p, baseName(k.file))
		}
		if k.sheet != "" {
			p = append(p, "sheet "+k.sheet)
		}
		if rs := rows[k]; len(rs) > 0 {
			sort.Ints(rs)
			word := "row "
			if len(rs) > 1 {
				word = "rows "
			}
			p = append(p, word+FormatRanges(rs))
		}
		if len(p) > 0 {
			parts = append(parts, strings.Join(p, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// FormatRanges prints sorted numbers (rows of a sheet) as ranges: 5-18, 21;
// "" for none.
func FormatRanges(rs []int) string {
	var b strings.Builder
	for i := 0; i < len(rs); {
		j := i
		for j+1 < len(rs) && rs[j+1] <= rs[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		if rs[j] == rs[i] {
			fmt.Fprintf(&b, "%d", rs[i])
		} else {
			fmt.Fprintf(&b, "%d-%d", rs[i], rs[j])
		}
		i = j + 1
	}
	return b.String()
}

// ruleFindings evaluates the Rules sheet at every slot.
func (b *rbuilder) ruleFindings() {
	for i, f := range b.comp.Rules {
		if f == nil || i >= len(b.fw.Rules) {
			continue
		}
		rule := b.fw.Rules[i]
		sev := rule.Severity
		if sev == "" {
			sev = SevWarning
		}
		reported := false
		for j, s := range b.slots {
			ok, err := f.EvalCheck(b.env(j, ""))
			b.envDepth--
			if err != nil {
				if !errors.Is(err, ErrNoData) && !reported {
					reported = true
					b.findings = append(b.findings, Finding{Code: rule.Code, Severity: SevWarning, Kind: "formula", Period: s.String(),
						Message: fmt.Sprintf("rule %s could not be checked: %v", rule.Code, err)})
				}
				continue
			}
			if !ok {
				msg := rule.Message
				if msg == "" {
					msg = "the check does not hold"
				}
				b.findings = append(b.findings, Finding{Code: rule.Code, Severity: sev, Kind: "rule", Period: s.String(),
					Message: fmt.Sprintf("%s (%s: %s fails)", msg, s, rule.Check)})
			}
		}
	}
}

// upTo names the end of period p in a sentence: "the end of 2021Q3" for a
// calendar period, "2021-02-28" for a window ("the end of
// 2020-09-01..2021-02-28" reads badly).
func upTo(p Period) string {
	if p.Kind == KindRange {
		return p.End.Format(time.DateOnly)
	}
	return "the end of " + p.String()
}
