package indicators

import (
	"fmt"
	"slices"
	"time"
)

// The IPTT by reporting frequency (issue 11, item 7): like TolaData's IPTT
// "by target period", the indicators reported at one frequency (their
// frequency column; blank: the project's reporting) are shown together,
// with one group of columns per period of that frequency: the target to
// date on the expected path, the period's own value, the actual to date
// and the share of the target met.
//
// Decisions where the SPEC is silent:
//   - The periods are those of the frequency that have started by the end
//     of the report period P and overlap the project, in order; annual
//     means project years when the project year does not start in January
//     (as for what is due, OwedPeriods). A period still running at the end
//     of P is cut there: its figures are those up to P's end.
//   - Indicators with the frequency end (once, at the project end) have no
//     period columns; their table has none.
//   - An unknown frequency word (a check error) counts as the project's
//     reporting.

// IPTTTable is the IPTT of the indicators reported at one frequency.
type IPTTTable struct {
	// Frequency is monthly, quarterly, semiannual, annual or end.
	Frequency string
	// Periods are the column periods; Label is the code as printed (PY2,
	// 2021S2), with "to DATE" when the period is cut at P's end.
	Periods []IPTTPeriod
	// Indicators are the codes of the report's indicators at this
	// frequency, in report order.
	Indicators []string
	// Points holds, per indicator code, one point per period: Target is
	// the expected value at the period's end (the expected path),
	// Actual the cumulative actual, PeriodValue the period's own value.
	Points map[string][]SeriesPoint
}

// IPTTPeriod is a column period of an IPTT table.
type IPTTPeriod struct {
	Label string
	ReportPeriod
	// Cut is true when the period runs past P's end and is cut there.
	Cut bool
}

// frequencyKinds maps the frequency words of IPTT tables to period kinds.
var frequencyKinds = map[string]PeriodKind{"monthly": KindMonth, "quarterly": KindQuarter, "semiannual": KindSemester, "annual": KindYear}

// kindFrequency is the frequency word of a period kind.
func kindFrequency(k PeriodKind) string {
	for w, kk := range frequencyKinds {
		if kk == k {
			return w
		}
	}
	return "quarterly"
}

// IPTTTables splits report r (built from in) into one IPTT table per
// reporting frequency that its indicators use: the project's reporting
// first, then the others from the most to the least frequent, then end.
// Periods of r's own series are taken from it; the others (periods of
// another frequency, or one that r's slots split) are the reports of
// those periods built from in.
func IPTTTables(in ReportInput, r *Report) ([]IPTTTable, error) {
	return IPTTTablesOf(in.Framework, r, func(p Period, _ []string) (*Report, error) {
		pin := in
		pin.Period, pin.FollowUp = p, nil
		return BuildReport(pin)
	})
}

// IPTTTablesOf is IPTTTables with the reports of the periods that are not
// slots of r's series made by reportOf (from the figures r was built
// from, as BuildReport makes them; their follow-up is not read), called
// once per such period with the codes of the indicators whose values the
// tables need of it (reportOf may build the report of those alone, and of
// what they are computed from): the caller need not hold every figure for
// them, and for a project whose indicators are all reported at r's own
// frequency it is not called at all.
func IPTTTablesOf(fw *Framework, r *Report, reportOf func(p Period, codes []string) (*Report, error)) ([]IPTTTable, error) {
	if fw == nil || r == nil {
		return nil, fmt.Errorf("IPTT tables: no framework or report")
	}
	byFreq, order := ipttFrequencies(fw, r)
	pEnd, err := time.Parse(time.DateOnly, r.Period.End)
	if err != nil {
		return nil, fmt.Errorf("IPTT tables: report period end %q: %w", r.Period.End, err)
	}
	// The report's own series, by period dates.
	own := map[[2]string]int{}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			for k, pt := range ind.Series {
				own[[2]string{pt.Start, pt.End}] = k
			}
			if len(ind.Series) > 0 {
				break
			}
		}
	}
	tables := make([]IPTTTable, len(order))
	// The indicators whose values each period outside the own series is
	// needed for (in the order first needed): it is asked once.
	need := map[[2]string][]string{}
	for i, freq := range order {
		t := &tables[i]
		t.Frequency, t.Points = freq, map[string][]SeriesPoint{}
		for _, ind := range byFreq[freq] {
			t.Indicators = append(t.Indicators, ind.Code)
		}
		if freq != "end" {
			t.Periods = ipttPeriods(fw.Project, frequencyKinds[freq], pEnd)
		}
		for _, p := range t.Periods {
			key := [2]string{p.Start, p.End}
			if _, ok := own[key]; ok {
				continue
			}
			for _, ind := range byFreq[freq] {
				if !slices.Contains(need[key], ind.Code) {
					need[key] = append(need[key], ind.Code)
				}
			}
		}
	}
	built := map[[2]string]map[string]*ReportIndicator{}
	for i, freq := range order {
		t := &tables[i]
		for _, p := range t.Periods {
			key := [2]string{p.Start, p.End}
			if k, ok := own[key]; ok {
				for _, ind := range byFreq[freq] {
					var pt SeriesPoint
					if k < len(ind.Series) {
						pt = ind.Series[k]
					}
					pt.Period, pt.Start, pt.End = p.Label, p.Start, p.End
					t.Points[ind.Code] = append(t.Points[ind.Code], pt)
				}
				continue
			}
			inds, ok := built[key]
			if !ok {
				if inds, err = ipttReportOf(reportOf, p, need[key]); err != nil {
					return nil, fmt.Errorf("IPTT %s, %s: %w", freq, p.Label, err)
				}
				built[key] = inds
			}
			for _, ind := range byFreq[freq] {
				pt := SeriesPoint{Period: p.Label, Start: p.Start, End: p.End}
				if x := inds[ind.Code]; x != nil && x.Unit != Text {
					pt.Target, pt.Actual, pt.PeriodValue = x.Milestone, x.Actual, x.PeriodValue
				}
				t.Points[ind.Code] = append(t.Points[ind.Code], pt)
			}
		}
	}
	return tables, nil
}

