package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/exporters"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

var frameworkCmd = &command{
	Name:    "framework",
	Summary: "load, update or write back the logframe (results, indicators, milestones)",
	Usage:   "rmf framework import FILE [--activity ID] [--reason TEXT] [--reason-code CODE] [--code CODE] [--title TEXT] [--start DATE] [--end DATE]\n       rmf framework export [-o FILE]\n       rmf framework history [CODE]\n       rmf framework template -o FILE.xlsx",
	Help: "import FILE   load the logframe from FILE (.xlsx, .yaml or .yml), or update the stored one in place\n" +
		"              (items are matched by code; figures are kept). Nothing is written when FILE has any problem.\n" +
		"              An IATI activity file (.xml) gives the logframe and its actuals (--activity picks one).\n" +
		"              Also read: a DFID/FCDO logframe (IMPACT, OUTCOME, OUTPUT blocks) and flat IATI results rows\n" +
		"              (spreadsheets2iati, AidStream; .xlsx or .csv); --code, --title, --start and --end (or a Project\n" +
		"              sheet added to the workbook) give what such a file does not say about the project; rmf import\n" +
		"              reads their achieved and actual figures.\n" +
		"export        write the stored logframe to -o FILE: .xlsx or .yaml/.yml by extension;\n" +
		"              without -o, or with -o -, YAML goes to stdout.\n" +
		"history       the framework's versions: what each import changed in baselines, targets, milestones,\n" +
		"              results and indicators, when, by whom and why (--reason, or the workbook's RECORD OF CHANGES).\n" +
		"template      write the blank framework workbook to -o FILE.xlsx: every sheet and column, an Instructions\n" +
		"              sheet, drop-downs and grey example rows (marked e.g., skipped on import). Needs no database.",
}

var frameworkTemplateCmd = &command{
	Name:    "framework template",
	Summary: "write the blank framework workbook (instructions, drop-downs, a worked example) to FILE.xlsx",
	Usage:   "rmf framework template -o FILE.xlsx",
	Help: "Writes the logframe workbook with every sheet and column that rmf framework import reads\n" +
		"(Project, Results, Indicators, Milestones, Dimensions, Rules, Budget), an Instructions sheet\n" +
		"explaining each column with an example, drop-downs on the columns that take a fixed word, and\n" +
		"grey example rows whose first cell starts with \"e.g.\": the import skips them. Fill it in, then\n" +
		"run rmf framework import FILE.xlsx. With -o - the workbook goes to stdout (not to a terminal).",
}

var frameworkImportCmd = &command{
	Name:    "framework import",
	Summary: "load the logframe from FILE (.xlsx, .yaml or .yml, IATI activity .xml, a DFID logframe or flat IATI results rows), or update the stored one in place",
	Usage:   "rmf framework import FILE [--activity ID] [--reason TEXT] [--reason-code CODE] [--as NAME] [--code CODE] [--title TEXT] [--start DATE] [--end DATE]",
	Help: "A re-import that changes a baseline, target or milestone, or adds or removes a result or indicator, is\n" +
		"recorded as a new version of the framework with the reason for the change: --reason TEXT (with\n" +
		"--reason-code, one of " + strings.Join(indicators.ReasonCodes, ", ") + "),\n" +
		"or the new rows of the workbook's RECORD OF CHANGES sheet (date, version, level, reason, approved by,\n" +
		"and an optional reason code). rmf framework history lists the versions.",
}

var frameworkExportCmd = &command{
	Name:    "framework export",
	Summary: "write the stored logframe to FILE, .xlsx or .yaml/.yml by extension (YAML to stdout without -o or with -o -)",
	Usage:   "rmf framework export [-o FILE]",
}

func init() {
	frameworkCmd.Run = runFramework
	register(frameworkCmd)
}

func runFramework(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("expected a subcommand: import, export, history or template")
	}
	switch args[0] {
	case "import":
		return runFrameworkImport(ctx, env, args[1:])
	case "export":
		return runFrameworkExport(ctx, env, args[1:])
	case "history":
		return runFrameworkHistory(ctx, env, args[1:]) // cmd/rmf/framework_history.go (issue 16)
	case "template":
		return runFrameworkTemplate(env, args[1:])
	}
	fs := newFlags(env, frameworkCmd.Name)
	if _, err := parseFlags(env, frameworkCmd, fs, args); err != nil {
		return err // -h, or an unknown flag
	}
	return usagef("unknown subcommand %q, expected import, export, history or template", args[0])
}

func runFrameworkImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, frameworkImportCmd.Name)
	activity := fs.String("activity", "", "for an IATI .xml file or flat IATI results rows holding several activities: the `ID` (iati-identifier) to read")
	reason := fs.String("reason", "", "why the framework changes (`TEXT`), recorded with the new version")
	reasonCode := fs.String("reason-code", "", "the kind of reason (`CODE`): "+strings.Join(indicators.ReasonCodes, ", "))
	as := fs.String("as", "", "record the import under `NAME` (default $RMF_USER, else the operating system user)")
	var opt importers.FrameworkOptions
	fs.StringVar(&opt.Code, "code", "", "DFID logframe or flat IATI results: the project `CODE` when the file has none")
	fs.StringVar(&opt.Title, "title", "", "DFID logframe or flat IATI results: the project `TITLE` when the file has none")
	fs.StringVar(&opt.Start, "start", "", "DFID logframe or flat IATI results: the project's first day, a `DATE` (2021-07-01) or a year")
	fs.StringVar(&opt.End, "end", "", "DFID logframe or flat IATI results: the project's last day, a `DATE` (2025-06-30) or a year")
	pos, err := parseFlags(env, frameworkImportCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import expects one FILE, got %d arguments", len(pos))
	}
	if err := engine.CheckInputIfExists(pos[0]); err != nil { // a device or a FIFO would never end or block
		return err
	}
	file := pos[0]
	if strings.EqualFold(filepath.Ext(file), ".xml") {
		if *reason != "" || *reasonCode != "" || *as != "" {
			return usagef("--reason, --reason-code and --as are not read for IATI .xml files yet: import the file, then say why with a RECORD OF CHANGES sheet or --reason on a workbook or YAML import")
		}
		if opt.ProjectGiven() {
			return usagef("--code, --title, --start and --end complete a DFID logframe or flat IATI results file, not an IATI activity file (%s)", file)
		}
		return importIATIFramework(ctx, env, file, *activity)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".yaml", ".yml":
		if *activity != "" {
			return usagef("--activity is for IATI .xml files and flat IATI results files (.xlsx, .csv), not %s", file)
		}
		if opt.ProjectGiven() {
			return usagef("--code, --title, --start and --end are for DFID logframes and flat IATI results files (.xlsx, .csv), not %s: give the project in the file", file)
		}
	}
	opt.Activity = *activity
	opt.Words = flagWords
	// Read and validate everything before the database is touched, so that a
	// bad file leaves no trace, not even a new empty database. The layout
	// (rmf's workbook or YAML, a DFID logframe, flat IATI results rows) is
	// recognised from the content: importers/framework_layouts.go.
	lf, err := engine.ReadFramework(file, opt)
	if err != nil {
		return err
	}
	for _, n := range lf.Notes {
		fmt.Fprintf(env.Stderr, "rmf framework import: note: %s\n", n)
	}
	fw := lf.Framework
	info, err := versionInfo(lf, file, *reason, *reasonCode, *as) // cmd/rmf/framework_history.go (issue 16)
	if err != nil {
		return err
	}
	db, err := saveFrameworkWith(ctx, env, fw, file, info)
	if err != nil {
		return err
	}
	return db.Close()
}

// saveFramework opens (or creates) the database, saves fw read from file
// into it and says what changed. The caller closes the database.
func saveFramework(ctx context.Context, env *Env, fw *indicators.Framework, file string) (*engine.Engine, error) {
	return saveFrameworkWith(ctx, env, fw, file, engine.VersionInfo{File: file, Actor: defaultActor()})
}

// saveFrameworkWith is saveFramework recording the version with info.
func saveFrameworkWith(ctx context.Context, env *Env, fw *indicators.Framework, file string, info engine.VersionInfo) (*engine.Engine, error) {
	db, _, err := createDB(ctx, env)
	if err != nil {
		return nil, err
	}
	res, err := db.ImportFramework(ctx, fw, info)
	if err != nil {
		db.Close()
		return nil, err
	}
	printFrameworkChange(env.Stdout, fw, file, dbName(env.DBPath), res.Had, res.Change)
	printMilestoneReadings(env.Stdout, fw)
	printVersion(env, res.Had, res.Change, info) // cmd/rmf/framework_history.go (issue 16)
	return db, nil
}

