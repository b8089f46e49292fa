package exporters

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rmf-project/rmf/indicators"
	"gopkg.in/yaml.v3"
)

// WriteFrameworkYAML writes fw as a framework YAML file with the keys read
// by importers.ReadFrameworkYAML, in canonical form: empty fields left
// out, periods canonical, dates ISO, enumerations as canonical words,
// yes/no figures as yes/no, milestones grouped by indicator, dimensions in
// framework order.
func WriteFrameworkYAML(w io.Writer, fw *indicators.Framework) error {
	root := ymap()
	p := fw.Project
	proj := ymap()
	for _, kv := range append(append(projectRows(p), budgetProjectRows(p)...), iatiProjectRows(p)...) { // budget: exporters/budget.go; IATI: exporters/iati.go
		switch k := kv[0].(string); k {
		case "start", "end", "planned_start", "actual_start", "planned_end", "actual_end":
			addDate(proj, k, kv[1].(string))
		default:
			addAny(proj, k, kv[1])
		}
	}
	add(root, "project", proj)

	if len(fw.Results) > 0 {
		seq := yseq()
		for _, r := range fw.Results {
			m := ymap()
			addStr(m, "code", r.Code)
			addStr(m, "level", string(r.Level))
			addStr(m, "parent", r.Parent)
			addStr(m, "statement", r.Statement)
			addStr(m, "assumptions", r.Assumptions)
			addList(m, "contributes_to", r.ContributesTo)
			seq.Content = append(seq.Content, m)
		}
		add(root, "results", seq)
	}
	if len(fw.Indicators) > 0 {
		seq := yseq()
		for _, i := range fw.Indicators {
			seq.Content = append(seq.Content, yamlIndicator(i))
		}
		add(root, "indicators", seq)
	}
	if ms := milestonesGrouped(fw); len(ms) > 0 {
		seq := yseq()
		for _, x := range ms {
			m := ymap()
			t := x.Target
			addStr(m, "indicator", x.Indicator)
			addStr(m, "period", fw.Project.PeriodLabel(x.Period))
			v := amountCell(&t, x.TargetText, unitOf(fw, x.Indicator))
			if v == "" { // a text milestone with no text still has a target key
				v = nil
			}
			addAny(m, "target", v)
			addStr(m, "disaggregation", x.Dims.Key())
			seq.Content = append(seq.Content, m)
		}
		add(root, "milestones", seq)
	}
	if len(fw.Dimensions) > 0 {
		dm := ymap()
		for _, d := range fw.Dimensions {
			seq := yseq()
			seq.Style = yaml.FlowStyle
			for _, v := range d.Values {
				seq.Content = append(seq.Content, str(v))
			}
			add(dm, d.Name, seq)
		}
		add(root, "dimensions", dm)
	}
	if len(fw.Rules) > 0 {
		seq := yseq()
		for _, r := range fw.Rules {
			m := ymap()
			addStr(m, "code", r.Code)
			addStr(m, "check", r.Check)
			addStr(m, "severity", string(r.Severity))
			addStr(m, "message", r.Message)
			seq.Content = append(seq.Content, m)
		}
		add(root, "rules", seq)
	}
	addBudgetYAML(root, fw) // exporters/budget.go (issue 7)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

// yamlIndicator is indicator i as a YAML mapping, its keys in the order
// of the Indicators sheet's columns.
func yamlIndicator(i indicators.Indicator) *yaml.Node {
	m := ymap()
	addStr(m, "code", i.Code)
	addStr(m, "result", i.Result)
	addStr(m, "name", i.Name)
	addStr(m, "definition", i.Definition)
	addStr(m, "unit", string(i.Unit))
	addStr(m, "direction", string(i.Direction))
	addAny(m, "baseline", amountCell(i.Baseline, i.BaselineText, i.Unit))
	addDate(m, "baseline_date", isoDatePtr(i.BaselineDate))
	addAny(m, "target", amountCell(i.Target, i.TargetText, i.Unit))
	addStr(m, "aggregation", string(i.Aggregation))
	addList(m, "disaggregations", i.Disaggregations)
	addStr(m, "formula", i.Formula)
	addStr(m, "numerator", i.Numerator)
	addStr(m, "denominator", i.Denominator)
	addStr(m, "status_rule", i.StatusRule)
	addStr(m, "milestones", string(i.Milestones))
	addStr(m, "path", string(i.Path))
	addStr(m, "data_source", i.DataSource)
	addStr(m, "collection_method", i.CollectionMethod)
	addStr(m, "frequency", i.Frequency)
	addStr(m, "responsible", i.Responsible)
	addStr(m, "means_of_verification", i.MeansOfVerification)
	addStr(m, "notes", i.Notes)
	return m
}

func ymap() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }
func yseq() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode} }

// str is a string scalar, quoted by the encoder when it would read as
// something else (a number, a date, yes); multi-line text is a literal block.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, str(key), v)
}

func addStr(m *yaml.Node, key, v string) {
	if v != "" {
		add(m, key, str(v))
	}
}

// addDate adds an ISO date unquoted (a YAML timestamp), or nothing.
func addDate(m *yaml.Node, key, v string) {
	if v != "" {
		add(m, key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: v})
	}
}

func addList(m *yaml.Node, key string, vs []string) {
	if len(vs) == 0 {
		return
	}
	seq := yseq()
	seq.Style = yaml.FlowStyle
	for _, v := range vs {
		seq.Content = append(seq.Content, str(v))
	}
	add(m, key, seq)
}

// addAny adds a string, number or (for nil) nothing.
func addAny(m *yaml.Node, key string, v any) {
	switch x := v.(type) {
	case nil:
	case string:
		addStr(m, key, x)
	case float64:
		add(m, key, &yaml.Node{Kind: yaml.ScalarNode, Value: fmtNum(x)}) // plain: 0 and 75 need no !!float tag to be read as numbers
	case int:
		add(m, key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(x)})
	}
}

// fmtNum writes a number in plain decimals (1250000, 0.75), with an
// exponent only for very large or very small magnitudes.
func fmtNum(x float64) string {
	if a := math.Abs(x); a != 0 && (a >= 1e21 || a < 1e-6) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
