package exporters

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/importers"
	"github.com/rmf-project/rmf/indicators"
)

func budgetFramework() *indicators.Framework {
	fw := fullFramework()
	fw.Milestones = milestonesGrouped(fw) // read back in this order
	fw.Project.TotalBudget, fw.Project.InKind, fw.Project.EfficiencyThreshold = ptrF(3336140), ptrF(120000.5), ptrF(25)
	cur := fw.Project.Currency
	fw.Budget = []indicators.BudgetLine{
		{Code: "BL-1", Result: fw.Results[len(fw.Results)-1].Code, Category: indicators.CategoryOperational, Amount: 200000, Currency: cur, Description: "Proposal, census"},
		{Result: fw.Results[1].Code, Category: "Travel grants", Amount: 1250.75},
		{Category: indicators.CategoryStaff, Amount: 1000000, Description: "Staff and office\nall years"},
	}
	return fw
}

func TestBudgetRoundTrip(t *testing.T) {
	fw := budgetFramework()
	if p := fw.ValidateBudget(); len(p) > 0 {
		t.Fatalf("test framework: %v", p)
	}
	roundTrip(t, fw)
	x, err := importers.ReadFrameworkXLSX(bytes.NewReader(writeXLSX(t, fw)), "b.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stripLocs(x).Budget, stripLocs(fw).Budget) || *x.Project.TotalBudget != 3336140 || *x.Project.EfficiencyThreshold != 25 {
		t.Errorf("budget: %+v", x.Budget)
	}
	if x.Budget[1].Loc.Sheet != "Budget" || x.Budget[1].Loc.Row != 3 {
		t.Errorf("budget line loc %+v", x.Budget[1].Loc)
	}
	if !strings.Contains(string(writeYAML(t, fw)), "budget:\n  - budget_line: BL-1\n") {
		t.Errorf("yaml:\n%s", writeYAML(t, fw))
	}
}

func TestBudgetProblemsNameTheCell(t *testing.T) {
	fw := budgetFramework()
	fw.Budget[0].Result = "nope"
	fw.Budget[1].Amount = -4
	fw.Budget[2].Currency = "XXX"
	_, err := importers.ReadFrameworkXLSX(bytes.NewReader(writeXLSX(t, fw)), "b.xlsx")
	var p indicators.Problems
	if !errors.As(err, &p) {
		t.Fatalf("err = %v", err)
	}
	text := err.Error()
	for _, want := range []string{"b.xlsx: sheet Budget, cell B2 (result)", "sheet Budget, cell D3 (amount)", "sheet Budget, cell E4 (currency)"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	y := strings.Replace(string(writeYAML(t, budgetFramework())), "amount: 1250.75", "amount: lots", 1)
	_, err = importers.ReadFrameworkYAML(strings.NewReader(y), "b.yaml")
	if err == nil || !strings.Contains(err.Error(), `amount "lots" is not a number`) {
		t.Errorf("yaml amount: %v", err)
	}
}
