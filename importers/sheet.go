package importers

// Shared workbook helpers: opening a workbook safely, reading a sheet as
// typed cells, finding the header row and matching headers, and parsing
// numbers and dates as people type them. They are used by the framework
// reader and by the measurement readers.
//
// Cells are read raw (excelize.Options{RawCellValue: true}) and their kind
// (date, percent, number, text, boolean) is decided here from the cell type
// and the style's number format, because formatted reading is slow and
// depends on the locale of the machine.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// UnzipXMLSizeLimit caps the uncompressed size of one worksheet or of the
// shared strings kept in memory; larger parts are spilled to a temporary
// file by excelize.
const UnzipXMLSizeLimit int64 = 64 << 20

// MaxHeaderScan is how many rows from the top of a sheet are searched for
// the header row (title rows above it are skipped).
const MaxHeaderScan = 30

// OpenWorkbook reads a workbook from r with raw cell values, at most
// DefaultUnzipSizeLimit bytes unpacked in all and UnzipXMLSizeLimit bytes
// of one part in memory.
func OpenWorkbook(r io.Reader) (*excelize.File, error) {
	return excelize.OpenReader(r, excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    DefaultUnzipSizeLimit,
		UnzipXMLSizeLimit: UnzipXMLSizeLimit,
	})
}

// CellKind is what a cell holds, as far as its type and number format tell.
type CellKind int

const (
	CellEmpty   CellKind = iota // no value, or only blanks
	CellText                    // a string (also numbers typed as text)
	CellNumber                  // a number with a general or numeric format
	CellDate                    // a number with a date format: an Excel serial date
	CellPercent                 // a number with a percent format: 0.75 shows as 75%
	CellBool                    // a boolean cell: Raw is "1" or "0"
	// CellUncomputed is a formula whose result was never saved with the
	// file (written by a program that does not calculate): its value is
	// unknown, Raw is empty and Formula holds the formula.
	CellUncomputed
)

func (k CellKind) String() string {
	switch k {
	case CellEmpty:
		return "empty"
	case CellText:
		return "text"
	case CellNumber:
		return "number"
	case CellDate:
		return "date"
	case CellPercent:
		return "percent"
	case CellBool:
		return "boolean"
	case CellUncomputed:
		return "formula without a saved value"
	}
	return "unknown"
}

// Cell is one cell of a sheet: its reference ("B7"), its raw value (the
// stored number for numbers, dates and percents; the text for strings) and
// its kind.
type Cell struct {
	Ref  string
	Raw  string
	Kind CellKind
	// Formula is the formula of a CellUncomputed cell ("=SUM(B2:B9)"; "="
	// alone for a shared formula whose text is on another cell).
	Formula string
}

// Text is the raw value trimmed of blanks.
func (c Cell) Text() string { return strings.TrimSpace(c.Raw) }

// Empty is true when the cell holds nothing but blanks.
// A formula without a saved value is not empty: its value is unknown.
func (c Cell) Empty() bool {
	return c.Kind != CellUncomputed && (c.Kind == CellEmpty || c.Text() == "")
}

// NotAvailable is true for a text cell that says there is no figure: N/A,
// n/a, n.a., NA, not available, not applicable, no data. Such a cell is read
// like an empty one (no data, never zero). A dash is not one of them: "-"
// is also how people and Excel's accounting format write zero, so it stays
// an error rather than a guess.
func NotAvailable(c Cell) bool {
	if c.Kind != CellText {
		return false
	}
	switch strings.ReplaceAll(indicators.Norm(c.Raw), "/", "") {
	case "na", "notavailable", "notapplicable", "nodata":
		return true
	}
	return false
}

// IsDash is true for text that is only a dash (-, –, —): zero for some,
// "nothing to report" for others.
func IsDash(s string) bool {
	switch strings.TrimSpace(s) {
	case "-", "--", "\u2013", "\u2014":
		return true
	}
	return false
}

// DashHelp says what to write instead of a dash in a figure's cell.
const DashHelp = "a dash may mean zero or nothing: write 0 for zero, or leave the cell empty (or write N/A) when there is no figure"

