package main

import (
	"context"
	"fmt"
	"io"

	"github.com/rmf-project/rmf/indicators"
)

var checkCmd = &command{
	Name:    "check",
	Summary: "lint the stored framework: one line per finding, exit status 1 when any is an error",
	Usage:   "rmf check",
	Help: "Each finding is printed as \"SEVERITY CODE: message\" (severity error, warning or info), naming the\n" +
		"result or indicator and what to fix; a summary goes to stderr.",
}

func init() {
	checkCmd.Run = runCheck
	register(checkCmd)
}

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, checkCmd.Name)
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
	printFindings(env.Stdout, findings)
	c := countFindings(findings)
	fmt.Fprintf(env.Stderr, "check: framework %s: %s\n", fw.Project.Code, c)
	if c.errors > 0 {
		return errSilent
	}
	return nil
}

// frameworkFindings lints fw: the framework lints of SPEC section 2.
func frameworkFindings(fw *indicators.Framework) []indicators.Finding {
	return fw.Check()
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
