package engine

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
)

// formulaReport is the report of upto of the formula indicators of fw's
// results (their values per reporting period are in its series; WriteIATI
// exports them), else nil: a report of those indicators alone (subReport).
func formulaReport(ctx context.Context, db Store, fw *indicators.Framework, compiled *indicators.Compiled, upto indicators.Period, v reportView) (*indicators.Report, error) {
	var codes []string
	for _, ind := range fw.Indicators {
		if ind.Computed() && ind.Result != "" {
			codes = append(codes, ind.Code)
		}
	}
	if len(codes) == 0 {
		return nil, nil
	}
	r, err := subReport(ctx, db, fw, compiled, upto, v, codes)
	if err != nil {
		return nil, fmt.Errorf("report for %s: %w", upto, err)
	}
	// Only the formula indicators' series are written.
	series := &indicators.Report{Results: make([]indicators.ReportResult, len(r.Results))}
	for i := range r.Results {
		for _, ind := range r.Results[i].Indicators {
			if x, ok := fw.Indicator(ind.Code); ok && x.Computed() {
				series.Results[i].Indicators = append(series.Results[i].Indicators, indicators.ReportIndicator{Code: ind.Code, Series: ind.Series})
			}
		}
	}
	return series, nil
}

// subReport is the report of p of the indicators codes and of those they
// are computed from (frameworkOf), built from only those indicators'
// figures as v sees them, without follow-up, efficiency or review: an
// indicator's values, milestones and series depend on nothing else, and a
// large project's report of everything is a read of every figure.
func subReport(ctx context.Context, db Store, fw *indicators.Framework, compiled *indicators.Compiled, p indicators.Period, v reportView, codes []string) (*indicators.Report, error) {
	sub, measured := frameworkOf(fw, compiled, codes)
	rb, err := indicators.NewReportBuilder(indicators.ReportInput{Framework: sub, Compiled: compiled, Period: p})
	if err != nil {
		return nil, err
	}
	add := func(_ string, figs []indicators.Measurement) error { return rb.Add(figs) }
	switch {
	case v.ApprovedOnly:
		err = eachApproved(ctx, db, v.State, p.End, measured, add)
	case v.State != nil:
		var figs []indicators.Measurement
		if figs, err = db.MeasurementsIn(ctx, *v.State, p.End, measured); err == nil {
			err = rb.Add(figs) // those of other indicators are ignored
		}
	default:
		err = db.EachMeasurementsOf(ctx, reportFigureFilter(p), measured, add)
	}
	if err != nil {
		return nil, err
	}
	return rb.Report()
}

// frameworkOf is fw cut down to the indicators codes and every indicator
// they read, through formulas, numerators and denominators, recursively
// (with their milestones; every result, no rules), and the codes of those
// that are imported, in fw's order.
func frameworkOf(fw *indicators.Framework, compiled *indicators.Compiled, codes []string) (*indicators.Framework, []string) {
	keep := map[string]bool{}
	var visit func(code string)
	visit = func(code string) {
		ind, ok := fw.Indicator(code)
		if !ok || keep[code] {
			return
		}
		keep[code] = true
		if f := compiled.Formulas[code]; f != nil {
			for _, c := range f.Refs {
				visit(c)
			}
		}
		if ind.IsRatio() {
			visit(ind.Numerator)
			visit(ind.Denominator)
		}
	}
	for _, c := range codes {
		visit(c)
	}
	sub := *fw
	sub.Indicators, sub.Milestones, sub.Rules = nil, nil, nil
	measured := []string{}
	for _, ind := range fw.Indicators {
		if keep[ind.Code] {
			sub.Indicators = append(sub.Indicators, ind)
			if !ind.Computed() && !ind.IsRatio() {
				measured = append(measured, ind.Code)
			}
		}
	}
	for _, m := range fw.Milestones {
		if keep[m.Indicator] {
			sub.Milestones = append(sub.Milestones, m)
		}
	}
	return &sub, measured
}

// exportPeriod is the period named by --period (any spelling, project
// years included), else the latest reporting period with figures (last is
// the latest figure's end), else the project's first reporting period.
func exportPeriod(fw *indicators.Framework, last time.Time, spec string) (indicators.Period, error) {
	if spec != "" {
		return parsePeriodFlag(fw, spec)
	}
	kind, err := indicators.KindFromReporting(fw.Project.Reporting)
	if err != nil {
		kind = indicators.KindQuarter
	}
	if last.IsZero() {
		last = fw.Project.Start
	}
	return indicators.PeriodOf(kind, last), nil
}

