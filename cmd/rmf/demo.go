package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/examples"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var demoCmd = &command{
	Name:    "demo",
	Summary: "build the example project into a fresh database and show it (and write its reports into DIR)",
	Usage:   "rmf [--db FILE] demo [-o DIR]",
	Help: "Loads the example project (examples/, built into rmf) into a fresh database: the one --db names\n" +
		"(which must not hold a framework yet), else DIR/demo.db (an old one is replaced). It prints the\n" +
		"logframe as a tree with its indicators and the check result, and writes the reports into DIR.",
}

func init() {
	demoCmd.Run = runDemo
	register(demoCmd)
	addDemoStep(demoStep{Order: 10, Name: "framework", Run: demoFramework})
	addDemoStep(demoStep{Order: 40, Name: "logframe", Run: demoTree})
}

// demoRun is what the demo steps share.
type demoRun struct {
	DB        *engine.Engine
	Dir       string // output folder, exists
	Examples  fs.FS  // examples.FS()
	Env       *Env
	Framework *indicators.Framework // set by step 10
}

// demoStep is one part of the demo; each helper adds its own from its file's init.
// Orders: 10 framework import, 20 measurement data, 30 actions, 40 tree and
// check, 50 reports.
type demoStep struct {
	Order int
	Name  string
	Run   func(ctx context.Context, d *demoRun) error
}

var demoSteps []demoStep

// addDemoStep adds a step to "rmf demo"; call it in init().
func addDemoStep(s demoStep) { demoSteps = append(demoSteps, s) }

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, demoCmd.Name)
	dir := fs.String("o", "demo", "output `DIR` for the demo database and reports")
	pos, err := parseFlags(env, demoCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the output folder with -o DIR)", pos[0])
	}
	if *dir == "" {
		return usagef("-o DIR is empty")
	}
	if fi, err := os.Stat(*dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("-o %s: a file of that name exists, expected a folder (or a new name)", *dir)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("cannot create folder %s: %w", *dir, unwrapPath(err))
	}
	db, err := demoDB(ctx, env, *dir)
	if err != nil {
		return err
	}
	defer db.Close()
	d := &demoRun{DB: db, Dir: *dir, Examples: examples.FS(), Env: env}
	steps := append([]demoStep(nil), demoSteps...)
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Order < steps[j].Order })
	for _, s := range steps {
		if err := s.Run(ctx, d); err != nil {
			return fmt.Errorf("demo step %q: %w", s.Name, err)
		}
	}
	files, err := demoFiles(*dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\ndemo database: %s\n", db.Path())
	if len(files) > 0 {
		fmt.Fprintf(env.Stdout, "files in %s: %s\n", *dir, strings.Join(files, ", "))
	}
	fmt.Fprintf(env.Stdout, "try: rmf --db %s check\n", db.Path())
	return nil
}

// demoDB opens a fresh database for the demo: the one --db names, which
// must not hold a framework (the demo never overwrites a user's data), or
// DIR/demo.db, replacing an old one.
func demoDB(ctx context.Context, env *Env, dir string) (*engine.Engine, error) {
	if env.DBFlag {
		db, err := openEngine(ctx, env.DBPath)
		if err != nil {
			return nil, err
		}
		has, err := db.HasFramework(ctx)
		if err == nil && has {
			err = fmt.Errorf("database %s already holds a framework: the demo needs a fresh database; name a new file with --db, or leave --db out to use %s", env.DBPath, filepath.Join(dir, "demo.db"))
		}
		if err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	path := filepath.Join(dir, "demo.db")
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove the old demo database: %w", err)
		}
	}
	return openEngine(ctx, path)
}

// demoFiles lists the files the demo left in dir, but the database's own.
func demoFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, "demo.db") || strings.HasPrefix(n, ".") {
			continue
		}
		out = append(out, n)
	}
	return out, nil
}

// demoFramework (step 10) imports the example framework.
func demoFramework(ctx context.Context, d *demoRun) error {
	f, err := d.Examples.Open(examples.FrameworkYAML)
	if err != nil {
		return err
	}
	defer f.Close()
	fw, err := importers.ReadFrameworkYAML(f, "examples/"+examples.FrameworkYAML)
	if err != nil {
		return err
	}
	ch, err := d.DB.SaveFramework(ctx, fw)
	if err != nil {
		return err
	}
	d.Framework = fw
	fmt.Fprintf(d.Env.Stdout, "imported framework %s from examples/%s: %d results, %d indicators, %d milestones (%s)\n",
		fw.Project.Code, examples.FrameworkYAML, len(fw.Results), len(fw.Indicators), len(fw.Milestones), ch)
	return nil
}

