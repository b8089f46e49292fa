package sqltest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rmf-project/rmf/indicators"
	"github.com/rmf-project/rmf/internal/sqlstore"
)

func exp(t testing.TB, result, line, period string, amount float64, row int) indicators.Expenditure {
	t.Helper()
	p, err := indicators.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	return indicators.Expenditure{Result: result, Line: line, Category: indicators.CategoryOperational, Period: p, Amount: amount,
		Loc: indicators.Loc{File: "fin.xlsx", Sheet: "Expenditures", Row: row, Cells: map[string]string{"amount": "D" + itoa(int64(row))}}}
}

func runExpImport(t testing.TB, db *DB, file string, dryRun bool, es ...indicators.Expenditure) (indicators.Batch, error) {
	t.Helper()
	im, err := db.BeginExpenditureImport(context.Background(), indicators.Batch{File: file, SHA256: "sha-" + file})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	for _, e := range es {
		im.AddExpenditure(e) // refusals come back from Finish
	}
	return im.Finish(dryRun)
}

func expDB(t *testing.T) (*DB, *clock) {
	t.Helper()
	db, c := openTest(t)
	if _, err := db.SaveFramework(context.Background(), budgetFramework()); err != nil {
		t.Fatal(err)
	}
	return db, c
}

func testExpenditureImportCorrectionsAndHistory(t *testing.T) {
	db, c := expDB(t)
	ctx := context.Background()
	first := []indicators.Expenditure{
		exp(t, "1.1", "BL1", "2021S1", 1000, 2),
		exp(t, "1.1", "", "2021-03-01", 100, 3),
		exp(t, "1.1", "", "2021-03-01", 50, 4), // a second transaction of the day: added up
		exp(t, "O2", "", "2021S2", 400, 5),
	}
	b, err := runExpImport(t, db, "fin.xlsx", false, first...)
	if err != nil {
		t.Fatal(err)
	}
	if b.ID == 0 || b.Kind != "expenditures" || counts(b) != [3]int{3, 0, 0} || b.RowsRead != 4 {
		t.Fatalf("first import %+v", b)
	}
	// Same file again: nothing changes, nothing recorded.
	c.step(time.Hour)
	b, err = runExpImport(t, db, "fin.xlsx", false, first...)
	if err != nil || b.ID != 0 || counts(b) != [3]int{0, 0, 3} {
		t.Fatalf("second import %+v %v", b, err)
	}
	// A correction: O2 2021S2 was 450; a dry run first writes nothing.
	corr := exp(t, "O2", "", "2021S2", 450, 2)
	corr.Loc.File = "fin-corr.xlsx"
	if b, err = runExpImport(t, db, "fin-corr.xlsx", true, corr); err != nil || counts(b) != [3]int{0, 1, 0} || b.ID != 0 {
		t.Fatalf("dry run %+v %v", b, err)
	}
	if b, err = runExpImport(t, db, "fin-corr.xlsx", false, corr); err != nil || counts(b) != [3]int{0, 1, 0} {
		t.Fatalf("correction %+v %v", b, err)
	}
	cur, err := db.Expenditures(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var amounts []float64
	for _, e := range cur {
		amounts = append(amounts, e.Amount)
	}
	if !reflect.DeepEqual(amounts, []float64{150, 1000, 450}) {
		t.Errorf("current amounts %v, want [150 1000 450]", amounts)
	}
	if upto, _ := db.Expenditures(ctx, time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)); len(upto) != 2 {
		t.Errorf("up to 2021-06-30: %d expenditures, want 2", len(upto))
	}
	h, err := db.ExpenditureHistory(ctx, "O2")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Amount != 400 || h[0].Current || h[0].Revision != 1 || h[1].Amount != 450 || !h[1].Current ||
		h[1].Revision != 2 || h[1].Loc.File != "fin-corr.xlsx" {
		t.Errorf("history %+v", h)
	}
	imps, _ := db.Imports(ctx)
	if len(imps) != 2 || imps[1].Kind != "expenditures" {
		t.Errorf("imports %+v", imps)
	}
}

