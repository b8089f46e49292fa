package exporters

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/rmf-project/rmf/indicators"
)

// checkCellText refuses a text longer than an Excel cell holds. excelize
// cuts such a text to 32,767 characters without a word, and a workbook
// read back would then change the data silently: rmf says so instead.
func checkCellText(sheet, ref, s string) error {
	if n, long := indicators.TooLongForCell(s); long {
		return fmt.Errorf("%w: sheet %s, cell %s: a text of %d characters is longer than Excel's limit of %d characters per cell; "+
			"rmf does not cut it: shorten the text where it was imported from and import it again",
			indicators.ErrOutOfRange, sheet, ref, n, indicators.MaxCellChars)
	}
	return nil
}

// checkRowText applies checkCellText to the text values of a row written
// from column 1 of row (1-based).
func checkRowText(sheet string, row int, cells []any) error {
	for j, c := range cells {
		var s string
		switch v := c.(type) {
		case string:
			s = v
		case excelize.Cell:
			t, ok := v.Value.(string)
			if !ok {
				continue
			}
			s = t
		default:
			continue
		}
		if _, long := indicators.TooLongForCell(s); long { // the cell's name only then
			return checkCellText(sheet, cellName(j, row), s)
		}
	}
	return nil
}

// cellName is the reference of the 0-based column col in the 1-based row.
func cellName(col, row int) string {
	var b [8]byte
	i := len(b)
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		i--
		b[i] = byte('A' + (n-1)%26)
	}
	return fmt.Sprintf("%s%d", b[i:], row)
}

// checkCellsText is checkRowText for a row of excelize cells.
func checkCellsText(sheet string, row int, cells []excelize.Cell) error {
	for j, c := range cells {
		if t, ok := c.Value.(string); ok {
			if _, long := indicators.TooLongForCell(t); long { // the cell's name only then
				return checkCellText(sheet, cellName(j, row), t)
			}
		}
	}
	return nil
}