// demoTree (step 40) prints the stored logframe as a tree and the check result.
func demoTree(ctx context.Context, d *demoRun) error {
	fw, _, err := d.DB.Compiled(ctx)
	if err != nil {
		return err
	}
	d.Framework = fw
	fmt.Fprintln(d.Env.Stdout)
	writeTree(d.Env.Stdout, fw)
	res, err := d.DB.Check(ctx)
	if err != nil {
		return err
	}
	findings, figures := res.Findings, res.Figures
	c := res.Count()
	fmt.Fprintf(d.Env.Stdout, "\ncheck: %s (framework and %s)\n", c, plural(figures, "figure"))
	for _, f := range findings {
		if f.Severity == indicators.SevError {
			printFindings(d.Env.Stdout, []indicators.Finding{f})
		}
	}
	if c.Warnings+c.Infos > 0 {
		fmt.Fprintf(d.Env.Stdout, "(rmf --db %s check lists every finding)\n", d.DB.Path())
	}
	return nil
}

// writeTree prints the logframe: the project, then each result under its
// parent (goal > outcomes > outputs > activities), each followed by its
// indicators (code, name, unit, baseline -> target); supporting measures last.
func writeTree(w io.Writer, fw *indicators.Framework) {
	p := fw.Project
	fmt.Fprintf(w, "%s  %s  (%s .. %s)\n", p.Code, p.Title, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"))
	seen := map[string]bool{}
	var walk func(r *indicators.Result, depth int)
	walk = func(r *indicators.Result, depth int) {
		if seen[r.Code] {
			return
		}
		seen[r.Code] = true
		pad := strings.Repeat("  ", depth)
		line := fmt.Sprintf("%s%s %s: %s", pad, r.Level, r.Code, r.Statement)
		if len(r.ContributesTo) > 0 {
			line += fmt.Sprintf(" (also contributes to %s)", strings.Join(r.ContributesTo, ", "))
		}
		fmt.Fprintln(w, line)
		for _, ind := range fw.IndicatorsOf(r.Code) {
			fmt.Fprintf(w, "%s  - %s\n", pad, indicatorLine(fw, ind))
		}
		for _, c := range fw.Children(r.Code) {
			walk(c, depth+1)
		}
	}
	for _, r := range fw.Children("") {
		walk(r, 1)
	}
	for i := range fw.Results { // results whose parent is missing: still shown
		walk(&fw.Results[i], 1)
	}
	var support []*indicators.Indicator
	for i := range fw.Indicators {
		if fw.Indicators[i].Result == "" {
			support = append(support, &fw.Indicators[i])
		}
	}
	if len(support) > 0 {
		fmt.Fprintln(w, "  supporting measures (used in formulas):")
		for _, ind := range support {
			fmt.Fprintf(w, "    - %s\n", indicatorLine(fw, ind))
		}
	}
}

// indicatorLine is "1.1.2 Share of trained officers [percent] 0% -> 80%".
func indicatorLine(fw *indicators.Framework, ind *indicators.Indicator) string {
	s := fmt.Sprintf("%s %s [%s", ind.Code, ind.Name, ind.Unit)
	if ind.Direction == indicators.Decrease || ind.Direction == indicators.Maintain {
		s += ", " + string(ind.Direction)
	}
	if ind.Computed() {
		s += ", computed"
	}
	s += "] "
	s += amount(fw, ind.Unit, ind.Baseline, ind.BaselineText) + " -> " + amount(fw, ind.Unit, ind.Target, ind.TargetText)
	return s
}

// amount prints a baseline or target in its unit; "?" when not given.
func amount(fw *indicators.Framework, u indicators.Unit, v *float64, text string) string {
	if v == nil {
		if text != "" {
			return strconv.Quote(text)
		}
		return "?"
	}
	n := strconv.FormatFloat(*v, 'f', -1, 64)
	switch u {
	case indicators.Percent:
		return n + "%"
	case indicators.YesNo:
		if *v != 0 {
			return "yes"
		}
		return "no"
	case indicators.Currency:
		if fw.Project.Currency != "" {
			return n + " " + fw.Project.Currency
		}
	}
	return n
}
