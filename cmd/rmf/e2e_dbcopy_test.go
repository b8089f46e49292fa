package main

// rmf db copy and rmf projects, end to end: the example project moved from
// SQLite to PostgreSQL and back, every table equal row for row and every
// report the same from all three databases; and what the copy refuses.

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/internal/dbcopy"
	"github.com/rmf-project/rmf/internal/pgtest"
)

// tablesOf reads every table of the database at path (a file or a URL):
// its checksums, and its rows as sorted canonical text.
func tablesOf(t *testing.T, path string) ([]dbcopy.Table, map[string][]string) {
	t.Helper()
	ctx := context.Background()
	c, err := openCopySource(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sums, err := dbcopy.Checksums(ctx, c.side)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, s := range sums {
		if rows[s.Name], err = dbcopy.Dump(ctx, c.side, s.Name); err != nil {
			t.Fatal(err)
		}
	}
	return sums, rows
}

// sameTables fails t unless a and b hold the same tables, row for row.
func sameTables(t *testing.T, aName string, aSums []dbcopy.Table, aRows map[string][]string, bName string, bSums []dbcopy.Table, bRows map[string][]string) {
	t.Helper()
	if !reflect.DeepEqual(aSums, bSums) {
		t.Errorf("checksums of %s and %s differ:\n%v\n%v", aName, bName, aSums, bRows)
	}
	for name, ra := range aRows {
		rb := bRows[name]
		if len(ra) != len(rb) {
			t.Errorf("table %s: %d rows in %s, %d in %s", name, len(ra), aName, len(rb), bName)
			continue
		}
		for i := range ra {
			if ra[i] != rb[i] {
				t.Errorf("table %s differs between %s and %s:\n%s\n%s", name, aName, bName, ra[i], rb[i])
				break
			}
		}
	}
}

// reportsOf writes the reports of period from the database at db in every
// format (RMF_NOW fixed) and returns them by format; the donor workbook as
// its cells, sheet by sheet (excelize's zip is not byte-stable from one
// run to the next: its content types come in map order).
func reportsOf(t *testing.T, dir, db, period string) map[string]string {
	t.Helper()
	out := map[string]string{}
	env := []string{"RMF_NOW=2022-08-01T09:00:00Z"}
	for _, f := range []string{"text", "md", "json", "html"} {
		stdout, errs, code := rmfEnv(t, dir, env, "--db", db, "report", "--period", period, "--format", f)
		if code != 0 {
			t.Fatalf("report --format %s from %s: exit %d: %s", f, dbName(db), code, errs)
		}
		out[f] = stdout
	}
	x := filepath.Join(dir, "r.xlsx")
	if _, errs, code := rmfEnv(t, dir, env, "--db", db, "report", "--period", period, "-o", x); code != 0 {
		t.Fatalf("report -o r.xlsx from %s: exit %d: %s", dbName(db), code, errs)
	}
	f, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s\n", sh)
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	out["xlsx"] = b.String()
	iati, errs, code := rmfEnv(t, dir, env, "--db", db, "export", "iati", "--period", period, "-o", "-")
	if code != 0 {
		t.Fatalf("export iati from %s: exit %d: %s", dbName(db), code, errs)
	}
	out["iati"] = iati
	return out
}

func TestDBCopyThereAndBack(t *testing.T) {
	t.Parallel()
	pg := pgtest.URL(t)
	dir := t.TempDir()
	mustRMF(t, dir, "demo", "-o", "demo")
	src := filepath.Join("demo", "demo.db")
	// A user of rmf serve and a session: the user travels, the session not.
	mustRMFIn(t, dir, "officer-pass-1\n", "--db", src, "user", "add", "olivia", "--role", "officer")
	addSession(t, filepath.Join(dir, src))

	out := mustRMF(t, dir, "db", "copy", "--from", src, "--to", pg)
	if !regexp.MustCompile(`^copied project MIG-MN from demo/demo\.db to postgres://\S+\?project=T-\w+: 27 tables, \d+ rows; every table verified \(rows and checksum\)\n`).MatchString(out) ||
		!strings.Contains(out, "not copied: sessions (logins to rmf serve: users log in again on the new database)\n") {
		t.Errorf("copy to PostgreSQL said:\n%s", out)
	}
	mustRMF(t, dir, "db", "copy", "--from", pg, "--to", "back.db")

	sumsA, rowsA := tablesOf(t, filepath.Join(dir, src))
	sumsB, rowsB := tablesOf(t, pg)
	sumsC, rowsC := tablesOf(t, filepath.Join(dir, "back.db"))
	if len(sumsA) != 27 {
		t.Errorf("%d tables copied, want 27", len(sumsA))
	}
	for _, s := range sumsA {
		if s.Name == "users" && s.Rows != 1 {
			t.Errorf("users: %d rows in the source, want 1", s.Rows)
		}
	}
	sameTables(t, "demo.db", sumsA, rowsA, "PostgreSQL", sumsB, rowsB)
	sameTables(t, "demo.db", sumsA, rowsA, "back.db", sumsC, rowsC)

	// Every report the same from the three databases.
	for _, period := range []string{"2021Q3", "2022Q2"} {
		a := reportsOf(t, dir, src, period)
		b := reportsOf(t, dir, pg, period)
		c := reportsOf(t, dir, "back.db", period)
		for f := range a {
			if a[f] != b[f] {
				t.Errorf("%s %s report differs between SQLite and PostgreSQL:\n%s", period, f, lineDiff(a[f], b[f]))
			}
			if a[f] != c[f] {
				t.Errorf("%s %s report differs between SQLite and the copy back:\n%s", period, f, lineDiff(a[f], c[f]))
			}
		}
	}
	// The log of a past moment too: as-of reports read the copied times.
	asOf := func(db string) string {
		return mustRMF(t, dir, "--db", db, "report", "--period", "2021Q3", "--as-of", "2021-10-25", "--format", "md")
	}
	if a, b := asOf(src), asOf(pg); a != b {
		t.Errorf("--as-of report differs between SQLite and PostgreSQL:\n%s", lineDiff(a, b))
	}
	// The copied project works on: its ids go on after the copied ones.
	mustRMF(t, dir, "--db", pg, "actions", "update", "1.1", "--comment", "Copied to the server.", "--date", "2022-08-02")
	if show := mustRMF(t, dir, "--db", pg, "actions", "show", "1.1"); !strings.Contains(show, "Copied to the server.") {
		t.Errorf("comment added after the copy not shown:\n%s", show)
	}
	// rmf projects lists it.
	if list := mustRMF(t, dir, "--db", pg, "projects"); !strings.Contains(list, urlProject(pg)) || !strings.Contains(list, "Internal migration in Mongolia") {
		t.Errorf("rmf projects does not list the copied project:\n%s", list)
	}
	if one := mustRMF(t, dir, "--db", "back.db", "projects"); one != "back.db is a SQLite file: it holds one project, MIG-MN (Internal migration in Mongolia - data, governance and services for internal migrants)\n" {
		t.Errorf("rmf projects on a SQLite file: %q", one)
	}
}

// mustRMFIn runs rmf with stdin and fails t unless it exits 0.
func mustRMFIn(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(rmfBin, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rmf %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// addSession stores a login session in the SQLite database at path.
func addSession(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO sessions (token_sha256, "user", csrf, expires_at) VALUES ('abc', 'olivia', 'x', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
}

func TestDBCopySQLiteToSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRMF(t, dir, "demo", "-o", "demo")
	src := filepath.Join(dir, "demo", "demo.db")
	out := mustRMF(t, dir, "db", "copy", "--from", src, "--to", "copy.db", "-v")
	if !strings.Contains(out, "  measurements ") || !strings.Contains(out, " rows  ") {
		t.Errorf("-v lists no tables:\n%s", out)
	}
	sa, ra := tablesOf(t, src)
	sb, rb := tablesOf(t, filepath.Join(dir, "copy.db"))
	sameTables(t, "demo.db", sa, ra, "copy.db", sb, rb)
	a := reportsOf(t, dir, src, "2022Q2")
	b := reportsOf(t, dir, "copy.db", "2022Q2")
	for f := range a {
		if a[f] != b[f] {
			t.Errorf("%s report differs after the copy:\n%s", f, lineDiff(a[f], b[f]))
		}
	}
}

func TestDBCopyBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustRMF(t, dir, "demo", "-o", "demo")
	src := filepath.Join("demo", "demo.db")
	mustRMF(t, dir, "--db", "full.db", "framework", "import", examplePath(t, "framework.yaml"))
	fullBefore, _ := tablesOf(t, filepath.Join(dir, "full.db"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no arguments", []string{"db"}, 2, "rmf db: expected a subcommand: copy"},
		{"unknown subcommand", []string{"db", "move"}, 2, `rmf db: unknown subcommand "move", expected: copy`},
		{"no --to", []string{"db", "copy", "--from", src}, 2, "rmf db copy: both --from and --to are needed"},
		{"same database", []string{"db", "copy", "--from", src, "--to", src}, 2, "rmf db copy: --from and --to name the same database demo/demo.db"},
		{"missing source", []string{"db", "copy", "--from", "nope.db", "--to", "x.db"}, 1,
			`rmf db copy: --from: database nope.db does not exist: create it with "rmf init" or "rmf framework import FILE", or name another with --db or $RMF_DB`},
		{"destination folder missing", []string{"db", "copy", "--from", src, "--to", "no/such/x.db"}, 1,
			"rmf db copy: --to: database no/such/x.db: folder no/such does not exist; create it first or name another file"},
		{"destination holds a project", []string{"db", "copy", "--from", src, "--to", "full.db"}, 1,
			"rmf db copy: full.db already holds the framework of project MIG-MN: copy into a new project (another project= in the URL) or a new file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := rmf(t, dir, tc.args...)
			if code != tc.code || !strings.HasPrefix(errs, tc.want+"\n") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and:\n%s", code, errs, tc.code, tc.want)
			}
		})
	}
	if exists(filepath.Join(dir, "x.db")) {
		t.Error("a refused copy left x.db behind")
	}
	mustRMF(t, dir, "--db", "empty.db", "init")
	if out := mustRMF(t, dir, "--db", "empty.db", "projects"); out != "empty.db is a SQLite file: it holds one project, and no framework yet (rmf framework import FILE)\n" {
		t.Errorf("rmf projects on an empty file: %q", out)
	}
	if after, _ := tablesOf(t, filepath.Join(dir, "full.db")); !reflect.DeepEqual(fullBefore, after) {
		t.Error("the refused copy changed full.db")
	}
}

// TestDBCopyFailedRemovesDestination: a copy that fails after creating its
// destination (here: a value PostgreSQL's integer column refuses) leaves no
// project behind, and a file destination likewise.
func TestDBCopyFailedRemovesDestination(t *testing.T) {
	t.Parallel()
	pg := pgtest.URL(t)
	dir := t.TempDir()
	mustRMF(t, dir, "demo", "-o", "demo")
	src := filepath.Join(dir, "demo", "demo.db")
	db, err := sql.Open("sqlite3", src)
	if err != nil {
		t.Fatal(err)
	}
	// SQLite keeps text in an INTEGER column; PostgreSQL's bigint refuses it.
	if _, err := db.Exec(`UPDATE project SET year_start = 'July'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, errs, code := rmf(t, dir, "db", "copy", "--from", src, "--to", pg)
	if code != 1 || !strings.Contains(errs, "copy table project from ") || !strings.Contains(errs, "column year_start: cannot store the text \"July\" in an integer column") {
		t.Errorf("exit %d, stderr:\n%s", code, errs)
	}
	if list := mustRMF(t, dir, "--db", pg, "projects"); strings.Contains(list, urlProject(pg)) {
		t.Errorf("the failed copy left project %s behind:\n%s", urlProject(pg), list)
	}
	if _, errs, code := rmf(t, dir, "--db", pg, "check"); code != 1 || !strings.Contains(errs, "does not exist: create it with rmf init --db") {
		t.Errorf("the failed copy's project: exit %d, %s", code, errs)
	}
}
