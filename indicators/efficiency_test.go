package indicators

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func effFramework() *Framework {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	return &Framework{
		Project: Project{Code: "P", Title: "T", Start: d(2020, 1, 1), End: d(2023, 12, 31), Currency: "CHF"},
		Results: []Result{
			{Code: "G", Level: Goal},
			{Code: "O1", Level: Outcome, Parent: "G"},
			{Code: "1.1", Level: Output, Parent: "O1"},
			{Code: "A1.1.1", Level: Activity, Parent: "1.1"},
			{Code: "1.2", Level: Output, Parent: "O1"},
			{Code: "O2", Level: Outcome, Parent: "G"},
		},
		Budget: []BudgetLine{
			{Code: "L1", Result: "1.1", Category: CategoryOperational, Amount: 1000},
			{Code: "L2", Result: "A1.1.1", Category: CategoryOperational, Amount: 500},
			{Code: "L3", Result: "1.2", Category: CategoryOperational, Amount: 2000},
			{Code: "L4", Result: "O1", Category: CategoryOperational, Amount: 500},
			{Code: "L5", Category: CategoryStaff, Amount: 1000},
		},
	}
}

func effExp(t *testing.T, result, line, cat, period string, amount float64) Expenditure {
	t.Helper()
	p, err := ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	return Expenditure{Result: result, Line: line, Category: cat, Period: p, Amount: amount}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAddEfficiencyHandComputed(t *testing.T) {
	fw := effFramework()
	exp := []Expenditure{
		effExp(t, "1.1", "L1", CategoryOperational, "2020S1", 300),
		effExp(t, "A1.1.1", "", CategoryOperational, "2021-03-01", 150), // rolls up to 1.1 and O1
		effExp(t, "1.2", "", CategoryOperational, "2021Q1", 200),
		effExp(t, "1.2", "", CategoryOperational, "2021S2", 999),                // after the period: not counted
		effExp(t, "1.2", "", CategoryOperational, "2021-06-01..2021-07-31", 50), // straddles: not counted, warned
		effExp(t, "", "L5", CategoryStaff, "2021S1", 600),
	}
	p := func(x float64) *float64 { return &x }
	r := &Report{Period: ReportPeriod{Code: "2021S1", Start: "2021-01-01", End: "2021-06-30"}, Elapsed: 0.5,
		Results: []ReportResult{
			{Code: "O1", Level: Outcome},
			{Code: "1.1", Level: Output, Indicators: []ReportIndicator{{Progress: p(0.02)}, {Progress: p(0.08)}, {Progress: nil}}},
			{Code: "1.2", Level: Output, Indicators: []ReportIndicator{{Progress: p(0.9)}}},
			{Code: "O2", Level: Outcome},
		}}
	if err := AddEfficiency(r, fw, exp); err != nil {
		t.Fatal(err)
	}
	ef := r.Efficiency
	if ef == nil {
		t.Fatal("no efficiency")
	}
	if ef.Threshold != 20 || ef.Elapsed != 0.5 || ef.AsOf != "2021-06-30" {
		t.Errorf("threshold %v elapsed %v asof %s", ef.Threshold, ef.Elapsed, ef.AsOf)
	}
	type want struct {
		budget, spent, rate, gap float64
		lags, rlag               bool
	}
	check := func(name string, b ResultBudget, w want) {
		t.Helper()
		if !near(b.Budget, w.budget) || !near(b.Spent, w.spent) || b.Rate == nil || !near(*b.Rate, w.rate) || !near(*b.Gap, w.gap) ||
			b.SpendingLags != w.lags || b.ResultsLag != w.rlag {
			t.Errorf("%s: budget %v spent %v rate %v gap %v lags %v rlag %v, want %+v", name, b.Budget, b.Spent, deref(b.Rate), deref(b.Gap), b.SpendingLags, b.ResultsLag, w)
		}
	}
	// 1.1: 1000 + 500 (activity) = 1500; spent 300 + 150 = 450; 30%; gap 50-30 = 20 points: not more than 20.
	// Progress mean (2% + 8%) / 2 = 5% < 30% - 20 = 10%: results lag.
	check("project", ef.Project, want{5000, 1250, 0.25, 0.25, true, false})
	check("operational", ef.Operational, want{4000, 650, 0.1625, 0.3375, true, false})
	got := map[string]ResultEfficiency{}
	var order []string
	for _, x := range ef.Results {
		got[x.Code] = x
		order = append(order, x.Code)
	}
	if strings.Join(order, ",") != "O1,1.1,1.2" {
		t.Errorf("results %v, want O1,1.1,1.2", order)
	}
	check("1.1", got["1.1"].ResultBudget, want{1500, 450, 0.3, 0.2, false, true})
	check("1.2", got["1.2"].ResultBudget, want{2000, 200, 0.1, 0.4, true, false})
	check("O1", got["O1"].ResultBudget, want{4000, 650, 0.1625, 0.3375, true, false})
	if b := got["1.1"]; b.Progress == nil || !near(*b.Progress, 0.05) || b.Indicators != 2 {
		t.Errorf("1.1 progress %v (%d)", deref(b.Progress), b.Indicators)
	}
	if got["O1"].Progress != nil {
		t.Errorf("O1 has no indicators, progress %v", *got["O1"].Progress)
	}
	if r.Results[1].Budget == nil || r.Results[1].Budget.Spent != 450 || r.Results[3].Budget != nil {
		t.Errorf("report blocks: %+v %+v", r.Results[1].Budget, r.Results[3].Budget)
	}
	if len(ef.Categories) != 2 || ef.Categories[1].Category != CategoryStaff || !near(*ef.Categories[1].Rate, 0.6) {
		t.Errorf("categories %+v", ef.Categories)
	}
	if len(ef.Warnings) != 1 || !strings.Contains(ef.Warnings[0], "1 expenditure rows (50 CHF)") {
		t.Errorf("warnings %q", ef.Warnings)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestEfficiencyThresholdFromProject(t *testing.T) {
	fw := effFramework()
	th := 35.0
	fw.Project.EfficiencyThreshold = &th
	r := &Report{Period: ReportPeriod{End: "2021-06-30"}, Elapsed: 0.5, Results: []ReportResult{{Code: "1.2"}}}
	if err := AddEfficiency(r, fw, []Expenditure{effExp(t, "1.2", "", CategoryOperational, "2021Q1", 200)}); err != nil {
		t.Fatal(err)
	}
	// 1.2: 10% spent at 50%: gap 40 points > 35.
	if b := r.Results[0].Budget; b == nil || !b.SpendingLags {
		t.Errorf("1.2 %+v", b)
	}
	// The project: 200 / 5000 = 4%, gap 46 > 35; operational 5%, gap 45.
	if !r.Efficiency.Project.SpendingLags || r.Efficiency.Threshold != 35 {
		t.Errorf("%+v", r.Efficiency.Project)
	}
}

func TestAddEfficiencyNoBudget(t *testing.T) {
	fw := effFramework()
	fw.Budget = nil
	r := &Report{Period: ReportPeriod{End: "2021-06-30"}}
	if err := AddEfficiency(r, fw, nil); err != nil || r.Efficiency != nil {
		t.Errorf("efficiency without a budget: %v %+v", err, r.Efficiency)
	}
}

func TestValidateBudget(t *testing.T) {
	neg, thr, total := -1.0, 150.0, 4000.0
	cases := []struct {
		name  string
		edit  func(fw *Framework)
		field string
		err   error
	}{
		{"ok", func(fw *Framework) {}, "", nil},
		{"unknown result", func(fw *Framework) { fw.Budget[0].Result = "9.9" }, "result", ErrUnknownCode},
		{"negative", func(fw *Framework) { fw.Budget[1].Amount = -5 }, "amount", ErrOutOfRange},
		{"nan", func(fw *Framework) { fw.Budget[1].Amount = math.NaN() }, "amount", ErrOutOfRange},
		{"currency", func(fw *Framework) { fw.Budget[2].Currency = "USD" }, "currency", ErrInvalid},
		{"same currency other case", func(fw *Framework) { fw.Budget[2].Currency = "chf" }, "", nil},
		{"no category", func(fw *Framework) { fw.Budget[2].Category = " " }, "category", ErrRequired},
		{"duplicate code", func(fw *Framework) { fw.Budget[3].Code = "l1" }, "code", ErrDuplicate},
		{"negative in-kind", func(fw *Framework) { fw.Project.InKind = &neg }, "in_kind", ErrOutOfRange},
		{"threshold", func(fw *Framework) { fw.Project.EfficiencyThreshold = &thr }, "efficiency_threshold", ErrOutOfRange},
		{"lines exceed total", func(fw *Framework) { fw.Project.TotalBudget = &total }, "total_budget", ErrOutOfRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fw := effFramework()
			c.edit(fw)
			p := fw.ValidateBudget()
			if c.err == nil {
				if len(p) != 0 {
					t.Fatalf("problems: %v", p)
				}
				return
			}
			if len(p) != 1 {
				t.Fatalf("want 1 problem, got %v", p)
			}
			var ce *CellError
			if !errors.As(p[0], &ce) || ce.Field != c.field || !errors.Is(p[0], c.err) {
				t.Errorf("got %v (field %v), want %s %v", p[0], ce, c.field, c.err)
			}
		})
	}
}

func TestValidateAndResolveExpenditure(t *testing.T) {
	fw := effFramework()
	cases := []struct {
		name  string
		e     Expenditure
		field string
		err   error
	}{
		{"result", effExp(t, "1.1", "", "", "2021Q1", 10), "", nil},
		{"line", effExp(t, "", "L3", "", "2021Q1", 10), "", nil},
		{"line and its activity", effExp(t, "A1.1.1", "L1", "", "2021Q1", 10), "", nil},
		{"unknown result", effExp(t, "7.7", "", "", "2021Q1", 10), "result", ErrUnknownCode},
		{"unknown line", effExp(t, "", "L9", "", "2021Q1", 10), "line", ErrUnknownCode},
		{"line of another result", effExp(t, "1.2", "L1", "", "2021Q1", 10), "result", ErrInvalid},
		{"negative", effExp(t, "1.1", "", "", "2021Q1", -10), "amount", ErrOutOfRange},
		{"currency", func() Expenditure { e := effExp(t, "1.1", "", "", "2021Q1", 10); e.Currency = "EUR"; return e }(), "currency", ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			fw.ResolveExpenditure(&e)
			err := fw.ValidateExpenditure(e)
			if c.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				if e.Category != CategoryOperational || e.Result == "" {
					t.Errorf("resolved %+v", e)
				}
				return
			}
			var ce *CellError
			if !errors.As(err, &ce) || ce.Field != c.field || !errors.Is(err, c.err) {
				t.Errorf("got %v, want %s %v", err, c.field, c.err)
			}
		})
	}
}

