package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
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
	figures, err := db.Measurements(ctx, engine.MeasurementFilter{})
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
	reports, err := reportingReports(fw, compiled, figures, upto)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		return exporters.WriteIATI(w, fw, reports, exporters.IATIOptions{Generated: db.Now()})
	}
	if *out == "-" {
		return write(env.Stdout)
	}
	if err := writeFileAtomic(*out, write); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: IATI activity %s with results to %s\n", *out, fw.Project.Code, upto)
	return nil
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

// reportingReports builds the report of every reporting period of the
// project up to the end of upto, the last one cut at the end of upto. When
// there is none, the report of upto alone.
func reportingReports(fw *indicators.Framework, compiled *indicators.Compiled, figures []indicators.Measurement, upto indicators.Period) ([]*indicators.Report, error) {
	kind, err := indicators.KindFromReporting(fw.Project.Reporting)
	if err != nil {
		kind = indicators.KindQuarter
	}
	// Figures finer than the reporting periods (quarterly figures in a
	// semiannual project) are exported per their own periods, so that the
	// file keeps what was reported.
	for _, m := range figures {
		if k := m.Period.Kind; k >= indicators.KindMonth && k <= indicators.KindYear && k < kind {
			kind = k
		}
	}
	periods := indicators.Periods(fw.Project.Start, upto.End, kind)
	if n := len(periods); n > 0 && periods[n-1].End.After(upto.End) {
		// upto ends inside a reporting period (2021Q3 in a semiannual
		// project): the last window runs from that period's start to the
		// end of upto, so that no figure up to upto is left out.
		periods[n-1] = indicators.Normalize(indicators.Range(periods[n-1].Start, upto.End))
	}
	if len(periods) == 0 {
		periods = []indicators.Period{upto}
	}
	out := make([]*indicators.Report, 0, len(periods))
	for _, p := range periods {
		r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: compiled, Figures: figures, Period: p})
		if err != nil {
			return nil, fmt.Errorf("report for %s: %w", p, err)
		}
		out = append(out, r)
	}
	return out, nil
}
