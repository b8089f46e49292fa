package indicators

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Aggregation of figures over disaggregations and over time (SPEC section 5).
//
// An indicator's figures are grouped by period. At one period the value of
// the total and of each single dimension value (sex=female) is the explicit
// figure when there is one; otherwise it is the sum of the coarsest
// breakdown below it (sex=female + sex=male for the total; the pairs of sex x
// province for sex=female when only those are given). An explicit figure
// wins over its breakdown; when both are given and differ the series records
// a mismatch (a data-quality warning in reports). Over time the per-period
// values are combined by the indicator's aggregation.
//
// Percent and ratio figures that carry a numerator and a denominator (given
// on the rows or through supporting measures) are always combined as a ratio
// of sums, never as an average of ratios: 30/40 and 10/60 make 40/100 = 40%,
// not (75% + 16.7%)/2 = 45.8%.

// amount is a value, or the reason there is none.
type amount struct {
	ok       bool
	nd       bool // num and den are meaningful: val = scale*num/den
	val      float64
	num, den float64
	reason   string // why !ok, for findings ("division by zero", ...)
}

// Reasons for no data that are not problems of the data.
const (
	reasonNoFigures = "no figures"
)

func noAmount(reason string) amount { return amount{reason: reason} }

func (a amount) ptr() *float64 {
	if !a.ok || math.IsNaN(a.val) || math.IsInf(a.val, 0) {
		return nil
	}
	v := a.val
	return &v
}

// unitRules say how the figures of a unit combine.
type unitRules struct {
	scale float64 // 100 for percent, 1 otherwise (applied to num/den)
	ratio bool    // percent/ratio figures combined as num/den
	add   bool    // values may be added over disaggregations (number, currency)
	text  bool
}

func rulesOf(ind *Indicator) unitRules {
	u := unitRules{scale: 1}
	switch ind.Unit {
	case Percent:
		u.scale, u.ratio = 100, true
	case Ratio:
		u.ratio = true
	case Number, Currency:
		u.add = true
	case Text:
		u.text = true
	}
	return u
}

// ndAmount is scale*num/den, or no data on division by zero.
func ndAmount(num, den, scale float64) amount {
	if den == 0 {
		return amount{reason: "division by zero", nd: true, num: num, den: den}
	}
	return amount{ok: true, nd: true, num: num, den: den, val: scale * num / den}
}

// addAll adds amounts over disaggregations or periods: a ratio of sums when
// every amount carries a numerator and a denominator, a plain sum for
// additive units, no data otherwise.
func (u unitRules) addAll(as []amount, unit Unit) amount {
	var a acc
	for _, x := range as {
		a.add(x)
	}
	return u.result(&a, unit)
}

// aggOver combines the amounts of successive periods (oldest first) by the
// aggregation agg. explicit is false when agg is only the unit's default:
// then numerator/denominator amounts are always a ratio of sums.
func aggOver(as []amount, u unitRules, unit Unit, agg Aggregation, explicit bool) amount {
	n := 0
	allND := true
	lastReason := ""
	for _, a := range as {
		if a.ok || (a.nd && u.ratio) {
			as[n] = a
			n++
			allND = allND && a.nd
		} else if a.reason != reasonNoFigures && a.reason != "" {
			lastReason = a.reason
		}
	}
	have := as[:n]
	if n == 0 {
		if lastReason == "" {
			lastReason = reasonNoFigures
		}
		return noAmount(lastReason)
	}
	if u.text {
		return have[n-1]
	}
	if u.ratio && allND && (!explicit || agg == Sum || agg == Mean) {
		return u.addAll(have, unit) // ratio of sums, not a mean of ratios
	}
	switch agg {
	case Last:
		return have[n-1]
	case Max, Min:
		best := -1
		for j, a := range have {
			if !a.ok {
				continue
			}
			if best < 0 || (agg == Max && a.val > have[best].val) || (agg == Min && a.val < have[best].val) {
				best = j
			}
		}
		if best < 0 {
			return noAmount(have[n-1].reason)
		}
		return have[best]
	case Mean:
		var sum float64
		for _, a := range have {
			if !a.ok {
				return noAmount(a.reason)
			}
			sum += a.val
		}
		return amount{ok: true, val: sum / float64(n)}
	default: // Sum
		if !u.add && !u.ratio {
			// yes/no figures over time: a sum makes no sense; take the latest.
			return have[n-1]
		}
		return u.addAll(have, unit)
	}
}

