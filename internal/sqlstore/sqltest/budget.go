package sqltest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

func budgetFramework() *indicators.Framework {
	fw := fullFramework()
	fw.Project.TotalBudget, fw.Project.InKind, fw.Project.EfficiencyThreshold = fp(10000), fp(500), fp(25)
	fw.Budget = []indicators.BudgetLine{
		{Code: "BL1", Result: "1.1", Category: indicators.CategoryOperational, Amount: 4000, Currency: "EUR", Description: "wells", Loc: loc("Budget", 2)},
		{Result: "1.1.1", Category: indicators.CategoryOperational, Amount: 1000, Loc: loc("Budget", 3)},
		{Result: "O2", Category: indicators.CategoryOperational, Amount: 2000, Loc: loc("Budget", 4)},
		{Category: indicators.CategoryStaff, Amount: 3000, Loc: loc("Budget", 5)},
	}
	return fw
}

func testBudgetRoundTrip(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	fw := budgetFramework()
	ch, err := db.SaveFramework(ctx, fw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Framework(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Budget, fw.Budget) {
		t.Errorf("budget lines:\n got %+v\nwant %+v", got.Budget, fw.Budget)
	}
	if *got.Project.TotalBudget != 10000 || *got.Project.InKind != 500 || *got.Project.EfficiencyThreshold != 25 {
		t.Errorf("project budget %v %v %v", *got.Project.TotalBudget, *got.Project.InKind, *got.Project.EfficiencyThreshold)
	}
	if !strings.Contains(strings.Join(ch.Changes, "\n"), "added budget line BL1") {
		t.Errorf("changes %q", ch.Changes)
	}
	// Saving again changes nothing; an edit is one update, a removal one removal.
	ch, err = db.SaveFramework(ctx, got)
	if err != nil || ch.Added+ch.Updated+ch.Removed != 0 {
		t.Fatalf("second save: %v %+v", err, ch)
	}
	got.Budget[2].Amount = 2500
	got.Budget = got.Budget[:3]
	ch, err = db.SaveFramework(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Updated != 1 || ch.Removed != 1 || !strings.Contains(strings.Join(ch.Changes, "\n"), "updated budget line O2 operational") {
		t.Errorf("edit: %+v", ch)
	}
	again, _ := db.Framework(ctx)
	if len(again.Budget) != 3 || again.Budget[2].Amount != 2500 {
		t.Errorf("after edit: %+v", again.Budget)
	}
	// A framework without a budget removes it.
	got.Budget, got.Project.TotalBudget, got.Project.InKind, got.Project.EfficiencyThreshold = nil, nil, nil, nil
	if _, err := db.SaveFramework(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.Framework(ctx); len(again.Budget) != 0 || again.Project.TotalBudget != nil {
		t.Errorf("budget left: %+v %v", again.Budget, again.Project.TotalBudget)
	}
}

func testInvalidBudgetChangesNothing(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	if _, err := db.SaveFramework(ctx, budgetFramework()); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, db)
	fw := budgetFramework()
	fw.Project.Title = "changed"
	fw.Budget[1].Result = "9.9"
	fw.Budget[2].Amount = -1
	_, err := db.SaveFramework(ctx, fw)
	var p indicators.Problems
	if !errors.As(err, &p) || len(p) != 2 || !errors.Is(p[0], indicators.ErrUnknownCode) || !errors.Is(p[1], indicators.ErrOutOfRange) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(p[0].Error(), "sheet Budget, row 3") {
		t.Errorf("problem does not name the row: %v", p[0])
	}
	if after := countRows(t, db); !reflect.DeepEqual(before, after) {
		t.Errorf("rows changed: %v -> %v", before, after)
	}
	if got, _ := db.Framework(ctx); got.Project.Title == "changed" {
		t.Error("project saved despite the budget problems")
	}
}
