package exporters

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/rmf-project/rmf/indicators"
	"github.com/xuri/excelize/v2"
)

// Template sheet names and layout.
const (
	TemplateSheet      = "Data"
	TemplateListsSheet = "Lists"
	templateHeaderRow  = 3 // row 1: title, row 2: instructions
)

// WriteTemplate writes the workbook that partners fill in for period p
// (SPEC §3), in the long layout that the measurement import reads back:
// a title row, an instructions row, then a header row and one row per
// indicator due in p and per combination of the values of its dimensions,
// after a total row. Codes, names, units, periods and dimension values are
// filled in on a grey background and locked (the sheet is protected,
// without a password); the value, numerator, denominator, comment, source
// and verified columns are white and unlocked, the value column empty.
// Dimension and verified cells, and the value cells of yes/no indicators,
// have dropdown lists (kept on a hidden Lists sheet).
//
// Computed indicators (with a formula) are left out: their figures come
// from their inputs. Supporting measures without a formula are inputs and
// are included. An indicator measured at the end of the project is due only
// in a period that contains the project's end; annual and semiannual ones
// only in periods that end a year or a half year.
func WriteTemplate(w io.Writer, fw *indicators.Framework, p indicators.Period) error {
	if fw == nil {
		return fmt.Errorf("template: no framework")
	}
	if p.IsZero() {
		return fmt.Errorf("template: no period")
	}
	due := TemplateIndicators(fw, p)
	if len(due) == 0 {
		return fmt.Errorf("template: no indicator of the framework is due in %s (computed indicators are left out)", p)
	}
	t := &templateWriter{fw: fw, p: p, due: due, sh: TemplateSheet}
	t.columns()
	t.f = excelize.NewFile()
	defer t.f.Close()
	if err := t.f.SetSheetName("Sheet1", TemplateSheet); err != nil {
		return err
	}
	var err error
	if t.st, err = newTemplateStyles(t.f); err != nil {
		return err
	}
	for _, step := range []func() error{t.heading, t.rows, t.styleRows, t.lists, t.finish} {
		if err := step(); err != nil {
			return err
		}
	}
	t.f.SetActiveSheet(0)
	return t.f.Write(w)
}

// templateWriter writes the data-collection workbook of period p, step by
// step: its columns, heading, one row per due indicator and
// disaggregation, the dropdown lists, panes, filter and protection.
type templateWriter struct {
	fw  *indicators.Framework
	p   indicators.Period
	due []*indicators.Indicator
	f   *excelize.File
	st  templateStyles
	sh  string

	dims        []*indicators.Dimension // the dimensions some due indicator is disaggregated by
	header      []string
	valueCol    int // 0-based
	verifiedCol int
	last        string // the last column's letters
	row         int    // the last row written
	yesNoCells  []string
}

// columns works out the dimensions shown and the header.
func (t *templateWriter) columns() {
	// The dimensions that some due indicator is disaggregated by, in the
	// framework's order.
	for i := range t.fw.Dimensions {
		d := &t.fw.Dimensions[i]
		for _, ind := range t.due {
			if hasDim(ind, d.Name) {
				t.dims = append(t.dims, d)
				break
			}
		}
	}
	ratios := false
	for _, ind := range t.due {
		if ind.Unit == indicators.Percent || ind.Unit == indicators.Ratio {
			ratios = true
		}
	}
	t.header = []string{"Indicator code", "Indicator name", "Unit", "Period"}
	for _, d := range t.dims {
		t.header = append(t.header, d.Name)
	}
	t.valueCol = len(t.header)
	t.header = append(t.header, "Value")
	if ratios {
		t.header = append(t.header, "Numerator", "Denominator")
	}
	t.header = append(t.header, "Comment", "Source", "Verified")
	t.verifiedCol = len(t.header) - 1
	t.last = excelizeCol(len(t.header) - 1)
}

// heading writes the title, the note and the header row.
func (t *templateWriter) heading() error {
	f, sh, p := t.f, t.sh, t.p
	title := fmt.Sprintf("%s: figures for %s (%s to %s)", projectName(t.fw), p, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"))
	if err := checkCellText(sh, "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStr(sh, "A2", "Fill in the white columns: one figure per row in Value; leave it empty when there is no data (empty is not zero). "+
		"The grey columns are filled in and locked (Review > Unprotect Sheet, no password, to add rows). Percentages: 75 or 75%."); err != nil {
		return err
	}
	f.SetCellStyle(sh, "A1", "A1", t.st.title)
	f.SetCellStyle(sh, "A2", "A2", t.st.note)
	if err := f.MergeCell(sh, "A2", t.last+"2"); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 2, 45); err != nil {
		return err
	}
	hdr := make([]any, len(t.header))
	for i, h := range t.header {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", templateHeaderRow), &hdr); err != nil {
		return err
	}
	f.SetCellStyle(sh, fmt.Sprintf("A%d", templateHeaderRow), fmt.Sprintf("%s%d", t.last, templateHeaderRow), t.st.header)
	return nil
}

