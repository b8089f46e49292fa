package exporters

import (
	"math"

	"github.com/rmf-project/rmf/indicators"
	"gopkg.in/yaml.v3"
)

// budgetProjectRows are the Project keys of the budget, for the values set.
func budgetProjectRows(p indicators.Project) [][2]any {
	var out [][2]any
	for _, kv := range []struct {
		key string
		v   *float64
	}{{"total_budget", p.TotalBudget}, {"in_kind", p.InKind}, {"efficiency_threshold", p.EfficiencyThreshold}} {
		if kv.v != nil {
			out = append(out, [2]any{kv.key, wholeOrFloat(*kv.v)})
		}
	}
	return out
}

// budgetTables is the Budget sheet (none without budget lines): columns
// budget line, result, category, amount, currency, description, as
// importers read them.
func budgetTables(fw *indicators.Framework) []table {
	if len(fw.Budget) == 0 {
		return nil
	}
	t := table{name: "Budget", header: []string{"budget_line", "result", "category", "amount", "currency", "description"},
		text: []string{"budget_line", "result"},
		lists: map[string][]string{"category": {indicators.CategoryOperational, indicators.CategoryStaff,
			indicators.CategoryEquipment, indicators.CategoryME, indicators.CategoryOther}}}
	for _, l := range fw.Budget {
		t.rows = append(t.rows, []any{l.Code, l.Result, l.Category, l.Amount, l.Currency, l.Description})
	}
	return []table{t}
}

// addBudgetYAML adds the budget list to a framework YAML document.
func addBudgetYAML(root *yaml.Node, fw *indicators.Framework) {
	if len(fw.Budget) == 0 {
		return
	}
	seq := yseq()
	for _, l := range fw.Budget {
		m := ymap()
		addStr(m, "budget_line", l.Code)
		addStr(m, "result", l.Result)
		addStr(m, "category", l.Category)
		addAny(m, "amount", wholeOrFloat(l.Amount))
		addStr(m, "currency", l.Currency)
		addStr(m, "description", l.Description)
		seq.Content = append(seq.Content, m)
	}
	add(root, "budget", seq)
}

// wholeOrFloat returns whole numbers as int, so that YAML writes 3336140
// rather than a tagged float.
func wholeOrFloat(x float64) any {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return int(x)
	}
	return x
}
