package main

// Expenditures (issue 7): "rmf import" routes finance exports here (a sheet
// whose header has an amount column and no indicator column), the reports
// add the Efficiency section when expenditures were imported, and the demo
// imports the example project's expenditures (step 25).

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

var expendituresCmd = &command{
	Name:    "expenditures",
	Summary: "list the imported expenditures (current amounts, or every revision with --history)",
	Usage:   "rmf [--db FILE] expenditures [CODE] [--history]",
	Help: "Expenditures come from finance exports imported with \"rmf import FILE\" (a sheet with an amount\n" +
		"column and no indicator column: result code or budget line, period or date, amount). CODE (a\n" +
		"result or budget line code) keeps that one's. A later import with another amount for the same\n" +
		"line, result, category, period and reference is a correction: a new revision, the old one kept;\n" +
		"--history lists every revision with the import it came from. The reports put the spending\n" +
		"beside time elapsed and results (the Efficiency section).",
}

func init() {
	expendituresCmd.Run = runExpenditures
	register(expendituresCmd)
	addDemoStep(demoStep{Order: 25, Name: "expenditures", Run: demoExpenditures})
}

func runExpenditures(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, expendituresCmd.Name)
	history := fs.Bool("history", false, "list every revision, with the import it came from")
	pos, err := parseFlags(env, expendituresCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("unexpected argument %q", pos[1])
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
	revs, err := db.Expenditures(ctx, code)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	header := "PERIOD\tLINE\tRESULT\tCATEGORY\tAMOUNT\tREF\tSOURCE"
	if *history {
		header = "PERIOD\tLINE\tRESULT\tCATEGORY\tAMOUNT\tREF\tREV\tIMPORT\tCURRENT\tSOURCE"
	}
	n := 0
	for _, r := range revs {
		if !*history && !r.Current {
			continue
		}
		if n == 0 {
			fmt.Fprintln(tw, header)
		}
		n++
		src := r.Loc.File
		if r.Loc.Sheet != "" {
			src += ", sheet " + r.Loc.Sheet
		}
		if r.Loc.Row > 0 {
			src += fmt.Sprintf(", row %d", r.Loc.Row)
		}
		if *history {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%v\t%s\n", r.Period, r.Line, r.Result, r.Category,
				indicators.FormatAmount(r.Amount), r.Reference, r.Revision, r.BatchID, r.Current, src)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Period, r.Line, r.Result, r.Category,
				indicators.FormatAmount(r.Amount), r.Reference, src)
		}
	}
	if n == 0 {
		if code != "" {
			fmt.Fprintf(env.Stdout, "no expenditures of %s: rmf import FILE imports a finance export\n", code)
		} else {
			fmt.Fprintln(env.Stdout, "no expenditures imported yet: rmf import FILE imports a finance export")
		}
		return nil
	}
	return tw.Flush()
}

// exampleExpenditures is the example project's finance export.
const exampleExpenditures = "finance/expenditures.xlsx"

// demoExpenditures (demo step 25) imports the example project's
// expenditures by semester from a copy in DIR/finance.
func demoExpenditures(ctx context.Context, d *demoRun) error {
	d.At(time.Date(2022, 7, 25, 9, 0, 0, 0, time.UTC)) // the finance system's export after 2022Q2
	b, err := fs.ReadFile(d.Examples, exampleExpenditures)
	if err != nil {
		return fmt.Errorf("example expenditures: %w", err)
	}
	fw := d.Framework
	if fw == nil {
		if fw, _, err = d.DB.Compiled(ctx); err != nil {
			return err
		}
	}
	dir := filepath.Join(d.Dir, path.Dir(exampleExpenditures))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	file := filepath.Join(dir, path.Base(exampleExpenditures))
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(d.Env.Stdout, "\nimporting the expenditures by semester (copied to %s):\n", file)
	res, err := d.DB.ImportFile(ctx, fw, file, engine.ImportOptions{Words: flagWords})
	if err != nil {
		printProblems(d.Env.Stderr, file, err)
		return fmt.Errorf("the example expenditures did not import")
	}
	fmt.Fprintf(d.Env.Stdout, "  %s\n", importLine(res, false))
	return nil
}
