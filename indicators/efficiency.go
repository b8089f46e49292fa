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
	b := &effBuilder{fw: fw, byCode: map[string]*ResultBudget{}, cats: map[string]*CategoryBudget{}, owners: map[string][2]string{},
		ef: &Efficiency{Currency: p.Currency, AsOf: r.Period.End, Elapsed: r.Elapsed, Threshold: p.Threshold(),
			TotalBudget: p.TotalBudget, InKind: p.InKind}}
	for _, l := range fw.Budget {
		b.add(l.Result, l.Category, l.Amount, false)
	}
	b.spending(exp, asOf, r.Period.End)
	if p.TotalBudget != nil && len(fw.Budget) > 0 {
		if sum := fw.BudgetTotal(); sum+0.005 < *p.TotalBudget {
			b.ef.Warnings = append(b.ef.Warnings, fmt.Sprintf("the budget lines add up to %s, less than the project's total budget %s: rates are on the lines",
				FormatAmount(sum), FormatAmount(*p.TotalBudget)))
		}
	}
	b.progress(r)
	b.rates()
	for i := range r.Results {
		if rb, ok := b.byCode[r.Results[i].Code]; ok {
			c := *rb
			r.Results[i].Budget = &c
		}
	}
	r.Efficiency = b.ef
	return nil
}

// effBuilder adds up the budget and the spending of a project by result
// and category, then works out the rates and flags (AddEfficiency).
type effBuilder struct {
	fw       *Framework
	ef       *Efficiency
	byCode   map[string]*ResultBudget // the outputs' and outcomes' blocks
	cats     map[string]*CategoryBudget
	catOrder []string
	owners   map[string][2]string // fw.BudgetOwners, once per code and not per row
}

// at is the block of result code.
func (b *effBuilder) at(code string) *ResultBudget {
	x := b.byCode[code]
	if x == nil {
		x = &ResultBudget{}
		b.byCode[code] = x
	}
	return x
}

// cat is the block of category c.
func (b *effBuilder) cat(c string) *CategoryBudget {
	x := b.cats[c]
	if x == nil {
		x = &CategoryBudget{Category: c}
		b.cats[c] = x
		b.catOrder = append(b.catOrder, c)
	}
	return x
}

// add counts amount (a budget or spending) for the project, the category
// and the output and outcome of code.
func (b *effBuilder) add(code, category string, amount float64, spent bool) {
	op := IsOperational(category)
	targets := []*ResultBudget{&b.ef.Project}
	if op {
		targets = append(targets, &b.ef.Operational)
	}
	own, ok := b.owners[code]
	if !ok {
		own[0], own[1] = b.fw.BudgetOwners(code)
		b.owners[code] = own
	}
	for _, c := range own {
		if c != "" {
			targets = append(targets, b.at(c))
		}
	}
	for _, t := range targets {
		if spent {
			t.Spent += amount
			if op {
				t.OperationalSpent += amount
			}
		} else {
			t.Budget += amount
			if op {
				t.OperationalBudget += amount
			}
		}
	}
	if spent {
		b.cat(category).Spent += amount
	} else {
		b.cat(category).Budget += amount
	}
}

// spending counts the expenditures whose period ends by asOf (the report
// period's end, periodEnd as printed) and warns of those that straddle it
// and of results no longer in the framework.
func (b *effBuilder) spending(exp []Expenditure, asOf time.Time, periodEnd string) {
	ef, p := b.ef, b.fw.Project
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
			if _, ok := b.fw.Result(e.Result); !ok {
				unknown[e.Result] = true
			}
		}
		b.add(e.Result, e.Category, e.Amount, true)
	}
	if late > 0 {
		ef.Warnings = append(ef.Warnings, fmt.Sprintf("%d expenditure rows (%s %s) cover periods that end after %s and are not counted",
			late, FormatAmount(lateAmount), p.Currency, periodEnd))
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
				ef.AsOf, 100*ef.Elapsed, periodEnd))
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
}

// progress sets each budgeted result's progress: the mean progress of its
// own indicators, from the report.
func (b *effBuilder) progress(r *Report) {
	for i := range r.Results {
		rr := &r.Results[i]
		rb, ok := b.byCode[rr.Code]
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
			rb.Progress, rb.Indicators = &m, n
		}
	}
}

// finish sets x's disbursement rate, gap to the time elapsed and flags.
func (b *effBuilder) finish(x *ResultBudget) {
	th := b.ef.Threshold / 100
	if x.Budget > 0 {
		rate := x.Spent / x.Budget
		gap := b.ef.Elapsed - rate
		x.Rate, x.Gap = &rate, &gap
		x.SpendingLags = gap > th+1e-12
		if x.Progress != nil {
			x.ResultsLag = *x.Progress < rate-th-1e-12
		}
	}
}

// rates finishes the project, operational, category and result blocks, in
// the framework's order.
func (b *effBuilder) rates() {
	ef := b.ef
	b.finish(&ef.Project)
	b.finish(&ef.Operational)
	for _, c := range b.catOrder {
		x := b.cats[c]
		if x.Budget > 0 {
			rate := x.Spent / x.Budget
			x.Rate = &rate
		}
		ef.Categories = append(ef.Categories, *x)
	}
	for i := range b.fw.Results {
		res := &b.fw.Results[i]
		rb, ok := b.byCode[res.Code]
		if !ok {
			continue
		}
		b.finish(rb)
		ef.Results = append(ef.Results, ResultEfficiency{Code: res.Code, Level: res.Level, Parent: res.Parent, Statement: res.Statement, ResultBudget: *rb})
	}
}
