package indicators

import (
	"fmt"
	"sort"
	"time"
)

// Efficiency puts money spent beside time elapsed and results reached, at
// the report's period: for the project (all budget lines and the
// operational lines alone), and for each outcome and output.
// Shares (rates, elapsed, gaps, progress) are fractions: 0.277 is 27.7%.
type Efficiency struct {
	Currency string `json:"currency,omitempty"`
	// AsOf is the last day counted: the period's end, or the end of the
	// latest expenditure period counted when spending after it is not yet
	// known (expenditure periods that straddle the period's end); Elapsed
	// is the share of the project's time at AsOf.
	AsOf    string  `json:"as_of"`
	Elapsed float64 `json:"elapsed"`
	// Threshold is the flagging gap in percentage points (20 by default).
	Threshold float64 `json:"threshold"`
	// TotalBudget and InKind are the project's declared figures, when given.
	TotalBudget *float64 `json:"total_budget,omitempty"`
	InKind      *float64 `json:"in_kind,omitempty"`
	// Project counts every budget line; Operational only the operational ones.
	Project     ResultBudget `json:"project"`
	Operational ResultBudget `json:"operational"`
	// Categories has one entry per budget category, in budget order.
	Categories []CategoryBudget `json:"categories"`
	// Results lists the outcomes and outputs that have a budget or
	// spending, in framework order.
	Results []ResultEfficiency `json:"results"`
	// Warnings say what was left out: expenditures that end after the
	// period, on codes no longer in the framework, budget totals that do
	// not match the project's.
	Warnings []string `json:"warnings,omitempty"`
}

// ResultBudget is the budget and spending of a result (or of the project).
type ResultBudget struct {
	Budget float64 `json:"budget"`
	Spent  float64 `json:"spent"`
	// Rate is Spent / Budget (nil without a budget).
	Rate *float64 `json:"disbursement_rate"`
	// Gap is Elapsed - Rate: how far spending lags time (negative: ahead).
	Gap *float64 `json:"gap"`
	// OperationalBudget and OperationalSpent count the operational lines.
	OperationalBudget float64 `json:"operational_budget"`
	OperationalSpent  float64 `json:"operational_spent"`
	// Progress is the mean progress of the result's own indicators that
	// have one (nil when none has), and Indicators how many counted.
	Progress   *float64 `json:"progress"`
	Indicators int      `json:"indicators_with_progress"`
	// SpendingLags: Gap exceeds the threshold. ResultsLag: progress is
	// below the disbursement rate by more than the threshold.
	SpendingLags bool `json:"spending_lags_time"`
	ResultsLag   bool `json:"results_lag_spending"`
}

// CategoryBudget is the budget and spending of one category.
type CategoryBudget struct {
	Category string   `json:"category"`
	Budget   float64  `json:"budget"`
	Spent    float64  `json:"spent"`
	Rate     *float64 `json:"disbursement_rate"`
}

// ResultEfficiency is one outcome or output in the efficiency table.
type ResultEfficiency struct {
	Code      string `json:"code"`
	Level     Level  `json:"level"`
	Parent    string `json:"parent,omitempty"`
	Statement string `json:"statement"`
	ResultBudget
}

// Flags returns the flags set on b as words.
func (b ResultBudget) Flags() []string {
	var out []string
	if b.SpendingLags {
		out = append(out, "spending lags time")
	}
	if b.ResultsLag {
		out = append(out, "results lag spending")
	}
	return out
}

// Counted is true when an expenditure counts at asOf: its period ends on or
// before asOf.
func Counted(e Expenditure, asOf time.Time) bool { return !e.Period.End.After(asOf) }

