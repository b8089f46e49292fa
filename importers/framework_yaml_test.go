package importers

import (
	"errors"
	"strings"
	"testing"

	"github.com/rmf-project/rmf/indicators"
)

// baseYAML is a small valid framework; the bad-input tests replace one
// line at a time, so line numbers stay as written here.
const baseYAML = `project:
  code: MIG
  title: Migration project
  start: 2020-01-01
  end: 2022-12-31
  year_start: 9
results:
  - code: G
    level: goal
    statement: Better well-being
  - code: O1
    level: outcome
    parent: G
    statement: Better data
  - code: "1.1"
    level: output
    parent: O1
    statement: Staff trained
indicators:
  - code: G.1
    result: G
    name: Well-being
    unit: percent
    baseline: 10
    target: 75
    baseline_date: 2020-01-01
  - code: 1.1.1
    result: "1.1"
    name: Staff trained
    unit: number
    direction: increase
    aggregation: sum
    disaggregations: [sex]
    target: 100
  - code: 1.1.2
    result: "1.1"
    name: Trained per site
    unit: ratio
    formula: value("1.1.1") / 2
milestones:
  - {indicator: 1.1.1, period: 2021S1, target: 40}
  - {indicator: 1.1.1, period: 2021S1, target: 20, disaggregation: sex=female}
  - {indicator: G.1, period: "2021", target: 50}
dimensions:
  sex: [female, male]
rules:
  - code: R1
    check: value("1.1.1") >= 0
    severity: warning
`

func readYAML(src string) (*indicators.Framework, error) {
	return ReadFrameworkYAML(strings.NewReader(src), "fw.yaml")
}

func TestReadFrameworkYAMLBase(t *testing.T) {
	fw, err := readYAML(baseYAML)
	if err != nil {
		t.Fatalf("base: %v", err)
	}
	if len(fw.Results) != 3 || len(fw.Indicators) != 3 || len(fw.Milestones) != 3 || len(fw.Rules) != 1 {
		t.Fatalf("counts: %+v", fw)
	}
	if fw.Milestones[2].Period.String() != "2021" || fw.Milestones[1].Dims.Key() != "sex=female" {
		t.Errorf("milestones = %+v", fw.Milestones)
	}
	if fw.Indicators[0].Loc.Row != 20 || fw.Indicators[0].Loc.File != "fw.yaml" {
		t.Errorf("G.1 loc = %+v", fw.Indicators[0].Loc)
	}
}

// TestReadFrameworkYAMLVariants: keys are matched without regard to case,
// spaces and underscores; a disaggregation may be a mapping; yes/no and
// percent figures in their usual spellings.
func TestReadFrameworkYAMLVariants(t *testing.T) {
	src := strings.NewReplacer(
		"  year_start: 9", "  Year Start: September\n  Reporting: quarterly",
		"    baseline: 10", "    Baseline: 10%",
		"    target: 75", "    End_Of_Project_Target: \"75%\"",
		"disaggregation: sex=female}", "disaggregation: {Sex: Female}}",
	).Replace(baseYAML)
	src = strings.Replace(src, "  - code: 1.1.2", "  - code: 1.1.3\n    result: \"1.1\"\n    name: Tools\n    unit: Yes/No\n    baseline: false\n    target: yes\n  - code: 1.1.2", 1)
	fw, err := readYAML(src)
	if err != nil {
		t.Fatalf("variants: %v", err)
	}
	if fw.Project.YearStart != 9 || fw.Project.Reporting != "quarterly" {
		t.Errorf("project = %+v", fw.Project)
	}
	g := fw.Indicators[0]
	if *g.Baseline != 10 || *g.Target != 75 {
		t.Errorf("G.1 baseline %v target %v", *g.Baseline, *g.Target)
	}
	yn := fw.Indicators[2]
	if yn.Unit != indicators.YesNo || *yn.Baseline != 0 || *yn.Target != 1 {
		t.Errorf("1.1.3 = %+v", yn)
	}
	if fw.Milestones[1].Dims.Key() != "sex=female" {
		t.Errorf("milestone dims = %v", fw.Milestones[1].Dims)
	}
}

