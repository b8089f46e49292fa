// Package storetest is the test suite of engine's storage port: the use
// cases of package engine run over a store that a constructor makes. Each
// adapter of engine.Store runs it from its own tests with one line:
//
//	func TestEngine(t *testing.T) { storetest.Run(t, newStore) }
//
// where newStore opens a fresh, empty store with the given clock (package
// sqlite does so; a PostgreSQL adapter adds its own constructor).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/engine"
	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

// NewStore opens a fresh, empty store whose clock is now; the store is
// closed by the test's cleanup (Run closes it too).
type NewStore func(t *testing.T, now func() time.Time) engine.Store

// frameworkYAML is a small project: one output with a figure summed over
// quarters (1.1.1, target 100) and a formula on it (1.1.2 = 1.1.1 / 2).
const frameworkYAML = `project:
  code: ST
  title: Store test project
  start: 2021-01-01
  end: 2022-12-31
  reporting: quarterly
results:
  - code: G
    level: goal
    statement: Better lives
  - code: O1
    level: outcome
    parent: G
    statement: Better services
  - code: "1.1"
    level: output
    parent: O1
    statement: People trained
indicators:
  - code: 1.1.1
    result: "1.1"
    name: People trained
    unit: number
    direction: increase
    aggregation: sum
    baseline: 0
    target: 100
    responsible: Amani Trust
  - code: 1.1.2
    result: "1.1"
    name: Half of the people trained
    unit: number
    formula: value("1.1.1") / 2
budget:
  - {budget_line: B1, result: "1.1", category: operational, amount: 1000}
`

// Run runs every use case of package engine over stores newStore makes.
func Run(t *testing.T, newStore NewStore) {
	t.Run("NoFramework", func(t *testing.T) { testNoFramework(t, newStore) })
	t.Run("ImportAndReport", func(t *testing.T) { testImportAndReport(t, newStore) })
	t.Run("BadFileChangesNothing", func(t *testing.T) { testBadFile(t, newStore) })
	t.Run("ReviewLockAndAsOf", func(t *testing.T) { testReviewLockAsOf(t, newStore) })
	t.Run("Expenditures", func(t *testing.T) { testExpenditures(t, newStore) })
	t.Run("UsersSessionsUploads", func(t *testing.T) { testUsers(t, newStore) })
	t.Run("ConcurrentImportsAndReaders", func(t *testing.T) { testConcurrentImportsAndReaders(t, newStore) }) // concurrent.go
	t.Run("ConcurrentSameFile", func(t *testing.T) { testConcurrentSameFile(t, newStore) })
	t.Run("ChangesDuringOutputs", func(t *testing.T) { testChangesDuringOutputs(t, newStore) })
}

// fixture is an engine over a fresh store with the framework saved, and
// a clock that moves one hour at each tick.
type fixture struct {
	t   *testing.T
	ctx context.Context
	s   engine.Store
	e   *engine.Engine
	now time.Time
	dir string
}

