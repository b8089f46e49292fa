package main

import (
	"context"
	"fmt"
)

var initCmd = &command{
	Name:    "init",
	Summary: "create an empty database (idempotent)",
	Usage:   "rmf [--db FILE|URL] init",
	Help: "Creates the database file (--db, else $RMF_DB, else rmf.db) with an up-to-date schema, or,\n" +
		"given postgres://user@host:port/dbname?project=CODE, the project CODE in that PostgreSQL\n" +
		"database (several projects live side by side in one; \"rmf projects\" lists them).\n" +
		"Running it again on an existing database only brings its schema up to date; nothing is lost.",
}

func init() {
	initCmd.Run = runInit
	register(initCmd)
}

func runInit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, initCmd.Name)
	pos, err := parseFlags(env, initCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (name the database with --db FILE)", pos[0])
	}
	db, created, err := createDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if created {
		if isURL(env.DBPath) {
			fmt.Fprintf(env.Stdout, "created project %s in %s\n", urlProject(env.DBPath), dbName(env.DBPath))
			return nil
		}
		fmt.Fprintf(env.Stdout, "created database %s\n", env.DBPath)
		return nil
	}
	has, err := db.HasFramework(ctx)
	if err != nil {
		return err
	}
	what := "empty"
	if has {
		what = "holds a framework"
	}
	if isURL(env.DBPath) {
		fmt.Fprintf(env.Stdout, "project %s already exists in %s (%s); schema up to date\n", urlProject(env.DBPath), dbName(env.DBPath), what)
		return nil
	}
	fmt.Fprintf(env.Stdout, "database %s already exists (%s); schema up to date\n", env.DBPath, what)
	return nil
}
