package indicators

import (
	"fmt"
	"time"
)

// rmemo caches a value per slot.
type rmemo struct {
	val   []amount
	state []uint8 // 0 not computed, 1 in progress, 2 done
}

func newMemo(n int) *rmemo { return &rmemo{val: make([]amount, n), state: make([]uint8, n)} }

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
	b.dimKeysMu.Lock() // report works out several indicators at once (prework)
	defer b.dimKeysMu.Unlock()
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
