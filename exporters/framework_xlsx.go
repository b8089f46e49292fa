package exporters

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// WriteFrameworkXLSX writes fw as a framework workbook in canonical form
// (SPEC §2): sheets Project (key/value rows), Results, Indicators,
// Milestones (grouped by indicator, in period order), Dimensions (one row
// per value) and Rules; periods canonical, dates ISO (as text, so that they
// read the same in every locale), units and other enumerations as their
// canonical words, yes/no figures as yes/no. Header rows are bold and
// frozen; column widths follow the content.
func WriteFrameworkXLSX(w io.Writer, fw *indicators.Framework) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	first := true
	for _, t := range frameworkTables(fw) {
		if first {
			if err := f.SetSheetName("Sheet1", t.name); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(t.name); err != nil {
			return err
		}
		if err := writeTable(f, t, bold); err != nil {
			return fmt.Errorf("sheet %s: %w", t.name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// table is one sheet: a header and rows of cells (string or float64).
type table struct {
	name   string
	header []string
	rows   [][]any
	// text names the columns formatted as text, so that a code typed
	// later in Excel (1.10, 2021) stays as typed instead of becoming a
	// number.
	text []string
	// lists offers a drop-down of the canonical words in a column; other
	// spellings the importer understands may still be typed.
	lists map[string][]string
}

// editRows is how many rows below the header get the text format and the
// drop-downs, for the user to add items.
const editRows = 1000

func writeTable(f *excelize.File, t table, bold int) error {
	widths := make([]int, len(t.header))
	for j, h := range t.header {
		ref, _ := excelize.CoordinatesToCellName(j+1, 1)
		if err := f.SetCellStr(t.name, ref, h); err != nil {
			return err
		}
		widths[j] = utf8.RuneCountInString(h)
	}
	last, _ := excelize.CoordinatesToCellName(len(t.header), 1)
	if err := f.SetCellStyle(t.name, "A1", last, bold); err != nil {
		return err
	}
	for i, row := range t.rows {
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
			var err error
			n := 0
			switch x := v.(type) {
			case nil:
				continue
			case string:
				if x == "" {
					continue
				}
				if err := checkCellText(t.name, ref, x); err != nil {
					return err
				}
				err = f.SetCellStr(t.name, ref, x)
				n = longestLine(x)
			case float64:
				err = f.SetCellFloat(t.name, ref, x, -1, 64)
				n = len(fmtNum(x))
			case int:
				err = f.SetCellInt(t.name, ref, int64(x))
				n = len(strconv.Itoa(x))
			default:
				return fmt.Errorf("cell %s: unexpected %T", ref, v)
			}
			if err != nil {
				return err
			}
			if j < len(widths) && n > widths[j] {
				widths[j] = n
			}
		}
	}
	for j, wd := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		width := float64(wd) + 2
		if width < 8 {
			width = 8
		}
		if width > 60 {
			width = 60
		}
		if err := f.SetColWidth(t.name, col, col, width); err != nil {
			return err
		}
	}
	if err := editAids(f, t); err != nil {
		return err
	}
	return f.SetPanes(t.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
}

// editAids sets the text format and the drop-downs of t's columns.
func editAids(f *excelize.File, t table) error {
	col := func(name string) (string, bool) {
		for j, h := range t.header {
			if h == name {
				c, err := excelize.ColumnNumberToName(j + 1)
				return c, err == nil
			}
		}
		return "", false
	}
	last := len(t.rows) + 1
	if last < editRows {
		last = editRows
	}
	if len(t.text) > 0 {
		textFmt, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@"
		if err != nil {
			return err
		}
		for _, name := range t.text {
			c, ok := col(name)
			if !ok {
				continue
			}
			if err := f.SetCellStyle(t.name, c+"2", fmt.Sprintf("%s%d", c, last), textFmt); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(t.lists) {
		c, ok := col(name)
		if !ok {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", c, c, last))
		if err := dv.SetDropList(t.lists[name]); err != nil {
			return err
		}
		if err := f.AddDataValidation(t.name, dv); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string][]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func longestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if c := utf8.RuneCountInString(l); c > n {
			n = c
		}
	}
	return n
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func isoDatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return isoDate(*t)
}

// amountCell is a baseline, target or milestone figure as a cell: a number,
// yes/no for yes/no indicators, the text for text indicators.
func amountCell(v *float64, text string, unit indicators.Unit) any {
	switch {
	case unit == indicators.Text:
		return text
	case v == nil:
		return nil
	case unit == indicators.YesNo:
		return indicators.YesNoText(*v)
	}
	return *v
}

// milestonesGrouped returns fw's milestones grouped by indicator in
// framework order, each group in period order (then disaggregation);
// milestones of unknown indicators come last, in input order.
func milestonesGrouped(fw *indicators.Framework) []indicators.Milestone {
	var out []indicators.Milestone
	known := map[string]bool{}
	for _, ind := range fw.Indicators {
		if known[ind.Code] {
			continue
		}
		known[ind.Code] = true
		out = append(out, fw.MilestonesOf(ind.Code)...)
	}
	for _, m := range fw.Milestones {
		if !known[m.Indicator] {
			out = append(out, m)
		}
	}
	return out
}

func unitOf(fw *indicators.Framework, code string) indicators.Unit {
	if ind, ok := fw.Indicator(code); ok {
		return ind.Unit
	}
	return indicators.Number
}

// projectRows are the Project sheet's key/value pairs in canonical order.
func projectRows(p indicators.Project) [][2]any {
	ys := any(nil)
	if p.YearStart != 0 {
		ys = p.YearStart
	}
	return [][2]any{
		{"code", p.Code}, {"title", p.Title}, {"start", isoDate(p.Start)}, {"end", isoDate(p.End)},
		{"donor", p.Donor}, {"currency", p.Currency}, {"reporting", p.Reporting}, {"year_start", ys},
		{"status_rule", p.StatusRule}, {"iati_identifier", p.IATIIdentifier}, {"reporting_org", p.ReportingOrg},
		{"reporting_org_id", p.ReportingOrgID}, {"reporting_org_type", p.ReportingOrgType}, {"description", p.Description},
	}
}

// frameworkTables lays fw out as the sheets of the workbook.
func frameworkTables(fw *indicators.Framework) []table {
	proj := table{name: "Project", header: []string{"key", "value"}}
	for _, kv := range append(append(projectRows(fw.Project), budgetProjectRows(fw.Project)...), iatiProjectRows(fw.Project)...) { // budget: exporters/budget.go; IATI: exporters/iati.go
		proj.rows = append(proj.rows, []any{kv[0], kv[1]})
	}
	res := table{name: "Results", header: []string{"code", "level", "parent", "statement", "assumptions", "contributes_to"},
		text:  []string{"code", "parent", "contributes_to"},
		lists: map[string][]string{"level": {"goal", "outcome", "output", "activity"}}}
	for _, r := range fw.Results {
		res.rows = append(res.rows, []any{r.Code, string(r.Level), r.Parent, r.Statement, r.Assumptions, strings.Join(r.ContributesTo, "; ")})
	}
	inds := table{name: "Indicators", header: []string{"code", "result", "name", "definition", "unit", "direction",
		"baseline", "baseline_date", "target", "aggregation", "disaggregations", "formula", "numerator", "denominator",
		"status_rule", "milestones", "path", "data_source", "collection_method", "frequency", "responsible", "means_of_verification", "notes"},
		text: []string{"code", "result", "numerator", "denominator", "baseline_date"},
		lists: map[string][]string{
			"unit":        {"number", "percent", "ratio", "currency", "yes/no", "text"},
			"direction":   {"increase", "decrease", "maintain"},
			"aggregation": {"sum", "last", "max", "min", "mean"},
			"frequency":   {"monthly", "quarterly", "semiannual", "annual", "end"},
			"milestones":  {"cumulative", "per period"},
			"path":        {"line", "steps"},
		}}
	for _, i := range fw.Indicators {
		inds.rows = append(inds.rows, []any{i.Code, i.Result, i.Name, i.Definition, string(i.Unit), string(i.Direction),
			amountCell(i.Baseline, i.BaselineText, i.Unit), isoDatePtr(i.BaselineDate), amountCell(i.Target, i.TargetText, i.Unit),
			string(i.Aggregation), strings.Join(i.Disaggregations, "; "), i.Formula, i.Numerator, i.Denominator,
			i.StatusRule, string(i.Milestones), string(i.Path), i.DataSource, i.CollectionMethod, i.Frequency, i.Responsible, i.MeansOfVerification, i.Notes})
	}
	ms := table{name: "Milestones", header: []string{"indicator", "period", "target", "disaggregation"},
		text: []string{"indicator", "period"}}
	for _, m := range milestonesGrouped(fw) {
		t := m.Target
		ms.rows = append(ms.rows, []any{m.Indicator, fw.Project.PeriodLabel(m.Period), amountCell(&t, m.TargetText, unitOf(fw, m.Indicator)), m.Dims.Key()})
	}
	dims := table{name: "Dimensions", header: []string{"dimension", "value"}}
	for _, d := range fw.Dimensions {
		for _, v := range d.Values {
			dims.rows = append(dims.rows, []any{d.Name, v})
		}
	}
	rules := table{name: "Rules", header: []string{"code", "check", "severity", "message"},
		lists: map[string][]string{"severity": {"error", "warning", "info"}}}
	for _, r := range fw.Rules {
		rules.rows = append(rules.rows, []any{r.Code, r.Check, string(r.Severity), r.Message})
	}
	return append([]table{proj, res, inds, ms, dims, rules}, budgetTables(fw)...) // exporters/budget.go (issue 7)
}
