package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/sqlite"
)

func init() {
	register(&command{
		Name:    "export",
		Summary: "export the project for others: IATI 2.03 activity XML with results",
		Usage:   "rmf export iati [--period P] [--approved-only] -o FILE",
		Run:     runExport,
	})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	c := commands["export"]
	fs := newFlags(env, "export")
	period := fs.String("period", "", "last reporting period `P` to include (default: the latest one with figures)")
	out := fs.String("o", "", "output `FILE` (.xml; - for stdout)")
	approvedOnly := fs.Bool("approved-only", false, "export only the figures approved (rmf approve)")
	pos, err := parseFlags(env, c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "iati" {
		return usagef("expected the format iati, as in: rmf export iati -o activity.xml")
	}
	if *out == "" {
		return usagef("-o FILE is required (- for stdout)")
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	fw, compiled, err := loadFramework(ctx, db)
	if err != nil {
		return err
	}
	// Refused before anything is read, computed or written: no invalid
	// file, no invented publisher (SPEC 8).
	if miss := fw.Project.MissingIATI(); len(miss) > 0 {
		return &exporters.IATIMissingError{Project: fw.Project.Code, Missing: miss}
	}
	figures, err := db.Measurements(ctx, sqlite.MeasurementFilter{})
	if err != nil {
		return err
	}
	if *approvedOnly { // cmd/rmf/asof.go (issue 16)
		if figures, err = onlyApproved(ctx, db, figures); err != nil {
			return err
		}
	}
	upto, err := exportPeriod(fw, figures, *period)
	if err != nil {
		return err
	}
	figures = figuresUpto(figures, upto)
	report, err := formulaReport(fw, compiled, figures, upto)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		return exporters.WriteIATI(w, fw, figures, report, exporters.IATIOptions{Generated: db.Now()})
	}
	if *out == "-" {
		return write(env.Stdout)
	}
	if err := writeFileAtomic(*out, write); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: IATI activity %s with its figures up to %s\n", *out, fw.Project.IATIIdentifier, upto)
	return nil
}

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
