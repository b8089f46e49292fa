package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// frequencyKinds maps an indicator's frequency to the calendar periods a
// figure is owed for.
var frequencyKinds = map[string]indicators.PeriodKind{
	"monthly": indicators.KindMonth, "month": indicators.KindMonth,
	"quarterly": indicators.KindQuarter, "quarter": indicators.KindQuarter,
	"semiannual": indicators.KindSemester, "semiannually": indicators.KindSemester, "biannual": indicators.KindSemester,
	"semester": indicators.KindSemester, "halfyearly": indicators.KindSemester,
	"annual": indicators.KindYear, "annually": indicators.KindYear, "yearly": indicators.KindYear, "year": indicators.KindYear,
}

// missingFigures lists the figures owed for p that are not in figs: for
// each indicator read from files (not computed by a formula or from a
// numerator and denominator), every period of its frequency (blank: the
// project's reporting) that lies within p and ends inside the project, and
// has no figure of a period within it. An indicator measured at the end
// only is owed a figure when the project ends within p.
func missingFigures(fw *indicators.Framework, figs []indicators.Measurement, p indicators.Period) []string {
	have := map[string][]indicators.Period{}
	for _, m := range figs {
		have[m.Indicator] = append(have[m.Indicator], m.Period)
	}
	proj := fw.Project
	var out []string
	for _, ind := range fw.Indicators {
		if ind.Computed() || ind.IsRatio() {
			continue
		}
		freq := ind.Frequency
		if strings.TrimSpace(freq) == "" {
			freq = proj.Reporting
		}
		var due []indicators.Period
		if ind.EndOnly() {
			if !proj.End.IsZero() && p.ContainsDate(proj.End) {
				due = []indicators.Period{proj.Period()}
			}
		} else if k, ok := frequencyKinds[indicators.Norm(freq)]; ok {
			for _, d := range indicators.Periods(p.Start, p.End, k) {
				if p.Contains(d) && (proj.End.IsZero() || !d.End.After(proj.End)) && (proj.Start.IsZero() || !d.End.Before(proj.Start)) {
					due = append(due, d)
				}
			}
		}
		for _, d := range due {
			found := false
			for _, q := range have[ind.Code] {
				if d.Contains(q) {
					found = true
					break
				}
			}
			if !found {
				who := ""
				if ind.Responsible != "" {
					who = ", responsible: " + ind.Responsible
				}
				out = append(out, fmt.Sprintf("%s %s (%s%s)", ind.Code, d, strings.TrimSpace(freq), who))
			}
		}
	}
	return out
}

// ReviewRequest selects the figures of a period to approve or return, and
// says who does it and why.
type ReviewRequest struct {
	Period    string // any spelling
	Indicator string // only this indicator's figures ("" : all)
	File      string // only the figures imported from this file, with or without its folder
	Reason    string // required to return
	Actor     string
}

// ReviewOutcome is what an approval or a return did.
type ReviewOutcome struct {
	ReviewResult
	Selection FigureSelection
	Period    indicators.Period
	// Missing lists the figures owed for the period that have not arrived
	// ("3.3.2 2021Q3 (quarterly, responsible: NSO)"): an approval of the
	// whole period approves without them.
	Missing []string
}

// Approve approves the submitted figures of a period (those whose period
// lies within it) and lists the figures owed for it that have not arrived.
func (e *Engine) Approve(ctx context.Context, req ReviewRequest) (*ReviewOutcome, error) {
	return e.review(ctx, ActApprove, req)
}

// Return sends figures of a period back to their partner with a reason.
func (e *Engine) Return(ctx context.Context, req ReviewRequest) (*ReviewOutcome, error) {
	return e.review(ctx, ActReturn, req)
}

func (e *Engine) review(ctx context.Context, action string, req ReviewRequest) (*ReviewOutcome, error) {
	fw, err := storedFramework(ctx, e.db)
	if err != nil {
		return nil, err
	}
	p, err := parsePeriodFlag(fw, req.Period)
	if err != nil {
		return nil, err
	}
	out := &ReviewOutcome{Period: p, Selection: FigureSelection{Period: p, Indicator: strings.TrimSpace(req.Indicator), File: strings.TrimSpace(req.File)}}
	if out.ReviewResult, err = e.db.Review(ctx, action, out.Selection, req.Reason, req.Actor); err != nil {
		return nil, err
	}
	if action == ActApprove && out.Selection.Indicator == "" && out.Selection.File == "" {
		figs, err := e.db.Measurements(ctx, MeasurementFilter{Upto: p.End})
		if err != nil {
			return nil, err
		}
		out.Missing = missingFigures(fw, figs, p)
	}
	return out, nil
}

// LockPeriod locks a reported period (see Store.Lock); UnlockPeriod
// reopens it. Both return the log entry and the period as read.
func (e *Engine) LockPeriod(ctx context.Context, period, reason, actor string, force bool) (ReviewEntry, indicators.Period, error) {
	return e.lock(ctx, true, period, reason, actor, force)
}

// UnlockPeriod reopens a locked period.
func (e *Engine) UnlockPeriod(ctx context.Context, period, reason, actor string) (ReviewEntry, indicators.Period, error) {
	return e.lock(ctx, false, period, reason, actor, false)
}

func (e *Engine) lock(ctx context.Context, lock bool, period, reason, actor string, force bool) (ReviewEntry, indicators.Period, error) {
	fw, err := storedFramework(ctx, e.db)
	if err != nil {
		return ReviewEntry{}, indicators.Period{}, err
	}
	p, err := parsePeriodFlag(fw, period)
	if err != nil {
		return ReviewEntry{}, indicators.Period{}, err
	}
	var en ReviewEntry
	if lock {
		en, err = e.db.Lock(ctx, p, reason, actor, force)
	} else {
		en, err = e.db.Unlock(ctx, p, reason, actor)
	}
	return en, p, err
}

// Log is the review log, only the entries of periods within period when
// it is not empty.
func (e *Engine) Log(ctx context.Context, period string) ([]ReviewEntry, error) {
	var within *indicators.Period
	if strings.TrimSpace(period) != "" {
		fw, err := storedFramework(ctx, e.db)
		if err != nil {
			return nil, err
		}
		p, err := parsePeriodFlag(fw, period)
		if err != nil {
			return nil, err
		}
		within = &p
	}
	entries, err := e.db.ReviewLog(ctx)
	if err != nil || within == nil {
		return entries, err
	}
	var out []ReviewEntry
	for _, en := range entries {
		if within.Contains(en.Period) {
			out = append(out, en)
		}
	}
	return out, nil
}
