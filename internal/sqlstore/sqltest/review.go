package sqltest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

// importFigures imports figures of indicator 1.1a (total) as file, each
// "period=value".
func importFigures(t *testing.T, db *DB, file string, figs ...string) (indicators.Batch, error) {
	t.Helper()
	ctx := context.Background()
	im, err := db.BeginImport(ctx, indicators.Batch{File: file, SHA256: file})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for i, f := range figs {
		per, val, _ := strings.Cut(f, "=")
		p, err := indicators.ParsePeriod(per)
		if err != nil {
			t.Fatal(err)
		}
		v := 0.0
		for _, c := range val {
			v = v*10 + float64(c-'0')
		}
		if err := im.Add(indicators.Measurement{Indicator: "1.1a", Period: p, Value: &v,
			Loc: indicators.Loc{File: file, Sheet: "S", Row: i + 2}}); err != nil {
			t.Fatal(err)
		}
	}
	return im.Finish(false)
}

func testReviewApproveReturnLock(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	if _, err := db.SaveFramework(ctx, fullFramework()); err != nil {
		t.Fatal(err)
	}
	if _, err := importFigures(t, db, "q3.xlsx", "2021Q3=4", "2021-07=1", "2021Q2=3"); err != nil {
		t.Fatal(err)
	}
	q3 := indicators.Quarter(2021, 3)
	// Two figures lie within 2021Q3 (the quarter and its July); 2021Q2 does not.
	figs, err := db.ReviewFigures(ctx, FigureSelection{Period: q3})
	if err != nil || len(figs) != 2 || figs[0].State != StateSubmitted {
		t.Fatalf("ReviewFigures: %+v, %v", figs, err)
	}
	// Returning needs a reason; nothing is written without one.
	if _, err := db.Review(ctx, ActReturn, FigureSelection{Period: q3}, " ", "alice"); !errors.Is(err, indicators.ErrRequired) {
		t.Errorf("return without reason: %v", err)
	}
	c.step(time.Hour)
	res, err := db.Review(ctx, ActReturn, FigureSelection{Period: q3, File: "/tmp/q3.xlsx"}, "July is counted twice", "alice")
	if err != nil || res.Entry == nil || len(res.Changed) != 2 {
		t.Fatalf("return: %+v, %v", res, err)
	}
	// Locking with returned figures is refused, naming them, unless forced with a reason.
	_, err = db.Lock(ctx, q3, "", "alice", false)
	var ue *UnapprovedError
	if !errors.As(err, &ue) || len(ue.Figures) != 2 || !strings.Contains(err.Error(), "1.1a 2021Q3 total returned") {
		t.Fatalf("lock with returned figures: %v", err)
	}
	if _, err := db.Lock(ctx, q3, "", "alice", true); !errors.Is(err, indicators.ErrRequired) {
		t.Errorf("forced lock without reason: %v", err)
	}
	c.step(time.Hour)
	res, err = db.Review(ctx, ActApprove, FigureSelection{Period: q3, Indicator: "1.1a"}, "", "bob")
	if err != nil || len(res.Changed) != 2 || res.Already != 0 {
		t.Fatalf("approve: %+v, %v", res, err)
	}
	// Approving again changes nothing and writes nothing.
	res, err = db.Review(ctx, ActApprove, FigureSelection{Period: q3}, "", "bob")
	if err != nil || res.Entry != nil || res.Already != 2 {
		t.Fatalf("approve again: %+v, %v", res, err)
	}
	if _, err := db.Review(ctx, ActApprove, FigureSelection{Period: indicators.Quarter(2022, 1)}, "", "bob"); err == nil {
		t.Error("approving a period without figures: no error")
	}
	c.step(time.Hour)
	lock, err := db.Lock(ctx, q3, "sent to the donor 2021-10-15", "alice", false)
	if err != nil || lock.Forced {
		t.Fatalf("lock: %+v, %v", lock, err)
	}
	if _, err := db.Lock(ctx, q3, "", "alice", false); !errors.Is(err, ErrLocked) {
		t.Errorf("second lock: %v", err)
	}
	// An import changing a figure of 2021Q3 is refused with the lock and
	// how to reopen; the whole file is refused, though the figure of 2021Q2
	// and the late figure of September alone would pass.
	_, err = importFigures(t, db, "fix.xlsx", "2021Q2=5", "2021Q3=6", "2021-09=2", "2021-07=1")
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("import into a locked period: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"fix.xlsx: sheet S, row 3", "indicator 1.1a, period 2021Q3, total: would change 4 to 6",
		"sent to the donor 2021-10-15", "rmf unlock --period 2021Q3 --reason TEXT"} {
		if !strings.Contains(msg, want) {
			t.Errorf("refusal does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "2021Q2") || strings.Contains(msg, "2021-07") || strings.Contains(msg, "2021-09") {
		t.Errorf("refusal names figures outside the lock or unchanged:\n%s", msg)
	}
	if h, _ := db.History(ctx, "1.1a", nil); len(h) != 3 {
		t.Errorf("refused import wrote figures: %d revisions", len(h))
	}
	if _, err := db.Unlock(ctx, q3, "", "alice"); !errors.Is(err, indicators.ErrRequired) {
		t.Errorf("unlock without reason: %v", err)
	}
	c.step(time.Hour)
	if _, err := db.Unlock(ctx, q3, "partner corrected September", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Unlock(ctx, q3, "again", "alice"); err == nil {
		t.Error("unlocking an unlocked period: no error")
	}
	if _, err := importFigures(t, db, "fix.xlsx", "2021Q3=6"); err != nil {
		t.Fatalf("import after unlock: %v", err)
	}
	// The correction is a new revision: submitted again.
	figs, _ = db.ReviewFigures(ctx, FigureSelection{Period: q3})
	states := map[string]string{}
	for _, f := range figs {
		states[f.Period.String()] = f.State
	}
	if states["2021Q3"] != StateSubmitted || states["2021-07"] != StateApproved {
		t.Errorf("states after correction: %v", states)
	}
	log, err := db.ReviewLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Action+" "+e.Period.String()+" "+e.Actor+" "+e.At.Format("15:04"))
	}
	want := []string{"return 2021Q3 alice 10:00", "approve 2021Q3 bob 11:00", "lock 2021Q3 alice 12:00", "unlock 2021Q3 alice 13:00"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("log:\n got %v\nwant %v", got, want)
	}
	if ls, _ := db.Locks(ctx); len(ls) != 0 {
		t.Errorf("locks after unlock: %+v", ls)
	}
	// A figure under two locks (the year and its quarter) is named once.
	c.step(time.Hour)
	if _, err := db.Lock(ctx, indicators.Year(2021), "annual report", "alice", true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Lock(ctx, q3, "resent", "alice", true); err != nil {
		t.Fatal(err)
	}
	_, err = importFigures(t, db, "fix2.xlsx", "2021Q3=7")
	if !errors.Is(err, ErrLocked) || strings.Count(err.Error(), "would change 6 to 7") != 1 {
		t.Errorf("a figure under two locks:\n%v", err)
	}
	// The database refuses to rewrite the log.
	for _, q := range []string{`UPDATE review_log SET reason = 'x'`, `DELETE FROM review_log`,
		`UPDATE review_figures SET measurement = 0`, `DELETE FROM review_figures`} {
		err := db.Tx(ctx, func(tx *sqlstore.Tx) error { _, err := tx.ExecContext(ctx, q); return err })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want append-only refusal", q, err)
		}
	}
}
