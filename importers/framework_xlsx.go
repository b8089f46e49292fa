package importers

import (
	"fmt"
	"io"
	"strings"

	"github.com/rmf-project/rmf/indicators"
)

// ReadFrameworkXLSX reads a framework workbook (SPEC §2) from r; name is the
// file name used in messages. Sheets are found by name without regard to
// case, spaces or underscores: Project, Results and Indicators are
// required; Milestones, Dimensions and Rules are optional. In each list
// sheet the header row is the first row naming a required column (title
// rows above it are skipped), headings are matched with their common
// variants, unknown columns are ignored and wholly empty rows are skipped,
// as are the worked example rows of the blank workbook (ExampleMarker).
// The Project sheet holds key/value rows.
//
// It returns the framework, or an indicators.Problems listing every problem.
func ReadFrameworkXLSX(r io.Reader, name string) (*indicators.Framework, error) {
	f, err := readWorkbook(r, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := &builder{fw: &indicators.Framework{}, sheetRank: map[string]int{}}

	sheets := map[string]*Sheet{}
	var missing bool
	for rank, s := range []struct {
		name     string
		required bool
		aliases  []string
	}{
		{"Project", true, []string{"Projects", "Project info", "Project information", "Activity"}},
		{"Results", true, []string{"Result", "Logframe", "Results framework"}},
		{"Indicators", true, []string{"Indicator", "PIRS", "Indicator list"}},
		{"Milestones", false, []string{"Milestone", "Targets", "Milestone targets"}},
		{"Dimensions", false, []string{"Dimension", "Disaggregations", "Disaggregation"}},
		{"Rules", false, []string{"Rule", "Checks", "Data quality rules"}},
		{"Budget", false, []string{"Budget lines", "Budget sheet", "Budgets"}}, // importers/budget.go (issue 7)
	} {
		sn, ok := FindSheet(f, s.name, s.aliases...)
		b.sheetRank[s.name] = rank
		if ok {
			b.sheetRank[sn] = rank
		}
		if !ok {
			if s.required {
				missing = true
				b.probs = append(b.probs, &indicators.CellError{File: name, Sheet: s.name,
					Err: fmt.Errorf("%w: no sheet named %s (sheets found: %s), expected the sheets Project, Results and Indicators",
						indicators.ErrMissingSheet, s.name, strings.Join(f.GetSheetList(), ", "))})
			}
			continue
		}
		sh, err := ReadSheet(f, name, sn)
		if err != nil {
			b.probs = append(b.probs, &indicators.CellError{File: name, Sheet: sn, Err: fmt.Errorf("%w: %v", indicators.ErrInvalid, err)})
			continue
		}
		b.date1904 = sh.Date1904
		sheets[s.name] = sh
	}

	if sh := sheets["Project"]; sh != nil {
		b.buildProject(projectRecord(sh))
	}
	rows := func(key string, fields []Field, build func(record)) {
		sh := sheets[key]
		if sh == nil {
			return
		}
		h, errs := FindHeader(sh, fields)
		b.probs = append(b.probs, errs...)
		if h.Row == 0 || len(errs) > 0 {
			// Rows without a required column would each repeat the
			// missing column as a missing value.
			missing = true
			return
		}
		b.probs = append(b.probs, sh.Uncomputed(h)...)
		for row := h.Row + 1; row <= len(sh.Rows); row++ {
			if sh.RowEmpty(row) || exampleRow(sh, row) {
				continue
			}
			build(sheetRecord(sh, h, row))
		}
	}
	rows("Dimensions", dimensionFields, b.addDimensionValue)
	rows("Results", resultFields, b.buildResult)
	rows("Indicators", indicatorFields, b.buildIndicator)
	rows("Milestones", milestoneFields, b.buildMilestone)
	rows("Rules", ruleFields, b.buildRule)
	rows("Budget", budgetFields, b.buildBudgetLine)
	if missing {
		// Semantic checks on a partial framework would only repeat the
		// missing sheet or column as many unknown codes.
		return nil, b.sorted()
	}
	return b.finish()
}

// ExampleMarker starts the first cell of a worked example row in the
// blank framework workbook (rmf framework template): such rows are
// skipped. "e.g." followed by anything is never a valid code (codes have
// no spaces), so no real row is skipped, and the marker stays with the
// row however the user sorts, moves, copies or recolours it.
const ExampleMarker = "e.g."

// IsExample reports whether a cell's text marks an example row.
func IsExample(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	return strings.HasPrefix(t, ExampleMarker)
}

// exampleRow reports whether the 1-based row of sh is an example row: its
// first non-empty cell starts with ExampleMarker.
func exampleRow(sh *Sheet, row int) bool {
	if row < 1 || row > len(sh.Rows) {
		return false
	}
	for _, c := range sh.Rows[row-1] {
		if !c.Empty() {
			return c.Kind == CellText && IsExample(c.Raw)
		}
	}
	return false
}

// sheetRecord reads one data row under header h.
func sheetRecord(sh *Sheet, h Header, row int) record {
	r := record{loc: indicators.Loc{File: sh.File, Sheet: sh.Name, Row: row}, vals: map[string]value{}}
	for field := range h.Cols {
		c, _ := h.Get(sh, row, field)
		r.vals[field] = value{Cell: c}
	}
	return r
}

// projectRecord reads the Project sheet's key/value rows: the first
// non-empty cell of a row is the key, the next cell its value. Rows whose
// key is not known (titles, a "Field | Value" header) are ignored. A sheet
// laid out the other way, a header row of keys (code, title, start, ...)
// over one row of values, is read too.
func projectRecord(sh *Sheet) record {
	r := record{loc: indicators.Loc{File: sh.File, Sheet: sh.Name}, vals: map[string]value{}}
	for i, row := range sh.Rows {
		if i >= MaxHeaderScan {
			break
		}
		keys := map[int]string{}
		for j, c := range row {
			if f, ok := projectKeys[indicators.Norm(c.Raw)]; ok && c.Kind == CellText {
				keys[j] = f
			}
		}
		if len(keys) < 3 { // a key/value row has at most two
			continue
		}
		// A header row of keys: the values are in the next non-empty row.
		for v := i + 2; v <= len(sh.Rows); v++ {
			if sh.RowEmpty(v) {
				continue
			}
			r.loc.Row = v
			for j, f := range keys {
				if _, dup := r.vals[f]; !dup {
					r.vals[f] = value{Cell: sh.Cell(v, j)}
				}
			}
			return r
		}
		return r
	}
	for i, row := range sh.Rows {
		for j, c := range row {
			if c.Empty() {
				continue
			}
			field, ok := projectKeys[indicators.Norm(c.Raw)]
			if ok {
				if _, dup := r.vals[field]; !dup {
					r.vals[field] = value{Cell: sh.Cell(i+1, j+1)}
				}
			}
			break
		}
	}
	return r
}

func rowOf(ref string) int {
	n := 0
	for _, ch := range ref {
		if ch >= '0' && ch <= '9' {
			n = n*10 + int(ch-'0')
		}
	}
	return n
}
