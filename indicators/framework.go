package indicators

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Level is the place of a result in the logframe.
type Level string

const (
	Goal     Level = "goal"     // overall objective, impact
	Outcome  Level = "outcome"  // the change the project is accountable for
	Output   Level = "output"   // what the project delivers
	Activity Level = "activity" // the work done to produce outputs
)

// Levels lists the levels from the top of the logframe down.
var Levels = []Level{Goal, Outcome, Output, Activity}

// Rank is 0 for the goal and 3 for activities; -1 for an unknown level.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// Parent returns the level one above l ("" for the goal).
func (l Level) Parent() Level {
	if r := l.Rank(); r > 0 {
		return Levels[r-1]
	}
	return ""
}

// ParseLevel reads a level as people write it.
func ParseLevel(s string) (Level, error) {
	switch norm(s) {
	case "goal", "overallobjective", "objective", "impact":
		return Goal, nil
	case "outcome", "specificobjective", "purpose":
		return Outcome, nil
	case "output", "result":
		return Output, nil
	case "activity", "activities":
		return Activity, nil
	}
	return "", fmt.Errorf("%w: level %q, expected goal, outcome, output or activity", ErrInvalid, s)
}

// Unit is what an indicator's figures count.
type Unit string

const (
	Number   Unit = "number"
	Percent  Unit = "percent"
	Ratio    Unit = "ratio"
	Currency Unit = "currency"
	YesNo    Unit = "yes/no"
	Text     Unit = "text"
)

// Units lists every unit.
var Units = []Unit{Number, Percent, Ratio, Currency, YesNo, Text}

// ParseUnit reads a unit as people write it.
func ParseUnit(s string) (Unit, error) {
	switch norm(s) {
	case "number", "count", "#", "num", "integer":
		return Number, nil
	case "percent", "percentage", "%", "pct":
		return Percent, nil
	case "ratio", "rate":
		return Ratio, nil
	case "currency", "money", "amount":
		return Currency, nil
	case "yes/no", "yesno", "boolean", "bool", "y/n", "binary":
		return YesNo, nil
	case "text", "qualitative", "string":
		return Text, nil
	}
	return "", fmt.Errorf("%w: unit %q, expected number, percent, ratio, currency, yes/no or text", ErrInvalid, s)
}

// Numeric is true for units whose figures are numbers (yes/no is stored as 1/0).
func (u Unit) Numeric() bool { return u != Text }

// Direction says which way is better.
type Direction string

const (
	Increase Direction = "increase"
	Decrease Direction = "decrease"
	Maintain Direction = "maintain"
)

// ParseDirection reads a direction; empty means increase.
func ParseDirection(s string) (Direction, error) {
	switch norm(s) {
	case "", "increase", "up", "higher", "higherisbetter", "ascending":
		return Increase, nil
	case "decrease", "down", "lower", "lowerisbetter", "descending":
		return Decrease, nil
	case "maintain", "stable", "keep":
		return Maintain, nil
	}
	return "", fmt.Errorf("%w: direction %q, expected increase, decrease or maintain", ErrInvalid, s)
}

// Aggregation says how an indicator's figures add up over time.
type Aggregation string

const (
	Sum  Aggregation = "sum"
	Last Aggregation = "last"
	Max  Aggregation = "max"
	Min  Aggregation = "min"
	Mean Aggregation = "mean"
)

// ParseAggregation reads an aggregation; empty returns "" (the unit's default applies).
func ParseAggregation(s string) (Aggregation, error) {
	switch norm(s) {
	case "":
		return "", nil
	case "sum", "cumulative", "total", "add":
		return Sum, nil
	case "last", "latest", "level", "current":
		return Last, nil
	case "max", "maximum", "highest":
		return Max, nil
	case "min", "minimum", "lowest":
		return Min, nil
	case "mean", "average", "avg":
		return Mean, nil
	}
	return "", fmt.Errorf("%w: aggregation %q, expected sum, last, max, min or mean", ErrInvalid, s)
}

// Severity of a finding or rule.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// ParseSeverity reads a severity; empty means error.
func ParseSeverity(s string) (Severity, error) {
	switch norm(s) {
	case "", "error", "err":
		return SevError, nil
	case "warning", "warn":
		return SevWarning, nil
	case "info", "information", "note":
		return SevInfo, nil
	}
	return "", fmt.Errorf("%w: severity %q, expected error or warning", ErrInvalid, s)
}

// Project is the Project sheet: the activity as a whole.
type Project struct {
	Code     string
	Title    string
	Start    time.Time // first day, UTC
	End      time.Time // last day, UTC
	Donor    string
	Currency string
	// Reporting is the reporting frequency: monthly, quarterly, semiannual or annual.
	Reporting string
	// YearStart is the month (1..12) a project year starts in; 0 or 1 is January.
	YearStart int
	// StatusRule is the project's default status rule (an expr formula), or "".
	StatusRule string
	// IATI fields: the activity identifier and the reporting organisation.
	IATIIdentifier string
	ReportingOrg   string
	ReportingOrgID string
	// ReportingOrgType is the IATI OrganisationType code of the reporting
	// organisation (10 government, 21 international NGO, 40 multilateral, ...).
	ReportingOrgType string
	// IATI publisher details kept as an imported activity file gave them
	// (indicators/iati.go): whether the reporting organisation is a
	// secondary reporter (nil: not said), and the activity dates by type. A
	// zero date was not given: the export then writes start as the planned
	// start and end as the planned end (unless an actual date is given
	// instead).
	SecondaryReporter                                *bool
	PlannedStart, ActualStart, PlannedEnd, ActualEnd time.Time
	Description                                      string
	// Budget (issue 7, indicators/budget.go): the total budget and the
	// in-kind contributions in Currency (nil when not given), and the
	// efficiency threshold in percentage points (nil: DefaultEfficiencyThreshold).
	TotalBudget         *float64
	InKind              *float64
	EfficiencyThreshold *float64
	Loc                 Loc
}

