package exporters

// The donor workbook's "Target revisions" sheet (issue 16): each baseline,
// target and milestone revised since the framework was first imported,
// with its original and revised value and every revision's date and reason.

import (
	"fmt"
	"strings"

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

// revisedNotes is what the IPTT writes under each indicator whose
// baseline or end target was revised: "End target revised from 360 to 840
// on 2021-12-01 (Target revisions)". A line of the indicator's own cell
// rather than a cell note: LibreOffice prints notes over the next columns.
func revisedNotes(revs []TargetRevision) map[string]string {
	out := map[string]string{}
	for _, r := range revs {
		var what string
		switch r.Field {
		case "target":
			what = "End target"
		case "baseline":
			what = "Baseline"
		default:
			continue
		}
		line := fmt.Sprintf("%s revised from %s to %s", what, orDash(r.Original), orDash(r.Revised))
		if n := len(r.Changes); n > 0 {
			if d, _, ok := strings.Cut(r.Changes[n-1], ":"); ok && len(d) == len("2006-01-02") {
				line += " on " + d
			}
		}
		line += " (sheet " + dwRevisions + ")"
		if prev := out[r.Indicator]; prev != "" {
			line = prev + "; " + line
		}
		out[r.Indicator] = line
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
