package importers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rmf-project/rmf/indicators"
)

// ReadFrameworkYAML reads a framework from YAML; name is the file name used
// in messages. The fields are those of the workbook (SPEC §2), one mapping
// per item; problems name the line. The shape:
//
//	project:
//	  code: MNG-EDU
//	  title: Inclusive education in Mongolia
//	  start: 2020-09-01
//	  end: 2024-08-31
//	  donor: ...           # also currency, reporting (monthly, quarterly,
//	                       # semiannual, annual), year_start (month 1-12),
//	                       # status_rule, iati_identifier, reporting_org,
//	                       # reporting_org_id, reporting_org_type (IATI
//	                       # organisation type code; the four IATI keys
//	                       # export iati needs), description; from an IATI
//	                       # file also planned_start, actual_start,
//	                       # planned_end, actual_end, secondary_reporter
//	results:
//	  - code: OO
//	    level: goal        # goal, outcome, output, activity
//	    statement: ...
//	  - code: O1
//	    level: outcome
//	    parent: OO
//	    statement: ...
//	    assumptions: ...
//	    contributes_to: [O2]   # or "O2; O3"
//	indicators:
//	  - code: "1.1"
//	    result: O1           # blank for a supporting measure used in formulas
//	    name: ...
//	    definition: ...
//	    unit: percent        # number, percent, ratio, currency, yes/no, text
//	    direction: increase  # increase, decrease, maintain
//	    baseline: 42         # percent in points: 42 or "42%"; yes/no as yes/no
//	    baseline_date: 2020-06-30
//	    target: 75
//	    aggregation: last    # sum, last, max, min, mean
//	    disaggregations: [sex, province]
//	    formula: ...
//	    numerator: ...
//	    denominator: ...
//	    status_rule: ...
//	    milestones: cumulative  # or per period; blank: inferred (SPEC 5)
//	    path: line           # or steps; blank: line for numbers, steps for yes/no and text
//	    data_source: ...
//	    collection_method: ...
//	    frequency: quarterly
//	    responsible: ...
//	    means_of_verification: ...
//	    notes: ...
//	milestones:
//	  - indicator: "1.1"
//	    period: 2021Q4
//	    target: 50
//	    disaggregation: sex=female   # or {sex: female}
//	dimensions:
//	  sex: [female, male]
//	  province: [Darkhan, Selenge]
//	  # or, as in the workbook: - {dimension: sex, value: female}
//	rules:
//	  - code: R1
//	    check: ...
//	    severity: warning    # error (default), warning, info
//	    message: ...
//
// Unknown keys are errors. It returns the framework, or an
// indicators.Problems listing every problem.
func ReadFrameworkYAML(r io.Reader, name string) (*indicators.Framework, error) {
	b := &builder{fw: &indicators.Framework{}}
	fail := func(line int, format string, args ...any) (*indicators.Framework, error) {
		return nil, indicators.Problems{&indicators.CellError{File: name, Row: line,
			Err: fmt.Errorf("%w: "+format, append([]any{indicators.ErrInvalid}, args...)...)}}
	}
	var doc yaml.Node
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &indicators.CellError{File: name, Err: err}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(0, "the file is empty, expected a mapping with project, results and indicators")
		}
		line := 0
		fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line)
		hint := ""
		if lines := strings.Split(string(data), "\n"); line > 0 && line <= len(lines) &&
			strings.Contains(lines[line-1][:len(lines[line-1])-len(strings.TrimLeft(lines[line-1], " \t"))], "\t") {
			hint = "; the line is indented with a tab, expected spaces (YAML does not allow tabs for indentation)"
		}
		return fail(line, "not valid YAML: %s%s", strings.TrimPrefix(err.Error(), "yaml: "), hint)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, "the document is a %s, expected a mapping with project, results and indicators", kindName(root))
	}
	y := yamlReader{b: b, file: name}
	sections := y.mapping(root, "the document", []string{"project", "results", "indicators", "milestones", "dimensions", "rules", "budget"}, nil)
	missing := false
	for _, k := range []string{"project", "results", "indicators"} {
		if _, ok := sections[k]; !ok {
			missing = true
			b.probs = append(b.probs, &indicators.CellError{File: name, Row: root.Line, Field: k,
				Err: fmt.Errorf("%w: no %s section, expected the top-level keys project, results and indicators", indicators.ErrMissingSheet, k)})
		}
	}
	if n, ok := sections["project"]; ok {
		if rec, ok := y.record(n.val, "project", nil); ok {
			b.buildProject(rec)
		}
	}
	if n, ok := sections["dimensions"]; ok {
		y.dimensions(n.val)
	}
	y.list(sections, "results", resultFields, b.buildResult)
	y.list(sections, "indicators", indicatorFields, b.buildIndicator)
	y.list(sections, "milestones", milestoneFields, b.buildMilestone)
	y.list(sections, "rules", ruleFields, b.buildRule)
	y.list(sections, "budget", budgetFields, b.buildBudgetLine) // importers/budget.go (issue 7)
	if missing {
		return nil, b.probs
	}
	return b.finish()
}

