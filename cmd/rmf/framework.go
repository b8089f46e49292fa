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
	Usage:   "rmf framework import FILE [--activity ID] [--code CODE] [--title TEXT] [--start DATE] [--end DATE]\n       rmf framework export [-o FILE]",
	Help: "import FILE   load the logframe from FILE (.xlsx, .yaml or .yml), or update the stored one in place\n" +
		"              (items are matched by code; figures are kept). Nothing is written when FILE has any problem.\n" +
		"              An IATI activity file (.xml) gives the logframe and its actuals (--activity picks one).\n" +
		"              Also read: a DFID/FCDO logframe (IMPACT, OUTCOME, OUTPUT blocks) and flat IATI results rows\n" +
		"              (spreadsheets2iati, AidStream; .xlsx or .csv); --code, --title, --start and --end (or a Project\n" +
		"              sheet added to the workbook) give what such a file does not say about the project; rmf import\n" +
		"              reads their achieved and actual figures.\n" +
		"export        write the stored logframe to -o FILE: .xlsx or .yaml/.yml by extension;\n" +
		"              without -o, or with -o -, YAML goes to stdout.",
}

var frameworkImportCmd = &command{
	Name:    "framework import",
	Summary: "load the logframe from FILE (.xlsx, .yaml or .yml, IATI activity .xml, a DFID logframe or flat IATI results rows), or update the stored one in place",
	Usage:   "rmf framework import FILE [--activity ID] [--code CODE] [--title TEXT] [--start DATE] [--end DATE]",
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
		return usagef("expected a subcommand: import or export")
	}
	switch args[0] {
	case "import":
		return runFrameworkImport(ctx, env, args[1:])
	case "export":
		return runFrameworkExport(ctx, env, args[1:])
	}
	fs := newFlags(env, frameworkCmd.Name)
	if _, err := parseFlags(env, frameworkCmd, fs, args); err != nil {
		return err // -h, or an unknown flag
	}
	return usagef("unknown subcommand %q, expected import or export", args[0])
}

func runFrameworkImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, frameworkImportCmd.Name)
	activity := fs.String("activity", "", "for an IATI .xml file or flat IATI results rows holding several activities: the `ID` (iati-identifier) to read")
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
	file := pos[0]
	if strings.EqualFold(filepath.Ext(file), ".xml") {
		if opt != (importers.FrameworkOptions{}) {
			return usagef("--code, --title, --start and --end complete a DFID logframe or flat IATI results file, not an IATI activity file (%s)", file)
		}
		return importIATIFramework(ctx, env, file, *activity)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".yaml", ".yml":
		if *activity != "" {
			return usagef("--activity is for IATI .xml files and flat IATI results files (.xlsx, .csv), not %s", file)
		}
		if opt != (importers.FrameworkOptions{}) {
			return usagef("--code, --title, --start and --end are for DFID logframes and flat IATI results files (.xlsx, .csv), not %s: give the project in the file", file)
		}
	}
	opt.Activity = *activity
	// Read and validate everything before the database is touched, so that a
	// bad file leaves no trace, not even a new empty database. The layout
	// (rmf's workbook or YAML, a DFID logframe, flat IATI results rows) is
	// recognised from the content: importers/framework_layouts.go.
	lf, err := importers.ReadLogframe(file, opt)
	if err != nil {
		return err
	}
	for _, n := range lf.Notes {
		fmt.Fprintf(env.Stderr, "rmf framework import: note: %s\n", n)
	}
	fw := lf.Framework
	db, err := saveFramework(ctx, env, fw, file)
	if err != nil {
		return err
	}
	return db.Close()
}

// saveFramework opens (or creates) the database, saves fw read from file
// into it and says what changed. The caller closes the database.
func saveFramework(ctx context.Context, env *Env, fw *indicators.Framework, file string) (*engine.DB, error) {
	db, _, err := createDB(ctx, env)
	if err != nil {
		return nil, err
	}
	had, err := db.HasFramework(ctx)
	if err == nil {
		var ch engine.FrameworkChange
		if ch, err = db.SaveFramework(ctx, fw); err == nil {
			printFrameworkChange(env.Stdout, fw, file, env.DBPath, had, ch)
			return db, nil
		}
	}
	db.Close()
	return nil, err
}

// printFrameworkChange says what an import did: on a first import what was
// loaded, on a re-import one line per added, updated or removed item.
func printFrameworkChange(w io.Writer, fw *indicators.Framework, file, dbPath string, had bool, ch engine.FrameworkChange) {
	sum := fmt.Sprintf("%d results, %d indicators, %d milestones, %d dimensions, %d rules",
		len(fw.Results), len(fw.Indicators), len(fw.Milestones), len(fw.Dimensions), len(fw.Rules))
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
	fw, err := storedFramework(ctx, db)
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
