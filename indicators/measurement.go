package indicators

import (
	"fmt"
	"math"
	"time"
)

// Verified says whether a figure was checked against its means of verification.
type Verified string

const (
	VerifiedUnknown Verified = ""
	VerifiedYes     Verified = "yes"
	VerifiedNo      Verified = "no"
	Unverifiable    Verified = "unverifiable"
)

// Measurement is one figure: an indicator's value for a period and a
// disaggregation, with where it came from.
type Measurement struct {
	Indicator   string
	Period      Period
	Dims        Disagg   // nil for the total
	Value       *float64 // nil when only numerator/denominator or text are given; yes/no as 1/0
	Text        string   // for text indicators
	Numerator   *float64
	Denominator *float64
	Comment     string
	Source      string
	Verified    Verified
	Loc         Loc // file, sheet and row the figure was read from
}

// Batch is one imported file.
type Batch struct {
	ID        int64
	File      string // as given on the command line
	SHA256    string // hex digest of the file's bytes
	Kind      string // "measurements", "expenditures", ...
	Imported  time.Time
	RowsRead  int
	Added     int
	Changed   int
	Unchanged int
}

// Revision is one stored version of a figure.
type Revision struct {
	Measurement
	Revision int       // 1 for the first version of this figure
	BatchID  int64     // the import it came from
	Imported time.Time // when the import ran
	Current  bool      // the version in force
}

// MeasurementSink receives validated figures during an import. The store
// implements it; importers depend only on this interface.
type MeasurementSink interface {
	// Add stages one figure of the file being imported.
	Add(m Measurement) error
}

// MaxAbsValue bounds every number rmf accepts (figures, numerators,
// denominators, baselines, targets, milestones, amounts): |v| <= 1e15.
// Excel keeps 15 significant digits; whole numbers up to 1e15 are exact in
// a float64, and no sum of ten million of them comes near overflow, so no
// report ever holds an infinity (1e308 was accepted and its sums gave +Inf).
const MaxAbsValue = 1e15

// CheckValue returns an ErrOutOfRange error when v is not a finite number
// within MaxAbsValue.
func CheckValue(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > MaxAbsValue {
		return fmt.Errorf("%w: %s is beyond the largest number rmf accepts (1e15, a million billion; larger sums could overflow)", ErrOutOfRange, FormatValueShort(v))
	}
	return nil
}

// MaxCellChars is Excel's limit on the text of one cell: 32,767
// characters, counted as Excel counts them (UTF-16 code units). rmf
// refuses longer texts at import, naming the cell, and never cuts one when
// it writes a workbook: a cut text read back would silently change data.
const MaxCellChars = 32767

// CellChars is the length of s as Excel counts it (UTF-16 code units).
func CellChars(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// TooLongForCell reports whether s is longer than MaxCellChars, and its
// length as Excel counts it.
func TooLongForCell(s string) (int, bool) {
	if len(s) <= MaxCellChars { // a UTF-16 unit takes at least one byte
		return 0, false
	}
	n := CellChars(s)
	return n, n > MaxCellChars
}
