package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/indicators"
)

// runIn runs rmf in-process and returns stdout, stderr and the exit status.
func runIn(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb}
	code := run(context.Background(), env, args)
	return out.String(), errb.String(), code
}

func TestParseFlags(t *testing.T) {
	c := &command{Name: "x", Usage: "rmf x FILE... [-n] [-o FILE]", Summary: "test command"}
	tests := []struct {
		args    []string
		pos     []string
		n       bool
		o       string
		wantErr string // "usage" or "help"
	}{
		{args: nil},
		{args: []string{"a", "b"}, pos: []string{"a", "b"}},
		{args: []string{"a", "-n", "b", "-o", "f.yaml"}, pos: []string{"a", "b"}, n: true, o: "f.yaml"},
		{args: []string{"-o", "-", "a"}, pos: []string{"a"}, o: "-"},
		{args: []string{"a", "--", "-n", "b"}, pos: []string{"a", "-n", "b"}},
		{args: []string{"-", "a"}, pos: []string{"-", "a"}},
		{args: []string{"a", "--bogus"}, wantErr: "usage"},
		{args: []string{"-o"}, wantErr: "usage"},
		{args: []string{"a", "-h"}, wantErr: "help"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			env := &Env{Stdout: &out, Stderr: &out}
			fs := newFlags(env, c.Name)
			n := fs.Bool("n", false, "dry run")
			o := fs.String("o", "", "output `FILE`")
			pos, err := parseFlags(env, c, fs, tt.args)
			var ue *usageError
			switch tt.wantErr {
			case "usage":
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			case "help":
				if !errors.Is(err, flag.ErrHelp) {
					t.Fatalf("err = %v, want flag.ErrHelp", err)
				}
				for _, want := range []string{"usage: rmf x FILE...", "test command", "flags:", "-o FILE"} {
					if !strings.Contains(out.String(), want) {
						t.Errorf("-h output lacks %q:\n%s", want, out.String())
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(pos, "|") != strings.Join(tt.pos, "|") || *n != tt.n || *o != tt.o {
				t.Errorf("got pos %q n %v o %q, want %q %v %q", pos, *n, *o, tt.pos, tt.n, tt.o)
			}
		})
	}
}

func TestRunExitStatus(t *testing.T) {
	t.Setenv("RMF_DB", "")
	tests := []struct {
		args       []string
		code       int
		out, stder string // substrings
	}{
		{nil, 2, "", "usage: rmf [--db FILE|URL] COMMAND"},
		{[]string{"-h"}, 0, "commands:", ""},
		{[]string{"help"}, 0, "init ", ""},
		{[]string{"help", "init"}, 0, "usage: rmf [--db FILE|URL] init", ""},
		{[]string{"help", "nope"}, 2, "", `unknown command "nope"`},
		{[]string{"nope"}, 2, "", `rmf: unknown command "nope"`},
		{[]string{"--db"}, 2, "", "flag needs an argument"},
		{[]string{"init", "-x"}, 2, "", "rmf init: flag provided but not defined: -x\nusage: rmf [--db FILE|URL] init\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errs, code := runIn(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.stder) {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, out, tt.out, errs, tt.stder)
			}
		})
	}
}

func TestExitCodeOneLinePerProblem(t *testing.T) {
	var errb bytes.Buffer
	env := &Env{Stderr: &errb}
	c := &command{Name: "framework", Usage: "rmf framework import FILE"}
	err := indicators.Problems{errors.New("a.yaml:3: first"), errors.New("a.yaml:9: second")}
	if code := exitCode(env, c, err); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := "rmf framework: a.yaml:3: first\nrmf framework: a.yaml:9: second\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
	errb.Reset()
	if code := exitCode(env, c, errSilent); code != 1 || errb.Len() != 0 {
		t.Errorf("errSilent: exit %d, stderr %q", code, errb.String())
	}
}

func fp(x float64) *float64 { return &x }

func TestWriteTree(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	fw := &indicators.Framework{
		Project: indicators.Project{Code: "P", Title: "Test project", Start: day("2020-01-01"), End: day("2021-12-31"), Currency: "EUR"},
		Results: []indicators.Result{
			{Code: "G", Level: indicators.Goal, Statement: "Goal"},
			{Code: "O1", Level: indicators.Outcome, Parent: "G", Statement: "Outcome one"},
			{Code: "O2", Level: indicators.Outcome, Parent: "G", Statement: "Outcome two"},
			{Code: "1.1", Level: indicators.Output, Parent: "O1", Statement: "Output", ContributesTo: []string{"O2"}},
			{Code: "A1", Level: indicators.Activity, Parent: "1.1", Statement: "Activity"},
		},
		Indicators: []indicators.Indicator{
			{Code: "G.1", Result: "G", Name: "Share", Unit: indicators.Percent, Baseline: fp(20), Target: fp(35.5)},
			{Code: "O1.1", Result: "O1", Name: "Cases", Unit: indicators.Number, Direction: indicators.Decrease, Baseline: fp(100), Target: fp(40)},
			{Code: "1.1.1", Result: "1.1", Name: "Plan adopted", Unit: indicators.YesNo, Baseline: fp(0), Target: fp(1)},
			{Code: "1.1.2", Result: "1.1", Name: "Budget", Unit: indicators.Currency, Target: fp(5000)},
			{Code: "1.1.3", Result: "1.1", Name: "Stage", Unit: indicators.Text, BaselineText: "none", TargetText: "adopted"},
			{Code: "1.1.4", Result: "1.1", Name: "Per head", Unit: indicators.Ratio, Formula: `value("n") / value("d")`},
			{Code: "n", Name: "Numerator", Unit: indicators.Number},
		},
	}
	var b bytes.Buffer
	exporters.WriteTree(&b, fw)
	want := `P  Test project  (2020-01-01 .. 2021-12-31)
  goal G: Goal
    - G.1 Share [percent] 20% -> 35.5%
    outcome O1: Outcome one
      - O1.1 Cases [number, decrease] 100 -> 40
      output 1.1: Output (also contributes to O2)
        - 1.1.1 Plan adopted [yes/no] no -> yes
        - 1.1.2 Budget [currency] ? -> 5000 EUR
        - 1.1.3 Stage [text] "none" -> "adopted"
        - 1.1.4 Per head [ratio, computed] ? -> ?
        activity A1: Activity
    outcome O2: Outcome two
  supporting measures (used in formulas):
    - n Numerator [number] ? -> ?
`
	if b.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestFindingCount(t *testing.T) {
	fs := []indicators.Finding{{Severity: indicators.SevError}, {Severity: indicators.SevWarning}, {Severity: indicators.SevWarning}, {Severity: indicators.SevInfo}}
	if got, want := (&engine.CheckResult{Findings: fs}).Count().String(), "1 error, 2 warnings, 1 note"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := (&engine.CheckResult{}).Count().String(), "0 errors, 0 warnings"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	var b bytes.Buffer
	printFindings(&b, []indicators.Finding{{Code: "1.1", Severity: indicators.SevError, Message: "fix it"}, {Severity: indicators.SevWarning, Message: "project-wide"}})
	if want := "error 1.1: fix it\nwarning: project-wide\n"; b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
}