// ipttReportOf is the report of period p (not one of the report's own
// slots), by indicator.
func ipttReportOf(reportOf func(Period, []string) (*Report, error), p IPTTPeriod, codes []string) (map[string]*ReportIndicator, error) {
	s, _ := time.Parse(time.DateOnly, p.Start)
	e, _ := time.Parse(time.DateOnly, p.End)
	pr, err := reportOf(Normalize(Range(s, e)), codes)
	if err != nil {
		return nil, err
	}
	inds := map[string]*ReportIndicator{}
	for i := range pr.Results {
		for j := range pr.Results[i].Indicators {
			x := &pr.Results[i].Indicators[j]
			inds[x.Code] = x
		}
	}
	return inds, nil
}

// ipttFrequencies groups the report's indicators by the frequency of
// their table (blank: the project's reporting; end: once at the end) and
// orders the tables: the project's reporting first, then months to years,
// then the end.
func ipttFrequencies(fw *Framework, r *Report) (map[string][]*ReportIndicator, []string) {
	projKind := KindQuarter
	if k, err := KindFromReporting(fw.Project.Reporting); err == nil && k != KindRange {
		projKind = k
	}
	freqOf := func(ind *ReportIndicator) string {
		kind, end, err := ParseFrequency(ind.Frequency)
		switch {
		case err == nil && end:
			return "end"
		case err != nil || kind == KindRange:
			kind = projKind
		}
		return kindFrequency(kind)
	}
	byFreq := map[string][]*ReportIndicator{}
	for i := range r.Results {
		for j := range r.Results[i].Indicators {
			ind := &r.Results[i].Indicators[j]
			f := freqOf(ind)
			byFreq[f] = append(byFreq[f], ind)
		}
	}
	var order []string
	if len(byFreq[kindFrequency(projKind)]) > 0 {
		order = append(order, kindFrequency(projKind))
	}
	for _, k := range []PeriodKind{KindMonth, KindQuarter, KindSemester, KindYear} {
		if f := kindFrequency(k); k != projKind && len(byFreq[f]) > 0 {
			order = append(order, f)
		}
	}
	if len(byFreq["end"]) > 0 {
		order = append(order, "end")
	}
	return byFreq, order
}

// ipttPeriods are the periods of kind from the project start that have
// started by upTo, the last cut at upTo.
func ipttPeriods(p Project, kind PeriodKind, upTo time.Time) []IPTTPeriod {
	start := p.Start
	if start.IsZero() || upTo.Before(start) {
		return nil
	}
	if !p.End.IsZero() && p.End.Before(upTo) {
		upTo = p.End
	}
	cal := p.Calendar()
	var ps []Period
	if kind == KindYear && p.YearStart > 1 {
		for n := 1; n < 1000; n++ {
			y := cal.ProjectYear(n)
			if y.Start.After(upTo) {
				break
			}
			ps = append(ps, y)
		}
	} else {
		ps = Periods(start, upTo, kind)
	}
	out := make([]IPTTPeriod, 0, len(ps))
	for _, q := range ps {
		ip := IPTTPeriod{Label: cal.Label(q)}
		if q.End.After(upTo) {
			ip.Cut = true
			ip.Label += " to " + upTo.Format(time.DateOnly)
			q = Range(q.Start, upTo)
		}
		ip.ReportPeriod = reportPeriod(q)
		out = append(out, ip)
	}
	return out
}
