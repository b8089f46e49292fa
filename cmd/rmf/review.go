package main

// The reporting cycle (issue 16): rmf approve, return, lock, unlock and log.

import (
	"context"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

var approveCmd = &command{
	Name:    "approve",
	Summary: "approve the submitted figures of a period (of one indicator or one file), logged with who, when and why",
	Usage:   "rmf approve --period P [--indicator CODE] [--file NAME] [--reason TEXT] [--as NAME]",
	Help: "Imported figures are submitted; approving them says the officer checked them. The figures of P are those\n" +
		"whose period lies within P (the months of a quarter count for the quarter). A correction imported later\n" +
		"is a new revision and is submitted again. Figures owed for P that have not arrived are listed: approving\n" +
		"is allowed all the same. Every approval goes into the review log (rmf log).",
}

var returnCmd = &command{
	Name:    "return",
	Summary: "return the figures of a period to the partner with a reason (their next file must answer it)",
	Usage:   "rmf return --period P [--indicator CODE] [--file NAME] --reason TEXT [--as NAME]",
	Help: "The figures stay in the database, marked returned, until a new revision replaces them (the partner's\n" +
		"corrected file) or the officer approves them. Every return goes into the review log (rmf log).",
}

var lockCmd = &command{
	Name:    "lock",
	Summary: "lock a reported period: an import that would change one of its figures is refused",
	Usage:   "rmf lock --period P [--reason TEXT] [--force] [--as NAME]",
	Help: "Lock a period once its report went out (--reason \"sent to the donor 2021-10-15\"). The figures of\n" +
		"periods within P are frozen until the period is reopened with rmf unlock; rmf report --period P\n" +
		"--as-reported gives the report as it stood at the lock. A figure that had not arrived is still added\n" +
		"(a late return); the reports list it, as they list corrections made after an unlock. A period with\n" +
		"figures not approved is refused\n" +
		"unless --force with a reason.",
}

var unlockCmd = &command{
	Name:    "unlock",
	Summary: "reopen a locked period, with a reason",
	Usage:   "rmf unlock --period P --reason TEXT [--as NAME]",
}

var logCmd = &command{
	Name:    "log",
	Summary: "the review log: every approval, return, lock and unlock with who, when and why",
	Usage:   "rmf log [--period P]",
	Help:    "The log only grows: the database refuses to change or delete its entries.",
}

func init() {
	approveCmd.Run = func(ctx context.Context, env *Env, args []string) error {
		return runReview(ctx, env, approveCmd, engine.ActApprove, args)
	}
	returnCmd.Run = func(ctx context.Context, env *Env, args []string) error {
		return runReview(ctx, env, returnCmd, engine.ActReturn, args)
	}
	lockCmd.Run = runLock
	unlockCmd.Run = runUnlock
	logCmd.Run = runLog
	for _, c := range []*command{approveCmd, returnCmd, lockCmd, unlockCmd, logCmd} {
		register(c)
	}
}

// actorFlag adds --as NAME: who the log records. Without it, $RMF_USER,
// else the operating system's user name.
func actorFlag(fs interface {
	String(name, value, usage string) *string
}) func() (string, error) {
	as := fs.String("as", "", "record the action under `NAME` (default $RMF_USER, else the operating system user)")
	return func() (string, error) {
		if v := strings.TrimSpace(*as); v != "" {
			return v, nil
		}
		if v := defaultActor(); v != "" {
			return v, nil
		}
		return "", usagef("cannot tell who you are: name yourself with --as NAME (or $RMF_USER)")
	}
}

func runReview(ctx context.Context, env *Env, c *command, action string, args []string) error {
	fs := newFlags(env, c.Name)
	periodFlag := fs.String("period", "", "the period `P` whose figures to "+action+": 2021Q3, 2021S1, 2021, 2021-07, ...")
	ind := fs.String("indicator", "", "only the figures of indicator `CODE`")
	file := fs.String("file", "", "only the figures imported from file `NAME` (with or without its folder)")
	reasonHelp := "why, as `TEXT` (optional)"
	if action == engine.ActReturn {
		reasonHelp = "what the partner must correct or explain, as `TEXT` (required)"
	}
	reason := fs.String("reason", "", reasonHelp)
	actor := actorFlag(fs)
	pos, err := parseFlags(env, c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if strings.TrimSpace(*periodFlag) == "" {
		return usagef("--period is required, e.g. --period 2021Q3")
	}
	if action == engine.ActReturn && strings.TrimSpace(*reason) == "" {
		return usagef("--reason is required: say what the partner must correct or explain")
	}
	who, err := actor()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	req := engine.ReviewRequest{Period: *periodFlag, Indicator: *ind, File: *file, Reason: *reason, Actor: who}
	var res *engine.ReviewOutcome
	if action == engine.ActApprove {
		res, err = db.Approve(ctx, req)
	} else {
		res, err = db.Return(ctx, req)
	}
	if err != nil {
		return err
	}
	sel, p := res.Selection, res.Period
	verb := map[string]string{engine.ActApprove: "approved", engine.ActReturn: "returned"}[action]
	if res.Entry == nil {
		fmt.Fprintf(env.Stdout, "nothing to %s: the %s of %s %s already %s\n", action, plural(res.Selected, "figure"), sel, map[bool]string{true: "is", false: "are"}[res.Selected == 1], verb)
	} else {
		fmt.Fprintf(env.Stdout, "%s %s of %s (%d already %s): log entry #%d, %s\n",
			verb, plural(len(res.Changed), "figure"), sel, res.Already, verb, res.Entry.ID, res.Entry.Describe())
		for _, f := range res.Changed {
			if action == engine.ActReturn || f.State == engine.StateReturned {
				fmt.Fprintf(env.Stdout, "  %s %s (was %s)\n", f.Label(), figureValue(f.Measurement), f.State)
			}
		}
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(env.Stdout, "not received for %s (%d, approved without them):\n", p, len(res.Missing))
		for _, m := range res.Missing {
			fmt.Fprintf(env.Stdout, "  %s\n", m)
		}
	}
	return nil
}

// figureValue shows a figure's value as stored.
func figureValue(m indicators.Measurement) string {
	switch {
	case m.Value != nil:
		return indicators.FormatDecimal(*m.Value, 6, false)
	case m.Text != "":
		return fmt.Sprintf("%q", m.Text)
	case m.Numerator != nil && m.Denominator != nil:
		return indicators.FormatDecimal(*m.Numerator, -1, false) + "/" + indicators.FormatDecimal(*m.Denominator, -1, false)
	}
	return "(no value)"
}

func runLock(ctx context.Context, env *Env, args []string) error {
	return runLockCmd(ctx, env, lockCmd, args)
}

func runUnlock(ctx context.Context, env *Env, args []string) error {
	return runLockCmd(ctx, env, unlockCmd, args)
}

func runLockCmd(ctx context.Context, env *Env, c *command, args []string) error {
	lock := c == lockCmd
	fs := newFlags(env, c.Name)
	periodFlag := fs.String("period", "", "the period `P` to "+c.Name+": 2021Q3, 2021S1, 2021, 2021-07, ...")
	reasonHelp := "why it is reopened, as `TEXT` (required)"
	var force *bool
	if lock {
		reasonHelp = "why it is locked, as `TEXT` such as \"sent to the donor 2021-10-15\" (required with --force)"
		force = fs.Bool("force", false, "lock even though some figures are not approved (needs --reason)")
	}
	reason := fs.String("reason", "", reasonHelp)
	actor := actorFlag(fs)
	pos, err := parseFlags(env, c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if strings.TrimSpace(*periodFlag) == "" {
		return usagef("--period is required, e.g. --period 2021Q3")
	}
	if !lock && strings.TrimSpace(*reason) == "" {
		return usagef("--reason is required: say why the period is reopened")
	}
	if lock && *force && strings.TrimSpace(*reason) == "" {
		return usagef("--force needs --reason TEXT: say why figures that are not approved are locked")
	}
	who, err := actor()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if !lock {
		e, p, err := db.UnlockPeriod(ctx, *periodFlag, *reason, who)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "unlocked %s: log entry #%d, %s\n", p, e.ID, e.Describe())
		return nil
	}
	e, p, err := db.LockPeriod(ctx, *periodFlag, *reason, who, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "locked %s: log entry #%d, %s\n", p, e.ID, e.Describe())
	fmt.Fprintf(env.Stdout, "imports that would change a figure of %s are refused until: rmf unlock --period %s --reason TEXT\n", p, p)
	fmt.Fprintf(env.Stdout, "the report as it stands now: rmf report --period %s --as-reported\n", p)
	return nil
}

func runLog(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, logCmd.Name)
	periodFlag := fs.String("period", "", "only the entries of periods within `P`")
	pos, err := parseFlags(env, logCmd, fs, args)
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
	entries, err := db.Log(ctx, *periodFlag)
	if err != nil {
		return err
	}
	n := 0
	for _, e := range entries {
		n++
		fmt.Fprintf(env.Stdout, "#%d %s\n", e.ID, e.Describe())
	}
	if n == 0 {
		fmt.Fprintln(env.Stdout, "the review log is empty: nothing approved, returned, locked or unlocked yet")
	}
	return nil
}

// printAnswers says which returned figures an import answered (replaced
// with a new revision, submitted for approval again).
func printAnswers(env *Env, res engine.ImportResult) {
	if res.AnswersErr != nil {
		fmt.Fprintf(env.Stderr, "rmf import: warning: returned figures answered: %v\n", res.AnswersErr)
		return
	}
	for _, a := range res.Answers {
		d := a.Dims
		if d == "" {
			d = "total"
		}
		fmt.Fprintf(env.Stdout, "  answers the return of %s %s %s (log entry #%d: %s): submitted for approval again\n",
			a.Indicator, a.Period, d, a.Return.ID, a.Return.Reason)
	}
}