// rows writes one row per due indicator and combination of its
// dimensions' values, and sizes the columns to them.
func (t *templateWriter) rows() error {
	f, sh := t.f, t.sh
	widths := make([]int, len(t.header))
	for j, h := range t.header {
		widths[j] = utf8.RuneCountInString(h)
	}
	t.row = templateHeaderRow
	period := t.p.String()
	for _, ind := range t.due {
		for _, combo := range combinations(ind, t.dims) {
			t.row++
			cells := make([]any, t.valueCol)
			cells[0], cells[1], cells[2], cells[3] = ind.Code, ind.Name, string(ind.Unit), period
			for j, d := range t.dims {
				if v, ok := combo[d.Name]; ok {
					cells[4+j] = v
				}
			}
			for j, c := range cells {
				if s, ok := c.(string); ok {
					widths[j] = max(widths[j], min(utf8.RuneCountInString(s), 60))
				}
			}
			if err := checkRowText(sh, t.row, cells); err != nil {
				return err
			}
			if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", t.row), &cells); err != nil {
				return err
			}
			if ind.Unit == indicators.YesNo {
				t.yesNoCells = append(t.yesNoCells, fmt.Sprintf("%s%d", excelizeCol(t.valueCol), t.row))
			}
		}
	}
	for j, wd := range widths {
		col := excelizeCol(j)
		if err := f.SetColWidth(sh, col, col, float64(max(wd, 8)+2)); err != nil {
			return err
		}
	}
	return nil
}

// first is the first data row; extra the last row left unlocked, with
// validations, for rows added by hand.
func (t *templateWriter) first() int { return templateHeaderRow + 1 }
func (t *templateWriter) extra() int { return t.row + 200 }

// styleRows locks the filled-in columns and leaves the input columns (and
// room below for rows added by hand) unlocked.
func (t *templateWriter) styleRows() error {
	f, sh, first := t.f, t.sh, t.first()
	if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", first), fmt.Sprintf("%s%d", excelizeCol(t.valueCol-1), t.row), t.st.locked); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, fmt.Sprintf("%s%d", excelizeCol(t.valueCol), first), fmt.Sprintf("%s%d", t.last, t.row), t.st.input); err != nil {
		return err
	}
	return f.SetCellStyle(sh, fmt.Sprintf("A%d", t.row+1), fmt.Sprintf("%s%d", t.last, t.extra()), t.st.input)
}

// lists writes the dropdown lists on a hidden sheet, referred to by
// defined names, and validates the dimension, verified and yes/no cells
// with them.
func (t *templateWriter) lists() error {
	f, sh, first, extra := t.f, t.sh, t.first(), t.extra()
	if _, err := f.NewSheet(TemplateListsSheet); err != nil {
		return err
	}
	lists := [][]string{{"yes", "no"}, {"yes", "no", "unverifiable"}}
	listNames := []string{"yes/no", "verified values"}
	for _, d := range t.dims {
		lists = append(lists, d.Values)
		listNames = append(listNames, d.Name)
	}
	refs := make([]string, len(lists))
	for j, vals := range lists {
		col := excelizeCol(j)
		if err := f.SetCellStr(TemplateListsSheet, col+"1", listNames[j]); err != nil {
			return err
		}
		for i, v := range vals {
			if err := f.SetCellStr(TemplateListsSheet, fmt.Sprintf("%s%d", col, i+2), v); err != nil {
				return err
			}
		}
		name := fmt.Sprintf("rmf_list_%d", j+1)
		if err := f.SetDefinedName(&excelize.DefinedName{Name: name,
			RefersTo: fmt.Sprintf("%s!$%s$2:$%s$%d", TemplateListsSheet, col, col, len(vals)+1)}); err != nil {
			return err
		}
		refs[j] = name
	}
	if err := f.SetSheetVisible(TemplateListsSheet, false); err != nil {
		return err
	}
	addList := func(sqref, list, what string) error {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = sqref
		dv.SetSqrefDropList(list)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Not in the list", "Choose "+what+" from the list.")
		return f.AddDataValidation(sh, dv)
	}
	for j, d := range t.dims {
		col := excelizeCol(4 + j)
		if err := addList(fmt.Sprintf("%s%d:%s%d", col, first, col, extra), refs[2+j], "a value of "+d.Name); err != nil {
			return err
		}
	}
	vc := excelizeCol(t.verifiedCol)
	if err := addList(fmt.Sprintf("%s%d:%s%d", vc, first, vc, extra), refs[1], "yes, no or unverifiable"); err != nil {
		return err
	}
	for cells := t.yesNoCells; len(cells) > 0; {
		n := min(len(cells), 500)
		if err := addList(strings.Join(cells[:n], " "), refs[0], "yes or no"); err != nil {
			return err
		}
		cells = cells[n:]
	}
	return nil
}

