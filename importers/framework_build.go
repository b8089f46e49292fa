package importers

import (
	"strconv"
	"strings"
	"time"

	"github.com/rmf-project/rmf/indicators"
)

var resultFields = []Field{
	{Name: "code", Required: true, Headings: []string{"Result code", "Code", "ID", "Ref", "Reference", "No"}},
	{Name: "level", Required: true, Headings: []string{"Level", "Type", "Result level", "Result type", "Level of result", "Hierarchy"}},
	{Name: "parent", Headings: []string{"Parent", "Parent code", "Parent result", "Parent ID", "Parent result code", "Contributes to parent"}},
	{Name: "statement", Required: true, Headings: []string{"Statement", "Result statement", "Description", "Narrative", "Result description", "Objective", "Result", "Intervention logic", "Results chain", "Narrative summary"}},
	{Name: "assumptions", Headings: []string{"Assumptions", "Assumption", "Assumptions and risks", "Risks"}},
	{Name: "contributes_to", Headings: []string{"Contributes to", "Also contributes to", "Contributes"}},
}

func (b *builder) buildResult(r record) {
	if !b.require(r, "the result", "code") {
		return
	}
	res := indicators.Result{
		Code:          r.text("code"),
		Parent:        r.text("parent"),
		Statement:     r.text("statement"),
		Assumptions:   r.text("assumptions"),
		ContributesTo: r.list("contributes_to"),
		Loc:           b.loc(r),
	}
	// level and statement are required, and the level must be known:
	// Framework.Validate says so, naming the result. An unknown level is
	// kept as written for that message.
	if r.has("level") {
		l, err := indicators.ParseLevel(r.text("level"))
		if err != nil {
			l = indicators.Level(r.text("level"))
		}
		res.Level = l
	}
	b.fw.Results = append(b.fw.Results, res)
}

var indicatorFields = []Field{
	{Name: "code", Required: true, Headings: []string{"Indicator code", "Code", "ID", "Indicator ID", "Indicator ref", "Ref", "No"}},
	{Name: "result", Required: true, Headings: []string{"Result", "Result code", "Linked result", "Result ref"}},
	{Name: "name", Required: true, Headings: []string{"Indicator", "Name", "Indicator name", "Title", "Indicator title", "Indicator statement", "Indicator description", "Indicator text"}},
	{Name: "definition", Headings: []string{"Definition", "Indicator definition"}},
	{Name: "unit", Required: true, Headings: []string{"Unit", "Unit of measure", "Unit of measurement", "UoM", "Measure"}},
	{Name: "direction", Headings: []string{"Direction", "Desired direction", "Polarity"}},
	{Name: "baseline", Headings: []string{"Baseline", "Baseline value", "Baseline figure", "Baseline (value)"}},
	{Name: "baseline_date", Headings: []string{"Baseline date", "Baseline year", "Baseline period", "Date of baseline"}},
	{Name: "target", Headings: []string{"End-of-project target", "EOP target", "Target", "Final target", "End target", "Target value", "Project target", "Target (end of project)", "Target (EOP)", "Overall target"}},
	{Name: "aggregation", Headings: []string{"Aggregation", "Aggregate", "Aggregation method", "Aggregation rule"}},
	{Name: "disaggregations", Headings: []string{"Disaggregations", "Disaggregation", "Disaggregation(s)", "Disaggregated by", "Disaggregate by"}},
	{Name: "formula", Headings: []string{"Formula", "Calculation", "Computation"}},
	{Name: "numerator", Headings: []string{"Numerator"}},
	{Name: "denominator", Headings: []string{"Denominator"}},
	{Name: "status_rule", Headings: []string{"Status rule", "Status"}},
	{Name: "milestones", Headings: []string{"Milestones", "Milestone reading", "Milestones are", "Milestone type"}},
	{Name: "path", Headings: []string{"Path", "Expected path", "Path shape"}},
	{Name: "data_source", Headings: []string{"Data source", "Source", "Source of data", "Data sources", "Data source(s)", "Source(s) of data"}},
	{Name: "collection_method", Headings: []string{"Collection method", "Method", "Data collection method", "Data collection"}},
	{Name: "frequency", Headings: []string{"Frequency", "Reporting frequency", "Collection frequency", "Frequency of collection", "Frequency of reporting", "Data collection frequency"}},
	{Name: "responsible", Headings: []string{"Responsible", "Responsibility", "Who", "Responsible person", "Responsible party", "Responsible person/unit", "Responsible unit", "Who is responsible"}},
	{Name: "means_of_verification", Headings: []string{"Means of verification", "MoV", "MoVs", "Verification", "Sources of verification", "Source of verification", "Means of verification (MoV)"}},
	{Name: "notes", Headings: []string{"Notes", "Note", "Comments", "Comment", "Remarks"}},
}

