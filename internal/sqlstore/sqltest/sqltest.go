// Package sqltest is the store-level test suite of package sqlstore: the
// behaviour of imports, corrections, reviews, actions, budgets, framework
// versions and past states, run by each adapter over its own engine
// (sqlite's tests and postgres's call Run with a function opening a fresh
// database). Engine-level use cases are in engine/storetest; what only one
// engine has (SQLite's file locking, DSN, killed processes; PostgreSQL's
// projects and URLs) stays in the adapter's own tests.
package sqltest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// DB is the store under test.
type DB = sqlstore.DB

// Opener opens a fresh, empty database, closed when t ends.
type Opener func(t testing.TB) *DB

// opener is the Opener of the Run in progress (Run is not re-entrant; the
// tests of one package run one at a time).
var opener Opener

// Run runs every store-level test over databases open makes.
func Run(t *testing.T, open Opener) {
	prev := opener
	opener = open
	defer func() { opener = prev }()
	for _, tt := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"SaveEvaluationRoundTripAndIdempotence", testSaveEvaluationRoundTripAndIdempotence},
		{"SaveEvaluationDryRun", testSaveEvaluationDryRun},
		{"ActionLogAppendOnly", testActionLogAppendOnly},
		{"FindActionAmbiguous", testFindActionAmbiguous},
		{"BudgetRoundTrip", testBudgetRoundTrip},
		{"InvalidBudgetChangesNothing", testInvalidBudgetChangesNothing},
		{"ExpenditureImportCorrectionsAndHistory", testExpenditureImportCorrectionsAndHistory},
		{"ExpenditureImportRefusals", testExpenditureImportRefusals},
		{"ExpenditureImportedBeforeUnderLock", testExpenditureImportedBeforeUnderLock},
		{"RemovingSpentResultIsRefused", testRemovingSpentResultIsRefused},
		{"CurrentRevisions", testCurrentRevisions},
		{"FrameworkRoundTrip", testFrameworkRoundTrip},
		{"SaveFrameworkEdits", testSaveFrameworkEdits},
		{"SaveFrameworkFailureChangesNothing", testSaveFrameworkFailureChangesNothing},
		{"RemovingIndicatorWithFiguresIsRefused", testRemovingIndicatorWithFiguresIsRefused},
		{"IATIPublisherRoundTrip", testIATIPublisherRoundTrip},
		{"ImportCounts", testImportCounts},
		{"FirstImportSameAsMerge", testFirstImportSameAsMerge},
		{"FigurePacksKept", testFigurePacksKept},
		{"FigurePacksFollowOtherWriters", testFigurePacksFollowOtherWriters},
		{"FigurePacksBesideAnOpenWriter", testFigurePacksBesideAnOpenWriter},
		{"CorrectionHistory", testCorrectionHistory},
		{"DryRunWritesNothing", testDryRunWritesNothing},
		{"IdempotentImport", testIdempotentImport},
		{"PeriodsAndFilters", testPeriodsAndFilters},
		{"RepeatedFigureWithOtherValue", testRepeatedFigureWithOtherValue},
		{"RepeatedFigureCells", testRepeatedFigureCells},
		{"UnknownIndicatorRefused", testUnknownIndicatorRefused},
		{"AddRefusesInvalidFigures", testAddRefusesInvalidFigures},
		{"ImportLifecycle", testImportLifecycle},
		{"AbandonedImportLeavesNothing", testAbandonedImportLeavesNothing},
		{"ProblemListsAreCapped", testProblemListsAreCapped},
		{"ImportedBefore", testImportedBefore},
		{"ImportedBeforeUnderLock", testImportedBeforeUnderLock},
		{"Stamp", testStamp},
		{"MeasurementsStoredPeriodChecked", testMeasurementsStoredPeriodChecked},
		{"MeasurementsValuesDistinct", testMeasurementsValuesDistinct},
		{"MeasurementsPackedTexts", testMeasurementsPackedTexts},
		{"CountMeasurements", testCountMeasurements},
		{"EachMeasurements", testEachMeasurements},
		{"EachRevisions", testEachRevisions},
		{"EachMeasurementsOf", testEachMeasurementsOf},
		{"ReviewApproveReturnLock", testReviewApproveReturnLock},
		{"ApprovedMeasurements", testApprovedMeasurements},
		{"FrameworkVersions", testFrameworkVersions},
	} {
		t.Run(tt.name, tt.fn)
	}
}

// clock is a fixed, steppable clock for DB.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func (c *clock) step(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

// openTest opens a new database with a fixed clock.
func openTest(t testing.TB) (*DB, *clock) {
	t.Helper()
	if opener == nil {
		t.Fatal("sqltest: no database to open (call sqltest.Run)")
	}
	db := opener(t)
	c := newClock()
	db.Now = c.now
	return db, c
}

// Tables lists the tables of db.
func Tables(t testing.TB, db *DB) []string {
	t.Helper()
	tables, err := db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

// The helpers below are shared with the adapters' own tests.

// Fig builds a figure of code for period (canonical text) read from row of
// sheet Q of q.xlsx; dims are "name=value" pairs.
func Fig(t testing.TB, code, period string, value float64, row int, dims ...string) indicators.Measurement {
	t.Helper()
	return fig(t, code, period, value, row, dims...)
}

// FullFramework is a framework using every feature the store keeps.
func FullFramework() *indicators.Framework { return fullFramework() }

// RunImport imports figs as file in one batch.
func RunImport(t testing.TB, db *DB, file string, dryRun bool, figs ...indicators.Measurement) (indicators.Batch, error) {
	t.Helper()
	return runImport(t, db, file, dryRun, figs...)
}

// CountRows counts the rows of every table, to check that a failed
// operation changed nothing.
func CountRows(t testing.TB, db *DB) map[string]int { t.Helper(); return countRows(t, db) }

// Counts are a batch's added, changed and unchanged figures.
func Counts(b indicators.Batch) [3]int { return counts(b) }

// Day is midnight UTC of y-m-d.
func Day(y int, m time.Month, d int) time.Time { return day(y, m, d) }

var _ = sql.ErrNoRows

// CheckPacksAtEnd checks, when t ends (before db is closed: call it after
// registering the close), that db's figure packs are complete and hold
// what the figures' rows hold (DB.CheckPacks).
func CheckPacksAtEnd(t testing.TB, db *DB) {
	t.Cleanup(func() {
		if err := db.CheckPacks(context.Background()); err != nil {
			t.Errorf("figure packs: %v", err)
		}
	})
}

// PacksChecked is store s of db, whose Close first checks db's figure
// packs (DB.CheckPacks): for engine-level tests, which close their store.
func PacksChecked(t testing.TB, s engine.Store, db *DB) engine.Store {
	return packsChecked{s, t, db}
}

type packsChecked struct {
	engine.Store
	t  testing.TB
	db *DB
}

func (s packsChecked) Close() error {
	if err := s.db.CheckPacks(context.Background()); err != nil {
		s.t.Errorf("figure packs: %v", err)
	}
	return s.Store.Close()
}
