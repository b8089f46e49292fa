package main

// The engine switch of the end-to-end tests: onEngines runs a scenario
// twice, on SQLite (the files the test names) and on PostgreSQL (a fresh
// project on $RMF_TEST_POSTGRES for each database the test names), with
// the same test body. Inside the PostgreSQL run, rmf (rmfEnv) rewrites the
// database the command would use into the URL of that database's project:
// --db NAME and $RMF_DB=NAME (NAME resolved in the command's folder), the
// default rmf.db, and the demo's DIR/demo.db. So a scenario runs unchanged
// on both engines as long as it goes through --db/$RMF_DB and never looks
// at a .db file on disk.
//
// Without $RMF_TEST_POSTGRES the PostgreSQL run skips, saying how to run
// it; with RMF_REQUIRE_POSTGRES=1 (CI) it fails instead.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rmf-project/rmf/internal/dbcopy"
	"github.com/rmf-project/rmf/internal/pgtest"
	"github.com/rmf-project/rmf/internal/sqlstore"
	"github.com/rmf-project/rmf/postgres"
	"github.com/rmf-project/rmf/sqlite"
)

// pgRuns maps the name of a running PostgreSQL subtest of onEngines to its
// projects.
var pgRuns sync.Map // string -> *pgRun

type pgRun struct {
	t      testing.TB
	server string
	mu     sync.Mutex
	urls   map[string]string // absolute database path -> project URL
}

// onEngines runs fn as subtest "sqlite", then as subtest "postgres" with
// every database it names kept in PostgreSQL.
func onEngines(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	t.Run("sqlite", fn)
	t.Run("postgres", func(t *testing.T) {
		server := pgtest.Server(t) // skips (or fails under RMF_REQUIRE_POSTGRES=1) without a server
		r := &pgRun{t: t, server: server, urls: map[string]string{}}
		pgRuns.Store(t.Name(), r)
		t.Cleanup(func() { pgRuns.Delete(t.Name()) })
		fn(t)
	})
}

// onPostgres returns the PostgreSQL run t belongs to (t or one of its
// parents is the "postgres" subtest of onEngines), or nil on SQLite.
func onPostgres(t testing.TB) *pgRun {
	name := t.Name()
	for {
		if v, ok := pgRuns.Load(name); ok {
			return v.(*pgRun)
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return nil
		}
		name = name[:i]
	}
}

// url returns the project URL standing for database path db of folder dir
// (a fresh project the first time; dropped when the run ends).
func (r *pgRun) url(dir, db string) string {
	if isURL(db) {
		return db
	}
	if !filepath.IsAbs(db) {
		db = filepath.Join(dir, db)
	}
	db = filepath.Clean(db)
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.urls[db]
	if !ok {
		u = pgtest.WithProject(r.t, r.server, pgtest.Project(r.t))
		r.urls[db] = u
	}
	return u
}

// rewrite returns args and env with every database replaced by its
// project's URL (see the file's comment).
func (r *pgRun) rewrite(dir string, args, env []string) ([]string, []string) {
	out := make([]string, 0, len(args)+1)
	hasDB := false
	cmd, demoDir := "", "demo"
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "--db" || a == "-db") && i+1 < len(args):
			out = append(out, a, r.url(dir, args[i+1]))
			i++
			hasDB = true
			continue
		case strings.HasPrefix(a, "--db=") || strings.HasPrefix(a, "-db="):
			k, v, _ := strings.Cut(a, "=")
			out = append(out, k+"="+r.url(dir, v))
			hasDB = true
			continue
		case cmd == "" && !strings.HasPrefix(a, "-"):
			cmd = a
		case cmd == "demo" && (a == "-o" || a == "--o") && i+1 < len(args):
			demoDir = args[i+1]
		}
		out = append(out, a)
	}
	if hasDB {
		return out, env
	}
	envOut := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "RMF_DB="); ok {
			kv = "RMF_DB=" + r.url(dir, v)
			hasDB = true
		}
		envOut = append(envOut, kv)
	}
	switch {
	case cmd == "demo":
		// The demo writes DIR/demo.db unless --db names another.
		out = append([]string{"--db", r.url(dir, filepath.Join(demoDir, "demo.db"))}, out...)
	case !hasDB:
		envOut = append(envOut, "RMF_DB="+r.url(dir, "rmf.db"))
	}
	return out, envOut
}

// openTestDB opens database name (a path, or a name in folder dir) as the test's commands see
// it: the SQLite file, or in the PostgreSQL run its project. It is closed
// when t ends.
func openTestDB(t *testing.T, dir, name string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	var db *sqlstore.DB
	var err error
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(dir, name)
	}
	if r := onPostgres(t); r != nil {
		db, err = postgres.OpenAt(ctx, r.url(dir, path), time.Now)
	} else {
		db, err = sqlite.Open(ctx, path)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// copyToProject copies the SQLite database at path into a fresh project of
// the PostgreSQL run r (rmf db copy's code) and returns the project's URL.
func copyToProject(t *testing.T, r *pgRun, path string) string {
	t.Helper()
	ctx := context.Background()
	u := r.url(filepath.Dir(path), path+".pg")
	src, err := openCopySource(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := openCopyDest(ctx, u, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dbcopy.Copy(ctx, src.side, dst.side, dbcopy.Options{}); err != nil {
		dst.Discard(ctx)
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return u
}

// The demo builds the example into a PostgreSQL project as it does into a
// file: the same logframe tree and check, the same report files, and the
// same Markdown report read back from the project as from the demo's file.
func TestDemoOnPostgres(t *testing.T) {
	t.Parallel()
	pg := pgtest.URL(t)
	dir := t.TempDir()
	out := mustRMF(t, dir, "--db", pg, "demo", "-o", "pgdemo")
	fileOut := mustRMF(t, dir, "demo", "-o", "filedemo")
	tree := func(out string) string {
		start, end := strings.Index(out, "\nMIG-MN  "), strings.Index(out, "\ncheck: ")
		if start < 0 || end < start {
			t.Fatalf("no tree in the demo output:\n%s", out)
		}
		return out[start:end]
	}
	if !strings.Contains(out, "\ncheck: 0 errors") || tree(out) != tree(fileOut) {
		t.Errorf("demo on PostgreSQL: tree or check differ from the file's:\n%s", out)
	}
	for _, f := range []string{"report.md", "report.json", "report.html", "report.xlsx", "iati-activity.xml"} {
		if fi, err := os.Stat(filepath.Join(dir, "pgdemo", f)); err != nil || fi.Size() == 0 {
			t.Errorf("demo on PostgreSQL did not write %s: %v", f, err)
		}
	}
	if exists(filepath.Join(dir, "pgdemo", "demo.db")) {
		t.Error("demo on PostgreSQL wrote a demo.db file too")
	}
	env := []string{"RMF_NOW=2022-08-01T09:00:00Z"}
	args := []string{"report", "--period", "2022Q2", "--format", "md"}
	fromPG, errs, code := rmfEnv(t, dir, env, append([]string{"--db", pg}, args...)...)
	fromFile, errs2, code2 := rmfEnv(t, dir, env, append([]string{"--db", filepath.Join("filedemo", "demo.db")}, args...)...)
	if code != 0 || code2 != 0 || fromPG != fromFile {
		t.Errorf("report 2022Q2 from the PostgreSQL demo differs from the file's (exit %d %s, %d %s):\n%s", code, errs, code2, errs2, lineDiff(fromFile, fromPG))
	}
}
