package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// missingFiguresIn lists the figures owed for p that have not come, by the
// rules of the report's missing reports (indicators.DueItem, SPEC 5 "What
// is due"): for each indicator of the report, every period of its
// frequency (blank: the project's reporting) that lies inside the project
// and ends within p, and that no figure behind the indicator overlaps; an
// indicator computed from other reported indicators owes nothing itself,
// one computed from supporting measures owes them under its own code. The
// current figures of db that end by the end of p are read one indicator at
// a time (a large project's figures are not all held at once).
func missingFiguresIn(ctx context.Context, db Store, fw *indicators.Framework, p indicators.Period) ([]string, error) {
	rb, err := indicators.NewReportBuilder(indicators.ReportInput{Framework: fw, Period: p})
	if err != nil {
		return nil, fmt.Errorf("figures owed for %s: %w", p, err)
	}
	err = db.EachMeasurements(ctx, MeasurementFilter{Upto: p.End}, func(_ string, figs []indicators.Measurement) error {
		return rb.Add(figs)
	})
	if err != nil {
		return nil, err
	}
	r, err := rb.Report()
	if err != nil {
		return nil, fmt.Errorf("figures owed for %s: %w", p, err)
	}
	return missingIn(fw, r), nil
}

// missingIn lists the figures owed for the period of report r (of
// framework fw) that have not come.
func missingIn(fw *indicators.Framework, r *indicators.Report) []string {
	var out []string
	seen := map[string]bool{}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			freq := strings.TrimSpace(ind.Frequency)
			if freq == "" {
				freq = strings.TrimSpace(fw.Project.Reporting)
			}
			for _, d := range ind.Due {
				if !d.InPeriod || !d.Missing() || seen[d.Indicator+" "+d.Period] {
					continue
				}
				seen[d.Indicator+" "+d.Period] = true
				who := ""
				if d.Responsible != indicators.NoOneNamed {
					who = ", responsible: " + d.Responsible
				}
				out = append(out, fmt.Sprintf("%s %s (%s%s)", d.Indicator, d.Period, freq, who))
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
	// The figures owed and missing are worked out first: a failure there
	// leaves the review log as it was.
	var missing []string
	if action == ActApprove && out.Selection.Indicator == "" && out.Selection.File == "" {
		if missing, err = missingFiguresIn(ctx, e.db, fw, p); err != nil {
			return nil, err
		}
	}
	if out.ReviewResult, err = e.db.Review(ctx, action, out.Selection, req.Reason, req.Actor); err != nil {
		return nil, err
	}
	out.Missing = missing
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
