package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/web"
)

var (
	userAddCmd = &command{Name: "user add", Summary: "add a user of rmf serve (the password is read from the terminal or stdin)",
		Usage: "rmf [--db FILE] user add NAME --role officer|partner|viewer [--responsible TEXT]",
		Help: "Officers do everything; partners upload and see only the indicators whose responsible is\n" +
			"--responsible (required for a partner, as the framework writes it); viewers read. The password\n" +
			"(8 to 72 characters) is asked twice on a terminal; otherwise the first line of standard input is\n" +
			"the password, so that scripts can create users: echo \"$PW\" | rmf user add amani --role partner ..."}
	userListCmd   = &command{Name: "user list", Summary: "list the users of rmf serve", Usage: "rmf [--db FILE] user list"}
	userRemoveCmd = &command{Name: "user remove", Summary: "remove a user of rmf serve and end their sessions", Usage: "rmf [--db FILE] user remove NAME"}
	userCmd       = &command{Name: "user", Summary: "the users of rmf serve: add, list, remove",
		Usage: "rmf [--db FILE] user add NAME --role officer|partner|viewer [--responsible TEXT]\n       rmf [--db FILE] user list\n       rmf [--db FILE] user remove NAME"}
)

func init() {
	userCmd.Run = runUser
	register(userCmd)
}

// stdin is where the password is read from; tests replace it.
var stdin io.Reader = os.Stdin

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("expected add, list or remove\nusage: %s", userCmd.Usage)
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, env, args[1:])
	case "list":
		return runUserList(ctx, env, args[1:])
	case "remove", "rm":
		return runUserRemove(ctx, env, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintf(env.Stdout, "usage: %s\n\n%s\n", userCmd.Usage, userCmd.Summary)
		return nil
	}
	return usagef("unknown user command %q: expected add, list or remove", args[0])
}

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, userAddCmd.Name)
	role := fs.String("role", "", "officer, partner or viewer")
	resp := fs.String("responsible", "", "a partner's name as the indicators' responsible field writes it")
	pos, err := parseFlags(env, userAddCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one user, e.g. rmf user add amani --role partner --responsible \"Amani Trust\"")
	}
	name := strings.TrimSpace(pos[0])
	if name == "" || strings.ContainsAny(name, " \t\r\n") || len(name) > 64 {
		return usagef("user name %q: expected one word of at most 64 characters", pos[0])
	}
	r, err := web.ParseRole(*role)
	if err != nil {
		return usagef("--role: %v", err)
	}
	*resp = strings.TrimSpace(*resp)
	if r == web.Partner && *resp == "" {
		return usagef("a partner needs --responsible TEXT: the name their indicators give as responsible")
	}
	if r != web.Partner && *resp != "" {
		return usagef("--responsible is for partners only")
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	u := engine.User{Name: name, Role: string(r), Responsible: *resp}
	if err := db.CheckUser(ctx, u); err != nil {
		return err
	}
	pw, err := readPassword(env)
	if err != nil {
		return err
	}
	hash, err := web.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := db.AddUser(ctx, u, string(hash)); err != nil {
		return flagAdvice(err)
	}
	fmt.Fprintf(env.Stdout, "added user %s (%s%s)\n", name, r, map[bool]string{true: ", " + *resp}[*resp != ""])
	return nil
}

// readPassword asks twice on a terminal, else reads the first line of stdin.
func readPassword(env *Env) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(env.Stderr, "again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ; nothing was written")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input: give it as the first line")
	}
	return line, nil
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, userListCmd.Name)
	pos, err := parseFlags(env, userListCmd, fs, args)
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
	us, err := db.Users(ctx)
	if err != nil {
		return err
	}
	if len(us) == 0 {
		fmt.Fprintln(env.Stdout, "no users (rmf user add NAME --role officer)")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tRESPONSIBLE\tADDED")
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Responsible, u.Created.Format("2006-01-02"))
	}
	return tw.Flush()
}

func runUserRemove(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, userRemoveCmd.Name)
	pos, err := parseFlags(env, userRemoveCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one user to remove")
	}
	db, err := openDB(ctx, env)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RemoveUser(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "removed user %s and their sessions\n", pos[0])
	return nil
}
