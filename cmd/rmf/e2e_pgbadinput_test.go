package main

// Bad PostgreSQL URLs, end to end: each is one line naming what to fix,
// exit status 1, and nothing is written.

import (
	"database/sql"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

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
	if _, err := db.Exec(`GRANT CREATE, CONNECT ON DATABASE ` + quoteIdent(databaseOf(t, server)) + ` TO ` + passwordRole); err != nil {
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
