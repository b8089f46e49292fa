package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/sqlite"
)

var reportCmd = &command{
	Name:    "report",
	Summary: "the results-based report of a period: where each result and indicator stands against its targets",
	Usage:   "rmf report --period P [--format text|md|html|json|xlsx] [-o FILE] [--as-of DATE | --as-reported]",
	Help: "P is a period in any spelling: 2021Q3, 2021-Q3, Q3 2021, 2021S1, 2021, 2021-07, PY2 (a project year),\n" +
		"or a custom window 2020-09-01..2021-02-28. Figures are cumulative from the project start to the end of P.\n" +
		"Formats: text (the default: a compact tree with status marks and progress bars, coloured on a\n" +
		"terminal), md (the Markdown report for a steering committee: summary, results, changes since the\n" +
		"previous period, next milestones, disaggregations, data quality, sources), html (the same as one\n" +
		"self-contained page with progress bars, status badges and trend charts, printable), json (SPEC section 7)\n" +
		"and xlsx (the donor workbook: IPTT, summary with a chart, disaggregation, measurement plan, every figure\n" +
		"with its source, findings, recommendations; needs -o FILE).\n" +
		"Without --format, -o FILE ending in .md, .html, .json or .xlsx picks that format. The report goes to stdout or -o FILE.\n" +
		"--as-of DATE gives the report exactly as it stood then (figures, framework, targets, statuses);\n" +
		"--as-reported as it stood when the period was locked (rmf lock). When the review log has entries\n" +
		"(rmf approve, return, lock), the report shows the share of figures approved, the figures of P not\n" +
		"approved, and the figures revised since their period was reported.",
}

func init() {
	reportCmd.Run = runReport
	register(reportCmd)
	addDemoStep(demoStep{Order: 50, Name: "report", Run: demoReport})
}

// reportFormats are the formats of "rmf report", by name and alias.
var reportFormats = map[string]string{
	"text": "text", "txt": "text", "terminal": "text",
	"md": "md", "markdown": "md",
	"json": "json",
	"html": "html", "htm": "html",
	"xlsx": "xlsx", "excel": "xlsx", "iptt": "xlsx",
}

// reportFormatList is the list printed in usage errors.
const reportFormatList = "text, md, html, json or xlsx"

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, reportCmd.Name)
	periodFlag := fs.String("period", "", "reporting `P`eriod: 2021Q3, 2021S1, 2021, 2021-07, PY2 or 2020-09-01..2021-02-28")
	formatFlag := fs.String("format", "", "output `format`: text (default), md, html, json or xlsx")
	out := fs.String("o", "", "write the report to `FILE` instead of stdout")
	asOf := fs.String("as-of", "", "the report as it stood at `DATE` (the end of that day, or a time such as 2021-10-15T09:30)")
	asReported := fs.Bool("as-reported", false, "the report as it stood when the period was locked (rmf lock)")
	approvedOnly := fs.Bool("approved-only", false, "count only the figures approved (rmf approve): for the donor workbook sent out")
	pos, err := parseFlags(env, reportCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the period with --period P)", pos[0])
	}
	if strings.TrimSpace(*periodFlag) == "" {
		return usagef("--period is required, e.g. --period 2021Q3 or --period 2020-09-01..2021-02-28")
	}
	format, err := reportFormat(*formatFlag, *out)
	if err != nil {
		return err
	}
	if format == "xlsx" && (*out == "" || *out == "-") {
		return usagef("--format xlsx writes a workbook: name it with -o FILE.xlsx")
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	var st *sqlite.State // the database's state to report: nil for now (cmd/rmf/asof.go, issue 16)
	var fw *indicators.Framework
	var comp *indicators.Compiled
	var p indicators.Period
	if *asOf != "" && *asReported {
		return usagef("--as-of and --as-reported exclude each other")
	}
	if *asOf != "" || *asReported {
		st, fw, comp, p, err = resolveAsOf(ctx, env, db, *periodFlag, *asOf, *asReported)
	} else if fw, comp, err = loadFramework(ctx, db); err == nil {
		p, err = parsePeriodFlag(fw, *periodFlag)
	}
	if err != nil {
		return err
	}
	view := reportView{State: st, ApprovedOnly: *approvedOnly}
	r, err := buildReportIn(ctx, db, fw, comp, p, view)
	if err != nil {
		return err
	}
	if format == "xlsx" {
		return writeDonorWorkbookIn(ctx, db, fw, comp, r, p, *out, view) // cmd/rmf/asof.go
	}
	if *out == "" {
		return writeReport(env.Stdout, r, format, env.Color, terminalWidth(env))
	}
	return writeReportFile(*out, r, format)
}

