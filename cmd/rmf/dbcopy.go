package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/rmf-project/rmf/internal/dbcopy"
)

var dbCmd = &command{
	Name:    "db",
	Summary: "move a project between databases: rmf db copy --from FILE|URL --to FILE|URL",
	Usage:   "rmf db copy --from FILE|URL --to FILE|URL [-v]",
	Help: "copy moves a whole project from one database to another: a SQLite file to a PostgreSQL\n" +
		"project (postgres://user@host:port/dbname?project=CODE), back, or to another file. Everything\n" +
		"goes: the framework and its versions, every revision of every figure with its source, the\n" +
		"imports, the evaluations, key actions and their log, the review log (approvals, returns,\n" +
		"locks), the budget and expenditures, the IATI publisher and the users of rmf serve (with\n" +
		"their password hashes). Logins to rmf serve (sessions) are not copied: users log in again.\n" +
		"\n" +
		"The destination is created when it does not exist and must be empty: a project that already\n" +
		"holds a framework or figures is refused (choose another project= or file). The copy is one\n" +
		"transaction on the destination, ids kept; afterwards every table is read back and must have\n" +
		"the same row count and checksum as the source, else nothing is written. The source is only\n" +
		"read (opening it brings its schema up to date, as every command does). -v lists every table\n" +
		"with its rows and checksum.",
}

var dbCopyCmd = &command{Name: "db copy", Summary: dbCmd.Summary, Usage: dbCmd.Usage, Help: dbCmd.Help}

func init() {
	dbCmd.Run = runDB
	register(dbCmd)
}

func runDB(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("expected a subcommand: copy")
	}
	switch args[0] {
	case "copy":
		return inSub(dbCopyCmd, runDBCopy(ctx, env, args[1:]))
	case "-h", "-help", "--help":
		_, err := parseFlags(env, dbCmd, newFlags(env, dbCmd.Name), args)
		return err
	}
	return usagef("unknown subcommand %q, expected: copy", args[0])
}

func runDBCopy(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, dbCopyCmd.Name)
	from := fs.String("from", "", "the database to copy: a SQLite `FILE` or a postgres:// URL with ?project=CODE")
	to := fs.String("to", "", "the database to copy into (created when missing, must be empty): a `FILE` or a URL")
	verbose := fs.Bool("v", false, "list every table with its rows and checksum")
	pos, err := parseFlags(env, dbCopyCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if strings.TrimSpace(*from) == "" || strings.TrimSpace(*to) == "" {
		return usagef("both --from and --to are needed")
	}
	if *from == *to {
		return usagef("--from and --to name the same database %s", dbName(*from))
	}
	now, err := clock()
	if err != nil {
		return err
	}
	src, err := openCopySource(ctx, *from, now)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openCopyDest(ctx, *to, now)
	if err != nil {
		return err
	}
	var opt dbcopy.Options
	if env.Interactive {
		opt.Progress = func(table string, rows int64) {
			fmt.Fprintf(env.Stderr, "\r\033[K  copied %s: %d rows", table, rows)
		}
	}
	rep, err := dbcopy.Copy(ctx, src.side, dst.side, opt)
	if env.Interactive {
		fmt.Fprint(env.Stderr, "\r\033[K")
	}
	if err != nil {
		// Even when interrupted (ctx cancelled): remove what the copy created.
		if derr := dst.Discard(context.WithoutCancel(ctx)); derr != nil {
			return fmt.Errorf("%w\n%v", err, derr)
		}
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	project := rep.Project
	if project == "" {
		project = "(no framework)"
	}
	fmt.Fprintf(env.Stdout, "copied project %s from %s to %s: %s, %s; every table verified (rows and checksum)\n",
		project, src.side.Name, dst.side.Name, plural(len(rep.Tables), "table"), plural(int(rep.Rows()), "row"))
	if *verbose {
		for _, t := range rep.Tables {
			fmt.Fprintf(env.Stdout, "  %-22s %9d rows  %s\n", t.Name, t.Rows, t.Checksum)
		}
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(env.Stdout, "not copied: %s (%s)\n", s, dbcopy.Skipped[s])
	}
	return nil
}