// UncomputedError is the problem of a formula cell whose value was never
// saved: reading it as empty would silently drop a figure.
func (c Cell) UncomputedError() error {
	f := strings.TrimSpace(c.Formula)
	if f == "" || f == "=" {
		f = "a formula"
	} else {
		f = "the formula " + f
	}
	return fmt.Errorf("%w: the cell holds %s but no calculated value was saved with the file (it was written by a program that does not calculate), "+
		"expected a value: open the file in Excel or LibreOffice and save it, or type the value", indicators.ErrInvalid, f)
}

// Sheet is a worksheet read as typed cells. Rows[i] is row i+1 of the sheet;
// Rows[i][j] is column j+1 (trailing empty cells may be missing).
type Sheet struct {
	File     string // file name, for messages
	Name     string // sheet name as spelled in the workbook
	Date1904 bool   // the workbook counts dates from 1904
	Rows     [][]Cell
}

// Cell returns the cell at 1-based row and 0-based column index col; an
// empty cell (with its reference) when out of range.
func (s *Sheet) Cell(row, col int) Cell {
	if row >= 1 && row <= len(s.Rows) && col >= 0 && col < len(s.Rows[row-1]) {
		return s.Rows[row-1][col]
	}
	ref, _ := excelize.CoordinatesToCellName(col+1, row)
	return Cell{Ref: ref}
}

// RowEmpty is true when every cell of the 1-based row is empty.
func (s *Sheet) RowEmpty(row int) bool {
	return row < 1 || row > len(s.Rows) || rowEmpty(s.Rows[row-1])
}

// Errorf builds a CellError at cell ref of the 1-based row of s.
func (s *Sheet) Errorf(row int, ref, field string, sentinel error, format string, args ...any) *indicators.CellError {
	return &indicators.CellError{File: s.File, Sheet: s.Name, Row: row, Cell: ref, Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// FindSheet returns the workbook's name of the sheet that matches want,
// comparing with indicators.Norm (case, spaces and underscores ignored).
// Aliases are tried after want.
func FindSheet(f *excelize.File, want string, aliases ...string) (string, bool) {
	list := f.GetSheetList()
	for _, w := range append([]string{want}, aliases...) {
		for _, n := range list {
			if indicators.Norm(n) == indicators.Norm(w) {
				return n, true
			}
		}
	}
	return "", false
}

// ReadSheet reads sheet name of f as typed cells. Style lookups are cached
// per style index, so reading stays linear in the number of cells.
func ReadSheet(f *excelize.File, file, name string) (*Sheet, error) {
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &indicators.CellError{File: file, Sheet: name, Err: err}
	}
	s := &Sheet{File: file, Name: name}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.Date1904 = *props.Date1904
	}
	styleKind := map[int]CellKind{}
	s.Rows = make([][]Cell, len(rows))
	for i, row := range rows {
		cells := make([]Cell, len(row))
		for j, raw := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			c := Cell{Ref: ref, Raw: raw}
			if strings.TrimSpace(raw) == "" {
				c.Kind = CellEmpty
				if fo, err := f.GetCellFormula(name, ref); err == nil && fo != "" {
					if v, err := f.GetCellValue(name, ref, excelize.Options{RawCellValue: true}); err == nil && v == "" && !hasCachedValue(f, name, ref) {
						c.Kind, c.Formula = CellUncomputed, "="+strings.TrimPrefix(fo, "=")
					}
				}
				cells[j] = c
				continue
			}
			typ, err := f.GetCellType(name, ref)
			if err != nil {
				return nil, &indicators.CellError{File: file, Sheet: name, Cell: ref, Err: err}
			}
			switch typ {
			case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula, excelize.CellTypeError:
				c.Kind = CellText
			case excelize.CellTypeBool:
				c.Kind = CellBool
			case excelize.CellTypeDate:
				c.Kind = CellDate // ISO 8601 text in a t="d" cell
			default: // a number: its format says whether it is a date or percent
				c.Kind = CellNumber
				if _, err := strconv.ParseFloat(raw, 64); err != nil {
					c.Kind = CellText
					break
				}
				idx, err := f.GetCellStyle(name, ref)
				if err != nil || idx == 0 {
					break
				}
				k, ok := styleKind[idx]
				if !ok {
					k = CellNumber
					if st, err := f.GetStyle(idx); err == nil && st != nil {
						custom := ""
						if st.CustomNumFmt != nil {
							custom = *st.CustomNumFmt
						}
						k = NumFmtKind(st.NumFmt, custom)
					}
					styleKind[idx] = k
				}
				c.Kind = k
			}
			cells[j] = c
		}
		s.Rows[i] = cells
	}
	return s, nil
}

