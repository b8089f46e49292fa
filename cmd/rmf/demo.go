package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/examples"
	"github.com/rmf-project/rmf/exporters"
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
	addDemoStep(demoStep{Order: 35, Name: "clock", Run: demoClockNow})
	addDemoStep(demoStep{Order: 40, Name: "logframe", Run: demoTree})
}

// demoRun is what the demo steps share.
type demoRun struct {
	DB        *engine.Engine
	Dir       string // output folder, exists
	Examples  fs.FS  // examples.FS()
	Env       *Env
	Framework *indicators.Framework // set by step 10
	// Now is the clock the demo returns to once its story is told (step 35):
	// the steps before it record each import at the time it would have
	// happened (At), so that rmf framework history and --as-of reports of
	// the demo database tell the project's story.
	Now func() time.Time
}

// At makes the database record what follows at t (story time).
func (d *demoRun) At(t time.Time) {
	d.DB.SetClock(func() time.Time { return t })
}

// demoStoryStart is when the demo database is created: the project's
// first day, before the original logframe is imported.
var demoStoryStart = time.Date(2019, 9, 1, 8, 0, 0, 0, time.UTC)

// demoClockNow (step 35) ends the story: the reports and everything a
// user does with the demo database afterwards are recorded at the time
// they happen.
func demoClockNow(ctx context.Context, d *demoRun) error {
	d.DB.SetClock(d.Now)
	return nil
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
	now, err := clock()
	if err != nil {
		return err
	}
	db, err := demoDB(ctx, env, *dir)
	if err != nil {
		return err
	}
	defer db.Close()
	d := &demoRun{DB: db, Dir: *dir, Examples: examples.FS(), Env: env, Now: now}
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
		now, err := clock()
		if err != nil {
			return nil, err
		}
		db, _, err := createEngine(ctx, env.DBPath, now)
		if err != nil {
			return nil, err
		}
		has, err := db.HasFramework(ctx)
		if err == nil && has {
			err = fmt.Errorf("database %s already holds a framework: the demo needs a fresh database; name a new file with --db, or leave --db out to use %s", dbName(env.DBPath), filepath.Join(dir, "demo.db"))
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
	// Created on the project's first day: --as-of reports of the demo go
	// back to then.
	return openEngineAt(ctx, path, func() time.Time { return demoStoryStart })
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

// demoFramework (step 10) imports the logframe agreed at the start of the
// example project (examples/framework-2019.yaml), in September 2019; the
// data step revises it after the mid-term review (demoRevision).
func demoFramework(ctx context.Context, d *demoRun) error {
	fw, err := demoReadFramework(d, examples.FrameworkPreReviewYAML)
	if err != nil {
		return err
	}
	d.At(time.Date(2019, 9, 15, 9, 0, 0, 0, time.UTC))
	res, err := d.DB.ImportFramework(ctx, fw, engine.VersionInfo{File: "examples/" + examples.FrameworkPreReviewYAML, Actor: demoActor})
	if err != nil {
		return err
	}
	ch := res.Change
	d.Framework = fw
	fmt.Fprintf(d.Env.Stdout, "imported framework %s from examples/%s (the logframe of 2019-09): %d results, %d indicators, %d milestones (%s)\n",
		fw.Project.Code, examples.FrameworkPreReviewYAML, len(fw.Results), len(fw.Indicators), len(fw.Milestones), ch)
	return nil
}

// demoActor is who the demo's story says did each thing.
const demoActor = "M&E officer (rmf demo)"

// demoReadFramework reads an example framework in YAML.
func demoReadFramework(d *demoRun, name string) (*indicators.Framework, error) {
	f, err := d.Examples.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return importers.ReadFrameworkYAML(f, "examples/"+name)
}

// demoRevision revises the example's logframe after the mid-term review
// (examples/framework.yaml), on 2021-12-01, with the reason the steering
// committee gave: the revision that rmf framework history lists and the
// donor workbook's Target revisions sheet shows.
func demoRevision(ctx context.Context, d *demoRun) error {
	fw, err := demoReadFramework(d, examples.FrameworkYAML)
	if err != nil {
		return err
	}
	d.At(time.Date(2021, 12, 1, 9, 0, 0, 0, time.UTC))
	info := engine.VersionInfo{File: "examples/" + examples.FrameworkYAML, Actor: demoActor, Reasons: []indicators.ChangeRecord{{
		Date:       time.Date(2021, 11, 20, 0, 0, 0, 0, time.UTC),
		Version:    "2.0",
		Level:      "outputs 2.1, 2.2, 3.2, 3.3, 3.4",
		Reason:     "Management response to the mid-term review: local and frontline officials trained in all 21 provinces (activity 3.2.5), four more NGOs funded, policy activities 2.1.10-2.1.13, private sector (3.3.6) and the UN migration network (3.4.3)",
		ReasonCode: "adaptive management",
		ApprovedBy: "Steering committee",
		Loc:        indicators.Loc{File: "examples/" + examples.FrameworkYAML},
	}}}
	res, err := d.DB.ImportFramework(ctx, fw, info)
	if err != nil {
		return err
	}
	ch := res.Change
	d.Framework = fw
	fmt.Fprintf(d.Env.Stdout, "\nrevised the framework after the mid-term review from examples/%s (2021-12-01): %s, %s\n",
		examples.FrameworkYAML, ch, plural(len(ch.Revisions), "revision"))
	for _, r := range ch.Revisions {
		fmt.Fprintf(d.Env.Stdout, "  %s\n", r)
	}
	for _, c := range ch.Reasons {
		fmt.Fprintf(d.Env.Stdout, "  reason: %s\n", describeReason(c))
	}
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
	exporters.WriteTree(d.Env.Stdout, fw)
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
