package engine

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// The review section of reports (issue 16): the figures by review state,
// those of the period not approved, and what was revised since a period
// was locked and reported.

// addReview adds the review section to r (of period p, in state st or
// now) when the review log has entries then: the figures by review state,
// the figures of p not approved, the figures of locked periods revised
// since their lock and, when p itself is locked, the indicators whose
// actual differs from the one reported.
func addReview(ctx context.Context, db Store, fw *indicators.Framework, r *indicators.Report, p indicators.Period, st *State) error {
	var log, locks []ReviewEntry
	var figs []ReviewFigure
	var err error
	if st == nil {
		log, err = db.ReviewLog(ctx)
	} else {
		log, err = db.ReviewLogIn(ctx, *st)
	}
	if err != nil || len(log) == 0 {
		return err
	}
	sel := FigureSelection{Period: upTo(p.End)}
	if st == nil {
		figs, err = db.ReviewFigures(ctx, sel)
	} else {
		figs, err = db.ReviewFiguresIn(ctx, *st, sel)
	}
	if err != nil {
		return err
	}
	// What a period's report first told the donor: its first lock, even
	// if it was unlocked since (to correct it) and locked again. Revisions
	// are counted from there, so an unlock, a correction and a new lock do
	// not hide what was reported first.
	first := map[string]bool{}
	for _, e := range log {
		if e.Action == ActLock && !first[e.Period.String()] {
			first[e.Period.String()] = true
			locks = append(locks, e)
		}
	}
	rv := &indicators.ReportReview{Figures: len(figs)}
	for _, f := range figs {
		switch f.State {
		case StateApproved:
			rv.Approved++
			continue
		case StateReturned:
			rv.Returned++
		default:
			rv.Submitted++
		}
		if p.Contains(f.Period) {
			u := indicators.ReviewedFigure{Indicator: f.Indicator, Period: f.Period.String(), Dims: f.Dims.Key(),
				Value: f.Value, Text: f.Text, State: f.State}
			if f.Entry != nil && f.State == StateReturned {
				u.Reason = f.Entry.Reason
			}
			rv.Unapproved = append(rv.Unapproved, u)
		}
	}
	// Revised figures: each attributed to the first lock (by period end)
	// whose report used it.
	sort.SliceStable(locks, func(i, j int) bool { return locks[i].Period.Compare(locks[j].Period) < 0 })
	reported := map[string]bool{}
	var own *ReviewEntry
	for i, l := range locks {
		if l.Period.End.After(p.End) {
			continue
		}
		if l.Period.String() == p.String() {
			own = &locks[i]
		}
		if err := addRevisedSince(ctx, db, st, l, reported, rv); err != nil {
			return err
		}
	}
	if own != nil {
		if err := addRevisedActuals(ctx, db, r, p, *own, rv); err != nil {
			return err
		}
	}
	r.Review = rv
	return nil
}

// addRevisedSince adds to rv the figures of lock l's period revised since
// the lock (now, or in state st), each once (reported).
func addRevisedSince(ctx context.Context, db Store, st *State, l ReviewEntry, reported map[string]bool, rv *indicators.ReportReview) error {
	then, err := db.StateBefore(ctx, l)
	if err != nil {
		return err
	}
	old, err := db.RevisionsIn(ctx, then, l.Period.End, nil)
	if err != nil {
		return err
	}
	var now []indicators.Revision
	if st == nil {
		now, err = db.CurrentRevisions(ctx, MeasurementFilter{Upto: l.Period.End})
	} else {
		now, err = db.RevisionsIn(ctx, *st, l.Period.End, nil)
	}
	if err != nil {
		return err
	}
	before := map[string]indicators.Revision{}
	for _, o := range old {
		before[figureKey(o.Measurement)] = o
	}
	for _, n := range now {
		k := figureKey(n.Measurement)
		if n.BatchID <= then.Batch || reported[k] {
			continue
		}
		reported[k] = true
		rf := indicators.RevisedFigure{Indicator: n.Indicator, Period: n.Period.String(), Dims: n.Dims.Key(),
			Value: n.Value, Text: n.Text, LockedPeriod: l.Period.String(), ReportedOn: l.At.UTC().Format(time.DateOnly),
			CorrectedBy: n.Loc.File, CorrectedOn: n.Imported.UTC().Format(time.DateOnly)}
		if o, ok := before[k]; ok {
			rf.Reported, rf.ReportedText = o.Value, o.Text
		}
		rv.Revised = append(rv.Revised, rf)
	}
	return nil
}

func figureKey(m indicators.Measurement) string {
	return m.Indicator + "\x1f" + m.Period.String() + "\x1f" + m.Dims.Key()
}

// addRevisedActuals compares the actuals of report r of locked period p
// with those of its report as reported (just before lock).
func addRevisedActuals(ctx context.Context, db Store, r *indicators.Report, p indicators.Period, lock ReviewEntry, rv *indicators.ReportReview) error {
	then, err := db.StateBefore(ctx, lock)
	if err != nil {
		return err
	}
	fw, err := db.FrameworkIn(ctx, then)
	if errors.Is(err, ErrNoFramework) {
		return nil
	}
	if err != nil {
		return err
	}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		return nil // the framework then does not compile any more: nothing to compare
	}
	old, err := buildReportIn(ctx, db, fw, comp, p, reportView{State: &then})
	if err != nil {
		return err
	}
	was := map[string]*float64{}
	for _, res := range old.Results {
		for _, ind := range res.Indicators {
			was[ind.Code] = ind.Actual
		}
	}
	files := map[string][]string{}
	for _, f := range rv.Revised {
		if !containsString(files[f.Indicator], f.CorrectedBy) {
			files[f.Indicator] = append(files[f.Indicator], f.CorrectedBy)
		}
	}
	for _, res := range r.Results {
		for _, ind := range res.Indicators {
			old, ok := was[ind.Code]
			if !ok || sameNumber(old, ind.Actual) {
				continue
			}
			rv.RevisedActuals = append(rv.RevisedActuals, indicators.RevisedActual{Indicator: ind.Code, Unit: ind.Unit,
				Actual: ind.Actual, Reported: old, ReportedOn: lock.At.UTC().Format(time.DateOnly), CorrectedBy: files[ind.Code]})
		}
	}
	return nil
}

func sameNumber(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