// dkey is the key of a disaggregation: "" for the total, "sex=female" for
// one pair, Disagg.Key otherwise.
func dkey(d Disagg) string {
	switch len(d) {
	case 0:
		return ""
	case 1:
		for k, v := range d {
			return k + "=" + v
		}
	}
	return d.Key()
}

// acc adds amounts up one at a time, with the rules of addAll.
type acc struct {
	n          int
	notND      bool   // some amount has no numerator/denominator
	badReason  string // first amount without data and without num/den
	bad        bool
	failReason string // first amount without data
	fail       bool
	sum        float64
	num, den   float64
}

func (a *acc) add(x amount) {
	a.n++
	if !x.ok && !x.nd && !a.bad {
		a.bad, a.badReason = true, x.reason
	}
	if !x.ok && !a.fail {
		a.fail, a.failReason = true, x.reason
	}
	if !x.nd {
		a.notND = true
	}
	a.sum += x.val
	a.num += x.num
	a.den += x.den
}

// result is what addAll returns for the amounts added.
func (u unitRules) result(a *acc, unit Unit) amount {
	switch {
	case a.n == 0:
		return noAmount(reasonNoFigures)
	case a.bad:
		return noAmount(a.badReason)
	case !a.notND && u.ratio:
		return ndAmount(a.num, a.den, u.scale)
	case !u.add:
		if u.ratio {
			return noAmount("percent or ratio figures without numerator and denominator cannot be added")
		}
		return noAmount(fmt.Sprintf("%s figures cannot be added", unit))
	case a.fail:
		return noAmount(a.failReason)
	}
	return amount{ok: true, val: a.sum}
}

// mismatch is an explicit figure that differs from the sum of its breakdown.
type mismatch struct {
	period     Period
	key        string // "" for the total
	total, sum float64
	ptext      string // period.String()
}

// mismatchText is what a report keeps of a mismatch: its period as
// printed and its message, made once for the finding and the warning.
type mismatchText struct{ period, text string }

// series is the figures of one indicator resolved per period: for each
// period (sorted by end, then start) the amount of the total and of every
// single dimension value.
type series struct {
	ind      *Indicator
	u        unitRules
	agg      Aggregation
	explicit bool // aggregation given in the framework
	periods  []Period
	kidx     map[string]int // dkey -> row of vals
	vals     [][]sval       // [key][period]
	whys     []string       // the reasons of vals (sval.why)
	texts    []string       // text indicators: the total's text per period
	// recs are the figures, sorted by period as figures were, for their
	// sources and verification: not the figures themselves (a report of a
	// large project would hold them all), where each came from.
	recs     []figRec
	wideRows []int          // rows of recs too large for figRec.row
	fper     []Period       // the periods of recs, as the figures gave them
	locs     []figLoc       // the files and sheets of recs
	mism     []mismatchText // in the order found
	// mismP is the period of the last mismatch, printed as mismPText
	// (a period's mismatches come together).
	mismP     Period
	mismPText string
	buf       []amount
	sc        *aggScratch
}

// newSeries resolves the figures of ind (in input order: a later figure for
// the same period and disaggregation replaces an earlier one).
func newSeries(ind *Indicator, sc *aggScratch, figs []*Measurement) *series {
	s := &series{ind: ind, u: rulesOf(ind), agg: ind.AggregationOrDefault(), explicit: ind.Aggregation != "",
		kidx: map[string]int{}, sc: sc}
	byPeriod := func(a, b *Measurement) int { return a.Period.Compare(b.Period) }
	if !slices.IsSortedFunc(figs, byPeriod) { // a store gives them sorted
		slices.SortStableFunc(figs, byPeriod)
	}
	sc.prevDims, sc.prevInfos = sc.prevDims[:0], sc.prevInfos[:0]
	n := 0
	for i := range figs {
		if i == 0 || figs[i].Period.Compare(figs[i-1].Period) != 0 {
			n++
		}
	}
	s.periods = make([]Period, 0, n)
	if s.u.text {
		s.texts = make([]string, n)
	}
	for lo := 0; lo < len(figs); {
		hi := lo + 1
		for hi < len(figs) && figs[hi].Period.Compare(figs[lo].Period) == 0 {
			hi++
		}
		s.addPeriod(figs[lo].Period, figs[lo:hi])
		lo = hi
	}
	s.keepRecs(figs)
	clear(sc.cells[:cap(sc.cells)]) // the figures are not kept
	clear(sc.prevInfos)
	return s
}

// sval is an amount as a series keeps it: 32 bytes rather than 48 (the
// series of a large programme hold half a million), its reason the index
// of it in the series' whys, plus one (0: no reason).
type sval struct {
	val, num, den float64
	why           uint32
	ok, nd        bool
}