// Period returns the whole project as a period.
func (p Project) Period() Period { return Range(p.Start, p.End) }

// Calendar returns the project's calendar (for project years).
func (p Project) Calendar() Calendar {
	return Calendar{Start: p.Start, YearStart: time.Month(p.YearStart)}
}

// Result is a node of the logframe.
type Result struct {
	Code          string
	Level         Level
	Parent        string
	Statement     string
	Assumptions   string
	ContributesTo []string
	Loc           Loc
}

// Indicator measures a result (or, with Result empty, is a supporting
// measure used only in formulas).
type Indicator struct {
	Code         string
	Result       string
	Name         string
	Definition   string
	Unit         Unit
	Direction    Direction
	Baseline     *float64 // nil when not given; yes/no as 1/0
	BaselineText string   // for text indicators
	BaselineDate *time.Time
	Target       *float64 // end-of-project target
	TargetText   string
	// Aggregation as given; use AggregationOrDefault for the rule in force.
	Aggregation     Aggregation
	Disaggregations []string // dimension names
	Formula         string
	Numerator       string // code of the supporting measure counted on top
	Denominator     string // code of the supporting measure counted below
	StatusRule      string
	// Milestones says how the milestones are written: cumulative, per
	// period, or "" (inferred; see Framework.MilestoneUse).
	Milestones MilestoneReading
	// Path is the shape of the expected path: line, steps or "" (the
	// unit's default; see PathShapeOrDefault).
	Path                PathShape
	DataSource          string
	CollectionMethod    string
	Frequency           string // monthly, quarterly, semiannual, annual, end, ...
	Responsible         string
	MeansOfVerification string
	Notes               string
	Loc                 Loc
}

// AggregationOrDefault is the aggregation in force: as given, else sum for
// numbers and currency, last otherwise.
func (ind Indicator) AggregationOrDefault() Aggregation {
	if ind.Aggregation != "" {
		return ind.Aggregation
	}
	if ind.Unit == Number || ind.Unit == Currency {
		return Sum
	}
	return Last
}

// Computed is true for indicators defined by a formula.
func (ind Indicator) Computed() bool { return strings.TrimSpace(ind.Formula) != "" }

// IsRatio is true for indicators computed as numerator over denominator
// (given by supporting measures).
func (ind Indicator) IsRatio() bool { return ind.Numerator != "" && ind.Denominator != "" }

// EndOnly is true for indicators measured only at the end of the project.
func (ind Indicator) EndOnly() bool {
	switch norm(ind.Frequency) {
	case "end", "endofproject", "endline", "atend", "final", "endproject", "projectend":
		return true
	}
	return false
}

// Milestone is a target due by the end of a period, for the total or for one disaggregation.
type Milestone struct {
	Indicator  string
	Period     Period
	Target     float64 // yes/no as 1/0
	TargetText string  // for text indicators
	Dims       Disagg
	Loc        Loc
}

// Dimension is a disaggregation dimension and its allowed values.
type Dimension struct {
	Name   string
	Values []string
	Loc    Loc
}

// Rule is a data-quality check that must hold in every period.
type Rule struct {
	Code     string
	Check    string
	Severity Severity
	Message  string
	Loc      Loc
}

// Framework is the whole logframe of one project.
type Framework struct {
	Project    Project
	Results    []Result
	Indicators []Indicator
	Milestones []Milestone
	Dimensions []Dimension
	Rules      []Rule
	// Budget lines (indicators/budget.go).
	Budget []BudgetLine
}

// Result returns the result with code c.
func (f *Framework) Result(c string) (*Result, bool) {
	for i := range f.Results {
		if f.Results[i].Code == c {
			return &f.Results[i], true
		}
	}
	return nil, false
}

// Indicator returns the indicator with code c.
func (f *Framework) Indicator(c string) (*Indicator, bool) {
	for i := range f.Indicators {
		if f.Indicators[i].Code == c {
			return &f.Indicators[i], true
		}
	}
	return nil, false
}

// Dimension returns the dimension named n (matched without regard to case).
func (f *Framework) Dimension(n string) (*Dimension, bool) {
	for i := range f.Dimensions {
		if strings.EqualFold(f.Dimensions[i].Name, n) {
			return &f.Dimensions[i], true
		}
	}
	return nil, false
}

// Children returns the results whose parent is code, in framework order.
func (f *Framework) Children(code string) []*Result {
	var out []*Result
	for i := range f.Results {
		if f.Results[i].Parent == code {
			out = append(out, &f.Results[i])
		}
	}
	return out
}

// IndicatorsOf returns the indicators of result code, in framework order.
func (f *Framework) IndicatorsOf(code string) []*Indicator {
	var out []*Indicator
	for i := range f.Indicators {
		if f.Indicators[i].Result == code {
			out = append(out, &f.Indicators[i])
		}
	}
	return out
}

// MilestonesOf returns the milestones of indicator code, sorted by period.
func (f *Framework) MilestonesOf(code string) []Milestone {
	var out []Milestone
	for _, m := range f.Milestones {
		if m.Indicator == code {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Period.Compare(out[j].Period) < 0 })
	return out
}

// norm folds case and drops spaces, underscores, hyphens and dots: the key
// used to match headers and enumerations as people write them.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case ' ', '_', '-', '.', '\t', '\n', '\r', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Norm is the key used to match headers, sheet names and enumerations
// without regard to case, spaces, underscores, hyphens or dots.
func Norm(s string) string { return norm(s) }