// reportFormat picks the format: --format when given (an unknown one is a
// usage error), else from the extension of -o FILE, else text.
func reportFormat(flagValue, out string) (string, error) {
	if v := strings.ToLower(strings.TrimSpace(flagValue)); v != "" {
		f, ok := reportFormats[v]
		if !ok {
			return "", usagef("unknown format %q: expected %s", flagValue, reportFormatList)
		}
		return f, nil
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".md", ".markdown":
		return "md", nil
	case ".json":
		return "json", nil
	case ".html", ".htm":
		return "html", nil
	case ".xlsx":
		return "xlsx", nil
	case "", ".txt", ".text":
		return "text", nil
	}
	return "", usagef("cannot tell the format of -o %s from its extension, expected .txt, .md, .html, .json or .xlsx, or --format %s", out, strings.ReplaceAll(reportFormatList, " or ", ", "))
}

// buildReport loads the current figures and the follow-up of the
// evaluations (when the database has any) and builds the report of p.
func buildReport(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, comp *indicators.Compiled, p indicators.Period) (*indicators.Report, error) {
	return buildReportIn(ctx, db, fw, comp, p, reportView{})
}

// buildReportIn is buildReport of the database as v sees it (its state, or
// now; only approved figures; cmd/rmf/asof.go, issue 16): fw and comp are
// the framework of that state.
func buildReportIn(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, comp *indicators.Compiled, p indicators.Period, v reportView) (*indicators.Report, error) {
	st := v.State
	n, err := db.CountMeasurements(ctx, sqlite.MeasurementFilter{})
	if err != nil {
		return nil, err
	}
	limitReportMemory(n)
	figs, err := reportFigures(ctx, db, fw, p, v)
	if err != nil {
		return nil, err
	}
	in := indicators.ReportInput{Framework: fw, Compiled: comp, Figures: figs, Period: p}
	evs, err := reportEvaluations(ctx, db, st)
	if err != nil {
		return nil, err
	}
	// Evaluations dated after the period had not happened yet: their
	// follow-up does not belong in the report.
	var past []indicators.Evaluation
	for _, ev := range evs {
		if ev.Date.IsZero() || !ev.Date.After(p.End) {
			past = append(past, ev)
		}
	}
	if len(past) > 0 {
		fu := indicators.BuildFollowUp(past, p.End, fw.Project.End)
		in.FollowUp = &fu
	}
	r, err := indicators.BuildReport(in)
	if err != nil {
		return nil, fmt.Errorf("report of %s: %w", p, err)
	}
	if err := addEfficiencyIn(ctx, db, fw, r, st); err != nil { // cmd/rmf/expenditures.go (issue 7)
		return nil, fmt.Errorf("efficiency at %s: %w", p, err)
	}
	if err := addReview(ctx, db, fw, r, p, st); err != nil { // cmd/rmf/asof.go (issue 16)
		return nil, fmt.Errorf("review of %s: %w", p, err)
	}
	return r, nil
}

// reportFigureFilter selects the figures the report of p reads: those
// ending after P are left out by indicators.BuildReport, so they are not
// loaded at all (a report of an early period of a large project then
// reads a fraction of its figures).
func reportFigureFilter(p indicators.Period) sqlite.MeasurementFilter {
	return sqlite.MeasurementFilter{Upto: p.End}
}

// limitReportMemory sets a soft memory limit (runtime/debug.SetMemoryLimit)
// for building a report from at most n figures, unless $GOMEMLIMIT sets
// one. It is set before the figures are loaded: loading makes garbage too. The
// figures are most of the memory a report holds (about 200 bytes each, a
// million for a large project) and stay in use until the report is built;
// with the default pacing the garbage collector lets the heap grow to twice
// that before collecting, so a large project's report peaked near 400 MB.
// The limit (at least 256 MiB, else one and a half times the figures plus
// 16 MiB) makes it collect sooner instead: some CPU time, on the idle core
// of a single-threaded program, for a third less memory. A small project
// never comes near the limit, and a larger one gets a limit in proportion.
func limitReportMemory(n int) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	figures := int64(n) * int64(unsafe.Sizeof(indicators.Measurement{}))
	debug.SetMemoryLimit(max(256<<20, figures*3/2+16<<20))
}

