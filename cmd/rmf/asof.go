package main

// Reports of a past moment and the review section of reports (issue 16):
// rmf report --as-of DATE and --as-reported read the database as it stood
// then (sqlite.State); every report of a database with a review log shows
// the share of figures approved and what was revised since it was reported.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/sqlite"
)

// resolveAsOf reads --as-of or --as-reported for the report of period spec:
// the state of the database to report, the framework and the period in it.
// As reported is the state just before the period's lock was written: what
// a report produced then showed.
func resolveAsOf(ctx context.Context, env *Env, db *sqlite.DB, spec, asOf string, asReported bool) (*sqlite.State, *indicators.Framework, *indicators.Compiled, indicators.Period, error) {
	fail := func(err error) (*sqlite.State, *indicators.Framework, *indicators.Compiled, indicators.Period, error) {
		return nil, nil, nil, indicators.Period{}, err
	}
	cur, err := storedFramework(ctx, db)
	if err != nil {
		return fail(err)
	}
	p, err := parsePeriodFlag(cur, spec)
	if err != nil {
		return fail(err)
	}
	var st sqlite.State
	if asReported {
		lock, err := lastLock(ctx, db, p)
		if err != nil {
			return fail(err)
		}
		if st, err = db.StateBefore(ctx, *lock); err != nil {
			return fail(err)
		}
		fmt.Fprintf(env.Stderr, "rmf report: %s as reported: the database just before its lock (%s)\n", p, lock.Describe())
	} else {
		t, err := parseMoment(asOf)
		if err != nil {
			return fail(usagef("--as-of: %v", err))
		}
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(asOf)); err == nil {
			t = t.Add(24*time.Hour - time.Nanosecond) // a day: the state at its end
		}
		if st, err = db.StateAt(ctx, t); err != nil {
			return fail(err)
		}
	}
	fw, err := db.FrameworkIn(ctx, st)
	if err != nil {
		return fail(err)
	}
	_, changed, err := db.EvaluationsIn(ctx, st)
	if err != nil {
		return fail(err)
	}
	for _, title := range changed {
		fmt.Fprintf(env.Stderr, "rmf report: warning: the management response of %q was imported again after %s: its recommendations and actions are shown as they are now, their log as it stood then\n",
			title, st.At.Format(time.RFC3339))
	}
	comp, probs := fw.Compile()
	if len(probs) > 0 {
		return fail(probs)
	}
	if p, err = parsePeriodFlag(fw, spec); err != nil {
		return fail(err)
	}
	return &st, fw, comp, p, nil
}

// lastLock is the latest lock of period p, in force or since lifted.
func lastLock(ctx context.Context, db *sqlite.DB, p indicators.Period) (*sqlite.ReviewEntry, error) {
	log, err := db.ReviewLog(ctx)
	if err != nil {
		return nil, err
	}
	var last *sqlite.ReviewEntry
	for i := range log {
		if log[i].Action == sqlite.ActLock && log[i].Period.String() == p.String() {
			last = &log[i]
		}
	}
	if last == nil {
		return nil, fmt.Errorf("period %s was never locked, so it has no report as reported: lock it when its report goes out (rmf lock --period %s --reason TEXT), or ask for the report of a day with --as-of DATE", p, p)
	}
	return last, nil
}

// reportView is what a report sees of the database: its state at a past
// moment (nil: now), and only the approved figures or all.
type reportView struct {
	State        *sqlite.State
	ApprovedOnly bool
}

// reportFigures loads the figures the report of p reads: the current ones,
// or those of state v.State; only the approved ones with v.ApprovedOnly.
func reportFigures(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, p indicators.Period, v reportView) ([]indicators.Measurement, error) {
	var figs []indicators.Measurement
	var err error
	if v.State == nil {
		figs, err = db.Measurements(ctx, reportFigureFilter(p))
	} else {
		figs, err = db.MeasurementsIn(ctx, *v.State, p.End, indicatorOrder(fw))
	}
	if err != nil || !v.ApprovedOnly {
		return figs, err
	}
	ok, err := approvedKeys(ctx, db, v.State, p.End)
	if err != nil {
		return nil, err
	}
	kept := figs[:0]
	for _, m := range figs {
		if ok[figureKey(m)] {
			kept = append(kept, m)
		}
	}
	return kept, nil
}

