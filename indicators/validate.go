package indicators

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// codePattern is what a code may be made of (SPEC 1).
var codePattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Sections of a framework, in the order problems and findings are listed.
const (
	secProject = iota
	secResults
	secIndicators
	secMilestones
	secDimensions
	secRules
)

// located is a problem or finding with the place of its item in the
// framework, for sorting in framework order.
type located struct {
	sec, idx int
	code     string
	field    string
	loc      Loc
	sev      Severity
	err      error // *CellError for problems
	msg      string
}

func sortLocated(ls []located) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].sec != ls[j].sec {
			return ls[i].sec < ls[j].sec
		}
		return ls[i].idx < ls[j].idx
	})
}

// cellErr locates err (which already wraps a sentinel) at field of loc.
func cellErr(loc Loc, field string, err error) *CellError {
	return &CellError{File: loc.File, Sheet: loc.Sheet, Row: loc.Row, Cell: loc.Cell(field), Field: field, Err: err}
}

// where describes the place of an item for a message: "Results row 4".
func where(loc Loc) string {
	switch {
	case loc.Sheet != "" && loc.Row > 0:
		return fmt.Sprintf("%s row %d", loc.Sheet, loc.Row)
	case loc.File != "" && loc.Row > 0:
		return fmt.Sprintf("%s line %d", loc.File, loc.Row)
	case loc.Row > 0:
		return fmt.Sprintf("row %d", loc.Row)
	}
	return ""
}

// Validate reports every semantic problem of the framework: missing
// required fields, malformed or duplicate codes, wrong parents, unknown
// references, undeclared dimensions, formulas that do not compile and
// cycles. Each problem is a *CellError naming the sheet and cell of the
// item (as recorded in its Loc), listed in framework order.
func (fw *Framework) Validate() Problems {
	ls := fw.validate()
	var out Problems
	for _, l := range ls {
		out = append(out, l.err)
	}
	return out
}

type validator struct {
	fw  *Framework
	out []located
	// dups is set when two items share a code: cycles found then are
	// artefacts of the duplicate and are not reported.
	dups bool
}

// anArticle is "an indicator", "a result".
func anArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

func (v *validator) add(sec, idx int, code string, loc Loc, field string, err *CellError) {
	v.out = append(v.out, located{sec: sec, idx: idx, code: code, field: field, loc: loc, sev: SevError, err: err, msg: err.Err.Error()})
}

func (fw *Framework) validate() []located {
	v := &validator{fw: fw}
	v.project()
	v.codes()
	v.results()
	v.indicators()
	v.milestones()
	v.dimensions()
	v.rules()
	_, probs := fw.Compile()
	for i, p := range probs {
		if v.dups && errors.Is(p, ErrCycle) {
			continue
		}
		l := located{sec: secRules + 1, idx: i, sev: SevError, err: p, msg: p.Error()}
		var ce *CellError
		if errors.As(p, &ce) {
			l.field = ce.Field
		}
		v.out = append(v.out, l)
	}
	sortLocated(v.out)
	return v.out
}

func (v *validator) project() {
	p := &v.fw.Project
	add := func(field string, sentinel error, format string, args ...any) {
		v.add(secProject, 0, p.Code, p.Loc, field, p.Loc.Errorf(field, sentinel, format, args...))
	}
	if strings.TrimSpace(p.Code) == "" {
		add("code", ErrRequired, "the project has no code; add it in the Project sheet, key code")
	} else if !codePattern.MatchString(p.Code) {
		add("code", ErrInvalid, "project code %q may only contain letters, digits, '.', '-' and '_'", p.Code)
	}
	if strings.TrimSpace(p.Title) == "" {
		add("title", ErrRequired, "the project has no title; add it in the Project sheet, key title")
	}
	if p.Start.IsZero() {
		add("start", ErrRequired, "the project has no start date; add it in the Project sheet, key start")
	} else if err := CheckYear("the project's start", p.Start); err != nil {
		add("start", ErrOutOfRange, "%s; fix start in the Project sheet", strings.TrimPrefix(err.Error(), ErrOutOfRange.Error()+": "))
	}
	if p.End.IsZero() {
		add("end", ErrRequired, "the project has no end date; add it in the Project sheet, key end")
	} else if err := CheckYear("the project's end", p.End); err != nil {
		add("end", ErrOutOfRange, "%s; fix end in the Project sheet", strings.TrimPrefix(err.Error(), ErrOutOfRange.Error()+": "))
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		add("end", ErrInvalid, "the project ends (%s) before it starts (%s); fix start or end in the Project sheet",
			p.End.Format("2006-01-02"), p.Start.Format("2006-01-02"))
	}
	if p.YearStart < 0 || p.YearStart > 12 {
		add("year_start", ErrOutOfRange, "year_start is %d, expected a month number from 1 to 12", p.YearStart)
	}
}