func TestParseCategoryAndFormatAmount(t *testing.T) {
	for in, want := range map[string]string{"Operational costs": CategoryOperational, "Staff & office": CategoryStaff,
		"M&E": CategoryME, "  Travel   grants ": "Travel grants"} {
		if got, err := ParseCategory(in); err != nil || got != want {
			t.Errorf("ParseCategory(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseCategory(" "); !errors.Is(err, ErrRequired) {
		t.Errorf("empty category: %v", err)
	}
	for in, want := range map[float64]string{3336140: "3,336,140", 1250.5: "1,250.50", 999: "999", -1000: "-1,000", 0: "0"} {
		if got := FormatAmount(in); got != want {
			t.Errorf("FormatAmount(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestBudgetOwners(t *testing.T) {
	fw := &Framework{Results: []Result{
		{Code: "OO", Level: Goal},
		{Code: "O1", Level: Outcome, Parent: "OO"},
		{Code: "1.1", Level: Output, Parent: "O1"},
		{Code: "A1.1.1", Level: Activity, Parent: "1.1"},
		{Code: "1.9", Level: Output},                // no outcome above it
		{Code: "A9", Level: Activity, Parent: "A9"}, // a parent cycle: Validate refuses it, BudgetOwners must not hang
		{Code: "X1", Level: Output, Parent: "X2"},
		{Code: "X2", Level: Output, Parent: "X1"},
	}}
	for _, tt := range []struct{ code, output, outcome string }{
		{"A1.1.1", "1.1", "O1"}, // an activity rolls up to its output and that output's outcome
		{"1.1", "1.1", "O1"},
		{"O1", "", "O1"},
		{"OO", "", ""},
		{"1.9", "1.9", ""},
		{"nope", "", ""},
		{"A9", "", ""},
		{"X1", "X1", ""},
	} {
		out, oc := fw.BudgetOwners(tt.code)
		if out != tt.output || oc != tt.outcome {
			t.Errorf("BudgetOwners(%s) = %q, %q; want %q, %q", tt.code, out, oc, tt.output, tt.outcome)
		}
	}
}
