package indicators

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors wrapped by CellError and the validation problems, so that
// callers and tests can ask errors.Is(err, ErrDuplicate).
var (
	ErrRequired      = errors.New("required value missing")
	ErrDuplicate     = errors.New("duplicate")
	ErrUnknownCode   = errors.New("unknown code")
	ErrInvalid       = errors.New("invalid value")
	ErrLevel         = errors.New("wrong level")
	ErrFormula       = errors.New("formula error")
	ErrCycle         = errors.New("cycle between formulas")
	ErrDimension     = errors.New("undeclared dimension")
	ErrMissingSheet  = errors.New("missing sheet")
	ErrMissingColumn = errors.New("missing column")
	ErrOutOfRange    = errors.New("out of range")
	// ErrNoData is returned by formula evaluation when an input has no data
	// or a division by zero makes the result undefined.
	ErrNoData = errors.New("no data")
)

// Loc says where a piece of input came from: a file, a sheet and a row of a
// workbook (or a line of a YAML file), and for each field the cell it was read
// from, so that a problem found later, in validation, can still name the cell.
type Loc struct {
	File  string `json:"file,omitempty" yaml:"-"`
	Sheet string `json:"sheet,omitempty" yaml:"-"`
	Row   int    `json:"row,omitempty" yaml:"-"` // 1-based row of a sheet, or line of a text file
	// Cells maps a field name ("baseline", "formula") to its cell reference ("F12").
	Cells map[string]string `json:"-" yaml:"-"`
}

// Cell returns the cell reference of field, or "" when unknown.
func (l Loc) Cell(field string) string {
	if l.Cells == nil {
		return ""
	}
	return l.Cells[field]
}

// Errorf builds a CellError located at field of l.
func (l Loc) Errorf(field string, sentinel error, format string, args ...any) *CellError {
	return &CellError{File: l.File, Sheet: l.Sheet, Row: l.Row, Cell: l.Cell(field), Field: field,
		Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// CellError is a problem in one place of an input file: the shape of
// encoding/csv's ParseError, for workbooks. Err wraps one of the sentinel
// errors of this package.
type CellError struct {
	File  string // file name as given by the user
	Sheet string // sheet name; empty for YAML and CSV
	Row   int    // row (or line) number, 1-based; 0 when unknown
	Cell  string // cell reference such as "B17"; empty when the problem is the whole row or sheet
	Field string // column or field name, such as "baseline"
	Line  int    // line of a text file (XML), 1-based, when neither Row nor Cell applies
	Err   error
}

func (e *CellError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	}
	switch {
	case e.Sheet != "" && e.Cell != "":
		fmt.Fprintf(&b, ": sheet %s, cell %s", e.Sheet, e.Cell)
	case e.Sheet != "" && e.Row > 0:
		fmt.Fprintf(&b, ": sheet %s, row %d", e.Sheet, e.Row)
	case e.Sheet != "":
		fmt.Fprintf(&b, ": sheet %s", e.Sheet)
	case e.Cell != "": // a CSV file: no sheet, but a cell reference
		fmt.Fprintf(&b, ": cell %s", e.Cell)
	case e.Row > 0:
		fmt.Fprintf(&b, ":%d", e.Row)
	case e.Line > 0:
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Field != "" && (e.Sheet != "" || e.Cell != "") {
		fmt.Fprintf(&b, " (%s)", e.Field)
	} else if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *CellError) Unwrap() error { return e.Err }

// Problems is a list of input problems reported together; it is an error
// whose text is one line per problem.
type Problems []error

func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i, e := range p {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look into every problem.
func (p Problems) Unwrap() []error { return p }

// Err returns p as an error, or nil when it is empty.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// DefaultMaxProblems is how many problems an import or a check lists when
// its options set no other cap (importers.MeasurementOptions.MaxProblems,
// ...): beyond it one last problem says how many more were found. It keeps
// memory bounded on a huge file that is wrong on every row.
const DefaultMaxProblems = 1000

// ProblemCap collects problems up to a cap and counts those beyond it. The
// zero value caps at DefaultMaxProblems. Every importer lists its problems
// through one, so that they all stop at the same place and say so alike.
type ProblemCap struct {
	Max     int      // 0 or less: DefaultMaxProblems
	List    Problems // the problems kept, in the order added
	Dropped int      // problems added beyond Max
}

// Cap returns the cap that max (0 or less: DefaultMaxProblems) stands for.
func Cap(max int) int {
	if max <= 0 {
		return DefaultMaxProblems
	}
	return max
}

// Add keeps e when fewer than the cap are kept, else counts it.
func (c *ProblemCap) Add(e error) {
	if len(c.List) >= Cap(c.Max) {
		c.Dropped++
		return
	}
	c.List = append(c.List, e)
}

// Len is the number of problems added, kept or not.
func (c *ProblemCap) Len() int { return len(c.List) + c.Dropped }

// Problems returns the problems kept and, when some were dropped, a last
// one of file saying how many more were found.
func (c *ProblemCap) Problems(file string) Problems {
	if c.Dropped == 0 {
		return c.List
	}
	return append(c.List[:len(c.List):len(c.List)], &CellError{File: file, Err: fmt.Errorf(
		"%w: %d more problems not listed (only the first %d are)", ErrInvalid, c.Dropped, Cap(c.Max))})
}

// CapProblems keeps the first max problems of p (0 or less:
// DefaultMaxProblems) and, when it cuts some, adds a last one of file
// saying how many more were found.
func CapProblems(p Problems, file string, max int) Problems {
	c := ProblemCap{Max: max}
	for _, e := range p {
		c.Add(e)
	}
	return c.Problems(file)
}
