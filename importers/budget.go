package importers

import (
	"math"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// The Budget sheet of a framework workbook (and the budget list of a
// framework YAML file): one line per result (an output or outcome; an
// activity's line rolls up to its output; blank for project-wide costs such
// as staff and office) and category, with an amount in the project's
// currency. The Project sheet may add total_budget, in_kind and
// efficiency_threshold (percentage points, 20 by default).
var budgetFields = []Field{
	{Name: "code", Headings: []string{"Budget line", "Line", "Line code", "Budget line code", "Budget code", "Account", "Budget line no"}},
	{Name: "result", Headings: []string{"Result code", "Result", "Output", "Output code", "Outcome", "Activity", "Code"}},
	{Name: "category", Required: true, Headings: []string{"Category", "Budget category", "Cost category", "Type", "Cost type"}},
	{Name: "amount", Required: true, Headings: []string{"Amount", "Budget", "Budgeted", "Budget amount", "Total", "Planned", "Value"}},
	{Name: "currency", Headings: []string{"Currency", "Cur", "Ccy"}},
	{Name: "description", Headings: []string{"Description", "Narrative", "Label", "Details", "Item"}},
}

// budgetProjectKeys are the Project keys of the budget (added to projectKeys).
var budgetProjectKeys = map[string]string{
	"totalbudget": "total_budget", "budget": "total_budget", "projectbudget": "total_budget", "budgettotal": "total_budget",
	"inkind": "in_kind", "inkindcontribution": "in_kind", "inkindcontributions": "in_kind", "contributionsinkind": "in_kind",
	"efficiencythreshold": "efficiency_threshold", "spendingthreshold": "efficiency_threshold",
}

func init() {
	for k, v := range budgetProjectKeys {
		if _, taken := projectKeys[k]; !taken {
			projectKeys[k] = v
		}
	}
}

// buildProjectBudget reads the budget keys of the project record.
func (b *builder) buildProjectBudget(r record) {
	p := &b.fw.Project
	num := func(field string, points bool) *float64 {
		if !r.has(field) {
			return nil
		}
		v := r.vals[field]
		var x float64
		var err error
		if points {
			x, err = v.PercentPoints()
		} else {
			x, err = v.Plain()
		}
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			what := "an amount such as 3336140 or 3,336,140"
			if points {
				what = "percentage points such as 20 or 20%"
			}
			b.errAt(r, field, indicators.ErrInvalid, "%s %q is not a number, expected %s", strings.ReplaceAll(field, "_", " "), v.Text(), what)
			return nil
		}
		return &x
	}
	p.TotalBudget = num("total_budget", false)
	p.InKind = num("in_kind", false)
	p.EfficiencyThreshold = num("efficiency_threshold", true)
	// Cells of these fields for Framework.ValidateBudget's problems.
	for _, f := range []string{"total_budget", "in_kind", "efficiency_threshold"} {
		if v, ok := r.vals[f]; ok && v.Ref != "" {
			if p.Loc.Cells == nil {
				p.Loc.Cells = map[string]string{}
			}
			p.Loc.Cells[f] = v.Ref
		}
	}
}

// buildBudgetLine reads one budget line. A line code that is a result code
// (and no result column) is read as the result. Semantic checks (unknown
// result, negative amount, currency) are Framework.ValidateBudget's.
func (b *builder) buildBudgetLine(r record) {
	l := indicators.BudgetLine{Code: r.text("code"), Result: r.text("result"), Currency: strings.ToUpper(r.text("currency")),
		Description: r.text("description"), Loc: b.loc(r)}
	if l.Result == "" && l.Code != "" {
		if _, ok := b.fw.Result(l.Code); ok {
			l.Result, l.Code = l.Code, ""
			if c, ok := l.Loc.Cells["code"]; ok {
				l.Loc.Cells["result"] = c
			}
		}
	}
	if r.has("category") {
		c, err := indicators.ParseCategory(r.text("category"))
		if err != nil {
			b.wrapErr(r, "category", err)
			return
		}
		l.Category = c
	}
	if !r.has("amount") {
		b.errAt(r, "amount", indicators.ErrRequired, "budget line has no amount, expected an amount such as 250000")
		return
	}
	v := r.vals["amount"]
	x, err := v.Plain()
	if err != nil {
		b.errAt(r, "amount", indicators.ErrInvalid, "amount %q is not a number, expected an amount such as 250000 or 250,000", v.Text())
		return
	}
	l.Amount = x
	b.fw.Budget = append(b.fw.Budget, l)
}
