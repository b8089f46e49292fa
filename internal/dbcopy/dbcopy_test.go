package dbcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// schemaSQL is a small database shaped like rmf's: a singleton project, a
// table referencing itself (results.parent, deferred), a child table, an
// append-only log, the skipped migrations and sessions.
const schemaSQL = `
CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE project (id INTEGER PRIMARY KEY CHECK (id = 1), code TEXT NOT NULL);
CREATE TABLE results (
	code   TEXT PRIMARY KEY,
	parent TEXT REFERENCES results (code) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE measurements (
	id        INTEGER PRIMARY KEY,
	result    TEXT NOT NULL REFERENCES results (code),
	value     REAL,
	note      TEXT NOT NULL DEFAULT '',
	"user"    TEXT
);
CREATE TABLE action_log (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TRIGGER action_log_no_update BEFORE UPDATE ON action_log
BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TABLE sessions (token TEXT PRIMARY KEY);
`

func openSQLite(t *testing.T, name, schema string) (DB, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	return DB{Name: name, Engine: SQLite, Read: TxOf(db, nil), Write: TxOf(db, nil)}, db
}

func fill(t *testing.T, db *sql.DB, figures int) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := tx.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`PRAGMA defer_foreign_keys = ON`)
	exec(`INSERT INTO migrations VALUES ('001_x.sql', '2020-01-01T00:00:00Z')`)
	exec(`INSERT INTO project VALUES (1, 'MIG-MN')`)
	// The child before its parent: only a deferred key allows it.
	exec(`INSERT INTO results (code, parent) VALUES ('1.1', 'O1'), ('O1', 'G'), ('G', NULL)`)
	for i := 1; i <= figures; i++ {
		var v any = float64(i) / 3
		switch i % 4 {
		case 0:
			v = nil
		case 1:
			v = float64(i) // integral: read back as a float on both sides
		}
		exec(`INSERT INTO measurements (id, result, value, note, "user") VALUES (?, ?, ?, ?, ?)`,
			i*2, []string{"G", "O1", "1.1"}[i%3], v, fmt.Sprintf("it's \"row\" %d, ünïcode", i), nil)
	}
	exec(`INSERT INTO action_log VALUES (7, 'first'), (9, 'second')`)
	exec(`INSERT INTO sessions VALUES ('secret')`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + quote(table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCopySQLiteToSQLite(t *testing.T) {
	ctx := context.Background()
	src, srcDB := openSQLite(t, "src.db", schemaSQL)
	fill(t, srcDB, 2503) // more than two batches of measurements
	dst, dstDB := openSQLite(t, "dst.db", schemaSQL)
	var progress []string
	rep, err := Copy(ctx, src, dst, Options{Progress: func(table string, n int64) {
		progress = append(progress, fmt.Sprintf("%s %d", table, n))
	}})
	if err != nil {
		t.Fatal(err)
	}
	wantProgress := []string{"action_log 2", "measurements 2503", "project 1", "results 3"}
	if !reflect.DeepEqual(progress, wantProgress) {
		t.Errorf("progress %v, want %v", progress, wantProgress)
	}
	if !reflect.DeepEqual(rep.Skipped, []string{"migrations", "sessions"}) {
		t.Errorf("skipped %v", rep.Skipped)
	}
	if rep.Rows() != 2509 {
		t.Errorf("rows %d, want 2509", rep.Rows())
	}
	for _, table := range []string{"project", "results", "measurements", "action_log"} {
		a, err := Dump(ctx, src, table)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Dump(ctx, dst, table)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("table %s differs after the copy:\nsource %d rows, destination %d", table, len(a), len(b))
		}
	}
	// The checksums of the report are those of each side read afresh.
	sa, err := Checksums(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Checksums(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sa, sb) || !reflect.DeepEqual(sa, rep.Tables) {
		t.Errorf("checksums differ:\nsource      %v\ndestination %v\nreport      %v", sa, sb, rep.Tables)
	}
	if n := count(t, dstDB, "sessions"); n != 0 {
		t.Errorf("%d sessions copied, want none", n)
	}
	if n := count(t, dstDB, "migrations"); n != 0 {
		t.Errorf("the source's migrations were copied (%d rows)", n)
	}
	// Ids kept: the next insert gets a fresh one.
	var id int64
	if err := dstDB.QueryRow(`INSERT INTO action_log (text) VALUES ('third') RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id != 10 {
		t.Errorf("next action_log id %d, want 10", id)
	}
}

func TestChecksumSeesEveryChange(t *testing.T) {
	ctx := context.Background()
	src, srcDB := openSQLite(t, "src.db", schemaSQL)
	fill(t, srcDB, 10)
	base, err := Checksums(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, change := range []string{
		`UPDATE measurements SET value = value + 1e-9 WHERE id = 4`,
		`UPDATE measurements SET note = note || ' ' WHERE id = 4`,
		`UPDATE measurements SET value = 0 WHERE value IS NULL AND id = 8`,
		`UPDATE measurements SET id = 1000 WHERE id = 2`,
		`DELETE FROM measurements WHERE id = 6`,
	} {
		tx, err := srcDB.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(change); err != nil {
			t.Fatalf("%s: %v", change, err)
		}
		got, err := Checksums(ctx, DB{Name: "src", Engine: SQLite, Read: func(ctx context.Context, fn func(*sql.Tx) error) error { return fn(tx) }})
		tx.Rollback()
		if err != nil {
			t.Fatal(err)
		}
		if reflect.DeepEqual(got, base) {
			t.Errorf("%s: checksums unchanged", change)
		}
	}
}

func TestCopyRefusesNonEmptyDestination(t *testing.T) {
	ctx := context.Background()
	src, srcDB := openSQLite(t, "src.db", schemaSQL)
	fill(t, srcDB, 5)
	dst, dstDB := openSQLite(t, "dst.db", schemaSQL)
	fill(t, dstDB, 3)
	before, err := Checksums(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Copy(ctx, src, dst, Options{})
	var ne *NotEmptyError
	if !errors.As(err, &ne) {
		t.Fatalf("copy into a full database: %v, want a NotEmptyError", err)
	}
	want := "dst.db already holds the framework of project MIG-MN and 3 figures: copy into a new project (another project= in the URL) or a new file"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	after, err := Checksums(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("the refused copy changed the destination")
	}

	// A destination with only an action log entry is named by its tables.
	dst2, dst2DB := openSQLite(t, "dst2.db", schemaSQL)
	if _, err := dst2DB.Exec(`INSERT INTO action_log VALUES (1, 'x')`); err != nil {
		t.Fatal(err)
	}
	_, err = Copy(ctx, src, dst2, Options{})
	if err == nil || !strings.Contains(err.Error(), "dst2.db already holds rows in action_log (1 rows)") {
		t.Errorf("copy into a database with a log entry: %v", err)
	}
}

func TestCopySchemaMismatch(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		srcExtra  string
		dstExtra  string
		wantError []string
	}{
		{"table only in the source", `CREATE TABLE budget (id INTEGER PRIMARY KEY);`, ``,
			[]string{"table budget is in src.db but not in dst.db"}},
		{"table only in the destination", ``, `CREATE TABLE budget (id INTEGER PRIMARY KEY);`,
			[]string{"table budget is in dst.db but not in src.db"}},
		{"column only in the source", `ALTER TABLE measurements ADD COLUMN unit TEXT;`, ``,
			[]string{"column measurements.unit is in src.db but not in dst.db"}},
		{"columns on both sides", `ALTER TABLE results ADD COLUMN a TEXT;`, `ALTER TABLE results ADD COLUMN b TEXT;`,
			[]string{"column results.a is in src.db but not in dst.db", "column results.b is in dst.db but not in src.db"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, srcDB := openSQLite(t, "src.db", schemaSQL+tc.srcExtra)
			fill(t, srcDB, 3)
			dst, dstDB := openSQLite(t, "dst.db", schemaSQL+tc.dstExtra)
			_, err := Copy(ctx, src, dst, Options{})
			if err == nil {
				t.Fatal("copy succeeded")
			}
			var se *SchemaError
			if !errors.As(err, &se) {
				t.Errorf("error %v is not a SchemaError", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.wantError) {
				t.Errorf("error has %d lines, want %d:\n%v", len(lines), len(tc.wantError), err)
			}
			for i, w := range tc.wantError {
				if i < len(lines) && !strings.HasPrefix(lines[i], w) {
					t.Errorf("line %d: %q, want it to start with %q", i+1, lines[i], w)
				}
			}
			if n := count(t, dstDB, "measurements"); n != 0 {
				t.Errorf("%d rows written despite the error", n)
			}
		})
	}
}

func TestCopyVerifies(t *testing.T) {
	ctx := context.Background()
	src, srcDB := openSQLite(t, "src.db", schemaSQL)
	fill(t, srcDB, 20)
	dst, dstDB := openSQLite(t, "dst.db", schemaSQL)
	_, err := Copy(ctx, src, dst, Options{corrupt: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE measurements SET note = 'changed' WHERE id = 10`)
		return err
	}})
	if err == nil || !strings.HasPrefix(err.Error(), "verify table measurements: src.db has 20 rows (checksum ") ||
		!strings.HasSuffix(err.Error(), "after the copy; nothing was written") {
		t.Fatalf("copy with a row changed behind its back: %v", err)
	}
	for _, table := range []string{"project", "results", "measurements", "action_log"} {
		if n := count(t, dstDB, table); n != 0 {
			t.Errorf("%s: %d rows kept after a failed verification", table, n)
		}
	}
}

