package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/exporters"
)

var historyCmd = &command{
	Name:    "history",
	Summary: "every revision of an indicator's figures and where each came from",
	Usage:   "rmf [--db FILE] history CODE [--period P]",
	Help: "Lists every stored version of CODE's figures, by period and disaggregation: the value (or the\n" +
		"text, or numerator/denominator), whether it was verified, its revision number, a * on the\n" +
		"version in force, and the file, sheet and row it was read from with the time of the import.\n" +
		"--period P keeps the figures whose period lies within P: --period 2021 shows the year's\n" +
		"quarters and months as well as the figures for the whole year (P: 2021Q3, 2021S1, Q3 2021, ...).",
}

func init() {
	historyCmd.Run = runHistory
	register(historyCmd)
}

func runHistory(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, historyCmd.Name)
	period := fs.String("period", "", "only the figures of period `P`")
	pos, err := parseFlags(env, historyCmd, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef("name the indicator: rmf history CODE")
	case len(pos) > 1:
		return usagef("one indicator code at a time (got %s)", strings.Join(pos, " "))
	}
	code := pos[0]
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	h, err := db.FigureHistory(ctx, code, *period)
	if err != nil {
		return err
	}
	fw, ind, p, revs := h.Framework, h.Indicator, h.Period, h.Revisions
	fmt.Fprintf(env.Stdout, "%s %s [%s]\n", ind.Code, ind.Name, ind.Unit)
	if len(revs) == 0 {
		switch {
		case p != nil:
			fmt.Fprintf(env.Stdout, "no figures for %s yet\n", p)
		default:
			fmt.Fprintln(env.Stdout, "no figures imported yet")
		}
	}
	switch {
	case ind.Computed():
		fmt.Fprintf(env.Stdout, "%s is computed by its formula %s; its inputs have their own history\n", ind.Code, ind.Formula)
	case ind.IsRatio():
		fmt.Fprintf(env.Stdout, "%s is computed as %s / %s; see \"rmf history %s\" and \"rmf history %s\"\n",
			ind.Code, ind.Numerator, ind.Denominator, ind.Numerator, ind.Denominator)
	}
	if len(revs) == 0 {
		return nil
	}
	exporters.WriteHistory(env.Stdout, fw, ind, revs)
	return nil
}
