package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// importIATIFramework is "rmf framework import FILE.xml [--activity ID]":
// the activity's results become the logframe and its actuals the figures,
// recorded as one import of kind "iati". Everything is read and validated
// before the database is touched.
func importIATIFramework(ctx context.Context, env *Env, file, activity string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	im, err := importers.ReadIATI(bytes.NewReader(data), file, activity)
	if err != nil {
		return err
	}
	fw := im.Framework
	if _, probs := fw.Compile(); len(probs) > 0 {
		return probs
	}
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
	sum := sha256.Sum256(data)
	imp, err := db.BeginImport(ctx, indicators.Batch{File: file, SHA256: hex.EncodeToString(sum[:]), Kind: "iati"})
	if err != nil {
		return err
	}
	defer imp.Rollback()
	for _, m := range im.Figures {
		if err := imp.Add(m); err != nil {
			return err
		}
	}
	imp.SetRowsRead(len(im.Figures))
	b, err := imp.Finish(false)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %s read, %d added, %d changed, %d unchanged\n", file, plural(len(im.Figures), "actual"), b.Added, b.Changed, b.Unchanged)
	return nil
}
