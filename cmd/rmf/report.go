package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
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
	if *asOf != "" && *asReported {
		return usagef("--as-of and --as-reported exclude each other")
	}
	rr, err := db.Report(ctx, engine.ReportRequest{Period: *periodFlag, AsOf: *asOf, AsReported: *asReported, ApprovedOnly: *approvedOnly})
	if rr != nil {
		for _, n := range rr.Notes {
			fmt.Fprintf(env.Stderr, "rmf report: %s\n", n)
		}
	}
	if err != nil {
		return flagAdvice(err)
	}
	if format == "xlsx" {
		return writeDonorWorkbook(ctx, db, rr, *out)
	}
	if *out == "" {
		return engine.WriteReport(env.Stdout, rr.Report, format, engine.TextOptions{Color: env.Color, Width: terminalWidth(env)})
	}
	return writeReportFile(*out, rr.Report, format)
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

// writeDonorWorkbook writes the donor workbook of report rr to path.
func writeDonorWorkbook(ctx context.Context, db *engine.Engine, rr *engine.ReportResult, path string) error {
	d, err := db.DonorWorkbook(ctx, rr)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return engine.WriteDonorWorkbook(w, d) })
}

// writeReportFile writes r to path with writeFileAtomic: a failed run
// leaves no half-written report, and a device or pipe is written directly.
func writeReportFile(path string, r *indicators.Report, format string) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		return engine.WriteReport(w, r, format, engine.TextOptions{Color: false, Width: 100})
	})
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
	rr, err := d.DB.LatestReport(ctx)
	if err != nil {
		return err
	}
	r, p := rr.Report, rr.Period
	for _, f := range []struct{ name, format string }{{"report.md", "md"}, {"report.json", "json"}, {"report.html", "html"}} {
		if err := writeReportFile(filepath.Join(d.Dir, f.name), r, f.format); err != nil {
			return err
		}
	}
	if err := writeDonorWorkbook(ctx, d.DB, rr, filepath.Join(d.Dir, "report.xlsx")); err != nil {
		return err
	}
	// The IATI activity with every figure up to p (the report of p gives
	// the formula indicators' values per reporting period).
	iati := filepath.Join(d.Dir, "iati-activity.xml")
	if err := writeFileAtomic(iati, d.DB.LatestIATI(ctx, rr).Write); err != nil {
		return err
	}
	fmt.Fprintf(d.Env.Stdout, "\nreport for %s (also in %s, %s, %s and %s; IATI in %s):\n\n", p,
		filepath.Join(d.Dir, "report.md"), filepath.Join(d.Dir, "report.json"), filepath.Join(d.Dir, "report.html"),
		filepath.Join(d.Dir, "report.xlsx"), iati)
	return engine.WriteReport(d.Env.Stdout, r, "text", engine.TextOptions{Color: d.Env.Color, Width: terminalWidth(d.Env)})
}