type yamlReader struct {
	b    *builder
	file string
}

type keyed struct {
	key *yaml.Node
	val *yaml.Node
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty value"
		}
		return fmt.Sprintf("value %q", n.Value)
	}
	return "node"
}

func (y yamlReader) errAt(line int, field string, sentinel error, format string, args ...any) {
	y.b.probs = append(y.b.probs, &indicators.CellError{File: y.file, Row: line, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)})
}

// mapping reads mapping n, whose keys must be among allowed (matched with
// indicators.Norm, or through aliases, which maps normalised variants to
// allowed names; any key when allowed is nil); unknown and repeated keys
// are reported. It returns the values by allowed key.
func (y yamlReader) mapping(n *yaml.Node, what string, allowed []string, aliases map[string]string) map[string]keyed {
	out := map[string]keyed{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			y.errAt(k.Line, "", indicators.ErrInvalid, "%s has a %s as a key, expected a name", what, kindName(k))
			continue
		}
		name := k.Value
		if allowed != nil {
			name = aliases[indicators.Norm(k.Value)]
			for _, a := range allowed {
				if indicators.Norm(a) == indicators.Norm(k.Value) {
					name = a
				}
			}
			if name == "" {
				y.errAt(k.Line, k.Value, indicators.ErrInvalid, "unknown key %q in %s, expected one of: %s", k.Value, what, strings.Join(allowed, ", "))
				continue
			}
		}
		if prev, dup := out[name]; dup {
			y.errAt(k.Line, name, indicators.ErrDuplicate, "key %q repeated in %s (first on line %d)", k.Value, what, prev.key.Line)
			continue
		}
		out[name] = keyed{k, v}
	}
	return out
}

// scalar turns a YAML scalar into a value typed like a cell.
func scalar(n *yaml.Node) value {
	v := value{Cell: Cell{Raw: n.Value, Kind: CellText}, Line: n.Line}
	switch n.ShortTag() {
	case "!!null":
		v.Kind, v.Raw = CellEmpty, ""
	case "!!int", "!!float":
		v.Kind = CellNumber
	case "!!bool":
		v.Kind = CellBool
		if x, err := ParseYesNo(n.Value); err == nil && x == 1 {
			v.Raw = "1"
		} else {
			v.Raw = "0"
		}
	}
	if strings.TrimSpace(v.Raw) == "" {
		v.Kind = CellEmpty
	}
	return v
}

// listFields may hold a YAML sequence; mapFields a mapping.
var listFields = map[string]bool{"contributes_to": true, "disaggregations": true}
var mapFields = map[string]bool{"disaggregation": true}

