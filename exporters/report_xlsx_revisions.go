package exporters

// The donor workbook's "Target revisions" sheet (issue 16): each baseline,
// target and milestone revised since the framework was first imported,
// with its original and revised value and every revision's date and reason.

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// dwRevisions is the sheet's name.
const dwRevisions = "Target revisions"

// TargetRevision is a baseline, target or milestone of an indicator that
// was revised after the framework was first imported.
type TargetRevision struct {
	Indicator string
	Name      string // the indicator's name, when known
	Field     string // "target", "baseline", "milestone 2022S2"
	Original  string // as first imported ("" when added later)
	Revised   string // in force for the report ("" when removed)
	// Changes lists each revision: "2021-12-01: 360 -> 840 (changes in
	// context: Mid-term review ...)".
	Changes []string
}

func (b *dwBook) revisions(revs []TargetRevision) *dwSheet {
	s := &dwSheet{name: dwRevisions, freeze: "A2", titles: "$1:$1", wide: true, maxW: map[int]float64{2: 50, 6: 100}}
	cols := []string{"Indicator", "Name", "What", "Original", "Revised", "Revisions (date, change, reason)"}
	head := make([]excelize.Cell, len(cols))
	for j, h := range cols {
		head[j] = b.text(h, dwHeader)
	}
	s.add(head)
	for _, r := range revs {
		changes := ""
		for i, c := range r.Changes {
			if i > 0 {
				changes += "\n"
			}
			changes += c
		}
		s.add([]excelize.Cell{b.text(r.Indicator, dwPlain), b.text(r.Name, dwWrap), b.text(r.Field, dwPlain),
			b.text(r.Original, dwPlain), b.text(r.Revised, dwPlain), b.text(changes, dwWrap)})
	}
	s.widths = map[int]float64{1: 10, 3: 18, 4: 11, 5: 11}
	s.filter = fmt.Sprintf("A1:F%d", len(s.rows))
	return s
}
