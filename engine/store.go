package engine

import (
	"context"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

// Store is the storage port: everything the use cases ask of a database.
// Packages sqlite and postgres implement it (both through the shared SQL
// store, internal/sqlstore); each runs the same suite (package storetest)
// with its own constructor.
//
// Every method is one transaction of its own; reads see a consistent
// snapshot and never wait for an import; a second import waits for the
// first (calling the function given to SetWaiting once when it has to).
type Store interface {
	// Path names the database in messages (a file, a connection string).
	Path() string
	// Now is the store's clock: when imports, log entries and framework
	// versions are recorded.
	Now() time.Time
	// SetWaiting sets the function called once when a write has to wait
	// for another writer (nil: none).
	SetWaiting(func())
	// SetClock replaces the clock (the demo records its story at the
	// times it would have happened).
	SetClock(now func() time.Time)
	Close() error

	// The framework and its versions.
	HasFramework(ctx context.Context) (bool, error)
	Framework(ctx context.Context) (*indicators.Framework, error) // ErrNoFramework when none
	SaveFramework(ctx context.Context, fw *indicators.Framework) (FrameworkChange, error)
	SaveFrameworkVersion(ctx context.Context, fw *indicators.Framework, info VersionInfo) (FrameworkChange, error)
	FrameworkHistory(ctx context.Context, code string) ([]FrameworkVersion, error)

	// Figures, their revisions and the imports they came from.
	BeginImport(ctx context.Context, b indicators.Batch) (MeasurementImport, error)
	BeginExpenditureImport(ctx context.Context, b indicators.Batch) (ExpenditureImport, error)
	ImportedBefore(ctx context.Context, sha256 string) (bool, error)
	Imports(ctx context.Context) ([]indicators.Batch, error)
	Measurements(ctx context.Context, f MeasurementFilter) ([]indicators.Measurement, error)
	// EachMeasurements calls fn with the figures Measurements returns, one
	// indicator at a time in the same order, all from one consistent
	// state; figs is reused after fn returns (copy what you keep of the
	// slice). fn's error is returned as it is.
	EachMeasurements(ctx context.Context, f MeasurementFilter, fn func(code string, figs []indicators.Measurement) error) error
	// EachMeasurementsOf is EachMeasurements for the indicators codes
	// only, in that order (f.Indicator empty).
	EachMeasurementsOf(ctx context.Context, f MeasurementFilter, codes []string, fn func(code string, figs []indicators.Measurement) error) error
	CountMeasurements(ctx context.Context, f MeasurementFilter) (int, error)
	// Stamp changes whenever anything a report or an export shows is
	// written (Users.Stamp: the same method): a use case that reads in
	// several transactions compares it before and after.
	Stamp(ctx context.Context) (string, error)
	// ApprovedMeasurements gives each figure's latest approved revision
	// (now, or in state st), ordered as MeasurementsIn orders figures.
	ApprovedMeasurements(ctx context.Context, st *State, upto time.Time, order []string) ([]indicators.Measurement, error)
	// EachApprovedRevisions is ApprovedMeasurements one indicator at a
	// time (in order when given), with the import of each revision.
	EachApprovedRevisions(ctx context.Context, st *State, upto time.Time, order []string, fn func(code string, revs []indicators.Revision) error) error
	CurrentRevisions(ctx context.Context, f MeasurementFilter) ([]indicators.Revision, error)
	// EachCurrentRevisions is EachMeasurements for CurrentRevisions: the
	// figures with their imports, one indicator at a time in the same
	// order, from one consistent state; revs is reused after fn returns.
	EachCurrentRevisions(ctx context.Context, f MeasurementFilter, fn func(code string, revs []indicators.Revision) error) error
	// LatestFigureEnd is the latest end of a current figure's period
	// (zero when there are none).
	LatestFigureEnd(ctx context.Context) (time.Time, error)
	History(ctx context.Context, code string, p *indicators.Period) ([]indicators.Revision, error)

	// Expenditures.
	Expenditures(ctx context.Context, upto time.Time) ([]indicators.Expenditure, error)
	ExpenditureHistory(ctx context.Context, code string) ([]indicators.ExpenditureRevision, error)

	// Evaluations and the follow-up of their key actions.
	SaveEvaluation(ctx context.Context, ev *indicators.Evaluation, dryRun bool) (ActionsChange, error)
	Evaluations(ctx context.Context) ([]indicators.Evaluation, error)
	FindAction(ctx context.Context, ref string) (ActionRef, error)
	AppendActionLog(ctx context.Context, id int64, e indicators.LogEntry) (indicators.LogEntry, error)

	// The review cycle: approvals, returns, locks, and the append-only log.
	ReviewLog(ctx context.Context) ([]ReviewEntry, error)
	Locks(ctx context.Context) ([]ReviewEntry, error)
	ReviewFigures(ctx context.Context, sel FigureSelection) ([]ReviewFigure, error)
	Review(ctx context.Context, action string, sel FigureSelection, reason, actor string) (ReviewResult, error)
	Lock(ctx context.Context, p indicators.Period, reason, actor string, force bool) (ReviewEntry, error)
	Unlock(ctx context.Context, p indicators.Period, reason, actor string) (ReviewEntry, error)
	Answers(ctx context.Context, batch int64) ([]Answer, error)

	// Past states, for as-of reports.
	StateAt(ctx context.Context, t time.Time) (State, error) // ErrBeforeCreation before the database existed
	StateBefore(ctx context.Context, e ReviewEntry) (State, error)
	FrameworkIn(ctx context.Context, s State) (*indicators.Framework, error)
	MeasurementsIn(ctx context.Context, s State, upto time.Time, order []string) ([]indicators.Measurement, error)
	RevisionsIn(ctx context.Context, s State, upto time.Time, order []string) ([]indicators.Revision, error)
	// EachRevisionsIn is EachCurrentRevisions for RevisionsIn.
	EachRevisionsIn(ctx context.Context, s State, upto time.Time, order []string, fn func(code string, revs []indicators.Revision) error) error
	ExpendituresIn(ctx context.Context, s State, upto time.Time) ([]indicators.Expenditure, error)
	ReviewFiguresIn(ctx context.Context, s State, sel FigureSelection) ([]ReviewFigure, error)
	ReviewLogIn(ctx context.Context, s State) ([]ReviewEntry, error)
	LocksIn(ctx context.Context, s State) ([]ReviewEntry, error)
	EvaluationsIn(ctx context.Context, s State) (evs []indicators.Evaluation, changed []string, err error)
}

// MeasurementImport is one measurement file being imported: one write
// transaction from Store.BeginImport to Finish. An importer stages the
// figures with Add; Finish(true) is a dry run (counts, nothing written);
// Rollback after Finish does nothing.
type MeasurementImport interface {
	indicators.MeasurementSink
	SetRowsRead(n int)
	Finish(dryRun bool) (indicators.Batch, error)
	Rollback() error
	// ImportedBefore reports whether a file with the batch's SHA-256 had
	// been imported when the import began, seen under the write lock: of
	// two imports of the same file at once, the second sees the first.
	ImportedBefore() bool
	// Changes lists, after Finish(true), the figures the import would add
	// or change, in key order (at most MaxListedChanges).
	Changes() []FigureChange
}

// MaxListedChanges caps the figures a dry run lists one by one.
const MaxListedChanges = 1000

// ExpenditureImport is MeasurementImport for a finance export.
type ExpenditureImport interface {
	indicators.ExpenditureSink
	SetRowsRead(n int)
	Finish(dryRun bool) (indicators.Batch, error)
	Rollback() error
	// ImportAgain makes Finish write the file even when its bytes had
	// been imported before.
	ImportAgain()
	// ImportedBefore reports, after Finish, whether a file with the
	// batch's SHA-256 had been imported when Finish took the write lock;
	// Finish then wrote nothing unless ImportAgain was called.
	ImportedBefore() bool
}
