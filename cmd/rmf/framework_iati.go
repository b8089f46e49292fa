package main

import (
	"context"
	"fmt"

	"github.com/rmf-project/rmf/engine"
)

// importIATIFramework is "rmf framework import FILE.xml [--activity ID]":
// the activity's results become the logframe and its actuals the figures,
// recorded as one import of kind "iati". Everything is read and validated
// before the database is touched.
func importIATIFramework(ctx context.Context, env *Env, file, activity string) error {
	im, err := engine.ReadIATIFramework(file, activity)
	if err != nil {
		return err
	}
	fw := im.Framework
	for _, n := range im.Notes {
		fmt.Fprintf(env.Stderr, "rmf framework import: note: %s\n", n)
	}
	if len(im.Others) > 0 && activity == "" {
		fmt.Fprintf(env.Stderr, "rmf framework import: %s holds %s; read %s (choose with --activity):", file, map[bool]string{true: "1 other activity", false: fmt.Sprintf("%d other activities", len(im.Others))}[len(im.Others) == 1], im.Activity.Identifier)
		for _, o := range im.Others {
			fmt.Fprintf(env.Stderr, " %s", o.Identifier)
		}
		fmt.Fprintln(env.Stderr)
	}
	db, err := saveFramework(ctx, env, fw, file)
	if err != nil {
		return err
	}
	defer db.Close()
	if len(im.Figures) == 0 {
		return nil
	}
	b, err := db.ImportIATIFigures(ctx, file, im)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s read, %d added, %d changed, %d unchanged\n", file, plural(len(im.Figures), "actual"), b.Added, b.Changed, b.Unchanged)
	return nil
}
