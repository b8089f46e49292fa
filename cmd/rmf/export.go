package main

import (
	"context"
	"fmt"
)

func init() {
	register(&command{
		Name:    "export",
		Summary: "export the project for others: IATI 2.03 activity XML with results",
		Usage:   "rmf export iati [--period P] [--approved-only] -o FILE",
		Run:     runExport,
	})
}

func runExport(ctx context.Context, env *Env, args []string) error {
	c := commands["export"]
	fs := newFlags(env, "export")
	period := fs.String("period", "", "last reporting period `P` to include (default: the latest one with figures)")
	out := fs.String("o", "", "output `FILE` (.xml; - for stdout)")
	approvedOnly := fs.Bool("approved-only", false, "export only the figures approved (rmf approve)")
	pos, err := parseFlags(env, c, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "iati" {
		return usagef("expected the format iati, as in: rmf export iati -o activity.xml")
	}
	if *out == "" {
		return usagef("-o FILE is required (- for stdout)")
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	x, err := db.IATI(ctx, *period, *approvedOnly)
	if err != nil {
		return err
	}
	write := x.Write
	if *out == "-" {
		return write(env.Stdout)
	}
	if err := writeFileAtomic(*out, write); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: IATI activity %s with its figures up to %s\n", *out, x.Framework.Project.IATIIdentifier, x.Upto)
	return nil
}
