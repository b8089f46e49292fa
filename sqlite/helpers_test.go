package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore/sqltest"
)

// TestStore runs the store-level tests shared with package postgres.
func TestStore(t *testing.T) {
	sqltest.Run(t, func(t testing.TB) *DB {
		t.Helper()
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "rmf.db"))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		checkPacksAtEnd(t, db)
		return db
	})
}

// checkPacksAtEnd checks, when t ends (before db is closed), that db's
// figure packs are complete and hold what the figures' rows hold.
func checkPacksAtEnd(t testing.TB, db *DB) { sqltest.CheckPacksAtEnd(t, db) }

// The helpers of package sqltest, for the tests only SQLite runs.

func fig(t testing.TB, code, period string, value float64, row int, dims ...string) indicators.Measurement {
	t.Helper()
	return sqltest.Fig(t, code, period, value, row, dims...)
}

func fullFramework() *indicators.Framework { return sqltest.FullFramework() }

func runImport(t testing.TB, db *DB, file string, dryRun bool, figs ...indicators.Measurement) (indicators.Batch, error) {
	t.Helper()
	return sqltest.RunImport(t, db, file, dryRun, figs...)
}

func countRows(t testing.TB, db *DB) map[string]int { t.Helper(); return sqltest.CountRows(t, db) }

func counts(b indicators.Batch) [3]int { return sqltest.Counts(b) }

func day(y int, m time.Month, d int) time.Time { return sqltest.Day(y, m, d) }

// frameworkDB opens a database holding fullFramework.
func frameworkDB(t testing.TB) (*DB, *clock) {
	t.Helper()
	db, c := openTest(t)
	if _, err := db.SaveFramework(context.Background(), fullFramework()); err != nil {
		t.Fatal(err)
	}
	return db, c
}
