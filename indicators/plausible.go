package indicators

import (
	"fmt"
	"math"
)

// PlausibilityFindings looks for figures that are valid one by one but
// implausible together, the traces of common spreadsheet slips:
//
//   - a percent indicator whose figures all lie between 0 and 1 while its
//     baseline or target is above 1: the partner typed shares (0.75) where
//     the indicator counts percentage points (75). A percent-formatted
//     Excel cell is read right; a plain cell holding 0.75 is not.
//
// Each finding is a warning of kind "plausibility" naming the indicator,
// how many figures and where the first came from. Figures of computed
// indicators are not looked at (they are not imported).
func PlausibilityFindings(fw *Framework, figures []Measurement) []Finding {
	type seen struct {
		n, small int
		first    Loc
		max      float64
	}
	by := map[string]*seen{}
	for i := range figures {
		m := &figures[i]
		if m.Value == nil {
			continue
		}
		s := by[m.Indicator]
		if s == nil {
			s = &seen{first: m.Loc}
			by[m.Indicator] = s
		}
		s.n++
		v := *m.Value
		if v >= 0 && v <= 1 {
			s.small++
		}
		s.max = math.Max(s.max, v)
	}
	var out []Finding
	for i := range fw.Indicators {
		ind := &fw.Indicators[i]
		s := by[ind.Code]
		if ind.Unit != Percent || ind.Computed() || s == nil || s.small != s.n || s.max == 0 {
			continue
		}
		scale := 0.0
		for _, p := range []*float64{ind.Baseline, ind.Target} {
			if p != nil {
				scale = math.Max(scale, *p)
			}
		}
		if scale <= 1 {
			continue // the framework itself uses shares
		}
		from := s.first.File
		if s.first.Sheet != "" {
			from += ", sheet " + s.first.Sheet
		}
		if s.first.Row > 0 {
			from += fmt.Sprintf(", row %d", s.first.Row)
		}
		out = append(out, Finding{Code: ind.Code, Severity: SevWarning, Kind: "plausibility",
			Message: fmt.Sprintf("all %d figures of this percent indicator lie between 0 and 1 (the largest is %s) while its baseline or target is %s: they look like shares typed in plain cells (0.75 for 75%%); enter percentage points (75) or format the cells as %%, and import again (first figure: %s)",
				s.n, FormatNumber(s.max), FormatNumber(scale), from)})
	}
	return out
}
