package indicators

import (
	"fmt"
	"slices"
	"time"

	"github.com/rmf-project/rmf/internal/par"
)

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
	// (room made at once for the mismatches: a large project may have
	// hundreds of thousands)
	n := 0
	for _, t := range b.order {
		if t.s != nil {
			n += len(t.s.mism)
		}
	}
	b.findings = slices.Grow(b.findings, n)
	b.prework()
	inds := map[string]*ReportIndicator{}
	for _, t := range b.order {
		b.dataFindings(t)
		if t.ind.Result == "" {
			continue
		}
		if t.pre != nil && t.pre.ri != nil {
			inds[t.ind.Code] = t.pre.ri
			b.findings = append(b.findings, t.pre.findings...)
			continue
		}
		ri := b.indicator(t)
		inds[t.ind.Code] = &ri
	}
	b.ruleFindings()
	(&resultTree{fw: fw, r: r, inds: inds}).build()
	b.missingReports(r, inds)
	if r.Findings = b.findings; r.Findings == nil {
		r.Findings = []Finding{}
	}
	return r
}

// prework works out, for every indicator the report shows, what it owes
// and the sources of its figures (each a pass over the figures behind it,
// and reading only: the series, the framework), on all cores; indicator
// then takes them as they are. An imported indicator (one that reads only
// its own series) is worked out whole, with its findings, which report
// adds in framework order; computed ones, which read others' series and
// remember values in them, are left to report's loop, in order.
func (b *rbuilder) prework() {
	var todo []*rtrack
	for _, t := range b.order {
		if t.ind.Result != "" {
			todo = append(todo, t)
		}
	}
	par.Each(len(todo), func(i int) {
		t := todo[i]
		ri := ReportIndicator{Sources: []Source{}}
		b.sources(t, &ri)
		t.pre = &trackPre{due: b.due(t), sources: ri.Sources, verified: ri.Verified}
		if t.s != nil {
			ri, fs := b.indicatorFindings(t)
			t.pre.ri, t.pre.findings = &ri, fs
		}
	})
}

// resultTree lays the results of the report out in tree order, each with
// its indicators, status, delivery and status counts (SPEC 5).
type resultTree struct {
	fw       *Framework
	r        *Report
	inds     map[string]*ReportIndicator
	children map[string][]string
	seen     map[string]bool
}

// subtree is what lies in a subtree: the counts of its indicators by
// status, its own status and the worst performance rank of its indicators
// (-1: none has a performance status).
type subtree struct {
	worst  int
	counts map[Status]int
	status Status
}

// build visits the roots, then any result left (parents in a loop: shown
// anyway).
func (t *resultTree) build() {
	t.children, t.seen = map[string][]string{}, map[string]bool{}
	var roots []string
	known := map[string]bool{}
	for _, res := range t.fw.Results {
		known[res.Code] = true
	}
	for _, res := range t.fw.Results {
		if res.Parent != "" && known[res.Parent] && res.Parent != res.Code {
			t.children[res.Parent] = append(t.children[res.Parent], res.Code)
		} else {
			roots = append(roots, res.Code)
		}
	}
	for _, c := range roots {
		if !t.seen[c] {
			t.visit(c, 0)
		}
	}
	for _, res := range t.fw.Results {
		if !t.seen[res.Code] {
			t.visit(res.Code, 0)
		}
	}
}

// visit adds result code and its subtree at depth.
func (t *resultTree) visit(code string, depth int) subtree {
	r := t.r
	res, _ := t.fw.Result(code)
	t.seen[code] = true
	pos := len(r.Results)
	rr := ReportResult{Code: res.Code, Level: res.Level, Parent: res.Parent, Statement: res.Statement,
		Assumptions: res.Assumptions, ContributesTo: res.ContributesTo, Depth: depth,
		Children: t.children[code], Indicators: []ReportIndicator{}, StatusCounts: map[Status]int{}}
	r.Results = append(r.Results, rr)
	own := subtree{worst: -1, counts: map[Status]int{}}
	for _, ind := range t.fw.IndicatorsOf(code) {
		ri := t.inds[ind.Code]
		if ri == nil {
			continue
		}
		r.Results[pos].Indicators = append(r.Results[pos].Indicators, *ri)
		r.StatusCounts[ri.Status]++
		own.counts[ri.Status]++
		own.worst = max(own.worst, statusRank(ri.Status))
	}
	below := subtree{worst: -1, counts: map[Status]int{}} // the children's subtrees
	childWorst := -1
	childStatus := map[Status]int{}
	for _, c := range t.children[code] {
		if t.seen[c] {
			continue
		}
		cs := t.visit(c, depth+1)
		for st, n := range cs.counts {
			below.counts[st] += n
		}
		below.worst = max(below.worst, cs.worst)
		childWorst = max(childWorst, statusRank(cs.status))
		childStatus[cs.status]++
	}
	all := subtree{worst: max(own.worst, below.worst), counts: map[Status]int{}}
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

// missingReports lists the missing reports in framework order, each also
// a finding.
func (b *rbuilder) missingReports(r *Report, inds map[string]*ReportIndicator) {
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
}
