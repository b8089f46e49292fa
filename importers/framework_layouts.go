package importers

// The logframe layouts officers already have, read by "rmf framework
// import" besides rmf's own workbook (framework_xlsx.go) and YAML:
//
//   - the classic DFID/FCDO logframe (framework_dfid.go): IMPACT, OUTCOME
//     and OUTPUT blocks, each indicator with its Baseline, Milestone 1..n
//     and Target cells, a Source and optional Planned/Achieved rows;
//   - flat IATI results rows as spreadsheets2iati and AidStream write them
//     (framework_flat.go): one row per indicator period with result,
//     indicator, baseline, period start and end, target and actual; as an
//     .xlsx sheet or a CSV file.
//
// Both are read into rmf's framework with the guarantees of rmf's own
// workbook: every problem is listed with its sheet and cell, and nothing
// is returned (so nothing is written) when there is any. Neither layout
// says everything rmf needs about the project: what the file lacks (code,
// title, start, end) is given by a Project sheet added to the workbook (as
// in rmf's own) or with FrameworkOptions (the --code, --title, --start and
// --end flags of "rmf framework import", which win), and its absence is
// one problem per missing key naming the flag.
//
// The actual figures these files hold (Achieved rows, Actual columns) are
// read by "rmf import" (ImportMeasurements), as for any measurement file.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rmf-project/rmf/indicators"
)

// FrameworkOptions complete what a logframe file does not say about the
// project (the DFID and flat IATI layouts have no Project sheet of their
// own); a value given here wins over the file's.
type FrameworkOptions struct {
	Code, Title string
	// Start and End as typed: a date (2021-07-01, 01/07/2021) or a period
	// (2021, 2021Q3: its first day for Start, its last day for End).
	Start, End string
	// Activity picks the activity of a flat IATI results file that holds
	// several (its IATI activity identifier).
	Activity string
	// MaxProblems is how many problems are listed (0:
	// indicators.DefaultMaxProblems); beyond it one last problem says how
	// many more were found.
	MaxProblems int
	// Words name the options that messages advise as the caller's user
	// sets them (cmd/rmf: its flags); nil: in the library's words.
	Words OptionWords
}

// projectOptions lists the options that complete a logframe file, in
// opt.Words: "--code, --title, --start, --end and --activity".
func (opt FrameworkOptions) projectOptions() string {
	w := opt.Words
	return w.Say(OptCode, "") + ", " + w.Say(OptTitle, "") + ", " + w.Say(OptStart, "") + ", " + w.Say(OptEnd, "") + " and " + w.Say(OptActivity, "")
}

// ProjectGiven is true when opt says something about the project (code,
// title, dates or activity), which only a DFID logframe or a flat IATI
// results file may be completed with.
func (opt FrameworkOptions) ProjectGiven() bool {
	return opt.Code != "" || opt.Title != "" || opt.Start != "" || opt.End != "" || opt.Activity != ""
}

// Layout names of the logframe files rmf reads.
const (
	LayoutRMF  = "rmf"
	LayoutYAML = "yaml" // or an IATI .xml file read through ReadFramework
	LayoutDFID = "dfid"
	LayoutFlat = "flat"
)

// LayoutsRead is the list of the layouts rmf reads, for messages.
const LayoutsRead = "rmf's workbook (sheets Project, Results, Indicators), rmf's YAML, " +
	"a DFID/FCDO logframe (IMPACT, OUTCOME and OUTPUT blocks with Indicator, Baseline, Milestone and Target headings), " +
	"flat IATI results rows as spreadsheets2iati and AidStream write them (.xlsx or .csv: result, indicator, period start and end, target, actual) " +
	"and IATI activity XML"

