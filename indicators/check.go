package indicators

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Check lints the framework (SPEC §2, `rmf check`): results without
// indicators, outcomes no output feeds, indicators without baseline, target,
// data source or collection method, targets and milestones that move against
// the indicator's direction, milestones outside the project dates, and
// formulas, status rules and rule checks that do not compile, name unknown
// codes or form cycles. Each finding has Kind "lint", names the code of the
// result, indicator or rule it is about and says what to fix. Findings are
// in framework order: the project, then results, then each indicator with
// its milestones, then rules.
//
// Severities: formula problems and targets or milestones that contradict
// the direction or fall wholly outside the project are errors (the numbers
// would be wrong); gaps in the monitoring plan are warnings; an activity
// without indicators is info (activities are usually followed through the
// indicators of their output).
//
// A missing baseline is no finding for indicators that add up over time
// (aggregation sum), since it counts as 0 (SPEC §5).
func (fw *Framework) Check() []Finding {
	c := &checker{fw: fw}
	c.results()
	c.indicators()
	c.formulas()
	c.iati() // indicators/iati.go (issue 12)
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i], c.out[j]
		if a.sec != b.sec {
			return a.sec < b.sec
		}
		if a.idx != b.idx {
			return a.idx < b.idx
		}
		return a.sub < b.sub
	})
	out := make([]Finding, len(c.out))
	for i, l := range c.out {
		out[i] = l.f
	}
	return out
}

// lint is a finding with its place in the framework, for sorting.
type lint struct {
	sec, idx, sub int
	f             Finding
}

type checker struct {
	fw  *Framework
	out []lint
}

// sub-orders of the findings of one indicator.
const (
	subField = iota
	subFormula
	subMilestone
	subCycle
)

func (c *checker) add(sec, idx, sub int, code string, sev Severity, format string, args ...any) {
	c.out = append(c.out, lint{sec, idx, sub, Finding{Code: code, Severity: sev, Kind: "lint", Message: fmt.Sprintf(format, args...)}})
}

func (c *checker) results() {
	fw := c.fw
	has := map[string]bool{}
	for _, ind := range fw.Indicators {
		if ind.Result != "" {
			has[ind.Result] = true
		}
	}
	for i, r := range fw.Results {
		if !has[r.Code] {
			switch r.Level {
			case Activity:
				parent := "its output"
				if r.Parent != "" {
					parent = "output " + r.Parent
				}
				c.add(secResults, i, 0, r.Code, SevInfo,
					"activity %s has no indicator; it is followed through the indicators of %s (add an indicator with result %s to monitor it directly)",
					r.Code, parent, r.Code)
			default:
				c.add(secResults, i, 0, r.Code, SevWarning,
					"%s %s has no indicator; add at least one row with result %s in the Indicators sheet",
					levelName(r.Level), r.Code, r.Code)
			}
		}
		if r.Level == Outcome && !fw.fed(r.Code) {
			c.add(secResults, i, 1, r.Code, SevWarning,
				"outcome %s has no output feeding it; add an output with parent %s, or name %s in an output's contributes_to",
				r.Code, r.Code, r.Code)
		}
	}
}

// fed is true when some output has outcome code as its parent or names it
// in contributes_to.
func (fw *Framework) fed(code string) bool {
	for _, r := range fw.Results {
		if r.Level != Output {
			continue
		}
		if r.Parent == code {
			return true
		}
		for _, t := range r.ContributesTo {
			if t == code {
				return true
			}
		}
	}
	return false
}

func levelName(l Level) string {
	if l == "" {
		return "result"
	}
	return string(l)
}

func (c *checker) indicators() {
	fw := c.fw
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		c.indicatorFields(i, ind)
		c.direction(i, ind)
		c.milestones(i, ind)
	}
}

// supporting is true for a supporting measure (no result): it has no
// baseline or target of its own.
func supporting(ind *Indicator) bool { return ind.Result == "" }

