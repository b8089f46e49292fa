// Command rmf is the results-monitoring framework engine: it keeps a
// project's logframe in SQLite, imports partners' workbooks and writes
// results-based reports. Run "rmf help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"

	"github.com/rmf-project/rmf/engine"
)

// Env is what every command gets: where to write, which database, and
// whether stderr is a terminal (for progress).
type Env struct {
	Stdout, Stderr io.Writer
	DBPath         string // from --db, $RMF_DB, or rmf.db
	DBFlag         bool   // true when --db named it (not $RMF_DB)
	Interactive    bool   // stderr is a terminal: show progress
	Color          bool   // stdout is a terminal: colour the text report
}

// A command is one subcommand, in its own file.
type command struct {
	Name    string
	Summary string // one line for "rmf help"
	Usage   string // "rmf import FILE... [--dry-run]"
	// Help is optional longer text printed after the summary by -h and "rmf help CMD".
	Help string
	Run  func(ctx context.Context, env *Env, args []string) error
}

// commands is filled by each subcommand file's init.
var commands = map[string]*command{}

func register(c *command) { commands[c.Name] = c }

// usageError is wrong usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// errSilent is returned when the command already printed its problems
// (findings, import problems) and only the exit status 1 is left to give.
var errSilent = errors.New("failed")

func main() {
	// Ctrl-C or SIGTERM cancels ctx: every command checks it in its long
	// loops and stops, saying it was interrupted, with nothing written. A
	// second Ctrl-C kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Interactive: isTerminal(os.Stderr), Color: isTerminal(os.Stdout)}
	stopProfile := cpuProfile(os.Getenv("RMF_CPUPROFILE"))
	code := run(ctx, env, os.Args[1:])
	stopProfile()
	os.Exit(code)
}

// cpuProfile writes a CPU profile of the command to path ($RMF_CPUPROFILE,
// for measuring a command as a user runs it: go tool pprof reads it) until
// the returned function is called; nothing when path is empty.
func cpuProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "rmf: RMF_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// run parses the global flags, dispatches to the command and maps its
// error to the exit status: 0 ok, 1 invalid input or failed checks, 2 wrong usage.
func run(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("rmf", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", "", "database file or postgres:// URL (default $RMF_DB, else rmf.db)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(env.Stdout)
			return 0
		}
		fmt.Fprintf(env.Stderr, "rmf: %v\n", err)
		printHelp(env.Stderr)
		return 2
	}
	env.DBPath = *db
	env.DBFlag = *db != ""
	if env.DBPath == "" {
		if v := os.Getenv("RMF_DB"); v != "" {
			env.DBPath = v
		} else {
			env.DBPath = "rmf.db"
		}
	}
	rest := fs.Args()
	if len(rest) == 0 {
		printHelp(env.Stderr)
		return 2
	}
	name := rest[0]
	if name == "help" {
		switch {
		case len(rest) == 1:
			printHelp(env.Stdout)
			return 0
		case len(rest) > 2:
			fmt.Fprintf(env.Stderr, "rmf help: expected one command name, got %d: %s\nusage: rmf help [COMMAND]\n", len(rest)-1, strings.Join(rest[1:], " "))
			return 2
		}
		c, ok := commands[rest[1]]
		if !ok {
			fmt.Fprintf(env.Stderr, "rmf help: unknown command %q, expected one of: %s\n", rest[1], strings.Join(commandNames(), ", "))
			return 2
		}
		// Every command answers -h with its usage and flags (parseFlags).
		return exitCode(env, c, c.Run(ctx, env, []string{"-h"}))
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "rmf: unknown command %q\n", name)
		printHelp(env.Stderr)
		return 2
	}
	err := c.Run(ctx, env, rest[1:])
	return exitCode(env, c, err)
}

// subError is the error of a subcommand ("db copy"): messages name it.
type subError struct {
	c   *command
	err error
}

func (e *subError) Error() string { return e.err.Error() }
func (e *subError) Unwrap() error { return e.err }

// inSub marks err (when not nil) as subcommand c's.
func inSub(c *command, err error) error {
	if err == nil {
		return nil
	}
	return &subError{c, err}
}