// Logframe is what ReadLogframe read.
type Logframe struct {
	Layout    string // LayoutRMF, LayoutYAML, LayoutDFID or LayoutFlat
	Framework *indicators.Framework
	// Figures are the actuals the file holds (DFID Achieved rows, flat
	// Actual cells); "rmf import" stores them.
	Figures []indicators.Measurement
	// Notes say what was read in a way the user may want to know (derived
	// codes, activities not read, placeholders skipped), one line each.
	Notes []string
	// Changes are the rows of the workbook's RECORD OF CHANGES sheet
	// (ReadRecordOfChanges), read from the same bytes as the logframe;
	// ChangesErr is why they could not be read (the caller decides when
	// to report it).
	Changes    []indicators.ChangeRecord
	ChangesErr error
}

// ReadLogframe reads a framework file of any layout rmf reads: rmf's
// workbook or YAML, a DFID/FCDO logframe, or flat IATI results rows
// (.xlsx or .csv). The layout is recognised from the content, not the
// name. It returns the framework or an indicators.Problems listing every
// problem. IATI activity XML is read by ReadIATI.
func ReadLogframe(path string, opt FrameworkOptions) (*Logframe, error) {
	lf, err := readLogframe(path, opt)
	if p, ok := err.(indicators.Problems); ok {
		err = indicators.CapProblems(p, path, opt.MaxProblems)
	}
	return lf, err
}

// readLogframe is ReadLogframe with its problems not capped.
func readLogframe(path string, opt FrameworkOptions) (*Logframe, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".xlsx", ".xlsm", ".csv":
	default:
		if opt.ProjectGiven() {
			return nil, &indicators.CellError{File: path, Err: fmt.Errorf("%s complete a DFID logframe or flat IATI results file (.xlsx or .csv), not a %s file: give the project in the file", opt.projectOptions(), ext)}
		}
		fw, err := ReadFramework(path)
		if err != nil {
			return nil, err
		}
		return &Logframe{Layout: LayoutYAML, Framework: fw}, nil // or IATI XML: see ReadIATI
	}
	if fi, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &indicators.CellError{File: path, Err: errors.New("no such file")}
		}
		return nil, err
	} else if fi.IsDir() {
		return nil, &indicators.CellError{File: path, Err: errors.New("is a folder, expected a framework file (.xlsx, .csv, .yaml or .yml)")}
	}
	// The file is opened and read once (OpenSource): the layout is
	// recognised and the logframe read from those bytes.
	src, err := OpenSource(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	lf, err := readLogframeFrom(path, ext, opt, src)
	if err == nil && (ext == ".xlsx" || ext == ".xlsm") {
		lf.Changes, lf.ChangesErr = readRecordOfChanges(src.reader(), path)
	}
	return lf, err
}

// readLogframeFrom reads the workbook or CSV file at path (extension ext)
// through src.
func readLogframeFrom(path, ext string, opt FrameworkOptions, src *Source) (*Logframe, error) {
	book, err := readLayoutBook(path, src)
	if err != nil {
		if ext == ".csv" {
			return nil, err
		}
		// Not a readable workbook: rmf's reader says why in its words.
		return readRMFWorkbook(path, src)
	}
	lay, sh := book.recognise()
	switch lay {
	case LayoutDFID:
		return readDFID(sh, book.projectSheet(sh), opt)
	case LayoutFlat:
		return readFlat(sh, book.projectSheet(sh), opt)
	case LayoutRMF:
		if opt.ProjectGiven() {
			return nil, &indicators.CellError{File: path, Err: fmt.Errorf("%s complete a DFID logframe or flat IATI results file; this is rmf's own workbook: give the project in its Project sheet", opt.projectOptions())}
		}
		return readRMFWorkbook(path, src)
	}
	return nil, indicators.Problems{&indicators.CellError{File: path, Err: fmt.Errorf(
		"%w: not a logframe rmf reads; rmf reads %s. Closest: %s", indicators.ErrInvalid, LayoutsRead, book.closest())}}
}

// readRMFWorkbook reads rmf's own framework workbook at path, through
// src.
func readRMFWorkbook(path string, src *Source) (*Logframe, error) {
	fw, err := ReadFrameworkXLSX(src.reader(), path)
	if err != nil {
		return nil, err
	}
	return &Logframe{Layout: LayoutRMF, Framework: fw}, nil
}