func (b *builder) buildIndicator(r record) {
	if !b.require(r, "the indicator", "code") {
		return
	}
	ind := indicators.Indicator{
		Code:                r.text("code"),
		Result:              r.text("result"),
		Name:                r.text("name"),
		Definition:          r.text("definition"),
		Disaggregations:     r.list("disaggregations"),
		Formula:             r.text("formula"),
		Numerator:           r.text("numerator"),
		Denominator:         r.text("denominator"),
		StatusRule:          r.text("status_rule"),
		DataSource:          r.text("data_source"),
		CollectionMethod:    r.text("collection_method"),
		Frequency:           r.text("frequency"),
		Responsible:         r.text("responsible"),
		MeansOfVerification: r.text("means_of_verification"),
		Notes:               r.text("notes"),
		Loc:                 b.loc(r),
	}
	// name and unit are required and unit, direction and aggregation must
	// be known words: Framework.Validate says so, naming the indicator.
	// Unknown words are kept as written for that message.
	unitOK := false
	if r.has("unit") {
		u, err := indicators.ParseUnit(r.text("unit"))
		if err != nil {
			u = indicators.Unit(r.text("unit"))
		} else {
			unitOK = true
		}
		ind.Unit = u
	}
	d, err := indicators.ParseDirection(r.text("direction"))
	if err != nil {
		d = indicators.Direction(r.text("direction"))
	}
	ind.Direction = d
	a, err := indicators.ParseAggregation(r.text("aggregation"))
	if err != nil {
		a = indicators.Aggregation(r.text("aggregation"))
	}
	ind.Aggregation = a
	mr, err := indicators.ParseMilestoneReading(r.text("milestones"))
	if err != nil {
		mr = indicators.MilestoneReading(r.text("milestones"))
	}
	ind.Milestones = mr
	ps, err := indicators.ParsePathShape(r.text("path"))
	if err != nil {
		ps = indicators.PathShape(r.text("path"))
	}
	ind.Path = ps
	if unitOK {
		ind.Baseline, ind.BaselineText, _ = b.amount(r, "baseline", ind.Unit)
		ind.Target, ind.TargetText, _ = b.amount(r, "target", ind.Unit)
	}
	if r.has("baseline_date") {
		if bd, ok := b.baselineDate(r); ok {
			ind.BaselineDate = &bd
		}
	}
	b.fw.Indicators = append(b.fw.Indicators, ind)
}

// baselineDate reads a baseline date: a date, or a year (2020, as number or
// text) or other period taken as its first day.
func (b *builder) baselineDate(r record) (time.Time, bool) {
	v := r.vals["baseline_date"]
	if v.Kind == CellNumber {
		if n, err := strconv.ParseFloat(v.Text(), 64); err == nil && n == float64(int(n)) && n >= indicators.MinYear && n <= indicators.MaxYear {
			return time.Date(int(n), 1, 1, 0, 0, 0, 0, time.UTC), true
		}
	}
	d, err := b.dateOrPeriod(r, "baseline_date", false)
	return d, err == nil
}

