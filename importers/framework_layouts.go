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
	"strings"

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
