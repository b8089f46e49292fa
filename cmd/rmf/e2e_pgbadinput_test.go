package main

// Bad PostgreSQL URLs, end to end: each is one line naming what to fix,
// exit status 1, and nothing is written.

import (
	"database/sql"
	"errors"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rmf-project/rmf/internal/pgtest"
)

// passwordRole is the role the wrong-password case logs in as: .ci/run's
// pg_hba.conf makes it give its password (scram-sha-256) while the test
// user is trusted.
const passwordRole = "rmf_pw"

// ensurePasswordRole creates passwordRole with a password known to the test.
func ensurePasswordRole(t *testing.T, server string) {
	t.Helper()
	db, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`CREATE ROLE ` + passwordRole + ` LOGIN PASSWORD 'right-password'`)
	var pe *pgconn.PgError
	if err != nil && !(errors.As(err, &pe) && pe.Code == "42710") { // duplicate_object: it exists
		t.Fatal(err)
	}
	if _, err := db.Exec(`GRANT CREATE, CONNECT ON DATABASE ` + pgx.Identifier{databaseOf(t, server)}.Sanitize() + ` TO ` + passwordRole); err != nil {
		t.Fatal(err)
	}
}

func databaseOf(t *testing.T, server string) string {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func TestPostgresBadInput(t *testing.T) {
	t.Parallel()
	server := pgtest.Server(t)
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ghost := pgtest.Project(t)
	closed := *u
	closed.Host = "127.0.0.1:1" // nothing listens on port 1
	wrongPw := *u
	wrongPw.User = url.UserPassword(passwordRole, "wrong-password")
	ensurePasswordRole(t, server)

	tests := []struct {
		name string
		db   string
		args []string
		want []string // in the one line of stderr
	}{
		{"unreachable server", withProject(closed.String(), "X"), []string{"report", "--period", "2021Q3"},
			[]string{"rmf report: postgres://", "127.0.0.1:1", "cannot reach the PostgreSQL server", "check the host and port"}},
		{"wrong password", withProject(wrongPw.String(), ghost), []string{"init"},
			[]string{"rmf init: ", "password authentication failed", "check the user and password", "xxxxx"}},
		{"missing project=", server, []string{"report", "--period", "2021Q3"},
			[]string{"rmf report: ", "project="}},
		{"project that does not exist", withProject(server, ghost), []string{"import", examplePath(t, "data/2021q1_emergency_response.csv")},
			[]string{"rmf import: ", "project " + ghost, "does not exist: create it with rmf init --db '"}},
		{"invalid project code", withProject(server, "no such/project"), []string{"init"},
			[]string{"rmf init: ", "project"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := rmf(t, dir, append([]string{"--db", tc.db}, tc.args...)...)
			if code != 1 || out != "" {
				t.Errorf("exit %d, stdout %q; want exit 1 and nothing on stdout", code, out)
			}
			if n := strings.Count(errs, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", n, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					if tc.name == "wrong password" && os.Getenv(pgtest.RequireEnv) != "1" {
						t.Skipf("the server did not ask %s for a password (pg_hba.conf trusts it; .ci/run's cluster does not): %s", passwordRole, errs)
					}
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if strings.Contains(errs, "wrong-password") {
				t.Errorf("the password is shown: %s", errs)
			}
		})
	}
	// Nothing was written: the project that did not exist still does not.
	if list := mustRMF(t, dir, "--db", server, "projects"); strings.Contains(list, ghost) {
		t.Errorf("a failed command created project %s:\n%s", ghost, list)
	}
}

// TestPostgresInitAndProjects: rmf init creates a project (and says so
// once), rmf projects lists the projects of the database side by side.
func TestPostgresInitAndProjects(t *testing.T) {
	t.Parallel()
	server := pgtest.Server(t)
	a, b := pgtest.Project(t), pgtest.Project(t)
	ua, ub := pgtest.WithProject(t, server, a), pgtest.WithProject(t, server, b)
	dir := t.TempDir()
	if out := mustRMF(t, dir, "--db", ua, "init"); out != "created project "+a+" in "+ua+"\n" {
		t.Errorf("first init: %q", out)
	}
	if out := mustRMF(t, dir, "--db", ua, "init"); out != "project "+a+" already exists in "+ua+" (empty); schema up to date\n" {
		t.Errorf("second init: %q", out)
	}
	mustRMF(t, dir, "--db", ua, "framework", "import", examplePath(t, "framework.yaml"))
	if out := mustRMF(t, dir, "--db", ua, "init"); !strings.Contains(out, "(holds a framework)") {
		t.Errorf("init on a project with a framework: %q", out)
	}
	// $RMF_DB names a project as --db does; the framework import creates it.
	if _, errs, code := rmfEnv(t, dir, []string{"RMF_DB=" + ub}, "framework", "import", examplePath(t, "framework-2019.yaml")); code != 0 {
		t.Fatalf("framework import into a new project through $RMF_DB: exit %d: %s", code, errs)
	}
	mustRMF(t, dir, "--db", ub, "import", examplePath(t, "data/2021q1_emergency_response.csv"))
	list := mustRMF(t, dir, "--db", server, "projects")
	rows := map[string]string{}
	for _, l := range strings.Split(list, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = l
		}
	}
	if !strings.HasPrefix(list, "PROJECT ") {
		t.Errorf("rmf projects has no header:\n%s", list)
	}
	for code, want := range map[string]string{a: `\s0\s+Internal migration in Mongolia`, b: `\s[1-9]\d*\s+Internal migration in Mongolia`} {
		if !regexp.MustCompile(want).MatchString(rows[code]) {
			t.Errorf("rmf projects, project %s: %q, want it to match %s\n%s", code, rows[code], want, list)
		}
	}
	// Each project sees only its own figures.
	if out := mustRMF(t, dir, "--db", ua, "imports"); !strings.HasPrefix(out, "no files imported yet") {
		t.Errorf("project %s sees another project's imports:\n%s", a, out)
	}
}

// A password given as a password= parameter (libpq reads it there too) is
// never printed: not when a project is created, listed or missing.
func TestPostgresPasswordParamHidden(t *testing.T) {
	server := pgtest.Server(t)
	code := pgtest.Project(t)
	dir := t.TempDir()
	withPw := withQueryParam(pgtest.WithProject(t, server, code), "password", "s3cret-pw")
	ghost := withQueryParam(pgtest.WithProject(t, server, pgtest.Project(t)), "password", "s3cret-pw")
	out := mustRMF(t, dir, "--db", withPw, "init")
	_, errs, _ := rmf(t, dir, "--db", ghost, "report", "--period", "2021Q3")
	list := mustRMF(t, dir, "--db", withQueryParam(server, "password", "s3cret-pw"), "projects")
	for _, s := range []string{out, errs, list} {
		if strings.Contains(s, "s3cret") {
			t.Errorf("the password is shown:\n%s", s)
		}
	}
	if !strings.Contains(out, "password=xxxxx") || !strings.Contains(errs, "does not exist") {
		t.Errorf("init: %q; report on a missing project: %q", out, errs)
	}
}

func withQueryParam(raw, k, v string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}
