package indicators

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// DefaultEfficiencyThreshold is the gap, in percentage points, beyond which
// spending is said to lag time (or results to lag spending) when the
// project sets no efficiency_threshold.
const DefaultEfficiencyThreshold = 20.0

// Budget categories known by name; other categories are kept as written.
const (
	CategoryOperational = "operational"
	CategoryStaff       = "staff and office"
	CategoryEquipment   = "equipment"
	CategoryME          = "monitoring and evaluation"
	CategoryOther       = "other"
)

// ParseCategory reads a budget category as finance exports write it. The
// known categories (operational, staff and office, equipment, monitoring
// and evaluation, other) come back in canonical form; any other non-empty
// text is kept as written (trimmed). Empty is an error.
func ParseCategory(s string) (string, error) {
	switch norm(s) {
	case "":
		return "", fmt.Errorf("%w: budget category is empty, expected operational, staff and office, equipment, monitoring and evaluation, other or a category of your own", ErrRequired)
	case "operational", "operations", "operation", "operationalcosts", "operationalbudget", "programme", "program",
		"programmecosts", "programcosts", "activities", "activitycosts", "direct", "directcosts":
		return CategoryOperational, nil
	case "staffandoffice", "staff&office", "staffoffice", "staff", "staffcosts", "personnel", "salaries", "office",
		"officecosts", "management", "managementcosts", "administration", "admin", "overhead", "overheads", "indirect", "indirectcosts":
		return CategoryStaff, nil
	case "equipment", "equipments", "investment", "investments", "capital":
		return CategoryEquipment, nil
	case "monitoringandevaluation", "m&e", "me", "monitoring", "evaluation", "monitoringevaluationandaudit", "audit":
		return CategoryME, nil
	case "other", "others", "miscellaneous", "misc":
		return CategoryOther, nil
	}
	return strings.Join(strings.Fields(s), " "), nil
}

// IsOperational is true for the operational category (the budget the
// project's outputs are delivered with).
func IsOperational(category string) bool { return category == CategoryOperational }

// BudgetLine is one line of the Budget sheet: an amount for a result (an
// output or outcome; an activity's line rolls up to its output; no result,
// or the goal, for project-wide costs such as staff and office) and a
// category.
type BudgetLine struct {
	// Code is the finance system's budget line code, optional; expenditure
	// rows may name it instead of a result.
	Code        string
	Result      string
	Category    string
	Amount      float64
	Currency    string // "" means the project's currency
	Description string
	Loc         Loc
}

// Expenditure is money spent: one transaction (a date) or one line's
// spending in a period, for a result or a budget line.
type Expenditure struct {
	Result   string // result code ("" for project-wide costs)
	Category string
	Line     string // budget line code, when given
	Period   Period // a day for a transaction
	Amount   float64
	Currency string // "" means the project's currency
	// Reference is the transaction's voucher or document number, when
	// given; it tells two transactions of one line and day apart.
	Reference   string
	Description string
	Loc         Loc
}

// Key identifies an expenditure across imports: a second import with the
// same key and another amount is a correction.
func (e Expenditure) Key() string {
	return strings.Join([]string{e.Line, e.Result, e.Category, Normalize(e.Period).String(), e.Reference}, "\x1f")
}

// ExpenditureRevision is one stored version of an expenditure.
type ExpenditureRevision struct {
	Expenditure
	Revision int
	BatchID  int64
	Imported time.Time
	Current  bool
}

// ExpenditureSink receives validated expenditures during an import; the
// store implements it.
type ExpenditureSink interface {
	AddExpenditure(e Expenditure) error
}

// BudgetLine returns the budget line with code c.
func (f *Framework) BudgetLine(c string) (*BudgetLine, bool) {
	if c == "" {
		return nil, false
	}
	for i := range f.Budget {
		if strings.EqualFold(f.Budget[i].Code, c) {
			return &f.Budget[i], true
		}
	}
	return nil, false
}

// Threshold is the project's efficiency threshold in percentage points.
func (p Project) Threshold() float64 {
	if p.EfficiencyThreshold != nil {
		return *p.EfficiencyThreshold
	}
	return DefaultEfficiencyThreshold
}