// approvedKeys are the figures (figureKey) whose period ends by end that
// are approved, now or in state st.
func approvedKeys(ctx context.Context, db *sqlite.DB, st *sqlite.State, end time.Time) (map[string]bool, error) {
	sel := sqlite.FigureSelection{Period: upTo(end)}
	var figs []sqlite.ReviewFigure
	var err error
	if st == nil {
		figs, err = db.ReviewFigures(ctx, sel)
	} else {
		figs, err = db.ReviewFiguresIn(ctx, *st, sel)
	}
	if err != nil {
		return nil, err
	}
	ok := map[string]bool{}
	for _, f := range figs {
		if f.State == sqlite.StateApproved {
			ok[figureKey(f.Measurement)] = true
		}
	}
	return ok, nil
}

func indicatorOrder(fw *indicators.Framework) []string {
	codes := make([]string, len(fw.Indicators))
	for i, ind := range fw.Indicators {
		codes[i] = ind.Code
	}
	return codes
}

// reportEvaluations loads the evaluations: now, or as they stood in st.
func reportEvaluations(ctx context.Context, db *sqlite.DB, st *sqlite.State) ([]indicators.Evaluation, error) {
	if st == nil {
		return db.Evaluations(ctx)
	}
	evs, _, err := db.EvaluationsIn(ctx, *st)
	return evs, err
}

// addEfficiencyIn is addEfficiency with the expenditures of state st.
func addEfficiencyIn(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, r *indicators.Report, st *sqlite.State) error {
	if st == nil {
		return addEfficiency(ctx, db, fw, r)
	}
	exp, err := db.ExpendituresIn(ctx, *st, time.Time{})
	if err != nil {
		return err
	}
	if len(exp) == 0 || len(fw.Budget) == 0 {
		return nil
	}
	return indicators.AddEfficiency(r, fw, exp)
}

// everything selects every figure whose period ends by end.
func upTo(end time.Time) indicators.Period {
	return indicators.Range(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), end)
}

// addReview adds the review section to r (of period p, in state st or
// now) when the review log has entries then: the figures by review state,
// the figures of p not approved, the figures of locked periods revised
// since their lock and, when p itself is locked, the indicators whose
// actual differs from the one reported.
func addReview(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, r *indicators.Report, p indicators.Period, st *sqlite.State) error {
	var log, locks []sqlite.ReviewEntry
	var figs []sqlite.ReviewFigure
	var err error
	if st == nil {
		log, err = db.ReviewLog(ctx)
	} else {
		log, err = db.ReviewLogIn(ctx, *st)
	}
	if err != nil || len(log) == 0 {
		return err
	}
	sel := sqlite.FigureSelection{Period: upTo(p.End)}
	if st == nil {
		figs, err = db.ReviewFigures(ctx, sel)
		if err == nil {
			locks, err = db.Locks(ctx)
		}
	} else {
		figs, err = db.ReviewFiguresIn(ctx, *st, sel)
		if err == nil {
			locks, err = db.LocksIn(ctx, *st)
		}
	}
	if err != nil {
		return err
	}
	rv := &indicators.ReportReview{Figures: len(figs)}
	for _, f := range figs {
		switch f.State {
		case sqlite.StateApproved:
			rv.Approved++
			continue
		case sqlite.StateReturned:
			rv.Returned++
		default:
			rv.Submitted++
		}
		if p.Contains(f.Period) {
			u := indicators.ReviewedFigure{Indicator: f.Indicator, Period: f.Period.String(), Dims: f.Dims.Key(),
				Value: f.Value, Text: f.Text, State: f.State}
			if f.Entry != nil && f.State == sqlite.StateReturned {
				u.Reason = f.Entry.Reason
			}
			rv.Unapproved = append(rv.Unapproved, u)
		}
	}
	// Revised figures: each attributed to the first lock (by period end)
	// whose report used it.
	sort.SliceStable(locks, func(i, j int) bool { return locks[i].Period.Compare(locks[j].Period) < 0 })
	reported := map[string]bool{}
	var own *sqlite.ReviewEntry
	for i, l := range locks {
		if l.Period.End.After(p.End) {
			continue
		}
		if l.Period.String() == p.String() {
			own = &locks[i]
		}
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
			now, err = db.CurrentRevisions(ctx, sqlite.MeasurementFilter{Upto: l.Period.End})
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
	}
	if own != nil {
		if err := addRevisedActuals(ctx, db, r, p, *own, rv); err != nil {
			return err
		}
	}
	r.Review = rv
	return nil
}

func figureKey(m indicators.Measurement) string {
	return m.Indicator + "\x1f" + m.Period.String() + "\x1f" + m.Dims.Key()
}

