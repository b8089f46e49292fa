package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// clock is a fixed, steppable clock for DB.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

// openTest opens a new database in a temporary directory, closed at the
// end of the test.
func openTest(t testing.TB) (*DB, *clock) {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "rmf.db"))
}

func openAt(t testing.TB, path string) (*DB, *clock) {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	c := newClock()
	db.Now = c.now
	t.Cleanup(func() { db.Close() })
	return db, c
}

func recordedMigrations(t *testing.T, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.ReadTx(context.Background(), func(tx *sqlstore.Tx) error {
		return sqlstore.Each(context.Background(), tx, `SELECT name, applied_at FROM migrations`, func(r *sql.Rows) error {
			var n, at string
			if err := r.Scan(&n, &at); err != nil {
				return err
			}
			out[n] = at
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenMigratesOnceAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	names, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	first := recordedMigrations(t, db)
	if len(first) != len(names) || len(names) < 2 {
		t.Fatalf("applied %v, embedded %v", first, names)
	}
	for _, n := range names {
		if first[n] == "" {
			t.Errorf("migration %s not recorded", n)
		}
	}
	// Every table of the migrations exists.
	for _, table := range []string{"project", "results", "indicators", "milestones", "dimensions", "rules", "imports", "measurements"} {
		var n int
		err := db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n)
		})
		if err != nil || n != 1 {
			t.Errorf("table %s: n=%d err=%v", table, n, err)
		}
	}
	db.Close()

	// Reopening applies nothing again: the records keep their time.
	db2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	db2.Now = func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	if err := migrate(ctx, db2); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	second := recordedMigrations(t, db2)
	if len(second) != len(first) {
		t.Fatalf("after reopen %v, before %v", second, first)
	}
	for n, at := range first {
		if second[n] != at {
			t.Errorf("migration %s re-applied: %s then %s", n, at, second[n])
		}
	}
}

func TestFailingMigrationLeavesNothing(t *testing.T) {
	ctx := context.Background()
	saved := migrationFS
	t.Cleanup(func() { migrationFS = saved })
	migrationFS = fstest.MapFS{
		"migrations/001_good.sql": {Data: []byte(`CREATE TABLE good (a INTEGER);`)},
		"migrations/002_bad.sql":  {Data: []byte(`CREATE TABLE half (a INTEGER); INSERT INTO missing VALUES (1);`)},
	}
	path := filepath.Join(t.TempDir(), "rmf.db")
	_, err := Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "002_bad.sql") {
		t.Fatalf("Open with a bad migration: err = %v, want one naming 002_bad.sql", err)
	}
	migrationFS = fstest.MapFS{"migrations/001_good.sql": {Data: []byte(`CREATE TABLE good (a INTEGER);`)}}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var half, good int
	err = db.ReadTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'half'`).Scan(&half); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'good'`).Scan(&good)
	})
	if err != nil {
		t.Fatal(err)
	}
	if half != 0 || good != 1 {
		t.Errorf("half-applied migration kept: half=%d good=%d", half, good)
	}
	if got := recordedMigrations(t, db); len(got) != 1 || got["001_good.sql"] == "" {
		t.Errorf("recorded migrations %v, want only 001_good.sql", got)
	}
}

func TestMisnamedMigration(t *testing.T) {
	saved := migrationFS
	t.Cleanup(func() { migrationFS = saved })
	for _, files := range []fstest.MapFS{
		{"migrations/1_short.sql": {Data: []byte(`SELECT 1;`)}},
		{"migrations/001_a.sql": {Data: []byte(`SELECT 1;`)}, "migrations/001_b.sql": {Data: []byte(`SELECT 1;`)}},
	} {
		migrationFS = files
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "rmf.db"))
		if err == nil {
			db.Close()
			t.Errorf("Open with migrations %v: no error", files)
		}
	}
}

func TestOpenRejectsPaths(t *testing.T) {
	for _, p := range []string{"", "a.db?mode=ro", "file:a.db", "a#b.db"} {
		if db, err := Open(context.Background(), p); err == nil {
			db.Close()
			t.Errorf("Open(%q): no error", p)
		}
	}
}

// TestPragmasOnEveryConnection checks that the pragmas are set by the DSN on
// every connection of both pools, not only on the first.
func TestPragmasOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	for name, pool := range map[string]*sql.DB{"writer": db.SQL(), "reader": db.Reader()} {
		var conns []*sql.Conn
		for i := 0; i < 4; i++ {
			c, err := pool.Conn(ctx) // held: the pool must open another
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			var fk, busy int
			var journal string
			if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
				t.Fatal(err)
			}
			// Writers wait briefly inside SQLite and retry (beginWrite).
			wantBusy := 5000
			if name == "writer" {
				wantBusy = int(writerBusyTimeout.Milliseconds())
			}
			if fk != 1 || journal != "wal" || busy != wantBusy {
				t.Errorf("%s connection %d: foreign_keys=%d journal_mode=%s busy_timeout=%d, want 1, wal, %d", name, i, fk, journal, busy, wantBusy)
			}
		}
		if name == "writer" {
			var cache int
			if err := conns[3].QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil || cache != -16384 {
				t.Errorf("writer cache_size = %d, %v, want -16384", cache, err)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
}

func TestMapError(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	exec := func(q string, args ...any) error {
		return db.Tx(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		})
	}
	if err := exec(`INSERT INTO dimensions (name, position) VALUES ('sex', 1)`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    string
		want error
	}{
		{"primary key", `INSERT INTO dimensions (name, position) VALUES ('sex', 2)`, indicators.ErrDuplicate},
		{"not null", `INSERT INTO dimensions (name, position) VALUES ('age', NULL)`, indicators.ErrInvalid},
		{"check", `INSERT INTO results (code, position, level) VALUES ('X', 1, 'bogus')`, indicators.ErrInvalid},
		{"foreign key", `INSERT INTO dimension_values (dimension, position, value) VALUES ('age', 1, 'old')`, indicators.ErrUnknownCode},
	}
	for _, tt := range tests {
		err := exec(tt.q)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want errors.Is %v", tt.name, err, tt.want)
		}
		var se sqlite3.Error
		if !errors.As(err, &se) {
			t.Errorf("%s: %v does not keep the driver error", tt.name, err)
		}
	}
	plain := errors.New("plain")
	if MapError(plain) != plain || MapError(nil) != nil {
		t.Error("MapError changed a non-driver error")
	}
}

func TestParseDims(t *testing.T) {
	for _, key := range []string{"", "sex=female", "Location=Ulaanbaatar City; Sex=F", "a=b=c"} {
		d, err := sqlstore.ParseDims(key)
		if err != nil {
			t.Errorf("sqlstore.ParseDims(%q): %v", key, err)
			continue
		}
		if d.Key() != key {
			t.Errorf("sqlstore.ParseDims(%q).Key() = %q", key, d.Key())
		}
	}
	for _, key := range []string{"sex", "=x", "sex=f;age=1"} {
		if _, err := sqlstore.ParseDims(key); !errors.Is(err, indicators.ErrInvalid) {
			t.Errorf("sqlstore.ParseDims(%q): %v, want ErrInvalid", key, err)
		}
	}
}

// TestMigrationsNewerRefused: a database migrated by a newer rmf is refused
// with one line saying to upgrade, and is left as it was.
func TestMigrationsNewerRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, _ := openAt(t, path)
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES ('999_future.sql', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "999_future.sql") ||
		!strings.Contains(err.Error(), "upgrade rmf") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Open of a newer database: %v, want one line naming it and saying to upgrade rmf", err)
	}
}