// hasCachedValue is false for a formula cell ref without a type: a
// formula with a number or date result, which Excel and LibreOffice always
// save with its value. A text-typed one (t="str") with no value may be a
// formula whose result is empty text (=IF(A1="","",A1)): excelize cannot
// tell that from a missing value, so it counts as computed.
func hasCachedValue(f *excelize.File, sheet, ref string) bool {
	t, err := f.GetCellType(sheet, ref)
	return err != nil || t != excelize.CellTypeUnset
}

// Uncomputed reports, as problems, the formula cells without a saved value
// in the columns of h below its row, and blanks them so that they are not
// read as values.
func (s *Sheet) Uncomputed(h Header) []error {
	var errs []error
	for field, col := range h.Cols {
		for row := h.Row + 1; row <= len(s.Rows); row++ {
			cells := s.Rows[row-1]
			if col < len(cells) && cells[col].Kind == CellUncomputed {
				c := &cells[col]
				errs = append(errs, &indicators.CellError{File: s.File, Sheet: s.Name, Row: row, Cell: c.Ref, Field: field, Err: c.UncomputedError()})
				c.Kind = CellEmpty
			}
		}
	}
	sort.Slice(errs, func(i, j int) bool {
		a, b := errs[i].(*indicators.CellError), errs[j].(*indicators.CellError)
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return len(a.Cell) < len(b.Cell) || len(a.Cell) == len(b.Cell) && a.Cell < b.Cell
	})
	return errs
}

// NumFmtKind classifies a number format: built-in formats 14-22 and 45-47
// and custom formats with day, month or year codes are dates; built-in 9
// and 10 and custom formats with a % sign are percents; anything else is a
// plain number.
func NumFmtKind(id int, custom string) CellKind {
	if custom != "" {
		return customFmtKind(custom)
	}
	switch {
	case id >= 14 && id <= 22, id >= 45 && id <= 47, id >= 27 && id <= 36, id >= 50 && id <= 58:
		// 27-36 and 50-58 are the East Asian built-in date formats.
		return CellDate
	case id == 9 || id == 10:
		return CellPercent
	}
	return CellNumber
}

// customFmtKind looks at the codes of a custom number format outside quoted
// text, escapes and bracketed sections ([Red], [$-409]).
func customFmtKind(code string) CellKind {
	// Only the first section (positive numbers) matters.
	var b strings.Builder
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		ch := code[i]
		switch {
		case inQuote:
			if ch == '"' {
				inQuote = false
			}
		case inBracket:
			if ch == ']' {
				inBracket = false
			}
		case ch == '"':
			inQuote = true
		case ch == '[':
			inBracket = true
		case ch == '\\' || ch == '_' || ch == '*':
			i++ // escaped or padding character
		case ch == ';':
			i = len(code)
		default:
			b.WriteByte(ch)
		}
	}
	s := strings.ToLower(b.String())
	if strings.Contains(s, "%") {
		return CellPercent
	}
	if strings.ContainsAny(s, "ymd") {
		return CellDate
	}
	return CellNumber
}

// Field describes one column a sheet may have: its canonical name (used in
// Loc.Cells and messages), the headings that name it (matched with
// indicators.Norm), and whether it is required.
type Field struct {
	Name     string
	Headings []string
	Required bool
}

// Matches is true when heading names f.
func (f Field) Matches(heading string) bool {
	h := indicators.Norm(heading)
	if h == "" {
		return false
	}
	if h == indicators.Norm(f.Name) {
		return true
	}
	for _, a := range f.Headings {
		if h == indicators.Norm(a) {
			return true
		}
	}
	return false
}

// MatchesNoted is Matches, also for a heading with a note after the
// name, as partners write them in measurement workbooks: "Value (number)",
// "Reporting period (quarter)", "Indicator code *".
func (f Field) MatchesNoted(heading string) bool {
	if f.Matches(heading) {
		return true
	}
	h := strings.TrimSpace(heading)
	if t := strings.TrimSpace(strings.TrimRight(h, "*")); t != h && t != "" {
		return f.MatchesNoted(t)
	}
	if i := strings.LastIndex(h, "("); i > 0 && strings.HasSuffix(h, ")") {
		return f.Matches(h[:i])
	}
	return false
}