// addRevisedActuals compares the actuals of report r of locked period p
// with those of its report as reported (just before lock).
func addRevisedActuals(ctx context.Context, db *sqlite.DB, r *indicators.Report, p indicators.Period, lock sqlite.ReviewEntry, rv *indicators.ReportReview) error {
	then, err := db.StateBefore(ctx, lock)
	if err != nil {
		return err
	}
	fw, err := db.FrameworkIn(ctx, then)
	if errors.Is(err, sqlite.ErrNoFramework) {
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

// writeDonorWorkbookIn writes the donor workbook of report r (of period
// p) to path with the figures v sees: the current ones, those of a past
// state, or only the approved ones.
func writeDonorWorkbookIn(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, comp *indicators.Compiled, r *indicators.Report, p indicators.Period, path string, v reportView) error {
	var figs []indicators.Revision
	var err error
	if v.State == nil {
		figs, err = db.CurrentRevisions(ctx, sqlite.MeasurementFilter{Upto: p.End})
	} else {
		figs, err = db.RevisionsIn(ctx, *v.State, p.End, indicatorOrder(fw))
	}
	if err != nil {
		return err
	}
	if v.ApprovedOnly {
		ok, err := approvedKeys(ctx, db, v.State, p.End)
		if err != nil {
			return err
		}
		kept := figs[:0]
		for _, f := range figs {
			if ok[figureKey(f.Measurement)] {
				kept = append(kept, f)
			}
		}
		figs = kept
	}
	// One IPTT sheet per reporting frequency, each with its own periods,
	// from the same figures as the report (as of its state, approved only
	// when asked).
	ms, err := reportFigures(ctx, db, fw, p, v)
	if err != nil {
		return err
	}
	tables, err := indicators.IPTTTables(indicators.ReportInput{Framework: fw, Compiled: comp, Figures: ms, Period: p}, r)
	if err != nil {
		return err
	}
	revs, err := targetRevisions(ctx, db, fw, v.State)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		return exporters.WriteReportXLSX(w, exporters.DonorWorkbook{Report: r, Framework: fw, Figures: figs, IPTT: tables, TargetRevisions: revs})
	})
}

// targetRevisions lists the baselines, targets and milestones of fw's
// indicators revised since the framework was first imported (up to the
// version of st), each with its original and revised value and the date
// and reasons of every revision.
func targetRevisions(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, st *sqlite.State) ([]exporters.TargetRevision, error) {
	versions, err := db.FrameworkHistory(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []exporters.TargetRevision
	idx := map[string]int{}
	for _, v := range versions {
		if st != nil && v.ID > st.Version {
			break
		}
		var why []string
		for _, c := range v.Reasons {
			s := c.Reason
			if c.ReasonCode != "" && c.ReasonCode != c.Reason {
				s = c.ReasonCode + ": " + s
			}
			why = append(why, s)
		}
		for _, x := range v.Revisions {
			if x.Kind != "indicator" || (x.Field != "baseline" && x.Field != "target" && !strings.HasPrefix(x.Field, "milestone ")) {
				continue
			}
			k := x.Code + "\x1f" + x.Field
			i, ok := idx[k]
			if !ok {
				name := ""
				if ind, ok := fw.Indicator(x.Code); ok {
					name = ind.Name
				}
				i = len(out)
				idx[k] = i
				out = append(out, exporters.TargetRevision{Indicator: x.Code, Name: name, Field: x.Field, Original: x.Old})
			}
			out[i].Revised = x.New
			change := fmt.Sprintf("%s: %s -> %s", v.SavedAt.UTC().Format(time.DateOnly), orNone(x.Old), orNone(x.New))
			if len(why) > 0 {
				change += " (" + strings.Join(why, "; ") + ")"
			} else {
				change += " (no reason given)"
			}
			out[i].Changes = append(out[i].Changes, change)
		}
	}
	// In framework order.
	pos := map[string]int{}
	for i, ind := range fw.Indicators {
		pos[ind.Code] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return pos[out[i].Indicator] < pos[out[j].Indicator] })
	return out, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// onlyApproved keeps the figures that are approved.
func onlyApproved(ctx context.Context, db *sqlite.DB, figs []indicators.Measurement) ([]indicators.Measurement, error) {
	ok, err := approvedKeys(ctx, db, nil, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	var kept []indicators.Measurement
	for _, m := range figs {
		if ok[figureKey(m)] {
			kept = append(kept, m)
		}
	}
	return kept, nil
}
