package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/sqlite"
)

// clock is the time the database records imports, log entries and
// framework versions at: now, or the fixed time $RMF_NOW gives (RFC 3339,
// "2006-01-02T15:04" or a day YYYY-MM-DD, read as UTC), so that a session
// can be replayed and tests of as-of reports are deterministic.
func clock() (func() time.Time, error) {
	v := strings.TrimSpace(os.Getenv("RMF_NOW"))
	if v == "" {
		return time.Now, nil
	}
	t, err := engine.ParseMoment(v)
	if err != nil {
		return nil, fmt.Errorf("$RMF_NOW: %w", err)
	}
	return func() time.Time { return t }, nil
}

// openEngine opens the database at path with the clock: the one place
// that wires the SQLite store to the engine.
func openEngine(ctx context.Context, path string) (*engine.Engine, error) {
	now, err := clock()
	if err != nil {
		return nil, err
	}
	return openEngineAt(ctx, path, now)
}

// openEngineAt opens the database at path with clock now.
func openEngineAt(ctx context.Context, path string, now func() time.Time) (*engine.Engine, error) {
	return openEngineOpt(ctx, path, now, engine.Options{LimitReportMemory: true})
}

// openEngineOpt opens the database at path with clock now and the
// engine's options opt (rmf serve leaves the report memory limit off: it
// is process-wide).
func openEngineOpt(ctx context.Context, path string, now func() time.Time, opt engine.Options) (*engine.Engine, error) {
	db, err := sqlite.OpenAt(ctx, path, now)
	if err != nil {
		return nil, err
	}
	return engine.New(sqlite.NewStore(db), opt), nil
}