func TestCopyCancelled(t *testing.T) {
	src, srcDB := openSQLite(t, "src.db", schemaSQL)
	fill(t, srcDB, 50)
	dst, dstDB := openSQLite(t, "dst.db", schemaSQL)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Copy(ctx, src, dst, Options{Progress: func(table string, _ int64) {
		if table == "measurements" {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled copy: %v", err)
	}
	if n := count(t, dstDB, "measurements"); n != 0 {
		t.Errorf("%d rows kept after the copy was cancelled", n)
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		in   any
		k    kind
		want any
		err  string
	}{
		{int64(3), kindFloat, float64(3), ""},
		{float64(3), kindInt, int64(3), ""},
		{float64(3.5), kindInt, nil, "3.5 is not a whole number"},
		{int64(1), kindBool, true, ""},
		{true, kindInt, int64(1), ""},
		{int32(7), kindInt, int64(7), ""},
		{[]byte("abc"), kindText, "abc", ""},
		{nil, kindInt, nil, ""},
		{"x", kindInt, nil, `cannot store the text "x" in an integer column`},
		{"a private text longer than twenty", kindInt, nil, `cannot store the text "a private text longe…" in an integer column`},
		{int64(2), kindBool, nil, "cannot store the number 2 in a boolean column"},
	}
	for _, tc := range tests {
		got, err := convert(tc.in, tc.k)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("convert(%v, %v): %v, want error %q", tc.in, tc.k, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("convert(%v, %v) = %#v, %v; want %#v", tc.in, tc.k, got, err, tc.want)
		}
	}
	// The canonical text does not depend on the engine's types.
	for _, pair := range [][2]any{{int64(3), float64(3)}, {int32(3), int64(3)}, {true, int64(1)}, {[]byte("a"), "a"}} {
		if canonical(pair[0]) != canonical(pair[1]) {
			t.Errorf("canonical(%#v) %q != canonical(%#v) %q", pair[0], canonical(pair[0]), pair[1], canonical(pair[1]))
		}
	}
	if canonical(int64(3)) == canonical("3") || canonical(nil) == canonical("NULL") || canonical(0.1) == canonical(0.1000000000000001) {
		t.Error("canonical confuses values that differ")
	}
}
