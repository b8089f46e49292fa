package indicators

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestValidate: each semantic problem is reported once, wrapping its
// sentinel, at the field of the item (cell from Loc), naming the code,
// what was seen and what is expected.
func TestValidate(t *testing.T) {
	if p := lintBase().Validate(); len(p) != 0 {
		t.Fatalf("base framework: %v", p)
	}
	tests := []struct {
		name     string
		edit     func(fw *Framework)
		sentinel error
		field    string
		want     []string
	}{
		{"project without title", func(fw *Framework) { fw.Project.Title = "" }, ErrRequired, "title", []string{"no title"}},
		{"project ends before it starts", func(fw *Framework) {
			fw.Project.End = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
		}, ErrInvalid, "end", []string{"ends (2019-01-01) before it starts (2020-01-01)"}},
		{"project starts in year 1", func(fw *Framework) {
			fw.Project.Start = time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC)
		}, ErrOutOfRange, "start", []string{"the project's start 0001-01-02 is outside the years rmf accepts (1950 to 2100)"}},
		{"project ends in 9999", func(fw *Framework) {
			fw.Project.End = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		}, ErrOutOfRange, "end", []string{"the project's end 9999-12-31 is outside the years rmf accepts (1950 to 2100)"}},
		{"milestone in 2300", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: Quarter(2300, 1), Target: 1}}
		}, ErrOutOfRange, "period", []string{"milestone of 1.1.1 is due 2300Q1, outside the years rmf accepts (1950 to 2100)"}},
		{"target of 1e308", func(fw *Framework) { fw.Indicators[1].Target = chkF(1e308) }, ErrOutOfRange, "target",
			[]string{"has the target 1e308, beyond the largest number rmf accepts (1e15"}},
		{"milestone of -2e15", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: Year(2021), Target: -2e15}}
		}, ErrOutOfRange, "target", []string{"milestone of 1.1.1 has the target -2e15, beyond"}},
		{"year start out of range", func(fw *Framework) { fw.Project.YearStart = 13 }, ErrOutOfRange, "year_start", []string{"13", "1 to 12"}},
		{"malformed code", func(fw *Framework) { fw.Results[2].Code = "1 1"; fw.Indicators[2].Result = "1 1" }, ErrInvalid, "code",
			[]string{`"1 1"`, "letters, digits"}},
		{"goal with a parent", func(fw *Framework) {
			fw.Results = append(fw.Results, Result{Code: "G2", Level: Goal, Parent: "G", Statement: "x"})
		}, ErrLevel, "parent", []string{"G2 is a goal and has parent G"}},
		{"contributes to a goal", func(fw *Framework) { fw.Results[2].ContributesTo = []string{"G"} }, ErrLevel, "contributes_to",
			[]string{"contributes to G, which is a goal", "must name outcomes"}},
		{"contributes to an unknown result", func(fw *Framework) { fw.Results[2].ContributesTo = []string{"O9"} }, ErrUnknownCode, "contributes_to",
			[]string{`"O9"`}},
		{"numerator without denominator", func(fw *Framework) { fw.Indicators[1].Numerator = "1.1.1" }, ErrRequired, "denominator",
			[]string{"has a numerator (1.1.1) but no denominator"}},
		{"unknown denominator", func(fw *Framework) {
			fw.Indicators[1].Numerator, fw.Indicators[1].Denominator = "1.1.1", "zz"
		}, ErrUnknownCode, "denominator", []string{`denominator "zz"`}},
		{"yes/no baseline not 0 or 1", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline, fw.Indicators[1].Target = YesNo, chkF(2), chkF(1)
		}, ErrOutOfRange, "baseline", []string{"yes/no but its baseline is 2"}},
		{"dimension named twice by an indicator", func(fw *Framework) { fw.Indicators[1].Disaggregations = []string{"sex", "Sex"} },
			ErrDuplicate, "disaggregations", []string{"names dimension Sex twice"}},
		{"milestone by a dimension the indicator lacks", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Period: Year(2021), Target: 1, Dims: Disagg{"sex": "female"}}}
		}, ErrDimension, "disaggregation", []string{"1.1.1 is not disaggregated by sex"}},
		{"yes/no milestone not 0 or 1", func(fw *Framework) {
			fw.Indicators[1].Unit, fw.Indicators[1].Baseline, fw.Indicators[1].Target = YesNo, chkF(0), chkF(1)
			fw.Milestones = []Milestone{{Indicator: "O1.1", Period: Year(2021), Target: 5}}
		}, ErrOutOfRange, "target", []string{"target is 5; write yes or no"}},
		{"milestone without a period", func(fw *Framework) {
			fw.Milestones = []Milestone{{Indicator: "1.1.1", Target: 1}}
		}, ErrRequired, "period", []string{"milestone of 1.1.1 has no period"}},
		{"dimension value listed twice", func(fw *Framework) { fw.Dimensions[0].Values = []string{"female", "Female"} },
			ErrDuplicate, "value", []string{"lists value Female twice"}},
		{"dimension declared twice", func(fw *Framework) {
			fw.Dimensions = append(fw.Dimensions, Dimension{Name: "SEX", Values: []string{"x"}})
		}, ErrDuplicate, "dimension", []string{"SEX is declared twice"}},
		{"rule code used twice", func(fw *Framework) {
			fw.Rules = []Rule{{Code: "R", Check: "true"}, {Code: "R", Check: "true"}}
		}, ErrDuplicate, "code", []string{"rule code R is used twice"}},
		{"rule severity unknown", func(fw *Framework) {
			fw.Rules = []Rule{{Code: "R", Check: "true", Severity: "fatal"}}
		}, ErrInvalid, "severity", []string{`severity "fatal"`, "expected error or warning"}},
		{"status rule returns no status", func(fw *Framework) {
			fw.Indicators[0].StatusRule = `"fine"`
		}, ErrFormula, "status_rule", []string{"indicator G.1, column status_rule", "fine"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fw := lintBase()
			tt.edit(fw)
			probs := fw.Validate()
			if len(probs) != 1 {
				t.Fatalf("want one problem, got %d:\n%v", len(probs), probs)
			}
			var ce *CellError
			if !errors.As(probs[0], &ce) {
				t.Fatalf("problem is %T", probs[0])
			}
			if !errors.Is(ce, tt.sentinel) || ce.Field != tt.field {
				t.Errorf("problem %q: field %q, want %q wrapping %v", ce, ce.Field, tt.field, tt.sentinel)
			}
			for _, w := range tt.want {
				if !strings.Contains(ce.Error(), w) {
					t.Errorf("message %q\n does not contain %q", ce.Error(), w)
				}
			}
		})
	}
}

// TestValidateCells: problems name the cell recorded in the item's Loc.
func TestValidateCells(t *testing.T) {
	fw := lintBase()
	fw.Results[2].Parent = "nope"
	fw.Results[2].Loc = Loc{File: "fw.xlsx", Sheet: "Results", Row: 4, Cells: map[string]string{"parent": "C4"}}
	probs := fw.Validate()
	if len(probs) != 1 || probs[0].Error() != `fw.xlsx: sheet Results, cell C4 (parent): unknown code: result 1.1 names parent "nope", which is not a result code of the Results sheet` {
		t.Errorf("got %v", probs)
	}
}
