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
// An indicator's figures are kept as cells: one per period and
// disaggregation. A value at one period and disaggregation is the explicit
// figure when there is one; otherwise it is the sum of the coarsest complete
// breakdown below it (sex=female + sex=male for the total; the pairs of
// sex x location for sex=female when only those are given). Over time the
// per-period values are combined by the indicator's aggregation.
//
// Percent and ratio figures that carry a numerator and a denominator (given
// on the rows or through supporting measures) are always combined as a ratio
// of sums, never as an average of ratios: 30/40 and 10/60 make 40/100 = 40%,
// not (75% + 16.7%)/2 = 45.8%.

// amount is a value, or the reason there is none.
type amount struct {
	ok       bool
	val      float64
	nd       bool // num and den are meaningful: val = scale*num/den
	num, den float64
	text     string
	reason   string // why !ok, for findings ("division by zero", ...)
}

func noAmount(reason string) amount { return amount{reason: reason} }

func (a amount) ptr() *float64 {
	if !a.ok {
		return nil
	}
	v := a.val
	return &v
}

// cell is one figure of a series.
type cell struct {
	dims     Disagg
	amt      amount
	verified Verified
	loc      Loc
}

// dayKey is a period as a comparable map key.
type dayKey struct{ s, e int64 }

func keyOf(p Period) dayKey { return dayKey{p.Start.Unix(), p.End.Unix()} }

// series is the figures of one indicator, by period then disaggregation.
type series struct {
	ind     *Indicator
	scale   float64 // 100 for percent, 1 otherwise (applied to num/den)
	agg     Aggregation
	ratio   bool // percent/ratio figures combined as num/den
	add     bool // values may be added over disaggregations (number, currency)
	periods []Period
	index   map[dayKey]int
	cells   [][]*cell // per period index: cells
}

func newSeries(ind *Indicator) *series {
	s := &series{ind: ind, scale: 1, agg: ind.AggregationOrDefault(), index: map[dayKey]int{}}
	switch ind.Unit {
	case Percent:
		s.scale = 100
		s.ratio = true
	case Ratio:
		s.ratio = true
	case Number, Currency:
		s.add = true
	}
	return s
}

// put adds a cell, replacing one for the same period and disaggregation.
func (s *series) put(p Period, c *cell) {
	k := keyOf(p)
	i, ok := s.index[k]
	if !ok {
		i = len(s.periods)
		s.index[k] = i
		s.periods = append(s.periods, p)
		s.cells = append(s.cells, nil)
	}
	key := c.dims.Key()
	for j, old := range s.cells[i] {
		if old.dims.Key() == key {
			s.cells[i][j] = c
			return
		}
	}
	s.cells[i] = append(s.cells[i], c)
}

// sortPeriods orders periods by end then start, keeping cells aligned.
func (s *series) sortPeriods() {
	idx := make([]int, len(s.periods))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.periods[idx[a]].Compare(s.periods[idx[b]]) < 0 })
	ps := make([]Period, len(idx))
	cs := make([][]*cell, len(idx))
	for n, i := range idx {
		ps[n], cs[n] = s.periods[i], s.cells[i]
		s.index[keyOf(ps[n])] = n
	}
	s.periods, s.cells = ps, cs
}