// printFrameworkChange says what an import did: on a first import what was
// loaded, on a re-import one line per added, updated or removed item.
func printFrameworkChange(w io.Writer, fw *indicators.Framework, file, dbPath string, had bool, ch engine.FrameworkChange) {
	sum := strings.Join([]string{plural(len(fw.Results), "result"), plural(len(fw.Indicators), "indicator"),
		plural(len(fw.Milestones), "milestone"), plural(len(fw.Dimensions), "dimension"), plural(len(fw.Rules), "rule")}, ", ")
	if !had {
		fmt.Fprintf(w, "imported framework %s from %s into %s: %s\n", fw.Project.Code, file, dbPath, sum)
		return
	}
	if ch.Added+ch.Updated+ch.Removed == 0 {
		fmt.Fprintf(w, "framework %s from %s: no change (%s)\n", fw.Project.Code, file, sum)
		return
	}
	fmt.Fprintf(w, "updated framework %s from %s in %s:\n", fw.Project.Code, file, dbPath)
	for _, c := range ch.Changes {
		fmt.Fprintf(w, "  %s\n", c)
	}
	fmt.Fprintln(w, ch.String())
}

// printMilestoneReadings says how the milestones of each indicator that
// adds up over time are read (SPEC 5): given, inferred, or unclear (a check
// error). Milestones of levels are levels and go unsaid.
func printMilestoneReadings(w io.Writer, fw *indicators.Framework) {
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		use := fw.MilestoneUse(ind)
		switch {
		case use.Err != "":
			fmt.Fprintf(w, "milestones of %s: %s; say cumulative or per period in column milestones (rmf check)\n", ind.Code, use)
		case use.Reading != "" && !use.Levels:
			fmt.Fprintf(w, "milestones of %s: %s\n", ind.Code, use)
		}
	}
}

func runFrameworkExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, frameworkExportCmd.Name)
	out := fs.String("o", "-", "output `FILE`: .xlsx, .yaml or .yml; - for YAML on stdout")
	pos, err := parseFlags(env, frameworkExportCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the output with -o FILE)", pos[0])
	}
	write, err := frameworkWriter(*out)
	if err != nil {
		return err
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
	if *out == "-" {
		return write(env.Stdout, fw)
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { return write(w, fw) }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote framework %s to %s\n", fw.Project.Code, *out)
	return nil
}

func runFrameworkTemplate(env *Env, args []string) error {
	fs := newFlags(env, frameworkTemplateCmd.Name)
	out := fs.String("o", "", "output `FILE` (.xlsx); - for stdout")
	pos, err := parseFlags(env, frameworkTemplateCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the output file with -o FILE.xlsx)", pos[0])
	}
	if *out == "" || (*out == "-" && env.Color) {
		return usagef("name the output file with -o FILE.xlsx, e.g. -o logframe.xlsx")
	}
	if *out != "-" && !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return usagef("-o %s: the blank framework is an .xlsx workbook; name a file ending in .xlsx", *out)
	}
	if *out == "-" {
		return exporters.WriteFrameworkTemplateXLSX(env.Stdout)
	}
	if err := writeFileAtomic(*out, exporters.WriteFrameworkTemplateXLSX); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote the blank framework workbook to %s: fill it in (see its Instructions sheet), then run rmf framework import %s\n", *out, *out)
	return nil
}

// frameworkWriter picks the writer for an output name by its extension.
func frameworkWriter(out string) (func(io.Writer, *indicators.Framework) error, error) {
	if out == "-" {
		return exporters.WriteFrameworkYAML, nil
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".xlsx":
		return exporters.WriteFrameworkXLSX, nil
	case ".yaml", ".yml":
		return exporters.WriteFrameworkYAML, nil
	}
	return nil, usagef("cannot tell the format of %q from its extension: expected .xlsx, .yaml or .yml, or - for YAML on stdout", out)
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, renamed into place only when write succeeded: a failed export
// never leaves a half-written file (nor destroys the previous one).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		// /dev/null, /dev/stdout, a named pipe: write to it directly, since
		// renaming a file over it would replace the device or pipe.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
		}
		err = writeBuffered(f, write)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return nil
	}
	if err := checkOutput(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	err = writeBuffered(tmp, write)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeBuffered calls write with a buffered writer on f and flushes it.
func writeBuffered(f *os.File, write func(io.Writer) error) error {
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