func exitCode(env *Env, c *command, err error) int {
	if se, ok := err.(*subError); ok {
		c, err = se.c, se.err
	}
	var ue *usageError
	var ae *engine.ArgError // an argument the engine could not read: the flag of that name
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "rmf %s: %s\nusage: %s\n", c.Name, ue.msg, c.Usage)
		return 2
	case errors.As(err, &ae):
		fmt.Fprintf(env.Stderr, "rmf %s: --%s: %v\nusage: %s\n", c.Name, ae.Arg, ae.Err, c.Usage)
		return 2
	case errors.Is(err, errSilent):
		return 1
	case errors.As(err, new(*interruptedError)):
		fmt.Fprintf(env.Stderr, "rmf %s: %v\n", c.Name, err)
		return 1
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(env.Stderr, "rmf %s: interrupted; nothing was written\n", c.Name)
		return 1
	}
	// One line per problem; the engine names no command, the command line
	// says how to load a framework.
	msg := err.Error()
	if errors.Is(err, engine.ErrNoFramework) {
		msg += `: load one with "rmf framework import FILE"`
	}
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(env.Stderr, "rmf %s: %s\n", c.Name, line)
	}
	return 1
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "rmf: results-monitoring framework engine")
	fmt.Fprintln(w, "\nusage: rmf [--db FILE|URL] COMMAND [flags]\n\ncommands:")
	fmt.Fprintf(w, "  %-18s %s\n", "help [COMMAND]", "show this help, or a command's usage and flags")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-18s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nRun \"rmf COMMAND -h\" for a command's flags. The database is --db, else $RMF_DB, else rmf.db:")
	fmt.Fprintln(w, "a SQLite file, or a project in PostgreSQL: postgres://user@host:port/dbname?project=CODE.")
	fmt.Fprintln(w, "Exit status: 0 ok, 1 invalid input or failed checks, 2 wrong usage.")
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// newFlags returns a flag set for command c whose -h prints its usage to
// stdout and whose parse errors become usage errors (exit status 2).
func newFlags(env *Env, c string) *flag.FlagSet {
	fs := flag.NewFlagSet("rmf "+c, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	// --db is also accepted after the command (SPEC 6): rmf report --db FILE
	fs.Func("db", "database `FILE` or postgres://user@host/dbname?project=CODE (default $RMF_DB, else rmf.db); also accepted before the command", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("--db needs a file name or a postgres:// URL")
		}
		env.DBPath, env.DBFlag = s, true
		return nil
	})
	return fs
}

// parseFlags parses args with fs; -h prints the command's usage and flags
// to stdout and returns flag.ErrHelp; other errors are usage errors.
// Flags may come after positional arguments ("rmf import a.xlsx --dry-run").
func parseFlags(env *Env, c *command, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(env.Stdout, "usage: %s\n\n%s\n", c.Usage, c.Summary)
				if c.Help != "" {
					fmt.Fprintf(env.Stdout, "\n%s\n", strings.TrimRight(c.Help, "\n"))
				}
				n := 0
				fs.VisitAll(func(*flag.Flag) { n++ })
				if n > 0 {
					fmt.Fprintln(env.Stdout, "\nflags:")
					fs.SetOutput(env.Stdout)
					fs.PrintDefaults()
				}
				return nil, flag.ErrHelp
			}
			return nil, usagef("%v", err)
		}
		consumed := len(args) - len(fs.Args())
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, fs.Args()...), nil // everything after "--" is positional
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// openDB opens the database that --db, $RMF_DB or the default names. The
// file (or the PostgreSQL project) must exist: "rmf init" or "rmf framework
// import" creates it, so that a mistyped --db is reported rather than
// silently creating an empty database.
func openDB(ctx context.Context, env *Env) (*engine.Engine, error) {
	if err := dbExists(env); err != nil {
		return nil, err
	}
	return openEngine(ctx, env.DBPath)
}

// dbExists says why the database env names cannot be opened when it does
// not exist. A PostgreSQL project is looked for when it is opened (the
// server says whether it exists).
func dbExists(env *Env) error {
	if isURL(env.DBPath) {
		return nil
	}
	if _, err := os.Stat(env.DBPath); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("database %s does not exist: create it with \"rmf init\" or \"rmf framework import FILE\", or name another with --db or $RMF_DB", env.DBPath)
		}
		return fmt.Errorf("database %s: %w", env.DBPath, err)
	}
	return nil
}

// createDB opens the database, creating it (and bringing its schema up to
// date) when it does not exist yet. It reports whether it created the file
// (or the PostgreSQL project).
func createDB(ctx context.Context, env *Env) (db *engine.Engine, created bool, err error) {
	now, err := clock()
	if err != nil {
		return nil, false, err
	}
	if isURL(env.DBPath) {
		return createEngine(ctx, env.DBPath, now)
	}
	if _, err := os.Stat(env.DBPath); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("database %s: %w", env.DBPath, err)
		}
		created = true
		dir := filepath.Dir(env.DBPath)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, false, fmt.Errorf("database %s: folder %s does not exist; create it first or name another file with --db", env.DBPath, dir)
		}
	}
	db, _, err = createEngine(ctx, env.DBPath, now)
	if err != nil && created {
		os.Remove(env.DBPath) // do not leave a half-made file behind
	}
	return db, created, err
}

// checkOutput says, before any work, why the output file path cannot be
// written: its folder does not exist, or it is a folder.
func checkOutput(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot write %s: it is a folder, expected a file name", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case err != nil && errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write %s: folder %s does not exist; create it first", path, dir)
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
	case !fi.IsDir():
		return fmt.Errorf("cannot write %s: %s is a file, not a folder", path, dir)
	}
	return nil
}

// unwrapPath drops the operation and the (temporary) path from a file
// system error: "permission denied" rather than "open /x/.r.md.123: ...".
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
