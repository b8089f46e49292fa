package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

var templateCmd = &command{
	Name:    "template",
	Summary: "write the data-collection workbook that partners fill in for a period",
	Usage:   "rmf [--db FILE] template --period P -o FILE.xlsx",
	Help: "Writes one row per indicator (and per disaggregation value) due in period P, with the codes\n" +
		"and names filled in, dropdowns on dimension and yes/no cells, and the value column empty.\n" +
		"Partners fill in the values; \"rmf import FILE\" reads it back. Without -o the workbook goes\n" +
		"to stdout when stdout is not a terminal.",
}

func init() {
	templateCmd.Run = runTemplate
	register(templateCmd)
}

func runTemplate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, templateCmd.Name)
	period := fs.String("period", "", "the reporting period `P` (2021Q3, 2021S1, 2021, ...)")
	out := fs.String("o", "", "output `FILE` (.xlsx)")
	pos, err := parseFlags(env, templateCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the output file with -o FILE)", pos[0])
	}
	if *period == "" {
		return usagef("name the period with --period P, e.g. --period 2021Q3")
	}
	if *out == "" && env.Color {
		return usagef("name the output file with -o FILE.xlsx (the workbook is not written to a terminal)")
	}
	if *out != "" && *out != "-" && !strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		return usagef("-o %s: the template is an .xlsx workbook; name a file ending in .xlsx", *out)
	}
	if err := checkOutput(*out); err != nil {
		return err
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	data, p, err := db.Template(ctx, *period)
	if err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		_, err := env.Stdout.Write(data)
		return err
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote the %s data-collection template to %s\n", p, *out)
	return nil
}
