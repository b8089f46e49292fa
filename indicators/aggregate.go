package indicators

import (
	"fmt"
	"math"
	"sort"
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
	if !a.ok {
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
	if len(as) == 0 {
		return noAmount(reasonNoFigures)
	}
	allND := true
	for _, a := range as {
		if !a.ok && !a.nd {
			return noAmount(a.reason)
		}
		if !a.nd {
			allND = false
		}
	}
	if allND && u.ratio {
		var n, d float64
		for _, a := range as {
			n += a.num
			d += a.den
		}
		return ndAmount(n, d, u.scale)
	}
	if !u.add {
		if u.ratio {
			return noAmount("percent or ratio figures without numerator and denominator cannot be added")
		}
		return noAmount(fmt.Sprintf("%s figures cannot be added", unit))
	}
	var v float64
	for _, a := range as {
		if !a.ok {
			return noAmount(a.reason)
		}
		v += a.val
	}
	return amount{ok: true, val: v}
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
// one pair, Disagg.Key otherwise. Fast for the common short cases.
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

// dnames is the sorted dimension names of d joined by commas.
func dnames(d Disagg) string {
	switch len(d) {
	case 0:
		return ""
	case 1:
		for k := range d {
			return k
		}
	case 2:
		var a, b string
		i := 0
		for k := range d {
			if i == 0 {
				a = k
			} else {
				b = k
			}
			i++
		}
		if b < a {
			a, b = b, a
		}
		return a + "," + b
	}
	return strings.Join(d.Dims(), ",")
}

// mismatch is an explicit figure that differs from the sum of its breakdown.
type mismatch struct {
	period     Period
	key        string // "" for the total
	total, sum float64
}

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
	vals     [][]amount     // [key][period]
	texts    []string       // text indicators: the total's text per period
	figs     []*Measurement // the figures, for sources and verification
	mism     []mismatch
	buf      []amount
}

// newSeries resolves the figures of ind (in input order: a later figure for
// the same period and disaggregation replaces an earlier one).
func newSeries(ind *Indicator, fw *Framework, figs []*Measurement) *series {
	s := &series{ind: ind, u: rulesOf(ind), agg: ind.AggregationOrDefault(), explicit: ind.Aggregation != "",
		kidx: map[string]int{}, figs: figs}
	order := make([]int, len(figs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return figs[order[a]].Period.Compare(figs[order[b]].Period) < 0 })
	for lo := 0; lo < len(order); {
		hi := lo + 1
		p := figs[order[lo]].Period
		for hi < len(order) && figs[order[hi]].Period.Compare(p) == 0 {
			hi++
		}
		group := make([]*Measurement, hi-lo)
		for j := lo; j < hi; j++ {
			group[j-lo] = figs[order[j]]
		}
		s.addPeriod(p, group, fw)
		lo = hi
	}
	return s
}

// row returns the row of vals for key, adding it (no data everywhere).
func (s *series) row(key string) int {
	if r, ok := s.kidx[key]; ok {
		return r
	}
	r := len(s.vals)
	s.kidx[key] = r
	row := make([]amount, len(s.periods), cap(s.periods))
	for i := range row {
		row[i] = noAmount(reasonNoFigures)
	}
	s.vals = append(s.vals, row)
	return r
}

type pcell struct {
	m     *Measurement
	key   string
	names string
	amt   amount
}

type pgroup struct {
	names string
	n     int // number of dimensions
	cells []*pcell
}

// addPeriod resolves the figures of one period.
func (s *series) addPeriod(p Period, figs []*Measurement, fw *Framework) {
	pi := len(s.periods)
	s.periods = append(s.periods, p)
	for r := range s.vals {
		s.vals[r] = append(s.vals[r], noAmount(reasonNoFigures))
	}
	if s.u.text {
		s.texts = append(s.texts, "")
	}
	cells := make([]pcell, 0, len(figs))
	explicit := make(map[string]int, 4)
	for _, m := range figs {
		c := pcell{m: m, key: dkey(m.Dims), names: dnames(m.Dims), amt: s.figureAmount(m)}
		if j, dup := explicit[c.key]; dup {
			cells[j] = c
			continue
		}
		explicit[c.key] = len(cells)
		cells = append(cells, c)
	}
	if s.u.text {
		if j, ok := explicit[""]; ok {
			s.texts[pi] = cells[j].m.Text
			if s.texts[pi] == "" && cells[j].m.Value != nil {
				s.texts[pi] = formatNumber(*cells[j].m.Value)
			}
			s.vals[s.row("")][pi] = cells[j].amt
		}
		return
	}
	// groups of cells by their dimension names, coarsest first
	var groups []*pgroup
	gidx := map[string]*pgroup{}
	for i := range cells {
		c := &cells[i]
		if c.names == "" {
			continue
		}
		g := gidx[c.names]
		if g == nil {
			g = &pgroup{names: c.names, n: len(c.m.Dims)}
			gidx[c.names] = g
			groups = append(groups, g)
		}
		g.cells = append(g.cells, c)
	}
	sort.Slice(groups, func(a, b int) bool {
		if groups[a].n != groups[b].n {
			return groups[a].n < groups[b].n
		}
		return groups[a].names < groups[b].names
	})
	// the total
	var total amount
	var brk []amount
	if len(groups) > 0 {
		g := groups[0]
		brk = make([]amount, len(g.cells))
		for j, c := range g.cells {
			brk[j] = c.amt
		}
	}
	if j, ok := explicit[""]; ok {
		total = cells[j].amt
		if len(groups) > 0 {
			s.checkMismatch(p, "", total, groups[0], "", fw)
		}
	} else if len(groups) > 0 {
		total = s.u.addAll(brk, s.ind.Unit)
	} else {
		total = noAmount(reasonNoFigures)
	}
	s.vals[s.row("")][pi] = total
	// single dimension values
	done := map[string]bool{}
	for _, c := range cells {
		if len(c.m.Dims) == 1 {
			s.vals[s.row(c.key)][pi] = c.amt
			done[c.key] = true
		}
	}
	chosen := map[string]bool{} // dimension names already resolved from a coarser group
	for _, g := range groups {
		if g.n < 2 {
			continue
		}
		for _, name := range strings.Split(g.names, ",") {
			if chosen[name] {
				continue
			}
			chosen[name] = true
			byVal := map[string][]amount{}
			var vals []string
			for _, c := range g.cells {
				v := c.m.Dims[name]
				if _, seen := byVal[v]; !seen {
					vals = append(vals, v)
				}
				byVal[v] = append(byVal[v], c.amt)
			}
			for _, v := range vals {
				key := name + "=" + v
				if done[key] {
					j := explicit[key]
					s.checkMismatch(p, key, cells[j].amt, g, name, fw)
					continue
				}
				s.vals[s.row(key)][pi] = s.u.addAll(byVal[v], s.ind.Unit)
			}
		}
	}
}

// checkMismatch compares an explicit figure (the total, or the pair key of
// dimension name) with the sum of its breakdown g. It records a mismatch
// when the breakdown is complete (every declared value of its other
// dimensions present) and differs, or when it adds up to more than the
// figure.
func (s *series) checkMismatch(p Period, key string, fig amount, g *pgroup, name string, fw *Framework) {
	if !s.u.add || !fig.ok {
		return
	}
	var val string
	if name != "" {
		_, val, _ = strings.Cut(key, "=")
	}
	var sum float64
	n := 0
	for _, c := range g.cells {
		if name != "" && c.m.Dims[name] != val {
			continue
		}
		if !c.amt.ok {
			return
		}
		sum += c.amt.val
		n++
	}
	if n == 0 {
		return
	}
	complete := true
	want := 1
	for _, d := range strings.Split(g.names, ",") {
		if d == name {
			continue
		}
		if dim, ok := fw.Dimension(d); ok && len(dim.Values) > 0 {
			want *= len(dim.Values)
		} else {
			complete = false
		}
	}
	if n < want {
		complete = false
	}
	tol := 1e-9 * math.Max(1, math.Abs(fig.val))
	if math.Abs(sum-fig.val) <= tol {
		return
	}
	if complete || sum > fig.val+tol {
		s.mism = append(s.mism, mismatch{period: p, key: key, total: fig.val, sum: sum})
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
		if !from.IsZero() && p.Start.Before(from) {
			continue
		}
		s.buf = append(s.buf, row[i])
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

// formatNumber prints a number the short way people write it: 12, 0.5, 71.43.
func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// FormatNumber prints v as the reports do: no trailing zeros, at most two
// decimals (12, 0.5, 71.43).
func FormatNumber(v float64) string { return formatNumber(v) }