// amount is v as an amount.
func (s *series) amount(v *sval) amount {
	a := amount{ok: v.ok, nd: v.nd, val: v.val, num: v.num, den: v.den}
	if v.why > 0 {
		a.reason = s.whys[v.why-1]
	}
	return a
}

// sval is a as the series keeps it, its reason kept once in s.whys.
func (s *series) sval(a amount) sval {
	v := sval{ok: a.ok, nd: a.nd, val: a.val, num: a.num, den: a.den}
	if a.reason == "" {
		return v
	}
	for i, w := range s.whys { // a few: no figures, no value, empty
		if w == a.reason {
			v.why = uint32(i + 1)
			return v
		}
	}
	s.whys = append(s.whys, a.reason)
	v.why = uint32(len(s.whys))
	return v
}

// set sets the amount of key at period pi to a.
func (s *series) set(key string, pi int, a amount) { s.row(key)[pi] = s.sval(a) }

// row returns the row of vals for key, adding it (no data everywhere).
func (s *series) row(key string) []sval {
	if r, ok := s.kidx[key]; ok {
		return s.vals[r]
	}
	s.kidx[key] = len(s.vals)
	row := make([]sval, cap(s.periods))
	none := s.sval(noAmount(reasonNoFigures))
	for i := range row {
		row[i] = none
	}
	s.vals = append(s.vals, row)
	return row
}

type pcell struct {
	m   *Measurement
	in  *dinfo
	amt amount
}

type pgroup struct {
	names string
	n     int
	cells []int32
}

// addPeriod resolves the figures of one period.
func (s *series) addPeriod(p Period, figs []*Measurement) {
	sc := s.sc
	pi := len(s.periods)
	s.periods = append(s.periods, p)
	cells := sc.cells[:0]
	clear(sc.explicit)
	prev := len(sc.prevDims)
	for i, m := range figs {
		// A store gives the figures of every period in the same order of
		// disaggregations, sharing one map per disaggregation: the i-th
		// figure's map is most often the i-th of the period before, whose
		// interned key is then known (the maps of this indicator's figures
		// are all alive here: the same map is the same disaggregation).
		var in *dinfo
		id := mapID(m.Dims)
		if i < prev && sc.prevDims[i] == id {
			in = sc.prevInfos[i]
		} else {
			in = sc.info(m.Dims)
		}
		if i < prev {
			sc.prevDims[i], sc.prevInfos[i] = id, in
		} else {
			sc.prevDims, sc.prevInfos = append(sc.prevDims, id), append(sc.prevInfos, in)
		}
		c := pcell{m: m, in: in, amt: s.figureAmount(m)}
		if j, dup := sc.explicit[c.in.key]; dup {
			cells[j] = c
			continue
		}
		sc.explicit[c.in.key] = len(cells)
		cells = append(cells, c)
	}
	sc.cells = cells
	if s.u.text {
		if j, ok := sc.explicit[""]; ok {
			t := cells[j].m.Text
			if t == "" && cells[j].m.Value != nil {
				t = formatNumber(*cells[j].m.Value)
			}
			s.texts[pi] = t
			s.set("", pi, cells[j].amt)
		}
		return
	}
	groups := sc.groupCells(cells)
	// the total: the explicit figure, else the coarsest breakdown
	var total acc
	if len(groups) > 0 {
		for _, i := range groups[0].cells {
			total.add(cells[i].amt)
		}
	}
	if j, ok := sc.explicit[""]; ok {
		s.set("", pi, cells[j].amt)
		if len(groups) > 0 {
			s.checkMismatch(p, "", cells[j].amt, &total, sc.want(groups[0].names, ""))
		}
	} else {
		s.set("", pi, s.u.result(&total, s.ind.Unit))
	}
	s.singleValues(p, pi, cells, groups)
}

