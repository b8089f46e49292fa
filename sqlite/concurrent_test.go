package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/indicators"
)

// TestReadersDuringImport holds an import open (the write lock) and
// opens the same database from a second handle, as another rmf process
// does: opening an up-to-date database must not need the write lock (it
// failed with "database is locked" when every start opened a write
// transaction per migration), and reads see the state before the import.
func TestReadersDuringImport(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, _ := openAt(t, path)
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	im, err := db.BeginImport(ctx, indicators.Batch{File: "long.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.Add(fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	reader, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open while an import runs: %v", err)
	}
	defer reader.Close()
	if _, err := reader.Framework(ctx); err != nil {
		t.Errorf("Framework while an import runs: %v", err)
	}
	ms, err := reader.Measurements(ctx, engine.MeasurementFilter{})
	if err != nil || len(ms) != 0 {
		t.Errorf("Measurements while an import runs: %d figures, %v; want 0 (nothing committed yet)", len(ms), err)
	}
}

// TestSecondWriterWaits begins a second import while the first holds the
// write lock: it waits (DB.Waiting is called) instead of failing, lands
// once the first finishes, and a cancelled wait returns context.Canceled.
func TestSecondWriterWaits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rmf.db")
	db, _ := openAt(t, path)
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	first, err := db.BeginImport(ctx, indicators.Batch{File: "first.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Add(fig(t, "1.1a", "2021Q1", 5, 2)); err != nil {
		t.Fatal(err)
	}
	other, _ := openAt(t, path)

	// A wait that is cancelled gives up with context.Canceled.
	cctx, cancel := context.WithCancel(ctx)
	other.Waiting = cancel
	if _, err := other.BeginImport(cctx, indicators.Batch{File: "cancelled.xlsx"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v, want context.Canceled", err)
	}

	waiting := make(chan struct{})
	other.Waiting = func() { close(waiting) }
	type result struct {
		b   indicators.Batch
		err error
	}
	done := make(chan result)
	go func() {
		b, err := runImport(t, other, "second.xlsx", false, fig(t, "1.1a", "2021Q2", 7, 2))
		done <- result{b, err}
	}()
	<-waiting // the second import is waiting for the first
	if _, err := first.Finish(false); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.b.Added != 1 {
		t.Fatalf("second import: %+v, %v; want 1 added", r.b, r.err)
	}
	ms, err := db.Measurements(ctx, engine.MeasurementFilter{})
	if err != nil || len(ms) != 2 {
		t.Errorf("after both imports: %d figures, %v; want 2", len(ms), err)
	}
}

// TestAddRefusesHugeValues: the store refuses a figure beyond
// indicators.MaxAbsValue (1e308 was stored, and its sums overflowed to +Inf
// in every later report).
func TestAddRefusesHugeValues(t *testing.T) {
	db, _ := frameworkDB(t)
	ctx := context.Background()
	for _, v := range []float64{1e308, -2e15, 1e15 + 1} {
		im, err := db.BeginImport(ctx, indicators.Batch{File: "huge.xlsx"})
		if err != nil {
			t.Fatal(err)
		}
		err = im.Add(fig(t, "1.1a", "2021Q1", v, 2))
		if !errors.Is(err, indicators.ErrOutOfRange) || !strings.Contains(err.Error(), "expected a number of at most 1e15 in size") {
			t.Errorf("value %g: %v, want an out-of-range error", v, err)
		}
		im.Rollback()
	}
	if _, err := runImport(t, db, "ok.xlsx", false, fig(t, "1.1a", "2021Q1", 1e15, 2)); err != nil {
		t.Errorf("value 1e15: %v", err)
	}
}
