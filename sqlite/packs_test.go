package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// packCount is the number of figure packs in db.
func packCount(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	err := db.ReadTx(context.Background(), func(tx *sqlstore.Tx) error {
		return tx.QueryRowContext(context.Background(), `SELECT count(*) FROM figure_packs`).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// rawExec runs query on db's writers' pool as another program would: not
// through rmf's transactions (nothing packs the figures at commit).
func rawExec(t *testing.T, db *DB, query string, args ...any) {
	t.Helper()
	if _, err := db.SQL().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// values are the current values of indicator code, as "period dims=value".
func values(t *testing.T, db *DB, code string) string {
	t.Helper()
	figs, err := db.Measurements(context.Background(), sqlstore.MeasurementFilter{Indicator: code})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range figs {
		v := "none"
		if m.Value != nil {
			v = strconv.FormatFloat(*m.Value, 'g', -1, 64)
		}
		out = append(out, m.Period.String()+" "+m.Dims.Key()+"="+v+" row "+strconv.Itoa(m.Loc.Row))
	}
	return strings.Join(out, ", ")
}

// TestPacksFollowTheFigures: the figure packs hold what the figures' rows
// hold whoever writes the figures: an import packs what it stored; a
// figure changed by another program (not through rmf) drops its
// indicator's pack, so reads see the change, and rmf's next write packs it
// again; a pack that does not unpack is read around; reopening packs what
// has no pack.
func TestPacksFollowTheFigures(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(t, db, "q1.xlsx", false,
		fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "1.1a", "2021Q1", 2, 3, "sex=female"), fig(t, "n", "2021Q1", 120, 4)); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		if err := db.CheckPacks(ctx); err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
	if n := packCount(t, db); n != 2 {
		t.Errorf("after the first import: %d packs, want 2 (1.1a and n)", n)
	}
	check("after the first import")
	// a correction through rmf: packed again
	if _, err := runImport(t, db, "q1-fixed.xlsx", false, fig(t, "1.1a", "2021Q1", 6, 7)); err != nil {
		t.Fatal(err)
	}
	check("after a correction")
	if got, want := values(t, db, "1.1a"), "2021Q1 =6 row 7, 2021Q1 sex=female=2 row 3"; got != want {
		t.Errorf("after a correction: %s, want %s", got, want)
	}

	// Another program changes a figure: the pack goes, reads see the change.
	rawExec(t, db, `UPDATE measurements SET value = 99 WHERE indicator = '1.1a' AND dims = '' AND current = 1`)
	if n := packCount(t, db); n != 1 {
		t.Errorf("after an UPDATE of 1.1a: %d packs, want 1", n)
	}
	if got, want := values(t, db, "1.1a"), "2021Q1 =99 row 7, 2021Q1 sex=female=2 row 3"; got != want {
		t.Errorf("after an UPDATE: %s, want %s", got, want)
	}
	// and an INSERT, and a DELETE
	rawExec(t, db, `INSERT INTO measurements (indicator, period, period_kind, period_start, period_end, value, batch_id, revision, dims)
		SELECT 'n', '2021Q2', period_kind, '2021-04-01', '2021-06-30', 130, batch_id, 1, '' FROM measurements WHERE indicator = 'n'`)
	if n := packCount(t, db); n != 0 {
		t.Errorf("after an INSERT for n: %d packs, want 0", n)
	}
	if got, want := values(t, db, "n"), "2021Q1 =120 row 4, 2021Q2 =130 row 0"; got != want {
		t.Errorf("after an INSERT: %s, want %s", got, want)
	}
	// rmf's next write (any) packs them again
	if err := db.Tx(ctx, func(*sqlstore.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := packCount(t, db); n != 2 {
		t.Errorf("after a write through rmf: %d packs, want 2", n)
	}
	check("after a write through rmf")
	rawExec(t, db, `DELETE FROM measurements WHERE indicator = 'n' AND period = '2021Q2'`)
	if n := packCount(t, db); n != 1 {
		t.Errorf("after a DELETE of n's figure: %d packs, want 1", n)
	}
	if got, want := values(t, db, "n"), "2021Q1 =120 row 4"; got != want {
		t.Errorf("after a DELETE: %s, want %s", got, want)
	}

	// A pack that does not unpack is read around (and CheckPacks says so);
	// a pack of other figures is what CheckPacks is for.
	if err := db.Tx(ctx, func(*sqlstore.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	before := values(t, db, "1.1a")
	rawExec(t, db, `UPDATE figure_packs SET data = substr(data, 1, 5) WHERE indicator = '1.1a'`)
	if got := values(t, db, "1.1a"); got != before {
		t.Errorf("with a damaged pack: %s, want %s", got, before)
	}
	if err := db.CheckPacks(ctx); err == nil || !strings.Contains(err.Error(), "1.1a") {
		t.Errorf("CheckPacks with a damaged pack: %v, want an error naming 1.1a", err)
	}
	rawExec(t, db, `UPDATE figure_packs SET data = (SELECT data FROM figure_packs WHERE indicator = 'n') WHERE indicator = '1.1a'`)
	if err := db.CheckPacks(ctx); err == nil || !strings.Contains(err.Error(), "figure pack of 1.1a") {
		t.Errorf("CheckPacks with the pack of n as 1.1a's: %v, want an error naming 1.1a", err)
	}

	// Reopening a database without packs packs its figures.
	rawExec(t, db, `DELETE FROM figure_packs`)
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	if n := packCount(t, db); n != 2 {
		t.Errorf("after reopening: %d packs, want 2", n)
	}
	check("after reopening")
	if got := values(t, db, "1.1a"); got != before {
		t.Errorf("after reopening: %s, want %s", got, before)
	}
}

// TestPacksOfAnotherVersionMadeAgain: a pack of another version (another
// rmf's) is read around, and made again when the database is opened.
func TestPacksOfAnotherVersionMadeAgain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "n", "2021Q1", 120, 4)); err != nil {
		t.Fatal(err)
	}
	before := values(t, db, "1.1a")
	rawExec(t, db, `UPDATE figure_packs SET data = x'63' || substr(data, 2) WHERE indicator = '1.1a'`)
	if got := values(t, db, "1.1a"); got != before {
		t.Errorf("with a pack of another version: %s, want %s", got, before)
	}
	db.Close()
	if db, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var first []byte
	err = db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT substr(data, 1, 1) FROM figure_packs WHERE indicator = '1.1a'`).Scan(&first)
	})
	if err != nil || len(first) != 1 || first[0] == 0x63 {
		t.Errorf("after reopening: the pack of 1.1a begins %x (%v), want it made again", first, err)
	}
	if err := db.CheckPacks(ctx); err != nil {
		t.Error(err)
	}
}

// readOnly is SQLite's dialect on a database that cannot be written.
type readOnly struct{ dialect }

func (readOnly) BeginWrite(context.Context, *sql.Conn, func()) (*sql.Tx, error) {
	return nil, errors.New("attempt to write a readonly database")
}

// TestReadOnlyDatabaseWithoutPacksOpens: a database that lacks packs and
// cannot be written still opens (UsePacks does not fail), and its figures
// are read row by row.
func TestReadOnlyDatabaseWithoutPacksOpens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	rawExec(t, db, `DELETE FROM figure_packs`)
	db.Close()
	rw, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	ro, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	db = sqlstore.New(path, readOnly{}, rw, ro, nil)
	defer db.Close()
	if err := db.UsePacks(ctx); err != nil {
		t.Fatalf("UsePacks on a database that cannot be written: %v", err)
	}
	if n := packCount(t, db); n != 0 {
		t.Errorf("%d packs made in a database that cannot be written", n)
	}
	if got, want := values(t, db, "1.1a"), "2021Q1 =5 row 2"; got != want {
		t.Errorf("read row by row: %s, want %s", got, want)
	}
}

// TestPacksFollowReplace: another program's UPDATE OR REPLACE giving a
// figure the id of another indicator's figure deletes that figure without
// a delete trigger: its indicator's pack goes all the same. (INSERT OR
// REPLACE with an explicit id is not caught: see migration 018.)
func TestPacksFollowReplace(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct{ name, q string }{
		{"UPDATE OR REPLACE", `UPDATE OR REPLACE measurements SET id = (SELECT id FROM measurements WHERE indicator = 'n') WHERE indicator = '1.1a'`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, filepath.Join(t.TempDir(), "rmf.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
				t.Fatal(err)
			}
			if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2), fig(t, "n", "2021Q1", 120, 4)); err != nil {
				t.Fatal(err)
			}
			rawExec(t, db, tt.q)
			if got := values(t, db, "n"); got != "" {
				t.Errorf("n reads %q after its only figure was replaced, want nothing", got)
			}
			if err := db.Tx(ctx, func(*sqlstore.Tx) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckPacks(ctx); err != nil {
				t.Errorf("after %s: %v", tt.name, err)
			}
		})
	}
}

// TestOpenDoesNotWaitForAWriter: opening a database whose packs are
// missing while another writer holds the write lock does not wait for it
// (the packs are made by a later write).
func TestOpenDoesNotWaitForAWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	if _, err := runImport(t, db, "q1.xlsx", false, fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	rawExec(t, db, `DELETE FROM figure_packs`)
	// another writer, holding the lock until the test ends
	im, err := db.BeginImport(ctx, indicators.Batch{File: "long.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	opened := make(chan error, 1)
	go func() {
		db2, err := Open(ctx, path)
		if err == nil {
			if got, want := values(t, db2, "1.1a"), "2021Q1 =5 row 2"; got != want {
				t.Errorf("read row by row: %s, want %s", got, want)
			}
			db2.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("open beside a writer: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("opening the database waited for the writer")
	}
}