// writeReport writes r in format to w.
func writeReport(w io.Writer, r *indicators.Report, format string, color bool, width int) error {
	switch format {
	case "md":
		return exporters.WriteReportMarkdown(w, r)
	case "json":
		return exporters.WriteReportJSON(w, r)
	case "html":
		return exporters.WriteReportHTML(w, r)
	}
	return exporters.WriteReportText(w, r, exporters.TextOptions{Color: color, Width: width})
}

// writeDonorWorkbook writes the donor workbook of report r (of period p)
// to path from the current state of the database: the figures listed are
// the current ones up to the end of p, each with the import it came from.
func writeDonorWorkbook(ctx context.Context, db *sqlite.DB, fw *indicators.Framework, comp *indicators.Compiled, r *indicators.Report, p indicators.Period, path string) error {
	return writeDonorWorkbookIn(ctx, db, fw, comp, r, p, path, reportView{})
}

// writeReportFile writes r to path with writeFileAtomic: a failed run
// leaves no half-written report, and a device or pipe is written directly.
func writeReportFile(path string, r *indicators.Report, format string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return writeReport(w, r, format, false, 100) })
}

// terminalWidth is $COLUMNS when stdout is a terminal and it is set,
// else 100.
func terminalWidth(env *Env) int {
	if env.Color {
		if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 60 {
			return min(n, 160)
		}
	}
	return 100
}

// demoReport (step 50) writes the example project's report for its latest
// quarter with figures (2022Q2 when there are none) as report.md,
// report.json, report.html and report.xlsx into the demo folder, with the
// IATI activity (iati-activity.xml), and prints the text report.
func demoReport(ctx context.Context, d *demoRun) error {
	fw, comp, err := loadFramework(ctx, d.DB)
	if err != nil {
		return err
	}
	figs, err := d.DB.Measurements(ctx, sqlite.MeasurementFilter{})
	if err != nil {
		return err
	}
	p := latestQuarter(figs, fw.Project)
	r, err := buildReport(ctx, d.DB, fw, comp, p)
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, format string }{{"report.md", "md"}, {"report.json", "json"}, {"report.html", "html"}} {
		if err := writeReportFile(filepath.Join(d.Dir, f.name), r, f.format); err != nil {
			return err
		}
	}
	if err := writeDonorWorkbook(ctx, d.DB, fw, comp, r, p, filepath.Join(d.Dir, "report.xlsx")); err != nil {
		return err
	}
	// The IATI activity with every figure up to p (the report of p gives
	// the formula indicators' values per reporting period).
	iati := filepath.Join(d.Dir, "iati-activity.xml")
	if err := writeFileAtomic(iati, func(w io.Writer) error {
		return exporters.WriteIATI(w, fw, figuresUpto(figs, p), r, exporters.IATIOptions{Generated: d.DB.Now()})
	}); err != nil {
		return err
	}
	fmt.Fprintf(d.Env.Stdout, "\nreport for %s (also in %s, %s, %s and %s; IATI in %s):\n\n", p,
		filepath.Join(d.Dir, "report.md"), filepath.Join(d.Dir, "report.json"), filepath.Join(d.Dir, "report.html"),
		filepath.Join(d.Dir, "report.xlsx"), iati)
	return writeReport(d.Env.Stdout, r, "text", d.Env.Color, terminalWidth(d.Env))
}

// latestQuarter is the quarter of the latest figure's end (not past the
// project's end), or 2022Q2 when there are no figures.
func latestQuarter(figs []indicators.Measurement, proj indicators.Project) indicators.Period {
	var last time.Time
	for _, m := range figs {
		if m.Period.End.After(last) {
			last = m.Period.End
		}
	}
	if last.IsZero() {
		return indicators.Quarter(2022, 2)
	}
	if !proj.End.IsZero() && last.After(proj.End) {
		last = proj.End
	}
	return indicators.PeriodOf(indicators.KindQuarter, last)
}
