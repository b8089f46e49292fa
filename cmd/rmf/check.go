package main

import (
	"context"
	"fmt"
	"io"

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
	res, err := db.Check(ctx)
	if err != nil {
		return err
	}
	fw, figures := res.Framework, res.Figures
	findings, shown := res.Findings, res.Shown(*verbose)
	printFindings(env.Stdout, shown)
	c := res.Count()
	what := "no figures imported"
	if figures > 0 {
		what = plural(figures, "figure")
	}
	hidden := ""
	if len(shown) < len(findings) {
		hidden = " (rmf check -v lists the notes)"
	}
	fmt.Fprintf(env.Stderr, "check: framework %s, %s: %s%s\n", fw.Project.Code, what, c, hidden)
	if c.Errors > 0 {
		return errSilent
	}
	return nil
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
