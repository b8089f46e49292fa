package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/web"
)

var serveCmd = &command{
	Name:    "serve",
	Summary: "the project in a browser: dashboard, indicators, uploads with a dry run, downloads, follow-up",
	Usage:   "rmf [--db FILE] serve [--addr 127.0.0.1:8080]",
	Help: "Serves the database to a browser at --addr (default 127.0.0.1:8080, this computer only; give\n" +
		"0.0.0.0:8080 to serve the local network, behind a TLS proxy). Everyone logs in: create the users\n" +
		"first with \"rmf user add NAME --role officer|partner|viewer\". Officers do everything; partners\n" +
		"upload their workbooks and see only the indicators whose responsible is theirs; viewers (donor,\n" +
		"managers) read. An upload is checked first (the dry run: every figure added or changed, every\n" +
		"problem with its sheet and cell) and imported only when confirmed, with the guarantees of\n" +
		"rmf import. Ctrl-C stops the server.",
}

func init() {
	serveCmd.Run = runServe
	register(serveCmd)
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, serveCmd.Name)
	addr := fs.String("addr", "127.0.0.1:8080", "`HOST:PORT` to listen on")
	pos, err := parseFlags(env, serveCmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := dbExists(env); err != nil {
		return err
	}
	now, err := clock()
	if err != nil {
		return err
	}
	db, err := openEngineOpt(ctx, env.DBPath, now, engine.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Framework(ctx); err != nil {
		return err
	}
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return fmt.Errorf("database %s has no users: nobody could log in. Create one first: rmf --db %s user add NAME --role officer", db.Path(), db.Path())
	}
	site, err := db.Site()
	if err != nil {
		return err
	}
	app := serveApp{site}
	srv, err := web.New(app, app, web.Options{Log: log.New(env.Stderr, "rmf serve: ", log.LstdFlags)})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 1 << 20}
	fmt.Fprintf(env.Stdout, "rmf serve: %s on http://%s (Ctrl-C stops)\n", db.Path(), ln.Addr())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(env.Stdout, "rmf serve: stopped")
	return nil
}
