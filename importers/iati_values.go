package importers

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

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