// finish freezes the panes, adds the filter and protects the sheet.
func (t *templateWriter) finish() error {
	f, sh := t.f, t.sh
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: templateHeaderRow, XSplit: 1,
		TopLeftCell: fmt.Sprintf("B%d", t.first()), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sh, fmt.Sprintf("A%d:%s%d", templateHeaderRow, t.last, t.row), nil); err != nil {
		return err
	}
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true, AutoFilter: true, Sort: true})
}

// TemplateIndicators returns the indicators due in p, in framework order:
// every indicator without a formula (supporting measures included) whose
// frequency makes it due in p.
func TemplateIndicators(fw *indicators.Framework, p indicators.Period) []*indicators.Indicator {
	var out []*indicators.Indicator
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		if ind.Computed() || !dueIn(fw, ind, p) {
			continue
		}
		out = append(out, ind)
	}
	return out
}

// dueIn says whether ind is reported for period p, from its frequency.
func dueIn(fw *indicators.Framework, ind *indicators.Indicator, p indicators.Period) bool {
	if ind.EndOnly() {
		return fw.Project.End.IsZero() || p.ContainsDate(fw.Project.End)
	}
	switch indicators.Norm(ind.Frequency) {
	case "annual", "annually", "yearly", "year", "everyyear", "onceayear":
		if p.Days() >= 365 {
			return true
		}
		cal := fw.Project.Calendar()
		return indicators.PeriodOf(indicators.KindYear, p.End).End.Equal(p.End) || cal.YearOf(p.End).End.Equal(p.End)
	case "semiannual", "semiannually", "biannual", "biannually", "halfyearly", "semester", "sixmonthly", "twiceayear":
		if p.Days() >= 181 {
			return true
		}
		return indicators.PeriodOf(indicators.KindSemester, p.End).End.Equal(p.End)
	}
	return true
}

func hasDim(ind *indicators.Indicator, name string) bool {
	for _, d := range ind.Disaggregations {
		if strings.EqualFold(d, name) {
			return true
		}
	}
	return false
}

// combinations returns the total (nil) and then every combination of the
// values of the dimensions ind is disaggregated by.
func combinations(ind *indicators.Indicator, dims []*indicators.Dimension) []indicators.Disagg {
	out := []indicators.Disagg{nil}
	var mine []*indicators.Dimension
	for _, d := range dims {
		if hasDim(ind, d.Name) && len(d.Values) > 0 {
			mine = append(mine, d)
		}
	}
	if len(mine) == 0 {
		return out
	}
	combos := []indicators.Disagg{{}}
	for _, d := range mine {
		var next []indicators.Disagg
		for _, c := range combos {
			for _, v := range d.Values {
				next = append(next, c.With(d.Name, v))
			}
		}
		combos = next
	}
	return append(out, combos...)
}

func projectName(fw *indicators.Framework) string {
	switch {
	case fw.Project.Code != "" && fw.Project.Title != "":
		return fw.Project.Code + " " + fw.Project.Title
	case fw.Project.Title != "":
		return fw.Project.Title
	case fw.Project.Code != "":
		return fw.Project.Code
	}
	return "Project"
}

// excelizeCol is the column name of the 0-based column j.
func excelizeCol(j int) string {
	s, _ := excelize.ColumnNumberToName(j + 1)
	return s
}

type templateStyles struct{ title, note, header, locked, input int }

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	for _, s := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"BFBFBF"}}, Border: border}},
		{&st.locked, excelize.Style{Fill: grey, Border: border, Protection: &excelize.Protection{Locked: true}}},
		{&st.input, excelize.Style{Border: border, Protection: &excelize.Protection{Locked: false}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.dst = id
	}
	return st, nil
}