// AddEfficiency computes the efficiency figures of r (built by BuildReport
// for fw) from the expenditures exp and sets r.Efficiency and the Budget
// block of each outcome and output of r. Expenditures count when their
// period ends by the report's period end; those that straddle it are left
// out with a warning. Without budget lines and expenditures it does nothing.
func AddEfficiency(r *Report, fw *Framework, exp []Expenditure) error {
	if r == nil || fw == nil {
		return fmt.Errorf("%w: efficiency needs a report and a framework", ErrRequired)
	}
	if len(fw.Budget) == 0 && len(exp) == 0 {
		return nil
	}
	asOf, err := ParseDate(r.Period.End)
	if err != nil {
		return fmt.Errorf("efficiency: report period end %q: %w", r.Period.End, err)
	}
	p := fw.Project
	ef := &Efficiency{Currency: p.Currency, AsOf: r.Period.End, Elapsed: r.Elapsed, Threshold: p.Threshold(),
		TotalBudget: p.TotalBudget, InKind: p.InKind}
	byCode := map[string]*ResultBudget{}
	at := func(code string) *ResultBudget {
		b := byCode[code]
		if b == nil {
			b = &ResultBudget{}
			byCode[code] = b
		}
		return b
	}
	cats := map[string]*CategoryBudget{}
	var catOrder []string
	cat := func(c string) *CategoryBudget {
		x := cats[c]
		if x == nil {
			x = &CategoryBudget{Category: c}
			cats[c] = x
			catOrder = append(catOrder, c)
		}
		return x
	}
	// add counts amount (a budget or spending) for the project, the
	// category and the output and outcome of code.
	owners := map[string][2]string{} // fw.BudgetOwners, once per code and not per row
	add := func(code, category string, amount float64, spent bool) {
		op := IsOperational(category)
		targets := []*ResultBudget{&ef.Project}
		if op {
			targets = append(targets, &ef.Operational)
		}
		own, ok := owners[code]
		if !ok {
			own[0], own[1] = fw.BudgetOwners(code)
			owners[code] = own
		}
		for _, c := range own {
			if c != "" {
				targets = append(targets, at(c))
			}
		}
		for _, b := range targets {
			if spent {
				b.Spent += amount
				if op {
					b.OperationalSpent += amount
				}
			} else {
				b.Budget += amount
				if op {
					b.OperationalBudget += amount
				}
			}
		}
		if spent {
			cat(category).Spent += amount
		} else {
			cat(category).Budget += amount
		}
	}
	for _, l := range fw.Budget {
		add(l.Result, l.Category, l.Amount, false)
	}
	late, lateAmount := 0, 0.0
	var spentTo time.Time // the end of the latest expenditure period counted
	unknown := map[string]bool{}
	for _, e := range exp {
		if e.Period.Start.After(asOf) {
			continue // in the future of the report: not a warning
		}
		if !Counted(e, asOf) {
			late++
			lateAmount += e.Amount
			continue
		}
		if e.Period.End.After(spentTo) {
			spentTo = e.Period.End
		}
		if e.Result != "" {
			if _, ok := fw.Result(e.Result); !ok {
				unknown[e.Result] = true
			}
		}
		add(e.Result, e.Category, e.Amount, true)
	}
	if late > 0 {
		ef.Warnings = append(ef.Warnings, fmt.Sprintf("%d expenditure rows (%s %s) cover periods that end after %s and are not counted",
			late, FormatAmount(lateAmount), p.Currency, r.Period.End))
		// Spending is then known only up to spentTo: compare it with the
		// time elapsed at that day, not at the period's end (at 2021Q3 the
		// demo's expenditures run to 2021-08-31: 27.7% of the operational
		// budget at 50.0% of the time, the mid-term review's comparison,
		// not at 52.1%, which would count September's time without
		// September's spending).
		if !spentTo.IsZero() && spentTo.Before(asOf) && !p.Start.IsZero() && !p.End.IsZero() {
			ef.AsOf = spentTo.Format(time.DateOnly)
			ef.Elapsed = Elapsed(p.Period(), spentTo)
			ef.Warnings = append(ef.Warnings, fmt.Sprintf("spending is known up to %s: time elapsed is taken at that day (%.1f%%), not at %s",
				ef.AsOf, 100*ef.Elapsed, r.Period.End))
		}
	}
	if len(unknown) > 0 {
		var cs []string
		for c := range unknown {
			cs = append(cs, c)
		}
		sort.Strings(cs)
		ef.Warnings = append(ef.Warnings, fmt.Sprintf("expenditures on results no longer in the framework (%v) count for the project only", cs))
	}
	if p.TotalBudget != nil && len(fw.Budget) > 0 {
		if sum := fw.BudgetTotal(); sum+0.005 < *p.TotalBudget {
			ef.Warnings = append(ef.Warnings, fmt.Sprintf("the budget lines add up to %s, less than the project's total budget %s: rates are on the lines",
				FormatAmount(sum), FormatAmount(*p.TotalBudget)))
		}
	}
	th := ef.Threshold / 100
	finish := func(b *ResultBudget) {
		if b.Budget > 0 {
			rate := b.Spent / b.Budget
			gap := ef.Elapsed - rate
			b.Rate, b.Gap = &rate, &gap
			b.SpendingLags = gap > th+1e-12
			if b.Progress != nil {
				b.ResultsLag = *b.Progress < rate-th-1e-12
			}
		}
	}
	// Progress of each result's own indicators, from the report.
	for i := range r.Results {
		rr := &r.Results[i]
		b, ok := byCode[rr.Code]
		if !ok {
			continue
		}
		sum, n := 0.0, 0
		for _, ind := range rr.Indicators {
			if ind.Progress != nil && finite(*ind.Progress) {
				sum += *ind.Progress
				n++
			}
		}
		if n > 0 {
			m := sum / float64(n)
			b.Progress, b.Indicators = &m, n
		}
	}
	finish(&ef.Project)
	finish(&ef.Operational)
	for _, c := range catOrder {
		x := cats[c]
		if x.Budget > 0 {
			rate := x.Spent / x.Budget
			x.Rate = &rate
		}
		ef.Categories = append(ef.Categories, *x)
	}
	for i := range fw.Results {
		res := &fw.Results[i]
		b, ok := byCode[res.Code]
		if !ok {
			continue
		}
		finish(b)
		ef.Results = append(ef.Results, ResultEfficiency{Code: res.Code, Level: res.Level, Parent: res.Parent, Statement: res.Statement, ResultBudget: *b})
	}
	for i := range r.Results {
		if b, ok := byCode[r.Results[i].Code]; ok {
			c := *b
			r.Results[i].Budget = &c
		}
	}
	r.Efficiency = ef
	return nil
}