func testExpenditureImportRefusals(t *testing.T) {
	db, _ := expDB(t)
	before := countRows(t, db)
	a := exp(t, "1.1", "", "2021Q1", 10, 2)
	a.Reference = "V-7"
	b := exp(t, "1.1", "", "2021Q1", 12, 9)
	b.Reference = "V-7"
	_, err := runExpImport(t, db, "fin.xlsx", false, a, b, exp(t, "7.7", "", "2021Q1", 5, 10))
	var p indicators.Problems
	if !errors.As(err, &p) || len(p) != 2 {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(p[0], indicators.ErrDuplicate) || !strings.Contains(p[0].Error(), "cell D9") || !strings.Contains(p[0].Error(), "row 2") {
		t.Errorf("duplicate transaction: %v", p[0])
	}
	if !errors.Is(p[1], indicators.ErrUnknownCode) || !strings.Contains(p[1].Error(), `"7.7"`) {
		t.Errorf("unknown result: %v", p[1])
	}
	neg := exp(t, "1.1", "", "2021Q1", -3, 4)
	if _, err := runExpImport(t, db, "fin.xlsx", false, a, neg); !errors.Is(err, indicators.ErrOutOfRange) || !strings.Contains(err.Error(), "cell D4") {
		t.Errorf("negative amount: %v", err)
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows changed: %v -> %v", before, after)
	}
}

func testRemovingSpentResultIsRefused(t *testing.T) {
	db, _ := expDB(t)
	if _, err := runExpImport(t, db, "fin.xlsx", false, exp(t, "O2", "", "2021S1", 40, 2)); err != nil {
		t.Fatal(err)
	}
	fw := budgetFramework()
	fw.Budget = fw.Budget[:2] // the O2 line goes too
	var kept []indicators.Result
	for _, r := range fw.Results {
		if r.Code != "O2" {
			r.ContributesTo = nil
			kept = append(kept, r)
		}
	}
	fw.Results = kept
	var inds []indicators.Indicator
	for _, ind := range fw.Indicators {
		if ind.Result != "O2" {
			inds = append(inds, ind)
		}
	}
	fw.Indicators = inds
	var ms []indicators.Milestone
	for _, m := range fw.Milestones {
		if m.Indicator != "O2t" {
			ms = append(ms, m)
		}
	}
	fw.Milestones = ms
	_, err := db.SaveFramework(context.Background(), fw)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "result O2 has expenditures in the database (1 rows, 40 spent)") {
		t.Fatalf("err = %v", err)
	}
}

// TestExpenditureImportedBeforeUnderLock: two imports of the same finance
// file read at once (both begun before either finished): the first writes
// it, the second sees it under the write lock and writes nothing, not
// even an import entry (its counts are a dry run's); with ImportAgain a
// third is merged as any file is (nothing changed: nothing recorded). A
// corrected row in between shows the difference: the second does not undo
// it.
func testExpenditureImportedBeforeUnderLock(t *testing.T) {
	db, _ := expDB(t)
	ctx := context.Background()
	rows := []indicators.Expenditure{exp(t, "1.1", "BL1", "2021S1", 1000, 2), exp(t, "O2", "", "2021S2", 400, 3)}
	begin := func() *sqlstore.ExpenditureImport {
		im, err := db.BeginExpenditureImport(ctx, indicators.Batch{File: "fin.xlsx", SHA256: "sha-same"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { im.Rollback() })
		for _, e := range rows {
			if err := im.AddExpenditure(e); err != nil {
				t.Fatal(err)
			}
		}
		return im
	}
	first, second := begin(), begin()
	b1, err := first.Finish(false)
	if err != nil || first.ImportedBefore() || b1.ID == 0 || counts(b1) != [3]int{2, 0, 0} {
		t.Fatalf("first import: %+v, ImportedBefore %v, %v", b1, first.ImportedBefore(), err)
	}
	corr := exp(t, "O2", "", "2021S2", 450, 3)
	if b, err := runExpImport(t, db, "fin-corr.xlsx", false, corr); err != nil || counts(b) != [3]int{0, 1, 0} {
		t.Fatalf("correction %+v %v", b, err)
	}
	b2, err := second.Finish(false)
	if err != nil || !second.ImportedBefore() || b2.ID != 0 || counts(b2) != [3]int{0, 1, 1} {
		t.Fatalf("second import of the same file: %+v, ImportedBefore %v, %v; want nothing written and ImportedBefore", b2, second.ImportedBefore(), err)
	}
	imports, err := db.Imports(ctx)
	if err != nil || len(imports) != 2 {
		t.Fatalf("imports after the second: %d (%v), want 2 (the first and the correction)", len(imports), err)
	}
	cur, err := db.Expenditures(ctx, time.Time{})
	if err != nil || len(cur) != 2 || cur[1].Amount != 450 {
		t.Fatalf("expenditures after the second: %+v (%v), want the correction kept (450)", cur, err)
	}
	third := begin()
	third.ImportAgain()
	b3, err := third.Finish(false)
	if err != nil || !third.ImportedBefore() || b3.ID == 0 || counts(b3) != [3]int{0, 1, 1} {
		t.Fatalf("import again: %+v, ImportedBefore %v, %v; want written: 1 changed back, 1 unchanged", b3, third.ImportedBefore(), err)
	}
}