// layoutBook is a framework file read whole as sheets of cells (a CSV file
// is one sheet named "").
type layoutBook struct {
	file       string
	csv        bool
	sheetNames []string
	sheets     []*Sheet
}

// maxLayoutCells caps the cells read from a logframe file: a logframe is
// small, and a file far larger is not one.
const maxLayoutCells = 2_000_000

// readLayoutBook reads every sheet of an .xlsx file (streamed, so that
// no sheet is held twice), or a CSV file.
func readLayoutBook(path string, src *Source) (*layoutBook, error) {
	kind, err := fileKindOf(path, src)
	if err != nil {
		return nil, err
	}
	bk := &layoutBook{file: path}
	if kind == "csv" {
		f, err := openFile(path, src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		rr, _ := newCSVRows(f)
		sh, err := collectSheet(path, "", rr, nil, false)
		if err != nil {
			return nil, err
		}
		bk.csv = true
		bk.sheetNames = []string{""}
		bk.sheets = []*Sheet{sh}
		return bk, nil
	}
	b, err := openXLSXOf(path, src, 0)
	if err != nil {
		return nil, indicators.Problems{&indicators.CellError{File: path, Err: err}}
	}
	defer b.Close()
	for _, ref := range b.sheets {
		rr, err := b.rows(ref)
		if err != nil {
			return nil, indicators.Problems{&indicators.CellError{File: path, Sheet: ref.Name, Err: err}}
		}
		sh, err := collectSheet(path, ref.Name, rr, nil, b.date1904)
		rr.Close()
		if err != nil {
			return nil, err
		}
		bk.sheetNames = append(bk.sheetNames, ref.Name)
		bk.sheets = append(bk.sheets, sh)
	}
	return bk, nil
}

// collectSheet reads the rows of rr (after the rows already read, head)
// into a Sheet, with every cell's reference set.
func collectSheet(file, name string, rr rowSource, head []peekedRow, date1904 bool) (*Sheet, error) {
	sh := &Sheet{File: file, Name: name, Date1904: date1904}
	cells := 0
	put := func(row int, cs []Cell) error {
		cells += len(cs)
		if cells > maxLayoutCells {
			return indicators.Problems{&indicators.CellError{File: file, Sheet: name, Err: fmt.Errorf(
				"%w: more than %d cells, expected a logframe", indicators.ErrInvalid, maxLayoutCells)}}
		}
		for len(sh.Rows) < row {
			sh.Rows = append(sh.Rows, nil)
		}
		cp := make([]Cell, len(cs))
		for j, c := range cs {
			c.Ref = cellRef(j, row)
			cp[j] = c
		}
		sh.Rows[row-1] = cp
		return nil
	}
	for _, p := range head {
		if err := put(p.row, p.cells); err != nil {
			return nil, err
		}
	}
	for {
		row, cs, err := rr.Next()
		if err == io.EOF {
			return sh, nil
		}
		if err != nil {
			var ce *indicators.CellError
			if errors.As(err, &ce) {
				if ce.File == "" {
					ce.File = file
				}
				if ce.Sheet == "" {
					ce.Sheet = name
				}
				return nil, indicators.Problems{ce}
			}
			return nil, indicators.Problems{&indicators.CellError{File: file, Sheet: name, Err: err}}
		}
		if err := put(row, cs); err != nil {
			return nil, err
		}
	}
}

// peekedRow is a row read ahead (its cells copied).
type peekedRow struct {
	row   int
	cells []Cell
}

// recognise picks the layout of the book and, for DFID and flat, the sheet
// that holds it. A workbook with rmf's sheets is rmf's unless it has no
// Indicators sheet and a sheet in another layout.
func (bk *layoutBook) recognise() (string, *Sheet) {
	for _, sh := range bk.sheets {
		if flatScore(sh).ok() {
			if !bk.csv && bk.rmfSheets() >= 2 && bk.hasSheet("Indicators", "Indicator", "PIRS", "Indicator list") {
				return LayoutRMF, nil
			}
			return LayoutFlat, sh
		}
	}
	for _, sh := range bk.sheets {
		if dfidScore(sh).ok() && measurementHeaderRow(sh) == 0 {
			if !bk.csv && bk.rmfSheets() >= 2 && bk.hasSheet("Indicators", "Indicator", "PIRS", "Indicator list") {
				return LayoutRMF, nil
			}
			return LayoutDFID, sh
		}
	}
	if !bk.csv && bk.rmfSheets() >= 2 {
		return LayoutRMF, nil
	}
	return "", nil
}

// projectSheet is the book's Project sheet (as rmf's workbook names it),
// other than sh; nil when there is none.
func (bk *layoutBook) projectSheet(sh *Sheet) *Sheet {
	for i, n := range bk.sheetNames {
		if bk.sheets[i] == sh || n == "" {
			continue
		}
		for _, w := range rmfRequiredSheets[0] {
			if indicators.Norm(n) == indicators.Norm(w) {
				return bk.sheets[i]
			}
		}
	}
	return nil
}

// rmfSheets counts the sheets of rmf's workbook (Project, Results,
// Indicators) the book has.
func (bk *layoutBook) rmfSheets() int {
	n := 0
	for _, s := range rmfRequiredSheets {
		if bk.hasSheet(s[0], s[1:]...) {
			n++
		}
	}
	return n
}

var rmfRequiredSheets = [][]string{
	{"Project", "Projects", "Project info", "Project information", "Activity"},
	{"Results", "Result", "Logframe", "Results framework"},
	{"Indicators", "Indicator", "PIRS", "Indicator list"},
}

func (bk *layoutBook) hasSheet(want string, aliases ...string) bool {
	for _, w := range append([]string{want}, aliases...) {
		for _, n := range bk.sheetNames {
			if n != "" && indicators.Norm(n) == indicators.Norm(w) {
				return true
			}
		}
	}
	return false
}

// layoutScore is how much of a layout a sheet shows: the marks found out
// of the marks the layout needs, and what it lacked.
type layoutScore struct {
	found, need int
	lacks       []string
	where       string // the sheet (and header row) it was seen in
}

func (s layoutScore) ok() bool { return s.need > 0 && s.found == s.need }

// closest names the layout the book comes nearest to and what it lacked.
func (bk *layoutBook) closest() string {
	type cand struct {
		name  string
		score layoutScore
	}
	for _, sh := range bk.sheets {
		if r := measurementHeaderRow(sh); r > 0 {
			return fmt.Sprintf("a measurement workbook (%s, header row %d, has indicator, period and value columns), which holds figures, not a logframe: read it with rmf import %s",
				sheetWhere(sh), r, bk.file)
		}
	}
	var cs []cand
	rmf := layoutScore{need: 3}
	for _, s := range rmfRequiredSheets {
		if bk.hasSheet(s[0], s[1:]...) {
			rmf.found++
		} else {
			rmf.lacks = append(rmf.lacks, "a sheet "+s[0])
		}
	}
	if !bk.csv {
		rmf.where = "sheets found: " + strings.Join(bk.sheetNames, ", ")
		cs = append(cs, cand{"rmf's workbook", rmf})
	}
	for _, sh := range bk.sheets {
		cs = append(cs, cand{"flat IATI results rows", flatScore(sh)}, cand{"a DFID logframe", dfidScore(sh)})
	}
	best := -1
	bestShare := -1.0
	for i, c := range cs {
		share := float64(c.score.found) / float64(max(c.score.need, 1))
		if share > bestShare {
			best, bestShare = i, share
		}
	}
	if best < 0 || bestShare == 0 {
		if bk.csv {
			return "none: the file has no header row naming an indicator, a period and a target or actual (flat IATI results rows)"
		}
		return "none: no sheet has IMPACT/OUTCOME/OUTPUT blocks or a header row of IATI results columns, and there is no Project, Results or Indicators sheet (sheets found: " + strings.Join(bk.sheetNames, ", ") + ")"
	}
	c := cs[best]
	s := c.name
	if c.score.where != "" {
		s += " (" + c.score.where + ")"
	}
	return s + ", which lacks " + joinAnd(c.score.lacks)
}

// measurementHeaderRow is the row (within MaxHeaderScan) of a header of
// rmf's measurement layout in sh: an indicator column with period (or
// start) and value columns; 0 when there is none.
func measurementHeaderRow(sh *Sheet) int {
	for r := 1; r <= len(sh.Rows) && r <= MaxHeaderScan; r++ {
		cells := sh.Rows[r-1]
		if len(cells) > maxSniffCols {
			cells = cells[:maxSniffCols]
		}
		if indicatorColumn(cells) < 0 {
			continue
		}
		has := map[string]bool{}
		for _, c := range cells {
			if name, ok := matchField(c.Raw); ok && c.Kind == CellText {
				has[name] = true
			}
		}
		if (has["period"] || has["start"]) && has["value"] {
			return r
		}
	}
	return 0
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return "nothing"
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// where names a sheet for messages: "sheet X" or "the file" (CSV).
func sheetWhere(sh *Sheet) string {
	if sh.Name == "" {
		return "the file"
	}
	return "sheet " + sh.Name
}

// key is the matching key of a heading or label: lower-case letters and
// digits only ("PROGRAMME TITLE:" is "programmetitle").
func key(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// placeholder is true for template text that is not data: [Insert ...],
// <...>, "Enter ...", "Insert ...", "TBC"-like markers are not placeholders
// (they say the value is not known yet: see notKnownYet).
func placeholder(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return true
	}
	if (strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]")) || (strings.HasPrefix(t, "<") && strings.HasSuffix(t, ">")) {
		return true
	}
	l := strings.ToLower(t)
	for _, p := range []string{"insert ", "enter ", "type ", "add ", "fill in", "e.g.", "xx"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// notKnownYet is true for a figure cell that says the value is to come:
// TBC, TBD, to be confirmed, to be determined (read as empty; check
// reports the missing baseline or target).
func notKnownYet(s string) bool {
	k := key(s)
	if strings.HasPrefix(k, "tobeconfirmed") || strings.HasPrefix(k, "tobedetermined") || strings.HasPrefix(k, "tobeagreed") {
		return true
	}
	l := strings.ToLower(strings.TrimSpace(s))
	for _, w := range []string{"tbc", "tbd", "tba"} {
		if l == w || strings.HasPrefix(l, w) && !unicode.IsLetter(rune(l[3])) {
			return true
		}
	}
	return false
}

// figure is a value cell of a logframe read as people fill them in:
// 1,250, 45%, £2.5m, "1,200 households", yes, or text.
type figure struct {
	cell     Cell
	empty    bool // empty, N/A, a placeholder or TBC
	number   bool
	v        float64
	percent  bool
	currency bool
	yesno    bool
	words    string // unit words after the number ("households")
	note     string // the text in brackets after it ("Mar 2013" of "500 (Mar 2013)")
	text     string // the text when not a number
}

var figureRE = regexp.MustCompile(`^(?i)(£|\$|€|gbp|usd|eur|chf)?\s*([+-]?[0-9][0-9,]*(?:\.[0-9]+)?|[+-]?\.[0-9]+)\s*(%|percent\b|per cent\b|k\b|m\b|mn\b|million\b|thousand\b|bn\b|billion\b)?\s*(.*)$`)

// readFigure reads one value cell.
func readFigure(c Cell) figure {
	f := figure{cell: c}
	t := strings.TrimSpace(c.Raw)
	if c.Empty() || NotAvailable(c) || (c.Kind == CellText && (placeholder(t) || notKnownYet(t))) {
		f.empty = true
		return f
	}
	switch c.Kind {
	case CellNumber, CellPercent:
		v, err := strconv.ParseFloat(t, 64)
		if err == nil {
			f.number, f.v = true, v
			if c.Kind == CellPercent {
				f.v, f.percent = Round15(v*100), true
			}
			return f
		}
	case CellBool:
		f.yesno, f.number = true, true
		if t == "1" || strings.EqualFold(t, "true") {
			f.v = 1
		}
		return f
	case CellDate:
		f.text = t
		return f
	}
	full := t
	// A note in brackets after the figure ("45% (2011)", "120 (est.)",
	// "Yes (Dec 2013)") is not part of it; a text keeps it.
	if i := strings.LastIndex(t, "("); i > 0 && strings.HasSuffix(t, ")") {
		f.note = strings.TrimSpace(t[i+1 : len(t)-1])
		t = strings.TrimSpace(t[:i])
	}
	if v, err := ParseYesNo(t); err == nil && !allDigits(t) {
		f.yesno, f.number, f.v = true, true, v
		return f
	}
	m := figureRE.FindStringSubmatch(t)
	if m == nil {
		f.text, f.note = full, ""
		return f
	}
	v, _, err := ParseNumber(m[2])
	if err != nil {
		f.text, f.note = full, ""
		return f
	}
	switch strings.ToLower(m[3]) {
	case "%", "percent", "per cent":
		f.percent = true
	case "k", "thousand":
		v = Round15(v * 1e3)
	case "m", "mn", "million":
		v = Round15(v * 1e6)
	case "bn", "billion":
		v = Round15(v * 1e9)
	}
	f.number, f.v = true, v
	f.currency = m[1] != ""
	f.words = strings.TrimSpace(m[4])
	if f.words != "" && !strings.ContainsFunc(f.words, unicode.IsLetter) {
		// "12 / 40", "5-10": not one number.
		f.number, f.text, f.note = false, full, ""
	}
	return f
}

// unitOf infers an indicator's unit from its figures: text when none is a
// number, yes/no when all are yes/no, percent when one is written as a
// percentage, currency when one has a currency sign, else number.
func unitOf(fs []figure) indicators.Unit {
	anyNum, allYes, anyPct, anyCur, anyText := false, true, false, false, false
	for _, f := range fs {
		if f.empty {
			continue
		}
		if !f.number {
			anyText = true
			continue
		}
		anyNum = true
		allYes = allYes && f.yesno
		anyPct = anyPct || f.percent
		anyCur = anyCur || f.currency
	}
	switch {
	case !anyNum && anyText:
		return indicators.Text
	case !anyNum:
		return indicators.Number
	case allYes:
		return indicators.YesNo
	case anyPct:
		return indicators.Percent
	case anyCur:
		return indicators.Currency
	}
	return indicators.Number
}

// projectKeyCells finds key cells of the project in a sheet ("PROGRAMME
// TITLE:" beside its value, or "Project code: GB-1-2045" in one cell).
var layoutProjectKeys = map[string]string{
	"programmetitle": "title", "projecttitle": "title", "programmename": "title", "projectname": "title", "title": "title", "activityname": "title",
	"programmecode": "code", "projectcode": "code", "projectnumber": "code", "programmenumber": "code", "projectid": "code",
	"programmeid": "code", "code": "code", "iatiidentifier": "code", "awardnumber": "code", "componentcode": "code",
	"startdate": "start", "projectstart": "start", "programmestart": "start", "projectstartdate": "start", "programmestartdate": "start", "start": "start",
	"enddate": "end", "projectend": "end", "programmeend": "end", "projectenddate": "end", "programmeenddate": "end", "end": "end",
}

// sheetProject reads the project keys written in the cells of sh: the
// value is the next non-empty cell to the right, or the text after a colon
// in the key's own cell. Only the first maxRows rows are searched.
func sheetProject(sh *Sheet, maxRows int) map[string]Cell {
	out := map[string]Cell{}
	for i, row := range sh.Rows {
		if i >= maxRows {
			break
		}
		for j, c := range row {
			if c.Kind != CellText {
				continue
			}
			t := strings.TrimSpace(c.Raw)
			k, rest, colon := strings.Cut(t, ":")
			field, ok := layoutProjectKeys[key(k)]
			if !ok || (!colon && len(key(k)) < 5) { // "code" alone is a heading, not a key
				continue
			}
			if _, dup := out[field]; dup {
				continue
			}
			if strings.TrimSpace(rest) != "" {
				v := c
				v.Raw = strings.TrimSpace(rest)
				out[field] = v
				continue
			}
			for jj := j + 1; jj < len(row) && jj <= j+3; jj++ {
				if !row[jj].Empty() {
					if !placeholder(row[jj].Raw) {
						out[field] = row[jj]
					}
					break
				}
			}
		}
	}
	return out
}

// projectFrom fills the project from the file's cells (found) and the
// options (which win), and lists a problem for each of code, title, start
// and end that neither gives, naming the flag and the place in the file.
func projectFrom(p *indicators.Project, file string, found map[string]Cell, date1904 bool, opt FrameworkOptions, hint map[string]string, sheet string, projSheet *Sheet) indicators.Problems {
	var probs indicators.Problems
	loc := indicators.Loc{File: file, Sheet: sheet, Cells: map[string]string{}}
	if projSheet != nil {
		// A Project sheet added to the workbook, read as in rmf's own
		// workbook (every key of SPEC 2); the layout's cells and the
		// options fill what it lacks.
		b := &builder{fw: &indicators.Framework{}, date1904: projSheet.Date1904}
		b.buildProject(projectRecord(projSheet))
		*p = b.fw.Project
		probs = append(probs, b.probs...)
		loc = p.Loc
		if loc.Cells == nil {
			loc.Cells = map[string]string{}
		}
	}
	// A value from a cell of the layout's sheet is named in loc, unless
	// loc is the Project sheet's.
	cellOf := func(field string, c Cell) {
		if projSheet == nil {
			loc.Cells[field] = c.Ref
		}
	}
	text := func(field, flag string) string {
		if flag != "" {
			return strings.TrimSpace(flag)
		}
		if cur := map[string]string{"code": p.Code, "title": p.Title}[field]; cur != "" {
			return cur
		}
		if c, ok := found[field]; ok {
			cellOf(field, c)
			return strings.TrimSpace(c.Raw)
		}
		return ""
	}
	p.Code = text("code", opt.Code)
	p.Title = text("title", opt.Title)
	date := func(field, flag string, end bool) time.Time {
		if flag != "" {
			d, err := flagDate(flag, end)
			if err != nil {
				probs = append(probs, &indicators.CellError{File: file, Field: field, Err: fmt.Errorf("%w: --%s %q is not a date, expected a date such as 2021-07-01 or a year such as 2021", indicators.ErrInvalid, field, flag)})
			}
			return d
		}
		if cur := map[string]time.Time{"start": p.Start, "end": p.End}[field]; !cur.IsZero() {
			return cur
		}
		c, ok := found[field]
		if !ok {
			return time.Time{}
		}
		cellOf(field, c)
		d, err := c.Date(date1904)
		if err == nil {
			return d
		}
		if d, err := flagDate(c.Text(), end); err == nil {
			return d
		}
		probs = append(probs, &indicators.CellError{File: file, Sheet: sheet, Cell: c.Ref, Field: field, Err: fmt.Errorf(
			"%w: project %s %s is not a date, expected a date such as 2021-07-01 or 01/07/2021", indicators.ErrInvalid, field, shown(c))})
		return time.Time{}
	}
	p.Start = date("start", opt.Start, false)
	p.End = date("end", opt.End, true)
	p.Loc = loc
	for _, f := range []struct {
		field, flag string
		missing     bool
	}{
		{"code", opt.Words.Say(OptCode, "CODE"), p.Code == ""},
		{"title", opt.Words.Say(OptTitle, "TEXT"), p.Title == ""},
		{"start", opt.Words.Say(OptStart, "DATE"), p.Start.IsZero() && !hasProblem(probs, "start")},
		{"end", opt.Words.Say(OptEnd, "DATE"), p.End.IsZero() && !hasProblem(probs, "end")},
	} {
		if !f.missing {
			continue
		}
		msg := fmt.Sprintf("the file gives no project %s; give it with %s", f.field, f.flag)
		if h := hint[f.field]; h != "" {
			msg += " (" + h + ")"
		}
		if sheet != "" {
			msg += fmt.Sprintf(" or in a sheet Project, row %s", f.field)
		}
		probs = append(probs, &indicators.CellError{File: file, Field: f.field, Err: fmt.Errorf("%w: %s", indicators.ErrRequired, msg)})
	}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		probs = append(probs, &indicators.CellError{File: file, Field: "end", Err: fmt.Errorf("%w: the project ends (%s) before it starts (%s), expected an end on or after the start",
			indicators.ErrInvalid, p.End.Format(time.DateOnly), p.Start.Format(time.DateOnly))})
	}
	return probs
}

func hasProblem(ps indicators.Problems, field string) bool {
	for _, p := range ps {
		var ce *indicators.CellError
		if errors.As(p, &ce) && ce.Field == field {
			return true
		}
	}
	return false
}

// flagDate reads a date given on the command line: a date, or a period
// taken as its first day (end: its last day).
func flagDate(s string, end bool) (time.Time, error) {
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	p, err := indicators.ParsePeriod(s)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		return p.End, nil
	}
	return p.Start, nil
}

// finishLayout validates the framework built from a layout and returns it,
// or every problem (parse problems, project problems and Validate's) in
// file order. Validate's "no code/title/start/end in the Project sheet" is
// dropped: projectFrom said it in words that fit the layout.
func finishLayout(lf *Logframe, sh *Sheet, probs indicators.Problems) (*Logframe, error) {
	b := &builder{fw: lf.Framework, probs: probs, sheetRank: map[string]int{sh.Name: 0}}
	var sem indicators.Problems
	for _, p := range validate(lf.Framework) {
		var ce *indicators.CellError
		if errors.As(p, &ce) && ce.Cell == "" && ce.Row == 0 {
			switch ce.Field {
			case "code", "title", "start", "end":
				if hasProblem(probs, ce.Field) {
					continue
				}
			}
		}
		sem = append(sem, p)
	}
	b.merge(sem) // drops "missing" where a value could not be read
	if len(b.probs) > 0 {
		return nil, b.sorted()
	}
	return lf, nil
}

// periodText reads a date or period written in a heading ("Milestone 1
// (Mar 2013)": "Mar 2013") or a dates row: a date cell is its day; text
// is a date (31/03/2013), a month (Mar 2013, March 2013, 2013-03), a
// quarter or a year.
func periodText(s string) (indicators.Period, bool) {
	t := strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "()[]-–:,"))
	if t == "" {
		return indicators.Period{}, false
	}
	if d, err := ParseDate(t); err == nil {
		return indicators.Day(d), true
	}
	// "March 2013", "Mar-13", "Sept 2014"
	for _, l := range []string{"Jan 2006", "January 2006", "Jan-06", "Jan-2006", "Jan 06", "January, 2006", "01/2006", "1/2006", "2006-01"} {
		if d, err := time.Parse(l, strings.ReplaceAll(t, "Sept", "Sep")); err == nil {
			return indicators.Month(d.Year(), d.Month()), true
		}
	}
	if p, err := indicators.ParsePeriod(t); err == nil {
		return indicators.Normalize(p), true
	}
	return indicators.Period{}, false
}

// cellPeriodOf reads a period from a dates-row cell.
func cellPeriodOf(c Cell, date1904 bool) (indicators.Period, bool) {
	switch c.Kind {
	case CellDate:
		d, err := c.Date(date1904)
		if err != nil {
			return indicators.Period{}, false
		}
		return indicators.Day(d), true
	case CellNumber:
		if v, err := strconv.ParseFloat(c.Text(), 64); err == nil && v == float64(int(v)) && v >= 1990 && v <= 2100 {
			return indicators.Year(int(v)), true
		}
		return indicators.Period{}, false
	}
	return periodText(c.Raw)
}
