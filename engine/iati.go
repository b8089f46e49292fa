package engine

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
)

// figuresUpto is the figures whose period ends by the end of upto
// (figures itself when that is all of them).
func figuresUpto(figures []indicators.Measurement, upto indicators.Period) []indicators.Measurement {
	n := 0
	for _, m := range figures {
		if !m.Period.End.After(upto.End) {
			n++
		}
	}
	if n == len(figures) {
		return figures
	}
	out := make([]indicators.Measurement, 0, n)
	for _, m := range figures {
		if !m.Period.End.After(upto.End) {
			out = append(out, m)
		}
	}
	return out
}

// formulaReport is the report of upto when the framework has formula
// indicators in its results (their values per reporting period are in its
// series; WriteIATI exports them), else nil: one report, not one per period.
func formulaReport(fw *indicators.Framework, compiled *indicators.Compiled, figures []indicators.Measurement, upto indicators.Period) (*indicators.Report, error) {
	need := false
	for _, ind := range fw.Indicators {
		if ind.Computed() && ind.Result != "" {
			need = true
			break
		}
	}
	if !need {
		return nil, nil
	}
	r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: compiled, Figures: figures, Period: upto})
	if err != nil {
		return nil, fmt.Errorf("report for %s: %w", upto, err)
	}
	return r, nil
}

// exportPeriod is the period named by --period (any spelling, project
// years included), else the latest reporting period with figures, else the
// project's first reporting period.
func exportPeriod(fw *indicators.Framework, figures []indicators.Measurement, spec string) (indicators.Period, error) {
	if spec != "" {
		return parsePeriodFlag(fw, spec)
	}
	kind, err := indicators.KindFromReporting(fw.Project.Reporting)
	if err != nil {
		kind = indicators.KindQuarter
	}
	var last time.Time
	for _, m := range figures {
		if m.Period.End.After(last) {
			last = m.Period.End
		}
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
	Figures   []indicators.Measurement // up to Upto
	Report    *indicators.Report       // the formula indicators' values (nil: none)
	Upto      indicators.Period
	Generated time.Time
}

// IATI prepares the IATI activity with every figure up to period (any
// spelling; "": the latest reporting period with figures), only the
// approved ones with approvedOnly. A project without the publisher's keys
// is refused before anything is read (*exporters.IATIMissingError).
func (e *Engine) IATI(ctx context.Context, period string, approvedOnly bool) (*IATIExport, error) {
	fw, compiled, err := loadFramework(ctx, e.db)
	if err != nil {
		return nil, err
	}
	// Refused before anything is read, computed or written: no invalid
	// file, no invented publisher (SPEC 8).
	if miss := fw.Project.MissingIATI(); len(miss) > 0 {
		return nil, &exporters.IATIMissingError{Project: fw.Project.Code, Missing: miss}
	}
	figures, err := e.db.Measurements(ctx, MeasurementFilter{})
	if err != nil {
		return nil, err
	}
	if approvedOnly {
		if figures, err = onlyApproved(ctx, e.db, figures); err != nil {
			return nil, err
		}
	}
	upto, err := exportPeriod(fw, figures, period)
	if err != nil {
		return nil, err
	}
	figures = figuresUpto(figures, upto)
	report, err := formulaReport(fw, compiled, figures, upto)
	if err != nil {
		return nil, err
	}
	return &IATIExport{Framework: fw, Figures: figures, Report: report, Upto: upto, Generated: e.db.Now()}, nil
}

// LatestIATI is the IATI activity beside the report rr (of
// Engine.LatestReport, whose figures up to its period are figs).
func (e *Engine) LatestIATI(rr *ReportResult, figs []indicators.Measurement) *IATIExport {
	return &IATIExport{Framework: rr.Framework, Figures: figs, Report: rr.Report, Upto: rr.Period, Generated: e.db.Now()}
}

// Write writes the activity as IATI 2.03 XML.
func (x *IATIExport) Write(w io.Writer) error {
	return exporters.WriteIATI(w, x.Framework, x.Figures, x.Report, exporters.IATIOptions{Generated: x.Generated})
}