// codes checks the codes of results and indicators, which share one
// namespace: each must be present, well formed and unique.
func (v *validator) codes() {
	type first struct {
		kind string
		loc  Loc
	}
	seen := map[string]first{}
	check := func(sec, idx int, kind, code string, loc Loc) {
		add := func(sentinel error, format string, args ...any) {
			v.add(sec, idx, code, loc, "code", loc.Errorf("code", sentinel, format, args...))
		}
		switch {
		case strings.TrimSpace(code) == "":
			add(ErrRequired, "%s without a code; give every %s a code in column code", kind, kind)
			return
		case !codePattern.MatchString(code):
			add(ErrInvalid, "%s code %q may only contain letters, digits, '.', '-' and '_'", kind, code)
		}
		if f, dup := seen[code]; dup {
			at := where(f.loc)
			if at != "" {
				at = " (" + at + ")"
			}
			add(ErrDuplicate, "code %s of this %s is already used by %s%s; codes must be unique across results and indicators", code, kind, anArticle(f.kind), at)
			v.dups = true
			return
		}
		seen[code] = first{kind, loc}
	}
	for i, r := range v.fw.Results {
		check(secResults, i, "result", r.Code, r.Loc)
	}
	for i, ind := range v.fw.Indicators {
		check(secIndicators, i, "indicator", ind.Code, ind.Loc)
	}
}

func (v *validator) results() {
	fw := v.fw
	for i := range fw.Results {
		r := &fw.Results[i]
		add := func(field string, sentinel error, format string, args ...any) {
			v.add(secResults, i, r.Code, r.Loc, field, r.Loc.Errorf(field, sentinel, format, args...))
		}
		name := "result " + r.Code
		if r.Code == "" {
			name = "result"
		}
		rank := r.Level.Rank()
		switch {
		case r.Level == "":
			add("level", ErrRequired, "%s has no level; write goal, outcome, output or activity in column level", name)
		case rank < 0:
			add("level", ErrInvalid, "%s has level %q, expected goal, outcome, output or activity", name, r.Level)
		}
		if strings.TrimSpace(r.Statement) == "" {
			add("statement", ErrRequired, "%s has no statement; describe the result in column statement", name)
		}
		if r.Parent != "" {
			p, ok := fw.Result(r.Parent)
			switch {
			case !ok:
				add("parent", ErrUnknownCode, "%s names parent %q, which is not a result code of the Results sheet", name, r.Parent)
			case r.Level == Goal:
				add("parent", ErrLevel, "%s is a goal and has parent %s; a goal has no parent, clear column parent", name, r.Parent)
			case rank > 0 && p.Level.Rank() >= 0 && p.Level != r.Level.Parent():
				add("parent", ErrLevel, "%s is an %s but its parent %s is %s; the parent of an %s must be %s",
					name, r.Level, p.Code, article(p.Level), r.Level, article(r.Level.Parent()))
			}
		}
		for _, c := range r.ContributesTo {
			t, ok := fw.Result(c)
			switch {
			case !ok:
				add("contributes_to", ErrUnknownCode, "%s contributes to %q, which is not a result code of the Results sheet", name, c)
			case t.Level != Outcome:
				add("contributes_to", ErrLevel, "%s contributes to %s, which is %s; contributes_to must name outcomes", name, c, article(t.Level))
			}
		}
	}
}

// article is "an outcome", "a goal".
func article(l Level) string {
	if l == "" {
		return "nothing"
	}
	return anArticle(string(l))
}

func (v *validator) indicators() {
	for i := range v.fw.Indicators {
		v.indicator(i)
	}
}

