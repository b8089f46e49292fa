// Package pgtest gives tests a PostgreSQL project of their own.
//
// The server comes from $RMF_TEST_POSTGRES, a postgres:// URL of a
// database the tests may create projects in (.ci/run starts a throwaway
// cluster and sets it). Without it the tests that need PostgreSQL skip,
// saying how to run them, unless $RMF_REQUIRE_POSTGRES=1 (CI), when they
// fail instead: CI never skips the second engine.
//
// The package does not import package postgres (whose tests use it): it
// drops the projects it handed out with plain SQL, reading their schema
// from postgres's registry (rmf.rmf_projects).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env names the variable holding the server's URL.
const Env = "RMF_TEST_POSTGRES"

// RequireEnv names the variable that, set to 1, makes a missing server
// a failure rather than a skip.
const RequireEnv = "RMF_REQUIRE_POSTGRES"

// Server returns $RMF_TEST_POSTGRES (without any project= parameter), or
// skips t (fails it when $RMF_REQUIRE_POSTGRES=1) when it is unset.
func Server(t testing.TB) string {
	t.Helper()
	s := strings.TrimSpace(os.Getenv(Env))
	if s == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("PostgreSQL required (%s=1) but %s is not set: set it to postgres://user@host:port/dbname", RequireEnv, Env)
		}
		t.Skip("PostgreSQL not reachable: set " + Env + "=postgres://... to run the second engine")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s=%q: expected a postgres://user@host:port/dbname URL", Env, s)
	}
	q := u.Query()
	q.Del("project")
	u.RawQuery = q.Encode()
	return u.String()
}

// Project returns a fresh project code, unique to this run.
func Project(t testing.TB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "T-" + strings.ToUpper(hex.EncodeToString(b[:]))
}

// URL returns the URL of a fresh project on the test server (the project
// is not created: open it with postgres.CreateAt). The project, if it was
// created, is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	return WithProject(t, Server(t), Project(t))
}

// WithProject returns server's URL with project=code, and drops that
// project when t ends.
func WithProject(t testing.TB, server, code string) string {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("project", code)
	u.RawQuery = q.Encode()
	t.Cleanup(func() { Drop(t, server, code) })
	return u.String()
}

// Drop removes project code (its schema and its registry entry) from
// server, if it exists.
func Drop(t testing.TB, server, code string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Errorf("drop project %s: %v", code, err)
		return
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('rmf.rmf_projects') IS NOT NULL`).Scan(&exists); err != nil {
		t.Errorf("drop project %s: %v", code, err)
		return
	}
	if !exists {
		return
	}
	var schema string
	err = conn.QueryRow(ctx, `SELECT schema FROM rmf.rmf_projects WHERE code = $1`, code).Scan(&schema)
	if err == pgx.ErrNoRows {
		return
	}
	if err != nil {
		t.Errorf("drop project %s: %v", code, err)
		return
	}
	if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
		t.Errorf("drop project %s: %v", code, err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM rmf.rmf_projects WHERE code = $1`, code); err != nil {
		t.Errorf("drop project %s: %v", code, err)
	}
}
