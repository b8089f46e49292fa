package indicators

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// What is due (SPEC section 5): an indicator's frequency says when a figure
// is owed; a figure is missing when a period of that frequency has ended by
// the end of the report period P, lies inside the project, and has no
// figure.
//
// Decisions where the SPEC is silent:
//   - A period "lies inside the project" when it starts on or after the
//     project start and ends on or before the project end: a quarter cut by
//     the project's first or last day is not owed.
//   - A period has a figure when any figure behind the indicator (its own,
//     or for a computed indicator its inputs', any disaggregation) overlaps
//     it: a yearly figure answers its quarters, a monthly one its quarter.
//   - annual means project years when the project year does not start in
//     January (year_start), calendar years otherwise; end is owed once, by
//     the project end.
//   - Supporting measures (no result) are owed through the indicators that
//     use them; the responsible party of a computed indicator without one
//     is that of its first input that names one.

// Frequency words, for messages.
const FrequencyWords = "monthly, quarterly, semiannual, annual or end (blank: the project's reporting)"

// ParseFrequency reads an indicator's frequency: the period kind figures are
// owed by, or end (only at the end of the project); blank returns
// KindRange, false, nil (the project's reporting applies).
func ParseFrequency(s string) (kind PeriodKind, end bool, err error) {
	switch norm(s) {
	case "":
		return KindRange, false, nil
	case "end", "endofproject", "endline", "atend", "final", "endproject", "projectend", "once", "attheend":
		return KindRange, true, nil
	case "monthly", "month", "everymonth":
		return KindMonth, false, nil
	case "quarterly", "quarter", "everyquarter", "3monthly", "every3months", "threemonthly":
		return KindQuarter, false, nil
	case "semiannual", "semiannually", "biannual", "biannually", "halfyearly", "semester", "sixmonthly", "twiceayear", "semestrial", "6monthly", "every6months":
		return KindSemester, false, nil
	case "annual", "annually", "yearly", "year", "everyyear", "onceayear", "12monthly", "every12months":
		return KindYear, false, nil
	}
	return KindRange, false, fmt.Errorf("%w: frequency %q, expected %s", ErrInvalid, strings.TrimSpace(s), FrequencyWords)
}

// OwedPeriods returns the periods for which ind owes a figure that have
// ended by the end of day upTo, in order (SPEC 5, "What is due"); nil
// without project dates.
func (f *Framework) OwedPeriods(ind *Indicator, upTo time.Time) []Period {
	p := f.Project
	if p.Start.IsZero() || p.End.IsZero() || upTo.Before(p.Start) {
		return nil
	}
	kind, end, err := ParseFrequency(ind.Frequency)
	if err != nil || (kind == KindRange && !end) {
		// the project's reporting (ParseFrequency reads its words too,
		// without KindFromReporting's allocations); quarterly by default
		kind, end = KindQuarter, false
		if k, e, err := ParseFrequency(p.Reporting); err == nil && !e && k != KindRange {
			kind = k
		}
	}
	if end {
		if upTo.Before(p.End) {
			return nil
		}
		return []Period{p.Period()}
	}
	last := upTo
	if p.End.Before(last) {
		last = p.End
	}
	var out []Period
	if kind == KindYear && p.YearStart > 1 {
		cal := p.Calendar()
		for n := 1; ; n++ {
			y := cal.ProjectYear(n)
			if y.End.After(last) {
				break
			}
			if !y.Start.Before(p.Start) {
				out = append(out, y)
			}
		}
		return out
	}
	for _, q := range Periods(p.Start, last, kind) {
		if !q.Start.Before(p.Start) && !q.End.After(last) {
			out = append(out, q)
		}
	}
	return out
}

// DueItem is one figure an indicator owes by the end of a report period:
// received or missing.
type DueItem struct {
	Indicator   string `json:"indicator"`
	Name        string `json:"name,omitempty"`
	Result      string `json:"result,omitempty"`
	Responsible string `json:"responsible"`
	// Period is the period owed, as printed (2026Q2, PY1).
	Period string `json:"period"`
	Start  string `json:"start"`
	End    string `json:"end"`
	// InPeriod is true when the period owed ends within the report period
	// P (P's own figures), false for earlier periods.
	InPeriod bool `json:"in_period"`
	Received bool `json:"received"`
	// Files are the files the figures came from (base names), when received.
	Files []string `json:"files,omitempty"`
	// Computed is true for an indicator computed by a formula from other
	// result indicators: nobody reports it, its inputs are owed (and listed
	// as missing) on their own, so it is never a missing report itself. It
	// still owes a value for its status (no data rather than not due).
	Computed bool `json:"computed,omitempty"`
}