func (c *checker) indicatorFields(i int, ind *Indicator) {
	warn := func(format string, args ...any) {
		c.add(secIndicators, i, subField, ind.Code, SevWarning, format, args...)
	}
	if !supporting(ind) {
		hasBaseline := ind.Baseline != nil || (ind.Unit == Text && strings.TrimSpace(ind.BaselineText) != "")
		if !hasBaseline && !(ind.Unit.Numeric() && ind.AggregationOrDefault() == Sum) {
			warn("indicator %s has no baseline, so its progress cannot be computed; give the baseline value and baseline_date in the Indicators sheet", ind.Code)
		}
		hasTarget := ind.Target != nil || (ind.Unit == Text && strings.TrimSpace(ind.TargetText) != "")
		if !hasTarget {
			warn("indicator %s has no end-of-project target, so its progress and status cannot be computed; give it in column target of the Indicators sheet", ind.Code)
		}
	}
	// a frequency none of whose periods lies inside the project: no
	// figure would ever be owed (SPEC 5 "What is due")
	if k, end, err := ParseFrequency(ind.Frequency); err == nil && !end && k != KindRange && !supporting(ind) &&
		!c.fw.Project.Start.IsZero() && !c.fw.Project.End.IsZero() && len(c.fw.OwedPeriods(ind, c.fw.Project.End)) == 0 {
		warn("indicator %s has frequency %s, but no %s period lies wholly inside the project (%s to %s), so no figure is ever owed; use end, or a shorter frequency in column frequency",
			ind.Code, strings.TrimSpace(ind.Frequency), strings.TrimSpace(ind.Frequency), c.fw.Project.Start.Format(time.DateOnly), c.fw.Project.End.Format(time.DateOnly))
	}
	if ind.Computed() {
		return // its figures come from its formula
	}
	if strings.TrimSpace(ind.DataSource) == "" {
		warn("indicator %s has no data source; say where its figures come from in column data_source", ind.Code)
	}
	if strings.TrimSpace(ind.CollectionMethod) == "" {
		warn("indicator %s has no collection method; say how its figures are collected in column collection_method", ind.Code)
	}
}

// baselineOrZero is the indicator's baseline, 0 for sum indicators without
// one (SPEC §5), or nil.
func baselineOrZero(ind *Indicator) *float64 {
	if ind.Baseline != nil {
		return ind.Baseline
	}
	if ind.Unit.Numeric() && ind.AggregationOrDefault() == Sum {
		z := 0.0
		return &z
	}
	return nil
}

// fmtFig prints a figure of ind as stored (Unit.FormatExact): yes/no as
// yes or no, others as numbers with every digit.
func fmtFig(ind *Indicator, x float64) string { return ind.Unit.FormatExact(x) }

// against is true when moving from a to b goes against direction d.
func against(d Direction, a, b float64) bool {
	switch d {
	case Increase, "":
		return b < a
	case Decrease:
		return b > a
	}
	return false
}

// dirWord is what the direction asks of the figures.
func dirWord(d Direction) string {
	if d == Decrease {
		return "decrease"
	}
	return "increase"
}

func (c *checker) direction(i int, ind *Indicator) {
	if supporting(ind) || !ind.Unit.Numeric() || ind.Target == nil || ind.Direction == Maintain {
		return
	}
	b := baselineOrZero(ind)
	if b == nil {
		return
	}
	t := *ind.Target
	switch {
	case against(ind.Direction, *b, t):
		c.add(secIndicators, i, subField, ind.Code, SevError,
			"indicator %s should %s but its target (%s) is %s than its baseline (%s); fix the target, the baseline or the direction",
			ind.Code, dirWord(ind.Direction), fmtFig(ind, t), map[bool]string{true: "lower", false: "higher"}[ind.Direction != Decrease], fmtFig(ind, *b))
	case t == *b:
		c.add(secIndicators, i, subField, ind.Code, SevWarning,
			"indicator %s has a target equal to its baseline (%s), so no change is expected and progress cannot be computed; fix the target, or set direction maintain",
			ind.Code, fmtFig(ind, t))
	}
}