// IATIExport is the IATI activity of the project with its figures up to a
// period, ready to write.
type IATIExport struct {
	Framework *indicators.Framework
	Report    *indicators.Report // the formula indicators' values (nil: none)
	Upto      indicators.Period
	Generated time.Time
	// figures reads the figures up to Upto from the store as Write
	// writes them (the approved ones only when asked).
	figures exporters.IATIFigures
}

// IATI prepares the IATI activity with every figure up to period (any
// spelling; "": the latest reporting period with figures), only the
// approved ones with approvedOnly. A project without the publisher's keys
// is refused before anything is read (*exporters.IATIMissingError). The
// figures are not loaded here: Write reads them from the store in one
// pass as it writes the file.
func (e *Engine) IATI(ctx context.Context, period string, approvedOnly bool) (*IATIExport, error) {
	// Everything Write needs is read after this stamp and checked against
	// it once the figures are read (storeFigures): one state of the
	// database, or ErrDatabaseChanged.
	stamp, err := e.db.Stamp(ctx)
	if err != nil {
		return nil, err
	}
	fw, compiled, err := loadFramework(ctx, e.db)
	if err != nil {
		return nil, err
	}
	// Refused before anything is read, computed or written: no invalid
	// file, no invented publisher (SPEC 8).
	if miss := fw.Project.MissingIATI(); len(miss) > 0 {
		return nil, &exporters.IATIMissingError{Project: fw.Project.Code, Missing: miss}
	}
	var last time.Time
	if approvedOnly {
		last, err = approvedEnd(ctx, e.db)
	} else {
		last, err = e.db.LatestFigureEnd(ctx)
	}
	if err != nil {
		return nil, err
	}
	upto, err := exportPeriod(fw, last, period)
	if err != nil {
		return nil, err
	}
	report, err := formulaReport(ctx, e.db, fw, compiled, upto, reportView{ApprovedOnly: approvedOnly, LimitMemory: e.opt.LimitReportMemory})
	if err != nil {
		return nil, err
	}
	return &IATIExport{Framework: fw, Report: report, Upto: upto, Generated: e.db.Now(), figures: storeFigures(ctx, e.db, fw, upto, approvedOnly, stamp)}, nil
}

// approvedEnd is the latest end of the approved figures' periods.
func approvedEnd(ctx context.Context, db Store) (time.Time, error) {
	var last time.Time
	err := db.EachApprovedRevisions(ctx, nil, time.Time{}, nil, func(_ string, revs []indicators.Revision) error {
		for _, r := range revs {
			if r.Period.End.After(last) {
				last = r.Period.End
			}
		}
		return nil
	})
	return last, err
}

// storeFigures reads the current figures up to upto (then checks that the
// database is still in the state of stamp, when the export began) (with approvedOnly,
// each figure's latest approved revision: eachApproved) one indicator at a time in the order the IATI
// activity of fw needs them (exporters.IATIFigureOrder). The store is read
// on another goroutine while the caller writes the indicators before (a
// few indicators' figures copied ahead, their slices reused), so that
// reading and writing overlap on two cores.
func storeFigures(ctx context.Context, db Store, fw *indicators.Framework, upto indicators.Period, approvedOnly bool, stamp string) exporters.IATIFigures {
	order := exporters.IATIFigureOrder(fw)
	read := func(ctx context.Context, fn func(string, []indicators.Measurement) error) error {
		if approvedOnly {
			return eachApproved(ctx, db, nil, upto.End, order, fn)
		}
		return db.EachMeasurementsOf(ctx, MeasurementFilter{Upto: upto.End}, order, fn)
	}
	return func(fn func(string, []indicators.Measurement) error) error {
		if err := readAhead(ctx, read, fn); err != nil {
			return err
		}
		// the figures, the framework and the formulas' values of one state
		return sameState(ctx, db, stamp)
	}
}

// LatestIATI is the IATI activity beside the report rr (of
// Engine.LatestReport): every figure up to its period, the formula
// indicators' values from rr.
func (e *Engine) LatestIATI(ctx context.Context, rr *ReportResult) *IATIExport {
	return &IATIExport{Framework: rr.Framework, Report: rr.Report, Upto: rr.Period, Generated: e.db.Now(), figures: storeFigures(ctx, e.db, rr.Framework, rr.Period, false, rr.stamp)}
}

// Write writes the activity as IATI 2.03 XML, reading its figures from
// the store as it goes.
func (x *IATIExport) Write(w io.Writer) error {
	return exporters.WriteIATIFrom(w, x.Framework, x.figures, x.Report, exporters.IATIOptions{Generated: x.Generated})
}