// singleValues sets the figure of each single dimension value of period
// p (slot pi): explicit, else the sum of the coarsest group with more
// dimensions that has the dimension (checked against an explicit one).
func (s *series) singleValues(p Period, pi int, cells []pcell, groups []pgroup) {
	sc := s.sc
	for _, c := range cells {
		if c.in.n == 1 {
			s.set(c.in.key, pi, c.amt)
		}
	}
	if len(sc.accs) < len(sc.pairKeys) {
		sc.accs = make([]acc, len(sc.pairKeys)+16)
	}
	var chosen [8]string
	nch := 0
	for gi := range groups {
		g := &groups[gi]
		if g.n < 2 {
			continue
		}
		first := cells[g.cells[0]].in
		for di, name := range first.dims {
			if slices.Contains(chosen[:nch], name) {
				continue
			}
			if nch < len(chosen) {
				chosen[nch] = name
				nch++
			}
			sc.touched = sc.touched[:0]
			for _, ci := range g.cells {
				pid := cells[ci].in.pairs[di]
				if sc.accs[pid].n == 0 {
					sc.touched = append(sc.touched, pid)
				}
				sc.accs[pid].add(cells[ci].amt)
			}
			w := sc.want(g.names, name)
			for _, pid := range sc.touched {
				key := sc.pairKeys[pid]
				a := &sc.accs[pid]
				if j, ok := sc.explicit[key]; ok {
					s.checkMismatch(p, key, cells[j].amt, a, w)
				} else {
					s.set(key, pi, s.u.result(a, s.ind.Unit))
				}
				*a = acc{}
			}
		}
	}
}

// checkMismatch compares an explicit figure (the total, or a single
// dimension value) with the sum a of its breakdown, which is complete with
// want cells. It records a mismatch when the breakdown is complete and
// differs, or when it adds up to more than the figure.
func (s *series) checkMismatch(p Period, key string, fig amount, a *acc, want int) {
	if !s.u.add || !fig.ok || a.n == 0 || a.fail {
		return
	}
	complete := want > 0 && a.n >= want
	tol := 1e-9 * math.Max(1, math.Abs(fig.val))
	if math.Abs(a.sum-fig.val) <= tol {
		return
	}
	if complete || a.sum > fig.val+tol {
		if len(s.mism) == 0 || s.mismP != p {
			s.mismP, s.mismPText = p, p.String()
		}
		m := mismatch{period: p, key: key, total: fig.val, sum: a.sum, ptext: s.mismPText}
		s.mism = append(s.mism, mismatchText{period: m.ptext, text: m.message()})
	}
}

// figureAmount turns a stored figure into an amount.
func (s *series) figureAmount(m *Measurement) amount {
	if s.u.text {
		if strings.TrimSpace(m.Text) == "" && m.Value == nil {
			return noAmount("empty")
		}
		return amount{ok: true}
	}
	if s.u.ratio && m.Numerator != nil && m.Denominator != nil {
		return ndAmount(*m.Numerator, *m.Denominator, s.u.scale)
	}
	if m.Value != nil {
		return amount{ok: true, val: *m.Value}
	}
	return noAmount("no value")
}

// over aggregates, for key, the periods that lie in from..to (a zero from
// means from the beginning) by the indicator's aggregation.
func (s *series) over(key string, from, to time.Time) amount {
	return s.aggregate(key, to, func(p Period) bool { return from.IsZero() || !p.Start.Before(from) })
}

// overEnding aggregates, for key, the periods that end in from..to (a
// zero from means from the beginning), wherever they start: the figures
// that belong to a slot of the report.
func (s *series) overEnding(key string, from, to time.Time) amount {
	return s.aggregate(key, to, func(p Period) bool { return from.IsZero() || !p.End.Before(from) })
}

// overWindow aggregates, for key, the periods that end in from..to and are
// not longer than from..to: the figures of a report period alone. A figure
// that starts before from but ends inside (a calendar quarter in a project
// year that starts in September) belongs to the window it ends in, as it
// belongs to the slot it ends in; a coarser figure (a year in a quarter)
// is not the figure of the window alone.
func (s *series) overWindow(key string, from, to time.Time) amount {
	span := to.Sub(from)
	return s.aggregate(key, to, func(p Period) bool { return !p.End.Before(from) && p.End.Sub(p.Start) <= span })
}

// aggregate aggregates, for key, the periods that end by to and that keep
// accepts, by the indicator's aggregation.
func (s *series) aggregate(key string, to time.Time, keep func(Period) bool) amount {
	r, ok := s.kidx[key]
	if !ok {
		return noAmount(reasonNoFigures)
	}
	s.buf = s.buf[:0]
	row := s.vals[r]
	for i, p := range s.periods {
		if p.End.After(to) {
			break // sorted by end
		}
		if keep(p) {
			s.buf = append(s.buf, s.amount(&row[i]))
		}
	}
	return aggOver(s.buf, s.u, s.ind.Unit, s.agg, s.explicit)
}

// textAt is the latest text reported up to the end of to.
func (s *series) textAt(to time.Time) string {
	out := ""
	for i, p := range s.periods {
		if p.End.After(to) {
			break
		}
		if s.texts[i] != "" {
			out = s.texts[i]
		}
	}
	return out
}