func (c *checker) milestones(i int, ind *Indicator) {
	fw := c.fw
	ms := fw.MilestonesOf(ind.Code)
	if len(ms) == 0 {
		return
	}
	add := func(sev Severity, format string, args ...any) {
		c.add(secIndicators, i, subMilestone, ind.Code, sev, format, args...)
	}
	// Dates: a milestone is due by the end of its period.
	p := fw.Project
	if !p.Start.IsZero() && !p.End.IsZero() {
		proj := p.Period()
		for _, m := range ms {
			if m.Period.IsZero() {
				continue
			}
			due := m.Period.End.Format(time.DateOnly)
			switch {
			case !proj.Overlaps(m.Period):
				add(SevError, "milestone of indicator %s for %s%s falls outside the project (%s to %s); move it to a period within the project or remove it",
					ind.Code, fw.Project.PeriodLabel(m.Period), dimsSuffix(m.Dims), p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly))
			case m.Period.End.After(p.End):
				add(SevWarning, "milestone of indicator %s for %s%s is due %s, after the project ends (%s); use a period that ends by the project end, such as %s",
					ind.Code, fw.Project.PeriodLabel(m.Period), dimsSuffix(m.Dims), due, p.End.Format(time.DateOnly),
					Range(maxTime(m.Period.Start, p.Start), p.End))
			case m.Period.End.Before(p.Start):
				add(SevError, "milestone of indicator %s for %s%s is due %s, before the project starts (%s); move it to a period within the project",
					ind.Code, fw.Project.PeriodLabel(m.Period), dimsSuffix(m.Dims), due, p.Start.Format(time.DateOnly))
			}
		}
	}
	// How they are read (SPEC 5): an error when neither reading fits,
	// else a note saying which reading is used.
	switch use := fw.MilestoneUse(ind); {
	case use.Err != "":
		at := "of the Indicators sheet"
		if w := where(ind.Loc); w != "" {
			at += " (" + w + ")"
		}
		add(SevError, "milestones of indicator %s cannot be read: %s; say which in column milestones %s: cumulative (each milestone is where the indicator should stand by the end of its period) or per period (the amount of its period alone, adding up to the target)",
			ind.Code, use.Err, at)
	case use.Reading != "" && !use.Levels:
		add(SevInfo, "milestones of indicator %s are read as %s", ind.Code, use)
	}
	perPeriod := fw.MilestoneUse(ind).Reading == MilestonesPerPeriod
	if !ind.Unit.Numeric() || ind.Direction == Maintain {
		return
	}
	// Direction: per disaggregation, in period order.
	groups := map[string][]Milestone{}
	var keys []string
	for _, m := range ms {
		k := m.Dims.Key()
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], m)
	}
	sum := ind.AggregationOrDefault() == Sum
	for _, k := range keys {
		g := groups[k]
		if sum {
			// A negative amount goes against an increase whatever the
			// reading.
			if ind.Direction != Decrease {
				for _, m := range g {
					if m.Target < 0 {
						add(SevWarning, "milestone of indicator %s for %s%s is negative (%s) although the indicator adds up over time and should increase; fix the milestone",
							ind.Code, fw.Project.PeriodLabel(m.Period), dimsSuffix(m.Dims), fmtFig(ind, m.Target))
					}
				}
			}
			// Per period, each milestone is its period's share: they may go
			// down from period to period.
			if perPeriod || ind.Direction == Decrease {
				continue
			}
		}
		// Levels: baseline, milestones, target must move the same way.
		prevVal, prevWhat := 0.0, ""
		if k == "" && ind.Baseline != nil && !sum {
			prevVal, prevWhat = *ind.Baseline, "the baseline"
		}
		for _, m := range g {
			if prevWhat != "" && against(ind.Direction, prevVal, m.Target) {
				add(SevWarning, "milestone of indicator %s for %s%s (%s) is %s than %s (%s) although the indicator should %s; fix the milestone or the direction",
					ind.Code, fw.Project.PeriodLabel(m.Period), dimsSuffix(m.Dims), fmtFig(ind, m.Target), lowerHigher(ind.Direction), prevWhat, fmtFig(ind, prevVal), dirWord(ind.Direction))
			}
			prevVal, prevWhat = m.Target, "the milestone for "+fw.Project.PeriodLabel(m.Period)
		}
		if k == "" && ind.Target != nil && prevWhat != "" && against(ind.Direction, prevVal, *ind.Target) {
			add(SevWarning, "indicator %s has an end-of-project target (%s) %s than %s (%s) although it should %s; fix the target or the milestone",
				ind.Code, fmtFig(ind, *ind.Target), lowerHigher(ind.Direction), prevWhat, fmtFig(ind, prevVal), dirWord(ind.Direction))
		}
	}
}

func lowerHigher(d Direction) string {
	if d == Decrease {
		return "higher"
	}
	return "lower"
}