// indicator checks indicator i of the framework: its name, numbers and
// dates, the words of its columns and the codes it names.
func (v *validator) indicator(i int) {
	fw := v.fw
	ind := &fw.Indicators[i]
	add := func(field string, sentinel error, format string, args ...any) {
		v.add(secIndicators, i, ind.Code, ind.Loc, field, ind.Loc.Errorf(field, sentinel, format, args...))
	}
	name := "indicator " + ind.Code
	if ind.Code == "" {
		name = "indicator"
	}
	if strings.TrimSpace(ind.Name) == "" {
		add("name", ErrRequired, "%s has no name; describe what it measures in column name", name)
	}
	for _, f := range []struct {
		field string
		v     *float64
	}{{"baseline", ind.Baseline}, {"target", ind.Target}} {
		if f.v != nil && CheckValue(*f.v) != nil {
			add(f.field, ErrOutOfRange, "%s has the %s %s, beyond the largest number rmf accepts (1e15, a million billion)", name, f.field, FormatValueShort(*f.v))
		}
	}
	if ind.BaselineDate != nil {
		if err := CheckYear("baseline date", *ind.BaselineDate); err != nil {
			add("baseline_date", ErrOutOfRange, "%s: %s", name, strings.TrimPrefix(err.Error(), ErrOutOfRange.Error()+": "))
		}
	}
	v.indicatorWords(ind, name, add)
	if ind.Result != "" {
		if _, ok := fw.Result(ind.Result); !ok {
			add("result", ErrUnknownCode, "%s belongs to result %q, which is not a result code of the Results sheet; fix column result (blank for a supporting measure)", name, ind.Result)
		}
	}
	seenDim := map[string]bool{}
	for _, d := range ind.Disaggregations {
		if _, ok := fw.Dimension(d); !ok {
			add("disaggregations", ErrDimension, "%s is disaggregated by %q, which is not declared in the Dimensions sheet (declared: %s)", name, d, fw.dimensionNames())
		}
		if seenDim[strings.ToLower(d)] {
			add("disaggregations", ErrDuplicate, "%s names dimension %s twice in column disaggregations", name, d)
		}
		seenDim[strings.ToLower(d)] = true
	}
	for _, nd := range []struct{ field, code, other, otherField string }{
		{"numerator", ind.Numerator, ind.Denominator, "denominator"},
		{"denominator", ind.Denominator, ind.Numerator, "numerator"},
	} {
		if nd.code == "" {
			if nd.other != "" {
				add(nd.field, ErrRequired, "%s has a %s (%s) but no %s; give both in the Indicators sheet, or neither", name, nd.otherField, nd.other, nd.field)
			}
			continue
		}
		if _, ok := fw.Indicator(nd.code); !ok {
			add(nd.field, ErrUnknownCode, "%s has %s %q, which is not an indicator code; name a supporting measure of the Indicators sheet", name, nd.field, nd.code)
		}
	}
	if ind.Unit == YesNo {
		for _, b := range []struct {
			field string
			x     *float64
		}{{"baseline", ind.Baseline}, {"target", ind.Target}} {
			if b.x != nil && *b.x != 0 && *b.x != 1 {
				add(b.field, ErrOutOfRange, "%s is yes/no but its %s is %v; write yes or no", name, b.field, *b.x)
			}
		}
	}
}

// indicatorWords checks the words of ind's columns: unit, direction,
// aggregation, milestones (and whether they can be read), path and
// frequency.
func (v *validator) indicatorWords(ind *Indicator, name string, add func(field string, sentinel error, format string, args ...any)) {
	fw := v.fw
	if ind.Unit == "" {
		add("unit", ErrRequired, "%s has no unit; write number, percent, ratio, currency, yes/no or text in column unit", name)
	} else if _, err := ParseUnit(string(ind.Unit)); err != nil {
		add("unit", ErrInvalid, "%s has unit %q, expected number, percent, ratio, currency, yes/no or text", name, ind.Unit)
	}
	if ind.Direction != "" {
		if _, err := ParseDirection(string(ind.Direction)); err != nil {
			add("direction", ErrInvalid, "%s has direction %q, expected increase, decrease or maintain", name, ind.Direction)
		}
	}
	if ind.Aggregation != "" {
		if _, err := ParseAggregation(string(ind.Aggregation)); err != nil {
			add("aggregation", ErrInvalid, "%s has aggregation %q, expected sum, last, max, min or mean", name, ind.Aggregation)
		}
	}
	if ind.Milestones != "" {
		if _, err := ParseMilestoneReading(string(ind.Milestones)); err != nil {
			add("milestones", ErrInvalid, "%s has milestones %q, expected %s", name, ind.Milestones, MilestoneReadingWords)
		}
	}
	if ind.Code != "" {
		// Milestones that fit neither reading (SPEC 5) would make the
		// expected path a guess: the officer says which.
		if use := fw.MilestoneUse(ind); use.Err != "" {
			add("milestones", ErrInvalid, "milestones of %s cannot be read: %s; write in column milestones cumulative (each milestone is where the indicator should stand by the end of its period) or per period (the amount of its period alone, adding up to the target)", name, use.Err)
		}
	}
	if ind.Path != "" {
		if _, err := ParsePathShape(string(ind.Path)); err != nil {
			add("path", ErrInvalid, "%s has path %q, expected %s", name, ind.Path, PathWords)
		}
	}
	if strings.TrimSpace(ind.Frequency) != "" {
		if _, _, err := ParseFrequency(ind.Frequency); err != nil {
			add("frequency", ErrInvalid, "%s has frequency %q, expected %s", name, ind.Frequency, FrequencyWords)
		}
	}
}