// Missing is true when d is a missing report: owed, not received, and
// reported by someone (not Computed).
func (d DueItem) Missing() bool { return !d.Received && !d.Computed }

// MissingReport is a figure owed and not received (the JSON report's
// missing array, SPEC 7).
type MissingReport struct {
	Indicator   string `json:"indicator"`
	Name        string `json:"name,omitempty"`
	Period      string `json:"period"`
	Responsible string `json:"responsible"`
}

// NoOneNamed is the responsible party printed for indicators that name none.
const NoOneNamed = "(no responsible named)"

// due works out what t owes by the end of P and what arrived.
func (b *rbuilder) due(t *rtrack) []DueItem {
	ind := t.ind
	owed := b.fw.OwedPeriods(ind, b.p.End)
	if len(owed) == 0 {
		return nil
	}
	resp := strings.TrimSpace(ind.Responsible)
	type fp struct {
		p    Period
		file string
	}
	seen := map[fp]bool{}
	var got []fp
	var last fp
	lastFile, have := "", false
	b.figuresOf(t, map[string]bool{}, func(s *series, m *figRec) {
		// figures come grouped by period and file (one per disaggregation):
		// skip the repeats before the map
		file, mp := s.locs[m.loc].file, &s.fper[m.period]
		if have && file == lastFile && mp.Start.Equal(last.p.Start) && mp.End.Equal(last.p.End) {
			return
		}
		if !have || file != lastFile {
			lastFile, last.file = file, baseName(file)
		}
		last.p, have = *mp, true
		if !seen[last] {
			seen[last] = true
			got = append(got, last)
		}
	})
	if resp == "" {
		for _, c := range b.inputsOf(t) {
			if r := strings.TrimSpace(c.ind.Responsible); r != "" && c != t {
				resp = r
				break
			}
		}
	}
	if resp == "" {
		resp = NoOneNamed
	}
	cal := b.fw.Project.Calendar()
	computed := computedFromReported(t)
	out := make([]DueItem, 0, len(owed))
	for _, q := range owed {
		it := DueItem{Indicator: ind.Code, Name: ind.Name, Result: ind.Result, Responsible: resp, Period: cal.Label(q),
			Start: q.Start.Format(time.DateOnly), End: q.End.Format(time.DateOnly),
			InPeriod: !q.End.Before(b.p.Start), Computed: computed}
		files := map[string]bool{}
		for _, g := range got {
			if g.p.Overlaps(q) {
				it.Received = true
				if g.file != "" && !files[g.file] {
					files[g.file] = true
					it.Files = append(it.Files, g.file)
				}
			}
		}
		sort.Strings(it.Files)
		out = append(out, it)
	}
	return out
}

// computedFromReported is true when t is computed by a formula whose
// inputs are all indicators of results (each owed and reported on its
// own), as 3.3.4 = cumulative("3.3.2") / cumulative("3.3.1"). An indicator
// computed from supporting measures (numerator and denominator without a
// result of their own) stands for them: its missing figures are listed
// under its own code.
func computedFromReported(t *rtrack) bool {
	if t.f == nil || len(t.refs) == 0 {
		return false
	}
	for _, r := range t.refs {
		if r == nil || r == t || strings.TrimSpace(r.ind.Result) == "" {
			return false
		}
	}
	return true
}

// inputsOf lists t and the tracks whose figures make it, depth first.
func (b *rbuilder) inputsOf(t *rtrack) []*rtrack {
	var out []*rtrack
	seen := map[*rtrack]bool{}
	var walk func(*rtrack)
	walk = func(x *rtrack) {
		if x == nil || seen[x] {
			return
		}
		seen[x] = true
		out = append(out, x)
		if x.ratio {
			walk(x.num)
			walk(x.den)
		}
		for _, r := range x.refs {
			walk(r)
		}
	}
	walk(t)
	return out
}

// baseName is the file name of a path as the officer's machine wrote it
// (slashes or backslashes): donor-facing outputs name the file, not where
// it lay.
func baseName(p string) string {
	if p == "" {
		return ""
	}
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return filepath.Base(p)
}

// BaseName is the file name of a path, with slashes or backslashes.
func BaseName(p string) string { return baseName(p) }