// BudgetOwners says which output and outcome a result code's money counts
// for: an activity's for its output and that output's outcome, an output's
// for itself and its outcome, an outcome's for itself only. The goal, ""
// and unknown codes count for the project only (both empty).
func (f *Framework) BudgetOwners(code string) (output, outcome string) {
	// Each walk up the parents takes at most len(f.Results) steps, so that
	// a framework with a parent cycle (refused by Validate, but callers may
	// not have validated) cannot hang it.
	steps := len(f.Results)
	r, ok := f.Result(code)
	for ; ok && r.Level == Activity && steps > 0; steps-- {
		if r, ok = f.Result(r.Parent); !ok {
			return "", ""
		}
	}
	if !ok {
		return "", ""
	}
	switch r.Level {
	case Output:
		output = r.Code
		for p, ok := f.Result(r.Parent); ok && steps > 0; p, ok = f.Result(p.Parent) {
			if p.Level == Outcome {
				return output, p.Code
			}
			steps--
		}
		return output, ""
	case Outcome:
		return "", r.Code
	}
	return "", ""
}

// BudgetTotal is the sum of the budget lines.
func (f *Framework) BudgetTotal() float64 {
	t := 0.0
	for _, l := range f.Budget {
		t += l.Amount
	}
	return t
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// ValidateBudget reports every problem of the budget: lines whose result is
// not a result of the framework, without a category, with a negative or
// non-finite amount or a currency other than the project's, duplicate line
// codes, a negative total or in-kind, a threshold outside 0..100, and lines
// adding up to more than the total budget plus in-kind. Each problem is a
// *CellError at the line's cell.
func (f *Framework) ValidateBudget() Problems {
	var out Problems
	p := f.Project
	for _, x := range []struct {
		field string
		v     *float64
	}{{"total_budget", p.TotalBudget}, {"in_kind", p.InKind}} {
		if x.v != nil && (!finite(*x.v) || *x.v < 0 || CheckValue(*x.v) != nil) {
			out = append(out, p.Loc.Errorf(x.field, ErrOutOfRange, "project %s is %s, expected an amount from 0 to 1e15", strings.ReplaceAll(x.field, "_", " "), FormatValueShort(*x.v)))
		}
	}
	if t := p.EfficiencyThreshold; t != nil && (!finite(*t) || *t <= 0 || *t > 100) {
		out = append(out, p.Loc.Errorf("efficiency_threshold", ErrOutOfRange, "efficiency threshold %v, expected percentage points between 0 and 100 (such as 20)", *t))
	}
	codes := map[string]int{}
	for i, l := range f.Budget {
		what := "budget line"
		if l.Code != "" {
			what = "budget line " + l.Code
		}
		if l.Code != "" {
			k := strings.ToLower(l.Code)
			if j, dup := codes[k]; dup {
				out = append(out, l.Loc.Errorf("code", ErrDuplicate, "%s: the code is already used by the line at %s", what, whereOr(f.Budget[j].Loc, j)))
			} else {
				codes[k] = i
			}
		}
		if l.Result != "" {
			if _, ok := f.Result(l.Result); !ok {
				out = append(out, l.Loc.Errorf("result", ErrUnknownCode, "%s: result %q is not a result of the framework, expected an output, outcome or activity code (or blank for project-wide costs)", what, l.Result))
			}
		}
		if strings.TrimSpace(l.Category) == "" {
			out = append(out, l.Loc.Errorf("category", ErrRequired, "%s has no category, expected operational, staff and office, ...", what))
		}
		if !finite(l.Amount) || l.Amount < 0 || CheckValue(l.Amount) != nil {
			out = append(out, l.Loc.Errorf("amount", ErrOutOfRange, "%s: amount %s, expected an amount from 0 to 1e15", what, FormatValueShort(l.Amount)))
		}
		if l.Currency != "" && p.Currency != "" && !strings.EqualFold(l.Currency, p.Currency) {
			out = append(out, l.Loc.Errorf("currency", ErrInvalid, "%s: currency %s, expected the project's currency %s (convert the amount first)", what, l.Currency, p.Currency))
		}
	}
	if p.TotalBudget != nil && len(f.Budget) > 0 && len(out) == 0 {
		limit := *p.TotalBudget
		if p.InKind != nil {
			limit += *p.InKind
		}
		if sum := f.BudgetTotal(); sum > limit+0.005 {
			out = append(out, p.Loc.Errorf("total_budget", ErrOutOfRange, "the budget lines add up to %s, more than the project's total budget %s%s",
				FormatAmount(sum), FormatAmount(*p.TotalBudget), map[bool]string{true: " plus in-kind", false: ""}[p.InKind != nil]))
		}
	}
	return out
}

func whereOr(l Loc, i int) string {
	if w := where(l); w != "" {
		return w
	}
	return fmt.Sprintf("line %d", i+1)
}

// ValidateExpenditure checks one expenditure against the framework: a
// known result, a known budget line that agrees with the result given, a
// category, a finite amount of 0 or more, a valid period and the project's
// currency. The problem is a *CellError at the expenditure's cell.
func (f *Framework) ValidateExpenditure(e Expenditure) error {
	l := e.Loc
	if e.Line != "" {
		bl, ok := f.BudgetLine(e.Line)
		if !ok {
			return l.Errorf("line", ErrUnknownCode, "budget line %q is not a line of the framework's budget%s", e.Line, budgetCodesHint(f))
		}
		if e.Result != "" && bl.Result != "" && e.Result != bl.Result {
			if o1, c1 := f.BudgetOwners(e.Result); o1 != bl.Result && c1 != bl.Result {
				return l.Errorf("result", ErrInvalid, "result %s does not match budget line %s, which is for result %s", e.Result, bl.Code, bl.Result)
			}
		}
	}
	if e.Result != "" {
		if _, ok := f.Result(e.Result); !ok {
			return l.Errorf("result", ErrUnknownCode, "result %q is not a result of the framework, expected an output, outcome or activity code", e.Result)
		}
	}
	if e.Result == "" && e.Line == "" && e.Category == "" {
		return l.Errorf("result", ErrRequired, "expenditure without a result, budget line or category")
	}
	if !finite(e.Amount) || e.Amount < 0 {
		return l.Errorf("amount", ErrOutOfRange, "amount %v, expected an amount of 0 or more (net reversals into the period's row)", e.Amount)
	}
	if !e.Period.Valid() {
		return l.Errorf("period", ErrInvalid, "period %q is not a valid period", e.Period.String())
	}
	if e.Currency != "" && f.Project.Currency != "" && !strings.EqualFold(e.Currency, f.Project.Currency) {
		return l.Errorf("currency", ErrInvalid, "currency %s, expected the project's currency %s (convert the amount first)", e.Currency, f.Project.Currency)
	}
	return nil
}

func budgetCodesHint(f *Framework) string {
	var cs []string
	for _, l := range f.Budget {
		if l.Code != "" {
			cs = append(cs, l.Code)
		}
	}
	switch {
	case len(cs) == 0:
		return " (the budget has no line codes: give a result code instead)"
	case len(cs) > 8:
		return " (such as " + strings.Join(cs[:8], ", ") + ", ...)"
	}
	return " (" + strings.Join(cs, ", ") + ")"
}

// ResolveExpenditure fills what an expenditure row left implicit: the
// result and category of its budget line, and, when only a result is
// given, the category of that result's budget lines when they all share
// one (else operational). It does not validate.
func (f *Framework) ResolveExpenditure(e *Expenditure) {
	if bl, ok := f.BudgetLine(e.Line); ok {
		e.Line = bl.Code
		if e.Result == "" {
			e.Result = bl.Result
		}
		if e.Category == "" {
			e.Category = bl.Category
		}
	}
	if e.Category != "" || e.Result == "" {
		return
	}
	cat := ""
	for _, l := range f.Budget {
		if l.Result != e.Result {
			continue
		}
		if cat != "" && cat != l.Category {
			cat = ""
			break
		}
		cat = l.Category
	}
	if cat == "" {
		cat = CategoryOperational
	}
	e.Category = cat
}