var milestoneFields = []Field{
	{Name: "indicator", Required: true, Headings: []string{"Indicator", "Indicator code", "Code", "Indicator ID", "ID"}},
	{Name: "period", Required: true, Headings: []string{"Period", "Due", "Due period", "Due by", "By", "Date", "Quarter", "Year", "Milestone period", "Reporting period"}},
	{Name: "target", Required: true, Headings: []string{"Target", "Milestone", "Milestone target", "Milestone value", "Value", "Target value"}},
	{Name: "disaggregation", Headings: []string{"Disaggregation", "Disaggregations", "Dims", "For"}},
}

func (b *builder) buildMilestone(r record) {
	m := indicators.Milestone{Indicator: r.text("indicator"), Loc: b.loc(r)}
	if !b.require(r, "the milestone", "indicator", "period", "target") {
		return
	}
	p, okP := b.period(r, "period")
	m.Period = p
	ok := okP
	unit := indicators.Number
	if ind, found := b.fw.Indicator(m.Indicator); found && ind.Unit != "" {
		unit = ind.Unit
	}
	if v, has := r.vals["target"]; has && NotAvailable(v.Cell) {
		b.errAt(r, "target", indicators.ErrInvalid, "milestone target %q, expected a number: delete the row of a milestone that has no target", v.Text())
		return
	}
	t, txt, okT := b.amount(r, "target", unit)
	ok = ok && okT
	if t != nil {
		m.Target = *t
	}
	m.TargetText = txt
	if v, has := r.vals["disaggregation"]; has && v.Map != nil {
		m.Dims = indicators.Disagg{}
		for k, x := range v.Map {
			m.Dims[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(x)
		}
	} else if r.has("disaggregation") {
		d, err := indicators.ParseDisagg(r.text("disaggregation"))
		if err != nil {
			b.wrapErr(r, "disaggregation", err)
			ok = false
		}
		m.Dims = d
	}
	if len(m.Dims) == 0 {
		m.Dims = nil
	}
	if ok {
		b.fw.Milestones = append(b.fw.Milestones, m)
	}
}

var dimensionFields = []Field{
	{Name: "dimension", Required: true, Headings: []string{"Dimension", "Name", "Disaggregation", "Category", "Dimension name"}},
	{Name: "value", Required: true, Headings: []string{"Value", "Values", "Option", "Options", "Category value"}},
}

// addDimensionValue adds one value (or several, ;-separated) to dimension
// name, creating it on first sight.
func (b *builder) addDimensionValue(r record) {
	if !b.require(r, "the dimension row", "dimension") {
		return
	}
	name := strings.ToLower(r.text("dimension"))
	vals := r.list("value")
	if len(vals) == 0 {
		b.errAt(r, "value", indicators.ErrRequired, "dimension %s row has no value", name)
		return
	}
	d, ok := b.fw.Dimension(name)
	if !ok {
		b.fw.Dimensions = append(b.fw.Dimensions, indicators.Dimension{Name: name, Loc: b.loc(r)})
		d = &b.fw.Dimensions[len(b.fw.Dimensions)-1]
	}
	for _, v := range vals {
		if containsFold(d.Values, v) {
			b.errAt(r, "value", indicators.ErrDuplicate, "dimension %s lists value %q twice", d.Name, v)
			continue
		}
		d.Values = append(d.Values, v)
	}
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

var ruleFields = []Field{
	{Name: "code", Required: true, Headings: []string{"Rule code", "Code", "Rule", "ID"}},
	{Name: "check", Required: true, Headings: []string{"Check", "Formula", "Condition", "Rule check", "Expression"}},
	{Name: "severity", Headings: []string{"Severity", "Level"}},
	{Name: "message", Headings: []string{"Message", "Description", "Explanation"}},
}

func (b *builder) buildRule(r record) {
	if !b.require(r, "the rule", "code", "check") {
		return
	}
	sev, err := indicators.ParseSeverity(r.text("severity"))
	if err != nil { // Framework.Validate names the rule and the value
		sev = indicators.Severity(r.text("severity"))
	}
	b.fw.Rules = append(b.fw.Rules, indicators.Rule{
		Code: r.text("code"), Check: r.text("check"), Severity: sev, Message: r.text("message"), Loc: b.loc(r),
	})
}