func TestReadFrameworkYAMLDimensionRows(t *testing.T) {
	src := strings.Replace(baseYAML, "  sex: [female, male]", "  - {dimension: Sex, value: female}\n  - {Dimension: sex, Values: \"male\"}", 1)
	fw, err := readYAML(src)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := fw.Dimension("sex"); !ok || strings.Join(d.Values, ",") != "female,male" {
		t.Errorf("dimensions = %+v", fw.Dimensions)
	}
}

func TestReadFrameworkYAMLBadInput(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replace old (once) by new in baseYAML
		sentinel error
		line     int
		want     []string
		n        int // problems expected; 0 means 1
	}{
		{"not YAML", "  code: MIG", "  code: [MIG", indicators.ErrInvalid, 0, []string{"not valid YAML"}, 0},
		{"missing section", "indicators:", "indicatorz:", indicators.ErrInvalid, 19,
			[]string{`unknown key "indicatorz"`, "expected one of: project, results, indicators"}, 2}, // and: no indicators section
		{"unknown key", "    statement: Better data", "    statment: Better data", indicators.ErrInvalid, 14,
			[]string{`unknown key "statment" in result 2`, "expected one of: code, level, parent, statement"}, 2}, // and: no statement
		{"missing required field", "    statement: Better data", "    assumptions: none", indicators.ErrRequired, 11,
			[]string{"result O1 has no statement"}, 0},
		{"duplicate code", "  - code: 1.1.2", "  - code: 1.1.1", indicators.ErrDuplicate, 35,
			[]string{"code 1.1.1", "already used by an indicator (fw.yaml line 27)"}, 0},
		{"unknown parent", "    parent: O1", "    parent: O7", indicators.ErrUnknownCode, 17,
			[]string{`parent "O7"`, "not a result code"}, 0},
		{"wrong-level parent", "    parent: O1", "    parent: G", indicators.ErrLevel, 17,
			[]string{"result 1.1 is an output but its parent G is a goal", "must be an outcome"}, 0},
		{"unknown level", "    level: outcome", "    level: milestone", indicators.ErrInvalid, 12,
			[]string{`level "milestone"`, "expected goal, outcome, output or activity"}, 0},
		{"unknown unit", "    unit: number", "    unit: people", indicators.ErrInvalid, 30,
			[]string{`unit "people"`, "expected number, percent"}, 0},
		{"unknown direction", "    direction: increase", "    direction: upward", indicators.ErrInvalid, 31,
			[]string{`direction "upward"`, "expected increase, decrease or maintain"}, 0},
		{"unknown aggregation", "    aggregation: sum", "    aggregation: median", indicators.ErrInvalid, 32,
			[]string{`aggregation "median"`, "expected sum, last, max, min or mean"}, 0},
		{"non-numeric baseline", "    baseline: 10", "    baseline: ten", indicators.ErrInvalid, 24,
			[]string{`baseline "ten" is not a number`, "expected a number for a percent indicator"}, 0},
		{"non-numeric target", "    target: 100", "    target: a hundred", indicators.ErrInvalid, 34,
			[]string{`target "a hundred" is not a number`}, 0},
		{"unparseable date", "  start: 2020-01-01", "  start: sometime in 2020", indicators.ErrInvalid, 4,
			[]string{`start "sometime in 2020" is not a date`, "expected a date such as 2021-07-15"}, 0},
		{"unparseable baseline date", "    baseline_date: 2020-01-01", "    baseline_date: 2020-02-30", indicators.ErrInvalid, 26,
			[]string{`baseline_date "2020-02-30" is not a date`}, 0},
		{"unparseable period", "period: 2021S1, target: 40}", "period: 2021S3, target: 40}", indicators.ErrInvalid, 41,
			[]string{`period "2021S3"`}, 0},
		{"milestone for an unknown indicator", "{indicator: G.1,", "{indicator: G.9,", indicators.ErrUnknownCode, 43,
			[]string{`milestone for "G.9"`, "not an indicator code"}, 0},
		{"formula that does not compile", `    formula: value("1.1.1") / 2`, `    formula: value("1.1.1") / (2`, indicators.ErrFormula, 39,
			[]string{"indicator 1.1.2, column formula at 1:", `value(\"1.1.1\") / (2`}, 0},
		{"unknown code in a formula", `    formula: value("1.1.1") / 2`, `    formula: value("1.1.9") / 2`, indicators.ErrUnknownCode, 39,
			[]string{"indicator 1.1.2, column formula at 1:7", `"1.1.9" is not an indicator`}, 0},
		{"cycle between formulas", `    formula: value("1.1.1") / 2`, `    formula: value("1.1.2") / 2`, indicators.ErrCycle, 39,
			[]string{"1.1.2 -> 1.1.2"}, 0},
		{"undeclared dimension", "    disaggregations: [sex]", "    disaggregations: [sex, age]", indicators.ErrDimension, 33,
			[]string{`disaggregated by "age"`, "not declared in the Dimensions sheet (declared: sex)"}, 0},
		{"milestone for an undeclared dimension", "disaggregation: sex=female}", "disaggregation: {age: young}}", indicators.ErrDimension, 42,
			[]string{`"age" is not a declared dimension`}, 0},
		{"list where a value is expected", "    name: Staff trained", "    name: [Staff, trained]", indicators.ErrInvalid, 29,
			[]string{"name of indicator 2 is a list, expected a single value"}, 0},
		{"section of the wrong kind", "rules:", "rules: none\nrulez:", indicators.ErrInvalid, 46,
			[]string{"rules is a value \"none\", expected a list of mappings"}, 2}, // and: unknown key rulez
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(baseYAML, tt.old) {
				t.Fatalf("base YAML has no %q", tt.old)
			}
			src := strings.Replace(baseYAML, tt.old, tt.new, 1)
			fw, err := readYAML(src)
			if err == nil {
				t.Fatalf("no error; read %d indicators", len(fw.Indicators))
			}
			var probs indicators.Problems
			if !errors.As(err, &probs) {
				t.Fatalf("error is %T, want indicators.Problems: %v", err, err)
			}
			var ce *indicators.CellError
			for _, p := range probs {
				if errors.Is(p, tt.sentinel) && errors.As(p, &ce) {
					break
				}
			}
			if ce == nil {
				t.Fatalf("no problem wraps %v:\n%v", tt.sentinel, err)
			}
			if tt.line > 0 && ce.Row != tt.line {
				t.Errorf("problem at line %d, want %d: %v", ce.Row, tt.line, ce)
			}
			msg := ce.Error()
			if !strings.HasPrefix(msg, "fw.yaml:") {
				t.Errorf("message %q does not start with the file and line", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q\n does not contain %q", msg, w)
				}
			}
			n := tt.n
			if n == 0 {
				n = 1
			}
			if len(probs) != n {
				t.Errorf("want %d problems, got %d:\n%v", n, len(probs), err)
			}
		})
	}
}

func TestReadFrameworkYAMLAllProblems(t *testing.T) {
	src := strings.NewReplacer(
		"    parent: O1", "    parent: O7",
		"    unit: number", "    unit: people",
		"{indicator: G.1,", "{indicator: G.9,",
		"  start: 2020-01-01", "  start: soon",
	).Replace(baseYAML)
	_, err := readYAML(src)
	var probs indicators.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("err = %v", err)
	}
	var lines []int
	for _, p := range probs {
		var ce *indicators.CellError
		errors.As(p, &ce)
		lines = append(lines, ce.Row)
	}
	want := []int{4, 17, 30, 43}
	if len(lines) != len(want) {
		t.Fatalf("lines %v, want %v:\n%v", lines, want, err)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Fatalf("lines %v, want %v:\n%v", lines, want, err)
		}
	}
}

func TestReadFrameworkYAMLEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing\n", "[1, 2]", "project: {code: X}\n"} {
		_, err := readYAML(src)
		if err == nil {
			t.Errorf("%q: no error", src)
			continue
		}
		if !strings.HasPrefix(err.Error(), "fw.yaml") || !strings.Contains(err.Error(), "expected") {
			t.Errorf("%q: %v", src, err)
		}
	}
}