func dimsSuffix(d Disagg) string {
	if len(d) == 0 {
		return ""
	}
	return " (" + d.Key() + ")"
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// formulas compiles every formula, status rule and rule check and looks
// for cycles, reporting each problem as an error at its item.
func (c *checker) formulas() {
	fw := c.fw
	known := fw.indicatorSet()
	isKnown := func(code string) bool { _, ok := known[code]; return ok }
	compiled := map[string]*Formula{}
	if src := strings.TrimSpace(fw.Project.StatusRule); src != "" {
		if _, err := CompileFormula(FormulaStatus, src, nil); err != nil {
			c.add(secProject, 0, subFormula, fw.Project.Code, SevError, "%s", formulaLint("project "+fw.Project.Code, "status_rule", err))
		}
	}
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		if ind.Computed() {
			f, err := CompileFormula(FormulaValue, ind.Formula, isKnown)
			if err != nil {
				c.add(secIndicators, i, subFormula, ind.Code, SevError, "%s", formulaLint("indicator "+ind.Code, "formula", err))
			} else if _, dup := compiled[ind.Code]; !dup {
				compiled[ind.Code] = f
			}
		}
		if strings.TrimSpace(ind.StatusRule) != "" {
			if _, err := CompileFormula(FormulaStatus, ind.StatusRule, nil); err != nil {
				c.add(secIndicators, i, subFormula, ind.Code, SevError, "%s", formulaLint("indicator "+ind.Code, "status_rule", err))
			}
		}
	}
	for i, r := range fw.Rules {
		if strings.TrimSpace(r.Check) == "" {
			c.add(secRules, i, subFormula, r.Code, SevError, "rule %s has no check; write a formula that must be true in column check", r.Code)
			continue
		}
		if _, err := CompileFormula(FormulaCheck, r.Check, isKnown); err != nil {
			c.add(secRules, i, subFormula, r.Code, SevError, "%s", formulaLint("rule "+r.Code, "check", err))
		}
	}
	for _, cyc := range fw.cycles(compiled) {
		first := cyc[0]
		codes := make([]string, 0, len(cyc)+1)
		for _, k := range cyc {
			codes = append(codes, fw.Indicators[k].Code)
		}
		codes = append(codes, codes[0])
		c.add(secIndicators, first, subCycle, fw.Indicators[first].Code, SevError,
			"indicator %s is computed from itself through %s; remove one of these references (formula, numerator or denominator)",
			fw.Indicators[first].Code, strings.Join(codes, " -> "))
	}
}

// formulaLint is the message of a formula that does not compile: who,
// column, position, what is wrong and what to do.
func formulaLint(who, field string, err error) string {
	var fe *FormulaError
	if !errors.As(err, &fe) {
		return fmt.Sprintf("%s: column %s does not compile: %v; fix the formula", who, field, err)
	}
	pos := ""
	if fe.Line > 0 {
		pos = fmt.Sprintf(" at %d:%d", fe.Line, fe.Column)
	}
	if errors.Is(err, ErrUnknownCode) {
		msg := strings.TrimPrefix(fe.Err.Error(), ErrUnknownCode.Error()+": ")
		return fmt.Sprintf("%s: column %s refers to an unknown code%s in %q: %s; use the code of an indicator of the Indicators sheet",
			who, field, pos, fe.Source, msg)
	}
	msg := strings.TrimPrefix(fe.Err.Error(), ErrFormula.Error()+": ")
	return fmt.Sprintf("%s: column %s does not compile%s in %q: %s; fix the formula", who, field, pos, fe.Source, msg)
}

// cycles returns each cycle between computed indicators (through formulas,
// numerators and denominators) once, as indicator indexes starting at its
// member first in framework order.
func (fw *Framework) cycles(formulas map[string]*Formula) [][]int {
	idx := fw.indicatorSet()
	deps := func(i int) []int {
		var out []int
		for _, d := range fw.formulaDeps(&fw.Indicators[i], formulas) {
			if j, ok := idx[d]; ok {
				out = append(out, j)
			}
		}
		return out
	}
	inCycle := make([]bool, len(fw.Indicators))
	var found [][]int
	for start := range fw.Indicators {
		if inCycle[start] || idx[fw.Indicators[start].Code] != start {
			continue
		}
		// Breadth-first search for the shortest path from start back to
		// start through indicators after start (earlier ones were tried).
		prev := map[int]int{}
		queue := []int{start}
		seen := map[int]bool{}
		end := -1
		for len(queue) > 0 && end < 0 {
			n := queue[0]
			queue = queue[1:]
			for _, j := range deps(n) {
				if j == start {
					end = n
					break
				}
				if j < start || seen[j] {
					continue
				}
				seen[j] = true
				prev[j] = n
				queue = append(queue, j)
			}
		}
		if end < 0 {
			continue
		}
		var path []int
		for n := end; n != start; n = prev[n] {
			path = append(path, n)
		}
		path = append(path, start)
		// reverse: start first, following the references
		for a, b := 0, len(path)-1; a < b; a, b = a+1, b-1 {
			path[a], path[b] = path[b], path[a]
		}
		for _, k := range path {
			inCycle[k] = true
		}
		found = append(found, path)
	}
	return found
}