// Header is a sheet's header row: its 1-based row number and, for each
// field found, the 0-based column index.
type Header struct {
	Row  int
	Cols map[string]int
}

// Has is true when the header names field.
func (h Header) Has(field string) bool { _, ok := h.Cols[field]; return ok }

// Get returns the cell of field in the 1-based row, and false when the
// header has no such column.
func (h Header) Get(s *Sheet, row int, field string) (Cell, bool) {
	col, ok := h.Cols[field]
	if !ok {
		return Cell{}, false
	}
	return s.Cell(row, col), true
}

// FindHeader finds the header row of s: the first row (within
// MaxHeaderScan) with a cell naming a required field. Unknown columns are
// ignored; when two columns name the same field the first one wins. It
// returns a problem for each required field the header row lacks, or one
// problem when no header row is found.
func FindHeader(s *Sheet, fields []Field) (Header, []error) {
	isRequired := func(c Cell) bool {
		for _, f := range fields {
			if f.Required && c.Kind == CellText && f.Matches(c.Raw) {
				return true
			}
		}
		return false
	}
	row := 0
	for r := 1; r <= len(s.Rows) && r <= MaxHeaderScan && row == 0; r++ {
		for _, c := range s.Rows[r-1] {
			if isRequired(c) {
				row = r
				break
			}
		}
	}
	if row == 0 {
		return Header{}, []error{s.Errorf(0, "", "", indicators.ErrMissingColumn,
			"no header row: none of the first %d rows names a column %s", MaxHeaderScan, requiredList(fields))}
	}
	h := Header{Row: row, Cols: map[string]int{}}
	var found []string
	for j, c := range s.Rows[row-1] {
		if c.Empty() {
			continue
		}
		found = append(found, strings.TrimSpace(c.Raw))
		for _, f := range fields {
			if _, dup := h.Cols[f.Name]; !dup && f.Matches(c.Raw) {
				h.Cols[f.Name] = j
				break
			}
		}
	}
	var errs []error
	for _, f := range fields {
		if f.Required && !h.Has(f.Name) {
			errs = append(errs, s.Errorf(row, "", f.Name, indicators.ErrMissingColumn,
				"no column %s in the header row %d (found: %s), expected a heading such as %s",
				f.Name, row, strings.Join(found, ", "), headingList(f)))
		}
	}
	return h, errs
}

func requiredList(fields []Field) string {
	var out []string
	for _, f := range fields {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return strings.Join(out, ", ")
}

func headingList(f Field) string {
	hs := f.Headings
	if len(hs) > 4 {
		hs = hs[:4]
	}
	return `"` + strings.Join(hs, `", "`) + `"`
}

// ErrNumber is wrapped by ParseNumber's errors.
var ErrNumber = errors.New("not a number")

// ParseNumber reads a number as people type it in a cell: blanks around it
// are ignored, a comma is accepted as a thousands separator when every
// group after it has three digits ("1,234", "12,345,678.5"), and a trailing
// (or leading) % sign sets percent, with the number as written ("75%" is 75,
// percent=true). A lone decimal comma, spaces inside the number ("1 234,5")
// and anything else are refused with a message that says why.
func ParseNumber(s string) (v float64, percent bool, err error) {
	t := strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	if strings.HasSuffix(t, "%") {
		percent, t = true, strings.TrimSpace(strings.TrimSuffix(t, "%"))
	} else if strings.HasPrefix(t, "%") {
		percent, t = true, strings.TrimSpace(strings.TrimPrefix(t, "%"))
	}
	if t == "" {
		return 0, false, fmt.Errorf("%w: %q is blank", ErrNumber, s)
	}
	if strings.ContainsAny(t, " \t") {
		return 0, false, fmt.Errorf("%w: %q has spaces inside; write 1234.5 or 1,234.5 (decimal point, optional comma between thousands)", ErrNumber, s)
	}
	if strings.Contains(t, ",") {
		intPart, frac, _ := strings.Cut(t, ".")
		groups := strings.Split(intPart, ",")
		first := strings.TrimLeft(groups[0], "+-")
		ok := len(first) >= 1 && len(first) <= 3 && allDigits(first)
		for _, g := range groups[1:] {
			ok = ok && len(g) == 3 && allDigits(g)
		}
		if !ok {
			return 0, false, fmt.Errorf("%w: %q uses a comma that is not a thousands separator; write decimals with a point (1234.5) and thousands as 1,234", ErrNumber, s)
		}
		t = strings.Join(groups, "")
		if frac != "" || strings.HasSuffix(t, ".") {
			t += "." + frac
		}
	}
	// Refuse what strconv accepts but people do not mean: hex, inf, nan, _.
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E') {
			return 0, false, fmt.Errorf("%w: %q, expected a number such as 1250, 1,250 or 12.5", ErrNumber, s)
		}
	}
	v, err = strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false, fmt.Errorf("%w: %q, expected a number such as 1250, 1,250 or 12.5", ErrNumber, s)
	}
	return v, percent, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Number reads c as a number. A percent-formatted cell holding 0.75 gives
