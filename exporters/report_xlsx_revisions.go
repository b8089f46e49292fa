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

// noteRevisions puts a note on the IPTT's baseline and end-target cells of
// each indicator whose baseline or target was revised: the original value
// and every revision with its date and reason. The IPTT's layout is read
// back from the written sheet (its header row and code column).
func (b *dwBook) noteRevisions(revs []TargetRevision) error {
	byCell := map[string]TargetRevision{} // code + "\x1f" + header
	for _, r := range revs {
		switch r.Field {
		case "target":
			byCell[r.Indicator+"\x1fEnd target"] = r
		case "baseline":
			byCell[r.Indicator+"\x1fBaseline"] = r
		}
	}
	if len(byCell) == 0 {
		return nil
	}
	rows, err := b.f.GetRows(dwIPTT)
	if err != nil {
		return err
	}
	cols := map[string]int{}
	for i, row := range rows {
		if len(cols) == 0 {
			for j, c := range row {
				if c == "End target" || c == "Baseline" {
					cols[c] = j
				}
			}
			continue
		}
		if len(row) == 0 {
			continue
		}
		for head, j := range cols {
			r, ok := byCell[row[0]+"\x1f"+head]
			if !ok {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			text := fmt.Sprintf("Original %s: %s; revised: %s.", r.Field, orDash(r.Original), orDash(r.Revised))
			for _, c := range r.Changes {
				text += "\n" + c
			}
			if err := b.f.AddComment(dwIPTT, excelize.Comment{Cell: cell, Author: "rmf", Text: text, Width: 320, Height: 120}); err != nil {
				return fmt.Errorf("note on %s: %w", cell, err)
			}
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
