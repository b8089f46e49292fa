package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"
)

var importsCmd = &command{
	Name:    "imports",
	Summary: "list the imported files: when, their SHA-256, rows read, figures added, changed, unchanged",
	Usage:   "rmf [--db FILE] imports",
	Help: "Every import of a measurement file is recorded as a batch: the file as it was named, the\n" +
		"SHA-256 of its bytes, when it ran, the rows read and how many figures it added, changed (new\n" +
		"revisions) and left unchanged. \"rmf history CODE\" shows which batch each figure came from.",
}

func init() {
	importsCmd.Run = runImports
	register(importsCmd)
}

func runImports(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, importsCmd.Name)
	full := fs.Bool("sha", false, "print the full SHA-256 instead of its first 12 digits")
	pos, err := parseFlags(env, importsCmd, fs, args)
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
	batches, err := db.Imports(ctx)
	if err != nil {
		return err
	}
	if len(batches) == 0 {
		fmt.Fprintln(env.Stdout, "no files imported yet: rmf import FILE...")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tIMPORTED\tKIND\tROWS\tADDED\tCHANGED\tUNCHANGED\tSHA256\tFILE")
	for _, b := range batches {
		sum := b.SHA256
		if !*full && len(sum) > 12 {
			sum = sum[:12]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", b.ID, b.Imported.Local().Format(time.DateTime),
			b.Kind, b.RowsRead, b.Added, b.Changed, b.Unchanged, sum, b.File)
	}
	return tw.Flush()
}
