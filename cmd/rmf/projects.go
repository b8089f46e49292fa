package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

var projectsCmd = &command{
	Name:    "projects",
	Summary: "list the projects of a PostgreSQL database (a SQLite file holds one)",
	Usage:   "rmf [--db FILE|URL] projects",
	Help: "Given postgres://user@host:port/dbname (project= is not needed), lists the projects that\n" +
		"database holds, side by side and each isolated from the others: code, when it was created,\n" +
		"its current figures and title. \"rmf --db postgres://...?project=CODE init\" creates one,\n" +
		"\"rmf db copy\" moves one in from a SQLite file. A SQLite file holds one project: it is named.",
}

func init() {
	projectsCmd.Run = runProjects
	register(projectsCmd)
}

func runProjects(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, projectsCmd.Name)
	pos, err := parseFlags(env, projectsCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if !isURL(env.DBPath) {
		return sqliteProject(ctx, env)
	}
	list, err := listProjects(ctx, env.DBPath)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		server := withProject(env.DBPath, "") // the database, whatever project= the URL named
		fmt.Fprintf(env.Stdout, "no projects in %s yet: create one with rmf --db '%s' init\n", dbName(server), dbName(withProject(env.DBPath, "CODE")))
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECT\tCREATED\tFIGURES\tTITLE")
	for _, p := range list {
		title, figures := p.Title, fmt.Sprint(p.Figures)
		switch {
		case p.Broken != nil:
			title, figures = "(cannot be opened: "+strings.ReplaceAll(p.Broken.Error(), "\n", "; ")+")", "?"
		case !p.HasFramework:
			title = "(no framework yet)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Code, p.Created.Local().Format(time.DateTime), figures, title)
	}
	return tw.Flush()
}

// sqliteProject names the one project a SQLite file holds.
func sqliteProject(ctx context.Context, env *Env) error {
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	has, err := db.HasFramework(ctx)
	if err != nil {
		return err
	}
	if !has {
		fmt.Fprintf(env.Stdout, "%s is a SQLite file: it holds one project, and no framework yet (rmf framework import FILE)\n", env.DBPath)
		return nil
	}
	fw, err := db.Framework(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s is a SQLite file: it holds one project, %s (%s)\n", env.DBPath, fw.Project.Code, fw.Project.Title)
	return nil
}