func (v *validator) milestones() {
	fw := v.fw
	for i := range fw.Milestones {
		m := &fw.Milestones[i]
		add := func(field string, sentinel error, format string, args ...any) {
			v.add(secMilestones, i, m.Indicator, m.Loc, field, m.Loc.Errorf(field, sentinel, format, args...))
		}
		if strings.TrimSpace(m.Indicator) == "" {
			add("indicator", ErrRequired, "milestone without an indicator; give the indicator code in column indicator")
		}
		if m.Period.IsZero() {
			add("period", ErrRequired, "milestone of %s has no period; give the period it is due by in column period (e.g. 2021Q3)", m.Indicator)
		} else if !m.Period.InYears() {
			add("period", ErrOutOfRange, "milestone of %s is due %s, outside the years rmf accepts (%d to %d)", m.Indicator, m.Period, MinYear, MaxYear)
		}
		if CheckValue(m.Target) != nil {
			add("target", ErrOutOfRange, "milestone of %s has the target %s, beyond the largest number rmf accepts (1e15, a million billion)", m.Indicator, FormatValueShort(m.Target))
		}
		if m.Indicator == "" {
			continue
		}
		ind, ok := fw.Indicator(m.Indicator)
		if !ok {
			add("indicator", ErrUnknownCode, "milestone for %q, which is not an indicator code of the Indicators sheet", m.Indicator)
			continue
		}
		if len(m.Dims) > 0 {
			if _, err := fw.CheckDisagg(ind, m.Dims); err != nil {
				ce := cellErr(m.Loc, "disaggregation", fmt.Errorf("milestone of %s for %s: %w", ind.Code, m.Dims, err))
				v.add(secMilestones, i, m.Indicator, m.Loc, "disaggregation", ce)
			}
		}
		if ind.Unit == YesNo && m.Target != 0 && m.Target != 1 {
			add("target", ErrOutOfRange, "milestone of %s is yes/no but its target is %v; write yes or no", ind.Code, m.Target)
		}
	}
}

func (v *validator) dimensions() {
	seen := map[string]int{}
	for i := range v.fw.Dimensions {
		d := &v.fw.Dimensions[i]
		add := func(field string, sentinel error, format string, args ...any) {
			v.add(secDimensions, i, d.Name, d.Loc, field, d.Loc.Errorf(field, sentinel, format, args...))
		}
		if strings.TrimSpace(d.Name) == "" {
			add("dimension", ErrRequired, "dimension without a name; fill column dimension")
			continue
		}
		if !codePattern.MatchString(d.Name) {
			add("dimension", ErrInvalid, "dimension name %q may only contain letters, digits, '.', '-' and '_'", d.Name)
		}
		key := strings.ToLower(d.Name)
		if _, dup := seen[key]; dup {
			add("dimension", ErrDuplicate, "dimension %s is declared twice; list its values under one name", d.Name)
		}
		seen[key] = i
		if len(d.Values) == 0 {
			add("value", ErrRequired, "dimension %s has no values; add one row per value in the Dimensions sheet", d.Name)
		}
		vals := map[string]bool{}
		for _, x := range d.Values {
			k := strings.ToLower(strings.TrimSpace(x))
			if k == "" {
				add("value", ErrRequired, "dimension %s has an empty value", d.Name)
				continue
			}
			if vals[k] {
				add("value", ErrDuplicate, "dimension %s lists value %s twice; remove one", d.Name, x)
			}
			vals[k] = true
		}
	}
}

func (v *validator) rules() {
	seen := map[string]bool{}
	for i := range v.fw.Rules {
		r := &v.fw.Rules[i]
		add := func(field string, sentinel error, format string, args ...any) {
			v.add(secRules, i, r.Code, r.Loc, field, r.Loc.Errorf(field, sentinel, format, args...))
		}
		if strings.TrimSpace(r.Code) == "" {
			add("code", ErrRequired, "rule without a code; give every rule a code in column code")
		} else if seen[r.Code] {
			add("code", ErrDuplicate, "rule code %s is used twice in the Rules sheet", r.Code)
		}
		seen[r.Code] = true
		if strings.TrimSpace(r.Check) == "" {
			add("check", ErrRequired, "rule %s has no check; write a formula that must be true in column check", r.Code)
		}
		if r.Severity != "" {
			if _, err := ParseSeverity(string(r.Severity)); err != nil {
				add("severity", ErrInvalid, "rule %s has severity %q, expected error or warning", r.Code, r.Severity)
			}
		}
	}
}