// 0.75 with percent=true; text "75%" gives 75 with percent=true; callers
// that want "percent points" multiply the former by 100 (see PercentPoints).
func (c Cell) Number() (v float64, percent bool, err error) {
	switch c.Kind {
	case CellNumber, CellPercent, CellDate:
		v, err := strconv.ParseFloat(c.Text(), 64)
		if err != nil {
			return 0, false, fmt.Errorf("%w: %q", ErrNumber, c.Raw)
		}
		return v, c.Kind == CellPercent, nil
	case CellBool:
		if c.Text() == "1" || strings.EqualFold(c.Text(), "true") {
			return 1, false, nil
		}
		return 0, false, nil
	}
	return ParseNumber(c.Raw)
}

// PercentPoints reads c as a figure in percent points: a percent-formatted
// cell holding 0.75 is 75, as are the number 75 and the text "75%".
func (c Cell) PercentPoints() (float64, error) {
	v, pct, err := c.Number()
	if err != nil {
		return 0, err
	}
	if pct && c.Kind == CellPercent {
		v = Round15(v * 100)
	}
	return v, nil
}

// Plain reads c as a plain quantity: a percent-formatted cell holding 0.75
// is 0.75 and the text "75%" is 0.75 too.
func (c Cell) Plain() (float64, error) {
	v, pct, err := c.Number()
	if err != nil {
		return 0, err
	}
	if pct && c.Kind != CellPercent {
		v = Round15(v / 100)
	}
	return v, nil
}

// Round15 rounds v to 15 significant digits, dropping the binary noise of
// a scaling such as 0.07*100.
func Round15(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// ParseYesNo reads yes/no, true/false, y/n and 1/0 (case-insensitive) as 1 or 0.
func ParseYesNo(s string) (float64, error) {
	switch indicators.Norm(s) {
	case "yes", "y", "true", "1", "oui", "si", "ja":
		return 1, nil
	case "no", "n", "false", "0", "non":
		return 0, nil
	}
	return 0, fmt.Errorf("%w: %q, expected yes or no (also true/false, y/n, 1/0)", indicators.ErrInvalid, s)
}

// dateLayouts are the text date forms accepted, day before month where
// the order is ambiguous (15/07/2021).
var dateLayouts = []string{
	"2006-01-02", "2006/01/02", "2006.01.02",
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04",
	"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2.1.2006",
	"2 Jan 2006", "2 January 2006", "02-Jan-2006", "2-Jan-2006", "2-Jan-06",
	"Jan 2, 2006", "January 2, 2006", "Jan 2 2006", "January 2 2006",
}

// ParseDate reads a date typed as text: ISO 2021-07-15 (with or without a
// time), day-first 15/07/2021, 15.07.2021, 15-07-2021, and 15 Jul 2021 or
// July 15, 2021. The result is midnight UTC.
func ParseDate(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if d, err := time.Parse(l, t); err == nil {
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: date %q, expected a date such as 2021-07-15 or 15/07/2021", indicators.ErrInvalid, s)
}

// Date reads c as a date: a date cell (an Excel serial number), a number in
// a plausible serial range, or text accepted by ParseDate.
func (c Cell) Date(date1904 bool) (time.Time, error) {
	switch c.Kind {
	case CellDate, CellNumber:
		if d, err := time.Parse(time.RFC3339, c.Text()); err == nil { // t="d" cells
			return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), nil
		}
		if v, err := strconv.ParseFloat(c.Text(), 64); err == nil {
			if c.Kind == CellNumber {
				break // a plain number is not a date; let ParseDate say so
			}
			return indicators.DateFromExcelSerial(v, date1904)
		}
		return ParseDate(c.Raw)
	}
	return ParseDate(c.Raw)
}
