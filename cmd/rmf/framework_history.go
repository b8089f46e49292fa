package main

// Framework versions with their reasons (issue 16): the reasons of a
// framework import and rmf framework history.

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var frameworkHistoryCmd = &command{
	Name:    "framework history",
	Summary: "the framework's versions: what each import changed in baselines, targets, milestones, results and indicators, when, by whom and why",
	Usage:   "rmf framework history [CODE]",
	Help:    "With CODE, only the changes of that indicator or result.",
}

// defaultActor is $RMF_USER, else the operating system's user name, else "".
func defaultActor() string {
	if v := strings.TrimSpace(os.Getenv("RMF_USER")); v != "" {
		return v
	}
	if u, err := user.Current(); err == nil && strings.TrimSpace(u.Username) != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := strings.TrimSpace(os.Getenv(k)); v != "" {
			return v
		}
	}
	return ""
}

// versionInfo gathers why framework file changes: --reason (with
// --reason-code), dated today, and the rows of its RECORD OF CHANGES sheet.
// A sheet row without a reason, or an unknown reason code, is an error:
// nothing is written.
func versionInfo(lf *importers.Logframe, file, reason, code, as string) (engine.VersionInfo, error) {
	info := engine.VersionInfo{File: file, Actor: strings.TrimSpace(as)}
	if info.Actor == "" {
		info.Actor = defaultActor()
	}
	recs, err := lf.Changes, lf.ChangesErr // read with the logframe, from the same bytes
	if err != nil {
		return info, err
	}
	info.Reasons = recs
	rc, err := indicators.ParseReasonCode(code)
	if err != nil {
		return info, usagef("--reason-code: %v", err)
	}
	if strings.TrimSpace(reason) == "" {
		if rc != "" {
			if rc == "other" {
				return info, usagef("--reason-code other needs --reason TEXT saying what the reason is")
			}
			reason = rc
		}
	}
	if r := strings.TrimSpace(reason); r != "" {
		now, err := clock()
		if err != nil {
			return info, err
		}
		t := now().UTC()
		info.Reasons = append(info.Reasons, indicators.ChangeRecord{Date: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC),
			Reason: r, ReasonCode: rc, Loc: indicators.Loc{File: "--reason"}})
	}
	return info, nil
}

// describeReason is one line: "2021-11-15, version 2.0, outcome 3 [changes in context]: text (approved by X)".
func describeReason(c indicators.ChangeRecord) string {
	var parts []string
	if !c.Date.IsZero() {
		parts = append(parts, c.Date.Format(time.DateOnly))
	}
	if c.Version != "" {
		parts = append(parts, "version "+c.Version)
	}
	if c.Level != "" {
		parts = append(parts, c.Level)
	}
	s := strings.Join(parts, ", ")
	if c.ReasonCode != "" && c.ReasonCode != c.Reason {
		s += " [" + c.ReasonCode + "]"
	}
	if s != "" {
		s += ": "
	}
	s += c.Reason
	if c.ApprovedBy != "" {
		s += " (approved by " + c.ApprovedBy + ")"
	}
	return s
}

// printVersion says which version a framework import recorded, what it
// revised and why; a revision without a reason is a warning on stderr.
func printVersion(env *Env, had bool, ch engine.FrameworkChange, info engine.VersionInfo) {
	if ch.Version == 0 {
		if had && len(info.Reasons) > 0 {
			fmt.Fprintf(env.Stderr, "rmf framework import: warning: the framework did not change, so no reason was recorded\n")
		}
		return
	}
	if !had {
		return // the first import: its version is the original (rmf framework history)
	}
	fmt.Fprintf(env.Stdout, "recorded as framework version %d", ch.Version)
	if len(ch.Revisions) == 0 {
		fmt.Fprintln(env.Stdout, " (no baseline, target, milestone, result or indicator changed)")
	} else {
		fmt.Fprintf(env.Stdout, ", %d revisions:\n", len(ch.Revisions))
		for _, r := range ch.Revisions {
			fmt.Fprintf(env.Stdout, "  %s\n", r)
		}
	}
	for _, c := range ch.Reasons {
		fmt.Fprintf(env.Stdout, "  reason: %s\n", describeReason(c))
	}
	if len(ch.Revisions) > 0 && len(ch.Reasons) == 0 {
		fmt.Fprintf(env.Stderr, "rmf framework import: warning: no reason recorded for these revisions: give --reason TEXT (and --reason-code) or add a row to the RECORD OF CHANGES sheet\n")
	}
}

func runFrameworkHistory(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, frameworkHistoryCmd.Name)
	pos, err := parseFlags(env, frameworkHistoryCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("expected at most one CODE, got %d arguments", len(pos))
	}
	code := ""
	if len(pos) == 1 {
		code = pos[0]
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	versions, err := db.FrameworkVersions(ctx, code)
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		if code != "" {
			fmt.Fprintf(env.Stdout, "%s: no baseline, target or milestone revised since the framework was first imported\n", code)
		} else {
			fmt.Fprintln(env.Stdout, "no framework version recorded yet")
		}
		return nil
	}
	for i, v := range versions {
		when := "before versions were kept"
		if !v.SavedAt.IsZero() {
			when = v.SavedAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		line := fmt.Sprintf("version %d  %s", v.ID, when)
		if v.File != "" {
			line += "  " + v.File
		}
		if v.Actor != "" {
			line += "  by " + v.Actor
		}
		if i == 0 && code == "" {
			line += ": the original framework"
		}
		fmt.Fprintln(env.Stdout, line)
		if i == 0 && code == "" {
			continue
		}
		if len(v.Reasons) == 0 {
			fmt.Fprintln(env.Stdout, "  reason: none given")
		}
		for _, c := range v.Reasons {
			fmt.Fprintf(env.Stdout, "  reason: %s\n", describeReason(c))
		}
		for _, r := range v.Revisions {
			fmt.Fprintf(env.Stdout, "  %s\n", r)
		}
	}
	return nil
}