func newFixture(t *testing.T, newStore NewStore, withFramework bool) *fixture {
	f := &fixture{t: t, ctx: context.Background(), now: time.Date(2021, 7, 1, 9, 0, 0, 0, time.UTC), dir: t.TempDir()}
	s := newStore(t, func() time.Time { return f.now })
	t.Cleanup(func() { s.Close() })
	f.s, f.e = s, engine.New(s, engine.Options{})
	if withFramework {
		fw, err := importers.ReadFrameworkYAML(strings.NewReader(frameworkYAML), "fw.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveFrameworkVersion(f.ctx, fw, engine.VersionInfo{File: "fw.yaml", Actor: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) tick() time.Time { f.now = f.now.Add(time.Hour); return f.now }

// csv writes a measurement file in the long layout and returns its path.
func (f *fixture) csv(name string, rows ...string) string {
	f.t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.WriteFile(p, []byte("indicator,period,value\n"+strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) importFile(file string, opt engine.ImportOptions) (engine.ImportResult, error) {
	f.t.Helper()
	f.tick()
	fw, err := f.e.Framework(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.e.ImportFile(f.ctx, fw, file, opt)
}

func (f *fixture) mustImport(file string, opt engine.ImportOptions) indicators.Batch {
	f.t.Helper()
	res, err := f.importFile(file, opt)
	if err != nil {
		f.t.Fatalf("import %s: %v", file, err)
	}
	return res.Batch
}

// actual is the actual of indicator code in the report req asks for.
func (f *fixture) actual(req engine.ReportRequest, code string) float64 {
	f.t.Helper()
	rr, err := f.e.Report(f.ctx, req)
	if err != nil {
		f.t.Fatalf("report %+v: %v", req, err)
	}
	for _, res := range rr.Report.Results {
		for _, ind := range res.Indicators {
			if ind.Code == code {
				if ind.Actual == nil {
					f.t.Fatalf("report %+v: %s has no actual", req, code)
				}
				return *ind.Actual
			}
		}
	}
	f.t.Fatalf("report %+v: no indicator %s", req, code)
	return 0
}

func counts(b indicators.Batch) [3]int { return [3]int{b.Added, b.Changed, b.Unchanged} }

func testNoFramework(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, false)
	if _, err := f.e.Framework(f.ctx); err == nil || !strings.Contains(err.Error(), "holds no framework yet") {
		t.Errorf("Framework of an empty store: %v, want an error saying it holds no framework", err)
	}
	if _, err := f.e.Report(f.ctx, engine.ReportRequest{Period: "2021Q1"}); err == nil {
		t.Error("Report of an empty store: no error")
	}
}

func testImportAndReport(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, true)
	q := f.csv("q.csv", "1.1.1,2021Q1,10", "1.1.1,2021Q2,15")

	// A dry run counts, lists the figures one by one and writes nothing.
	dry, err := f.importFile(q, engine.ImportOptions{DryRun: true})
	if b := dry.Batch; err != nil || counts(b) != [3]int{2, 0, 0} || b.ID != 0 {
		t.Errorf("dry run: %v (id %d), %v; want 2 added, id 0", counts(b), b.ID, err)
	}
	if ch := dry.Changes; len(ch) != 2 || ch[0].Period != "2021Q1" || *ch[0].Value != 10 || ch[0].Changed || ch[1].Period != "2021Q2" || *ch[1].Value != 15 {
		t.Errorf("dry run's figures: %+v, want 1.1.1 2021Q1 10 and 2021Q2 15, both new", ch)
	}
	if ms, err := f.s.Measurements(f.ctx, engine.MeasurementFilter{}); err != nil || len(ms) != 0 {
		t.Fatalf("after a dry run: %d figures (%v), want none", len(ms), err)
	}
	if b := f.mustImport(q, engine.ImportOptions{}); counts(b) != [3]int{2, 0, 0} || b.ID == 0 {
		t.Errorf("import: %v (id %d), want 2 added and an import recorded", counts(b), b.ID)
	}
	// The same bytes again: skipped.
	res, err := f.importFile(q, engine.ImportOptions{})
	if err != nil || !res.Again || counts(res.Batch) != [3]int{} {
		t.Errorf("same file again: %+v, %v; want Again and nothing counted", res, err)
	}
	// A correction of 2021Q2: a new revision; its dry run says from what to what.
	c := f.csv("correction.csv", "1.1.1,2021Q2,20")
	dry, err = f.importFile(c, engine.ImportOptions{DryRun: true})
	if ch := dry.Changes; err != nil || len(ch) != 1 || !ch[0].Changed || *ch[0].Value != 20 || ch[0].OldValue == nil || *ch[0].OldValue != 15 {
		t.Errorf("dry run of the correction: %+v, %v; want 2021Q2 15 -> 20", ch, err)
	}
	if b := f.mustImport(c, engine.ImportOptions{}); counts(b) != [3]int{0, 1, 0} {
		t.Errorf("correction: %v, want 1 changed", counts(b))
	}
	h, err := f.e.FigureHistory(f.ctx, "1.1.1", "")
	if err != nil || len(h.Revisions) != 3 {
		t.Fatalf("history: %d revisions (%v), want 3 (2021Q1, 2021Q2 twice)", len(h.Revisions), err)
	}
	if h, err := f.e.FigureHistory(f.ctx, "1.1.1", "2021Q1"); err != nil || len(h.Revisions) != 1 {
		t.Errorf("history of 2021Q1: %v revisions (%v), want 1", h, err)
	}
	imps, err := f.e.Imports(f.ctx)
	if err != nil || len(imps) != 2 {
		t.Errorf("imports: %d (%v), want 2 (the file and its correction)", len(imps), err)
	}
	// Summed from the project's start to the end of the period:
	// 2021Q1 = 10; 2021Q2 = 10 + 20 (the correction) = 30; 1.1.2 = 30 / 2 = 15.
	if got := f.actual(engine.ReportRequest{Period: "2021Q1"}, "1.1.1"); got != 10 {
		t.Errorf("2021Q1 actual of 1.1.1 = %v, want 10", got)
	}
	if got := f.actual(engine.ReportRequest{Period: "2021Q2"}, "1.1.1"); got != 30 {
		t.Errorf("2021Q2 actual of 1.1.1 = %v, want 30", got)
	}
	if got := f.actual(engine.ReportRequest{Period: "2021Q2"}, "1.1.2"); got != 15 {
		t.Errorf("2021Q2 actual of 1.1.2 = %v, want 15", got)
	}
	// Check lints the framework and the figures it holds.
	chk, err := f.e.Check(f.ctx)
	if err != nil || chk.Figures != 2 {
		t.Errorf("check: %d figures (%v), want the 2 current ones", chk.Figures, err)
	}
}

func testBadFile(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, true)
	f.mustImport(f.csv("q.csv", "1.1.1,2021Q1,10"), engine.ImportOptions{})
	bad := f.csv("bad.csv", "1.1.1,2021Q2,12", "1.1.1,2021Q3,lots")
	_, err := f.importFile(bad, engine.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "bad.csv") || !strings.Contains(err.Error(), "lots") {
		t.Fatalf("bad file: %v, want an error naming the file and the value", err)
	}
	ms, err := f.s.Measurements(f.ctx, engine.MeasurementFilter{})
	if err != nil || len(ms) != 1 {
		t.Errorf("after a bad file: %d figures (%v), want the 1 imported before", len(ms), err)
	}
	if _, err := f.e.Report(f.ctx, engine.ReportRequest{Period: "2021Q9"}); !errors.As(err, new(*engine.ArgError)) {
		t.Errorf("report of 2021Q9: %v, want an *engine.ArgError", err)
	}
}

func testReviewLockAsOf(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, true)
	f.mustImport(f.csv("q.csv", "1.1.1,2021Q1,10", "1.1.1,2021Q2,15"), engine.ImportOptions{})
	out, err := f.e.Approve(f.ctx, engine.ReviewRequest{Period: "2021Q2", Actor: "officer"})
	if err != nil || len(out.Changed) != 1 {
		t.Fatalf("approve 2021Q2: %+v, %v; want the 1 figure of 2021Q2 approved", out, err)
	}
	f.tick()
	lock, _, err := f.e.LockPeriod(f.ctx, "2021Q2", "sent to the donor", "officer", false)
	if err != nil {
		t.Fatalf("lock: %v", err)
	}
	locked := f.now
	// A change to a figure of the locked period is refused, naming the lock.
	_, err = f.importFile(f.csv("late.csv", "1.1.1,2021Q2,25"), engine.ImportOptions{})
	if !errors.Is(err, engine.ErrLocked) {
		t.Fatalf("import into a locked period: %v, want ErrLocked", err)
	}
	log, err := f.e.Log(f.ctx, "2021Q2")
	if err != nil || len(log) != 2 || log[1].ID != lock.ID {
		t.Fatalf("log of 2021Q2: %+v, %v; want the approval and the lock", log, err)
	}
	f.tick()
	if _, _, err := f.e.UnlockPeriod(f.ctx, "2021Q2", "a late correction", "officer"); err != nil {
		t.Fatal(err)
	}
	f.mustImport(f.csv("late.csv", "1.1.1,2021Q2,25"), engine.ImportOptions{})
	// Now 10 + 25 = 35; as reported (just before the lock) and as of the
	// lock's time, 10 + 15 = 25.
	if got := f.actual(engine.ReportRequest{Period: "2021Q2"}, "1.1.1"); got != 35 {
		t.Errorf("now: %v, want 35", got)
	}
	if got := f.actual(engine.ReportRequest{Period: "2021Q2", AsReported: true}, "1.1.1"); got != 25 {
		t.Errorf("as reported: %v, want 25", got)
	}
	if got := f.actual(engine.ReportRequest{Period: "2021Q2", AsOf: locked.Format(time.RFC3339)}, "1.1.1"); got != 25 {
		t.Errorf("as of the lock: %v, want 25", got)
	}
	// The review section: the 2021Q1 figure was never approved and the
	// 2021Q2 correction replaced the approved one, so 2 figures, none
	// approved, and the one of 2021Q2 listed as not approved.
	rr, err := f.e.Report(f.ctx, engine.ReportRequest{Period: "2021Q2"})
	if err != nil {
		t.Fatal(err)
	}
	if rv := rr.Report.Review; rv == nil || rv.Figures != 2 || rv.Approved != 0 || len(rv.Unapproved) != 1 || rv.Unapproved[0].Period != "2021Q2" {
		t.Errorf("review section: %+v, want 2 figures, none approved, 2021Q2's not approved", rv)
	}
}

func testExpenditures(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, true)
	if rr, err := f.e.Report(f.ctx, engine.ReportRequest{Period: "2021Q2"}); err != nil || rr.Report.Efficiency != nil {
		t.Fatalf("before any spending: %v; want no efficiency section", err)
	}
	p := filepath.Join(f.dir, "finance.csv")
	if err := os.WriteFile(p, []byte("result,period,amount\n1.1,2021Q1,250\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A finance export is recognised by its header and stored as
	// expenditures, in one import.
	if b := f.mustImport(p, engine.ImportOptions{}); b.Kind != "expenditures" || b.Added != 1 {
		t.Fatalf("finance export: %+v, want 1 expenditure added", b)
	}
	revs, err := f.e.Expenditures(f.ctx, "1.1")
	if err != nil || len(revs) != 1 || revs[0].Amount != 250 {
		t.Fatalf("expenditures of 1.1: %+v, %v; want the one of 250", revs, err)
	}
	if _, err := f.e.Expenditures(f.ctx, "9.9"); !errors.Is(err, indicators.ErrUnknownCode) {
		t.Errorf("expenditures of an unknown code: %v, want ErrUnknownCode", err)
	}
	rr, err := f.e.Report(f.ctx, engine.ReportRequest{Period: "2021Q2"})
	if err != nil || rr.Report.Efficiency == nil {
		t.Errorf("after spending: %v; want the efficiency section", err)
	}
}

// movingStamp is a store whose Stamp says the database changed before
// every call once moving is set (imports landing all the time).
type movingStamp struct {
	engine.Store
	moving bool
	n      int
}

func (s *movingStamp) Stamp(ctx context.Context) (string, error) {
	if !s.moving {
		return s.Store.Stamp(ctx)
	}
	s.n++
	return fmt.Sprint("moved ", s.n), nil
}

// testChangesDuringOutputs: a report made while the database changes
// under it (every read of its stamp differs) is shown with
// engine.ChangedNote; the donor workbook and the IATI activity made then
// are refused with engine.ErrDatabaseChanged, nothing written; once the
// database is still, they are made.
func testChangesDuringOutputs(t *testing.T, newStore NewStore) {
	f := newFixture(t, newStore, true)
	f.mustImport(f.csv("q.csv", "1.1.1,2021Q1,10", "1.1.1,2021Q2,15"), engine.ImportOptions{})
	ms := &movingStamp{Store: f.s, moving: true}
	e := engine.New(ms, engine.Options{})
	rr, err := e.Report(f.ctx, engine.ReportRequest{Period: "2021Q2"})
	if err != nil || !slices.Contains(rr.Notes, engine.ChangedNote) {
		t.Fatalf("report while the database changes: notes %q, %v; want the report with ChangedNote", rr.Notes, err)
	}
	d, err := e.DonorWorkbook(f.ctx, rr)
	if err == nil {
		err = engine.WriteDonorWorkbook(io.Discard, d)
	}
	if !errors.Is(err, engine.ErrDatabaseChanged) {
		t.Errorf("donor workbook while the database changes: %v, want ErrDatabaseChanged", err)
	}
	ms.moving = false
	rr, err = e.Report(f.ctx, engine.ReportRequest{Period: "2021Q2"})
	if err != nil || slices.Contains(rr.Notes, engine.ChangedNote) {
		t.Fatalf("report of a still database: notes %q, %v", rr.Notes, err)
	}
	d, err = e.DonorWorkbook(f.ctx, rr)
	if err == nil {
		err = engine.WriteDonorWorkbook(io.Discard, d)
	}
	if err != nil {
		t.Errorf("donor workbook of a still database: %v", err)
	}
}