// figureAmount turns a stored figure into an amount.
func (s *series) figureAmount(m *Measurement) amount {
	if s.ind.Unit == Text {
		if strings.TrimSpace(m.Text) == "" && m.Value == nil {
			return noAmount("empty")
		}
		t := m.Text
		if t == "" && m.Value != nil {
			t = formatNumber(*m.Value)
		}
		return amount{ok: true, text: t}
	}
	if s.ratio && m.Numerator != nil && m.Denominator != nil {
		return ndAmount(*m.Numerator, *m.Denominator, s.scale)
	}
	if m.Value != nil {
		return amount{ok: true, val: *m.Value}
	}
	return noAmount("no value")
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
func (s *series) addAll(as []amount) amount {
	if len(as) == 0 {
		return noAmount("no figures")
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
	if allND && s.ratio {
		var n, d float64
		for _, a := range as {
			n += a.num
			d += a.den
		}
		return ndAmount(n, d, s.scale)
	}
	if !s.add {
		if s.ratio {
			return noAmount("percent or ratio figures without numerator and denominator cannot be added")
		}
		return noAmount(fmt.Sprintf("%s figures cannot be added", s.ind.Unit))
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

// at is the amount at period index i for disaggregation d: the explicit
// figure, else the sum of the coarsest breakdown of d.
func (s *series) at(i int, d Disagg) amount {
	key := d.Key()
	cs := s.cells[i]
	for _, c := range cs {
		if c.dims.Key() == key {
			return c.amt
		}
	}
	g := coarsestGroup(cs, d)
	if g == nil {
		return noAmount("no figures")
	}
	as := make([]amount, len(g))
	for j, c := range g {
		as[j] = c.amt
	}
	return s.addAll(as)
}

// coarsestGroup returns the cells strictly below d (they have every pair of d
// and more) that share the fewest dimension names: the breakdown a total is
// summed from. Ties go to the dimension names first in alphabetical order.
func coarsestGroup(cs []*cell, d Disagg) []*cell {
	groups := map[string][]*cell{}
	for _, c := range cs {
		if len(c.dims) <= len(d) || !c.dims.Has(d) {
			continue
		}
		names := strings.Join(c.dims.Dims(), ",")
		groups[names] = append(groups[names], c)
	}
	best := ""
	bestN := -1
	for names, g := range groups {
		n := len(g[0].dims)
		if bestN < 0 || n < bestN || (n == bestN && names < best) {
			best, bestN = names, n
		}
	}
	if bestN < 0 {
		return nil
	}
	return groups[best]
}

// inWindow lists the period indices whose period lies in from..to.
func (s *series) inWindow(from, to time.Time) []int {
	var out []int
	for i, p := range s.periods {
		if !p.Start.Before(from) && !p.End.After(to) {
			out = append(out, i)
		}
	}
	return out
}

// over aggregates the values at periods idx (sorted) for d by the
// indicator's aggregation. It also returns the period indices whose figures
// make the value (for sources).
func (s *series) over(idx []int, d Disagg) (amount, []int) {
	type pa struct {
		i int
		a amount
	}
	var have []pa
	var lastReason string
	for _, i := range idx {
		a := s.at(i, d)
		if a.ok || (a.nd && s.ratio) {
			have = append(have, pa{i, a})
		} else if a.reason != "no figures" {
			lastReason = a.reason
		}
	}
	if len(have) == 0 {
		if lastReason == "" {
			lastReason = "no figures"
		}
		return noAmount(lastReason), nil
	}
	used := func(ps []pa) []int {
		out := make([]int, len(ps))
		for j, p := range ps {
			out[j] = p.i
		}
		return out
	}
	if s.ind.Unit == Text {
		l := have[len(have)-1]
		return l.a, []int{l.i}
	}
	switch s.agg {
	case Last:
		l := have[len(have)-1]
		return l.a, []int{l.i}
	case Max, Min:
		var best *pa
		for j := range have {
			if !have[j].a.ok {
				continue
			}
			if best == nil || (s.agg == Max && have[j].a.val > best.a.val) || (s.agg == Min && have[j].a.val < best.a.val) {
				best = &have[j]
			}
		}
		if best == nil {
			return noAmount(have[len(have)-1].a.reason), nil
		}
		return best.a, []int{best.i}
	case Mean:
		as := make([]amount, len(have))
		allND := true
		for j, h := range have {
			as[j] = h.a
			allND = allND && h.a.nd
		}
		if s.ratio && allND {
			return s.addAll(as), used(have) // ratio of sums, not a mean of ratios
		}
		var sum float64
		for _, a := range as {
			if !a.ok {
				return noAmount(a.reason), nil
			}
			sum += a.val
		}
		return amount{ok: true, val: sum / float64(len(as))}, used(have)
	default: // Sum
		as := make([]amount, len(have))
		for j, h := range have {
			as[j] = h.a
		}
		if !s.add && !s.ratio {
			// yes/no figures over time: a sum makes no sense; take the latest.
			l := have[len(have)-1]
			return l.a, []int{l.i}
		}
		return s.addAll(as), used(have)
	}
}

// mismatch compares the explicit total of period i for d with the sum of
// its coarsest breakdown. It reports a mismatch when the breakdown is
// complete (every declared value of its dimensions present) and differs, or
// when the breakdown adds up to more than the total.
func (s *series) mismatch(i int, d Disagg, fw *Framework) (total, sum float64, ok bool) {
	if !s.add {
		return 0, 0, false
	}
	var tc *cell
	for _, c := range s.cells[i] {
		if c.dims.Key() == d.Key() {
			tc = c
		}
	}
	if tc == nil || !tc.amt.ok {
		return 0, 0, false
	}
	g := coarsestGroup(s.cells[i], d)
	if len(g) == 0 {
		return 0, 0, false
	}
	var sm float64
	for _, c := range g {
		if !c.amt.ok {
			return 0, 0, false
		}
		sm += c.amt.val
	}
	complete := true
	want := 1
	for _, name := range g[0].dims.Dims() {
		if _, in := d[name]; in {
			continue
		}
		if dim, ok := fw.Dimension(name); ok && len(dim.Values) > 0 {
			want *= len(dim.Values)
		} else {
			complete = false
		}
	}
	if complete && len(g) < want {
		complete = false
	}
	diff := math.Abs(sm - tc.amt.val)
	tol := 1e-9 * math.Max(1, math.Abs(tc.amt.val))
	if diff <= tol {
		return 0, 0, false
	}
	if complete || sm > tc.amt.val+tol {
		return tc.amt.val, sm, true
	}
	return 0, 0, false
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
