package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

var checkCmd = &command{
	Name:    "check",
	Summary: "lint the framework and the data: one line per finding, exit status 1 when any is an error",
	Usage:   "rmf check [-v]",
	Help: "Framework lints: results without indicators, outcomes nothing feeds, indicators without baseline,\n" +
		"target, data source or collection method, targets against the direction, milestones outside the\n" +
		"project, milestones that fit neither reading (cumulative or per period: say which in column milestones),\n" +
		"formulas that do not compile. Data checks, once figures are imported: the Rules sheet in\n" +
		"every period, totals against their breakdowns, unverified figures, percent figures that look like\n" +
		"shares typed in plain cells (0.75 for 75%). Missing reports depend on the period: rmf due --period P\n" +
		"and rmf report list them.\n" +
		"Each finding is printed as \"SEVERITY CODE: message\" (severity error, warning or info), naming the\n" +
		"result, indicator or rule and what to fix; a summary goes to stderr. Notes (info: activities\n" +
		"followed through their output's indicators, how each indicator's milestones are read) are counted,\n" +
		"and listed with -v.",
}

func init() {
	checkCmd.Run = runCheck
	register(checkCmd)
}

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, checkCmd.Name)
	verbose := fs.Bool("v", false, "also list the notes (info findings)")
	pos, err := parseFlags(env, checkCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	fw, err := db.Framework(ctx)
	if err != nil {
		return err
	}
	findings := frameworkFindings(fw)
	data, figures, err := dataFindings(ctx, db, fw)
	if err != nil {
		return err
	}
	findings = append(findings, data...)
	shown := findings
	if !*verbose {
		shown = nil
		for _, f := range findings {
			if f.Severity == indicators.SevError || f.Severity == indicators.SevWarning {
				shown = append(shown, f)
			}
		}
	}
	printFindings(env.Stdout, shown)
	c := countFindings(findings)
	what := "no figures imported"
	if figures > 0 {
		what = plural(figures, "figure")
	}
	hidden := ""
	if len(shown) < len(findings) {
		hidden = " (rmf check -v lists the notes)"
	}
	fmt.Fprintf(env.Stderr, "check: framework %s, %s: %s%s\n", fw.Project.Code, what, c, hidden)
	if c.errors > 0 {
		return errSilent
	}
	return nil
}

// frameworkFindings lints fw: the framework lints of SPEC section 2.
func frameworkFindings(fw *indicators.Framework) []indicators.Finding {
	return fw.Check()
}

// dataFindings checks the stored figures against the framework: the rules
// in every period, totals against their breakdowns, unverified figures and
// formulas that cannot be evaluated (the findings of a report over the whole
// project), and figures implausible together (shares typed for a
// percent). It returns how many figures it checked. A framework whose
// formulas do not compile gets no data checks: Check reports those first.
func dataFindings(ctx context.Context, db *engine.Engine, fw *indicators.Framework) ([]indicators.Finding, int, error) {
	figures, err := db.Measurements(ctx, engine.MeasurementFilter{})
	if err != nil || len(figures) == 0 {
		return nil, 0, err
	}
	compiled, probs := fw.Compile()
	if len(probs) > 0 {
		return nil, len(figures), nil
	}
	r, err := indicators.BuildReport(indicators.ReportInput{Framework: fw, Compiled: compiled, Figures: figures, Period: fw.Project.Period()})
	if err != nil {
		return nil, len(figures), fmt.Errorf("check the figures: %w", err)
	}
	// Missing reports depend on the period asked about (what is owed by
	// its end): rmf report and rmf due list them; check, which has no
	// period, leaves them out rather than call every future period missing.
	var out []indicators.Finding
	for _, f := range r.Findings {
		if f.Kind != "missing" {
			out = append(out, f)
		}
	}
	return append(out, indicators.PlausibilityFindings(fw, figures)...), len(figures), nil
}

// printFindings writes one line per finding: "SEVERITY CODE: message".
func printFindings(w io.Writer, findings []indicators.Finding) {
	for _, f := range findings {
		if f.Code == "" {
			fmt.Fprintf(w, "%s: %s\n", f.Severity, f.Message)
			continue
		}
		fmt.Fprintf(w, "%s %s: %s\n", f.Severity, f.Code, f.Message)
	}
}

type findingCount struct{ errors, warnings, infos int }

func countFindings(findings []indicators.Finding) findingCount {
	var c findingCount
	for _, f := range findings {
		switch f.Severity {
		case indicators.SevError:
			c.errors++
		case indicators.SevWarning:
			c.warnings++
		default:
			c.infos++
		}
	}
	return c
}

func (c findingCount) String() string {
	plural := func(n int, one string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	s := plural(c.errors, "error") + ", " + plural(c.warnings, "warning")
	if c.infos > 0 {
		s += ", " + plural(c.infos, "note")
	}
	return s
}