// record reads one item mapping into a record.
func (y yamlReader) record(n *yaml.Node, what string, fields []Field) (record, bool) {
	if n.Kind != yaml.MappingNode {
		y.errAt(n.Line, "", indicators.ErrInvalid, "%s is a %s, expected a mapping of keys to values", what, kindName(n))
		return record{}, false
	}
	var allowed []string
	aliases := map[string]string{}
	if fields == nil { // the project
		seen := map[string]bool{}
		for k, f := range projectKeys {
			aliases[k] = f
			if !seen[f] {
				seen[f] = true
				allowed = append(allowed, f)
			}
		}
		sort.Strings(allowed)
	} else {
		// The headings of the workbook columns are accepted as keys too.
		for _, f := range fields {
			allowed = append(allowed, f.Name)
			for _, h := range f.Headings {
				if _, taken := aliases[indicators.Norm(h)]; !taken {
					aliases[indicators.Norm(h)] = f.Name
				}
			}
		}
		for _, f := range fields { // a field's own name wins over a heading
			aliases[indicators.Norm(f.Name)] = f.Name
		}
	}
	rec := record{loc: indicators.Loc{File: y.file, Row: n.Line}, vals: map[string]value{}}
	for field, kv := range y.mapping(n, what, allowed, aliases) {
		switch v := kv.val; v.Kind {
		case yaml.ScalarNode:
			rec.vals[field] = scalar(v)
		case yaml.SequenceNode:
			if !listFields[field] {
				y.errAt(v.Line, field, indicators.ErrInvalid, "%s of %s is a list, expected a single value", field, what)
				rec.vals[field] = value{Line: v.Line} // read, but unusable: not also "missing"
				continue
			}
			val := value{Line: v.Line, IsList: true}
			for _, it := range v.Content {
				it = deref(it)
				if it.Kind != yaml.ScalarNode {
					y.errAt(it.Line, field, indicators.ErrInvalid, "%s of %s holds a %s, expected names", field, what, kindName(it))
					continue
				}
				if s := strings.TrimSpace(it.Value); s != "" {
					val.List = append(val.List, s)
				}
			}
			rec.vals[field] = val
		case yaml.MappingNode:
			if !mapFields[field] {
				y.errAt(v.Line, field, indicators.ErrInvalid, "%s of %s is a mapping, expected a single value", field, what)
				rec.vals[field] = value{Line: v.Line}
				continue
			}
			val := value{Line: v.Line, Map: map[string]string{}}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, x := deref(v.Content[i]), deref(v.Content[i+1])
				if k.Kind != yaml.ScalarNode || x.Kind != yaml.ScalarNode {
					y.errAt(k.Line, field, indicators.ErrInvalid, "%s of %s must map dimension names to values, such as {sex: female}", field, what)
					continue
				}
				val.Map[k.Value] = x.Value
			}
			rec.vals[field] = val
		default:
			y.errAt(v.Line, field, indicators.ErrInvalid, "%s of %s is not a value", field, what)
			rec.vals[field] = value{Line: v.Line}
		}
	}
	return rec, true
}

// list reads the sequence section key, building each item.
func (y yamlReader) list(sections map[string]keyed, key string, fields []Field, build func(record)) {
	kv, ok := sections[key]
	if !ok {
		return
	}
	n := kv.val
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return
	}
	if n.Kind != yaml.SequenceNode {
		y.errAt(n.Line, key, indicators.ErrInvalid, "%s is a %s, expected a list of mappings (- code: ...)", key, kindName(n))
		return
	}
	singular := strings.TrimSuffix(key, "s")
	for i, it := range n.Content {
		if rec, ok := y.record(deref(it), fmt.Sprintf("%s %d", singular, i+1), fields); ok {
			build(rec)
		}
	}
}

// dimensions reads `dimensions: {sex: [female, male], ...}`.
func (y yamlReader) dimensions(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return
	}
	if n.Kind == yaml.SequenceNode {
		// The workbook's layout: one {dimension: sex, value: female} per value.
		y.list(map[string]keyed{"dimensions": {val: n}}, "dimensions", dimensionFields, y.b.addDimensionValue)
		return
	}
	if n.Kind != yaml.MappingNode {
		y.errAt(n.Line, "dimensions", indicators.ErrInvalid, "dimensions is a %s, expected a mapping such as {sex: [female, male]}", kindName(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			y.errAt(k.Line, "dimensions", indicators.ErrInvalid, "a dimension name is a %s, expected a name", kindName(k))
			continue
		}
		dim := value{Cell: Cell{Raw: k.Value, Kind: CellText}, Line: k.Line}
		var items []*yaml.Node
		switch v.Kind {
		case yaml.SequenceNode:
			items = v.Content
		case yaml.ScalarNode:
			items = []*yaml.Node{v}
		default:
			y.errAt(v.Line, k.Value, indicators.ErrInvalid, "dimension %s is a %s, expected a list of values", k.Value, kindName(v))
			continue
		}
		if len(items) == 0 {
			y.errAt(v.Line, k.Value, indicators.ErrRequired, "dimension %s has no values, expected a list such as [female, male]", k.Value)
		}
		for _, it := range items {
			it = deref(it)
			if it.Kind != yaml.ScalarNode {
				y.errAt(it.Line, k.Value, indicators.ErrInvalid, "dimension %s holds a %s, expected values", k.Value, kindName(it))
				continue
			}
			y.b.addDimensionValue(record{loc: indicators.Loc{File: y.file, Row: it.Line},
				vals: map[string]value{"dimension": dim, "value": scalar(it)}})
		}
	}
}
